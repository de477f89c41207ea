"""The community report's one result and the figures it leaves in ``summary.json``."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

import pandas as pd

from .churn import Churn
from .events import EventEffects
from .feedback import Feedback
from .points import Economy
from .potential import Potential

# Why a section is empty: the store has no such table, the table has no rows in reach.
NO_TABLE, NO_ROWS = "no table", "no rows"
NO_BRAND = "no brand"  # mentions of several brands and none named ours


def _num(value) -> float | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else round(float(value), 4)


@dataclass(frozen=True)
class Result:
    """Everything the report shows, computed once."""

    start: dt.date
    end: dt.date
    active: int  # members active in the window
    active_previous: int  # in the equally long period before it
    daily: pd.DataFrame  # day -> active, contributions (the window and its pre-period)
    events: EventEffects | None
    events_status: str
    economy: Economy
    expiry_days: int
    yuan_per_point: float
    funnel: pd.DataFrame
    churn: Churn
    feedback: Feedback | None
    feedback_status: str
    personas: pd.DataFrame  # topic x persona index
    persona_source: str  # "persona" or "interest"
    personas_status: str
    pre_days: int = 56
    level_window_days: int = 90
    active_days: int = 4
    core_contributions: int = 20
    rules_file_name: str = "points_rules.csv"
    keywords_file_name: str = "feedback_keywords.csv"
    potential: Potential | None = None
    potential_status: str = NO_TABLE
    brand: str = ""
    tasks: pd.DataFrame = field(default_factory=pd.DataFrame)  # per growth task: members, completed, share, in window
    tasks_file_name: str = "growth_tasks.csv"

    @property
    def has_potential(self) -> bool:
        return self.potential is not None and self.potential.engaged > 0

    @property
    def has_events(self) -> bool:
        return self.events is not None and not self.events.per_event.empty

    @property
    def has_feedback(self) -> bool:
        return self.feedback is not None and self.feedback.received > 0

    @property
    def has_personas(self) -> bool:
        return not self.personas.empty

    def to_summary(self) -> dict:
        """The figures ``summary.json`` holds (event effects on daily active members, on the relative scale)."""
        effects = self.events.per_event[self.events.per_event["metric"] == "active"] if self.has_events else pd.DataFrame()
        types = self.events.per_type[self.events.per_type["metric"] == "active"] if self.has_events else pd.DataFrame()
        fb = self.feedback.per_category if self.has_feedback else pd.DataFrame()
        return {
            "start": str(self.start),
            "end": str(self.end),
            "active_members": self.active,
            "event_effects": [
                {
                    "event_id": r.event_id,
                    "type": r.type,
                    "relative_lift": _num(r.relative_lift),
                    "ci_low": _num(r.ci_low),
                    "ci_high": _num(r.ci_high),
                    "significant": bool(r.significant),
                }
                for r in effects.itertuples()
            ],
            "event_type_effects": [
                {
                    "type": r.type,
                    "events": int(r.events),
                    "relative_lift": _num(r.relative_lift),
                    "ci_low": _num(r.ci_low),
                    "ci_high": _num(r.ci_high),
                    "significant": bool(r.significant),
                }
                for r in types.itertuples()
            ],
            "event_interval": self.events.interval if self.events is not None else None,
            "churn_auc": _num(self.churn.auc),
            "churn_test_cutoff": str(self.churn.test_cutoff.date()) if self.churn.test_cutoff is not None else None,
            "at_risk": self.churn.segments.get("at_risk"),
            "points": {
                "earned": _num(self.economy.earned),
                "redeemed": _num(self.economy.redeemed),
                "expired": _num(self.economy.expired_total),
                "outstanding": _num(self.economy.outstanding),
                "liability_yuan": _num(self.economy.liability),
            },
            "potential_users": (
                {"engaged": self.potential.engaged, "members": self.potential.members, "potential": self.potential.potential} if self.has_potential else None
            ),
            "benefits_by_level": [
                {
                    "level": level,
                    "members": int(r.members),
                    "redeemers": int(r.redeemers),
                    "share_redeemed": _num(r.share),
                    "points_redeemed": _num(r.points),
                    "points_per_member": _num(r.per_member),
                }
                for level, r in self.economy.benefits.iterrows()
            ],
            "growth_tasks": [
                {
                    "task": r.task,
                    "members": int(r.members),
                    "completed": None if r.completed is None or pd.isna(r.completed) else int(r.completed),
                    "share": _num(r.share),
                    "completed_in_window": None if r.in_window is None or pd.isna(r.in_window) else int(r.in_window),
                }
                for r in self.tasks.itertuples()
            ],
            "feedback": [
                {
                    "category": r.category,
                    "count": int(r.count),
                    "median_hours_to_first_response": _num(r.median_hours_to_first_response),
                    "median_hours_to_resolution": _num(r.median_hours_to_resolution),
                    "open": int(r.open),
                }
                for r in fb.itertuples()
            ],
        }
