"""Hidden checks for `entropy(p, base=2)`."""

from functools import partial

import numpy as np

from mlmath.grading import accept_valid_input, expect_refusal, Feedback, as_array, assert_close, assert_inputs_unchanged, check

_BASES = (("base 2 (bits)", 2.0), ("base e (nats)", np.e), ("base 10", 10.0))



_accepts = partial(accept_valid_input, "a valid distribution (or base) failed it — a distribution needs entries ≥ 0 that sum to 1 within 1e-9")


def _rejects(what, *args):
    def call(student):
        expect_refusal(what, student.entropy, *args)
    return call


def _entropy(student, reference, p, base=None):
    args = (p,) if base is None else (p, base)
    got = _accepts(student.entropy, *args)
    expected = reference.entropy(*args)
    try:
        assert_close(got, expected)
    except Feedback:
        value = as_array(got)
        nats = reference.entropy(p, np.e)
        wanted = 2.0 if base is None else base
        if value.shape == () and np.isfinite(value) and nats > 0:
            for name, b in _BASES:
                if not np.isclose(b, wanted) and np.isclose(value, nats / np.log(b), rtol=1e-9, atol=0):
                    raise Feedback(f"your value is the entropy in {name}, not in the base you were given: "
                                   "divide the natural-log entropy by log(base)") from None
            if np.isclose(value, -expected, rtol=1e-9, atol=0):
                raise Feedback("your value has the wrong sign: H = −Σ p log p is ≥ 0 (for base > 1)") from None
        raise


@check(weight=2, message="entropy(p) gives wrong values: by default it is measured in bits.",
       fix="−Σ pᵢ log₂ pᵢ (np.log2).")
def test_bits_by_default(student, reference, rng):
    for size in (2, 5, 16):
        _entropy(student, reference, rng.dirichlet(np.ones(size)))
    _entropy(student, reference, [0.25, 0.25, 0.5])


@check(weight=1, message="entropy(p, base) ignores or misuses the base (base=np.e gives nats, base=10 "
                         "'bans').",
       fix="−Σ pᵢ log pᵢ / log(base).")
def test_other_bases(student, reference, rng):
    for base in (np.e, 10, 3):
        _entropy(student, reference, rng.dirichlet(np.ones(6)), base)


@check(weight=1, message="An outcome with probability 0 gives NaN; it should add nothing (0 · log 0 = 0 by "
                         "convention, the limit of p log p as p → 0).",
       fix="Sum only over the positive entries: p[p > 0].")
def test_zero_probabilities_add_nothing(student, reference, rng):
    p = rng.dirichlet(np.ones(5))
    p[[1, 3]] = 0.0
    p /= p.sum()
    for q in (p, np.array([0.5, 0.0, 0.5]), np.array([1.0, 0.0, 0.0])):
        _entropy(student, reference, q)


@check(weight=1, message="A p that is not a distribution was accepted, or one summing to 1 only up to "
                         "rounding was refused.",
       fix="Raise ValueError when an entry is < 0 or when |Σ p − 1| > 1e-9.")
def test_rejects_non_distribution(student, reference):
    cases = [_rejects("a p with a negative entry", np.array([1.5, -0.5])),
             _rejects("a p summing to more than 1", np.array([0.5, 0.6])),
             _rejects("a p summing to less than 1", np.array([0.3, 0.3, 0.3])),
             _rejects("a p whose sum is off by 1e-6 (the tolerance is 1e-9)",
                      np.array([0.5, 0.500001]))]
    for case in cases:
        case(student)
    for p in (np.array([0.3, 0.3, 0.3, 0.1]), np.full(7, 1 / 7)):
        _entropy(student, reference, p)


@check(weight=1, message="An invalid base was accepted (base ≤ 0 or base = 1), or a base between 0 and 1 "
                         "(unusual but valid) refused.",
       fix="Raise ValueError when base ≤ 0 or base == 1: log(base) must be defined and non-zero.")
def test_rejects_invalid_base(student, reference):
    p = np.array([0.2, 0.3, 0.5])
    for what, base in (("base = 0", 0), ("a negative base", -2.0), ("base = 1", 1)):
        _rejects(f"{what}", p, base)(student)
    _entropy(student, reference, p, 0.5)


@check(weight=1, message="entropy modified p (overwriting its zeros to dodge log 0 counts).",
       fix="Work on a copy, or select the positive entries: p[p > 0].")
def test_leaves_input_unchanged(student, reference):
    _entropy(student, reference, np.array([0.5, 0.0, 0.25, 0.25, 0.0]))
    assert_inputs_unchanged(student)
