"""The review's one result and the figures it leaves in ``summary.json``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from .community import Community
from .forecast import MetricForecast, Skipped, forecast_points
from .goals import Window

# Why a section is empty: the store has no such table, the table has no rows,
# (community) nobody was active in the window, (team) no owner of the brand's accounts.
NO_TABLE, NO_ROWS, INACTIVE, NO_OWNER = "no table", "no rows", "inactive", "no owner"


@dataclass(frozen=True)
class Uncompared:
    """A comparison period left out: the data in these tables begin after it starts."""

    window: Window
    first_days: tuple[tuple[str, dt.date], ...]  # table, first day of its data


@dataclass(frozen=True)
class Result:
    """Everything the report shows, computed once."""

    brand: str
    start: dt.date
    end: dt.date
    goals_file: str
    kpis: pd.DataFrame  # one row per KPI (see kpis.kpi_table)
    forecasts: tuple[MetricForecast, ...]
    forecast_skipped: tuple[Skipped, ...]
    horizon_days: int
    level: float  # the forecast intervals' level
    community: Community | None
    community_status: str  # "" or why the community section is empty (NO_TABLE, NO_ROWS, INACTIVE)
    team: pd.DataFrame  # one row per owner (see team.team_scorecard); empty without a team
    team_status: str  # "" or why the team section is empty (NO_TABLE, NO_ROWS, NO_OWNER)
    uncompared: tuple[Uncompared, ...] = ()
    team_platforms: pd.DataFrame = field(default_factory=pd.DataFrame)
    # the crisis response: one row per alert of the reputation monitor touching the window
    # (smkit.methods.response.TRACKING_COLUMNS), and per owner the SLA met and missed (sla_by_owner)
    alert_tracking: pd.DataFrame = field(default_factory=pd.DataFrame)
    sla: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def has_kpis(self) -> bool:
        return not self.kpis.empty

    @property
    def has_forecasts(self) -> bool:
        return bool(self.forecasts)

    @property
    def has_community(self) -> bool:
        return self.community is not None

    @property
    def has_team(self) -> bool:
        return not self.team.empty

    @property
    def has_team_platforms(self) -> bool:
        return not self.team_platforms.empty

    @property
    def has_sla(self) -> bool:
        """Whether any alert touched the window, so there is a response SLA per owner."""
        return not self.sla.empty

    def sla_summary(self) -> dict:
        """Per owner: alerts, met, missed, pending, the share met of those decided and the median response hours."""

        def number(v) -> float | None:
            return None if v is None or pd.isna(v) else round(float(v), 4)

        return {
            str(o): {
                **{k: int(r[k]) for k in ("alerts", "met", "missed", "pending")},
                "sla_rate": number(r["sla_rate"]),
                "median_response_hours": number(r["median_response_hours"]),
            }
            for o, r in self.sla.iterrows()
        }

    def forecast_points(self) -> pd.DataFrame:
        """The daily forecasts (``forecast.csv``): date, metric, point, lo, hi."""
        return forecast_points(self.forecasts)

    def to_summary(self) -> dict:
        """The ``summary.json`` figures of the operations review."""
        c = self.community
        return {
            "kpis": {m: {"actual": r["actual"], "goal": r["goal"], "attainment": r["attainment"], "change": r["change"]} for m, r in self.kpis.iterrows()},
            "forecasts": {
                f.metric: {
                    "horizon_days": self.horizon_days,
                    "point": f.horizon_total[0],
                    "lo": f.horizon_total[1],
                    "hi": f.horizon_total[2],
                    "backtest_mase": f.backtest_mase,
                    "baseline_mase": f.baseline_mase,
                    "p_meet_goal": f.p_meet_goal,
                }
                for f in self.forecasts
            },
            "community": {
                "active": None if c is None else c.active,
                "retention_4w": None if c is None else c.retention_4w,
                "levels": {} if c is None else {str(k): int(v) for k, v in c.levels["at end"].items()},
            },
            "team": []
            if self.team.empty
            else [
                {
                    "owner": str(o),
                    "role": r["role"],
                    "posts": int(r["posts"]),
                    "engagement_per_post": r["engagement_per_post"],
                    "engagement_index": r["engagement_index"],
                    "reply_hours": r["reply_hours"],
                    "goal_attainment": r["goal_attainment"],
                }
                for o, r in self.team.iterrows()
            ],
            "response_sla": self.sla_summary(),
        }
