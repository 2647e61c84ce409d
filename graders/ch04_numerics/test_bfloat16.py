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


@check(weight=1, message="A value that already is a bfloat16 (low 16 bits all zero) must come back "
                         "unchanged: rounding only ever touches the 16 bits that are dropped.")
def test_bfloat16_values_come_back_unchanged(student, rng):
    x = (_bits(_random_float32(rng, 200)) & 0xFFFF0000).view(np.float32)
    _assert_same_bits(student.to_bfloat16(x), x)


@check(weight=2, message="Round to the nearest bfloat16, don't truncate: add half of the dropped "
                         "range (0x7FFF plus the tie bit) to the pattern before cutting the low 16 bits. "
                         "Negative numbers round symmetrically.")
def test_rounds_to_nearest(student, reference, rng):
    x = _random_float32(rng, 300)
    _assert_same_bits(student.to_bfloat16(x), reference.to_bfloat16(x))


@check(weight=2, message="Exact ties (low 16 bits equal to 0x8000) go to the neighbour whose last "
                         "kept bit is even — round half to even, not half up.")
def test_ties_go_to_even(student, reference, rng):
    high = rng.integers(0x0080, 0x7F00, size=40, dtype=np.uint32)
    high |= rng.integers(0, 2, size=40, dtype=np.uint32) << 15   # both signs
    x = ((high << 16) | 0x8000).view(np.float32)
    _assert_same_bits(student.to_bfloat16(x), reference.to_bfloat16(x))


@check(weight=1, message="Subnormal float32 numbers (exponent field 0) round on the bit pattern like "
                         "every other value: their bfloat16 neighbours are a fixed step apart, so don't "
                         "keep 8 significant bits of the significand, and don't flush them to zero.")
def test_subnormals(student, reference, rng):
    mantissas = (2.0 ** rng.uniform(0, 23, size=60)).astype(np.uint32)    # every magnitude
    signs = rng.integers(0, 2, size=60, dtype=np.uint32) << 31
    x = (signs | mantissas).view(np.float32)                             # exponent field 0
    _assert_same_bits(student.to_bfloat16(x), reference.to_bfloat16(x))


@check(weight=1, message="Return a float32 array with the shape of x (a 2-d input stays 2-d, "
                         "a 0-d input stays 0-d).")
def test_keeps_shape_and_float32(student, reference, rng):
    for x in (_random_float32(rng, (3, 4)), np.float32(1.2345), _random_float32(rng, (2, 1, 3))):
        got = as_array(student.to_bfloat16(x))
        if got.shape != np.shape(x) or got.dtype != np.float32:
            raise Feedback(f"for an input of shape {np.shape(x)} the result has shape {got.shape} "
                           f"and dtype {got.dtype}")
        _assert_same_bits(got, reference.to_bfloat16(x))


@check(weight=1, message="NaN must stay NaN — even a NaN whose payload lies only in the low bits, "
                         "which naive rounding turns into inf — and ±inf must stay ±inf.")
def test_nan_and_inf_survive(student, reference):
    x = np.array([0x7FC00000, 0x7F800001, 0xFF800001, 0x7FFFFFFF, 0x7F800000, 0xFF800000],
                 dtype=np.uint32).view(np.float32)
    _assert_same_bits(student.to_bfloat16(x), reference.to_bfloat16(x))


@check(weight=1, message="Values that round past the largest bfloat16 (about 3.39e38) become ±inf, "
                         "as IEEE rounding says.")
def test_overflow_rounds_to_inf(student, reference):
    x = np.array([np.finfo(np.float32).max, -np.finfo(np.float32).max, BFLOAT16_MAX,
                  np.nextafter(BFLOAT16_MAX, np.float32(np.inf))], dtype=np.float32)
    _assert_same_bits(student.to_bfloat16(x), reference.to_bfloat16(x))


@check(weight=1, message="to_bfloat16 must not modify its input array.")
def test_leaves_input_unchanged(student, reference, rng):
    x = _random_float32(rng, (4, 5))
    _assert_same_bits(student.to_bfloat16(x), reference.to_bfloat16(x))
    assert_inputs_unchanged(student)
