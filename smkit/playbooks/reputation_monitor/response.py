"""The monitor's response tracking: for each alert, the first official
response, the deadline met or missed and the recovery of the negative share.

The computation is shared (:mod:`smkit.methods.response`: the operations
review sums it per owner); :func:`track_alerts` applies it to the monitor's
alerts inside :func:`~smkit.playbooks.reputation_monitor.analyze`, and the
``Result`` carries it (``result.tracking``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

from smkit.methods.response import (
    DEFAULT_DEADLINE_HOURS,
    RESPONSE_KINDS,
    TRACKING_COLUMNS,
    alert_owners,
    daily_negative_share,
    first_response,
    platform_owners,
    raised_at,
    recovery,
    response_fields,
    sla_by_owner,
    track,
)
from smkit.playbooks.reputation_monitor.inputs import Inputs
from smkit.playbooks.reputation_monitor.parameters import Settings
from smkit.playbooks.reputation_monitor.result import Result

__all__ = [
    "DEFAULT_DEADLINE_HOURS",
    "RESPONSE_KINDS",
    "TRACKING_COLUMNS",
    "alert_owners",
    "alerts_with_response",
    "daily_negative_share",
    "first_response",
    "platform_owners",
    "raised_at",
    "recovery",
    "response_fields",
    "sla_by_owner",
    "track",
    "track_alerts",
    "track_result",
]


def track_alerts(alerts: Iterable, inputs: Inputs, brand: str, s: Settings) -> pd.DataFrame:
    """:func:`smkit.methods.response.track` on the monitor's alerts: its
    prepared mentions (the history and the window), the brand's posts and the
    ``team`` table of ``inputs``, the settings' deadlines and response kinds;
    ``now`` is the last mention, so a deadline is judged against the data."""
    return track(alerts, inputs.mentions, inputs.posts, brand, team=inputs.team, deadline_hours=s.deadline_hours, kinds=s.response_kinds)


def track_result(
    result: Result,
    inputs: Inputs,
    posts: pd.DataFrame | None,
    team: pd.DataFrame | None = None,
    *,
    deadline_hours: Mapping[int, float] | None = None,
    accounts: Iterable[str] | None = None,
    kinds: Iterable[str] = RESPONSE_KINDS,
) -> pd.DataFrame:
    """The tracking of a finished run's alerts against other ``posts`` or ``team``
    (what-if: another deadline, the brand's account under another name)."""
    return track(result.alerts, inputs.mentions, posts, result.brand, team=team, deadline_hours=deadline_hours, accounts=accounts, kinds=kinds)


def alerts_with_response(result: Result, tracking: pd.DataFrame | None = None, lang: str = "zh") -> list[dict]:
    """Each alert as alerts.json holds it, plus ``response`` (:func:`response_fields`),
    the key :mod:`smkit.run.notify` reads to tell an answered alert; ``tracking``
    defaults to the run's own (``result.tracking``)."""
    return result.alerts_with_response(tracking, lang)
