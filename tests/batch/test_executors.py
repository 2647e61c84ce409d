"""LocalExecutor: a grading process that dies costs an attempt to its own job only.

The tasks here stand in for ``grade_submission``: each logs "<student> <pid>" when it
starts, then does what its job says (return, raise, pause, sleep, or kill its own process).
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from mlmath.batch.executors import ATTEMPTS, LocalExecutor, TaskLost
from mlmath.grading.reuse import RESULTS
from mlmath.grading.results import CheckResult


@dataclass(frozen=True)
class FakeJob:
    """What the executor reads of a Job, and what the task below is to do."""

    assignment: str
    student: str
    folder: str
    action: str = "return"


class Stubborn(Exception):
    """An exception pickle cannot rebuild: its constructor wants two arguments."""

    def __init__(self, what: str, why: str):
        super().__init__(f"{what}: {why}")


def task(job: FakeJob) -> tuple[str, int]:
    with open(Path(job.folder) / "started", "a") as log:
        log.write(f"{job.student} {os.getpid()}\n")
    if job.action == "die":
        os.kill(os.getpid(), signal.SIGKILL)
    if job.action == "die once" and not (marker := Path(job.folder) / f"{job.student}.died").exists():
        marker.touch()
        os._exit(3)
    if job.action == "raise":
        raise ValueError(f"nothing to grade for {job.student}")
    if job.action == "raise stubborn":
        raise Stubborn(job.student, "no")
    if job.action == "pause":
        time.sleep(1)
    if job.action == "sleep":
        time.sleep(60)
    if job.action == "grade":  # as if it graded an exercise of its own: which ones does it know?
        deadline = time.monotonic() + 120   # both processes at work, however slow one is to start
        while len({pid for _, pid in started(Path(job.folder))}) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.1)
        RESULTS.put(f"graded for {job.student}", [CheckResult("x", True, 1.0, "ok")])
        return job.student, os.getpid(), {f"s{i}" for i in range(GRADED) if RESULTS.get(f"graded for s{i}")}
    return job.student, os.getpid()


GRADED = 12  # jobs in the test of results passed on


def no_warm_up(course_root: str, assignment: str) -> None:
    pass


def failed_warm_up(course_root: str, assignment: str) -> None:
    raise FileNotFoundError(f"{course_root}/graders/{assignment}")


def logged_prepare(course_root: str, assignment: str) -> None:
    with open(Path(course_root) / "prepared", "a") as log:
        log.write(f"{os.getpid()}\n")


def failed_prepare(course_root: str, assignment: str) -> None:
    raise OSError("no sandbox on this machine")


def started(folder: Path) -> list[tuple[str, int]]:
    """(student, pid) of every task started, in order."""
    log = folder / "started"
    lines = log.read_text().splitlines() if log.exists() else []
    return [(student, int(pid)) for student, pid in (line.rsplit(" ", 1) for line in lines)]


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def no_process_left(folder: Path) -> bool:
    return not multiprocessing.active_children() and not [pid for _, pid in started(folder) if alive(pid)]


@pytest.fixture(params=["forked", "spawned"])
def run(tmp_path, request):
    """``run(actions, workers)``: the outcome of each of a batch of jobs doing ``actions``, by
    student, with the processes forked from a warmed-up coordinator first, then spawned each on
    its own; checking on the way that jobs are read only as processes become free, and that
    no process outlives ``close()``."""
    def run(actions: list[str], workers: int = 2, warm_up=no_warm_up, prepare=no_warm_up) -> dict[str, object]:
        pulled = 0

        def jobs():
            nonlocal pulled
            for i, action in enumerate(actions):
                pulled += 1
                yield FakeJob("ch04", f"s{i}", str(tmp_path), action)

        executor = LocalExecutor(workers, str(tmp_path), "ch04", task=task, warm_up=warm_up, prepare=prepare)
        if request.param == "forked":
            executor.start_workers(len(actions))
        outcomes = {}
        try:
            for job, outcome in executor.map_unordered(jobs()):
                outcomes[job.student] = outcome
                assert pulled - len(outcomes) <= workers  # the jobs in flight: one per process at most
        finally:
            executor.close()
        assert sorted(outcomes) == sorted(f"s{i}" for i in range(len(actions)))
        assert no_process_left(tmp_path)
        return outcomes
    return run


def test_a_process_that_dies_every_time_costs_its_own_job_only(run, tmp_path):
    outcomes = run(["pause", "die", "return", "return", "return", "return"])  # s0 runs while s1 dies
    assert isinstance(outcomes["s1"], TaskLost)
    assert str(outcomes["s1"]) == "its grading process died twice"
    for student in ("s0", "s2", "s3", "s4", "s5"):
        assert outcomes[student][0] == student
    runs = [student for student, _ in started(tmp_path)]
    assert runs.count("s1") == ATTEMPTS
    assert sorted(student for student in runs if student != "s1") == ["s0", "s2", "s3", "s4", "s5"]
    # the two processes started first, plus one fresh process per death at most
    assert len({pid for _, pid in started(tmp_path)}) <= 2 + ATTEMPTS


def test_a_process_that_dies_once_is_replaced_and_the_job_graded(run, tmp_path):
    outcomes = run(["return", "die once", "return"])
    assert outcomes["s1"][0] == "s1"
    (_, died), (_, graded) = [(s, pid) for s, pid in started(tmp_path) if s == "s1"]
    assert died != graded == outcomes["s1"][1]


def test_an_exception_is_the_outcome_of_its_job_only(run, tmp_path):
    outcomes = run(["raise", "return", "raise stubborn", "return", "return"], workers=1)
    assert isinstance(outcomes["s0"], ValueError) and str(outcomes["s0"]) == "nothing to grade for s0"
    assert isinstance(outcomes["s2"], RuntimeError) and str(outcomes["s2"]) == "Stubborn: s2: no"
    assert [outcomes[s][0] for s in ("s1", "s3", "s4")] == ["s1", "s3", "s4"]
    assert len({pid for _, pid in started(tmp_path)}) == 1  # the one process served them all


def test_each_process_prepares_before_its_first_job_and_a_failed_preparation_costs_nothing(run, tmp_path):
    outcomes = run(["return"] * 4, prepare=logged_prepare)
    assert all(outcome[0] == student for student, outcome in outcomes.items())
    prepared = [int(pid) for pid in (tmp_path / "prepared").read_text().split()]
    assert {pid for _, pid in started(tmp_path)} <= set(prepared) and len(prepared) == len(set(prepared)) <= 2
    assert all(outcome[0] == student for student, outcome in run(["return"] * 2, prepare=failed_prepare).items())


def test_a_failed_warm_up_is_every_jobs_outcome(run, tmp_path):
    outcomes = run(["return"] * 3, workers=1, warm_up=failed_warm_up)
    assert all(isinstance(outcome, FileNotFoundError) and str(outcome) == f"{tmp_path}/graders/ch04"
               for outcome in outcomes.values())
    assert started(tmp_path) == []


@pytest.mark.parametrize("forked", [True, False])
def test_what_one_process_graded_reaches_the_others_with_their_next_job(tmp_path, forked):
    """Each job knows the results of every job whose outcome came back before it was handed out."""
    came_back: list[str] = []
    before: dict[str, set[str]] = {}

    def jobs():
        for i in range(GRADED):
            before[f"s{i}"] = set(came_back)
            yield FakeJob("ch04", f"s{i}", str(tmp_path), "grade")

    executor = LocalExecutor(2, "/course", "ch04", task=task, warm_up=no_warm_up, prepare=no_warm_up)
    if forked:
        executor.start_workers(GRADED)
    known = {}
    try:
        for job, (student, pid, knows) in executor.map_unordered(jobs()):
            came_back.append(student)
            known[student] = knows
    finally:
        executor.close()
    assert all(before[student] | {student} <= known[student] for student in known)
    assert len({pid for _, pid in started(tmp_path)}) == 2
    assert any(before[student] - own for student, own in _by_process(tmp_path).items())


def _by_process(folder: Path) -> dict[str, set[str]]:
    """student -> the students whose jobs ran in the same process."""
    runs = started(folder)
    return {student: {other for other, their in runs if their == pid} for student, pid in runs}


def test_an_interrupted_close_stops_a_running_task_at_once(tmp_path):
    """Ctrl-C while a task runs: the coordinator's wait is interrupted, then close(interrupted=True)."""
    def interrupt_once_slow_runs():
        deadline = time.monotonic() + 120  # not reached unless it never runs
        while "slow" not in dict(started(tmp_path)) and time.monotonic() < deadline:
            time.sleep(0.05)
        os.kill(os.getpid(), signal.SIGINT)

    executor = LocalExecutor(1, "/course", "ch04", task=task, warm_up=no_warm_up, prepare=no_warm_up)
    # as in a terminal, whatever an earlier test in this process did to SIGINT
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    threading.Thread(target=interrupt_once_slow_runs, daemon=True).start()
    try:
        with pytest.raises(KeyboardInterrupt):
            list(executor.map_unordered([FakeJob("ch04", "slow", str(tmp_path), "sleep")]))
    finally:
        signal.signal(signal.SIGINT, previous)
        start = time.monotonic()
        executor.close(interrupted=True)
    assert time.monotonic() - start < 5
    assert "slow" in dict(started(tmp_path))
    assert no_process_left(tmp_path)


def counted_warm_up(course_root: str, assignment: str) -> None:
    with open(Path(course_root) / "warmed", "a") as log:
        log.write("warm\n")


def test_nothing_to_grade_warms_up_nothing_and_starts_no_process(tmp_path):
    executor = LocalExecutor(2, str(tmp_path), "ch04", task=task, warm_up=counted_warm_up, prepare=counted_warm_up)
    executor.start_workers(0)
    assert list(executor.map_unordered([])) == []
    executor.close()
    assert not (tmp_path / "warmed").exists()
    assert not multiprocessing.active_children()
