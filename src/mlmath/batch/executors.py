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
from collections import deque
from itertools import islice
from multiprocessing.connection import wait
from typing import Callable, Iterable, Iterator

from mlmath.batch.pipeline import Job, SubmissionOutcome, grade_submission, start_sandbox, warm_up
from mlmath.grading.reuse import CAPACITY, RESULTS
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

    def __init__(self, context: multiprocessing.context.BaseContext, serve: Callable, args: tuple,
                 forked_beside: list["_Worker"] | None = None):
        """``forked_beside``: the processes already forked from the coordinator, when this one is
        forked too; it is given every coordinator end of a pipe it inherits, its own too, to close."""
        self.connection, theirs = context.Pipe()
        if forked_beside is not None:
            args = (*args, [*(worker.connection for worker in forked_beside), self.connection])
        self.process = context.Process(target=serve, args=(theirs, *args), daemon=True, name="mlmath-grader")
        self.process.start()
        theirs.close()  # only the process holds it now: its death is our end-of-file
        self.ready = False  # warmed up, as the process said
        self.job: Job | None = None
        self.learned: list = []  # what other processes graded, to pass on with the job
        self.results_seen = 0    # how many of the exchange's results were passed on to it

    def run(self, job: Job, learned: list) -> None:
        """Give the process ``job`` and ``learned``: now if it is warmed up, else once it says it is."""
        self.job, self.learned = job, learned
        if self.ready:
            self.send()

    def send(self) -> None:
        try:
            self.connection.send((self.job, self.learned))
        except BrokenPipeError:
            pass  # the process died: its sentinel fires and the job is charged

    def release(self) -> None:
        """No more jobs: the process reads end-of-file and ends while the others work."""
        self.connection.close()

    def stop(self, kill: bool) -> None:
        if kill:
            self.process.kill()
        self.connection.close()
        self.process.join()
        self.process.close()


class _Exchange:
    """The exercise results each process graded, passed on to the other processes with their
    next job (:meth:`~mlmath.grading.reuse.Results.learn`): the submissions of one class share
    much of their code, and a piece of it that one process graded need not be graded by another.
    The last :data:`~mlmath.grading.reuse.CAPACITY` results are kept."""

    def __init__(self):
        self.results: deque[tuple[_Worker, tuple]] = deque(maxlen=CAPACITY)
        self.count = 0  # results ever added

    def add(self, origin: _Worker, results: list) -> None:
        self.results.extend((origin, result) for result in results)
        self.count += len(results)

    def news_for(self, worker: _Worker) -> list:
        """The results added since ``worker`` was last given them, other than its own."""
        new = min(self.count - worker.results_seen, len(self.results))
        worker.results_seen = self.count
        return [result for origin, result in islice(self.results, len(self.results) - new, None)
                if origin is not worker]


def _serve(connection, task: Callable, warm_up: Callable, prepare: Callable, warm_args: tuple[str, str]) -> None:
    """A grading process: warm up, then run one job at a time until the coordinator hangs up.

    It says when it is warmed up, and only then is it sent a job: a job is larger
    than a pipe holds, so sending it earlier would hold up the coordinator until
    the process can read it.  A warm-up that fails is every job's outcome, rather
    than a death charged to each job in turn.
    """
    _serve_jobs(connection, task, _warmed_up(warm_up, warm_args), prepare, warm_args)


def _serve_forked(connection, task: Callable, broken: Exception | None, prepare: Callable,
                  warm_args: tuple[str, str], inherited: list) -> None:
    """A grading process forked from the warmed-up coordinator.  It first closes its copies of
    the coordinator's ends of the pipes (its own and the other processes'), so that each
    process's end-of-file still comes when the coordinator hangs up on it."""
    for other in inherited:
        other.close()
    _serve_jobs(connection, task, broken, prepare, warm_args)


def _warmed_up(warm_up: Callable, warm_args: tuple[str, str]) -> Exception | None:
    """Run ``warm_up``; what it raised (to be every job's outcome), or None."""
    try:
        warm_up(*warm_args)
    except Exception as error:  # noqa: BLE001 - told to the coordinator with each job
        return _portable(error)
    return None


def _serve_jobs(connection, task: Callable, broken: Exception | None, prepare: Callable,
                warm_args: tuple[str, str]) -> None:
    """Run one job at a time until the coordinator hangs up, keeping the sandbox's zygote from
    one job to the next (:func:`~mlmath.sandbox.session.warm_zygotes`).  Each job comes with the
    exercise results the other processes graded since the last, and each outcome goes back with
    the results graded for it (see :class:`_Exchange`)."""
    try:
        connection.send("ready")
        with warm_zygotes():
            if broken is None:
                _prepare(prepare, warm_args)
            while True:
                try:
                    job, learned = connection.recv()
                except EOFError:
                    return
                RESULTS.learn(learned)
                try:
                    outcome = task(job) if broken is None else broken
                except Exception as error:  # noqa: BLE001 - this submission's outcome; serve the next
                    outcome = _portable(error)
                connection.send((outcome, RESULTS.take_new()))
    except (KeyboardInterrupt, BrokenPipeError):
        pass  # Ctrl-C reaches the whole process group, or the coordinator is gone: it decides


def _prepare(prepare: Callable, warm_args: tuple[str, str]) -> None:
    """Run ``prepare`` (:func:`~mlmath.batch.pipeline.start_sandbox`) while the first job is on
    its way.  What fails here fails again in the first job, which reports it for its submission."""
    try:
        prepare(*warm_args)
    except Exception:  # noqa: BLE001, S110 - see above
        pass


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

    :meth:`start_workers` warms up once in this process — graders imported, the
    reference solutions run — and forks the processes from it, so that none of them
    imports or warms up again (≈ 1.5 s of CPU each).  That happens before the
    coordinator opens the gradebook: a fork made later would copy its connection.
    So a process that replaces one that died is started with ``spawn`` and warms up
    on its own, as is every process when :meth:`start_workers` was not called.
    Each process gets its jobs and returns their outcomes over a pipe of its own, so
    the coordinator knows which job a process that dies was running: that job alone
    is charged an attempt, and run again on a fresh process while it has attempts
    left; the other jobs go on.  What one process graded reaches the others with their
    next jobs (:class:`_Exchange`); tasks on a Dask cluster do not share it.

    Each process, once it has said it is ready, runs ``prepare`` while its first job is on
    the way: it starts the process's sandbox, which took ≈ 0.15 s of its first submission.

    ``task``, ``warm_up`` and ``prepare`` are for tests: top-level functions, as they are pickled.
    """

    def __init__(self, workers: int, course_root: str, assignment: str, *,
                 task: Callable[[Job], SubmissionOutcome] = grade_submission,
                 warm_up: Callable[[str, str], None] = warm_up,
                 prepare: Callable[[str, str], None] = start_sandbox):
        self.spawn = multiprocessing.get_context("spawn")
        self.task, self.warm_up, self.prepare = task, warm_up, prepare
        self.warm_args = (course_root, assignment)
        self.slots: list[_Worker | None] = [None] * workers  # None: no process yet, or no more
        self.exchange = _Exchange()

    def start_workers(self, jobs: int) -> None:
        """Warm up here and fork a process for each of the first ``jobs`` jobs (at most ``workers``)."""
        if jobs == 0:
            return
        broken = _warmed_up(self.warm_up, self.warm_args)
        fork = multiprocessing.get_context("fork")
        for index in range(min(jobs, len(self.slots))):
            self.slots[index] = _Worker(fork, _serve_forked, (self.task, broken, self.prepare, self.warm_args),
                                        self.slots[:index])

    def _start(self) -> _Worker:
        return _Worker(self.spawn, _serve, (self.task, self.warm_up, self.prepare, self.warm_args))

    def map_unordered(self, jobs: Iterable[Job]) -> Iterator[tuple[Job, SubmissionOutcome | BaseException]]:
        jobs = iter(jobs)
        attempts: dict[tuple[str, str], int] = {}
        for index in range(len(self.slots)):
            self._feed(index, jobs)
        while True:
            busy = [worker for worker in self.slots if worker is not None and worker.job is not None]
            if not busy:
                return
            ready = set(wait([worker.connection for worker in busy] +
                             [worker.process.sentinel for worker in busy]))
            for worker in busy:
                if worker.connection not in ready and worker.process.sentinel not in ready:
                    continue
                index = self.slots.index(worker)
                try:
                    message = worker.connection.recv()  # sent before the process ended, if it did
                except EOFError:  # the process died running its job: that job alone is charged
                    job = worker.job
                    self.slots[index] = None
                    worker.stop(kill=True)
                    key = (job.assignment, job.student)
                    attempts[key] = attempts.get(key, 0) + 1
                    if attempts[key] < ATTEMPTS:
                        worker = self.slots[index] = self._start()
                        worker.run(job, self.exchange.news_for(worker))
                    else:
                        self._feed(index, jobs)
                        yield job, TaskLost("its grading process died twice")
                    continue
                if not worker.ready:  # it is warmed up: now it can read its job
                    worker.ready = True
                    worker.send()
                    continue
                (outcome, graded), job, worker.job = message, worker.job, None
                self.exchange.add(worker, graded)
                self._feed(index, jobs)  # the process works on while the caller records this outcome
                yield job, outcome

    def _feed(self, index: int, jobs: Iterator[Job]) -> None:
        """Give the next job to the idle process in slot ``index`` (started if there is none);
        with no job left, let it end."""
        worker = self.slots[index]
        if worker is not None and worker.job is not None:
            return
        if (job := next(jobs, None)) is None:
            if worker is not None:
                worker.release()
            return
        if worker is None:
            worker = self.slots[index] = self._start()
        worker.run(job, self.exchange.news_for(worker))

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

    def start_workers(self, jobs: int) -> None:
        """Nothing to start: the cluster's workers are running, and warm up with their first task."""

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
