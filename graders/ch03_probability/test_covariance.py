"""Hidden checks for `covariance_matrix(X)` and `correlation_matrix(X)` (rows are samples)."""

import numpy as np

from mlmath.grading import Feedback, as_array, assert_close, assert_inputs_unchanged, check, expect_error


def _data(rng, n, p, offset=0.0):
    """n samples of p correlated features."""
    return rng.normal(size=(n, p)) @ rng.normal(size=(p, p)) + rng.normal(size=p) + offset


def _diagnose_shape(got, X, expected):
    value = as_array(got)
    n = np.shape(X)[0]
    if value.shape == (n, n) and value.shape != expected.shape:
        raise Feedback(f"the result has shape {value.shape}: it treats the rows as features, but rows are "
                       f"samples, so an (n, p) input gives a (p, p) matrix") from None
    return value


def _covariance(student, reference, X):
    got, expected = student.covariance_matrix(X), reference.covariance_matrix(X)
    try:
        assert_close(got, expected)
    except Feedback:
        value = _diagnose_shape(got, X, expected)
        n = np.shape(X)[0]
        if value.shape == expected.shape:
            if np.allclose(value, expected * (n - 1) / n, rtol=1e-9, atol=1e-12):
                raise Feedback("your covariance divides by n (the maximum-likelihood, 'population' estimator); "
                               "np.cov — and this exercise — divides by n − 1 (the unbiased sample "
                               "covariance)") from None
        raise


def _correlation(student, reference, X):
    got, expected = student.correlation_matrix(X), reference.correlation_matrix(X)
    try:
        assert_close(got, expected)
    except Feedback:
        value = _diagnose_shape(got, X, expected)
        n = np.shape(X)[0]
        off = ~np.eye(expected.shape[0], dtype=bool)
        if value.shape == expected.shape and off.any() and np.all(np.isfinite(expected[off])):
            if np.allclose(value[off], expected[off] * n / (n - 1), rtol=1e-9, atol=1e-12):
                raise Feedback("you mix estimators: the covariance divides by n − 1 but your standard deviations "
                               "divide by n (np.std's default), so the correlations come out n/(n − 1) too "
                               "large — use the same divisor for both (it then cancels)") from None
            if np.allclose(value[off], expected[off] * (n - 1) / n, rtol=1e-9, atol=1e-12):
                raise Feedback("you mix estimators: the covariance divides by n but your standard deviations "
                               "divide by n − 1 — use the same divisor for both (it then cancels)") from None
        raise


@check(weight=2, message="covariance_matrix does not match np.cov(X, rowvar=False) (rows are samples).",
       fix="Centre each column, then divide the cross-products by n − 1: Xc.T @ Xc / (n − 1) with Xc = X − "
           "X.mean(axis=0).")
def test_covariance_matches_np_cov(student, reference, rng):
    for n, p in ((10, 3), (50, 5), (4, 2)):
        _covariance(student, reference, _data(rng, n, p))
    _covariance(student, reference, [[1, 2], [3, 5], [4, 4], [0, -1]])        # lists of ints


@check(weight=2, message="correlation_matrix does not match np.corrcoef(X, rowvar=False).",
       fix="Divide the covariance by the product of the two columns' standard deviations: C / np.outer(s, "
           "s) with s = sqrt(diag(C)).")
def test_correlation_matches_np_corrcoef(student, reference, rng):
    for n, p in ((10, 3), (50, 5), (4, 2)):
        _correlation(student, reference, _data(rng, n, p))
    _correlation(student, reference, [[1, 2], [3, 5], [4, 4], [0, -1]])


@check(weight=1, message="One feature does not give a (1, 1) matrix: the result must always be 2-d (np.cov "
                         "would return a 0-d array here).",
       fix="Compute with the matrix product Xc.T @ Xc on the 2-d X, which gives (1, 1) by itself.")
def test_one_feature_gives_1x1(student, reference, rng):
    for X in (_data(rng, 8, 1), np.array([[2.0], [5.0]])):
        _covariance(student, reference, X)
        _correlation(student, reference, X)


@check(weight=1, message="A constant column's correlations are not NaN: its standard deviation is 0, so "
                         "they are 0/0 — its whole row and column, diagonal included — as in np.corrcoef.",
       fix="Let the division give NaN (under np.errstate(invalid='ignore')); don't replace them with 0 or "
           "1.")
def test_constant_column_gives_nan_correlations(student, reference, rng):
    X = _data(rng, 12, 3)
    X[:, 1] = 3.0
    _covariance(student, reference, X)
    _correlation(student, reference, X)


@check(weight=1, message="Your covariance loses every digit on data whose mean is large compared with its "
                         "spread: E[xy] − E[x]E[y] subtracts two huge, nearly equal numbers.",
       fix="Centre the data (subtract each column's mean) before multiplying.")
def test_data_far_from_the_origin(student, reference, rng):
    for offset in (1e6, 1e8):
        X = _data(rng, 30, 3, offset)
        _covariance(student, reference, X)
        _correlation(student, reference, X)


@check(weight=1, message="Fewer than 2 samples were accepted: a sample covariance divides by n − 1, which "
                         "must be > 0.",
       fix="Raise ValueError in both functions when X has fewer than 2 rows.")
def test_fewer_than_two_samples_raises(student, reference, rng):
    for X in (rng.normal(size=(1, 3)), np.zeros((0, 3))):
        for function in (student.covariance_matrix, student.correlation_matrix):
            try:
                expect_error("ValueError", function, X)
            except Feedback as failure:
                raise Feedback(f"{X.shape[0]} sample(s) — {failure.detail}") from None
    X = _data(rng, 2, 2)
    _covariance(student, reference, X)
    _correlation(student, reference, X)


@check(weight=1, message="covariance_matrix or correlation_matrix modified X.",
       fix="Centre a copy: X -= X.mean(axis=0) writes into the caller's array.")
def test_leave_input_unchanged(student, reference, rng):
    X = _data(rng, 9, 3)
    _covariance(student, reference, X)
    _correlation(student, reference, X.copy())
    assert_inputs_unchanged(student)
