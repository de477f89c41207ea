"""Which engine executes the store's queries: DuckDB (embedded, the default) or Apache Spark.

The engine is named by ``$SMKIT_ENGINE`` (``smkit run --engine`` sets it for
the run's kernels) and looked up in :data:`ENGINES`. DuckDB reads the store
file or a lake in process. Spark reads a lake (:mod:`smkit.data.lake`), the
only storage a cluster shares: a local session (``local[*]``) unless
``$SPARK_REMOTE`` names a Spark Connect server (``sc://host:15002``) or
``$SMKIT_SPARK_MASTER`` a master URL (``spark://host:7077``, ``yarn``).

Heavy aggregates are ibis expressions (:mod:`smkit.data.aggregates`) that
compile for either engine; the rows a playbook still needs are scanned by
:func:`spark_scan` with the window pushed down to the files.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa

from smkit.data import lake

ENV = "SMKIT_ENGINE"
ENGINES = {
    "duckdb": "DuckDB in this process: the store file or a lake folder (the default)",
    "spark": "Apache Spark over a lake folder: local[*], $SMKIT_SPARK_MASTER or Spark Connect at $SPARK_REMOTE (pip install 'smkit[spark]')",
}
DEFAULT_ENGINE = "duckdb"


class EngineError(ValueError):
    """An engine that cannot serve the request: unknown name, pyspark missing, a store Spark cannot read."""


def engine_name(name: str | None = None) -> str:
    """``name``, else ``$SMKIT_ENGINE``, else ``duckdb``; an unknown name is an :class:`EngineError` listing the valid ones."""
    chosen = (name or os.environ.get(ENV) or DEFAULT_ENGINE).strip().lower()
    if chosen not in ENGINES:
        raise EngineError(f"unknown engine {chosen!r}; choose one of: {', '.join(ENGINES)}")
    return chosen


def check_store_for(engine: str, store: str | Path) -> None:
    """Spark reads a lake, never a DuckDB file: say how to make one."""
    if engine == "spark" and not Path(store).is_dir():
        raise EngineError(f"the spark engine reads a lake folder, not the DuckDB file {store}; write one with 'smkit export-lake LAKE --store {store}'")


# ---------------------------------------------------------------- Spark


def spark_session(tz: str):
    """The process's Spark session (created once): Spark Connect when ``$SPARK_REMOTE``
    is set, else ``$SMKIT_SPARK_MASTER`` or ``local[*]``; times in ``tz``."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise EngineError("the spark engine needs pyspark: pip install 'smkit[spark]'") from None
    remote = os.environ.get("SPARK_REMOTE")
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # local workers run this interpreter, so they import smkit too
    builder = SparkSession.builder.appName("smkit")
    if remote:
        builder = builder.remote(remote)
    else:
        builder = (
            builder.master(os.environ.get("SMKIT_SPARK_MASTER", "local[*]"))
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.shuffle.partitions", os.environ.get("SMKIT_SPARK_SHUFFLE_PARTITIONS", "8"))
            .config("spark.sql.execution.arrow.pyspark.enabled", "true")
            # The rows a playbook reads come back to this process through the driver: give it room (local mode only;
            # a cluster's driver is sized where it is submitted).
            .config("spark.driver.memory", os.environ.get("SMKIT_SPARK_DRIVER_MEMORY", "4g"))
            .config("spark.driver.maxResultSize", os.environ.get("SMKIT_SPARK_MAX_RESULT", "4g"))
        )
    session = builder.config("spark.sql.session.timeZone", tz).getOrCreate()
    if not remote:
        session.sparkContext.setLogLevel("ERROR")
    session.conf.set("spark.sql.session.timeZone", tz)
    return session


def spark_frame(session, path: str | Path, table: str):
    """The lake table as a Spark DataFrame with the stored columns (the partition column dropped)."""
    folder = Path(path) / f"table={table}"
    data = [p for p in folder.rglob("*.parquet") if not p.name.startswith("_")]
    if not data:  # an empty table: its columns from the zero-row schema file
        import pyarrow.parquet as pq
        from pyspark.sql.pandas.types import from_arrow_schema

        return session.createDataFrame([], from_arrow_schema(pq.read_schema(folder / "_schema.parquet")))
    frame = session.read.option("mergeSchema", "true").parquet(str(folder))
    return frame.drop(lake.PARTITION) if lake.PARTITION in frame.columns and lake.PARTITION_COLUMNS.get(table) else frame


def spark_scan(
    path: str | Path,
    table: str,
    tz: str,
    *,
    time_column: str | None = None,
    kind: str | None = None,
    lo: Any = None,
    hi: Any = None,
    filters: Sequence[tuple[str, Sequence[str]]] = (),
) -> pa.Table:
    """Rows of a lake table read by Spark, filtered on ``lo <= time_column < hi``
    (local times in ``tz``; ``kind`` is ``timestamp`` or ``date``) and on
    ``column IN values`` for each of ``filters``, as an Arrow table. Spark prunes
    the months outside the window and pushes the rest down to the Parquet reader."""
    from pyspark.sql import functions as F

    session = spark_session(tz)
    frame = spark_frame(session, path, table)
    if time_column and (lo is not None or hi is not None):
        column = F.col(time_column)
        if kind == "timestamp":
            bound = lambda v: F.lit(v.strftime("%Y-%m-%d %H:%M:%S.%f")).cast("timestamp")  # noqa: E731 - a local time in the session's tz
        else:
            bound = lambda v: F.lit(v.strftime("%Y-%m-%d")).cast("date")  # noqa: E731
        if lo is not None:
            frame = frame.where(column >= bound(lo))
        if hi is not None:
            frame = frame.where(column < bound(hi))
    for column, values in filters:
        frame = frame.where(F.col(column).isin(list(values)))
    return frame.toArrow()
