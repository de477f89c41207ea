"""The campaign and the frames its post-mortem reads from the store.

:func:`load` is the only function of the playbook that reads the store.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from smkit import requirements
from smkit.data.store import load as load_table
from smkit.params import parse_list

if TYPE_CHECKING:
    from smkit.params import Config

    from .parameters import Settings


@dataclass(frozen=True)
class Campaign:
    campaign_id: str
    name: str
    start: dt.date
    end: dt.date
    platforms: tuple[str, ...]
    budget: float | None
    targets: dict[str, float]

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


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


def read_campaign(store: Path, campaign_id: str = "") -> Campaign:
    """The campaign ``campaign_id``; empty for the most recent that has ended."""
    table = load_table("campaigns", store=store)
    if table.empty:
        raise LookupError("the campaigns table is empty; ingest a campaign sheet first")
    if campaign_id:
        match = table[table["campaign_id"] == campaign_id]
        if match.empty:
            raise ValueError(f"campaign {campaign_id!r} is not in the store; campaigns: {', '.join(table['campaign_id'])}")
        row = match.iloc[0]
    else:
        row = table.sort_values("end_date").iloc[-1]
    targets = {c.removeprefix("target_"): float(row[c]) for c in table.columns if c.startswith("target_") and pd.notna(row[c])}
    listed = row.get("platforms")
    platforms = parse_list(str(listed)) if pd.notna(listed) else ()
    return Campaign(
        str(row["campaign_id"]),
        str(row.get("name") or row["campaign_id"]),
        row["start_date"].date(),
        row["end_date"].date(),
        platforms,
        None if pd.isna(row.get("budget")) else float(row["budget"]),
        targets,
    )


def load(cfg: Config, s: Settings) -> Inputs:
    """The campaign ``s.campaign_id`` and the posts, daily account figures and
    mentions its post-mortem needs (the campaign's dates set the window, not
    ``cfg.start``/``cfg.end``)."""
    campaign = read_campaign(cfg.store, s.campaign_id)
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
    return Inputs(campaign, posts, daily, mentions, present)
