"""How grades are shown to people: plain text for terminals, HTML for notebooks and feedback."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:  # kept light: notebooks import this through mlmath.live
    from mlmath.grading.results import ExerciseResult, GradeReport

PASS, FAIL = "✓", "✗"
Row = tuple[str, bool, str]   # a check's name, whether it passed, its message


def points(value: float) -> str:
    """A score for people: at most two decimals, no trailing zeros (1.75, 2, 13.55)."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def checks_text(headline: str, rows: Iterable[Row], note: str = "") -> str:
    lines = [headline]
    lines += [f"  {PASS if ok else FAIL} {name}" + ("" if ok or not message else f": {message}")
              for name, ok, message in rows]
    return "\n".join(lines + ([f"  ({note})"] if note else []))


def checks_html(headline: str, rows: Iterable[Row], note: str = "", attributes: str = "") -> str:
    cell = "style='text-align:left;vertical-align:top;padding:2px 8px'"
    body = "".join(
        f"<tr><td {cell}><b style='color:{'#1a7f37' if ok else '#cf222e'}'>{PASS if ok else FAIL}</b></td>"
        f"<td {cell}><code>{html.escape(name)}</code></td>"
        f"<td {cell}>{'' if ok else html.escape(message)}</td></tr>"
        for name, ok, message in rows)
    note_html = f"<p><i>{html.escape(note)}</i></p>" if note else ""
    return (f"<div class='mlmath-result' {attributes}><p><b>{html.escape(headline)}</b></p>"
            f"<table style='margin-left:0'>{body}</table>{note_html}</div>")


def _rows(result: ExerciseResult) -> list[Row]:
    return [(c.name, c.passed, c.message) for c in result.checks]


def _headline(result: ExerciseResult) -> str:
    return f"{result.id}: {points(result.score)} / {points(result.max)}"


def exercise_text(result: ExerciseResult) -> str:
    return checks_text(_headline(result), _rows(result))


def exercise_html(result: ExerciseResult) -> str:
    return checks_html(_headline(result), _rows(result))


def report_text(report: GradeReport) -> str:
    width = max([len(eid) for eid in report.exercises] + [8])
    lines = [f"{report.notebook} ({report.assignment})", "",
             f"{'exercise':<{width}}  {'score':>11}"]
    for eid, result in report.exercises.items():
        lines.append(f"{eid:<{width}}  {points(result.score):>5} / {points(result.max):<3}")
    lines.append(f"{'total':<{width}}  {points(report.score):>5} / {points(report.max):<3}")
    for result in report.exercises.values():
        failed = [c for c in result.checks if not c.passed]
        if failed:
            lines += ["", f"{result.id}:"] + [f"  {FAIL} {c.name}: {c.message}" for c in failed]
    lines += [f"\nnote: {note}" for note in report.notes]
    return "\n".join(lines)
