"""Hidden checks for `expectation(values, probs)` and `variance(values, probs)`: a discrete random
variable that takes `values[i]` with probability `probs[i]`."""

from functools import partial

import numpy as np

from mlmath.grading import (accept_valid_input, expect_refusal, Feedback, as_array, assert_close, assert_inputs_unchanged,
                            assert_no_warnings, check)


def _number(value, what):
    array = as_array(value, what)
    if array.shape != ():
        raise Feedback(f"{what} must be a single number (a float), got an array of shape {array.shape}")
    return float(array)


_accepts = partial(accept_valid_input, "valid probabilities failed it (entries ≥ 0 that sum to 1 within 1e-9, zeros allowed; the values may be any real numbers)")


def _mean(student, reference, values, probs):
    got = _number(_accepts(student.expectation, values, probs), "expectation")
    expected = reference.expectation(values, probs)
    try:
        assert_close(got, expected)
    except Feedback:
        if np.size(values) > 1 and np.isclose(got, np.mean(np.asarray(values, dtype=float)), rtol=1e-9, atol=0):
            raise Feedback("your expectation is the plain average of the values; each value must be weighted by "
                           "its probability: Σ pᵢ xᵢ") from None
        raise
    return got


def _variance(student, reference, values, probs):
    got = _number(_accepts(student.variance, values, probs), "variance")
    expected = reference.variance(values, probs)
    try:
        assert_close(got, expected)
    except Feedback:
        x = np.asarray(values, dtype=float)
        if expected > 0 and not np.isclose(expected, 1.0) and np.isclose(got, np.sqrt(expected), rtol=1e-9, atol=0):
            raise Feedback("you returned the standard deviation; the variance is its square, Σ pᵢ (xᵢ − μ)²") from None
        plain = np.mean((x - np.mean(x)) ** 2)
        if x.size > 1 and np.isclose(got, plain, rtol=1e-9, atol=0) and not np.isclose(plain, expected):
            raise Feedback("your variance ignores the probabilities (it treats every value as equally likely); "
                           "weight each squared deviation by its pᵢ, around μ = Σ pᵢ xᵢ") from None
        raise
    if got < 0:
        raise Feedback("your variance is negative")
    return got


def _distribution(rng, size, zeros=0):
    p = rng.dirichlet(np.ones(size))
    if zeros:
        p[rng.choice(size, size=zeros, replace=False)] = 0.0
        p /= p.sum()
    return p


@check(weight=2, message="expectation(values, probs) gives wrong values: each value must be weighted by "
                         "its probability.",
       fix="E[X] = Σ pᵢ xᵢ (np.dot(probs, values)).")
def test_expectation_is_the_weighted_sum(student, reference, rng):
    for size in (1, 3, 8, 20):
        _mean(student, reference, rng.normal(scale=10.0, size=size), _distribution(rng, size))
    _mean(student, reference, [1, 2, 3, 4, 5, 6], [0, 0, 0, 0, 0, 1])         # integers
    _mean(student, reference, (-2.0, 0.5, 7.0), (0.2, 0.5, 0.3))


@check(weight=2, message="variance(values, probs) gives wrong values: it is the probability-weighted mean "
                         "squared deviation (the square of the standard deviation).",
       fix="Var[X] = Σ pᵢ (xᵢ − μ)² with μ = Σ pᵢ xᵢ.")
def test_variance_matches_the_definition(student, reference, rng):
    for size in (2, 5, 12):
        _variance(student, reference, rng.normal(loc=rng.normal(scale=5.0), scale=rng.uniform(0.5, 4.0), size=size),
                  _distribution(rng, size))
    _variance(student, reference, [0, 1], [0.7, 0.3])                          # Bernoulli(0.3)
    _variance(student, reference, np.arange(1, 7), np.full(6, 1 / 6))           # a fair die


@check(weight=2, message="Your variance is wrong for values far from 0 (such as 1e9 + [0, 1, 2]): E[X²] − "
                         "E[X]² subtracts two nearly equal huge numbers and cancels.",
       fix="Subtract the mean first, then square; no RuntimeWarning.")
def test_variance_stable_far_from_zero(student, reference, rng):
    cases = [(1e9 + np.array([0.0, 1.0, 2.0]), _distribution(rng, 3)),
             (1e9 + rng.uniform(0.0, 10.0, size=6), _distribution(rng, 6)),
             (-3e11 + rng.uniform(0.0, 1e4, size=10), _distribution(rng, 10)),
             (rng.uniform(1e7, 1e8) + rng.normal(size=8), _distribution(rng, 8))]
    for values, probs in cases:
        _mean(student, reference, values, probs)
        _variance(student, reference, values, probs)
    assert_no_warnings(student)


@check(weight=1, message="A variable that takes a single value (one probability 1, or all values equal) "
                         "does not get variance 0 — or a variance came out negative.",
       fix="Σ pᵢ (xᵢ − μ)² is 0 here and never negative; the E[X²] − E[X]² shortcut can go below 0.")
def test_variance_of_a_constant_is_zero(student, reference, rng):
    size = 5
    point = np.zeros(size)
    point[int(rng.integers(size))] = 1.0
    _variance(student, reference, rng.normal(scale=1e3, size=size), point)
    _variance(student, reference, np.full(4, 1e9 + 0.1), _distribution(rng, 4))
    _variance(student, reference, np.full(3, float(rng.normal(scale=100.0))), _distribution(rng, 3))


@check(weight=1, message="probs that are not a distribution were accepted, or ones summing to 1 only up to "
                         "rounding refused.",
       fix="In both functions, raise ValueError when an entry is < 0 or when |Σ probs − 1| > 1e-9 (as in "
           "`bayes`).")
def test_rejects_probs_that_are_not_a_distribution(student, reference, rng):
    values = rng.normal(size=3)
    bad = {"probabilities summing to more than 1": [0.4, 0.4, 0.4],
           "probabilities summing to less than 1": [0.2, 0.2, 0.1],
           "a negative probability (the entries still sum to 1)": [1.2, -0.4, 0.2],
           "probabilities whose sum is off by 1e-6": [0.5, 0.25, 0.250001]}
    for what, probs in bad.items():
        expect_refusal(what + " (expectation)", student.expectation, values, probs)
        expect_refusal(what + " (variance)", student.variance, values, probs)
    for probs in (np.array([0.3, 0.3, 0.3, 0.1]), np.full(7, 1 / 7), np.full(20, 0.05)):
        x = rng.normal(size=probs.size)
        _mean(student, reference, x, probs)
        _variance(student, reference, x, probs)


@check(weight=1, message="values and probs of bad shapes (not both 1-D, or of unequal length) were "
                         "accepted.",
       fix="In both functions, raise ValueError unless both are 1-D with values.shape == probs.shape.")
def test_rejects_bad_shapes(student, reference, rng):
    bad = {"values longer than probs": (rng.normal(size=4), [0.5, 0.5]),
           "probs longer than values": (rng.normal(size=2), [0.25, 0.25, 0.5]),
           "2-D values": (rng.normal(size=(2, 2)), [0.5, 0.5]),
           "2-D probs": (rng.normal(size=4), np.full((2, 2), 0.25))}
    for what, (values, probs) in bad.items():
        expect_refusal(what + " (expectation)", student.expectation, values, probs)
        expect_refusal(what + " (variance)", student.variance, values, probs)
    _variance(student, reference, rng.normal(size=2), [0.5, 0.5])


@check(weight=1, message="expectation or variance modified values or probs.",
       fix="Compute new arrays; no in-place operations on the caller's arrays.")
def test_leave_inputs_unchanged(student, reference, rng):
    values, probs = 50.0 + rng.normal(size=6), _distribution(rng, 6, zeros=1)
    _mean(student, reference, values, probs)
    _variance(student, reference, values, probs)
    assert_inputs_unchanged(student)
