"""A class of independent learners built from ``tests/implementations``, and copies planted in it.

Learner ``i`` answers every exercise with the ``i``-th implementation of it
(the reference first, then the valid alternatives, then the mistakes), so no
two learners share an implementation.  A copier hands in another learner's
answers in disguise: names changed, functions reordered, comments and blank
lines rewritten, and in one case a helper inlined by hand.
"""

from __future__ import annotations

import ast
import builtins
import io
import tokenize
from pathlib import Path

from mlmath.course import Assignment
from mlmath.notebook import read_notebook
from mlmath.submissions import reference_answers, write_notebook
from tests.implementations import libraries
from tests.support import course, source_path, submission

ASSIGNMENT = "ch04_numerics"

#: the helper of softmax's ``moveaxis_and_row_loop``, inlined into its loop by the copier
INLINED_SOFTMAX = '''
def softmax(values, axis=-1):
    values = np.asarray(values)
    kind = np.float32 if values.dtype == np.float32 else np.float64

    # put the axis last and treat every slice as a row
    moved = np.moveaxis(values.astype(kind), axis, -1)
    table = moved.reshape(-1, moved.shape[-1])
    result = np.empty_like(table)
    for r in range(table.shape[0]):
        ex = np.exp(table[r] - table[r].max())   # shift for stability
        result[r] = ex / ex.sum()
    return np.moveaxis(result.reshape(moved.shape), -1, axis)
'''.lstrip()


def implementations(assignment: Assignment) -> dict[str, list[tuple[str, str]]]:
    """Per exercise: (name, answer cell) of the reference, the alternatives, then the mistakes."""
    library = libraries()[assignment.id]
    reference = reference_answers(read_notebook(source_path(assignment.id)))
    return {e.id: [("reference", reference[e.id])] +
                  [(i.name, i.source) for i in library.RIGHT + library.WRONG if i.exercise == e.id]
            for e in assignment.exercises}


def independent_learners(assignment: Assignment) -> dict[str, dict[str, str]]:
    """Learner id -> {exercise: answer cell}, as many learners as the scarcest exercise has implementations."""
    by_exercise = implementations(assignment)
    size = min(len(found) for found in by_exercise.values())
    return {f"learner{i:02d}": {eid: found[i][1] for eid, found in by_exercise.items()} for i in range(size)}


def learner_using(assignment: Assignment, exercise: str, name: str) -> str:
    index = [n for n, _ in implementations(assignment)[exercise]].index(name)
    return f"learner{index:02d}"


def _chosen_names(tree: ast.Module, keep: set[str]) -> set[str]:
    """The names the learner chose: functions, parameters, variables and import aliases,
    minus ``keep`` and the parameters callers pass by keyword (those with a default)."""
    chosen, keyword = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.Lambda)):
            if isinstance(node, ast.FunctionDef):
                chosen.add(node.name)
            chosen |= {arg.arg for arg in node.args.args}
            keyword |= {arg.arg for arg in node.args.args[len(node.args.args) - len(node.args.defaults):]}
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            chosen.add(node.id)
        elif isinstance(node, ast.alias) and node.asname:
            chosen.add(node.asname)
    return chosen - keep - keyword - set(dir(builtins))


def renamed(source: str, keep: set[str]) -> str:
    """``source`` with every name the learner chose replaced, token by token (nothing else moves)."""
    names = sorted(_chosen_names(ast.parse(source), keep))
    new = {name: f"{name[:3]}_{n}" for n, name in enumerate(names)}
    tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    out, depth = [], 0
    for n, tok in enumerate(tokens):
        depth += {"(": 1, "[": 1, "{": 1, ")": -1, "]": -1, "}": -1}.get(tok.string, 0)
        attribute = n > 0 and tokens[n - 1].string == "."
        keyword_argument = depth > 0 and n + 1 < len(tokens) and tokens[n + 1].string == "="
        text = tok.string
        if tok.type == tokenize.NAME and not attribute and not keyword_argument and text in new:
            text = new[text]
        out.append(tok._replace(string=text))
    return tokenize.untokenize(out)


def reordered(source: str) -> str:
    """``source`` with its top-level functions in reverse order (other statements first)."""
    lines = source.splitlines(keepends=True)
    chunks = [(isinstance(node, ast.FunctionDef), "".join(lines[node.lineno - 1:node.end_lineno]))
              for node in ast.parse(source).body]
    defs = [text for is_def, text in chunks if is_def]
    return "\n".join([text for is_def, text in chunks if not is_def] + defs[::-1])


def disguised(source: str, functions: tuple[str, ...]) -> str:
    """``source`` with its names changed, its functions in reverse order, and its comments
    and blank lines rewritten."""
    modules = {alias.name for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Import)
               for alias in node.names if not alias.asname}
    return recommented(reordered(renamed(source, {*functions, *modules, "np"})))


def recommented(source: str) -> str:
    """``source`` with its comments and blank lines changed, and nothing else."""
    lines = []
    for line in source.splitlines():
        code = line.split("  #")[0].rstrip() if "  #" in line else line
        if code.strip():
            lines.append(code)
        if code.lstrip().startswith("def "):
            lines.append(" " * (len(code) - len(code.lstrip()) + 4) + "# the idea: see the notes")
    return "\n".join(lines) + "\n\n\n"


def write_class(root: Path, learners: dict[str, dict[str, str]]) -> None:
    """Each learner's notebook at ``submitted/<learner>/<assignment>/<notebook>`` under ``root``."""
    notebook = course().assignment(ASSIGNMENT).notebook
    for learner, answers in learners.items():
        write_notebook(submission(ASSIGNMENT, answers), root / "submitted" / learner / ASSIGNMENT / notebook)
