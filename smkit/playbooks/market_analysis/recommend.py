"""The platform plan as data: which platforms are primary, secondary and test, and the figures behind each.

The sentences that present them are written by :mod:`.report`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from smkit import rules

from .audience import Target, top_interest
from .benchmark import Benchmark, interactions
from .platform_score import PlatformScores

ROLES = ("primary", "secondary", "test")  # the best-scoring platforms, in order
MIN_TYPE_POSTS = 10  # fewer posts of a content type and its rate is not quoted


@dataclass(frozen=True)
class Positioning:
    """One recommended platform, its role and the figures on content, users, interaction and distribution."""

    platform: str
    role: str
    # content: our most frequent content type there and the one with the highest raw rate (None without enough posts)
    main_type: str | None
    main_share: float
    main_rate: float
    best_type: str | None  # None when the most frequent type also has the highest rate
    best_share: float
    best_rate: float
    # users: the platform's audience fit and the matching users' top interest (None without audience data)
    fit: float | None
    interest: str | None
    interest_share: float
    # interaction: the interaction part that dominates, and our rate against competitors' (None without a comparison)
    top_part: str
    top_part_share: float
    ratio: float | None
    verdict: str | None
    # distribution: posting volume, ours and the competitors' mean (None without competitor posts)
    posts_per_week: float
    competitors_posts_per_week: float | None


def position(
    platform: str, role: str, posts: pd.DataFrame, bench: Benchmark, fit: pd.DataFrame, audience: pd.DataFrame, target: Target, brand: str
) -> Positioning:
    """The figures that position ``platform`` for ``brand``."""
    nan = float("nan")
    owned = posts[(posts["platform"] == platform) & (posts["account"] == brand) & (posts["channel"].fillna("owned") == "owned")]
    ours = owned[owned[bench.basis].fillna(0) > 0]  # rates need the basis; the interaction split does not
    inter = interactions(ours)
    by_type = (
        pd.DataFrame({"inter": inter, "base": ours[bench.basis], "type": ours["content_type"]})
        .groupby("type", observed=True)
        .agg(inter=("inter", "sum"), base=("base", "sum"), posts=("inter", "size"))
    )
    by_type = by_type[by_type["posts"] >= MIN_TYPE_POSTS]
    content: dict = {"main_type": None, "main_share": nan, "main_rate": nan, "best_type": None, "best_share": nan, "best_rate": nan}
    if len(by_type):
        rate = by_type["inter"] / by_type["base"]
        share = by_type["posts"] / by_type["posts"].sum()
        main, best = by_type["posts"].idxmax(), rate.idxmax()
        content.update(main_type=str(main), main_share=float(share[main]), main_rate=float(rate[main]))
        if best != main:
            content.update(best_type=str(best), best_share=float(share[best]), best_rate=float(rate[best]))
    interest = top_interest(audience, platform, target) if platform in fit.index else None
    split = owned[[c for c in rules.CROSS_PLATFORM_ENGAGEMENT if c in owned]].fillna(0).sum()
    comp = bench.comparisons.loc[platform] if platform in bench.comparisons.index else None
    acc = bench.accounts[(bench.accounts["platform"] == platform)].set_index("account")
    others = acc.drop(index=brand, errors="ignore")
    return Positioning(
        platform=platform,
        role=role,
        **content,
        fit=float(fit.loc[platform, "fit"]) if platform in fit.index else None,
        interest=interest[0] if interest else None,
        interest_share=interest[1] if interest else nan,
        top_part=str(split.idxmax()),
        top_part_share=float(split.max() / max(split.sum(), 1)),
        ratio=None if comp is None else float(comp["ratio"]),
        verdict=None if comp is None else str(comp["verdict"]),
        posts_per_week=float(acc.loc[brand, "posts_per_week"]),
        competitors_posts_per_week=float(others["posts_per_week"].mean()) if len(others) else None,
    )


def recommend(
    scores: PlatformScores, posts: pd.DataFrame, bench: Benchmark, fit: pd.DataFrame, audience: pd.DataFrame, target: Target, brand: str
) -> tuple[Positioning, ...]:
    """The best-scoring platforms, one per role, with their positioning figures."""
    return tuple(position(p, role, posts, bench, fit, audience, target, brand) for p, role in zip(scores.table.index, ROLES))
