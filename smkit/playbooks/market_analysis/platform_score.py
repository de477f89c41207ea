"""The platform score: criteria per platform, their weighted mean, and how the ranking moves with the weights."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from smkit import rules

from .benchmark import Benchmark

CRITERIA = {
    "audience_fit": "share of the platform's audience matching the target",
    "engagement": "our engagement rate on the platform",
    "growth": "our follower growth per 30 days",
    "cost": "our spend per interaction (lower is better)",
    "resources": "the team's capacity for the platform",
}
DEFAULT_WEIGHTS = {"audience_fit": 0.3, "engagement": 0.25, "growth": 0.15, "cost": 0.15, "resources": 0.15}


@dataclass(frozen=True)
class PlatformScores:
    """Weighted platform scores and how they move with the weights."""

    criteria: pd.DataFrame  # raw criterion values per platform
    normalised: pd.DataFrame  # 0..1, higher is better; missing values set to 0.5
    weights: dict[str, float]
    table: pd.DataFrame  # score, rank, rank_stability, top_share
    rank_share: pd.DataFrame  # platform x rank: share of weight draws
    top: int
    concentration: float
    draws: int

    @property
    def cost_known(self) -> bool:
        """Whether spend separates platforms: it is recorded on at least two of them."""
        return bool(self.criteria["cost"].notna().sum() >= 2)


def score_platforms(
    criteria: pd.DataFrame, weights: dict[str, float], *, top: int = 3, concentration: float = 20.0, draws: int = 2000, seed: int = 0
) -> PlatformScores:
    """Score platforms on normalised criteria and test the ranking against the weights.

    Each criterion is divided by the best platform's value (for cost, the
    best value is divided by the platform's), so 0.5 means half as good as
    the best; a criterion that can be negative (growth) is min-max scaled
    instead. A platform without a value gets 0.5, so missing data neither
    helps much nor hurts much. The weights are then drawn from a
    Dirichlet distribution centred on the given ones (``concentration`` 20
    moves a weight of 0.2 by about ±0.09); ``rank_stability`` is the share of
    draws in which a platform keeps its rank, ``top_share`` the share in which
    it stays among the first ``top``.
    """
    if criteria.empty:
        raise ValueError("no platform to score: the window has no posts of the brand")
    names = [c for c in CRITERIA if weights.get(c, 0) > 0]
    if not names:
        raise ValueError(f"weights: at least one criterion needs a positive weight ({', '.join(CRITERIA)})")
    norm = pd.DataFrame(index=criteria.index)
    for name in CRITERIA:
        norm[name] = _scale(criteria[name].astype(float), lower_is_better=name == "cost").fillna(0.5)
    w = np.array([weights[n] for n in names], dtype=float)
    w = w / w.sum()
    x = norm[names].to_numpy()
    score = x @ w
    rank = pd.Series(score, index=norm.index).rank(ascending=False, method="first").astype(int)
    rng = np.random.default_rng(seed)
    sampled = rng.dirichlet(w * concentration, size=draws) if len(names) > 1 else np.ones((draws, 1))
    sampled_scores = x @ sampled.T  # platforms x draws
    sampled_ranks = (-sampled_scores).argsort(axis=0).argsort(axis=0) + 1
    rank_share = pd.DataFrame({r: (sampled_ranks == r).mean(axis=1) for r in range(1, len(norm) + 1)}, index=norm.index)
    table = pd.DataFrame(
        {
            "score": score,
            "rank": rank,
            "rank_stability": (sampled_ranks == rank.to_numpy()[:, None]).mean(axis=1),
            "top_share": (sampled_ranks <= top).mean(axis=1),
        },
        index=norm.index,
    ).sort_values("rank")
    return PlatformScores(criteria, norm, dict(zip(names, w)), table, rank_share.loc[table.index], top, concentration, draws)


def _scale(values: pd.Series, lower_is_better: bool = False) -> pd.Series:
    """0..1, 1 for the best platform; see :func:`score_platforms`."""
    lo, hi = values.min(), values.max()
    if not np.isfinite(hi) or hi == lo:
        return values * 0 + 0.5
    if lo >= 0:
        return lo / values.where(values > 0) if lower_is_better else values / hi
    scaled = (values - lo) / (hi - lo)
    return 1 - scaled if lower_is_better else scaled


def build_criteria(posts: pd.DataFrame, daily: pd.DataFrame, bench: Benchmark, fit: pd.DataFrame, brand: str, resources: dict[str, float]) -> pd.DataFrame:
    """One row per platform our brand posts on, one column per criterion."""
    ours = bench.accounts[bench.accounts["account"] == brand].set_index("platform")
    criteria = pd.DataFrame(index=ours.index)
    criteria["audience_fit"] = fit["fit"].reindex(criteria.index) if len(fit) else np.nan
    criteria["engagement"] = ours["rate"]
    criteria["growth"] = ours["follower_growth_30d"]
    criteria["cost"] = _spend_per_interaction(posts, daily, brand).reindex(criteria.index)
    capacity = ours["posts_per_week"] / ours["posts_per_week"].max()
    unknown = set(resources) - set(criteria.index)
    if unknown:
        raise ValueError(f"resources: no posts of {brand} on {', '.join(sorted(unknown))}; platforms are {', '.join(criteria.index)}")
    criteria["resources"] = pd.Series(resources, dtype=float).reindex(criteria.index).fillna(capacity) if resources else capacity
    return criteria


def _spend_per_interaction(posts: pd.DataFrame, daily: pd.DataFrame, brand: str) -> pd.Series:
    """Spend on posts (fees) and on the brand's accounts, per interaction, per platform; NaN without spend."""
    ours = posts[posts["account"] == brand]
    spend = ours.groupby("platform", observed=True)["spend"].sum(min_count=1) if "spend" in ours else pd.Series(dtype=float)
    if "spend" in daily:
        account_spend = daily[daily["account"] == brand].groupby("platform", observed=True)["spend"].sum(min_count=1)
        spend = spend.add(account_spend, fill_value=0) if len(spend) else account_spend
    inter = rules.interactions(ours, rules.CROSS_PLATFORM_ENGAGEMENT).fillna(0).groupby(ours["platform"], observed=True).sum()
    cost = spend.reindex(inter.index) / inter
    return cost.where(cost > 0)
