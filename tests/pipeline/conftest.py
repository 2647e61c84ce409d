"""A throw-away copy of the course, graded through the real nbgrader commands once per session."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import ROOT

#: planted in a hidden check of the copied course: neither may ever reach a learner's feedback
PLANTED_SOURCE_MARKER = "PLANTED-GRADER-SOURCE-8d1f"
PLANTED_INPUT = "271828.18284"
PLANTED_CHECK = f"""

@check(weight=1, message="softmax of a vector with large, close entries")
def test_planted_marker(student, reference):
    # {PLANTED_SOURCE_MARKER}
    x = np.array([{PLANTED_INPUT}, 271827.5])
    assert_close(student.softmax(x), reference.softmax(x))
"""
COURSE_FILES = ["course_config.py", "nbgrader_config.py", "source", "release", "graders", "examples", ".mlmath"]
ASSIGNMENT = "ch04_numerics"       # the chapter the detailed pipeline checks use


def run(args, cwd, check=True, **env):
    environment = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}", **env}
    result = subprocess.run(args, cwd=cwd, env=environment, capture_output=True, text=True, timeout=600)
    if check and result.returncode != 0:
        raise AssertionError(f"{args} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result


def copy_course(destination: Path) -> Path:
    """The course's files at ``destination``, its seed secret included: copies are the same
    course, so they draw the same hidden inputs and give the same grades."""
    from mlmath.grading.seeds import course_secret
    course_secret(ROOT)
    for name in COURSE_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, destination / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif source.exists():
            shutil.copy(source, destination / name)
    return destination


def built_assignments() -> list[str]:
    """The assignments whose source notebook exists."""
    from tests.support import course, source_path
    return [a.id for a in course().assignments if source_path(a.id).exists()]


@pytest.fixture(scope="session")
def graded_class(tmp_path_factory):
    """The course copied to a temporary folder, the example class of every built assignment
    autograded through nbgrader and given feedback."""
    root = copy_course(tmp_path_factory.mktemp("course"))
    with open(root / "graders" / ASSIGNMENT / "test_softmax.py", "a") as grader:
        grader.write(PLANTED_CHECK)
    nbgrader = [sys.executable, "-m", "nbgrader"]
    for assignment_id in built_assignments():
        run([*nbgrader, "generate_assignment", assignment_id, "--force"], root)
        run([sys.executable, "-m", "mlmath.cli.main", "example-class", assignment_id], root)
        run([*nbgrader, "autograde", assignment_id, "--force"], root)
        run([*nbgrader, "generate_feedback", assignment_id, "--force"], root)
    return root


def check_json(notebook: Path, cwd: Path) -> dict:
    result = run([sys.executable, "-m", "mlmath.cli.main", "check", str(notebook), "--json"], cwd)
    return json.loads(result.stdout)
