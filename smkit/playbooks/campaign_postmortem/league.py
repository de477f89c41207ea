"""Every ended campaign in the store side by side: what each caused (the same
counterfactual lift as the post-mortem, per campaign), what it cost per
incremental result, its ROI where revenue exists, and which differ beyond
chance.

Which differ: each campaign's relative lift against the top campaign's, by a
two-sided z-test on the difference, each lift's standard error read from its
simulated interval (half-width over the normal quantile); the p-values are
Holm-adjusted across the comparisons, since several are made at once.

Who led a campaign: the channel (``kol`` or ``paid``) with most of the
campaign posts' spend; ``owned`` when no post was paid for.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats as sps

from smkit.methods import causal, stats
from smkit.methods.campaigns import Campaign, campaign_from_row

from .kpis import pick_controls, windowed_series

# Views rank the table and price the result. Followers are left out: a
# campaign's follower lift from daily counts of a few dozen is too noisy to
# rank campaigns by (the sample's null campaign shows a spurious one).
LEAGUE_METRIC = "views"
COLUMNS = [
    "name",
    "platforms",
    "start",
    "end",
    "led_by",
    "spend",
    "relative",
    "relative_low",
    "relative_high",
    "incremental_views",
    "incremental_views_low",
    "incremental_views_high",
    "cost_per_thousand_views",
    "revenue",
    "roi",
    "p_vs_top",
    "differs_from_top",
]


def _effect(daily: pd.DataFrame, brand: str, c: Campaign, metric: str, pre_days: int, halo_days: int, alpha: float, seed: int) -> causal.Effect:
    """The campaign's effect on ``metric``, fitted exactly as
    :func:`.kpis.estimate_lift` fits it (same window, controls and seed, so the
    reviewed campaign's row repeats its own figures), without the placebo."""
    y, candidates, _ = windowed_series(daily, brand, c, metric, pre_days, halo_days)
    start, end = pd.Timestamp(c.start), pd.Timestamp(c.end)
    controls = pick_controls(y, candidates, int((y.index < start).sum()))
    return causal.estimate_impact(y, controls, start, alpha=alpha, seed=seed).effect(start, end)


def led_by(posts: pd.DataFrame) -> str:
    """``kol`` or ``paid``, whichever channel took most of the posts' spend; ``owned`` when none was paid for."""
    if posts.empty or "spend" not in posts or "channel" not in posts:
        return "owned"
    spend = posts.groupby("channel")["spend"].sum(min_count=1).dropna()
    spend = spend[spend > 0]
    return str(spend.idxmax()) if len(spend) else "owned"


def _sum(frame: pd.DataFrame, column: str) -> float | None:
    return float(frame[column].sum()) if column in frame and frame[column].notna().any() else None


def league_table(
    campaigns: pd.DataFrame,
    daily: pd.DataFrame,
    posts: pd.DataFrame,
    brand: str,
    day: dt.date | None,
    *,
    pre_days: int = 90,
    halo_days: int = 14,
    alpha: float = 0.05,
    seed: int = 0,
    known: dict[str, causal.Effect] | None = None,
) -> tuple[pd.DataFrame, tuple[tuple[str, str], ...]]:
    """One row per campaign that ended by ``day``, the largest relative lift
    in views first, and ``(campaign_id, reason)`` for each campaign left out
    (no daily figures for its platforms, too short a pre-period ...).
    ``known`` holds effects already estimated (the reviewed campaign's), reused as they are."""
    rows, notes = [], []
    known = known or {}
    ended = campaigns[pd.to_datetime(campaigns["end_date"]) <= pd.Timestamp(day)] if day is not None else campaigns
    for _, row in ended.iterrows():
        c = campaign_from_row(row, campaigns.columns)
        start, end = pd.Timestamp(c.start), pd.Timestamp(c.end)
        ours = posts[posts["campaign_id"] == c.campaign_id] if "campaign_id" in posts else posts.iloc[0:0]
        on_accounts = daily[(daily["account"] == brand) & daily["platform"].isin(c.platforms) & (daily["date"] >= start) & (daily["date"] <= end)]
        spend = (_sum(ours, "spend") or 0.0) + (_sum(on_accounts, "spend") or 0.0)
        revenue_parts = [v for v in (_sum(ours, "revenue"), _sum(on_accounts, "revenue")) if v is not None]
        revenue = sum(revenue_parts) if revenue_parts else None
        try:
            views = known.get(c.campaign_id) or _effect(daily, brand, c, LEAGUE_METRIC, pre_days, halo_days, alpha, seed)
        except ValueError as exc:
            notes.append((c.campaign_id, exc.with_traceback(None)))
            continue
        rows.append(
            {
                "campaign_id": c.campaign_id,
                "name": c.name,
                "platforms": ", ".join(c.platforms),
                "start": c.start,
                "end": c.end,
                "led_by": led_by(ours),
                "spend": spend,
                "relative": views.relative,
                "relative_low": views.rel_ci_low,
                "relative_high": views.rel_ci_high,
                "incremental_views": views.absolute,
                "incremental_views_low": views.ci_low,
                "incremental_views_high": views.ci_high,
                # a cost per incremental result only where the result is clearly there
                "cost_per_thousand_views": spend / views.absolute * 1000 if spend and views.ci_low > 0 else None,
                "revenue": revenue,
                "roi": (revenue - spend) / spend if revenue is not None and spend else None,
            }
        )
    table = pd.DataFrame(rows, columns=["campaign_id", *COLUMNS[:-2]]).set_index("campaign_id").sort_values("relative", ascending=False)
    p, differs = compare_with_top(table["relative_low"].to_numpy(), table["relative"].to_numpy(), table["relative_high"].to_numpy(), alpha)
    table["p_vs_top"], table["differs_from_top"] = p, differs
    return table, tuple(notes)


def compare_with_top(low: Sequence[float], estimate: Sequence[float], high: Sequence[float], alpha: float = 0.05) -> tuple[list, list]:
    """Each estimate against the first (the top), by a two-sided z-test on the
    difference with standard errors from the intervals, Holm-adjusted; the top
    itself gets ``None``."""
    low, estimate, high = (np.asarray(v, dtype=float) for v in (low, estimate, high))
    if len(estimate) < 2:
        return [None] * len(estimate), [None] * len(estimate)
    se = (high - low) / (2 * stats.z_value(alpha))
    z = (estimate[0] - estimate[1:]) / np.sqrt(se[0] ** 2 + se[1:] ** 2)
    raw = 2 * sps.norm.sf(np.abs(z))
    adjusted = stats.adjust_pvalues(list(raw), "holm")
    return [None, *map(float, adjusted)], [None, *(bool(a < alpha) for a in adjusted)]


def by_leader(table: pd.DataFrame) -> pd.DataFrame:
    """Per leader (``kol``, ``paid``, ``owned``): campaigns, spend and
    incremental views pooled, and what one thousand incremental views cost over
    them (``None`` where nothing was spent or the pooled increment is not positive)."""
    if table.empty:
        return pd.DataFrame()
    g = table.groupby("led_by")
    out = pd.DataFrame(
        {
            "campaigns": g.size(),
            "spend": g["spend"].sum(),
            "incremental_views": g["incremental_views"].sum(),
        }
    )
    out["cost_per_thousand_views"] = [s / v * 1000 if s and v > 0 else None for s, v in zip(out["spend"], out["incremental_views"])]
    return out
