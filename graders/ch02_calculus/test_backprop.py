"""Hidden checks for `two_layer_forward(params, X)` and `two_layer_backward(params, cache, dZ2)`.

Every gradient is compared with the reference; one check also compares all of them with central
differences of L = Σ Z2 ⊙ dZ2 on networks of random sizes. When a gradient is wrong, the detail
names it and, where it recognises one, the usual cause (a batch mean, a missing or wrong ReLU mask,
a transpose, Z1 in place of A1, a flipped sign).
"""

import numpy as np

from mlmath.grading import Feedback, as_array, assert_close, assert_dtype, assert_inputs_unchanged, check
from mlmath.grading.inputs import random_sizes

NAMES = ("dW1", "db1", "dW2", "db2", "dX")
SHAPES = [(5, 4, 6, 3), (7, 3, 5, 2), (4, 6, 2, 5)]          # (N, D, H, C): no two alike


def _network(rng, N, D, H, C, integer_valued=False):
    draw = (lambda *shape: rng.integers(-2, 3, size=shape).astype(np.float64)) if integer_valued \
        else (lambda *shape: rng.normal(size=shape))
    params = {"W1": draw(H, D), "b1": draw(H), "W2": draw(C, H), "b2": draw(C)}
    return params, draw(N, D), rng.normal(size=(N, C))


# -- the learner's pass ------------------------------------------------------------------------
def _forward(student, params, X):
    result = student.two_layer_forward(params, X)
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        raise Feedback("two_layer_forward must return a pair (Z2, cache)")
    return result


def _gradients(student, params, X, dZ2):
    _, cache = _forward(student, params, X)
    grads = student.two_layer_backward(params, cache, dZ2)
    if not isinstance(grads, dict):
        raise Feedback("two_layer_backward must return a dict with the keys dW1, db1, dW2, db2, dX")
    missing = [name for name in NAMES if name not in grads]
    if missing:
        raise Feedback(f"the dict returned by two_layer_backward has no {', '.join(missing)}")
    return grads


# -- what typical mistakes would give, to name the cause -----------------------------------------
def _variants(params, X, dZ2):
    """name -> (what it means, gradients computed that wrong way), from the inputs only."""
    W1, b1, W2 = params["W1"], params["b1"], params["W2"]
    Z1 = X @ W1.T + b1
    A1 = np.maximum(Z1, 0.0)
    N = X.shape[0]

    def first_layer(dZ1):
        return {"dW1": dZ1.T @ X, "db1": dZ1.sum(axis=0), "dX": dZ1 @ W1}

    dA1 = dZ2 @ W2
    right = {"dW2": dZ2.T @ A1, "db2": dZ2.sum(axis=0), **first_layer(dA1 * (Z1 > 0))}
    return {
        "mean": ("it is the batch MEAN: the contract sums over the batch — don't divide by N",
                 {name: value / N for name, value in right.items()}),
        "no_mask": ("the ReLU mask is missing: multiply dA1 = dZ2 W2 by (Z1 > 0) before the first layer",
                    {**right, **first_layer(dA1)}),
        "mask_at_zero": ("the ReLU mask lets the gradient through where Z1 = 0: use Z1 > 0, not Z1 >= 0",
                         {**right, **first_layer(dA1 * (Z1 >= 0))}),
        "Z1_for_A1": ("it is built from Z1: the second layer's input is the ReLU output A1",
                      {**right, "dW2": dZ2.T @ Z1}),
        "sign": ("its sign is flipped", {name: -value for name, value in right.items()}),
    }


def _diagnose(name, got, expected, variants):
    if got.shape != expected.shape:
        if got.shape == expected.shape[::-1] and got.ndim == 2:
            return f"{name} has shape {got.shape}, the transpose of the shape it needs, {expected.shape}"
        if got.ndim == expected.ndim + 1 or (got.ndim == 1 and expected.ndim == 1):
            return f"{name} has shape {got.shape} where {expected.shape} is needed: sum over the batch (axis 0)"
        return f"{name} has shape {got.shape} where {expected.shape} is needed"
    if got.ndim == 2 and got.shape[0] == got.shape[1] and np.allclose(got, expected.T, rtol=1e-7, atol=1e-10):
        return f"{name} is transposed"
    matches = [meaning for meaning, grads in variants.values()
               if not np.allclose(grads[name], expected, rtol=1e-7, atol=1e-10)
               and np.allclose(got, grads[name], rtol=1e-7, atol=1e-10)]
    if len(matches) == 1:            # name a cause only when exactly one usual mistake explains it
        return f"{name} is wrong: {matches[0]}"
    return f"{name} is wrong"


def _compare(name, got, expected, params, X, dZ2):
    got = as_array(got, what=name)
    expected = np.asarray(expected)
    try:
        assert_close(got, expected, what=name)
    except Feedback:
        raise Feedback(_diagnose(name, got, expected, _variants(params, X, dZ2))) from None


def _check_gradient(student, reference, rng, name):
    for shape in SHAPES:
        params, X, dZ2 = _network(rng, *shape)
        got = _gradients(student, params, X, dZ2)
        expected = reference.two_layer_backward(params, reference.two_layer_forward(params, X)[1], dZ2)
        _compare(name, got[name], expected[name], params, X, dZ2)


# -- the checks ------------------------------------------------------------------------------------
@check(weight=2, message="The forward pass is wrong: Z2 (of shape (N, C)) or the cache does not match the "
                         "two-layer ReLU network.",
       fix="Z1 = X W1ᵀ + b1, A1 = ReLU(Z1) = max(Z1, 0), Z2 = A1 W2ᵀ + b2; return (Z2, cache).")
def test_forward(student, reference, rng):
    for shape in SHAPES:
        params, X, _ = _network(rng, *shape)
        Z2, _ = _forward(student, params, X)
        assert_close(Z2, reference.two_layer_forward(params, X)[0], what="Z2")


@check(weight=2, message="dW2 is wrong (it should have shape (C, H) and be summed over the batch).",
       fix="dW2 = dZ2ᵀ A1, with the ReLU output A1 (not Z1); A1ᵀ dZ2 is its transpose.")
def test_dW2(student, reference, rng):
    _check_gradient(student, reference, rng, "dW2")


@check(weight=1, message="db2 is wrong: it should be dZ2 summed over the batch, of shape (C,) — not the "
                         "mean.",
       fix="db2 = dZ2.sum(axis=0), not a sum over axis 1.")
def test_db2(student, reference, rng):
    _check_gradient(student, reference, rng, "db2")


@check(weight=2, message="dX is wrong (shape (N, D)): the gradient must go back through W2, the ReLU mask "
                         "and W1.",
       fix="dX = dZ1 W1, where dZ1 = (dZ2 W2) ⊙ (Z1 > 0).")
def test_dX(student, reference, rng):
    _check_gradient(student, reference, rng, "dX")


@check(weight=2, message="dW1 is wrong (shape (H, D)): a missing ReLU mask, a batch mean instead of the "
                         "sum, or a transpose are the usual causes.",
       fix="dW1 = dZ1ᵀ X, where dZ1 = (dZ2 W2) ⊙ (Z1 > 0).")
def test_dW1(student, reference, rng):
    _check_gradient(student, reference, rng, "dW1")


@check(weight=1, message="db1 is wrong: it should be the first layer's gradient summed over the batch, of "
                         "shape (H,).",
       fix="db1 = dZ1.sum(axis=0), with dZ1 = (dZ2 W2) ⊙ (Z1 > 0).")
def test_db1(student, reference, rng):
    _check_gradient(student, reference, rng, "db1")


def _loss(params, X, dZ2):
    """L = Σ Z2 ⊙ dZ2, whose gradient with respect to Z2 is dZ2 (trusted forward pass)."""
    Z2 = np.maximum(X @ params["W1"].T + params["b1"], 0.0) @ params["W2"].T + params["b2"]
    return float(np.sum(Z2 * dZ2))


def _numerical_gradients(params, X, dZ2, h=1e-6):
    arrays = {"dW1": params["W1"], "db1": params["b1"], "dW2": params["W2"], "db2": params["b2"], "dX": X}
    grads = {}
    for name, array in arrays.items():
        grad = np.zeros_like(array)
        for index in np.ndindex(array.shape):
            centre = array[index]
            array[index] = centre + h
            plus = _loss(params, X, dZ2)
            array[index] = centre - h
            minus = _loss(params, X, dZ2)
            array[index] = centre
            grad[index] = (plus - minus) / (2 * h)
        grads[name] = grad
    return grads


@check(weight=2, message="Your gradients fail a numerical gradient check on networks of random sizes: some "
                         "of dW1, db1, dW2, db2, dX disagree with central differences.",
       fix="Each gradient must be that of L = Σ Z2 ⊙ dZ2 with respect to that parameter; check each with "
           "(L(θ + h) − L(θ − h)) / (2h) on a small network.")
def test_matches_a_numerical_gradient(student, reference, rng):
    for N, D, H, C in random_sizes(rng, count=12, names=4):
        params, X, dZ2 = _network(rng, N, D, H, C)
        got = _gradients(student, {k: v.copy() for k, v in params.items()}, X.copy(), dZ2)
        numeric = _numerical_gradients(params, X, dZ2)
        for name in NAMES:
            try:
                assert_close(as_array(got[name], what=name), numeric[name], rtol=1e-5, atol=1e-6, what=name)
            except Feedback:
                raise Feedback(_diagnose(name, as_array(got[name], what=name), numeric[name],
                                         _variants(params, X, dZ2))) from None


@check(weight=1, message="Gradient flows through a unit sitting exactly at Z1 = 0: the ReLU's derivative "
                         "there is 0.",
       fix="Use the mask Z1 > 0 (not Z1 >= 0), so nothing reaches dW1, db1 or dX through such a unit.")
def test_relu_gradient_is_zero_at_zero(student, reference, rng):
    for shape in ((8, 3, 6, 2), (6, 4, 5, 3)):
        params, X, dZ2 = _network(rng, *shape, integer_valued=True)     # many exact zeros in Z1
        got = _gradients(student, params, X, dZ2)
        expected = reference.two_layer_backward(params, reference.two_layer_forward(params, X)[1], dZ2)
        for name in NAMES:
            _compare(name, got[name], expected[name], params, X, dZ2)


@check(weight=1, message="A batch of one sample (N = 1) loses a dimension: Z2 must be (1, C), dX (1, D), "
                         "db1 (H,).",
       fix="Don't squeeze and don't special-case N = 1.")
def test_single_sample(student, reference, rng):
    for shape in ((1, 4, 3, 2), (1, 1, 5, 1)):
        params, X, dZ2 = _network(rng, *shape)
        assert_close(_forward(student, params, X)[0], reference.two_layer_forward(params, X)[0], what="Z2")
        got = _gradients(student, params, X, dZ2)
        expected = reference.two_layer_backward(params, reference.two_layer_forward(params, X)[1], dZ2)
        for name in NAMES:
            _compare(name, got[name], expected[name], params, X, dZ2)


@check(weight=1, message="Integer X, parameters or dZ2 fail or do not give float64 results.",
       fix="Convert them with np.asarray(..., dtype=float) before computing.")
def test_integer_inputs(student, reference, rng):
    params = {name: rng.integers(-3, 4, size=shape) for name, shape in
              (("W1", (4, 3)), ("b1", (4,)), ("W2", (2, 4)), ("b2", (2,)))}
    X, dZ2 = rng.integers(-3, 4, size=(5, 3)), rng.integers(-2, 3, size=(5, 2))
    Z2, _ = _forward(student, params, X)
    ref_Z2, ref_cache = reference.two_layer_forward(params, X)
    assert_close(Z2, ref_Z2, what="Z2")
    assert_dtype(Z2, np.float64, what="Z2")
    got = _gradients(student, params, X, dZ2)
    expected = reference.two_layer_backward(params, ref_cache, dZ2)
    float_params = {k: v.astype(np.float64) for k, v in params.items()}
    for name in NAMES:
        _compare(name, got[name], expected[name], float_params, X.astype(np.float64), dZ2.astype(np.float64))
        assert_dtype(got[name], np.float64, what=name)


@check(weight=1, message="A pass modified what it was given — params, X, the cache or dZ2.",
       fix="An in-place mask such as dZ1[Z1 <= 0] = 0 is fine only on an array you created; compute new "
           "arrays otherwise.")
def test_leaves_inputs_unchanged(student, reference, rng):
    params, X, dZ2 = _network(rng, 6, 3, 5, 2)
    got = _gradients(student, params, X, dZ2)
    expected = reference.two_layer_backward(params, reference.two_layer_forward(params, X)[1], dZ2)
    for name in NAMES:
        _compare(name, got[name], expected[name], params, X, dZ2)
    assert_inputs_unchanged(student)
