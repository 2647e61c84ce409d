"""A notebook's runnable cells, each parsed once and only if it is of a sane size.

The trusted process reads the learner's code before the sandbox runs it: to
find where each function is defined and to scan for "from scratch" shortcuts.
That reading happens outside every limit of the sandbox, so it is bounded here:
a runnable cell larger than the course's ``Limits.answer_cell_kb`` is never
parsed (and must not be run either: :func:`oversized_cells` names it for the
sandbox), and every other cell is parsed exactly once per graded notebook, its
tree shared by all the readers.
"""

from __future__ import annotations

import ast
import math
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mlmath.notebook import CodeCell


@dataclass(frozen=True)
class ParsedCells:
    cells: tuple[CodeCell, ...]
    trees: tuple[ast.Module | None, ...]   # one per cell; None: oversized, or does not parse
    oversized: frozenset[int]              # the ``index`` of every cell over the size limit


def cell_bytes(source: str) -> int:
    """The cell's size in UTF-8 (a lone surrogate, which JSON allows, counts as 3 bytes)."""
    return len(source.encode("utf-8", "surrogatepass"))


def oversized_cells(cells: list[CodeCell], limit_kb: int) -> frozenset[int]:
    """The ``index`` of each cell larger than ``limit_kb`` KiB: it must not be parsed or run."""
    return frozenset(cell.index for cell in cells if cell_bytes(cell.source) > limit_kb * 1024)


def _parse(source: str) -> ast.Module | None:
    try:
        return ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        # a broken cell defines nothing; the graders will say so.  Besides SyntaxError the
        # parser raises ValueError (a lone surrogate), RecursionError and MemoryError (too
        # deeply nested, e.g. ``a.b.b...b`` or ``- - ... - 1``): none may stop the grading
        return None


def parse_cells(cells: list[CodeCell], limit_kb: int, deadline: float = math.inf) -> ParsedCells:
    """Parse each cell of at most ``limit_kb`` KiB, once.  Cells reached after ``deadline``
    (the end of the submission's time budget) are left unparsed: by then the budget is spent
    and nothing of the notebook is graded anyway, however many cells it has."""
    oversized = oversized_cells(cells, limit_kb)
    trees = []
    for cell in cells:
        in_time = time.monotonic() < deadline
        trees.append(_parse(cell.source) if in_time and cell.index not in oversized else None)
    return ParsedCells(tuple(cells), tuple(trees), oversized)
