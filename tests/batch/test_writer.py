"""The gradebook writer thread: the worker processes get their next jobs while a group is
written, and a gradebook that fails stops the batch with nothing unwritten published."""

from __future__ import annotations

import threading
import time

import pytest

from mlmath.batch import writer
from mlmath.batch.executors import LocalExecutor
from mlmath.batch.recorder import GradebookRecorder
from mlmath.batch.run import autograde
from mlmath.course import load_course
from tests.pipeline.conftest import ASSIGNMENT

STUDENTS = ["s0", "s1", "s2", "s3"]


def _grade(batch_course, on_result=lambda submission, outcome: None):
    return autograde(load_course(batch_course.root), ASSIGNMENT, lambda root, a: LocalExecutor(2, root, a),
                     on_result=on_result)


def _published(batch_course) -> list[str]:
    autograded = batch_course.root / "autograded"
    return sorted(d.name for d in autograded.iterdir() if (d / ASSIGNMENT).is_dir()) if autograded.exists() else []


@pytest.fixture
def one_per_group(batch_course, monkeypatch):
    for student in STUDENTS:
        batch_course.submit(student)
    monkeypatch.setattr(writer, "GROUP_SIZE", 1)
    return batch_course


def test_outcomes_keep_coming_back_while_a_group_is_written(one_per_group, monkeypatch):
    real = GradebookRecorder.record
    writing = {}

    def slow_first_write(recorder, group):
        if not writing:
            writing["from"] = time.monotonic()
            time.sleep(2.0)
            writing["to"] = time.monotonic()
        return real(recorder, group)

    monkeypatch.setattr(GradebookRecorder, "record", slow_first_write)
    came_back = []
    result = _grade(one_per_group, lambda submission, outcome: came_back.append(time.monotonic()))
    assert len(result.graded) == len(STUDENTS) and _published(one_per_group) == STUDENTS
    assert any(writing["from"] < moment < writing["to"] for moment in came_back[1:])
    assert one_per_group.scores().keys() == set(STUDENTS)


def test_a_gradebook_that_fails_stops_the_batch_and_publishes_nothing_unwritten(one_per_group, monkeypatch):
    real = GradebookRecorder.record
    writes = []

    def fail_second_write(recorder, group):
        writes.append(threading.current_thread().name)
        if len(writes) == 2:
            raise OSError("disk full")
        return real(recorder, group)

    monkeypatch.setattr(GradebookRecorder, "record", fail_second_write)
    with pytest.raises(OSError, match="disk full"):
        _grade(one_per_group)
    assert writes[0] == "mlmath-gradebook-writer"
    first = _published(one_per_group)
    assert len(first) == 1 and list(one_per_group.scores()) == first
    monkeypatch.setattr(GradebookRecorder, "record", real)
    again = _grade(one_per_group)
    assert sorted(s.student for s, _ in again.graded) == sorted(set(STUDENTS) - set(first))
    assert [s.student for s in again.skipped] == first and _published(one_per_group) == STUDENTS
    assert not list((one_per_group.root / "autograded").glob(f"*/.{ASSIGNMENT}.mlmath-*"))  # staging cleared
