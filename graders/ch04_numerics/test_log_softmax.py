"""Hidden checks for `logsumexp(x, axis=-1)` and `log_softmax(x, axis=-1)`."""

import numpy as np
from hypothesis import given

from mlmath.grading import (Feedback, as_array, assert_close, assert_dtype, assert_inputs_unchanged,
                            assert_no_warnings, check)
from mlmath.grading.strategies import arrays_with_axis


@check(weight=2, message="logsumexp should be log Σ exp(x) along `axis`, with that axis removed "
                         "from the shape.")
@given(arrays_with_axis())
def test_logsumexp_matches_definition(student, reference, x_axis):
    x, axis = x_axis
    assert_close(student.logsumexp(x, axis=axis), reference.logsumexp(x, axis=axis))


@check(weight=1, message="logsumexp removes `axis` from the shape: a 1-d input gives a single number, "
                         "an (m, n) input gives (m,) for axis=-1 and (n,) for axis=0.")
def test_logsumexp_shape(student, reference, rng):
    x = rng.normal(size=(3, 5))
    for args, shape in (((x[0],), ()), ((x,), (3,)), ((x, 0), (5,))):
        got = as_array(student.logsumexp(*args))
        if got.shape != shape:
            raise Feedback(f"got shape {got.shape} where {shape} was expected")
        assert_close(got, reference.logsumexp(*args))


@check(weight=1, message="Your logsumexp overflows: factor out the maximum, "
                         "logsumexp(x) = m + log Σ exp(x − m) with m = max(x).")
def test_logsumexp_stable(student, reference, rng):
    for x in (np.array([1e4, 1e4]), rng.uniform(-1e4, 1e4, size=7), rng.uniform(800, 1e4, size=(2, 3))):
        assert_close(student.logsumexp(x), reference.logsumexp(x))
    assert_no_warnings(student)


@check(weight=1, message="The logsumexp of only -inf entries is -inf, with no NaN and no warning: "
                         "don't subtract a maximum of -inf (−inf − (−inf) is NaN).")
def test_logsumexp_of_all_minus_infinity(student, reference):
    for x in (np.array([-np.inf, -np.inf]), np.array([[-np.inf, -np.inf, -np.inf], [0.0, 1.0, -np.inf]])):
        assert_close(student.logsumexp(x), reference.logsumexp(x))
    assert_no_warnings(student)


@check(weight=2, message="log_softmax should be x − logsumexp(x) along `axis` (same shape as x).")
@given(arrays_with_axis())
def test_log_softmax_matches_definition(student, reference, x_axis):
    x, axis = x_axis
    assert_close(student.log_softmax(x, axis=axis), reference.log_softmax(x, axis=axis))


@check(weight=2, message="log_softmax must not take the log of a softmax that rounded to 0 "
                         "(log_softmax([1000, 0]) is [0, −1000], not −inf): compute x − logsumexp(x), "
                         "each slice with its own maximum.")
def test_log_softmax_stable(student, reference, rng):
    for x in (np.array([1000.0, 0.0]), rng.uniform(-1e4, 1e4, size=6),
              rng.normal(size=(3, 4)) + np.array([[3000.0], [0.0], [-3000.0]])):
        assert_close(student.log_softmax(x), reference.log_softmax(x))
    assert_no_warnings(student)


@check(weight=1, message="Dtype rule for both functions: float32 input gives float32 output; any "
                         "other input gives float64.")
def test_dtype_rule(student, reference, rng):
    for x, dtype in ((rng.normal(size=(2, 3)).astype(np.float32), np.float32),
                     (rng.integers(-5, 5, size=4), np.float64), (rng.normal(size=3).tolist(), np.float64)):
        for name in ("logsumexp", "log_softmax"):
            got = getattr(student, name)(x)
            assert_dtype(got, dtype)
            assert_close(got, getattr(reference, name)(x))


@check(weight=1, message="logsumexp and log_softmax must not modify their input.")
def test_leaves_input_unchanged(student, reference, rng):
    x = rng.normal(size=(3, 4))
    assert_close(student.logsumexp(x), reference.logsumexp(x))
    assert_close(student.log_softmax(x), reference.log_softmax(x))
    assert_inputs_unchanged(student)
