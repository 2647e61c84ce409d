"""A stock-nbgrader version of the numerics source notebook, for the batch benchmark.

Stock nbgrader (and otter-grader) courses grade by running the whole notebook in a
Jupyter kernel: every autograder test cell holds plain asserts, the hidden ones
between ``### BEGIN HIDDEN TESTS`` / ``### END HIDDEN TESTS`` (removed from the
release, put back by ``nbgrader autograde``), and a cell scores its points when
no assert fails.  This builds that notebook from ``source/ch04_numerics/numerics.ipynb``:

* the set-up cell keeps only ``import numpy as np`` (no course engine);
* each test cell ``test_<exercise>`` holds the notebook's public checks as
  top-level asserts, then the hidden tests below;
* every other cell (explanations, plots, answer cells) is unchanged.

    .venv/bin/python benchmarks/stock/make_stock_source.py [OUTPUT.ipynb]

writes it (default: benchmarks/stock/ch04_numerics/numerics.ipynb, for reading);
the benchmark calls ``stock_notebook()`` itself, so nothing generated is kept.
"""

from __future__ import annotations

import copy
import json
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "source" / "ch04_numerics" / "numerics.ipynb"
DEFAULT_OUTPUT = Path(__file__).resolve().parent / "ch04_numerics" / "numerics.ipynb"

SETUP = "import numpy as np\n"

PUBLIC_HEADER = "# Public checks (the learner sees these); hidden tests follow in the graded copy.\n"

#: Hidden tests per exercise: plain asserts run in the kernel after the public ones.
HIDDEN_TESTS = {
    "float_bits": """
        def _fields(v):
            bits = int(np.array(v, dtype=np.float32).view(np.uint32))
            return bits >> 31, (bits >> 23) & 0xFF, bits & 0x7FFFFF

        assert float32_parts(0.0) == (0, 0, 0)
        assert float32_parts(-0.0) == (1, 0, 0), "-0.0 has sign bit 1"
        assert float32_parts(float("-inf")) == (1, 255, 0)
        nan_parts = float32_parts(float("nan"))
        assert nan_parts[1] == 255 and nan_parts[2] != 0, "NaN: exponent 255, mantissa not 0"
        assert float32_parts(1e-45) == (0, 0, 1), "the smallest subnormal"
        assert float32_parts(0.1) == (0, 123, 5033165), "0.1 is first rounded to float32"
        rng = np.random.default_rng(4)
        for v in np.concatenate([rng.normal(scale=1e3, size=10), rng.normal(scale=1e-39, size=5)]):
            assert float32_parts(float(v)) == _fields(v)
            assert all(type(part) is int for part in float32_parts(float(v)))
    """,
    "bfloat16": """
        def _bf16(a):
            a = np.asarray(a, dtype=np.float32)
            bits = a.view(np.uint32).astype(np.uint64)
            rounded = ((bits + 0x7FFF + ((bits >> 16) & 1)) & 0xFFFF0000).astype(np.uint32)
            return np.where(np.isnan(a), np.float32(np.nan), rounded.view(np.float32))

        rng = np.random.default_rng(5)
        x = (rng.normal(size=(3, 4, 5)) * 10.0 ** rng.integers(-30, 30, size=(3, 4, 5))).astype(np.float32)
        before = x.copy()
        out = to_bfloat16(x)
        assert out.shape == x.shape and out.dtype == np.float32
        assert np.array_equal(out, _bf16(x)), "round to the nearest bfloat16, ties to even"
        assert np.array_equal(x, before), "the input must not be modified"
        assert np.all(to_bfloat16(np.array([np.inf, -np.inf], dtype=np.float32)) == [np.inf, -np.inf])
        assert to_bfloat16(np.finfo(np.float32).max) == np.inf, "past the largest bfloat16 -> inf"
        assert np.isnan(to_bfloat16(np.array(0x7F800001, dtype=np.uint32).view(np.float32))), "NaN payload"
        tiny = np.array([1e-40, -3e-39, 1e-45], dtype=np.float32)
        assert np.array_equal(to_bfloat16(tiny), _bf16(tiny)), "subnormals round like normal numbers"
    """,
    "softmax": """
        def _softmax(a, axis=-1):
            e = np.exp(a - np.max(a, axis=axis, keepdims=True))
            return e / np.sum(e, axis=axis, keepdims=True)

        import warnings
        rng = np.random.default_rng(6)
        x = rng.normal(size=(4, 5, 6)) * 50
        before = x.copy()
        for axis in (0, 1, -1):
            assert np.allclose(softmax(x, axis=axis), _softmax(x, axis=axis)), f"axis={axis}"
            assert np.allclose(softmax(x, axis=axis).sum(axis=axis), 1.0), "slices must sum to 1"
        assert np.array_equal(x, before), "the input must not be modified"
        big = rng.uniform(-1e4, 1e4, size=(8, 3))
        with warnings.catch_warnings():
            warnings.simplefilter("error", RuntimeWarning)
            p = softmax(big)
        assert np.all(np.isfinite(p)) and np.allclose(p, _softmax(big)), "stable for entries up to 1e4"
        assert softmax(np.array([0.0, -np.inf, 1.0]))[1] == 0.0, "-inf gets probability 0"
        assert softmax(np.ones((2, 2), dtype=np.float32)).dtype == np.float32
        assert softmax([1, 2, 3]).dtype == np.float64, "integer input gives float64"
    """,
    "log_softmax": """
        def _lse(a, axis=-1):
            m = np.max(a, axis=axis, keepdims=True)
            return np.squeeze(m + np.log(np.sum(np.exp(a - m), axis=axis, keepdims=True)), axis=axis)

        import warnings
        rng = np.random.default_rng(7)
        x = rng.normal(size=(3, 4, 5)) * 20
        before = x.copy()
        for axis in (0, 1, -1):
            assert np.allclose(logsumexp(x, axis=axis), _lse(x, axis=axis)), f"logsumexp, axis={axis}"
            expected = x - np.expand_dims(_lse(x, axis=axis), axis)
            assert np.allclose(log_softmax(x, axis=axis), expected), f"log_softmax, axis={axis}"
        assert np.array_equal(x, before), "the input must not be modified"
        big = rng.uniform(-1e4, 1e4, size=(6, 4))
        with warnings.catch_warnings():
            warnings.simplefilter("error", RuntimeWarning)
            assert np.all(np.isfinite(log_softmax(big))) and np.all(np.isfinite(logsumexp(big)))
            assert logsumexp(np.array([-np.inf, -np.inf])) == -np.inf, "all -inf -> -inf, no warning"
        assert np.allclose(np.exp(log_softmax(big)).sum(axis=-1), 1.0)
        assert np.shape(logsumexp(np.zeros((1, 3)))) == (1,), "only the reduced axis is removed"
        assert log_softmax(np.zeros(3, dtype=np.float32)).dtype == np.float32
        assert np.asarray(logsumexp(np.zeros((2, 3), dtype=np.float32))).dtype == np.float32
    """,
    "bce_logits": """
        def _bce(z, y):
            z, y = np.asarray(z, dtype=float), np.asarray(y, dtype=float)
            return np.mean(np.logaddexp(0.0, z) - y * z)

        import warnings
        rng = np.random.default_rng(8)
        z = rng.normal(scale=5, size=50)
        y = rng.integers(0, 2, size=50).astype(float)
        z_before, y_before = z.copy(), y.copy()
        assert np.isclose(float(bce_with_logits(z, y)), _bce(z, y))
        assert np.array_equal(z, z_before) and np.array_equal(y, y_before), "inputs must not be modified"
        soft = rng.uniform(size=50)
        assert np.isclose(float(bce_with_logits(z, soft)), _bce(z, soft)), "soft labels"
        z2, y2 = rng.normal(size=(4, 6)), rng.uniform(size=(4, 6))
        assert np.isclose(float(bce_with_logits(z2, y2)), _bce(z2, y2)), "any shape: the mean of all entries"
        extreme = np.array([1e4, -1e4, 1e4, -1e4])
        with warnings.catch_warnings():
            warnings.simplefilter("error", RuntimeWarning)
            loss = float(bce_with_logits(extreme, [0.0, 1.0, 1.0, 0.0]))
        assert np.isfinite(loss) and np.isclose(loss, 1e4 / 2), "finite and exact for |logit| = 1e4"
    """,
    "grad_unscale": """
        rng = np.random.default_rng(9)
        grads = [rng.normal(size=(3, 4)).astype(np.float16) * 1000, rng.normal(size=7).astype(np.float16)]
        copies = [g.copy() for g in grads]
        unscaled, found_inf = unscale_grads(grads, 2.0 ** 10)
        assert len(unscaled) == len(grads) and not found_inf
        for u, g in zip(unscaled, grads):
            assert u.shape == g.shape and u.dtype == np.float32
            assert np.allclose(u, g.astype(np.float32) * np.float32(2.0 ** -10), rtol=1e-6)
        assert all(np.array_equal(g, c) for g, c in zip(grads, copies)), "the gradients must not be modified"
        assert unscale_grads([np.array([np.nan], dtype=np.float16)], 8.0)[1], "NaN counts as found_inf"
        assert unscale_grads([np.ones(2, dtype=np.float16), np.array([-np.inf], dtype=np.float16)], 8.0)[1]
        small = np.array([6e-8, 1e-4], dtype=np.float16)
        expected = small.astype(np.float32) / 2 ** 16
        assert np.allclose(unscale_grads([small], 2.0 ** 16)[0][0], expected, rtol=1e-6, atol=0)
        for bad in (-1.0, 0):
            try:
                unscale_grads(grads, bad)
            except ValueError:
                pass
            else:
                raise AssertionError(f"scale={bad} must raise ValueError")
    """,
}


def _grade_id(cell: dict) -> str:
    return str(cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", ""))


def _source(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def public_asserts(test_cell_source: str) -> str:
    """The body of the cell's ``def public_checks():`` as top-level code."""
    lines = test_cell_source.splitlines()
    start = lines.index("def public_checks():") + 1
    body = []
    for line in lines[start:]:
        if line and not line.startswith((" ", "\t")):
            break
        body.append(line)
    return textwrap.dedent("\n".join(body)).strip() + "\n"


def stock_test_cell(exercise: str, test_cell_source: str) -> str:
    """Public asserts, then the hidden tests of ``exercise`` between nbgrader's markers."""
    hidden = textwrap.dedent(HIDDEN_TESTS[exercise]).strip()
    return (PUBLIC_HEADER + public_asserts(test_cell_source) + "\n"
            "### BEGIN HIDDEN TESTS\n" + hidden + "\n### END HIDDEN TESTS\n")


def stock_notebook(source: dict) -> dict:
    """A copy of the source notebook with a plain set-up cell and stock test cells."""
    notebook = copy.deepcopy(source)
    for cell in notebook["cells"]:
        grade_id = _grade_id(cell)
        if grade_id == "setup":
            cell["source"] = SETUP
        elif grade_id.startswith("test_"):
            cell["source"] = stock_test_cell(grade_id.removeprefix("test_"), _source(cell))
    return notebook


def main(argv: list[str]) -> None:
    output = Path(argv[0]) if argv else DEFAULT_OUTPUT
    source = json.loads(SOURCE.read_text(encoding="utf-8"))
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(stock_notebook(source), indent=1, ensure_ascii=False) + "\n",
                      encoding="utf-8")
    print(f"wrote {output}")


if __name__ == "__main__":
    main(sys.argv[1:])
