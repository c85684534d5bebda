"""A sweep's result columns between numpy and Arrow, as they are written and read back.

A chunk's results are numpy columns (numbers) and :class:`Coded` columns (text: the
agreement, the status, the reason), which Parquet stores dictionary-encoded: one small
list of labels and a code per row, so that a million rows never become a million
strings. Numbers go to Arrow and back through their buffers, without copies where
they are contiguous and without pandas (which ``pyarrow.array`` and ``to_numpy``
import, a fifth of a second in every process that writes or reads a sweep).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["Coded", "Column", "coded", "numeric", "to_arrow"]


@dataclass(frozen=True, eq=False)
class Coded:
    """A text column as a code per row into its labels."""

    codes: np.ndarray
    """``(rows,)`` int32 positions in :attr:`labels`."""
    labels: tuple[str, ...]

    def rows(self, label: str) -> np.ndarray:
        """``(rows,)`` where the column holds ``label``."""
        if label not in self.labels:
            return np.zeros(len(self.codes), dtype=bool)
        return np.asarray(self.codes == self.labels.index(label))

    @classmethod
    def concat(cls, parts: Sequence[Coded]) -> Coded:
        """One column of ``parts`` one after the other, over the union of their labels."""
        if len(parts) == 1:
            return parts[0]
        index: dict[str, int] = {}
        codes = []
        for part in parts:
            lookup = np.array([index.setdefault(x, len(index)) for x in part.labels], np.int32)
            codes.append(lookup[part.codes] if len(lookup) else part.codes)
        return cls(np.concatenate(codes), tuple(index))


Column = np.ndarray | Coded
"""A result column: numbers, or text as :class:`Coded`."""


def to_arrow(columns: Mapping[str, Column]) -> Any:
    """An Arrow table of ``columns``: numbers from their buffers, text dictionary-encoded."""
    import pyarrow as pa

    arrays = [_arrow(col) for col in columns.values()]
    return pa.Table.from_arrays(arrays, names=list(columns))


def _arrow(col: Column) -> Any:
    import pyarrow as pa

    if isinstance(col, Coded):
        return pa.DictionaryArray.from_arrays(
            _numbers(col.codes.astype(np.int32)), _text(col.labels)
        )
    if col.dtype.kind not in "fiu":  # bit-packed or object columns: the general route
        return pa.array(col)
    return _numbers(col)


def _numbers(a: np.ndarray) -> Any:
    import pyarrow as pa

    a = np.ascontiguousarray(a)
    return pa.Array.from_buffers(pa.from_numpy_dtype(a.dtype), len(a), [None, pa.py_buffer(a)])


def _text(labels: Sequence[str]) -> Any:
    import pyarrow as pa

    data = [x.encode() for x in labels]
    offsets = np.zeros(len(data) + 1, dtype=np.int32)
    np.cumsum([len(b) for b in data], out=offsets[1:])
    return pa.Array.from_buffers(
        pa.string(), len(data), [None, pa.py_buffer(offsets), pa.py_buffer(b"".join(data))]
    )


def numeric(column: Any) -> np.ndarray:
    """A column of numbers read back (an Arrow chunked array) as one numpy array."""
    parts = [_view(chunk) for chunk in column.chunks]
    if len(parts) == 1:
        return parts[0]
    return np.concatenate(parts) if parts else np.empty(0)


def _view(chunk: Any) -> np.ndarray:
    """An Arrow array of numbers as numpy, on its buffer where it has no nulls."""
    if chunk.null_count:  # not written by sim: the general route
        return np.asarray(chunk.to_numpy(zero_copy_only=False))
    dtype = _DTYPES[str(chunk.type)]
    offset = chunk.offset * dtype.itemsize
    view: np.ndarray = np.frombuffer(
        chunk.buffers()[1], dtype=dtype, count=len(chunk), offset=offset
    )
    return view


_DTYPES: dict[str, np.dtype[Any]] = {
    name: np.dtype(name)
    for name in ("int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64")
} | {"double": np.dtype(np.float64), "float": np.dtype(np.float32)}


def coded(column: Any) -> Coded:
    """A dictionary-encoded text column read back as :class:`Coded` (one that is not
    dictionary-encoded is encoded here)."""
    import pyarrow as pa

    parts = []
    for chunk in column.chunks:
        if not pa.types.is_dictionary(chunk.type):
            chunk = chunk.dictionary_encode()
        codes = _view(chunk.indices).astype(np.int32, copy=False)
        parts.append(Coded(codes, tuple(chunk.dictionary.to_pylist())))
    if not parts:
        return Coded(np.empty(0, dtype=np.int32), ())
    return Coded.concat(parts)
