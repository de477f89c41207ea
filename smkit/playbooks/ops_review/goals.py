"""The KPIs, the goals file and the periods they are compared over.

Goals come from a CSV (``metric, period, target`` and an optional ``owner``);
a count target is pro-rated from its period to the window's length. Each KPI
is compared with the equally long period before the window and with the
same weekdays a year earlier (364 days back).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from smkit import paths

DEFAULT_GOALS = paths.reference_dir() / "goals.csv"
PERIOD_DAYS = {"day": 1.0, "week": 7.0, "month": 365.25 / 12, "quarter": 365.25 / 4, "year": 365.25}
YEAR_DAYS = 364  # 52 weeks: the same weekdays a year earlier
REPLY_GRACE_DAYS = 7  # replies loaded after a period's end, only to find replies to mentions inside it


@dataclass(frozen=True)
class Metric:
    """A KPI: the goal it serves, how it is compared and tested."""

    name: str
    goal: str
    label: str
    additive: bool  # a total over the period (pro-rated targets) rather than a level
    higher_is_better: bool = True
    share: bool = False  # a share or score in -1..1: changes are differences, not ratios


METRICS: dict[str, Metric] = {
    m.name: m
    for m in (
        Metric("reach", "awareness", "reach", True),
        Metric("impressions", "awareness", "impressions", True),
        Metric("views", "awareness", "views", True),
        Metric("mentions", "awareness", "earned mentions", True),
        Metric("share_of_voice", "market share", "share of voice", False, share=True),
        Metric("net_sentiment", "satisfaction", "net sentiment", False, share=True),
        Metric("reply_rate", "satisfaction", "reply rate (earned mentions answered)", False, share=True),
        Metric("reply_hours", "satisfaction", "median first reply (answered)", False, higher_is_better=False),
        Metric("negative_share", "image", "negative share of earned mentions", False, higher_is_better=False, share=True),
        Metric("mean_sentiment", "image", "mean sentiment of earned mentions", False, share=True),
        Metric("engagements", "engagement", "engagements", True),
        Metric("engagement_rate", "engagement", "engagements per view", False, share=True),
        Metric("followers_gained", "follower growth", "followers gained", True),
        Metric("followers", "follower growth", "followers (end of period)", False),
    )
}
GOAL_NAMES = {
    "awareness": "brand awareness 品牌知名度",
    "market share": "market share 市场份额",
    "satisfaction": "user satisfaction 用户满意度",
    "image": "brand image 品牌形象",
    "engagement": "engagement 互动",
    "follower growth": "follower growth 粉丝增长",
}
# Goals a team member can own, computed from the posts mapped to them.
OWNER_METRICS = ("posts", "engagements", "engagement_per_post", "views")


def get_metric(name: str) -> Metric:
    try:
        return METRICS[name]
    except KeyError:
        raise ValueError(f"unknown KPI {name!r}; valid KPIs: {', '.join(METRICS)}") from None


def read_goals(path: str | Path | None = None) -> pd.DataFrame:
    """The goals file: ``metric, period, target`` and optionally ``owner``
    (a team member's name, or ``*`` for every owner). ``None`` reads the default."""
    path = Path(path) if path else DEFAULT_GOALS
    if not path.exists():
        raise FileNotFoundError(f"goals file {path} does not exist")
    goals = pd.read_csv(path, dtype={"metric": str, "period": str, "owner": str}, comment="#", skipinitialspace=True)
    missing = {"metric", "period", "target"} - set(goals.columns)
    if missing:
        raise ValueError(f"{path}: the goals file needs columns metric, period, target; missing {', '.join(sorted(missing))}")
    if "owner" not in goals:
        goals["owner"] = None
    goals["metric"] = goals["metric"].str.strip()
    goals["period"] = goals["period"].str.strip().str.lower()
    named = goals["owner"].notna() & (goals["owner"].astype(str).str.strip() != "")
    goals["owner"] = goals["owner"].astype(object).where(named, None)
    for _, row in goals.iterrows():
        if pd.isna(row["owner"]):
            get_metric(row["metric"])
        elif row["metric"] not in OWNER_METRICS:
            raise ValueError(f"{path}: an owner's goal must be one of {', '.join(OWNER_METRICS)}, got {row['metric']!r}")
        if row["period"] not in PERIOD_DAYS:
            raise ValueError(f"{path}: unknown period {row['period']!r}; valid periods: {', '.join(PERIOD_DAYS)}")
    goals["target"] = pd.to_numeric(goals["target"], errors="raise").astype(float)
    return goals.reset_index(drop=True)


def team_goals(goals: pd.DataFrame | None) -> pd.DataFrame | None:
    """The goals of the whole team (rows without an owner)."""
    return goals[goals["owner"].isna()] if goals is not None and "owner" in goals else goals


def prorated(target: float, period: str, days: int, additive: bool) -> float:
    """A count target set for ``period`` scaled to ``days``; a level target as it is."""
    return target * days / PERIOD_DAYS[period] if additive else target


@dataclass(frozen=True)
class Window:
    name: str
    start: dt.date
    end: dt.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def windows(start: dt.date, end: dt.date) -> tuple[Window, Window, Window]:
    """The window, the equally long period before it, and the same weekdays a year earlier."""
    days = (end - start).days + 1
    before = Window("previous", start - dt.timedelta(days=days), start - dt.timedelta(days=1))
    year = Window("year ago", start - dt.timedelta(days=YEAR_DAYS), end - dt.timedelta(days=YEAR_DAYS))
    return Window("current", start, end), before, year


def uncovered(first: dict[str, dt.date | None], window: Window) -> tuple[str, ...]:
    """The tables whose data begin after ``window`` starts: a comparison
    period they only partly cover would read as growth."""
    return tuple(t for t, day in first.items() if day is not None and day > window.start)
