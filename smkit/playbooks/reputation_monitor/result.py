"""The monitor's result, its summary.json and its alerts.json.

Both files carry each alert's severity as a number that grows with danger
(``alert_level`` / ``level``: 0 none, 1 = Ⅳ级 一般 (蓝色) ... 4 = Ⅰ级 特别重大
(红色)) beside its name in the run's language (``alert_level_name`` /
``level_name``). Why an alert has its level is kept twice: ``factors``, one
record per factor (``factor``, ``value``, ``threshold`` met or null,
``severity`` that threshold stands for), and ``reasons``, the same as
sentences in the run's language."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd

from smkit import i18n
from smkit.methods.response import TRACKING_COLUMNS, response_fields
from smkit.methods.score_cache import Scoring
from smkit.playbooks.reputation_monitor.alerts import Alert
from smkit.playbooks.reputation_monitor.risk import RiskThresholds, level_name, reason_text

SUMMARY_ALERT_KEYS = ("start", "end", "level", "level_name", "metric", "magnitude", "reasons", "factors")


def alert_record(alert: Alert, lang: str = i18n.DEFAULT_LANGUAGE) -> dict:
    """The alert as the monitor's files hold it: :meth:`Alert.to_dict` plus its
    level's name and the reasons as sentences in ``lang``."""
    return {**alert.to_dict(), "level_name": level_name(alert.level, lang), "reasons": [reason_text(r, lang) for r in alert.reasons]}


def _no_tracking() -> pd.DataFrame:
    return pd.DataFrame(columns=list(TRACKING_COLUMNS))


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
    # one row per alert, in the order of ``alerts`` (smkit.methods.response.TRACKING_COLUMNS)
    tracking: pd.DataFrame = field(default_factory=_no_tracking, repr=False)
    # how the mentions got their sentiment: exported, from earlier runs' cache, scored now (not in summary.json: it depends on the run's history)
    scoring: Scoring | None = field(default=None, compare=False)

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

    @property
    def has_tracking(self) -> bool:
        """Whether each alert has its response tracked (every alert, when there are any)."""
        return bool(self.alerts) and len(self.tracking) == len(self.alerts)

    def responses(self) -> list[tuple[Alert, dict]]:
        """Each alert with its tracking row (a dict of :data:`TRACKING_COLUMNS`)."""
        if not self.has_tracking:
            return []
        return list(zip(self.alerts, self.tracking.to_dict("records")))

    def response_summary(self) -> list[dict]:
        """Per alert, what summary.json keeps of its response: hours to the first
        official response, whether it met the deadline (null while pending) and
        the days the negative share took to come back (null: not yet)."""
        out = []
        for alert, row in self.responses():
            f = response_fields(row)
            out.append(
                {
                    "start": alert.start.isoformat(),
                    "level": alert.level,
                    "owners": f["owners"],
                    "first_response_hours": f["response_hours"],
                    "response_kind": f["response_kind"],
                    "deadline_hours": f["deadline_hours"],
                    "deadline_met": {"met": True, "missed": False}.get(f["status"]),
                    "recovery_days": f["recovery_days"],
                }
            )
        return out

    def alerts_with_response(self, tracking: pd.DataFrame | None = None, lang: str = i18n.DEFAULT_LANGUAGE) -> list[dict]:
        """Each alert as alerts.json holds it (:func:`alert_record`), with ``response`` (the tracking as
        :func:`smkit.methods.response.response_fields` writes it) when tracked."""
        t = self.tracking if tracking is None else tracking
        if len(t) != len(self.alerts):
            return [alert_record(a, lang) for a in self.alerts]
        return [{**alert_record(a, lang), "response": response_fields(row)} for a, row in zip(self.alerts, t.to_dict("records"))]

    def to_summary(self, lang: str = i18n.DEFAULT_LANGUAGE) -> dict:
        """What summary.json holds; names and reasons in ``lang``, every number the same in each language."""
        by_brand = self.breakdown["brand"]
        return {
            "brand": self.brand,
            "start": self.start,
            "end": self.end,
            "alert_level": self.alert_level,
            "alert_level_name": level_name(self.alert_level, lang),
            "alerts": [{k: alert_record(a, lang)[k] for k in SUMMARY_ALERT_KEYS} for a in self.alerts],
            "net_sentiment": {b: (None if pd.isna(v) else round(float(v), 4)) for b, v in by_brand["net_sentiment"].items()},
            "volume": {b: int(v) for b, v in by_brand["mentions"].items()},
            "response": self.response_summary(),
        }

    def alerts_json(self, lang: str = i18n.DEFAULT_LANGUAGE) -> dict:
        """What ``alerts.json`` holds: the level, each alert in full, and the thresholds used."""
        return {
            "brand": self.brand,
            "window": [self.start.isoformat(), self.end.isoformat()],
            "alert_level": self.alert_level,
            "level_name": level_name(self.alert_level, lang),
            "alerts": self.alerts_with_response(lang=lang),
            "thresholds": asdict(self.thresholds),
            "detector": self.detector,
        }

    def write_alerts(self, folder: Path, lang: str = i18n.DEFAULT_LANGUAGE) -> Path:
        """Write ``alerts.json`` into ``folder`` (names and reasons in ``lang``)."""
        path = Path(folder) / "alerts.json"
        # allow_nan=False: a NaN would make the file invalid JSON; missing numbers are null (see Alert.to_dict).
        path.write_text(json.dumps(self.alerts_json(lang), ensure_ascii=False, indent=2, default=str, allow_nan=False), encoding="utf-8")
        return path
