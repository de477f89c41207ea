"""Derived keys: the id of a post or mention whose export has none.

A post or mention without an id gets ``"h"`` and the hex of an 8-byte
blake2b of its identifying parts (``DERIVED_KEYS``), joined with ``\x1f``,
instants as UTC text. Python hashes one row at a time and holds
the interpreter lock while it does, so a million rows cost about a second of
one core. From :data:`HELPER_ROWS` rows the rows are split among
:data:`HELPERS` helper processes (the standard library alone, each started in
about 30 ms), so this process's parsing threads keep the lock meanwhile; the
keys are byte for byte those of one process, and a slice whose helper cannot
run is hashed here.
"""

from __future__ import annotations

import functools
import hashlib
import subprocess
import sys
import threading
from collections.abc import Callable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from smkit.data.transcode import HELPERS, widen_pipe

# Columns whose value, when the export has none, is derived from other columns
# so re-ingesting the same row finds the same key.
DERIVED_KEYS = {
    "posts": ("post_id", ("platform", "account", "published_at", "title")),
    "mentions": ("mention_id", ("platform", "published_at", "author", "text")),
}
HELPER_ROWS = 200_000

# The helper reads the row count, the rows' end offsets and their bytes from stdin, and writes 8 bytes per row.
_HELPER = """
import hashlib, sys
src, dst = sys.stdin.buffer, sys.stdout.buffer
n = int.from_bytes(src.read(8), "little")
ends = memoryview(src.read(8 * (n + 1))).cast("q").tolist()
data = src.read(ends[n])
fresh = hashlib.blake2b(digest_size=8).copy
dst.write(b"".join([(h := fresh()).update(data[a:b]) or h.digest() for a, b in zip(ends, ends[1:])]))
"""


def hashed_keys(parts: pa.LargeBinaryArray) -> tuple[pa.Array, bool]:
    """``"h" + hex(blake2b(part, digest_size=8))`` per row, as an Arrow string
    array, and whether no two rows got the same key."""
    digests = _digests(parts)
    n = len(digests)
    text = np.empty((n, 17), dtype=np.uint8)
    text[:, 0] = ord("h")
    text[:, 1:] = np.frombuffer(digests.tobytes().hex().encode("ascii"), dtype=np.uint8).reshape(n, 16)
    ordered = np.sort(digests.view(np.uint64).ravel())
    unique = bool((ordered[1:] != ordered[:-1]).all())
    return _fixed_width_text(text), unique


def _fixed_width_text(rows: np.ndarray) -> pa.Array:
    """An ``(n, width)`` matrix of ASCII bytes as an Arrow string array, without a copy."""
    n, width = rows.shape
    offsets = np.arange(0, (n + 1) * width, width, dtype=np.int64)
    return pa.LargeStringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(np.ascontiguousarray(rows)))


def _digests(parts: pa.LargeBinaryArray) -> np.ndarray:
    """The 8-byte digests, one row each (uint8, shape ``(n, 8)``)."""
    n = len(parts)
    if n < HELPER_ROWS or parts.null_count:
        return _hash(parts)
    # All of it in helpers: this process's parsing threads keep the interpreter lock meanwhile.
    bounds = np.linspace(0, n, HELPERS + 1).astype(int)
    started = [(int(a), int(b), _start_helper(parts.slice(a, b - a))) for a, b in zip(bounds, bounds[1:])]
    digests = []
    for a, b, helper in started:
        got = _collect(helper, b - a) if helper is not None else None
        digests.append(got if got is not None else _hash(parts.slice(a, b - a)))
    return np.concatenate(digests)


def _hash(parts: pa.LargeBinaryArray) -> np.ndarray:
    # A copy of one initialised state per row: a third faster than building each hash from its parameters.
    fresh = hashlib.blake2b(digest_size=8).copy
    joined = b"".join([(h := fresh()).update(b) or h.digest() for b in parts.to_pylist()])
    return np.frombuffer(joined, dtype=np.uint8).reshape(-1, 8)


def _start_helper(parts: pa.LargeBinaryArray):
    offsets = np.frombuffer(parts.buffers()[1], dtype=np.int64)[parts.offset : parts.offset + len(parts) + 1]
    data = memoryview(parts.buffers()[2])[int(offsets[0]) : int(offsets[-1])]
    try:
        proc = subprocess.Popen([sys.executable, "-I", "-c", _HELPER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    except OSError:
        return None
    widen_pipe(proc.stdin)

    def feed():  # in a thread, so every helper is fed at once
        try:
            proc.stdin.write(len(parts).to_bytes(8, "little"))
            proc.stdin.write((offsets - offsets[0]).tobytes())
            proc.stdin.write(data)
            proc.stdin.close()
        except OSError:  # the helper died; _collect notices
            pass

    feeder = threading.Thread(target=feed, daemon=True)
    feeder.start()
    return proc, feeder


def _collect(helper, rows: int) -> np.ndarray | None:
    proc, feeder = helper
    try:
        out = proc.stdout.read()
    except OSError:
        out = b""
    finally:
        proc.stdout.close()
    feeder.join()
    if proc.wait() != 0 or len(out) != 8 * rows:
        return None
    return np.frombuffer(out, dtype=np.uint8).reshape(-1, 8)


def derive_keys(out: pd.DataFrame, table: str, refused: Callable[[], np.ndarray] | None = None) -> bool:
    """Fill a missing post/mention id with a stable hash of what identifies the row.
    ``refused()``, asked once the parts are text, names rows that get no id
    (hashing is the costly part). True when every row's id was derived and no
    two hashed ones are equal: the keys of the rows not refused are then distinct."""
    if table not in DERIVED_KEYS:
        return False
    column, parts = DERIVED_KEYS[table]
    current = out[column] if column in out else pd.Series(None, index=out.index, dtype=object)
    need = current.isna().to_numpy(dtype=bool)
    if not need.any():
        out[column] = current
        return False
    pieces = []
    for part in parts:
        values = out[part] if part in out else pd.Series("", index=out.index)
        if part == "published_at" and part in out:
            values = utc_text(values)
        piece = pa.array(values.astype("string[pyarrow]").fillna(""))
        pieces.append((piece.combine_chunks() if isinstance(piece, pa.ChunkedArray) else piece).cast(pa.large_string()))
    hashing = need & ~refused() if refused is not None else need
    todo = np.flatnonzero(hashing)
    if len(todo) < len(out):  # the parts are taken before they are joined: the join is the slower
        pieces = [piece.take(pa.array(todo)) for piece in pieces]
    # Arrow joins the parts and hands UTF-8 bytes over; only the hash itself runs per row.
    joined = pc.binary_join_element_wise(*pieces, pa.scalar("\x1f", pa.large_string()))
    hashed, unique = hashed_keys(pc.cast(joined, pa.large_binary()))
    if need.all():
        if len(todo) < len(out):  # the skipped rows' ids stay missing
            hashed = hashed.take(pa.array(np.cumsum(hashing) - 1, mask=~hashing))
        out[column] = pd.Series(pd.array(hashed, dtype="string[pyarrow]"), index=out.index)
        return unique
    keys = current.astype(object).to_numpy(copy=True)
    keys[todo] = hashed.to_pylist()
    out[column] = pd.Series(keys, index=out.index, dtype=object)
    return False


def utc_text(values: pd.Series) -> pd.Series:
    """Instants as ``YYYY-MM-DDTHH:MM:SSZ`` (UTC), missing as missing: the text the keys are built from."""
    stamps = values.array
    per_second = {"s": 1, "ms": 10**3, "us": 10**6, "ns": 10**9}[stamps.unit]
    epoch = stamps.asi8  # UTC, whatever the column's zone
    valid = ~stamps.isna()
    seconds = epoch[valid] // per_second
    if len(seconds) and not (seconds.min() >= 0 and seconds.max() < _YEAR_10000):
        return values.dt.tz_convert("UTC").dt.strftime("%Y-%m-%dT%H:%M:%SZ")  # four-digit years after 1970 only on the fast path
    # Every instant is 20 ASCII bytes: the text of each day in the column's span and of each
    # second of the day is built once, then gathered per row (strftime per row is slow).
    days, clock = np.divmod(seconds, 86400)
    first = int(days.min()) if len(days) else 0
    span = np.arange(first, first + (int(days.max()) - first + 1 if len(days) else 0))
    if len(span) > 100_000:  # centuries apart: only the days present
        span, days = np.unique(days, return_inverse=True)
        first = 0
    day_text = np.datetime_as_string(span.astype("datetime64[D]"), unit="D").astype("S10")
    rows = np.empty(len(seconds), dtype=np.dtype({"names": ["day", "t", "clock"], "formats": ["S10", "S1", "V9"], "offsets": [0, 10, 11], "itemsize": 20}))
    rows["day"] = day_text[days - first]
    rows["t"] = b"T"
    rows["clock"] = _clock_text().view("V9").ravel()[clock]
    text = _fixed_width_text(rows.view(np.uint8).reshape(-1, 20))
    if not valid.all():
        where = np.cumsum(valid) - 1
        text = text.take(pa.array(where, mask=~valid))
    return pd.Series(pd.array(text, dtype="string[pyarrow]"), index=values.index)


_YEAR_10000 = 253_402_300_800  # seconds from 1970 to 10000-01-01


@functools.cache
def _clock_text() -> np.ndarray:
    """``HH:MM:SSZ`` for every second of a day, by its number, as rows of ASCII bytes."""
    second = np.arange(86400)
    digits = np.stack([second // 36000, second // 3600 % 10, second // 600 % 6, second // 60 % 10, second // 10 % 6, second % 10], axis=1)
    text = np.empty((86400, 9), dtype=np.uint8)
    text[:, [0, 1, 3, 4, 6, 7]] = digits + ord("0")
    text[:, [2, 5]] = ord(":")
    text[:, 8] = ord("Z")
    text.flags.writeable = False  # cached and shared
    return text


def stable_hash(text: str) -> str:
    """The derived key of one row's joined parts (kept for callers and tests; :func:`derive_keys` computes the same in bulk)."""
    return "h" + hashlib.blake2b(text.encode("utf-8"), digest_size=8).hexdigest()
