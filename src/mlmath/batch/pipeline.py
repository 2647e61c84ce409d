"""Autograding one submission as ``nbgrader autograde`` would, without the gradebook.

This is what a grading worker runs.  It takes the submission's notebooks as
bytes (so a worker needs no access to ``submitted/``) and returns plain data:
each autograded notebook's text, the auto score of every grade cell, the
auto comment of every solution cell and the engine's report.  Writing the
gradebook and ``autograded/`` is the coordinator's job.

The notebook goes through nbgrader's own preprocessors, configured by the
course's ``nbgrader_config.py``, in nbgrader's order — sanitizing, then
autograding with :class:`~mlmath.nbgrader_bridge.preprocessor.GradeInSandbox`
— except that the steps reading the gradebook read a snapshot of it, and the
steps writing it (``SaveAutoGrades``, ``AssignLatePenalties``) are left to the
coordinator, which applies the same rules.  A notebook that cannot be read or
does not belong to the assignment is replaced by the release notebook with
every exercise at 0 and the reason in its test cells, so the learner's
feedback says what happened.
"""

from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import nbformat
from nbgrader import utils

from mlmath.batch.snapshot import AssignmentSnapshot
from mlmath.batch.steps import autograde_steps, nbgrader_config
from mlmath.course import load_course
from mlmath.grading.grade import reference_solutions
from mlmath.grading.runner import load_checks
from mlmath.sandbox.protocol import first_line
from mlmath.sandbox.session import SandboxUnavailable, start_zygote


@dataclass(frozen=True)
class Job:
    """One submission to grade; everything a worker needs besides the course files."""

    course_root: str
    assignment: str
    student: str
    notebooks: dict[str, bytes | None]   # notebook name (no .ipynb) -> its bytes, None if missing
    other_files: tuple[str, ...]         # other files in the folder, for the "missing" message
    snapshot: AssignmentSnapshot
    fingerprint: str                     # of the coordinator's graders and solutions
    secret: str                          # the course's seed secret (mlmath.grading.seeds)


@dataclass
class NotebookOutcome:
    name: str
    text: str | None                     # the autograded notebook (None: no release to fall back on)
    grades: dict[str, float | None]      # grade cell -> auto score
    comments: dict[str, str | None]      # solution / task cell -> auto comment
    report: dict | None = None           # GradeReport.to_json(), None if not graded
    reason: str = ""                     # why it could not be graded
    faults: list[str] = field(default_factory=list)


@dataclass
class SubmissionOutcome:
    assignment: str
    student: str
    notebooks: list[NotebookOutcome]
    seconds: float

    @property
    def failed(self) -> bool:
        return any(nb.reason for nb in self.notebooks)

    @property
    def reason(self) -> str:
        return "; ".join(nb.reason for nb in self.notebooks if nb.reason)


class Ungradeable(Exception):
    """The notebook cannot be graded at all; the message says why, for the learner."""


def local_root(root: str) -> str:
    """Where the course files are on this machine: the coordinator's path, unless a
    cluster worker's ``MLMATH_COURSE_ROOT`` says otherwise."""
    return os.environ.get("MLMATH_COURSE_ROOT") or root


def course_root(job: Job) -> str:
    return local_root(job.course_root)


def course_fingerprint(root: str, assignment_id: str) -> str:
    """A digest of what decides a grade: the course configuration, the assignment's
    hidden graders and its reference solutions.  A cluster worker whose files differ
    from the coordinator's refuses to grade rather than grade differently."""
    course = load_course(Path(root))
    assignment = course.assignment(assignment_id)
    files = [course.root / "course_config.py", course.source_dir / assignment.id / assignment.notebook,
             *sorted((course.graders_dir / assignment.id).glob("*.py"))]
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


class CourseMismatch(RuntimeError):
    """This worker's course files are not the coordinator's."""


@lru_cache(maxsize=8)
def warm_up(root: str, assignment_id: str) -> None:
    """Do once per worker process what every submission needs: import the graders,
    run the reference solutions, read the course's nbgrader configuration."""
    root = local_root(root)
    course = load_course(Path(root))
    assignment = course.assignment(assignment_id)
    load_checks(course.graders_dir / assignment.id)
    reference_solutions(course, assignment)
    nbgrader_config(root)


def start_sandbox(root: str, assignment_id: str) -> None:
    """Start this process's sandbox for the course before its first submission
    (:func:`~mlmath.sandbox.session.start_zygote`)."""
    start_zygote(load_course(Path(local_root(root))).limits)


def _belongs(nb, job: Job, name: str) -> None:
    snapshot = job.snapshot.notebooks[name]
    graded = set(snapshot.grade_cells) | set(snapshot.task_cells) | set(snapshot.solution_cells)
    ids = {cell.metadata.get("nbgrader", {}).get("grade_id") for cell in nb.cells
           if utils.is_grade(cell) or utils.is_solution(cell) or utils.is_task(cell)}
    if graded and not ids & graded:
        raise Ungradeable(f"none of the graded cells of {name}.ipynb belong to {job.assignment} "
                          "(is it another assignment's notebook?)")


def _read(data: bytes, name: str):
    try:
        return nbformat.reads(data.decode("utf-8"), as_version=4)
    except UnicodeDecodeError:
        raise Ungradeable(f"{name}.ipynb is not UTF-8 text") from None
    except Exception as error:  # nbformat raises a zoo of JSON and schema errors
        detail = str(error).splitlines()[0][:200] if str(error) else type(error).__name__
        raise Ungradeable(f"{name}.ipynb is not a readable notebook ({detail})") from None


def _text(nb) -> str:
    """The notebook's JSON text, as ``nbformat.writes`` gives it without validating it again
    (about a fifth of a worker's time per submission; nbformat only logs what it finds).  Its
    other side effect, giving cells missing or repeated ids fresh ones, happened when the
    notebook was read, and the cells a step restores get fresh ids of their own."""
    return nbformat.v4.writes(nb)


def _scores(nb) -> tuple[dict, dict]:
    """The grade and comment rows nbgrader's SaveAutoGrades would write."""
    grades, comments = {}, {}
    for cell in nb.cells:
        if utils.is_grade(cell):
            grades[cell.metadata.nbgrader["grade_id"]] = utils.determine_grade(cell)[0]
        if utils.is_solution(cell) or utils.is_task(cell):
            unchanged = (cell.metadata.nbgrader.get("checksum") == utils.compute_checksum(cell)
                         and not utils.is_task(cell))
            comments[cell.metadata.nbgrader["grade_id"]] = "No response." if unchanged else None
    return grades, comments


def _run(nb, job: Job, name: str, ungradeable: str = "") -> tuple:
    resources = {"nbgrader": {"notebook": name, "assignment": job.assignment,
                              "student": job.student, "db_url": ""},
                 "mlmath": {"course_root": course_root(job), "ungradeable": ungradeable,
                            "secret": job.secret}}
    for step in autograde_steps(nbgrader_config(course_root(job)), job.snapshot):
        nb, resources = step(nb, resources)
    return nb, resources["mlmath"]


def _fallback(job: Job, name: str, reason: str) -> NotebookOutcome:
    """The release notebook with every exercise at 0 and ``reason`` in its test cells."""
    release = Path(course_root(job)) / "release" / job.assignment / f"{name}.ipynb"
    if not release.exists():
        snapshot = job.snapshot.notebooks[name]
        return NotebookOutcome(name, None, {cell: 0.0 for cell in snapshot.grade_cells},
                               {cell: "No response." for cell in snapshot.solution_cells}, None, reason)
    nb, _ = _run(nbformat.read(release, as_version=4), job, name, ungradeable=reason)
    grades, comments = _scores(nb)
    return NotebookOutcome(name, _text(nb), grades, comments, None, reason)


def autograde_notebook(job: Job, name: str) -> NotebookOutcome:
    data = job.notebooks.get(name)
    try:
        if data is None:
            found = ", ".join(first_line(f, 80) for f in job.other_files[:5]) or "nothing"
            found += ", ..." if len(job.other_files) > 5 else ""
            raise Ungradeable(f"no notebook named {name}.ipynb was submitted (found: {found})")
        nb = _read(data, name)
        _belongs(nb, job, name)
        nb, mlmath = _run(nb, job, name)
        grades, comments = _scores(nb)
    except Ungradeable as error:
        return _fallback(job, name, str(error))
    except SandboxUnavailable:   # this host cannot grade: the submission is retried, not scored
        raise
    except Exception as error:  # a notebook nbgrader's steps (or the scoring) reject, e.g. bad metadata
        detail = first_line(f"{type(error).__name__}: {error}")
        return _fallback(job, name, f"{name}.ipynb could not be processed ({detail})")
    report = mlmath["report"]
    return NotebookOutcome(name, _text(nb), grades, comments,
                           report.to_json() if report else None, mlmath["reason"],
                           report.faults if report else [])


def grade_submission(job: Job) -> SubmissionOutcome:
    """Grade every notebook of one submission (what a worker runs for each task)."""
    start = time.monotonic()
    if course_fingerprint(course_root(job), job.assignment) != job.fingerprint:
        raise CourseMismatch(f"the course files under {course_root(job)} (graders, solutions, "
                             "course_config.py) differ from the coordinator's; update this worker")
    notebooks = [autograde_notebook(job, name) for name in job.snapshot.notebooks]
    return SubmissionOutcome(job.assignment, job.student, notebooks, time.monotonic() - start)
