"""Hidden checks for `low_rank_approx(M, k)`: the truncated SVD (Eckart-Young)."""

import numpy as np

from mlmath.grading import assert_close, assert_dtype, assert_inputs_unchanged, check, expect_error


def _cases(rng):
    for shape in ((6, 4), (4, 7), (5, 5), (8, 3)):
        M = rng.normal(size=shape)
        yield M, int(rng.integers(1, min(shape)))


@check(weight=3, message="low_rank_approx is not the best rank-k approximation of M (of M's shape).",
       fix="Keep the k LARGEST singular values with their vectors: U[:, :k] · diag(s[:k]) · Vt[:k, :] "
           "(Vt's first k ROWS).")
def test_best_rank_k_approximation(student, reference, rng):
    for M, k in _cases(rng):
        assert_close(student.low_rank_approx(M, k), reference.low_rank_approx(M, k))
    M = rng.normal(size=(5, 6))
    assert_close(student.low_rank_approx(M, np.int64(2)), reference.low_rank_approx(M, 2))   # a NumPy integer k
    assert_close(student.low_rank_approx(M.tolist(), 3), reference.low_rank_approx(M, 3))     # a list


@check(weight=1, message="k = 0 fails or does not give the zero matrix: 0 is a valid rank, keeping no "
                         "singular value.",
       fix="Return np.zeros(M.shape) (float64) for k = 0.")
def test_k_zero_gives_zeros(student, reference, rng):
    for shape in ((3, 5), (4, 4), (1, 3)):
        M = rng.normal(size=shape)
        assert_close(student.low_rank_approx(M, 0), reference.low_rank_approx(M, 0))
    assert_close(student.low_rank_approx(M, 1), reference.low_rank_approx(M, 1))


@check(weight=1, message="k ≥ min(m, n) fails or does not give M back: it keeps every singular value.",
       fix="With full_matrices=True, U and Vt are square and their slices no longer fit: use "
           "full_matrices=False, or clip k to min(m, n).")
def test_k_at_least_min_dimension_returns_m(student, reference, rng):
    for shape in ((6, 4), (3, 5), (4, 4)):
        M = rng.normal(size=shape)
        for k in (min(shape), min(shape) + 3):
            assert_close(student.low_rank_approx(M, k), reference.low_rank_approx(M, k))


@check(weight=1, message="A bad k was accepted: a negative k, a float such as 1.5 or 2.0, or a bool.",
       fix="Raise ValueError unless k is an integer ≥ 0 and not a bool (NumPy integers are fine).")
def test_rejects_bad_k(student, reference, rng):
    M = rng.normal(size=(4, 5))
    for k in (-1, -3, 1.5, 2.0, True):
        expect_error("ValueError", student.low_rank_approx, M, k)
    assert_close(student.low_rank_approx(M, 2), reference.low_rank_approx(M, 2))


@check(weight=1, message="An integer matrix does not give float64 of M's shape for every k.",
       fix="Convert M to float64 first (np.zeros_like of an integer array is an integer array).")
def test_integer_matrix_gives_float64(student, reference, rng):
    M = rng.integers(-5, 6, size=(4, 6))
    for k in (0, 2, 4, 7):
        got = student.low_rank_approx(M, k)
        assert_dtype(got, np.float64)
        assert_close(got, reference.low_rank_approx(M, k))


@check(weight=1, message="low_rank_approx modified M.",
       fix="Compute from the SVD into new arrays; never write into M.")
def test_leaves_input_unchanged(student, reference, rng):
    M = rng.normal(size=(5, 4))
    for k in (0, 1, 3, 4):
        assert_close(student.low_rank_approx(M, k), reference.low_rank_approx(M, k))
    assert_inputs_unchanged(student)
