"""Community health from ``community_activity``: active members, new against
returning, weekly cohort retention, points and levels by the rules given as
parameters, and the top contributors."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from smkit.rules import level_of, points


@dataclass(frozen=True)
class Community:
    active: int
    active_previous: int
    new: int
    returning: int
    weekly: pd.DataFrame  # week -> new, returning
    retention: pd.DataFrame  # cohort week x weeks since joining: share active
    retention_4w: float | None
    levels: pd.DataFrame  # level -> members at start, at end
    moved_up: int
    top: pd.DataFrame
    unknown_actions: tuple[str, ...]


def _week(day: pd.Series) -> pd.Series:
    return day.dt.to_period("W-SUN").dt.start_time


def community_health(
    activity: pd.DataFrame,
    start: dt.date,
    end: dt.date,
    rules: dict[str, float],
    levels: Sequence[tuple[str, float]],
    top_n: int = 10,
    cohorts: int = 12,
    weeks: int = 8,
) -> Community:
    """Active members, new against returning, weekly cohort retention, points,
    levels and top contributors from ``community_activity`` up to ``end``.

    A member is *new* in the week of their first activity in the data and
    *returning* after it. Retention of a cohort (members who joined in one
    week) is the share active in each later week; ``retention_4w`` pools the
    last complete cohorts' week 4. Points are cumulative from the first day of
    data; a member's level is set by their points."""
    lo, hi = pd.Timestamp(start), pd.Timestamp(end)
    a = activity[activity["date"] <= hi].copy()
    a["points"] = points(a, rules)
    first = a.groupby("user_id")["date"].min()
    days = hi - lo + pd.Timedelta(days=1)
    in_window = a[a["date"] >= lo]
    active = in_window["user_id"].nunique()
    active_previous = a[(a["date"] < lo) & (a["date"] >= lo - days)]["user_id"].nunique()
    joined_in_window = first[(first >= lo)].index
    new = int(in_window.loc[in_window["user_id"].isin(joined_in_window), "user_id"].nunique())

    week = _week(a["date"])
    member_week = pd.DataFrame({"user_id": a["user_id"], "week": week}).drop_duplicates()
    member_week["cohort"] = _week(member_week["user_id"].map(first))
    member_week["age"] = ((member_week["week"] - member_week["cohort"]).dt.days // 7).astype(int)
    last_week = _week(pd.Series([hi])).iloc[0]
    complete = last_week if (hi - last_week).days == 6 else last_week - pd.Timedelta(days=7)  # the last full week
    recent = member_week[member_week["week"] > complete - pd.Timedelta(weeks=26)]
    weekly = recent.assign(kind=np.where(recent["age"] == 0, "new", "returning")).pivot_table(
        index="week", columns="kind", values="user_id", aggfunc="count", fill_value=0
    )
    weekly = weekly.reindex(columns=["new", "returning"], fill_value=0)
    weekly = weekly[weekly.index <= complete]

    first_week = _week(pd.Series([a["date"].min()])).iloc[0] if len(a) else complete
    sizes = member_week[member_week["age"] == 0].groupby("cohort")["user_id"].nunique()
    # The first weeks of data count members who joined earlier as new; leave them out.
    sizes = sizes[(sizes.index >= first_week + pd.Timedelta(weeks=weeks)) & (sizes.index <= complete)].tail(cohorts)
    counts = member_week[member_week["cohort"].isin(sizes.index) & (member_week["age"] <= weeks)].pivot_table(
        index="cohort", columns="age", values="user_id", aggfunc="count"
    )
    retention = counts.div(sizes, axis=0).reindex(columns=range(weeks + 1))
    # Weeks not yet lived by a cohort stay empty, not zero.
    for cohort in retention.index:
        lived = int((complete - cohort).days // 7)
        retention.loc[cohort, [c for c in retention.columns if c > lived]] = np.nan
        retention.loc[cohort, [c for c in retention.columns if c <= lived]] = retention.loc[cohort, [c for c in retention.columns if c <= lived]].fillna(0.0)
    retention.insert(0, "members", sizes)
    four = retention[retention[4].notna()] if 4 in retention else retention.iloc[0:0]
    retention_4w = float((four[4] * four["members"]).sum() / four["members"].sum()) if len(four) else None

    before = a[a["date"] < lo].groupby("user_id")["points"].sum()
    after = a.groupby("user_id")["points"].sum()
    names = [n for n, _ in levels]
    at_start = level_of(before, levels).value_counts().reindex(names, fill_value=0)
    at_end = level_of(after, levels).value_counts().reindex(names, fill_value=0)
    rank = {n: i for i, n in enumerate(names)}
    start_level = level_of(before, levels).map(rank).reindex(after.index).fillna(-1)
    end_level = level_of(after, levels).map(rank)
    moved_up = int(((end_level > start_level) & (start_level >= 0)).sum())
    level_table = pd.DataFrame(
        {
            "at start": at_start,
            "at end": at_end,
            "new members": level_of(after[~after.index.isin(before.index)], levels).value_counts().reindex(names, fill_value=0),
        }
    )
    level_table.index.name = "level"

    earned_now = in_window.groupby("user_id")["points"].sum().sort_values(ascending=False).head(top_n)
    by_action = in_window[in_window["user_id"].isin(earned_now.index)].pivot_table(
        index="user_id", columns="action", values="count", aggfunc="sum", fill_value=0
    )
    top = pd.DataFrame(
        {
            "platform": a.drop_duplicates("user_id", keep="last").set_index("user_id")["platform"].reindex(earned_now.index),
            "points in window": earned_now,
            "points in all": after.reindex(earned_now.index),
            "level": level_of(after.reindex(earned_now.index), levels),
        }
    ).join(by_action)
    top.index.name = "member"
    unknown = tuple(sorted(set(a["action"].dropna()) - set(rules)))
    return Community(int(active), int(active_previous), new, int(active - new), weekly, retention, retention_4w, level_table, moved_up, top, unknown)
