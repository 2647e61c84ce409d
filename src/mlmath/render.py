"""How grades are shown to people: plain text for terminals, HTML for notebooks and feedback."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:  # kept light: notebooks import this through mlmath.live
    from mlmath.grading.results import ExerciseResult, GradeReport

PASS, FAIL = "✓", "✗"
#: a check's name, whether it passed, its message (what is wrong) and, optionally,
#: how to fix it — the hint's second step
Row = tuple[str, bool, str] | tuple[str, bool, str, str]


def points(value: float) -> str:
    """A score for people: at most two decimals, no trailing zeros (1.75, 2, 13.55)."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _fields(row: Row) -> tuple[str, bool, str, str]:
    name, ok, message, *fix = row
    return name, ok, message, "" if ok or not fix else fix[0]


def checks_text(headline: str, rows: Iterable[Row], note: str = "", hints: bool = False) -> str:
    """The checks as lines for a terminal; a failed check's fix only with ``hints``."""
    lines = [headline]
    for name, ok, message, fix in map(_fields, rows):
        lines.append(f"  {PASS if ok else FAIL} {name}" + ("" if ok or not message else f": {message}"))
        if hints and fix:
            lines.append(f"      how to fix: {fix}")
    return "\n".join(lines + ([f"  ({note})"] if note else []))


def _fix_html(fix: str, collapsed: bool) -> str:
    if not fix:
        return ""
    if collapsed:   # the learner asks for it: the hint's second step
        return f"<details><summary>how to fix</summary>{html.escape(fix)}</details>"
    return f"<div><i>how to fix:</i> {html.escape(fix)}</div>"


def checks_html(headline: str, rows: Iterable[Row], note: str = "", attributes: str = "",
                collapse_fixes: bool = True) -> str:
    """The checks as an HTML table: a failed check's message, and its fix collapsed under it
    (a check cell) or in full (``collapse_fixes=False``: the instructor's feedback)."""
    cell = "style='text-align:left;vertical-align:top;padding:2px 8px'"
    body = "".join(
        f"<tr><td {cell}><b style='color:{'#1a7f37' if ok else '#cf222e'}'>{PASS if ok else FAIL}</b></td>"
        f"<td {cell}><code>{html.escape(name)}</code></td>"
        f"<td {cell}>{'' if ok else html.escape(message) + _fix_html(fix, collapse_fixes)}</td></tr>"
        for name, ok, message, fix in map(_fields, rows))
    note_html = f"<p><i>{html.escape(note)}</i></p>" if note else ""
    return (f"<div class='mlmath-result' {attributes}><p><b>{html.escape(headline)}</b></p>"
            f"<table style='margin-left:0'>{body}</table>{note_html}</div>")


def _rows(result: ExerciseResult) -> list[Row]:
    return [(c.name, c.passed, c.message, c.fix) for c in result.checks]


def _headline(result: ExerciseResult) -> str:
    return f"{result.id}: {points(result.score)} / {points(result.max)}"


def exercise_text(result: ExerciseResult) -> str:
    """An exercise's result for the instructor's feedback: every failed check's fix in full."""
    return checks_text(_headline(result), _rows(result), hints=True)


def exercise_html(result: ExerciseResult) -> str:
    """An exercise's result for the instructor's feedback: every failed check's fix in full."""
    return checks_html(_headline(result), _rows(result), collapse_fixes=False)


def report_text(report: GradeReport, hints: bool = False) -> str:
    """The table of ``mlmath check``: scores, then every failed check's message, and with
    ``hints`` its fix too."""
    width = max([len(eid) for eid in report.exercises] + [8])
    lines = [f"{report.notebook} ({report.assignment})", "",
             f"{'exercise':<{width}}  {'score':>11}"]
    for eid, result in report.exercises.items():
        lines.append(f"{eid:<{width}}  {points(result.score):>5} / {points(result.max):<3}")
    lines.append(f"{'total':<{width}}  {points(report.score):>5} / {points(report.max):<3}")
    for result in report.exercises.values():
        failed = [row for row in _rows(result) if not row[1]]
        if failed:
            lines += ["", checks_text(f"{result.id}:", failed, hints=hints)]
    lines += [f"\nnote: {note}" for note in report.notes]
    return "\n".join(lines)
