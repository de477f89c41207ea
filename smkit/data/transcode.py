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
"""

from __future__ import annotations

import codecs
import subprocess
import sys
import threading
from pathlib import Path

from smkit.data.derived_keys import HELPERS

MIN_BYTES = 4 << 20  # below this one process decodes faster than helpers start

# The helper decodes bytes a to b of the file (its arguments) and writes them as UTF-8 to stdout.
_HELPER = """
import sys
path, name, a, b = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
with open(path, "rb") as fh:
    fh.seek(a)
    sys.stdout.buffer.write(fh.read(b - a).decode(name).encode("utf-8"))
"""


def to_utf8(path: Path, encoding: str, limit: int) -> bytes | None:
    """The file's bytes decoded from ``encoding`` and encoded as UTF-8, or ``None``
    when the file is small, larger than ``limit`` bytes, not GB18030 (a slice of
    UTF-16 would lose its byte-order mark), or does not decode."""
    size = path.stat().st_size
    if HELPERS < 2 or codecs.lookup(encoding).name != "gb18030" or not MIN_BYTES <= size <= limit:
        return None
    bounds = [0]
    with path.open("rb") as fh:
        for i in range(1, HELPERS):
            fh.seek(max(size * i // HELPERS, bounds[-1]))
            fh.readline()  # to the end of the line the cut falls in
            bounds.append(fh.tell())
    bounds.append(size)
    parts: list[bytes | None] = [None] * (len(bounds) - 1)

    def run(i: int) -> None:
        try:
            proc = subprocess.run(
                [sys.executable, "-I", "-c", _HELPER, str(path), encoding, str(bounds[i]), str(bounds[i + 1])],
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
        except OSError:
            return
        if proc.returncode == 0:
            parts[i] = proc.stdout

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(parts))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if any(p is None for p in parts):
        return None
    return b"".join(parts)
