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


@check(weight=2, message="Each gradient must be cast to float32 and then divided by the scale, so that "
                         "values outside float16's range survive the division.")
def test_unscales_in_float32(student, reference, rng):
    for scale in (65536.0, 1024.0, 3.0):
        _unscaled(student, reference, _grads(rng, [(3, 4), (5,), (2, 2, 2)], scale), scale)


@check(weight=1, message="Return float32 arrays: unscaling in float16 flushes small gradients to zero.")
def test_returns_float32(student, reference, rng):
    got, _ = _unscaled(student, reference, _grads(rng, [(4,), (2, 3)], 1024.0), 1024.0)
    for g in got:
        if as_array(g).dtype != np.float32:
            raise Feedback(f"an unscaled gradient has dtype {as_array(g).dtype}")


@check(weight=2, message="found_inf must be True when any gradient, in any array of the list, holds "
                         "inf or NaN — that is how the optimiser step gets skipped.")
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


@check(weight=1, message="A loss scale of 0 or less must raise ValueError (and a positive one must not).")
def test_rejects_non_positive_scale(student, reference, rng):
    grads = _grads(rng, [(3,)], 1.0)
    expect_error("ValueError", student.unscale_grads, grads, 0.0)
    expect_error("ValueError", student.unscale_grads, grads, -2.0)
    _unscaled(student, reference, grads, 0.5)


@check(weight=1, message="unscale_grads must not modify the gradients it is given "
                         "(return new arrays).")
def test_leaves_input_unchanged(student, reference, rng):
    _unscaled(student, reference, _grads(rng, [(3, 3), (4,)], 512.0), 512.0)
    assert_inputs_unchanged(student)
