"""Rendering a ClassReport as one self-contained HTML page.

The page is meant to be opened from disk and mailed around: CSS inline, charts
as base64 PNG data URIs, no JavaScript, no external URL.  Student ids, reasons
and check messages come from learners' work, so every piece of text is escaped
where it enters the page, and cut to a bounded length: helpers take plain strings
and escape them, and only markup built here (:class:`Html`) passes through unchanged.
"""

from __future__ import annotations

import base64
from html import escape
from typing import Collection, Iterable, Sequence

from mlmath.render import points as score_text
from mlmath.report.model import ClassReport, GradingSummary, StudentNote

SLOWEST_SHOWN = 5
#: longest piece of text shown in one place of the page
TEXT_LIMIT = 600

STYLE = """
body { margin: 0; background: #f6f7f9; color: #1f2328;
       font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; }
main { max-width: 960px; margin: 0 auto; padding: 24px 28px 48px; }
header { border-bottom: 3px solid #3b6ea5; margin-bottom: 8px; }
.kicker { margin: 0; color: #57606a; text-transform: uppercase; letter-spacing: .08em; font-size: 12px; }
h1 { margin: 2px 0 12px; font-size: 28px; }
h2 { margin: 0 0 10px; font-size: 20px; }
h3 { margin: 18px 0 6px; font-size: 16px; }
section { background: #fff; border: 1px solid #d8dee4; border-radius: 8px; padding: 18px 22px; margin: 18px 0; }
.facts { display: flex; flex-wrap: wrap; gap: 8px 26px; margin: 0 0 16px; }
.facts dt { color: #57606a; font-size: 12px; text-transform: uppercase; letter-spacing: .05em; }
.facts dd { margin: 0; font-size: 18px; font-weight: 600; }
.summary { font-size: 16px; }
.summary b { font-variant-numeric: tabular-nums; }
img { display: block; width: 100%; max-width: 800px; height: auto; margin: 8px auto; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 10px; font-size: 14px; }
th, td { text-align: left; vertical-align: top; padding: 5px 8px; border-bottom: 1px solid #e5e8eb; }
th { background: #f0f3f6; font-weight: 600; }
tbody tr:nth-child(even) { background: #fafbfc; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
table.compact { width: auto; min-width: 40%; }
code { font: 13px ui-monospace, "DejaVu Sans Mono", monospace; background: #eff1f3; padding: 1px 4px;
       border-radius: 4px; white-space: nowrap; }
.exercise { display: block; color: #57606a; font-size: 12px; padding-left: 4px; }
#misconception-table td:last-child { width: 50%; }
.bar { display: inline-block; width: 70px; height: 9px; background: #e5e8eb; border-radius: 5px;
       vertical-align: middle; margin-right: 6px; }
.bar span { display: block; height: 100%; background: #e08a2e; border-radius: 5px; }
.muted { color: #57606a; }
.notice { background: #fff8c5; border: 1px solid #d4a72c; border-radius: 6px; padding: 10px 14px; }
"""


class Html(str):
    """Markup made by this module, inserted into the page as it is."""


def render(report: ClassReport, charts: dict[str, bytes]) -> str:
    """The whole page; ``charts`` holds PNG bytes by name (see ``plots.charts``)."""
    sections = [_header(report), _scores(report, charts), _exercises(report, charts)]
    if report.regrades:
        from mlmath.report.changes_section import changes_section  # it builds on this module's helpers
        sections.append(changes_section(report.regrades))
    if report.grading is None:
        sections.append(_no_records())
    else:
        sections += [_misconceptions(report.grading), _problems(report.grading),
                     _timing(report.grading, charts)]
    if report.similarity is not None:
        from mlmath.report.similarity_section import similarity_section  # it builds on this module's helpers
        sections.append(similarity_section(report.similarity))
    title = f"{report.assignment} — {report.course} class report"
    return ("<!DOCTYPE html>\n<html lang='en'>\n<head>\n<meta charset='utf-8'>\n"
            f"<title>{escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n"
            "<body>\n<main>\n" + "\n".join(sections) + "\n</main>\n</body>\n</html>\n")


# ------------------------------------------------------------------ sections

def _header(report: ClassReport) -> Html:
    grading = report.grading
    facts = [("course", report.course), ("assignment", report.assignment),
             ("submissions", report.submissions),
             ("graded", grading.graded if grading else f"{len(report.scores)} by nbgrader"),
             ("failed to grade", grading.failed if grading else "not recorded"),
             ("generated", report.generated)]
    items = "".join(f"<div><dt>{escape(name)}</dt><dd>{escape(str(value))}</dd></div>"
                    for name, value in facts)
    return Html(f"<header id='header'><p class='kicker'>{escape(report.course)} · class report</p>"
                f"<h1>{escape(report.assignment)}</h1><dl class='facts'>{items}</dl></header>")


def _scores(report: ClassReport, charts: dict[str, bytes]) -> Html:
    if not report.scores:
        return _section("scores", "Score distribution", _p("The gradebook has no submissions yet."))
    out_of = f" / {score_text(report.points)}"
    summary = Html(
        f"<p class='summary'>Mean <b>{escape(score_text(report.mean) + out_of)}</b> · "
        f"median <b>{escape(score_text(report.median) + out_of)}</b> · "
        f"lowest <b>{escape(score_text(min(report.totals)))}</b> · "
        f"highest <b>{escape(score_text(max(report.totals)))}</b> · "
        f"{len(report.scores)} submissions in the gradebook</p>")
    return _section("scores", "Score distribution", summary,
                    _image(charts.get("scores"), "Histogram of total scores with the mean and median marked"))


def _exercises(report: ClassReport, charts: dict[str, bytes]) -> Html:
    if not report.scores:
        return Html("")
    rows = [(_identifier(e.id), score_text(e.points), score_text(e.mean),
             f"{e.mean / e.points:.0%}", f"{e.full_marks:.0%}") for e in report.exercises]
    table = _table(["exercise", "points", "mean score", "mean / points", "full marks"], rows,
                   numeric={1, 2, 3, 4}, table_id="exercise-table")
    return _section("exercises", "Exercises", table,
                    _image(charts.get("exercises"),
                           "Bar chart per exercise: mean score as a share of its points, "
                           "and the share of submissions with full marks"))


def _misconceptions(grading: GradingSummary) -> Html:
    intro = _p("Hidden checks the class failed, most often first. A check counts the graded "
               "submissions that wrote its function; answers not written yet are counted apart, below.")
    if grading.misconceptions:
        rows = [(n, Html(f"<span class='exercise'>{escape(c.exercise)}</span>{_identifier(c.name)}"),
                 f"{c.failed} / {c.attempted}", _share_bar(c.share), c.message)
                for n, c in enumerate(grading.misconceptions, 1)]
        ranking = _table(["#", "check", "failed", "share", "message the learners saw"], rows,
                         numeric={0, 2, 3}, table_id="misconception-table")
    else:
        ranking = _p("No submission failed a hidden check.")
    passed = _p(f"Passed by every submission graded on them: {grading.checks_never_failed} checks.", muted=True)
    if grading.not_implemented:
        unwritten = _table(["exercise", "submissions"],
                           [(_identifier(e), count) for e, count in grading.not_implemented.items()],
                           numeric={1}, table_id="not-implemented-table", compact=True)
    else:
        unwritten = _p("Every graded submission wrote every function.")
    return _section("misconceptions", "The class's common misconceptions", intro, ranking, passed,
                    Html("<h3>Not implemented yet</h3>"), unwritten)


def _problems(grading: GradingSummary) -> Html:
    parts = [Html("<h3>Could not be graded</h3>"),
             _notes_table(grading.failures, "reason", "failures-table", "Every submission was graded.")]
    parts += [Html("<h3>Notes</h3>"),
              _notes_table(grading.notes, "note", "notes-table", "No faults were noted.")]
    return _section("problems", "Submissions with problems", *parts)


def _timing(grading: GradingSummary, charts: dict[str, bytes]) -> Html:
    summary = Html(
        f"<p class='summary'>Total <b>{grading.total_seconds:.1f} s</b> · "
        f"median <b>{grading.median_seconds:.1f} s</b> · max <b>{grading.max_seconds:.1f} s</b> "
        f"per submission</p>")
    slowest = _table(["student", "seconds"],
                     [(t.student, f"{t.seconds:.2f}") for t in grading.timings[:SLOWEST_SHOWN]],
                     numeric={1}, table_id="slowest-table", compact=True)
    return _section("timing", "Grading time", summary,
                    _image(charts.get("seconds"), "Histogram of grading seconds per submission"),
                    Html(f"<h3>Slowest {min(SLOWEST_SHOWN, len(grading.timings))}</h3>"), slowest)


def _no_records() -> Html:
    return _section("no-records", "Checks, failures and grading time", Html(
        "<p class='notice'>There are no grading records for this assignment: the class was "
        "graded with <code>nbgrader autograde</code>, not <code>mlmath autograde</code>. "
        "The scores above come from the gradebook; which hidden checks failed, which submissions "
        "could not be graded and how long grading took are recorded only by "
        "<code>mlmath autograde</code>.</p>"))


# ------------------------------------------------------------------ building blocks

def _section(section_id: str, title: str, *parts: Html) -> Html:
    return Html(f"<section id='{section_id}'><h2>{escape(title)}</h2>{''.join(map(_text, parts))}</section>")


def _p(text: str, muted: bool = False) -> Html:
    return Html(f"<p{' class=muted' if muted else ''}>{_text(text)}</p>")


def _text(value: object) -> str:
    """``value`` as page text: escaped, and cut to :data:`TEXT_LIMIT` characters, since
    much of it comes from learners' work (ids, reasons, messages)."""
    if isinstance(value, Html):
        return value
    text = str(value)
    return escape(text if len(text) <= TEXT_LIMIT else text[:TEXT_LIMIT - 1] + "…")


def _table(headers: Sequence[str], rows: Iterable[Sequence[object]], numeric: Collection[int] = (),
           table_id: str = "", compact: bool = False) -> Html:
    def cell(tag: str, n: int, value: object) -> str:
        return f"<{tag}{' class=num' if n in numeric else ''}>{_text(value)}</{tag}>"
    head = "".join(cell("th", n, h) for n, h in enumerate(headers))
    body = "".join("<tr>" + "".join(cell("td", n, v) for n, v in enumerate(row)) + "</tr>" for row in rows)
    return Html(f"<table id='{table_id}'{' class=compact' if compact else ''}>"
                f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")


def _identifier(name: str) -> Html:
    """An exercise or check id, as code."""
    return Html(f"<code>{escape(name)}</code>")


def _notes_table(notes: Sequence[StudentNote], what: str, table_id: str, empty: str) -> Html:
    if not notes:
        return _p(empty, muted=True)
    return _table(["student", what], [(n.student, n.text) for n in notes], table_id=table_id)


def _share_bar(share: float) -> Html:
    percent = round(100 * min(max(share, 0.0), 1.0))
    return Html(f"<span class='bar'><span style='width:{percent}%'></span></span>{percent}%")


def _image(png: bytes | None, alt: str) -> Html:
    if png is None:
        return Html("")
    data = base64.b64encode(png).decode("ascii")
    return Html(f"<img src='data:image/png;base64,{data}' alt='{escape(alt)}'>")
