"""Hidden checks for `bayes_posterior(prior, likelihood)` and `log_bayes_posterior(log_prior, log_likelihood)`."""

import numpy as np

from mlmath.grading import (expect_refusal, Feedback, LearnerError, as_array, assert_close, assert_inputs_unchanged, assert_no_warnings,
                            check)

NEG_INF = -np.inf



def _accepts(function, *args):
    """Call on valid input; a ValueError here means the learner's validation rejected it."""
    try:
        return function(*args)
    except LearnerError as error:
        if not error.is_a("ValueError"):
            raise
        if error.function == "log_bayes_posterior":
            raise Feedback(f"your log_bayes_posterior {error.raised} on valid input "
                           "— if that is your validation, a valid log-prior failed "
                           "it (exp(log_prior) sums to 1 within 1e-9, −inf allowed); if it is your zero-evidence "
                           "test, the evidence only underflowed: it is not 0 in log space") from None
        raise Feedback(f"your {error.function} {error.raised} on valid input — "
                       "if that is your validation, a valid prior failed it — a prior needs entries ≥ 0 that sum "
                       "to 1 within 1e-9; likelihoods only need to be ≥ 0") from None


def _posterior(student, reference, prior, likelihood):
    got = _accepts(student.bayes_posterior, prior, likelihood)
    try:
        assert_close(got, reference.bayes_posterior(prior, likelihood))
    except Feedback:
        value = as_array(got)
        joint = np.asarray(prior, dtype=float) * np.asarray(likelihood, dtype=float)
        if value.shape == joint.shape and np.allclose(value, joint, rtol=1e-9, atol=0):
            raise Feedback("you returned prior × likelihood without dividing by the evidence, so the posterior "
                           "does not sum to 1") from None
        raise


def _log_posterior(student, reference, log_prior, log_likelihood):
    got = _accepts(student.log_bayes_posterior, log_prior, log_likelihood)
    try:
        assert_close(got, reference.log_bayes_posterior(log_prior, log_likelihood))
    except Feedback:
        value = as_array(got)
        log_joint = np.asarray(log_prior, dtype=float) + np.asarray(log_likelihood, dtype=float)
        if value.shape == log_joint.shape and np.allclose(value, log_joint, rtol=1e-9, atol=0):
            raise Feedback("you returned log_prior + log_likelihood without subtracting the log-evidence "
                           "logsumexp(log_prior + log_likelihood)") from None
        raise


def _prior(rng, size):
    return rng.dirichlet(np.ones(size))


def _beyond_tolerance(rng):
    """How far off 1 a sum that must be refused is (either way): just beyond the catalog's 1e-9,
    and by up to 1e-6 (np.isclose's defaults accept 1e-8 and 1e-5)."""
    return rng.choice([-1.0, 1.0], size=2) * np.array([rng.uniform(2e-9, 8e-9), 10.0 ** rng.uniform(-8.0, -6.0)])


def _within_tolerance(rng):
    """How far off 1 a sum that must be accepted is: a few 1e-10, well above rounding error."""
    return rng.choice([-1.0, 1.0]) * rng.uniform(1e-10, 4e-10)


def _log_prior(rng, size):
    return np.log(_prior(rng, size))


@check(weight=2, message="Your posterior does not follow Bayes' rule: it must sum to 1 (the likelihoods "
                         "need not).",
       fix="posterior = prior × likelihood / evidence, where the evidence is Σ prior × likelihood.")
def test_posterior_matches_bayes_rule(student, reference, rng):
    for size in (2, 5, 12):
        prior, likelihood = _prior(rng, size), rng.uniform(0.0, 3.0, size=size)
        _posterior(student, reference, prior, likelihood)
    prior, likelihood = [0.25, 0.25, 0.5], [1, 0, 3]               # lists, integers
    _posterior(student, reference, prior, likelihood)


@check(weight=1, message="A prior that is not a distribution — a negative entry, or entries that do not "
                         "sum to 1 within 1e-9 — was accepted (or a valid one refused).",
       fix="Raise ValueError when any entry is < 0 or when |Σ prior − 1| > 1e-9.")
def test_rejects_prior_that_is_not_a_distribution(student, reference, rng):
    likelihood = rng.uniform(0.1, 1.0, size=3)
    _posterior(student, reference, _prior(rng, 3), likelihood)
    expect_refusal("a prior whose entries sum to more than 1",
             student.bayes_posterior, [0.4, 0.4, 0.4], likelihood)
    expect_refusal("a prior whose entries sum to less than 1",
             student.bayes_posterior, [0.2, 0.2, 0.1], likelihood)
    expect_refusal("a prior with a negative entry (its entries still sum to 1)",
             student.bayes_posterior, [1.2, -0.4, 0.2], likelihood)
    expect_refusal("a prior whose sum is off by 1e-6 (the tolerance is 1e-9, far tighter than "
             "np.isclose's default)", student.bayes_posterior, [0.5, 0.25, 0.250001], likelihood)
    for off in _beyond_tolerance(rng):
        expect_refusal("a prior whose sum is off by more than 1e-9 (not by much: compare with exactly that "
                       "tolerance)", student.bayes_posterior, _prior(rng, 4) * (1 + off), likelihood[[0, 1, 2, 0]])


@check(weight=1, message="A prior whose sum is 1 only up to rounding was refused: floating-point sums such "
                         "as 0.3 + 0.3 + 0.3 + 0.1 are not exactly 1.",
       fix="Compare the sum with 1 within a tolerance of 1e-9 (abs(s − 1) <= 1e-9), not with ==.")
def test_accepts_prior_with_rounding_error(student, reference, rng):
    for prior in (np.array([0.3, 0.3, 0.3, 0.1]), np.full(7, 1 / 7), np.full(20, 0.05),
                  _prior(rng, 5) * (1 + _within_tolerance(rng))):
        likelihood = rng.uniform(0.1, 1.0, size=prior.size)
        _posterior(student, reference, prior, likelihood)


@check(weight=1, message="A negative likelihood was accepted (or valid likelihoods refused: they need not "
                         "sum to 1, and zeros are fine).",
       fix="Raise ValueError when any likelihood is < 0, and check nothing else about them.")
def test_rejects_negative_likelihood(student, reference, rng):
    prior = _prior(rng, 4)
    expect_refusal("a negative likelihood", student.bayes_posterior, prior, [0.5, -0.1, 0.3, 0.2])
    likelihood = [2.0, 5.0, 0.0, 1.5]
    _posterior(student, reference, prior, likelihood)


@check(weight=1, message="When the evidence is 0 the posterior is 0/0, undefined — yet no ValueError was "
                         "raised.",
       fix="Raise ValueError when Σ prior × likelihood is 0, instead of returning NaN (a zero likelihood "
           "for some hypotheses is fine).")
def test_zero_evidence_raises(student, reference):
    _posterior(student, reference, [0.5, 0.5, 0.0], [0.0, 0.3, 1.0])
    expect_refusal("zero evidence (likelihood 0 wherever the prior is positive)",
             student.bayes_posterior, [0.5, 0.5, 0.0], [0.0, 0.0, 1.0])
    expect_refusal("an all-zero likelihood", student.bayes_posterior, [0.3, 0.7], [0.0, 0.0])


@check(weight=2, message="log_bayes_posterior does not return the log of Bayes' rule.",
       fix="log_prior + log_likelihood − logsumexp(log_prior + log_likelihood).")
def test_log_posterior_matches_bayes_rule(student, reference, rng):
    for size in (2, 6, 10):
        log_prior, log_likelihood = _log_prior(rng, size), rng.normal(-3.0, 2.0, size=size)
        _log_posterior(student, reference, log_prior, log_likelihood)
    log_prior, log_likelihood = np.log(np.full(7, 1 / 7)), rng.normal(size=7)    # sums to 1 up to rounding
    _log_posterior(student, reference, log_prior, log_likelihood)


@check(weight=2, message="Your log-posterior fails for log-likelihoods around −1e4: exp underflows to 0 "
                         "and the linear formula gives 0/0.",
       fix="Stay in log space: shift by the largest log-joint before exponentiating (log-sum-exp).")
def test_log_posterior_stable(student, reference, rng):
    cases = [(_log_prior(rng, 3), -1e4 + rng.normal(0.0, 5.0, size=3)),
             (_log_prior(rng, 8), -1e4 + rng.normal(0.0, 30.0, size=8)),
             (np.log(np.full(4, 0.25)), -np.array([1.0e4, 1.0e4 + 1.0, 1.2e4, 3.0e4]))]
    for log_prior, log_likelihood in cases:
        _log_posterior(student, reference, log_prior, log_likelihood)
    assert_no_warnings(student)


@check(weight=1, message="A log-prior or log-likelihood of −inf (probability 0) gives NaN: that hypothesis "
                         "should get log-posterior −inf and the others stay finite.",
       fix="Shift by the largest FINITE log-joint; e^(−inf − m) is exactly 0, and −inf − m stays −inf.")
def test_log_minus_infinity_entries(student, reference, rng):
    log_prior = np.array([np.log(0.5), NEG_INF, np.log(0.25), np.log(0.25)])
    for log_likelihood in (np.array([-2.0, -1.0, NEG_INF, -3.0]) + rng.normal(size=4),
                           np.array([NEG_INF, 0.0, -5.0, -1e4])):
        _log_posterior(student, reference, log_prior, log_likelihood)


@check(weight=1, message="A log_prior that is not the log of a distribution (NaN or +inf entries, or "
                         "probabilities not summing to 1) was accepted.",
       fix="Raise ValueError unless every entry is real or −inf and |logsumexp(log_prior)| ≤ 1e-9.")
def test_log_rejects_invalid_log_prior(student, reference, rng):
    log_likelihood = rng.normal(size=3)
    _log_posterior(student, reference, np.array([np.log(0.5), NEG_INF, np.log(0.5)]), log_likelihood)
    expect_refusal("a log-prior whose probabilities sum to more than 1",
             student.log_bayes_posterior, np.log([0.5, 0.4, 0.3]), log_likelihood)
    expect_refusal("a log-prior whose probabilities sum to less than 1",
             student.log_bayes_posterior, np.log([0.2, 0.2, 0.2]), log_likelihood)
    expect_refusal("a log-prior containing NaN (NaN fails every comparison: test that the sum IS close to 1, not "
             "that it is far from it)", student.log_bayes_posterior,
             np.array([0.0, np.nan, NEG_INF]), log_likelihood)
    expect_refusal("a log-prior containing +inf",
             student.log_bayes_posterior, np.array([np.inf, NEG_INF, NEG_INF]), log_likelihood)
    expect_refusal("a log-prior of only −inf (all probabilities 0)",
             student.log_bayes_posterior, np.full(3, NEG_INF), log_likelihood)
    for off in _beyond_tolerance(rng):
        expect_refusal("a log-prior whose logsumexp is off 0 by more than 1e-9 (not by much: compare with "
                       "exactly that tolerance)", student.log_bayes_posterior, _log_prior(rng, 3) + off, log_likelihood)
    _log_posterior(student, reference, _log_prior(rng, 3) + _within_tolerance(rng), log_likelihood)


@check(weight=1, message="When every hypothesis has log-joint −inf (evidence 0) the log-posterior is "
                         "undefined — yet no ValueError was raised.",
       fix="Raise ValueError when all log-joints are −inf (while some −inf entries are fine).")
def test_log_zero_evidence_raises(student, reference, rng):
    _log_posterior(student, reference, _log_prior(rng, 3), np.array([NEG_INF, -2.0, NEG_INF]))
    expect_refusal("log-likelihoods that are all −inf",
             student.log_bayes_posterior, _log_prior(rng, 3), np.full(3, NEG_INF))
    expect_refusal("log-likelihood −inf wherever the prior is positive",
             student.log_bayes_posterior, np.array([np.log(0.5), np.log(0.5), NEG_INF]),
             np.array([NEG_INF, NEG_INF, 0.0]))


@check(weight=1, message="bayes_posterior or log_bayes_posterior modified its inputs.",
       fix="Compute new arrays; no in-place operations on the caller's arrays.")
def test_leave_inputs_unchanged(student, reference, rng):
    prior, likelihood = _prior(rng, 5), rng.uniform(0.0, 2.0, size=5)
    _posterior(student, reference, prior, likelihood)
    log_prior, log_likelihood = _log_prior(rng, 5), rng.normal(-1e4, 3.0, size=5)
    _log_posterior(student, reference, log_prior, log_likelihood)
    assert_inputs_unchanged(student)
