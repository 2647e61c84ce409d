"""Are the reference solutions of ch05_regression right? Checked against scikit-learn
(LinearRegression, Ridge, Lasso, mean_squared_error, r2_score), NumPy's pseudo-inverse, and gradient descent
written out by hand, whose limit is scikit-learn's LinearRegression."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from sklearn.linear_model import Lasso, LinearRegression, Ridge
from sklearn.metrics import mean_squared_error, r2_score

from mlmath.grading.grade import reference_solutions
from tests.support import course

ref = reference_solutions(course(), course().assignment("ch05_regression"))
seeds = st.integers(0, 2**32 - 1)


def _data(rng, n, d, offset=5.0):
    X = rng.normal(size=(n, d)) * rng.uniform(0.5, 3.0, size=d) + rng.uniform(-offset, offset, size=d)
    w = rng.normal(scale=2.0, size=d)
    w[rng.random(d) < 0.3] = 0.0
    return X, X @ w + rng.uniform(-10, 10) + rng.normal(scale=0.5, size=n)


def _rank_deficient(rng, kind):
    """The designs the contract names: duplicated, proportional, affinely collinear or constant
    columns, and fewer samples than features."""
    X, y = _data(rng, 20, 4)
    if kind == "duplicate":
        X[:, 3] = X[:, 1]
    elif kind == "proportional":
        X[:, 0] = -3.0 * X[:, 2]
    elif kind == "combination":
        X[:, 2] = X[:, 0] - 2.0 * X[:, 3]
    elif kind == "affine":
        X[:, 3] = 1.8 * X[:, 0] + 32.0
    elif kind == "constant":
        X[:, 1] = 2.5
    elif kind == "wide":
        X, y = _data(rng, 4, 9)
    return X, y


RANK_DEFICIENT = ["duplicate", "proportional", "combination", "affine", "constant", "wide"]


def _assert_fit(ours, theirs_w, theirs_b, rtol=1e-9, atol=1e-9):
    w, b = ours
    assert isinstance(w, np.ndarray) and w.dtype == np.float64 and np.ndim(b) == 0
    np.testing.assert_allclose(w, theirs_w, rtol=rtol, atol=atol)
    np.testing.assert_allclose(b, theirs_b, rtol=rtol, atol=atol)


# ---------------------------------------------------------------------------- ols
@given(seeds, st.integers(2, 60), st.integers(1, 6))
def test_ols_equals_sklearn_linear_regression(seed, n, d):
    X, y = _data(np.random.default_rng(seed), max(n, d + 2), d)
    model = LinearRegression().fit(X, y)
    _assert_fit(ref.ols_fit(X, y), model.coef_, model.intercept_)


@pytest.mark.parametrize("kind", RANK_DEFICIENT)
def test_ols_rank_deficient_is_the_minimum_norm_solution_of_the_centred_problem(kind):
    for seed in range(5):
        X, y = _rank_deficient(np.random.default_rng(seed), kind)
        w, b = ref.ols_fit(X, y)
        x_mean = X.mean(axis=0)
        w_pinv = np.linalg.pinv(X - x_mean) @ (y - y.mean())
        _assert_fit((w, b), w_pinv, y.mean() - x_mean @ w_pinv)
        model = LinearRegression().fit(X, y)
        _assert_fit((w, b), model.coef_, model.intercept_, rtol=1e-8, atol=1e-8)


def test_ols_nearly_collinear_agrees_with_sklearn_and_beats_the_normal_equations():
    rng = np.random.default_rng(11)
    for _ in range(20):
        X, _ = _data(rng, 30, 4, offset=3.0)
        X[:, 2] = X[:, 1] + 1e-5 * rng.normal(size=30)
        y = X @ rng.normal(size=4) + 0.5 + 1e-3 * rng.normal(size=30)
        model = LinearRegression().fit(X, y)
        w, b = ref.ols_fit(X, y)
        _assert_fit((w, b), model.coef_, model.intercept_, rtol=1e-7, atol=1e-10)
        Xc, yc = X - X.mean(axis=0), y - y.mean()
        w_normal = np.linalg.solve(Xc.T @ Xc, Xc.T @ yc)
        assert not np.allclose(w_normal, w, rtol=1e-7, atol=1e-10)   # what the grader relies on


def test_ols_leaves_inputs_alone_and_accepts_lists():
    X, y = _data(np.random.default_rng(0), 10, 3)
    X0, y0 = X.copy(), y.copy()
    w, b = ref.ols_fit(X.tolist(), y.tolist())
    assert np.array_equal(X, X0) and np.array_equal(y, y0)
    _assert_fit(ref.ols_fit(X, y), w, b)


# ---------------------------------------------------------------------------- ridge
@given(seeds, st.integers(2, 60), st.integers(1, 6), st.floats(1e-3, 1e3))
def test_ridge_equals_sklearn_ridge(seed, n, d, lam):
    X, y = _data(np.random.default_rng(seed), n, d)
    model = Ridge(alpha=lam).fit(X, y)
    _assert_fit(ref.ridge_fit(X, y, lam), model.coef_, model.intercept_, rtol=1e-7, atol=1e-9)


@pytest.mark.parametrize("kind", RANK_DEFICIENT)
def test_ridge_rank_deficient_equals_sklearn_for_positive_lam_and_ols_for_zero(kind):
    X, y = _rank_deficient(np.random.default_rng(3), kind)
    for lam in (0.1, 5.0):
        model = Ridge(alpha=lam).fit(X, y)
        _assert_fit(ref.ridge_fit(X, y, lam), model.coef_, model.intercept_, rtol=1e-7, atol=1e-9)
    w_ols, b_ols = ref.ols_fit(X, y)
    _assert_fit(ref.ridge_fit(X, y, 0.0), w_ols, b_ols)


def test_ridge_minimises_its_objective_and_leaves_the_intercept_unpenalised():
    rng = np.random.default_rng(5)
    X, y = _data(rng, 25, 3, offset=20.0)
    w, b = ref.ridge_fit(X, y, 30.0)

    def objective(w, b):
        return np.sum((y - X @ w - b) ** 2) + 30.0 * w @ w

    for _ in range(50):
        assert objective(w, b) <= objective(w + 1e-4 * rng.normal(size=3), b + 1e-4 * rng.normal())
    w_shift, b_shift = ref.ridge_fit(X, y + 100.0, 30.0)
    np.testing.assert_allclose(w_shift, w, rtol=1e-9)
    np.testing.assert_allclose(b_shift, b + 100.0, rtol=1e-12)


def test_ridge_rejects_negative_lam():
    X, y = _data(np.random.default_rng(0), 10, 2)
    with pytest.raises(ValueError):
        ref.ridge_fit(X, y, -1e-3)


# ---------------------------------------------------------------------------- lasso
@given(st.lists(st.floats(-1e6, 1e6), min_size=1, max_size=20), st.floats(0, 1e3))
def test_soft_threshold_equals_its_definition(z, t):
    z = np.array(z)
    ours = ref.soft_threshold(z, t)
    assert ours.dtype == np.float64 and ours.shape == z.shape
    expected = np.where(z > t, z - t, np.where(z < -t, z + t, 0.0))
    np.testing.assert_array_equal(ours, expected)
    assert np.all(ours[np.abs(z) <= t] == 0.0)


def _sklearn_lasso(X, y, alpha):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return Lasso(alpha=alpha, tol=1e-14, max_iter=1_000_000).fit(X, y)


@settings(max_examples=40, deadline=None)
@given(seeds, st.integers(5, 60), st.integers(1, 6), st.floats(0.005, 0.9))
def test_lasso_equals_sklearn_lasso_run_to_convergence(seed, n, d, fraction):
    X, y = _data(np.random.default_rng(seed), n, d)
    alpha = fraction * np.max(np.abs((X - X.mean(axis=0)).T @ (y - y.mean()))) / n
    model = _sklearn_lasso(X, y, alpha)
    w, b = ref.lasso_fit(X, y, alpha)
    np.testing.assert_allclose(w, model.coef_, rtol=0, atol=1e-4)          # the contract
    np.testing.assert_allclose(w, model.coef_, rtol=0, atol=1e-6)          # in fact much closer
    np.testing.assert_allclose(b, model.intercept_, rtol=0, atol=1e-5 * (1 + np.abs(X.mean(axis=0)).sum()))


def _graders_correlated_problem(rng, n=40, corr=0.997):
    """The construction of graders/ch05_regression/test_lasso.py::_correlated."""
    basis, _ = np.linalg.qr(np.column_stack([np.ones(n), rng.normal(size=(n, 3))]))
    u, v0, v1 = basis[:, 1], basis[:, 2], basis[:, 3]
    pair = np.column_stack([np.sqrt(corr) * u + np.sqrt(1 - corr) * v0,
                            np.sqrt(corr) * u + np.sqrt(1 - corr) * v1]) * np.sqrt(n)
    X = np.column_stack([pair, rng.normal(size=(n, 2))]) + rng.uniform(-2.0, 2.0, size=4)
    y = X @ np.array([2.0, 1.5, 0.0, -1.5]) + 1.0 + 0.1 * rng.normal(size=n)
    return X, y, 0.003 * np.max(np.abs((X - X.mean(axis=0)).T @ (y - y.mean()))) / n


def test_lasso_converges_on_the_graders_correlated_problems():
    """The graders' hardest problems (two active features with correlation 0.997): the defaults reach
    scikit-learn's answer, fewer than 5000 sweeps suffice, and 1000 sweeps (scikit-learn's default
    max_iter) are far from enough — which is what the convergence check relies on."""
    rng = np.random.default_rng(2)
    assert np.isclose(np.corrcoef(_graders_correlated_problem(rng)[0][:, :2], rowvar=False)[0, 1], 0.997)
    for _ in range(10):
        X, y, alpha = _graders_correlated_problem(rng)
        model = _sklearn_lasso(X, y, alpha)
        w, _ = ref.lasso_fit(X, y, alpha)
        np.testing.assert_allclose(w, model.coef_, rtol=0, atol=1e-5)
        assert np.array_equal(ref.lasso_fit(X, y, alpha, max_iter=5000)[0], w)
        early, _ = ref.lasso_fit(X, y, alpha, max_iter=1000)
        assert np.max(np.abs(early - model.coef_)) > 2e-3


def test_lasso_alpha_max_gives_exact_zeros_like_sklearn():
    X, y = _data(np.random.default_rng(4), 30, 5)
    alpha_max = np.max(np.abs((X - X.mean(axis=0)).T @ (y - y.mean()))) / len(y)
    for alpha in (alpha_max, 1.000001 * alpha_max, 3 * alpha_max):
        w, b = ref.lasso_fit(X, y, alpha)
        assert np.all(w == 0.0) and b == pytest.approx(y.mean(), rel=1e-12)
        assert np.all(_sklearn_lasso(X, y, alpha).coef_ == 0.0)
    assert np.any(ref.lasso_fit(X, y, 0.99 * alpha_max)[0] != 0.0)


def test_lasso_constant_column_gets_zero_weight_without_warnings():
    X, y = _data(np.random.default_rng(6), 25, 4)
    X[:, 2] = 3.0
    alpha = 0.05 * np.max(np.abs((X - X.mean(axis=0)).T @ (y - y.mean()))) / 25
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        w, _ = ref.lasso_fit(X, y, alpha)
    assert w[2] == 0.0
    np.testing.assert_allclose(w, _sklearn_lasso(X, y, alpha).coef_, rtol=0, atol=1e-6)


def test_lasso_honours_max_iter_and_tol_and_leaves_inputs_alone():
    X, y = _data(np.random.default_rng(8), 20, 3)
    X0, y0 = X.copy(), y.copy()
    alpha = 0.01
    one_sweep, _ = ref.lasso_fit(X, y, alpha, max_iter=1)
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    w, r = np.zeros(3), yc.copy()
    for j in range(3):                                    # one cyclic sweep by hand
        zj = Xc[:, j] @ Xc[:, j] / 20
        rho = Xc[:, j] @ r / 20 + zj * w[j]
        new = np.sign(rho) * max(abs(rho) - alpha, 0.0) / zj
        r -= (new - w[j]) * Xc[:, j]
        w[j] = new
    np.testing.assert_allclose(one_sweep, w, rtol=1e-12)
    assert np.array_equal(X, X0) and np.array_equal(y, y0)


# ---------------------------------------------------------------------------- metrics
@given(seeds, st.integers(1, 50))
def test_mse_equals_sklearn(seed, n):
    rng = np.random.default_rng(seed)
    y, y_hat = rng.normal(scale=5, size=n), rng.normal(scale=5, size=n)
    assert ref.mse(y, y_hat) == pytest.approx(mean_squared_error(y, y_hat), rel=1e-12)


@given(seeds, st.integers(2, 50))
def test_r2_equals_sklearn(seed, n):
    rng = np.random.default_rng(seed)
    y = rng.normal(loc=3, scale=2, size=n)
    for y_hat in (y + rng.normal(size=n), rng.normal(size=n), y + 4.0):
        assert ref.r2_score(y, y_hat) == pytest.approx(r2_score(y, y_hat), rel=1e-10, abs=1e-12)


def test_r2_constant_y_follows_sklearns_convention_where_sklearn_sees_exact_zero():
    for y in (np.full(4, 2.0), np.array([-3, -3, -3]), np.full(5, 0.5)):
        assert ref.r2_score(y, y.copy()) == r2_score(y, y.copy()) == 1.0
        assert ref.r2_score(y, y + 1.0) == r2_score(y, y + 1.0) == 0.0


def test_r2_constant_y_with_a_rounded_mean_is_decided_from_the_entries():
    """The contract: 'constant' means all entries exactly equal. scikit-learn tests SS_tot == 0, and
    the computed mean of [0.1, 0.1, 0.1] is not 0.1 — there the two deliberately differ."""
    y = np.full(3, 0.1)
    assert np.sum((y - y.mean()) ** 2) > 0.0
    assert ref.r2_score(y, y + 0.1) == 0.0 and ref.r2_score(y, y.copy()) == 1.0
    assert r2_score(y, y + 0.1) < -1e30


@pytest.mark.parametrize("args", [([], []), ([1.0, 2.0, 3.0], [1.0]), ([1.0], [1.0, 2.0]), ([1, 2], [1, 2, 3])])
def test_metrics_reject_empty_and_unequal_lengths(args):
    for function in (ref.mse, ref.r2_score):
        with pytest.raises(ValueError):
            function(*args)


# ---------------------------------------------------------------------------- gd_regression
def _gd_by_hand(X, y, lr, epochs):
    """The contract's recurrence, written independently: theta = (w, b) on A = [X 1], and the
    losses through scikit-learn's mean_squared_error."""
    A = np.column_stack([X, np.ones(len(y))])
    theta = np.zeros(A.shape[1])
    losses = [mean_squared_error(y, A @ theta)]
    for _ in range(epochs):
        theta = theta - lr * 2.0 / len(y) * A.T @ (A @ theta - y)
        losses.append(mean_squared_error(y, A @ theta))
    return theta[:-1], theta[-1], np.array(losses)


def _curvature(X):
    A = np.column_stack([X, np.ones(len(X))])
    return np.linalg.eigvalsh(2.0 / len(A) * A.T @ A)[-1]


@given(seeds, st.integers(2, 40), st.integers(1, 5), st.floats(0.05, 1.9), st.integers(0, 60))
def test_gd_follows_the_recurrence(seed, n, d, fraction, epochs):
    X, y = _data(np.random.default_rng(seed), n, d)
    lr = fraction / _curvature(X)
    w, b, losses = ref.linear_regression_gd(X, y, lr=lr, epochs=epochs)
    w_hand, b_hand, losses_hand = _gd_by_hand(X, y, lr, epochs)
    assert w.dtype == np.float64 and w.shape == (d,) and isinstance(b, float)
    assert losses.dtype == np.float64 and losses.shape == (epochs + 1,)
    np.testing.assert_allclose(losses, losses_hand, rtol=1e-11, atol=1e-14 * losses_hand[0])
    np.testing.assert_allclose(w, w_hand, rtol=1e-11, atol=1e-12)
    np.testing.assert_allclose(b, b_hand, rtol=1e-11, atol=1e-12)
    assert losses[0] == pytest.approx(np.mean(y ** 2), rel=1e-14)


@settings(max_examples=25, deadline=None)
@given(seeds, st.integers(10, 60), st.integers(1, 4))
def test_gd_converges_to_sklearn_linear_regression(seed, n, d):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n + d, d)) + rng.uniform(-0.5, 0.5, size=d)
    y = X @ rng.normal(size=d) + rng.uniform(-2, 2) + rng.normal(scale=0.3, size=n + d)
    A = np.column_stack([X, np.ones(n + d)])
    low, high = np.linalg.eigvalsh(2.0 / (n + d) * A.T @ A)[[0, -1]]
    epochs = int(np.ceil(40 * high / low)) + 10           # (1 − low/high)^epochs < e^-40
    w, b, losses = ref.linear_regression_gd(X, y, lr=1.0 / high, epochs=epochs)
    model = LinearRegression().fit(X, y)
    np.testing.assert_allclose(w, model.coef_, rtol=1e-8, atol=1e-10)
    assert b == pytest.approx(model.intercept_, rel=1e-8, abs=1e-10)
    assert np.all(np.diff(losses) <= 1e-13 * losses[:-1])   # below 2/λ_max the loss never rises
    assert losses[-1] == pytest.approx(mean_squared_error(y, model.predict(X)), rel=1e-10)


def test_gd_worked_example_and_its_limit():
    x, y = [[0.0], [1.0], [2.0], [3.0]], [1.0, 3.0, 2.0, 5.0]
    w, b, losses = ref.linear_regression_gd(x, y, lr=0.1, epochs=1)
    np.testing.assert_allclose(losses, [9.75, 0.9775], rtol=1e-14)
    np.testing.assert_allclose(w, [1.1], rtol=1e-14)
    assert b == pytest.approx(0.55, rel=1e-14)
    w, b, losses = ref.linear_regression_gd(x, y)
    assert abs(w[0] - 1.1) < 1e-3 and abs(b - 1.1) < 2e-3 and losses[-1] - 0.675 < 1e-6


def test_gd_diverging_run_overflows_quietly_and_matches_the_recurrence_until_then():
    X, y = _data(np.random.default_rng(3), 20, 2)
    lr = 2.7 * 2.0 / _curvature(X)
    with warnings.catch_warnings():
        warnings.simplefilter("error")                    # the reference's own run raises no warning
        w, b, losses = ref.linear_regression_gd(X, y, lr=lr, epochs=400)
    assert losses.shape == (401,) and not np.isfinite(losses[-1])
    with np.errstate(all="ignore"):
        _, _, losses_hand = _gd_by_hand(X, y, lr, 400)
    finite = np.isfinite(losses_hand) & (losses_hand < 1e200)
    assert finite.sum() > 50
    np.testing.assert_allclose(losses[finite], losses_hand[finite], rtol=1e-11)


def test_gd_zero_epochs_integer_input_and_inputs_unchanged():
    X = np.array([[1, 2], [3, -1], [0, 4]])
    y = np.array([1, 0, 2])
    X0, y0 = X.copy(), y.copy()
    w, b, losses = ref.linear_regression_gd(X, y, lr=1, epochs=0)
    assert np.array_equal(w, [0.0, 0.0]) and b == 0.0 and losses.tolist() == [5 / 3]
    w, b, losses = ref.linear_regression_gd(X, y, lr=0.01, epochs=np.int64(5))
    assert w.dtype == np.float64 and losses.shape == (6,)
    assert np.array_equal(X, X0) and np.array_equal(y, y0)


@pytest.mark.parametrize("args", [
    (np.ones(4), np.ones(4), 0.1, 5), (np.ones((4, 1)), np.ones(3), 0.1, 5), (np.ones((4, 1)), np.ones((4, 1)), 0.1, 5),
    (np.ones((4, 1)), np.ones(4), 0.0, 5), (np.ones((4, 1)), np.ones(4), -1.0, 5), (np.ones((4, 1)), np.ones(4), np.nan, 5),
    (np.ones((4, 1)), np.ones(4), 0.1, -1), (np.ones((4, 1)), np.ones(4), 0.1, 2.0), (np.ones((4, 1)), np.ones(4), 0.1, True)])
def test_gd_rejects_bad_input(args):
    with pytest.raises(ValueError):
        ref.linear_regression_gd(*args)
