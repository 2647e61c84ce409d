"""Hidden checks for `float32_parts(x)`: the raw bit fields of np.float32(x)."""

import numpy as np

from mlmath.grading import Feedback, check


def _fields(value):
    bits = int(np.array(value, dtype=np.float32).view(np.uint32))
    return bits >> 31, (bits >> 23) & 0xFF, bits & 0x7FFFFF


def _assert_fields(student, values):
    for value in values:
        got = student.float32_parts(value)
        if not isinstance(got, (tuple, list)) or len(got) != 3:
            raise Feedback("float32_parts must return a tuple (sign, exponent, mantissa)")
        if tuple(int(v) for v in got) != _fields(value):
            raise Feedback()


@check(weight=3, message="The fields of ordinary numbers are wrong.",
       fix="In the float32 pattern the sign is bit 31, the biased exponent bits 30-23 and the mantissa the "
           "low 23 bits: shift and mask (bits >> 23) & 0xFF, bits & 0x7FFFFF.")
def test_fields_of_normal_numbers(student, rng):
    magnitudes = 10.0 ** rng.uniform(-30, 30, size=12)
    signs = rng.choice([-1.0, 1.0], size=12)
    _assert_fields(student, [np.float32(v) for v in magnitudes * signs])


@check(weight=1, message="-0.0 must have its sign bit set: the sign was read by comparing the value with "
                         "0.",
       fix="Read the sign from the bits: bits >> 31.")
def test_signed_zeros(student):
    _assert_fields(student, [np.float32(0.0), np.float32(-0.0)])


@check(weight=1, message="Subnormal numbers must have a biased exponent of 0 (no hidden leading 1).",
       fix="Take the exponent from the bits, not from a logarithm.")
def test_subnormals(student, rng):
    tiny = np.finfo(np.float32).smallest_subnormal
    multiples = rng.integers(1, 2**23, size=6)
    _assert_fields(student, [np.float32(tiny * m) * s for m, s in zip(multiples, [1, -1] * 3)])


@check(weight=1, message="The fields of inf (exponent 255, mantissa 0) or of NaN (exponent 255, a non-zero "
                         "mantissa) are wrong.",
       fix="Take them from the bit pattern too, with no special case.")
def test_inf_and_nan(student):
    _assert_fields(student, [np.float32(np.inf), np.float32(-np.inf), np.float32(np.nan),
                             np.float32(-np.nan)])


@check(weight=1, message="A NaN with another payload or sign gets wrong fields: every NaN has exponent "
                         "255, a non-zero mantissa and its own sign bit.",
       fix="Read the fields from the bits of x itself, not of a NaN you made.")
def test_nan_with_any_payload(student, rng):
    payloads = rng.integers(1, 2**22, size=4, dtype=np.uint32)     # quiet bit clear: signalling NaNs
    signs = rng.integers(0, 2, size=4, dtype=np.uint32) << 31
    for value in (signs | 0x7F800000 | payloads).view(np.float32):
        got = student.float32_parts(value)
        if not isinstance(got, (tuple, list)) or len(got) != 3:
            raise Feedback("float32_parts must return a tuple (sign, exponent, mantissa)")
        sign, exponent, mantissa = _fields(value)
        if (int(got[0]), int(got[1])) != (sign, exponent) or int(got[2]) == 0:
            raise Feedback()


@check(weight=1, message="The fields must describe the nearest float32 to x: a Python float was truncated, "
                         "or read as float64.",
       fix="Convert to float32 first (np.float32(x) rounds), then view its bits as uint32.")
def test_rounds_python_floats_to_float32(student, rng):
    _assert_fields(student, [0.1, 1 / 3, -2.0 / 7.0, *rng.normal(size=4).tolist(), 3])


@check(weight=1, message="float_bits must return three plain Python ints, not NumPy integers or floats.",
       fix="Wrap each field in int(...).")
def test_returns_python_ints(student, rng):
    for value in rng.normal(scale=100.0, size=3).astype(np.float32):
        got = student.float32_parts(value)
        if not isinstance(got, (tuple, list)) or not all(type(v) is int for v in got):
            raise Feedback()
        _assert_fields(student, [value])
