"""Hidden checks for `dense_forward(X, W, b)`: Y = X Wᵀ + b."""

import numpy as np

from mlmath.grading import assert_close, assert_dtype, assert_inputs_unchanged, check, expect_error


def _layer(rng, n, m):
    return rng.normal(size=(m, n)), rng.normal(size=m)


@check(weight=2, message="Your layer gives wrong outputs for a batch X of shape (B, n): the result should "
                         "have shape (B, m), with the bias added to every row.",
       fix="Compute X @ W.T + b: W has shape (out, in), so it must be transposed, and b broadcasts over "
           "the rows.")
def test_batch_forward(student, reference, rng):
    for B, n, m in ((5, 3, 2), (1, 4, 6), (7, 2, 5), (3, 3, 3)):
        W, b = _layer(rng, n, m)
        X = rng.normal(size=(B, n))
        assert_close(student.dense_forward(X, W, b), reference.dense_forward(X, W, b))
    W, b = _layer(rng, 3, 2)
    X = rng.normal(size=(4, 3))
    assert_close(student.dense_forward(X.tolist(), W.tolist(), b.tolist()), reference.dense_forward(X, W, b))


@check(weight=1, message="A single sample x of shape (n,) gives the wrong result: it should come back with "
                         "shape (m,), not (1, m).",
       fix="W @ x + b (or x @ W.T + b) on the 1-D x gives shape (m,) directly; don't turn x into a row.")
def test_single_sample(student, reference, rng):
    for n, m in ((3, 2), (4, 7), (1, 1)):
        W, b = _layer(rng, n, m)
        x = rng.normal(size=n)
        assert_close(student.dense_forward(x, W, b), reference.dense_forward(x, W, b))


@check(weight=1, message="dense_forward does not return float64 for integer inputs.",
       fix="Convert X, W and b with np.asarray(..., dtype=float) before computing.")
def test_returns_float64(student, reference, rng):
    W, b = rng.integers(-3, 4, size=(2, 3)), rng.integers(-3, 4, size=2)
    for X in (rng.integers(-3, 4, size=(4, 3)), rng.integers(-3, 4, size=3)):
        got = student.dense_forward(X, W, b)
        assert_dtype(got, np.float64)
        assert_close(got, reference.dense_forward(X, W, b))


@check(weight=1, message="Mismatched shapes were accepted: X's last dimension must equal W's number of "
                         "columns, and b must have exactly one entry per row of W.",
       fix="Check the shapes yourself and raise ValueError; a length-1 bias must not be broadcast.")
def test_rejects_mismatched_shapes(student, reference, rng):
    W, b = _layer(rng, 4, 3)
    X = rng.normal(size=(5, 4))
    for args in ((rng.normal(size=(5, 3)), W, b), (rng.normal(size=5), W, b), (X, W, rng.normal(size=4)),
                 (X, W, rng.normal(size=1)), (X, W, rng.normal(size=(3, 1)))):
        expect_error("ValueError", student.dense_forward, *args)
    assert_close(student.dense_forward(X, W, b), reference.dense_forward(X, W, b))


@check(weight=1, message="dense_forward modified its inputs (their values or their shape).",
       fix="Reshape a copy or a view (np.reshape, x[None, :]); don't assign to X.shape or write into X.")
def test_leaves_input_unchanged(student, reference, rng):
    W, b = _layer(rng, 3, 4)
    for X in (rng.normal(size=(2, 3)), rng.normal(size=3)):
        assert_close(student.dense_forward(X, W, b), reference.dense_forward(X, W, b))
    assert_inputs_unchanged(student)
