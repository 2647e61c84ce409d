"""Hidden checks for `softmax(x, axis=-1)`."""

import numpy as np

from mlmath.grading import (Feedback, as_array, assert_close, assert_dtype, assert_inputs_unchanged,
                            assert_no_warnings, check)
from mlmath.grading.inputs import arrays_with_every_axis


@check(weight=2, message="Your softmax gives wrong probabilities on ordinary inputs (along the last axis "
                         "by default).",
       fix="softmax(x)_i = exp(x_i) / Σ_j exp(x_j), the sum taken along `axis`.")
def test_matches_definition(student, reference, rng):
    for shape in [(5,), (3, 4), (2, 3, 4), (1,)]:
        x = rng.normal(scale=3.0, size=shape)
        assert_close(student.softmax(x), reference.softmax(x))


@check(weight=1, message="softmax does not normalise along the `axis` it is given — axis=0, a middle axis "
                         "or a negative one — or loses another dimension.",
       fix="Take the maximum and the sum with axis=axis, keepdims=True, so that they broadcast back over "
           "x.")
def test_normalises_along_any_axis(student, reference, rng):
    for x, axis in arrays_with_every_axis(rng, min_dims=2):
        assert_close(student.softmax(x, axis=axis), reference.softmax(x, axis=axis))


@check(weight=2, message="Your softmax overflows for large inputs: e^x is inf in float64 beyond about 710.",
       fix="Shift each slice by its maximum before exponentiating — softmax(x) = softmax(x − c) for any c, "
           "and e^(x − max) ≤ 1.")
def test_stable_for_large_inputs(student, reference, rng):
    for x in (rng.uniform(-1e4, 1e4, size=6), np.array([1e4, 1e4 - 1.0, -1e4]),
              rng.uniform(9000.0, 9500.0, size=(3, 4))):   # rows on one scale: see the next check
        assert_close(student.softmax(x), reference.softmax(x))
    assert_no_warnings(student)


@check(weight=2, message="Rows on very different scales come out wrong: one maximum of the whole array was "
                         "subtracted from every slice.",
       fix="Shift each slice by its own maximum: np.max(x, axis=axis, keepdims=True).")
def test_each_slice_uses_its_own_maximum(student, reference, rng):
    offsets = np.array([[1000.0], [0.0], [-1000.0], [5000.0]])
    x = rng.normal(size=(4, 3)) + offsets
    assert_close(student.softmax(x), reference.softmax(x))
    assert_close(student.softmax(x.T, axis=0), reference.softmax(x.T, axis=0))
    assert_no_warnings(student)


@check(weight=1, message="An entry of -inf (a masked position) does not get probability exactly 0, or "
                         "gives NaN or a warning.",
       fix="e^(−inf − max) is exactly 0 as long as the slice's maximum is finite: shift by the maximum and "
           "exponentiate, with no special case.")
def test_minus_infinity_gets_zero_probability(student, reference, rng):
    x = rng.normal(size=(3, 5))
    x[0, 1] = x[1, 0] = x[1, 4] = x[2, 2] = -np.inf
    got = as_array(student.softmax(x))
    assert_close(got, reference.softmax(x))
    if np.any(got[np.isneginf(x)] != 0):
        raise Feedback("masked entries must be exactly 0")
    assert_no_warnings(student)


@check(weight=1, message="Wrong dtype: float32 input must give float32 output; any other input (float64, "
                         "integers, lists) float64.",
       fix="Convert with np.asarray(x), then to float64 unless x.dtype is float32.")
def test_dtype_rule(student, reference, rng):
    cases = [(rng.normal(size=(2, 3)).astype(np.float32), np.float32), (rng.normal(size=4), np.float64),
             (rng.integers(-5, 5, size=3), np.float64), (rng.normal(size=2).tolist(), np.float64)]
    for x, dtype in cases:
        got = student.softmax(x)
        assert_dtype(got, dtype)
        assert_close(got, reference.softmax(x))


@check(weight=1, message="float32 results are not as accurate as float32 allows (within 1e-5 of the exact "
                         "value) for entries near ±1e4: there float32 keeps only about 3 decimals of "
                         "log Σ exp(x), so softmax computed as exp(x − log Σ exp(x)) is off by 0.1 %.",
       fix="Subtract each slice's maximum (an exact float32 subtraction) and divide by the sum, or compute "
           "in float64 and cast.")
def test_float32_accurate_for_large_inputs(student, reference, rng):
    for sign in (1.0, -1.0):
        x = (sign * rng.uniform(9000.0, 1e4, size=(4, 1)) - rng.uniform(0.0, 8.0, size=(4, 6))).astype(np.float32)
        got = student.softmax(x)
        assert_dtype(got, np.float32)
        assert_close(got, reference.softmax(x.astype(np.float64)))


@check(weight=1, message="softmax modified its input: x -= x.max() writes into the caller's array.",
       fix="Shift a copy (x - x.max(...)), not x itself.")
def test_leaves_input_unchanged(student, reference, rng):
    for x in (rng.normal(size=(3, 4)), rng.normal(size=5).astype(np.float32)):
        assert_close(student.softmax(x), reference.softmax(x))
    assert_inputs_unchanged(student)
