"""Hidden checks for `logsumexp(x, axis=-1)` and `log_softmax(x, axis=-1)`."""

import numpy as np

from mlmath.grading import (Feedback, as_array, assert_close, assert_dtype, assert_inputs_unchanged,
                            assert_no_warnings, check)
from mlmath.grading.inputs import arrays_with_every_axis


@check(weight=2, message="Your logsumexp gives wrong values on ordinary inputs.",
       fix="logsumexp(x) = log Σ exp(x) along `axis`, with that axis removed from the shape.")
def test_logsumexp_matches_definition(student, reference, rng):
    for x, axis in arrays_with_every_axis(rng):
        assert_close(student.logsumexp(x, axis=axis), reference.logsumexp(x, axis=axis))


@check(weight=1, message="logsumexp returns the wrong shape: `axis` must be removed (a 1-d input gives a "
                         "single number, an (m, n) input (m,) for axis=-1 and (n,) for axis=0).",
       fix="Sum with axis=axis (no keepdims) in the final result, or squeeze that axis.")
def test_logsumexp_shape(student, reference, rng):
    x = rng.normal(size=(3, 5))
    for args, shape in (((x[0],), ()), ((x,), (3,)), ((x, 0), (5,))):
        got = as_array(student.logsumexp(*args))
        if got.shape != shape:
            raise Feedback(f"got shape {got.shape} where {shape} was expected")
        assert_close(got, reference.logsumexp(*args))


def _slices_far_apart(rng):
    """(x, axis): a 3-d array whose slices along `axis` lie thousands apart from each other."""
    axis = int(rng.integers(-3, 3))
    x = rng.normal(size=(3, 4, 2))
    offsets = rng.permutation([-4000.0, 0.0, 2500.0, 6000.0, -1500.0, 9000.0]) + rng.uniform(-100.0, 100.0, size=6)
    return np.moveaxis(x + offsets.reshape(3, 1, 2), axis, -1), axis


@check(weight=1, message="Your logsumexp overflows or underflows — also when one maximum of the whole "
                         "array sends slices thousands below it to −inf.",
       fix="Factor out each slice's own maximum: logsumexp(x) = m + log Σ exp(x − m) with m = max(x, "
           "axis=axis, keepdims=True).")
def test_logsumexp_stable(student, reference, rng):
    for x in (np.array([1e4, 1e4]), rng.uniform(-1e4, 1e4, size=7), rng.uniform(800, 1e4, size=(2, 3))):
        assert_close(student.logsumexp(x), reference.logsumexp(x))
    for _ in range(2):
        x, axis = _slices_far_apart(rng)
        assert_close(student.logsumexp(x, axis=axis), reference.logsumexp(x, axis=axis))
    assert_no_warnings(student)


@check(weight=1, message="The logsumexp of only -inf entries must be -inf, with no NaN and no warning.",
       fix="Don't subtract a maximum of -inf (−inf − (−inf) is NaN): where the maximum is not finite, "
           "shift by 0 instead.")
def test_logsumexp_of_all_minus_infinity(student, reference):
    for x in (np.array([-np.inf, -np.inf]), np.array([[-np.inf, -np.inf, -np.inf], [0.0, 1.0, -np.inf]])):
        assert_close(student.logsumexp(x), reference.logsumexp(x))
    assert_no_warnings(student)


@check(weight=2, message="Your log_softmax gives wrong values on ordinary inputs (its shape is that of x).",
       fix="log_softmax(x) = x − logsumexp(x) along `axis`, with keepdims so that it broadcasts.")
def test_log_softmax_matches_definition(student, reference, rng):
    for x, axis in arrays_with_every_axis(rng):
        assert_close(student.log_softmax(x, axis=axis), reference.log_softmax(x, axis=axis))


@check(weight=2, message="Your log_softmax takes the log of a softmax that rounded to 0: "
                         "log_softmax([1000, 0]) is [0, −1000], not −inf.",
       fix="Compute x − logsumexp(x), each slice with its own maximum — never log(softmax(x)).")
def test_log_softmax_stable(student, reference, rng):
    for x in (np.array([1000.0, 0.0]), rng.uniform(-1e4, 1e4, size=6),
              rng.normal(size=(3, 4)) + np.array([[3000.0], [0.0], [-3000.0]])):
        assert_close(student.log_softmax(x), reference.log_softmax(x))
    x, axis = _slices_far_apart(rng)
    assert_close(student.log_softmax(x, axis=axis), reference.log_softmax(x, axis=axis))
    assert_no_warnings(student)


@check(weight=1, message="Wrong dtype: for both functions float32 input gives float32 output — also the "
                         "single number logsumexp returns for a 1-d float32 input (a Python float is "
                         "float64) — and any other input float64.",
       fix="Cast the result with .astype(np.float32) / np.float32(...) when the input is float32.")
def test_dtype_rule(student, reference, rng):
    for x, dtype in ((rng.normal(size=(2, 3)).astype(np.float32), np.float32),
                     (rng.normal(size=int(rng.integers(2, 6))).astype(np.float32), np.float32),
                     (rng.integers(-5, 5, size=4), np.float64), (rng.normal(size=3).tolist(), np.float64)):
        for name in ("logsumexp", "log_softmax"):
            got = getattr(student, name)(x)
            assert_dtype(got, dtype)
            assert_close(got, getattr(reference, name)(x))


@check(weight=1, message="float32 results are not as accurate as float32 allows (within 1e-5 of the exact "
                         "value): where one entry dominates its slice, its log-probability is a tiny "
                         "negative number (about −e^(−20)) that float32 arithmetic rounds to 0.",
       fix="Compute in float64 and cast the result to float32.")
def test_float32_log_softmax_keeps_tiny_log_probabilities(student, reference, rng):
    for shape in ((4,), (3, 5)):
        gaps = rng.uniform(17.5, 20.5, size=shape)              # e^(−gap): 1e-9 to 2.5e-8, under float32's ε
        gaps[..., int(rng.integers(0, shape[-1]))] = 0.0        # the dominant entry of each slice
        x = (rng.uniform(-50.0, 50.0, size=shape[:-1] + (1,)) - gaps).astype(np.float32)
        axis = int(rng.choice([-1, 0])) if x.ndim == 2 else -1
        x = np.moveaxis(x, -1, axis)
        got = student.log_softmax(x, axis=axis)
        assert_dtype(got, np.float32)
        assert_close(got, reference.log_softmax(x.astype(np.float64), axis=axis))


@check(weight=1, message="logsumexp or log_softmax modified its input.",
       fix="Work on x - m (a new array), never x -= m.")
def test_leaves_input_unchanged(student, reference, rng):
    x = rng.normal(size=(3, 4))
    assert_close(student.logsumexp(x), reference.logsumexp(x))
    assert_close(student.log_softmax(x), reference.log_softmax(x))
    assert_inputs_unchanged(student)
