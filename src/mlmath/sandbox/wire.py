"""The wire format between the trusted grader and the sandbox: plain data only.

Values cross the process boundary as msgpack.  Lists, dicts with string keys,
strings, bools, ints, floats and None map onto msgpack directly; the rest use
extension types that carry *data*, never code or pickles:

* a NumPy array of an allowed dtype is ``(dtype string, shape, raw bytes)``;
* a NumPy scalar is a 0-d array with a flag;
* tuples and complex numbers have their own tags;
* a grader-supplied callable travels (trusted -> sandbox only) as Python
  source text, evaluated inside the sandbox.

Only *exact* types are accepted: an ndarray subclass or an object that merely
pretends to be a number is refused with :class:`WireError`, so a learner
cannot smuggle in an object with a custom ``__eq__``.

Decoding is bounded before anything is built: :func:`decode` first walks the
raw msgpack bytes (no recursion into Python objects, nothing allocated) and
refuses a message that nests deeper than :data:`MAX_DEPTH` — extension types
included —, holds more than ``budget.items`` elements or is malformed.  Only
then does msgpack build it.  The trusted side sets the budget from the course's
limits; a reply that breaks it is the fault of the submission that sent it.

This module is imported both by the trusted side and by the sandbox worker,
so it depends on nothing but the standard library, NumPy and msgpack.  The
builtins and library functions it needs are bound at import time: learner code
that later monkeypatches ``builtins`` or ``numpy`` cannot change how values
are encoded.
"""

from builtins import (  # bound now: immune to later monkeypatching of builtins
    bool, bytes, dict, float, int, len, list, str, tuple, type, complex,
    ValueError, TypeError, OverflowError, RecursionError,
)
import struct

import msgpack
import numpy
from numpy import ndarray, frombuffer, ascontiguousarray, asarray

__all__ = ["WireError", "SourceFunction", "Budget", "encode", "decode", "pack_frame",
           "read_frame", "ALLOWED_DTYPES", "MAX_FRAME", "MAX_DEPTH"]

_packb = msgpack.packb
_unpackb = msgpack.unpackb
_ExtType = msgpack.ExtType
_dtype = numpy.dtype
_struct_pack = struct.pack
_struct_unpack = struct.unpack

#: dtypes allowed on the wire, by their canonical names (native byte order).
ALLOWED_DTYPES = frozenset({
    "bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32",
    "uint64", "float16", "float32", "float64", "complex64", "complex128",
})


_SCALAR_TYPES = frozenset(_dtype(name).type for name in ALLOWED_DTYPES)

#: largest message in either direction (bytes); bigger ones are refused.  The trusted side
#: reads replies under the (smaller) course limit, see :class:`Budget`.
MAX_FRAME = 256 * 1024 * 1024
#: deepest nesting of lists, dicts, tuples and arrays a message may have
MAX_DEPTH = 32
#: most dimensions an array on the wire may have (NumPy's own limit is 64)
MAX_NDIM = 32

_EXT_ARRAY = 1
_EXT_SCALAR = 2
_EXT_TUPLE = 3
_EXT_COMPLEX = 4
_EXT_SOURCE = 5


class WireError(ValueError):
    """A value that cannot cross the sandbox boundary."""


class SourceFunction:
    """A function given as source text, compiled and called inside the sandbox.

    Graders use it to hand learner functions a callable (``grad_f`` in an
    optimiser, ``f`` in a numerical gradient) without ever running learner
    code in the trusted process.  ``source`` is an expression that evaluates
    to a callable, e.g. ``"lambda x: (x ** 2).sum()"``; ``numpy`` is in scope
    as ``np``.
    """

    __slots__ = ("source",)

    def __init__(self, source):
        self.source = str(source)

    def __repr__(self):
        return f"SourceFunction({self.source!r})"

    def __eq__(self, other):
        return type(other) is SourceFunction and other.source == self.source

    def __hash__(self):
        return hash(self.source)


def _array_payload(arr):
    name = arr.dtype.name
    if name not in ALLOWED_DTYPES:
        raise WireError(f"arrays of dtype {arr.dtype} cannot be returned; "
                        "use a numeric or bool dtype")
    if not arr.dtype.isnative:
        arr = arr.astype(arr.dtype.newbyteorder("="))
    shape = list(arr.shape)  # before ascontiguousarray, which makes 0-d arrays 1-d
    return _packb([name, shape, ascontiguousarray(arr).tobytes()], use_bin_type=True)


def _to_wire(value, depth):
    if depth > MAX_DEPTH:
        raise WireError("value is nested too deeply")
    kind = type(value)
    if value is None or kind is bool or kind is str or kind is float or kind is bytes:
        return value
    if kind is int:
        if not -(1 << 63) <= value < (1 << 64):
            raise WireError("integer too large to transfer")
        return value
    if kind is complex:
        return _ExtType(_EXT_COMPLEX, _struct_pack("<dd", value.real, value.imag))
    if kind is ndarray:
        return _ExtType(_EXT_ARRAY, _array_payload(value))
    if kind in _SCALAR_TYPES:
        return _ExtType(_EXT_SCALAR, _array_payload(asarray(value)))
    if kind is list:
        return [_to_wire(item, depth + 1) for item in value]
    if kind is tuple:
        items = [_to_wire(item, depth + 1) for item in value]
        return _ExtType(_EXT_TUPLE, _packb(items, use_bin_type=True))
    if kind is dict:
        out = {}
        for key, item in value.items():
            if type(key) is not str:
                raise WireError("dict keys must be strings")
            out[key] = _to_wire(item, depth + 1)
        return out
    if kind is SourceFunction:
        return _ExtType(_EXT_SOURCE, value.source.encode("utf-8"))
    raise WireError(f"a value of type {kind.__module__}.{kind.__qualname__} "
                    "cannot be transferred; return plain numbers, strings, "
                    "lists, tuples, dicts or NumPy arrays")


class Budget:
    """How much one message may hold once decoded: ``items`` elements in all (every list,
    dict key and value, string, number...) and ``frame_bytes`` on the wire."""

    __slots__ = ("items", "frame_bytes")

    def __init__(self, items=1 << 62, frame_bytes=MAX_FRAME):
        self.items = items
        self.frame_bytes = frame_bytes


#: msgpack's one-byte headers of fixed-size values: header byte -> bytes that follow it
_FIXED_SIZE = {0xc0: 0, 0xc2: 0, 0xc3: 0, 0xca: 4, 0xcb: 8, 0xcc: 1, 0xcd: 2, 0xce: 4, 0xcf: 8,
               0xd0: 1, 0xd1: 2, 0xd2: 4, 0xd3: 8}
#: headers followed by a big-endian length: header byte -> (bytes of the length, kind)
_SIZED = {0xc4: (1, "bin"), 0xc5: (2, "bin"), 0xc6: (4, "bin"),
          0xd9: (1, "str"), 0xda: (2, "str"), 0xdb: (4, "str"),
          0xc7: (1, "ext"), 0xc8: (2, "ext"), 0xc9: (4, "ext"),
          0xdc: (2, "array"), 0xdd: (4, "array"), 0xde: (2, "map"), 0xdf: (4, "map")}
#: every structural level costs one: a tuple (an extension holding a list) costs two
_MAX_LEVELS = 2 * MAX_DEPTH + 4


def _walk(data, level, remaining, allow_source):
    """Check the msgpack bytes ``data`` hold exactly one value within the limits, without
    building it; return the element budget left.  Iterative over lists and dicts, recursive
    (bounded by ``_MAX_LEVELS``) only into extension payloads."""
    size = len(data)
    pos = 0
    open_counts = [1]          # values still to read at each open level
    while open_counts:
        if open_counts[-1] == 0:
            open_counts.pop()
            continue
        open_counts[-1] -= 1
        remaining -= 1
        if remaining < 0:
            raise WireError("message holds too many elements")
        if pos >= size:
            raise WireError("truncated message")
        head = data[pos]
        pos += 1
        count = 0
        if head <= 0x7f or head >= 0xe0:
            continue
        if head in _FIXED_SIZE:
            pos += _FIXED_SIZE[head]
        elif 0x80 <= head <= 0x8f:
            count = 2 * (head & 0x0f)
        elif 0x90 <= head <= 0x9f:
            count = head & 0x0f
        elif 0xa0 <= head <= 0xbf:
            pos += head & 0x1f
        elif 0xd4 <= head <= 0xd8:   # fixext 1, 2, 4, 8, 16
            length = 1 << (head - 0xd4)
            remaining = _walk_ext(data, pos, length, level, remaining, allow_source)
            pos += 1 + length
        elif head in _SIZED:
            width, kind = _SIZED[head]
            if pos + width > size:
                raise WireError("truncated message")
            length = int.from_bytes(data[pos:pos + width], "big")
            pos += width
            if kind == "array":
                count = length
            elif kind == "map":
                count = 2 * length
            elif kind == "ext":
                remaining = _walk_ext(data, pos, length, level, remaining, allow_source)
                pos += 1 + length
            else:
                pos += length
        else:
            raise WireError("malformed message")
        if pos > size:
            raise WireError("truncated message")
        if count:
            if level + len(open_counts) > _MAX_LEVELS:
                raise WireError("message is nested too deeply")
            open_counts.append(count)
    if pos != size:
        raise WireError("malformed message: extra data")
    return remaining


def _walk_ext(data, pos, length, level, remaining, allow_source):
    if pos + 1 + length > len(data):
        raise WireError("truncated message")
    code = data[pos]
    payload = data[pos + 1:pos + 1 + length]
    if code in (_EXT_ARRAY, _EXT_SCALAR, _EXT_TUPLE):
        if level + 1 > _MAX_LEVELS:
            raise WireError("message is nested too deeply")
        return _walk(payload, level + 1, remaining, allow_source)
    if code == _EXT_COMPLEX or (code == _EXT_SOURCE and allow_source):
        return remaining
    if code == _EXT_SOURCE:
        raise WireError("a callable cannot be returned")
    raise WireError(f"unknown extension type {code} on the wire")


def _array_from_payload(data):
    name, shape, raw = _unpackb(data, raw=False)
    if name not in ALLOWED_DTYPES or type(shape) is not list or len(shape) > MAX_NDIM:
        raise WireError("malformed array on the wire")
    count = 1
    for n in shape:
        if type(n) is not int or n < 0:
            raise WireError("malformed array shape on the wire")
        count *= n
    dt = _dtype(name)
    if count * dt.itemsize != len(raw):
        raise WireError("array size does not match its shape")
    # frombuffer gives a read-only view; copy so the receiver owns a writable array
    return frombuffer(raw, dtype=dt, count=count).reshape(shape).copy()


def _ext_hook(code, data):
    if code == _EXT_ARRAY:
        return _array_from_payload(data)
    if code == _EXT_SCALAR:
        arr = _array_from_payload(data)
        if arr.shape != ():
            raise WireError("malformed scalar on the wire")
        return arr[()]
    if code == _EXT_TUPLE:
        return tuple(_unpackb(data, raw=False, ext_hook=_ext_hook, strict_map_key=True))
    if code == _EXT_COMPLEX:
        if len(data) != 16:
            raise WireError("malformed complex number on the wire")
        real, imag = _struct_unpack("<dd", data)
        return complex(real, imag)
    if code == _EXT_SOURCE:
        return SourceFunction(data.decode("utf-8"))
    raise WireError(f"unknown extension type {code} on the wire")


def encode(value):
    """Serialise ``value`` to bytes, refusing anything that is not plain data."""
    try:
        return _packb(_to_wire(value, 0), use_bin_type=True)
    except RecursionError:
        raise WireError("value is nested too deeply") from None
    except (OverflowError, TypeError) as exc:
        raise WireError(f"value cannot be transferred: {exc}") from None


def decode(data, allow_source=False, budget=None):
    """Parse bytes produced by :func:`encode`, within ``budget`` (default: unbounded but for
    the depth, for messages from the trusted side).

    ``allow_source`` is False on the trusted side: a callable can only travel
    into the sandbox, never back out of it.
    """
    budget = budget or Budget()
    if len(data) > budget.frame_bytes:
        raise WireError("message too large")
    _walk(data, 0, budget.items, allow_source)
    try:
        return _unpackb(data, raw=False, ext_hook=_ext_hook, strict_map_key=True)
    except WireError:
        raise
    except Exception as exc:  # msgpack raises several unrelated types
        raise WireError(f"malformed message: {type(exc).__name__}") from None


def pack_frame(payload):
    """Prefix ``payload`` with its 4-byte big-endian length."""
    if len(payload) > MAX_FRAME:
        raise WireError("message too large")
    return _struct_pack(">I", len(payload)) + payload


def read_frame(read_exact, max_bytes=MAX_FRAME):
    """Read one length-prefixed frame of at most ``max_bytes`` with ``read_exact(n) -> bytes``;
    a longer one is refused before it is read."""
    (size,) = _struct_unpack(">I", read_exact(4))
    if size > max_bytes:
        raise WireError("message too large")
    return read_exact(size)
