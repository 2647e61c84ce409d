"""Does `mlmath progress` grade a self-learner's chapters and show the course as a table and a picture?

On the example class in a copy of the course: `complete` (reference answers),
`blank` (the release notebooks: what `release/`, the default folder, holds) and
`mistakes` (the bundled learners' notebooks).
"""

import json
import shutil
import subprocess
import sys

import pytest
from PIL import Image

from mlmath.course import load_course
from mlmath.grading.grade import grade_notebook
from mlmath.progress import find_chapters
from mlmath.submissions import write_notebook
from tests.pipeline.conftest import copy_course, run
from tests.support import ROOT, submission

ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture(scope="module")
def course_root(tmp_path_factory):
    """A copy of the course with the example class of every chapter in submitted/."""
    root = copy_course(tmp_path_factory.mktemp("course"))
    ids = [a.id for a in load_course(root).assignments]
    run([sys.executable, "-m", "mlmath.cli.main", "example-class", *ids], root)
    return root


def progress(*args, cwd):
    return subprocess.run([sys.executable, "-m", "mlmath.cli.main", "progress", *map(str, args)],
                          cwd=cwd, capture_output=True, text=True, timeout=300)


def progress_json(*args, cwd) -> dict:
    result = progress(*args, "--json", cwd=cwd)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def assert_png(path):
    assert path.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    with Image.open(path) as image:
        image.verify()
    with Image.open(path) as image:
        assert image.format == "PNG" and image.width >= 400 and image.height >= 100


def test_default_folder_is_release_where_the_blank_learner_has_every_exercise_left(course_root):
    course = load_course(course_root)
    result = progress(cwd=course_root)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"progress in {course_root / 'release'}"
    exercises = sum(len(a.exercises) for a in course.assignments)
    total = sum(a.points for a in course.assignments)
    assert any(line.split() == ["course", "0", "/", f"{total:g}", str(exercises), "of", str(exercises),
                                "exercises", "left"] for line in lines)
    for assignment in course.assignments:
        assert any(line.split()[:4] == [assignment.id, "0", "/", f"{assignment.points:g}"]
                   and line.endswith(f"{len(assignment.exercises)} exercises left") for line in lines)
        for exercise in assignment.exercises:
            assert f"  {exercise.id} " in result.stdout
            row = [exercise.id, "0", "/", f"{exercise.points:g}", "left"]
            assert any(line.split() == row for line in lines)
    assert "✓" not in result.stdout and "Traceback" not in result.stderr
    assert_png(course_root / "release" / "progress.png")


def test_the_complete_learner_in_a_flat_folder_has_full_marks_everywhere(course_root, tmp_path):
    flat = tmp_path / "my notebooks"
    flat.mkdir()
    for notebook in (course_root / "submitted" / "complete").glob("*/*.ipynb"):
        shutil.copy(notebook, flat / notebook.name)
    picture = tmp_path / "elsewhere" / "me.png"
    report = progress_json(flat, "--out", picture, cwd=course_root)
    course = load_course(course_root)
    assert report["folder"] == str(flat) and report["picture"] == str(picture)
    assert report["score"] == report["max"] == sum(a.points for a in course.assignments)
    assert report["exercises_left"] == 0
    assert list(report["chapters"]) == [a.id for a in course.assignments]
    for assignment in course.assignments:
        chapter = report["chapters"][assignment.id]
        assert chapter["state"] == "graded" and chapter["reason"] == "" and chapter["left"] == []
        assert chapter["notebook"] == str(flat / assignment.notebook)
        assert chapter["score"] == chapter["max"] == assignment.points
        for exercise in assignment.exercises:
            assert chapter["exercises"][exercise.id]["score"] == exercise.points
    assert_png(picture)
    assert not (flat / "progress.png").exists()


def test_the_mistakes_learner_gets_a_mix_and_what_mlmath_check_gives(course_root):
    folder = course_root / "submitted" / "mistakes"
    ARTIFACTS.mkdir(exist_ok=True)
    picture = ARTIFACTS / "progress-mistakes.png"   # the README's picture
    report = progress_json(folder, "--out", picture, cwd=course_root)
    course = load_course(course_root)
    for assignment in course.assignments:
        chapter = report["chapters"][assignment.id]
        assert chapter["state"] == "graded"
        assert list(chapter["exercises"]) == [e.id for e in assignment.exercises]
        assert chapter["left"] == [eid for eid, e in chapter["exercises"].items() if e["score"] < e["max"]]
        assert 0 < chapter["score"] < chapter["max"], "every chapter's mistakes cost some points, not all"
    # the first and the last chapter graded again as `mlmath check` grades (all six would
    # double the test's time): the same scores, exercise by exercise
    for assignment in (course.assignments[0], course.assignments[-1]):
        expected = grade_notebook(folder / assignment.id / assignment.notebook, course, assignment)
        assert {eid: e["score"] for eid, e in report["chapters"][assignment.id]["exercises"].items()} == \
            pytest.approx({eid: e.score for eid, e in expected.exercises.items()})
    left = report["exercises_left"]
    assert 0 < left < sum(len(a.exercises) for a in course.assignments)
    assert left == sum(len(chapter["left"]) for chapter in report["chapters"].values())
    assert report["score"] == pytest.approx(sum(c["score"] for c in report["chapters"].values()))
    assert_png(picture)


def test_missing_broken_and_ambiguous_chapters_are_said_so_and_the_others_graded(course_root, tmp_path):
    course = load_course(course_root)
    linear_algebra, numerics, regression = (course.assignment(a) for a in
                                            ("ch01_linear_algebra", "ch04_numerics", "ch05_regression"))
    # a renamed notebook in its chapter's folder is that chapter's, as for `mlmath check`
    write_notebook(submission(linear_algebra.id), tmp_path / linear_algebra.id / "linear_algebra (1).ipynb")
    checkpoints = tmp_path / ".ipynb_checkpoints"   # JupyterLab's copies are never a chapter
    write_notebook(submission(linear_algebra.id), checkpoints / "linear_algebra-checkpoint.ipynb")
    write_notebook(submission(linear_algebra.id), checkpoints / linear_algebra.notebook)
    (tmp_path / numerics.notebook).write_text("not json at all")
    for name in ("first try.ipynb", "second try.ipynb"):
        write_notebook(submission(regression.id), tmp_path / regression.id / name)
    result = progress(tmp_path, cwd=course_root)
    assert result.returncode == 0, result.stderr
    rows = {line.split()[0]: line for line in result.stdout.splitlines() if line and not line.startswith(" ")}
    assert rows[linear_algebra.id].endswith("done")
    assert f"{numerics.notebook} is not a readable notebook" in rows[numerics.id]
    assert "cannot grade" in rows[numerics.id] and f" 0 / {numerics.points:g}" in rows[numerics.id]
    assert "several notebooks could be this chapter" in rows[regression.id]
    assert "first try.ipynb" in rows[regression.id] and "second try.ipynb" in rows[regression.id]
    for assignment in course.assignments:
        if assignment.id not in (linear_algebra.id, numerics.id, regression.id):
            assert f"not started (no {assignment.notebook} found)" in rows[assignment.id]
    assert_png(tmp_path / "progress.png")


def test_a_folder_that_does_not_exist_is_refused_with_the_reason(course_root, tmp_path):
    result = progress(tmp_path / "nowhere", "--json", cwd=course_root)
    assert result.returncode == 2 and result.stdout == ""
    assert "is not a folder" in result.stderr and "Traceback" not in result.stderr


def test_a_folder_named_after_a_chapter_still_gives_each_notebook_to_its_own_chapter(tmp_path):
    course = load_course(ROOT)
    numerics, calculus = course.assignment("ch04_numerics"), course.assignment("ch02_calculus")
    folder = tmp_path / numerics.id
    write_notebook(submission(calculus.id), folder / calculus.notebook)
    chapters = {chapter.assignment.id: chapter for chapter in find_chapters(folder, course)}
    assert chapters[calculus.id].notebook == folder / calculus.notebook
    assert chapters[numerics.id].state == "not started"
