"""From the loaded frames to the result: pure, no store or file access."""

from __future__ import annotations

import pandas as pd

from smkit.params import Config

from .cost import campaign_cost, efficiency, incremental_costs
from .funnel import funnel, left_out, mention_shift
from .inputs import Inputs, load
from .kpis import attainment, estimate_lifts, with_interactions
from .league import league_table
from .needs import NEEDS
from .parameters import Settings
from .result import Result
from .suggestions import derive

TOP_POST_COLUMNS = ["published_at", "platform", "account", "channel", "title", "views", "interactions", "conversions", "spend"]


def analyze(inputs: Inputs, s: Settings) -> Result:
    """The whole post-mortem of one campaign."""
    campaign = inputs.campaign
    start, end = pd.Timestamp(campaign.start), pd.Timestamp(campaign.end)
    posts = inputs.posts
    local = posts["published_at"].dt.tz_localize(None)
    ours = posts[posts["campaign_id"] == campaign.campaign_id]
    baseline = posts[(posts["account"] == s.brand) & posts["platform"].isin(campaign.platforms) & posts["campaign_id"].isna() & (local < start)]
    daily = inputs.daily
    brand_daily = daily[(daily["account"] == s.brand) & daily["platform"].isin(campaign.platforms)]
    in_window = brand_daily[(brand_daily["date"] >= start) & (brand_daily["date"] <= end)]
    kpis = attainment(ours, baseline, campaign, campaign.days)
    lifts, lift_notes = estimate_lifts(daily, s.brand, campaign, s.lift_metrics, pre_days=s.pre_days, halo_days=s.halo_days, alpha=s.alpha, seed=s.seed)
    spent = campaign_cost(ours, in_window)
    cost = {**spent, **incremental_costs(spent, lifts)}
    channels, creators = efficiency(ours, "channel", s.alpha), efficiency(ours, "creator", s.alpha)
    funnel_table = funnel(brand_daily, campaign)
    mentions = mention_shift(inputs.mentions, s.brand, campaign) if inputs.mentions is not None else pd.DataFrame()
    top = with_interactions(ours).nlargest(s.top_n, "views")[TOP_POST_COLUMNS]
    top["published_at"] = top["published_at"].dt.strftime("%Y-%m-%d %H:%M")
    top.index = pd.RangeIndex(1, len(top) + 1, name="rank")
    main_views = next((lift.campaign for lift in lifts if lift.metric == "views"), None)
    known = {campaign.campaign_id: main_views} if main_views is not None else {}
    league, league_notes = (
        league_table(
            inputs.campaigns,
            inputs.history,
            inputs.campaign_posts,
            s.brand,
            inputs.day,
            pre_days=s.pre_days,
            halo_days=s.halo_days,
            alpha=s.alpha,
            seed=s.seed,
            known=known,
        )
        if inputs.campaigns is not None and inputs.history is not None and not inputs.history.empty and inputs.campaign_posts is not None
        else (pd.DataFrame(), ())
    )
    advice = derive(kpis, cost, lifts, channels, creators, funnel_table, budget=campaign.budget, alpha=s.alpha, league=league, campaign_id=campaign.campaign_id)
    return Result(
        campaign=campaign,
        brand=s.brand,
        kpis=kpis,
        cost=cost,
        channels=channels,
        creators=creators,
        content_types=efficiency(ours, "content_type", s.alpha),
        top_posts=top,
        funnel=funnel_table,
        funnel_left_out=left_out(brand_daily, campaign),
        lifts=lifts,
        lift_notes=lift_notes,
        mentions=mentions,
        suggestions=advice,
        missing=NEEDS.missing(inputs.present),
        league=league,
        league_notes=league_notes,
    )


def run(cfg: Config, s: Settings) -> Result:
    """Load the campaign's frames from the store and analyse them."""
    return analyze(load(cfg, s), s)
