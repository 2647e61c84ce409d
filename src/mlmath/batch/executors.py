"""Where submissions are graded: local worker processes, or a Dask cluster.

Both run :func:`~mlmath.batch.pipeline.grade_submission` on one submission
per task and hand back plain results; neither ever sees the gradebook.  Only
a bounded number of tasks is in flight at a time, so a class of large
notebooks is never all in memory at once.
"""

from __future__ import annotations

import concurrent.futures
import multiprocessing
import os
from concurrent.futures.process import BrokenProcessPool
from typing import Callable, Iterable, Iterator

from mlmath.batch.pipeline import Job, SubmissionOutcome, grade_submission, warm_up

#: how many times a task may be lost with its worker process before it is given up
ATTEMPTS = 2


class TaskLost(RuntimeError):
    """The worker grading a submission died (not the learner's code: that runs in the sandbox)."""


def _windowed(jobs: Iterable[Job], window: int, submit: Callable, wait: Callable) -> Iterator:
    """Keep up to ``window`` tasks in flight; yield ``(job, future)`` as each finishes."""
    jobs = iter(jobs)
    in_flight = {}
    while True:
        while len(in_flight) < window and (job := next(jobs, None)) is not None:
            in_flight[submit(job)] = job
        if not in_flight:
            return
        done, _ = wait(list(in_flight))
        for future in done:
            yield in_flight.pop(future), future


class LocalExecutor:
    """A pool of ``workers`` processes on this machine.

    Workers are started with ``spawn`` (a fork would copy the coordinator's
    open gradebook connection) and warmed up once: graders imported, the
    reference solutions run.
    """

    def __init__(self, workers: int, course_root: str, assignment: str):
        self.workers = workers
        self.warm_up = (course_root, assignment)
        self.pool = self._new_pool()

    def _new_pool(self) -> concurrent.futures.ProcessPoolExecutor:
        return concurrent.futures.ProcessPoolExecutor(
            self.workers, mp_context=multiprocessing.get_context("spawn"),
            initializer=warm_up, initargs=self.warm_up)

    def map_unordered(self, jobs: Iterable[Job]) -> Iterator[tuple[Job, SubmissionOutcome | BaseException]]:
        attempts: dict[tuple[str, str], int] = {}
        retry: list[Job] = []
        remaining = iter(jobs)
        while True:
            source = (job for group in (list(retry), remaining) for job in group)
            retry.clear()
            broken = False
            for job, future in _windowed(source, 2 * self.workers, self._submit, self._wait):
                try:
                    yield job, future.result()
                except BrokenProcessPool:
                    broken = True
                    key = (job.assignment, job.student)
                    attempts[key] = attempts.get(key, 0) + 1
                    if attempts[key] < ATTEMPTS:
                        retry.append(job)
                    else:
                        yield job, TaskLost("its grading process died twice")
                except Exception as error:  # noqa: BLE001 - reported per submission, batch goes on
                    yield job, error
            if not broken:
                return
            self.pool.shutdown(wait=False, cancel_futures=True)
            self.pool = self._new_pool()

    def _submit(self, job: Job):
        try:
            return self.pool.submit(grade_submission, job)
        except BrokenProcessPool:
            self.pool = self._new_pool()
            return self.pool.submit(grade_submission, job)

    @staticmethod
    def _wait(futures):
        return concurrent.futures.wait(futures, return_when=concurrent.futures.FIRST_COMPLETED)

    def close(self, interrupted: bool = False) -> None:
        if interrupted:
            # shutdown() would wait for the tasks already running; stop them now
            for process in list(getattr(self.pool, "_processes", {}).values()):
                process.terminate()
        self.pool.shutdown(wait=True, cancel_futures=True)


class DaskExecutor:
    """Tasks on an existing ``dask.distributed`` cluster.

    A task lost with a dying worker is re-run on another one by the scheduler
    (up to its ``allowed-failures``); the result of each task is used once.
    """

    def __init__(self, address: str, course_root: str, assignment: str):
        from distributed import Client

        self.client = Client(address, timeout="30s")
        self.window = 2 * max(sum(self.client.nthreads().values()), 1)
        self.warm_up = (course_root, assignment)

    def map_unordered(self, jobs: Iterable[Job]) -> Iterator[tuple[Job, SubmissionOutcome | BaseException]]:
        from distributed import wait

        def submit(job: Job):
            return self.client.submit(_warm_and_grade, job, self.warm_up, pure=False,
                                      key=f"mlmath-{job.assignment}-{job.student}-{os.urandom(4).hex()}")

        for job, future in _windowed(jobs, self.window, submit,
                                     lambda futures: wait(futures, return_when="FIRST_COMPLETED")):
            try:
                yield job, future.result()
            except Exception as error:  # noqa: BLE001 - KilledWorker and the like, per submission
                yield job, error
            finally:
                future.release()

    def close(self, interrupted: bool = False) -> None:
        self.client.close()


def _warm_and_grade(job: Job, warm: tuple[str, str]) -> SubmissionOutcome:
    warm_up(*warm)
    return grade_submission(job)
