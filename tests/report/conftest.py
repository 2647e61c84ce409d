"""A class of fourteen, graded once per session by `mlmath autograde` into nbgrader's gradebook.

The class is the bundled example class (``complete``, ``blank``, ``mistakes``),
ten learners who each make a few of the mistakes in ``tests/implementations``
or leave answers unwritten, and ``broken``, whose notebook is not JSON.
"""

import shutil
import sys
import warnings
from pathlib import Path

import pytest
from nbgrader.api import Gradebook
from sqlalchemy import create_engine

from mlmath.batch.records import GradingRecord, grading_table, save_records
from mlmath.course import load_course
from mlmath.nbgrader_bridge.config import gradebook_url
from mlmath.notebook import read_notebook
from mlmath.report import write_report
from mlmath.report.data import gather
from mlmath.submissions import answer_cells, write_notebook
from tests.implementations.ch04_numerics import WRONG
from tests.pipeline.conftest import ASSIGNMENT, copy_course, run
from tests.support import release_path, submission

NBGRADER_ENV = {"TRAITLETS_APPLICATION_RAISE_CONFIG_FILE_ERROR": "1"}
MLMATH = [sys.executable, "-m", "mlmath.cli.main"]
BLANK = "<blank>"            # the answer cell as released
UNREADABLE = "broken"        # a student whose notebook neither nbgrader nor mlmath can read

#: learner -> {exercise: the name of a wrong implementation of it, or BLANK};
#: every other exercise is answered with the reference solution
LEARNERS = {
    "amara": {"softmax": "no_shift", "bce_logits": "sigmoid_then_log"},
    "bjorn": {"softmax": "no_shift", "log_softmax": "log_of_softmax", "grad_unscale": "divides_in_float16"},
    "chen": {"float_bits": "numpy_ints", "bce_logits": "sigmoid_then_log", "grad_unscale": BLANK},
    "dara": {"softmax": "global_max", "log_softmax": "naive_logsumexp", "bce_logits": "sum_instead_of_mean"},
    "emeka": {"bfloat16": "truncates", "log_softmax": BLANK, "bce_logits": BLANK, "grad_unscale": BLANK},
    "farah": {},
    "goran": {"bfloat16": "truncates", "log_softmax": "log_of_softmax", "bce_logits": "sigmoid_then_log"},
    "hana": {"float_bits": "unbiased_exponent", "softmax": "scipy_softmax_alias"},
    "ivan": {"softmax": "no_shift", "bfloat16": "ties_half_up", "grad_unscale": "checks_only_inf"},
    "jun": {"float_bits": "numpy_ints", "softmax": "ignores_axis", "log_softmax": "log_of_softmax"},
}


def wrong_implementation(exercise: str, name: str):
    return next(w for w in WRONG if w.exercise == exercise and w.name == name)


def learner_notebook(choices: dict[str, str]) -> dict:
    stubs = answer_cells(read_notebook(release_path(ASSIGNMENT)))
    answers = {exercise: "".join(stubs[exercise]["source"]) if choice == BLANK
               else wrong_implementation(exercise, choice).source
               for exercise, choice in choices.items()}
    return submission(ASSIGNMENT, answers)


def notebook_path(root: Path, student: str) -> Path:
    return root / "submitted" / student / ASSIGNMENT / load_course(root).assignment(ASSIGNMENT).notebook


def students(root: Path) -> list[str]:
    return sorted(p.name for p in (root / "submitted").iterdir())


def url(root: Path) -> str:
    course = load_course(root)
    return gradebook_url(course.gradebook_url, course.root)


@pytest.fixture(scope="session")
def report_class(tmp_path_factory) -> Path:
    """The course root of the graded class (a temporary copy of this course)."""
    root = copy_course(tmp_path_factory.mktemp("report-course"))
    run([*MLMATH, "example-class", ASSIGNMENT], root)
    for student, choices in LEARNERS.items():
        write_notebook(learner_notebook(choices), notebook_path(root, student))
    notebook_path(root, UNREADABLE).parent.mkdir(parents=True)
    notebook_path(root, UNREADABLE).write_text('{"cells": [')
    run(["nbgrader", "generate_assignment", ASSIGNMENT, "--force"], root, **NBGRADER_ENV)
    run([*MLMATH, "autograde", ASSIGNMENT, "--jobs", "2"], root, **NBGRADER_ENV)
    return root


@pytest.fixture
def gradebook_copy(report_class, tmp_path) -> str:
    """The URL of a copy of the class's gradebook, for a test that changes it."""
    copy = tmp_path / "gradebook.db"
    shutil.copy(report_class / "gradebook.db", copy)
    return f"sqlite:///{copy}"


# ------------------------------------------------------------------ learners' text that is markup

HOSTILE = "<script>document.title = 'escaped badly'</script>"
HOSTILE_STUDENT = "<script>alert('id')</script>"
HOSTILE_FAILED_STUDENT = "<img src=x onerror=alert(1)>"


@pytest.fixture
def hostile_page(report_class, gradebook_copy, tmp_path) -> Path:
    """The report of a copy of the class joined by a student whose id, check message and
    note are markup, and one whose notebook failed to grade for a reason that is."""
    with warnings.catch_warnings(), Gradebook(gradebook_copy) as gradebook:
        warnings.filterwarnings("ignore", module="nbgrader.api")   # its own, harmless SAWarnings
        gradebook.add_student(HOSTILE_STUDENT)
        gradebook.add_submission(ASSIGNMENT, HOSTILE_STUDENT)
    softmax = {"score": 0.0, "max": 4.0, "checks": [
        {"name": "stable_for_large_inputs", "passed": False, "weight": 1.0, "message": f"<marquee>{HOSTILE}</marquee>"}]}
    records = [GradingRecord(ASSIGNMENT, HOSTILE_STUDENT, "graded", "", 1.0, "2025-01-01T00:00:00+00:00",
                             {"softmax": softmax}, notes=[f"a cell hung: {HOSTILE}"]),
               GradingRecord(ASSIGNMENT, HOSTILE_FAILED_STUDENT, "failed", HOSTILE, 99.0,
                             "2025-01-01T00:00:00+00:00")]
    engine = create_engine(gradebook_copy)
    with engine.begin() as connection:
        connection.execute(grading_table.delete())      # only the hostile students have records:
        save_records(connection, records)               # their message is then the one shown
    engine.dispose()
    course = load_course(report_class)
    return write_report(gather(course, course.assignment(ASSIGNMENT), gradebook_copy), tmp_path / "hostile")
