"""Hidden checks for `mlp_forward(params, X)` and `mlp_backward(params, cache, dlogits)`.

The cache is the learner's own: each backward call gets the cache that the learner's
forward returned for the same params and X.
"""

import numpy as np

from mlmath.grading import Feedback, assert_close, assert_dtype, assert_inputs_unchanged, check

NO_HIDDEN, ONE_HIDDEN, DEEP = [4, 3], [3, 5, 4], ([3, 6, 5, 2], [2, 4, 4, 4, 3])


def _network(rng, sizes, n=6):
    params = [(rng.normal(size=(fan_out, fan_in)), rng.normal(size=fan_out))
              for fan_in, fan_out in zip(sizes[:-1], sizes[1:])]
    return params, rng.normal(size=(n, sizes[0]))


def _close(actual, expected, what):
    try:
        assert_close(actual, expected, what=what)
    except Feedback as failure:
        raise Feedback(failure.detail or f"{what} is wrong") from None


def _forward(student, params, X):
    got = student.mlp_forward(params, X)
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        raise Feedback("mlp_forward must return a pair (logits, cache)")
    return got


def _backward(student, params, cache, dlogits):
    got = student.mlp_backward(params, cache, dlogits)
    if not isinstance(got, (tuple, list)) or len(got) != len(params):
        raise Feedback(f"mlp_backward must return one (dW, db) pair per layer ({len(params)} here)")
    if not all(isinstance(pair, (tuple, list)) and len(pair) == 2 for pair in got):
        raise Feedback("every entry of mlp_backward's result must be a pair (dW, db)")
    return got


def _assert_forward(student, reference, params, X):
    logits, cache = _forward(student, params, X)
    _close(logits, reference.mlp_forward(params, X)[0], "the logits")
    return logits, cache


def _assert_backward(student, reference, params, X, dlogits):
    """The learner's forward then backward, each compared with the reference."""
    _, cache = _assert_forward(student, reference, params, X)
    grads = _backward(student, params, cache, dlogits)
    expected = reference.mlp_backward(params, reference.mlp_forward(params, X)[1], dlogits)
    for layer, ((dW, db), (eW, eb)) in enumerate(zip(grads, expected), start=1):
        _close(dW, eW, f"dW of layer {layer}")
        _close(db, eb, f"db of layer {layer}")
    return grads


@check(weight=1, message="mlp_forward gives wrong logits: check the orientation of W, where the ReLU is "
                         "applied, and that the output layer stays linear.",
       fix="Every layer computes Z = A_prev Wᵀ + b (W has shape (out, in)); hidden layers then apply ReLU, "
           "A = max(Z, 0); the output layer's Z are the logits, with no ReLU.")
def test_forward_one_hidden_layer(student, reference, rng):
    for _ in range(2):
        _assert_forward(student, reference, *_network(rng, ONE_HIDDEN))


@check(weight=1, message="mlp_forward must handle any number of layers.",
       fix="Loop over params — including a single linear layer (no hidden layer) and several hidden layers.")
def test_forward_any_depth(student, reference, rng):
    for sizes in (NO_HIDDEN, *DEEP):
        _assert_forward(student, reference, *_network(rng, sizes))


@check(weight=1.5, message="mlp_backward gives wrong gradients for a network with one hidden layer.",
       fix="Start from dZ = dlogits and go from the last layer down: dW = dZᵀ A_prev, db = dZ summed over "
           "the batch, and the layer below gets dZ_below = (dZ W) ⊙ [Z_below > 0].")
def test_backward_one_hidden_layer(student, reference, rng):
    for _ in range(2):
        params, X = _network(rng, ONE_HIDDEN)
        _assert_backward(student, reference, params, X, rng.normal(size=(len(X), ONE_HIDDEN[-1])))


@check(weight=1, message="mlp_backward fails for other depths — several hidden layers, or none (no ReLU at "
                         "all) — or returns the (dW, db) pairs in the wrong order.",
       fix="Loop over the layers in reverse, apply the ReLU mask only when passing dZ down to a hidden "
           "layer, and return one (dW, db) per layer in the order of params.")
def test_backward_any_depth(student, reference, rng):
    for sizes in (NO_HIDDEN, *DEEP):
        params, X = _network(rng, sizes)
        _assert_backward(student, reference, params, X, rng.normal(size=(len(X), sizes[-1])))


@check(weight=0.5, message="The gradients are averaged over the batch, not summed: the 1/N of a mean loss "
                           "is already inside dlogits.",
       fix="Sum them over the batch: dZᵀ A_prev and dZ.sum(axis=0).")
def test_gradients_are_summed_over_the_batch(student, reference, rng):
    params, X = _network(rng, ONE_HIDDEN, n=16)
    _assert_backward(student, reference, params, X, rng.normal(size=(16, ONE_HIDDEN[-1])))


@check(weight=0.5, message="The ReLU's derivative at exactly 0 is taken as 1: pre-activations of exactly 0 "
                           "do happen, e.g. for an input of zeros with the zero biases of He "
                           "initialisation.",
       fix="Use the mask Z > 0, not Z >= 0: the derivative is 0 at exactly 0.")
def test_relu_derivative_is_zero_at_zero(student, reference, rng):
    params, X = _network(rng, [3, 6, 5, 2], n=5)
    params = [(W, np.zeros_like(b)) if layer < 2 else (W, b) for layer, (W, b) in enumerate(params)]
    X[1] = 0.0            # with zero hidden biases: Z = 0 exactly in every hidden unit, in both layers
    _assert_backward(student, reference, params, X, rng.normal(size=(5, 2)))


@check(weight=0.5, message="Integer inputs fail, or the logits or some gradient are not float64 arrays.",
       fix="Convert X (and dlogits) with np.asarray(..., dtype=np.float64) before computing.")
def test_integer_inputs_give_float64(student, reference, rng):
    params, X = _network(rng, [3, 4, 3], n=5)
    X = rng.integers(-3, 4, size=X.shape)
    logits, _ = _assert_forward(student, reference, params, X)
    assert_dtype(logits, np.float64, what="the logits")
    grads = _assert_backward(student, reference, params, X, rng.normal(size=(5, 3)))
    for layer, (dW, db) in enumerate(grads, start=1):
        assert_dtype(dW, np.float64, what=f"dW of layer {layer}")
        assert_dtype(db, np.float64, what=f"db of layer {layer}")


@check(weight=1, message="mlp_forward or mlp_backward modified an argument — params, X, the cache or "
                         "dlogits.",
       fix="Build new arrays: dZ = dZ * mask rather than dZ *= mask, and np.maximum(Z, 0) rather than Z[Z "
           "<= 0] = 0 on arrays you were given.")
def test_leaves_inputs_unchanged(student, reference, rng):
    for sizes in (ONE_HIDDEN, DEEP[0]):
        params, X = _network(rng, sizes)
        _assert_backward(student, reference, params, X, rng.normal(size=(len(X), sizes[-1])))
    assert_inputs_unchanged(student)
