"""Hidden checks for `bce_with_logits(logits, targets)`."""

import numpy as np

from mlmath.grading import Feedback, as_array, assert_close, assert_inputs_unchanged, assert_no_warnings, check


def _targets(rng, shape):
    return rng.integers(0, 2, size=shape).astype(np.float64)


@check(weight=2, message="Your bce_with_logits gives wrong values on ordinary inputs.",
       fix="The loss is the mean over all elements of −[y·log σ(z) + (1 − y)·log(1 − σ(z))].")
def test_matches_definition(student, reference, rng):
    for shape in [(8,), (4, 3), (1,)]:
        z, y = rng.normal(scale=3.0, size=shape), _targets(rng, shape)
        assert_close(student.bce_with_logits(z, y), reference.bce_with_logits(z, y))


@check(weight=1, message="Soft targets (labels anywhere in [0, 1], not only 0 and 1) give wrong losses: "
                         "the code branches on y == 1.",
       fix="Use the one formula for every y, weighting both terms by y and 1 − y.")
def test_soft_targets(student, reference, rng):
    z, y = rng.normal(scale=2.0, size=10), rng.uniform(0, 1, size=10)
    assert_close(student.bce_with_logits(z, y), reference.bce_with_logits(z, y))


@check(weight=2, message="Your loss overflows or loses precision for large logits: σ(z) rounds to 0 or 1 "
                         "and its log to −inf.",
       fix="Never form σ(z): use max(z, 0) − z·y + log(1 + e^(−|z|)), whose exponent is never positive "
           "(np.log1p helps).")
def test_stable_for_large_logits(student, reference, rng):
    cases = [([1000.0], [0.0]), ([-1000.0], [0.0]), ([-1000.0], [1.0]), ([50.0], [1.0])]
    cases.append((rng.uniform(-1e4, 1e4, size=9), _targets(rng, 9)))
    for z, y in cases:
        assert_close(student.bce_with_logits(z, y), reference.bce_with_logits(z, y))
    assert_no_warnings(student)


@check(weight=1, message="The loss is the sum over the elements, not their mean.",
       fix="Divide by the number of elements: .mean().")
def test_is_a_mean(student, reference, rng):
    z, y = rng.normal(size=(6, 5)), _targets(rng, (6, 5))
    assert_close(student.bce_with_logits(z, y), reference.bce_with_logits(z, y))


@check(weight=1, message="bce_with_logits returned the per-element losses instead of one number.",
       fix="Return their mean, a single number.")
def test_returns_a_single_number(student, reference, rng):
    z, y = rng.normal(size=5), _targets(rng, 5)
    got = as_array(student.bce_with_logits(z, y))
    if got.shape != ():
        raise Feedback(f"the result has shape {got.shape}")
    assert_close(got, reference.bce_with_logits(z, y))


@check(weight=1, message="bce_with_logits modified its inputs.",
       fix="Build new arrays (np.maximum(z, 0) - z * y ...) instead of updating z or y in place.")
def test_leaves_input_unchanged(student, reference, rng):
    z, y = rng.normal(scale=50.0, size=6), _targets(rng, 6)
    assert_close(student.bce_with_logits(z, y), reference.bce_with_logits(z, y))
    assert_inputs_unchanged(student)
