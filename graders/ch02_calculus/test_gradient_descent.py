"""Hidden checks for `gradient_descent(grad_f, x0, lr=0.1, steps=100)` -> (x, history)."""


import numpy as np

from mlmath.grading import same_function, Feedback, as_array, assert_close, assert_inputs_unchanged, check

QUADRATIC_2D = "lambda x: np.array([[3.0, 1.0], [1.0, 2.0]]) @ x - np.array([1.0, -2.0])"
DIAGONAL = "lambda x: 0.3 * np.arange(1.0, x.size + 1).reshape(np.shape(x)) * x"   # any shape
NONLINEAR = "lambda x: np.sin(x) + 0.2 * x"                                         # any shape



def _run(student, reference, source, x0, **kwargs):
    """The learner's (x, history) as arrays, and the reference's."""
    learner_grad, reference_grad = same_function(source)
    result = student.gradient_descent(learner_grad, x0, **kwargs)
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        raise Feedback("gradient_descent must return a pair (x, history)")
    x, history = as_array(result[0], what="x"), as_array(result[1], what="history")
    expected_x, expected_history = reference.gradient_descent(reference_grad, x0, **kwargs)
    return x, history, expected_x, expected_history


def _final_point(student, reference, source, x0, **kwargs):
    x, _, expected_x, _ = _run(student, reference, source, x0, **kwargs)
    assert_close(x, expected_x, what="the final x")


def _history(student, reference, source, x0, **kwargs):
    x, history, expected_x, expected_history = _run(student, reference, source, x0, **kwargs)
    if history.shape != expected_history.shape:
        raise Feedback(f"history has shape {history.shape}; with steps = {len(expected_history) - 1} and "
                       f"x0 of shape {np.shape(x0)} it must be {expected_history.shape}")
    if len(history) > 2 and np.array_equal(history[0], history[-1]) and not np.array_equal(
            expected_history[0], expected_history[-1]):
        raise Feedback("every row of history is the same array: append a copy of x (or build a new x) each step")
    assert_close(history, expected_history, what="history")
    assert_close(x, expected_x, what="the final x")


@check(weight=2, message="The final point x is wrong after `steps` steps from x0.",
       fix="Repeat x ← x − lr·grad_f(x) exactly `steps` times and return the final x.")
def test_final_point(student, reference, rng):
    _final_point(student, reference, QUADRATIC_2D, rng.normal(size=2) * 3, lr=0.1, steps=25)
    _final_point(student, reference, DIAGONAL, rng.normal(size=4), lr=0.2, steps=30)
    _final_point(student, reference, NONLINEAR, rng.normal(size=3) * 2, lr=0.3, steps=17)


@check(weight=2, message="history is wrong: it must have shape (steps + 1, *x0.shape), row 0 being x0 "
                         "itself and row k the point after k steps.",
       fix="Append a copy of x at the start and after each step (appending x itself makes every row the "
           "last x).")
def test_history(student, reference, rng):
    _history(student, reference, QUADRATIC_2D, rng.normal(size=2) * 3, lr=0.1, steps=12)
    _history(student, reference, NONLINEAR, rng.normal(size=5), lr=0.5, steps=8)


@check(weight=1, message="With steps = 0 something moved: x must equal x0 and history hold the single row "
                         "x0.",
       fix="Record x0 in history before the loop, and let range(steps) run zero times.")
def test_zero_steps(student, reference, rng):
    _history(student, reference, QUADRATIC_2D, rng.normal(size=2), lr=0.1, steps=0)


@check(weight=1, message="x0 of some shape (a matrix, or a 0-d scalar) fails, or history has the wrong "
                         "shape.",
       fix="Keep x in x0's shape and stack the points: history has shape (steps + 1, *x0.shape).")
def test_any_shape(student, reference, rng):
    _history(student, reference, DIAGONAL, rng.normal(size=(2, 3)), lr=0.1, steps=6)
    _history(student, reference, NONLINEAR, np.array(rng.normal()), lr=0.4, steps=5)


@check(weight=1, message="An integer x0 fails or gives wrong steps.",
       fix="Convert it to float64 first (x -= lr * g on an integer array raises, or truncates the steps).")
def test_integer_x0(student, reference, rng):
    _history(student, reference, QUADRATIC_2D, rng.integers(-4, 5, size=2), lr=0.1, steps=10)
    _final_point(student, reference, DIAGONAL, [3, -2, 1], lr=0.2, steps=7)


@check(weight=1, message="The default arguments are wrong.",
       fix="The defaults are lr = 0.1 and steps = 100.")
def test_default_arguments(student, reference, rng):
    x, history, expected_x, expected_history = _run(student, reference, NONLINEAR, rng.normal(size=3))
    if history.shape != expected_history.shape:
        raise Feedback(f"with the default steps, history has shape {history.shape}")
    assert_close(x, expected_x, what="the final x")


@check(weight=1, message="gradient_descent modified x0.",
       fix="Start from a float copy (x = x0 followed by x -= ... writes into the caller's array).")
def test_leaves_input_unchanged(student, reference, rng):
    _history(student, reference, QUADRATIC_2D, rng.normal(size=2), lr=0.1, steps=5)
    assert_inputs_unchanged(student)
