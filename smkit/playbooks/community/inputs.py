"""What the community report reads from the store, and the only code that reads it.

Everything up to the end of the window: the whole ``community_activity``
history (points, levels, the funnel and the churn model look back), the
events (each needs its own pre-period), redemptions and feedback; the
audience and the last year's posts for personas to content; the window's
mentions for potential users. A table the
store does not have is ``None``, never an invented empty frame.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from smkit.data.store import load as load_table
from smkit.params import Config

POSTS_DAYS = 365


@dataclass(frozen=True)
class Inputs:
    start: dt.date
    end: dt.date
    activity: pd.DataFrame
    events: pd.DataFrame | None
    redemptions: pd.DataFrame | None
    feedback: pd.DataFrame | None
    audience: pd.DataFrame | None
    posts: pd.DataFrame | None
    mentions: pd.DataFrame | None = None  # the window's, for potential users


def load_optional(table: str, store, **kw) -> pd.DataFrame | None:
    """``table`` from the store, or ``None`` when the store has no such table."""
    try:
        return load_table(table, store=store, **kw)
    except LookupError:
        return None


def load(cfg: Config) -> Inputs:
    store, end = cfg.store, cfg.end
    audience = load_optional("audience", store)
    posts = load_optional("posts", store, start=end - dt.timedelta(days=POSTS_DAYS - 1), end=end) if audience is not None else None
    return Inputs(
        start=cfg.start,
        end=end,
        activity=load_table("community_activity", store=store, end=end),
        events=load_optional("events", store, end=end),
        redemptions=load_optional("point_redemptions", store, end=end),
        feedback=load_optional("feedback", store, end=end),
        audience=audience,
        posts=posts,
        mentions=load_optional("mentions", store, start=cfg.start, end=end),
    )
