"""Posting time: the model's hour x weekday grid, each slot shrunk and tested, and the hour curve.

Hour and weekday are main effects: each of the 168 slots gets an expected
rate and an interval against the platform's average slot from the hour curve
plus the weekday term. What a slot adds beyond them (the interaction) is
shrunk toward zero (empirical Bayes), so it moves a slot only where the slot's
own posts support it; a slot with fewer than ``min_slot_posts`` posts keeps
the platform pattern and is marked thin.

A slot is *confident* when it beats the platform's average and either its
hour does (the hour's main effect against the average post's hour, Holm's
correction across the busy hours of every platform: a strong hour shared by
all weekdays is tested once, on all its posts, not seven times on an eighth
of them each) or the slot's own contrast survives Holm's correction across
every slot of every platform. Thin slots are never confident.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from smkit.methods import stats

from .model import HOUR_TERMS, PlatformModel, hour_terms, slot_matrix, slot_weights, wald_pvalue

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MIN_HOUR_POSTS = 10  # an hour with fewer posts (or under MIN_HOUR_SHARE of them) is not named the best:
MIN_HOUR_SHARE = 0.02  # there the curve is an extrapolation from the busy hours, not evidence
GRID_COLUMNS = [
    "weekday",
    "hour",
    "platform",
    "vs_average",
    "vs_low",
    "vs_high",
    "p_value",
    "hour_vs_average",
    "hour_p_value",
    "posts",
    "deviation",
    "quiet",
    "thin",
    "expected_rate",
    "shared",
    "timed",
]


def slot_grid(model: PlatformModel, alpha: float = 0.05, min_slot_posts: int = 3) -> pd.DataFrame:
    """Every (weekday, hour) slot: expected rate, interval against the
    platform's average slot, raw p-value, posts seen, and the shrunk
    slot-specific deviation (one where the slot is thin)."""
    X = slot_matrix(model)
    beta = model.params.to_numpy()
    V = model.cov.to_numpy()
    C = X - slot_weights(model.frame) @ X
    contrast = C @ beta
    se = np.sqrt(np.einsum("ij,jk,ik->i", C, V, C))
    z = stats.z_value(alpha)
    grid = pd.DataFrame({"weekday": np.repeat(np.arange(7), 24), "hour": np.tile(np.arange(24), 7)})
    grid["platform"] = model.platform
    grid["vs_average"] = np.exp(contrast)
    grid["vs_low"], grid["vs_high"] = np.exp(contrast - z * se), np.exp(contrast + z * se)
    grid["p_value"] = wald_pvalue(contrast, np.where(se > 0, se, np.inf))
    if model.has_hours:
        curve = hour_curve(model, alpha)
        grid["hour_vs_average"] = curve["vs_average"].to_numpy()[grid["hour"].to_numpy()]
        grid["hour_p_value"] = curve["p_value"].to_numpy()[grid["hour"].to_numpy()]
    else:  # dates without times: only the weekday is known
        grid["hour_vs_average"], grid["hour_p_value"] = 1.0, np.nan
    f = model.frame
    slot = f["weekday"].to_numpy() * 24 + f["hour"].to_numpy()
    n = np.bincount(slot, minlength=168)
    sums = np.bincount(slot, weights=model.residuals, minlength=168)
    grid["posts"] = n
    grid["deviation"] = stats.shrink_means(sums, n, model.residuals)
    hour_posts = np.bincount(f["hour"].to_numpy(), minlength=24)
    busy = busy_hours(hour_posts)
    grid["quiet"] = ~busy[grid["hour"].to_numpy()]
    grid["thin"] = (n < min_slot_posts) | grid["quiet"]
    grid.loc[grid["thin"], "deviation"] = 1.0  # too little data of its own: the platform pattern alone
    grid["expected_rate"] = model.base_rate * grid["vs_average"] * grid["deviation"]
    grid["shared"] = False  # True: the slots follow the rhythm of all platforms (see borrow_rhythm)
    grid["timed"] = model.has_hours  # False: the hour is not known, only the weekday
    return grid


def borrow_rhythm(grid: pd.DataFrame, shared: pd.DataFrame, base_rate: float) -> pd.DataFrame:
    """A platform's slot grid replaced by the pattern of all platforms
    (``shared``, the pooled model's grid), for a platform where no hour has
    enough posts to judge its own timing (its own curve there is an
    extrapolation from a few dozen posts) or whose export has no times. Every slot is thin (never
    confident), the quiet hours are those of all platforms together, and the
    expected rate keeps the platform's own level."""
    out = shared.sort_values(["weekday", "hour"]).reset_index(drop=True).copy()
    own = grid.sort_values(["weekday", "hour"]).reset_index(drop=True)
    out["platform"] = own["platform"]
    out["posts"] = own["posts"]
    out["deviation"] = 1.0
    out["thin"] = True
    out["expected_rate"] = base_rate * out["vs_average"]
    out["shared"] = True
    return out


def hour_curve(model: PlatformModel, alpha: float = 0.05) -> pd.DataFrame:
    """The model's hour pattern (weekday at its average): each hour's rate
    against the average hour, with its interval."""
    names = list(HOUR_TERMS)
    X = hour_terms(np.arange(24) + 0.5).to_numpy()
    posts = np.bincount(model.frame["hour"].to_numpy(), minlength=24)
    C = X - (posts / posts.sum()) @ X  # against the average post's hour
    b = model.params[names].to_numpy()
    V = model.cov.loc[names, names].to_numpy()
    est, se = C @ b, np.sqrt(np.einsum("ij,jk,ik->i", C, V, C))
    z = stats.z_value(alpha)
    p = wald_pvalue(est, np.where(se > 0, se, np.inf))
    return pd.DataFrame(
        {
            "platform": model.platform,
            "hour": np.arange(24),
            "vs_average": np.exp(est),
            "ci_low": np.exp(est - z * se),
            "ci_high": np.exp(est + z * se),
            "p_value": p,
            "posts": posts,
        }
    )


def busy_hours(hour_posts: np.ndarray, min_posts: int = MIN_HOUR_POSTS) -> np.ndarray:
    """Which of the 24 hours may be named best: those with at least
    ``min_posts`` posts and ``MIN_HOUR_SHARE`` of all. When no hour is that
    busy (a platform with a few dozen posts a year), the hours the platform
    posted in at all: elsewhere the curve is an extrapolation, not evidence."""
    hour_posts = np.asarray(hour_posts)
    busy = hour_posts >= max(min_posts, MIN_HOUR_SHARE * hour_posts.sum())
    return busy if busy.any() else hour_posts > 0


def thinly_posted(hour_posts: np.ndarray, min_posts: int = MIN_HOUR_POSTS) -> bool:
    """True when no hour reaches the bar of :func:`busy_hours` and the posted hours stand in."""
    hour_posts = np.asarray(hour_posts)
    return not (hour_posts >= max(min_posts, MIN_HOUR_SHARE * hour_posts.sum())).any()


def best_hour(model: PlatformModel, min_posts: int = MIN_HOUR_POSTS) -> int:
    """The hour whose pattern is highest (weekday held at its average), among
    :func:`busy_hours`: at hours nobody posts the curve is an extrapolation."""
    curve = hour_curve(model)
    seen = curve[busy_hours(curve["posts"].to_numpy(), min_posts)]
    return int(seen.sort_values("vs_average", ascending=False, kind="stable")["hour"].iloc[0])


def mark_confident(grids: pd.DataFrame, alpha: float = 0.05) -> pd.DataFrame:
    """``confident``: above the platform's average slot, and either the slot's
    hour above the average hour after Holm's correction across the busy hours
    of every platform in ``grids`` (``p_hour_holm``), or the slot itself above
    the average after Holm's correction across every slot (``p_holm``).
    Thin slots (few posts, or quiet hours) are never confident."""
    out = grids.copy()
    out["p_holm"] = stats.adjust_pvalues(out["p_value"].to_numpy(), "holm") if len(out) else []
    out["p_hour_holm"] = 1.0
    if len(out) and "hour_p_value" in out:
        # One test per hour and platform, over the hours that may be named best (not quiet, not borrowed).
        testable = ~out["quiet"].astype(bool) & ~out["shared"].astype(bool) & out["hour_p_value"].notna()
        hours = out[testable].drop_duplicates(["platform", "hour"])[["platform", "hour", "hour_p_value"]]
        if len(hours):
            hours = hours.assign(p_hour_holm=stats.adjust_pvalues(hours["hour_p_value"].to_numpy(), "holm"))
            merged = out[["platform", "hour"]].merge(hours[["platform", "hour", "p_hour_holm"]], on=["platform", "hour"], how="left")
            out["p_hour_holm"] = merged["p_hour_holm"].fillna(1.0).to_numpy()
    hour_called = (out["p_hour_holm"] < alpha) & (out.get("hour_vs_average", pd.Series(0.0, index=out.index)) > 1)
    slot_called = out["p_holm"] < alpha
    # A thin slot is never confident: its interval is the pattern's extrapolation, not its own posts.
    out["confident"] = (hour_called | slot_called) & (out["vs_average"] > 1) & ~out["thin"].astype(bool)
    return out


def rank_slots(grid: pd.DataFrame) -> pd.DataFrame:
    """One platform's slots in the order they are recommended: slots with
    posts of their own that beat the average first, then thin slots in busy
    hours (the platform pattern), then the rest; hours with little posting
    last, since their pattern is an extrapolation. Within a tier, by expected rate."""
    thin = grid["thin"].astype(bool)
    quiet = grid["quiet"].astype(bool) if "quiet" in grid else pd.Series(False, index=grid.index)
    tier = np.select([~thin & (grid["vs_average"] * grid["deviation"] > 1), thin & ~quiet, ~thin], [0, 1, 2], 3)
    return grid.assign(_tier=tier).sort_values(["_tier", "expected_rate"], ascending=[True, False], kind="stable").drop(columns="_tier")


def best_slots(grids: pd.DataFrame, per_platform: int = 3) -> pd.DataFrame:
    """The top slots of each platform (see :func:`rank_slots`), one per weekday."""
    rows = []
    for _, g in grids.groupby("platform", sort=True):
        ranked = rank_slots(g)
        rows.append(ranked.drop_duplicates("weekday").head(per_platform))
    return pd.concat(rows, ignore_index=True) if rows else grids.iloc[0:0]
