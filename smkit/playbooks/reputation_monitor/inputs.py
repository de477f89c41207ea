"""What the monitor reads: the mentions of the window and the history before it,
and, for response tracking, the brand's posts and the ``team`` table when the
store has them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from smkit import requirements
from smkit.data.store import load as load_table
from smkit.methods.crisis import prepare
from smkit.params import Config
from smkit.playbooks.reputation_monitor.parameters import Settings

__all__ = ["Inputs", "load", "prepare"]


@dataclass(frozen=True)
class Inputs:
    """Prepared mentions (see :func:`prepare`) from the history before ``start`` to ``end``, and the window;
    the brand's ``posts`` over the same days and the ``team`` table (empty frames when the store has none)."""

    mentions: pd.DataFrame = field(repr=False)
    start: dt.date
    end: dt.date
    posts: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)
    team: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)


def load(cfg: Config, s: Settings) -> Inputs:
    """The mentions of ``cfg``'s window and of the ``s.history_days`` before it
    (for baselines); the brand's posts over those days (a post can be the
    brand's first response to an alert) and the ``team`` table (who owns it)."""
    first = cfg.start - dt.timedelta(days=s.history_days)
    raw = load_table("mentions", store=cfg.store, start=first, end=cfg.end)
    if raw.empty:
        raise LookupError(
            f"no mentions in {cfg.start:%Y-%m-%d} to {cfg.end:%Y-%m-%d} nor in the {s.history_days} days before; "
            "ingest a listening export or choose a window with data"
        )
    present = tuple(requirements.present_tables(cfg.store))
    posts = requirements.load_or_empty("posts", present, store=cfg.store, start=first, end=cfg.end, accounts=[s.brand])
    team = requirements.load_or_empty("team", present, store=cfg.store)
    return Inputs(prepare(raw), cfg.start, cfg.end, posts, team)
