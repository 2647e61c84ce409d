"""The gradebook rows of submissions graded for the first time, inserted a table at a time.

Through nbgrader's classes a submission is some sixty objects — the submission, one
per notebook, a grade per grade (and task) cell, a comment per solution (and task)
cell — each sent through SQLAlchemy's unit of work: about 10 ms of the coordinator's
CPU per submission, most of a batch's bookkeeping, on a core the grading processes
need.  A submission graded for the first time has nothing to merge with, so its rows
follow in full from its outcome.  Here they are built as plain rows, with the values
nbgrader's own classes give them (``SaveAutoGrades``' scores and comments, the late
penalty of ``AssignLatePenalties``), and a whole group is inserted with one statement
per table.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from types import SimpleNamespace

from nbgrader.api import Assignment, Comment, Grade, Student, SubmittedAssignment, SubmittedNotebook, new_uuid
from nbgrader.preprocessors import AssignLatePenalties
from sqlalchemy import insert
from sqlalchemy.orm import Session

from mlmath.batch.pipeline import SubmissionOutcome


@dataclass
class NewRows:
    """The rows of a group's new submissions, in the order their foreign keys need."""

    tables: dict[type, list[dict]] = field(default_factory=lambda: {
        Student: [], SubmittedAssignment: [], SubmittedNotebook: [], Grade: [], Comment: []})

    def add(self, assignment: Assignment, student: str, new_student: bool, timestamp: datetime.datetime | None,
            outcome: SubmissionOutcome, late_penalties: AssignLatePenalties) -> None:
        """The rows of ``student``'s first graded submission (and of the student, if ``new_student``)."""
        if new_student:
            self.tables[Student].append({"id": student})
        submission = new_uuid()
        self.tables[SubmittedAssignment].append({"id": submission, "assignment_id": assignment.id,
                                                 "student_id": student, "timestamp": timestamp})
        seconds_late = _seconds_late(assignment.duedate, timestamp)
        by_name = {notebook.name: notebook for notebook in outcome.notebooks}
        for notebook in assignment.notebooks:
            result = by_name.get(notebook.name)
            row = {"id": new_uuid(), "assignment_id": submission, "notebook_id": notebook.id, "flagged": False,
                   "late_submission_penalty": None}
            score = self._cells(row["id"], notebook, result.grades if result else {},
                                result.comments if result else {})
            if seconds_late > 0:
                row["late_submission_penalty"] = late_penalty(late_penalties, student, score, seconds_late)
            self.tables[SubmittedNotebook].append(row)

    def _cells(self, notebook_id: str, notebook, grades: dict, comments: dict) -> float:
        """A notebook's grade and comment rows; its score, as nbgrader's database computes it."""
        score = 0.0
        for cell in (*notebook.grade_cells, *notebook.task_cells):
            auto_score = grades.get(cell.name, 0.0)  # a cell that never came back scores 0
            self.tables[Grade].append({"id": new_uuid(), "notebook_id": notebook_id, "cell_id": cell.id,
                                       "auto_score": auto_score, "needs_manual_grade": auto_score is None})
            score += auto_score or 0.0
        for cell in (*notebook.solution_cells, *notebook.task_cells):
            self.tables[Comment].append({"id": new_uuid(), "notebook_id": notebook_id, "cell_id": cell.id,
                                         "auto_comment": comments.get(cell.name)})
        return score

    def insert(self, session: Session) -> None:
        for table, rows in self.tables.items():
            if rows:
                session.execute(insert(table), rows)


def late_penalty(late_penalties: AssignLatePenalties, student: str, score: float,
                 seconds_late: float) -> float | None:
    """A late notebook's penalty as nbgrader's ``AssignLatePenalties`` decides it (None: none)."""
    penalty = late_penalties.plugin_inst.late_submission_penalty(student, score, seconds_late)
    if penalty is None:
        return None
    return late_penalties._check_late_penalty(SimpleNamespace(score=score), penalty)


def _seconds_late(duedate: datetime.datetime | None, timestamp: datetime.datetime | None) -> float:
    """``SubmittedAssignment.total_seconds_late`` of a new submission (it has no extension)."""
    if timestamp is None or duedate is None:
        return 0.0
    return max(0.0, (timestamp - duedate).total_seconds())
