"""The campaign and the frames its pacing reads from the store.

:func:`load` is the only function of the playbook that reads the store.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from smkit import requirements
from smkit.methods.campaigns import Campaign, read_campaign

if TYPE_CHECKING:
    from smkit.params import Config

    from .parameters import Settings


@dataclass(frozen=True)
class Inputs:
    """The campaign, the report day (the store's last day) and the frames:
    ``daily`` (``account_daily``) from ``pre_days`` before the campaign to the
    day, ``posts`` the campaign's days so far."""

    campaign: Campaign
    day: dt.date
    daily: pd.DataFrame
    posts: pd.DataFrame
    present: tuple[str, ...] = ("campaigns", "account_daily", "posts")


def load(cfg: Config, s: Settings) -> Inputs:
    campaign = read_campaign(cfg.store, s.campaign_id)
    present = tuple(requirements.present_tables(cfg.store))
    day = requirements.window_end(cfg.store, ("account_daily", "posts"))
    day = min(day, campaign.end) if day is not None else campaign.end
    daily = requirements.load_or_empty("account_daily", present, store=cfg.store, start=campaign.start - dt.timedelta(days=s.pre_days), end=day)
    posts = requirements.load_or_empty("posts", present, store=cfg.store, start=campaign.start, end=day)
    return Inputs(campaign, day, daily, posts, present)
