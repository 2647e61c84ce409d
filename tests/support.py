"""Shared helpers of the test suite: the course, notebooks with chosen answers, grading them."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from mlmath.course import Course, load_course
from mlmath.grading.grade import grade_cells
from mlmath.grading.results import GradeReport
from mlmath.notebook import read_notebook, runnable_cells
from mlmath.submissions import fill_answers, reference_answers

ROOT = Path(__file__).resolve().parents[1]


@lru_cache(maxsize=None)
def course() -> Course:
    return load_course(ROOT)


def source_path(assignment_id: str) -> Path:
    return ROOT / "source" / assignment_id / course().assignment(assignment_id).notebook


def release_path(assignment_id: str) -> Path:
    return ROOT / "release" / assignment_id / course().assignment(assignment_id).notebook


@lru_cache(maxsize=None)
def _reference_answers(assignment_id: str) -> dict[str, str]:
    return reference_answers(read_notebook(source_path(assignment_id)))


@lru_cache(maxsize=None)
def _release(assignment_id: str) -> dict:
    return read_notebook(release_path(assignment_id))


def submission(assignment_id: str, answers: dict[str, str] | None = None,
               complete: bool = True) -> dict:
    """The release notebook with answers filled in: the reference ones (if ``complete``),
    overridden by ``answers`` (exercise id -> the whole answer cell's source)."""
    chosen = {**(_reference_answers(assignment_id) if complete else {}), **(answers or {})}
    return fill_answers(_release(assignment_id), chosen)


def grade(notebook: dict, assignment_id: str, exercises: set[str] | None = None) -> GradeReport:
    assignment = course().assignment(assignment_id)
    return grade_cells(runnable_cells(notebook), course(), assignment, assignment.notebook, exercises)


def warm_grader_pids(runtime_dir: Path) -> list[int]:
    """The warm graders (mlmath.grading.service) whose socket is under ``runtime_dir``."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and str(runtime_dir).encode() in (entry / "cmdline").read_bytes():
                found.append(int(entry.name))
        except OSError:
            pass
    return found
