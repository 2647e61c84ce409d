"""``at_work("softmax", draw)``: a picture of the learner's own function at work, under its check cell.

Until the function is written the cell prints one line — "write softmax above to
see it here" — never a traceback, and leaves no half-drawn figure behind.  Under
nbgrader (Validate, or an autograde that executes notebooks) it does nothing:
nbgrader sets ``NBGRADER_EXECUTION`` in the kernel (with ``NBGRADER_VALIDATING``,
which ``mlmath.live`` reads), so pictures never slow Validate.  They never run
in the engine's sandbox either: only answer and set-up cells run there.
"""

from __future__ import annotations

import os
import sys


def under_nbgrader() -> bool:
    return bool(os.environ.get("NBGRADER_EXECUTION") or os.environ.get("NBGRADER_VALIDATING"))


def _open_figures() -> set[int]:
    pyplot = sys.modules.get("matplotlib.pyplot")
    return set(pyplot.get_fignums()) if pyplot else set()


def _close_figures_since(before: set[int]) -> None:
    pyplot = sys.modules.get("matplotlib.pyplot")
    for number in set(pyplot.get_fignums()) - before if pyplot else ():
        pyplot.close(number)


def at_work(function: str, draw) -> None:
    """Run ``draw()``, which pictures the learner's ``function``; say in one line why it cannot yet."""
    if under_nbgrader():
        return
    before = _open_figures()
    try:
        draw()
    except (NotImplementedError, NameError) as error:
        _close_figures_since(before)
        missing = getattr(error, "name", None) or function
        print(f"write {missing} above to see it here")
    except Exception as error:  # the learner's function misbehaves: its check cell says how
        _close_figures_since(before)
        detail = next(iter(str(error).splitlines()), "")
        print(f"cannot picture your {function} yet ({type(error).__name__}: {detail}); "
              "its check cell above says what is wrong")
