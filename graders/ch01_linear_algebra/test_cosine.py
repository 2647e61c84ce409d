"""Hidden checks for `cosine_similarity(a, b)`."""

import numpy as np

from mlmath.grading import Feedback, as_array, assert_close, assert_inputs_unchanged, assert_no_warnings, check, expect_error


def _cos(student, a, b):
    got = as_array(student.cosine_similarity(a, b))
    if got.shape != ():
        raise Feedback(f"the result has shape {got.shape}; the cosine similarity is a single number")
    return got


def _assert_cos(student, reference, a, b):
    assert_close(_cos(student, a, b), reference.cosine_similarity(a, b))


@check(weight=2, message="Your cosine_similarity gives wrong values on ordinary vectors: it should be the "
                         "cosine of the angle between them, a single number in [-1, 1] (not the angle "
                         "itself).",
       fix="cos = a·b / (‖a‖₂ ‖b‖₂): the dot product divided by the product of the two Euclidean lengths.")
def test_matches_definition(student, reference, rng):
    for size in (2, 3, 8, 20):
        _assert_cos(student, reference, rng.normal(size=size), rng.normal(size=size))
    a = rng.normal(size=5)
    _assert_cos(student, reference, a, -0.5 * a + 0.1 * rng.normal(size=5))     # nearly opposite
    _assert_cos(student, reference, rng.integers(-5, 6, size=4).tolist(), [1, 2, 3, 4])


@check(weight=1, message="Your cosine comes out just above 1 (or just below -1) for parallel or opposite "
                         "vectors: rounding pushes it out of range, where arccos gives NaN.",
       fix="Clip the result to [-1, 1].")
def test_stays_within_minus_one_and_one(student, reference, rng):
    for _ in range(15):
        a = rng.normal(size=int(rng.integers(2, 30)))
        for b in (a, 3.0 * a, -a):
            got = _cos(student, a, b)
            if not -1.0 <= float(got) <= 1.0:
                raise Feedback()
            assert_close(got, reference.cosine_similarity(a, b))


@check(weight=1, message="Your cosine overflows for entries near 1e200: the dot product and the squared "
                         "norms become inf.",
       fix="Use a stable norm, or first divide each vector by its own largest magnitude (the cosine does "
           "not change).")
def test_stable_for_huge_entries(student, reference, rng):
    _assert_cos(student, reference, [1e200, 1e200], [1e200, 0.0])
    for _ in range(3):
        a, b = rng.normal(size=6) * 1e200, rng.normal(size=6) * 3e199
        _assert_cos(student, reference, a, b)
    a = rng.normal(size=4) * 1e200
    _assert_cos(student, reference, a, a)
    assert_no_warnings(student)


@check(weight=1, message="Vectors that are not both 1-D and of the same length were accepted: they must "
                         "raise ValueError.",
       fix="Check a.ndim == b.ndim == 1 and a.shape == b.shape first; don't let broadcasting or flattening "
           "compute something for mismatched shapes.")
def test_rejects_mismatched_shapes(student, reference, rng):
    for a, b in ((rng.normal(size=3), rng.normal(size=4)), (rng.normal(size=1), rng.normal(size=5)),
                 (rng.normal(size=(2, 2)), rng.normal(size=(2, 2))), (rng.normal(size=(1, 3)), rng.normal(size=3))):
        expect_error("ValueError", student.cosine_similarity, a, b)
    _assert_cos(student, reference, rng.normal(size=3), rng.normal(size=3))


@check(weight=1, message="A zero vector was accepted: it has no direction, so its cosine similarity is "
                         "undefined.",
       fix="Raise ValueError when either norm is 0 (don't return NaN or 0).")
def test_rejects_zero_vector(student, reference, rng):
    v = rng.normal(size=4)
    for a, b in ((np.zeros(4), v), (v, np.zeros(4)), (np.zeros(3), np.zeros(3)), ([0, 0], [1, 2])):
        expect_error("ValueError", student.cosine_similarity, a, b)
    _assert_cos(student, reference, v, rng.normal(size=4))


@check(weight=1, message="cosine_similarity modified its inputs: the caller's arrays changed.",
       fix="Normalise copies (a / s), not the caller's arrays (a /= s writes into them).")
def test_leaves_input_unchanged(student, reference, rng):
    _assert_cos(student, reference, rng.normal(scale=10.0, size=5), rng.normal(size=5))
    _assert_cos(student, reference, rng.normal(size=7), rng.normal(size=7))
    assert_inputs_unchanged(student)
