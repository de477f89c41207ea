"""What the monitor reads: the mentions of the window and the history before it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from smkit import rules
from smkit.data.store import load as load_table
from smkit.methods import sentiment
from smkit.params import Config
from smkit.playbooks.reputation_monitor.parameters import Settings


@dataclass(frozen=True)
class Inputs:
    """Prepared mentions (see :func:`prepare`) from the history before ``start`` to ``end``, and the window."""

    mentions: pd.DataFrame = field(repr=False)
    start: dt.date
    end: dt.date


def prepare(mentions: pd.DataFrame) -> pd.DataFrame:
    """Mentions with sentiment filled (an exported score is kept), its label, the reply flag and the local day."""
    m = sentiment.fill(mentions)
    m["sentiment"] = m["sentiment"].astype(float)
    m["polarity"] = rules.sentiment_label(m["sentiment"].to_numpy())
    m["is_reply_by_brand"] = rules.is_reply(m)
    m["day"] = m["published_at"].dt.tz_localize(None).dt.normalize()
    return m


def load(cfg: Config, s: Settings) -> Inputs:
    """The mentions of ``cfg``'s window and of the ``s.history_days`` before it (for baselines)."""
    raw = load_table("mentions", store=cfg.store, start=cfg.start - dt.timedelta(days=s.history_days), end=cfg.end)
    if raw.empty:
        raise LookupError(
            f"no mentions in {cfg.start:%Y-%m-%d} to {cfg.end:%Y-%m-%d} nor in the {s.history_days} days before; "
            "ingest a listening export or choose a window with data"
        )
    return Inputs(prepare(raw), cfg.start, cfg.end)
