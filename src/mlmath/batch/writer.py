"""The batch's writer: a thread of its own that owns the gradebook and ``autograded/``.

Outcomes are written in groups — at most :data:`GROUP_SIZE` submissions or
:data:`GROUP_SECONDS` apart, one commit each — and a submission's autograded folder is
moved into place right after the commit that holds its scores (see
:mod:`mlmath.batch.store`), so a batch killed at any moment leaves nothing half-done.

Writing a group takes ≈ 0.1 s.  Done on the thread that hands out jobs, it held up every
worker process that finished meanwhile (measured on the benchmark's class: each worker
waited 0.5–0.6 s for its next jobs in a 3 s batch; 0.2 s with no group written on the way).
So the coordinator's thread only hands over what comes back, and this thread writes it.  It
opens the gradebook itself, since a SQLite connection belongs to the thread that opened it,
and it is no daemon: what it was handed is written before the process ends.
"""

from __future__ import annotations

import queue
import threading
import time

from nbgrader.api import Gradebook, MissingEntry
from traitlets.config import Config

from mlmath.batch.discover import Submission
from mlmath.batch.pipeline import SubmissionOutcome
from mlmath.batch.recorder import GradebookRecorder
from mlmath.batch.snapshot import AssignmentSnapshot, read_snapshot
from mlmath.batch.store import AutogradedStore

GROUP_SIZE = 50
GROUP_SECONDS = 2.0

Group = list[tuple[Submission, SubmissionOutcome]]


class NotInGradebook(LookupError):
    """The assignment is not in the gradebook."""


class GradebookWriter(threading.Thread):
    """Writes the groups :meth:`add` collects; :attr:`graded` and :attr:`regrades` say what it
    wrote, once :meth:`finish` has returned."""

    def __init__(self, url: str, course_id: str, assignment_id: str, config: Config, keep_higher: bool,
                 store: AutogradedStore):
        super().__init__(name="mlmath-gradebook-writer")
        self._open = (url, course_id, assignment_id, config, keep_higher)
        self.store = store
        self.graded: Group = []
        self.regrades: list = []
        self.error: BaseException | None = None
        self._snapshot: AssignmentSnapshot | None = None
        self._opened = threading.Event()
        self._groups: queue.SimpleQueue[Group | None] = queue.SimpleQueue()
        self._pending: Group = []
        self._last_handover = time.monotonic()

    # -- the coordinator's side ------------------------------------------------------
    def snapshot(self) -> AssignmentSnapshot:
        """The assignment as the gradebook holds it, once the gradebook is open."""
        self._opened.wait()
        self.check()
        return self._snapshot

    def add(self, submission: Submission, outcome: SubmissionOutcome) -> None:
        """Write this outcome with the next group."""
        self.check()
        self._pending.append((submission, outcome))
        if len(self._pending) >= GROUP_SIZE or time.monotonic() - self._last_handover > GROUP_SECONDS:
            self.hand_over()

    def hand_over(self) -> None:
        """Write what was added so far, without waiting for the group to fill."""
        if self._pending:
            self._groups.put(self._pending)
            self._pending = []
        self._last_handover = time.monotonic()

    def finish(self) -> None:
        """Write what was added, wait until it is written, and end the thread."""
        self.hand_over()
        self._groups.put(None)
        self.join()

    def check(self) -> None:
        """Raise what made the thread fail, if anything did."""
        if self.error is not None:
            raise self.error

    # -- this thread -----------------------------------------------------------------
    def run(self) -> None:
        url, course_id, assignment_id, config, keep_higher = self._open
        try:
            with Gradebook(url, course_id) as gradebook:
                try:
                    self._snapshot = read_snapshot(gradebook, assignment_id)
                except MissingEntry:
                    raise NotInGradebook(assignment_id) from None
                recorder = GradebookRecorder(gradebook, assignment_id, config, keep_higher)
                self._opened.set()
                while (group := self._groups.get()) is not None:
                    self._write(recorder, group)
        except BaseException as error:  # noqa: BLE001 - the coordinator raises it
            self.error = error
        finally:
            self._opened.set()

    def _write(self, recorder: GradebookRecorder, group: Group) -> None:
        for submission, outcome in group:
            self.store.stage(submission, outcome)
        self.regrades.extend(recorder.record(group))
        for submission, _ in group:
            self.store.publish(submission.student)
        self.graded.extend(group)
