"""What the market analysis found: one frozen result, and the figures it leaves in summary.json."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from .audience import Target
from .benchmark import Benchmark
from .platform_score import PlatformScores
from .recommend import ROLES, Positioning


@dataclass(frozen=True)
class Result:
    brand: str
    competitors: tuple[str, ...]
    start: dt.date
    end: dt.date
    target: Target
    share_of_voice: pd.DataFrame  # brand: volume, share, ci_low, ci_high
    share_of_voice_weighted: pd.DataFrame  # the same, engagement-weighted (no interval)
    by_platform: pd.DataFrame  # platform, brand: volume, share, interval
    weekly: pd.DataFrame  # week x brand: share of voice
    weekly_weighted: pd.DataFrame
    weekly_by_platform: pd.DataFrame  # week x platform: our share of voice
    sentiment: pd.DataFrame  # brand: net sentiment and its interval
    benchmark: Benchmark
    trends: pd.DataFrame  # series, platform, brand: weekly growth, Holm p, direction
    fit: pd.DataFrame  # platform: audience fit
    facts: pd.DataFrame  # platform: reference facts
    scores: PlatformScores
    recommended: tuple[Positioning, ...]
    missing: dict[str, str] = field(default_factory=dict)  # section -> the sentence shown instead
    alpha: float = 0.05  # the tests' level (1 - alpha is the intervals' level)

    def has(self, section: str) -> bool:
        """The store holds what ``section`` needs (else :attr:`missing` says which export would fill it)."""
        return section not in self.missing

    def recommendation(self) -> dict[str, str | None]:
        """The platform for each role (None when fewer platforms were scored)."""
        roles = {p.role: p.platform for p in self.recommended}
        return {role: roles.get(role) for role in ROLES}

    @property
    def has_trends(self) -> bool:
        """Whether the window holds a complete week, so that weekly growth was fitted."""
        return not self.trends.empty

    @property
    def has_directions(self) -> bool:
        """Whether any weekly trend rises or falls clearly (else the trends are one sentence, without a table)."""
        return self.has_trends and bool(self.trends["direction"].isin(["rising", "falling"]).any())

    @property
    def has_audience(self) -> bool:
        """Whether the store has audience rows, so that audience fit was measured."""
        return not self.fit.empty

    @property
    def has_notes(self) -> bool:
        """Whether something was left out or could not be measured (see ``report.notes_text``)."""
        return bool(self.benchmark.excluded or self.benchmark.uncovered or not self.has_audience or not self.scores.cost_known)

    def to_summary(self) -> dict[str, Any]:
        sov = self.share_of_voice.set_index("brand")
        return {
            "brand": self.brand,
            "competitors": list(self.competitors),
            "window": {"start": self.start, "end": self.end},
            "share_of_voice": {b: round(float(s), 4) for b, s in sov["share"].items()},
            "share_of_voice_weighted": {b: round(float(s), 4) for b, s in self.share_of_voice_weighted.set_index("brand")["share"].items()},
            "net_sentiment": {b: None if pd.isna(v) else round(float(v), 4) for b, v in self.sentiment["net_sentiment"].items()},
            "engagement_basis": self.benchmark.definition,
            "benchmark_flags": [
                {
                    "platform": p,
                    "verdict": r["verdict"],
                    "ratio": round(float(r["ratio"]), 3),
                    "ci_low": round(float(r["ci_low"]), 3),
                    "ci_high": round(float(r["ci_high"]), 3),
                }
                for p, r in self.benchmark.flags().iterrows()
            ],
            "platform_scores": [
                {"platform": p, "score": round(float(r["score"]), 4), "rank": int(r["rank"]), "rank_stability": round(float(r["rank_stability"]), 3)}
                for p, r in self.scores.table.iterrows()
            ],
            "recommended": self.recommendation(),
        }
