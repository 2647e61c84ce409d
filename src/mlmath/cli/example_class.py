"""Put the bundled example class into nbgrader's submitted/ folder.

For each assignment: submitted/<student>/<assignment>/<notebook> for the
students `complete` (reference answers), `blank` (the release notebook) and
every notebook kept under examples/<assignment>/ (e.g. `mistakes`).

Example:
    mlmath example-class ch04_numerics
"""

from __future__ import annotations

HELP = "write the bundled example submissions into submitted/"


def add_arguments(parser) -> None:
    parser.add_argument("assignments", nargs="+", help="assignment ids")


def run(args) -> int:
    from mlmath.course import find_root, load_course
    from mlmath.submissions import example_class, write_notebook

    course = load_course(find_root())
    for assignment_id in args.assignments:
        notebook_name = course.assignment(assignment_id).notebook
        for student, notebook in example_class(course, assignment_id).items():
            path = course.root / "submitted" / student / assignment_id / notebook_name
            write_notebook(notebook, path)
            print(f"wrote {path.relative_to(course.root)}")
    return 0
