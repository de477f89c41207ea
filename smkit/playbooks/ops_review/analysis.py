"""The whole review from the frames :func:`~.inputs.load` read: pure, no store or file access."""

from __future__ import annotations

import pandas as pd

from smkit import rules
from smkit.methods import sentiment

from .community import community_health
from .forecast import brand_series, forecasts
from .goals import uncovered, windows
from .inputs import Inputs
from .kpis import kpi_table, measure
from .parameters import Settings
from .result import INACTIVE, NO_OWNER, NO_ROWS, NO_TABLE, Result, Uncompared
from .sla import response_sla
from .team import owner_platforms, team_scorecard


def scored(mentions: pd.DataFrame, brand: str) -> pd.DataFrame:
    """``mentions`` with the brand's earned mentions' sentiment filled (the
    listening tool's where it gave one, else the offline scorer's)."""
    if mentions.empty:
        return mentions
    ours = mentions["brand"] == brand
    reply = rules.is_reply(mentions)
    return pd.concat([sentiment.fill(mentions[ours & ~reply]), mentions[~ours | reply]])


def _status(frame: pd.DataFrame | None) -> str:
    return NO_TABLE if frame is None else NO_ROWS if frame.empty else ""


def analyze(inputs: Inputs, s: Settings) -> Result:
    """The whole operations review of ``inputs.start``..``inputs.end``."""
    brand, start, end = s.brand, inputs.start, inputs.end
    current, previous, year = windows(start, end)
    measures, skipped = {}, []
    window_mentions = pd.DataFrame()
    for w in (current, previous, year):
        late = uncovered(inputs.first_days, w)
        if late and w.name != "current":
            # A comparison with a period the data only partly covers would read as growth.
            skipped.append(Uncompared(w, tuple((t, inputs.first_days[t]) for t in late)))
            measures[w.name] = {}
            continue
        part = inputs.daily[(inputs.daily["date"] >= pd.Timestamp(w.start)) & (inputs.daily["date"] <= pd.Timestamp(w.end))]
        loaded = inputs.mentions.get(w.name)
        mentions = scored(pd.DataFrame() if loaded is None else loaded, brand)
        measures[w.name] = measure(part, mentions, brand, w) if len(part) or len(mentions) else {}
        if w.name == "current":
            window_mentions = mentions
    kpis = kpi_table(measures["current"], measures["previous"], measures["year ago"], inputs.goals, current.days)
    items, not_forecast = forecasts(brand_series(inputs.history, inputs.mention_counts), s.horizon_days, s.interval, inputs.goals)

    community, community_status = None, _status(inputs.activity)
    if not community_status:
        community = community_health(inputs.activity, start, end, s.points_rules, s.levels, top_n=s.top_n)
        if community.active == 0:
            community_status = INACTIVE
    team_status = _status(inputs.team)
    scorecard, by_platform = pd.DataFrame(), pd.DataFrame()
    tracking, sla = pd.DataFrame(), pd.DataFrame()
    if not team_status:
        tracking, sla = response_sla(
            inputs.alert_mentions, inputs.brand_posts, inputs.team, brand, start, end, deadline_hours=s.deadline_hours, kinds=s.response_kinds
        )
        scorecard = team_scorecard(inputs.posts, inputs.team, window_mentions, brand, inputs.goals, current.days)
        by_platform = owner_platforms(inputs.posts, inputs.team, brand)
        if scorecard.empty:
            team_status = NO_OWNER
    return Result(
        brand,
        start,
        end,
        inputs.goals_file,
        kpis,
        items,
        not_forecast,
        s.horizon_days,
        s.interval,
        community,
        community_status,
        scorecard,
        team_status,
        tuple(skipped),
        by_platform,
        tracking,
        sla,
    )
