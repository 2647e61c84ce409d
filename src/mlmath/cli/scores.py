"""Print the score table of an assignment from nbgrader's gradebook.

One row per submission, one column per exercise, read from the gradebook
that course_config.py names (what `nbgrader autograde` recorded).

Example:
    mlmath scores ch04_numerics
"""

from __future__ import annotations

HELP = "print the gradebook's score table for an assignment"


def add_arguments(parser) -> None:
    parser.add_argument("assignment", help="assignment id, e.g. ch04_numerics")


def run(args) -> int:
    from nbgrader.api import Gradebook

    from mlmath.course import find_root, load_course
    from mlmath.nbgrader_bridge.config import gradebook_url
    from mlmath.render import points

    course = load_course(find_root())
    assignment = course.assignment(args.assignment)
    ids = [e.id for e in assignment.exercises]
    header = ["student", *ids, "total"]
    rows = []
    with Gradebook(gradebook_url(course.gradebook_url, course.root)) as gradebook:
        for submission in gradebook.assignment_submissions(assignment.id):
            grades = {g.name.removeprefix("test_"): g.score
                      for notebook in submission.notebooks for g in notebook.grades}
            rows.append([submission.student_id, *(points(grades.get(i, 0.0)) for i in ids),
                         f"{points(submission.score)} / {points(assignment.points)}"])
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, *sorted(rows)]:
        print("  ".join(str(cell).rjust(width) if n else str(cell).ljust(width)
                        for n, (cell, width) in enumerate(zip(row, widths))))
    return 0
