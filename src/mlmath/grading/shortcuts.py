"""Finding "from scratch" violations by reading the learner's code, never running it.

The scan happens in the trusted process on the notebook's source.  It resolves
every name through the imports and simple assignments of all answer cells, so
a shortcut is found whether it is called directly (``np.linalg.norm``), through
an alias (``import numpy.linalg as la``; ``n = np.linalg.norm``), via
``from ... import ... as ...``, with ``getattr``/``__import__``/
``importlib.import_module`` and a literal name, or as a method (``A.dot(B)``
counts as ``np.dot``).  Only the exercise's own functions and the learner
helpers they call (transitively) are held to the rule.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

import numpy

MATMUL_OPERATOR = "@"


@dataclass(frozen=True)
class Shortcut:
    forbidden: str   # the catalog's entry, e.g. "numpy.linalg.norm"
    function: str    # the learner function in which it was found

    @property
    def display(self) -> str:
        if self.forbidden == MATMUL_OPERATOR:
            return "the @ operator"
        return "np." + self.forbidden[6:] if self.forbidden.startswith("numpy.") else self.forbidden


class _Aliases:
    """Maps local names to the dotted paths they stand for."""

    def __init__(self):
        self.names: dict[str, str] = {}

    def learn(self, tree: ast.AST) -> None:
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        self.names[alias.asname] = alias.name
                    else:
                        top = alias.name.split(".")[0]
                        self.names[top] = top
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                for alias in node.names:
                    self.names[alias.asname or alias.name] = f"{node.module}.{alias.name}"
            elif isinstance(node, ast.Assign) and len(node.targets) == 1 \
                    and isinstance(node.targets[0], ast.Name):
                path = self.resolve(node.value)
                if path:
                    self.names[node.targets[0].id] = path

    def resolve(self, node: ast.AST) -> str | None:
        """The dotted path an expression names, if it names a module member."""
        if isinstance(node, ast.Name):
            return self.names.get(node.id)
        if isinstance(node, ast.Attribute):
            base = self.resolve(node.value)
            return f"{base}.{node.attr}" if base else None
        if isinstance(node, ast.Call) and node.args and _literal(node.args[-1]) is not None:
            func = node.func
            if isinstance(func, ast.Name) and func.id == "getattr" and len(node.args) == 2:
                base = self.resolve(node.args[0])
                return f"{base}.{_literal(node.args[1])}" if base else None
            if (isinstance(func, ast.Name) and func.id == "__import__") or \
                    self.resolve(func) == "importlib.import_module":
                return _literal(node.args[0])
        return None


def _literal(node: ast.AST) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _matches(path: str, forbidden: str) -> bool:
    return path == forbidden or path.startswith(forbidden + ".")


def _method_names(forbidden: tuple[str, ...]) -> dict[str, str]:
    """``.dot`` on anything counts as ``numpy.dot`` when that is forbidden."""
    methods = {}
    for entry in forbidden:
        if entry.startswith("numpy.") and entry.count(".") == 1 and hasattr(numpy.ndarray, entry[6:]):
            methods[entry[6:]] = entry
    return methods


def _parse_all(sources: list[str]) -> list[ast.Module]:
    trees = []
    for source in sources:
        try:
            trees.append(ast.parse(source))
        except SyntaxError:
            continue  # a broken cell defines nothing; the graders will say so
    return trees


def _top_level(trees: list[ast.Module]) -> dict[str, ast.AST]:
    """The last top-level binding of each name: a def, or the value of an assignment."""
    bound: dict[str, ast.AST] = {}
    for tree in trees:
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                bound[node.name] = node
            elif isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        bound[target.id] = node.value
    return bound


def find_shortcuts(sources: list[str], functions: tuple[str, ...],
                   forbidden: tuple[str, ...]) -> list[Shortcut]:
    """Every forbidden shortcut reachable from the exercise's ``functions``."""
    if not forbidden:
        return []
    trees = _parse_all(sources)
    aliases = _Aliases()
    for tree in trees:
        aliases.learn(tree)
    bound = _top_level(trees)
    methods = _method_names(forbidden)
    found: dict[tuple[str, str], Shortcut] = {}

    def report(entry: str, function: str) -> None:
        found.setdefault((entry, function), Shortcut(entry, function))

    def check_path(path: str | None, function: str) -> None:
        if path:
            for entry in forbidden:
                if entry != MATMUL_OPERATOR and _matches(path, entry):
                    report(entry, function)

    for name in functions:
        check_path(aliases.names.get(name), name)  # e.g. `from scipy.special import softmax`

    seen: set[str] = set()
    queue = [(name, name) for name in functions]
    while queue:
        name, owner = queue.pop()
        if name in seen or name not in bound:
            continue
        seen.add(name)
        for node in ast.walk(bound[name]):
            if isinstance(node, (ast.Name, ast.Attribute, ast.Call)):
                check_path(aliases.resolve(node), owner)
            if isinstance(node, ast.Import):
                for alias in node.names:
                    check_path(alias.name, owner)
            elif isinstance(node, ast.ImportFrom) and node.module:
                check_path(node.module, owner)
                for alias in node.names:
                    check_path(f"{node.module}.{alias.name}", owner)
            if isinstance(node, ast.Attribute) and node.attr in methods \
                    and aliases.resolve(node.value) is None:
                report(methods[node.attr], owner)
            if MATMUL_OPERATOR in forbidden and isinstance(node, (ast.BinOp, ast.AugAssign)) \
                    and isinstance(node.op, ast.MatMult):
                report(MATMUL_OPERATOR, owner)
            if isinstance(node, ast.Name) and node.id in bound and node.id != name:
                queue.append((node.id, owner))
    return list(found.values())
