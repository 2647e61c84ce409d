"""Reading a learner's notebook: which cells to run, found by nbgrader metadata.

Cells are chosen by their nbgrader metadata, never by position: the answer
cells (``solution: true``) and the read-only set-up cells (``locked: true``,
not graded) run, in notebook order; test cells, demonstrations and plots do not.
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass
from pathlib import Path

from mlmath.parsed_cells import ParsedCells


class NotebookError(Exception):
    """The file cannot be read as a notebook."""


@dataclass(frozen=True)
class CodeCell:
    index: int          # position among the cells that run
    source: str         # runnable Python (IPython magics commented out)
    grade_id: str | None
    setup: bool = False  # a locked set-up cell (imports, helpers the course provides)


_MAGIC = re.compile(r"^(\s*)([%!])", re.MULTILINE)


def read_notebook(path: Path) -> dict:
    """The notebook as plain JSON, cell sources joined into strings.

    Read with ``json`` rather than nbformat: importing nbformat's validator costs
    over a second, and grading needs only the cells, which this checks itself.
    """
    try:
        with open(path, encoding="utf-8") as handle:
            notebook = json.load(handle)
    except FileNotFoundError:
        raise NotebookError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise NotebookError(f"{path} is not a readable notebook ({type(exc).__name__}: {exc})") from None
    except RecursionError:
        raise NotebookError(f"{path} is not a readable notebook (its JSON is nested too deeply)") from None
    if not isinstance(notebook, dict) or notebook.get("nbformat") != 4 \
            or not isinstance(notebook.get("cells"), list):
        raise NotebookError(f"{path} is not a Jupyter notebook in format 4")
    for cell in notebook["cells"]:
        if not isinstance(cell, dict):
            raise NotebookError(f"{path} has a malformed cell")
        source = cell.get("source", "")
        cell["source"] = "".join(source) if isinstance(source, list) else str(source)
        if not isinstance(cell.get("metadata", {}), dict):
            cell["metadata"] = {}
    return notebook


def _nbgrader(cell) -> dict:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return meta if isinstance(meta, dict) else {}


def is_runnable(cell) -> bool:
    """An answer cell, or a locked set-up cell (imports, helpers the course provides)."""
    if cell.get("cell_type") != "code":
        return False
    meta = _nbgrader(cell)
    return bool(meta.get("solution")) or (bool(meta.get("locked")) and not meta.get("grade"))


def strip_magics(source: str) -> str:
    """Comment out IPython ``%magic`` and ``!shell`` lines so the cell is plain Python."""
    return _MAGIC.sub(r"\1# \2", source)


def runnable_cells(nb) -> list[CodeCell]:
    cells = [cell for cell in nb.get("cells", []) if is_runnable(cell)]
    return [CodeCell(i, strip_magics(str(cell.get("source", ""))), _nbgrader(cell).get("grade_id"),
                     not _nbgrader(cell).get("solution"))
            for i, cell in enumerate(cells)]


def test_cells(nb) -> dict[str, object]:
    """Autograder test cells by grade id."""
    return {str(_nbgrader(cell).get("grade_id")): cell for cell in nb.get("cells", [])
            if cell.get("cell_type") == "code" and _nbgrader(cell).get("grade")
            and not _nbgrader(cell).get("solution")}


def definitions(parsed: ParsedCells) -> dict[str, int]:
    """Which cell (last one wins, as when a notebook runs top to bottom) binds each top-level
    name, read from the trees parsed once for the whole grading; an oversized cell binds none."""
    where: dict[str, int] = {}
    for cell, tree in zip(parsed.cells, parsed.trees):
        if tree is None:
            if cell.index not in parsed.oversized:
                # still a good guess for the learner-facing message: 'def name(' in a broken cell
                for name in re.findall(r"^def\s+(\w+)\s*\(", cell.source, re.MULTILINE):
                    where[name] = cell.index
            continue
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                where[node.name] = cell.index
            elif isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        where[target.id] = cell.index
    return where
