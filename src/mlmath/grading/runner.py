"""Running the hidden pytest graders of one assignment against one sandbox.

The graders run in this (trusted) process, under pytest, with a plugin that
provides their fixtures — ``student`` (the learner's functions, through the
sandbox), ``reference`` (the instructor's solutions), ``rng`` (a generator
seeded from the check's name, so a grade never depends on the run) — and turns
each test's outcome into a :class:`CheckResult` with its weight and message.
"""

from __future__ import annotations

import contextlib
import io
import zlib
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import HealthCheck, Phase, settings

from mlmath.grading.proxy import FunctionLost, LearnerError, NotImplementedYet, StudentProxy
from mlmath.grading.results import CheckResult
from mlmath.grading.spec import MARKER, Feedback
from mlmath.sandbox.session import SandboxSession

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


class GraderError(Exception):
    """The graders themselves are broken (not the learner's fault)."""


def exercise_of(path: Path) -> str:
    """``test_softmax.py`` holds the checks of exercise ``softmax``."""
    return path.stem[len("test_"):]


def grader_files(graders_dir: Path) -> dict[str, Path]:
    return {exercise_of(p): p for p in sorted(graders_dir.glob("test_*.py"))}


def explain(message: str, error: BaseException | None) -> str:
    """The learner-facing text of a failed check."""
    if isinstance(error, NotImplementedYet):
        return "not implemented yet" + (f" ({error.why})" if error.why else "")
    if isinstance(error, FunctionLost):
        return f"{message} — {error}"
    if isinstance(error, LearnerError):
        return f"{message} — your {error.function} raised {error.fault.type}: {error.fault.message}"
    if isinstance(error, Feedback) and error.detail:
        return f"{message} — {error.detail}"
    return message


class _GradingPlugin:
    def __init__(self, session: SandboxSession, defined_in: dict[str, int],
                 exercises: dict[str, float], reference: SimpleNamespace):
        self.session = session
        self.defined_in = defined_in
        self.exercises = exercises
        self.reference_namespace = reference
        self.lost_functions: dict[str, FunctionLost] = {}
        self.results: dict[str, list[CheckResult]] = {}
        self.problems: list[str] = []

    @pytest.fixture
    def student(self, request):
        seconds = self.exercises[exercise_of(Path(str(request.node.fspath)))]
        return StudentProxy(self.session, self.defined_in, self.lost_functions, seconds)

    @pytest.fixture
    def reference(self):
        return self.reference_namespace

    @pytest.fixture
    def rng(self, request):
        return np.random.default_rng(zlib.crc32(request.node.nodeid.encode()))

    def pytest_configure(self, config):
        config.addinivalue_line("markers", f"{MARKER}(weight, message): a hidden check")

    def pytest_collection_modifyitems(self, session, config, items):
        kept = []
        for item in items:
            if exercise_of(Path(str(item.fspath))) not in self.exercises:
                continue
            if item.get_closest_marker(MARKER) is None:
                self.problems.append(f"{item.nodeid} has no @check(weight, message)")
                continue
            kept.append(item)
        items[:] = kept

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item, call):
        report = yield
        if report.when == "call" or (report.when == "setup" and report.failed):
            marker = item.get_closest_marker(MARKER)
            error = call.excinfo.value if call.excinfo else None
            message = marker.kwargs["message"]
            passed = report.passed
            self.results.setdefault(exercise_of(Path(str(item.fspath))), []).append(CheckResult(
                name=item.originalname.removeprefix("test_"),
                passed=passed,
                weight=marker.kwargs["weight"],
                message="ok" if passed else explain(message, error)))
            if report.when == "setup":
                self.problems.append(f"{item.nodeid}: fixture error {error!r}")
        return report

    def pytest_collectreport(self, report):
        if report.failed:
            self.problems.append(f"cannot collect {report.nodeid}: {report.longreprtext[-2000:]}")


def run_graders(graders_dir: Path, session: SandboxSession, defined_in: dict[str, int],
                exercises: dict[str, float], reference: SimpleNamespace) -> dict[str, list[CheckResult]]:
    """Run the checks of ``exercises`` (id -> seconds a call may take); return their results by exercise."""
    if not exercises:
        return {}
    plugin = _GradingPlugin(session, defined_in, exercises, reference)
    files = [str(path) for eid, path in grader_files(graders_dir).items() if eid in exercises]
    args = [*files, "-q", "-p", "no:cacheprovider", "--import-mode=importlib",
            "--rootdir", str(graders_dir), "-c", str(Path(__file__).with_name("pytest.ini")),
            "--hypothesis-profile", "mlmath-grading"]
    with contextlib.redirect_stdout(io.StringIO()) as output:
        status = pytest.main(args, plugins=[plugin])
    if plugin.problems or status not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED):
        details = "; ".join(plugin.problems) or output.getvalue()[-3000:]
        raise GraderError(f"the graders in {graders_dir} could not run (pytest status {status}): {details}")
    return plugin.results
