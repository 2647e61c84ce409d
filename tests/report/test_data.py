"""Does the report say what the gradebook and the grading records say?"""

import sqlite3
import statistics
from collections import Counter

import pytest
from sqlalchemy import create_engine

from mlmath.batch.records import read_records
from mlmath.course import load_course
from mlmath.report.data import gather
from mlmath.report.grading import NOT_IMPLEMENTED, read_grading, representative_message
from mlmath.report.html import render
from mlmath.report.plots import charts
from mlmath.report.scores import GradebookError
from tests.pipeline.test_nbgrader import gradebook_scores
from tests.report.conftest import (ASSIGNMENT, BLANK, LEARNERS, UNREADABLE, students, url,
                                   wrong_implementation)


@pytest.fixture(scope="module")
def assignment(report_class):
    return load_course(report_class).assignment(ASSIGNMENT)


@pytest.fixture(scope="module")
def report(report_class, assignment):
    return gather(load_course(report_class), assignment, url(report_class))


@pytest.fixture(scope="module")
def gradebook(report_class):
    """{student: {exercise: score}} straight from the gradebook's tables (a never-run cell is 0)."""
    return {student: {cell.removeprefix("test_"): score or 0.0 for cell, score in cells.items()}
            for student, cells in gradebook_scores(report_class, ASSIGNMENT).items()}


@pytest.fixture(scope="module")
def records(report_class):
    engine = create_engine(url(report_class))
    with engine.connect() as connection:
        records = read_records(connection, ASSIGNMENT)
    engine.dispose()
    return records


def check_outcomes(records):
    """(exercise, check) -> Counter of its outcomes over the graded submissions:
    "passed", "failed" or "not implemented"."""
    outcomes = {}
    for record in records:
        for exercise, result in (record.exercises.items() if record.status == "graded" else ()):
            for check in result["checks"]:
                outcome = ("passed" if check["passed"] else
                           "not implemented" if check["message"].startswith(NOT_IMPLEMENTED) else "failed")
                outcomes.setdefault((exercise, check["name"]), Counter())[outcome] += 1
    return outcomes


# ------------------------------------------------------------------ scores: the gradebook's

def test_every_submission_is_counted(report, report_class):
    assert report.submissions == len(students(report_class)) == len(LEARNERS) + 4
    assert report.grading.graded == report.submissions - 1 and report.grading.failed == 1


def test_totals_are_the_gradebooks(report, gradebook, assignment):
    assert {s.student: s.total for s in report.scores} == pytest.approx(
        {student: sum(cells.values()) for student, cells in gradebook.items()})
    totals = {s.student: s.total for s in report.scores}
    assert totals["complete"] == totals["farah"] == assignment.points
    assert totals["blank"] == totals[UNREADABLE] == 0
    assert report.mean == pytest.approx(statistics.fmean(totals.values()))
    assert report.median == pytest.approx(statistics.median(totals.values()))


def test_exercise_means_and_full_mark_shares_are_the_gradebooks(report, gradebook, assignment):
    assert [e.id for e in report.exercises] == [e.id for e in assignment.exercises]
    for stats in report.exercises:
        scores = [cells[stats.id] for cells in gradebook.values()]
        assert stats.points == assignment.exercise(stats.id).points
        assert stats.mean == pytest.approx(statistics.fmean(scores)), stats.id
        assert stats.full_marks == pytest.approx(
            sum(score == pytest.approx(stats.points) for score in scores) / len(scores)), stats.id


def test_the_records_agree_with_the_gradebook(records, gradebook):
    """The fixture's invariant (and `mlmath autograde`'s): a graded record's scores are the gradebook's."""
    for record in records:
        if record.status == "graded":
            assert {e: r["score"] for e, r in record.exercises.items()} == pytest.approx(
                gradebook[record.student]), record.student


# ------------------------------------------------------------------ checks: the records'

def test_failures_per_check_are_the_records(report, records):
    outcomes = check_outcomes(records)
    assert {(c.exercise, c.name): (c.failed, c.attempted) for c in report.grading.misconceptions} == \
        {check: (counts["failed"], counts["failed"] + counts["passed"])
         for check, counts in outcomes.items() if counts["failed"]}
    assert report.grading.checks_never_failed == sum(
        counts["passed"] > 0 and not counts["failed"] for counts in outcomes.values())


def test_the_ranking_puts_the_most_frequent_failure_first(report):
    failures = [c.failed for c in report.grading.misconceptions]
    assert failures == sorted(failures, reverse=True)


def test_every_planted_mistake_is_in_the_ranking(report):
    failed = {(c.exercise, c.name): c.failed for c in report.grading.misconceptions}
    planted = Counter((exercise, check) for choices in LEARNERS.values()
                      for exercise, name in choices.items() if name != BLANK
                      for check in wrong_implementation(exercise, name).fails)
    for check, learners in planted.items():
        assert failed.get(check, 0) >= learners, check


def test_a_ranked_check_shows_its_graders_message(report):
    softmax = next(c for c in report.grading.misconceptions if c.name == "stable_for_large_inputs")
    assert "overflows" in softmax.message and not softmax.message.startswith(NOT_IMPLEMENTED)


def test_unwritten_answers_are_counted_per_exercise_not_ranked(report, records):
    unwritten = {exercise: {r.student for r in records if r.status == "graded" and any(
        not c["passed"] and c["message"].startswith(NOT_IMPLEMENTED) for c in r.exercises[exercise]["checks"])}
        for exercise in report.grading.not_implemented}
    assert report.grading.not_implemented == {e: len(s) for e, s in unwritten.items()}
    planted_blank = {s for s, choices in LEARNERS.items() if choices.get("grad_unscale") == BLANK}
    assert planted_blank | {"blank"} <= unwritten["grad_unscale"]
    assert all(not c.message.startswith(NOT_IMPLEMENTED) for c in report.grading.misconceptions)


def test_failed_submissions_notes_and_timings_come_from_the_records(report, records):
    assert [(f.student, f.text) for f in report.grading.failures] == \
        [(r.student, r.reason) for r in records if r.status == "failed"]
    assert report.grading.failures[0].student == UNREADABLE
    assert "not a readable notebook" in report.grading.failures[0].text
    assert sorted((t.student, t.seconds) for t in report.grading.timings) == \
        sorted((r.student, r.seconds) for r in records)
    seconds = [t.seconds for t in report.grading.timings]
    assert seconds == sorted(seconds, reverse=True) and report.grading.max_seconds == max(seconds)
    assert report.grading.total_seconds == pytest.approx(sum(seconds))
    assert [(n.student, n.text) for n in report.grading.notes] == \
        [(r.student, note) for r in records for note in r.notes]


# ------------------------------------------------------------------ without records, or without a gradebook

def test_without_records_the_scores_stand_alone_and_the_page_says_why(report, report_class, assignment,
                                                                     gradebook_copy):
    with sqlite3.connect(gradebook_copy.removeprefix("sqlite:///")) as db:
        db.execute("drop table mlmath_grading")
    bare = gather(load_course(report_class), assignment, gradebook_copy)
    assert bare.grading is None and read_grading(gradebook_copy, ASSIGNMENT) == []
    assert bare.scores == report.scores and bare.exercises == report.exercises
    page = render(bare, charts(bare))
    assert "no grading records" in page and "graded with <code>nbgrader autograde</code>" in page
    assert page.count("<img ") == 2 and "id='misconceptions'" not in page
    with sqlite3.connect(gradebook_copy.removeprefix("sqlite:///")) as db:   # reading created nothing
        assert not db.execute("select name from sqlite_master where name = 'mlmath_grading'").fetchall()


def test_a_missing_gradebook_is_an_error_and_is_not_created(report_class, assignment, tmp_path):
    with pytest.raises(GradebookError, match="no gradebook"):
        gather(load_course(report_class), assignment, f"sqlite:///{tmp_path / 'gradebook.db'}")
    assert not (tmp_path / "gradebook.db").exists()


# ------------------------------------------------------------------ messages

@pytest.mark.parametrize("messages, shown", [
    (["Shift by the max."] * 2, "Shift by the max."),
    (["Shift — your softmax raised ValueError: x"] * 2, "Shift — your softmax raised ValueError: x"),
    (["Shift — got 1", "Shift — got 2", "Keep dims — got 3"], "Shift"),
    (["Keep dims", "Shift — got 1", "Shift — got 2"], "Shift"),
    (["Overflows — shift first — your softmax raised ValueError: a",
      "Overflows — shift first — your softmax raised TypeError: b"], "Overflows — shift first"),
    ([], ""),
])
def test_the_message_shown_is_the_most_frequent_graders_text(messages, shown):
    assert representative_message(messages) == shown
