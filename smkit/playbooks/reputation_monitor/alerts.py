"""Alerts: the brand's daily series with its alarms, and each alert's factors,
platforms, emerging keywords, top negative mentions and replies.

The detection is shared (:mod:`smkit.methods.crisis`: the operations review
tracks the response to the same alerts, and a playbook imports no other
playbook); this module names it for the monitor and adds the window's reply
figures (:func:`replies`).

- **Volume** (mentions of the brand by others per day): a detector from
  :data:`smkit.methods.anomaly.DETECTORS`, by default ``seasonal_robust_z``.
- **Negative share**: a one-sided CUSUM of the daily negative count against the
  share in the 8 weeks before, skipping the last week
  (:func:`smkit.methods.anomaly.cusum`).

An alert spans the alarm days and the following days still elevated. Alarms
are per day: an hourly run re-evaluates the current day so far.
"""

from __future__ import annotations

import pandas as pd

from smkit.methods.crisis import (
    Alert,
    daily_series,
    detect,
    emerging_keywords,
    episodes,
    find_alerts,
    monitor_series,
    reply_stats,
    top_negative,
)

__all__ = [
    "Alert",
    "daily_series",
    "detect",
    "emerging_keywords",
    "episodes",
    "find_alerts",
    "monitor_series",
    "replies",
    "reply_stats",
    "top_negative",
]


def replies(window: pd.DataFrame, negatives: pd.DataFrame, brand: str, start: pd.Timestamp, end: pd.Timestamp) -> dict:
    """Reply figures over the window, and its unanswered negative mentions
    (``unanswered``, most followers first) from ``negatives`` (see :func:`reply_stats`)."""
    _, out = reply_stats(window, brand)
    unanswered = negatives[(negatives["day"] >= start) & (negatives["day"] <= end) & negatives["reply_hours"].isna()]
    out["unanswered"] = unanswered.sort_values("author_followers", ascending=False)
    out["unanswered_count"] = len(unanswered)
    return out
