"""Expected engagements per post, shrunk toward the norm of the creator's peers.

A creator list reports each creator's average engagements (likes + comments +
shares) over its last 30 days' posts. The norm is a robust regression within
each platform of log engagements on log followers and the category (Huber's
M-estimator, statsmodels ``RLM``): what a creator of this size and category
usually earns. The creator's own average is one noisy reading of its true
mean: one post's engagements vary around it like a lognormal with log-sd
``POST_SD`` (0.8, a coefficient of variation of about 0.95), so the log of an
average of ``n`` posts has variance ``v = log(1 + CV^2 / n)``. The estimate is
the normal-normal empirical Bayes posterior (:func:`smkit.methods.stats.shrink_known_variance`):
``B = v / (v + tau2)`` of the way toward the norm, where ``tau2`` is the
platform's spread of true creators around the norm (the regression's robust
residual variance minus the median ``v``). A creator with one post moves
about half way; one with 20 posts keeps most of its own average.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from smkit.methods import stats
from smkit.rules import interactions

POST_SD = 0.8
POST_CV2 = float(np.exp(POST_SD**2) - 1)
MIN_TAU2 = 0.01  # a floor on the creators' spread, so no creator is shrunk all the way
MIN_GROUP = 8  # creators a platform needs for its own regression; fewer are pooled with platform terms
MIN_CATEGORY = 3  # creators a category needs for its own term in the norm
ENGAGEMENT_PARTS = ("avg_likes", "avg_comments", "avg_shares")


@dataclass(frozen=True)
class Norm:
    """The regression's prediction and residual per creator, and each platform's spread."""

    predicted: pd.Series  # log engagements the norm expects
    predicted_var: pd.Series  # the prediction's own variance
    residual: pd.Series  # log engagements minus the norm
    scale: pd.Series  # the robust residual scale of the creator's platform
    tau2: pd.Series  # the spread of true creators around the norm, per creator's platform


def engagements(creators: pd.DataFrame) -> pd.Series:
    """Average engagements per post: likes + comments + shares, counting the parts reported."""
    parts = creators[[c for c in ENGAGEMENT_PARTS if c in creators]].rename(columns=lambda c: c.removeprefix("avg_"))
    return interactions(parts, ("likes", "comments", "shares"))


def sampling_variance(posts: pd.Series) -> pd.Series:
    """The variance of the log of an average over ``posts`` posts (missing or 0 posts count as 1)."""
    n = pd.to_numeric(posts, errors="coerce").fillna(1).clip(lower=1).astype(float)
    return np.log1p(POST_CV2 / n)


def fit_norm(creators: pd.DataFrame, usable: pd.Series) -> Norm:
    """Robust regression of log engagements on log followers (and category) within each platform."""
    import statsmodels.api as sm

    y = np.log(engagements(creators).where(usable))
    logf = np.log(pd.to_numeric(creators["followers"], errors="coerce").astype(float).where(usable))
    v = sampling_variance(creators.get("posts_30d", pd.Series(np.nan, index=creators.index)))
    predicted = pd.Series(np.nan, index=creators.index)
    pred_var = pd.Series(np.nan, index=creators.index)
    scale = pd.Series(np.nan, index=creators.index)
    tau2 = pd.Series(np.nan, index=creators.index)
    groups = _groups(creators, usable)
    for rows, with_platform in groups:
        design = _design(creators.loc[rows], logf[rows], with_platform)
        if len(rows) < design.shape[1] + 2:
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fit = sm.RLM(y[rows].to_numpy(), design.to_numpy(dtype=float), M=sm.robust.norms.HuberT()).fit()
        x = design.to_numpy(dtype=float)
        predicted[rows] = x @ fit.params
        pred_var[rows] = np.einsum("ij,jk,ik->i", x, np.asarray(fit.cov_params()), x)
        s = float(fit.scale)
        keys = creators.loc[rows, "platform"] if with_platform else pd.Series("", index=rows)
        for _, idx in keys.groupby(keys).groups.items():
            resid = y[idx] - predicted[idx]
            own = float(stats_mad(resid)) if len(idx) >= MIN_GROUP else s
            scale[idx] = own
            tau2[idx] = max(own**2 - float(v[idx].median()), MIN_TAU2)
    return Norm(predicted, pred_var, y - predicted, scale, tau2)


def stats_mad(values: pd.Series) -> float:
    """The normalised median absolute deviation (1.4826 MAD), a robust standard deviation."""
    values = values.dropna()
    return float(1.4826 * (values - values.median()).abs().median()) if len(values) else float("nan")


def _groups(creators: pd.DataFrame, usable: pd.Series) -> list[tuple[pd.Index, bool]]:
    """Platforms with enough creators alone; the rest pooled, with a term per platform."""
    rows = creators.index[usable]
    sizes = creators.loc[rows, "platform"].value_counts()
    big = [p for p, n in sizes.items() if n >= MIN_GROUP]
    out = [(rows[creators.loc[rows, "platform"] == p], False) for p in big]
    rest = rows[~creators.loc[rows, "platform"].isin(big)]
    if len(rest):
        out.append((rest, True))
    return out


def _design(frame: pd.DataFrame, logf: pd.Series, with_platform: bool) -> pd.DataFrame:
    design = pd.DataFrame({"const": 1.0, "log_followers": logf}, index=frame.index)
    terms = ["platform"] if with_platform else []
    if "category" in frame:
        terms.append("category")
    for term in terms:
        values = frame[term].astype("string").fillna("").astype(str)  # a column the list left empty reads as float
        counts = values.value_counts()
        keep = [c for c in counts.index if counts[c] >= MIN_CATEGORY and c]
        for level in sorted(keep)[1:] if len(keep) == values.nunique() else sorted(keep):
            design[f"{term}={level}"] = (values == level).astype(float)
    return design


def expected_engagements(creators: pd.DataFrame, norm: Norm, z: float = 1.96) -> pd.DataFrame:
    """Per creator: the shrunk log engagements and expected engagements per post with an interval.

    Columns ``expected``, ``expected_low``, ``expected_high``, ``own_average``,
    ``shrink_weight`` (the weight on the norm) and ``posts``.
    """
    y = np.log(engagements(creators))
    v = sampling_variance(creators.get("posts_30d", pd.Series(np.nan, index=creators.index)))
    ok = y.notna() & norm.predicted.notna() & np.isfinite(y)
    out = pd.DataFrame(index=creators.index, columns=["expected", "expected_low", "expected_high", "shrink_weight"], dtype=float)
    if ok.any():
        theta = np.full(int(ok.sum()), np.nan)
        var = np.full(int(ok.sum()), np.nan)
        weight = np.full(int(ok.sum()), np.nan)
        for tau2 in norm.tau2[ok].unique():
            sel = (norm.tau2[ok] == tau2).to_numpy()
            shrunk = stats.shrink_known_variance(
                y[ok].to_numpy()[sel],
                v[ok].to_numpy()[sel],
                norm.predicted[ok].to_numpy()[sel],
                tau2=float(tau2),
                prior_variance=norm.predicted_var[ok].to_numpy()[sel],
            )
            theta[sel], var[sel], weight[sel] = shrunk.estimate, shrunk.variance, shrunk.weight
        half = z * np.sqrt(var)
        out.loc[ok, "expected"] = np.exp(theta)
        out.loc[ok, "expected_low"] = np.exp(theta - half)
        out.loc[ok, "expected_high"] = np.exp(theta + half)
        out.loc[ok, "shrink_weight"] = weight
    out["own_average"] = engagements(creators)
    out["posts"] = pd.to_numeric(creators.get("posts_30d", pd.Series(np.nan, index=creators.index)), errors="coerce")
    return out
