"""Mentions scored and summed in the engine, for listening reports at any scale.

A listening window can hold tens of millions of mentions; the market analysis
and the reputation monitor need only their sums per day, brand, platform and
sentiment label, and a few rows they list. This module builds those in the
engine (DuckDB or Spark, through the ibis backend of
:func:`smkit.data.aggregates.open_backend`), so what comes back to pandas does
not grow with the raw rows.

Sentiment: mentions without a stored score are scored here. Only the distinct
texts of the window that lack a score are fetched; those not in the score cache
(:mod:`smkit.methods.score_cache`) are scored in batches and written back to it;
the scores then go to the engine as a small table of (text, score) that the
queries join, so the scored rows never leave the engine.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd
import pyarrow as pa

from smkit import rules
from smkit.data import aggregates
from smkit.data.store import DEFAULT_TZ
from smkit.methods import score_cache

# The value that stands for each label in a grouped row: the rules' threshold labels them back the same.
LABEL_VALUE = {"positive": 1.0, "neutral": 0.0, "negative": -1.0}
ENGAGEMENT = rules.CROSS_PLATFORM_ENGAGEMENT


def _scalar(expr) -> int:
    value = expr.to_pandas()
    return 0 if pd.isna(value) else int(value)


def scored(con, start: dt.date | None, end: dt.date | None):
    """The window's mentions with ``sentiment`` filled in the engine (an exported score is
    kept; the rest scored once per distinct text through the cache; a mention without text
    is neutral, 0), ``exported_`` telling which kept theirs; and how the scores were found
    (:class:`~smkit.methods.score_cache.Scoring`)."""
    import ibis

    t = aggregates._window(aggregates.whole_table(con, "mentions"), "published_at", start, end, timestamp=True)
    t = t.mutate(exported_=t.sentiment.notnull())
    counts = t.aggregate(total=t.count(), missing=t.sentiment.isnull().ifelse(1, 0).sum()).to_pandas().iloc[0]
    total, missing = int(counts["total"]), 0 if pd.isna(counts["missing"]) else int(counts["missing"])
    if not missing:
        return t, score_cache.Scoring(exported=total)
    wanted = t.filter(t.sentiment.isnull() & t.text.notnull()).select("text").distinct()
    texts = wanted.to_pyarrow()["text"].to_pylist()
    scores, found = score_cache.scores_of(texts)
    lookup = ibis.memtable(pa.table({"text_": pa.array(texts, pa.string()), "score_": pa.array(scores, pa.float64())}))
    joined = t.left_join(lookup, t.text == lookup.text_)
    filled = joined.mutate(sentiment=ibis.coalesce(joined.sentiment, joined.score_, ibis.literal(0.0)))
    return filled.drop("text_", "score_"), score_cache.Scoring(exported=total - missing, cached=found.cached, scored=found.scored)


def mention_groups(con, start: dt.date | None, end: dt.date | None, tz: str = DEFAULT_TZ) -> tuple[pd.DataFrame, score_cache.Scoring]:
    """The window's mentions summed per local day, brand, platform, sentiment label,
    exported score and brand reply, in the shape of mention rows: ``published_at`` (the
    day's local midnight), ``brand``, ``platform``, ``sentiment`` (1, 0 or -1 for positive,
    neutral, negative), ``is_reply_by_brand``, ``exported`` (the listening tool gave the
    score), the interaction sums (``likes``, ``comments``, ``shares``) and ``n`` (mentions).
    The rules that count mentions count ``n`` (:func:`smkit.rules.mention_count`)."""
    t, scoring = scored(con, start, end)
    t = t.mutate(
        day=t.published_at.date(),
        polarity=aggregates._polarity(t.sentiment),
        is_reply_by_brand=t.is_reply_by_brand.fill_null(False),
    )
    keys = ["day", "brand", "platform", "polarity", "exported_", "is_reply_by_brand"]
    sums = {c: t[c].fill_null(0).cast("float64").sum() for c in ENGAGEMENT}
    frame = t.group_by(keys).agg(n=t.count(), **sums).to_pandas()
    frame = frame.sort_values(keys, kind="stable", na_position="last").reset_index(drop=True)
    out = pd.DataFrame(
        {
            "published_at": pd.to_datetime(frame["day"]).dt.tz_localize(tz),
            "brand": frame["brand"].astype(object).where(frame["brand"].notna(), None),
            "platform": frame["platform"].astype(object).where(frame["platform"].notna(), None),
            "sentiment": frame["polarity"].map(LABEL_VALUE).astype(float),
            "is_reply_by_brand": frame["is_reply_by_brand"].astype(bool),
            "exported": frame["exported_"].astype(bool),
            **{c: frame[c].astype(float) for c in ENGAGEMENT},
            "n": frame["n"].astype("int64"),
        }
    )
    return out, scoring


def load_groups(store, start: dt.date | None, end: dt.date | None, brands: Sequence[str] | None = None, tz: str = DEFAULT_TZ):
    """:func:`mention_groups` over ``store`` with the run's engine."""
    with aggregates.open_backend(store, tz=tz) as con:
        frame, scoring = mention_groups(con, start, end, tz)
    if brands is not None:
        frame = frame[frame["brand"].isin(list(brands))].reset_index(drop=True)
    frame.attrs["sentiment_scoring"] = scoring
    return frame
