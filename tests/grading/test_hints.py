"""Hints in two steps: a failed check says what is wrong, and how to fix it only on request
(collapsed in a check cell, `--hints` on a terminal) or in full in the instructor's feedback."""

import json
import re

import pytest

from mlmath.grading.results import CheckResult, ExerciseResult, GradeReport
from mlmath.grading.runner import MESSAGE_LIMIT, load_checks
from mlmath.grading.spec import check
from mlmath.render import checks_html, checks_text, exercise_html, exercise_text, report_text
from tests.implementations import libraries
from tests.support import course, grade, submission

ASSIGNMENT = "ch04_numerics"
NO_SHIFT = next(i for i in libraries()[ASSIGNMENT].WRONG if i.exercise == "softmax" and "shift" in i.name)
SHIFT_FIX = "Shift each slice by its maximum before exponentiating"


@pytest.fixture(scope="module")
def no_shift_report() -> GradeReport:
    return grade(submission(ASSIGNMENT, {"softmax": NO_SHIFT.source}), ASSIGNMENT, {"softmax"})


def _failed(passed: bool = False, fix: str = "Subtract the maximum.") -> ExerciseResult:
    return ExerciseResult("softmax", 4.0, [
        CheckResult("matches_definition", True, 2.0, "ok"),
        CheckResult("stable_for_large_inputs", passed, 2.0, "overflows for x > 710 <b>", fix)])


@pytest.mark.parametrize("assignment", [a.id for a in course().assignments])
def test_every_check_of_every_chapter_says_what_is_wrong(assignment):
    checks = [c for cs in load_checks(course().graders_dir / assignment).values() for c in cs]
    assert checks
    for hidden in checks:
        assert hidden.message.strip(), hidden.id
        assert hidden.fix == hidden.fix.strip() and hidden.fix != hidden.message, hidden.id


def test_a_check_declares_its_fix_apart_from_its_message():
    declared = check(weight=1, message=" what ", fix=" how ")(lambda: None).mlmath_check
    assert (declared.message, declared.fix) == ("what", "how")
    assert check(weight=1, message="what")(lambda: None).mlmath_check.fix == ""


def test_a_failed_check_carries_its_fix_and_a_passed_one_does_not(no_shift_report):
    checks = {c.name: c for c in no_shift_report.exercises["softmax"].checks}
    stable = checks["stable_for_large_inputs"]
    assert not stable.passed and stable.fix.startswith(SHIFT_FIX)
    assert "overflows" in stable.message and SHIFT_FIX not in stable.message
    assert all(c.fix == "" for c in checks.values() if c.passed)
    assert all(len(c.fix) <= MESSAGE_LIMIT for c in checks.values())


def test_json_has_a_fix_only_for_failed_checks_with_one(no_shift_report):
    exported = json.loads(json.dumps(no_shift_report.to_json()))["exercises"]["softmax"]["checks"]
    for entry in exported:
        assert set(entry) == ({"name", "passed", "weight", "message", "fix"} if entry.get("fix")
                              else {"name", "passed", "weight", "message"})
    assert any("fix" in entry for entry in exported)
    assert all("fix" not in entry for entry in exported if entry["passed"])


def test_the_check_cell_html_collapses_the_escaped_fix_under_the_message():
    rows = [("stable_for_large_inputs", False, "overflows <b>", "x - x.max() < 1"),
            ("matches_definition", True, "ok", "never shown")]
    shown = checks_html("softmax: 2 / 4", rows)
    assert "overflows &lt;b&gt;<details><summary>how to fix</summary>x - x.max() &lt; 1</details>" in shown
    assert "never shown" not in shown
    assert "<details>" not in checks_html("softmax", [("public checks", False, "failed")])


def test_the_terminal_table_shows_the_fix_only_when_asked():
    rows = [("stable_for_large_inputs", False, "overflows", "subtract the maximum")]
    assert "subtract the maximum" not in checks_text("softmax", rows)
    assert checks_text("softmax", rows, hints=True).splitlines()[-1] == "      how to fix: subtract the maximum"


def test_mlmath_check_text_shows_fixes_only_with_hints(no_shift_report):
    assert SHIFT_FIX not in report_text(no_shift_report)
    hinted = report_text(no_shift_report, hints=True)
    assert re.search(r"✗ stable_for_large_inputs: .*overflows.*\n\s+how to fix: " + SHIFT_FIX, hinted)


def test_the_instructors_feedback_shows_message_and_fix_in_full():
    html_feedback, text_feedback = exercise_html(_failed()), exercise_text(_failed())
    assert "overflows for x &gt; 710 &lt;b&gt;<div><i>how to fix:</i> Subtract the maximum.</div>" in html_feedback
    assert "<details>" not in html_feedback
    assert "✗ stable_for_large_inputs: overflows for x > 710 <b>\n      how to fix: Subtract the maximum." \
        in text_feedback
    assert "how to fix" not in exercise_html(_failed(passed=True)) + exercise_text(_failed(passed=True))
