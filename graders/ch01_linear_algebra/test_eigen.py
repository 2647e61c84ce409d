"""Hidden checks for `power_iteration(A, max_iter=1000, tol=1e-10)`: the dominant eigenpair of a
symmetric matrix.

The test matrices are built as Q diag(λ) Qᵀ with known eigenvalues whose two largest magnitudes
have a ratio of at most 0.9, so the catalog's accuracy holds for any start vector that is not
orthogonal to the dominant eigenvector; the eigenvector is compared up to sign.
"""

import numpy as np

from mlmath.grading import Feedback, as_array, assert_close, assert_dtype, assert_inputs_unchanged, check, expect_error


def _symmetric(rng, eigenvalues):
    """Q diag(eigenvalues) Qᵀ for a random orthogonal Q, exactly symmetric; and the dominant pair."""
    n = len(eigenvalues)
    Q, _ = np.linalg.qr(rng.normal(size=(n, n)))
    A = (Q * eigenvalues) @ Q.T
    A = (A + A.T) / 2
    top = int(np.argmax(np.abs(eigenvalues)))
    return A, float(eigenvalues[top]), Q[:, top]


def _spectrum(rng, n, dominant, ratio=0.9):
    """n eigenvalues: `dominant`, and the others of magnitude at most ratio · |dominant|, random signs."""
    others = rng.uniform(0.0, ratio, size=n - 1) * rng.choice([-1.0, 1.0], size=n - 1) * abs(dominant)
    if n > 1:
        others[0] = ratio * abs(dominant) * rng.choice([-1.0, 1.0])        # the hardest gap allowed
    return rng.permutation(np.concatenate([[dominant], others]))


def _pair(student, A, **kwargs):
    result = student.power_iteration(A, **kwargs)
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        raise Feedback("power_iteration must return a pair (lam, v)")
    lam, v = as_array(result[0], "lam"), as_array(result[1], "v")
    n = np.shape(A)[0]
    if lam.shape != ():
        raise Feedback(f"lam has shape {lam.shape}; an eigenvalue is a single number")
    if v.shape != (n,):
        raise Feedback(f"v has shape {v.shape}; the eigenvector of an n x n matrix has shape (n,)")
    if lam.dtype.kind == "c" or v.dtype.kind == "c":
        raise Feedback("the result is complex; a symmetric matrix has real eigenpairs")
    return float(lam), v.astype(np.float64)


def _assert_dominant(student, A, dominant, vector, **kwargs):
    lam, v = _pair(student, A, **kwargs)
    if not np.all(np.isfinite(v)) or not np.isfinite(lam):
        raise Feedback("the result is not finite")
    assert_close(np.sqrt(np.sum(v * v)), 1.0, rtol=1e-9, atol=0.0, what="the length of v")
    if not abs(lam - dominant) <= 1e-8 * abs(dominant):
        raise Feedback()
    residual = np.sqrt(np.sum((np.asarray(A, dtype=float) @ v - lam * v) ** 2))
    if not residual <= 1e-6 * abs(dominant):
        raise Feedback()
    sign = 1.0 if v @ vector >= 0 else -1.0
    assert_close(sign * v, vector, rtol=0.0, atol=1e-6, what="v")


@check(weight=2, message="power_iteration does not return the dominant eigenvalue (largest magnitude) and "
                         "its unit eigenvector (either sign is fine).",
       fix="Repeat v ← A v / ‖A v‖ until v stops changing, then return lam = vᵀ A v (the Rayleigh "
           "quotient) and v.")
def test_dominant_eigenpair(student, reference, rng):
    for n in (2, 3, 5, 8):
        A, dominant, vector = _symmetric(rng, _spectrum(rng, n, rng.uniform(1.0, 6.0)))
        _assert_dominant(student, A, dominant, vector)
    A, dominant, vector = _symmetric(rng, _spectrum(rng, 4, rng.uniform(1.0, 3.0)))
    _assert_dominant(student, A.tolist(), dominant, vector)
    lam, v = _pair(student, [[3]])
    assert_close(lam, 3.0, what="lam")
    assert_close(np.abs(v), [1.0], what="v")


@check(weight=1, message="A negative dominant eigenvalue goes wrong: the one of largest MAGNITUDE may be "
                         "negative, and then v flips its sign at every step.",
       fix="Judge 'v stopped changing' up to sign (compare with both v and −v), and return lam = vᵀ A v, "
           "not ‖A v‖ (never negative).")
def test_negative_dominant_eigenvalue(student, reference, rng):
    _assert_dominant(student, np.diag([-5.0, 1.0]), -5.0, np.array([1.0, 0.0]))
    for n in (2, 4, 6):
        A, dominant, vector = _symmetric(rng, _spectrum(rng, n, -rng.uniform(1.0, 6.0)))
        _assert_dominant(student, A, dominant, vector)


@check(weight=1, message="The iteration never sees the dominant eigenvector for some matrices: a fixed "
                         "start vector such as all ones or e₁ can be orthogonal to it.",
       fix="Start from a (seeded) random vector.")
def test_start_vector_reaches_the_dominant_direction(student, reference, rng):
    # diagonal matrices with the dominant direction on each axis in turn: every basis vector e_k
    # is orthogonal to it in two of them
    scale = rng.uniform(1.0, 3.0)
    for position in range(3):
        eigenvalues = np.array([1.0, 2.0, 1.0]) * rng.uniform(0.5, 1.0, size=3) * scale
        eigenvalues[position] = 5.0 * scale * rng.choice([-1.0, 1.0])
        _assert_dominant(student, np.diag(eigenvalues), eigenvalues[position], np.eye(3)[position])
    # eigenvalues 4a along [1, -1] and -2a along [1, 1]: the dominant direction is orthogonal to all ones
    a = rng.uniform(1.0, 3.0)
    _assert_dominant(student, [[a, -3.0 * a], [-3.0 * a, a]], 4.0 * a, np.array([1.0, -1.0]) / np.sqrt(2.0))


@check(weight=1, message="power_iteration overflows to inf (or underflows to 0) for matrices with large "
                         "(or small) eigenvalues: ‖Aᵏ v‖ grows or shrinks like |λ₁|ᵏ.",
       fix="Normalise v at EVERY step: v ← A v / ‖A v‖.")
def test_any_scale(student, reference, rng):
    for scale in (1e4, 1e-4, 1e80):
        A, dominant, vector = _symmetric(rng, _spectrum(rng, 3, scale * rng.choice([-1.0, 1.0])))
        _assert_dominant(student, A, dominant, vector)


@check(weight=1, message="The eigenvector is not a float64 1-D array of unit length (checked with an "
                         "integer matrix too).",
       fix="Convert A to float64 first, and return v / ‖v‖ as a 1-D array.")
def test_unit_float64_vector(student, reference, rng):
    for A, dominant in (([[2, 1], [1, 2]], 3.0), ([[4, 1, 0], [1, 3, 0], [0, 0, 1]], (7 + np.sqrt(5)) / 2)):
        result = student.power_iteration(A)
        if not isinstance(result, (tuple, list)) or len(result) != 2:
            raise Feedback("power_iteration must return a pair (lam, v)")
        assert_dtype(result[1], np.float64, what="v")
        lam, v = _pair(student, A)
        assert_close(np.sqrt(np.sum(v * v)), 1.0, rtol=1e-9, atol=0.0, what="the length of v")
        assert_close(lam, dominant, rtol=1e-8, atol=0.0, what="lam")


@check(weight=1, message="A matrix that is not square and symmetric was accepted.",
       fix="Raise ValueError when A is not square and 2-D, or when max|A − Aᵀ| > 1e-10 · max|A|.")
def test_rejects_non_symmetric(student, reference, rng):
    A, _, _ = _symmetric(rng, _spectrum(rng, 4, 3.0))
    for relative in (1e-3, 1e-7):
        skewed = A.copy()
        i, j = rng.choice(4, size=2, replace=False)
        skewed[i, j] += relative * np.max(np.abs(A))
        expect_error("ValueError", student.power_iteration, skewed)
    for bad in ([[1.0, 2.0], [0.0, 1.0]], rng.normal(size=(2, 3)), rng.normal(size=3), rng.normal(size=(2, 2, 2))):
        expect_error("ValueError", student.power_iteration, bad)


@check(weight=1, message="A matrix that is symmetric up to rounding (max|A − Aᵀ| ≤ 1e-10 · max|A|) was "
                         "refused: it counts as symmetric.",
       fix="Compare with a tolerance relative to max|A|, not exactly and not with a fixed absolute "
           "tolerance.")
def test_accepts_rounding_level_asymmetry(student, reference, rng):
    for scale in (1.0, 1e-9, 1e9):
        A, dominant, vector = _symmetric(rng, _spectrum(rng, 4, 2.0 * scale))
        nudged = A + np.triu(rng.uniform(-1.0, 1.0, size=A.shape), 1) * 1e-12 * np.max(np.abs(A))
        _assert_dominant(student, nudged, dominant, vector)


@check(weight=1, message="The zero matrix was accepted: it has no dominant eigenvector (A v = 0 for every "
                         "v, and v/‖v‖ is 0/0).",
       fix="Raise ValueError.")
def test_rejects_zero_matrix(student, reference, rng):
    for n in (1, 3, int(rng.integers(2, 6))):
        expect_error("ValueError", student.power_iteration, np.zeros((n, n)))
    A, dominant, vector = _symmetric(rng, _spectrum(rng, 3, 1.5))
    _assert_dominant(student, A, dominant, vector)


@check(weight=1, message="power_iteration does not stop properly when v never settles (as when λ and −λ "
                         "are both dominant).",
       fix="Stop after max_iter iterations anyway, and still return a unit v with lam = vᵀ A v.")
def test_stops_after_max_iter(student, reference, rng):
    for max_iter in (5, 40):
        A, _, _ = _symmetric(rng, np.array([2.0, -2.0, 1.0]) * rng.uniform(1.0, 3.0))
        lam, v = _pair(student, A, max_iter=max_iter)
        assert_close(np.sqrt(np.sum(v * v)), 1.0, rtol=1e-9, atol=0.0, what="the length of v")
        assert_close(lam, v @ A @ v, what="lam")


@check(weight=1, message="power_iteration modified A (symmetrising it in place counts).",
       fix="Work on a copy of A; never write into the caller's matrix.")
def test_leaves_input_unchanged(student, reference, rng):
    # symmetric up to rounding, so that symmetrising a matrix in place changes it visibly
    A, dominant, vector = _symmetric(rng, _spectrum(rng, 4, 2.5))
    A = A + np.triu(rng.uniform(-1.0, 1.0, size=A.shape), 1) * 1e-12
    _assert_dominant(student, A, dominant, vector)
    assert_inputs_unchanged(student)
