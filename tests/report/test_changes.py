"""The report's "Changes since the last grading" section, from regrades as the records hold them."""

from mlmath.batch.regrade import CheckChange, Regrade
from mlmath.report.html import render
from mlmath.report.model import ClassReport

HOSTILE_STUDENT = "<img src=x onerror=alert(1)>"


def page(*regrades: Regrade) -> str:
    report = ClassReport(course="mlmath", assignment="ch04_numerics", points=18.0, generated="today",
                         submissions=len(regrades), scores=(), exercises=(), regrades=regrades)
    return render(report, {})


def test_only_submissions_that_changed_are_listed_with_what_was_kept():
    lowered = Regrade(HOSTILE_STUDENT, 14.0, 13.5, 14.0,
                      (CheckChange("bce_logits", "returns_a_single_number", "passed", "failed"),),
                      {"test_bce_logits": 1.875}, since="2026-01-01T00:00:00+00:00")
    unmoved = Regrade("hana", 12.0, 12.0, 12.0, (), {}, since="2026-01-01T00:00:00+00:00")
    html = page(lowered, unmoved)
    table = html.split("id='changes-table'")[1].split("</table>")[0]
    assert "2 submissions were graded again" in html and "1 changed" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in table and HOSTILE_STUDENT not in html
    assert "returns_a_single_number</code> passed → failed" in table and "bce_logits" in table
    assert "hana" not in table


def test_no_section_without_regrades_and_a_quiet_one_when_nothing_changed():
    assert "id='changes'" not in page()
    quiet = page(Regrade("hana", 12.0, 12.0, 12.0, (), {}, since="2026-01-01T00:00:00+00:00"))
    assert "No grade and no hidden check" in quiet and "changes-table" not in quiet
