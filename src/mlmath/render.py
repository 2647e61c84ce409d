"""How grades are shown to people: plain text for terminals, HTML for notebooks and feedback."""

from __future__ import annotations

import html

from mlmath.grading.results import ExerciseResult, GradeReport

PASS, FAIL = "✓", "✗"


def points(value: float) -> str:
    """A score for people: at most two decimals, no trailing zeros (1.75, 2, 13.55)."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def exercise_text(result: ExerciseResult) -> str:
    lines = [f"{result.id}: {points(result.score)} / {points(result.max)}"]
    for check in result.checks:
        mark = PASS if check.passed else FAIL
        lines.append(f"  {mark} {check.name}" + ("" if check.passed else f": {check.message}"))
    return "\n".join(lines)


def exercise_html(result: ExerciseResult) -> str:
    rows = "".join(
        f"<tr><td style='color:{'#1a7f37' if c.passed else '#cf222e'};font-weight:bold'>"
        f"{PASS if c.passed else FAIL}</td><td><code>{html.escape(c.name)}</code></td>"
        f"<td>{'' if c.passed else html.escape(c.message)}</td></tr>"
        for c in result.checks)
    return (f"<div class='mlmath-result'><p><b>{html.escape(result.id)}</b>: "
            f"<b>{points(result.score)} / {points(result.max)}</b></p>"
            f"<table>{rows}</table></div>")


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
