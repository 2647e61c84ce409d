"""Gathering a class report: the gradebook's scores and the grading records, as one ClassReport."""

from __future__ import annotations

from datetime import datetime, timezone

from mlmath.batch.regrade import regrade_of
from mlmath.course import Assignment, Course
from mlmath.report.grading import read_grading, summarize
from mlmath.report.model import ClassReport
from mlmath.report.scores import exercise_stats, read_scores
from mlmath.similarity.compare import compare_class


def gather(course: Course, assignment: Assignment, url: str,
           generated: datetime | None = None) -> ClassReport:
    """The report of ``assignment`` from the gradebook at ``url`` (which also holds the records)."""
    scores = read_scores(url, assignment)
    records = read_grading(url, assignment.id)
    students = {s.student for s in scores} | {r.student for r in records}
    generated = generated or datetime.now(timezone.utc)
    return ClassReport(
        course=course.id,
        assignment=assignment.id,
        points=assignment.points,
        generated=generated.strftime("%Y-%m-%d %H:%M %Z").strip(),
        submissions=len(students),
        scores=tuple(scores),
        exercises=tuple(exercise_stats(scores, assignment)),
        grading=summarize(records, assignment) if records else None,
        regrades=tuple(r for r in map(regrade_of, records) if r is not None),
        similarity=compare_class(course, assignment),
    )
