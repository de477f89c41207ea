"""What the campaign delivered: KPIs against target and baseline, and the
incremental lift per metric against a counterfactual (:mod:`smkit.methods.causal`),
Holm-adjusted across the metrics."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from smkit import rules
from smkit.methods import causal, stats
from smkit.methods.campaigns import daily_total

from .inputs import Campaign

KPI_METRICS = ("views", "reach", "impressions", "likes", "comments", "shares", "interactions", "followers_gained", "clicks", "conversions")
MAX_CONTROLS = 5


def with_interactions(posts: pd.DataFrame) -> pd.DataFrame:
    """``posts`` with ``interactions``: the credited engagement parts the platform reports."""
    return posts.assign(interactions=rules.interactions(posts, rules.CREDITED_ENGAGEMENT))


def total(frame: pd.DataFrame, column: str) -> float | None:
    """The column's sum, or ``None`` when the column is missing or has no value."""
    if column not in frame or frame[column].notna().sum() == 0:
        return None
    return float(frame[column].sum())


def attainment(campaign_posts: pd.DataFrame, baseline_posts: pd.DataFrame, campaign: Campaign, baseline_days: int) -> pd.DataFrame:
    """Actual, target, attainment and baseline per KPI.

    The baseline is the brand's own posts on the campaign platforms before the
    campaign, scaled to the campaign's length; a KPI with no data is left out.
    """
    actual_posts, base_posts = with_interactions(campaign_posts), with_interactions(baseline_posts)
    rows = []
    for metric in KPI_METRICS:
        actual = total(actual_posts, metric)
        if actual is None:
            continue
        base = total(base_posts, metric)
        baseline = None if base is None or baseline_days <= 0 else base / baseline_days * campaign.days
        target = campaign.targets.get(metric)
        rows.append(
            {
                "metric": metric,
                "actual": actual,
                "target": target,
                "attainment": actual / target if target else None,
                "baseline": baseline,
                "vs_baseline": actual / baseline - 1 if baseline else None,
            }
        )
    return pd.DataFrame(rows, columns=["metric", "actual", "target", "attainment", "baseline", "vs_baseline"]).set_index("metric")


# ---------------------------------------------------------------- incremental lift


@dataclass(frozen=True)
class Lift:
    metric: str
    campaign: causal.Effect
    halo: causal.Effect | None
    placebo: causal.Effect | None
    impact: causal.Impact


def daily_series(daily: pd.DataFrame, brand: str, platforms: tuple[str, ...], metric: str) -> tuple[pd.Series, pd.DataFrame]:
    """The treated series (the brand on the campaign platforms, summed per day)
    and candidate controls: the brand on each other platform and each
    competitor on each campaign platform."""
    # Only the accounts with a value: pivot_table sums a column the export left empty to zeros.
    wide = daily.dropna(subset=[metric]).pivot_table(index="date", columns=["account", "platform"], values=metric, aggfunc="sum")
    wide = wide.asfreq("D")
    treated_cols = [(brand, p) for p in platforms if (brand, p) in wide.columns]
    if not treated_cols:
        raise causal.NotEstimable(
            "no_metric", f"no {metric} for {brand} on {', '.join(platforms)} in account_daily", metric=metric, brand=brand, platforms=platforms
        )
    y = daily_total(wide[treated_cols])
    controls = {}
    for account, platform in wide.columns:
        if (account == brand and platform not in platforms) or (account != brand and platform in platforms):
            controls[f"{account}·{platform}"] = wide[(account, platform)]
    return y, pd.DataFrame(controls, index=wide.index)


def windowed_series(
    daily: pd.DataFrame, brand: str, campaign: Campaign, metric: str, pre_days: int, halo_days: int
) -> tuple[pd.Series, pd.DataFrame, pd.Timestamp]:
    """:func:`daily_series` over ``pre_days`` before the campaign to ``halo_days`` after it (or the
    data's last day, which is returned too); refused when the data ends before the campaign does."""
    y, candidates = daily_series(daily, brand, campaign.platforms, metric)
    y = y[: y.last_valid_index()]  # the days after the brand's last known total (an export behind the others') hold no data
    candidates = candidates.loc[y.index]
    start, end = pd.Timestamp(campaign.start), pd.Timestamp(campaign.end)
    last = min(y.index.max(), end + pd.Timedelta(days=halo_days))
    window = (y.index >= start - pd.Timedelta(days=pre_days)) & (y.index <= last)
    y, candidates = y[window], candidates[window]
    if y.index.max() < end:
        raise causal.NotEstimable(
            "ends_early", f"account_daily ends on {y.index.max():%Y-%m-%d}, before the campaign's end {end:%Y-%m-%d}", last=y.index.max(), end=end
        )
    return y, candidates, last


def pick_controls(y: pd.Series, controls: pd.DataFrame, n_pre: int, most: int = MAX_CONTROLS) -> pd.DataFrame:
    """The ``most`` controls most correlated with ``y`` in the pre-period (a
    short, readable model instead of CausalImpact's spike-and-slab selection)."""
    usable = controls.iloc[:n_pre].dropna(axis=1)
    usable = usable.loc[:, usable.std() > 0]
    if usable.empty:
        return controls.iloc[:, :0]
    corr = usable.corrwith(y.iloc[:n_pre]).abs().sort_values(ascending=False)
    keep = [c for c in corr.index[:most] if controls[c].notna().all()]
    return controls[keep]


def estimate_lift(
    daily: pd.DataFrame,
    brand: str,
    campaign: Campaign,
    metric: str = "views",
    *,
    pre_days: int = 90,
    halo_days: int = 14,
    alpha: float = 0.05,
    seed: int = 0,
) -> Lift:
    """The campaign's incremental effect on ``metric``, the halo after it, and a placebo check."""
    y, candidates, last = windowed_series(daily, brand, campaign, metric, pre_days, halo_days)
    start, end = pd.Timestamp(campaign.start), pd.Timestamp(campaign.end)
    n_pre = int((y.index < start).sum())
    controls = pick_controls(y, candidates, n_pre)
    impact = causal.estimate_impact(y, controls, start, alpha=alpha, seed=seed)
    during = impact.effect(start, end)
    halo = impact.effect(end + pd.Timedelta(days=1), last) if last > end else None
    fake = (
        causal.placebo(y[y.index < start], controls[controls.index < start], campaign.days, post_start=start, alpha=alpha, seed=seed)
        if n_pre >= 2 * campaign.days + 14
        else None
    )
    return Lift(metric, during, halo, fake, impact)


def estimate_lifts(
    daily: pd.DataFrame,
    brand: str,
    campaign: Campaign,
    metrics: Sequence[str],
    *,
    pre_days: int = 90,
    halo_days: int = 14,
    alpha: float = 0.05,
    seed: int = 0,
) -> tuple[tuple[Lift, ...], tuple[tuple[str, str], ...]]:
    """The lift of each metric the brand has figures for, and ``(metric, reason)``
    for each metric that has none (too short a pre-period, no data after the end ...)."""
    brand_daily = daily[(daily["account"] == brand) & daily["platform"].isin(campaign.platforms)]
    lifts, notes = [], []
    for metric in metrics:
        if metric not in daily or not brand_daily[metric].notna().any():
            continue
        try:
            lifts.append(estimate_lift(daily, brand, campaign, metric, pre_days=pre_days, halo_days=halo_days, alpha=alpha, seed=seed))
        except ValueError as exc:  # a NotEstimable says why in the report's language; another error in its own words
            notes.append((metric, exc.with_traceback(None)))
    if not lifts and not notes:
        text = f"no account_daily figures for {brand} on {', '.join(campaign.platforms) or 'the campaign platforms'}"
        notes.append(("all metrics", causal.NotEstimable("no_figures", text, brand=brand, platforms=campaign.platforms)))
    return tuple(lifts), tuple(notes)


def lift_estimates(lifts: Sequence[Lift]) -> pd.DataFrame:
    """Effect per metric with intervals; p-values also Holm-adjusted across the
    metrics, since several are tested at once."""
    adjusted = stats.adjust_pvalues([lift.campaign.p_value for lift in lifts], "holm")
    rows = []
    for lift, p_holm in zip(lifts, adjusted):
        e = lift.campaign
        rows.append(
            {
                "metric": lift.metric,
                "actual": e.actual,
                "counterfactual": e.predicted,
                "effect": e.absolute,
                "effect_low": e.ci_low,
                "effect_high": e.ci_high,
                "relative": e.relative,
                "relative_low": e.rel_ci_low,
                "relative_high": e.rel_ci_high,
                "p_value": e.p_value,
                "p_value_holm": p_holm,
                "halo_effect": lift.halo.absolute if lift.halo else None,
                "halo_significant": lift.halo.significant if lift.halo else None,
                "placebo_p_value": lift.placebo.p_value if lift.placebo else None,
            }
        )
    columns = [
        "metric",
        "actual",
        "counterfactual",
        "effect",
        "effect_low",
        "effect_high",
        "relative",
        "relative_low",
        "relative_high",
        "p_value",
        "p_value_holm",
        "halo_effect",
        "halo_significant",
        "placebo_p_value",
    ]
    return pd.DataFrame(rows, columns=columns).set_index("metric")
