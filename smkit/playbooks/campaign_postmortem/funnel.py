"""The funnel on the brand accounts and word of mouth: the campaign window
against the equally long period before it, each change tested."""

from __future__ import annotations

import pandas as pd

from smkit import rules
from smkit.methods import sentiment, stats

from .inputs import Campaign


def funnel(daily: pd.DataFrame, campaign: Campaign) -> pd.DataFrame:
    """Views (or impressions) -> engagements -> clicks -> conversions for the
    brand accounts, in the campaign window and the equally long period before
    it, with each stage's rate, its drop-off and a test of the change. A stage
    the account export leaves empty on any day of either period is left out
    (unknown, not zero: its sums would cover fewer days than the stage before
    it); with none left the table is empty."""
    during, before = _periods(daily, campaign)
    both = pd.concat([during, before])
    stages = [s for s in _candidates(during, both) if s in daily and len(both) and both[s].notna().all()]
    rows = []
    for i, stage in enumerate(stages):
        now, then = float(during[stage].sum()), float(before[stage].sum())
        row = {"stage": stage, "campaign": now, "before": then}
        if i:
            prev = stages[i - 1]
            now_prev, then_prev = float(during[prev].sum()), float(before[prev].sum())
            row["rate"] = now / now_prev if now_prev else None
            row["rate_before"] = then / then_prev if then_prev else None
            row["drop_off"] = 1 - row["rate"] if row["rate"] is not None else None
            testable = now_prev and then_prev and now <= now_prev and then <= then_prev
            row["p_value"] = stats.two_proportion_pvalue(then, then_prev, now, now_prev) if testable else None
        rows.append(row)
    return (pd.DataFrame(rows) if rows else pd.DataFrame(columns=["stage", "campaign", "before"])).set_index("stage")


def left_out(daily: pd.DataFrame, campaign: Campaign) -> dict[str, int]:
    """The stages :func:`funnel` leaves out although the export fills them on some
    days, with how many days of the two periods it leaves them empty: the report
    names them, so a stage is never dropped without a word."""
    during, before = _periods(daily, campaign)
    both = pd.concat([during, before])
    top, *rest = _candidates(during, both)
    named = ("impressions", *rest) if top == "views" else (top, *rest)  # impressions on too few days gave way to views
    gaps = {s: int(both.loc[both[s].isna(), "date"].nunique()) for s in named if s in both and both[s].notna().any()}
    return {s: days for s, days in gaps.items() if days}


def _periods(daily: pd.DataFrame, campaign: Campaign) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The campaign window's days and the equally long period's before it."""
    start, end = pd.Timestamp(campaign.start), pd.Timestamp(campaign.end)
    during = daily[(daily["date"] >= start) & (daily["date"] <= end)]
    return during, daily[(daily["date"] < start) & (daily["date"] >= start - pd.Timedelta(days=campaign.days))]


def _candidates(during: pd.DataFrame, both: pd.DataFrame) -> tuple[str, ...]:
    """The funnel's stages, impressions on top where both periods have them every day, else views."""
    top = "impressions" if both["impressions"].notna().all() and during["impressions"].sum() > 0 else "views"
    return (top, "engagements", "clicks", "conversions")


def mention_shift(mentions: pd.DataFrame, brand: str, campaign: Campaign) -> pd.DataFrame:
    """Earned mentions of the brand per day and their sentiment (as exported,
    else scored by :mod:`smkit.methods.sentiment`) during the campaign against
    the equally long period before, with a test of the change in the negative
    share (negative as :func:`smkit.rules.is_negative`)."""
    m = rules.earned(mentions)
    m = m[m["brand"] == brand]
    m = sentiment.fill(m)
    day = m["published_at"].dt.tz_localize(None).dt.normalize()
    start, end = pd.Timestamp(campaign.start), pd.Timestamp(campaign.end)
    periods = {"before": (start - pd.Timedelta(days=campaign.days), start - pd.Timedelta(days=1)), "campaign": (start, end)}
    rows = []
    for name, (lo, hi) in periods.items():
        part = m[(day >= lo) & (day <= hi)]
        scored = part["sentiment"].dropna()
        negative = rules.is_negative(scored)
        rows.append(
            {
                "period": name,
                "mentions_per_day": len(part) / campaign.days,
                "mentions": len(scored),
                "mean_sentiment": scored.mean() if len(scored) else None,
                "negative": int(negative.sum()),
                "negative_share": negative.mean() if len(scored) else None,
            }
        )
    table = pd.DataFrame(rows).set_index("period")
    table["p_value"] = None
    if table["mentions"].min() > 0:
        table.at["campaign", "p_value"] = stats.two_proportion_pvalue(
            table.at["before", "negative"], table.at["before", "mentions"], table.at["campaign", "negative"], table.at["campaign", "mentions"]
        )
    return table
