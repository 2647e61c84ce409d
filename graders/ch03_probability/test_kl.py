"""Hidden checks for `kl_divergence(p, q)`: exact, in nats."""

from functools import partial

import numpy as np

from mlmath.grading import accept_valid_input, expect_refusal, Feedback, as_array, assert_close, assert_inputs_unchanged, check



_accepts = partial(accept_valid_input, "a valid distribution failed it — entries ≥ 0 that sum to 1 within 1e-9, zeros allowed")


def _rejects(what, student, p, q):
    expect_refusal(what, student.kl_divergence, p, q)


def _kl(student, reference, p, q):
    got = _accepts(student.kl_divergence, p, q)
    expected = reference.kl_divergence(p, q)
    try:
        assert_close(got, expected)
    except Feedback:
        value = as_array(got)
        if value.shape == () and np.isfinite(value) and np.isfinite(expected) and expected > 0:
            if np.isclose(value * np.log(2.0), expected, rtol=1e-9, atol=0):
                raise Feedback("your KL uses log base 2 (bits); this exercise uses the natural log (nats), "
                               "like scipy.stats.entropy") from None
            if np.isclose(value * np.log(10.0), expected, rtol=1e-9, atol=0):
                raise Feedback("your KL uses log base 10; this exercise uses the natural log (nats)") from None
            swapped = reference.kl_divergence(q, p)
            if np.isfinite(swapped) and np.isclose(value, swapped, rtol=1e-9, atol=0):
                raise Feedback("you computed KL(q ‖ p): the divergence is not symmetric — it is "
                               "Σ pᵢ log(pᵢ / qᵢ), weighted by p") from None
        raise


@check(weight=2, message="kl_divergence(p, q) gives wrong values: it should match scipy.stats.entropy(p, "
                         "q) (natural log) and be 0 when p = q.",
       fix="Σ pᵢ log(pᵢ / qᵢ), with np.log.")
def test_matches_definition(student, reference, rng):
    for size in (2, 6, 20):
        _kl(student, reference, rng.dirichlet(np.ones(size)), rng.dirichlet(np.ones(size)))
    p = rng.dirichlet(np.ones(4))
    _kl(student, reference, p, p.copy())
    _kl(student, reference, [0.5, 0.5], [0.9, 0.1])


@check(weight=1, message="A term with pᵢ = 0 gives NaN; it should add exactly 0 (0 · log 0 = 0), whatever "
                         "qᵢ is — even qᵢ = 0.",
       fix="Skip those terms: sum only where p > 0.")
def test_zero_p_terms_add_nothing(student, reference, rng):
    p, q = rng.dirichlet(np.ones(6)), rng.dirichlet(np.ones(6))
    p[[0, 4]] = 0.0
    p /= p.sum()
    _kl(student, reference, p, q)
    q[4] = 0.0
    q /= q.sum()
    _kl(student, reference, p, q)                                   # p₄ = q₄ = 0
    _kl(student, reference, np.array([1.0, 0.0, 0.0]), np.array([0.2, 0.3, 0.5]))


@check(weight=2, message="Where qᵢ = 0 but pᵢ > 0, q rules out something p allows: KL(p ‖ q) must be inf "
                         "exactly, not a finite number.",
       fix="Return np.inf when any qᵢ = 0 < pᵢ; no smoothing — adding a small eps makes up a finite "
           "number.")
def test_q_zero_under_positive_p_is_inf(student, reference, rng):
    p, q = rng.dirichlet(np.ones(5)), rng.dirichlet(np.ones(5))
    q[2] = 0.0
    q /= q.sum()
    _kl(student, reference, p, q)
    _kl(student, reference, np.array([0.5, 0.5]), np.array([1.0, 0.0]))
    _kl(student, reference, np.array([0.0, 0.5, 0.5]), np.array([0.5, 0.5, 0.0]))
    _kl(student, reference, np.array([0.0, 0.5, 0.5]), np.array([0.0, 0.25, 0.75]))   # q = 0 only where p = 0: finite


@check(weight=1, message="A degenerate distribution goes wrong: p = q = [1] must give 0, and a one-hot q a "
                         "finite KL when p puts all its mass where q does.",
       fix="Only qᵢ = 0 < pᵢ makes KL inf; terms with pᵢ = 0 are skipped, whatever qᵢ.")
def test_degenerate_distributions(student, reference, rng):
    _kl(student, reference, np.array([1.0]), np.array([1.0]))
    _kl(student, reference, [1], [1])
    size = int(rng.integers(2, 7))
    one_hot, other = np.eye(size)[rng.permutation(size)[:2]]
    _kl(student, reference, one_hot, one_hot.copy())                  # 0
    q = rng.dirichlet(np.ones(size))
    q[(one_hot == 0) & (rng.random(size) < 0.5)] = 0.0
    _kl(student, reference, one_hot, q / q.sum())                    # −log qᵢ, finite
    _kl(student, reference, one_hot, other)                          # inf


@check(weight=1, message="A p or q that is not a distribution was accepted, or one summing to 1 only up to "
                         "rounding refused.",
       fix="Raise ValueError when an entry is < 0 or when |Σ − 1| > 1e-9, for p and for q.")
def test_rejects_non_distributions(student, reference, rng):
    good = np.array([0.2, 0.3, 0.5])
    _rejects("a p summing to more than 1", student, np.array([0.5, 0.3, 0.4]), good)
    _rejects("a q summing to less than 1", student, good, np.array([0.2, 0.2, 0.2]))
    _rejects("a q with a negative entry", student, good, np.array([1.2, -0.4, 0.2]))
    _rejects("a p with a negative entry", student, np.array([-0.1, 0.6, 0.5]), good)
    _kl(student, reference, np.array([0.3, 0.3, 0.3, 0.1]), np.full(4, 0.25))
    _kl(student, reference, np.full(7, 1 / 7), np.array([0.1, 0.1, 0.1, 0.1, 0.2, 0.2, 0.2]))
    p, q = rng.dirichlet(np.ones(5), size=2)
    off = rng.choice([-1.0, 1.0]) * rng.uniform(2e-9, 8e-9)
    _rejects("a q whose sum is off by just over 1e-9 (compare with exactly that tolerance, not np.isclose's "
             "default)", student, p, q * (1 + off))
    _rejects("a p whose sum is off by just over 1e-9", student, p * (1 - off), q)
    _kl(student, reference, p * (1 + off / 20), q)                  # within 1e-9: valid


@check(weight=1, message="p and q of different lengths were accepted — broadcasting silently pairs a "
                         "length-1 array with every outcome.",
       fix="Raise ValueError unless p.shape == q.shape (one probability per outcome).")
def test_rejects_unequal_lengths(student, reference):
    _kl(student, reference, np.array([0.2, 0.3, 0.5]), np.array([0.5, 0.25, 0.25]))
    _rejects("distributions of length 1 and 3", student, np.array([1.0]), np.array([0.2, 0.3, 0.5]))
    _rejects("distributions of length 2 and 3", student, np.array([0.5, 0.5]),
             np.array([0.2, 0.3, 0.5]))


@check(weight=1, message="kl_divergence modified p or q.",
       fix="Compute new arrays; no in-place operations on the caller's arrays.")
def test_leaves_inputs_unchanged(student, reference, rng):
    p, q = np.array([0.5, 0.0, 0.5, 0.0]), rng.dirichlet(np.ones(4))
    _kl(student, reference, p, q)
    _kl(student, reference, np.array([0.25, 0.25, 0.5, 0.0]), q.copy())
    assert_inputs_unchanged(student)
