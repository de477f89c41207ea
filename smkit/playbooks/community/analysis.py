"""From the loaded frames to the one :class:`Result` (pure: no store, no presentation)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .churn import churn_model
from .events import daily_series, event_effects
from .feedback import feedback_loop
from .growth import funnel
from .inputs import Inputs
from .parameters import Settings
from .personas import persona_topics
from .points import economy
from .potential import potential_users
from .result import NO_BRAND, NO_ROWS, NO_TABLE, Result
from .tasks import task_shares


def _status(frame: pd.DataFrame | None) -> str:
    return NO_TABLE if frame is None else NO_ROWS if frame.empty else ""


def analyze(inputs: Inputs, s: Settings) -> Result:
    start, end = pd.Timestamp(inputs.start), pd.Timestamp(inputs.end)
    a = inputs.activity
    a = a.assign(date=pd.to_datetime(a["date"]))
    first = a["date"].min() if len(a) else start
    days = end - start + pd.Timedelta(days=1)
    window = a[a["date"] >= start]
    previous = a[(a["date"] < start) & (a["date"] >= start - days)]
    daily = daily_series(a, min(first, start), end)

    events, events_status = None, _status(inputs.events)
    if not events_status:
        ev = inputs.events
        local = pd.to_datetime(ev["start_at"]).dt.tz_localize(None)
        ev = ev[(local >= start) & (local < end + pd.Timedelta(days=1))]
        if ev.empty:
            events_status = NO_ROWS
        else:
            events = event_effects(daily, ev, pre_days=s.pre_days, interval=s.interval)

    fb, fb_status = None, _status(inputs.feedback)
    if not fb_status:
        fb = feedback_loop(inputs.feedback, start, end, s.keywords)
        if fb.received == 0:
            fb_status = NO_ROWS

    personas, source, personas_status = pd.DataFrame(), "", _status(inputs.audience) or _status(inputs.posts)
    if not personas_status:
        personas, source = persona_topics(inputs.audience, inputs.posts)
        personas_status = "" if len(personas) else NO_ROWS

    potential, potential_status = None, _status(inputs.mentions)
    if not potential_status:
        if not s.brand:
            potential_status = NO_BRAND
        else:
            potential = potential_users(inputs.mentions, s.brand, pd.Index(a["user_id"].unique()), top_n=s.at_risk_n)
            potential_status = "" if potential.engaged else NO_ROWS

    return Result(
        start=inputs.start,
        end=inputs.end,
        active=int(window["user_id"].nunique()),
        active_previous=int(previous["user_id"].nunique()),
        daily=daily[daily.index >= start - pd.Timedelta(days=s.pre_days)],
        events=events,
        events_status=events_status,
        economy=economy(a, inputs.redemptions, start, end, s.points_rules, s.levels, s.level_window_days, s.expiry_days, s.yuan_per_point),
        expiry_days=s.expiry_days,
        yuan_per_point=s.yuan_per_point,
        funnel=funnel(a, s.active_days, s.core_contributions),
        churn=churn_model(a, end, top_n=s.at_risk_n),
        feedback=fb,
        feedback_status=fb_status,
        personas=personas,
        persona_source=source,
        personas_status=personas_status,
        pre_days=s.pre_days,
        level_window_days=s.level_window_days,
        active_days=s.active_days,
        core_contributions=s.core_contributions,
        rules_file_name=Path(s.rules_file).name,
        keywords_file_name=Path(s.keywords_file).name,
        potential=potential,
        potential_status=potential_status,
        brand=s.brand,
        tasks=task_shares(a, s.tasks, inputs.events, start, end),
        tasks_file_name=Path(s.tasks_file).name if s.tasks_file else "growth_tasks.csv",
    )
