"""The crisis response SLA of the team scorecard: the reputation monitor's
alerts on the same store (the shared detection, :mod:`smkit.methods.crisis`,
with the monitor's default settings), the response to each
(:mod:`smkit.methods.response`) and, per owner, the deadlines met and missed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

import pandas as pd

from smkit.methods import crisis, response


def response_sla(
    mentions: pd.DataFrame | None,
    posts: pd.DataFrame | None,
    team: pd.DataFrame | None,
    brand: str,
    start: dt.date,
    end: dt.date,
    *,
    deadline_hours: Mapping[int, float] | None = None,
    kinds: Iterable[str] = response.RESPONSE_KINDS,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The tracking of each alert whose days reach ``start``..``end`` (one row
    per alert, :data:`smkit.methods.response.TRACKING_COLUMNS`) and the SLA per
    owner (:func:`smkit.methods.response.sla_by_owner`). ``mentions`` are the
    brand's prepared mentions of the window and the history before it; none
    (or none of the brand) gives two empty frames."""
    empty = pd.DataFrame(columns=list(response.TRACKING_COLUMNS))
    if mentions is None or mentions.empty or not (mentions["brand"] == brand).any():
        return empty, response.sla_by_owner(empty)
    _, _, alerts = crisis.detect(mentions, brand, start, end)
    if not alerts:
        return empty, response.sla_by_owner(empty)
    tracking = response.track(alerts, mentions, posts, brand, team=team, deadline_hours=deadline_hours, kinds=kinds)
    return tracking, response.sla_by_owner(tracking)
