"""The campaign post-mortem's result: every figure the report shows, computed once."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from .inputs import Campaign
from .kpis import Lift, lift_estimates
from .suggestions import Suggestion
from .wording import suggestion_text


@dataclass(frozen=True)
class Result:
    """The post-mortem of one campaign.

    ``lift_notes`` holds ``(metric, reason)`` for each metric with no lift
    estimate; ``mentions`` is empty when the store has no mentions table.
    """

    campaign: Campaign
    brand: str
    kpis: pd.DataFrame
    cost: dict
    channels: pd.DataFrame
    creators: pd.DataFrame
    content_types: pd.DataFrame
    top_posts: pd.DataFrame
    funnel: pd.DataFrame
    lifts: tuple[Lift, ...]
    lift_notes: tuple[tuple[str, ValueError], ...]  # (metric, why: causal.NotEstimable says it in either language)
    mentions: pd.DataFrame
    suggestions: tuple[Suggestion, ...]
    missing: dict[str, str] = field(default_factory=dict)  # section -> the sentence shown instead
    league: pd.DataFrame = field(default_factory=pd.DataFrame)  # every ended campaign (:func:`.league.league_table`)
    league_notes: tuple[tuple[str, ValueError], ...] = ()  # (campaign_id, why it is not in the league)
    funnel_left_out: dict[str, int] = field(default_factory=dict)  # stage -> days the export leaves it empty (:func:`.funnel.left_out`)

    def has(self, section: str) -> bool:
        """The store holds what ``section`` needs (else :attr:`missing` says which export would fill it)."""
        return section not in self.missing

    @property
    def has_lifts(self) -> bool:
        """Whether any metric has a lift estimate (else ``lift_notes`` say why)."""
        return bool(self.lifts)

    @property
    def has_mentions(self) -> bool:
        return not self.mentions.empty

    @property
    def lift_table(self) -> pd.DataFrame:
        """Effect per metric with intervals and Holm-adjusted p-values."""
        return lift_estimates(self.lifts)

    def efficiency(self, by: str) -> pd.DataFrame:
        """The efficiency table by ``channel``, ``creator`` or ``content_type``."""
        tables = {"channel": self.channels, "creator": self.creators, "content_type": self.content_types}
        if by not in tables:
            raise ValueError(f"unknown breakdown {by!r}; valid: {', '.join(tables)}")
        return tables[by]

    def to_summary(self, lang: str = "zh") -> dict:
        """The ``summary.json`` figures of the campaign post-mortem; the
        suggestion sentences in ``lang`` (the numbers do not depend on it)."""
        return {
            "campaign_id": self.campaign.campaign_id,
            "kpis": {
                m: {"actual": r["actual"], "target": r["target"], "attainment": r["attainment"], "baseline": r["baseline"]} for m, r in self.kpis.iterrows()
            },
            "lift": {
                lift.metric: {
                    "absolute": lift.campaign.absolute,
                    "ci_low": lift.campaign.ci_low,
                    "ci_high": lift.campaign.ci_high,
                    "relative": lift.campaign.relative,
                    "rel_ci_low": lift.campaign.rel_ci_low,
                    "rel_ci_high": lift.campaign.rel_ci_high,
                    "p_value": lift.campaign.p_value,
                }
                for lift in self.lifts
            },
            "cost": {k: self.cost.get(k) for k in ("cpm", "cpe", "cpc", "cpa", "roi")},
            "funnel_left_out": dict(self.funnel_left_out),
            "channels": [{"channel": str(i), "spend": r["spend"], "conversions": r["conversions"], "cpa": r["cpa"]} for i, r in self.channels.iterrows()],
            "suggestions": [suggestion_text(s, lang) for s in self.suggestions],
            "league": [
                {
                    "campaign_id": str(i),
                    "led_by": r["led_by"],
                    "relative": r["relative"],
                    "relative_low": r["relative_low"],
                    "relative_high": r["relative_high"],
                    "spend": r["spend"],
                    "cost_per_thousand_views": r["cost_per_thousand_views"],
                    "roi": r["roi"],
                    "differs_from_top": r["differs_from_top"],
                }
                for i, r in self.league.iterrows()
            ],
        }
