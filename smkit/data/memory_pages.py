"""Memory pages for work that makes and drops many large arrays (an ingest).

NumPy, Arrow and DuckDB let the kernel back large allocations with 2 MB
transparent huge pages, which it zeroes whole on first touch. For a
million-row ingest that zeroing was about a tenth of the CPU, so the ingest
asks for ordinary 4 KB pages while it runs (Linux ``prctl``), and gives the
setting back after.
"""

from __future__ import annotations

import contextlib
import sys
import threading


@contextlib.contextmanager
def small_pages():
    """Ordinary 4 KB pages inside the block; elsewhere than Linux nothing changes. The setting
    is the process's: blocks on several threads share one change, undone when the last ends,
    and huge pages already turned off by someone else stay off."""
    libc = _libc()
    with _PAGES_LOCK:
        if _PAGES["ingests"] == 0:
            _PAGES["changed"] = libc is not None and libc.prctl(_PR_GET_THP_DISABLE, 0, 0, 0, 0) == 0 and libc.prctl(_PR_SET_THP_DISABLE, 1, 0, 0, 0) == 0
        _PAGES["ingests"] += 1
    try:
        yield
    finally:
        with _PAGES_LOCK:
            _PAGES["ingests"] -= 1
            if _PAGES["ingests"] == 0 and _PAGES["changed"]:
                libc.prctl(_PR_SET_THP_DISABLE, 0, 0, 0, 0)


_PAGES_LOCK = threading.Lock()
_PAGES = {"ingests": 0, "changed": False}  # ingests running in this process; whether they turned huge pages off
_PR_SET_THP_DISABLE, _PR_GET_THP_DISABLE = 41, 42


def _libc():
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    try:
        return ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None
