"""Generate every table of the sample world, and write them as CSV with truth.json."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from smkit.sample.campaigns import plant_campaigns
from smkit.sample.community_ops import community_ops
from smkit.sample.creators import creators as _creators
from smkit.sample.listening import _mentions, _planted_share_of_voice
from smkit.sample.owned import _account_daily, _campaigns, _market_factor, _posts
from smkit.sample.people import _audience, _community, _experiments, _team
from smkit.sample.world import (
    BRAND,
    CAMPAIGN_DAYS,
    COMPETITORS,
    CONTENT_EFFECT,
    CRISIS_DAYS,
    CRISIS_VOLUME,
    DEFAULT_END,
    NULL_CAMPAIGN_DAYS,
    PLANTED_EFFECTS,
    PLATFORM_GAP,
    PRIME_TIME_EFFECT,
    PRIME_TIME_HOURS,
    TZ,
    WEEKEND_EFFECT,
)


def generate(seed: int = 7, scale: float = 1.0, end: str = DEFAULT_END, days: int = 365, without: Iterable[str] = ()) -> dict[str, pd.DataFrame | dict]:
    """Generate every canonical table and the planted truth.

    ``without`` names planted effects (see ``PLANTED_EFFECTS``) to leave out;
    ``"posting_time"`` removes both the prime-time and the weekend effect.
    Returns a mapping of table name to DataFrame, plus ``"truth"`` (a dict) and
    ``"truth_segments"`` (each user's true persona segment).
    """
    if scale <= 0:
        raise ValueError(f"scale must be positive, got {scale}")
    without = frozenset(without)
    unknown = without - set(PLANTED_EFFECTS)
    if unknown:
        raise ValueError(f"unknown planted effect(s) {sorted(unknown)}; choose from {list(PLANTED_EFFECTS)}")
    planted = {name: name not in without for name in PLANTED_EFFECTS}
    # One independent stream per table, so leaving an effect out of one table
    # (which changes how many draws it takes) leaves the other tables as they were.
    # New tables take new children at the end: spawn(n) gives the same first
    # children whatever n is, so adding a table leaves the others' bytes alone.
    rng, rng_posts, rng_daily, rng_mentions, rng_audience, rng_experiments, rng_community = (
        np.random.default_rng(child) for child in np.random.SeedSequence(seed).spawn(7)
    )
    end_day = pd.Timestamp(end)
    dates = pd.date_range(end=end_day, periods=days, freq="D")
    market = _market_factor(rng, len(dates))
    campaign_window = (end_day + pd.Timedelta(days=CAMPAIGN_DAYS[0]), end_day + pd.Timedelta(days=CAMPAIGN_DAYS[1]))
    null_window = (end_day + pd.Timedelta(days=NULL_CAMPAIGN_DAYS[0]), end_day + pd.Timedelta(days=NULL_CAMPAIGN_DAYS[1]))
    crisis_window = (end_day + pd.Timedelta(days=CRISIS_DAYS[0]), end_day + pd.Timedelta(days=CRISIS_DAYS[1]))

    posts = _posts(rng_posts, dates, market, scale, campaign_window, null_window, planted)
    daily, campaign_truth = _account_daily(rng_daily, dates, market, campaign_window, planted)
    campaigns = _campaigns(campaign_window, null_window)
    mentions = _mentions(rng_mentions, dates, scale, crisis_window if planted["crisis"] else None)
    audience, segments, segment_truth = _audience(rng_audience, scale)
    experiments, experiment_truth = _experiments(rng_experiments, scale, end_day)
    community, community_truth = _community(rng_community, dates, scale)
    team = _team(posts)
    # The creator list takes its own stream, apart from the spawned children, so
    # every table above stays byte-identical whatever the creator list draws.
    rng_creators = np.random.default_rng(np.random.SeedSequence([seed, 221]))
    creator_list, creator_history, creator_truth = _creators(rng_creators, end_day)
    # Events, redemptions and feedback draw from their own stream (not a spawned
    # child), so every table above keeps its bytes; only the lifting events'
    # extra members are added to community_activity on their days.
    events, community, redemptions, feedback, community_ops_truth = community_ops(seed, dates, scale, community)
    # more campaigns from their own stream, planted on the finished tables so the rows above keep their bytes
    # (the team table is built before, so the campaigns' KOL posts need no owner)
    rng_campaigns = np.random.default_rng(np.random.SeedSequence([seed, 222]))
    daily, posts, more_campaigns, more_truth, running_truth = plant_campaigns(rng_campaigns, daily, posts, market, end_day, scale, planted)
    campaigns = pd.concat([campaigns, more_campaigns], ignore_index=True)

    truth = {
        "seed": seed,
        "scale": scale,
        "window": {"start": str(dates[0].date()), "end": str(dates[-1].date()), "timezone": TZ},
        "brand": BRAND,
        "competitors": list(COMPETITORS),
        "planted": planted,
        "content_type_effect": [
            {"platform": p, "content_type": c, "baseline": "image_text" if p == "xiaohongshu" else "video", "views_multiplier": m}
            for (p, c), m in CONTENT_EFFECT.items()
        ]
        if planted["content_type"]
        else [],
        "posting_time_effect": {"hours": list(PRIME_TIME_HOURS), "views_multiplier": PRIME_TIME_EFFECT if planted["posting_time"] else 1.0, "timezone": TZ},
        "weekend_effect": {"views_multiplier": WEEKEND_EFFECT if planted["posting_time"] else 1.0},
        "campaigns": campaign_truth + more_truth,
        "running_campaign": running_truth,
        "crisis": {
            "brand": BRAND,
            "platform": "weibo",
            "start": str(crisis_window[0].date()),
            "end": str(crisis_window[1].date()),
            "volume_multiplier": CRISIS_VOLUME,
        }
        if planted["crisis"]
        else None,
        "share_of_voice": _planted_share_of_voice(len(dates), crisis_window if planted["crisis"] else None),
        "platform_gap": {
            "brand": BRAND,
            "platform": PLATFORM_GAP[0],
            "metric": "engagement rate per view",
            "multiplier": PLATFORM_GAP[1],
        }
        if planted["platform_gap"]
        else None,
        "experiments": experiment_truth,
        "personas": segment_truth,
        "community": community_truth,
        "creators": creator_truth,
        "community_ops": community_ops_truth,
    }
    return {
        "posts": posts,
        "account_daily": daily,
        "audience": audience,
        "mentions": mentions,
        "campaigns": campaigns,
        "experiments": experiments,
        "community_activity": community,
        "team": team,
        "creators": creator_list,
        "creator_daily": creator_history,
        "events": events,
        "point_redemptions": redemptions,
        "feedback": feedback,
        "truth": truth,
        "truth_segments": segments,
    }


def write(out: str | Path, seed: int = 7, scale: float = 1.0, end: str = DEFAULT_END, without: Iterable[str] = ()) -> dict[str, Path]:
    """Write the sample tables as UTF-8 CSV files and ``truth.json`` into ``out``."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    data = generate(seed=seed, scale=scale, end=end, without=without)
    paths: dict[str, Path] = {}
    for name, frame in data.items():
        if name == "truth":
            path = out / "truth.json"
            path.write_text(json.dumps(frame, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        else:
            path = out / f"{name}.csv"
            frame.to_csv(path, index=False, lineterminator="\n", float_format="%.6g")
        paths[name] = path
    return paths
