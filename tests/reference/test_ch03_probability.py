"""Are the reference solutions of ch03_probability right? Checked against trusted implementations:
SciPy (scipy.stats, scipy.special), NumPy, scikit-learn and Python's exact `statistics` module."""

import math
import statistics
import warnings
from fractions import Fraction

import numpy as np
import pytest
import scipy.special
import scipy.stats
from hypothesis import given, strategies as st
from hypothesis.extra import numpy as hnp
from sklearn.metrics import log_loss, mutual_info_score

from mlmath.grading.grade import reference_solutions
from tests.support import course

ref = reference_solutions(course(), course().assignment("ch03_probability"))
seeds = st.integers(0, 2**32 - 1)


def _no_warnings(function, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(all="raise", under="ignore"):
            return function(*args, **kwargs)


def _distribution(rng, size, zeros=0):
    p = rng.dirichlet(np.ones(size))
    if zeros:
        p[rng.choice(size, size=zeros, replace=False)] = 0.0
        p /= p.sum()
    return p


# ------------------------------------------------------------------------------------------ conditional
@given(seeds, st.integers(1, 7), st.integers(1, 7), st.integers(0, 3))
def test_marginals_and_conditionals_equal_direct_sums_and_bayes_rule(seed, rows, cols, zeros):
    rng = np.random.default_rng(seed)
    joint = _distribution(rng, rows * cols, zeros=min(zeros, rows * cols - 1)).reshape(rows, cols)
    p_x, p_y = ref.marginal(joint, 1), ref.marginal(joint, 0)
    np.testing.assert_allclose(p_x, [math.fsum(row) for row in joint], rtol=1e-13, atol=1e-300)
    np.testing.assert_allclose(p_y, [math.fsum(column) for column in joint.T], rtol=1e-13, atol=1e-300)
    np.testing.assert_array_equal(ref.marginal(joint, -1), p_x)
    np.testing.assert_array_equal(ref.marginal(joint, -2), p_y)
    for y in np.flatnonzero(p_y > 0):
        given_y = ref.conditional(joint, int(y))
        assert given_y.shape == (rows,) and given_y.sum() == pytest.approx(1.0, abs=1e-12)
        np.testing.assert_allclose(given_y * p_y[y], joint[:, y], rtol=1e-12, atol=1e-300)   # the product rule
        likelihood = np.divide(joint[:, y], p_x, out=np.zeros(rows), where=p_x > 0)         # P(Y = y | X)
        np.testing.assert_allclose(given_y, ref.bayes_posterior(p_x, likelihood), rtol=1e-10, atol=1e-15)
    # the law of total probability: P(X) = sum_y P(X | Y = y) P(Y = y)
    total = sum(ref.conditional(joint, int(y)) * p_y[y] for y in np.flatnonzero(p_y > 0))
    np.testing.assert_allclose(total, p_x, rtol=1e-12, atol=1e-15)


def test_conditional_named_edge_cases():
    joint = np.array([[0.40, 0.10], [0.15, 0.35]])
    np.testing.assert_allclose(ref.marginal(joint, 1), [0.5, 0.5])
    np.testing.assert_allclose(ref.marginal(joint, 0), [0.55, 0.45])
    np.testing.assert_allclose(ref.conditional(joint, 1), [0.10 / 0.45, 0.35 / 0.45])
    np.testing.assert_allclose(ref.conditional([[1, 0], [0, 0]], 0), [1.0, 0.0])            # integers
    np.testing.assert_allclose(ref.conditional(joint, np.int64(0)), [0.40 / 0.55, 0.15 / 0.55])
    ref.marginal(np.full((7, 1), 1 / 7), 0)                     # a sum of 1 - 2e-16 is a distribution
    for axis in (2, -3, 1.0, True, None):
        with pytest.raises(ValueError):
            ref.marginal(joint, axis)
    for y in (2, -1, 1.0, True, 0.5):
        with pytest.raises(ValueError):
            ref.conditional(joint, y)
    with pytest.raises(ValueError):
        ref.conditional([[0.5, 0.0], [0.5, 0.0]], 1)            # P(Y = 1) = 0
    for bad in ([[0.6, -0.1], [0.2, 0.3]], np.full((2, 2), 0.5), [[0.25, 0.25], [0.25, 0.250001]], [0.5, 0.5]):
        with pytest.raises(ValueError):
            ref.marginal(bad, 0)
        with pytest.raises(ValueError):
            ref.conditional(bad, 0)
    before = joint.copy()
    ref.conditional(joint, 0), ref.marginal(joint, 1)
    np.testing.assert_array_equal(joint, before)


# ------------------------------------------------------------------------------------------ bayes
@given(seeds, st.integers(1, 12))
def test_bayes_posterior_equals_normalised_joint_and_log_version_equals_log_softmax(seed, size):
    rng = np.random.default_rng(seed)
    prior, likelihood = _distribution(rng, size), rng.uniform(0.01, 5.0, size=size)
    posterior = ref.bayes_posterior(prior, likelihood)
    np.testing.assert_allclose(posterior, prior * likelihood / np.sum(prior * likelihood), rtol=1e-13)
    log_likelihood = rng.normal(-1e4, 20.0, size=size)           # far below exp's range
    log_posterior = _no_warnings(ref.log_bayes_posterior, np.log(prior), log_likelihood)
    np.testing.assert_allclose(log_posterior, scipy.special.log_softmax(np.log(prior) + log_likelihood),
                               rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(np.exp(ref.log_bayes_posterior(np.log(prior), np.log(likelihood))), posterior,
                               rtol=1e-12)


def test_bayes_named_edge_cases():
    np.testing.assert_allclose(ref.bayes_posterior([0.99, 0.01], [0.05, 0.9]), [0.0495 / 0.0585, 0.009 / 0.0585])
    np.testing.assert_allclose(np.exp(ref.log_bayes_posterior(np.log([0.5, 0.5]), [-10000.0, -10001.0])),
                               scipy.special.softmax([0.0, -1.0]))
    out = _no_warnings(ref.log_bayes_posterior, [np.log(0.5), -np.inf, np.log(0.5)], [-np.inf, 0.0, -3.0])
    assert out[0] == -np.inf and out[1] == -np.inf and out[2] == pytest.approx(0.0)
    ref.bayes_posterior(np.full(7, 1 / 7), np.ones(7))           # a sum of 1 - 2e-16 is a distribution
    for prior, likelihood in (([0.4, 0.4, 0.4], [1, 1, 1]), ([1.2, -0.2], [1, 1]), ([0.5, 0.500001], [1, 1]),
                              ([0.5, 0.5], [1, -1]), ([0.5, 0.5, 0.0], [0, 0, 1])):
        with pytest.raises(ValueError):
            ref.bayes_posterior(prior, likelihood)
    for log_prior, log_likelihood in (([0.0, np.nan], [0, 0]), ([np.inf, -np.inf], [0, 0]),
                                      ([-np.inf, -np.inf], [0, 0]), (np.log([0.5, 0.6]), [0, 0]),
                                      (np.log([0.5, 0.5]), [-np.inf, -np.inf])):
        with pytest.raises(ValueError):
            ref.log_bayes_posterior(log_prior, log_likelihood)


# ------------------------------------------------------------------------------------------ pmfs
@given(st.integers(0, 60), st.sampled_from([0.0, 1.0]) | st.floats(1e-12, 1.0 - 1e-12), seeds)
def test_binomial_pmf_equals_scipy(n, p, seed):          # (SciPy itself overflows for subnormal p)
    k = np.arange(-2, n + 3)
    np.testing.assert_allclose(_no_warnings(ref.binomial_pmf, k, n, p), scipy.stats.binom.pmf(k, n, p),
                               rtol=1e-10, atol=1e-300)


@given(st.floats(0.0, 50.0), seeds)
def test_poisson_pmf_equals_scipy(lam, seed):
    k = np.arange(-2, 120)
    np.testing.assert_allclose(_no_warnings(ref.poisson_pmf, k, lam), scipy.stats.poisson.pmf(k, lam),
                               rtol=1e-10, atol=1e-300)


@pytest.mark.parametrize("n, p", [(10_000, 0.5), (50_000, 0.3), (3000, 1e-3), (200_000, 0.77)])
def test_binomial_pmf_for_large_counts_equals_scipy(n, p):
    k = np.linspace(n * p - 4 * np.sqrt(n * p * (1 - p)) - 1, n * p + 4 * np.sqrt(n * p * (1 - p)) + 1, 41)
    k = np.unique(np.clip(np.round(k), 0, n))
    np.testing.assert_allclose(_no_warnings(ref.binomial_pmf, k, n, p), scipy.stats.binom.pmf(k, n, p), rtol=1e-9)


@pytest.mark.parametrize("lam", [1000.0, 5000.5, 1e5])
def test_poisson_pmf_for_large_counts_equals_scipy(lam):
    k = np.unique(np.round(np.linspace(lam - 4 * np.sqrt(lam), lam + 4 * np.sqrt(lam), 41)))
    np.testing.assert_allclose(_no_warnings(ref.poisson_pmf, k, lam), scipy.stats.poisson.pmf(k, lam), rtol=1e-9)


def test_pmfs_named_edge_cases():
    assert ref.binomial_pmf(5000, 10000, 0.5) == pytest.approx(7.9786e-3, rel=1e-4)
    assert ref.poisson_pmf(1000, 1000) == pytest.approx(1.2614e-2, rel=1e-4)
    np.testing.assert_array_equal(ref.binomial_pmf([0.5, 2.5, -1, 11], 10, 0.5), 0.0)
    assert ref.binomial_pmf(3.0, 10, 0.5) == pytest.approx(scipy.stats.binom.pmf(3, 10, 0.5))
    np.testing.assert_array_equal(ref.binomial_pmf(np.arange(5), 4, 0.0), [1, 0, 0, 0, 0])
    np.testing.assert_array_equal(ref.binomial_pmf(np.arange(5), 4, 1.0), [0, 0, 0, 0, 1])
    np.testing.assert_array_equal(ref.poisson_pmf(np.arange(4), 0.0), [1, 0, 0, 0])
    assert np.shape(ref.binomial_pmf(3, 10, 0.5)) == () and ref.poisson_pmf(np.ones((2, 3)), 1.0).shape == (2, 3)


# ------------------------------------------------------------------------------------------ gaussian
@given(hnp.arrays(np.float64, hnp.array_shapes(max_dims=2, max_side=5), elements=st.floats(-1e3, 1e3)),
       st.floats(-100, 100), st.floats(1e-3, 1e3))
def test_normal_logpdf_equals_scipy(x, mu, sigma):
    np.testing.assert_allclose(_no_warnings(ref.normal_logpdf, x, mu, sigma),
                               scipy.stats.norm.logpdf(x, loc=mu, scale=sigma), rtol=1e-12, atol=1e-12)


@given(seeds, st.integers(1, 8), st.integers(1, 6))
def test_mvn_logpdf_equals_scipy(seed, d, n):
    rng = np.random.default_rng(seed)
    A = rng.normal(size=(d, d))
    cov = A @ A.T + 0.1 * np.eye(d)
    cov = (cov + cov.T) / 2
    mean, X = rng.normal(size=d), rng.normal(scale=3.0, size=(n, d))
    expected = scipy.stats.multivariate_normal(mean, cov).logpdf(X)
    np.testing.assert_allclose(ref.mvn_logpdf(X, mean, cov), np.reshape(expected, (n,)), rtol=1e-9, atol=1e-9)
    assert ref.mvn_logpdf(X[0], mean, cov) == pytest.approx(np.ravel(expected)[0], rel=1e-9, abs=1e-9)


def test_mvn_logpdf_in_500_dimensions_equals_scipy():
    rng = np.random.default_rng(0)
    mean = rng.normal(size=500)
    X = mean + 0.1 * rng.normal(size=(3, 500))
    cov = 0.01 * np.eye(500)
    assert np.linalg.det(cov) == 0.0                       # what the exercise is about
    np.testing.assert_allclose(_no_warnings(ref.mvn_logpdf, X, mean, cov),
                               scipy.stats.multivariate_normal(mean, cov).logpdf(X), rtol=1e-12)


def test_gaussian_named_edge_cases():
    assert ref.normal_logpdf(50.0, 0.0, 1.0) == pytest.approx(-1250.9189385332047)
    for sigma in (0.0, -1.0):
        with pytest.raises(ValueError):
            ref.normal_logpdf(1.0, 0.0, sigma)
    for cov in ([[1.0, 0.5], [0.2, 1.0]], [[1.0, 2.0], [2.0, 1.0]], [[4.0, 2.0], [2.0, 1.0]]):
        with pytest.raises(ValueError):
            ref.mvn_logpdf(np.zeros(2), np.zeros(2), np.array(cov))
    nearly = np.array([[2.0, 1.0], [1.0 + 1e-12, 3.0]])
    assert ref.mvn_logpdf(np.ones(2), np.zeros(2), nearly) == pytest.approx(
        scipy.stats.multivariate_normal(np.zeros(2), (nearly + nearly.T) / 2).logpdf(np.ones(2)))


# ------------------------------------------------------------------------------------------ expectation
@given(seeds, st.integers(1, 15))
def test_expectation_and_variance_equal_scipy_rv_discrete(seed, size):
    rng = np.random.default_rng(seed)
    values = rng.choice(np.arange(-50.0, 50.0, 0.5), size=size, replace=False)    # distinct support points
    probs = _distribution(rng, size)
    rv = scipy.stats.rv_discrete(values=(values, probs))
    assert ref.expectation(values, probs) == pytest.approx(rv.mean(), rel=1e-10, abs=1e-12)
    assert ref.variance(values, probs) == pytest.approx(rv.var(), rel=1e-9, abs=1e-9)
    assert isinstance(ref.expectation(values, probs), float) and isinstance(ref.variance(values, probs), float)


@given(seeds, st.integers(1, 12), st.sampled_from([0.0, 1e6, 1e9, -3e11]))
def test_variance_equals_exact_rational_arithmetic_far_from_zero(seed, size, offset):
    rng = np.random.default_rng(seed)
    values = offset + rng.uniform(0.0, 10.0, size=size)
    probs = _distribution(rng, size)
    xs, ps = [Fraction(float(v)) for v in values], [Fraction(float(p)) for p in probs]
    total = sum(ps)                                             # 1 up to rounding: normalise exactly
    mean = sum(p * x for p, x in zip(ps, xs)) / total
    exact = sum(p * (x - mean) ** 2 for p, x in zip(ps, xs)) / total
    assert _no_warnings(ref.expectation, values, probs) == pytest.approx(float(mean), rel=1e-15)
    got = _no_warnings(ref.variance, values, probs)
    assert got >= 0.0
    # Σ p (x − μ̂)² = Var + (μ − μ̂)²: the float64 mean μ̂ is off by a few spacings of the values at most
    assert got == pytest.approx(float(exact), rel=1e-12, abs=(size * np.spacing(abs(offset) + 10.0)) ** 2)


def test_expectation_named_edge_cases():
    assert ref.expectation([1, 2, 3, 4, 5, 6], np.full(6, 1 / 6)) == pytest.approx(3.5)
    assert ref.variance([1, 2, 3, 4, 5, 6], np.full(6, 1 / 6)) == pytest.approx(35 / 12)
    assert ref.variance([0, 1], [0.7, 0.3]) == pytest.approx(0.21)
    values = 1e9 + np.array([0.0, 1.0, 2.0])
    assert ref.variance(values, np.full(3, 1 / 3)) == pytest.approx(2 / 3, rel=1e-9)
    # scipy's rv_discrete uses E[X^2] - E[X]^2 and cancels here: the reason for the contract's stability rule
    assert scipy.stats.rv_discrete(values=(values, np.full(3, 1 / 3))).var() != pytest.approx(2 / 3, rel=1e-3)
    assert statistics.pvariance(values) == pytest.approx(ref.variance(values, np.full(3, 1 / 3)), rel=1e-9)
    assert ref.variance([3.0, 7.0, 9.0], [0.0, 1.0, 0.0]) == 0.0
    assert ref.variance(np.full(4, 1e9 + 0.1), [0.1, 0.2, 0.3, 0.4]) == pytest.approx(0.0, abs=1e-10)
    ref.expectation(np.zeros(7), np.full(7, 1 / 7))             # a sum of 1 - 2e-16 is a distribution
    for values, probs in (([1.0, 2.0], [0.6, 0.6]), ([1.0, 2.0], [1.2, -0.2]), ([1.0, 2.0], [0.5, 0.500001]),
                          ([1.0, 2.0, 3.0], [0.5, 0.5]), (np.ones((2, 2)), [0.5, 0.5]),
                          (np.ones(4), np.full((2, 2), 0.25)), ([], [])):
        with pytest.raises(ValueError):
            ref.expectation(values, probs)
        with pytest.raises(ValueError):
            ref.variance(values, probs)
    values, probs = np.array([5.0, 6.0]), np.array([0.25, 0.75])
    ref.variance(values, probs), ref.expectation(values, probs)
    np.testing.assert_array_equal(values, [5.0, 6.0])
    np.testing.assert_array_equal(probs, [0.25, 0.75])


# ------------------------------------------------------------------------------------------ covariance
@given(seeds, st.integers(2, 30), st.integers(1, 6), st.sampled_from([0.0, 1e3, 1e6]))
def test_covariance_and_correlation_equal_numpy(seed, n, p, offset):
    X = np.random.default_rng(seed).normal(size=(n, p)) + offset
    np.testing.assert_allclose(ref.covariance_matrix(X), np.atleast_2d(np.cov(X, rowvar=False)),
                               rtol=1e-10, atol=1e-12)
    if n > 2:   # two samples give correlations of exactly ±1, up to rounding of either implementation
        np.testing.assert_allclose(ref.correlation_matrix(X), np.atleast_2d(np.corrcoef(X, rowvar=False)),
                                   rtol=1e-9, atol=1e-12)


def test_covariance_named_edge_cases():
    X = np.random.default_rng(1).normal(size=(10, 3))
    X[:, 1] = 4.0
    with np.errstate(invalid="ignore", divide="ignore"):
        expected = np.corrcoef(X, rowvar=False)
    np.testing.assert_array_equal(np.isnan(ref.correlation_matrix(X)), np.isnan(expected))
    assert ref.covariance_matrix([[1.0], [2.0], [4.0]]).shape == (1, 1)
    assert ref.correlation_matrix([[1.0], [2.0], [4.0]]).shape == (1, 1)
    for X in (np.ones((1, 3)), np.ones((0, 3))):
        with pytest.raises(ValueError):
            ref.covariance_matrix(X)
        with pytest.raises(ValueError):
            ref.correlation_matrix(X)


# ------------------------------------------------------------------------------------------ mle
@given(seeds, st.integers(1, 60), st.sampled_from([0.0, 1e6, 1e9, -3e11]))
def test_mle_gaussian_equals_exact_statistics(seed, n, offset):
    data = offset + np.random.default_rng(seed).normal(scale=10.0, size=n)
    mu, sigma2 = _no_warnings(ref.mle_gaussian, data)
    values = data.tolist()
    assert mu == pytest.approx(statistics.fmean(values), rel=1e-15, abs=1e-12)
    # pvariance is exact; two passes are off by (rounding error of the mean)², here below 1e-9 relative
    assert sigma2 == pytest.approx(float(statistics.pvariance(values)), rel=1e-9, abs=1e-12)


@given(seeds, st.integers(1, 60))
def test_mle_bernoulli_and_gaussian_equal_scipy_fits(seed, n):
    rng = np.random.default_rng(seed)
    bits = rng.integers(0, 2, size=n)
    assert ref.mle_bernoulli(bits) == pytest.approx(bits.mean())
    data = rng.normal(size=n)
    loc, scale = scipy.stats.norm.fit(data)              # SciPy's Gaussian MLE
    mu, sigma2 = ref.mle_gaussian(data)
    assert mu == pytest.approx(loc) and sigma2 == pytest.approx(scale ** 2, rel=1e-9, abs=1e-15)


def test_mle_named_edge_cases():
    assert ref.mle_gaussian(1e9 + np.array([0.0, 1.0, 2.0, 3.0])) == (1e9 + 1.5, 1.25)
    assert ref.mle_gaussian([7.0]) == (7.0, 0.0)
    for data in ([0, 1, 2], [0.5], [-1, 0], []):
        with pytest.raises(ValueError):
            ref.mle_bernoulli(data)
    with pytest.raises(ValueError):
        ref.mle_gaussian([])


# ------------------------------------------------------------------------------------------ cross_entropy
@given(seeds, st.integers(1, 30))
def test_binary_cross_entropy_equals_sklearn_log_loss(seed, n):
    rng = np.random.default_rng(seed)
    y, p = rng.integers(0, 2, size=n), rng.uniform(0.01, 0.99, size=n)
    assert ref.binary_cross_entropy(y, p) == pytest.approx(log_loss(y, p, labels=[0, 1]), rel=1e-12)


@given(seeds, st.integers(1, 30), st.integers(2, 8))
def test_categorical_cross_entropy_equals_sklearn_log_loss(seed, n, c):
    rng = np.random.default_rng(seed)
    probs = scipy.special.softmax(rng.normal(size=(n, c)), axis=1)
    labels = rng.integers(0, c, size=n)
    expected = log_loss(labels, probs, labels=np.arange(c))
    assert ref.categorical_cross_entropy(labels, probs) == pytest.approx(expected, rel=1e-12)
    assert ref.categorical_cross_entropy(np.eye(c)[labels], probs) == pytest.approx(expected, rel=1e-12)


def test_cross_entropy_clipping():
    y, p = np.array([1.0, 0.0, 0.3]), np.array([0.0, 1.0, 0.5])
    for eps in (1e-15, 1e-3):
        q = np.clip(p, eps, 1 - eps)
        expected = -np.mean(y * np.log(q) + (1 - y) * np.log(1 - q))
        assert _no_warnings(ref.binary_cross_entropy, y, p, eps) == pytest.approx(expected, rel=1e-12)
    assert ref.categorical_cross_entropy([1], [[1.0, 0.0]]) == pytest.approx(-np.log(1e-15))


# ------------------------------------------------------------------------------------------ entropy
@given(seeds, st.integers(1, 20), st.sampled_from([2, np.e, 10, 3, 0.5]))
def test_entropy_equals_scipy(seed, size, base):
    p = _distribution(np.random.default_rng(seed), size, zeros=size // 3)
    assert ref.entropy(p, base) == pytest.approx(scipy.stats.entropy(p, base=base), rel=1e-12, abs=1e-15)


def test_entropy_named_edge_cases():
    assert ref.entropy([0.25] * 4) == pytest.approx(2.0)
    assert ref.entropy([0.5, 0.5, 0.0]) == pytest.approx(1.0)
    assert ref.entropy([1.0, 0.0]) == 0.0
    for p, base in (([0.5, 0.6], 2), ([1.5, -0.5], 2), ([0.5, 0.5], 0), ([0.5, 0.5], -2), ([0.5, 0.5], 1)):
        with pytest.raises(ValueError):
            ref.entropy(p, base)


# ------------------------------------------------------------------------------------------ kl
@given(seeds, st.integers(1, 20), st.integers(0, 5), st.integers(0, 5))
def test_kl_divergence_equals_scipy(seed, size, p_zeros, q_zeros):
    rng = np.random.default_rng(seed)
    p = _distribution(rng, size, zeros=min(p_zeros, size - 1))
    q = _distribution(rng, size, zeros=min(q_zeros, size - 1))
    expected = scipy.stats.entropy(p, q)
    got = ref.kl_divergence(p, q)
    assert got == expected if np.isinf(expected) else got == pytest.approx(expected, rel=1e-12, abs=1e-14)
    assert got == pytest.approx(np.sum(scipy.special.rel_entr(p, q)), rel=1e-12, abs=1e-14)


def test_kl_named_edge_cases():
    assert ref.kl_divergence([0.5, 0.5], [1.0, 0.0]) == np.inf
    assert ref.kl_divergence([1.0, 0.0], [0.5, 0.5]) == pytest.approx(np.log(2))
    assert ref.kl_divergence([0.0, 1.0, 0.0], [0.0, 1.0, 0.0]) == 0.0
    for p, q in (([1.0], [0.5, 0.5]), ([0.5, 0.6], [0.5, 0.5]), ([0.5, 0.5], [1.2, -0.2])):
        with pytest.raises(ValueError):
            ref.kl_divergence(p, q)


# ------------------------------------------------------------------------------------------ mutual_information
@given(seeds, st.integers(1, 6), st.integers(1, 6))
def test_mutual_information_equals_sklearn(seed, rows, cols):
    counts = np.random.default_rng(seed).integers(0, 5, size=(rows, cols))
    counts[0, 0] += 1                                     # at least one observation
    joint = counts / counts.sum()
    assert ref.mutual_information(joint) == pytest.approx(mutual_info_score(None, None, contingency=counts),
                                                          rel=1e-10, abs=1e-12)


@given(seeds, st.integers(1, 8), st.integers(1, 8))
def test_mutual_information_of_independent_tables_is_zero(seed, rows, cols):
    rng = np.random.default_rng(seed)
    joint = np.outer(_distribution(rng, rows), _distribution(rng, cols))
    assert 0.0 <= ref.mutual_information(joint) < 1e-12


def test_mutual_information_named_edge_cases():
    assert ref.mutual_information([[0.5, 0.0], [0.0, 0.5]]) == pytest.approx(np.log(2))
    for joint in ([[0.5, 0.5], [0.5, 0.5]], [[0.6, -0.1], [0.2, 0.3]], [0.5, 0.5]):
        with pytest.raises(ValueError):
            ref.mutual_information(joint)
