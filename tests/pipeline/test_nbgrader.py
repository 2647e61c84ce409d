"""Does nbgrader, run as instructors run it, record the trusted graders' scores?"""

import json
import sqlite3

import pytest

from tests.pipeline.conftest import (ASSIGNMENT, PLANTED_INPUT, PLANTED_SOURCE_MARKER, built_assignments,
                                     check_json, copy_course, run)
from tests.support import ROOT, course

NOTEBOOK = course().assignment(ASSIGNMENT).notebook
BUILT = built_assignments()


def gradebook_scores(root, assignment_id):
    """{student: {test cell: auto score}} for one assignment, straight from the SQLite gradebook
    (the questions' answer cells are graded by hand)."""
    query = """select s.student_id, gc.name, g.auto_score from grade g
               join base_cell gc on g.cell_id = gc.id
               join submitted_notebook sn on g.notebook_id = sn.id
               join submitted_assignment s on sn.assignment_id = s.id
               join assignment a on s.assignment_id = a.id where a.name = ?"""
    scores = {}
    with sqlite3.connect(root / "gradebook.db") as db:
        for student, cell, score in db.execute(query, (assignment_id,)):
            if cell.startswith("test_"):
                scores.setdefault(student, {})[cell] = score
    return scores


@pytest.mark.parametrize("assignment_id", BUILT)
def test_release_in_the_repository_is_what_nbgrader_generates(graded_class, assignment_id):
    def cells(path):
        notebook = json.loads(path.read_text())
        return [(c["cell_type"], "".join(c["source"]), c["metadata"].get("nbgrader")) for c in notebook["cells"]]
    name = course().assignment(assignment_id).notebook
    generated = graded_class / "release" / assignment_id / name
    assert cells(generated) == cells(ROOT / "release" / assignment_id / name), \
        "release/ is stale: run `make release` and commit it"


@pytest.mark.parametrize("assignment_id", BUILT)
def test_reference_scores_full_marks_and_blank_scores_zero(graded_class, assignment_id):
    scores = gradebook_scores(graded_class, assignment_id)
    assert sum(scores["complete"].values()) == course().assignment(assignment_id).points
    assert sum(scores["blank"].values()) == 0


@pytest.mark.parametrize("assignment_id", BUILT)
def test_gradebook_scores_equal_mlmath_check_for_every_student(graded_class, assignment_id):
    name = course().assignment(assignment_id).notebook
    for student, cells in gradebook_scores(graded_class, assignment_id).items():
        report = check_json(graded_class / "submitted" / student / assignment_id / name, graded_class)
        expected = {f"test_{eid}": e["score"] for eid, e in report["exercises"].items()}
        assert cells == pytest.approx(expected), student


def test_example_mistakes_lose_some_points_but_not_all(graded_class):
    total = sum(gradebook_scores(graded_class, ASSIGNMENT)["mistakes"].values())
    assert 0 < total < course().assignment(ASSIGNMENT).points


def test_feedback_shows_scores_and_messages_but_never_hidden_checks(graded_class):
    pages = {p.parts[-3]: p.read_text() for p in (graded_class / "feedback").glob(f"*/{ASSIGNMENT}/*.html")}
    assert set(pages) == {"complete", "blank", "mistakes"}
    assert "not implemented yet" in pages["blank"] and "0.0 / 18.0" in pages["blank"]
    assert "each_slice_uses_its_own_maximum" in pages["mistakes"]         # a check's name and message
    assert "planted_marker" in pages["complete"]                           # the planted check did run
    for student, html in pages.items():
        assert PLANTED_SOURCE_MARKER not in html and PLANTED_INPUT not in html, student
        assert "assert_close(" not in html and "def test_" not in html, student


def test_a_broken_course_config_stops_nbgrader_instead_of_running_learner_code(tmp_path):
    root = copy_course(tmp_path)
    (root / "course_config.py").write_text("this is not python\n")
    result = run(["nbgrader", "autograde", ASSIGNMENT, "--force"], root, check=False,
                 TRAITLETS_APPLICATION_RAISE_CONFIG_FILE_ERROR="0")
    assert result.returncode != 0
    assert "cannot load the course configuration" in result.stderr
    assert not (root / "gradebook.db").exists()
