"""An exercise graded once per process: the same cells under the same graders get the same
result without running again; anything that could change the result grades it afresh."""

import dataclasses
import os
import shutil

import pytest

from mlmath.course import load_course
from mlmath.grading.grade import grade_cells
from mlmath.grading.results import CheckResult
from mlmath.grading.reuse import VARIABLE, Results
from mlmath.notebook import runnable_cells
from mlmath.sandbox.session import Sandbox
from tests.pipeline.conftest import copy_course
from tests.support import submission

ASSIGNMENT = "ch04_numerics"
WRONG_SOFTMAX = "def softmax(x, axis=-1):\n    return np.zeros(np.shape(x))\n"


@pytest.fixture
def course(tmp_path):
    """A course of its own, so that no other test's gradings are there to reuse."""
    (tmp_path / "course").mkdir()
    return load_course(copy_course(tmp_path / "course"))


@pytest.fixture
def graded_exercises(monkeypatch):
    """The exercises a process was started for, in order."""
    started = []
    real = Sandbox.session

    def session(sandbox, cells, forbidden=()):
        started.append(cells)
        return real(sandbox, cells, forbidden)

    monkeypatch.setattr(Sandbox, "session", session)
    return started


def _grade(course, answers=None, secret=None):
    assignment = course.assignment(ASSIGNMENT)
    return grade_cells(runnable_cells(submission(ASSIGNMENT, answers)), course, assignment,
                       assignment.notebook, secret=secret)


def _scores(report):
    return {eid: (e.score, [dataclasses.astuple(c) for c in e.checks]) for eid, e in report.exercises.items()}


def test_the_same_notebook_again_is_not_run_again_and_gets_the_same_report(course, graded_exercises):
    first = _grade(course, {"softmax": WRONG_SOFTMAX})
    assert len(graded_exercises) == len(first.exercises)
    again = _grade(course, {"softmax": WRONG_SOFTMAX})
    assert len(graded_exercises) == len(first.exercises)
    assert _scores(again) == _scores(first) and again.faults == first.faults


def test_only_the_exercise_whose_cells_changed_is_graded_again(course, graded_exercises):
    _grade(course)
    graded_exercises.clear()
    report = _grade(course, {"softmax": WRONG_SOFTMAX})
    assert len(graded_exercises) == 1 and report.exercises["softmax"].score < report.exercises["softmax"].max
    assert all(e.score == e.max for eid, e in report.exercises.items() if eid != "softmax")


def test_another_secret_an_edited_grader_or_reuse_turned_off_grade_afresh(course, graded_exercises, monkeypatch):
    _grade(course)
    graded_exercises.clear()
    _grade(course, secret="e" * 64)
    assert len(graded_exercises) == 6
    grader = course.graders_dir / ASSIGNMENT / "test_softmax.py"
    stat = grader.stat()
    os.utime(grader, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    graded_exercises.clear()
    _grade(course)
    assert len(graded_exercises) == 1        # softmax's graders changed, not the others'
    monkeypatch.setenv(VARIABLE, "0")
    graded_exercises.clear()
    _grade(course)
    assert len(graded_exercises) == 6


def test_a_grading_that_lost_a_cell_is_not_kept(course, graded_exercises):
    fast = dataclasses.replace(course, limits=dataclasses.replace(course.limits, cell_seconds=1.0))
    hangs = "import time\nwhile True:\n    time.sleep(0.05)\n" + WRONG_SOFTMAX
    first = _grade(fast, {"softmax": hangs})
    assert any("did not finish in time" in fault for fault in first.faults)
    runs = len(graded_exercises)
    _grade(fast, {"softmax": hangs})
    assert len(graded_exercises) > runs


def test_after_a_lost_function_the_rest_of_the_submission_is_graded_afresh_and_not_kept(course, graded_exercises):
    """Later calls of a lost function fail at once: what a clean grading of the same cells found
    elsewhere is not that submission's result, nor is its result anyone else's."""
    _grade(course)
    dies = "import os\ndef softmax(x, axis=-1):\n    os._exit(3)\n"
    graded_exercises.clear()
    report = _grade(course, {"softmax": dies})
    assert any("softmax" in fault for fault in report.faults)
    after_softmax = list(report.exercises)[list(report.exercises).index("softmax"):]
    assert len(graded_exercises) == len(after_softmax) > 1
    graded_exercises.clear()
    _grade(course, {"softmax": dies})
    assert len(graded_exercises) == len(after_softmax)


def test_results_put_in_one_process_are_learned_by_another_once():
    check = (CheckResult("x", True, 1.0, "ok"),)
    grader, other = Results(), Results()
    grader.put("a", list(check))
    grader.put("b", list(check))
    passed_on = grader.take_new()
    assert [key for key, _ in passed_on] == ["a", "b"] and grader.take_new() == []
    other.learn(passed_on)
    assert other.get("a") == list(check) and other.get("b") == list(check)
    assert other.take_new() == []        # learned, not graded here: nothing to pass on again


def test_with_reuse_off_nothing_is_passed_on_or_learned(monkeypatch):
    monkeypatch.setenv(VARIABLE, "0")
    results = Results()
    results.put("a", [CheckResult("x", True, 1.0, "ok")])
    results.learn([("b", (CheckResult("x", True, 1.0, "ok"),))])
    assert results.take_new() == [] and results.get("b") is None


def test_the_results_kept_are_the_most_recently_used():
    results = Results(capacity=2)
    check = [CheckResult("x", True, 1.0, "ok")]
    results.put("a", check)
    results.put("b", check)
    assert results.get("a") == check     # a is now the most recent
    results.put("c", check)
    assert results.get("b") is None and results.get("a") == check and results.get("c") == check


def test_a_copy_of_the_course_elsewhere_shares_nothing(course, tmp_path, graded_exercises):
    _grade(course)
    other = load_course(shutil.copytree(course.root, tmp_path / "other"))
    graded_exercises.clear()
    _grade(other)
    assert len(graded_exercises) == 6
