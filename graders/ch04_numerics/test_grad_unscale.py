"""Hidden checks for `unscale_grads(grads, scale)`: GradScaler's unscale step."""

import numpy as np

from mlmath.grading import (Feedback, as_array, assert_close, assert_inputs_unchanged, check,
                            expect_error)


def _grads(rng, shapes, scale):
    return [(rng.normal(size=shape) * scale * 1e-3).astype(np.float16) for shape in shapes]


def _unpack(result):
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        raise Feedback("unscale_grads must return a pair (unscaled_grads, found_inf)")
    grads, found_inf = result
    if not isinstance(grads, (list, tuple)):
        raise Feedback("the unscaled gradients must be a list of arrays")
    return list(grads), found_inf


def _flag(found_inf):
    if type(found_inf) not in (bool, np.bool_):
        raise Feedback(f"found_inf must be a bool, not {type(found_inf).__name__}")
    return bool(found_inf)


def _unscaled(student, reference, grads, scale):
    """The learner's (grads, found_inf), after checking the grads' values against the reference."""
    got, found_inf = _unpack(student.unscale_grads(grads, scale))
    expected, _ = reference.unscale_grads(grads, scale)
    if len(got) != len(expected):
        raise Feedback("return one unscaled array per gradient, in the same order")
    for g, e in zip(got, expected):
        assert_close(g, e)
    return got, found_inf


@check(weight=2, message="Gradients outside float16's range did not survive the division: the unscaling "
                         "ran in float16.",
       fix="Cast each gradient to float32 first, then divide it by the scale.")
def test_unscales_in_float32(student, reference, rng):
    for scale in (65536.0, 1024.0, 3.0):
        _unscaled(student, reference, _grads(rng, [(3, 4), (5,), (2, 2, 2)], scale), scale)


@check(weight=1, message="unscale_grads must return float32 arrays: unscaling in float16 flushes small "
                         "gradients to zero.",
       fix="Return g.astype(np.float32) / scale for each gradient.")
def test_returns_float32(student, reference, rng):
    got, _ = _unscaled(student, reference, _grads(rng, [(4,), (2, 3)], 1024.0), 1024.0)
    for g in got:
        if as_array(g).dtype != np.float32:
            raise Feedback(f"an unscaled gradient has dtype {as_array(g).dtype}")


@check(weight=2, message="found_inf is not True when a gradient, in any array of the list, holds inf or "
                         "NaN — that is how the optimiser step gets skipped.",
       fix="found_inf = any(not np.all(np.isfinite(g)) for g in the unscaled gradients).")
def test_detects_inf_and_nan(student, rng):
    # each array of the list (first, middle, last) holds the bad value once
    for bad, where in zip((np.inf, -np.inf, np.nan), rng.permutation(3)):
        grads = _grads(rng, [(3,), (2, 4), (5,)], 1024.0)
        grads[int(where)].flat[int(rng.integers(0, 3))] = bad
        _, found_inf = _unpack(student.unscale_grads(grads, 1024.0))
        if not _flag(found_inf):
            raise Feedback()


@check(weight=1, message="found_inf must be False when every gradient is finite.")
def test_finite_grads_are_not_flagged(student, reference, rng):
    for scale in (65536.0, 8.0):
        grads = _grads(rng, [(3,), (4, 4)], scale)
        grads[0][0] = np.float16(65504.0)    # the largest float16 is still finite
        _, found_inf = _unscaled(student, reference, grads, scale)
        if _flag(found_inf):
            raise Feedback()


FLOAT32_MAX = float(np.finfo(np.float32).max)


@check(weight=1, message="found_inf missed an overflow: with a tiny loss scale a finite float16 gradient "
                         "divided by it overflows float32 to inf — found_inf is about the UNSCALED "
                         "gradients.",
       fix="Decide found_inf after unscaling, on the float32 results, not on the float16 inputs.")
def test_detects_overflow_in_unscaling(student, reference, rng):
    for _ in range(2):
        scale = float(10.0 ** rng.uniform(-37.0, -35.0))        # 1 / scale is still a finite float32
        overflow_at = FLOAT32_MAX * scale                          # |g| from which g / scale is inf
        grads = [(rng.normal(size=shape) * 0.05 * overflow_at).astype(np.float16) for shape in ((3,), (2, 4))]
        where = int(rng.integers(0, 2))
        grads[where].flat[int(rng.integers(0, 3))] = rng.choice([-1.0, 1.0]) * rng.uniform(2.0, 10.0) * overflow_at
        _, found_inf = _unscaled(student, reference, grads, scale)
        if not _flag(found_inf):
            raise Feedback()


@check(weight=1, message="A loss scale of 0 or less must raise ValueError (and a positive one must not).",
       fix="Check `scale > 0` before dividing and raise ValueError otherwise.")
def test_rejects_non_positive_scale(student, reference, rng):
    grads = _grads(rng, [(3,)], 1.0)
    expect_error("ValueError", student.unscale_grads, grads, 0.0)
    expect_error("ValueError", student.unscale_grads, grads, -2.0)
    _unscaled(student, reference, grads, 0.5)


@check(weight=1, message="unscale_grads modified the gradients it was given.",
       fix="Return new arrays (astype makes a copy) instead of dividing in place.")
def test_leaves_input_unchanged(student, reference, rng):
    _unscaled(student, reference, _grads(rng, [(3, 3), (4,)], 512.0), 512.0)
    assert_inputs_unchanged(student)
