"""The heavy aggregates, written once as ibis expressions and run by the engine.

DuckDB (the store file or a lake) and Spark (a lake) compile the same
expressions (:func:`open_backend`), so what comes back to pandas is one row per
day, brand, platform and sentiment label, per account and platform, or per
brand: its size does not grow with the raw rows. Why ibis: it is the one
maintained library whose DuckDB and PySpark backends compile one dataframe
expression to each engine's SQL, with pandas results; writing SQL twice would
let the engines drift apart.

Every function takes an ibis backend whose tables are the store's, and a
window of local days (the backend's session time zone is the store's).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import warnings
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from smkit.data import engine, lake
from smkit.data.schema import DUCKDB_TYPES, get_table
from smkit.data.store import DEFAULT_TZ, TIME_COLUMNS, connect

SENTIMENT_THRESHOLD = 0.25  # as smkit.rules.SENTIMENT_THRESHOLD: within ±0.25 of zero is neutral
ENGAGEMENT = ("likes", "comments", "shares")  # as smkit.rules.CROSS_PLATFORM_ENGAGEMENT


@contextlib.contextmanager
def open_backend(store: str | Path, engine_name: str | None = None, tz: str = DEFAULT_TZ) -> Iterator[Any]:
    """An ibis backend over ``store`` for the engine (:func:`smkit.data.engine.engine_name`),
    its tables named as the store's. DuckDB's connection closes on exit; a Spark
    session lives for the process."""
    with warnings.catch_warnings():
        # ibis's own calls into newer duckdb and pandas warn of deprecations that are ibis's to follow, not a reader's concern.
        warnings.filterwarnings("ignore", message=r".*(fetch_arrow_table|future\.infer_string|The copy keyword is deprecated).*")
        yield from _open(store, engine_name, tz)


def _open(store: str | Path, engine_name: str | None, tz: str) -> Iterator[Any]:
    import ibis

    name = engine.engine_name(engine_name)
    engine.check_store_for(name, store)
    if name == "duckdb":
        con = connect(store, read_only=True, tz=tz)
        try:
            backend = ibis.duckdb.from_connection(con)
            con.execute(f"SET TimeZone = '{tz}'")  # ibis sets UTC; local days are the store's
            yield backend
        finally:
            con.close()
        return
    session = engine.spark_session(tz)
    for table in lake.tables(store):
        engine.spark_frame(session, store, table).createOrReplaceTempView(table)
    backend = ibis.pyspark.connect(session)
    session.conf.set("spark.sql.session.timeZone", tz)  # ibis sets UTC; local days are the store's
    yield backend


_IBIS_TYPES = {"BIGINT": "int64", "DOUBLE": "float64", "VARCHAR": "string", "BOOLEAN": "boolean", "DATE": "date", "TIMESTAMPTZ": "timestamp"}


def whole_table(con, table: str):
    """``table`` with every column of its schema: one the store lacks (it holds the columns
    its exports filled, or was made by an older smkit) reads as unknown (NULL), as
    :func:`smkit.data.store.load` reads it."""
    import ibis

    t = con.table(table)
    missing = {c: kind for c, kind in get_table(table).columns.items() if c not in t.columns}
    return t.mutate(**{c: ibis.null(_IBIS_TYPES[DUCKDB_TYPES[kind]]) for c, kind in missing.items()}) if missing else t


def _window(t, column: str, start: dt.date | None, end: dt.date | None, *, timestamp: bool):
    """Rows of ``t`` whose local day of ``column`` is within ``start``..``end``."""
    day = t[column].date() if timestamp else t[column]
    if start is not None:
        t = t.filter(day >= start)
    if end is not None:
        t = t.filter(day <= end)
    return t


def _polarity(score, threshold: float = SENTIMENT_THRESHOLD):
    import ibis

    return ibis.cases((score > threshold, "positive"), (score < -threshold, "negative"), (score.notnull(), "neutral"), else_="unscored")


def _earned(t):
    return ~t.is_reply_by_brand.fill_null(False)


def mention_cube(con, start: dt.date | None = None, end: dt.date | None = None, brands: Sequence[str] | None = None) -> pd.DataFrame:
    """Mentions per local day, brand, platform and sentiment label (``unscored`` where the
    store has no score): ``mentions``, ``earned`` (not the brands' own replies),
    ``authors`` (distinct), ``engagement`` (likes + comments + shares) and ``reach``
    (followers summed over the day's distinct authors of the group)."""
    t = _window(whole_table(con, "mentions"), "published_at", start, end, timestamp=True)
    if brands is not None:
        t = t.filter(t.brand.isin(list(brands)))
    # Keys never NULL (a NULL never matches in the joins below); '' is turned back into a missing brand at the end.
    t = t.mutate(
        day=t.published_at.date(),
        brand=t.brand.fill_null(""),
        platform=t.platform.fill_null(""),
        polarity=_polarity(t.sentiment),
        earned_=_earned(t).cast("int64"),
    )
    engagement = sum((t[c].fill_null(0) for c in ENGAGEMENT), start=0)
    keys = ["day", "brand", "platform", "polarity"]
    per_author = t.group_by([*keys, "author"]).agg(followers=t.author_followers.max())
    reach = per_author.group_by(keys).agg(reach=per_author.followers.fill_null(0).sum())
    counts = t.group_by(keys).agg(
        mentions=t.count(),
        earned=t.earned_.sum(),
        authors=t.author.nunique(),
        engagement=engagement.sum(),
    )
    hours = t.mutate(hour=t.published_at.hour())
    hourly = hours.group_by([*keys, "hour"]).agg(n=hours.count())
    peak = hourly.group_by(keys).agg(busiest_hour_mentions=hourly.n.max())
    out = counts.join(peak, keys).join(reach, keys)
    frame = out.to_pandas()
    frame["day"] = pd.to_datetime(frame["day"])
    frame[["brand", "platform"]] = frame[["brand", "platform"]].replace("", None)
    for column in ("mentions", "earned", "authors", "engagement", "busiest_hour_mentions", "reach"):
        frame[column] = frame[column].fillna(0).astype("int64")
    return frame.sort_values(keys, kind="stable").reset_index(drop=True)[
        [*keys, "mentions", "earned", "authors", "engagement", "reach", "busiest_hour_mentions"]
    ]


def voice_volumes(con, start: dt.date | None = None, end: dt.date | None = None, by: Sequence[str] = (), weighted: bool = False) -> pd.Series:
    """Earned mentions per ``by`` and brand (each counted once, plus its likes,
    comments and shares when ``weighted``): the sufficient statistics of share of voice
    (:func:`smkit.rules.shares_from_volumes`)."""
    t = _window(whole_table(con, "mentions"), "published_at", start, end, timestamp=True)
    t = t.filter(_earned(t))
    weight = (1.0 + sum((t[c].fill_null(0).cast("float64") for c in ENGAGEMENT), start=0)) if weighted else t.count()
    keys = [*by, "brand"]
    agg = t.group_by(keys).agg(volume=weight.sum() if weighted else weight).to_pandas()
    agg = agg.dropna(subset=keys).sort_values(keys, kind="stable")
    return agg.set_index(keys)["volume"].astype(float)


def top_mentions(con, start: dt.date | None, end: dt.date | None, brand: str, k: int = 10, tz: str = DEFAULT_TZ) -> pd.DataFrame:
    """The ``k`` mentions of ``brand`` in the window whose authors have the most followers."""
    t = _window(whole_table(con, "mentions"), "published_at", start, end, timestamp=True)
    t = t.filter(t.brand == brand)
    cols = ["platform", "mention_id", "published_at", "author", "author_followers", "text", "sentiment"]
    frame = t.select(*cols).order_by([t.author_followers.desc(), t.mention_id]).limit(k).to_pandas()
    stamps = pd.to_datetime(frame["published_at"])  # Spark hands back local wall times, DuckDB instants
    frame["published_at"] = stamps.dt.tz_localize(tz) if stamps.dt.tz is None else stamps.dt.tz_convert(tz)
    return frame


def post_totals(con, start: dt.date | None, end: dt.date | None, metrics: Sequence[str] = ("views", "likes", "comments", "shares")) -> pd.DataFrame:
    """Posts and metric sums per platform and account in the window (benchmarks)."""
    t = _window(con.table("posts"), "published_at", start, end, timestamp=True)
    have = [m for m in metrics if m in t.columns]
    agg = t.group_by(["platform", "account"]).agg(posts=t.count(), **{m: t[m].sum() for m in have})
    return agg.to_pandas().sort_values(["platform", "account"], kind="stable").reset_index(drop=True)


def account_series(
    con, start: dt.date | None, end: dt.date | None, metrics: Sequence[str] = ("followers", "views", "engagements"), accounts: Sequence[str] | None = None
) -> pd.DataFrame:
    """``account_daily`` summed per date and platform (over ``accounts``, or all)."""
    t = _window(con.table("account_daily"), "date", start, end, timestamp=False)
    if accounts is not None:
        t = t.filter(t.account.isin(list(accounts)))
    have = [m for m in metrics if m in t.columns]
    frame = t.group_by(["date", "platform"]).agg(accounts=t.account.nunique(), **{m: t[m].sum() for m in have}).to_pandas()
    frame["date"] = pd.to_datetime(frame["date"])
    return frame.sort_values(["date", "platform"], kind="stable").reset_index(drop=True)


def table_spans(con, tables: Sequence[str]) -> pd.DataFrame:
    """Rows and first and last local day of each table (``None`` without a time column)."""
    rows = []
    for table in tables:
        t = con.table(table)
        column = TIME_COLUMNS.get(table)
        if column and column in t.columns:
            day = t[column].date() if t[column].type().is_timestamp() else t[column]
            got = t.aggregate(rows=t.count(), first=day.min(), last=day.max()).to_pandas().iloc[0]
            first, last = (None if pd.isna(v) else pd.Timestamp(v).date() for v in (got["first"], got["last"]))
            rows.append({"table": table, "rows": int(got["rows"]), "first": first, "last": last})
        else:
            rows.append({"table": table, "rows": int(t.count().to_pandas()), "first": None, "last": None})
    return pd.DataFrame(rows, columns=["table", "rows", "first", "last"]).set_index("table")
