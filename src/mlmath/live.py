"""`check("softmax", public_checks)`: grading an exercise from inside its notebook.

A check cell grades what the learner *last ran* — the newest executed cell that
defines each function of the assignment, taken from IPython's input history, so
the notebook need not be saved — and shows the result in the cell.

* Where the course repository is present (its ``course_config.py`` and
  ``graders/``), the exercise is graded by the hidden graders with the same
  engine and sandbox as ``mlmath check``, by the course's warm grader
  (:mod:`mlmath.grading.service`, started by the first check and shared with
  ``mlmath check``), so the kernel stays clean and later checks start warm.
* Elsewhere — a class copy of ``release/`` — only the notebook's public checks
  run, and the result says so.
* Under ``nbgrader validate`` only the public checks run.

The public checks always run in the kernel first.  When they fail (or the
answer is not written yet) the cell ends in a one-line error rather than a
traceback, so that nbgrader's Validate, and "Run All", see the failure.
"""

from __future__ import annotations

import ast
import html
import json
import os
import subprocess
import sys
import tempfile
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from mlmath.render import checks_html, checks_text, points

HIDDEN = "hidden graders"
PUBLIC = "public checks only"


class CheckFailed(Exception):
    """Ends a check cell whose public checks failed: one line, no traceback."""

    def _render_traceback_(self):  # IPython shows this instead of a traceback
        return [f"\x1b[31m{self}\x1b[0m"]


@dataclass
class PublicOutcome:
    passed: bool
    not_implemented: bool = False
    message: str = ""


@dataclass
class LiveResult:
    exercise: str
    source: str                      # HIDDEN or PUBLIC
    public: PublicOutcome
    score: float | None = None
    max: float | None = None
    checks: list[dict] = field(default_factory=list)
    note: str = ""

    @property
    def headline(self) -> str:
        if self.public.not_implemented and not self.checks:
            return f"{self.exercise}: not implemented yet"
        if self.score is None:
            verdict = "public checks passed" if self.public.passed else "public checks failed"
            return f"{self.exercise}: {verdict} ({PUBLIC})"
        return f"{self.exercise}: {points(self.score)} / {points(self.max)} ({self.source})"

    def _rows(self):
        rows = [("public checks", self.public.passed,
                 "not implemented yet" if self.public.not_implemented else self.public.message)]
        return rows + [(c["name"], c["passed"], c["message"], c.get("fix", "")) for c in self.checks]

    def __repr__(self) -> str:
        return checks_text(self.headline, self._rows(), self.note)

    def _repr_pretty_(self, printer, cycle):
        printer.text(repr(self))

    def _repr_html_(self) -> str:
        return checks_html(self.headline, self._rows(), self.note,
                           attributes=f"data-exercise='{html.escape(self.exercise)}'")


def run_public_checks(public_checks) -> PublicOutcome:
    if public_checks is None:
        return PublicOutcome(True, message="none")
    try:
        # the outcome says what is wrong: NumPy's own overflow warnings would only print above it
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            public_checks()
    except NotImplementedError:
        return PublicOutcome(False, not_implemented=True)
    except AssertionError as error:
        return PublicOutcome(False, message=str(error) or "an assertion failed")
    except Exception as error:  # the learner's function raised: say what, not where
        return PublicOutcome(False, message=f"raised {type(error).__name__}: {error}")
    return PublicOutcome(True)


# -- what the learner last ran ----------------------------------------------------------
def _defines(source: str) -> set[str]:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    names = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names |= {a.asname or a.name.split(".")[0] for a in node.names}
    return names


def last_run_cells(history: list[str], functions_by_exercise: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """For each exercise, the newest executed input that defines one of its functions."""
    latest: dict[str, str] = {}
    for source in history:
        defined = _defines(source)
        for exercise, functions in functions_by_exercise.items():
            if defined & set(functions):
                latest[exercise] = source
    return latest


def _input_history() -> list[str]:
    try:
        from IPython import get_ipython
    except ImportError:
        return []
    shell = get_ipython()
    return [] if shell is None else [str(s) for s in shell.user_ns.get("In", [])]


# -- grading ------------------------------------------------------------------------------
def _course_and_assignment(exercise: str):
    """(course, assignment) when the hidden graders of this exercise are here, else None."""
    from mlmath.course import CourseError, find_root, load_course

    try:
        course = load_course(find_root())
    except CourseError:
        return None
    owners = [a for a in course.assignments if any(e.id == exercise for e in a.exercises)]
    if len(owners) != 1 or not (course.graders_dir / owners[0].id / f"test_{exercise}.py").is_file():
        return None
    return course, owners[0]


def _hidden_grade(course, assignment, exercise: str) -> dict:
    from mlmath import service_client
    from mlmath.notebook import read_notebook
    from mlmath.submissions import answer_cells, fill_answers, write_notebook

    release = read_notebook(course.release_dir / assignment.id / assignment.notebook)
    functions = {e.id: e.functions for e in assignment.exercises}
    answers = {eid: src for eid, src in last_run_cells(_input_history(), functions).items()
               if eid in answer_cells(release)}
    notebook = fill_answers(release, answers)
    with tempfile.TemporaryDirectory(prefix="mlmath-check-") as folder:
        path = write_notebook(notebook, Path(folder) / assignment.notebook)
        request = {"notebook": str(path), "assignment": assignment.id, "exercises": [exercise]}
        try:
            answer = service_client.ask(course.root, request, course.limits.submission_seconds + 60)
        except service_client.WarmGraderUnavailable:   # grade in a process of its own, not the kernel
            result = subprocess.run(
                [sys.executable, "-m", "mlmath.cli.main", "check", str(path), "--json",
                 "--assignment", assignment.id, "--exercise", exercise],
                capture_output=True, text=True, cwd=course.root, timeout=course.limits.submission_seconds + 60,
                env={**os.environ, "MLMATH_WARM_GRADER": "0"})
            if result.returncode != 0:
                raise RuntimeError(result.stderr.strip() or "mlmath check failed")
            return json.loads(result.stdout)["exercises"][exercise]
    if not answer["ok"]:
        raise RuntimeError(answer["error"])
    return answer["report"]["exercises"][exercise]


def grade_live(exercise: str, public_checks=None) -> LiveResult:
    public = run_public_checks(public_checks)
    located = None if os.environ.get("NBGRADER_VALIDATING") else _course_and_assignment(exercise)
    if public.not_implemented:
        return LiveResult(exercise, HIDDEN if located else PUBLIC, public)
    if located is None:
        note = ("the hidden graders are not in this copy of the course; your instructor's grading "
                "checks much more than these public checks")
        return LiveResult(exercise, PUBLIC, public, note=note)
    graded = _hidden_grade(*located, exercise)
    return LiveResult(exercise, HIDDEN, public, graded["score"], graded["max"], graded["checks"])


def check(exercise: str, public_checks=None) -> None:
    """Grade `exercise` as last run in this notebook and show the result in the cell."""
    result = grade_live(exercise, public_checks)
    try:
        from IPython.display import display
        display(result)
    except ImportError:
        print(repr(result))
    if result.public.not_implemented:
        raise CheckFailed(f"{exercise}: not implemented yet")
    if not result.public.passed:
        raise CheckFailed(f"{exercise}: a public check failed — {result.public.message}")
