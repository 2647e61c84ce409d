"""Finding "from scratch" violations by reading the learner's code, never running it.

The scan happens in the trusted process on the notebook's source.  It resolves
every name through the imports and simple assignments of all answer cells, so
a shortcut is found whether it is called directly (``np.linalg.norm``), through
an alias (``import numpy.linalg as la``; ``n = np.linalg.norm``), via
``from ... import ... as ...``, with ``getattr``/``__import__``/
``importlib.import_module`` and a literal name, or as a method (``A.dot(B)``
counts as ``np.dot``).  Only the exercise's own functions and the learner
helpers they call (transitively) are held to the rule.

It runs outside the sandbox's limits, so it is bounded here.  Its input is the
cells :func:`mlmath.parsed_cells.parse_cells` parsed once (none larger than the
course allows); one :class:`ShortcutScan` serves every exercise of a notebook
and reads each tree at most twice (once for the aliases, once for each function
an exercise reaches), so its time is linear in the source; and it stops with
:class:`ScanTooLong` at its deadline.  What a function's code reaches is
remembered for the next notebooks that have the same cell, with the aliases and
top-level names it depends on (:class:`~mlmath.parsed_cells.SourceMemo`).
"""

from __future__ import annotations

import ast
import math
import time
from collections import deque
from dataclasses import dataclass

import numpy

from mlmath.grading.results import CheckResult

from mlmath.parsed_cells import ParsedCells, SourceMemo

MATMUL_OPERATOR = "@"

# Resolved paths are kept to this many characters: building ``a.b.b...b`` whole at every
# level of a long chain would be quadratic.  Cutting them changes no match as long as every
# forbidden entry is shorter, since an entry matches a path it equals or that starts with
# the entry and a dot.
PATH_CHARS = 256

_NODES_PER_CLOCK_CHECK = 4096
# what can hold an import or an assignment: expressions hold none, so skipping them keeps
# the statements in ``ast.walk``'s order
_STATEMENTS = (ast.stmt, ast.excepthandler, ast.match_case)


class ScanTooLong(Exception):
    """The scan passed its deadline.  Not "no shortcut found": the notebook used up its
    time budget, and is graded as such."""


@dataclass(frozen=True)
class Shortcut:
    forbidden: str   # the catalog's entry, e.g. "numpy.linalg.norm"
    function: str    # the learner function in which it was found

    @property
    def display(self) -> str:
        if self.forbidden == MATMUL_OPERATOR:
            return "the @ operator"
        return "np." + self.forbidden[6:] if self.forbidden.startswith("numpy.") else self.forbidden


def _join(base: str, attr: str) -> str:
    return f"{base}.{attr}"[:PATH_CHARS]


def _literal(node: ast.AST) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


class _Aliases:
    """Maps local names to the dotted paths they stand for."""

    def __init__(self):
        self.names: dict[str, str] = {}
        self._known: dict[int, str | None] | None = None   # id(node) -> path, once frozen

    def learn(self, nodes) -> None:
        for node in nodes:
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        self.names[alias.asname] = alias.name[:PATH_CHARS]
                    else:
                        top = alias.name.split(".")[0]
                        self.names[top] = top
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                for alias in node.names:
                    self.names[alias.asname or alias.name] = _join(node.module, alias.name)
            elif isinstance(node, ast.Assign) and len(node.targets) == 1 \
                    and isinstance(node.targets[0], ast.Name):
                path = self.resolve(node.value)
                if path:
                    self.names[node.targets[0].id] = path

    def freeze(self) -> None:
        """No more names: from now on each node's path is worked out once and remembered."""
        self._known = {}

    def resolve(self, node: ast.AST) -> str | None:
        """The dotted path an expression names, if it names a module member.

        Worked out from the inside with a stack of its own, not by recursion: an attribute
        chain or a chain of calls (``f('a')('b')...``) can be thousands of links long."""
        if not isinstance(node, (ast.Attribute, ast.Call)):
            return self._path(node, None)
        paths = {} if self._known is None else self._known
        todo = [node]
        while todo:
            link = todo[-1]
            if id(link) in paths:
                todo.pop()
                continue
            inner = _inner(link)
            if inner is not None and id(inner) not in paths:
                todo.append(inner)
                continue
            todo.pop()
            paths[id(link)] = self._path(link, None if inner is None else paths[id(inner)])
        return paths[id(node)]

    def _path(self, node: ast.AST, inner: str | None) -> str | None:
        """``node``'s path, given the path of the expression it is built on (see :func:`_inner`)."""
        if isinstance(node, ast.Name):
            return self.names.get(node.id)
        if isinstance(node, ast.Attribute):
            return _join(inner, node.attr) if inner else None
        if isinstance(node, ast.Call) and node.args and _literal(node.args[-1]) is not None:
            if _is_name(node.func, "getattr") and len(node.args) == 2:
                return _join(inner, _literal(node.args[1])) if inner else None
            if _is_name(node.func, "__import__") or inner == "importlib.import_module":
                module = _literal(node.args[0])
                return module[:PATH_CHARS] if module else None
        return None


def _is_name(node: ast.AST, name: str) -> bool:
    return isinstance(node, ast.Name) and node.id == name


def _inner(node: ast.AST) -> ast.AST | None:
    """The expression whose path ``node``'s path is built on: ``a.b`` on ``a``,
    ``getattr(a, 'b')`` on ``a``, ``f('m')`` on ``f`` (is it ``importlib.import_module``?)."""
    if isinstance(node, ast.Attribute):
        return node.value
    if isinstance(node, ast.Call) and node.args and _literal(node.args[-1]) is not None:
        if _is_name(node.func, "getattr") and len(node.args) == 2:
            return node.args[0]
        if not _is_name(node.func, "__import__"):
            return node.func
    return None


@dataclass(frozen=True)
class _Body:
    """What one top-level binding's code can reach, whatever the exercise forbids."""

    paths: frozenset[str]         # every dotted path it names or imports, and their dotted prefixes
    methods: frozenset[str]       # attributes taken of something that names no module member
    matmul: bool                  # uses the @ operator
    callees: tuple[str, ...]      # other top-level names it mentions, first mention first
    names: frozenset[str]         # every name it mentions (what they stand for is all else it depends on)


@dataclass(frozen=True)
class _Binding:
    """A top-level binding, and where it is: what its code reaches is remembered by place."""

    source: str       # of its cell
    index: int        # of its statement in the cell
    node: ast.AST     # the def, or the value of the assignment


def _top_level(cells: list[tuple[str, ast.Module]]) -> dict[str, _Binding]:
    """The last top-level binding of each name: a def, or the value of an assignment."""
    bound: dict[str, _Binding] = {}
    for source, tree in cells:
        for index, node in enumerate(tree.body):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                bound[node.name] = _Binding(source, index, node)
            elif isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        bound[target.id] = _Binding(source, index, node.value)
    return bound


#: by the cell's source and the binding's statement: the ``_context`` of its last reading, and the _Body
BODIES = SourceMemo(entries=256)


#: the methods that are the ``@`` operator by another name
_MATMUL_METHODS = ("__matmul__", "__rmatmul__", "__imatmul__")


def _method_names(forbidden: tuple[str, ...]) -> dict[str, str]:
    """``.dot`` on anything counts as ``numpy.dot`` when that is forbidden, and
    ``.__matmul__`` as the ``@`` operator."""
    methods = {}
    for entry in forbidden:
        if entry.startswith("numpy.") and entry.count(".") == 1 and hasattr(numpy.ndarray, entry[6:]):
            methods[entry[6:]] = entry
        if entry == MATMUL_OPERATOR:
            methods.update(dict.fromkeys(_MATMUL_METHODS, MATMUL_OPERATOR))
    return methods


def _with_prefixes(paths: set[str]) -> frozenset[str]:
    """Each path and each of its dotted prefixes: an entry matches a path exactly when it is one.

    The set stays closed under prefixes, so a path's prefixes are cut only until one is known."""
    every: set[str] = set()
    for path in paths:
        while path not in every:
            every.add(path)
            dot = path.rfind(".")
            if dot == -1:
                break
            path = path[:dot]
    return frozenset(every)


def from_scratch_failure(functions: tuple[str, ...], used: set[str]) -> CheckResult:
    """The one check an exercise gets when its code uses shortcuts (``used``: how they are
    shown, e.g. ``np.linalg.norm``), found by reading it or tripped while it ran."""
    message = (f"{' and '.join(functions)} must be written from scratch, but uses "
               f"{', '.join(sorted(used))}; this exercise scores 0 until it does not")
    return CheckResult("from_scratch", False, 1.0, message)


class ShortcutScan:
    """The shortcut scan of one notebook, shared by all its exercises.

    The aliases are learned in one walk of every tree, on first use; the code of a top-level
    binding is walked once, when an exercise first reaches it, and what it can reach is kept
    for the next exercises — and for the next notebooks (:data:`BODIES`), which use it where
    the names it mentions stand for the same, and walk it again elsewhere.  Walking past
    ``deadline`` (a ``time.monotonic()`` instant, normally the end of the submission's time
    budget) raises :class:`ScanTooLong`; what is remembered takes no walking.
    """

    def __init__(self, parsed: ParsedCells, deadline: float = math.inf):
        self._cells = [(cell.source, tree) for cell, tree in zip(parsed.cells, parsed.trees) if tree is not None]
        self._deadline = deadline
        self.nodes_walked = 0   # at most twice the nodes of the trees: once as a statement, once in a body
        self._aliases: _Aliases | None = None
        self._bound: dict[str, _Binding] = {}
        self._bodies: dict[int, _Body] = {}   # id(binding's node) -> _Body

    def find(self, functions: tuple[str, ...], forbidden: tuple[str, ...]) -> list[Shortcut]:
        """Every forbidden shortcut reachable from the exercise's ``functions``."""
        if not forbidden:
            return []
        too_long = [entry for entry in forbidden if len(entry) >= PATH_CHARS]
        if too_long:
            raise ValueError(f"forbidden entries must be under {PATH_CHARS} characters: {too_long}")
        aliases = self._learned()
        methods = _method_names(forbidden)
        paths = [entry for entry in forbidden if entry != MATMUL_OPERATOR]
        found: dict[tuple[str, str], Shortcut] = {}

        for name in functions:   # e.g. `from scipy.special import softmax`
            path = aliases.names.get(name)
            reachable = _with_prefixes({path}) if path else frozenset()
            for entry in paths:
                if entry in reachable:
                    found.setdefault((entry, name), Shortcut(entry, name))

        seen: set[str] = set()
        for owner in reversed(functions):   # a helper two functions share counts for the last
            todo = [owner]
            while todo:
                name = todo.pop()
                if name in seen or name not in self._bound:
                    continue
                seen.add(name)
                body = self._body(self._bound[name])
                hits = [entry for entry in paths if entry in body.paths]
                hits += [entry for method, entry in methods.items() if method in body.methods]
                if body.matmul and MATMUL_OPERATOR in forbidden:
                    hits.append(MATMUL_OPERATOR)
                for entry in hits:
                    found.setdefault((entry, owner), Shortcut(entry, owner))
                todo.extend(reversed(body.callees))
        return list(found.values())

    def _walk(self, tree: ast.AST, kind: type | tuple[type, ...] = ast.AST):
        """The nodes of ``tree`` in the order of ``ast.walk``, entering only those of ``kind``
        (the statements are all the aliases need); past the deadline, :class:`ScanTooLong`."""
        todo = deque([tree])
        while todo:
            node = todo.popleft()
            self.nodes_walked += 1
            if self.nodes_walked % _NODES_PER_CLOCK_CHECK == 0 and time.monotonic() > self._deadline:
                raise ScanTooLong(f"the shortcut scan passed its deadline after {self.nodes_walked} nodes")
            for field in node._fields:
                value = getattr(node, field, None)
                if isinstance(value, list):
                    todo.extend(item for item in value if isinstance(item, kind))
                elif isinstance(value, kind):
                    todo.append(value)
            yield node

    def _learned(self) -> _Aliases:
        if self._aliases is None:
            aliases = _Aliases()
            for _, tree in self._cells:
                aliases.learn(self._walk(tree, _STATEMENTS))
            aliases.freeze()
            self._bound = _top_level(self._cells)
            self._aliases = aliases
        return self._aliases

    def _body(self, binding: _Binding) -> _Body:
        if id(binding.node) not in self._bodies:
            self._bodies[id(binding.node)] = self._recalled(binding) or self._read(binding)
        return self._bodies[id(binding.node)]

    def _context(self, names: frozenset[str]) -> tuple:
        """Besides its code, all a binding's reading depends on: what the names it mentions
        stand for in this notebook (an alias, a top-level binding, or neither)."""
        aliases = self._aliases.names
        return (tuple(sorted((name, aliases[name]) for name in names if name in aliases)),
                tuple(sorted(names & self._bound.keys())))

    def _recalled(self, binding: _Binding) -> _Body | None:
        """The binding's body as read in another notebook with the same cell, if the names
        it mentions stand for the same there."""
        remembered = BODIES.recall(binding.source, binding.index)
        if remembered is not None and remembered[0] == self._context(remembered[1].names):
            return remembered[1]
        return None

    def _read(self, binding: _Binding) -> _Body:
        resolve, names = self._aliases.resolve, self._aliases.names
        paths: set[str] = set()
        methods: set[str] = set()
        matmul = False
        callees: dict[str, None] = {}
        mentioned: set[str] = set()
        for node in self._walk(binding.node):
            if isinstance(node, ast.Name):
                mentioned.add(node.id)
                if node.id in names:
                    paths.add(names[node.id])
                if node.id in self._bound:
                    callees[node.id] = None
            elif isinstance(node, (ast.Attribute, ast.Call)):
                path = resolve(node)
                if path:
                    paths.add(path)
                if isinstance(node, ast.Attribute) and resolve(node.value) is None:
                    methods.add(node.attr)
            elif isinstance(node, ast.Import):
                paths.update(alias.name[:PATH_CHARS] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module:
                paths.add(node.module[:PATH_CHARS])
                paths.update(_join(node.module, alias.name) for alias in node.names)
            elif isinstance(node, (ast.BinOp, ast.AugAssign)) and isinstance(node.op, ast.MatMult):
                matmul = True
        body = _Body(_with_prefixes(paths), frozenset(methods), matmul, tuple(callees), frozenset(mentioned))
        BODIES.remember((self._context(body.names), body), binding.source, binding.index)
        return body
