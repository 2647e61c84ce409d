"""Hidden checks for `vector_norm(v, ord=2)`: the L1, L2 and max norms, with an overflow-free L2."""

import numpy as np

from mlmath.grading import Feedback, as_array, assert_close, assert_inputs_unchanged, assert_no_warnings, check, expect_error


def _norm(student, v, **kwargs):
    got = as_array(student.vector_norm(v, **kwargs))
    if got.shape != ():
        raise Feedback(f"the result has shape {got.shape}; a norm is a single number")
    return got


def _assert_norm(student, reference, v, atol=None, **kwargs):
    assert_close(_norm(student, v, **kwargs), reference.vector_norm(v, **kwargs), atol=atol)


@check(weight=2, message="Your L2 norm (the default, ord=2) gives wrong values: it should be the Euclidean "
                         "length, a single number.",
       fix="sqrt(Σ v_i²), returned as a float.")
def test_l2_norm(student, reference, rng):
    for size in (1, 2, 5, 17):
        v = rng.normal(scale=3.0, size=size)
        _assert_norm(student, reference, v)
        _assert_norm(student, reference, v, ord=2)
    _assert_norm(student, reference, rng.integers(-9, 10, size=6).tolist())


@check(weight=1, message="Your L1 norm (ord=1) gives wrong values: negative entries should add to the "
                         "length too.",
       fix="Σ |v_i|: take absolute values before summing.")
def test_l1_norm(student, reference, rng):
    for size in (1, 4, 9):
        _assert_norm(student, reference, rng.normal(scale=2.0, size=size) - 1.0, ord=1)
    _assert_norm(student, reference, rng.integers(-9, 0, size=5), ord=1)


@check(weight=1, message="Your max norm (ord=np.inf) gives wrong values: a large negative entry counts "
                         "too.",
       fix="max |v_i|: the largest MAGNITUDE, not the largest value.")
def test_max_norm(student, reference, rng):
    for size in (1, 4, 9):
        v = rng.normal(size=size)
        v[rng.integers(size)] = -10.0 - rng.uniform()          # the largest magnitude is negative
        _assert_norm(student, reference, v, ord=np.inf)
    _assert_norm(student, reference, [2.0, -3.0, 1.0], ord=float("inf"))


@check(weight=2, message="Your L2 norm overflows for huge entries: (1e200)² is inf in float64.",
       fix="Divide by the largest magnitude s = max|v_i| before squaring, and multiply by s afterwards.")
def test_l2_stable_for_huge_entries(student, reference, rng):
    for v in (np.array([1e200, 1e200]), rng.normal(size=8) * 1e250, np.array([1e300, -1e300, 5e299]),
              rng.normal(size=5) * 1e160):
        _assert_norm(student, reference, v)
    assert_no_warnings(student)


@check(weight=1, message="Your L2 norm underflows for tiny entries: (1e-200)² rounds to 0, so the norm "
                         "comes out 0.",
       fix="Scale by the largest magnitude s = max|v_i| before squaring, and multiply by s afterwards.")
def test_l2_stable_for_tiny_entries(student, reference, rng):
    for v in (np.array([3e-200, 4e-200]), rng.normal(size=8) * 1e-250, rng.normal(size=5) * 1e-170):
        _assert_norm(student, reference, v, atol=0.0)        # relative accuracy: 0 is not close
    assert_no_warnings(student)


@check(weight=1, message="The empty vector fails or does not give norm 0.0 for every ord.",
       fix="Return 0.0 for an empty vector before anything else (np.max of an empty array raises).")
def test_empty_vector(student, reference, rng):
    for v in ([], np.array([]), rng.normal(size=3)):
        for kwargs in ({}, {"ord": 1}, {"ord": 2}, {"ord": np.inf}):
            _assert_norm(student, reference, v, **kwargs)


@check(weight=1, message="The zero vector does not give norm 0 for every ord (0/0 is NaN).",
       fix="When you scale by the largest magnitude, return 0.0 when it is 0 instead of dividing by it.")
def test_zero_vector(student, reference, rng):
    for v in (np.zeros(4), [0.0], np.zeros(int(rng.integers(2, 9))), rng.normal(size=4)):
        for kwargs in ({}, {"ord": 1}, {"ord": np.inf}):
            _assert_norm(student, reference, v, **kwargs)


@check(weight=1, message="An unknown ord was accepted and some other norm computed silently.",
       fix="Raise ValueError unless ord is 1, 2 or np.inf (another number, a negative or fractional one, a "
           "string).")
def test_rejects_unknown_ord(student, reference, rng):
    v = rng.normal(size=4)
    for ord in (3, 0, -1, -np.inf, "fro", 0.5):
        expect_error("ValueError", student.vector_norm, v, ord=ord)
    _assert_norm(student, reference, v, ord=2)


@check(weight=1, message="vector_norm modified its input.",
       fix="Divide a copy by the largest magnitude (v /= s writes into the caller's array).")
def test_leaves_input_unchanged(student, reference, rng):
    v = rng.normal(scale=10.0, size=6)
    for kwargs in ({}, {"ord": 1}, {"ord": np.inf}):
        _assert_norm(student, reference, v, **kwargs)
    _assert_norm(student, reference, rng.normal(size=5))
    assert_inputs_unchanged(student)
