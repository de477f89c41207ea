"""The store: one DuckDB file with one table per canonical table, or a lake
folder of Parquet files (:mod:`smkit.data.lake`) read through the same calls.

Analysis code reads through :func:`load`; only :mod:`smkit.data.ingest` writes,
through :func:`write_tables`, in one transaction per run.
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import os
import re
import sys
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from smkit import paths
from smkit.data import engine, lake
from smkit.data.schema import DATE, DUCKDB_TYPES, TIMESTAMP, get_table, normalise_platform

DEFAULT_TZ = "Asia/Shanghai"
DEFAULT_LOCK_TIMEOUT = 600.0
DUCKDB_MAGIC = b"DUCK"  # bytes 8..12 of every DuckDB database file
# Each table's time column: what ``start``/``end`` filter on.
TIME_COLUMNS = {
    "posts": "published_at",
    "account_daily": "date",
    "mentions": "published_at",
    "experiments": "assigned_at",
    "community_activity": "date",
    "creator_daily": "date",
    "events": "start_at",
    "point_redemptions": "date",
    "feedback": "received_at",
}


def default_store_path() -> Path:
    """``$SMKIT_STORE`` if set, else ``data/smkit.duckdb`` in the workspace (:mod:`smkit.paths`)."""
    return paths.default_store()


def resolve_store(store: str | Path | None) -> Path:
    """The store to use: ``store``, or the default store when ``None``. A store
    that does not exist is an error that says how to make one (reading never
    builds one: the sample store is the run layer's job, see :mod:`smkit.sample`)."""
    path = Path(store) if store is not None else default_store_path()
    if not path.exists():
        raise FileNotFoundError(
            f"store {path} does not exist; create it with 'smkit ingest FILE --table TABLE --store {path}' or build the sample with 'smkit init-store'"
        )
    return check_store_path(path)


class StoreError(ValueError):
    """A store that cannot be used: not a DuckDB file, a folder, busy, read-only, disk full."""


def lock_timeout() -> float:
    """Seconds to wait for a store another process is writing: ``$SMKIT_LOCK_TIMEOUT``, default 600."""
    try:
        return max(0.0, float(os.environ.get("SMKIT_LOCK_TIMEOUT", DEFAULT_LOCK_TIMEOUT)))
    except ValueError:
        return DEFAULT_LOCK_TIMEOUT


def check_store_path(path: str | Path) -> Path:
    """``path`` if it is a DuckDB file or a new path; else :class:`StoreError`.

    DuckDB opens any other file (a CSV, a Parquet file) as an empty in-memory
    database, so an ingest into it would report success and keep nothing.
    """
    if lake.is_lake(path):
        return Path(path)
    path = Path(path)
    if path.is_dir():
        raise StoreError(
            f"store {path} is a folder and not a lake; give a DuckDB file such as {path / 'smkit.duckdb'}, "
            f"or a lake made by 'smkit export-lake {path}' (a new lake: end the path with /)"
        )
    if path.exists():
        try:
            with path.open("rb") as fh:
                head = fh.read(16)
        except OSError as exc:
            raise StoreError(f"cannot read the store {path}: {exc.strerror or exc}") from None
        if head and head[8:12] != DUCKDB_MAGIC:
            what = "a Parquet file" if head.startswith(b"PAR1") else "a text file (CSV?)" if _looks_text(head) else "not a DuckDB database"
            raise StoreError(f"store {path} exists and is {what}, not a DuckDB store; give a .duckdb file or a new path (nothing was written)")
    return path


def _looks_text(head: bytes) -> bool:
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _is_lock_conflict(exc: Exception) -> bool:
    text = str(exc)
    return "Could not set lock" in text or "Conflicting lock" in text


def connect(path: str | Path, *, read_only: bool = False, tz: str = DEFAULT_TZ, wait: float | None = None) -> duckdb.DuckDBPyConnection:
    """Open the store, waiting up to ``wait`` seconds (default :func:`lock_timeout`)
    while another process holds it for writing; errors are :class:`StoreError`
    with the real reason in plain words."""
    path = check_store_path(path)
    if path.is_dir():  # a lake: views over its Parquet files
        return lake.connect(path, tz=tz)
    wait = lock_timeout() if wait is None else wait
    deadline = time.monotonic() + wait
    told = False
    while True:
        try:
            con = duckdb.connect(str(path), read_only=read_only)
            break
        except duckdb.Error as exc:
            if not _is_lock_conflict(exc):
                raise StoreError(f"cannot open the store {path}: {plain_error(exc)}") from None
            if time.monotonic() >= deadline:
                raise StoreError(
                    f"the store {path} is in use by another process (waited {wait:g} s; set SMKIT_LOCK_TIMEOUT to wait longer): {_holder(exc)}"
                ) from None
            if not told:
                print(f"smkit: waiting for another process to finish with the store {path} (up to {wait:g} s)", file=sys.stderr, flush=True)
                told = True
            time.sleep(0.2)
    con.execute(f"SET TimeZone = '{tz}'")
    # Rows carry their own keys and times; letting DuckDB write them in any
    # order lets a large insert use every core.
    con.execute("SET preserve_insertion_order = false")
    return con


def plain_error(exc: BaseException) -> str:
    """An error as one plain line: no exception class, disk full and permissions named."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    if getattr(exc, "errno", None) == errno.ENOSPC or "No space left" in text:
        return "the disk is full (no space left on the device)"
    if isinstance(exc, PermissionError) or "Permission denied" in text or "Read-only file system" in text:
        return "permission denied (the store or its folder is read-only)"
    return re.sub(r"^[A-Za-z ]*Error:\s*", "", text) or "unknown error"


def _holder(exc: Exception) -> str:
    m = re.search(r"\(PID (\d+)\)", str(exc))
    return f"process {m[1]} holds it" if m else "another process holds it"


def quote(name: str) -> str:
    """An identifier quoted for DuckDB SQL, whatever characters an export header holds."""
    return '"' + str(name).replace('"', '""') + '"'


FILTERED = {"platform", "account", "brand"}  # what load() and the engines filter a table by, kept even when empty


def ensure_table(con: duckdb.DuckDBPyConnection, table: str, extra: dict[str, str], name: str | None = None, filled: Iterable[str] | None = None) -> None:
    """Create ``table`` (or a table ``name`` with its columns) if missing and add any open columns it does not have yet.

    With ``filled``, the table holds its natural key, its required and time
    columns, the columns :func:`load` filters on and the ``filled`` columns,
    and gains others when an export fills them: DuckDB writes and compresses every column of every row it inserts,
    and a WeChat Channels export fills 16 of the posts table's 38 columns (the
    other 22, all NULL, were half of a million-row insert). Readers take a
    column the store lacks as unknown (:func:`load`, :func:`whole`).
    """
    spec = get_table(table)
    columns = {**spec.columns, **{c: k for c, k in extra.items() if c not in spec.columns}}
    if filled is not None:
        kept = set(spec.key) | set(spec.required) | {TIME_COLUMNS.get(table)} | FILTERED | set(filled) | set(extra)
        columns = {c: k for c, k in columns.items() if c in kept}
    name = name or table
    exists = con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name]).fetchone()[0]
    if not exists:
        body = ", ".join(f"{quote(c)} {DUCKDB_TYPES[k]}" for c, k in columns.items())
        con.execute(f"CREATE TABLE {quote(name)} ({body})")
        return
    table = name
    have = {r[0].lower(): r[1] for r in con.execute(f"DESCRIBE {quote(table)}").fetchall()}
    for column, kind in columns.items():
        stored = have.get(column.lower())
        if stored is None:
            con.execute(f"ALTER TABLE {quote(table)} ADD COLUMN {quote(column)} {DUCKDB_TYPES[kind]}")
        elif column in extra and column not in spec.columns:
            wider = _widen(stored, DUCKDB_TYPES[kind])
            if wider != stored:  # an extra column seen as whole numbers before, decimals or text now
                con.execute(f"ALTER TABLE {quote(table)} ALTER {quote(column)} TYPE {wider}")


def whole(con: duckdb.DuckDBPyConnection, table: str) -> str:
    """SQL for ``table`` with every column of its schema, NULL where the store has none
    (see :func:`ensure_table`): what raw SQL on a table's optional columns reads from."""
    have = {r[0].lower() for r in con.execute(f"DESCRIBE {quote(table)}").fetchall()}
    missing = [f"NULL::{DUCKDB_TYPES[k]} AS {quote(c)}" for c, k in get_table(table).columns.items() if c.lower() not in have]
    return f"(SELECT *, {', '.join(missing)} FROM {quote(table)})" if missing else quote(table)


_WIDTH = {"BOOLEAN": 0, "BIGINT": 1, "DOUBLE": 2}


def _widen(stored: str, incoming: str) -> str:
    """The type that holds both: BIGINT and DOUBLE give DOUBLE; anything else beside text gives VARCHAR."""
    if stored == incoming:
        return stored
    if stored in _WIDTH and incoming in _WIDTH:
        return max(stored, incoming, key=_WIDTH.get)
    if stored == "VARCHAR" or incoming == "VARCHAR" or stored != incoming:
        return "VARCHAR"
    return stored


ARROW_BATCH_ROWS = 122_880  # DuckDB's row-group size


def upsert(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> tuple[int, int]:
    """Insert new rows and update stored rows with the same natural key.

    An update writes only the columns the incoming rows carry, and only their
    non-missing cells: a later export with fewer columns, or a dash where a
    number was, never erases what is stored. Returns ``(inserted, updated)``;
    the caller holds the transaction (and rolls it back on error).
    """
    # Through Arrow: DuckDB scans an Arrow table several times faster than a DataFrame,
    # and scans its batches on every core (one batch would be one thread).
    arrow = pa.Table.from_pandas(frame, preserve_index=False)
    con.register("_incoming", pa.Table.from_batches(arrow.to_batches(max_chunksize=ARROW_BATCH_ROWS), schema=arrow.schema))
    try:
        return upsert_from(con, table, "_incoming", list(frame.columns), len(frame))
    finally:
        con.unregister("_incoming")


def upsert_from(con: duckdb.DuckDBPyConnection, table: str, source: str, columns: list[str], rows: int) -> tuple[int, int]:
    """:func:`upsert` from a table or view already in DuckDB (``rows`` rows, no key twice)."""
    spec = get_table(table)
    match = " AND ".join(f"t.{quote(k)} IS NOT DISTINCT FROM i.{quote(k)}" for k in spec.key)
    updated = con.execute(f"SELECT count(*) FROM {quote(table)} t WHERE EXISTS (SELECT 1 FROM {source} i WHERE {match})").fetchone()[0]
    if updated:
        sets = ", ".join(f"{quote(c)} = coalesce(i.{quote(c)}, t.{quote(c)})" for c in columns if c not in spec.key)
        if sets:
            con.execute(f"UPDATE {quote(table)} t SET {sets} FROM {source} i WHERE {match}")
    cols = ", ".join(quote(c) for c in columns)
    new_rows = "" if not updated else f" WHERE NOT EXISTS (SELECT 1 FROM {quote(table)} t WHERE {match})"
    con.execute(f"INSERT INTO {quote(table)} ({cols}) SELECT {cols} FROM {source} i{new_rows}")
    return rows - updated, updated


def fingerprint(store: str | Path | None = None) -> str:
    """A short hash of the store's contents (row counts and key aggregates per table).

    Two stores with the same data give the same fingerprint whatever their
    file layout, so a report can say which data it was computed on: a column
    with no value counts as absent, in whatever order the columns are.
    """
    path = resolve_store(store)
    digest = hashlib.sha256()
    with connect(path, read_only=True) as con:
        for table in sorted(_tables(con)):
            cols = sorted(r[0] for r in con.execute(f"DESCRIBE {quote(table)}").fetchall())
            figures = ", ".join(f"count({quote(c)}), coalesce(sum(hash({quote(c)})), 0)::HUGEINT" for c in cols)
            row = con.execute(f"SELECT count(*), {figures} FROM {quote(table)}").fetchone()
            filled = [(c, row[1 + 2 * i + 1]) for i, c in enumerate(cols) if row[1 + 2 * i]]
            digest.update(f"{table}:{row[0]}:{filled}".encode())
    return digest.hexdigest()[:12]


def _tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()]


def _as_bound(value: str | dt.date | pd.Timestamp | None, *, end: bool) -> pd.Timestamp | None:
    if value is None:
        return None
    stamp = pd.Timestamp(value)
    # A bare date as ``end`` means the whole of that day.
    if end and stamp == stamp.normalize() and not (isinstance(value, str) and ":" in value):
        stamp = stamp + pd.Timedelta(days=1)
    return stamp


def load(
    table: str,
    store: str | Path | None = None,
    start: str | dt.date | None = None,
    end: str | dt.date | None = None,
    platforms: Sequence[str] | None = None,
    accounts: Sequence[str] | None = None,
    tz: str = DEFAULT_TZ,
) -> pd.DataFrame:
    """Read a canonical table from the store as a pandas DataFrame.

    Parameters
    ----------
    table : str
        One of the canonical tables (posts, account_daily, audience, mentions,
        campaigns, experiments).
    store : path, optional
        The DuckDB file; ``None`` reads the default store.
    start, end : str or date, optional
        Inclusive window on the table's time column (a date as ``end`` covers
        that whole day). Campaigns are kept when they overlap the window.
        Tables without a time column ignore the window.
    platforms, accounts : list of str, optional
        Keep only these platforms / accounts (for mentions, ``accounts``
        filters the ``brand`` column). ``None`` keeps all.
    tz : str
        Time zone in which timestamps are returned.
    """
    spec = get_table(table)
    path = resolve_store(store)
    where, params = [], []
    lo, hi = _as_bound(start, end=False), _as_bound(end, end=True)
    if lo is not None and hi is not None and lo >= hi:
        raise ValueError(f"start {start} is after end {end}")
    if platforms is not None:
        platforms = [normalise_platform(p) for p in ([platforms] if isinstance(platforms, str) else platforms)]
    time_col = TIME_COLUMNS.get(table)
    if time_col and spec.columns[time_col] == TIMESTAMP:
        if lo is not None:
            where.append(f"\"{time_col}\" >= ?::TIMESTAMP AT TIME ZONE '{tz}'")
            params.append(lo.tz_localize(None) if lo.tzinfo else lo)
        if hi is not None:
            where.append(f"\"{time_col}\" < ?::TIMESTAMP AT TIME ZONE '{tz}'")
            params.append(hi.tz_localize(None) if hi.tzinfo else hi)
    elif time_col and spec.columns[time_col] == DATE:
        if lo is not None:
            where.append(f'"{time_col}" >= ?::DATE')
            params.append(lo.date())
        if hi is not None:
            where.append(f'"{time_col}" < ?::DATE')
            params.append(hi.date())
    elif table == "campaigns":
        if lo is not None:
            where.append("end_date >= ?::DATE")
            params.append(lo.date())
        if hi is not None:
            where.append("start_date < ?::DATE")
            params.append(hi.date())
    for column, values in (("platform", platforms), ("brand" if table == "mentions" else "account", accounts)):
        if values is not None and column in spec.columns:
            values = [values] if isinstance(values, str) else list(values)
            where.append(f'"{column}" IN ({", ".join("?" for _ in values)})')
            params.extend(values)
    sql = f'SELECT * FROM "{table}"' + (f" WHERE {' AND '.join(where)}" if where else "")
    with _reader(path, table, tz, lo, hi, platforms, accounts) as con:
        if table not in _tables(con):
            raise LookupError(f"table {table!r} is not in store {path}; ingest it first (smkit ingest FILE --table {table})")
        key = spec.key
        order = TIME_COLUMNS.get(table)
        sql += " ORDER BY " + ", ".join(f'"{c}"' for c in ([order] if order else []) + list(key))
        frame = con.execute(sql, params).df()
        types = {r[0]: r[1] for r in con.execute(f'DESCRIBE "{table}"').fetchall()}
    # A store holds the columns its exports filled (see ensure_table), and one made by
    # an older smkit lacks columns added since: they read as unknown (NULL), never as a
    # KeyError inside a playbook.
    for column, kind in spec.columns.items():
        if column not in frame.columns:
            types[column] = DUCKDB_TYPES[kind]
            frame[column] = np.full(len(frame), None, dtype=object)  # None, as DuckDB hands an empty text column
            if DUCKDB_TYPES[kind] == "TIMESTAMPTZ":
                frame[column] = pd.Series(pd.NaT, index=frame.index, dtype=f"datetime64[us, {tz}]")
            elif DUCKDB_TYPES[kind] in ("DOUBLE", "BIGINT"):
                frame[column] = pd.Series(float("nan"), index=frame.index)
            elif DUCKDB_TYPES[kind] == "DATE":
                frame[column] = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[s]")
            elif DUCKDB_TYPES[kind] == "BOOLEAN":
                frame[column] = pd.Series(pd.NA, index=frame.index, dtype="boolean")
    frame = frame[list(spec.columns) + [c for c in frame.columns if c not in spec.columns]]  # the schema's order, whatever the store's
    return _restore_dtypes(frame, types)


def _reader(path: Path, table: str, tz: str, lo, hi, platforms, accounts) -> duckdb.DuckDBPyConnection:
    """The connection :func:`load` queries: the store itself under DuckDB; under
    Spark (:mod:`smkit.data.engine`) an in-memory DuckDB holding only the rows
    Spark scanned from the lake, so both engines hand back the same frame."""
    name = engine.engine_name()
    if name == "duckdb":
        return connect(path, read_only=True, tz=tz)
    engine.check_store_for(name, path)
    con = duckdb.connect()
    con.execute(f"SET TimeZone = '{tz}'")
    if table not in lake.tables(path):
        return con
    spec = get_table(table)
    time_col = TIME_COLUMNS.get(table) or ("start_date" if table == "campaigns" else None)
    kind = "timestamp" if time_col and spec.columns[time_col] == TIMESTAMP else "date"
    filters = [(c, v) for c, v in (("platform", platforms), ("brand" if table == "mentions" else "account", accounts)) if v is not None and c in spec.columns]
    filters = [(c, [v] if isinstance(v, str) else list(v)) for c, v in filters]
    if table == "campaigns":  # kept when they overlap the window: end_date >= lo, and start_date < hi below
        rows = engine.spark_scan(path, table, tz, time_column="start_date", kind="date", hi=hi, filters=filters)
    else:
        rows = engine.spark_scan(path, table, tz, time_column=time_col, kind=kind, lo=lo, hi=hi, filters=filters)
    con.register(table, rows)
    return con


def _restore_dtypes(frame: pd.DataFrame, types: dict[str, str]) -> pd.DataFrame:
    """DuckDB hands BIGINT columns with NULLs to pandas as floats; in smkit
    counts are nullable integers (unknown is not zero), and dates are datetimes."""
    for column, sql_type in types.items():
        if sql_type == "BIGINT":
            frame[column] = frame[column].astype("Int64")
        elif sql_type == "DATE":
            frame[column] = pd.to_datetime(frame[column])
    return frame


def table_counts(store: str | Path | None = None) -> dict[str, int]:
    """Rows per table in the store."""
    path = resolve_store(store)
    with connect(path, read_only=True) as con:
        return {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in sorted(_tables(con))}


def export_lake(store: str | Path | None, dest: str | Path, tz: str = DEFAULT_TZ) -> dict[str, int]:
    """Write every table of the store file ``store`` into the lake folder ``dest``
    (hive-partitioned Parquet, see :mod:`smkit.data.lake`); rows per table."""
    path = resolve_store(store)
    with connect(path, read_only=True, tz=tz) as con:
        return lake.export(con, dest)
