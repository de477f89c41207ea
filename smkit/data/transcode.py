"""A GBK (GB18030) export as UTF-8 bytes, decoded on every core.

Arrow parses UTF-8 only; given another encoding it decodes through Python's
codec on one thread, which for a Chinese console export of a million rows is
most of the read (0.6 s of 0.9 s). GB18030 never uses the newline byte inside
a character (its trailing bytes are 0x30-0x39 and 0x40-0xFE), so the file
splits at newlines into slices that decode on their own, each in a helper
process (the standard library alone, started in about 30 ms), as the derived
keys' hashing does: 0.4 s on two cores, where start-up and moving the bytes
take most of what the second core saves. The bytes are those one decode
gives; a slice that does not decode, or a helper that cannot run, returns
``None`` and the caller reads the file as before, with the error it would
have given.

``smkit ingest`` starts the decode of its first file (:func:`start_early`)
before it imports pandas, Arrow and DuckDB, which take half a second of one
core: the helpers use the other. This module imports the standard library
alone for that reason.
"""

from __future__ import annotations

import codecs
import contextlib
import fcntl
import os
import subprocess
import sys
import threading
from pathlib import Path

MIN_BYTES = 4 << 20  # below this one process decodes faster than helpers start
# Helper processes for the ingest's costly steps (this decode, the derived keys' hashes): one per core, at most four.
HELPERS = max(1, min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1))
SNIFF_BYTES = 1 << 20  # the head of a file its encoding is told from

# The helper decodes bytes a to b of the file (its arguments) and writes them as UTF-8 to stdout, a few
# megabytes at a time, each piece cut after a newline as the slices are: it holds one piece, whose
# memory the next reuses (_HELPER_ENV: freed memory stays with the process, not faulted in anew).
_HELPER = """
import sys
path, name, a, b = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
out = sys.stdout.buffer
with open(path, "rb") as fh:
    fh.seek(a)
    while fh.tell() < b:
        piece = fh.read(min(4 << 20, b - fh.tell()))
        if not piece:
            sys.exit(1)  # the file shrank since it was cut: the caller reads it as before
        if fh.tell() < b:
            piece += fh.readline()
        out.write(piece.decode(name).encode("utf-8"))
"""
_HELPER_ENV = {"MALLOC_MMAP_THRESHOLD_": str(64 << 20), "MALLOC_TRIM_THRESHOLD_": str(256 << 20)}  # glibc's; ignored elsewhere


def sniff_encoding(head: bytes) -> str | None:
    """The encoding the first :data:`SNIFF_BYTES` of a file show: ``utf-8-sig`` or
    ``utf-16`` for a byte-order mark, ``utf-8`` when the head decodes as UTF-8, else
    ``gb18030`` when it decodes as that (the head may end inside a character), else ``None``."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    for encoding in ("utf-8", "gb18030"):
        try:
            codecs.getincrementaldecoder(encoding)().decode(head)
            return encoding
        except UnicodeDecodeError:
            pass
    return None


def stream_bytes() -> int:
    """Files larger than this are read in blocks (``$SMKIT_STREAM_MB``, default 128 MB; 0 streams every UTF-8 CSV)."""
    try:
        return int(max(0.0, float(os.environ.get("SMKIT_STREAM_MB", 128))) * (1 << 20))
    except ValueError:
        return 128 << 20


def widen_pipe(stream) -> None:
    """A pipe to or from a helper that holds a megabyte, not 64 KB (Linux): a thread that moves its
    bytes here needs the interpreter lock for each read or write, while the main thread works."""
    if hasattr(fcntl, "F_SETPIPE_SZ"):
        with contextlib.suppress(OSError):
            fcntl.fcntl(stream.fileno(), fcntl.F_SETPIPE_SZ, 1 << 20)


class _Decode:
    """The helpers decoding one file, each slice's UTF-8 bytes collected on a thread."""

    def __init__(self, path: Path, encoding: str, size: int):
        bounds = [0]
        with path.open("rb") as fh:
            for i in range(1, HELPERS):
                fh.seek(max(size * i // HELPERS, bounds[-1]))
                fh.readline()  # to the end of the line the cut falls in
                bounds.append(fh.tell())
        bounds.append(size)
        self.parts: list[list[bytes] | None] = [None] * (len(bounds) - 1)
        self.procs: list[subprocess.Popen] = []
        for a, b in zip(bounds, bounds[1:]):
            try:
                self.procs.append(
                    subprocess.Popen(
                        [sys.executable, "-I", "-c", _HELPER, str(path), encoding, str(a), str(b)],
                        stdout=subprocess.PIPE,
                        stderr=subprocess.DEVNULL,
                        env={**os.environ, **_HELPER_ENV},
                    )
                )
            except OSError:
                break
            widen_pipe(self.procs[-1].stdout)
        self.threads = [threading.Thread(target=self._collect, args=(i,), daemon=True) for i in range(len(self.procs))]
        for t in self.threads:
            t.start()

    def _collect(self, i: int) -> None:
        # The pipe's pieces as they come, joined once with the other slices' in result (one copy of the text, not two).
        proc, pieces = self.procs[i], []
        with proc.stdout:
            while piece := os.read(proc.stdout.fileno(), 1 << 20):
                pieces.append(piece)
        if proc.wait() == 0:
            self.parts[i] = pieces

    def result(self) -> bytes | None:
        for t in self.threads:
            t.join()
        if any(p is None for p in self.parts):
            return None
        return b"".join(piece for part in self.parts for piece in part)

    def cancel(self) -> None:
        for proc in self.procs:
            proc.kill()
        for t in self.threads:
            t.join()


_EARLY: dict[tuple, _Decode] = {}  # decodes started by start_early, by the file's path, inode, size and times


def _worth_it(path: Path, encoding: str, limit: int) -> os.stat_result | None:
    stat = path.stat()
    if HELPERS < 2 or codecs.lookup(encoding).name != "gb18030" or not MIN_BYTES <= stat.st_size <= limit:
        return None
    return stat


def _key(path: Path, stat: os.stat_result) -> tuple:
    return str(path.resolve()), stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns


def to_utf8(path: Path, encoding: str, limit: int) -> bytes | None:
    """The file's bytes decoded from ``encoding`` and encoded as UTF-8, or ``None``
    when the file is small, larger than ``limit`` bytes, not GB18030 (a slice of
    UTF-16 would lose its byte-order mark), or does not decode."""
    stat = _worth_it(path, encoding, limit)
    if stat is None:
        return None
    early = _EARLY.pop(_key(path, stat), None)  # begun by start_early on this very file, unchanged since
    return (early or _Decode(path, encoding, stat.st_size)).result()


def start_early(path: Path) -> None:
    """Begin decoding ``path`` in helpers when it looks like a GBK export that
    :func:`to_utf8` will be asked for: its first megabyte is not UTF-8 and reads as
    GB18030. The reader still decides the encoding; a decode it does not ask for
    is ended by :func:`discard_early`."""
    try:
        stat = _worth_it(path, "gb18030", stream_bytes())
        if stat is None or _key(path, stat) in _EARLY:
            return
        with path.open("rb") as fh:
            if sniff_encoding(fh.read(SNIFF_BYTES)) != "gb18030":
                return
    except OSError:
        return  # the reader gives its own message for a file it cannot read
    _EARLY[_key(path, stat)] = _Decode(path, "gb18030", stat.st_size)


def discard_early() -> None:
    """End the decodes :func:`start_early` began that no read took."""
    while _EARLY:
        _EARLY.popitem()[1].cancel()
