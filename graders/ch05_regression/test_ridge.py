"""Hidden checks for `ridge_fit(X, y, lam)`: ||y - Xw - b||^2 + lam ||w||^2 with the intercept
unpenalised, as scikit-learn's Ridge(alpha=lam)."""

import numpy as np

from mlmath.grading import (as_weights_and_intercept, assert_close, assert_dtype, assert_inputs_unchanged, check,
                            expect_error)


def _data(rng, n, d, offset=5.0, noise=0.5):
    """A design with columns on different scales and far from zero mean, and noisy targets."""
    X = rng.normal(size=(n, d)) * rng.uniform(0.5, 3.0, size=d) + rng.uniform(-offset, offset, size=d)
    y = X @ rng.normal(scale=2.0, size=d) + rng.uniform(-10.0, 10.0) + rng.normal(scale=noise, size=n)
    return X, y


def _fit(student, X, y, lam):
    return as_weights_and_intercept(student.ridge_fit(X, y, lam), "ridge_fit", np.shape(X)[1])


def _assert_fit(student, reference, X, y, lam):
    w, b = _fit(student, X, y, lam)
    w_ref, b_ref = reference.ridge_fit(X, y, lam)
    assert_close(w, w_ref, what="w")
    assert_close(b, b_ref, what="b")
    return w, b


@check(weight=3, message="w and b are not scikit-learn's Ridge(alpha=lam) solution: the penalty is scaled "
                         "differently (a 1/n too many?) or the system is solved wrongly.",
       fix="Minimise ‖y − Xw − b‖² + lam·‖w‖², the plain sum of squares: centre X and y, solve (XcᵀXc + "
           "lam·I) w = Xcᵀyc, then b = ȳ − x̄·w.")
def test_matches_ridge_objective(student, reference, rng):
    for (n, d), lam in zip([(20, 1), (30, 3), (15, 5), (60, 8)], (0.3, 2.0, 10.0, 45.0)):
        _assert_fit(student, reference, *_data(rng, n, d), lam)
    X, y = _data(rng, 25, 4)
    X[:, 3] = X[:, 0]                                  # duplicated column: unique for lam > 0
    _assert_fit(student, reference, X, y, 5.0)


@check(weight=2, message="The intercept must not be penalised: shifting y by a constant may only shift b.",
       fix="Centre X and y (or keep b out of the penalty) rather than shrinking a column of ones together "
           "with the weights.")
def test_intercept_not_penalised(student, reference, rng):
    X, y = _data(rng, 30, 3, offset=20.0)
    w, b = _assert_fit(student, reference, X, y + 100.0, 50.0)
    w_shift, b_shift = _fit(student, X, y + 300.0, 50.0)
    assert_close(w_shift, w, what="w")
    assert_close(b_shift, b + 200.0, what="b")
    _assert_fit(student, reference, *_data(rng, 12, 2, offset=50.0), 200.0)


@check(weight=1, message="lam = 0 does not give the ordinary least-squares answer of ols_fit.",
       fix="With lam = 0 the objective is plain least squares: the same centred solve, with no extra term, "
           "must give ols_fit's w and b.")
def test_lam_zero_gives_ols(student, reference, rng):
    for n, d in [(25, 2), (40, 5)]:
        X, y = _data(rng, n, d)
        w, b = _assert_fit(student, reference, X, y, 0.0)
        w_ols, b_ols = reference.ols_fit(X, y)
        assert_close(w, w_ols, what="w")
        assert_close(b, b_ols, what="b")
    _assert_fit(student, reference, *_data(rng, 10, 3), 0)


@check(weight=1, message="With lam = 0 and rank-deficient X (duplicated columns, fewer samples than "
                         "features) ridge_fit fails instead of returning ols_fit's minimum-norm answer.",
       fix="XcᵀXc + 0·I is singular there: use lstsq or pinv, or the SVD form w = V·diag(s/(s² + "
           "lam))·Uᵀyc, which also works for lam = 0.")
def test_lam_zero_rank_deficient_is_minimum_norm(student, reference, rng):
    X, y = _data(rng, 20, 3)
    X = np.column_stack([X, X[:, 1]])
    _assert_fit(student, reference, X, y, 0.0)
    _assert_fit(student, reference, *_data(rng, 4, 7), 0.0)


@check(weight=1, message="A negative lam is not refused with ValueError, or lam = 0 or a positive lam is.",
       fix="Raise ValueError if lam < 0, and only then: lam = 0 and positive values are valid.")
def test_rejects_negative_lam(student, reference, rng):
    X, y = _data(rng, 10, 2)
    expect_error("ValueError", student.ridge_fit, X, y, -1.0)
    expect_error("ValueError", student.ridge_fit, X, y, -1e-3)
    _assert_fit(student, reference, X, y, 1e-3)


@check(weight=1, message="Integer X, y or lam fail, or give weights that are not float64.",
       fix="Convert X and y to float64 first (np.asarray(X, dtype=np.float64)).")
def test_integer_input(student, reference, rng):
    X = rng.integers(-5, 6, size=(12, 3))
    y = X @ np.array([2, -1, 3]) + rng.integers(-2, 3, size=12) + 7
    w, _ = _assert_fit(student, reference, X, y, 3)
    assert_dtype(w, np.float64, what="w")
    _assert_fit(student, reference, X.tolist(), y.tolist(), 1)


@check(weight=1, message="ridge_fit must not modify X or y.",
       fix="Centre copies, not the caller's arrays.")
def test_leaves_input_unchanged(student, reference, rng):
    _assert_fit(student, reference, *_data(rng, 15, 3), 2.0)
    assert_inputs_unchanged(student)
