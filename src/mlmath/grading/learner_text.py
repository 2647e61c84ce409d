"""What of a learner's own exceptions and warnings a check message may repeat.

A learner function called by a hidden check sees the hidden inputs, so any text
it produces can carry them: ``raise ValueError(repr(x))`` would copy them into
the check message, the gradebook, the feedback and the class report.  So a
message about a *call* names only what cannot carry data: the exception's
class, as the nearest well-known name in its hierarchy (a learner's own class
name is text too), and where in the learner's answer cells it was raised.
A warning keeps its text only when it is one of NumPy's floating-point
messages ("overflow encountered in exp").

Answer cells run before any hidden input exists, so what a *cell* raised is
shown with its (bounded) message.
"""

from __future__ import annotations

import builtins
import re

import numpy

from mlmath.sandbox.protocol import LearnerFault, first_line

#: exception and warning classes whose names a message may show
KNOWN_NAMES = frozenset(
    name for name, value in vars(builtins).items()
    if isinstance(value, type) and issubclass(value, BaseException)
) | {"LinAlgError", "AxisError"}

_NUMPY_WARNING = re.compile(r"(?:overflow|underflow|invalid value|divide by zero) encountered in "
                            r"(?:scalar )?(\w{1,30})")
#: the operations NumPy names in its floating-point warnings: its ufuncs and a few more
_NUMPY_OPERATIONS = frozenset(name for name, value in vars(numpy).items() if isinstance(value, numpy.ufunc)) \
    | {"reduce", "accumulate", "cast", "det", "slogdet", "dot"}
_CELL_NAME = re.compile(r"[A-Za-z0-9_.-]{1,60}")


def exception_name(fault: LearnerFault) -> str:
    """The first well-known class name in the exception's hierarchy."""
    for name in (fault.type, *fault.mro):
        if name in KNOWN_NAMES:
            return name
    return "an exception"


def cell_name(grade_id: str | None, index: int) -> str:
    """A cell as messages name it: its nbgrader id if that is a plain id, else its position."""
    return grade_id if grade_id and _CELL_NAME.fullmatch(grade_id) else f"#{index + 1}"


def raised(fault: LearnerFault, cell_names: list[str]) -> str:
    """``raised ValueError at line 4 of answer_softmax`` — nothing the call's inputs can shape
    beyond a class and a line."""
    text = f"raised {exception_name(fault)}"
    if fault.line and 0 <= fault.line[0] < len(cell_names) and 0 < fault.line[1] < 1_000_000:
        text += f" at line {fault.line[1]} of {cell_names[fault.line[0]]}"
    return text


def cell_raised(fault: LearnerFault) -> str:
    """What an answer cell raised, with its message: cells never see hidden inputs."""
    message = first_line(fault.message)
    return f"raised {first_line(fault.type, 80)}" + (f": {message}" if message else "")


def warning_text(category: str, message: str) -> str:
    """``RuntimeWarning: overflow encountered in exp``, or just the category."""
    name = category if category in KNOWN_NAMES else "a warning"
    match = _NUMPY_WARNING.fullmatch(message)
    return f"{name}: {message}" if match and match.group(1) in _NUMPY_OPERATIONS else name
