"""The monitor with its mentions left in the engine: what :func:`~smkit.playbooks.reputation_monitor.run` does.

:func:`~smkit.playbooks.reputation_monitor.analyze` works on prepared mention
rows in pandas (the reference, and what a notebook passes after its own
loading); :func:`run_in_engine` asks the engine for the same figures
(:class:`smkit.methods.crisis_engine.EngineMonitor`) so the monitor's memory
does not grow with the mentions: only daily sums, per-alert sums, the rows
the report lists and the window's word of mouth summed per brand, platform,
topic and label come back. The brand's posts and the ``team`` table are small
and read as before.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from smkit import requirements
from smkit.data import aggregates
from smkit.data.store import DEFAULT_TZ
from smkit.methods import crisis, crisis_engine
from smkit.params import Config
from smkit.playbooks.reputation_monitor import response, word_of_mouth
from smkit.playbooks.reputation_monitor.parameters import Settings
from smkit.playbooks.reputation_monitor.result import Result


def run_in_engine(cfg: Config, s: Settings, tz: str = DEFAULT_TZ) -> Result:
    """The monitor over ``cfg``'s window and the ``s.history_days`` before it, computed in the engine."""
    first = cfg.start - dt.timedelta(days=s.history_days)
    present = tuple(requirements.present_tables(cfg.store))
    posts = requirements.load_or_empty("posts", present, store=cfg.store, start=first, end=cfg.end, accounts=[s.brand])
    team = requirements.load_or_empty("team", present, store=cfg.store)
    w0, w1 = pd.Timestamp(cfg.start), pd.Timestamp(cfg.end)
    with aggregates.open_backend(cfg.store, tz=tz) as con:
        eng = crisis_engine.EngineMonitor(con, s.brand, first, cfg.end, tz)
        if not eng.rows:
            raise LookupError(
                f"no mentions in {cfg.start:%Y-%m-%d} to {cfg.end:%Y-%m-%d} nor in the {s.history_days} days before; "
                "ingest a listening export or choose a window with data"
            )
        if not eng.brand_rows():
            found = eng.brands(cfg.start) or eng.brands()
            raise ValueError(
                f"brand {s.brand!r} has no mentions in {cfg.start:%Y-%m-%d} to {cfg.end:%Y-%m-%d} or the history before it; "
                f"brands found: {', '.join(map(str, found)) or 'none'}"
            )
        daily = crisis.detectors(eng.daily(w1), detector=s.detector, z=s.z, cusum_k=s.cusum_k, cusum_h=s.cusum_h)
        eng.use_daily(daily)
        brand_words = {s.brand.lower(), *(w.lower() for w in s.brand_aliases)}
        found = eng.alerts(daily, w0, brand_words=brand_words, cusum_h=s.cusum_h, thresholds=s.thresholds, top_n=s.top_n)
        breakdown = word_of_mouth.tables(eng.window_groups(cfg.start, cfg.end), s.brand)
        replies = eng.reply_figures(w0, w1)
        empty = pd.DataFrame({"published_at": pd.Series(dtype=f"datetime64[us, {tz}]")})
        tracking = response.track(found, empty, posts, s.brand, team=team, deadline_hours=s.deadline_hours, kinds=s.response_kinds, facts=eng)
    return Result(
        brand=s.brand,
        start=cfg.start,
        end=cfg.end,
        daily=daily,
        breakdown=breakdown,
        alerts=found,
        replies=replies,
        thresholds=s.thresholds,
        detector=s.detector,
        tracking=tracking,
        scoring=eng.scoring,
    )
