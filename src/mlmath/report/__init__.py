"""A class report: one static HTML page per assignment, for instructors.

``data.gather`` reads the gradebook (scores) and the grading records (checks,
failures, time) into a :class:`~mlmath.report.model.ClassReport`;
``plots.charts`` draws it; ``html.render`` lays it out.
"""

from __future__ import annotations

from pathlib import Path

from mlmath.report.model import ClassReport

PAGE = "index.html"


def write_report(report: ClassReport, out_dir: Path) -> Path:
    """Write ``out_dir/index.html`` (a page that needs no server) and return its path."""
    from mlmath.report.html import render
    from mlmath.report.plots import charts

    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / PAGE
    path.write_text(render(report, charts(report)), encoding="utf-8")
    return path
