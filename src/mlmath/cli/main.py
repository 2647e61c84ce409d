"""`mlmath`: grade notebooks with the course's hidden graders.

Examples:
    mlmath check release/ch04_numerics/numerics.ipynb
    mlmath check my_numerics.ipynb --assignment ch04_numerics --json
    mlmath autograde ch04_numerics --jobs 2
    mlmath scores ch04_numerics
"""

from __future__ import annotations

import argparse
import atexit
import os
import sys
import threading
from typing import NoReturn

from mlmath.cli import autograde, check, example_class, progress, report, scores, similarity

VERBS = {"check": check, "autograde": autograde, "scores": scores, "report": report,
         "example-class": example_class, "progress": progress,
         "similarity": similarity}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="mlmath", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    verbs = parser.add_subparsers(dest="verb", required=True)
    for name, module in VERBS.items():
        sub = verbs.add_parser(name, help=module.HELP, description=module.__doc__,
                               formatter_class=argparse.RawDescriptionHelpFormatter)
        module.add_arguments(sub)
    return parser


def use_own_tools() -> None:
    """Put this environment's scripts first on PATH: nbgrader shells out to ``alembic``, which
    must be found even when ``mlmath`` is run by its full path from outside the environment."""
    scripts = os.path.dirname(sys.executable)
    if os.environ.get("PATH", "").split(os.pathsep)[0] != scripts:
        os.environ["PATH"] = os.pathsep.join([scripts, os.environ.get("PATH", "")])


def end_process(code: int) -> NoReturn:
    """End this process as a normal exit would — other threads finished, exit handlers run,
    output flushed — but without tearing down the interpreter's modules: after NumPy,
    nbgrader and SQLAlchemy are imported that alone takes about 0.3 s, for nothing a
    finished command needs (files and the gradebook are closed by then)."""
    for thread in threading.enumerate():
        if thread is not threading.main_thread() and not thread.daemon:
            thread.join()
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def main(argv: list[str] | None = None) -> int:
    """Run the verb ``argv`` names.  Run as the program (``argv`` None: the ``mlmath`` command,
    ``python -m mlmath.cli.main``), it ends the process itself when the verb is done."""
    use_own_tools()
    args = build_parser().parse_args(argv)
    code = VERBS[args.verb].run(args)
    if argv is None:
        end_process(code)
    return code


if __name__ == "__main__":
    sys.exit(main())
