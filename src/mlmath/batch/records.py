"""What a batch remembers of each graded submission beyond nbgrader's scores.

nbgrader's gradebook holds a score per cell; the instructor also wants to know
which hidden checks failed, why a submission could not be graded, and how long
it took.  That lives in one extra table, ``mlmath_grading``, in the same
database as the gradebook and written in the same transaction as the scores,
so the two can never disagree.  nbgrader ignores tables it does not know.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from sqlalchemy import Column, Float, MetaData, String, Table, Text, inspect, select
from sqlalchemy.engine import Connection

metadata = MetaData()

grading_table = Table(
    "mlmath_grading", metadata,
    Column("assignment", String(128), primary_key=True),
    Column("student", String(128), primary_key=True),
    Column("status", String(16), nullable=False),      # "graded" | "failed"
    Column("reason", Text, nullable=False, default=""),
    Column("seconds", Float, nullable=False),
    Column("graded_at", String(32), nullable=False),   # ISO 8601, UTC
    Column("exercises", Text, nullable=False),          # JSON, see GradingRecord.exercises
)


@dataclass
class GradingRecord:
    """One submission's grading, as plain data.

    ``exercises`` maps exercise id -> ``{"score", "max", "checks": [{"name",
    "passed", "weight", "message"}, ...]}`` (the shape of ``mlmath check --json``).
    ``status`` is ``"failed"`` when a notebook could not be graded at all
    (unreadable, missing, of another assignment...); ``reason`` says why.
    ``notes`` list learner faults that cost only part of the grade (a cell
    that hung, a function that exhausted memory).
    """

    assignment: str
    student: str
    status: str
    reason: str
    seconds: float
    graded_at: str
    exercises: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def row(self) -> dict:
        return {"assignment": self.assignment, "student": self.student, "status": self.status,
                "reason": self.reason, "seconds": self.seconds, "graded_at": self.graded_at,
                "exercises": json.dumps({"exercises": self.exercises, "notes": self.notes})}

    @classmethod
    def from_row(cls, row) -> "GradingRecord":
        data = json.loads(row.exercises)
        return cls(row.assignment, row.student, row.status, row.reason, row.seconds,
                   row.graded_at, data.get("exercises", {}), data.get("notes", []))


def save_records(connection: Connection, records: list[GradingRecord]) -> None:
    """Insert or replace ``records`` (inside the caller's transaction)."""
    metadata.create_all(connection)
    for record in records:
        connection.execute(grading_table.delete().where(
            (grading_table.c.assignment == record.assignment)
            & (grading_table.c.student == record.student)))
    if records:
        connection.execute(grading_table.insert(), [record.row() for record in records])


def read_records(connection: Connection, assignment: str) -> list[GradingRecord]:
    """Every record of ``assignment``, by student id; none if no batch ever wrote the table
    (reading leaves the gradebook as it was)."""
    if not inspect(connection).has_table(grading_table.name):
        return []
    rows = connection.execute(select(grading_table).where(grading_table.c.assignment == assignment)
                              .order_by(grading_table.c.student))
    return [GradingRecord.from_row(row) for row in rows]
