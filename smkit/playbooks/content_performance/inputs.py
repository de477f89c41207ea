"""What the playbook reads from the store: the only module that touches it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from smkit.data import store
from smkit.methods import copy_check
from smkit.params import Config

from .settings import Settings

FOLLOWER_LOOKBACK_DAYS = 7  # a post early in the window takes its followers from up to a week before


@dataclass(frozen=True)
class Inputs:
    """The frames the analysis needs, and the window they cover."""

    posts: pd.DataFrame  # the accounts' posts published in the window
    daily: pd.DataFrame | None  # account_daily (followers) from a week before the window; None when the store has none
    start: dt.date
    end: dt.date
    copy_rules: tuple[copy_check.Rule, ...] | None = field(default=None, repr=False)  # the pre-publish copy rules; None: the reference table


def load(cfg: Config, s: Settings) -> Inputs:
    """Read the posts of ``s``'s accounts and platforms in ``cfg``'s window,
    and the accounts' daily followers (the default exposure); and the
    pre-publish copy rules (``copy_rules.csv``) the plan's copy is checked against."""
    accounts = list(s.accounts) if s.accounts else None
    posts = store.load("posts", store=cfg.store, start=cfg.start, end=cfg.end, platforms=list(s.platforms) if s.platforms else None, accounts=accounts)
    try:
        daily = store.load("account_daily", store=cfg.store, start=cfg.start - dt.timedelta(days=FOLLOWER_LOOKBACK_DAYS), end=cfg.end, accounts=accounts)
    except LookupError:
        daily = None
    return Inputs(posts, daily, cfg.start, cfg.end, copy_check.load_rules())
