"""Questions to think through: manually graded answer cells whose points come from course_config.py,
whose model answers never reach release/, and which a self-learner sees only after writing their own."""

import json
import re
import sqlite3
import sys

import pytest

from mlmath.answers import TEXT_STUB, question_statuses, reveal_markdown
from mlmath.course import CourseError, load_course
from mlmath.notebook import read_notebook
from mlmath.submissions import write_notebook
from tests.cli.test_check import mlmath
from tests.pipeline.conftest import copy_course, run
from tests.support import ROOT, course, release_path, source_path

ASSIGNMENT = "ch04_numerics"
WITH_QUESTIONS = [a.id for a in course().assignments if a.question_points]


def cells(path) -> dict[str, dict]:
    return {c["metadata"]["nbgrader"]["grade_id"]: c for c in read_notebook(path)["cells"]
            if c["metadata"].get("nbgrader", {}).get("grade_id")}


def answered(notebook_path, tmp_path, answers: dict[str, str]):
    """The release notebook with the given question cells (by grade id) written, saved in tmp_path."""
    notebook = read_notebook(notebook_path)
    for cell in notebook["cells"]:
        grade_id = cell["metadata"].get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            cell["source"] = answers[grade_id]
    return write_notebook(notebook, tmp_path / course().assignment(ASSIGNMENT).notebook)


def model_answer(grade_id: str) -> str:
    return re.search(r"### BEGIN SOLUTION\n(.*)\n### END SOLUTION", cells(source_path(ASSIGNMENT))[grade_id]
                     ["source"], re.DOTALL).group(1)


@pytest.mark.parametrize("assignment_id", WITH_QUESTIONS)
def test_each_question_has_a_manually_graded_markdown_cell_worth_its_configured_points(assignment_id):
    release = cells(release_path(assignment_id))
    for grade_id, points in course().assignment(assignment_id).question_points.items():
        meta = release[grade_id]["metadata"]["nbgrader"]
        assert release[grade_id]["cell_type"] == "markdown"
        assert meta["grade"] and meta["solution"] and not meta["locked"], grade_id
        assert meta["points"] == points == 0, grade_id   # 0 by default: the catalog's totals stay as they are


@pytest.mark.parametrize("assignment_id", WITH_QUESTIONS)
def test_the_release_holds_the_stub_and_not_a_line_of_any_model_answer(assignment_id):
    release_text = release_path(assignment_id).read_text()
    release, source = cells(release_path(assignment_id)), cells(source_path(assignment_id))
    for grade_id in course().assignment(assignment_id).question_points:
        assert release[grade_id]["source"] == TEXT_STUB
        assert "### BEGIN SOLUTION" in source[grade_id]["source"]
        for line in source[grade_id]["source"].splitlines()[1:-1]:
            assert len(line) < 20 or json.dumps(line)[1:-1] not in release_text, line


def test_question_points_are_written_from_course_config_when_nbgrader_releases(tmp_path):
    root = copy_course(tmp_path)
    config = root / "course_config.py"
    config.write_text(config.read_text().replace('Q("which_shift")', 'Q("which_shift", points=2)'))
    run([sys.executable, "-m", "nbgrader", "generate_assignment", ASSIGNMENT, "--force"], root)
    release = cells(root / "release" / ASSIGNMENT / course().assignment(ASSIGNMENT).notebook)
    assert release["question_softmax_which_shift"]["metadata"]["nbgrader"]["points"] == 2
    assert release["question_softmax_overflow_threshold"]["metadata"]["nbgrader"]["points"] == 0
    with sqlite3.connect(root / "gradebook.db") as db:
        max_score = db.execute("select g.max_score from grade_cells g join base_cell b on g.id = b.id "
                               "where b.name = 'question_softmax_which_shift'").fetchone()[0]
    assert max_score == 2


def test_a_question_declared_without_its_cell_stops_the_release(tmp_path):
    root = copy_course(tmp_path)
    config = root / "course_config.py"
    config.write_text(config.read_text().replace('Q("which_shift")', 'Q("which_shift"), Q("not_written")'))
    result = run([sys.executable, "-m", "nbgrader", "generate_assignment", ASSIGNMENT, "--force"], root,
                 check=False)
    assert result.returncode != 0
    assert "question_softmax_not_written" in result.stdout + result.stderr


@pytest.mark.parametrize("questions, complaint", [
    ('(Q("same"), Q("same"))', "repeats a question id"),
    ('(Q("negative", points=-1),)', "must not be negative"),
    ('(Q("not an id"),)', "identifier"),
    ('("bare_string",)', "Question(id, points)"),
])
def test_course_config_rejects_malformed_questions(tmp_path, questions, complaint):
    config = (ROOT / "course_config.py").read_text()
    config = config.replace('questions=(Q("hidden_bit"),)', f"questions={questions}")
    (tmp_path / "course_config.py").write_text(config)
    with pytest.raises(CourseError, match=re.escape(complaint)):
        load_course(tmp_path)


def test_reveal_refuses_before_an_answer_is_written_and_shows_only_the_answered_question(tmp_path):
    assert model_answer("question_softmax_overflow_threshold")[:40] not in \
        reveal_markdown("softmax", release_path(ASSIGNMENT))
    blank = answered(release_path(ASSIGNMENT), tmp_path,
                     {"question_softmax_overflow_threshold": f"  \n{TEXT_STUB}\n "})
    assert "write your own answer in its cell first" in reveal_markdown("softmax", blank)
    notebook = answered(release_path(ASSIGNMENT), tmp_path,
                        {"question_softmax_overflow_threshold": "exp overflows past the largest float"})
    shown = reveal_markdown("softmax", notebook)
    assert model_answer("question_softmax_overflow_threshold") in shown
    assert model_answer("question_softmax_which_shift") not in shown
    assert "softmax / which_shift**: write your own answer in its cell first" in shown


def test_reveal_without_the_course_sources_says_where_the_answers_are(tmp_path, monkeypatch):
    (tmp_path / "course_config.py").write_text((ROOT / "course_config.py").read_text())
    monkeypatch.setenv("MLMATH_COURSE_ROOT", str(tmp_path))
    assert "come with the course repository" in reveal_markdown("softmax", release_path(ASSIGNMENT))


def test_statuses_carry_the_question_text_from_the_cell_above():
    statuses = question_statuses(course(), course().assignment(ASSIGNMENT), read_notebook(release_path(ASSIGNMENT)))
    assert [s.grade_id for s in statuses] == list(course().assignment(ASSIGNMENT).question_points)
    softmax = next(s for s in statuses if s.question == "overflow_threshold")
    assert "float32 softmax fail near 89" in softmax.prompt and not softmax.answered


def test_check_answers_shows_the_model_answers_of_answered_questions_and_lists_the_rest(tmp_path):
    notebook = answered(release_path(ASSIGNMENT), tmp_path,
                        {"question_softmax_overflow_threshold": "exp overflows past the largest float"})
    table = mlmath("check", notebook, "--exercise", "softmax", "--answers")
    assert table.returncode == 0, table.stderr
    assert "questions to think through: 1 of 2 answered" in table.stdout
    assert "softmax / overflow_threshold — the model answer:" in table.stdout
    assert "still unanswered (write your answer in its cell first): softmax / which_shift" in table.stdout
    assert model_answer("question_softmax_which_shift").splitlines()[0] not in table.stdout
    report = json.loads(mlmath("check", notebook, "--exercise", "softmax", "--answers", "--json").stdout)
    assert report["questions"] == {
        "question_softmax_overflow_threshold": {"exercise": "softmax", "answered": True,
                                                "model_answer": model_answer("question_softmax_overflow_threshold")},
        "question_softmax_which_shift": {"exercise": "softmax", "answered": False, "model_answer": None}}
