"""The sample store: generated tables ingested like any export."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

from smkit.data.ingest import ingest
from smkit.data.store import default_store_path
from smkit.sample.generate import write

SAMPLE_TABLES = ("posts", "account_daily", "audience", "mentions", "campaigns", "experiments", "community_activity", "team")


def build_sample_store(store: str | Path | None = None, *, seed: int = 7, scale: float = 1.0, quiet: bool = True, without: Iterable[str] = ()) -> Path:
    """Generate the sample data and ingest every table into a fresh store.

    The sample CSVs are kept in ``sample/`` beside the store so an analyst can
    open them; the store is built in a temporary file and moved into place,
    so an interrupted build never leaves a half-filled store.
    """
    path = Path(store) if store is not None else default_store_path()
    folder = path.parent / "sample"
    files = write(folder, seed=seed, scale=scale, without=without)
    tmp = path.with_name(path.name + ".building")
    tmp.unlink(missing_ok=True)
    for table in SAMPLE_TABLES:
        report = ingest([files[table]], table, store=tmp, report_dir=path.parent)
        if report.quarantined or report.duplicates:
            raise RuntimeError(f"sample table {table} did not load cleanly:\n{report.summary()}")
        if not quiet:
            print(report.summary(), file=sys.stderr)
    tmp.replace(path)
    return path


def ensure_default_store(quiet: bool = True) -> Path:
    """The default store, built from the sample data the first time it is
    needed, so the first ``smkit run`` on a new machine needs no set-up step."""
    path = default_store_path()
    if not path.exists():
        print(f"smkit: building the sample store at {path} (first use)", file=sys.stderr)
        build_sample_store(path, quiet=quiet)
    return path
