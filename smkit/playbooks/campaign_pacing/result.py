"""The pacing report's result: every figure the report shows, computed once."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from smkit.methods.campaigns import Campaign

from .pacing import Move


@dataclass(frozen=True)
class Result:
    """A campaign in flight on ``day`` (day ``days_elapsed`` of ``days_total``).

    ``metrics`` holds one row per target metric: ``actual`` so far,
    ``expected_by_now`` (the target's trajectory), ``target``, ``projected``
    with ``projected_low``/``projected_high``, ``chance_to_meet``;
    ``curves`` per metric the cumulative actual, trajectory and projection per
    campaign day; ``alerts`` the metrics whose chance is below ``chance_alert``.
    """

    campaign: Campaign
    brand: str
    day: dt.date
    days_elapsed: int
    days_total: int
    metrics: pd.DataFrame
    curves: dict[str, pd.DataFrame]
    spend: dict
    channels: pd.DataFrame
    creators: pd.DataFrame
    moves: tuple[Move, ...]
    chance_alert: float
    alpha: float
    pre_days: int = 90
    notes: tuple[tuple[str, str | ValueError], ...] = ()  # (metric, why it has no projection: a code or a causal.NotEstimable)
    missing: dict[str, str] = field(default_factory=dict)

    def has(self, section: str) -> bool:
        return section not in self.missing

    @property
    def alerts(self) -> list[str]:
        """Target metrics whose chance of being met is below :attr:`chance_alert`."""
        chances = self.metrics["chance_to_meet"].dropna() if "chance_to_meet" in self.metrics else pd.Series(dtype=float)
        return [str(m) for m, c in chances.items() if c < self.chance_alert]

    def to_summary(self) -> dict:
        """The ``summary.json`` figures (``alerts`` feeds the response plan's notification)."""
        return {
            "campaign_id": self.campaign.campaign_id,
            "brand": self.brand,
            "day": str(self.day),
            "days_elapsed": self.days_elapsed,
            "days_total": self.days_total,
            "metrics": {
                str(m): {
                    "actual": r["actual"],
                    "expected_by_now": r["expected_by_now"],
                    "target": r["target"],
                    "projected": r["projected"],
                    "projected_low": r["projected_low"],
                    "projected_high": r["projected_high"],
                    "chance_to_meet": r["chance_to_meet"],
                }
                for m, r in self.metrics.iterrows()
            },
            "spend": {k: self.spend.get(k) for k in ("spent", "budget", "projected", "pace", "status")},
            "chance_alert": self.chance_alert,
            "pacing_alerts": [
                {"metric": m, "chance_to_meet": float(self.metrics.at[m, "chance_to_meet"]), "target": float(self.metrics.at[m, "target"])} for m in self.alerts
            ],
            "moves": [{"by": m.by, "from": m.worst, "to": m.best, "action": m.action, "p_value": m.p_value} for m in self.moves],
        }
