"""Hidden checks for `pca(X, n_components)`.

Principal components are defined up to sign, so each returned row is compared with the
reference after flipping it to point the same way; any correct method (eigendecomposition
of the covariance, SVD of the centred data) passes.
"""

import numpy as np

from mlmath.grading import Feedback, as_array, assert_close, assert_inputs_unchanged, check, expect_error


def _data(rng, n_samples, n_features, offset=0.0, centred=False):
    """Correlated data with well-separated variances along random directions.

    With centred=True the sample mean is removed (up to rounding), so that the checks of other
    behaviours don't also fail for a learner who forgot to centre.
    """
    spreads = np.sort(rng.uniform(0.3, 1.0, size=n_features))[::-1] * 2.0 ** -np.arange(n_features)
    rotation, _ = np.linalg.qr(rng.normal(size=(n_features, n_features)))
    X = (rng.normal(size=(n_samples, n_features)) * 4.0 * spreads) @ rotation.T
    if centred:
        X = X - X.mean(axis=0)
    return X + offset


def _result(student, X, k):
    result = student.pca(X, k)
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        raise Feedback("pca must return a pair (components, explained_variance_ratio)")
    components = as_array(result[0], "components")
    ratio = as_array(result[1], "the explained-variance ratio")
    for name, value in (("components", components), ("the explained-variance ratio", ratio)):
        if value.dtype.kind == "c":
            raise Feedback(f"{name} has a complex dtype; PCA of real data is real")
    n_features = np.shape(X)[1]
    if components.shape != (k, n_features):
        raise Feedback(f"components has shape {components.shape}, expected (n_components, n_features) = "
                       f"{(k, n_features)}: one component per ROW")
    if ratio.shape != (k,):
        raise Feedback(f"the explained-variance ratio has shape {ratio.shape}, expected {(k,)}")
    return components, ratio


def _assert_components(got, expected):
    """Equal up to the sign of each row."""
    signs = np.sign(np.sum(got * expected, axis=1))
    signs[signs == 0] = 1.0
    assert_close(got * signs[:, None], expected, what="the components")


def _assert_pca(student, reference, X, k, ratio_only=False):
    components, ratio = _result(student, X, k)
    expected_components, expected_ratio = reference.pca(X, k)
    if not ratio_only:
        _assert_components(components, expected_components)
    assert_close(ratio, expected_ratio, what="the explained-variance ratio")


@check(weight=3, message="The components are not the directions of largest variance of the data, as unit "
                         "ROWS, largest variance first (either sign of each row is fine).",
       fix="Take the unit eigenvectors of the covariance of the centred data (or the right singular "
           "vectors of the centred X) and return them as rows.")
def test_components_match(student, reference, rng):
    for n_samples, n_features, k in ((60, 3, 2), (120, 5, 5), (40, 4, 1), (200, 6, 3)):
        _assert_pca(student, reference, _data(rng, n_samples, n_features), k)
    _assert_pca(student, reference, _data(rng, 30, 3).tolist(), 2)


@check(weight=2, message="explained_variance_ratio is wrong: it should be each component's share of the "
                         "TOTAL variance over all features, not of the kept components only.",
       fix="ratio[i] = eigenvalue i / sum of ALL eigenvalues (the trace of the covariance).")
def test_explained_variance_ratio(student, reference, rng):
    for n_samples, n_features, k in ((80, 4, 2), (50, 6, 1), (100, 3, 3)):
        _assert_pca(student, reference, _data(rng, n_samples, n_features, centred=True), k, ratio_only=True)


@check(weight=1, message="The components are not sorted by DECREASING variance.",
       fix="np.linalg.eigh returns eigenvalues in ascending order and np.linalg.eig in no particular "
           "order: sort with np.argsort(eigenvalues)[::-1].")
def test_sorted_by_decreasing_variance(student, reference, rng):
    # independent features whose variances grow from the first to the last column
    for n_features in (3, 5):
        X = rng.normal(size=(150, n_features)) * np.linspace(0.5, 4.0, n_features)
        X = X - X.mean(axis=0)
        for k in (n_features, 2):
            _assert_pca(student, reference, X, k)


@check(weight=2, message="The first component points at the mean of the data: the data was not centred.",
       fix="Subtract each feature's mean (X − X.mean(axis=0)) before looking for the directions of largest "
           "variance.")
def test_centres_the_data(student, reference, rng):
    for n_features, k in ((3, 2), (4, 4)):
        offset = rng.uniform(20.0, 60.0, size=n_features) * rng.choice([-1.0, 1.0], size=n_features)
        _assert_pca(student, reference, _data(rng, 100, n_features, offset), k)


@check(weight=1, message="The outputs are complex arrays; both must be real.",
       fix="scipy.linalg.eig (and sometimes np.linalg.eig) returns complex numbers: for a symmetric "
           "covariance use np.linalg.eigh, or the SVD.")
def test_returns_real_arrays(student, reference, rng):
    for n_features, k in ((4, 2), (3, 3)):
        X = _data(rng, 80, n_features, centred=True)
        components, ratio = _result(student, X, k)
        if components.dtype.kind != "f" or ratio.dtype.kind != "f":
            raise Feedback(f"the outputs have dtypes {components.dtype} and {ratio.dtype}")
        _assert_pca(student, reference, X, k)


@check(weight=1, message="n_components larger than the number of samples (but ≤ n_features) fails or gives "
                         "too few rows: it must still return n_components orthonormal rows.",
       fix="After the directions the centred data spans come directions of zero variance (ratio 0). A thin "
           "SVD (full_matrices=False) returns only min(n_samples, n_features) of them: use eigh of the "
           "covariance.")
def test_more_components_than_samples(student, reference, rng):
    for n_samples in rng.permutation([2, 3, 4])[:2]:
        n_features = int(n_samples + rng.integers(2, 5))
        k = int(rng.integers(n_samples + 1, n_features + 1))
        X = _data(rng, int(n_samples), n_features)
        components, ratio = _result(student, X, k)
        expected_components, expected_ratio = reference.pca(X, k)
        spanned = n_samples - 1                        # the rank of the centred data
        _assert_components(components[:spanned], expected_components[:spanned])
        assert_close(ratio, expected_ratio, what="the explained-variance ratio")
        assert_close(components @ components.T, np.eye(k), rtol=0.0, atol=1e-8,
                     what="components @ components.T (orthonormal rows)")
        centred = X - X.mean(axis=0)
        assert_close(centred @ components[spanned:].T, np.zeros((len(X), k - spanned)), rtol=0.0,
                     atol=1e-8 * np.linalg.norm(centred), what="the data along the zero-variance components")


@check(weight=1, message="A bad n_components was accepted: 0, n_features + 1, a negative number, a float "
                         "such as 1.5 or 2.0, or a bool.",
       fix="Raise ValueError unless n_components is an integer (not a bool) from 1 to n_features.")
def test_rejects_bad_n_components(student, reference, rng):
    X = _data(rng, 30, 3, centred=True)
    for k in (0, 4, -1, 1.5, 2.0, True):
        expect_error("ValueError", student.pca, X, k)
    _assert_pca(student, reference, X, 3)
    _assert_pca(student, reference, X, np.int64(2))


@check(weight=1, message="A single sample was accepted: PCA needs at least 2 samples (a single point has "
                         "no spread).",
       fix="Raise ValueError when X has fewer than 2 rows.")
def test_rejects_fewer_than_two_samples(student, reference, rng):
    for X in (rng.normal(size=(1, 3)), [[1.0, 2.0]]):
        expect_error("ValueError", student.pca, X, 1)
    _assert_pca(student, reference, _data(rng, 2, 2, centred=True), 1)


@check(weight=1, message="Data whose samples are all equal was accepted: the total variance is 0 and the "
                         "ratios would be 0/0.",
       fix="Raise ValueError when the total variance is 0.")
def test_rejects_zero_total_variance(student, reference, rng):
    for X in (np.tile([2.0, -1.0, 5.0], (6, 1)), np.zeros((4, 2)), np.tile([3, 7], (5, 1))):
        expect_error("ValueError", student.pca, X, 1)
    _assert_pca(student, reference, _data(rng, 20, 2, centred=True), 2)


@check(weight=1, message="pca modified X.",
       fix="Centre a copy (X -= X.mean(axis=0) writes into the caller's array).")
def test_leaves_input_unchanged(student, reference, rng):
    # a mean of about 1e-9: centring in place changes X visibly, while the components of the
    # centred and the uncentred data agree to ~1e-18 (this check is about X, not about centring)
    X = _data(rng, 40, 3, offset=1e-9 * rng.uniform(1, 2, size=3), centred=True)
    _assert_pca(student, reference, X, 2)
    assert_inputs_unchanged(student)
