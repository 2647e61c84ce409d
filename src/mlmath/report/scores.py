"""Scores as nbgrader's gradebook has them, and the per-exercise statistics built on them.

The numbers come from nbgrader's own API (not from the grading records), so
the report says exactly what ``nbgrader export`` and ``mlmath scores`` say,
however the class was graded.
"""

from __future__ import annotations

import statistics
from pathlib import Path

from sqlalchemy.engine import make_url

from mlmath.course import Assignment
from mlmath.report.model import ExerciseStats, StudentScores

#: a score this close to the points counts as full marks (scores are rounded to 1e-6)
FULL_MARKS_TOLERANCE = 1e-6


class GradebookError(Exception):
    """The gradebook is missing or does not know the assignment."""


def read_scores(url: str, assignment: Assignment) -> list[StudentScores]:
    """Every submission of ``assignment`` in the gradebook at ``url``, by student id."""
    from nbgrader.api import Gradebook, MissingEntry

    _require_database(url)
    with Gradebook(url) as gradebook:
        try:
            gradebook.find_assignment(assignment.id)
        except MissingEntry:
            raise GradebookError(f"the gradebook has no assignment {assignment.id!r}; "
                                 "run `nbgrader generate_assignment` and `nbgrader autograde` first") from None
        scores = []
        for submission in gradebook.assignment_submissions(assignment.id):
            grades = {grade.name.removeprefix("test_"): grade.score or 0.0
                      for notebook in submission.notebooks for grade in notebook.grades}
            scores.append(StudentScores(submission.student_id, submission.score or 0.0,
                                        {e.id: grades.get(e.id, 0.0) for e in assignment.exercises}))
    return sorted(scores, key=lambda s: s.student)


def _require_database(url: str) -> None:
    """nbgrader would quietly create an empty gradebook where none is; a report must not."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:") \
            and not Path(parsed.database).is_file():
        raise GradebookError(f"no gradebook at {parsed.database}; run `nbgrader autograde` first")


def exercise_stats(scores: list[StudentScores], assignment: Assignment) -> list[ExerciseStats]:
    """Mean score and share of full marks of each exercise, in the assignment's order."""
    stats = []
    for exercise in assignment.exercises:
        values = [s.exercises[exercise.id] for s in scores]
        full = sum(value >= exercise.points - FULL_MARKS_TOLERANCE for value in values)
        stats.append(ExerciseStats(exercise.id, exercise.points,
                                   statistics.fmean(values) if values else 0.0,
                                   full / len(values) if values else 0.0))
    return stats
