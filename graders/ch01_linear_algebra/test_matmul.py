"""Hidden checks for `matmul(A, B)`: the matrix product from scratch."""

import re

import numpy as np

from mlmath.grading import Feedback, assert_close, assert_dtype, assert_inputs_unchanged, check, expect_error


def _shapes(rng):
    return [tuple(int(d) for d in rng.integers(2, 7, size=3)) for _ in range(3)]


@check(weight=2, message="matmul gives wrong products (for rectangular matrices too).",
       fix="C[i, j] = Σ_p A[i, p] B[p, j]: row i of A against column j of B.")
def test_matches_definition(student, reference, rng):
    for m, k, n in _shapes(rng) + [(4, 4, 4), (3, 5, 2)]:
        A, B = rng.normal(size=(m, k)), rng.normal(size=(k, n))
        assert_close(student.matmul(A, B), reference.matmul(A, B))
    A, B = rng.normal(size=(2, 3)).tolist(), rng.normal(size=(3, 4)).tolist()    # lists work too
    assert_close(student.matmul(A, B), reference.matmul(A, B))


@check(weight=1, message="matmul returns the wrong shape for a row times a column (should be 1 x 1) or a "
                         "column times a row (m x n).",
       fix="An (m x k) times a (k x n) is an (m x n) matrix: allocate np.zeros((m, n)) from A's rows and "
           "B's columns.")
def test_shape_rule(student, reference, rng):
    k = int(rng.integers(2, 6))
    for A, B in ((rng.normal(size=(1, k)), rng.normal(size=(k, 1))),        # (1, 1)
                 (rng.normal(size=(k, 1)), rng.normal(size=(1, k + 2))),    # an outer product
                 (rng.normal(size=(1, 1)), rng.normal(size=(1, 3))),
                 (rng.normal(size=(k + 3, k)), rng.normal(size=(k, 2)))):
        assert_close(student.matmul(A, B), reference.matmul(A, B))


@check(weight=1, message="matmul does not return float64 for integer matrices.",
       fix="Allocate the result as float64 (np.zeros((m, n))) or convert the inputs to float first.")
def test_returns_float64(student, reference, rng):
    for m, k, n in _shapes(rng)[:2]:
        A, B = rng.integers(-5, 6, size=(m, k)), rng.integers(-5, 6, size=(k, n))
        got = student.matmul(A, B)
        assert_dtype(got, np.float64)
        assert_close(got, reference.matmul(A, B))


def _mentions_shape(message, shape):
    numbers = [int(x) for x in re.findall(r"\d+", message)]
    return any(numbers[i:i + 2] == list(shape) for i in range(len(numbers) - 1))


def _expect_shapes_error(student, A, B):
    error = expect_error("ValueError", student.matmul, A, B)
    if not (_mentions_shape(error.fault.message, A.shape) and _mentions_shape(error.fault.message, B.shape)):
        raise Feedback("the ValueError's message does not show both shapes")


@check(weight=1, message="Matrices whose inner dimensions differ (A's columns ≠ B's rows) were not refused "
                         "with a clear ValueError — also when one of them is 1, where broadcasting "
                         "stretches it silently.",
       fix="Compare A.shape[1] with B.shape[0] and raise ValueError showing both shapes, e.g. 'cannot "
           "multiply (2, 3) and (4, 5)'.")
def test_rejects_mismatched_inner_dimensions(student, reference, rng):
    m, k, n = (int(d) for d in rng.integers(2, 9, size=3))
    wrong_k = k + int(rng.integers(1, 4))
    A, B = rng.normal(size=(m, k)), rng.normal(size=(wrong_k, n))
    for left, right in ((A, B), (B.T, A.T),                            # (n, k') times (k, m)
                        (A[:, :1], B), (A, B[:1])):                    # an inner dimension of 1 on one side
        _expect_shapes_error(student, left, right)
    assert_close(student.matmul(A, B[:k]), reference.matmul(A, B[:k]))


@check(weight=1, message="matmul modified its inputs.",
       fix="Write only into a result array of your own.")
def test_leaves_input_unchanged(student, reference, rng):
    A, B = rng.normal(size=(3, 4)), rng.normal(size=(4, 2))
    assert_close(student.matmul(A, B), reference.matmul(A, B))
    assert_inputs_unchanged(student)
