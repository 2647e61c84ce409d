"""Hidden checks for `multi_head_attention(X, Wq, Wk, Wv, Wo, n_heads, mask=None)`.

The reference solution follows PyTorch's nn.MultiheadAttention head split (contiguous
blocks of dh columns, heads concatenated in order); tests/reference checks it against
golden outputs of PyTorch.
"""

import numpy as np

from mlmath.grading import assert_close, assert_inputs_unchanged, check, expect_error


def _problem(rng, shape):
    d_model = shape[-1]
    weights = [rng.normal(scale=1 / np.sqrt(d_model), size=(d_model, d_model)) for _ in range(4)]
    return (rng.normal(size=shape), *weights)


def _assert_mha(student, reference, X, Wq, Wk, Wv, Wo, n_heads, mask=None):
    args = (X, Wq, Wk, Wv, Wo, n_heads) if mask is None else (X, Wq, Wk, Wv, Wo, n_heads, mask)
    assert_close(student.multi_head_attention(*args), reference.multi_head_attention(*args), what="the output")


def _padding(rng, B, T):
    mask = rng.random((B, T, T)) < 0.6
    mask[..., 0] = True                              # every query may attend to the first key
    return mask


@check(weight=1.5, message="multi_head_attention gives wrong results on one sequence: check the "
                           "projections, how the columns are split into heads, each head's scaling and how "
                           "the heads are put back together.",
       fix="Q = X Wq, K = X Wk, V = X Wv; head h attends with columns h·dh:(h+1)·dh of Q, K and V, scaled "
           "by 1/√dh; place the heads' outputs side by side in order and multiply by Wo.")
def test_single_sequence(student, reference, rng):
    for T, d_model, n_heads in ((5, 8, 2), (5, 8, 4), (3, 6, 3), (7, 12, 4)):
        _assert_mha(student, reference, *_problem(rng, (T, d_model)), n_heads)


@check(weight=0.5, message="The head split goes wrong at its edges: one head (n_heads = 1), or one column "
                           "per head (n_heads = d_model).",
       fix="With dh = d_model // n_heads and scale 1/√dh, one head is plain attention on the projections "
           "(scale 1/√d_model) and one column per head has scale 1.")
def test_one_head_and_one_column_per_head(student, reference, rng):
    for n_heads in (1, 6):
        _assert_mha(student, reference, *_problem(rng, (4, 6)), n_heads)


@check(weight=1, message="A batch X of shape (B, T, d_model) fails or mixes sequences: every sequence must "
                         "be attended on its own, and the output must have X's shape.",
       fix="Split the heads on the last axis only: reshape to (..., T, n_heads, dh) and move the head axis "
           "before T, (..., n_heads, T, dh), then undo both at the end.")
def test_batched_input(student, reference, rng):
    for shape, n_heads in (((3, 4, 6), 2), ((2, 5, 6), 3), ((1, 3, 4), 4)):
        _assert_mha(student, reference, *_problem(rng, shape), n_heads)


@check(weight=1, message="The mask (True = may attend) is not applied to every head, or a (B, T, T) mask "
                         "lines up with the heads instead of the batch.",
       fix="Give the mask a head axis (mask[..., None, :, :]) so that a (T, T) or (B, T, T) mask "
           "broadcasts against scores of shape (..., n_heads, T, T).")
def test_mask_applies_to_every_head(student, reference, rng):
    causal = np.tril(np.ones((5, 5), dtype=bool))
    cases = [((5, 8), 2, causal), ((3, 5, 8), 4, causal), ((3, 5, 8), 2, _padding(rng, 3, 5)),
             ((2, 5, 6), 3, _padding(rng, 2, 5))]
    for shape, n_heads, mask in cases:
        _assert_mha(student, reference, *_problem(rng, shape), n_heads, mask)


@check(weight=0.5, message="When d_model is not a multiple of n_heads the columns cannot be split into "
                           "equal heads, and yours does not refuse it.",
       fix="Raise ValueError (don't silently drop columns).")
def test_rejects_indivisible_heads(student, reference, rng):
    for shape, n_heads in (((4, 6), 4), ((2, 3, 8), 3), ((3, 4), 8)):
        expect_error("ValueError", student.multi_head_attention, *_problem(rng, shape), n_heads)
    _assert_mha(student, reference, *_problem(rng, (4, 6)), 3)


@check(weight=0.5, message="multi_head_attention modified X, a weight matrix or the mask.",
       fix="Work on new arrays (X @ Wq, reshaped copies, scores / np.sqrt(dh)); no in-place operations "
           "such as Q /= ... or mask[...] = ... on what you were given.")
def test_leaves_inputs_unchanged(student, reference, rng):
    _assert_mha(student, reference, *_problem(rng, (2, 4, 6)), 2, np.tril(np.ones((4, 4), dtype=bool)))
    assert_inputs_unchanged(student)
