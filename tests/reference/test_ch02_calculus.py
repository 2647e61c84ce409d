"""Are the reference solutions of ch02_calculus right? Checked against trusted implementations:
SciPy (scipy.differentiate's adaptive derivatives, scipy.special.expit, symmetric eigenvalues),
closed forms, and golden outputs of PyTorch (torch.optim.SGD / Adam trajectories and states,
autograd gradients of a two-layer ReLU network, torch.autograd.functional.jacobian, torch.optim.SGD on the
mini-batches of the shuffling protocol) written by tests/golden/make_torch_golden_ch02_calculus.py."""

import json
import warnings
from pathlib import Path

import numpy as np
import pytest
import scipy.differentiate
import scipy.linalg
import scipy.special
from hypothesis import given, settings, strategies as st
from hypothesis.extra import numpy as hnp

from mlmath.grading.grade import reference_solutions
from tests.support import course

ref = reference_solutions(course(), course().assignment("ch02_calculus"))
GOLDEN = json.loads(Path(__file__).parents[1].joinpath("golden", "torch_ch02_calculus.json").read_text())
TORCH_RTOL = 1e-9       # the catalog: Adam matches torch.optim.Adam to 1e-9 relative over 100 steps

# smooth functions written to work on a vector x or on scipy.differentiate's batches x[:, ...]
SMOOTH = [lambda x: np.sum(np.sin(x) * x ** 2, axis=0),
          lambda x: np.log(np.sum(np.exp(x), axis=0)),
          lambda x: np.exp(0.3 * x[0] - 0.5 * x[1] + 0.2 * x[2]) + x[0] * x[1] ** 2]


def _no_warnings(function, *args):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return function(*args)


# -- numerical_gradient and gradient_check ------------------------------------------------------
@pytest.mark.parametrize("f", SMOOTH)
@given(hnp.arrays(np.float64, 3, elements=st.floats(-2, 2)))
def test_numerical_gradient_equals_scipy_differentiate(f, x):
    exact = scipy.differentiate.jacobian(f, x).df
    np.testing.assert_allclose(ref.numerical_gradient(f, x), exact, rtol=1e-7, atol=1e-8)


def test_numerical_gradient_shapes_dtypes_and_input():
    M = np.arange(6.0).reshape(2, 3)
    g = ref.numerical_gradient(lambda A: np.sum(A ** 2) + A[0, 1] * A[1, 2], M)
    np.testing.assert_allclose(g, 2 * M + np.array([[0, M[1, 2], 0], [0, 0, M[0, 1]]]), atol=1e-8)
    np.testing.assert_array_equal(M, np.arange(6.0).reshape(2, 3))
    scalar = ref.numerical_gradient(lambda t: t ** 3, 2)
    assert np.shape(scalar) == () and scalar.dtype == np.float64 and scalar == pytest.approx(12.0, rel=1e-9)
    ints = ref.numerical_gradient(lambda v: np.sum(v ** 2), np.array([1, 2, 3]))
    assert ints.dtype == np.float64
    np.testing.assert_allclose(ints, [2.0, 4.0, 6.0], rtol=1e-9)
    assert ref.numerical_gradient(np.sum, np.ones(3, dtype=np.float32)).dtype == np.float64


@given(hnp.arrays(np.float64, st.integers(1, 6), elements=st.floats(-3, 3)))
def test_gradient_check_equals_the_formula_with_independent_differences(x):
    f, wrong_grad = SMOOTH[0], lambda v: np.cos(v) * v ** 2
    h = 1e-5
    steps = h * np.eye(x.size)
    numeric = np.array([(f(x + s) - f(x - s)) / (2 * h) for s in steps])
    analytic = wrong_grad(x)
    expected = np.max(np.abs(analytic - numeric) / np.maximum(1e-8, np.abs(analytic) + np.abs(numeric)))
    assert ref.gradient_check(f, wrong_grad, x) == pytest.approx(expected, rel=1e-12, abs=1e-15)


def test_gradient_check_reads_right_for_correct_and_wrong_gradients():
    x = np.array([0.5, -1.0, 2.0, 0.3])
    correct = lambda v: np.cos(v) * v ** 2 + 2 * v * np.sin(v)
    assert ref.gradient_check(SMOOTH[0], correct, x) < 1e-8
    assert ref.gradient_check(SMOOTH[0], lambda v: correct(v) * 1.01, x) == pytest.approx(0.01 / 2.01, rel=1e-6)
    # both gradients exactly 0: the floor makes that entry 0, without a warning
    assert _no_warnings(ref.gradient_check, lambda v: v[0] ** 2, lambda v: np.array([2 * v[0], 0.0]),
                        np.array([1.0, 3.0])) < 1e-9
    assert ref.gradient_check(lambda v: 3 * v[0], lambda v: np.array([1.0, 0.0]), [1, 2]) == pytest.approx(0.5)


# -- jacobian ---------------------------------------------------------------------------------------------
def _jacobian_bound(J, exact):
    """The catalog: max|J − J_exact| ≤ 1e-6 · max(1, max|J_exact|)."""
    return np.max(np.abs(J - exact)) <= 1e-6 * max(1.0, np.max(np.abs(exact)))


@pytest.mark.parametrize("case", GOLDEN["jacobian"], ids=lambda c: c["source"].split(":", 1)[1][:30])
def test_numerical_jacobian_equals_torch_autograd_jacobian(case):
    f = eval(case["source"])
    W, b = np.array(case["W"]), np.array(case["b"])
    J = ref.numerical_jacobian(lambda v: f(v, np, W, b), np.array(case["x"]))
    assert J.dtype == np.float64 and J.shape == np.shape(case["J"])
    assert _jacobian_bound(J, np.array(case["J"]))
    np.testing.assert_allclose(J, case["J"], rtol=1e-7, atol=1e-9)


@settings(deadline=None)
@given(hnp.arrays(np.float64, 3, elements=st.floats(-2, 2)))
def test_numerical_jacobian_equals_scipy_differentiate(x):
    # a map written to work on a vector x or on scipy.differentiate's batches x[:, ...]
    f = lambda v: np.stack([np.sin(v[0]) * v[1], np.exp(0.5 * v[2]) - v[0] * v[1], v[0] ** 2 + np.cos(v[2])])
    exact = scipy.differentiate.jacobian(f, x).df
    J = ref.numerical_jacobian(f, x)
    assert J.shape == (3, 3) and _jacobian_bound(J, exact)


def test_numerical_jacobian_named_cases():
    A = np.arange(6.0).reshape(2, 3) - 2.5
    np.testing.assert_allclose(ref.numerical_jacobian(lambda v: A @ v, [1, -2, 3]), A, rtol=1e-9, atol=1e-9)
    row = ref.numerical_jacobian(lambda v: float(np.sum(v ** 2)), np.array([1.0, 2.0]))
    assert row.shape == (1, 2)
    np.testing.assert_allclose(row, [[2.0, 4.0]], rtol=1e-9)
    seen = []
    ints = np.array([1, 3])
    J = ref.numerical_jacobian(lambda v: seen.append(v.dtype) or v ** 2, ints)
    np.testing.assert_allclose(J, np.diag([2.0, 6.0]), rtol=1e-9)
    assert set(seen) == {np.dtype(np.float64)} and ints.tolist() == [1, 3]
    s = scipy.special.softmax(np.array([0.3, -1.0, 2.0]))
    np.testing.assert_allclose(ref.numerical_jacobian(scipy.special.softmax, [0.3, -1.0, 2.0]),
                               np.diag(s) - np.outer(s, s), atol=1e-9)
    for bad in (np.ones((2, 2)), 3.0):
        with pytest.raises(ValueError):
            ref.numerical_jacobian(lambda v: v, bad)


# -- activations --------------------------------------------------------------------------------------
@given(hnp.arrays(np.float64, hnp.array_shapes(max_dims=3, max_side=4), elements=st.floats(-1e4, 1e4)))
def test_activations_equal_scipy_and_closed_forms(x):
    s = _no_warnings(ref.sigmoid, x)
    np.testing.assert_allclose(s, scipy.special.expit(x), rtol=1e-14, atol=1e-300)
    assert np.all((s >= 0) & (s <= 1))
    np.testing.assert_allclose(ref.sigmoid_grad(x), scipy.special.expit(x) * scipy.special.expit(-x),
                               rtol=1e-13, atol=1e-300)
    e = np.exp(-2 * np.abs(x))
    np.testing.assert_allclose(ref.tanh_grad(x), 4 * e / (1 + e) ** 2, rtol=1e-7, atol=1e-15)   # sech²
    np.testing.assert_array_equal(ref.relu_grad(x), np.heaviside(x, 0.0))


@given(st.floats(-6, 6))
def test_activation_derivatives_equal_scipy_differentiate(t):
    # (on the flat tails a numerical derivative of tanh or expit is itself only good to ~1e-12 absolute;
    # the closed forms in the test above cover them)
    x = np.array([t])
    np.testing.assert_allclose(ref.sigmoid_grad(x), scipy.differentiate.derivative(scipy.special.expit, x).df,
                               rtol=1e-9, atol=1e-13)
    np.testing.assert_allclose(ref.tanh_grad(x), scipy.differentiate.derivative(np.tanh, x).df,
                               rtol=1e-9, atol=1e-13)


def test_activation_named_cases():
    assert ref.sigmoid(0.0) == 0.5 and ref.sigmoid_grad(0.0) == 0.25 and ref.tanh_grad(0) == 1.0
    assert ref.relu_grad(0.0) == 0.0 and ref.relu_grad(-0.0) == 0.0 and ref.relu_grad(1e-300) == 1.0
    assert ref.relu_grad(np.array([-1, 0, 2])).dtype == np.float64
    assert _no_warnings(ref.sigmoid, np.array([-1e4, 1e4])).tolist() == [0.0, 1.0]
    assert ref.sigmoid(np.ones((2, 1, 3))).shape == (2, 1, 3)


# -- backprop: autograd's gradients --------------------------------------------------------------------
@pytest.mark.parametrize("case", GOLDEN["backprop"], ids=lambda c: f"N{len(c['X'])}")
def test_backprop_equals_torch_autograd(case):
    params = {k: np.array(case[k]) for k in ("W1", "b1", "W2", "b2")}
    X, dZ2 = np.array(case["X"]), np.array(case["dZ2"])
    Z2, cache = ref.two_layer_forward(params, X)
    np.testing.assert_allclose(Z2, case["Z2"], rtol=1e-12, atol=1e-12)
    grads = ref.two_layer_backward(params, cache, dZ2)
    for name in ("dW1", "db1", "dW2", "db2", "dX"):
        assert grads[name].shape == np.shape(case[name])
        np.testing.assert_allclose(grads[name], case[name], rtol=1e-12, atol=1e-12, err_msg=name)


def test_backprop_golden_data_has_relu_inputs_at_exactly_zero():
    case = GOLDEN["backprop"][-1]
    Z1 = np.array(case["X"]) @ np.array(case["W1"]).T + np.array(case["b1"])
    assert np.any(Z1 == 0.0)      # so the comparison above pins the derivative 0 at 0


# -- optimisers: torch.optim trajectories ---------------------------------------------------------------
def _problem(index):
    problem = GOLDEN["problems"][index]
    A, b = np.array(problem["A"]), np.array(problem["b"])
    return (lambda x: A @ x - b), np.array(problem["x0"])


@pytest.mark.parametrize("case", GOLDEN["sgd"], ids=lambda c: f"p{c['problem']}-lr{c['lr']}")
def test_gradient_descent_equals_torch_sgd(case):
    grad, x0 = _problem(case["problem"])
    x, history = ref.gradient_descent(grad, x0, lr=case["lr"], steps=GOLDEN["steps"])
    np.testing.assert_allclose(history, case["trajectory"], rtol=1e-12, atol=1e-14)
    np.testing.assert_array_equal(x, history[-1])
    assert history.shape == (GOLDEN["steps"] + 1, len(x0))


@pytest.mark.parametrize("case", GOLDEN["momentum"], ids=lambda c: f"p{c['problem']}-lr{c['lr']}-mu{c['momentum']}")
def test_sgd_momentum_equals_torch_sgd_with_momentum(case):
    grad, x0 = _problem(case["problem"])
    for steps, expected in case["x"].items():
        got = ref.sgd_momentum(grad, x0, lr=case["lr"], momentum=case["momentum"], steps=int(steps))
        np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-14, err_msg=f"after {steps} steps")


@pytest.mark.parametrize("case", GOLDEN["adam"], ids=lambda c: f"p{c['problem']}-lr{c['lr']}")
def test_adam_equals_torch_adam(case):
    grad, x0 = _problem(case["problem"])
    hyper = {"lr": case["lr"], "beta1": case["beta1"], "beta2": case["beta2"], "eps": case["eps"]}
    for steps, expected in case["x"].items():
        np.testing.assert_allclose(ref.adam(grad, x0, steps=int(steps), **hyper), expected, rtol=TORCH_RTOL,
                                   atol=1e-12, err_msg=f"after {steps} steps")
    # adam_step, driven step by step, carries torch's state (exp_avg, exp_avg_sq)
    x, m, v = x0.copy(), np.zeros_like(x0), np.zeros_like(x0)
    for t in range(1, GOLDEN["steps"] + 1):
        x, m, v = ref.adam_step(x, grad(x), m, v, t, **hyper)
        if str(t) in case["m"]:
            np.testing.assert_allclose(m, case["m"][str(t)], rtol=TORCH_RTOL, atol=1e-15)
            np.testing.assert_allclose(v, case["v"][str(t)], rtol=TORCH_RTOL, atol=1e-15)
            np.testing.assert_allclose(x, case["x"][str(t)], rtol=TORCH_RTOL, atol=1e-12)


def test_adam_step_named_cases():
    x, m, v = ref.adam_step(1.0, 2.0, 0.0, 0.0, 1, lr=0.1)
    assert (m, v) == pytest.approx((0.2, 0.004)) and x == pytest.approx(0.9, abs=1e-9)
    for bad_t in (0, -1):
        with pytest.raises(ValueError):
            ref.adam_step(1.0, 2.0, 0.0, 0.0, bad_t)
    args = [np.ones(3), np.full(3, 0.5), np.full(3, 0.1), np.full(3, 0.2)]
    before = [a.copy() for a in args]
    ref.adam_step(*args, 3)
    for a, b in zip(args, before):
        np.testing.assert_array_equal(a, b)


# -- minibatch_sgd: torch.optim.SGD on the protocol's batches ------------------------------------------
LEAST_SQUARES = lambda w, Xb, yb: Xb.T @ (Xb @ w - yb) / len(yb)


@pytest.mark.parametrize("case", GOLDEN["minibatch_sgd"], ids=lambda c: f"N{len(c['X'])}-B{c['batch_size']}")
def test_minibatch_sgd_equals_torch_sgd_on_the_same_batches(case):
    X, y, w0 = np.array(case["X"]), np.array(case["y"]), np.array(case["w0"])
    for epochs, expected in enumerate(case["after_epoch"], start=1):
        w = ref.minibatch_sgd(LEAST_SQUARES, w0, X, y, lr=case["lr"], batch_size=case["batch_size"],
                              epochs=epochs, seed=case["seed"])
        np.testing.assert_allclose(w, expected, rtol=1e-10, atol=1e-13, err_msg=f"after {epochs} epochs")


def test_minibatch_sgd_with_a_full_batch_is_gradient_descent():
    rng = np.random.default_rng(5)
    X, y, w0 = rng.normal(size=(20, 3)), rng.normal(size=20), rng.normal(size=3)
    x, history = ref.gradient_descent(lambda w: LEAST_SQUARES(w, X, y), w0, lr=0.1, steps=7)
    for batch_size in (20, 21, 1000):
        np.testing.assert_allclose(ref.minibatch_sgd(LEAST_SQUARES, w0, X, y, lr=0.1, batch_size=batch_size,
                                                     epochs=7, seed=3), x, rtol=1e-12)


def test_minibatch_sgd_named_cases():
    X = np.arange(1.0, 6.0).reshape(5, 1)
    y = 2 * X[:, 0]
    w0 = np.array([0])
    w = ref.minibatch_sgd(LEAST_SQUARES, w0, X, y, lr=0.02, batch_size=2, epochs=1, seed=0)
    assert w.dtype == np.float64 and w == pytest.approx([0.992048], rel=1e-12)      # the notebook's worked example
    assert w0.tolist() == [0]
    zero = ref.minibatch_sgd(LEAST_SQUARES, w0, X, y, epochs=0)
    assert zero.dtype == np.float64 and zero.tolist() == [0.0]
    visits = []
    ref.minibatch_sgd(lambda w, Xb, yb: visits.append(len(yb)) or np.zeros(1), w0, X, y, batch_size=2, epochs=3)
    assert visits == [2, 2, 1] * 3
    for bad in ({"lr": 0.0}, {"lr": -1.0}, {"batch_size": 0}, {"batch_size": 2.0}, {"batch_size": True},
                {"epochs": -1}, {"epochs": 1.0}, {"epochs": False}):
        with pytest.raises(ValueError):
            ref.minibatch_sgd(LEAST_SQUARES, w0, X, y, **bad)
    with pytest.raises(ValueError):
        ref.minibatch_sgd(LEAST_SQUARES, w0, X, y[:4])
    assert ref.minibatch_sgd(LEAST_SQUARES, w0, X, y, batch_size=np.int64(2), epochs=np.int32(1)) == \
        pytest.approx(ref.minibatch_sgd(LEAST_SQUARES, w0, X, y, batch_size=2, epochs=1))


# -- hessian ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("f", SMOOTH)
@settings(deadline=None)          # scipy.differentiate.hessian alone can take 200 ms on a loaded machine
@given(hnp.arrays(np.float64, 3, elements=st.floats(-1.5, 1.5)))
def test_numerical_hessian_equals_scipy_differentiate(f, x):
    H = ref.numerical_hessian(f, x)
    assert H.shape == (3, 3) and H.dtype == np.float64
    np.testing.assert_array_equal(H, H.T)
    scale = max(1.0, abs(float(f(x))))
    np.testing.assert_allclose(H, scipy.differentiate.hessian(f, x).ddf, rtol=0, atol=1e-6 * scale)


def test_numerical_hessian_of_rosenbrock_and_integer_input():
    rosenbrock = lambda p: (1 - p[0]) ** 2 + 100 * (p[1] - p[0] ** 2) ** 2
    np.testing.assert_allclose(ref.numerical_hessian(rosenbrock, [1, 1]), [[802.0, -400.0], [-400.0, 200.0]],
                               atol=1e-5)


@given(st.lists(st.floats(0.01, 10.0), min_size=1, max_size=6), st.integers(0, 2**32 - 1), st.data())
def test_classify_critical_point_agrees_with_scipy_eigenvalues(magnitudes, seed, data):
    signs = data.draw(st.lists(st.sampled_from([-1.0, 0.0, 1.0]), min_size=len(magnitudes),
                               max_size=len(magnitudes)))
    eigenvalues = np.array(magnitudes) * np.array(signs)
    Q, _ = np.linalg.qr(np.random.default_rng(seed).normal(size=(len(eigenvalues),) * 2))
    H = Q @ np.diag(eigenvalues) @ Q.T
    H = (H + H.T) / 2
    lam = scipy.linalg.eigh(H, eigvals_only=True)
    positive, negative = lam > 1e-6, lam < -1e-6
    expected = ("minimum" if positive.all() else "maximum" if negative.all()
                else "saddle" if positive.any() and negative.any() else "inconclusive")
    assert ref.classify_critical_point(H) == expected


def test_classify_critical_point_named_cases():
    assert ref.classify_critical_point([[2.0, 3.0], [3.0, 2.0]]) == "saddle"
    assert ref.classify_critical_point(np.diag([1.0, -1.0, 0.0])) == "saddle"
    assert ref.classify_critical_point(np.diag([1.0, 0.0])) == "inconclusive"
    assert ref.classify_critical_point(np.diag([1.0, 1e-7])) == "inconclusive"
    assert ref.classify_critical_point(np.diag([1.0, 1e-7]), tol=1e-8) == "minimum"
    assert ref.classify_critical_point([[-4.0]]) == "maximum"
