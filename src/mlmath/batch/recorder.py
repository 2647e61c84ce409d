"""The batch's only gradebook writer: many submissions per transaction.

It writes what ``nbgrader autograde`` writes — the student, the submission
(with its timestamp), an auto score per grade cell, an auto comment per
solution cell, the late penalty — with the same rules as nbgrader's
``SaveAutoGrades`` and ``AssignLatePenalties``, plus a
:class:`~mlmath.batch.records.GradingRecord` per submission.  nbgrader opens a
transaction (or several) per cell; here one commit covers a whole group of
submissions, which is what keeps bookkeeping cheap next to grading.  A submission
graded for the first time is inserted as plain rows (:mod:`mlmath.batch.new_rows`);
one already in the gradebook is updated through nbgrader's classes.

A submission graded before is compared with its previous grading (see
:mod:`mlmath.batch.regrade`), and with ``keep_higher`` a grade cell whose new
score is lower keeps its old one, written as nbgrader's ``manual_score`` — a
grader's override, which ``nbgrader export``, the feedback and the formgrader
all honour.  Such a kept score is remembered in the record, so the next
grading can tell it from a score a grader typed and decides it again.
"""

from __future__ import annotations

import datetime

from nbgrader.api import Assignment, Grade, Gradebook, Student, SubmittedAssignment
from nbgrader.preprocessors import AssignLatePenalties
from traitlets.config import Config

from mlmath.batch.discover import Submission
from mlmath.batch.new_rows import NewRows, late_penalty
from mlmath.batch.pipeline import SubmissionOutcome
from mlmath.batch.records import GradingRecord, read_current, save_records
from mlmath.batch.regrade import SAME_SCORE, Regrade, changed_checks


class GradebookRecorder:
    def __init__(self, gradebook: Gradebook, assignment_id: str, config: Config, keep_higher: bool = False):
        self.gradebook = gradebook
        self.db = gradebook.db
        self.assignment: Assignment = gradebook.find_assignment(assignment_id)
        # held here, the assignment's cells stay in the session's identity map, so that each
        # grade's and comment's cell (nbgrader reads its name through it) is found there instead
        # of by one SELECT per cell per submission: a third of the batch's bookkeeping
        self._cells = [cell for notebook in self.assignment.notebooks
                       for cell in (*notebook.grade_cells, *notebook.solution_cells, *notebook.task_cells)]
        self.keep_higher = keep_higher
        self.late_penalties = AssignLatePenalties(config=config)
        self.late_penalties.init_plugin()

    def _existing(self, students: list[str]) -> dict[str, SubmittedAssignment]:
        """The submissions of ``students`` already in the gradebook, read with one SELECT."""
        found = (self.db.query(SubmittedAssignment)
                 .filter(SubmittedAssignment.assignment == self.assignment,
                         SubmittedAssignment.student_id.in_(students)))
        return {submission.student_id: submission for submission in found}

    def _known_students(self, students: list[str]) -> set[str]:
        return {student for (student,) in self.db.query(Student.id).filter(Student.id.in_(students))}

    def _scores(self, submission: SubmittedAssignment, outcome: SubmissionOutcome,
                kept_before: dict[str, float]) -> None:
        by_name = {notebook.name: notebook for notebook in outcome.notebooks}
        for notebook in submission.notebooks:
            result = by_name.get(notebook.name)
            grades = result.grades if result else {}
            comments = result.comments if result else {}
            for grade in notebook.grades:
                if grade.name in kept_before and _same(grade.manual_score, kept_before[grade.name]):
                    grade.manual_score = None  # kept by an earlier regrade, not typed by a grader
                grade.auto_score = grades.get(grade.name, 0.0)  # a cell that never came back scores 0
                grade.needs_manual_grade = grade.manual_score is not None or grade.auto_score is None
            for comment in notebook.comments:
                comment.auto_comment = comments.get(comment.name)

    def _late_penalties(self, submission: SubmittedAssignment) -> None:
        seconds_late = submission.total_seconds_late
        for notebook in submission.notebooks:
            notebook.late_submission_penalty = None
        if seconds_late <= 0:
            return
        # a notebook's score is computed by the database: only a late submission needs its
        # rows written before the end of the transaction
        self.db.flush()
        for notebook in submission.notebooks:
            notebook.late_submission_penalty = late_penalty(self.late_penalties, submission.student.id,
                                                            notebook.score, seconds_late)

    def _keep_higher(self, submission: SubmittedAssignment, before: dict[str, float]) -> dict[str, float]:
        """Give back each grade cell its old score where that was higher; return what was kept."""
        kept = {}
        for notebook in submission.notebooks:
            for grade in notebook.grades:
                old = before.get(grade.name)
                if old is not None and old > given(grade) + SAME_SCORE:
                    grade.manual_score = old - (grade.extra_credit or 0.0)
                    grade.needs_manual_grade = False  # decided by the instructor's policy: nothing to review
                    kept[grade.name] = grade.manual_score
        return kept

    def _write(self, submission: Submission, outcome: SubmissionOutcome, row: SubmittedAssignment,
               earlier: GradingRecord | None, graded_at: str) -> tuple[GradingRecord, Regrade | None]:
        """The scores and record of a submission already in the gradebook, and how its grade
        changed if it was graded before."""
        if submission.timestamp is not None:
            row.timestamp = submission.timestamp
        before = given_scores(row)
        self._scores(row, outcome, earlier.regrade["kept"] if earlier and earlier.regrade else {})
        new = sum(given_scores(row).values())
        kept = self._keep_higher(row, before) if self.keep_higher else {}
        self._late_penalties(row)
        record = record_of(outcome, graded_at)
        if not before:
            return record, None
        # graded before by `nbgrader autograde`, it has no record: which checks changed is unknown
        checks = changed_checks(earlier, record) if earlier else ()
        regrade = Regrade(submission.student, sum(before.values()), new, sum(given_scores(row).values()),
                          checks, kept, earlier.graded_at if earlier else "")
        record.regrade = regrade.to_json()
        return record, regrade

    def record(self, graded: list[tuple[Submission, SubmissionOutcome]]) -> list[Regrade]:
        """Write ``graded`` in one transaction: all of it, or (on error) none of it.
        Return how the grade of each submission graded before changed."""
        now = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
        try:
            students = [submission.student for submission, _ in graded]
            previous = read_current(self.db.connection(), self.assignment.name, students)
            new_rows, written = NewRows(), []
            # the submissions already in the gradebook are written with one flush at the commit
            with self.db.no_autoflush:
                existing = self._existing(students)
                known = self._known_students([student for student in students if student not in existing])
                for submission, outcome in graded:
                    row = existing.get(submission.student)
                    if row is None:
                        new_rows.add(self.assignment, submission.student, submission.student not in known,
                                     submission.timestamp, outcome, self.late_penalties)
                        written.append((record_of(outcome, now), None))
                    else:
                        written.append(self._write(submission, outcome, row, previous.get(submission.student), now))
            new_rows.insert(self.db)
            save_records(self.db.connection(), [record for record, _ in written])
            self.db.commit()
        except BaseException:
            self.db.rollback()
            raise
        return [regrade for _, regrade in written if regrade is not None]


def given(grade: Grade) -> float:
    """A grade cell's score as nbgrader counts it (``Grade.score``, which the database computes):
    the manual score if a grader gave one, else the auto score, plus any extra credit."""
    score = grade.manual_score if grade.manual_score is not None else grade.auto_score
    return (score or 0.0) + (grade.extra_credit or 0.0)


def given_scores(submission: SubmittedAssignment) -> dict[str, float]:
    """Every grade cell's score, by cell name; empty if the submission was never graded."""
    grades = [grade for notebook in submission.notebooks for grade in notebook.grades]
    if all(grade.auto_score is None and grade.manual_score is None for grade in grades):
        return {}
    return {grade.name: given(grade) for grade in grades}


def _same(score: float | None, kept: float) -> bool:
    return score is not None and abs(score - kept) <= SAME_SCORE


def record_of(outcome: SubmissionOutcome, graded_at: str) -> GradingRecord:
    exercises, faults = {}, []
    for notebook in outcome.notebooks:
        exercises.update((notebook.report or {}).get("exercises", {}))
        faults += notebook.faults
    return GradingRecord(outcome.assignment, outcome.student, "failed" if outcome.failed else "graded",
                         outcome.reason, round(outcome.seconds, 4), graded_at, exercises, faults)
