"""Hidden checks for `softmax(x, axis=-1)`."""

import numpy as np
from hypothesis import given

from mlmath.grading import (Feedback, as_array, assert_close, assert_dtype, assert_inputs_unchanged,
                            assert_no_warnings, check)
from mlmath.grading.strategies import arrays_with_axis


@check(weight=2, message="softmax should be exp(x_i) / Σ_j exp(x_j) along the last axis by default.")
def test_matches_definition(student, reference, rng):
    for shape in [(5,), (3, 4), (2, 3, 4), (1,)]:
        x = rng.normal(scale=3.0, size=shape)
        assert_close(student.softmax(x), reference.softmax(x))


@check(weight=1, message="softmax must normalise along the `axis` it is given — axis=0, a middle axis "
                         "or a negative one — keeping every other dimension.")
@given(arrays_with_axis(min_dims=2))
def test_normalises_along_any_axis(student, reference, x_axis):
    x, axis = x_axis
    assert_close(student.softmax(x, axis=axis), reference.softmax(x, axis=axis))


@check(weight=2, message="Your softmax overflows for large inputs: shift each slice by its maximum before "
                         "exponentiating — softmax(x) = softmax(x − c) for any c, and e^(x − max) ≤ 1.")
def test_stable_for_large_inputs(student, reference, rng):
    for x in (rng.uniform(-1e4, 1e4, size=6), np.array([1e4, 1e4 - 1.0, -1e4]),
              rng.uniform(9000.0, 9500.0, size=(3, 4))):   # rows on one scale: see the next check
        assert_close(student.softmax(x), reference.softmax(x))
    assert_no_warnings(student)


@check(weight=2, message="Each slice must be shifted by its own maximum (np.max(..., axis=axis, "
                         "keepdims=True)), not by one maximum of the whole array: rows on very "
                         "different scales then all come out right.")
def test_each_slice_uses_its_own_maximum(student, reference, rng):
    offsets = np.array([[1000.0], [0.0], [-1000.0], [5000.0]])
    x = rng.normal(size=(4, 3)) + offsets
    assert_close(student.softmax(x), reference.softmax(x))
    assert_close(student.softmax(x.T, axis=0), reference.softmax(x.T, axis=0))
    assert_no_warnings(student)


@check(weight=1, message="An entry of -inf (a masked position) must get probability exactly 0, with "
                         "no NaN and no warning.")
def test_minus_infinity_gets_zero_probability(student, reference, rng):
    x = rng.normal(size=(3, 5))
    x[0, 1] = x[1, 0] = x[1, 4] = x[2, 2] = -np.inf
    got = as_array(student.softmax(x))
    assert_close(got, reference.softmax(x))
    if np.any(got[np.isneginf(x)] != 0):
        raise Feedback("masked entries must be exactly 0")
    assert_no_warnings(student)


@check(weight=1, message="Dtype rule: float32 input gives float32 output; any other input "
                         "(float64, integers, lists) gives float64.")
def test_dtype_rule(student, reference, rng):
    cases = [(rng.normal(size=(2, 3)).astype(np.float32), np.float32), (rng.normal(size=4), np.float64),
             (rng.integers(-5, 5, size=3), np.float64), (rng.normal(size=2).tolist(), np.float64)]
    for x, dtype in cases:
        got = student.softmax(x)
        assert_dtype(got, dtype)
        assert_close(got, reference.softmax(x))


@check(weight=1, message="softmax must not modify its input: shift a copy, not x itself "
                         "(x -= x.max() writes into the caller's array).")
def test_leaves_input_unchanged(student, reference, rng):
    for x in (rng.normal(size=(3, 4)), rng.normal(size=5).astype(np.float32)):
        assert_close(student.softmax(x), reference.softmax(x))
    assert_inputs_unchanged(student)
