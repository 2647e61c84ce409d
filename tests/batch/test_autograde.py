"""`mlmath autograde` records what `nbgrader autograde` records, resumes after a kill, and
works on SQLite and PostgreSQL gradebooks."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest
from nbgrader.api import Gradebook

from mlmath.nbgrader_bridge.config import gradebook_url
from tests.batch.conftest import NOTEBOOK, make_course
from tests.pipeline.conftest import ASSIGNMENT, check_json
from mlmath.notebook import read_notebook
from mlmath.submissions import reference_answers
from tests.support import source_path, submission

WRONG_SOFTMAX = "def softmax(x, axis=-1):\n    e = np.exp(x)\n    return e / e.sum(axis=axis, keepdims=True)\n"
REFERENCE_UNSCALE = reference_answers(read_notebook(source_path(ASSIGNMENT)))["grad_unscale"]
WRONG_BCE = "def bce_with_logits(z, y):\n    p = 1 / (1 + np.exp(-z))\n    return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))\n"


def class_of(size: int) -> dict[str, dict]:
    """Complete, blank and half-wrong notebooks, in turn."""
    kinds = [submission(ASSIGNMENT), submission(ASSIGNMENT, complete=False),
             submission(ASSIGNMENT, {"softmax": WRONG_SOFTMAX}), submission(ASSIGNMENT, {"bce_logits": WRONG_BCE})]
    return {f"student{i:02d}": kinds[i % len(kinds)] for i in range(size)}


@pytest.fixture
def course(tmp_path):
    return make_course(tmp_path / "course")


@pytest.fixture
def any_course(tmp_path, gradebook_url):
    """A course whose gradebook is SQLite, then PostgreSQL."""
    return make_course(tmp_path / "course", gradebook_url)


def test_scores_equal_nbgrader_autograde_and_mlmath_check(any_course, tmp_path):
    """The same class graded by nbgrader (with GradeInSandbox) and by mlmath autograde
    gets the same score in every cell, equal to `mlmath check` on each notebook."""
    course, students = any_course, class_of(4)
    twin = make_course(tmp_path / "twin")
    for student, notebook in students.items():
        course.submit(student, notebook)
        twin.submit(student, notebook)
    course.autograde("--jobs", "2")
    twin.nbgrader("autograde", ASSIGNMENT)
    ours, theirs = course.scores(), twin.scores()
    assert set(ours) == set(students)
    assert ours == theirs
    for student in students:
        expected = check_json(course.root / "submitted" / student / ASSIGNMENT / NOTEBOOK, course.root)
        assert sum(ours[student].values()) == pytest.approx(expected["score"])
        record = course.records()[student]
        assert record.status == "graded"
        assert {e: r["score"] for e, r in record.exercises.items()} == \
            {e: r["score"] for e, r in expected["exercises"].items()}


def test_feedback_and_export_work_on_the_result(course):
    course.submit("alice")
    course.submit("bob", submission(ASSIGNMENT, {"softmax": WRONG_SOFTMAX}))
    course.autograde("--jobs", "1")
    course.nbgrader("generate_feedback", ASSIGNMENT)
    feedback = (course.root / "feedback" / "bob" / ASSIGNMENT / "numerics.html").read_text()
    assert "softmax" in feedback and "overflow" in feedback.lower()
    course.nbgrader("export", "--to", "grades.csv")
    rows = (course.root / "grades.csv").read_text().splitlines()
    assert any(row.startswith(f"{ASSIGNMENT},,,alice,") and ",18.0," in row for row in rows)


def test_a_second_run_grades_nothing_and_force_regrades(course):
    course.submit("alice")
    first = course.autograde("--jobs", "1")
    assert "1 graded" in first.stdout
    again = course.autograde("--jobs", "1")
    assert "0 graded" in again.stdout and "1 already graded" in again.stdout
    forced = course.autograde("--jobs", "1", "--force")
    assert "1 graded" in forced.stdout
    assert course.scores()["alice"]["test_softmax"] == 4.0


def test_a_resubmission_with_a_newer_timestamp_is_regraded(course):
    course.submit("alice", submission(ASSIGNMENT, complete=False), timestamp="2026-11-01 10:00:00")
    course.autograde("--jobs", "1")
    assert sum(course.scores()["alice"].values()) == 0
    course.submit("alice", timestamp="2026-11-02 10:00:00")
    course.autograde("--jobs", "1")
    assert sum(course.scores()["alice"].values()) == 18


def test_only_the_named_students(course):
    course.submit("alice")
    course.submit("bob")
    course.autograde("--student", "bob", "--jobs", "1")
    assert set(course.scores()) == {"bob"}
    unknown = course.autograde("--student", "carol", check=False)
    assert unknown.returncode == 2 and "carol" in unknown.stderr


def test_an_assignment_not_generated_says_what_to_do(tmp_path):
    course = make_course(tmp_path / "course")
    result = course.autograde("--jobs", "1", check=False)  # nothing submitted: fine
    assert result.returncode == 0
    other = subprocess.run([sys.executable, "-m", "mlmath.cli.main", "autograde", "ch01_linear_algebra"],
                           cwd=course.root, capture_output=True, text=True)
    assert other.returncode == 2 and "nbgrader generate_assignment ch01_linear_algebra" in other.stderr


def _staged_or_done(course) -> int:
    autograded = course.root / "autograded"
    return len(list(autograded.glob(f"*/{ASSIGNMENT}"))) if autograded.exists() else 0


def _sigint_as_in_a_terminal() -> None:
    """Ctrl-C's default action for the batch, even if the test process ignores SIGINT (an
    ignored signal stays ignored across exec, and some libraries' tests leave it so)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.parametrize("stop", [signal.SIGKILL, signal.SIGINT])
def test_a_killed_batch_resumes_without_grading_anything_twice(any_course, stop):
    course, students = any_course, class_of(6)
    # graded last, each its own code (the same code would be graded once: mlmath.grading.reuse)
    students.update({f"student{i:02d}": submission(ASSIGNMENT, {"grad_unscale": f"import time\ntime.sleep(4)  # {i}\n"
                                                                + REFERENCE_UNSCALE})
                     for i in range(6, 12)})
    for student, notebook in students.items():
        course.submit(student, notebook)
    env = {**os.environ, "PATH": f"{os.path.dirname(sys.executable)}:{os.environ['PATH']}"}
    batch = subprocess.Popen([sys.executable, "-m", "mlmath.cli.main", "autograde", ASSIGNMENT, "--jobs", "2"],
                             cwd=course.root, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, start_new_session=True, preexec_fn=_sigint_as_in_a_terminal)
    deadline = time.monotonic() + 300
    while _staged_or_done(course) < 2 and batch.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert batch.poll() is None, "the batch finished before it could be stopped"
    if stop == signal.SIGKILL:
        os.killpg(batch.pid, signal.SIGKILL)  # the coordinator and its workers, mid-batch
    else:
        batch.send_signal(signal.SIGINT)  # Ctrl-C: the coordinator only
    batch.communicate(timeout=120)
    assert batch.returncode in (-signal.SIGKILL, 130)

    finished = {path.parent.name for path in (course.root / "autograded").glob(f"*/{ASSIGNMENT}")}
    scores = course.scores()
    records = course.records()
    assert 2 <= len(finished) < len(students)
    for student in finished:  # what is in place is complete, in the gradebook and on disk
        assert (course.root / "autograded" / student / ASSIGNMENT / NOTEBOOK).is_file()
        assert None not in scores[student].values()
        assert student in records

    rerun = course.autograde("--jobs", "2")
    assert f"{len(students) - len(finished)} graded" in rerun.stdout
    assert f"{len(finished)} already graded" in rerun.stdout
    scores, records = course.scores(), course.records()
    assert set(scores) == set(records) == set(students)
    assert all(None not in cells.values() for cells in scores.values())
    assert not list((course.root / "autograded").glob("*/.*")), "staging folders were left behind"
    for student, notebook in students.items():
        assert sum(scores[student].values()) == pytest.approx(sum(
            r["score"] for r in records[student].exercises.values()))


def test_the_summary_reports_means_full_marks_and_the_slowest(course):
    for student, notebook in class_of(4).items():
        course.submit(student, notebook)
    out = course.autograde("--jobs", "2").stdout
    assert "4 graded" in out
    softmax = next(line for line in out.splitlines() if line.startswith("softmax "))
    assert "/ 4" in softmax and "50%" in softmax   # complete and wrong-BCE ones have softmax right
    assert "Slowest:" in out


def test_json_of_records_matches_the_cells(course):
    course.submit("alice", submission(ASSIGNMENT, {"softmax": WRONG_SOFTMAX}))
    course.autograde("--jobs", "1")
    record = course.records()["alice"]
    failed = [c for c in record.exercises["softmax"]["checks"] if not c["passed"]]
    assert failed and all(c["message"] for c in failed)
    assert course.scores()["alice"]["test_softmax"] == record.exercises["softmax"]["score"] < 4
    json.dumps(record.exercises)  # plain data


def test_a_worker_with_other_course_files_refuses_to_grade(course):
    """A cluster worker whose graders differ from the coordinator's must not grade differently."""
    from mlmath.batch.pipeline import CourseMismatch, Job, grade_submission
    from mlmath.batch.snapshot import AssignmentSnapshot

    job = Job(str(course.root), ASSIGNMENT, "alice", {}, (), AssignmentSnapshot(ASSIGNMENT), "0" * 64, "0" * 64)
    with pytest.raises(CourseMismatch, match="differ from the coordinator's"):
        grade_submission(job)


def test_an_unreleased_assignment_names_the_next_step_whatever_the_callers_path(tmp_path):
    """`mlmath` run by its full path, without its environment on PATH, still finds nbgrader's
    tools (alembic, for a new gradebook) and gives the instructor the next step."""
    from tests.pipeline.conftest import copy_course
    root = tmp_path / "course"
    root.mkdir()
    copy_course(root)
    mlmath = os.path.join(os.path.dirname(sys.executable), "mlmath")
    result = subprocess.run([mlmath, "autograde", ASSIGNMENT], cwd=root, capture_output=True, text=True,
                            env={**os.environ, "PATH": "/usr/bin:/bin"}, timeout=300)
    assert result.returncode == 2, result.stdout + result.stderr
    assert f"did you forget to run 'nbgrader generate_assignment {ASSIGNMENT}'?" in result.stderr
    assert "alembic" not in result.stderr


def _gradebook_rows(course) -> dict[str, dict]:
    """Everything the gradebook holds of each submission but its row ids."""
    with Gradebook(gradebook_url(course.url, course.root)) as gradebook:
        return {s.student_id: {
            "timestamp": s.timestamp,
            "notebooks": [(nb.name, nb.flagged, nb.score, nb.late_submission_penalty, nb.needs_manual_grade,
                           sorted((g.name, g.auto_score, g.manual_score, g.extra_credit, g.needs_manual_grade)
                                  for g in nb.grades),
                           sorted((c.name, c.auto_comment, c.manual_comment) for c in nb.comments))
                          for nb in s.notebooks]}
            for s in gradebook.assignment_submissions(ASSIGNMENT)}


def test_the_gradebook_holds_what_nbgrader_autograde_writes_late_penalties_too(tmp_path):
    """Every row of a class — complete, blank and wrong notebooks, on time and late, a late
    penalty configured — equals what `nbgrader autograde` writes (ids aside)."""
    rows = {}
    for name, grade in (("ours", lambda course: course.autograde("--jobs", "2")),
                        ("theirs", lambda course: course.nbgrader("autograde", ASSIGNMENT))):
        course = make_course(tmp_path / name)
        with (course.root / "nbgrader_config.py").open("a") as config:
            config.write('\nc.LateSubmissionPlugin.penalty_method = "zero"\n')
        with Gradebook(gradebook_url(course.url, course.root)) as gradebook:
            gradebook.update_or_create_assignment(ASSIGNMENT, duedate="2026-11-01 12:00:00")
        course.submit("early", timestamp="2026-11-01 11:00:00")
        course.submit("blank", submission(ASSIGNMENT, complete=False), timestamp="2026-11-01 11:30:00")
        course.submit("late", submission(ASSIGNMENT, {"softmax": WRONG_SOFTMAX}), timestamp="2026-11-02 09:00:00")
        grade(course)
        rows[name] = _gradebook_rows(course)
    assert rows["ours"] == rows["theirs"]
    [(_, _, score, penalty, *_)] = rows["ours"]["late"]["notebooks"]
    assert 0 < score == penalty
    assert rows["ours"]["early"]["notebooks"][0][3] is None
