"""Post scores (内容评估): each post's percentile within its platform and type, and what sets the best apart."""

from __future__ import annotations

import numpy as np
import pandas as pd

SCORE_COLUMNS = [
    "platform",
    "account",
    "post_id",
    "published_at",
    "title",
    "content_type",
    "topic",
    "hour",
    "weekday",
    "interactions",
    "exposure",
    "per",
    "rate",
]
# Traits of the best and the worst posts, as codes (the report says them in words)
BEST_HOURS_TRAIT = "best_hours"  # posted in the platform's best hours
WEEKEND_TRAIT = "weekend"  # posted at the weekend
TOPIC_TRAIT = "topic:"  # followed by the topic: the post is about it


def post_scores(data: pd.DataFrame) -> pd.DataFrame:
    """Each post's percentile (0-100) of engagement rate within its platform and type."""
    out = data[SCORE_COLUMNS].copy()
    peers = data.groupby(["platform", "content_type"])["rate"]
    # Mid-rank percentile: the best of n is 100 - 50/n, so 0 and 100 never suggest "off the scale".
    out["percentile"] = 100 * (peers.rank(method="average") - 0.5) / peers.transform("size")
    out["peers"] = peers.transform("size")
    return out


def what_sets_apart(scores: pd.DataFrame, best_hours: dict[str, set[int]], share: float = 0.1) -> pd.DataFrame:
    """Traits of the top and bottom ``share`` of posts (by percentile within
    platform and type): how often each trait occurs among them, largest gap first."""
    top = scores[scores["percentile"] >= 100 * (1 - share)]
    bottom = scores[scores["percentile"] <= 100 * share]
    if top.empty or bottom.empty:
        return pd.DataFrame(columns=["trait", "top", "bottom"])

    def traits(frame: pd.DataFrame) -> dict[str, float]:
        out = {}
        timed = frame[frame["platform"].isin(list(best_hours))]  # platforms exported without times have no best hours
        if any(best_hours.values()) and len(timed):
            best = np.array([h in best_hours[p] for p, h in zip(timed["platform"], timed["hour"])])
            out[BEST_HOURS_TRAIT] = float(best.mean())
        out[WEEKEND_TRAIT] = float((frame["weekday"] >= 5).mean())
        for topic, s in frame["topic"].value_counts(normalize=True).items():
            out[f"{TOPIC_TRAIT}{topic}"] = float(s)
        return out

    t, b = traits(top), traits(bottom)
    rows = [{"trait": k, "top": t.get(k, 0.0), "bottom": b.get(k, 0.0)} for k in dict.fromkeys(list(t) + list(b))]
    table = pd.DataFrame(rows)
    table["gap"] = table["top"] - table["bottom"]
    return table.reindex(table["gap"].abs().sort_values(ascending=False, kind="stable").index).reset_index(drop=True)
