"""Signals of bought followers or bought engagement, each with its threshold.

- ``low_engagement``: engagements far below what the follower count predicts.
  The residual of the robust regression (:mod:`.engagement`) divided by its
  expected spread for this creator, ``sqrt(tau2 + v)`` (the platform's spread
  of creators plus the noise of an average of few posts), is below
  ``LOW_ENGAGEMENT_Z`` (-2.5): an honest creator falls that low about once in
  160. Bought followers raise the count without the engagements.
- ``comment_like_ratio``: the log of comments per like is more than
  ``RATIO_Z`` (3) robust standard deviations (1.4826 MAD) from its platform's
  median. Bought likes push it down, bought comments up.
- ``follower_jump``: in the account history, one day's gain exceeds both
  ``JUMP_MAD`` (10) robust standard deviations of the creator's own daily
  gains above their median and ``JUMP_SHARE`` (5%) of the followers the day
  before. A viral post rarely adds 5% in a day; a purchase usually adds far more.

A creator is suspicious when any signal is raised; a signal that cannot be
computed (no history, too few creators on a platform) is not raised.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from smkit.playbooks.kol_selection.engagement import Norm, sampling_variance, stats_mad

LOW_ENGAGEMENT_Z = -2.5
RATIO_Z = 3.0
JUMP_MAD = 10.0
JUMP_SHARE = 0.05
MIN_HISTORY_DAYS = 14
MIN_PLATFORM = 5  # creators a platform needs for its comment-to-like pattern
SIGNALS = ("low_engagement", "comment_like_ratio", "follower_jump")


def engagement_z(creators: pd.DataFrame, norm: Norm) -> pd.Series:
    """The residual of log engagements, in units of its expected spread for this creator."""
    v = sampling_variance(creators.get("posts_30d", pd.Series(np.nan, index=creators.index)))
    return norm.residual / np.sqrt(norm.tau2 + v)


def ratio_z(creators: pd.DataFrame) -> pd.Series:
    """The log comments-per-like ratio's robust z within its platform (NaN where not computable)."""
    if "avg_comments" not in creators or "avg_likes" not in creators:
        return pd.Series(np.nan, index=creators.index)
    c = pd.to_numeric(creators["avg_comments"], errors="coerce").astype(float)
    likes = pd.to_numeric(creators["avg_likes"], errors="coerce").astype(float)
    ratio = np.log((c + 0.5) / (likes + 0.5))
    out = pd.Series(np.nan, index=creators.index)
    for _, idx in creators.groupby("platform").groups.items():
        r = ratio[idx].dropna()
        if len(r) < MIN_PLATFORM:
            continue
        scale = stats_mad(r)
        if scale > 0:
            out[idx] = (ratio[idx] - r.median()) / scale
    return out


def follower_jumps(creators: pd.DataFrame, history: pd.DataFrame) -> pd.DataFrame:
    """Per creator: the largest one-day gain as a share of the followers the day before
    (``jump_share``), its day (``jump_date``) and whether it passes both thresholds (``jump``)."""
    out = pd.DataFrame({"jump_share": np.nan, "jump_date": pd.NaT, "jump": False}, index=creators.index)
    if history is None or history.empty:
        return out
    h = history.dropna(subset=["followers"]).sort_values(["platform", "creator", "date"])
    h = h.assign(followers=h["followers"].astype(float))
    found: dict[tuple[str, str], tuple[float, object, bool]] = {}
    for key, g in h.groupby(["platform", "creator"], sort=False):
        if len(g) < MIN_HISTORY_DAYS:
            continue
        before = g["followers"].to_numpy()[:-1]
        gains = np.diff(g["followers"].to_numpy())
        centre = float(np.median(gains))
        spread = max(1.4826 * float(np.median(np.abs(gains - centre))), 1.0)
        share = gains / np.where(before > 0, before, np.nan)
        k = int(np.nanargmax(share)) if np.isfinite(share).any() else 0
        jump = bool(np.any((gains - centre > JUMP_MAD * spread) & (share > JUMP_SHARE)))
        found[(str(key[0]), str(key[1]))] = (float(share[k]), g["date"].iloc[k + 1], jump)
    keys = list(zip(creators["platform"].astype(str), creators["creator"].astype(str)))
    for i, key in zip(creators.index, keys):
        if key in found:
            out.loc[i, ["jump_share", "jump_date", "jump"]] = found[key]
    out["jump"] = out["jump"].astype(bool)
    return out


def raise_signals(eng_z: pd.Series, rat_z: pd.Series, jumps: pd.DataFrame) -> pd.DataFrame:
    """One boolean column per signal, and ``signals`` (the names raised) and ``suspicious``."""
    flags = pd.DataFrame(
        {
            "low_engagement": (eng_z < LOW_ENGAGEMENT_Z).fillna(False).astype(bool),
            "comment_like_ratio": (rat_z.abs() > RATIO_Z).fillna(False).astype(bool),
            "follower_jump": jumps["jump"].fillna(False).astype(bool),
        }
    )
    flags["signals"] = [tuple(name for name in SIGNALS if row[name]) for _, row in flags.iterrows()]
    flags["suspicious"] = flags["signals"].map(bool)
    return flags
