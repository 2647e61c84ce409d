"""Hidden checks for `determinant(A)`: Gaussian elimination with partial pivoting."""

import numpy as np

from mlmath.grading import Feedback, as_array, assert_close, assert_inputs_unchanged, check, expect_error


def _det(student, A):
    got = as_array(student.determinant(A))
    if got.shape != ():
        raise Feedback(f"the result has shape {got.shape}; a determinant is a single number")
    return got


def _assert_det(student, reference, A):
    assert_close(_det(student, A), reference.determinant(A))


@check(weight=2, message="Your determinant gives wrong values on ordinary square matrices.",
       fix="Gaussian elimination: the determinant is the product of the pivots, with a sign flip for every "
           "row swap.")
def test_matches_elimination(student, reference, rng):
    for n in (1, 2, 3, 4, 6):
        _assert_det(student, reference, rng.normal(scale=2.0, size=(n, n)))
    _assert_det(student, reference, [[3.0, 1.0], [2.0, 4.0]])
    _assert_det(student, reference, [[rng.normal()]])


@check(weight=2, message="A zero pivot breaks your elimination (a division by zero, or a wrong sign): [[0, "
                         "1], [1, 0]] has det -1.",
       fix="When the pivot is 0, swap in a lower row with a non-zero entry in that column, and flip the "
           "sign of the determinant for each swap.")
def test_zero_pivot_needs_a_row_swap(student, reference, rng):
    _assert_det(student, reference, [[0.0, 1.0], [1.0, 0.0]])
    for n in (3, 4, 5):
        permutation = np.eye(n)[rng.permutation(n)]
        _assert_det(student, reference, permutation * rng.uniform(0.5, 2.0, size=n))
        A = rng.normal(size=(n, n))
        A[0, 0] = 0.0
        _assert_det(student, reference, A)


@check(weight=1, message="A tiny pivot such as 1e-20 makes your determinant inaccurate: huge multipliers "
                         "round away the other rows.",
       fix="Partial pivoting: swap up the row with the LARGEST |entry| in the pivot column, not just the "
           "first non-zero one.")
def test_tiny_pivot_is_swapped_away(student, reference, rng):
    _assert_det(student, reference, [[1e-20, 1.0, 1.0], [1.0, 1.0, 2.0], [1.0, 2.0, 1.0]])
    for n in (3, 5):
        A = rng.normal(size=(n, n))
        A[0, 0] = 1e-17 * rng.uniform(1, 2)
        _assert_det(student, reference, A)


@check(weight=1, message="A singular matrix does not give determinant 0 (up to rounding).",
       fix="When no non-zero pivot is left in a column, the determinant is 0: return it, don't raise or "
           "divide by zero.")
def test_singular_matrices_give_zero(student, reference, rng):
    n = 4
    low_rank = rng.normal(size=(n, 2)) @ rng.normal(size=(2, n))
    zero_column = rng.normal(size=(n, n))
    zero_column[:, 1] = 0.0
    repeated_row = rng.normal(size=(n, n))
    repeated_row[2] = repeated_row[0]
    for A in ([[1, 2, 3], [4, 5, 6], [7, 8, 9]], [[1.0, 1.0, 1.0], [1.0, 1.0, 2.0], [1.0, 1.0, 3.0]],
              np.zeros((3, 3)), low_rank, zero_column, repeated_row, [[0.0]]):
        A = np.asarray(A, dtype=float)
        got = _det(student, A)
        bound = 1e-9 * max(np.sqrt(np.sum(A ** 2)), 1e-300) ** len(A)
        if not np.isfinite(got) or abs(float(got)) > bound:
            raise Feedback()
    _assert_det(student, reference, rng.normal(size=(3, 3)))     # and a regular one is not 0


@check(weight=1, message="Integer matrices give wrong determinants or fail.",
       fix="Convert to float before eliminating (in-place updates of an integer array truncate or fail).")
def test_integer_matrices(student, reference, rng):
    for n in (2, 3, 5):
        _assert_det(student, reference, rng.integers(-6, 7, size=(n, n)))
    _assert_det(student, reference, [[2, 1, 1], [1, 3, 2], [1, 0, 0]])


@check(weight=1, message="A matrix that is not square and 2-D was accepted: it has no determinant.",
       fix="Raise ValueError unless A.ndim == 2 and A.shape[0] == A.shape[1].")
def test_rejects_non_square(student, reference, rng):
    for A in (rng.normal(size=(2, 3)), rng.normal(size=(4, 2)), rng.normal(size=4), rng.normal(size=(2, 2, 2))):
        expect_error("ValueError", student.determinant, A)
    _assert_det(student, reference, rng.normal(size=(3, 3)))


@check(weight=1, message="determinant modified its input matrix.",
       fix="Eliminate on a float copy: np.array(A, dtype=float) copies, np.asarray does not copy a float "
           "array.")
def test_leaves_input_unchanged(student, reference, rng):
    # diagonally dominant: elimination needs no row swaps, so only the copying is tested here
    for n in (3, 4):
        _assert_det(student, reference, rng.normal(size=(n, n)) + 10.0 * np.eye(n))
    assert_inputs_unchanged(student)


@check(weight=1, message="determinant is far too slow on a 60 x 60 matrix: the cofactor expansion takes n! "
                         "steps and never finishes.",
       fix="Use Gaussian elimination, which takes O(n³) steps.")
def test_scales_to_large_matrices(student, reference, rng):
    A = rng.normal(size=(60, 60))
    _assert_det(student, reference, A)
