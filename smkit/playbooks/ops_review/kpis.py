"""The KPI scorecard: every KPI in a period, its change against the period
before and a year earlier with a test, attainment of its goal, and Holm's
adjustment across all the scorecard's tests."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats as sps

from smkit import rules
from smkit.methods import stats

from .goals import METRICS, Metric, Window, prorated, team_goals


@dataclass(frozen=True)
class Measure:
    """A KPI's value in one period and what its test needs: daily values, a
    proportion (successes of n) or a sample of individual values."""

    value: float | None
    daily: np.ndarray | None = None
    successes: float | None = None
    n: float | None = None
    sample: np.ndarray | None = None


def brand_share_of_voice(mentions: pd.DataFrame, brand: str) -> tuple[float | None, float, float]:
    """The brand's share of earned mentions, its mention count and all brands'
    count, by the shared rule (:func:`smkit.rules.share_of_voice`), so the
    market analysis and this review report the same figure."""
    if mentions.empty:
        return None, 0.0, 0.0
    table = rules.share_of_voice(mentions)
    total = float(table["volume"].sum())
    ours = table.loc[table["brand"] == brand]
    volume = float(ours["volume"].iloc[0]) if len(ours) else 0.0
    return (float(ours["share"].iloc[0]) if len(ours) else 0.0), volume, total


def reply_hours(mentions: pd.DataFrame, brand: str) -> np.ndarray:
    """Hours from each answered earned mention of ``brand`` to the brand's first reply to it."""
    return rules.first_reply_hours(mentions, brand).dropna().to_numpy(dtype=float)


def _daily(frame: pd.DataFrame, column: str, window: Window) -> np.ndarray | None:
    if column not in frame or frame[column].notna().sum() == 0:
        return None
    days = pd.date_range(window.start, window.end)
    per_day = frame.groupby("date")[column].sum(min_count=1).reindex(days)
    return per_day.dropna().to_numpy(dtype=float)


def measure(daily: pd.DataFrame, mentions: pd.DataFrame, brand: str, window: Window, threshold: float = rules.SENTIMENT_THRESHOLD) -> dict[str, Measure]:
    """Every KPI in one period from the brand's ``account_daily`` rows and all
    brands' mentions (sentiment filled). A KPI without data is left out."""
    out: dict[str, Measure] = {}
    for column in ("reach", "impressions", "views", "engagements", "followers_gained"):
        values = _daily(daily, column, window)
        if values is not None and len(values):
            out[column] = Measure(float(values.sum()), daily=values)
    views, engaged = _daily(daily, "views", window), _daily(daily, "engagements", window)
    if views is not None and engaged is not None and len(views) == len(engaged) and views.sum() > 0:
        out["engagement_rate"] = Measure(float(engaged.sum() / views.sum()), daily=engaged / np.where(views > 0, views, np.nan))
    if "followers" in daily and daily["followers"].notna().any():
        last = daily.dropna(subset=["followers"]).sort_values("date").groupby("platform").tail(1)
        out["followers"] = Measure(float(last["followers"].sum()))
    if mentions.empty:
        return out
    voice = rules.earned(mentions)
    ours = voice[voice["brand"] == brand]
    if len(ours):
        day = ours["published_at"].dt.tz_localize(None).dt.normalize()
        counts = day.value_counts().reindex(pd.date_range(window.start, window.end), fill_value=0)
        out["mentions"] = Measure(float(len(ours)), daily=counts.to_numpy(dtype=float))
    share, volume, total = brand_share_of_voice(voice, brand)
    if share is not None and total > 0:
        out["share_of_voice"] = Measure(share, successes=volume, n=total)
    scores = ours["sentiment"].dropna().to_numpy(dtype=float) if "sentiment" in ours else np.array([])
    if len(scores):
        positive, negative = int((scores > threshold).sum()), int(rules.is_negative(scores, threshold).sum())
        net = rules.net_sentiment(scores, threshold)
        if positive + negative:
            out["net_sentiment"] = Measure(net, successes=positive, n=positive + negative)
        out["negative_share"] = Measure(negative / len(scores), successes=negative, n=len(scores))
        out["mean_sentiment"] = Measure(float(scores.mean()), sample=scores)
    asked = rules.first_reply_hours(mentions, brand)
    if len(asked):
        answered = int(asked.notna().sum())
        out["reply_rate"] = Measure(answered / len(asked), successes=answered, n=len(asked))
    waits = asked.dropna().to_numpy(dtype=float)
    if len(waits):
        out["reply_hours"] = Measure(float(np.median(waits)), sample=waits)
    return out


def change_and_p(metric: Metric, now: Measure | None, then: Measure | None) -> tuple[float | None, float | None]:
    """Change from ``then`` to ``now`` (relative; a difference for shares and
    scores) and its two-sided p-value where the data allow a test.

    Tests: daily totals by Welch's t-test on the days (daily totals of views or
    mentions vary far more than a Poisson count would, so a Poisson rate test
    would call every wobble significant); shares by the two-proportion z-test;
    reply times by Mann-Whitney; sentiment scores by Welch. Followers (a level
    at one instant) get no test."""
    if now is None or then is None or now.value is None or then.value is None:
        return None, None
    if metric.share:
        change = now.value - then.value
    else:
        change = now.value / then.value - 1 if then.value else None
    p = None
    if now.daily is not None and then.daily is not None:
        a, b = now.daily[~np.isnan(now.daily)], then.daily[~np.isnan(then.daily)]
        if len(a) >= 7 and len(b) >= 7 and (a.std() > 0 or b.std() > 0):
            p = float(stats.welch_pvalue(a, b))
    elif now.n is not None and then.n is not None and now.n > 0 and then.n > 0:
        p = stats.two_proportion_pvalue(then.successes, then.n, now.successes, now.n)
    elif now.sample is not None and then.sample is not None and len(now.sample) >= 5 and len(then.sample) >= 5:
        if metric.name == "reply_hours":
            p = float(sps.mannwhitneyu(now.sample, then.sample).pvalue)
        else:
            p = float(stats.welch_pvalue(now.sample, then.sample))
    return change, p


def attainment(metric: Metric, actual: float | None, goal: float | None) -> float | None:
    """Actual over goal (goal over actual when lower is better); ``None`` when
    either is missing or not positive, where a ratio would mislead."""
    if actual is None or goal is None or goal <= 0 or actual < 0:
        return None
    if metric.higher_is_better:
        return actual / goal
    return goal / actual if actual > 0 else None


KPI_COLUMNS = ["metric", "goal_area", "label", "actual", "goal", "attainment", "previous", "change", "p_previous", "year_ago", "change_year", "p_year"]


def kpi_table(current: dict[str, Measure], previous: dict[str, Measure], year_ago: dict[str, Measure], goals: pd.DataFrame, days: int) -> pd.DataFrame:
    """One row per KPI: goal, actual, pro-rated goal, attainment, change and
    p-value against the previous period and a year earlier."""
    wanted_goals = team_goals(goals)
    rows = []
    for name, metric in METRICS.items():
        now = current.get(name)
        wanted = wanted_goals[wanted_goals["metric"] == name]
        if now is None and wanted.empty:
            continue
        goal = None
        if len(wanted):
            g = wanted.iloc[-1]
            goal = prorated(float(g["target"]), g["period"], days, metric.additive)
        change, p = change_and_p(metric, now, previous.get(name))
        change_y, p_y = change_and_p(metric, now, year_ago.get(name))
        rows.append(
            {
                "metric": name,
                "goal_area": metric.goal,
                "label": metric.label,
                "actual": None if now is None else now.value,
                "goal": goal,
                "attainment": attainment(metric, None if now is None else now.value, goal),
                "previous": None if previous.get(name) is None else previous[name].value,
                "change": change,
                "p_previous": p,
                "year_ago": None if year_ago.get(name) is None else year_ago[name].value,
                "change_year": change_y,
                "p_year": p_y,
            }
        )
    table = pd.DataFrame(rows, columns=KPI_COLUMNS).set_index("metric")
    return holm(table)


def holm(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` with ``p_previous_holm`` and ``p_year_holm``: every test of the
    scorecard (both comparisons, all KPIs) adjusted together by Holm's method,
    so that a dozen KPIs tested twice do not turn up a "significant" change by
    chance. Significance is called on these."""
    table = table.copy()
    raw = pd.concat([table["p_previous"], table["p_year"]], keys=["p_previous", "p_year"]).astype(float)
    tested = raw.dropna()
    adjusted = pd.Series(stats.adjust_pvalues(tested.to_numpy(), "holm"), index=tested.index).reindex(raw.index)
    for column in ("p_previous", "p_year"):
        values = adjusted.loc[column].reindex(table.index)
        table[column + "_holm"] = [None if pd.isna(v) else float(v) for v in values]
    return table


def tests_in(table: pd.DataFrame) -> int:
    """How many tests the scorecard's Holm adjustment covers."""
    return int(table["p_previous"].notna().sum() + table["p_year"].notna().sum()) if len(table) else 0
