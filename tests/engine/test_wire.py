"""Does only plain data cross the sandbox boundary, intact?"""

import numpy as np
import pytest
from hypothesis import given, strategies as st
from hypothesis.extra import numpy as hnp

from mlmath.sandbox.wire import ALLOWED_DTYPES, SourceFunction, WireError, decode, encode


@given(hnp.arrays(dtype=st.sampled_from(sorted(ALLOWED_DTYPES)), shape=hnp.array_shapes(min_dims=0)))
def test_arrays_of_every_allowed_dtype_round_trip_exactly(array):
    back = decode(encode(array))
    assert type(back) is np.ndarray and back.dtype == array.dtype and back.shape == array.shape
    assert np.array_equal(back, array, equal_nan=array.dtype.kind in "fc")
    assert back.flags.writeable


def test_containers_and_scalars_keep_their_types():
    value = {"t": (1, 2.5, None, True, "s"), "l": [np.float32(1.5), np.int64(-3), 2j, b"x"]}
    back = decode(encode(value))
    assert back == value
    assert type(back["t"]) is tuple and type(back["l"][0]) is np.float32 and type(back["l"][1]) is np.int64


def test_non_native_byte_order_arrives_as_native():
    back = decode(encode(np.arange(3, dtype=">f8")))
    assert back.dtype == np.float64 and back.tolist() == [0.0, 1.0, 2.0]


@pytest.mark.parametrize("value", [
    np.matrix([[1.0]]),                                   # an ndarray subclass
    np.ma.masked_array([1.0, 2.0]),
    type("FakeArray", (np.ndarray,), {"__eq__": lambda *a: True})((2,)),
    np.array(["a"]), np.array([object()], dtype=object),
    object(), {1: "int key"}, 2 ** 80, lambda x: x,
], ids=["matrix", "masked", "eq-subclass", "str-array", "object-array", "object", "int-key", "bigint", "lambda"])
def test_anything_but_plain_data_is_refused(value):
    with pytest.raises(WireError):
        encode(value)


def test_callables_travel_into_the_sandbox_only():
    data = encode([SourceFunction("lambda x: x")])
    assert decode(data, allow_source=True) == [SourceFunction("lambda x: x")]
    with pytest.raises(WireError):
        decode(data)


@pytest.mark.parametrize("data", [b"\xc1", b"\xd4\x63\x00", b"\xc7\x05\x01\x93\xa7float64\x91"])
def test_malformed_bytes_raise_wire_error(data):
    with pytest.raises(WireError):
        decode(data)


def test_an_array_whose_size_lies_about_its_shape_is_refused():
    import msgpack
    payload = msgpack.packb(["float64", [1000], b"\x00" * 8])
    with pytest.raises(WireError):
        decode(msgpack.packb(msgpack.ExtType(1, payload)))
