"""The analysis' one result, and the figures it leaves for the runner (``summary.json``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from .cadence import Cadence
from .retention import retention_summary
from .settings import Settings


@dataclass(frozen=True)
class Result:
    """Everything the report shows, computed once."""

    settings: Settings
    start: dt.date
    end: dt.date
    definitions: pd.DataFrame  # per platform: interactions counted, exposure, posts and posts used
    effects: pd.DataFrame  # content-type rate ratios with Holm calls
    completion: pd.DataFrame  # completion rate by type within each form
    grids: pd.DataFrame  # every slot of every modelled platform
    slots: pd.DataFrame  # the best slots of each platform
    best_hours: dict[str, int]
    cadences: list[Cadence]
    cadence_table: pd.DataFrame  # median engagement per post by posts that day
    keywords: pd.DataFrame
    topics: pd.DataFrame
    scores: pd.DataFrame
    apart: pd.DataFrame  # traits of the best and the worst tenth
    calendar: pd.DataFrame
    hours: pd.DataFrame  # hour patterns: each platform's and the pooled one
    notes: dict[str, str] = field(default_factory=dict)  # platform -> why it has no model
    retention: pd.DataFrame = field(default_factory=pd.DataFrame)  # retention and cover metrics by type and length (.retention)
    retention_links: pd.DataFrame = field(default_factory=pd.DataFrame)  # what they go with: engagement and distribution
    copy_findings: pd.DataFrame = field(default_factory=pd.DataFrame)  # the pre-publish copy check of the plan's themes (plan.COPY_COLUMNS)

    @property
    def has_retention(self) -> bool:
        """True when a platform exports 5-second retention, 2-second bounce or cover click-through for enough posts."""
        return not self.retention.empty

    @property
    def has_models(self) -> bool:
        """True when at least one platform could be modelled (so there are slots to show)."""
        return not self.grids.empty

    @property
    def has_effects(self) -> bool:
        return not self.effects.empty

    @property
    def has_completion(self) -> bool:
        return not self.completion.empty

    @property
    def has_hour_slots(self) -> bool:
        """True when a modelled platform's slots have hours (its export gave times, or it follows one that did)."""
        return "timed" in self.grids and bool(self.grids["timed"].any())  # no models: a frame without columns

    @property
    def has_hours(self) -> bool:
        return not self.hours.empty

    @property
    def has_cadence(self) -> bool:
        return bool(self.cadences)

    @property
    def has_cadence_curve(self) -> bool:
        return not self.cadence_table.empty

    @property
    def has_keywords(self) -> bool:
        return not self.keywords.empty

    @property
    def has_topics(self) -> bool:
        return not self.topics.empty

    @property
    def has_apart(self) -> bool:
        return not self.apart.empty

    @property
    def has_plan(self) -> bool:
        return not self.calendar.empty

    @property
    def copy_checked(self) -> int:
        """How many planned posts carry copy (a theme) that was checked."""
        return int((self.calendar["copy_check"] != "").sum()) if "copy_check" in self.calendar else 0

    @property
    def has_copy_findings(self) -> bool:
        return not self.copy_findings.empty

    def to_summary(self) -> dict:
        """The key figures the runner keeps (``summary.json``); ``retention`` only where a platform exports it."""
        summary = {
            "type_effects": [{k: r[k] for k in ("platform", "content_type", "rate_ratio", "ci_low", "ci_high")} for r in self.effects.to_dict("records")],
            "best_slots": [
                {
                    "platform": r["platform"],
                    "weekday": int(r["weekday"]),
                    "hour": int(r["hour"]) if r["timed"] else None,  # None: the export gave dates only
                    "expected_rate": float(r["expected_rate"]),
                    "confident": bool(r["confident"]),
                }
                for r in self.slots.to_dict("records")
            ],
            "cadence": {c.platform: int(c.recommended_per_week) for c in self.cadences},
            "top_keywords": [str(k) for k in self.keywords.loc[self.keywords["multiplier"] > 1, "keyword"].head(self.settings.top_n)],
            "calendar_rows": int(len(self.calendar)),
        }
        if self.has_retention:
            summary["retention"] = retention_summary(self.retention, self.retention_links)
        return summary
