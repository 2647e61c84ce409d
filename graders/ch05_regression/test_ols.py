"""Hidden checks for `ols_fit(X, y)`: least squares with an intercept, minimum-norm when X is
rank-deficient."""

import numpy as np

from mlmath.grading import as_weights_and_intercept, assert_close, assert_dtype, assert_inputs_unchanged, check

EPS = np.finfo(np.float64).eps


def _data(rng, n, d, offset=5.0, noise=0.5):
    """A design with columns on different scales and far from zero mean, and noisy targets."""
    X = rng.normal(size=(n, d)) * rng.uniform(0.5, 3.0, size=d) + rng.uniform(-offset, offset, size=d)
    y = X @ rng.normal(scale=2.0, size=d) + rng.uniform(-10.0, 10.0) + rng.normal(scale=noise, size=n)
    return X, y


def _fit(student, X, y):
    return as_weights_and_intercept(student.ols_fit(X, y), "ols_fit", np.shape(X)[1])


def _assert_fit(student, reference, X, y):
    w, b = _fit(student, X, y)
    w_ref, b_ref = reference.ols_fit(X, y)
    assert_close(w, w_ref, what="w")
    assert_close(b, b_ref, what="b")
    return w, b


@check(weight=3, message="w and b are not the least-squares fit of y on X with an intercept.",
       fix="Minimise Σ(y − Xw − b)²: centre X and y, solve the least-squares problem for w, then b = ȳ − "
           "x̄·w.")
def test_matches_least_squares(student, reference, rng):
    for n, d in [(20, 1), (30, 3), (12, 5), (60, 8)]:
        _assert_fit(student, reference, *_data(rng, n, d))


@check(weight=2, message="With duplicated or proportional columns there are infinitely many least-squares "
                         "solutions, and yours fails or returns another one than the minimum-norm one.",
       fix="Return the minimum-norm one (lstsq or pinv on the centred X), without an error — inv or solve "
           "on XᵀX fails or returns garbage here.")
def test_duplicated_and_proportional_columns(student, reference, rng):
    X, y = _data(rng, 25, 4)
    X[:, 3] = X[:, 1]                                  # an exact duplicate
    _assert_fit(student, reference, X, y)
    X, y = _data(rng, 30, 3)
    X[:, 0] = 3.0 * X[:, 2]                            # proportional
    _assert_fit(student, reference, X, y)
    X, y = _data(rng, 20, 4)
    X[:, 2] = X[:, 0] - 2.0 * X[:, 3]                  # a combination of two others
    _assert_fit(student, reference, X, y)
    X = rng.integers(-6, 7, size=(15, 3))
    X = np.column_stack([X, X[:, 0]])
    _assert_fit(student, reference, X, rng.normal(size=15) + X[:, 0])


@check(weight=1, message="A column that is an affine function of another (°F = 1.8·°C + 32), or a constant "
                         "column, gives other weights than expected: the intercept took part in your "
                         "minimum-norm choice.",
       fix="Make the minimum-norm choice for w on the centred data (lstsq or pinv of X − x̄ against y − "
           "ȳ), then b = ȳ − x̄·w; appending a column of ones to X gives other weights.")
def test_affine_and_constant_columns(student, reference, rng):
    celsius = rng.uniform(-10.0, 35.0, size=20)
    X = np.column_stack([celsius, rng.normal(size=20), 1.8 * celsius + 32.0])
    _assert_fit(student, reference, X, 0.7 * celsius + X[:, 1] + 4.0 + rng.normal(scale=0.3, size=20))
    X, y = _data(rng, 18, 3)
    X[:, 1] = 2.5                                      # constant: zero after centring
    _assert_fit(student, reference, X, y)


@check(weight=1, message="With fewer samples than features your ols_fit fails, or does not return the "
                         "minimum-norm solution.",
       fix="The data are fitted exactly and XᵀX is singular: solve the centred problem with "
           "np.linalg.lstsq or pinv, which return the minimum-norm w.")
def test_fewer_samples_than_features(student, reference, rng):
    for n, d in [(3, 6), (5, 12), (2, 3)]:
        _assert_fit(student, reference, *_exactly_centred(rng, n, d))


def _exactly_centred(rng, n, d):
    """Data with n < d whose centring is exact in floating point (integer columns summing to n
    times an integer mean), so that the centred design has rank n − 1 to the last bit.  With
    _data's offsets the centring's own rounding left a singular value of 4–10 ε·σ₁ where 0 was
    meant: at about 0.6 % of draws above the cutoff of np.linalg.lstsq(rcond=None) or pinv,
    which then inverted noise — every valid method agreed with the others only by luck."""
    centred = rng.integers(-4, 5, size=(n, d)).astype(np.float64)
    centred[-1] = -centred[:-1].sum(axis=0)                     # each column sums to exactly 0
    X = centred * rng.choice([0.5, 1.0, 2.0], size=d) + rng.integers(-5, 6, size=d)
    y = X @ rng.normal(scale=2.0, size=d) + rng.uniform(-10.0, 10.0) + rng.normal(scale=0.5, size=n)
    return X, y


def _stable_solver_tolerance(X, y, w):
    """How far from the exact ``w`` a backward-stable least-squares solver may land on the centred
    problem A = X − x̄ (the perturbation bound for least squares, with a safety factor of 10):

        ‖δw‖ ≲ ε [‖X‖/‖A‖ (κ ‖w‖ + κ² ‖r‖/‖A‖) + κ ‖y‖/‖A‖].

    The residual r is the one of the uncentred y, the larger of the two a valid method may fit
    (lstsq(A, y) gives the same w as lstsq(A, y − ȳ), since the ones-vector is orthogonal to A's
    columns, but keeps ȳ in its residual). The normal equations lose κ² ε ‖w‖ whatever the
    residual, which the data of this check keep far above the bound."""
    A = X - X.mean(axis=0)
    singular_values = np.linalg.svd(A, compute_uv=False)
    norm_A, kappa = singular_values[0], singular_values[0] / singular_values[-1]
    residual = np.linalg.norm(y - A @ w)
    growth = np.linalg.norm(X, 2) / norm_A                 # rounding in the centring itself
    return 10 * EPS * (growth * (kappa * np.linalg.norm(w) + kappa ** 2 * residual / norm_A)
                       + kappa * np.linalg.norm(y) / norm_A)


@check(weight=1, message="Nearly collinear columns: forming XᵀX squares the condition number and loses "
                         "about twice as many digits.",
       fix="Solve the least-squares problem on the centred X itself (np.linalg.lstsq, pinv or an SVD).")
def test_accurate_when_nearly_collinear(student, reference, rng):
    for _ in range(3):
        X, _ = _data(rng, 30, 4, offset=3.0)
        X[:, 2] = X[:, 1] + 1e-5 * rng.normal(size=30)      # condition number around 1e5
        # weights far along the nearly-null direction, so that ‖X‖‖w‖ dwarfs the residual
        w_true = rng.normal(size=4) + rng.choice([-1.0, 1.0]) * 1e4 * np.array([0.0, 1.0, -1.0, 0.0])
        y = X @ w_true + 0.5 + 1e-3 * rng.normal(size=30)
        w, b = _fit(student, X, y)
        w_ref, _ = reference.ols_fit(X, y)
        assert_close(w, w_ref, rtol=0.0, atol=_stable_solver_tolerance(X, y, w_ref), what="w")
        intercept = y.mean() - X.mean(axis=0) @ w                # b = ȳ − x̄·w, for the learner's own w
        rounding = 10 * EPS * (np.max(np.abs(y)) + np.max(np.abs(X) @ np.abs(w)))
        assert_close(b, intercept, rtol=0.0, atol=rounding, what="b")


@check(weight=1, message="Integer X or y fail, or give weights that are not float64.",
       fix="Convert X and y to float64 first (np.asarray(X, dtype=np.float64)).")
def test_integer_input(student, reference, rng):
    X = rng.integers(-5, 6, size=(12, 3))
    y = X @ np.array([2, -1, 3]) + rng.integers(-2, 3, size=12) + 7
    w, _ = _assert_fit(student, reference, X, y)
    assert_dtype(w, np.float64, what="w")
    _assert_fit(student, reference, X.tolist(), y.tolist())


@check(weight=1, message="ols_fit must not modify X or y.",
       fix="Centre copies (X - X.mean(axis=0)), not the caller's arrays (X -= ... writes into them).")
def test_leaves_input_unchanged(student, reference, rng):
    for n, d in [(15, 3), (10, 1)]:
        _assert_fit(student, reference, *_data(rng, n, d))
    assert_inputs_unchanged(student)
