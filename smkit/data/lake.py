"""A lake: the store's tables as hive-partitioned Parquet in one folder.

Layout (what DuckDB, Spark and any Parquet reader understand)::

    LAKE/_smkit_lake.json                      marks the folder as a smkit lake
    LAKE/table=mentions/_schema.parquet        no rows: every column with its type
    LAKE/table=mentions/month=2026-10/data_0.parquet
    LAKE/table=audience/data_0.parquet         tables without a time column

Tables with a time column are split by calendar month (in the store's time
zone) of that column, so a window reads only its months. Files whose name
starts with ``_`` are skipped by Spark and Hadoop readers; DuckDB reads the
zero-row ``_schema.parquet`` so an empty table keeps its columns.

Reading: :func:`connect` opens an in-memory DuckDB whose views read the
Parquet files, so every reader of :mod:`smkit.data.store` works on a lake
unchanged. Writing: one table at a time is written to a staging folder and
swapped in, so a reader sees the old table or the new one, never half.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from pathlib import Path

import duckdb

MARKER = "_smkit_lake.json"
PARTITION = "month"
# Each table's partition source: the time column (or, for campaigns, the start date).
PARTITION_COLUMNS = {
    "posts": "published_at",
    "account_daily": "date",
    "mentions": "published_at",
    "experiments": "assigned_at",
    "community_activity": "date",
    "campaigns": "start_date",
}


def is_lake(path: str | Path | None) -> bool:
    """True for a lake folder (it has the marker or ``table=`` folders), or for a
    path ending in ``/`` that does not exist yet or is an empty folder (a new lake)."""
    if path is None:
        return False
    text, p = str(path), Path(path)
    new = text.endswith(("/", os.sep))
    if p.is_dir():
        return (p / MARKER).is_file() or any(p.glob("table=*")) or (new and not any(p.iterdir()))
    return new and not p.exists()


def create(path: str | Path) -> Path:
    """Make ``path`` a lake (the folder and its marker); an existing lake is kept."""
    p = Path(path)
    p.mkdir(parents=True, exist_ok=True)
    marker = p / MARKER
    if not marker.exists():
        marker.write_text(json.dumps({"format": "smkit-lake", "version": 1, "partitioning": ["table", PARTITION]}) + "\n", encoding="utf-8")
    return p


def tables(path: str | Path) -> list[str]:
    """The tables the lake holds (one ``table=NAME`` folder each)."""
    return sorted(d.name.split("=", 1)[1] for d in Path(path).glob("table=*") if d.is_dir() and any(d.rglob("*.parquet")))


def table_glob(path: str | Path, table: str) -> str:
    return str(Path(path) / f"table={table}" / "**" / "*.parquet")


def _sql_string(text: str) -> str:
    return "'" + str(text).replace("'", "''") + "'"


def scan(path: str | Path, table: str) -> str:
    """The DuckDB expression that reads ``table`` from the lake (columns as stored, no partition column)."""
    return f"read_parquet({_sql_string(table_glob(path, table))}, union_by_name = true, hive_partitioning = false)"


def attach(con: duckdb.DuckDBPyConnection, path: str | Path, *, materialise: str | None = None) -> None:
    """Create one view per lake table in ``con``; ``materialise`` names a table to copy
    into a real table instead (the one an ingest is about to change)."""
    for table in tables(path):
        kind = "TABLE" if table == materialise else "VIEW"
        con.execute(f'CREATE {kind} "{table}" AS SELECT * FROM {scan(path, table)}')


def connect(path: str | Path, *, tz: str, materialise: str | None = None) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection over the lake at ``path``."""
    con = duckdb.connect()
    con.execute(f"SET TimeZone = '{tz}'")
    con.execute("SET preserve_insertion_order = false")
    attach(con, path, materialise=materialise)
    return con


def write_table(con: duckdb.DuckDBPyConnection, table: str, path: str | Path, *, source: str | None = None) -> Path:
    """Write ``table`` (or the query ``source``) from ``con`` into the lake at ``path``,
    replacing what the lake held for it. The connection's time zone decides the months."""
    lake = create(path)
    relation = source or f'"{table}"'
    stage = lake / f".staging-{table}-{os.getpid()}"
    shutil.rmtree(stage, ignore_errors=True)
    stage.mkdir()
    try:
        columns = [r[0] for r in con.execute(f"DESCRIBE SELECT * FROM {relation}").fetchall()]
        con.execute(f"COPY (SELECT * FROM {relation} LIMIT 0) TO {_sql_string(stage / '_schema.parquet')} (FORMAT parquet)")
        by = PARTITION_COLUMNS.get(table)
        if by in columns and PARTITION not in columns:
            month = f"coalesce(strftime(\"{by}\", '%Y-%m'), 'unknown')"
            con.execute(
                f'COPY (SELECT *, {month} AS {PARTITION} FROM {relation} ORDER BY "{by}") '
                f"TO {_sql_string(stage)} (FORMAT parquet, PARTITION_BY ({PARTITION}), OVERWRITE_OR_IGNORE, COMPRESSION zstd)"
            )
        else:
            con.execute(f"COPY (SELECT * FROM {relation}) TO {_sql_string(stage / 'data_0.parquet')} (FORMAT parquet, COMPRESSION zstd)")
        target = lake / f"table={table}"
        old = lake / f".old-{table}-{os.getpid()}"
        if target.exists():
            os.replace(target, old)
        os.replace(stage, target)
        shutil.rmtree(old, ignore_errors=True)
        return target
    finally:
        with contextlib.suppress(OSError):
            shutil.rmtree(stage, ignore_errors=True)


def export(con: duckdb.DuckDBPyConnection, dest: str | Path) -> dict[str, int]:
    """Write every table ``con`` holds into the lake ``dest``; rows per table.
    :func:`smkit.data.store.export_lake` opens a store file for it."""
    counts: dict[str, int] = {}
    names = [r[0] for r in con.execute("SELECT table_name FROM information_schema.tables ORDER BY 1").fetchall()]
    for table in names:
        write_table(con, table, dest)
        counts[table] = con.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
    return counts
