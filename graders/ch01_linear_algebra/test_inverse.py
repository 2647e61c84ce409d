"""Hidden checks for `matrix_inverse(A)`: Gauss–Jordan elimination on [A | I] with partial pivoting.

The singular matrices used here are exactly singular, of the kinds the catalog names (a multiple
row, the 3 x 3 matrix 1..9, a zero row or column, two equal columns): for each of them every
correct order of Gauss–Jordan (or of elimination followed by back substitution) meets a pivot of
at most n · eps · max|A|.
"""

import re

import numpy as np

from mlmath.grading import (Feedback, as_array, assert_close, assert_dtype, assert_inputs_unchanged,
                            assert_no_warnings, check, expect_error)


def _inverse(student, A):
    got = as_array(student.matrix_inverse(A))
    n = np.shape(A)[0]
    if got.shape != (n, n):
        raise Feedback(f"the result has shape {got.shape}; the inverse of an n x n matrix is n x n")
    return got


def _assert_inverse(student, reference, A):
    assert_close(_inverse(student, A), reference.matrix_inverse(A))


def _well_conditioned(rng, n):
    return rng.normal(size=(n, n)) + 2.0 * np.sqrt(n) * np.eye(n)[rng.permutation(n)]


def _with_condition_number(rng, n, kappa):
    """An n x n matrix with singular values from 1 down to 1/kappa and random singular vectors."""
    U, _ = np.linalg.qr(rng.normal(size=(n, n)))
    V, _ = np.linalg.qr(rng.normal(size=(n, n)))
    return (U * np.geomspace(1.0, 1.0 / kappa, n)) @ V.T * rng.uniform(0.5, 4.0)


def _exactly_singular(rng):
    """Exactly singular matrices of the kinds the contract names, shuffled and rescaled."""
    nine = np.arange(1.0, 10.0).reshape(3, 3)
    # always graded as given: elimination leaves a pivot of ~1e-16 here, not an exact 0
    cases = [nine, nine / 10.0,
             np.array([[1.0, 2.0], [2.0, 4.0]]) * int(rng.integers(1, 9)),
             nine[rng.permutation(3)][:, rng.permutation(3)],
             nine.T * 2.0 ** int(rng.integers(-3, 4))]
    for n in (3, 4, 5):
        zero_row = rng.normal(size=(n, n))
        zero_row[rng.integers(n)] = 0.0
        zero_column = rng.normal(size=(n, n))
        zero_column[:, rng.integers(n)] = 0.0
        equal_columns = rng.normal(size=(n, n))
        i, j = rng.choice(n, size=2, replace=False)
        equal_columns[:, j] = equal_columns[:, i]
        cases += [zero_row, zero_column, equal_columns]
    return cases


@check(weight=2, message="matrix_inverse does not return X with A X = X A = I on ordinary invertible "
                         "matrices.",
       fix="Gauss–Jordan: turn [A | I] into [I | A⁻¹] — scale each pivot row so that the pivot is 1, then "
           "clear the pivot's column in EVERY other row, above and below.")
def test_inverts_regular_matrices(student, reference, rng):
    for n in (1, 2, 3, 5, 8):
        _assert_inverse(student, reference, _well_conditioned(rng, n))
    _assert_inverse(student, reference, [[3.0, 1.0], [2.0, 4.0]])
    _assert_inverse(student, reference, _well_conditioned(rng, 3).tolist())


@check(weight=1, message="A zero pivot breaks your inverse: [[0, 1], [1, 0]] (its own inverse) fails or "
                         "gives a wrong result.",
       fix="Swap in a lower row before dividing, and swap the whole row of [A | I], its right half too.")
def test_zero_pivot_needs_a_row_swap(student, reference, rng):
    _assert_inverse(student, reference, [[0.0, 1.0], [1.0, 0.0]])
    for n in (3, 4, 5):
        permutation = np.eye(n)[rng.permutation(n)]
        _assert_inverse(student, reference, permutation * rng.uniform(0.5, 2.0, size=n))
        A = _well_conditioned(rng, n)
        A[0, 0] = 0.0
        _assert_inverse(student, reference, A)


@check(weight=1, message="A tiny pivot such as 1e-20 makes your inverse inaccurate: dividing by it makes "
                         "huge multipliers that round the other rows away.",
       fix="Partial pivoting: swap up the row with the LARGEST |entry| in the pivot column, not just the "
           "first non-zero one.")
def test_tiny_pivot_is_swapped_away(student, reference, rng):
    A = np.array([[1e-20, 1.0], [1.0, 1.0]])
    true_inverse = np.array([[1.0, -1.0], [-1.0, 1e-20]]) / (1e-20 - 1.0)
    assert_close(_inverse(student, A), true_inverse, rtol=0.0, atol=1e-12)
    for n in (3, 5):
        A = rng.normal(size=(n, n)) + np.eye(n)
        A[0, 0] = 1e-17 * rng.uniform(1.0, 2.0)
        _assert_inverse(student, reference, A)


@check(weight=2, message="A singular matrix was not refused with ValueError (or was divided by a zero or "
                         "tiny pivot). Checking for an exact 0 is not enough: rounding leaves a tiny "
                         "non-zero pivot.",
       fix="Raise ValueError when the best pivot left in a column has magnitude at most n · eps · max|A|; "
           "never divide by it.")
def test_singular_matrices_raise(student, reference, rng):
    for A in _exactly_singular(rng):
        expect_error("ValueError", student.matrix_inverse, A)
    expect_error("ValueError", student.matrix_inverse, np.zeros((3, 3)))
    assert_no_warnings(student)
    _assert_inverse(student, reference, _well_conditioned(rng, 3))     # and a regular one is inverted


@check(weight=1, message="The ValueError for a singular matrix does not say why.",
       fix="Put 'singular' (or 'not invertible') in the error message.")
def test_singular_message_says_why(student, reference, rng):
    for A in (np.array([[1.0, 2.0], [2.0, 4.0]]), _exactly_singular(rng)[1]):
        error = expect_error("ValueError", student.matrix_inverse, A)
        if not re.search(r"singular|invertible|inverse", error.fault.message, re.IGNORECASE):
            raise Feedback("the ValueError's message does not say that the matrix is singular")


@check(weight=1, message="The inverse is not accurate for ill-conditioned (but invertible) matrices up to "
                         "a condition number of 1e6 (‖X − A⁻¹‖_F ≤ 1e-8 · ‖A⁻¹‖_F), or they are wrongly "
                         "refused as singular.",
       fix="Use partial pivoting, and a singularity test relative to max|A| (not a fixed threshold).")
def test_accurate_up_to_condition_number_1e6(student, reference, rng):
    for n, kappa in ((4, 1e3), (6, 1e5), (8, 1e6), (5, 1e6)):
        A = _with_condition_number(rng, n, kappa)
        true_inverse = np.linalg.inv(A)
        error = np.sqrt(np.sum((_inverse(student, A) - true_inverse) ** 2))
        if not error <= 1e-8 * np.sqrt(np.sum(true_inverse ** 2)):
            raise Feedback()
    for scale in (1e-12, 1e12):                # singular to working precision is RELATIVE to max|A|
        A = _well_conditioned(rng, 3) * scale
        assert_close(_inverse(student, A) * scale, reference.matrix_inverse(A) * scale)


@check(weight=1, message="An integer matrix does not give a float64 inverse of shape (n, n).",
       fix="Convert to float before eliminating: an integer array truncates every division.")
def test_integer_matrices_give_float64(student, reference, rng):
    for n in (2, 3, 4):
        A = rng.integers(-6, 7, size=(n, n))
        # strictly diagonally dominant, hence invertible whatever the draw
        np.fill_diagonal(A, np.abs(A).sum(axis=1) + 1)
        got = _inverse(student, A)
        assert_dtype(got, np.float64)
        assert_close(got, reference.matrix_inverse(A))
    _assert_inverse(student, reference, [[2, 1], [1, 1]])


@check(weight=1, message="A matrix that is not square and 2-D was accepted: only a square matrix can have "
                         "an inverse.",
       fix="Raise ValueError unless A.ndim == 2 and A.shape[0] == A.shape[1].")
def test_rejects_non_square(student, reference, rng):
    for A in (rng.normal(size=(2, 3)), rng.normal(size=(4, 2)), rng.normal(size=4), rng.normal(size=(2, 2, 2))):
        expect_error("ValueError", student.matrix_inverse, A)
    _assert_inverse(student, reference, _well_conditioned(rng, 3))


@check(weight=1, message="matrix_inverse modified A.",
       fix="Eliminate on a float copy: np.array(A, dtype=float) copies, np.asarray does not copy a float "
           "array.")
def test_leaves_input_unchanged(student, reference, rng):
    for n in (2, 4):
        _assert_inverse(student, reference, _well_conditioned(rng, n))
    assert_inputs_unchanged(student)


@check(weight=1, message="matrix_inverse is far too slow on a 60 x 60 matrix: an inverse built from "
                         "cofactors (the adjugate) takes far longer than elimination.",
       fix="Use Gauss–Jordan elimination, which takes O(n³) steps.")
def test_scales_to_large_matrices(student, reference, rng):
    _assert_inverse(student, reference, _well_conditioned(rng, 60))
