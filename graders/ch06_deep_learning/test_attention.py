"""Hidden checks for `causal_mask(T)` and `scaled_dot_product_attention(Q, K, V, mask=None)`."""

import numpy as np

from mlmath.grading import (Feedback, as_array, assert_close, assert_dtype, assert_inputs_unchanged,
                            assert_no_warnings, check)


def _qkv(rng, lead, tq, tk, d, dv, scale=1.0):
    return (rng.normal(scale=scale, size=(*lead, tq, d)), rng.normal(scale=scale, size=(*lead, tk, d)),
            rng.normal(size=(*lead, tk, dv)))


def _random_mask(rng, shape):
    """A bool mask in which every query row may attend to at least one key."""
    mask = rng.random(shape) < 0.6
    keep = rng.integers(0, shape[-1], size=shape[:-1])
    np.put_along_axis(mask, keep[..., None], True, axis=-1)
    return mask


def _close(actual, expected, what):
    try:
        assert_close(actual, expected, what=what)
    except Feedback as failure:
        raise Feedback(failure.detail or f"{what} are wrong") from None


def _attend(student, reference, Q, K, V, mask=None):
    args = (Q, K, V) if mask is None else (Q, K, V, mask)
    got = student.scaled_dot_product_attention(*args)
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        raise Feedback("scaled_dot_product_attention must return a pair (out, weights)")
    out, weights = got
    expected_out, expected_weights = reference.scaled_dot_product_attention(*args)
    _close(weights, expected_weights, "the weights")
    _close(out, expected_out, "the outputs")
    return as_array(out), as_array(weights)


def _assert_masked_exactly_zero(weights, mask):
    blocked = ~np.broadcast_to(np.asarray(mask, dtype=bool), weights.shape)
    if np.any(weights[blocked] != 0):
        raise Feedback("some masked weights are not exactly 0")


@check(weight=1, message="causal_mask(T) lets a position attend to a later one, hides it from itself or an "
                         "earlier one, or is not a (T, T) bool array.",
       fix="np.tril(np.ones((T, T), dtype=bool)): True on and below the diagonal, so row i may attend to "
           "positions 0..i, itself included.")
def test_causal_mask(student):
    for T in (1, 2, 5, 9):
        got = as_array(student.causal_mask(T))
        if got.shape != (T, T) or got.dtype != np.bool_:
            raise Feedback(f"causal_mask({T}) has shape {got.shape} and dtype {got.dtype}")
        if not np.array_equal(got, np.tril(np.ones((T, T), dtype=bool))):
            raise Feedback()


@check(weight=1.5, message="Attention gives wrong outputs or weights on ordinary inputs: check the "
                           "softmax's axis, the scaling, and that you return the pair (out, weights).",
       fix="weights = softmax(Q Kᵀ / √d) over the keys (the last axis), with d = Q.shape[-1] (not V's); "
           "out = weights V; return (out, weights).")
def test_matches_definition(student, reference, rng):
    for tq, tk, d, dv in ((5, 5, 4, 4), (3, 6, 4, 2), (4, 2, 3, 7), (1, 1, 2, 2)):
        _attend(student, reference, *_qkv(rng, (), tq, tk, d, dv))


@check(weight=1, message="Q, K and V with leading batch dimensions (..., T, d) give an error or wrong "
                         "results.",
       fix="Transpose only the last two axes of K (np.swapaxes(K, -1, -2)) — K.T reverses all of them.")
def test_leading_batch_dimensions(student, reference, rng):
    for lead, tq, tk, d, dv in (((3,), 4, 4, 5, 5), ((2, 3), 4, 6, 4, 2), ((4,), 4, 4, 4, 4), ((2, 1, 2), 3, 5, 2, 3)):
        _attend(student, reference, *_qkv(rng, lead, tq, tk, d, dv))


@check(weight=1, message="A bool mask (True = may attend, False = blocked) is not applied right: masked "
                         "positions must get weight exactly 0 and every row must still sum to 1.",
       fix="Put −inf into the masked scores BEFORE the softmax (don't zero weights afterwards).")
def test_boolean_masks(student, reference, rng):
    for tq, tk, mask in ((4, 6, _random_mask(rng, (4, 6))), (5, 5, np.tril(np.ones((5, 5), dtype=bool))),
                         (3, 3, _random_mask(rng, (3, 3)))):
        _, weights = _attend(student, reference, *_qkv(rng, (), tq, tk, 4, 3), mask)
        _assert_masked_exactly_zero(weights, mask)


@check(weight=0.5, message="A mask of another shape than the scores — one (Tq, Tk) mask for a whole batch, "
                           "a (B, 1, 1, Tk) key-padding mask, a (B, Tq, Tk) mask per sequence — fails, or "
                           "its masked weights are not exactly 0.",
       fix="Let NumPy broadcast the mask against the scores (..., Tq, Tk), e.g. np.where(mask, scores, "
           "−inf), without reshaping or indexing it yourself.")
def test_masks_broadcast_over_batch_dimensions(student, reference, rng):
    cases = [((2, 3), 5, 5, np.tril(np.ones((5, 5), dtype=bool))),
             ((2, 2), 3, 6, _random_mask(rng, (2, 1, 1, 6))),
             ((3,), 4, 4, _random_mask(rng, (3, 4, 4)))]
    for lead, tq, tk, mask in cases:
        _, weights = _attend(student, reference, *_qkv(rng, lead, tq, tk, 4, 3), mask)
        _assert_masked_exactly_zero(weights, mask)


@check(weight=0.5, message="Masked weights are not exactly 0 when the scores are large (|score| up to 1e4).",
       fix="Use −inf for the masked scores — a finite stand-in such as −1e4 still competes with scores "
           "that large.")
def test_masked_weights_exactly_zero_for_large_scores(student, reference, rng):
    Q = np.full((4, 1), -100.0)
    K = rng.uniform(99.0, 100.0, size=(6, 1))                      # every score between -1e4 and -9.9e3
    V = rng.normal(size=(6, 3))
    mask = _random_mask(rng, (4, 6))
    _, weights = _attend(student, reference, Q, K, V, mask)
    _assert_masked_exactly_zero(weights, mask)
    assert_no_warnings(student)


@check(weight=1, message="Your softmax overflows for large scores (up to 1e4 in magnitude): the weights "
                         "come out inf or nan, or NumPy warns.",
       fix="Subtract each row's maximum before exponentiating — softmax(x) = softmax(x − max), and e^(x − "
           "max) ≤ 1.")
def test_stable_for_large_scores(student, reference, rng):
    for mask in (None, np.tril(np.ones((5, 5), dtype=bool))):
        Q, K, V = _qkv(rng, (), 5, 5, 4, 3)
        scores = Q @ np.swapaxes(K, -1, -2) / 2.0
        Q = Q * (1e4 / np.abs(scores).max())                        # the largest |score| is 1e4
        _attend(student, reference, Q, K, V, mask)
    assert_no_warnings(student)


@check(weight=0.5, message="Integer arrays or lists for Q, K and V, or a nested list of bools for the "
                           "mask, fail, or the outputs and weights are not float64 arrays.",
       fix="Convert with np.asarray(Q, dtype=np.float64) (the same for K and V) and np.asarray(mask, "
           "dtype=bool).")
def test_array_likes_and_float64(student, reference, rng):
    Q, K, V = (rng.integers(-2, 3, size=(4, 3)) for _ in range(3))
    mask = _random_mask(rng, (4, 4)).tolist()
    for args in ((Q, K, V), (Q.tolist(), K.tolist(), V.tolist(), mask)):
        out, weights = _attend(student, reference, *args)
        assert_dtype(out, np.float64, what="out")
        assert_dtype(weights, np.float64, what="the weights")


@check(weight=0.5, message="scaled_dot_product_attention modified Q, K, V or the mask.",
       fix="Scale a new array (scores = Q @ Kᵀ / np.sqrt(d)): Q /= np.sqrt(d) writes into the caller's "
           "array.")
def test_leaves_inputs_unchanged(student, reference, rng):
    Q, K, V = _qkv(rng, (), 3, 4, 4, 2)
    _attend(student, reference, Q, K, V, _random_mask(rng, (3, 4)))
    assert_inputs_unchanged(student)
