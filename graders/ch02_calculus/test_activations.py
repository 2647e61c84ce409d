"""Hidden checks for `sigmoid`, `sigmoid_grad`, `tanh_grad` and `relu_grad`."""

import numpy as np

from mlmath.grading import Feedback, as_array, assert_close, assert_dtype, assert_inputs_unchanged, \
    assert_no_warnings, check

FUNCTIONS = ("sigmoid", "sigmoid_grad", "tanh_grad", "relu_grad")


def _moderate(rng, shape):
    """Values where every formula is well behaved (|x| up to about 20)."""
    return rng.normal(scale=4.0, size=shape)


def _same(student, reference, name, x):
    got = as_array(getattr(student, name)(x), what=f"{name}'s result")
    expected = getattr(reference, name)(x)
    if got.shape != np.shape(expected):
        raise Feedback(f"{name} returned shape {got.shape} for an input of shape {np.shape(x)}; "
                       f"it works elementwise and keeps the shape")
    assert_close(got, expected, what=f"{name}'s result")
    return got


@check(weight=2, message="Your sigmoid gives wrong values on ordinary inputs.",
       fix="sigmoid(x) = 1 / (1 + e^(−x)), elementwise.")
def test_sigmoid_values(student, reference, rng):
    for shape in [(7,), (3, 4), (1,)]:
        _same(student, reference, "sigmoid", _moderate(rng, shape))


@check(weight=2, message="Your sigmoid is not stable for |x| up to 1e4: it warns about overflow or leaves "
                         "[0, 1].",
       fix="Exponentiate only −|x| (e = e^(−|x|), then 1/(1 + e) or e/(1 + e)), and remember that np.where "
           "computes both of its branches for every entry.")
def test_sigmoid_is_stable(student, reference, rng):
    extremes = np.array([-1e4, -1000.0, -745.0, -710.0, -40.0, 0.0, 40.0, 710.0, 745.0, 1000.0, 1e4])
    for x in (extremes, rng.uniform(-1e4, 1e4, size=(3, 5))):
        got = _same(student, reference, "sigmoid", x)
        if np.any(got < 0) or np.any(got > 1):
            raise Feedback("some values lie outside [0, 1]")
    assert_no_warnings(student)


@check(weight=2, message="sigmoid_grad gives wrong values: it looks like the derivative written in terms "
                         "of the sigmoid's OUTPUT applied to the input x.",
       fix="sigmoid_grad(x) = σ(x)(1 − σ(x)): evaluate σ at x first (x(1 − x) is only right when x is "
           "already σ's output).")
def test_sigmoid_grad(student, reference, rng):
    for shape in [(8,), (2, 5)]:
        _same(student, reference, "sigmoid_grad", _moderate(rng, shape))


@check(weight=2, message="tanh_grad gives wrong values (a missing square, or tanh not applied to x first).",
       fix="tanh_grad(x) = 1 − tanh(x)², with tanh evaluated at x first (not 1 − x²).")
def test_tanh_grad(student, reference, rng):
    for shape in [(8,), (2, 5)]:
        _same(student, reference, "tanh_grad", _moderate(rng, shape))


@check(weight=2, message="relu_grad gives wrong values away from 0.",
       fix="1 where x > 0 and 0 where x < 0, e.g. (x > 0).astype(float).")
def test_relu_grad(student, reference, rng):
    for shape in [(9,), (3, 4)]:
        x = _moderate(rng, shape)
        x[x == 0] = 1.0
        _same(student, reference, "relu_grad", x)


@check(weight=1, message="relu_grad at exactly 0 is not 0 (the convention of PyTorch and of this course).",
       fix="Use x > 0, not x >= 0.")
def test_relu_grad_is_zero_at_zero(student, reference, rng):
    x = rng.integers(-2, 3, size=12).astype(np.float64)
    x[[0, 5]] = 0.0
    x[7] = -0.0
    _same(student, reference, "relu_grad", x)
    _same(student, reference, "relu_grad", 0.0)


@check(weight=1, message="The functions do not work elementwise on any shape and on plain numbers: a 3-d "
                         "array must keep its shape, a scalar give a scalar (or a 0-d array).",
       fix="Use NumPy elementwise operations on np.asarray(x, dtype=float); no loops over a fixed number "
           "of dimensions, no reshaping.")
def test_scalars_and_any_shape(student, reference, rng):
    for x in (float(rng.normal(scale=3.0)), np.float64(-1.5), 2, _moderate(rng, (2, 3, 2))):
        for name in FUNCTIONS:
            _same(student, reference, name, x)


@check(weight=1, message="Results are not float64 for integer input (relu_grad must return 1.0 and 0.0, "
                         "not booleans or integers).",
       fix="Convert with np.asarray(x, dtype=float) first, and cast a boolean mask with .astype(float).")
def test_float64_results(student, reference, rng):
    x = rng.integers(-6, 7, size=10)
    for name in FUNCTIONS:
        assert_dtype(_same(student, reference, name, x), np.float64, what=f"{name}'s result")


@check(weight=1, message="An activation function modified its input.",
       fix="Compute into new arrays; no in-place operations (x *= …, x[x < 0] = 0) on the caller's array.")
def test_leaves_input_unchanged(student, reference, rng):
    x = _moderate(rng, (3, 4))
    for name in FUNCTIONS:
        _same(student, reference, name, x)
    assert_inputs_unchanged(student)
