"""Does only plain data cross the sandbox boundary, intact?"""

import struct
import tracemalloc

import msgpack
import numpy as np
import pytest
from hypothesis import given, strategies as st
from hypothesis.extra import numpy as hnp

from mlmath.sandbox import wire
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


def _frame_of_nested_tuples(depth: int) -> bytes:
    payload = b"\x90"
    for _ in range(depth):
        payload = b"\xc9" + struct.pack(">I", len(payload)) + b"\x03" + payload
    return payload


@pytest.mark.parametrize("depth", [200, 300, 10_000])
def test_nested_extension_types_are_refused_before_they_are_built(depth):
    with pytest.raises(wire.WireError, match="nested too deeply"):
        wire.decode(_frame_of_nested_tuples(depth))


def test_deeply_nested_lists_are_refused():
    with pytest.raises(wire.WireError, match="nested too deeply"):
        wire.decode(b"\x91" * 100_000 + b"\xc0")


def test_millions_of_empty_lists_are_refused_without_allocating_them():
    data = b"\xdd" + struct.pack(">I", 20_000_000) + b"\x90" * 20_000_000
    tracemalloc.start()
    try:
        with pytest.raises(wire.WireError, match="too many elements"):
            wire.decode(data, budget=wire.Budget(items=2_000_000))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 10 << 20


def test_a_frame_longer_than_the_budget_is_refused_before_it_is_read():
    reads = []

    def read_exact(size):
        reads.append(size)
        return struct.pack(">I", 1 << 30) if size == 4 else b""

    with pytest.raises(wire.WireError, match="too large"):
        wire.read_frame(read_exact, 64 << 20)
    assert reads == [4]


@pytest.mark.parametrize("payload", [
    b"\xc1",                                   # a header msgpack never uses
    b"\x92\x01",                               # a list of two holding one value
    b"\x01\x02",                               # two values where one belongs
    b"\xdb" + struct.pack(">I", 1000) + b"x",  # a string longer than the message
    b"\xc7\x02\x09ab",                         # an unknown extension type
    msgpack.packb(msgpack.ExtType(1, msgpack.packb(["float64", [2**62, 4], b""]))),  # overflowing shape
])
def test_malformed_messages_are_refused(payload):
    with pytest.raises(wire.WireError):
        wire.decode(payload)


def test_the_budget_admits_what_graders_really_get_back():
    value = {"value": [np.random.default_rng(0).normal(size=(1000, 1000)), list(range(100_000)),
                       (1.0, "x", None, 2j), [np.float32(1)] * 1000]}
    assert wire.decode(wire.encode(value), budget=wire.Budget(items=2_000_000, frame_bytes=64 << 20)
                       )["value"][1] == list(range(100_000))
