"""Hidden checks for `soft_threshold(z, t)` and `lasso_fit(X, y, alpha, max_iter=10000, tol=1e-8)`:
cyclic coordinate descent on scikit-learn's lasso objective (1/2n)||y - Xw - b||^2 + alpha ||w||_1.

Learners' coordinate descent may be plain Python; every problem here is small (n <= 60, d <= 6),
so even the slow, strongly correlated ones take well under a second per call."""

import numpy as np

from mlmath.grading import (as_weights_and_intercept, Feedback, as_array, assert_close, assert_dtype, assert_inputs_unchanged,
                            assert_no_warnings, check)

W_ATOL = 1e-4          # the contract: w within 1e-4 of scikit-learn's converged lasso


def _data(rng, n, d, offset=4.0, noise=0.5, sparse=True):
    """A design with columns on different scales and nonzero means; some true weights are 0."""
    X = rng.normal(size=(n, d)) * rng.uniform(0.5, 2.0, size=d) + rng.uniform(-offset, offset, size=d)
    w = rng.normal(scale=2.0, size=d)
    if sparse:
        w[rng.permutation(d)[: d // 2]] = 0.0
    y = X @ w + rng.uniform(-5.0, 5.0) + rng.normal(scale=noise, size=n)
    return X, y


def _orthogonal(rng, n, d, offset=4.0, noise=0.5, spread=(0.5, 2.0)):
    """A design whose centred columns are orthogonal: coordinate descent is exact after one sweep,
    so checks of other behaviours do not also depend on the stopping rule.  Each column's mean is
    between offset/2 and offset in size, never near 0: the data always lie far from the origin."""
    A = rng.normal(size=(n, d))
    Q, _ = np.linalg.qr(A - A.mean(axis=0))             # orthonormal columns with zero mean
    means = rng.uniform(offset / 2, offset, size=d) * rng.choice([-1.0, 1.0], size=d)
    X = Q * np.sqrt(n) * rng.uniform(*spread, size=d) + means     # column standard deviations: spread
    w = rng.normal(scale=2.0, size=d)
    w[rng.permutation(d)[: d // 2]] = 0.0
    y = X @ w + rng.uniform(-5.0, 5.0) + rng.normal(scale=noise, size=n)
    return X, y


def _alpha_max(X, y):
    X, y = np.asarray(X, dtype=np.float64), np.asarray(y, dtype=np.float64)
    return float(np.max(np.abs((X - X.mean(axis=0)).T @ (y - y.mean()))) / len(y))


def _correlated(rng, n=40, corr=0.997):
    """Two active features whose sample correlation is exactly `corr`, plus two independent ones.
    Coordinate descent shrinks the error by only about corr² per sweep here: 1000 sweeps leave it
    above 2e-3, while the reference converges (tol=1e-8) in fewer than 5000 (see the reference tests)."""
    basis, _ = np.linalg.qr(np.column_stack([np.ones(n), rng.normal(size=(n, 3))]))
    u, v0, v1 = basis[:, 1], basis[:, 2], basis[:, 3]         # centred and orthonormal
    pair = np.column_stack([np.sqrt(corr) * u + np.sqrt(1 - corr) * v0,
                            np.sqrt(corr) * u + np.sqrt(1 - corr) * v1]) * np.sqrt(n)
    X = np.column_stack([pair, rng.normal(size=(n, 2))]) + rng.uniform(-2.0, 2.0, size=4)
    y = X @ np.array([2.0, 1.5, 0.0, -1.5]) + 1.0 + 0.1 * rng.normal(size=n)
    return X, y, 0.003 * _alpha_max(X, y)


def _fit(student, X, y, alpha, **kwargs):
    return as_weights_and_intercept(student.lasso_fit(X, y, alpha, **kwargs), "lasso_fit", np.shape(X)[1])


def _assert_fit(student, reference, X, y, alpha):
    """The learner's (w, b) with the default max_iter and tol: w within 1e-4 of the converged lasso
    (the reference matches scikit-learn far more closely), and b = ȳ − x̄·w for the learner's own w
    (up to what a last sweep's changes of at most tol can leave)."""
    w, b = _fit(student, X, y, alpha)
    w_ref, _ = reference.lasso_fit(X, y, alpha)
    assert_close(w, w_ref, rtol=0.0, atol=W_ATOL, what="w")
    X64, y64 = np.asarray(X, dtype=np.float64), np.asarray(y, dtype=np.float64)
    x_mean = X64.mean(axis=0)
    assert_close(b, y64.mean() - x_mean @ w.astype(np.float64), rtol=0.0,
                 atol=1e-6 * (1.0 + np.abs(x_mean).sum()), what="b")
    return w, b


# ---------------------------------------------------------------------------- soft_threshold
@check(weight=1, message="soft_threshold gives wrong values: entries are not shrunk towards 0 by t, or "
                         "negative ones move the wrong way, change sign or cross 0.",
       fix="soft_threshold(z, t) = sign(z)·max(|z| − t, 0) elementwise: positive entries move down by t, "
           "negative ones UP by t; a single number gives a single number.")
def test_soft_threshold_values(student, reference, rng):
    for shape, t in [((12,), 0.7), ((3, 4), 1.5), ((5,), 0.0)]:
        z = rng.normal(scale=2.0, size=shape)
        assert_close(student.soft_threshold(z, t), reference.soft_threshold(z, t))
    for z in (-3.5, 2.25):
        got = as_array(student.soft_threshold(z, 1.0))
        if got.shape != ():
            raise Feedback(f"soft_threshold of a single number gave shape {got.shape}")
        assert_close(got, reference.soft_threshold(z, 1.0))


@check(weight=1, message="Entries with |z| ≤ t — the boundary |z| = t included — do not all become exactly "
                         "0.",
       fix="np.maximum(np.abs(z) − t, 0) is exactly 0 on the whole band, boundary included; multiply it by "
           "np.sign(z) rather than treating the band as a special case.")
def test_soft_threshold_zeroes_the_band(student, reference, rng):
    t = float(rng.uniform(0.5, 2.0))
    z = np.concatenate([rng.uniform(-t, t, size=8), [t, -t, 0.0]])
    got = as_array(student.soft_threshold(z, t))
    assert_close(got, reference.soft_threshold(z, t))
    if np.any(got != 0):
        raise Feedback("some entries inside the band are not exactly 0")


@check(weight=0.5, message="soft_threshold fails on integer z or t, or does not return float64 values.",
       fix="Convert z with np.asarray(z, dtype=np.float64) before shrinking it.")
def test_soft_threshold_integers(student, reference, rng):
    z = rng.integers(-6, 7, size=9)
    got = student.soft_threshold(z, 2)
    assert_dtype(got, np.float64)
    assert_close(got, reference.soft_threshold(z, 2))


# ---------------------------------------------------------------------------- lasso_fit
@check(weight=3, message="lasso_fit does not reach scikit-learn's lasso solution: another scaling of the "
                         "objective (check both the 1/n and the 1/2), a wrong coordinate update, or a run "
                         "stopped too early.",
       fix="Minimise (1/2n)‖y − Xw − b‖² + alpha·‖w‖₁ by cyclic coordinate descent on centred columns: w_j "
           "= S(ρ_j, alpha)/z_j with ρ_j = x_jᵀ(r + x_j·w_j)/n and z_j = x_jᵀx_j/n, until converged.")
def test_matches_sklearn_lasso(student, reference, rng):
    for (n, d), fraction in zip([(30, 3), (50, 6), (20, 4), (60, 5)], (0.02, 0.1, 0.3, 0.6)):
        X, y = _data(rng, n, d)
        _assert_fit(student, reference, X, y, fraction * _alpha_max(X, y))


@check(weight=1, message="The intercept is penalised or fitted badly: on data far from the origin your w "
                         "and b are off.",
       fix="Centre X and y, fit w, then b = ȳ − x̄·w. (Shrinking a column of ones with the weights biases "
           "b and w; updating b as one more coordinate on uncentred data converges far too slowly when the "
           "features have large means.)")
def test_intercept_not_penalised(student, reference, rng):
    for offset in (30.0, 80.0):     # far, narrow clouds: an intercept as one more coordinate crawls
        X, y = _orthogonal(rng, 25, 3, offset=offset, spread=(0.5, 1.0))
        y = y + offset
        _assert_fit(student, reference, X, y, 0.05 * _alpha_max(X, y))


@check(weight=2, message="Not converged: on strongly correlated features coordinate descent needs "
                         "thousands of sweeps.",
       fix="Stop only when a whole sweep changes no coefficient by more than tol (compare with a copy of "
           "w, not an alias of it), and keep max_iter=10000.")
def test_converges_on_correlated_features(student, reference, rng):
    for _ in range(3):
        _assert_fit(student, reference, *_correlated(rng))


@check(weight=1, message="For a large enough alpha every weight must be exactly 0 and b the mean of y, but "
                         "yours are not.",
       fix="For alpha ≥ α_max = max|Xcᵀyc|/n (centred X and y) no soft-thresholding step can move away "
           "from w = 0: check the 1/n and the centring.")
def test_alpha_max_gives_exact_zeros(student, reference, rng):
    X, y = _data(rng, 30, 4)
    alpha_max = _alpha_max(X, y)
    for factor in (1.0 + 1e-6, 1.5, 10.0):
        w, b = _fit(student, X, y, factor * alpha_max)
        if np.any(w != 0):
            raise Feedback("some weights are not exactly 0")
        assert_close(b, np.mean(y), what="b")
    w, _ = _fit(student, X, y, alpha_max)                   # at the threshold itself: 0 up to rounding
    assert_close(w, np.zeros(4), what="w")
    X, y = _orthogonal(rng, 30, 4)                           # and below it, weights that are not all 0
    _assert_fit(student, reference, X, y, 0.5 * _alpha_max(X, y))


@check(weight=1, message="lasso_fit ignores max_iter or tol: with few sweeps allowed, or a loose tol, it "
                         "still runs on to convergence.",
       fix="Stop after max_iter full sweeps, or as soon as a full sweep changes no coefficient by more "
           "than tol (compare w with a copy taken before the sweep).")
def test_honours_max_iter_and_tol(student, reference, rng):
    X, y, alpha = _correlated(rng)
    try:
        converged, _ = _assert_fit(student, reference, X, y, alpha)
    except Feedback:
        raise Feedback("with the default max_iter and tol the fit is not converged either "
                       "(see the convergence check)") from None
    for kwargs in ({"max_iter": 3}, {"tol": 0.1}):
        w, _ = _fit(student, X, y, alpha, **kwargs)
        if not np.all(np.isfinite(w)):
            raise Feedback("the weights are not finite")
        if np.max(np.abs(w - converged)) < 1e-2:
            raise Feedback(f"with {', '.join(f'{k}={v}' for k, v in kwargs.items())} the fit ran on to convergence")


@check(weight=1, message="A constant column breaks the fit: its weight is not 0, or your code divides by "
                         "zero on it.",
       fix="A constant column is zero after centring (x_jᵀx_j = 0): skip that coordinate and leave its "
           "weight at 0.")
def test_constant_column_gets_zero_weight(student, reference, rng):
    X, _ = _orthogonal(rng, 25, 3)
    X = np.column_stack([X[:, :2], np.full(25, 3.0), X[:, 2:]])
    y = X @ np.array([1.5, -2.0, 1.0, 0.5]) + rng.normal(scale=0.5, size=25)
    _assert_fit(student, reference, X, y, 0.05 * _alpha_max(X, y))
    assert_no_warnings(student)


@check(weight=0.5, message="Integer X, y or alpha fail, or give wrong weights or weights that are not "
                           "float64.",
       fix="Start from float weights (np.zeros(d), not np.zeros_like of an integer array) and return "
           "float64.")
def test_integer_input(student, reference, rng):
    levels = np.array([[i >> k & 1 for k in range(3)] for i in range(8)] * 2)   # 2^3 factorial, twice
    X = levels * rng.integers(1, 4, size=3) + rng.integers(-3, 4, size=3)
    y = X @ np.array([3, 0, -2]) + rng.integers(-2, 3, size=16) + 4
    w, _ = _assert_fit(student, reference, X, y, 1)
    assert_dtype(w, np.float64, what="w")


@check(weight=1, message="lasso_fit must not modify X or y.",
       fix="Centre copies, and keep the residual in a new array (r = y − ȳ creates one; r = y followed by "
           "r -= ... writes into y).")
def test_leaves_input_unchanged(student, reference, rng):
    X, y = _orthogonal(rng, 20, 3)
    _assert_fit(student, reference, X, y, 0.1 * _alpha_max(X, y))
    assert_inputs_unchanged(student)
