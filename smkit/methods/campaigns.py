"""Campaigns as every campaign playbook reads them: the campaign row of the
store (:class:`Campaign`, :func:`read_campaign`, which campaign runs on a day)
and spend against results per channel or creator (:func:`efficiency`), so the
post-mortem and the pacing report rank channels and creators the same way;
and the brand's daily total over its accounts (:func:`daily_total`), from
which both read their lift and progress.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from smkit import rules
from smkit.data.store import load as load_table
from smkit.methods import stats
from smkit.params import parse_list


@dataclass(frozen=True)
class Campaign:
    campaign_id: str
    name: str
    start: dt.date
    end: dt.date
    platforms: tuple[str, ...]
    budget: float | None
    targets: dict[str, float]

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def read_campaign(store: Path, campaign_id: str = "", *, ended_by: dt.date | None = None) -> Campaign:
    """The campaign ``campaign_id``; empty for the most recent that has ended
    (by ``ended_by``, the store's last day, when given: a campaign still under
    way is the pacing report's, not the post-mortem's)."""
    table = load_table("campaigns", store=store)
    if table.empty:
        raise LookupError("the campaigns table is empty; ingest a campaign sheet first")
    if campaign_id:
        match = table[table["campaign_id"] == campaign_id]
        if match.empty:
            raise ValueError(f"campaign {campaign_id!r} is not in the store; campaigns: {', '.join(table['campaign_id'])}")
        return campaign_from_row(match.iloc[0], table.columns)
    ended = table[table["end_date"] <= pd.Timestamp(ended_by)] if ended_by is not None else table
    return campaign_from_row((ended if len(ended) else table).sort_values("end_date").iloc[-1], table.columns)


def campaign_from_row(row: pd.Series, columns) -> Campaign:
    """A :class:`Campaign` from one row of the campaigns table (targets from its ``target_<metric>`` columns)."""
    targets = {c.removeprefix("target_"): float(row[c]) for c in columns if c.startswith("target_") and pd.notna(row[c])}
    listed = row.get("platforms")
    platforms = parse_list(str(listed)) if pd.notna(listed) else ()
    name = row.get("name")  # a sheet without names, or a row without one: NaN beside named rows, never "nan"
    return Campaign(
        str(row["campaign_id"]),
        str(row["campaign_id"]) if pd.isna(name) or not str(name).strip() else str(name),
        pd.Timestamp(row["start_date"]).date(),
        pd.Timestamp(row["end_date"]).date(),
        platforms,
        None if pd.isna(row.get("budget")) else float(row["budget"]),
        targets,
    )


def running_on(table: pd.DataFrame, day: dt.date) -> pd.DataFrame:
    """The rows of the campaigns table that run on ``day`` (started on or before it, ending on or after it)."""
    day = pd.Timestamp(day)
    return table[(pd.to_datetime(table["start_date"]) <= day) & (pd.to_datetime(table["end_date"]) >= day)]


def efficiency(campaign_posts: pd.DataFrame, by: str, alpha: float = 0.05) -> pd.DataFrame:
    """Spend, results and cost per result per ``by`` group (channel, creator,
    platform, content_type), ranked by cost per conversion with its interval
    (exact Poisson on conversions), and whether each group's conversion rate per
    click differs from the best group's (two-proportion test, Holm-adjusted:
    ``p_vs_best`` and ``differs_from_best``)."""
    posts = campaign_posts.assign(interactions=rules.interactions(campaign_posts, rules.CREDITED_ENGAGEMENT))
    posts = posts[posts[by].notna()] if by in posts else posts.iloc[0:0]
    if posts.empty:
        return pd.DataFrame()
    g = posts.groupby(by, observed=True)
    table = pd.DataFrame(
        {
            "posts": g.size(),
            "spend": g["spend"].sum(min_count=1) if "spend" in posts else np.nan,
            "views": g["views"].sum(min_count=1),
            "interactions": g["interactions"].sum(min_count=1),
            "clicks": g["clicks"].sum(min_count=1) if "clicks" in posts else np.nan,
            "conversions": g["conversions"].sum(min_count=1) if "conversions" in posts else np.nan,
        }
    ).astype(float)
    table["cpe"] = table["spend"] / table["interactions"].replace(0, np.nan)
    table["cpa"] = table["spend"] / table["conversions"].replace(0, np.nan)
    table.loc[(table["spend"] > 0) & (table["conversions"] == 0), "cpa"] = np.inf  # money spent, nothing converted
    bounds = [stats.poisson_interval(c, alpha) if pd.notna(c) else (np.nan, np.nan) for c in table["conversions"]]
    table["cpa_low"] = [s / hi if hi and pd.notna(s) else np.nan for s, (lo, hi) in zip(table["spend"], bounds)]
    table["cpa_high"] = [s / lo if lo and pd.notna(s) else np.nan for s, (lo, hi) in zip(table["spend"], bounds)]
    table["conversion_rate"] = table["conversions"] / table["clicks"].replace(0, np.nan)
    table = table.sort_values(["cpa", "views"], ascending=[True, False], na_position="last")
    rated = table.dropna(subset=["conversion_rate"])
    table["differs_from_best"] = None
    if len(rated) >= 2:
        best = rated["conversion_rate"].idxmax()
        others = [i for i in rated.index if i != best]
        p = [
            stats.two_proportion_pvalue(rated.at[best, "conversions"], rated.at[best, "clicks"], rated.at[i, "conversions"], rated.at[i, "clicks"])
            for i in others
        ]
        adjusted = stats.adjust_pvalues(p, "holm")
        table["p_vs_best"] = pd.Series(dict(zip(others, adjusted)))
        table.loc[others, "differs_from_best"] = [bool(a < alpha) for a in adjusted]
        table.loc[best, "differs_from_best"] = False
    return table


def daily_total(per_account: pd.DataFrame) -> pd.Series:
    """Per day (the rows), the sum over the account series (the columns): unknown on a
    day one series leaves empty after its first value (a gap in its export, or an export
    that ends before the others': a sum without it reads as a dip); nothing from a
    series before its first value (an account opened during the period)."""
    started = per_account.ffill().notna()
    return per_account.sum(axis=1, min_count=1).mask((per_account.isna() & started).any(axis=1))
