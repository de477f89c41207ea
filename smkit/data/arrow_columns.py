"""Whole-column helpers over Arrow arrays for the export readers in :mod:`smkit.data.parsing`:
a column as one Arrow string array, masks and selections, and the padded-date reader."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc


def arrow_text(series: pd.Series) -> pa.Array:
    """A column as one Arrow string array (missing cells null), for whole-column kernels."""
    pyarrow_backed = isinstance(series.dtype, pd.StringDtype) and series.dtype.storage == "pyarrow"
    arr = pa.array(series.array if pyarrow_backed else series.astype("string[pyarrow]"))  # pyarrow-backed: no copy
    return arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr


def np_mask(mask: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """An Arrow boolean result as a NumPy mask, null as False."""
    return pc.fill_null(mask, False).to_numpy(zero_copy_only=False).astype(bool)


def drop_last(arr: pa.Array, mask: np.ndarray) -> pa.Array:
    """``arr`` with the last character removed where ``mask`` holds."""
    if not mask.any():
        return arr
    return pc.if_else(pa.array(mask), pc.utf8_slice_codeunits(arr, 0, -1), arr)


def last_bytes(arr: pa.Array) -> np.ndarray:
    """The last byte of every cell (0 where a cell is empty), read off Arrow's buffers without a copy."""
    return _edge_bytes(arr, last=True)


def first_bytes(arr: pa.Array) -> np.ndarray:
    """The first byte of every cell (0 where a cell is empty)."""
    return _edge_bytes(arr, last=False)


def _edge_bytes(arr: pa.Array, last: bool) -> np.ndarray:
    offsets = np.frombuffer(arr.buffers()[1], dtype=np.int64 if pa.types.is_large_string(arr.type) else np.int32)[arr.offset : arr.offset + len(arr) + 1]
    data = arr.buffers()[2]
    filled = offsets[1:] > offsets[:-1]
    out = np.zeros(len(arr), dtype=np.uint8)
    if data is not None and filled.any():
        at = offsets[1:][filled] - 1 if last else offsets[:-1][filled]
        out[filled] = np.frombuffer(data, dtype=np.uint8)[at]
    return out


def only(arr: pa.Array, mask: np.ndarray) -> pa.Array:
    return pc.if_else(pa.array(mask), arr, pa.scalar(None, arr.type))


# The padded spellings exports use most (ISO 8601 without an offset, and the Chinese consoles'), read by Arrow's strptime in one pass:
# (the cell's exact shape, its format, the byte offset of its day's two digits).
_PADDED_DATES = (
    (r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$", "%Y-%m-%d %H:%M", 8),
    (r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$", "%Y-%m-%d %H:%M:%S", 8),
    (r"^\d{4}-\d{2}-\d{2}$", "%Y-%m-%d", 8),
    (r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$", "%Y-%m-%dT%H:%M:%S", 8),
    (r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$", "%Y-%m-%dT%H:%M", 8),
    (r"^\d{4}/\d{2}/\d{2} \d{2}:\d{2}$", "%Y/%m/%d %H:%M", 8),
    (r"^\d{4}/\d{2}/\d{2} \d{2}:\d{2}:\d{2}$", "%Y/%m/%d %H:%M:%S", 8),
    (r"^\d{4}/\d{2}/\d{2}$", "%Y/%m/%d", 8),
    (r"^\d{4}年\d{2}月\d{2}日 \d{2}:\d{2}$", "%Y年%m月%d日 %H:%M", 12),
    (r"^\d{4}年\d{2}月\d{2}日 \d{2}:\d{2}:\d{2}$", "%Y年%m月%d日 %H:%M:%S", 12),
    (r"^\d{4}年\d{2}月\d{2}日$", "%Y年%m月%d日", 12),
)


def padded_dates(arr: pa.Array, index: pd.Index) -> pd.Series | None:
    """Naive instants for the cells in one of :data:`_PADDED_DATES`' shapes, missing elsewhere;
    ``None`` when no cell has one. strptime rolls 02/30 over to March: such a cell is left
    missing here, for the general reader to reject as it always has."""
    read = pd.Series(pd.NaT, index=index, dtype="datetime64[us]")
    found = False
    left = np_mask(pc.is_valid(arr))  # cells no shape has matched yet
    marks = {mark: pc.any(pc.match_substring(arr, mark)).as_py() for mark in ("-", "/", "年")}
    for shape, fmt, day_at in _PADDED_DATES:
        if not left.any():
            break
        if not marks[fmt[2]]:  # a plain substring search rules a spelling out faster than its pattern
            continue
        hit = np_mask(pc.match_substring_regex(arr, shape))
        left &= ~hit
        if not hit.any():
            continue
        cells = only(arr, hit)
        stamps = pc.strptime(cells, format=fmt, unit="us", error_is_null=True)
        written_day = pc.cast(pc.cast(pc.binary_slice(pc.cast(cells, pa.binary()), day_at, day_at + 2), pa.string()), pa.int64())
        valid = hit & np_mask(pc.equal(pc.day(stamps), written_day))
        if valid.any():
            read[valid] = stamps.to_numpy(zero_copy_only=False)[valid]
            found = True
    return read if found else None
