"""What the store holds, how complete each platform's data is, and what stood out."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from smkit import rules
from smkit.data.schema import POST_METRICS, RETENTION_METRICS
from smkit.playbooks.data_overview.inputs import Inputs, Settings
from smkit.playbooks.data_overview.needs import NEEDS

TOP_POST_COLUMNS = ["published_at", "platform", "account", "title", "content_type", "views", "likes", "comments", "shares"]


@dataclass(frozen=True)
class Result:
    """The overview of one window.

    ``tables``: rows, first and last day per table; ``by_platform``: posts and
    views per platform and account; ``availability``: share of posts per
    platform that report each metric; ``daily_views``: views per day and
    platform of ``account`` (every account when empty); ``top_posts``: the
    most-viewed posts, ranked from 1, or the posts with the most interactions
    when no post in the window carries views (``top_by``).
    """

    start: dt.date
    end: dt.date
    table_counts: dict[str, int]
    tables: pd.DataFrame
    by_platform: pd.DataFrame
    availability: pd.DataFrame
    account: str
    daily_views: pd.DataFrame
    top_posts: pd.DataFrame
    posts_in_window: int
    platforms: tuple[str, ...]
    views_in_window: int | None
    lower_bound_posts: int
    top_by: str = "views"  # or "interactions": what top_posts is ranked by
    missing: dict[str, str] = field(default_factory=dict)  # section -> the sentence shown instead
    retention_metrics: pd.DataFrame = field(default_factory=pd.DataFrame)  # share of posts per platform with each retention or click metric

    def has(self, section: str) -> bool:
        """The store holds what ``section`` needs (else :attr:`missing` says which export would fill it)."""
        return section not in self.missing

    @property
    def has_daily_views(self) -> bool:
        """``account`` has views in the window (else the chart is empty)."""
        return bool((self.daily_views > 0).any().any())

    def to_summary(self) -> dict:
        """The key figures for ``summary.json``."""
        return {
            "window": {"start": self.start, "end": self.end},
            "tables": self.table_counts,
            "posts_in_window": self.posts_in_window,
            "platforms": list(self.platforms),
            "views_in_window": self.views_in_window,
            "lower_bound_posts": self.lower_bound_posts,
        }


def posts_by_platform(posts: pd.DataFrame) -> pd.DataFrame:
    """Posts and views per platform and account in the window (views missing, not 0, where no post has them)."""
    by = posts.groupby(["platform", "account"], observed=True)
    grouped = pd.DataFrame({"posts": by.size(), "views": by["views"].sum(min_count=1)})
    return grouped.sort_values(["platform", "views"], ascending=[True, False])


def metric_availability(posts: pd.DataFrame) -> pd.DataFrame:
    """Share of posts per platform that report each metric (1.0 = always).

    Platforms export different metrics; a comparison across platforms is only
    fair on metrics both report.
    """
    metrics = [m for m in POST_METRICS if m in posts]
    share = posts[metrics].notna().groupby(posts["platform"]).mean()
    return share.loc[:, share.max() > 0]


def retention_availability(posts: pd.DataFrame) -> pd.DataFrame:
    """Share of posts per platform that report each retention or click metric
    (完播率, 5s完播率, 2s跳出率, 封面点击率 ...; :data:`smkit.data.schema.RETENTION_METRICS`),
    leaving out the metrics no platform reports."""
    metrics = [m for m in RETENTION_METRICS if m in posts]
    if posts.empty or not metrics:
        return pd.DataFrame()
    share = posts[metrics].notna().groupby(posts["platform"]).mean()
    return share.loc[:, share.max() > 0]


def daily_views(daily: pd.DataFrame, account: str = "") -> pd.DataFrame:
    """Views per day (rows) and platform (columns) of ``account``; every account when empty."""
    data = daily[daily["account"] == account] if account else daily
    return data.pivot_table(index="date", columns="platform", values="views", aggfunc="sum", observed=True)


def top_posts(posts: pd.DataFrame, n: int = 10) -> tuple[pd.DataFrame, str]:
    """The ``n`` most-viewed posts with their engagement, ranked from 1, and what they are ranked by:
    views, or, when no post carries views (some exports have none), interactions."""
    by = "views" if posts["views"].notna().any() else "interactions"
    columns = TOP_POST_COLUMNS
    if by == "interactions":
        posts, columns = posts.assign(interactions=rules.interactions(posts, rules.CROSS_PLATFORM_ENGAGEMENT)), [*columns, by]
    top = posts.dropna(subset=[by]).nlargest(n, by)[columns].copy()
    top.index = pd.RangeIndex(1, len(top) + 1, name="rank")
    return top, by


def analyze(inputs: Inputs, s: Settings) -> Result:
    """The overview of the window's posts and account days."""
    posts = inputs.posts
    top, top_by = top_posts(posts, s.top_n)
    return Result(
        start=inputs.start,
        end=inputs.end,
        table_counts=inputs.table_counts,
        tables=inputs.tables,
        by_platform=posts_by_platform(posts),
        availability=metric_availability(posts),
        account=s.account,
        daily_views=daily_views(inputs.daily, s.account),
        top_posts=top,
        top_by=top_by,
        posts_in_window=int(len(posts)),
        platforms=tuple(sorted(posts["platform"].dropna().unique().tolist())),
        views_in_window=int(posts["views"].sum(skipna=True)) if top_by == "views" else None,  # unknown, not 0, when no post has views
        lower_bound_posts=int(posts["lower_bound_metrics"].notna().sum()),
        retention_metrics=retention_availability(posts),
        missing=NEEDS.missing(inputs.present),
    )
