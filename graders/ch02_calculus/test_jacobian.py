"""Hidden checks for `numerical_jacobian(f, x, h=1e-5)`: the (m, n) Jacobian by central differences."""


import numpy as np

from mlmath.grading import (same_function, Feedback, as_array, assert_close, assert_dtype, assert_inputs_unchanged,
                            check, expect_refusal)

# smooth maps with their exact Jacobians; curved enough that a one-sided difference misses the tolerance
MAPS = [
    # R^3 -> R^2
    ("lambda x: np.array([np.sin(3 * x[0]) + x[1] * x[2], np.exp(x[0]) - x[1] * x[2] ** 2 + 2 * x[1] ** 2])",
     lambda x: np.array([[3 * np.cos(3 * x[0]), x[2], x[1]],
                         [np.exp(x[0]), -x[2] ** 2 + 4 * x[1], -2 * x[1] * x[2]]])),
    # R^2 -> R^4
    ("lambda x: np.array([x[0] ** 2, x[0] * x[1], np.tanh(x[1]), 1.5 * x[1] ** 2 - x[0]])",
     lambda x: np.array([[2 * x[0], 0.0], [x[1], x[0]], [0.0, 1 - np.tanh(x[1]) ** 2], [-1.0, 3 * x[1]]])),
    # softmax of a curved input, R^4 -> R^4
    ("lambda x: np.exp(x ** 2 - np.max(x ** 2)) / np.sum(np.exp(x ** 2 - np.max(x ** 2)))",
     lambda x: (lambda s: (np.diag(s) - np.outer(s, s)) * (2 * x))(np.exp(x ** 2) / np.sum(np.exp(x ** 2)))),
]
# returns NaN unless it is called with a 1-D float64 NumPy array
FLOAT64_ONLY = ("lambda x: np.array([x[0] * x[1], 2 * x[0] - x[1] ** 2]) if isinstance(x, np.ndarray) "
                "and x.dtype == np.float64 and x.ndim == 1 else np.array([np.nan, np.nan])")
QUADRATIC_MAP = "lambda x: np.array([x[0] * x[1], 2 * x[0] - x[1] ** 2, x[1] ** 2 + 0.5 * x[0]])"


def _jacobian(student, source, x, *args, **kwargs):
    learner_f, _ = same_function(source)
    J = as_array(student.numerical_jacobian(learner_f, x, *args, **kwargs), what="the Jacobian")
    if J.ndim != 2:
        raise Feedback(f"the Jacobian has {J.ndim} dimension(s); it must be a 2-D (m, n) matrix")
    return J


def _close_to_exact(student, source, exact, x, m):
    J = _jacobian(student, source, x)
    n = np.size(x)
    if J.shape == (n, m) and m != n:
        raise Feedback(f"the Jacobian has shape {J.shape}, the transpose of (m, n) = {(m, n)}: "
                       f"row i is output i, column j is input j")
    expected = exact(np.asarray(x, dtype=np.float64))
    if J.shape != expected.shape:
        raise Feedback(f"for {m} outputs and {n} inputs the Jacobian has shape {J.shape}; it must be {(m, n)}")
    scale = max(1.0, float(np.max(np.abs(expected))))
    if not np.max(np.abs(J - expected)) <= 1e-6 * scale:
        raise Feedback()
    return J


@check(weight=3, message="The Jacobian entries are not accurate enough (a one-sided difference is off by "
                         "about h·f''/2, far above the tolerance).",
       fix="J[i, j] = ∂f_i/∂x_j: column j is (f(x + h·e_j) − f(x − h·e_j)) / (2h), central differences.")
def test_central_differences(student, reference, rng):
    for (source, exact), n, m in zip(MAPS, (3, 2, 4), (2, 4, 4)):
        _close_to_exact(student, source, exact, rng.uniform(-1, 1, size=n), m)


@check(weight=2, message="The Jacobian has the wrong shape: for n inputs and m outputs it is (m, n), one "
                         "row per output (stacking the columns as rows gives the transpose).",
       fix="Fill column j with the difference for input j (J[:, j] = …), or transpose the stacked rows.")
def test_shape_is_outputs_by_inputs(student, reference, rng):
    A = rng.normal(size=(int(rng.integers(2, 4)), int(rng.integers(4, 6))))
    source = f"lambda x: np.array({A.tolist()!r}) @ x"
    J = _jacobian(student, source, rng.normal(size=A.shape[1]))
    if J.shape != A.shape:
        raise Feedback(f"for a map from {A.shape[1]} inputs to {A.shape[0]} outputs the Jacobian has shape "
                       f"{J.shape}; it must be {A.shape}")
    assert_close(J, A, rtol=1e-6, atol=1e-8, what="the Jacobian of x ↦ A x (which is A)")


@check(weight=1, message="A scalar-valued f fails: it counts as one output (m = 1).",
       fix="Turn each f value into a 1-D array (np.atleast_1d), so the Jacobian is the gradient as a (1, "
           "n) row.")
def test_scalar_output(student, reference, rng):
    x = rng.uniform(-1, 1, size=3)
    for source in ("lambda x: float(np.sum(x ** 2) + x[0] * x[2])", "lambda x: np.sum(np.sin(x))"):
        got = _jacobian(student, source, x)
        expected = reference.numerical_jacobian(same_function(source)[1], x)
        if got.shape != expected.shape:
            raise Feedback(f"for a scalar f of {x.size} inputs the Jacobian has shape {got.shape}; "
                           f"it must be {expected.shape}")
        assert_close(got, expected, what="the Jacobian of a scalar f")


@check(weight=1, message="Integer x does not get the full step h.",
       fix="Convert x to float64 before stepping (1 + 1e-5 stored in an integer array is truncated back to "
           "1).")
def test_integer_x(student, reference, rng):
    x = rng.integers(-3, 4, size=2)
    J = _jacobian(student, QUADRATIC_MAP, x)
    expected = reference.numerical_jacobian(same_function(QUADRATIC_MAP)[1], x)
    assert_close(J, expected, what="the Jacobian at an integer x")
    assert_dtype(J, np.float64, what="the Jacobian")


@check(weight=1, message="f did not always receive a 1-D float64 NumPy array (x may be a list, integers or "
                         "float32).",
       fix="Convert x to float64 once, and step copies of that array.")
def test_f_receives_float64_arrays(student, reference, rng):
    point = rng.uniform(-2, 2, size=2)
    for x in (point.tolist(), point.astype(np.float32), rng.integers(-3, 4, size=2), point):
        J = _jacobian(student, FLOAT64_ONLY, x)
        expected = reference.numerical_jacobian(same_function(FLOAT64_ONLY)[1], x)
        assert_close(J, expected, what="the Jacobian")
        assert_dtype(J, np.float64, what="the Jacobian")


@check(weight=1, message="The step h you are given is ignored (the default is only a default): "
                         "numerical_jacobian(f, x, h=1e-2) must step by 1e-2.",
       fix="Use h in the central differences, not a hard-coded step.")
def test_uses_the_given_step(student, reference, rng):
    x = rng.uniform(-1, 1, size=3)
    source = MAPS[0][0]
    for args, kwargs in (((), {"h": 1e-2}), ((1e-3,), {})):
        got = _jacobian(student, source, x, *args, **kwargs)
        assert_close(got, reference.numerical_jacobian(same_function(source)[1], x, *args, **kwargs),
                     what="the Jacobian")


@check(weight=1, message="An x that is not 1-D (a matrix or a single number) was accepted, or refused "
                         "without saying why.",
       fix="Raise ValueError when x.ndim != 1, with a message saying x must be 1-D.")
def test_rejects_x_that_is_not_1d(student, reference, rng):
    identity = "lambda x: x"
    expect_refusal("a 2-D x", student.numerical_jacobian, same_function(identity)[0], rng.normal(size=(2, 2)))
    expect_refusal("a 0-d x", student.numerical_jacobian, same_function(identity)[0], float(rng.normal()))


@check(weight=1, message="numerical_jacobian modified x.",
       fix="Step a copy of your own (adding and subtracting h does not always restore the same float).")
def test_leaves_x_unchanged(student, reference, rng):
    for _ in range(2):
        _jacobian(student, QUADRATIC_MAP, rng.normal(size=2) * 3)
    _jacobian(student, MAPS[0][0], rng.normal(size=3))
    assert_inputs_unchanged(student)
