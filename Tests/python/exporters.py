"""Every buffer exporter that NumPy and the standard library provide, built from a list of float64
values, and what jsa_native must do with each: compute from it bit for bit, or raise TypeError /
ValueError. Used by the exporter tests and by the hostile-call runner (hostile_calls.py).

An exporter is (name, build, as_data, as_out):
  build(values) -> object       the exporter holding `values` (a 1-D float64 ndarray) in its own layout
  as_data                       True: a valid input (the contents it presents are `values`)
  as_out                        True: a valid output (writable, 1-D, C-contiguous float64)
"""
import array
import ctypes

import numpy as np


def _aligned_off(values, offset):
    """`values` in a buffer starting `offset` bytes past an 8-byte boundary (not aligned)."""
    raw = bytearray(8 * len(values) + 8)
    view = np.frombuffer(raw, dtype=np.float64, offset=offset, count=len(values))
    view[:] = values
    return view


def _read_only(values):
    array_ = np.array(values)
    array_.flags.writeable = False
    return array_


def _strided(values):
    wide = np.zeros(2 * len(values))
    wide[::2] = values
    return wide[::2]


def _reversed(values):
    return np.array(values[::-1])[::-1]


class _Subclass(np.ndarray):
    pass


def _ctypes_unaligned(values):
    raw = bytearray(8 * len(values) + 1)
    array_ = (ctypes.c_double * len(values)).from_buffer(raw, 1)
    array_[:] = list(values)
    return array_


def _ctypes(values, kind=ctypes.c_double):
    return (kind * len(values))(*[kind(v).value for v in values])


EXPORTERS = [
    # NumPy
    ("ndarray", lambda v: np.array(v), True, True),
    ("ndarray_read_only", _read_only, True, False),
    ("ndarray_strided", _strided, True, False),
    ("ndarray_reversed", _reversed, True, False),
    ("ndarray_unaligned", lambda v: _aligned_off(v, 3), True, True),
    ("ndarray_subclass", lambda v: np.array(v).view(_Subclass), True, True),
    ("ndarray_masked", lambda v: np.ma.masked_array(np.array(v)), True, True),
    ("ndarray_from_bytes", lambda v: np.frombuffer(np.array(v).tobytes(), dtype=np.float64), True, False),
    ("ndarray_2d_row", lambda v: np.array(v).reshape(1, -1), False, False),
    ("ndarray_2d_column", lambda v: np.array(v).reshape(-1, 1), False, False),
    ("ndarray_matrix", lambda v: np.asmatrix(np.array(v)), False, False),
    ("ndarray_float32", lambda v: np.zeros(len(v), dtype=np.float32), False, False),
    ("ndarray_int64", lambda v: np.zeros(len(v), dtype=np.int64), False, False),
    ("ndarray_complex", lambda v: np.array(v).astype(np.complex128), False, False),
    ("ndarray_big_endian", lambda v: np.array(v).astype(">f8"), False, False),
    ("ndarray_record", lambda v: np.zeros(len(v), dtype=[("a", "f8")]), False, False),
    # the standard library
    ("memoryview", lambda v: memoryview(np.array(v)), True, True),
    ("memoryview_strided", lambda v: memoryview(_strided(v).base)[::2], True, False),
    ("memoryview_of_bytearray", lambda v: memoryview(bytearray(np.array(v).tobytes())).cast("d"), True, True),
    ("memoryview_of_bytes", lambda v: memoryview(np.array(v).tobytes()).cast("d"), True, False),
    ("memoryview_2d", lambda v: memoryview(bytearray(np.array(v).tobytes())).cast("d", [1, len(v)]), False, False),
    ("memoryview_bytes_format", lambda v: memoryview(bytearray(np.array(v).tobytes())), False, False),
    ("bytes", lambda v: np.array(v).tobytes(), False, False),
    ("bytearray", lambda v: bytearray(np.array(v).tobytes()), False, False),
    ("array_d", lambda v: array.array("d", v), True, True),
    ("array_f", lambda v: array.array("f", v), False, False),
    ("array_q", lambda v: array.array("q", [0] * len(v)), False, False),
    ("ctypes_double", _ctypes, True, True),
    ("ctypes_double_unaligned", _ctypes_unaligned, True, True),
    ("ctypes_float", lambda v: _ctypes(v, ctypes.c_float), False, False),
    ("ctypes_longlong", lambda v: (ctypes.c_longlong * len(v))(), False, False),
    ("ctypes_2d", lambda v: ((ctypes.c_double * len(v)) * 1)(), False, False),
    # not buffers at all
    ("list", lambda v: [float(x) for x in v], False, False),
    ("tuple", lambda v: tuple(float(x) for x in v), False, False),
]

BY_NAME = {name: (build, as_data, as_out) for name, build, as_data, as_out in EXPORTERS}

# Writable float64 exporters that are invalid outputs only for their strides (not C-contiguous).
_STRIDED_WRITABLE = {"ndarray_strided", "ndarray_reversed", "memoryview_strided"}


def valid_out(name, length):
    """Whether exporter `name` holding `length` values is a valid output. A buffer of at most one
    element is C-contiguous whatever its stride (PEP 3118), so the strided ones qualify then."""
    return BY_NAME[name][2] or (name in _STRIDED_WRITABLE and length <= 1)


def contents(exporter):
    """What a valid exporter presents, as a new 1-D float64 ndarray (bits preserved)."""
    return np.array(np.asarray(exporter, dtype=np.float64)).reshape(-1)


def reference(x, period):
    """The JSA definition in NumPy: the same IEEE operations, so equal bit for bit."""
    x = np.asarray(x, dtype=np.float64)
    out = np.full(x.shape, np.nan)
    first = int(np.argmax(~np.isnan(x)))
    start = first + period
    with np.errstate(all="ignore"):  # inf - inf and overflow are what IEEE 754 says, as in C
        out[start:] = (x[start:] + x[start - period: len(x) - period]) * 0.5
    return out


def same_bits(a, b):
    a, b = np.asarray(a), np.asarray(b)
    return a.shape == b.shape and np.array_equal(a.view(np.uint64), b.view(np.uint64))
