"""Which cells an exercise's process runs: the set-up cells, and the answer cells it reaches.

Each exercise is graded in a process of its own that runs only the cells its
functions need: the cells that bind them, then — transitively — the cells that
bind the names those cells use (helpers, constants, imports), and the locked
set-up cells.  So a cell that sabotages ``builtins`` spoils only the exercises
whose functions reach it.  Reading is conservative: a cell that binds names in
ways the reading cannot follow (``globals()``, ``exec``, ``from m import *``…)
is run for every exercise, and an exercise whose functions the reading cannot
find at all runs every cell, as a notebook run top to bottom would.
"""

from __future__ import annotations

import ast
import re

from mlmath.parsed_cells import ParsedCells, SourceMemo

#: calls and statements through which a cell may bind names no reading can follow
_DYNAMIC_CALLS = frozenset({"globals", "locals", "vars", "exec", "eval", "setattr", "__import__"})
_DEF = re.compile(r"^\s*def\s+(\w+)\s*\(", re.MULTILINE)


def _bound(tree: ast.Module) -> set[str]:
    """Names a cell binds at module level, in compound statements too (``if True: def f``)."""
    names: set[str] = set()
    stack = list(tree.body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
            continue   # their bodies bind local names
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
            continue
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        if isinstance(node, ast.Lambda):
            continue
        stack.extend(ast.iter_child_nodes(node))
    return names


def _dynamic(node: ast.AST) -> bool:
    if isinstance(node, ast.ImportFrom) and any(alias.name == "*" for alias in node.names):
        return True
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _DYNAMIC_CALLS:
        return True
    return isinstance(node, ast.Attribute) and node.attr == "__dict__"


def _used(tree: ast.Module) -> tuple[frozenset[str], bool]:
    """The names a cell mentions, and whether it binds names in ways no reading can follow."""
    used: set[str] = set()
    dynamic = False
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            used.add(node.id)
        elif not dynamic:
            dynamic = _dynamic(node)
    return frozenset(used), dynamic


#: what each of the last sources read binds, uses and whether it is dynamic
READINGS = SourceMemo(entries=256)


def _reading(source: str, tree: ast.Module) -> tuple[frozenset[str], frozenset[str], bool]:
    """What the cell binds and uses, and whether it is dynamic: read once while remembered."""
    reading = READINGS.recall(source)
    if reading is None:
        reading = (frozenset(_bound(tree)), *_used(tree))
        READINGS.remember(reading, source)
    return reading


class CellReader:
    """What each cell of a notebook binds and uses, read once for all its exercises."""

    def __init__(self, parsed: ParsedCells, setup: set[int]):
        self.count = len(parsed.cells)
        self.setup = set(setup)
        self.binds: list[frozenset[str]] = []
        self.uses: list[frozenset[str]] = []
        self.everywhere = set(self.setup)
        for cell, tree in zip(parsed.cells, parsed.trees):
            if tree is None:   # broken or oversized: it binds what it plainly defines, for the message
                self.binds.append(frozenset() if cell.index in parsed.oversized
                                  else frozenset(_DEF.findall(cell.source)))
                self.uses.append(frozenset())
                continue
            binds, uses, dynamic = _reading(cell.source, tree)
            self.binds.append(binds)
            self.uses.append(uses)
            if dynamic:
                self.everywhere.add(cell.index)

    def cells_for(self, functions: tuple[str, ...]) -> set[int]:
        """The indices of the cells an exercise with these ``functions`` runs."""
        if not all(any(name in bound for bound in self.binds) for name in functions):
            return set(range(self.count))
        chosen = set(self.everywhere)
        wanted = set(functions)
        for index in self.everywhere:
            wanted |= self.uses[index]
        seen: set[str] = set()
        while wanted - seen:
            name = (wanted - seen).pop()
            seen.add(name)
            for index, bound in enumerate(self.binds):
                if name in bound and index not in chosen:
                    chosen.add(index)
                    wanted |= self.uses[index]
        return chosen
