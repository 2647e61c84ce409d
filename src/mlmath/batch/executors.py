"""Where submissions are graded: local worker processes, or a Dask cluster.

Both run :func:`~mlmath.batch.pipeline.grade_submission` on one submission
per task and hand back plain results; neither ever sees the gradebook.  Only
a bounded number of tasks is in flight at a time, so a class of large
notebooks is never all in memory at once.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
from multiprocessing.connection import wait
from typing import Callable, Iterable, Iterator

from mlmath.batch.pipeline import Job, SubmissionOutcome, grade_submission, warm_up
from mlmath.sandbox.session import warm_zygotes

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


class _Worker:
    """One grading process, our end of its pipe, and the job it was given (if any)."""

    def __init__(self, context: multiprocessing.context.BaseContext, task: Callable, warm_up: Callable,
                 warm_args: tuple[str, str]):
        self.connection, theirs = context.Pipe()
        self.process = context.Process(target=_serve, args=(theirs, task, warm_up, warm_args),
                                       daemon=True, name="mlmath-grader")
        self.process.start()
        theirs.close()  # only the process holds it now: its death is our end-of-file
        self.ready = False  # warmed up, as the process said
        self.job: Job | None = None

    def run(self, job: Job) -> None:
        """Give the process ``job``: now if it is warmed up, else once it says it is."""
        self.job = job
        if self.ready:
            self.send()

    def send(self) -> None:
        try:
            self.connection.send(self.job)
        except BrokenPipeError:
            pass  # the process died: its sentinel fires and the job is charged

    def stop(self, kill: bool) -> None:
        if kill:
            self.process.kill()
        self.connection.close()  # an idle process reads end-of-file and returns
        self.process.join()
        self.process.close()


def _serve(connection, task: Callable, warm_up: Callable, warm_args: tuple[str, str]) -> None:
    """A grading process: warm up, then run one job at a time until the coordinator hangs up.

    It says when it is warmed up, and only then is it sent a job: a job is larger
    than a pipe holds, so sending it earlier would hold up the coordinator until
    the process can read it.  A warm-up that fails is every job's outcome, rather
    than a death charged to each job in turn.  Its sandbox's zygote is kept from one
    job to the next (:func:`~mlmath.sandbox.session.warm_zygotes`).
    """
    with warm_zygotes():
        _serve_jobs(connection, task, warm_up, warm_args)


def _serve_jobs(connection, task: Callable, warm_up: Callable, warm_args: tuple[str, str]) -> None:
    try:
        try:
            warm_up(*warm_args)
            broken = None
        except Exception as error:  # noqa: BLE001 - told to the coordinator with each job
            broken = _portable(error)
        connection.send("ready")
        while True:
            try:
                job = connection.recv()
            except EOFError:
                return
            try:
                outcome = task(job) if broken is None else broken
            except Exception as error:  # noqa: BLE001 - this submission's outcome; serve the next
                outcome = _portable(error)
            connection.send(outcome)
    except (KeyboardInterrupt, BrokenPipeError):
        pass  # Ctrl-C reaches the whole process group, or the coordinator is gone: it decides


def _portable(error: Exception) -> Exception:
    """``error`` if pickle carries it back into an object (an exception whose constructor
    wants other arguments does not), else a RuntimeError that says what it was."""
    try:
        pickle.loads(pickle.dumps(error))
    except Exception:  # noqa: BLE001 - any pickling failure
        return RuntimeError(f"{type(error).__name__}: {error}")
    return error


class LocalExecutor:
    """A pool of ``workers`` processes on this machine, each grading one job at a time.

    Processes are started with ``spawn`` (a fork would copy the coordinator's open
    gradebook connection) when there is a job for them, and warmed up once: graders
    imported, the reference solutions run.  Each process gets its jobs and returns
    their outcomes over a pipe of its own, so the coordinator knows which job a
    process that dies was running: that job alone is charged an attempt, and run
    again on a fresh process while it has attempts left; the other jobs go on.

    ``task`` and ``warm_up`` are for tests: top-level functions, as they are pickled.
    """

    def __init__(self, workers: int, course_root: str, assignment: str, *,
                 task: Callable[[Job], SubmissionOutcome] = grade_submission,
                 warm_up: Callable[[str, str], None] = warm_up):
        self.context = multiprocessing.get_context("spawn")
        self.worker_args = (task, warm_up, (course_root, assignment))
        self.slots: list[_Worker | None] = [None] * workers  # None: no process yet, or no more

    def _start(self) -> _Worker:
        return _Worker(self.context, *self.worker_args)

    def map_unordered(self, jobs: Iterable[Job]) -> Iterator[tuple[Job, SubmissionOutcome | BaseException]]:
        jobs = iter(jobs)
        attempts: dict[tuple[str, str], int] = {}
        while True:
            for index, worker in enumerate(self.slots):
                if worker is None or worker.job is None:
                    if (job := next(jobs, None)) is None:
                        break
                    if worker is None:
                        worker = self.slots[index] = self._start()
                    worker.run(job)
            busy = [worker for worker in self.slots if worker is not None and worker.job is not None]
            if not busy:
                return
            ready = set(wait([worker.connection for worker in busy] +
                             [worker.process.sentinel for worker in busy]))
            for worker in busy:
                if worker.connection not in ready and worker.process.sentinel not in ready:
                    continue
                try:
                    message = worker.connection.recv()  # sent before the process ended, if it did
                except EOFError:  # the process died running its job: that job alone is charged
                    job, index = worker.job, self.slots.index(worker)
                    self.slots[index] = None
                    worker.stop(kill=True)
                    key = (job.assignment, job.student)
                    attempts[key] = attempts.get(key, 0) + 1
                    if attempts[key] < ATTEMPTS:
                        self.slots[index] = self._start()
                        self.slots[index].run(job)
                    else:
                        yield job, TaskLost("its grading process died twice")
                    continue
                if worker.ready:
                    job, worker.job = worker.job, None
                    yield job, message
                else:  # it is warmed up: now it can read its job
                    worker.ready = True
                    worker.send()

    def close(self, interrupted: bool = False) -> None:
        """Stop every process: at once if ``interrupted``, else once its job is done."""
        for index, worker in enumerate(self.slots):
            if worker is not None:
                worker.stop(kill=interrupted)
                self.slots[index] = None


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
