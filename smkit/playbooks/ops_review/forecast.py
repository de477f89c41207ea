"""Forecasts of the brand's daily followers, engagements and earned mentions:
the shared method (:mod:`smkit.methods.forecasting`) applied to the brand's
series, with the goals pro-rated to the horizon."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from smkit.methods.forecasting import Backtest, Forecast, backtest, forecast_calibrated, horizon_summary

from .goals import prorated, team_goals

FORECAST_METRICS = ("followers", "engagements", "mentions")


@dataclass(frozen=True)
class MetricForecast:
    metric: str
    history: pd.Series
    forecast: Forecast
    backtest: Backtest
    horizon_total: tuple[float, float, float]  # point, lo, hi over the horizon (level for followers)
    goal: float | None  # the goal over the horizon (followers: at its end)
    p_meet_goal: float | None

    @property
    def backtest_mase(self) -> float:
        return float(self.backtest.mase[self.backtest.chosen])

    @property
    def baseline_mase(self) -> float:
        return float(self.backtest.mase["seasonal_naive"])


@dataclass(frozen=True)
class Skipped:
    """A metric with no forecast: ``reason`` is why (``None``: no data for the brand)."""

    metric: str
    reason: str | None = None


def horizon_goal(y: pd.Series, metric: str, horizon: int, goals: pd.DataFrame | None) -> float | None:
    """The team goal over the horizon: a count pro-rated to it; for followers
    (a level) the followers goal, else the last day's count plus the
    followers-gained goal for the horizon."""
    wanted = team_goals(goals)
    if wanted is None or not len(wanted):
        return None
    if metric == "followers":
        rows = wanted[wanted["metric"] == "followers"]
        gained = wanted[wanted["metric"] == "followers_gained"]
        if len(rows):
            return float(rows.iloc[-1]["target"])
        if len(gained):
            g = gained.iloc[-1]
            return float(y.iloc[-1]) + prorated(float(g["target"]), g["period"], horizon, True)
        return None
    rows = wanted[wanted["metric"] == metric]
    if len(rows):
        g = rows.iloc[-1]
        return prorated(float(g["target"]), g["period"], horizon, True)
    return None


def forecast_metric(
    y: pd.Series, metric: str, horizon: int, level: float, goals: pd.DataFrame | None = None, paths: int = 1000, seed: int = 0
) -> MetricForecast:
    """Backtest, choose (seasonal naive unless a model wins clearly), forecast
    ``horizon`` days with the interval calibrated on the backtest, and the
    chance of meeting the goal."""
    y = y.asfreq("D").interpolate(limit_area="inside").dropna()
    bt = backtest(y, horizon, level, metric=metric)
    f = forecast_calibrated(y, bt, horizon, level, paths=paths, seed=seed)
    goal = horizon_goal(y, metric, horizon, goals)
    point, lo, hi, p = horizon_summary(f.paths, level, goal, last_day=metric == "followers")
    return MetricForecast(metric, y, f, bt, (point, lo, hi), goal, p)


def brand_series(history: pd.DataFrame, mention_counts: pd.DataFrame) -> dict[str, pd.Series]:
    """The brand's daily followers and engagements (all platforms) from its
    ``account_daily`` rows, and its earned mentions per day (``day``, ``n``,
    counted in the store), with the days between without a mention as zero."""
    out = {}
    for column in ("followers", "engagements"):
        if column in history and history[column].notna().any():
            out[column] = history.groupby("date")[column].sum(min_count=1).dropna().astype(float)
    if len(mention_counts):
        s = pd.Series(mention_counts["n"].to_numpy(dtype=float), index=pd.to_datetime(mention_counts["day"]))
        out["mentions"] = s.reindex(pd.date_range(s.index.min(), s.index.max()), fill_value=0.0)
    return out


def forecasts(series: dict[str, pd.Series], horizon: int, level: float, goals: pd.DataFrame | None) -> tuple[tuple[MetricForecast, ...], tuple[Skipped, ...]]:
    """Forecasts of every metric with enough history, and why the others have none."""
    out, skipped = [], []
    for metric in FORECAST_METRICS:
        if metric not in series:
            skipped.append(Skipped(metric))
            continue
        try:
            out.append(forecast_metric(series[metric], metric, horizon, level, goals))
        except ValueError as exc:
            skipped.append(Skipped(metric, str(exc)))
    return tuple(out), tuple(skipped)


def forecast_points(items: tuple[MetricForecast, ...] | list[MetricForecast]) -> pd.DataFrame:
    """The daily forecasts for ``forecast.csv``: date, metric, point, lo, hi."""
    frames = [
        pd.DataFrame({"date": f.forecast.index.strftime("%Y-%m-%d"), "metric": f.metric, "point": f.forecast.point, "lo": f.forecast.lo, "hi": f.forecast.hi})
        for f in items
    ]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["date", "metric", "point", "lo", "hi"])
