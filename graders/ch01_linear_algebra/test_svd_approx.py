"""Hidden checks for `low_rank_approx(M, k)`: the truncated SVD (Eckart-Young)."""

import numpy as np

from mlmath.grading import assert_close, assert_dtype, assert_inputs_unchanged, check, expect_error


def _cases(rng):
    for shape in ((6, 4), (4, 7), (5, 5), (8, 3)):
        M = rng.normal(size=shape)
        yield M, int(rng.integers(1, min(shape)))


@check(weight=3, message="Keep the k LARGEST singular values with their singular vectors: U[:, :k] · "
                         "diag(s[:k]) · Vt[:k, :] (Vt's first k ROWS) is the best rank-k approximation, of "
                         "M's shape.")
def test_best_rank_k_approximation(student, reference, rng):
    for M, k in _cases(rng):
        assert_close(student.low_rank_approx(M, k), reference.low_rank_approx(M, k))
    M = rng.normal(size=(5, 6))
    assert_close(student.low_rank_approx(M, np.int64(2)), reference.low_rank_approx(M, 2))   # a NumPy integer k
    assert_close(student.low_rank_approx(M.tolist(), 3), reference.low_rank_approx(M, 3))     # a list


@check(weight=1, message="k = 0 keeps no singular value.",
       fix="Return the zero matrix of M's shape (0 is a valid rank, not an error).")
def test_k_zero_gives_zeros(student, reference, rng):
    for shape in ((3, 5), (4, 4), (1, 3)):
        M = rng.normal(size=shape)
        assert_close(student.low_rank_approx(M, 0), reference.low_rank_approx(M, 0))
    assert_close(student.low_rank_approx(M, 1), reference.low_rank_approx(M, 1))


@check(weight=1, message="k ≥ min(m, n) keeps every singular value and gives M back (with "
                         "full_matrices=True, U and Vt are square and their slices no longer fit: use "
                         "full_matrices=False or handle this case first).")
def test_k_at_least_min_dimension_returns_m(student, reference, rng):
    for shape in ((6, 4), (3, 5), (4, 4)):
        M = rng.normal(size=shape)
        for k in (min(shape), min(shape) + 3):
            assert_close(student.low_rank_approx(M, k), reference.low_rank_approx(M, k))


@check(weight=1, message="k must be an integer ≥ 0: a negative k, a float such as 1.5 or 2.0, or a bool "
                         "must raise ValueError (NumPy integers are fine).")
def test_rejects_bad_k(student, reference, rng):
    M = rng.normal(size=(4, 5))
    for k in (-1, -3, 1.5, 2.0, True):
        expect_error("ValueError", student.low_rank_approx, M, k)
    assert_close(student.low_rank_approx(M, 2), reference.low_rank_approx(M, 2))


@check(weight=1, message="Return float64 of M's shape for every k, also for an integer matrix "
                         "(np.zeros_like of an integer array is an integer array).")
def test_integer_matrix_gives_float64(student, reference, rng):
    M = rng.integers(-5, 6, size=(4, 6))
    for k in (0, 2, 4, 7):
        got = student.low_rank_approx(M, k)
        assert_dtype(got, np.float64)
        assert_close(got, reference.low_rank_approx(M, k))


@check(weight=1, message="low_rank_approx must not modify M.")
def test_leaves_input_unchanged(student, reference, rng):
    M = rng.normal(size=(5, 4))
    for k in (0, 1, 3, 4):
        assert_close(student.low_rank_approx(M, k), reference.low_rank_approx(M, k))
    assert_inputs_unchanged(student)
