"""Retention and cover metrics, where the platform exports them.

Douyin's works list reports how many plays lasted five seconds (5s完播率),
how many left within two (2s跳出率), how many were watched to the end (完播率)
and how often the cover was clicked (封面点击率); Xiaohongshu and Kuaishou
report parts of that family (:data:`smkit.data.schema.RETENTION_METRICS`).
Each platform measures them its own way, so every figure here stays within
one platform, and a platform enters only when it exports at least one of the
early-retention or cover metrics (:data:`TRIGGERS`) for enough posts.

- :func:`retention_by_group`: each metric's mean by content type and by video
  length (where the export gives the length), with a t interval from the
  sufficient statistics (:func:`smkit.methods.stats.mean_stat`).
- :func:`what_predicts`: whether posts that hold viewers better than the
  median of their platform and type earn more engagement (interactions over
  the platform's exposure) and more distribution (impressions, else views, per
  post): a ratio of rates with a delta-method interval
  (:func:`smkit.methods.stats.rate_ratio`), called after Holm's correction
  across every comparison. An association, not a cause: a post that holds
  viewers may also be the one with the better topic.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats as sps

from smkit.methods import stats

TRIGGERS = ("retention_5s", "bounce_2s", "cover_ctr")  # a platform with none of these has no retention section
METRICS = ("completion_rate", "retention_5s", "bounce_2s", "cover_ctr")  # analysed on those platforms
MIN_POSTS = 8  # posts with a metric before a platform's metric is analysed
MIN_SIDE = 3  # posts above and below the median before they are compared
LENGTHS = ((0, 15, "under 15 s"), (15, 30, "15-30 s"), (30, 60, "30-60 s"), (60, 180, "1-3 min"), (180, np.inf, "over 3 min"))
GROUP_COLUMNS = ["platform", "metric", "by", "group", "posts", "mean", "ci_low", "ci_high"]
LINK_COLUMNS = ["platform", "metric", "outcome", "measure", "high_posts", "low_posts", "ratio", "ci_low", "ci_high", "p_value", "p_holm", "call"]


def _values(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame:
        return pd.Series(np.nan, index=frame.index, dtype=float)
    return pd.to_numeric(frame[column].astype(object), errors="coerce").astype(float)


def retention_platforms(data: pd.DataFrame) -> list[str]:
    """Platforms whose posts carry at least one of :data:`TRIGGERS` on :data:`MIN_POSTS` posts or more."""
    found = []
    for platform, group in data.groupby("platform", sort=True):
        if any(_values(group, m).notna().sum() >= MIN_POSTS for m in TRIGGERS):
            found.append(platform)
    return found


def _metrics(group: pd.DataFrame) -> list[str]:
    return [m for m in METRICS if _values(group, m).notna().sum() >= MIN_POSTS]


def length_band(seconds: pd.Series) -> pd.Series:
    """Each video's length band (under 15 s ... over 3 min); missing where the length is unknown."""
    out = pd.Series(None, index=seconds.index, dtype=object)
    for low, high, label in LENGTHS:
        out[(seconds >= low) & (seconds < high)] = label
    return out


def _mean_row(values: np.ndarray, alpha: float) -> dict[str, float]:
    s = stats.mean_stat(values)
    half = sps.t.ppf(1 - alpha / 2, s.n - 1) * np.sqrt(s.variance / s.n) if s.n > 1 else np.nan
    return {"posts": s.n, "mean": s.mean, "ci_low": s.mean - half, "ci_high": s.mean + half}


def retention_by_group(data: pd.DataFrame, alpha: float = 0.05) -> pd.DataFrame:
    """Each metric's mean by content type and by length band, per platform that exports the family."""
    rows = []
    for platform in retention_platforms(data):
        g = data[data["platform"] == platform]
        bands = length_band(_values(g, "duration_seconds"))
        for metric in _metrics(g):
            values = _values(g, metric)
            for by, keys in (("type", g["content_type"].astype(str)), ("length", bands)):
                known = values.notna() & keys.notna()
                if by == "length" and known.sum() < MIN_POSTS:
                    continue
                order = [label for _, _, label in LENGTHS] if by == "length" else sorted(keys[known].unique())
                for group in order:
                    v = values[known & (keys == group)].to_numpy(float)
                    if len(v):
                        rows.append({"platform": platform, "metric": metric, "by": by, "group": group, **_mean_row(v, alpha)})
    return pd.DataFrame(rows, columns=GROUP_COLUMNS)


def _distribution(group: pd.DataFrame) -> tuple[str, pd.Series]:
    """The platform's distribution measure: impressions per post where exported, else views per post."""
    for column in ("impressions", "views"):
        values = _values(group, column)
        if (values > 0).sum() >= MIN_POSTS:
            return f"{column} per post", values
    return "", pd.Series(np.nan, index=group.index)


def what_predicts(data: pd.DataFrame, alpha: float = 0.05) -> pd.DataFrame:
    """Engagement and distribution of posts above their platform-and-type median of each metric against those below."""
    rows = []
    for platform in retention_platforms(data):
        g = data[data["platform"] == platform]
        measure, reach = _distribution(g)
        for metric in _metrics(g):
            values = _values(g, metric)
            median = values.groupby(g["content_type"]).transform("median")
            peers = values.groupby(g["content_type"]).transform("count")
            high, low = (values > median) & (peers >= 2), (values < median) & (peers >= 2)
            if min(high.sum(), low.sum()) < MIN_SIDE:
                continue
            outcomes = [("engagement", "engagement rate", g["interactions"].astype(float), g["exposure"].astype(float))]
            if measure:
                usable = reach.notna()
                outcomes.append(("distribution", measure, reach.where(usable, 0.0), usable.astype(float)))
            for outcome, label, num, den in outcomes:
                h, lo = high & (den > 0), low & (den > 0)
                if min(h.sum(), lo.sum()) < MIN_SIDE:
                    continue
                r = stats.rate_ratio(num[h].to_numpy(), den[h].to_numpy(), num[lo].to_numpy(), den[lo].to_numpy(), alpha)
                if not np.isfinite(r["ratio"]):
                    continue
                rows.append(
                    {
                        "platform": platform,
                        "metric": metric,
                        "outcome": outcome,
                        "measure": label,
                        "high_posts": int(h.sum()),
                        "low_posts": int(lo.sum()),
                        "ratio": r["ratio"],
                        "ci_low": r["ci_low"],
                        "ci_high": r["ci_high"],
                        "p_value": r["p_value"],
                    }
                )
    out = pd.DataFrame(rows, columns=LINK_COLUMNS[:-2])
    if out.empty:
        return pd.DataFrame(columns=LINK_COLUMNS)
    out["p_holm"] = stats.adjust_pvalues(out["p_value"].to_numpy(float), "holm")
    out["call"] = np.where(out["p_holm"] >= alpha, "unclear", np.where(out["ratio"] > 1, "higher", "lower"))
    return out


def _number(value: float) -> float | None:
    return float(value) if np.isfinite(value) else None


def retention_summary(groups: pd.DataFrame, links: pd.DataFrame) -> dict:
    """The figures ``summary.json`` keeps: the platforms, each metric's mean by type, and what it goes with."""
    by_type = groups[groups["by"] == "type"]
    return {
        "platforms": sorted(groups["platform"].unique().tolist()),
        "by_type": [
            {
                "platform": r.platform,
                "metric": r.metric,
                "content_type": r.group,
                "posts": int(r.posts),
                "mean": _number(r.mean),
                "ci_low": _number(r.ci_low),
                "ci_high": _number(r.ci_high),
            }
            for r in by_type.itertuples()
        ],
        "predicts": [
            {
                "platform": r.platform,
                "metric": r.metric,
                "outcome": r.outcome,
                "ratio": _number(r.ratio),
                "ci_low": _number(r.ci_low),
                "ci_high": _number(r.ci_high),
                "p_holm": _number(r.p_holm),
            }
            for r in links.itertuples()
        ],
    }
