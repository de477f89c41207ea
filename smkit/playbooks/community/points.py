"""The points economy and the levels.

Points are earned per action by the rules given (a missing count is one
action), spent by redemptions and expire ``expiry_days`` after they were
earned when still unspent; a redemption spends the oldest points first (the
usual terms of a points mall, and the rule that makes expiry well defined).
The outstanding balance at the end, valued at ``yuan_per_point``, is what the
brand owes its members. Levels are set by the points earned over the last
``level_window_days``, so a member who stops acting falls a level.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from smkit.rules import level_of, points


def ledger(earned: pd.DataFrame, redeemed: pd.DataFrame, end: pd.Timestamp, expiry_days: int) -> pd.DataFrame:
    """Per member: points earned, redeemed, expired and outstanding at ``end``.

    ``earned`` and ``redeemed`` hold ``user_id``, ``date`` and ``points``.
    Redemptions spend the oldest unexpired points first; a redemption larger
    than the balance spends what there is (the export may start after the
    points were earned) and the excess is counted as ``unmatched``.
    """
    life = pd.Timedelta(days=expiry_days)
    moves = pd.concat(
        [earned[["user_id", "date", "points"]].assign(kind=0), redeemed[["user_id", "date", "points"]].assign(kind=1)], ignore_index=True
    ).sort_values(["user_id", "date", "kind"], kind="stable")
    out = []
    for member, group in moves.groupby("user_id", sort=True):
        lots: deque[list] = deque()
        totals = {"earned": 0.0, "redeemed": 0.0, "expired": 0.0, "unmatched": 0.0}
        for day, pts, kind in zip(group["date"], group["points"].astype(float), group["kind"], strict=True):
            while lots and lots[0][0] + life <= day:
                totals["expired"] += lots.popleft()[1]
            if kind == 0:
                if pts > 0:
                    lots.append([day, pts])
                    totals["earned"] += pts
                continue
            totals["redeemed"] += pts
            need = pts
            while need > 0 and lots:
                take = min(need, lots[0][1])
                lots[0][1] -= take
                need -= take
                if lots[0][1] <= 0:
                    lots.popleft()
            totals["unmatched"] += need
        while lots and lots[0][0] + life <= end:
            totals["expired"] += lots.popleft()[1]
        out.append({"user_id": member, **totals, "outstanding": sum(p for _, p in lots)})
    return pd.DataFrame(out, columns=["user_id", "earned", "redeemed", "expired", "unmatched", "outstanding"]).set_index("user_id")


def benefits(earned: pd.DataFrame, redeemed: pd.DataFrame, end_levels: pd.Series, levels: Sequence[tuple[str, float]], level_window_days: int) -> pd.DataFrame:
    """Benefits used per level (the window's redemptions, each at the level its member held that day).

    A member's level on a redemption day comes from the points they earned
    over the ``level_window_days`` up to and including it (no points: the
    first level). A level's members are those holding it at the end of the
    window or on a day they redeemed at it (a member who redeemed at two
    levels counts at both); ``share`` is the part of them who redeemed at
    that level, ``per_member`` the points redeemed there per member.
    """
    names = [n for n, _ in levels]
    window = pd.Timedelta(days=level_window_days)
    held = []
    for day, group in redeemed.groupby("date"):
        recent = earned[(earned["date"] > day - window) & (earned["date"] <= day)].groupby("user_id")["points"].sum()
        totals = recent.reindex(group["user_id"].unique(), fill_value=0.0)
        level = level_of(totals, levels)
        held.append(group.assign(level=group["user_id"].map(level)))
    at = pd.concat(held, ignore_index=True) if held else pd.DataFrame(columns=["user_id", "points", "level"])
    holders = pd.concat([pd.DataFrame({"user_id": end_levels.index, "level": end_levels.to_numpy()}), at[["user_id", "level"]]]).drop_duplicates()
    out = pd.DataFrame(
        {
            "members": holders.groupby("level")["user_id"].nunique(),
            "redeemers": at.groupby("level")["user_id"].nunique(),
            "points": at.groupby("level")["points"].sum().astype(float),
        }
    )
    out = out.reindex(names).fillna(0.0)
    out[["members", "redeemers"]] = out[["members", "redeemers"]].astype(int)
    has = out["members"] > 0
    out["share"] = (out["redeemers"] / out["members"].where(has)).astype(float)
    out["per_member"] = (out["points"] / out["members"].where(has)).astype(float)
    out.index.name = "level"
    return out[["members", "redeemers", "share", "points", "per_member"]]


@dataclass(frozen=True)
class Economy:
    earned: float  # in the window
    redeemed: float  # in the window
    expired_total: float  # up to the end
    outstanding: float  # at the end
    liability: float  # outstanding x yuan per point
    redeemers: int  # members who redeemed in the window
    by_level: pd.DataFrame  # level -> members, earned, redeemed, redemption rate (window)
    rewards: pd.DataFrame  # reward -> redemptions, points (window)
    levels: pd.DataFrame  # level -> members at start, at end
    rose: int
    fell: int
    has_redemptions: bool
    benefits: pd.DataFrame = field(default_factory=pd.DataFrame)  # level -> members, redeemers, share, points, points per member (window)


def economy(
    activity: pd.DataFrame,
    redemptions: pd.DataFrame | None,
    start: pd.Timestamp,
    end: pd.Timestamp,
    rules: dict[str, float],
    levels: Sequence[tuple[str, float]],
    level_window_days: int,
    expiry_days: int,
    yuan_per_point: float,
) -> Economy:
    """Points earned, redeemed and expired, the outstanding balance and its liability, redemption by level and the rolling levels."""
    a = activity.assign(date=pd.to_datetime(activity["date"]))
    a = a.assign(points=points(a, rules))
    earned = a.groupby(["user_id", "date"], as_index=False)["points"].sum()
    has_redemptions = redemptions is not None
    r = (
        redemptions.assign(date=pd.to_datetime(redemptions["date"]), points=redemptions["points"].astype(float).fillna(0.0))
        if has_redemptions
        else pd.DataFrame(
            {"user_id": pd.Series(dtype=object), "date": pd.Series(dtype="datetime64[ns]"), "points": pd.Series(dtype=float), "reward": pd.Series(dtype=object)}
        )
    )
    r = r[r["date"] <= end]
    book = ledger(earned, r, end, expiry_days)
    in_window = earned[(earned["date"] >= start) & (earned["date"] <= end)]
    r_window = r[(r["date"] >= start) & (r["date"] <= end)]

    window = pd.Timedelta(days=level_window_days)

    def rolling_level(day: pd.Timestamp) -> pd.Series:
        recent = earned[(earned["date"] > day - window) & (earned["date"] <= day)].groupby("user_id")["points"].sum()
        return level_of(recent, levels)

    names = [n for n, _ in levels]
    rank = {n: i for i, n in enumerate(names)}
    before = rolling_level(start - pd.Timedelta(days=1))
    after = rolling_level(end)
    members = before.index.union(after.index)
    b = before.map(rank).reindex(members).fillna(-1)
    e = after.map(rank).reindex(members).fillna(-1)  # no points in the window: below the first level
    level_table = pd.DataFrame({"at start": before.value_counts().reindex(names, fill_value=0), "at end": after.value_counts().reindex(names, fill_value=0)})
    level_table.index.name = "level"

    member_level = after.reindex(book.index).fillna("-")
    per_level = pd.DataFrame(
        {
            "level": member_level,
            "earned": in_window.groupby("user_id")["points"].sum().reindex(book.index, fill_value=0.0),
            "redeemed": r_window.groupby("user_id")["points"].sum().reindex(book.index, fill_value=0.0),
        }
    )
    by_level = per_level[per_level["level"] != "-"].groupby("level").agg(members=("earned", "size"), earned=("earned", "sum"), redeemed=("redeemed", "sum"))
    by_level = by_level.reindex(names).fillna(0)
    by_level["rate"] = np.where(by_level["earned"] > 0, by_level["redeemed"] / by_level["earned"].where(by_level["earned"] > 0, 1), np.nan)
    rewards = (
        r_window.groupby("reward").agg(redemptions=("points", "size"), points=("points", "sum")).sort_values("points", ascending=False)
        if has_redemptions and "reward" in r_window and len(r_window)
        else pd.DataFrame(columns=["redemptions", "points"])
    )
    outstanding = float(book["outstanding"].sum())
    return Economy(
        earned=float(in_window["points"].sum()),
        redeemed=float(r_window["points"].sum()),
        expired_total=float(book["expired"].sum()),
        outstanding=outstanding,
        liability=outstanding * yuan_per_point,
        redeemers=int(r_window["user_id"].nunique()),
        by_level=by_level,
        rewards=rewards,
        levels=level_table,
        rose=int(((e > b) & (b >= 0)).sum()),
        fell=int((e < b).sum()),
        has_redemptions=has_redemptions,
        benefits=benefits(earned, r_window, after, levels, level_window_days) if has_redemptions else pd.DataFrame(),
    )
