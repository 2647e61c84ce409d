"""The course model, and loading the one file that configures it.

``course_config.py`` at the course root builds a :class:`Course` from these
dataclasses and names it ``COURSE``.  Everything else — the engine, the
nbgrader configuration, the tests — reads the course from here, so a point
value, a limit or a tolerance is written exactly once.
"""

from __future__ import annotations

import importlib.util
import os
from dataclasses import dataclass, field
from pathlib import Path

CONFIG_FILE = "course_config.py"
ROOT_ENV = "MLMATH_COURSE_ROOT"


class CourseError(Exception):
    """The course configuration is missing or inconsistent."""


@dataclass(frozen=True)
class Question:
    """A question to think through, answered in words in a manually graded markdown cell.

    Its cell's grade id is ``question_<exercise id>_<id>``; the model answer is the
    cell's solution region in ``source/``.  ``points`` are graded by hand in the
    formgrader; the default 0 keeps the autograded totals of the catalog as they are.
    """

    id: str
    points: float = 0.0


@dataclass(frozen=True)
class Exercise:
    """One exercise: an nbgrader test cell ``test_<id>`` worth ``points``.

    ``functions`` are the names the learner defines; ``forbidden`` are the
    "from scratch" shortcuts, as dotted names (``"numpy.linalg.norm"``), whole
    modules (``"torch"``) or ``"@"`` for the matrix-product operator.
    """

    id: str
    points: float
    functions: tuple[str, ...]
    forbidden: tuple[str, ...] = ()
    call_seconds: float | None = None   # this exercise's wall clock per call, if not the course's
    questions: tuple[Question, ...] = ()

    @property
    def grade_id(self) -> str:
        return f"test_{self.id}"

    def question_grade_id(self, question: Question) -> str:
        return f"question_{self.id}_{question.id}"


@dataclass(frozen=True)
class Assignment:
    id: str
    notebook: str
    exercises: tuple[Exercise, ...]

    @property
    def points(self) -> float:
        return sum(exercise.points for exercise in self.exercises)

    @property
    def question_points(self) -> dict[str, float]:
        """The points of every question's answer cell, by grade id (graded by hand, not in ``points``)."""
        return {exercise.question_grade_id(question): question.points
                for exercise in self.exercises for question in exercise.questions}

    def exercise(self, exercise_id: str) -> Exercise:
        for exercise in self.exercises:
            if exercise.id == exercise_id:
                return exercise
        raise CourseError(f"assignment {self.id} has no exercise {exercise_id!r}")


@dataclass(frozen=True)
class Limits:
    """What one submission may use inside the sandbox."""

    call_seconds: float = 10.0       # wall clock for one call of a learner function
    cell_seconds: float = 20.0       # wall clock for running one answer cell
    submission_seconds: float = 180.0  # wall clock for everything one submission runs
    memory_mb: int = 2048            # address space of the sandboxed process
    processes: int = 32              # processes and threads the learner's code may own
    file_size_mb: int = 64           # largest file it may write (in its private /tmp)
    open_files: int = 256
    tmp_mb: int = 64                 # size of the private /tmp (a tmpfs, so it is memory too)
    reply_mb: int = 64               # largest reply the trusted side reads from the sandbox
    reply_items: int = 2_000_000     # most elements (list items, dict entries...) in one reply
    startup_seconds: float = 30.0    # wall clock for a sandbox to start, before any learner code
    # the largest answer cell, in KiB, that is read: the trusted process parses and scans
    # every cell before any limit of the sandbox applies, so a larger one is neither
    # parsed, scanned nor run (no exercise needs more than a few KiB)
    answer_cell_kb: int = 256


@dataclass(frozen=True)
class Tolerances:
    rtol: float = 1e-7
    atol: float = 1e-10
    rtol_float32: float = 1e-5


@dataclass(frozen=True)
class Course:
    id: str
    assignments: tuple[Assignment, ...]
    gradebook_url: str = "sqlite:///gradebook.db"
    limits: Limits = field(default_factory=Limits)
    tolerances: Tolerances = field(default_factory=Tolerances)
    root: Path = Path(".")

    def assignment(self, assignment_id: str) -> Assignment:
        for assignment in self.assignments:
            if assignment.id == assignment_id:
                return assignment
        known = ", ".join(a.id for a in self.assignments)
        raise CourseError(f"unknown assignment {assignment_id!r} (the course has: {known})")

    def assignment_for_notebook(self, notebook: Path) -> Assignment:
        """The assignment a notebook belongs to: by its folder, else by its file name."""
        by_id = [a for a in self.assignments if a.id == notebook.parent.name]
        by_name = [a for a in self.assignments if a.notebook == notebook.name]
        for candidates in (by_id, by_name):
            if len(candidates) == 1:
                return candidates[0]
        raise CourseError(
            f"cannot tell which assignment {notebook.name} belongs to; "
            "pass --assignment (one of: " + ", ".join(a.id for a in self.assignments) + ")")

    @property
    def graders_dir(self) -> Path:
        return self.root / "graders"

    @property
    def source_dir(self) -> Path:
        return self.root / "source"

    @property
    def release_dir(self) -> Path:
        return self.root / "release"


def find_root(*hints: Path) -> Path:
    """The course root: $MLMATH_COURSE_ROOT, else the nearest folder holding
    ``course_config.py`` above the working directory, the hints, or this package."""
    if os.environ.get(ROOT_ENV):
        root = Path(os.environ[ROOT_ENV]).resolve()
        if not (root / CONFIG_FILE).is_file():
            raise CourseError(f"{ROOT_ENV}={root} has no {CONFIG_FILE}")
        return root
    starts = [Path.cwd(), *hints, Path(__file__)]
    for start in starts:
        for folder in [start.resolve(), *start.resolve().parents]:
            if (folder / CONFIG_FILE).is_file():
                return folder
    raise CourseError(f"no {CONFIG_FILE} found; run from the course folder or set {ROOT_ENV}")


_loaded: dict[Path, Course] = {}


def load_course(root: Path | None = None) -> Course:
    """Import ``course_config.py`` from ``root`` and return its ``COURSE``."""
    root = (root or find_root()).resolve()
    if root in _loaded:
        return _loaded[root]
    path = root / CONFIG_FILE
    spec = importlib.util.spec_from_file_location("course_config", path)
    if spec is None or not path.is_file():
        raise CourseError(f"no {CONFIG_FILE} in {root}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    course = getattr(module, "COURSE", None)
    if not isinstance(course, Course):
        raise CourseError(f"{path} must define COURSE = Course(...)")
    course = Course(**{**course.__dict__, "root": root})
    _validate(course)
    _loaded[root] = course
    return course


def _validate(course: Course) -> None:
    seen = set()
    for assignment in course.assignments:
        if assignment.id in seen:
            raise CourseError(f"assignment {assignment.id} is defined twice")
        seen.add(assignment.id)
        ids = [e.id for e in assignment.exercises]
        if len(ids) != len(set(ids)):
            raise CourseError(f"assignment {assignment.id} repeats an exercise id")
        for exercise in assignment.exercises:
            if exercise.points <= 0:
                raise CourseError(f"{assignment.id}/{exercise.id}: points must be positive")
            _validate_questions(f"{assignment.id}/{exercise.id}", exercise.questions)


def _validate_questions(where: str, questions: tuple[Question, ...]) -> None:
    for question in questions:
        if not isinstance(question, Question) or not str(question.id).isidentifier():
            raise CourseError(f"{where}: a question must be Question(id, points) with an identifier as id, "
                              f"not {question!r}")
        if question.points < 0:
            raise CourseError(f"{where}/{question.id}: points must not be negative")
    ids = [question.id for question in questions]
    if len(ids) != len(set(ids)):
        raise CourseError(f"{where} repeats a question id")
