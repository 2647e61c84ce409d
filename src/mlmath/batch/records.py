"""What a batch remembers of each graded submission beyond nbgrader's scores.

nbgrader's gradebook holds a score per cell; the instructor also wants to know
which hidden checks failed, why a submission could not be graded, and how long
it took.  That lives in one extra table, ``mlmath_grading``, in the same
database as the gradebook and written in the same transaction as the scores,
so the two can never disagree.  nbgrader ignores tables it does not know.

A record replaced by a later grading (``--force``, ``--regrade``, a resubmission)
is first moved to ``mlmath_grading_history``, in the same transaction: the
grading a regrade is compared with is kept, never overwritten.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from sqlalchemy import Column, Float, Integer, MetaData, String, Table, Text, inspect, select
from sqlalchemy.engine import Connection

metadata = MetaData()


def _record_columns(key: bool) -> list[Column]:
    return [
        Column("assignment", String(128), primary_key=key, nullable=False),
        Column("student", String(128), primary_key=key, nullable=False),
        Column("status", String(16), nullable=False),      # "graded" | "failed"
        Column("reason", Text, nullable=False, default=""),
        Column("seconds", Float, nullable=False),
        Column("graded_at", String(32), nullable=False),   # ISO 8601, UTC
        Column("exercises", Text, nullable=False),          # JSON, see GradingRecord.row
    ]


grading_table = Table("mlmath_grading", metadata, *_record_columns(key=True))
#: every replaced record, oldest first by ``id``
history_table = Table("mlmath_grading_history", metadata,
                      Column("id", Integer, primary_key=True, autoincrement=True), *_record_columns(key=False))


@dataclass
class GradingRecord:
    """One submission's grading, as plain data.

    ``exercises`` maps exercise id -> ``{"score", "max", "checks": [{"name",
    "passed", "weight", "message"}, ...]}`` (the shape of ``mlmath check --json``).
    ``status`` is ``"failed"`` when a notebook could not be graded at all
    (unreadable, missing, of another assignment...); ``reason`` says why.
    ``notes`` list learner faults that cost only part of the grade (a cell
    that hung, a function that exhausted memory).  ``regrade`` is how this grading
    differs from the one it replaced (``mlmath.batch.regrade.Regrade.to_json``),
    None for a first grading.
    """

    assignment: str
    student: str
    status: str
    reason: str
    seconds: float
    graded_at: str
    exercises: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    regrade: dict | None = None

    def row(self) -> dict:
        extra = {"exercises": self.exercises, "notes": self.notes}
        if self.regrade is not None:
            extra["regrade"] = self.regrade
        return {"assignment": self.assignment, "student": self.student, "status": self.status,
                "reason": self.reason, "seconds": self.seconds, "graded_at": self.graded_at,
                "exercises": json.dumps(extra)}

    @classmethod
    def from_row(cls, row) -> "GradingRecord":
        data = json.loads(row.exercises)
        return cls(row.assignment, row.student, row.status, row.reason, row.seconds,
                   row.graded_at, data.get("exercises", {}), data.get("notes", []), data.get("regrade"))


def save_records(connection: Connection, records: list[GradingRecord]) -> None:
    """Insert or replace ``records`` (inside the caller's transaction), moving each
    record replaced to the history table."""
    metadata.create_all(connection)
    students: dict[str, list[str]] = {}
    for record in records:
        students.setdefault(record.assignment, []).append(record.student)
    columns = [column.name for column in grading_table.columns]
    for assignment, names in students.items():
        replaced = (grading_table.c.assignment == assignment) & grading_table.c.student.in_(names)
        connection.execute(history_table.insert().from_select(
            columns, select(*grading_table.columns).where(replaced)))
        connection.execute(grading_table.delete().where(replaced))
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


def read_current(connection: Connection, assignment: str, students: list[str]) -> dict[str, GradingRecord]:
    """The records of ``students`` in ``assignment`` that exist, by student id."""
    if not students or not inspect(connection).has_table(grading_table.name):
        return {}
    rows = connection.execute(select(grading_table).where(
        (grading_table.c.assignment == assignment) & grading_table.c.student.in_(students)))
    return {row.student: GradingRecord.from_row(row) for row in rows}


def read_history(connection: Connection, assignment: str) -> list[GradingRecord]:
    """Every record of ``assignment`` that a later grading replaced, oldest first."""
    if not inspect(connection).has_table(history_table.name):
        return []
    rows = connection.execute(select(history_table).where(history_table.c.assignment == assignment)
                              .order_by(history_table.c.id))
    return [GradingRecord.from_row(row) for row in rows]
