"""Hidden checks for `numerical_gradient(f, x, h=1e-5)`: central differences, for x of any shape."""


import numpy as np

from mlmath.grading import same_function, Feedback, as_array, assert_close, assert_dtype, assert_inputs_unchanged, check

# smooth, non-quadratic functions of a vector: a one-sided difference is visibly off for them
SMOOTH = ["lambda x: np.sum(np.sin(x) * x ** 2)",
          "lambda x: np.log(np.sum(np.exp(x)))",
          "lambda x: np.sum(x ** 3) / 3 + np.prod(np.cos(x))"]
# linear with irrational coefficients: every correct difference gets it right, whatever the shape
LINEAR = "lambda x: np.sum(np.sqrt(np.arange(2.0, x.size + 2)).reshape(np.shape(x)) * x)"



def _gradient_close(student, reference, source, x, *args, **kwargs):
    learner_f, reference_f = same_function(source)
    got = as_array(student.numerical_gradient(learner_f, x, *args, **kwargs))
    expected = reference.numerical_gradient(reference_f, x, *args, **kwargs)
    if got.shape != expected.shape:
        raise Feedback(f"for x of shape {np.shape(x)} the gradient has shape {got.shape}; "
                       f"it must have the shape of x")
    assert_close(got, expected)
    return got


@check(weight=3, message="numerical_gradient is not accurate enough: a one-sided difference has an error "
                         "proportional to h, far above the tolerance.",
       fix="Central differences for every entry: (f(x + h·e_i) − f(x − h·e_i)) / (2h).")
def test_central_differences(student, reference, rng):
    for source in SMOOTH:
        _gradient_close(student, reference, source, rng.normal(size=int(rng.integers(2, 7))))


@check(weight=1, message="Your gradient is off by a factor of 2: the points x + h·e_i and x − h·e_i are 2h "
                         "apart.",
       fix="Divide their difference by 2h, not by h.")
def test_divides_by_2h(student, reference, rng):
    _gradient_close(student, reference, LINEAR, rng.normal(size=5))


@check(weight=2, message="x of some shape — a 0-d scalar, a matrix, a 3-d array — fails or gives a "
                         "gradient of another shape.",
       fix="Step every entry (np.ndindex(x.shape) yields every index, () for a 0-d array), call f with an "
           "array of x's shape, and return a gradient of x's shape.")
def test_any_shape(student, reference, rng):
    # linear functions (exact for any correct difference) that need x to keep its shape
    cases = [("lambda x: 2.5 * x - 1.0", np.array(rng.normal())),
             ("lambda x: -1.5 * x", float(rng.normal())),
             ("lambda x: np.sum(x @ np.sqrt(np.arange(2.0, x.shape[1] + 2)))", rng.normal(size=(3, 4))),
             ("lambda x: np.sum(x[0] - 2 * x[-1]) + np.sum(np.arange(x.size).reshape(x.shape) * x)",
              rng.normal(size=(2, 3, 2))),
             (LINEAR, rng.normal(size=(1, 1)))]
    for source, x in cases:
        _gradient_close(student, reference, source, x)


@check(weight=1, message="Integer x does not get the full step h.",
       fix="Convert x to float64 before stepping — 1 + 1e-5 stored in an integer array is truncated back "
           "to 1.")
def test_integer_input(student, reference, rng):
    for x in (rng.integers(-5, 6, size=4), rng.integers(-3, 4, size=(2, 3)), [3, -1, 2]):
        _gradient_close(student, reference, LINEAR, x)


@check(weight=1, message="The result is not float64 for every dtype of x (integers and float32 included): "
                         "stepping in float32 loses most of the digits of a 1e-5 step.",
       fix="Convert x to float64 (np.array(x, dtype=np.float64)) and compute in it.")
def test_returns_float64(student, reference, rng):
    cases = [(LINEAR, rng.normal(size=4).astype(np.float32)), (LINEAR, rng.integers(-4, 5, size=3)),
             (LINEAR, rng.normal(size=(2, 2)))]
    for source, x in cases:
        got = _gradient_close(student, reference, source, x)
        assert_dtype(got, np.float64)


@check(weight=1, message="The step h you are given is ignored (the default is only a default): "
                         "numerical_gradient(f, x, h=1e-2) must step by 1e-2.",
       fix="Use h in the central differences, not a hard-coded step.")
def test_uses_the_given_step(student, reference, rng):
    x = rng.normal(size=3)
    _gradient_close(student, reference, "lambda x: np.sum(np.exp(x))", x, h=1e-2)
    _gradient_close(student, reference, "lambda x: np.sum(np.sin(3 * x))", x, 1e-3)


@check(weight=1, message="numerical_gradient modified x.",
       fix="Step a copy of your own (adding and subtracting h does not always restore the same float).")
def test_leaves_input_unchanged(student, reference, rng):
    for x in (rng.normal(size=5), rng.normal(size=(2, 3))):
        _gradient_close(student, reference, LINEAR, x)
    assert_inputs_unchanged(student)
