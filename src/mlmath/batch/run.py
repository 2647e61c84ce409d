"""One batch: find what is left to grade, grade it in parallel, record it as it comes back.

The coordinator (this process) is the only one that touches the gradebook and
``autograded/``: its main thread hands out jobs and takes back outcomes, and its
:class:`~mlmath.batch.writer.GradebookWriter` thread writes them, a group per commit.
Killed at any point, the next run grades exactly the submissions that are not finished.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable

from mlmath.batch.discover import Submission, find_submissions
from mlmath.batch.pipeline import Job, SubmissionOutcome, course_fingerprint
from mlmath.batch.regrade import Regrade
from mlmath.batch.snapshot import AssignmentSnapshot
from mlmath.batch.steps import nbgrader_config
from mlmath.batch.store import AutogradedStore
from mlmath.batch.writer import GradebookWriter, NotInGradebook
from mlmath.course import Course
from mlmath.grading.seeds import course_secret
from mlmath.nbgrader_bridge.config import gradebook_url


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


def _snapshot(writer: GradebookWriter, assignment_id: str) -> AssignmentSnapshot:
    try:
        return writer.snapshot()
    except NotInGradebook:
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
        writer = GradebookWriter(gradebook_url(course.gradebook_url, course.root), course.id, assignment_id,
                                 nbgrader_config(str(course.root)), keep_higher, store)
        writer.start()
        try:
            snapshot = _snapshot(writer, assignment_id)
            on_start(len(todo), len(result.skipped))
            fingerprint = course_fingerprint(str(course.root), assignment_id)
            jobs = (_job(course, s, snapshot, fingerprint) for s in todo)
            for job, outcome in executor.map_unordered(jobs):
                submission = by_student[job.student]
                if isinstance(outcome, BaseException):
                    reason = f"{type(outcome).__name__}: {outcome}"
                    result.errors.append((submission, reason))
                    on_result(submission, reason)
                    continue
                writer.add(submission, outcome)
                on_result(submission, outcome)
        except KeyboardInterrupt:
            interrupted = True
            raise
        finally:
            writer.finish()  # what came back complete is written, Ctrl-C or not
        writer.check()
        result.graded, result.regrades = writer.graded, writer.regrades
    finally:
        executor.close(interrupted=interrupted)
    result.seconds = time.monotonic() - started
    return result
