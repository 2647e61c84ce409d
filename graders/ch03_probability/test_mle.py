"""Hidden checks for `mle_bernoulli(data)` and `mle_gaussian(data)`."""

import numpy as np

from mlmath.grading import expect_refusal, Feedback, as_array, assert_close, assert_inputs_unchanged, assert_no_warnings, check


def _number(value, what):
    array = as_array(value, what)
    if array.size != 1:
        raise Feedback(f"{what} must be a single number, got shape {array.shape}")
    return float(array.reshape(()))


def _gaussian(student, reference, data):
    got = student.mle_gaussian(data)
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        raise Feedback("mle_gaussian must return a pair (mu, sigma2)")
    mu, sigma2 = reference.mle_gaussian(data)
    got_mu, got_sigma2 = _number(got[0], "mu"), _number(got[1], "sigma2")
    assert_close(got_mu, mu, what="mu")
    try:
        assert_close(got_sigma2, sigma2, what="sigma2")
    except Feedback:
        n = np.size(data)
        if n > 1 and sigma2 > 0 and np.isclose(got_sigma2, sigma2 * n / (n - 1), rtol=1e-9, atol=0):
            raise Feedback("your sigma2 divides by n − 1 (the unbiased sample variance, np.var(ddof=1)); the "
                           "maximum-likelihood estimate divides by n") from None
        if sigma2 > 0 and not np.isclose(sigma2, 1.0) and np.isclose(got_sigma2, np.sqrt(sigma2), rtol=1e-9, atol=0):
            raise Feedback("you returned the standard deviation σ; the second value is the variance σ²") from None
        raise


@check(weight=2, message="mle_bernoulli does not return the maximum-likelihood estimate of p.",
       fix="p̂ = (number of ones) / n, the sample mean.")
def test_bernoulli_is_the_fraction_of_ones(student, reference, rng):
    cases = [rng.integers(0, 2, size=n) for n in (1, 7, 50)]
    cases += [rng.integers(0, 2, size=20).astype(np.float64), [1, 0, 0, 1, 1], np.zeros(6, dtype=int), np.ones(3)]
    for data in cases:
        got, expected = _number(student.mle_bernoulli(data), "p"), reference.mle_bernoulli(data)
        if np.size(data) > 1 and expected > 0 and np.isclose(got, expected * np.size(data), rtol=1e-9, atol=0):
            raise Feedback("you returned the number of ones; the estimate is that count divided by n")
        assert_close(got, expected)


@check(weight=1, message="Bad Bernoulli data was accepted: values other than 0 and 1, or no observation at "
                         "all.",
       fix="Raise ValueError when data is empty or holds anything but 0s and 1s.")
def test_bernoulli_rejects_bad_data(student, reference):
    data = np.array([0, 1, 1, 0, 1])
    assert_close(_number(student.mle_bernoulli(data), "p"), reference.mle_bernoulli(data))
    expect_refusal("data containing a 2", student.mle_bernoulli, np.array([0, 1, 2, 1]))
    expect_refusal("data containing 0.5", student.mle_bernoulli, np.array([0.0, 0.5, 1.0]))
    expect_refusal("data containing −1", student.mle_bernoulli, np.array([-1, 0, 1]))
    expect_refusal("empty data", student.mle_bernoulli, np.array([], dtype=int))


@check(weight=2, message="mle_gaussian does not return the maximizers (μ̂, σ̂²) of the Gaussian "
                         "log-likelihood.",
       fix="μ̂ = the sample mean, σ̂² = the mean squared deviation from it, dividing by n (not n − 1).")
def test_gaussian_mle(student, reference, rng):
    for n in (2, 5, 40):
        _gaussian(student, reference, rng.normal(loc=rng.normal(scale=10), scale=rng.uniform(0.5, 3), size=n))
    _gaussian(student, reference, [2, 4, 4, 4, 5, 5, 7, 9])


@check(weight=2, message="mle_gaussian is inaccurate for data far from 0 (1e9 + [0, 1, 2, 3] has σ̂² = "
                         "1.25): E[x²] − E[x]² subtracts two nearly equal numbers around 1e18 and cancels "
                         "catastrophically.",
       fix="Subtract the mean first, then square.")
def test_gaussian_stable_far_from_zero(student, reference, rng):
    _gaussian(student, reference, 1e9 + np.array([0.0, 1.0, 2.0, 3.0]))
    _gaussian(student, reference, 1e9 + 10.0 * rng.normal(size=100))
    _gaussian(student, reference, -3e11 + rng.uniform(0.0, 1e4, size=50))
    assert_no_warnings(student)


@check(weight=1, message="A single observation fails: it is valid, with μ̂ that value and σ̂² = 0.",
       fix="Divide by n, not n − 1 (= 0): that would be the unbiased estimator, not the MLE.")
def test_gaussian_single_observation(student, reference, rng):
    _gaussian(student, reference, np.array([float(rng.normal(scale=10))]))


@check(weight=1, message="Empty data was accepted: with no data the Gaussian MLE is undefined.",
       fix="Raise ValueError (np.mean of nothing is NaN with a warning).")
def test_gaussian_rejects_empty(student, reference, rng):
    expect_refusal("empty data", student.mle_gaussian, np.array([]))
    _gaussian(student, reference, rng.normal(size=3))


@check(weight=1, message="mle_bernoulli or mle_gaussian modified data.",
       fix="Centre a copy (data − mean), not data itself.")
def test_leave_input_unchanged(student, reference, rng):
    data = rng.integers(0, 2, size=10).astype(np.float64)
    assert_close(_number(student.mle_bernoulli(data), "p"), reference.mle_bernoulli(data))
    _gaussian(student, reference, 5.0 + rng.normal(size=10))
    assert_inputs_unchanged(student)
