"""Write a static HTML report of how a class did on an assignment.

Scores come from nbgrader's gradebook (named by course_config.py); which hidden
checks the class failed, which submissions could not be graded and how long
grading took come from the grading records that `mlmath autograde` keeps next
to it.  The page needs no server: open it from disk or mail it.

Examples:
    mlmath report ch04_numerics                    # reports/ch04_numerics/index.html
    mlmath report ch04_numerics --out /tmp/ch04
"""

from __future__ import annotations

import sys
from pathlib import Path

HELP = "write a static HTML report of a graded assignment"


def add_arguments(parser) -> None:
    parser.add_argument("assignment", help="assignment id, e.g. ch04_numerics")
    parser.add_argument("--out", type=Path, metavar="DIR",
                        help="folder for index.html (default: reports/<assignment>/ under the course root)")


def run(args) -> int:
    from mlmath.course import CourseError, find_root, load_course
    from mlmath.nbgrader_bridge.config import gradebook_url
    from mlmath.report import write_report
    from mlmath.report.data import gather
    from mlmath.report.scores import GradebookError

    try:
        course = load_course(find_root())
        assignment = course.assignment(args.assignment)
        report = gather(course, assignment, gradebook_url(course.gradebook_url, course.root))
        path = write_report(report, args.out or course.root / "reports" / assignment.id)
    except (CourseError, GradebookError, OSError) as error:
        print(f"mlmath report: {error}", file=sys.stderr)
        return 2
    print(path.resolve())
    return 0
