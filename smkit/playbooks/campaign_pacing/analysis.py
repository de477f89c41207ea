"""From the loaded frames to the result: pure, no store or file access."""

from __future__ import annotations

import pandas as pd

from smkit.methods import causal
from smkit.methods.campaigns import daily_total, efficiency
from smkit.params import Config

from .inputs import Inputs, load
from .needs import NEEDS
from .pacing import project, rebudget, spend_pacing, trajectory, weekly_shape
from .parameters import Settings
from .result import Result

# a target named as the campaign plan names it, and the account_daily column that counts it
DAILY_COLUMN = {"interactions": "engagements"}
DEFAULT_METRIC = "views"  # projected even when the plan sets no target


def _series(daily: pd.DataFrame, brand: str, platforms: tuple[str, ...], column: str) -> pd.Series:
    ours = daily[(daily["account"] == brand) & (daily["platform"].isin(platforms) if platforms else True)]
    return daily_total(ours.groupby(["date", "platform"])[column].sum(min_count=1).unstack("platform")).asfreq("D")


def analyze(inputs: Inputs, s: Settings) -> Result:
    """Progress, projection and spend of the campaign on the report day."""
    c = inputs.campaign
    start, end, day = pd.Timestamp(c.start), pd.Timestamp(c.end), pd.Timestamp(inputs.day)
    days = pd.date_range(start, end, freq="D")
    elapsed = int((days <= day).sum())
    metrics = list(c.targets) or [DEFAULT_METRIC]
    rows, curves, notes = [], {}, []
    for metric in metrics:
        column = DAILY_COLUMN.get(metric, metric)
        if column not in inputs.daily or inputs.daily.empty:
            notes.append((metric, "no_daily"))
            continue
        y = _series(inputs.daily, s.brand, c.platforms, column)
        if not y.notna().any():  # the column is there but the brand's export left it empty: unknown, not zero
            notes.append((metric, "no_values"))
            continue
        y = y.reindex(pd.date_range(y.index.min(), max(day, y.index.max()), freq="D"))  # the brand's export may stop before others'
        gaps = y[(y.index >= start) & (y.index <= day)].isna()
        if gaps.any():  # progress on a campaign day the export left empty is unknown, not zero
            first = gaps.index[gaps.to_numpy()][0]
            text = f"the daily figures miss {int(gaps.sum())} campaign day(s), the first {first:%Y-%m-%d}"
            notes.append((metric, causal.NotEstimable("missing_campaign_days", text, days=int(gaps.sum()), first=first)))
            continue
        y = y.interpolate(limit_area="inside")  # an empty day before the campaign: bridged from its neighbours, not read as zero
        y = y[y.first_valid_index() :]
        pre = y[y.index < start]
        target = c.targets.get(metric)
        try:
            p = project(y, start, end, day, target, alpha=s.alpha, seed=s.seed)
        except ValueError as exc:  # a causal.NotEstimable is said in the report's language
            notes.append((metric, exc.with_traceback(None)))
            continue
        due = trajectory(target, days, weekly_shape(pre)) if target else None
        rows.append(
            {
                "metric": metric,
                "actual": p.actual,
                "expected_by_now": float(due[elapsed - 1]) if due is not None else None,
                "target": target,
                "projected": p.projected,
                "projected_low": p.low,
                "projected_high": p.high,
                "chance_to_meet": p.chance_to_meet,
            }
        )
        curves[metric] = pd.DataFrame(
            {"actual": pd.Series(p.daily_expected[:elapsed], index=days[:elapsed]).cumsum(), "trajectory": due, "projected": p.daily_expected.cumsum()},
            index=days,
        )
    table = pd.DataFrame(rows, columns=["metric", "actual", "expected_by_now", "target", "projected", "projected_low", "projected_high", "chance_to_meet"])
    ours = inputs.posts[inputs.posts["campaign_id"] == c.campaign_id] if "campaign_id" in inputs.posts else inputs.posts.iloc[0:0]
    brand_daily = inputs.daily[(inputs.daily["account"] == s.brand) & inputs.daily["platform"].isin(c.platforms)] if not inputs.daily.empty else inputs.daily
    in_window = brand_daily[(brand_daily["date"] >= start) & (brand_daily["date"] <= day)] if not brand_daily.empty else brand_daily
    spent = float(pd.to_numeric(ours.get("spend"), errors="coerce").sum()) if "spend" in ours else 0.0
    spent += float(pd.to_numeric(in_window.get("spend"), errors="coerce").sum()) if "spend" in in_window else 0.0
    channels = efficiency(ours, "channel", 0.05) if not ours.empty else pd.DataFrame()
    creators = efficiency(ours, "creator", 0.05) if not ours.empty else pd.DataFrame()
    moves = tuple(m for m in (rebudget(channels, "channel"), rebudget(creators, "creator")) if m is not None)
    return Result(
        campaign=c,
        brand=s.brand,
        day=inputs.day,
        days_elapsed=elapsed,
        days_total=len(days),
        metrics=table.set_index("metric"),
        curves=curves,
        spend=spend_pacing(spent, c.budget, elapsed, len(days)),
        channels=channels,
        creators=creators,
        moves=moves,
        chance_alert=s.chance_alert,
        alpha=s.alpha,
        pre_days=s.pre_days,
        notes=tuple(notes),
        missing=NEEDS.missing(inputs.present),
    )


def run(cfg: Config, s: Settings) -> Result:
    """Load the campaign's frames from the store and analyse them."""
    return analyze(load(cfg, s), s)
