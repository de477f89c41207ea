"""Derived keys, hashed on two cores.

A post or mention without an id gets ``"h"`` and the hex of an 8-byte
blake2b of its identifying parts. Python hashes one row at a time and holds
the interpreter lock while it does, so a million rows cost about a second of
one core. From :data:`HELPER_ROWS` rows a helper process (the standard
library alone, started in about 30 ms) hashes the last two fifths while this
process hashes the rest; the keys are byte for byte those of one process,
and if the helper cannot run this process hashes everything itself.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import threading

import numpy as np
import pyarrow as pa

HELPER_ROWS = 200_000

# The helper reads the row count, the rows' end offsets and their bytes from stdin, and writes 8 bytes per row.
_HELPER = """
import hashlib, sys
src, dst = sys.stdin.buffer, sys.stdout.buffer
n = int.from_bytes(src.read(8), "little")
ends = memoryview(src.read(8 * (n + 1))).cast("q").tolist()
data = src.read(ends[n])
blake = hashlib.blake2b
dst.write(b"".join([blake(data[a:b], digest_size=8).digest() for a, b in zip(ends, ends[1:])]))
"""
_HEX = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)


def derived_keys(parts: pa.LargeBinaryArray) -> tuple[pa.Array, bool]:
    """``"h" + hex(blake2b(part, digest_size=8))`` per row, as an Arrow string
    array, and whether no two rows got the same key."""
    digests = _digests(parts)
    n = len(digests)
    text = np.empty((n, 17), dtype=np.uint8)
    text[:, 0] = ord("h")
    text[:, 1::2] = _HEX[digests >> 4]
    text[:, 2::2] = _HEX[digests & 15]
    fixed = pa.FixedSizeBinaryArray.from_buffers(pa.binary(17), n, [None, pa.py_buffer(text)])
    ordered = np.sort(digests.view(np.uint64).ravel())
    unique = bool((ordered[1:] != ordered[:-1]).all())
    return fixed.cast(pa.binary()).cast(pa.string()), unique


def _digests(parts: pa.LargeBinaryArray) -> np.ndarray:
    """The 8-byte digests, one row each (uint8, shape ``(n, 8)``)."""
    n = len(parts)
    if n < HELPER_ROWS or parts.null_count:
        return _hash(parts)
    mine = n * 3 // 5  # the helper's loop is a little slower per row, and it starts later
    helper = _start_helper(parts.slice(mine))
    own = _hash(parts.slice(0, mine))
    rest = _collect(helper, n - mine) if helper is not None else None
    return np.concatenate([own, rest if rest is not None else _hash(parts.slice(mine))])


def _hash(parts: pa.LargeBinaryArray) -> np.ndarray:
    blake = hashlib.blake2b
    joined = b"".join([blake(b, digest_size=8).digest() for b in parts.to_pylist()])
    return np.frombuffer(joined, dtype=np.uint8).reshape(-1, 8)


def _start_helper(parts: pa.LargeBinaryArray):
    offsets = np.frombuffer(parts.buffers()[1], dtype=np.int64)[parts.offset : parts.offset + len(parts) + 1]
    data = memoryview(parts.buffers()[2])[int(offsets[0]) : int(offsets[-1])]
    try:
        proc = subprocess.Popen([sys.executable, "-I", "-c", _HELPER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    except OSError:
        return None

    def feed():  # in a thread, so this process starts hashing its half at once
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
