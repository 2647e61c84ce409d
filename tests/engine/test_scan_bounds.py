"""Is the trusted process's reading of a notebook bounded: each cell parsed once, an oversized
cell never parsed, the shortcut scan linear in the source and stopped at its deadline?"""

import ast
import collections
import time

import pytest

from mlmath import parsed_cells
from mlmath.grading import exercise_cells, shortcuts
from mlmath.grading.exercise_cells import CellReader
from mlmath.grading.grade import _shortcut_results
from mlmath.grading.shortcuts import ScanTooLong, ShortcutScan
from mlmath.notebook import CodeCell, definitions, runnable_cells
from mlmath.parsed_cells import REMEMBERED_CHARS, SourceMemo, oversized_cells, parse_cells
from tests.support import course, grade, submission

NORM = ("numpy.linalg.norm", "scipy.linalg.norm", "math.hypot")


def cells(*sources):
    return [CodeCell(i, source, None) for i, source in enumerate(sources)]


@pytest.fixture
def parses(monkeypatch):
    """How many times ``ast.parse`` was called on each source, in a process that remembers
    no tree yet."""
    calls = collections.Counter()
    real_parse = ast.parse

    def counting(source, *args, **kwargs):
        calls[source] += 1
        return real_parse(source, *args, **kwargs)

    monkeypatch.setattr(ast, "parse", counting)
    monkeypatch.setattr(parsed_cells, "TREES", SourceMemo(entries=64))
    return calls


def test_grading_a_notebook_parses_each_cell_once(parses):
    notebook = submission("ch01_linear_algebra")
    sources = [cell.source for cell in runnable_cells(notebook)]
    grade(notebook, "ch01_linear_algebra")
    assert [parses[source] for source in sources] == [1] * len(sources)


def test_an_oversized_cell_is_neither_parsed_nor_read(parses):
    big = "def hidden(v):\n    return v\n" + "a = 1\n" * 200
    assert len(big.encode()) > 1024
    notebook = cells("def small(v):\n    return v\n", big)
    parsed = parse_cells(notebook, 1)
    assert parsed.oversized == oversized_cells(notebook, 1) == {1}
    assert parsed.trees[1] is None and parses[big] == 0
    assert definitions(parsed) == {"small": 0}   # not even the guess made for a broken cell


def test_the_size_limit_counts_bytes():
    assert oversized_cells(cells("#" + "é" * 520), 1) == {0}   # 521 characters, 1041 bytes
    assert oversized_cells(cells("x = '\ud800'"), 1) == frozenset()   # a lone surrogate, as JSON allows


@pytest.mark.parametrize("source", [
    "def f(:\n",
    "x = a" + ".b" * 100_000,           # RecursionError in the parser
    "x = " + "-" * 100_000 + "1",       # MemoryError in the parser
    "x = '\ud800'\ndef f(v):\n    return v",   # ValueError: a lone surrogate
], ids=["syntax-error", "deep-attribute", "deep-unary", "surrogate"])
def test_a_cell_the_parser_refuses_defines_nothing_and_stops_nothing(source):
    notebook = cells(source, "import numpy as np\ndef vector_norm(v, ord=2):\n    return np.linalg.norm(v)")
    parsed = parse_cells(notebook, 256)
    assert parsed.trees[0] is None
    assert definitions(parsed)["vector_norm"] == 1
    assert [s.display for s in ShortcutScan(parsed).find(("vector_norm",), NORM)] == ["np.linalg.norm"]


def test_long_chains_are_resolved_without_recursion():
    links = 1500   # deeper than Python's recursion limit, shallow enough for the parser
    calls, attributes = "('m')" * links, ".T" * links
    source = ("import numpy as np\nimport importlib\n"
              "def vector_norm(v, ord=2):\n"
              f"    x = f{calls}\n"
              f"    return getattr(importlib, 'import_module')('numpy.linalg').norm{attributes}(v)\n")
    parsed = parse_cells(cells(source), 256)
    assert parsed.trees[0] is not None
    assert [s.display for s in ShortcutScan(parsed).find(("vector_norm",), NORM)] == ["np.linalg.norm"]


def _just_under_the_limit(limit_kb):
    """An answer cell of `a = 1` lines and 2 000 chained helpers that every exercise reaches."""
    chain = "".join(f"def helper_{i}(x):\n    return helper_{i - 1}(x) + a\n" for i in range(1, 2000))
    exercises = "".join(f"def {name}(*args):\n    return helper_1999(args) + big(args)\n"
                        for name in ("vector_norm", "matmul", "determinant", "matrix_rank"))
    head = chain + "def big(x):\n" + "    a = 1\n" * 8000 + exercises
    return head + "a = 1\n" * ((limit_kb * 1024 - 1000 - len(head)) // 6)


def test_the_scan_of_a_cell_just_under_the_limit_is_linear(parses):
    limit_kb = course().limits.answer_cell_kb
    assignment = course().assignment("ch01_linear_algebra")
    notebook = runnable_cells(submission("ch01_linear_algebra"))
    notebook.append(CodeCell(len(notebook), _just_under_the_limit(limit_kb), None))
    started = time.perf_counter()
    parsed = parse_cells(notebook, limit_kb)
    definitions(parsed)
    scan = ShortcutScan(parsed)
    for exercise in assignment.exercises:
        scan.find(exercise.functions, exercise.forbidden)
    print(f"parse, definitions and the scan of {len(assignment.exercises)} exercises: "
          f"{time.perf_counter() - started:.2f} s")
    assert not parsed.oversized
    assert sum(parses.values()) == len(notebook)
    nodes = sum(1 for tree in parsed.trees for _ in ast.walk(tree))
    assert scan.nodes_walked <= 2 * nodes   # each node at most as a statement and once in a body


def test_a_scan_past_its_deadline_is_too_long_not_clean():
    parsed = parse_cells(cells("a = 1\n" * 5000), 256)
    with pytest.raises(ScanTooLong):
        ShortcutScan(parsed, deadline=0.0).find(("vector_norm",), NORM)


def test_a_scan_past_its_deadline_scores_every_exercise_zero():
    assignment = course().assignment("ch01_linear_algebra")
    notebook = runnable_cells(submission("ch01_linear_algebra"))
    notebook.append(CodeCell(len(notebook), "a = 1\n" * 5000, None))
    gated = _shortcut_results(parse_cells(notebook, 256), assignment, deadline=0.0)
    assert set(gated) == {e.id for e in assignment.exercises}
    assert all(result.score == 0 and "used up its whole time budget" in result.checks[0].message
               for result in gated.values())


def test_an_oversized_answer_cell_is_neither_read_nor_run_and_costs_its_exercise_only():
    """6 MB of `a = 1`: once 100 s and 2.5 GB of scanning; now skipped, with a note."""
    from tests.engine.test_tampering import _assert_contained, _grade_with_softmax_cell
    report = _grade_with_softmax_cell("a = 1\n" * 1_000_000 + "def softmax(x, axis=-1):\n    return x\n")
    _assert_contained(report)
    assert any("answer_softmax is larger than" in fault and "was not run" in fault for fault in report.faults)


# -- what is remembered of a cell for the next notebooks ------------------------------------
NORM_CELL = "import numpy as np\n\ndef vector_norm(v, ord=2):\n    return np.linalg.norm(v)\n"


@pytest.fixture
def readings(parses, monkeypatch):
    """Nothing remembered of any cell yet; how many times ``ast.parse`` (by source), the
    reading of what a cell binds and uses, and the shortcut scan of a function ran."""
    monkeypatch.setattr(exercise_cells, "READINGS", SourceMemo(entries=256))
    monkeypatch.setattr(shortcuts, "BODIES", SourceMemo(entries=256))
    calls = collections.Counter()

    def counted(owner, name, key):
        real = getattr(owner, name)

        def counting(*args, **kwargs):
            calls[key] += 1
            return real(*args, **kwargs)
        monkeypatch.setattr(owner, name, counting)

    counted(exercise_cells, "_used", "cells read")
    counted(ShortcutScan, "_read", "functions scanned")
    return parses, calls


def _read_notebook(*sources):
    """What grading reads of a notebook with these cells: the shortcuts of vector_norm, and
    the cells its process runs."""
    parsed = parse_cells(cells(*sources), 256)
    reader = CellReader(parsed, set())
    found = ShortcutScan(parsed).find(("vector_norm",), NORM)
    return sorted(s.display for s in found), reader.cells_for(("vector_norm",)), reader


def test_a_cell_seen_before_is_parsed_and_read_once(readings):
    parses, calls = readings
    first = _read_notebook(NORM_CELL, "x = 1")
    second = _read_notebook(NORM_CELL, "x = 1")
    assert first[:2] == second[:2] == (["np.linalg.norm"], {0})
    assert parses[NORM_CELL] == 1
    assert calls == {"cells read": 2, "functions scanned": 1}
    # shared by every notebook with the cell, so nobody can change what is remembered
    assert all(isinstance(names, frozenset) for names in second[2].binds + second[2].uses)


def test_a_long_cell_is_read_afresh_every_time(readings):
    parses, calls = readings
    long_cell = NORM_CELL + "# padding\n" * (REMEMBERED_CHARS // 10)
    assert len(long_cell) > REMEMBERED_CHARS
    for _ in range(2):
        assert _read_notebook(long_cell)[:2] == (["np.linalg.norm"], {0})
    assert parses[long_cell] == 2
    assert calls == {"cells read": 2, "functions scanned": 2}


def test_a_function_remembered_is_scanned_again_where_its_names_stand_for_something_else(readings,
                                                                                          monkeypatch):
    # the same answer cell in notebooks whose other cells give `la` and `helper` other meanings
    answer = "def vector_norm(v, ord=2):\n    return la.norm(helper(v))\n"
    contexts = {"import numpy.linalg as la": ["np.linalg.norm"],
                "import scipy.linalg as la": ["scipy.linalg.norm"],
                "def la():\n    return None": [],
                "import numpy as np\ndef helper(v):\n    return np.linalg.norm(v)": ["np.linalg.norm"],
                "import numpy as np\nla = np.linalg": ["np.linalg.norm"]}
    remembered = [_read_notebook(context, answer)[0] for context in contexts]
    afresh = []
    for context in contexts:
        monkeypatch.setattr(shortcuts, "BODIES", SourceMemo(entries=256))
        afresh.append(_read_notebook(context, answer)[0])
    assert remembered == afresh == list(contexts.values())


def test_a_memo_keeps_the_last_sources_used():
    memo = SourceMemo(entries=2)
    memo.remember("a", "first")
    memo.remember("b", "second")
    assert memo.recall("first") == "a"   # now the last used
    memo.remember("c", "third")
    assert (memo.recall("first"), memo.recall("second"), memo.recall("third")) == ("a", None, "c")
    assert memo.recall("first", "another context") is None
