"""The batch's only gradebook writer: many submissions per transaction.

It writes what ``nbgrader autograde`` writes — the student, the submission
(with its timestamp), an auto score per grade cell, an auto comment per
solution cell, the late penalty — with the same rules as nbgrader's
``SaveAutoGrades`` and ``AssignLatePenalties``, plus a
:class:`~mlmath.batch.records.GradingRecord` per submission.  nbgrader opens a
transaction (or several) per cell; here one commit covers a whole group of
submissions, which is what keeps bookkeeping cheap next to grading.
"""

from __future__ import annotations

import datetime
import warnings

from nbgrader.api import (Assignment, Comment, Grade, Gradebook, Student, SubmittedAssignment,
                          SubmittedNotebook)
from nbgrader.preprocessors import AssignLatePenalties
from sqlalchemy.exc import SAWarning
from traitlets.config import Config

from mlmath.batch.discover import Submission
from mlmath.batch.pipeline import SubmissionOutcome
from mlmath.batch.records import GradingRecord, save_records


class GradebookRecorder:
    def __init__(self, gradebook: Gradebook, assignment_id: str, config: Config):
        self.gradebook = gradebook
        self.db = gradebook.db
        self.assignment: Assignment = gradebook.find_assignment(assignment_id)
        self.late_penalties = AssignLatePenalties(config=config)
        self.late_penalties.init_plugin()

    def _student(self, student_id: str) -> Student:
        student = self.db.get(Student, student_id)
        if student is None:
            student = Student(id=student_id)
            self.db.add(student)
        return student

    def _submission(self, student: Student, timestamp) -> SubmittedAssignment:
        """The student's submission, created with nbgrader's full structure if new."""
        submission = (self.db.query(SubmittedAssignment)
                      .filter_by(assignment=self.assignment, student=student).one_or_none())
        if submission is None:
            with warnings.catch_warnings():
                # SQLAlchemy warns that the backrefs do not cascade the new rows into the
                # session; they are added below, all at once, as nbgrader's add_submission does
                warnings.simplefilter("ignore", SAWarning)
                submission = SubmittedAssignment(assignment=self.assignment, student=student)
                for notebook in self.assignment.notebooks:
                    submitted = SubmittedNotebook(notebook=notebook, assignment=submission)
                    for cell in notebook.grade_cells:
                        Grade(cell=cell, notebook=submitted)
                    for cell in notebook.solution_cells:
                        Comment(cell=cell, notebook=submitted)
                    for cell in notebook.task_cells:
                        Comment(cell=cell, notebook=submitted)
                        Grade(cell=cell, notebook=submitted)
            self.db.add(submission)
        if timestamp is not None:
            submission.timestamp = timestamp
        return submission

    def _scores(self, submission: SubmittedAssignment, outcome: SubmissionOutcome) -> None:
        by_name = {notebook.name: notebook for notebook in outcome.notebooks}
        for notebook in submission.notebooks:
            result = by_name.get(notebook.name)
            grades = result.grades if result else {}
            comments = result.comments if result else {}
            for grade in notebook.grades:
                grade.auto_score = grades.get(grade.name, 0.0)  # a cell that never came back scores 0
                grade.needs_manual_grade = grade.manual_score is not None or grade.auto_score is None
            for comment in notebook.comments:
                comment.auto_comment = comments.get(comment.name)

    def _late_penalties(self, submission: SubmittedAssignment) -> None:
        self.db.flush()
        seconds_late = submission.total_seconds_late
        for notebook in submission.notebooks:
            notebook.late_submission_penalty = None
            if seconds_late > 0:
                penalty = self.late_penalties.plugin_inst.late_submission_penalty(
                    submission.student.id, notebook.score, seconds_late)
                if penalty is not None:
                    notebook.late_submission_penalty = self.late_penalties._check_late_penalty(notebook, penalty)

    def record(self, graded: list[tuple[Submission, SubmissionOutcome]]) -> None:
        """Write ``graded`` in one transaction: all of it, or (on error) none of it."""
        now = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
        try:
            records = []
            for submission, outcome in graded:
                row = self._submission(self._student(submission.student), submission.timestamp)
                self._scores(row, outcome)
                self._late_penalties(row)
                records.append(record_of(outcome, now))
            save_records(self.db.connection(), records)
            self.db.commit()
        except BaseException:
            self.db.rollback()
            raise


def record_of(outcome: SubmissionOutcome, graded_at: str) -> GradingRecord:
    exercises, faults = {}, []
    for notebook in outcome.notebooks:
        exercises.update((notebook.report or {}).get("exercises", {}))
        faults += notebook.faults
    return GradingRecord(outcome.assignment, outcome.student, "failed" if outcome.failed else "graded",
                         outcome.reason, round(outcome.seconds, 4), graded_at, exercises, faults)
