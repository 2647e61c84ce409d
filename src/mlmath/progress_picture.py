"""The progress table as a picture: a grid of chapters × exercises, coloured by score.

One row per chapter, one cell per exercise, coloured from red (no points) to green
(full marks) and labelled with the exercise id and its score; a chapter that is not
started or cannot be graded is grey, its state beside its name.  Drawn with
matplotlib's object API on an Agg canvas (no pyplot, no window), like the class report.
"""

from __future__ import annotations

from pathlib import Path

from matplotlib import colormaps
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.cm import ScalarMappable
from matplotlib.colors import Normalize, to_rgb
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from mlmath.progress import GRADED, ChapterProgress, CourseProgress, full_marks
from mlmath.render import points

CELL_INCHES, ROW_INCHES, LABEL_INCHES, DPI = 1.25, 0.62, 2.1, 120
SCORES = colormaps["RdYlGn"]
UNGRADED, INK = "#d9d9d9", "#222222"


def write_picture(progress: CourseProgress, path: Path) -> Path:
    """Draw ``progress`` and save it as a PNG at ``path``."""
    columns = max(len(chapter.assignment.exercises) for chapter in progress.chapters)
    rows = len(progress.chapters)
    figure = Figure(figsize=(LABEL_INCHES + CELL_INCHES * columns + 0.9, 1.0 + ROW_INCHES * rows),
                    dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    for row, chapter in enumerate(progress.chapters):
        _draw_row(axes, row, chapter)
    axes.set_xlim(0, columns)
    axes.set_ylim(rows, 0)
    axes.set_yticks([row + 0.5 for row in range(rows)],
                    [_row_label(chapter) for chapter in progress.chapters], fontsize=8)
    axes.set_xticks([])
    axes.tick_params(length=0)
    axes.spines[:].set_visible(False)
    axes.set_title(f"progress: {progress.summary}", fontsize=10, loc="left")
    bar = figure.colorbar(ScalarMappable(Normalize(0, 1), SCORES), ax=axes, fraction=0.03, pad=0.01)
    bar.set_ticks([0, 0.5, 1], labels=["0", "half", "full"], fontsize=7)
    bar.set_label("share of the exercise's points", fontsize=7)
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, format="png", metadata={"Software": None})
    return path


def _draw_row(axes, row: int, chapter: ChapterProgress) -> None:
    for column, result in enumerate(chapter.results):
        share = result.score / result.max if result.max else 0.0
        colour = SCORES(share) if chapter.state == GRADED else UNGRADED
        axes.add_patch(Rectangle((column, row), 1, 1, facecolor=colour, edgecolor="white", linewidth=2))
        score = f"{points(result.score)} / {points(result.max)}" + (" ✓" if full_marks(result) else "")
        axes.text(column + 0.5, row + 0.5, f"{result.id}\n{score}", ha="center", va="center",
                  fontsize=7, color=_ink_on(colour))


def _ink_on(colour) -> str:
    """Dark text on a light cell, white on a dark one (the ends of the scale)."""
    red, green, blue = to_rgb(colour)
    return INK if 0.299 * red + 0.587 * green + 0.114 * blue > 0.45 else "white"


def _row_label(chapter: ChapterProgress) -> str:
    state = "" if chapter.state == GRADED else f" ({chapter.state})"
    return f"{chapter.assignment.id}\n{points(chapter.score)} / {points(chapter.max)}{state}"
