"""A notebook's runnable cells, each parsed once and only if it is of a sane size.

The trusted process reads the learner's code before the sandbox runs it: to
find where each function is defined and to scan for "from scratch" shortcuts.
That reading happens outside every limit of the sandbox, so it is bounded here:
a runnable cell larger than the course's ``Limits.answer_cell_kb`` is never
parsed (and must not be run either: :func:`oversized_cells` names it for the
sandbox), and every other cell is parsed at most once per graded notebook, its
tree shared by all the readers.

A process that grades a class reads the same cells again and again: the locked
set-up cells, the answer stubs nobody touched, the same answer handed in twice.
So a cell's tree, and what the readers find in it, is remembered for the next
notebooks by a :class:`SourceMemo`: keyed by the source, for the last sources
read, never for a long one.  What is remembered is shared by every notebook
with the cell: no reader may change a tree, and what the readers remember is
immutable (frozensets, tuples).
"""

from __future__ import annotations

import ast
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Hashable
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


#: the longest source (in characters) of which anything is remembered: a learner's cell is
#: untrusted text, and what a process remembers of it must not grow with it
REMEMBERED_CHARS = 4096


class SourceMemo:
    """What was read from a cell's source (and ``context``, what else the reading depended on)
    for the last ``entries`` of them, none of a source over :data:`REMEMBERED_CHARS`: it holds
    at most ``entries`` times what is read of 4 KiB of code.  Thread-safe: a Dask worker may
    grade in several threads."""

    def __init__(self, entries: int):
        self.entries = entries
        self._found: OrderedDict[tuple, object] = OrderedDict()
        self._lock = threading.Lock()

    def recall(self, source: str, *context: Hashable) -> object | None:
        """What was remembered for this source and context; None if nothing."""
        key = (source, *context)
        with self._lock:
            if key not in self._found:
                return None
            self._found.move_to_end(key)
            return self._found[key]

    def remember(self, found: object, source: str, *context: Hashable) -> None:
        if len(source) > REMEMBERED_CHARS:
            return
        key = (source, *context)
        with self._lock:
            self._found[key] = found
            self._found.move_to_end(key)
            while len(self._found) > self.entries:
                self._found.popitem(last=False)


#: the trees of the last sources parsed: up to 200 bytes of tree per character of source, so
#: at most 50 MB (3 MB for cells like the course's: 30 bytes a character, 1.5 KiB a cell)
TREES = SourceMemo(entries=64)


def _parse(source: str) -> ast.Module | None:
    try:
        return ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        # a broken cell defines nothing; the graders will say so.  Besides SyntaxError the
        # parser raises ValueError (a lone surrogate), RecursionError and MemoryError (too
        # deeply nested, e.g. ``a.b.b...b`` or ``- - ... - 1``): none may stop the grading
        return None


def _tree(source: str) -> ast.Module | None:
    """The source's tree, parsed once while it is remembered (a broken cell is parsed again)."""
    tree = TREES.recall(source)
    if tree is None:
        tree = _parse(source)
        if tree is not None:
            TREES.remember(tree, source)
    return tree


def parse_cells(cells: list[CodeCell], limit_kb: int, deadline: float = math.inf) -> ParsedCells:
    """Parse each cell of at most ``limit_kb`` KiB, once.  Cells reached after ``deadline``
    (the end of the submission's time budget) are left unparsed: by then the budget is spent
    and nothing of the notebook is graded anyway, however many cells it has."""
    oversized = oversized_cells(cells, limit_kb)
    trees = []
    for cell in cells:
        in_time = time.monotonic() < deadline
        trees.append(_tree(cell.source) if in_time and cell.index not in oversized else None)
    return ParsedCells(tuple(cells), tuple(trees), oversized)
