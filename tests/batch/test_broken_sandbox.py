"""A sandbox that cannot start is an error of the run, never a grade: `mlmath check` exits 2,
`mlmath autograde` reports the submission as not graded (to retry), `nbgrader autograde` fails.

The course here gives the sandbox too little memory to import NumPy, so it dies before any
learner code runs — as a broken installation would (an interpreter the sandbox cannot see)."""

from __future__ import annotations

import sys

import pytest

from tests.batch.conftest import NOTEBOOK, BatchCourse, make_course
from tests.pipeline.conftest import ASSIGNMENT, run


@pytest.fixture(scope="module")
def broken(tmp_path_factory) -> BatchCourse:
    course = make_course(tmp_path_factory.mktemp("broken") / "course")
    config = course.root / "course_config.py"
    text = config.read_text()
    assert "memory_mb=2048" in text
    config.write_text(text.replace("memory_mb=2048", "memory_mb=24"))
    course.submit("alice")
    return course


def test_mlmath_check_exits_2_with_the_reason(broken):
    notebook = broken.root / "submitted" / "alice" / ASSIGNMENT / NOTEBOOK
    result = run([sys.executable, "-m", "mlmath.cli.main", "check", str(notebook)], broken.root, check=False)
    assert result.returncode == 2, result.stdout
    assert "sandbox could not start" in result.stderr and result.stdout == ""


def test_mlmath_autograde_grades_nobody_and_asks_for_a_retry(broken):
    result = broken.autograde("--jobs", "1", check=False)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "alice" in result.stdout and "sandbox could not start" in result.stdout
    assert broken.scores() == {}
    assert not (broken.root / "autograded" / "alice").exists()


def test_nbgrader_autograde_fails_instead_of_scoring(broken):
    result = run([sys.executable, "-m", "nbgrader", "autograde", ASSIGNMENT, "--force"], broken.root,
                 check=False)
    assert result.returncode != 0
    assert not any(score for student in broken.scores().values() for score in student.values())
