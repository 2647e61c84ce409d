"""Hidden checks for `to_bfloat16(x)`: round-to-nearest-even on the float32 bit pattern."""

import numpy as np

from mlmath.grading import Feedback, as_array, assert_inputs_unchanged, check

BFLOAT16_MAX = np.array(0x7F7F0000, dtype=np.uint32).view(np.float32)[()]


def _bits(array):
    return np.ascontiguousarray(array, dtype=np.float32).view(np.uint32)


def _random_float32(rng, size):
    values = rng.normal(size=size) * 10.0 ** rng.uniform(-30, 30, size=size)
    return values.astype(np.float32)


def _assert_same_bits(got, expected):
    got = as_array(got)
    if got.shape != expected.shape:
        raise Feedback(f"the result has shape {got.shape}, expected {expected.shape}")
    got = got.astype(np.float32)
    same = (_bits(got) == _bits(expected)) | (np.isnan(got) & np.isnan(expected))
    if not np.all(same):
        raise Feedback()


@check(weight=1, message="A value that already is a bfloat16 (low 16 bits all zero) did not come back "
                         "unchanged.",
       fix="Rounding only ever touches the 16 bits that are dropped: add the rounding bias and clear the "
           "low 16 bits, nothing else.")
def test_bfloat16_values_come_back_unchanged(student, rng):
    x = (_bits(_random_float32(rng, 200)) & 0xFFFF0000).view(np.float32)
    _assert_same_bits(student.to_bfloat16(x), x)


@check(weight=2, message="Values are truncated (or rounded the wrong way) instead of rounded to the "
                         "nearest bfloat16; negative numbers must round symmetrically.",
       fix="Add half of the dropped range (0x7FFF plus the tie bit) to the uint32 pattern before cutting "
           "the low 16 bits.")
def test_rounds_to_nearest(student, reference, rng):
    x = _random_float32(rng, 300)
    _assert_same_bits(student.to_bfloat16(x), reference.to_bfloat16(x))


@check(weight=2, message="Exact ties (low 16 bits equal to 0x8000) are not rounded half to even (they go "
                         "up, or down).",
       fix="Add 0x7FFF + ((bits >> 16) & 1): the tie then goes to the neighbour whose last kept bit is "
           "even.")
def test_ties_go_to_even(student, reference, rng):
    high = rng.integers(0x0080, 0x7F00, size=40, dtype=np.uint32)
    high |= rng.integers(0, 2, size=40, dtype=np.uint32) << 15   # both signs
    x = ((high << 16) | 0x8000).view(np.float32)
    _assert_same_bits(student.to_bfloat16(x), reference.to_bfloat16(x))


@check(weight=1, message="Subnormal float32 numbers (exponent field 0) come out wrong: flushed to zero, or "
                         "rounded to 8 significant bits of their significand.",
       fix="Round them on the bit pattern like every other value: their bfloat16 neighbours are a fixed "
           "step apart.")
def test_subnormals(student, reference, rng):
    mantissas = (2.0 ** rng.uniform(0, 23, size=60)).astype(np.uint32)    # every magnitude
    signs = rng.integers(0, 2, size=60, dtype=np.uint32) << 31
    x = (signs | mantissas).view(np.float32)                             # exponent field 0
    _assert_same_bits(student.to_bfloat16(x), reference.to_bfloat16(x))


@check(weight=1, message="The result is not a float32 array with the shape of x (a 2-d input stays 2-d, a "
                         "0-d input stays 0-d).",
       fix="View the rounded uint32 pattern as float32 and reshape to x.shape.")
def test_keeps_shape_and_float32(student, reference, rng):
    for x in (_random_float32(rng, (3, 4)), np.float32(1.2345), _random_float32(rng, (2, 1, 3))):
        got = as_array(student.to_bfloat16(x))
        if got.shape != np.shape(x) or got.dtype != np.float32:
            raise Feedback(f"for an input of shape {np.shape(x)} the result has shape {got.shape} "
                           f"and dtype {got.dtype}")
        _assert_same_bits(got, reference.to_bfloat16(x))


@check(weight=1, message="NaN does not stay NaN — a NaN whose payload lies only in the low bits turns into "
                         "inf with naive rounding — or ±inf does not stay ±inf.",
       fix="Leave NaN out of the rounding (np.where(np.isnan(x), x, rounded)); inf has zero low bits and "
           "survives by itself.")
def test_nan_and_inf_survive(student, reference):
    x = np.array([0x7FC00000, 0x7F800001, 0xFF800001, 0x7FFFFFFF, 0x7F800000, 0xFF800000],
                 dtype=np.uint32).view(np.float32)
    _assert_same_bits(student.to_bfloat16(x), reference.to_bfloat16(x))


@check(weight=1, message="Values that round past the largest bfloat16 (about 3.39e38) do not become ±inf.",
       fix="Let the carry of the rounding add run into the exponent field: it then reads all ones, which "
           "is ±inf, as IEEE rounding says.")
def test_overflow_rounds_to_inf(student, reference):
    x = np.array([np.finfo(np.float32).max, -np.finfo(np.float32).max, BFLOAT16_MAX,
                  np.nextafter(BFLOAT16_MAX, np.float32(np.inf))], dtype=np.float32)
    _assert_same_bits(student.to_bfloat16(x), reference.to_bfloat16(x))


@check(weight=1, message="to_bfloat16 modified its input array.",
       fix="Round a copy of the bit pattern (x.view(np.uint32) shares memory with x).")
def test_leaves_input_unchanged(student, reference, rng):
    x = _random_float32(rng, (4, 5))
    _assert_same_bits(student.to_bfloat16(x), reference.to_bfloat16(x))
    assert_inputs_unchanged(student)
