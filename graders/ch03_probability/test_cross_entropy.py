"""Hidden checks for `binary_cross_entropy(y_true, y_pred, eps)` and `categorical_cross_entropy(labels, probs, eps)`."""

import numpy as np

from mlmath.grading import Feedback, as_array, assert_close, assert_inputs_unchanged, check

_OTHER_LOGS = (("log base 2 (bits)", np.log(2.0)), ("log base 10", np.log(10.0)))


def _close_in_nats(got, expected, n):
    """assert_close, and on failure say which log base or which reduction the learner used."""
    try:
        assert_close(got, expected)
    except Feedback:
        value = as_array(got)
        if value.shape == () and np.isfinite(value) and expected > 0:
            for name, factor in _OTHER_LOGS:
                if np.isclose(value * factor, expected, rtol=1e-9, atol=0):
                    raise Feedback(f"your loss uses the {name}; cross-entropy here is in nats, "
                                   f"with the natural log (np.log)") from None
            if n > 1 and np.isclose(value, expected * n, rtol=1e-9, atol=0):
                raise Feedback("your loss is the sum over the samples; return their mean") from None
        if value.ndim == 1 and value.size == n and n > 1:
            raise Feedback("you returned one loss per sample; return their mean, a single number") from None
        raise


def _bce(student, reference, y, p, eps=None):
    args = (y, p) if eps is None else (y, p, eps)
    _close_in_nats(student.binary_cross_entropy(*args), reference.binary_cross_entropy(*args), np.size(y))


def _cce(student, reference, labels, probs, eps=None):
    args = (labels, probs) if eps is None else (labels, probs, eps)
    _close_in_nats(student.categorical_cross_entropy(*args), reference.categorical_cross_entropy(*args),
                   np.shape(probs)[0])


def _probs(rng, n, c):
    logits = rng.normal(scale=1.5, size=(n, c))
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


@check(weight=2, message="binary_cross_entropy gives wrong values on ordinary inputs (natural log, "
                         "averaged over the samples).",
       fix="−mean[y log p + (1 − y) log(1 − p)].")
def test_bce_matches_definition(student, reference, rng):
    for n in (1, 6, 40):
        _bce(student, reference, rng.integers(0, 2, size=n), rng.uniform(0.02, 0.98, size=n))
    _bce(student, reference, [1, 0, 1], [0.9, 0.3, 0.6])


@check(weight=1, message="Soft labels anywhere in [0, 1] (label smoothing, distillation) give a wrong "
                         "loss.",
       fix="Use the formula for every y instead of branching on y == 1.")
def test_bce_soft_labels(student, reference, rng):
    _bce(student, reference, rng.uniform(0.0, 1.0, size=12), rng.uniform(0.02, 0.98, size=12))


@check(weight=2, message="Predictions of exactly 0 or 1 give an infinite or NaN loss; it must be finite.",
       fix="Clip them to [eps, 1 − eps] before taking logs — both ends, because log(1 − p) needs p < 1 as "
           "much as log p needs p > 0.")
def test_bce_clips_predictions_of_0_and_1(student, reference, rng):
    _bce(student, reference, np.array([1.0, 0.0, 1.0, 0.0]), np.array([1.0, 0.0, 0.0, 1.0]))
    _bce(student, reference, np.array([0.0, 1.0, 1.0]), np.array([1.0, 0.0, 0.7]))
    y = rng.integers(0, 2, size=10).astype(np.float64)
    _bce(student, reference, y, np.where(rng.uniform(size=10) < 0.5, 0.0, 1.0))


@check(weight=1, message="eps is not used as expected: with a larger eps such as 1e-3 your loss differs.",
       fix="Use the eps you are given and clip, p → min(max(p, eps), 1 − eps) (np.clip), rather than add "
           "eps.")
def test_bce_respects_eps(student, reference, rng):
    y = np.array([1.0, 0.0, 1.0, 0.0, 1.0, 0.0])
    p = np.array([0.0, 1.0, 5e-4, 0.9995, 0.5, 0.25])
    for eps in (1e-3, 1e-7):
        _bce(student, reference, y, p, eps)
    _bce(student, reference, rng.integers(0, 2, size=5), rng.uniform(0.1, 0.9, size=5), 0.05)


@check(weight=2, message="categorical_cross_entropy with class indices gives wrong values (natural log, "
                         "averaged over samples).",
       fix="−mean over samples of log p[i, labels[i]]: p[np.arange(n), labels].")
def test_cce_class_indices(student, reference, rng):
    for n, c in ((1, 2), (5, 4), (30, 10)):
        _cce(student, reference, rng.integers(0, c, size=n), _probs(rng, n, c))
    _cce(student, reference, [0, 2], [[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]])


@check(weight=1, message="One-hot labels of shape (n, C) give a different loss than the same labels as "
                         "class indices.",
       fix="With one-hot rows the loss is −mean over samples of Σ_c y_c log p_c.")
def test_cce_one_hot_labels(student, reference, rng):
    for n, c in ((4, 3), (12, 5)):
        labels = np.eye(c, dtype=int)[rng.integers(0, c, size=n)]
        _cce(student, reference, labels, _probs(rng, n, c))
    labels = np.eye(3)[[2, 0, 1, 1]]
    _cce(student, reference, labels, _probs(rng, 4, 3))


@check(weight=1, message="A true class with predicted probability exactly 0 gives an infinite loss; it "
                         "must be finite, −log(eps).",
       fix="Clip the probabilities to [eps, 1 − eps] with the eps you are given.")
def test_cce_clips_zero_probability(student, reference, rng):
    probs = np.array([[0.0, 1.0, 0.0], [0.5, 0.5, 0.0], [0.2, 0.3, 0.5]])
    for eps in (None, 1e-4):
        _cce(student, reference, np.array([0, 2, 1]), probs, eps)
        _cce(student, reference, np.eye(3)[[0, 2, 1]], probs, eps)


@check(weight=1, message="A cross-entropy function modified its inputs.",
       fix="Clip a copy: np.clip with out=, or p[p < eps] = eps, writes into the caller's array.")
def test_leave_inputs_unchanged(student, reference, rng):
    _bce(student, reference, np.array([1.0, 0.0, 1.0]), np.array([0.0, 1.0, 0.6]))
    probs = _probs(rng, 3, 4)
    probs[0] = [0.0, 1.0, 0.0, 0.0]
    _cce(student, reference, np.array([0, 1, 3]), probs)
    _cce(student, reference, np.eye(4)[[0, 1, 3]], probs.copy())
    assert_inputs_unchanged(student)
