"""Grade one notebook with the hidden graders, in the sandbox, and show the result.

Exit status is 0 whenever grading ran, whatever the score; 2 when it could
not (not a notebook, unknown assignment, no graders...), with the reason.

Examples:
    mlmath check release/ch04_numerics/numerics.ipynb
    mlmath check numerics.ipynb --json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HELP = "grade one notebook (self-study), as a table or --json"


def add_arguments(parser) -> None:
    parser.add_argument("notebook", type=Path, help="the .ipynb file to grade")
    parser.add_argument("--assignment", help="assignment id, if the file name does not tell it")
    parser.add_argument("--exercise", action="append", metavar="ID",
                        help="grade only this exercise (repeatable); default: all")
    parser.add_argument("--json", action="store_true", help="print exactly one JSON object")


def run(args) -> int:
    from mlmath.course import CourseError, find_root, load_course
    from mlmath.grading.grade import grade_notebook
    from mlmath.grading.runner import GraderError
    from mlmath.notebook import NotebookError
    from mlmath.render import report_text
    from mlmath.sandbox.session import SandboxUnavailable

    try:
        course = load_course(find_root(args.notebook.resolve().parent))
        assignment = course.assignment(args.assignment) if args.assignment else None
        exercises = set(args.exercise) if args.exercise else None
        report = grade_notebook(args.notebook, course, assignment, exercises)
    except (CourseError, NotebookError, GraderError, SandboxUnavailable, OSError) as error:
        print(f"mlmath check: cannot grade {args.notebook}: {error}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(report.to_json()))
        for note in report.notes:
            print(f"note: {note}", file=sys.stderr)
    else:
        print(report_text(report))
    return 0
