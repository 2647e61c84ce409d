"""Hidden checks for `matrix_rank(A, tol=None)`: singular values above a tolerance."""

import numpy as np

from mlmath.grading import Feedback, as_array, assert_close, assert_inputs_unchanged, check


def _with_singular_values(rng, m, n, singular_values):
    """An m x n matrix with the given singular values and random singular vectors."""
    U, _ = np.linalg.qr(rng.normal(size=(m, m)))
    V, _ = np.linalg.qr(rng.normal(size=(n, n)))
    k = len(singular_values)
    return (U[:, :k] * singular_values) @ V[:, :k].T


def _assert_rank(student, reference, A, **kwargs):
    got = as_array(student.matrix_rank(A, **kwargs))
    if got.shape != ():
        raise Feedback(f"the result has shape {got.shape}; the rank is a single number")
    assert_close(got, reference.matrix_rank(A, **kwargs))


@check(weight=1, message="A random matrix does not get full rank, min(m, n), for every shape.",
       fix="Count the singular values of A above the tolerance σ_max · max(m, n) · eps.")
def test_full_rank_matrices(student, reference, rng):
    for shape in ((4, 4), (6, 3), (3, 7), (1, 5)):
        _assert_rank(student, reference, rng.normal(size=shape))
    _assert_rank(student, reference, [[2, 1], [1, 3]])                  # integers, as a list
    _assert_rank(student, reference, np.eye(3, dtype=int))


@check(weight=2, message="A rank-deficient matrix gets too high a rank: its 'zero' singular values come "
                         "out as rounding noise (~1e-16·σ_max) and must not be counted.",
       fix="Count only the singular values of A itself ABOVE the tolerance; squaring them through AᵀA "
           "makes the noise ~1e-8.")
def test_rank_deficient_matrices(student, reference, rng):
    _assert_rank(student, reference, [[1, 2, 3], [4, 5, 6], [7, 8, 9]])
    for m, n, r in ((6, 5, 2), (8, 8, 5), (4, 9, 1), (10, 3, 2), (7, 7, 6)):
        _assert_rank(student, reference, rng.normal(size=(m, r)) @ rng.normal(size=(r, n)))


@check(weight=1, message="Matrices whose entries are all tiny or all huge get the wrong rank: a fixed "
                         "cut-off miscounts them.",
       fix="Make the default tolerance RELATIVE: σ_max · max(m, n) · eps.")
def test_default_tolerance_is_relative(student, reference, rng):
    _assert_rank(student, reference, rng.normal(size=(4, 5)) * 1e-12)
    _assert_rank(student, reference, rng.normal(size=(3, 3)) * 1e-30)
    _assert_rank(student, reference, (rng.normal(size=(6, 2)) @ rng.normal(size=(2, 5))) * 1e8)


@check(weight=1, message="Your default tolerance is not the expected one for a wide or tall matrix.",
       fix="σ_max · max(m, n) · eps, with the LARGER dimension and eps = np.finfo(np.float64).eps (about "
           "2.2e-16, not float32's 1.2e-7).")
def test_default_tolerance_uses_the_larger_dimension(student, reference, rng):
    for m, n in ((4, 40), (40, 4)):
        scale = 10.0 ** rng.uniform(-3, 3)
        # 3e-15 lies between 4·eps and 40·eps; 1e-9 is far above 40·eps but below 40·eps(float32)
        A = _with_singular_values(rng, m, n, scale * np.array([1.0, 0.5, 1e-9, 3e-15]))
        _assert_rank(student, reference, A)


@check(weight=1, message="A tol you are given is not used as the cut-off.",
       fix="When tol is given, count the singular values strictly above that tol.")
def test_explicit_tolerance(student, reference, rng):
    A = _with_singular_values(rng, 5, 4, np.array([10.0, 1.0, 0.1, 0.01]))
    for tol in (20.0, 0.5, 0.05, 0.005, 1e-5):
        _assert_rank(student, reference, A, tol=tol)


@check(weight=1, message="The zero matrix does not get rank 0.",
       fix="With σ_max = 0 the default tolerance is 0; count singular values STRICTLY above it (> tol, not "
           "≥).")
def test_zero_matrix(student, reference, rng):
    for shape in ((3, 4), (1, 1), (5, 2)):
        _assert_rank(student, reference, np.zeros(shape))
    _assert_rank(student, reference, rng.normal(size=(3, 2)))


@check(weight=1, message="matrix_rank modified its input.",
       fix="Compute on the array as given (or a copy); never write into it.")
def test_leaves_input_unchanged(student, reference, rng):
    _assert_rank(student, reference, rng.normal(size=(4, 3)))
    _assert_rank(student, reference, rng.normal(size=(2, 5)))
    assert_inputs_unchanged(student)
