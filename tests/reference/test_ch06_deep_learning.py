"""Are the reference solutions of ch06_deep_learning right? Checked against trusted implementations:
SciPy, scikit-learn, finite differences, and golden outputs of PyTorch (cross-entropy, attention,
nn.MultiheadAttention)."""

import importlib.util
import json
import time
import warnings
from pathlib import Path

import numpy as np
import pytest
import scipy.special
import scipy.stats
from hypothesis import given, strategies as st
from hypothesis.extra import numpy as hnp
from sklearn.metrics import log_loss
from sklearn.neural_network import MLPClassifier

from mlmath.grading.grade import reference_solutions
from tests.support import ROOT, course

ref = reference_solutions(course(), course().assignment("ch06_deep_learning"))
GOLDEN = json.loads(Path(__file__).parents[1].joinpath("golden", "torch_ch06_deep_learning.json").read_text())


def _grader_module(name):
    path = ROOT / "graders" / "ch06_deep_learning" / f"test_{name}.py"
    spec = importlib.util.spec_from_file_location(f"ch06_grader_{name}", path)
    module = importlib.util.module_from_spec(spec)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", pytest.PytestUnknownMarkWarning)   # @check's marker: registered by the engine
        spec.loader.exec_module(module)
    return module


# ---------------------------------------------------------------------------- softmax_ce
@given(hnp.arrays(np.float64, st.tuples(st.integers(1, 6), st.integers(1, 6)),
                  elements=st.floats(-1e4, 1e4, allow_nan=False)), st.data())
def test_softmax_cross_entropy_equals_scipy(logits, data):
    n, c = logits.shape
    labels = np.array(data.draw(st.lists(st.integers(0, c - 1), min_size=n, max_size=n)))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss, dlogits = ref.softmax_cross_entropy(logits, labels)
    expected = np.mean(scipy.special.logsumexp(logits, axis=1) - logits[np.arange(n), labels])
    assert loss == pytest.approx(expected, rel=1e-12, abs=1e-9)
    onehot = np.eye(c)[labels]
    np.testing.assert_allclose(dlogits, (scipy.special.softmax(logits, axis=1) - onehot) / n, rtol=1e-12, atol=1e-15)


def test_softmax_cross_entropy_equals_sklearn_log_loss_and_finite_differences():
    rng = np.random.default_rng(0)
    logits, labels = rng.normal(scale=2.0, size=(7, 4)), rng.integers(0, 4, size=7)
    loss, dlogits = ref.softmax_cross_entropy(logits, labels)
    assert loss == pytest.approx(log_loss(labels, scipy.special.softmax(logits, axis=1), labels=range(4)), rel=1e-12)
    h, numeric = 1e-6, np.zeros_like(logits)
    for index in np.ndindex(logits.shape):
        step = np.zeros_like(logits)
        step[index] = h
        numeric[index] = (ref.softmax_cross_entropy(logits + step, labels)[0]
                          - ref.softmax_cross_entropy(logits - step, labels)[0]) / (2 * h)
    np.testing.assert_allclose(dlogits, numeric, atol=1e-8)


@pytest.mark.parametrize("case", GOLDEN["cross_entropy"], ids=lambda c: str(np.shape(c["logits"])))
def test_softmax_cross_entropy_equals_torch(case):
    loss, dlogits = ref.softmax_cross_entropy(case["logits"], case["labels"])
    assert loss == pytest.approx(case["loss"], rel=1e-12, abs=1e-12)
    np.testing.assert_allclose(dlogits, case["dlogits"], rtol=1e-10, atol=1e-15)


def test_softmax_cross_entropy_named_cases():
    assert ref.softmax_cross_entropy([[1e4, 0.0]], [1])[0] == 1e4
    loss, dlogits = ref.softmax_cross_entropy([[2, 1, 0], [0, 0, 0]], [0, 2])
    assert type(loss) is float and dlogits.dtype == np.float64
    assert loss == pytest.approx((0.4076059644443804 + np.log(3)) / 2)


# ---------------------------------------------------------------------------- init
def test_mlp_init_is_he_normal():
    params = ref.mlp_init([1000, 300, 50, 3], seed=5)
    assert [(W.shape, b.shape) for W, b in params] == [((300, 1000), (300,)), ((50, 300), (50,)), ((3, 50), (3,))]
    for (W, b), fan_in in zip(params, (1000, 300, 50)):
        assert W.dtype == b.dtype == np.float64 and np.all(b == 0)
    for (W, _), fan_in in zip(params[:2], (1000, 300)):
        assert scipy.stats.kstest(W.ravel(), "norm", args=(0, np.sqrt(2 / fan_in))).pvalue > 1e-3


def test_mlp_init_is_reproducible_and_defaults_to_seed_0():
    same = [np.array_equal(a[0], b[0]) for a, b in zip(ref.mlp_init([4, 4, 4], 3), ref.mlp_init([4, 4, 4], 3))]
    assert all(same)
    assert all(np.array_equal(a[0], b[0]) for a, b in zip(ref.mlp_init([5, 2]), ref.mlp_init([5, 2], seed=0)))
    assert not np.array_equal(ref.mlp_init([5, 2], 1)[0][0], ref.mlp_init([5, 2], 2)[0][0])
    layers = ref.mlp_init([6, 6, 6], 0)
    assert not np.array_equal(layers[0][0], layers[1][0])


# ---------------------------------------------------------------------------- mlp_backprop
def _network(rng, sizes, n=5):
    return ([(rng.normal(size=(o, i)), rng.normal(size=o)) for i, o in zip(sizes[:-1], sizes[1:])],
            rng.normal(size=(n, sizes[0])))


@pytest.mark.parametrize("sizes", [[3, 5, 4], [2, 6, 5, 3], [4, 3, 3, 3, 5]])   # >= 3 classes: softmax output
def test_mlp_forward_equals_sklearn(sizes):
    """scikit-learn's MLPClassifier (ReLU, softmax output) with our weights: coefs_ holds W.T."""
    rng = np.random.default_rng(len(sizes))
    params, X = _network(rng, sizes, n=20)
    model = MLPClassifier(hidden_layer_sizes=tuple(sizes[1:-1]), activation="relu", max_iter=1)
    y = np.arange(20) % sizes[-1]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.fit(X, y)
    model.coefs_ = [W.T.copy() for W, _ in params]
    model.intercepts_ = [b.copy() for _, b in params]
    logits, _ = ref.mlp_forward(params, X)
    np.testing.assert_allclose(scipy.special.softmax(logits, axis=1), model.predict_proba(X), rtol=1e-10, atol=1e-14)


@pytest.mark.parametrize("sizes", [[3, 4], [3, 5, 4], [2, 6, 5, 3], [4, 3, 3, 3, 2]])
def test_mlp_backward_equals_finite_differences(sizes):
    rng = np.random.default_rng(10 + len(sizes))
    params, X = _network(rng, sizes)
    G = rng.normal(size=(len(X), sizes[-1]))
    loss = lambda p: np.sum(ref.mlp_forward(p, X)[0] * G)      # dloss/dlogits = G
    grads = ref.mlp_backward(params, ref.mlp_forward(params, X)[1], G)
    h = 1e-6
    for layer, (W, b) in enumerate(params):
        for which, array in ((0, W), (1, b)):
            numeric = np.zeros_like(array)
            for index in np.ndindex(array.shape):
                step = np.zeros_like(array)
                step[index] = h
                plus = [list(pair) for pair in params]
                minus = [list(pair) for pair in params]
                plus[layer][which] = array + step
                minus[layer][which] = array - step
                numeric[index] = (loss(plus) - loss(minus)) / (2 * h)
            np.testing.assert_allclose(grads[layer][which], numeric, rtol=1e-6, atol=1e-6)


def test_mlp_backward_relu_derivative_is_zero_at_zero():
    params = [(np.eye(2), np.zeros(2)), (np.ones((1, 2)), np.zeros(1))]
    X = np.array([[0.0, 1.0]])                                   # Z1 = [0, 1]
    grads = ref.mlp_backward(params, ref.mlp_forward(params, X)[1], np.array([[1.0]]))
    np.testing.assert_array_equal(grads[0][1], [0.0, 1.0])


# ---------------------------------------------------------------------------- training
def test_train_mlp_passes_the_graders_spirals_quickly():
    grader = _grader_module("training")
    for trial in range(8):
        rng = np.random.default_rng(9000 + trial)
        X, y, X_new, y_new = grader.spiral_problem(rng)
        X_before, y_before = X.copy(), y.copy()
        start = time.perf_counter()
        params = ref.train_mlp(X, y, seed=trial)
        elapsed = time.perf_counter() - start
        accuracy = np.mean(np.argmax(ref.mlp_forward(params, X_new)[0], axis=1) == y_new)
        assert accuracy >= 0.97, f"trial {trial}: held-out accuracy {accuracy}"
        assert elapsed < 5.0, f"trial {trial}: {elapsed:.1f} s"
        np.testing.assert_array_equal(X, X_before)
        np.testing.assert_array_equal(y, y_before)


# ---------------------------------------------------------------------------- attention
def _attention_by_loops(Q, K, V, mask=None):
    """One query row at a time, with scipy's softmax over the allowed keys only."""
    Q, K, V = (np.asarray(a, dtype=np.float64) for a in (Q, K, V))
    lead = np.broadcast_shapes(Q.shape[:-2], K.shape[:-2], V.shape[:-2])
    tq, tk = Q.shape[-2], K.shape[-2]
    allowed = np.ones(lead + (tq, tk), dtype=bool) if mask is None else \
        np.broadcast_to(np.asarray(mask, dtype=bool), lead + (tq, tk))
    Q, K, V = (np.broadcast_to(a, lead + a.shape[-2:]) for a in (Q, K, V))
    weights = np.zeros(lead + (tq, tk))
    for index in np.ndindex(*lead, tq):
        keys = np.flatnonzero(allowed[index])
        scores = np.array([Q[index] @ K[index[:-1] + (j,)] for j in keys]) / np.sqrt(Q.shape[-1])
        weights[index + (keys,)] = scipy.special.softmax(scores)
    return weights @ V, weights


@pytest.mark.parametrize("case", GOLDEN["attention"], ids=lambda c: str(np.shape(c["Q"])))
def test_attention_equals_torch(case):
    out, weights = ref.scaled_dot_product_attention(case["Q"], case["K"], case["V"], case["mask"])
    np.testing.assert_allclose(out, case["out"], rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(weights, case["weights"], rtol=1e-10, atol=1e-300)
    if case["mask"] is not None:
        blocked = ~np.broadcast_to(np.array(case["mask"]), weights.shape)
        assert np.all(weights[blocked] == 0.0)


@given(st.integers(0, 2**32 - 1), st.sampled_from([(), (2,), (2, 3)]), st.integers(1, 4), st.integers(1, 4),
       st.booleans())
def test_attention_equals_a_loop_over_queries(seed, lead, tq, tk, masked):
    rng = np.random.default_rng(seed)
    Q, K = rng.normal(size=lead + (tq, 3)), rng.normal(size=lead + (tk, 3))
    V = rng.normal(size=lead + (tk, 2))
    mask = None
    if masked:
        mask = rng.random(lead + (tq, tk)) < 0.5
        mask[..., 0] = True
    out, weights = ref.scaled_dot_product_attention(Q, K, V, mask)
    expected_out, expected_weights = _attention_by_loops(Q, K, V, mask)
    np.testing.assert_allclose(weights, expected_weights, rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(out, expected_out, rtol=1e-12, atol=1e-12)


def test_attention_named_cases():
    assert ref.causal_mask(3).dtype == np.bool_
    np.testing.assert_array_equal(ref.causal_mask(4), np.tril(np.ones((4, 4), dtype=bool)))
    rng = np.random.default_rng(1)
    Q, K, V = rng.normal(size=(5, 4)), rng.normal(size=(5, 4)), rng.normal(size=(5, 2))
    Q *= 1e4 / np.abs(Q @ K.T / 2).max()
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        out, weights = ref.scaled_dot_product_attention(Q, K, V, ref.causal_mask(5))
    np.testing.assert_allclose(weights, _attention_by_loops(Q, K, V, ref.causal_mask(5))[1], rtol=1e-12)
    assert np.all(weights[~ref.causal_mask(5)] == 0.0)


# ---------------------------------------------------------------------------- multi_head
@pytest.mark.parametrize("case", GOLDEN["multi_head_attention"],
                         ids=lambda c: f"{np.shape(c['X'])}-{c['n_heads']}-{'mask' if c['mask'] else 'nomask'}")
def test_multi_head_attention_equals_torch(case):
    out = ref.multi_head_attention(case["X"], case["Wq"], case["Wk"], case["Wv"], case["Wo"], case["n_heads"],
                                   case["mask"])
    np.testing.assert_allclose(out, case["out"], rtol=1e-10, atol=1e-12)


def test_multi_head_attention_equals_a_loop_over_heads():
    rng = np.random.default_rng(4)
    X = rng.normal(size=(3, 5, 8))
    Wq, Wk, Wv, Wo = rng.normal(size=(4, 8, 8))
    mask = np.tril(np.ones((5, 5), dtype=bool))
    for n_heads in (1, 2, 4, 8):
        dh = 8 // n_heads
        heads = [ref.scaled_dot_product_attention((X @ Wq)[..., h * dh:(h + 1) * dh], (X @ Wk)[..., h * dh:(h + 1) * dh],
                                                  (X @ Wv)[..., h * dh:(h + 1) * dh], mask)[0]
                 for h in range(n_heads)]
        np.testing.assert_allclose(ref.multi_head_attention(X, Wq, Wk, Wv, Wo, n_heads, mask),
                                   np.concatenate(heads, axis=-1) @ Wo, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("d_model, n_heads", [(6, 4), (8, 3), (4, 8)])
def test_multi_head_attention_rejects_indivisible_heads(d_model, n_heads):
    W = np.eye(d_model)
    with pytest.raises(ValueError):
        ref.multi_head_attention(np.ones((3, d_model)), W, W, W, W, n_heads)
