"""The sample store: generated tables ingested like any export."""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import sys
import time
from collections.abc import Iterable
from pathlib import Path

from smkit.data.ingest import ingest
from smkit.data.store import default_store_path, lock_timeout
from smkit.sample.generate import write

SAMPLE_TABLES = (
    "posts",
    "account_daily",
    "audience",
    "mentions",
    "campaigns",
    "experiments",
    "community_activity",
    "team",
    "events",
    "point_redemptions",
    "feedback",
    "creators",
    "creator_daily",
)


def build_sample_store(store: str | Path | None = None, *, seed: int = 7, scale: float = 1.0, quiet: bool = True, without: Iterable[str] = ()) -> Path:
    """Generate the sample data and ingest every table into a fresh store.

    The sample CSVs are kept in ``sample/`` beside the store so an analyst can
    open them. Both are built under temporary names and moved into place only
    when the whole build succeeded, so an interrupted or failed build (disk
    full, a kill) leaves the previous store and ``sample/`` as they were.
    """
    path = Path(store) if store is not None else default_store_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    folder = path.parent / "sample"
    new_folder = path.parent / f".sample.building-{os.getpid()}"
    tmp = path.with_name(f"{path.name}.building-{os.getpid()}")
    try:
        files = write(new_folder, seed=seed, scale=scale, without=without)
        tmp.unlink(missing_ok=True)
        for table in SAMPLE_TABLES:
            report = ingest([files[table]], table, store=tmp, report_dir=path.parent)
            if report.quarantined or report.duplicates:
                raise RuntimeError(f"sample table {table} did not load cleanly:\n{report.summary()}")
            if not quiet:
                print(report.summary(), file=sys.stderr)
        old_folder = path.parent / f".sample.old-{os.getpid()}"
        if folder.exists():
            folder.replace(old_folder)
        new_folder.replace(folder)
        shutil.rmtree(old_folder, ignore_errors=True)
        tmp.replace(path)
    finally:
        shutil.rmtree(new_folder, ignore_errors=True)
        for leftover in (tmp, tmp.with_name(tmp.name + ".wal"), tmp.with_name(tmp.name + ".ingest.lock")):
            leftover.unlink(missing_ok=True)
    return path


@contextlib.contextmanager
def _build_lock(path: Path):
    """One sample build per store at a time, across processes (``--jobs`` workers, notebooks)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path.with_name(path.name + ".build.lock"), os.O_CREAT | os.O_RDWR, 0o644)
    try:
        deadline = time.monotonic() + lock_timeout()
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise TimeoutError(f"another process is still building the sample store {path}") from None
                time.sleep(0.2)
        yield
    finally:
        os.close(fd)


def ensure_default_store(quiet: bool = True) -> Path:
    """The default store, built from the sample data the first time it is
    needed, so the first ``smkit run`` on a new machine needs no set-up step.
    Processes that need it at once build it once: the others wait for it."""
    path = default_store_path()
    if path.exists():
        return path
    with _build_lock(path):
        if not path.exists():
            print(f"smkit: building the sample store at {path} (first use)", file=sys.stderr)
            build_sample_store(path, quiet=quiet)
    return path
