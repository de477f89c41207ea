"""The monitor's result, its summary.json and its alerts.json."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd

from smkit.playbooks.reputation_monitor.alerts import Alert
from smkit.playbooks.reputation_monitor.risk import LEVEL_NAMES, RiskThresholds

SUMMARY_ALERT_KEYS = ("start", "end", "level", "metric", "magnitude", "reasons")


@dataclass(frozen=True)
class Result:
    brand: str
    start: dt.date
    end: dt.date
    daily: pd.DataFrame = field(repr=False)  # the brand's mentions per day with detector outputs
    breakdown: dict = field(repr=False)  # table name -> frame (brand, platform, earned_owned and topic where there is one)
    alerts: tuple[Alert, ...]
    replies: dict = field(repr=False)  # reply figures over the window; "unanswered": its unanswered negative mentions
    thresholds: RiskThresholds
    detector: str

    @property
    def alert_level(self) -> int:
        return max((a.level for a in self.alerts), default=0)

    @property
    def has_alerts(self) -> bool:
        return bool(self.alerts)

    @property
    def has_topics(self) -> bool:
        """Whether the mentions carry a topic, so there is word of mouth by topic."""
        return "topic" in self.breakdown

    @property
    def has_unanswered(self) -> bool:
        return not self.replies["unanswered"].empty

    @property
    def mentions(self) -> int:
        """The brand's earned mentions in the window."""
        return int(self.breakdown["brand"]["mentions"].get(self.brand, 0))

    @property
    def worst_alert(self) -> Alert | None:
        """The alert with the highest level (the latest among equals)."""
        return max(self.alerts, key=lambda a: (a.level, a.start)) if self.alerts else None

    def to_summary(self) -> dict:
        """What summary.json holds."""
        by_brand = self.breakdown["brand"]
        return {
            "brand": self.brand,
            "start": self.start,
            "end": self.end,
            "alert_level": self.alert_level,
            "alerts": [{k: a.to_dict()[k] for k in SUMMARY_ALERT_KEYS} for a in self.alerts],
            "net_sentiment": {b: (None if pd.isna(v) else round(float(v), 4)) for b, v in by_brand["net_sentiment"].items()},
            "volume": {b: int(v) for b, v in by_brand["mentions"].items()},
        }

    def alerts_json(self) -> dict:
        """What ``alerts.json`` holds: the level, each alert in full, and the thresholds used."""
        return {
            "brand": self.brand,
            "window": [self.start.isoformat(), self.end.isoformat()],
            "alert_level": self.alert_level,
            "level_name": LEVEL_NAMES[self.alert_level],
            "alerts": [a.to_dict() for a in self.alerts],
            "thresholds": asdict(self.thresholds),
            "detector": self.detector,
        }

    def write_alerts(self, folder: Path) -> Path:
        """Write ``alerts.json`` into ``folder``."""
        path = Path(folder) / "alerts.json"
        # allow_nan=False: a NaN would make the file invalid JSON; missing numbers are null (see Alert.to_dict).
        path.write_text(json.dumps(self.alerts_json(), ensure_ascii=False, indent=2, default=str, allow_nan=False), encoding="utf-8")
        return path
