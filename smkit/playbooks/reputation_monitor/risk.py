"""Risk levels I to IV from four factors, and reach.

Each factor is compared with thresholds for levels II, III and IV
(:class:`RiskThresholds`): magnitude (peak mentions over the usual day),
negative share, velocity (the alert's busiest hour against the usual busiest
hour of a day) and reach (followers of the distinct authors of negative
mentions, each counted once). The level is the highest at which at least
``min_factors`` factors reach their threshold; every alert is at least I.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

LEVEL_NAMES = {0: "none", 1: "I (watch)", 2: "II (moderate)", 3: "III (serious)", 4: "IV (critical)"}
FACTORS = ("magnitude", "negative_share", "velocity", "reach")
FACTOR_LABELS = {
    "magnitude": "mentions over baseline",
    "negative_share": "negative share",
    "velocity": "busiest hour over the usual busiest hour",
    "reach": "followers of the authors of negative mentions",
}


@dataclass(frozen=True)
class RiskThresholds:
    """Thresholds of each factor for levels II, III and IV (defaults in the README)."""

    magnitude: tuple[float, float, float] = (2.0, 3.0, 5.0)  # peak-day mentions over baseline
    negative_share: tuple[float, float, float] = (0.35, 0.50, 0.65)  # negative mentions over all, alert days
    velocity: tuple[float, float, float] = (3.0, 5.0, 10.0)  # the alert's busiest hour over the usual day's busiest hour
    reach: tuple[float, float, float] = (100_000, 1_000_000, 10_000_000)  # followers of the distinct authors of negative mentions
    min_factors: int = 2  # factors that must reach a level for the alert to have it

    def __post_init__(self):
        for name in FACTORS:
            values = getattr(self, name)
            if len(values) != 3 or list(values) != sorted(values):
                raise ValueError(f"{name} needs three increasing thresholds (II, III, IV), got {values}")
        if not 1 <= self.min_factors <= 4:
            raise ValueError(f"min_factors must be 1 to 4, got {self.min_factors}")


def _fmt(name: str, value: float) -> str:
    if name == "negative_share":
        return f"{value:.0%}"
    if name == "reach":
        return f"{value:,.0f}"
    return f"{value:.1f}x"


def _known(value: float | None) -> bool:
    return value is not None and bool(np.isfinite(value))


def grades(factors: dict[str, float], thresholds: RiskThresholds = RiskThresholds()) -> dict[str, int]:
    """Each factor's grade, 1 to 4: 1 plus the number of its thresholds it reaches (1 when unknown)."""
    return {name: 1 + sum(value >= t for t in getattr(thresholds, name)) if _known(value) else 1 for name, value in factors.items()}


def risk_level(factors: dict[str, float], thresholds: RiskThresholds = RiskThresholds()) -> tuple[int, list[str]]:
    """The level (1 to 4) of an alert and the reasons, each naming a factor, its
    value and the threshold it met (the reasons are part of summary.json)."""
    graded = grades(factors, thresholds)
    level = max([lv for lv in (4, 3, 2) if sum(g >= lv for g in graded.values()) >= thresholds.min_factors] or [1])
    reasons = []
    for name, value in factors.items():
        g = graded[name]
        if g >= 2:
            limit = getattr(thresholds, name)[g - 2]
            reasons.append(f"{FACTOR_LABELS[name]} {_fmt(name, value)} ≥ {_fmt(name, limit)} (level {'I II III IV'.split()[g - 1]})")
        else:
            shown = _fmt(name, value) if _known(value) else "not available"
            reasons.append(f"{FACTOR_LABELS[name]} {shown} (below level II)")
    return level, reasons


def reach(mentions: pd.DataFrame, by: str | None = None):
    """Followers of the distinct authors of ``mentions``: each (platform,
    author) once, at their largest follower count; mentions without an author
    count on their own. A float, or a Series per value of ``by``."""
    keys = ([by] if by else []) + ["platform", "author"]
    per_author = mentions.groupby(keys)["author_followers"].max().astype(float)  # rows without an author drop out here
    anonymous = mentions[mentions["author"].isna()]
    if by is None:
        return float(per_author.sum() + anonymous["author_followers"].astype(float).sum())
    return per_author.groupby(level=0).sum().add(anonymous.groupby(by)["author_followers"].sum().astype(float), fill_value=0)
