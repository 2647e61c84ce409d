"""One batch: find what is left to grade, grade it in parallel, record it as it comes back.

The coordinator (this process) is the only one that touches the gradebook and
``autograded/``.  Results are committed in groups — at most
:data:`GROUP_SIZE` submissions or :data:`GROUP_SECONDS` apart — and a
submission's autograded folder is moved into place right after the commit
that holds its scores (see :mod:`mlmath.batch.store`).  Killed at any point,
the next run grades exactly the submissions that are not finished.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable

from nbgrader.api import Gradebook, MissingEntry

from mlmath.batch.discover import Submission, find_submissions
from mlmath.batch.pipeline import Job, SubmissionOutcome, course_fingerprint
from mlmath.batch.steps import nbgrader_config
from mlmath.batch.recorder import GradebookRecorder
from mlmath.batch.regrade import Regrade
from mlmath.batch.snapshot import AssignmentSnapshot, read_snapshot
from mlmath.batch.store import AutogradedStore
from mlmath.course import Course
from mlmath.grading.seeds import course_secret
from mlmath.nbgrader_bridge.config import gradebook_url

GROUP_SIZE = 50
GROUP_SECONDS = 2.0


class BatchError(RuntimeError):
    """The batch cannot start (not a learner's fault); the message says what to do."""


@dataclass
class BatchResult:
    assignment: str
    graded: list[tuple[Submission, SubmissionOutcome]] = field(default_factory=list)
    skipped: list[Submission] = field(default_factory=list)     # finished in an earlier run
    errors: list[tuple[Submission, str]] = field(default_factory=list)  # not graded: grading broke
    regrades: list[Regrade] = field(default_factory=list)       # submissions graded before, compared
    seconds: float = 0.0


def _job(course: Course, submission: Submission, snapshot: AssignmentSnapshot, fingerprint: str) -> Job:
    notebooks = {}
    for name in snapshot.notebooks:
        path = submission.folder / f"{name}.ipynb"
        notebooks[name] = path.read_bytes() if path.is_file() and not path.is_symlink() else None
    others = tuple(str(p) for p in submission.files() if p.name != "timestamp.txt")
    return Job(str(course.root), submission.assignment, submission.student, notebooks, others, snapshot,
               fingerprint, course_secret(course.root))


class _Groups:
    """Outcomes waiting to be committed, written to the gradebook a group at a time."""

    def __init__(self, recorder: GradebookRecorder, store: AutogradedStore, result: BatchResult):
        self.recorder, self.store, self.result = recorder, store, result
        self.pending: list[tuple[Submission, SubmissionOutcome]] = []
        self.last_commit = time.monotonic()

    def add(self, submission: Submission, outcome: SubmissionOutcome) -> None:
        self.store.stage(submission, outcome)
        self.pending.append((submission, outcome))
        if len(self.pending) >= GROUP_SIZE or time.monotonic() - self.last_commit > GROUP_SECONDS:
            self.commit()

    def commit(self) -> None:
        self.result.regrades.extend(self.recorder.record(self.pending))
        for submission, _ in self.pending:
            self.store.publish(submission.student)
        self.result.graded.extend(self.pending)
        self.pending.clear()
        self.last_commit = time.monotonic()


def _snapshot(gradebook: Gradebook, assignment_id: str) -> AssignmentSnapshot:
    try:
        return read_snapshot(gradebook, assignment_id)
    except MissingEntry:
        raise BatchError(f"{assignment_id} is not in the gradebook; did you forget to run "
                         f"'nbgrader generate_assignment {assignment_id}'?") from None


def autograde(course: Course, assignment_id: str, executor_factory: Callable, *,
              students: list[str] | None = None, force: bool = False, keep_higher: bool = False,
              on_start: Callable[[int, int], None] = lambda todo, skipped: None,
              on_result: Callable[[Submission, SubmissionOutcome | str], None] = lambda s, o: None
              ) -> BatchResult:
    """Grade the submissions of ``assignment_id`` with the executor ``executor_factory(root, id)`` makes.

    ``force`` grades again what is graded already; ``keep_higher`` never lowers a score already given.
    """
    started = time.monotonic()
    course.assignment(assignment_id)  # an unknown id is a CourseError
    result = BatchResult(assignment_id)
    store = AutogradedStore(course.root, assignment_id)
    store.remove_leftovers()
    submissions = find_submissions(course.root, assignment_id, students)
    todo = [s for s in submissions if force or not store.is_done(s)]
    result.skipped = [s for s in submissions if s not in todo]
    by_student = {s.student: s for s in todo}
    executor = executor_factory(str(course.root), assignment_id)
    interrupted = False
    try:
        executor.start_workers(len(todo))  # before the gradebook is open: see LocalExecutor
        with Gradebook(gradebook_url(course.gradebook_url, course.root), course.id) as gradebook:
            snapshot = _snapshot(gradebook, assignment_id)
            groups = _Groups(GradebookRecorder(gradebook, assignment_id, nbgrader_config(str(course.root)),
                                               keep_higher), store, result)
            on_start(len(todo), len(result.skipped))
            fingerprint = course_fingerprint(str(course.root), assignment_id)
            jobs = (_job(course, s, snapshot, fingerprint) for s in todo)
            try:
                for job, outcome in executor.map_unordered(jobs):
                    submission = by_student[job.student]
                    if isinstance(outcome, BaseException):
                        reason = f"{type(outcome).__name__}: {outcome}"
                        result.errors.append((submission, reason))
                        on_result(submission, reason)
                        continue
                    groups.add(submission, outcome)
                    on_result(submission, outcome)
            except KeyboardInterrupt:
                interrupted = True
                groups.commit()  # what came back complete is kept
                raise
            groups.commit()
    finally:
        executor.close(interrupted=interrupted)
    result.seconds = time.monotonic() - started
    return result
