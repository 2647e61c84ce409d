"""Hidden checks for `binomial_pmf(k, n, p)` and `poisson_pmf(k, lam)`."""

import numpy as np

from mlmath.grading import Feedback, as_array, assert_close, assert_inputs_unchanged, assert_no_warnings, check


def _binomial(student, reference, k, n, p):
    assert_close(student.binomial_pmf(k, n, p), reference.binomial_pmf(k, n, p))


def _poisson(student, reference, k, lam):
    assert_close(student.poisson_pmf(k, lam), reference.poisson_pmf(k, lam))


@check(weight=2, message="binomial_pmf gives wrong probabilities for some k in 0..n.",
       fix="C(n, k) p^k (1 − p)^(n − k).")
def test_binomial_matches_definition(student, reference, rng):
    for n in (1, 7, 20, 30):
        _binomial(student, reference, np.arange(n + 1), n, float(rng.uniform(0.05, 0.95)))
    _binomial(student, reference, [0, 2, 3], 3, 0.5)                  # a list of ints


@check(weight=2, message="poisson_pmf gives wrong probabilities for some k = 0, 1, 2, …",
       fix="λ^k e^(−λ) / k!.")
def test_poisson_matches_definition(student, reference, rng):
    for lam in rng.uniform(0.1, 20.0, size=3):
        _poisson(student, reference, np.arange(40), float(lam))
    _poisson(student, reference, [0, 1, 5], 2)                        # an integer rate


@check(weight=2, message="binomial_pmf is not finite and accurate for large counts (binomial_pmf(5000, "
                         "10000, 0.5) ≈ 7.9786e-3): C(n, k) overflows and p^k underflows.",
       fix="Add the logarithms (log C(n, k) through gammaln, k log p, (n − k) log(1 − p)) and exponentiate "
           "once at the end.")
def test_binomial_stable_for_large_counts(student, reference, rng):
    _binomial(student, reference, 5000, 10000, 0.5)
    _binomial(student, reference, np.arange(4800, 5200, 7), 10000, 0.5)
    _binomial(student, reference, rng.integers(14500, 15500, size=10), 50000, 0.3)
    _binomial(student, reference, np.arange(0, 12), 3000, 1e-3)
    assert_no_warnings(student)


@check(weight=2, message="poisson_pmf is not finite and accurate for large counts (poisson_pmf(1000, 1000) "
                         "≈ 1.2614e-2): λ^k and k! overflow.",
       fix="Compute k log λ − λ − log k! (gammaln(k + 1)) and exponentiate once.")
def test_poisson_stable_for_large_counts(student, reference, rng):
    _poisson(student, reference, 1000, 1000.0)
    _poisson(student, reference, np.arange(900, 1100, 9), 1000.0)
    _poisson(student, reference, rng.integers(4800, 5200, size=10), 5000.5)
    assert_no_warnings(student)


@check(weight=1, message="A count outside the support — k < 0, or k > n for the binomial — does not get "
                         "probability 0 (NaN, or an error).",
       fix="Compute on the valid counts and set the others to 0 (np.where with a mask).")
def test_outside_the_support_is_zero(student, reference, rng):
    n = int(rng.integers(5, 15))
    _binomial(student, reference, np.array([-3, -1, 0, 2, n, n + 1, n + 5]), n, 0.4)
    _poisson(student, reference, np.array([-7, -1, 0, 3]), 2.5)


@check(weight=1, message="A k that is not a whole number (2.5, say) does not get probability 0, or a whole "
                         "number stored as a float (3.0) is not treated as an ordinary count.",
       fix="Mask with k == np.floor(k): 0 where it fails, the pmf where it holds.")
def test_non_whole_k_is_zero(student, reference):
    k = np.array([0.5, 2.5, 3.0, 4.999, 6.0])
    _binomial(student, reference, k, 8, 0.3)
    _poisson(student, reference, k, 3.5)


@check(weight=1, message="Degenerate parameters give NaN or a wrong pmf: p = 0 puts all mass on k = 0, p = "
                         "1 on k = n, n = 0 on k = 0, and λ = 0 on k = 0.",
       fix="Use 0^0 = 1 (e.g. handle p ∈ {0, 1} and λ = 0 explicitly, since 0 · log 0 gives NaN).")
def test_degenerate_parameters(student, reference):
    k = np.arange(-1, 8)
    _binomial(student, reference, k, 6, 0.0)
    _binomial(student, reference, k, 6, 1.0)
    _binomial(student, reference, np.array([0, 1]), 0, 0.3)
    _poisson(student, reference, k, 0.0)


@check(weight=1, message="An array of counts does not give probabilities of its shape, or a single k not a "
                         "single number.",
       fix="Work on np.asarray(k) with elementwise operations (no Python loop over a flat list); the shape "
           "follows.")
def test_vectorised_over_k(student, reference, rng):
    for k in (rng.integers(0, 12, size=(3, 4)), 4, np.int64(2)):
        got_binomial, got_poisson = student.binomial_pmf(k, 12, 0.35), student.poisson_pmf(k, 4.0)
        for got in (got_binomial, got_poisson):
            if as_array(got).shape != np.shape(k):
                raise Feedback(f"for k of shape {np.shape(k)} the result has shape {as_array(got).shape}")
        assert_close(got_binomial, reference.binomial_pmf(k, 12, 0.35))
        assert_close(got_poisson, reference.poisson_pmf(k, 4.0))


@check(weight=1, message="binomial_pmf or poisson_pmf modified k.",
       fix="Replace out-of-support counts in a copy, not in the caller's array.")
def test_leaves_input_unchanged(student, reference):
    k = np.array([-2.0, 0.0, 1.5, 3.0, 9.0, 12.0])
    _binomial(student, reference, k, 9, 0.6)
    _poisson(student, reference, k.copy(), 2.0)
    assert_inputs_unchanged(student)
