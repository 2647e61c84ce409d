"""Hidden checks for `normal_logpdf(x, mu, sigma)` and `mvn_logpdf(X, mean, cov)`."""

from functools import partial

import numpy as np

from mlmath.grading import (accept_valid_input, expect_refusal, Feedback, as_array, assert_close, assert_inputs_unchanged,
                            assert_no_warnings, check)



_accepts = partial(accept_valid_input, "a valid sigma or covariance failed it")


def _spd(rng, d):
    """A random symmetric positive definite matrix (exactly symmetric)."""
    A = rng.normal(size=(d, d))
    C = A @ A.T / d + 0.5 * np.eye(d)
    return (C + C.T) / 2


def _normal(student, reference, x, mu, sigma):
    got = _accepts(student.normal_logpdf, x, mu, sigma)
    expected = reference.normal_logpdf(x, mu, sigma)
    try:
        assert_close(got, expected)
    except Feedback:
        value = as_array(got)
        if sigma != 1 and value.shape == np.shape(expected) and \
                np.allclose(value, reference.normal_logpdf(x, mu, np.sqrt(sigma)), rtol=1e-9, atol=0):
            raise Feedback("you used sigma as the variance: sigma is the standard deviation, "
                           "the variance is sigma²") from None
        raise


def _skewed(rng, cov, relative):
    """cov with one off-diagonal entry moved by ``relative`` times its largest entry (either way)."""
    i, j = rng.permutation(len(cov))[:2]
    skewed = cov.copy()
    skewed[i, j] += rng.choice([-1.0, 1.0]) * relative * np.max(np.abs(cov))
    return skewed


def _largest_off_diagonal(cov):
    """(i, j), i ≠ j, of the off-diagonal entry of largest magnitude."""
    magnitudes = np.abs(cov)
    np.fill_diagonal(magnitudes, -1.0)
    return np.unravel_index(np.argmax(magnitudes), cov.shape)


def _mvn(student, reference, X, mean, cov):
    assert_close(_accepts(student.mvn_logpdf, X, mean, cov), reference.mvn_logpdf(X, mean, cov))


@check(weight=2, message="normal_logpdf gives wrong values (σ is the standard deviation, applied "
                         "elementwise over x).",
       fix="−½ log(2π) − log σ − (x − μ)² / (2σ²).")
def test_normal_logpdf_matches_definition(student, reference, rng):
    for shape, mu, sigma in (((7,), 0.0, 1.0), ((2, 3), float(rng.normal(scale=5)), float(rng.uniform(0.2, 4))),
                             ((), -1.5, 0.3)):
        x = mu + sigma * rng.normal(scale=2.0, size=shape)
        _normal(student, reference, x, mu, sigma)
    _normal(student, reference, [0, 1, 2, 5], 1, 2)               # integers


@check(weight=1, message="normal_logpdf is not finite far from the mean (normal_logpdf(50, 0, 1) ≈ "
                         "−1250.92).",
       fix="Compute the log-density directly, never log(pdf), whose exp underflows to 0.")
def test_normal_logpdf_far_from_the_mean(student, reference, rng):
    mu, sigma = float(rng.normal()), float(rng.uniform(0.5, 2.0))
    _normal(student, reference, mu + sigma * np.array([40.0, -60.0, 1e3, 0.5]), mu, sigma)
    assert_no_warnings(student)


@check(weight=1, message="sigma ≤ 0 was accepted: it is not a standard deviation.",
       fix="Raise ValueError (any sigma > 0, however small, is valid).")
def test_normal_rejects_non_positive_sigma(student, reference, rng):
    x = rng.normal(size=3)
    expect_refusal("sigma = 0", student.normal_logpdf, x, 0.0, 0.0)
    expect_refusal("a negative sigma", student.normal_logpdf, x, 0.0, -1.5)
    _normal(student, reference, 1e-3 * x, 0.0, 1e-3)


@check(weight=2, message="mvn_logpdf gives wrong values for rows of X (n, d); the result should have shape "
                         "(n,).",
       fix="−½ [d log(2π) + log det Σ + (x − μ)ᵀ Σ⁻¹ (x − μ)] for each row x.")
def test_mvn_matches_definition(student, reference, rng):
    for d, n in ((1, 4), (3, 5), (6, 10)):
        mean, cov = rng.normal(size=d), _spd(rng, d)
        X = mean + rng.normal(size=(n, d)) @ np.linalg.cholesky(cov).T
        _mvn(student, reference, X, mean, cov)
    _mvn(student, reference, [[0, 1], [2, 2]], [1, 1], [[2, 1], [1, 3]])   # integers


@check(weight=1, message="A single point X of shape (d,) does not give a single number (shape ()).",
       fix="Treat X of shape (d,) as one row, compute, and return the single value (result[0]).")
def test_mvn_single_point_gives_a_number(student, reference, rng):
    for d in (1, 4):
        mean, cov = rng.normal(size=d), _spd(rng, d)
        x = mean + rng.normal(size=d)
        got = _accepts(student.mvn_logpdf, x, mean, cov)
        if as_array(got).shape != ():
            raise Feedback(f"for X of shape ({d},) the result has shape {as_array(got).shape}")
        assert_close(got, reference.mvn_logpdf(x, mean, cov))


@check(weight=2, message="mvn_logpdf is not finite and accurate in high dimension: for d = 500 and Σ = "
                         "0.01·I, det Σ = 1e-1000 underflows to 0.",
       fix="Use the Cholesky factor Σ = L Lᵀ: log det Σ = 2 Σ log Lᵢᵢ and the quadratic form is ‖L⁻¹(x − "
           "μ)‖² — never det, never log(pdf).")
def test_mvn_stable_in_high_dimension(student, reference, rng):
    d = 500
    mean = rng.normal(size=d)
    _mvn(student, reference, mean + 0.1 * rng.normal(size=(3, d)), mean, 0.01 * np.eye(d))
    d = 200
    mean, cov = rng.normal(size=d), 0.01 * _spd(rng, d)
    _mvn(student, reference, mean + 0.1 * rng.normal(size=(4, d)), mean, cov)
    mean, cov = rng.normal(size=5), _spd(rng, 5)
    _mvn(student, reference, mean + 100.0 * rng.normal(size=(3, 5)), mean, cov)   # far from the mean
    assert_no_warnings(student)


@check(weight=1, message="A covariance that is not symmetric (beyond 1e-8 relative) was accepted — a "
                         "Cholesky routine reads only one triangle and silently ignores the other.",
       fix="Raise ValueError when max|Σ − Σᵀ| > 1e-8 · max|Σ|.")
def test_mvn_rejects_non_symmetric_cov(student, reference, rng):
    cov = _spd(rng, 3)
    _mvn(student, reference, rng.normal(size=(2, 3)), np.zeros(3), cov)
    skewed = cov.copy()
    skewed[0, 2] += 0.3
    expect_refusal("a clearly non-symmetric covariance", student.mvn_logpdf, np.zeros((2, 3)), np.zeros(3), skewed)
    skewed = cov.copy()
    skewed[2, 1] *= 1 + 1e-4
    expect_refusal("a covariance whose two triangles differ by 1e-4 relative",
             student.mvn_logpdf, np.zeros((2, 3)), np.zeros(3), skewed)
    # just beyond 1e-8 of its largest entry (a 2x2 covariance, so that any norm of it gives about that
    # tolerance), then a few 1e-7 on a tiny and on a huge covariance: relative means whatever its scale
    a_few_1e_7 = 10.0 ** rng.uniform(-6.7, -5.5, size=2)
    for d, relative, scale in ((2, rng.uniform(5e-8, 9.5e-8), 10.0 ** rng.uniform(-1.0, 1.0)),
                               (int(rng.integers(2, 5)), a_few_1e_7[0], 10.0 ** rng.uniform(-4.0, -3.0)),
                               (int(rng.integers(2, 5)), a_few_1e_7[1], 10.0 ** rng.uniform(1.5, 3.0))):
        skewed = _skewed(rng, scale * _spd(rng, d), relative)
        expect_refusal("a covariance whose two triangles differ by more than 1e-8 relative to its largest entry "
                       "(np.allclose's default rtol=1e-5 is far looser, and its atol is not relative)",
                       student.mvn_logpdf, np.zeros((2, d)), np.zeros(d), skewed)


@check(weight=1, message="A covariance symmetric up to rounding (within 1e-8 relative) was refused; it is "
                         "valid.",
       fix="Compare the two triangles with a tolerance relative to the covariance's size, not with == (nor "
           "with a fixed absolute tolerance).")
def test_mvn_accepts_rounding_asymmetry(student, reference, rng):
    for d, scale in zip((3, 6), 10.0 ** rng.permutation([rng.uniform(-3.0, -1.5), rng.uniform(1.5, 3.0)])):
        cov = scale * _spd(rng, d)
        cov[0, 1] *= 1 + 1e-12
        cov[d - 1, 0] *= 1 - 1e-13
        i, j = _largest_off_diagonal(cov)
        cov[i, j] *= 1 + rng.choice([-1.0, 1.0]) * rng.uniform(1e-9, 2.5e-9)        # a few 1e-9 of itself
        mean = rng.normal(size=d)
        _mvn(student, reference, mean + rng.normal(size=(4, d)), mean, cov)


@check(weight=1, message="A covariance that is not positive definite (a zero or negative eigenvalue) was "
                         "accepted: log det Σ is undefined.",
       fix="Raise ValueError when the Cholesky factorisation fails (catch np.linalg.LinAlgError).")
def test_mvn_rejects_not_positive_definite(student, reference, rng):
    X, mean = rng.normal(size=(2, 2)), np.zeros(2)
    _mvn(student, reference, X, mean, np.array([[1.0, 0.9], [0.9, 1.0]]))       # valid, if strongly correlated
    expect_refusal("an indefinite covariance (eigenvalues 3 and −1)",
             student.mvn_logpdf, X, mean, np.array([[1.0, 2.0], [2.0, 1.0]]))
    expect_refusal("a singular covariance", student.mvn_logpdf, X, mean, np.array([[4.0, 2.0], [2.0, 1.0]]))
    expect_refusal("a covariance with a negative variance",
             student.mvn_logpdf, np.zeros((2, 3)), np.zeros(3), np.diag([1.0, -1.0, 2.0]))


@check(weight=1, message="normal_logpdf or mvn_logpdf modified its inputs.",
       fix="Centre a copy of X (X − mean), not X itself.")
def test_leave_inputs_unchanged(student, reference, rng):
    x = rng.normal(size=6)
    _normal(student, reference, x, 0.5, 2.0)
    mean, cov = rng.normal(size=3), _spd(rng, 3)
    _mvn(student, reference, mean + rng.normal(size=(5, 3)), mean, cov)
    _mvn(student, reference, mean + rng.normal(size=3), mean, cov)
    assert_inputs_unchanged(student)
