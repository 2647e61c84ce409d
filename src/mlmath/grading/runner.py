"""Running the hidden graders of one assignment against one sandbox.

Grader files are pytest-style specs (``graders/<assignment>/test_<exercise>.py``,
one ``@check``-marked function per hidden check).  They are imported once per
process and each check is then called directly with its fixtures —
``student`` (the learner's functions, through the sandbox), ``reference`` (the
instructor's solutions), ``rng`` (a generator seeded from the check's id and the
course's secret, so a grade never depends on the run and the inputs cannot be
guessed from the check's name); hypothesis-driven checks draw their other
arguments themselves, from the same seed.  Starting a pytest session per submission cost more
than grading a typical notebook, which matters when a class is graded.
"""

from __future__ import annotations

import importlib.util
import inspect
import warnings
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import SimpleNamespace
from typing import Callable

import numpy as np
from hypothesis import HealthCheck, Phase, settings
from hypothesis import seed as hypothesis_seed

from mlmath.grading.proxy import FunctionLost, LearnerError, NotImplementedYet, StudentProxy
from mlmath.grading.results import CheckResult
from mlmath.grading.reuse import RESULTS, exercise_key
from mlmath.grading.seeds import check_seed
from mlmath.grading.shortcuts import from_scratch_failure
from mlmath.grading.spec import MARKER, Feedback
from mlmath.sandbox.session import Sandbox, SandboxUnavailable

settings.register_profile(
    "mlmath-grading",
    derandomize=True,            # the same submission always gets the same grade
    database=None,               # nothing written next to the graders
    deadline=None,               # time is limited by the sandbox, not by hypothesis
    max_examples=30,
    phases=[Phase.explicit, Phase.generate],  # no shrinking: examples are never shown
    report_multiple_bugs=False,
    suppress_health_check=list(HealthCheck),
)

FIXTURES = ("student", "reference", "rng")


class GraderError(Exception):
    """The graders themselves are broken (not the learner's fault)."""


@dataclass(frozen=True)
class HiddenCheck:
    exercise: str
    name: str          # the function's name without ``test_``
    id: str            # ``test_softmax.py::test_...``: seeds the check's rng
    weight: float
    message: str
    fix: str
    function: Callable
    fixtures: tuple[str, ...]


def exercise_of(path: Path) -> str:
    """``test_softmax.py`` holds the checks of exercise ``softmax``."""
    return path.stem[len("test_"):]


#: longest check message kept: what one check can write into records, feedback and report
MESSAGE_LIMIT = 1000


def cut(text: str) -> str:
    """``text`` cut to :data:`MESSAGE_LIMIT`."""
    return text if len(text) <= MESSAGE_LIMIT else text[:MESSAGE_LIMIT - 1] + "…"


def explain(message: str, error: BaseException | None) -> str:
    """The learner-facing text of a failed check, cut to :data:`MESSAGE_LIMIT`."""
    return cut(_explain(message, error))


def _explain(message: str, error: BaseException | None) -> str:
    if isinstance(error, NotImplementedYet):
        return "not implemented yet" + (f" ({error.why})" if error.why else "")
    if isinstance(error, FunctionLost):
        return f"{message} — {error}"
    if isinstance(error, LearnerError):
        return f"{message} — your {error.function} {error.raised}"
    if isinstance(error, Feedback) and error.detail:
        return f"{message} — {error.detail}"
    return message


def _import(path: Path):
    name = f"mlmath_graders.{path.parent.name}.{path.stem}"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except Exception as error:
        raise GraderError(f"cannot import {path}: {type(error).__name__}: {error}") from error
    return module


def _checks_in(path: Path) -> list[HiddenCheck]:
    checks = []
    for name, function in vars(_import(path)).items():
        if not (name.startswith("test_") and callable(function)):
            continue
        spec = getattr(function, MARKER, None)
        if spec is None:
            raise GraderError(f"{path.name}::{name} has no @check(weight, message)")
        fixtures = tuple(inspect.signature(function).parameters)
        unknown = set(fixtures) - set(FIXTURES)
        if unknown:
            raise GraderError(f"{path.name}::{name} asks for unknown fixtures {sorted(unknown)}")
        checks.append(HiddenCheck(exercise_of(path), name.removeprefix("test_"),
                                  f"{path.name}::{name}", spec.weight, spec.message, spec.fix, function,
                                  fixtures))
    return checks


@lru_cache(maxsize=None)
def _load(graders_dir: Path, stamp: tuple) -> dict[str, list[HiddenCheck]]:
    # hypothesis fixes a test's settings when ``@given`` decorates it, so the
    # profile must be loaded before the grader modules are imported
    settings.load_profile("mlmath-grading")
    return {exercise_of(path): _checks_in(path) for path in sorted(graders_dir.glob("test_*.py"))}


def _stamp(graders_dir: Path) -> tuple:
    """Which version of an assignment's grader files this is."""
    return tuple((path.name, stat.st_mtime_ns, stat.st_size)
                 for path in sorted(graders_dir.glob("test_*.py")) for stat in (path.stat(),))


def load_checks(graders_dir: Path) -> dict[str, list[HiddenCheck]]:
    """The hidden checks of an assignment by exercise, imported once per process
    (again only if a grader file changed)."""
    return _load(graders_dir, _stamp(graders_dir))


def _run_check(check: HiddenCheck, make_fixture: dict[str, Callable], seed: int) -> CheckResult:
    kwargs = {name: make_fixture[name](check) for name in check.fixtures}
    if hasattr(check.function, "hypothesis"):   # a @given check draws its examples from the seed too
        hypothesis_seed(seed)(check.function)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            check.function(**kwargs)
    except SandboxUnavailable:   # not the learner's doing: no score at all
        raise
    except Exception as error:  # a failed check, whatever the learner's function did
        # a function not written yet needs no fix
        fix = "" if isinstance(error, NotImplementedYet) else cut(check.fix)
        return CheckResult(check.name, False, check.weight, explain(check.message, error), fix)
    return CheckResult(check.name, True, check.weight, "ok")


@dataclass(frozen=True)
class Submission:
    """What the checks of one submission are run against: its sandbox, and for each exercise
    the cells its own process runs and the routines it must do without."""

    sandbox: Sandbox
    cells: dict[str, list[str]]            # exercise id -> the cells to run ("" for the others)
    forbidden: dict[str, tuple[str, ...]]  # exercise id -> its forbidden routines
    functions: dict[str, tuple[str, ...]]  # exercise id -> the functions the learner writes
    defined_in: dict[str, int]             # learner name -> index of the cell that binds it
    cell_names: list[str]                  # how messages name each cell
    secret: str                            # the course's, see mlmath.grading.seeds
    fingerprint: str = ""                  # what else decides a result: see mlmath.grading.reuse


def run_graders(graders_dir: Path, submission: Submission, exercises: dict[str, float],
                reference: SimpleNamespace, lost_functions: dict[str, FunctionLost]
                ) -> dict[str, list[CheckResult]]:
    """Run the checks of ``exercises`` (id -> seconds a call may take), each exercise against a
    process of its own; return their results by exercise.  An exercise whose code called one of
    its forbidden routines gets the one failed ``from_scratch`` check instead.
    ``lost_functions`` collects the learner functions that hung, crashed or broke the sandbox
    (later calls of those fail at once)."""
    stamp = _stamp(graders_dir)
    checks = _load(graders_dir, stamp)
    results: dict[str, list[CheckResult]] = {}
    for exercise, seconds in exercises.items():
        key = _reuse_key(submission, exercise, seconds, f"{graders_dir}\0{_own_file(stamp, exercise)}")
        if not lost_functions and (known := RESULTS.get(key)) is not None:
            results[exercise] = known  # (after a loss, grade afresh: its calls of the lost fail at once)
            continue
        cells_lost_before = len(submission.sandbox.lost_cells)  # the key holds those lost before
        with submission.sandbox.session(submission.cells[exercise], submission.forbidden[exercise]) as session:
            make_fixture = {  # fresh per check: the proxy records the calls one check made
                "student": lambda check: StudentProxy(session, submission.defined_in, lost_functions,
                                                      seconds, submission.cell_names),
                "reference": lambda check: reference,
                "rng": lambda check: np.random.default_rng(check_seed(submission.secret, check.id)),
            }
            results[exercise] = [_run_check(check, make_fixture, check_seed(submission.secret, check.id))
                                 for check in checks.get(exercise, [])]
        if session.shortcuts:
            results[exercise] = [from_scratch_failure(submission.functions[exercise], session.shortcuts)]
        if not lost_functions and len(submission.sandbox.lost_cells) == cells_lost_before:
            RESULTS.put(key, results[exercise])
    return results


def _own_file(stamp: tuple, exercise: str) -> tuple | None:
    """The version of ``exercise``'s own grader file: grader files are imported each on its own,
    so no other one decides its checks."""
    return next((entry for entry in stamp if entry[0] == f"test_{exercise}.py"), None)


def _reuse_key(submission: Submission, exercise: str, seconds: float, graders: str) -> str:
    """The key of :mod:`mlmath.grading.reuse`: the cells this exercise's process will run (those
    lost by an earlier exercise's process are skipped) and everything else its result follows."""
    lost = submission.sandbox.lost_cells
    cells = ["" if index in lost else source for index, source in enumerate(submission.cells[exercise])]
    return exercise_key(f"{submission.fingerprint}\0{graders}\0{submission.secret}", exercise,
                        seconds, cells, submission.forbidden[exercise], submission.functions[exercise],
                        submission.defined_in, submission.cell_names)
