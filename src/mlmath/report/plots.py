"""The report's charts, drawn with matplotlib's Agg canvas and returned as PNG bytes.

Figures are built with the object API (no pyplot, no global backend), so making
a report never opens a window or touches another caller's matplotlib state.
Charts show only numbers and exercise ids from the course: nothing a learner
wrote is drawn, so nothing in an image needs escaping.
"""

from __future__ import annotations

import io
import math
from typing import Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, PercentFormatter

from mlmath.render import points as score_text
from mlmath.report.model import ClassReport, ExerciseStats

BLUE, ORANGE, GREEN, INK = "#3b6ea5", "#e08a2e", "#2e8b57", "#333333"
WIDTH_INCHES, DPI = 8.0, 150
MAX_SCORE_BINS = 36


def charts(report: ClassReport) -> dict[str, bytes]:
    """Every chart the report has data for, by name: ``scores``, ``exercises``, ``seconds``."""
    made = {}
    if report.scores:
        made["scores"] = score_histogram(report.totals, report.points, report.mean, report.median)
        made["exercises"] = exercise_bars(report.exercises)
    if report.grading and report.grading.timings:
        made["seconds"] = seconds_histogram([t.seconds for t in report.grading.timings])
    return made


def score_histogram(totals: Sequence[float], points: float, mean: float, median: float) -> bytes:
    """Total scores out of ``points``, one bin per point (fewer for long assignments)."""
    figure, axes = _figure(height=3.4)
    bins = np.linspace(0.0, points, min(max(math.ceil(points), 1), MAX_SCORE_BINS) + 1)
    axes.hist(totals, bins=bins, color=BLUE, edgecolor="white", linewidth=1)
    axes.axvline(mean, color=ORANGE, linewidth=2, linestyle="--", label=f"mean {score_text(mean)}")
    axes.axvline(median, color=GREEN, linewidth=2, linestyle=":", label=f"median {score_text(median)}")
    axes.set_xlim(0, points)
    axes.set_xlabel(f"total score (out of {score_text(points)})")
    axes.set_ylabel("submissions")
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    _legend_above(axes)
    return _png(figure)


def exercise_bars(exercises: Sequence[ExerciseStats]) -> bytes:
    """Per exercise, top to bottom: mean score as a share of its points, and the share with full marks."""
    figure, axes = _figure(height=0.9 + 0.55 * len(exercises))
    rows = np.arange(len(exercises))
    height = 0.38
    means = [e.mean / e.points for e in exercises]
    full = [e.full_marks for e in exercises]
    for offset, values, colour, label in ((-height / 2, means, BLUE, "mean score / points"),
                                          (height / 2, full, ORANGE, "submissions with full marks")):
        bars = axes.barh(rows + offset, values, height=height, color=colour, label=label)
        axes.bar_label(bars, labels=[f"{v:.0%}" for v in values], padding=3, fontsize=8, color=INK)
    axes.set_yticks(rows, [f"{e.id} ({score_text(e.points)} pts)" for e in exercises])
    axes.invert_yaxis()
    axes.set_xlim(0, 1.1)
    axes.xaxis.set_major_formatter(PercentFormatter(1.0))
    axes.set_xticks([0, 0.25, 0.5, 0.75, 1.0])
    _legend_above(axes)
    return _png(figure)


def seconds_histogram(seconds: Sequence[float]) -> bytes:
    """Wall time of grading per submission."""
    figure, axes = _figure(height=3.0)
    axes.hist(seconds, bins=min(max(len(seconds) // 2, 5), 30), color=BLUE, edgecolor="white", linewidth=1)
    median = float(np.median(seconds))
    axes.axvline(median, color=GREEN, linewidth=2, linestyle=":", label=f"median {median:.1f} s")
    axes.set_xlabel("seconds to grade one submission")
    axes.set_ylabel("submissions")
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    _legend_above(axes)
    return _png(figure)


def _figure(height: float) -> tuple[Figure, Axes]:
    figure = Figure(figsize=(WIDTH_INCHES, height), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    axes.spines[["top", "right"]].set_visible(False)
    return figure, axes


def _legend_above(axes: Axes) -> None:
    """Legends go above the plot, where they never hide a bar."""
    axes.legend(frameon=False, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=3)


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()
