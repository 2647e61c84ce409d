"""Student ids, reasons and check messages come from learners' work: the page shows them as text."""

import re

from mlmath.report.html import render
from mlmath.report.model import (CheckStats, ClassReport, ExerciseStats, GradingSummary, StudentNote,
                                 StudentScores, Timing)
from tests.report.conftest import HOSTILE, HOSTILE_FAILED_STUDENT, HOSTILE_STUDENT


def markup_in(page: str) -> list[str]:
    """Tags in the page that a learner could have written (the page itself uses none of these)."""
    return re.findall(r"<(?:script|img src=x|marquee)", page, flags=re.IGNORECASE)


def _report(student: str, failed_student: str | None, text: str) -> ClassReport:
    """A report of one graded student (and one that failed to grade) whose texts are ``text``."""
    failed = (failed_student,) if failed_student else ()
    return ClassReport(
        course="mlmath", assignment="ch04_numerics", points=4, generated="today", submissions=1 + len(failed),
        scores=(StudentScores(student, 2.0, {"softmax": 2.0}),),
        exercises=(ExerciseStats("softmax", 4, 2.0, 0.0),),
        grading=GradingSummary(
            graded=1, failed=len(failed), checks_never_failed=0, not_implemented={},
            misconceptions=(CheckStats("softmax", "stable_for_large_inputs", 1, 1, text),),
            failures=tuple(StudentNote(s, text) for s in failed),
            notes=(StudentNote(student, text),),
            timings=(Timing(student, 1.0),) + tuple(Timing(s, 0.5) for s in failed)))


def test_every_learner_string_is_escaped_when_rendered():
    report = _report(HOSTILE_STUDENT, HOSTILE_FAILED_STUDENT, HOSTILE)
    page = render(report, {})
    assert markup_in(page) == []
    assert page.count("&lt;script&gt;document.title") == 3           # message, reason, note
    assert "&lt;script&gt;alert(&#x27;id&#x27;)&lt;/script&gt;" in page   # the student id
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_a_hostile_class_reaches_the_page_as_text(hostile_page):
    page = hostile_page.read_text()
    assert markup_in(page) == []
    assert "&lt;marquee&gt;&lt;script&gt;document.title" in page                 # the check's message
    assert "a cell hung: &lt;script&gt;" in page                           # the note
    assert "&lt;img src=x onerror=alert(1)&gt;" in page                    # the failed student
    assert "&lt;script&gt;alert(&#x27;id&#x27;)&lt;/script&gt;" in page   # the graded student


def test_a_learners_long_text_is_cut_on_the_page():
    page = render(_report("s" + "x" * 5000, None, "m" * 100_000), {})
    assert "m" * 600 not in page and "x" * 600 not in page
    assert len(page) < 60_000
