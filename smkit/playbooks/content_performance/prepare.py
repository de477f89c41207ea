"""One row per post: interactions, exposure and time features, one definition per platform."""

from __future__ import annotations

import numpy as np
import pandas as pd

from smkit.rules import INTERACTION_COLUMNS, engagement_parts, interactions

from .settings import EXPOSURE_LABEL, EXPOSURES

FOLLOWER_TOLERANCE = pd.Timedelta(days=7)  # a post takes the follower count of the nearest day within a week
DATE_ONLY_SHARE = 0.9  # a platform whose posts nearly all fall on midnight exported dates, not posting times


def prepare(posts: pd.DataFrame, daily: pd.DataFrame | None, engagement: str = "platform", per: str = "follower") -> tuple[pd.DataFrame, pd.DataFrame]:
    """One row per post with ``interactions``, ``exposure`` and time features,
    and a table of the definition used per platform.

    ``timed`` is False for every post of a platform whose export gives dates
    without times (:data:`DATE_ONLY_SHARE` of its posts at midnight): its
    hour says nothing about when it went out.

    A platform whose data lacks the requested exposure falls back to views,
    then impressions, and the definitions table says so; rows without an
    exposure are dropped and counted there.
    """
    if posts.empty:
        raise ValueError("no posts in the window for these accounts and platforms")
    frame = posts.copy()
    for column in set(INTERACTION_COLUMNS) | set(EXPOSURES.values()) - {"followers"}:
        if column in frame:
            frame[column] = pd.to_numeric(frame[column].astype(object), errors="coerce").astype(float)
    local = frame["published_at"]
    frame["date"] = local.dt.tz_localize(None).dt.normalize()
    frame["hour"] = local.dt.hour.astype(int)
    frame["weekday"] = local.dt.day_of_week.astype(int)
    midnight = ((local.dt.hour == 0) & (local.dt.minute == 0) & (local.dt.second == 0)).astype(float)
    frame["timed"] = (midnight.groupby(frame["platform"].astype(str)).transform("mean") < DATE_ONLY_SHARE).to_numpy()
    frame["campaign"] = frame["campaign_id"].astype(object).where(frame["campaign_id"].notna(), "none").astype(str)
    frame["topic"] = frame["topic"].astype(object).where(frame["topic"].notna(), "none").astype(str)
    frame["content_type"] = frame["content_type"].astype(object).where(frame["content_type"].notna(), "other").astype(str)
    frame = _with_followers(frame, daily)
    rows, keep = [], []
    for platform, group in frame.groupby("platform", sort=True):
        parts = [p for p in engagement_parts(engagement, platform) if p in group and group[p].notna().any()]
        choice = _exposure(group, per)
        g = group.copy()
        g["interactions"] = interactions(g, parts)
        g["exposure"] = g[EXPOSURES[choice]].astype(float) if choice else np.nan
        g["per"] = choice or "none"
        usable = g["interactions"].notna() & (g["exposure"] > 0)
        rows.append(
            {
                "platform": platform,
                "interactions": " + ".join(parts) or "none reported",
                "rate": EXPOSURE_LABEL.get(choice, "no exposure"),
                "per": choice or "none",
                "fallback": choice is not None and choice != per,
                "posts": len(g),
                "used": int(usable.sum()),
                "timed": bool(g["timed"].all()),
            }
        )
        keep.append(g[usable])
    definitions = pd.DataFrame(rows).set_index("platform")
    data = pd.concat(keep, ignore_index=True) if keep else frame.iloc[0:0]
    if data.empty:
        raise ValueError("no post has both an interaction count and an exposure (followers, views or impressions); nothing to compare")
    data["rate"] = data["interactions"] / data["exposure"]
    return data.sort_values("published_at", kind="stable").reset_index(drop=True), definitions


def _with_followers(frame: pd.DataFrame, daily: pd.DataFrame | None) -> pd.DataFrame:
    """``frame`` with each post's account followers on the nearest day (NaN when unknown)."""
    if daily is None or daily.empty or not daily["followers"].notna().any():
        return frame.assign(followers=np.nan)
    fol = daily[["date", "platform", "account", "followers"]].dropna(subset=["followers"]).copy()
    fol["date"] = pd.to_datetime(fol["date"]).dt.tz_localize(None).dt.normalize().astype("datetime64[ns]")
    fol["followers"] = fol["followers"].astype(float)
    fol = fol.sort_values("date")
    frame = frame.assign(date=frame["date"].astype("datetime64[ns]"))
    return pd.merge_asof(frame.sort_values("date"), fol, on="date", by=["platform", "account"], direction="nearest", tolerance=FOLLOWER_TOLERANCE)


def _exposure(group: pd.DataFrame, per: str) -> str | None:
    """The exposure a platform uses: ``per`` when its data reports it, else views, impressions, followers; None if none."""
    for candidate in [per] + [c for c in ("view", "impression", "follower") if c != per]:
        column = EXPOSURES[candidate]
        if column in group and (group[column].astype(float) > 0).any():
            return candidate
    return None
