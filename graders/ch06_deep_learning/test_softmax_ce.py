"""Hidden checks for `softmax_cross_entropy(logits, labels)`: the mean loss and its gradient."""

import numpy as np

from mlmath.grading import (Feedback, as_array, assert_close, assert_dtype, assert_inputs_unchanged,
                            assert_no_warnings, check)


def _case(rng, n, c, scale=3.0):
    return rng.normal(scale=scale, size=(n, c)), rng.integers(0, c, size=n)


def _call(student, logits, labels):
    got = student.softmax_cross_entropy(logits, labels)
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        raise Feedback("softmax_cross_entropy must return a pair (loss, dlogits)")
    return got


def _assert_both(student, reference, logits, labels):
    loss, dlogits = _call(student, logits, labels)
    expected_loss, expected_dlogits = reference.softmax_cross_entropy(logits, labels)
    assert_close(loss, expected_loss, what="the loss")
    assert_close(dlogits, expected_dlogits, what="dlogits")
    return loss, dlogits


@check(weight=1, message="The loss is wrong: each row must use its own label, and the rows' losses are "
                         "averaged (the MEAN, not the sum).",
       fix="loss = mean over rows of −log softmax(z)[label] = logsumexp(z) − z[label]; pick each row's own "
           "entry with z[np.arange(N), labels], and divide the sum by N.")
def test_loss_matches_definition(student, reference, rng):
    for n, c in [(5, 3), (8, 10), (1, 4), (7, 2)]:
        logits, labels = _case(rng, n, c)
        loss, _ = _call(student, logits, labels)
        assert_close(loss, reference.softmax_cross_entropy(logits, labels)[0], what="the loss")


@check(weight=1, message="dlogits is not the gradient of the mean loss, or not an array of the logits' "
                         "shape.",
       fix="dlogits = (softmax(z) − onehot(label)) / N, an array of the logits' shape.")
def test_gradient_matches_definition(student, reference, rng):
    for n, c in [(5, 3), (8, 10), (1, 4), (6, 1)]:
        logits, labels = _case(rng, n, c)
        _, dlogits = _call(student, logits, labels)
        assert_close(dlogits, reference.softmax_cross_entropy(logits, labels)[1], what="dlogits")


@check(weight=1.5, message="Your loss or gradient overflows, or loses the tiny probabilities, for large "
                           "logits.",
       fix="Shift each row by its OWN maximum and stay in log space (log p = z − max − log Σ exp(z − "
           "max)); never take the log of a softmax that rounded to 0.")
def test_stable_for_large_logits(student, reference, rng):
    cases = [(np.array([[1e4, 0.0]]), np.array([1])),
             (np.array([[-1e4, 1e4, 0.0], [1e4, -1e4, 5e3]]), np.array([0, 1])),
             (rng.uniform(-1e4, 1e4, size=(6, 5)), rng.integers(0, 5, size=6)),
             (rng.normal(size=(4, 3)) + np.array([[3000.0], [0.0], [-3000.0], [9000.0]]),
              rng.integers(0, 3, size=4))]
    for logits, labels in cases:
        _assert_both(student, reference, logits, labels)
    assert_no_warnings(student)


@check(weight=0.5, message="The loss comes back as one loss per row instead of a single number.",
       fix="Return the mean over the batch as one number, e.g. float(np.mean(row_losses)).")
def test_loss_is_a_single_number(student, reference, rng):
    logits, labels = _case(rng, 6, 4)
    loss, _ = _call(student, logits, labels)
    got = as_array(loss, "the loss")
    if got.shape != ():
        raise Feedback(f"the loss has shape {got.shape}")
    assert_close(got, reference.softmax_cross_entropy(logits, labels)[0], what="the loss")


@check(weight=0.5, message="Lists, integer logits or labels of another integer dtype fail, or dlogits is "
                           "not a float64 array.",
       fix="Convert with np.asarray(logits, dtype=np.float64) and np.asarray(labels); any integer dtype "
           "can index.")
def test_accepts_array_likes(student, reference, rng):
    cases = [(rng.integers(-5, 6, size=(4, 3)), rng.integers(0, 3, size=4).tolist()),
             (rng.normal(size=(3, 4)).tolist(), rng.integers(0, 4, size=3).astype(np.int32)),
             (rng.integers(-3, 4, size=(2, 2)).tolist(), [1, 0])]
    for logits, labels in cases:
        _, dlogits = _assert_both(student, reference, logits, labels)
        assert_dtype(dlogits, np.float64, what="dlogits")


@check(weight=0.5, message="softmax_cross_entropy modified its inputs.",
       fix="Shift a copy of the logits (logits -= logits.max(...) writes into the caller's array).")
def test_leaves_inputs_unchanged(student, reference, rng):
    logits, labels = _case(rng, 5, 4)
    _assert_both(student, reference, logits, labels)
    assert_inputs_unchanged(student)
