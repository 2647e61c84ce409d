"""`mlmath`: grade notebooks with the course's hidden graders.

Examples:
    mlmath check release/ch04_numerics/numerics.ipynb
    mlmath check my_numerics.ipynb --assignment ch04_numerics --json
    mlmath autograde ch04_numerics --jobs 2
    mlmath scores ch04_numerics
"""

from __future__ import annotations

import argparse
import os
import sys

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


def main(argv: list[str] | None = None) -> int:
    use_own_tools()
    args = build_parser().parse_args(argv)
    return VERBS[args.verb].run(args)


if __name__ == "__main__":
    sys.exit(main())
