"""Hidden inputs stay hidden: nothing a learner function says about what it was called with
reaches a check message, and the inputs cannot be predicted from the checks' names."""

import json
import stat
import subprocess
import textwrap

import numpy as np
import pytest

from mlmath.grading.seeds import SECRET_FILE, SECRET_VARIABLE, check_seed, course_secret
from tests.engine.test_tampering import WRONG_SOFTMAX, _grade_with_softmax_cell
from tests.support import ROOT

SENTINEL = "LEAKED"

SPEAKING = {
    # the exception message carries the arguments, and the worker's own cap is lifted first
    "message-with-the-arguments": """
        import sys
        sys.modules["__main__"]._TEXT_LIMIT = 10**9
        def softmax(x, axis=-1):
            raise ValueError("LEAKED " + repr(np.asarray(x).tolist()) * 1000)
    """,
    # a class of its own whose name carries the data
    "class-name-with-the-arguments": """
        def softmax(x, axis=-1):
            raise type("LEAKED" + str(abs(hash(np.asarray(x).tobytes()))), (ValueError,), {})()
    """,
    # a warning that says it all, then a wrong answer
    "warning-with-the-arguments": """
        import warnings
        def softmax(x, axis=-1):
            warnings.warn("LEAKED " + repr(np.asarray(x).tolist()), RuntimeWarning)
            x = np.asarray(x, dtype=float)
            return np.exp(x) / np.exp(x).sum(axis=axis, keepdims=True)
    """,
}


def _messages(report) -> list[str]:
    texts = [check.message for result in report.exercises.values() for check in result.checks]
    return texts + report.faults


def test_no_check_message_repeats_what_a_learner_function_said():
    for case, source in SPEAKING.items():
        report = _grade_with_softmax_cell(textwrap.dedent(source))
        assert report.exercises["softmax"].score < report.exercises["softmax"].max, case
        leaked = [m for m in _messages(report) if SENTINEL in m]
        assert leaked == [], case
        assert max(len(m) for m in _messages(report)) <= 1000, case


def test_a_call_that_raises_is_located_by_its_class_and_line():
    source = "def softmax(x, axis=-1):\n    x = np.asarray(x)\n    raise KeyError('LEAKED')\n"
    report = _grade_with_softmax_cell(source)
    messages = [c.message for c in report.exercises["softmax"].checks if not c.passed]
    assert messages and all("raised KeyError at line 3 of answer_softmax" in m for m in messages)


def test_what_an_answer_cell_raised_is_shown_cut_to_one_line():
    """Cells run before any hidden input exists: their messages are shown, bounded."""
    source = ("import sys\nsys.modules['__main__']._TEXT_LIMIT = 10**9\n"
              "raise RuntimeError('first line ' + 'x' * 10**6 + '\\nsecond')\n" + WRONG_SOFTMAX)
    report = _grade_with_softmax_cell(source)
    messages = [c.message for c in report.exercises["softmax"].checks]
    assert all("raised RuntimeError: first line" in m and len(m) <= 1000 for m in messages)
    assert not any("second" in m for m in messages)


def test_seeds_mix_the_course_secret_into_the_check_id():
    one, other = "a" * 64, "b" * 64
    assert check_seed(one, "test_softmax.py::test_x") == check_seed(one, "test_softmax.py::test_x")
    assert check_seed(one, "test_softmax.py::test_x") != check_seed(other, "test_softmax.py::test_x")
    assert check_seed(one, "test_softmax.py::test_x") != check_seed(one, "test_softmax.py::test_y")
    draws = {np.random.default_rng(check_seed(s, "id")).normal() for s in (one, other)}
    assert len(draws) == 2


def test_the_secret_is_made_once_private_and_kept_out_of_git_and_the_release(tmp_path, monkeypatch):
    monkeypatch.delenv(SECRET_VARIABLE)
    secret = course_secret(tmp_path)
    assert len(secret) == 64 and course_secret(tmp_path) == secret
    assert stat.S_IMODE((tmp_path / SECRET_FILE).stat().st_mode) == 0o600
    course_secret(ROOT)
    ignored = subprocess.run(["git", "check-ignore", "-q", str(ROOT / SECRET_FILE)], cwd=ROOT)
    assert ignored.returncode == 0
    assert not list((ROOT / "release").rglob("secret"))


def test_a_secret_in_the_environment_replaces_the_file_and_must_be_one(tmp_path, monkeypatch):
    monkeypatch.setenv(SECRET_VARIABLE, "c" * 64)
    assert course_secret(tmp_path) == "c" * 64 and not (tmp_path / SECRET_FILE).exists()
    for wrong in ("c" * 63, "z" * 64, ""):
        monkeypatch.setenv(SECRET_VARIABLE, wrong)
        with pytest.raises(ValueError, match=SECRET_VARIABLE):
            course_secret(tmp_path)


def test_grades_follow_the_secret_not_the_check_name_alone():
    """The same notebook under two secrets: the hidden inputs differ, the grade of a correct
    answer does not."""
    from tests.support import course, grade, submission
    from mlmath.grading.grade import grade_cells
    from mlmath.notebook import runnable_cells

    assignment = course().assignment("ch04_numerics")
    cells = runnable_cells(submission("ch04_numerics"))
    reports = [grade_cells(cells, course(), assignment, assignment.notebook, secret=s) for s in ("a" * 64, "b" * 64)]
    assert [r.score for r in reports] == [assignment.points] * 2
    assert json.dumps(reports[0].to_json()) == json.dumps(grade(submission("ch04_numerics"), "ch04_numerics").to_json())
