"""The campaign and the frames its post-mortem reads from the store.

:func:`load` is the only function of the playbook that reads the store.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from smkit import requirements
from smkit.data.store import load as load_table
from smkit.methods.campaigns import Campaign, read_campaign

__all__ = ["Campaign", "Inputs", "load", "read_campaign"]

if TYPE_CHECKING:
    from smkit.params import Config

    from .parameters import Settings


@dataclass(frozen=True)
class Inputs:
    """The campaign row and the store's frames around it.

    ``posts`` covers the campaign and the equally long period before it;
    ``daily`` (``account_daily``) the ``pre_days`` before the campaign to
    ``halo_days`` after it; ``mentions`` the campaign and the period before,
    ``None`` when the store has no mentions table.
    """

    campaign: Campaign
    posts: pd.DataFrame
    daily: pd.DataFrame
    mentions: pd.DataFrame | None
    present: tuple[str, ...] = ("posts", "account_daily", "mentions", "campaigns")  # the tables the store holds
    # for the league table of every ended campaign: the campaigns table, all of
    # account_daily, every campaign-tagged post, and the store's last day
    campaigns: pd.DataFrame | None = None
    history: pd.DataFrame | None = None
    campaign_posts: pd.DataFrame | None = None
    day: dt.date | None = None


def load(cfg: Config, s: Settings) -> Inputs:
    """The campaign ``s.campaign_id`` and the posts, daily account figures and
    mentions its post-mortem needs (the campaign's dates set the window, not
    ``cfg.start``/``cfg.end``)."""
    last = requirements.window_end(cfg.store, ("account_daily", "posts"))
    campaign = read_campaign(cfg.store, s.campaign_id, ended_by=last)
    present = tuple(requirements.present_tables(cfg.store))
    before = campaign.start - dt.timedelta(days=campaign.days)
    posts = requirements.load_or_empty("posts", present, store=cfg.store, start=before, end=campaign.end)
    daily = requirements.load_or_empty(
        "account_daily",
        present,
        store=cfg.store,
        start=campaign.start - dt.timedelta(days=s.pre_days),
        end=campaign.end + dt.timedelta(days=s.halo_days),
    )
    mentions = load_table("mentions", store=cfg.store, start=before, end=campaign.end) if "mentions" in present else None
    history = requirements.load_or_empty("account_daily", present, store=cfg.store)
    every_post = requirements.load_or_empty("posts", present, store=cfg.store)
    tagged = every_post[every_post["campaign_id"].notna()] if "campaign_id" in every_post else every_post.iloc[0:0]
    return Inputs(campaign, posts, daily, mentions, present, load_table("campaigns", store=cfg.store), history, tagged, last)
