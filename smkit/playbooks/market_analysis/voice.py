"""Share of voice by week and platform, and net sentiment per brand.

The overall share of voice is :func:`smkit.rules.share_of_voice`; this module
adds its weekly views and the sentiment table.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from smkit import rules
from smkit.methods import sentiment, stats


def _week(mentions: pd.DataFrame) -> pd.Series:
    """Each mention's week start (Monday)."""
    return pd.to_datetime(mentions["published_at"]).dt.tz_localize(None).dt.to_period("W-SUN").dt.start_time


def weekly_share_of_voice(mentions: pd.DataFrame, weighted: bool = False) -> pd.DataFrame:
    """Share of voice per brand (columns) for each complete or partial week (Monday start)."""
    m = rules.earned(mentions)
    volume = m.assign(week=_week(m), volume=rules.mention_weight(m, weighted)).pivot_table(
        index="week", columns="brand", values="volume", aggfunc="sum", fill_value=0
    )
    return volume.div(volume.sum(axis=1), axis=0)


def weekly_platform_share(mentions: pd.DataFrame, brand: str) -> pd.DataFrame:
    """``brand``'s weekly share of voice on each platform (columns)."""
    m = rules.earned(mentions)
    n = rules.mention_count(m)
    counts = m.assign(week=_week(m), ours=n.where(m["brand"] == brand, 0.0), n=n).groupby(["week", "platform"], observed=True)[["ours", "n"]].sum()
    return (counts["ours"] / counts["n"]).unstack("platform")


def net_sentiment_table(mentions: pd.DataFrame, alpha: float = 0.05, threshold: float = rules.SENTIMENT_THRESHOLD) -> pd.DataFrame:
    """Net sentiment per brand with a Wilson interval on positive / (positive + negative).

    Mentions keep an exported ``sentiment``; the rest are scored by
    :mod:`smkit.methods.sentiment`, and ``scored_share`` says how many were.
    """
    m = rules.earned(mentions)
    if "exported" in m:  # rows summed in the engine, scored there (smkit.methods.mention_engine)
        exported = m["exported"].astype(bool)
    else:
        exported = m["sentiment"].notna() if "sentiment" in m else pd.Series(False, index=m.index)
        m = sentiment.fill(m)
    m = m.assign(n_=rules.mention_count(m))
    rows = []
    for brand, part in m.groupby("brand", observed=True):
        values = part["sentiment"].astype(float)
        n = part["n_"]
        positive, negative = int(n[values > threshold].sum()), int(n[values < -threshold].sum())
        lo = hi = np.nan
        if positive + negative:
            q_lo, q_hi = stats.wilson_interval(positive, positive + negative, alpha=alpha)
            lo, hi = 2 * q_lo - 1, 2 * q_hi - 1
        rows.append(
            {
                "brand": brand,
                "mentions": int(n.sum()),
                "positive": positive,
                "negative": negative,
                "net_sentiment": rules.net_sentiment(values, threshold, weights=n),
                "ci_low": lo,
                "ci_high": hi,
                "scored_share": 1 - float(n[exported.loc[part.index]].sum()) / float(n.sum()),
            }
        )
    columns = ["brand", "mentions", "positive", "negative", "net_sentiment", "ci_low", "ci_high", "scored_share"]
    return pd.DataFrame(rows, columns=columns).set_index("brand")
