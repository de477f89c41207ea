"""The writing half of an ingest: one ingest per store at a time, quarantine
files and the report written before one transaction commits the rows.

A failed write (disk full, a read-only store, a blocked quarantine folder)
leaves the store as it was and removes what this run wrote beside it; a kill
after the commit leaves the quarantine files and the report on disk.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pyarrow as pa

from smkit.data import lake
from smkit.data.ingest_report import IngestReport
from smkit.data.readers import IngestError
from smkit.data.safe_csv import write_rows_csv
from smkit.data.schema import BOOL, INTEGER, SCORE, TEXT, get_table
from smkit.data.store import StoreError, connect, ensure_table, lock_timeout, plain_error, quote, upsert, upsert_from


@contextlib.contextmanager
def ingest_lock(store_path: Path):
    """One ingest into a store at a time: a later one waits (up to
    ``$SMKIT_LOCK_TIMEOUT`` seconds) before it starts reading its files."""
    lock = store_path.with_name(store_path.name + ".ingest.lock")
    try:
        fd = os.open(lock, os.O_CREAT | os.O_RDWR, 0o644)
    except OSError as exc:
        raise IngestError(f"cannot write beside the store {store_path}: {exc.strerror or exc}") from None
    try:
        deadline, told = time.monotonic() + lock_timeout(), False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise IngestError(
                        f"another ingest into {store_path} is still running (waited {lock_timeout():.0f} s; set SMKIT_LOCK_TIMEOUT to wait longer)"
                    ) from None
                if not told:
                    print(f"smkit ingest: waiting for another ingest into {store_path} to finish", file=sys.stderr, flush=True)
                    told = True
                time.sleep(0.2)
        yield
    finally:
        os.close(fd)  # closing releases the lock; a killed process releases it too


def stream_memory_mb() -> int:
    """DuckDB's memory while a streamed file is written (``$SMKIT_STREAM_MEMORY_MB``, default 512)."""
    try:
        return max(128, int(os.environ.get("SMKIT_STREAM_MEMORY_MB", 512)))
    except ValueError:
        return 512


def _check_space(store_path: Path, prepared: list) -> None:
    """Refuse before writing when the disk cannot hold the new rows (with room to spare)."""
    need = sum(int(p.frame.memory_usage(deep=False).sum()) for p in prepared) * 2 + (16 << 20)
    try:
        free = shutil.disk_usage(store_path.parent).free
    except OSError:
        return
    if free < need:
        raise IngestError(
            f"the disk holding {store_path} is full: about {need / 1e6:,.0f} MB are needed and {free / 1e6:,.0f} MB are free; "
            "free some space and ingest again (nothing was written)"
        )


def write_quarantine(prepared: list, base: Path, run_id: str, written: list[Path]) -> None:
    names: Counter[str] = Counter()
    for p in prepared:
        if not len(p.quarantine):
            continue
        qdir = base / "quarantine"
        stem = Path(p.report.file).stem
        names[stem] += 1
        suffix = f"-{names[stem]}" if names[stem] > 1 else ""  # two files with one stem never share a quarantine file
        qfile = qdir / f"{run_id}_{stem}{suffix}.csv"
        try:
            qdir.mkdir(parents=True, exist_ok=True)
            write_rows_csv(p.quarantine, qfile)
        except OSError as exc:
            raise IngestError(f"cannot write the quarantine file {qfile}: {plain_error(exc)}; nothing was written to the store") from None
        written.append(qfile)
        p.report.quarantine_file = str(qfile)


def commit(store_path, table, tz, prepared, base, run_id, stamp, started, written) -> IngestReport:
    """Upsert every file (a streamed file block by block) in one transaction; the
    quarantine files and the report are on disk before the commit."""
    _check_space(store_path, prepared)
    extra: dict[str, str] = {}
    for p in prepared:
        extra.update(p.extra_kinds)
    report = IngestReport(str(store_path), table, stamp.isoformat(), 0.0, [p.report for p in prepared])
    rfile = base / "ingest_reports" / f"{run_id}_{table}.json"
    try:
        # A lake: the table to change is copied into memory, changed there, and written back whole before the commit.
        con = lake.connect(store_path, tz=tz, materialise=table) if store_path.is_dir() else connect(store_path, tz=tz)
    except StoreError as exc:
        raise IngestError(str(exc) + "; nothing was written") from None
    with con:
        try:
            if any(hasattr(p, "chunks") for p in prepared):  # streamed: DuckDB keeps to a budget and writes the rest to disk
                con.execute(f"SET memory_limit = '{stream_memory_mb()}MB'")
            # Row order carries no meaning in the store (readers sort), and without it DuckDB
            # writes an insert's row groups on all cores without putting them back in order.
            con.execute("SET preserve_insertion_order = false")
            _drop_staging(con)  # left by an ingest that was killed
            # A streamed file's blocks go to a staging table first, each block committed on its own:
            # DuckDB holds a transaction's appended rows in memory, so the one transaction below
            # then moves the whole file with a single statement. The target is untouched until then.
            staged = {i: _stage(con, table, p, f"{STAGING}{i}", extra) for i, p in enumerate(prepared) if hasattr(p, "chunks")}
            con.execute("BEGIN TRANSACTION")
            filled = {c for i, p in enumerate(prepared) for c in (staged[i][1] if i in staged else p.frame.columns)}
            ensure_table(con, table, extra, filled=filled)
            # The quarantine is written while DuckDB inserts (both leave the interpreter lock free), and
            # inside the transaction: a failure there writes nothing.
            with ThreadPoolExecutor(max_workers=1) as pool:
                quarantined = pool.submit(write_quarantine, prepared, base, run_id, written)
                for i, p in enumerate(prepared):
                    if i in staged:
                        name, columns, rows = staged[i]
                        p.report.inserted, p.report.updated = upsert_from(con, table, quote(name), columns, rows)
                    elif len(p.frame):
                        p.report.inserted, p.report.updated = upsert(con, table, p.frame)
            quarantined.result()
            report.seconds = round(time.perf_counter() - started, 3)
            _write_report(rfile, report, "committing")
            written.append(rfile)
            if store_path.is_dir():
                lake.write_table(con, table, store_path)
            con.execute("COMMIT")
        except Exception as exc:
            with contextlib.suppress(Exception):  # the transaction may already be gone; the first error is the one to tell
                con.execute("ROLLBACK")
            if isinstance(exc, IngestError):
                raise
            raise IngestError(f"cannot write the store {store_path}: {plain_error(exc)}; nothing was written, the store is as it was") from None
        finally:
            with contextlib.suppress(Exception):
                _drop_staging(con)
    written.clear()  # committed: the quarantine files and the report stay
    with contextlib.suppress(OSError):
        _write_report(rfile, report, "committed")
    return report


STAGING = "_smkit_staging_"
_KIND_OF_TYPE = {"BIGINT": INTEGER, "DOUBLE": SCORE, "BOOLEAN": BOOL, "VARCHAR": TEXT}


def _drop_staging(con) -> None:
    for (name,) in con.execute("SELECT table_name FROM information_schema.tables WHERE starts_with(table_name, ?)", [STAGING]).fetchall():
        con.execute(f"DROP TABLE IF EXISTS {quote(name)}")


def _stage(con, table: str, streamed, name: str, extra: dict[str, str]) -> tuple[str, list[str], int]:
    """Write a streamed file's blocks to the staging table ``name``, keep the last row of each
    natural key (as a whole read does), and return ``(name, columns, rows)``; ``extra`` gains
    the open columns the blocks found, typed as wide as the staging table needed."""
    blocks = f"{name}_blocks"
    ensure_table(con, table, streamed.extra_kinds, name=blocks, filled=())
    con.execute(f"ALTER TABLE {quote(blocks)} ADD COLUMN _seq BIGINT")
    columns: list[str] = []
    seen = 0
    for block in streamed.chunks():
        extra.update({c: k for c, k in block.extra_kinds.items() if c not in extra})
        if not len(block.frame):
            continue
        ensure_table(con, table, block.extra_kinds, name=blocks, filled=block.frame.columns)
        columns += [c for c in block.frame.columns if c not in columns]
        arrow = pa.Table.from_pandas(block.frame, preserve_index=False)
        con.register("_block", arrow.append_column("_seq", pa.array(np.arange(seen, seen + len(block.frame), dtype="int64"))))
        cols = ", ".join(quote(c) for c in block.frame.columns)
        con.execute(f"INSERT INTO {quote(blocks)} ({cols}, _seq) SELECT {cols}, _seq FROM _block")
        con.unregister("_block")
        seen += len(block.frame)
    types = {r[0]: r[1] for r in con.execute(f"DESCRIBE {quote(blocks)}").fetchall()}
    extra.update({c: _KIND_OF_TYPE.get(types[c], TEXT) for c in extra if c in types and types[c] != "TIMESTAMP WITH TIME ZONE"})
    keys = ", ".join(quote(k) for k in get_table(table).key)
    distinct = con.execute(f"SELECT count(*) FROM (SELECT DISTINCT {keys} FROM {quote(blocks)})").fetchone()[0]
    if distinct == seen:
        con.execute(f"ALTER TABLE {quote(blocks)} RENAME TO {quote(name)}")
    else:  # a key in two blocks: the later row wins, as in a whole read
        con.execute(f"CREATE TABLE {quote(name)} AS SELECT * FROM {quote(blocks)} QUALIFY row_number() OVER (PARTITION BY {keys} ORDER BY _seq DESC) = 1")
        con.execute(f"DROP TABLE {quote(blocks)}")
        streamed.report.duplicates += seen - distinct
        streamed.report.accepted -= seen - distinct
    return name, columns, distinct


def _write_report(path: Path, report: IngestReport, status: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_text(json.dumps({**report.to_dict(), "status": status}, ensure_ascii=False, indent=2), encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        raise IngestError(f"cannot write the ingest report {path}: {plain_error(exc)}") from None
