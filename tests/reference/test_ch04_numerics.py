"""Are the reference solutions of ch04_numerics right? Checked against trusted implementations:
SciPy, ml_dtypes, the struct module, and golden outputs of PyTorch."""

import json
import struct
from pathlib import Path

import ml_dtypes
import numpy as np
import pytest
import scipy.special
from hypothesis import given, strategies as st
from hypothesis.extra import numpy as hnp

from mlmath.grading.grade import reference_solutions
from tests.support import course

ref = reference_solutions(course(), course().assignment("ch04_numerics"))
GOLDEN = json.loads(Path(__file__).parents[1].joinpath("golden", "torch_ch04_numerics.json").read_text())
finite_floats = st.floats(-1e4, 1e4, allow_nan=False)


@given(st.floats(width=32) | st.floats(allow_nan=False, allow_infinity=False, min_value=-3e38, max_value=3e38))
def test_float32_parts_equal_the_struct_bit_pattern(x):
    (bits,) = struct.unpack(">I", struct.pack(">f", x))
    if np.isnan(x):
        bits = int(np.array(x, dtype=np.float32).view(np.uint32))
    assert ref.float32_parts(x) == (bits >> 31, (bits >> 23) & 0xFF, bits & 0x7FFFFF)


@given(hnp.arrays(np.uint32, st.integers(1, 50), elements=st.integers(0, 2**32 - 1)))
def test_to_bfloat16_equals_ml_dtypes_on_every_bit_pattern(bits):
    x = bits.view(np.float32)
    ours = ref.to_bfloat16(x)
    theirs = x.astype(ml_dtypes.bfloat16).astype(np.float32)
    assert ours.dtype == np.float32
    assert np.array_equal(np.isnan(ours), np.isnan(theirs))
    finite = ~np.isnan(ours)
    assert np.array_equal(ours[finite].view(np.uint32), theirs[finite].view(np.uint32))


@given(hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=3, max_side=4), elements=finite_floats),
       st.data())
def test_softmax_family_equals_scipy(x, data):
    axis = data.draw(st.integers(-x.ndim, x.ndim - 1))
    np.testing.assert_allclose(ref.softmax(x, axis=axis), scipy.special.softmax(x, axis=axis), rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(ref.logsumexp(x, axis=axis), scipy.special.logsumexp(x, axis=axis), rtol=1e-12,
                               atol=1e-14)   # log(1 + tiny) near 0: absolute, not relative, accuracy
    np.testing.assert_allclose(ref.log_softmax(x, axis=axis), scipy.special.log_softmax(x, axis=axis),
                               rtol=1e-12, atol=1e-9)


def test_softmax_family_named_edge_cases():
    np.testing.assert_allclose(ref.log_softmax(np.array([1000.0, 0.0])), [0.0, -1000.0])
    assert ref.logsumexp(np.array([-np.inf, -np.inf])) == -np.inf
    assert ref.logsumexp(np.array([1e4, 1e4])) == pytest.approx(1e4 + np.log(2))
    assert ref.softmax(np.array([0.0, -np.inf]))[1] == 0.0
    assert ref.softmax(np.ones(3, dtype=np.float32)).dtype == np.float32


@pytest.mark.parametrize("case", GOLDEN["bce_with_logits"], ids=lambda c: str(len(c["logits"])))
def test_bce_with_logits_equals_torch(case):
    assert ref.bce_with_logits(case["logits"], case["targets"]) == pytest.approx(case["loss"], rel=1e-12, abs=1e-12)


@pytest.mark.parametrize("case", GOLDEN["unscale_grads"], ids=lambda c: str(c["scale"]))
def test_unscale_grads_equals_torch_grad_scaler(case):
    grads = [np.array([float(v) for v in g], dtype=np.float32).astype(np.float16).reshape(shape)
             for g, shape in zip(case["grads"], case["shapes"])]
    unscaled, found_inf = ref.unscale_grads(grads, case["scale"])
    assert found_inf is case["found_inf"]
    for ours, theirs in zip(unscaled, case["unscaled"]):
        assert ours.dtype == np.float32
        np.testing.assert_array_equal(ours.ravel(), np.array([float(v) for v in theirs], dtype=np.float32))
