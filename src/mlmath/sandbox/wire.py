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

This module is imported both by the trusted side and by the sandbox worker,
so it depends on nothing but the standard library, NumPy and msgpack.  The
builtins and library functions it needs are bound at import time: learner code
that later monkeypatches ``builtins`` or ``numpy`` cannot change how values
are encoded.
"""

from builtins import (  # bound now: immune to later monkeypatching of builtins
    any, bool, bytes, dict, float, int, len, list, str, tuple, type, complex,
    ValueError, TypeError, OverflowError, RecursionError,
)
import struct

import msgpack
import numpy
from numpy import ndarray, frombuffer, ascontiguousarray, asarray

__all__ = ["WireError", "SourceFunction", "encode", "decode", "pack_frame",
           "read_frame", "ALLOWED_DTYPES", "MAX_FRAME"]

_packb = msgpack.packb
_unpackb = msgpack.unpackb
_ExtType = msgpack.ExtType
_dtype = numpy.dtype
_prod = numpy.prod
_struct_pack = struct.pack
_struct_unpack = struct.unpack

#: dtypes allowed on the wire, by their canonical names (native byte order).
ALLOWED_DTYPES = frozenset({
    "bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32",
    "uint64", "float16", "float32", "float64", "complex64", "complex128",
})


_SCALAR_TYPES = frozenset(_dtype(name).type for name in ALLOWED_DTYPES)

#: largest message in either direction (bytes); bigger ones are refused.
MAX_FRAME = 256 * 1024 * 1024
_MAX_DEPTH = 64

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
    if depth > _MAX_DEPTH:
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


def _array_from_payload(data):
    name, shape, raw = _unpackb(data, raw=False)
    if name not in ALLOWED_DTYPES or type(shape) is not list:
        raise WireError("malformed array on the wire")
    for n in shape:
        if type(n) is not int or n < 0:
            raise WireError("malformed array shape on the wire")
    dt = _dtype(name)
    count = int(_prod(shape, dtype="int64")) if shape else 1
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


def decode(data, allow_source=False):
    """Parse bytes produced by :func:`encode`.

    ``allow_source`` is False on the trusted side: a callable can only travel
    into the sandbox, never back out of it.
    """
    try:
        value = _unpackb(data, raw=False, ext_hook=_ext_hook, strict_map_key=True)
    except WireError:
        raise
    except Exception as exc:  # msgpack raises several unrelated types
        raise WireError(f"malformed message: {type(exc).__name__}") from None
    if not allow_source and _contains_source(value, 0):
        raise WireError("a callable cannot be returned")
    return value


def _contains_source(value, depth):
    kind = type(value)
    if kind is SourceFunction:
        return True
    if depth > _MAX_DEPTH:
        return False
    if kind is list or kind is tuple:
        return any(_contains_source(item, depth + 1) for item in value)
    if kind is dict:
        return any(_contains_source(item, depth + 1) for item in value.values())
    return False


def pack_frame(payload):
    """Prefix ``payload`` with its 4-byte big-endian length."""
    if len(payload) > MAX_FRAME:
        raise WireError("message too large")
    return _struct_pack(">I", len(payload)) + payload


def read_frame(read_exact):
    """Read one length-prefixed frame with ``read_exact(n) -> bytes``."""
    (size,) = _struct_unpack(">I", read_exact(4))
    if size > MAX_FRAME:
        raise WireError("message too large")
    return read_exact(size)
