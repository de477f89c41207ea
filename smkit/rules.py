"""The domain rules every playbook shares, each written once.

- Engagement: which interaction columns count, per platform (a post compared
  with posts of its own platform) or across platforms (the parts every
  platform reports), and the sum that treats a missing part as unreported.
- Earned mentions and first replies: a row of ``mentions`` with
  ``is_reply_by_brand`` is the brand answering (owned); every other row is
  somebody talking about a brand (earned). Share of voice, sentiment and alarms
  count earned mentions only; reply times pair an earned mention with the
  brand's first reply to it (``reply_to``).
- Sentiment labels: a score above ``SENTIMENT_THRESHOLD`` is positive, below
  its negative is negative, between is neutral; net sentiment counts polar
  mentions only.
- Community points and levels: points per action and the thresholds from
  which each level starts, as the operations review and the community
  playbook both read them.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from smkit.methods import stats
from smkit.params import parse_mapping

# ---------------------------------------------------------------- engagement

# What each platform's own back office counts as interaction (互动), used to
# compare a post with posts of its own platform.
PLATFORM_ENGAGEMENT: dict[str, tuple[str, ...]] = {
    "weibo": ("likes", "comments", "shares"),
    "douyin": ("likes", "comments", "shares", "saves"),
    "kuaishou": ("likes", "comments", "shares", "saves"),
    "xiaohongshu": ("likes", "comments", "shares", "saves"),
    "wechat": ("likes", "comments", "shares", "recommends"),
    "wechat_channels": ("likes", "comments", "shares", "recommends"),
    "bilibili": ("likes", "comments", "shares", "saves", "coins", "danmaku"),
    "linkedin": ("likes", "comments", "shares"),
}
DEFAULT_PLATFORM_ENGAGEMENT = ("likes", "comments", "shares", "saves")
# Reported by every platform (saves are not): the basis for comparing platforms and brands.
CROSS_PLATFORM_ENGAGEMENT = ("likes", "comments", "shares")
# The four parts a campaign or a team is credited with, where the platform reports them.
CREDITED_ENGAGEMENT = ("likes", "comments", "shares", "saves")
INTERACTION_COLUMNS = ("likes", "comments", "shares", "saves", "recommends", "coins", "danmaku", "clicks")


def engagement_parts(engagement: str, platform: str) -> tuple[str, ...]:
    """The interaction columns summed for ``platform`` under ``engagement``:
    ``"platform"`` (or empty) for the platform's own definition, else parts
    joined by ``+`` such as ``"likes+comments"``."""
    if engagement in ("", "platform"):
        return PLATFORM_ENGAGEMENT.get(platform, DEFAULT_PLATFORM_ENGAGEMENT)
    parts = tuple(p.strip() for p in engagement.split("+") if p.strip())
    unknown = [p for p in parts if p not in INTERACTION_COLUMNS]
    if not parts or unknown:
        raise ValueError(f"unknown engagement part(s) {unknown or [engagement]}; use 'platform' or parts joined by + from: {', '.join(INTERACTION_COLUMNS)}")
    return parts


def interactions(frame: pd.DataFrame, parts: Sequence[str] = CREDITED_ENGAGEMENT) -> pd.Series:
    """The sum of ``parts`` per row, counting the parts the data has: a row
    with none of them reported is missing (NaN), not zero."""
    present = [c for c in parts if c in frame]
    if not present:
        return pd.Series(np.nan, index=frame.index, dtype=float)
    return frame[present].astype("Float64").sum(axis=1, min_count=1).astype(float)


# ---------------------------------------------------------------- earned mentions and replies

# The earned-mention rule in SQL, for queries that run in the store.
EARNED_SQL = "NOT coalesce(is_reply_by_brand, false)"


def is_reply(mentions: pd.DataFrame) -> pd.Series:
    """True for the brands' own replies; a table without the flag has none."""
    if "is_reply_by_brand" not in mentions:
        return pd.Series(False, index=mentions.index)
    return mentions["is_reply_by_brand"].fillna(False).astype(bool)


def earned(mentions: pd.DataFrame) -> pd.DataFrame:
    """Mentions by others: the brands' own replies are owned media, not voice."""
    return mentions[~is_reply(mentions)]


def first_reply_hours(mentions: pd.DataFrame, brand: str) -> pd.Series:
    """Hours from each earned mention of ``brand`` to the brand's first reply to
    it, indexed by ``mention_id``; NaN where there is no reply (unanswered).
    ``mentions`` may hold other brands' rows and replies made after the
    period, which only answer mentions inside it. A reply stamped before its
    mention (clock skew between exports) is not counted as an answer."""
    if mentions.empty or "brand" not in mentions:
        return pd.Series(dtype=float)
    ours = mentions[mentions["brand"] == brand]
    reply = is_reply(ours)
    asked = ours.loc[~reply].set_index("mention_id")["published_at"]
    if "reply_to" not in ours:
        return pd.Series(float("nan"), index=asked.index, dtype=float)
    first = ours[reply & ours["reply_to"].notna()].groupby("reply_to")["published_at"].min()
    # reindex, not map: mapping through an empty Series of times (no reply at all) fails in pandas
    hours = (first.reindex(asked.index) - asked).dt.total_seconds() / 3600
    return hours.where(hours >= 0).astype(float)


# ---------------------------------------------------------------- share of voice


def mention_count(mentions: pd.DataFrame) -> pd.Series:
    """How many mentions each row stands for: 1 for a mention, ``n`` for a row of
    mentions summed in the engine (:func:`smkit.methods.mention_engine.mention_groups`,
    whose interaction columns are the group's sums)."""
    if "n" in mentions:
        return mentions["n"].astype(float)
    return pd.Series(1.0, index=mentions.index)


def mention_weight(mentions: pd.DataFrame, weighted: bool) -> pd.Series:
    """Each mention's weight in share of voice: 1, or 1 plus its likes, comments and shares
    (for a summed row: its mentions, plus their likes, comments and shares)."""
    count = mention_count(mentions)
    if not weighted:
        return count
    cols = [c for c in CROSS_PLATFORM_ENGAGEMENT if c in mentions]
    return count + mentions[cols].fillna(0).astype(float).sum(axis=1)


def share_of_voice(mentions: pd.DataFrame, by: Sequence[str] = (), weighted: bool = False, alpha: float = 0.05) -> pd.DataFrame:
    """Each brand's share of earned mentions, within each group of ``by``.

    ``weighted`` counts each mention once plus its likes, comments and shares.
    Count shares carry a Wilson interval; weighted shares have none, as a few
    viral mentions dominate them.
    """
    m = earned(mentions)
    keys = [*by, "brand"]
    volume = m.assign(volume=mention_weight(m, weighted)).groupby(keys, observed=True)["volume"].sum()
    total = volume.groupby(level=list(by)).transform("sum") if by else volume.sum()
    out = pd.DataFrame({"volume": volume, "share": volume / total}).reset_index()
    if weighted:
        out["ci_low"] = out["ci_high"] = np.nan
    else:
        totals = total.to_numpy() if by else np.full(len(out), total)
        out["ci_low"], out["ci_high"] = stats.wilson_interval(out["volume"].to_numpy(), totals, alpha=alpha)
    return out


# ---------------------------------------------------------------- sentiment labels

SENTIMENT_THRESHOLD = 0.25  # scores within ±0.25 of zero are neutral


def sentiment_label(values: Sequence[float], threshold: float = SENTIMENT_THRESHOLD) -> list[str]:
    """positive / neutral / negative from scores."""
    return ["positive" if v > threshold else "negative" if v < -threshold else "neutral" for v in values]


def is_negative(values: pd.Series | np.ndarray, threshold: float = SENTIMENT_THRESHOLD) -> np.ndarray:
    """True where a score is negative (missing scores are not)."""
    return np.asarray(values, dtype=float) < -threshold


def net_sentiment(values: Sequence[float], threshold: float = SENTIMENT_THRESHOLD, weights: Sequence[float] | None = None) -> float:
    """(positive - negative) / (positive + negative) in -1..1; NaN when no
    score is positive or negative. Neutral and missing scores do not count.
    ``weights``: the mentions each value stands for (rows summed in the engine)."""
    v = np.asarray(values, dtype=float)
    w = np.ones(len(v)) if weights is None else np.asarray(weights, dtype=float)
    positive, negative = int(w[v > threshold].sum()), int(w[v < -threshold].sum())
    return (positive - negative) / (positive + negative) if positive + negative else float("nan")


# ---------------------------------------------------------------- community points and levels
DEFAULT_POINTS = "post:10,comment:3,share:5,like:1,checkin:2"
DEFAULT_LEVELS = "L1 新手:0,L2 活跃:50,L3 达人:200,L4 核心:800,L5 大使:2000"


def parse_points(text: str) -> dict[str, float]:
    """Points per action from ``"post:10,comment:3"`` (``：`` and ``，`` work too); actions are lower-cased."""
    rules = {k.lower(): v for k, v in parse_mapping(text, "points_rules (action:points)", example=DEFAULT_POINTS).items()}
    if not rules:
        raise ValueError("no points rules given")
    return rules


def parse_levels(text: str) -> list[tuple[str, float]]:
    """Level thresholds from ``"L1:0,L2:50"``: the points from which each level starts, ascending."""
    levels = list(parse_mapping(text, "level_thresholds (name:points)", example=DEFAULT_LEVELS).items())
    if not levels:
        raise ValueError("no levels given")
    bounds = [b for _, b in levels]
    if bounds != sorted(bounds) or len(set(bounds)) != len(bounds):
        raise ValueError(f"level thresholds must rise: {text!r}")
    if bounds[0] > 0:
        raise ValueError(f"the first level must start at 0 points so every member has one: {text!r}")
    return levels


def points(activity: pd.DataFrame, rules: dict[str, float]) -> pd.Series:
    """Points per row: count (a missing count as one action) times the action's points; unknown actions earn none."""
    count = activity["count"].astype("Float64").fillna(1.0).astype(float)
    return count * activity["action"].map(rules).fillna(0.0).astype(float)


def level_of(total: pd.Series, levels: Sequence[tuple[str, float]]) -> pd.Series:
    """The level each points total reaches."""
    bounds = np.array([b for _, b in levels])
    names = np.array([n for n, _ in levels], dtype=object)
    idx = np.searchsorted(bounds, total.to_numpy(dtype=float), side="right") - 1
    return pd.Series(names[np.clip(idx, 0, None)], index=total.index)
