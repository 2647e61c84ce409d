"""Does `mlmath check` grade a notebook for a self-learner, as a table or exactly one JSON object?"""

import json
import subprocess
import sys

import pytest

from mlmath.submissions import write_notebook
from tests.support import ROOT, course, release_path, submission

ASSIGNMENT = "ch04_numerics"


def mlmath(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "mlmath.cli.main", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=300)


def test_json_output_is_one_object_in_the_documented_shape(tmp_path):
    path = write_notebook(submission(ASSIGNMENT), tmp_path / "numerics.ipynb")
    result = mlmath("check", path, "--json")
    assert result.returncode == 0
    report = json.loads(result.stdout)
    assert set(report) == {"assignment", "notebook", "score", "max", "exercises"}
    assert report["assignment"] == ASSIGNMENT and report["notebook"] == "numerics.ipynb"
    assert report["score"] == report["max"] == course().assignment(ASSIGNMENT).points
    assert list(report["exercises"]) == [e.id for e in course().assignment(ASSIGNMENT).exercises]
    for exercise in report["exercises"].values():
        assert isinstance(exercise["score"], float) and isinstance(exercise["max"], float)
        for check in exercise["checks"]:
            assert set(check) == {"name", "passed", "weight", "message"}
            assert isinstance(check["passed"], bool) and isinstance(check["weight"], float)


def test_blank_release_notebook_scores_zero_with_exit_status_zero():
    result = mlmath("check", release_path(ASSIGNMENT))
    assert result.returncode == 0
    assert "total" in result.stdout and " 0 / 18" in result.stdout
    assert "not implemented yet" in result.stdout


def test_a_renamed_notebook_needs_the_assignment_named(tmp_path):
    path = write_notebook(submission(ASSIGNMENT), tmp_path / "my work (1).ipynb")
    refused = mlmath("check", path)
    assert refused.returncode == 2 and "--assignment" in refused.stderr
    assert mlmath("check", path, "--assignment", ASSIGNMENT).returncode == 0


@pytest.mark.parametrize("content, reason", [
    ("not json at all", "not a readable notebook"),
    ('{"cells": "nope", "nbformat": 4}', "not a Jupyter notebook"),
    ('[1, 2, 3]', "not a Jupyter notebook"),
])
def test_something_that_is_not_a_notebook_is_refused_with_the_reason(tmp_path, content, reason):
    path = tmp_path / "numerics.ipynb"
    path.write_text(content)
    result = mlmath("check", path, "--json")
    assert result.returncode == 2 and result.stdout == "" and reason in result.stderr


def test_an_unknown_assignment_is_refused(tmp_path):
    path = write_notebook(submission(ASSIGNMENT), tmp_path / "numerics.ipynb")
    result = mlmath("check", path, "--assignment", "ch99_nothing")
    assert result.returncode == 2 and "unknown assignment" in result.stderr


def test_a_half_deleted_notebook_is_graded_for_what_remains(tmp_path):
    notebook = submission(ASSIGNMENT)
    notebook["cells"] = [c for c in notebook["cells"]
                         if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") != "answer_softmax"]
    notebook["cells"][5]["metadata"] = "garbage"
    report = json.loads(mlmath("check", write_notebook(notebook, tmp_path / "numerics.ipynb"), "--json").stdout)
    assert report["exercises"]["softmax"]["score"] == 0
    assert report["exercises"]["bfloat16"]["score"] == report["exercises"]["bfloat16"]["max"]


def test_grading_leaves_nothing_in_the_learners_folder(tmp_path):
    path = write_notebook(submission(ASSIGNMENT), tmp_path / "numerics.ipynb")
    assert mlmath("check", path, cwd=tmp_path).returncode == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["numerics.ipynb"]   # no .hypothesis cache


def test_deeply_nested_json_is_refused_with_the_reason(tmp_path):
    path = tmp_path / "numerics.ipynb"
    path.write_text('{"nbformat": 4, "cells": ' + "[" * 100_000 + "]" * 100_000 + "}")
    result = mlmath("check", path, "--assignment", ASSIGNMENT)
    assert result.returncode == 2 and "nested too deeply" in result.stderr
    assert "Traceback" not in result.stderr
