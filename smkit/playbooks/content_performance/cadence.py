"""Cadence: per-post engagement against the number of posts the account published that day."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from smkit.methods import stats

from . import model
from .model import HOUR_TERMS, MIN_POSTS_TO_MODEL, hour_terms, wald_pvalue


@dataclass(frozen=True)
class Cadence:
    platform: str
    current_per_week: float
    elasticity: float  # per-post engagement change per doubling of posts that day, as log-ratio per log-count
    ci_low: float
    ci_high: float
    max_per_day: int
    recommended_per_week: int
    saturated_beyond: int | None = None  # saturation: beyond this many posts a day an extra post earns under half a lone post's

    @property
    def modelled(self) -> bool:
        """False when too few days had different numbers of posts to fit the elasticity."""
        return bool(np.isfinite(self.elasticity))

    @property
    def saturated(self) -> bool:
        """True when extra posts on a day were shown to lower each post's engagement."""
        return self.saturated_beyond is not None


def cadence(data: pd.DataFrame, platform: str, alpha: float = 0.05, tests: int = 1) -> Cadence:
    """Saturation: does per-post engagement fall on days with more posts?

    Fits log E[interactions] = offset + b log(posts that day) + type + hour +
    weekday; ``b`` < 0 means each extra post takes from the others. When the
    decrease is significant at ``alpha / tests`` (Bonferroni over the
    platforms in the report) the recommended daily count is the largest whose
    marginal post still earns half a lone post's engagement; otherwise the
    current pace is kept (more was not shown to help or hurt).
    """
    d = data[data["platform"] == platform].copy()
    accounts = d["account"].nunique()
    days = max((d["date"].max() - d["date"].min()).days + 1, 1)
    per_week = len(d) / accounts / days * 7  # per account: the plan is for one account's calendar
    d["per_day"] = d.groupby(["account", "date"])["post_id"].transform("size")
    max_day = int(d["per_day"].max())
    current = max(int(round(per_week)), 1)
    if len(d) < MIN_POSTS_TO_MODEL or d["per_day"].nunique() < 2:
        return Cadence(platform, per_week, np.nan, np.nan, np.nan, max_day, current)
    d = pd.concat([d.reset_index(drop=True), hour_terms(d["hour"].to_numpy())], axis=1)
    terms = ["np.log(per_day)", *[" + ".join(HOUR_TERMS)] * model.has_times(d), "C(weekday)"]
    if d["content_type"].nunique() > 1:
        terms.append("C(content_type)")
    if accounts > 1:
        terms.append("C(account)")
    res, _ = model.fit_nb("interactions ~ " + " + ".join(terms), d, np.log(d["exposure"].to_numpy(float)))
    b, se = float(res.params["np.log(per_day)"]), float(res.bse["np.log(per_day)"])
    z = stats.z_value(alpha)
    lo, hi = b - z * se, b + z * se
    if b < 0 and wald_pvalue(b, se) < alpha / max(tests, 1):
        n = np.arange(1, max_day + 1)
        total = n ** (1 + b)
        marginal = np.diff(np.concatenate([[0.0], total]))
        per_day = int(n[marginal >= 0.5].max())
        return Cadence(platform, per_week, b, lo, hi, max_day, max(min(current, per_day * 7), 1), per_day)
    return Cadence(platform, per_week, b, lo, hi, max_day, current)


def cadence_curve(data: pd.DataFrame) -> pd.DataFrame:
    """Per platform and posts-that-day (1, 2, 3+): posts and median rate relative to the platform's median."""
    d = data.copy()
    d["per_day"] = d.groupby(["platform", "account", "date"])["post_id"].transform("size").clip(upper=3)
    d["relative"] = d["rate"] / d.groupby("platform")["rate"].transform("median")
    out = d.groupby(["platform", "per_day"]).agg(posts=("post_id", "size"), relative=("relative", "median")).reset_index()
    out["per_day"] = out["per_day"].map({1: "1", 2: "2", 3: "3+"})
    return out
