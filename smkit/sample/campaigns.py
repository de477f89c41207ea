"""More campaigns: ended ones with planted lifts and costs (for the post-mortem's
league table) and one under way on the end date (for the pacing report).

Everything here draws from its own stream, and the lifts are planted on top of
the finished ``account_daily`` table (extra views, and extra followers,
engagements, clicks and conversions drawn for those views), so every table
and row outside these campaigns keeps its bytes.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from smkit.sample.owned import KOLS
from smkit.sample.world import (
    BRAND,
    HOOKS_ZH,
    PAST_CAMPAIGNS,
    PLATFORM_GAP,
    PROFILES,
    RUNNING_BUDGET_SHARE,
    RUNNING_CAMPAIGN,
    RUNNING_TARGET_FACTOR,
    TZ,
    WEEKEND_EFFECT,
)

FOLLOW_RATE, CLICK_RATE, CONVERT_RATE = 0.0008, 0.004, 0.04  # as _account_daily draws them
POST_COLUMNS = ("views", "likes", "comments", "shares", "saves", "followers_gained", "clicks", "conversions", "spend")


def _window(end_day: pd.Timestamp, offsets: tuple[int, int]) -> tuple[pd.Timestamp, pd.Timestamp]:
    return end_day + pd.Timedelta(days=offsets[0]), end_day + pd.Timedelta(days=offsets[1])


def _nice(value: float) -> float:
    """Two significant figures, as a plan's target would be written."""
    if value <= 0:
        return 0.0
    digits = int(np.floor(np.log10(value))) - 1
    return float(round(value / 10**digits) * 10**digits)


def _engagement_rate(platform: str, planted: dict[str, bool]) -> float:
    prof = PROFILES[platform]
    gap = PLATFORM_GAP[1] if planted["platform_gap"] and platform == PLATFORM_GAP[0] else 1.0
    return (prof.like_rate + prof.comment_rate + prof.share_rate) * gap


def _plant(rng: np.random.Generator, daily: pd.DataFrame, platform: str, window: tuple, lift: float, spend_per_day: float, planted: dict) -> dict:
    """Raise our account's views on ``platform`` in ``window`` by ``lift`` (in place),
    with the follow-on counts; the truth of the planted effect."""
    rows = (daily["account"] == BRAND) & (daily["platform"] == platform)
    dates = pd.to_datetime(daily["date"])
    inside = rows & (dates >= window[0]) & (dates <= window[1])
    before = daily.loc[inside, "views"].to_numpy()
    after = np.round(before * (1 + lift)).astype(np.int64)
    extra = after - before
    gained = rng.poisson(extra * FOLLOW_RATE)
    clicks = rng.poisson(extra * CLICK_RATE)
    daily.loc[inside, "views"] = after
    daily.loc[inside, "followers_gained"] += gained
    daily.loc[inside, "engagements"] += rng.poisson(extra * _engagement_rate(platform, planted))
    daily.loc[inside, "clicks"] += clicks
    daily.loc[inside, "conversions"] += rng.binomial(clicks, CONVERT_RATE)
    daily.loc[inside, "spend"] = spend_per_day
    if daily.loc[inside, "impressions"].notna().any():
        daily.loc[inside, "impressions"] = np.round(after * 2.2).astype(np.int64)
    # followers are the running total of gains: every later day gains what the window added
    later = rows & (dates >= window[0])
    added = pd.Series(0, index=daily.index[rows])
    added.loc[daily.index[inside]] = gained
    daily.loc[later, "followers"] += added.cumsum().loc[daily.index[later]].to_numpy()
    return {"incremental_views": int(extra.sum()), "counterfactual_views": int(before.sum())}


def _partner_posts(
    rng: np.random.Generator, cid: str, platform: str, window: tuple, kind: str, scale: float, last: pd.Timestamp, mixed: bool = False
) -> pd.DataFrame:
    """KOL and paid posts of a campaign, published up to ``last``: spend,
    clicks and conversions per post. A KOL-led campaign has KOL posts only, or
    (``mixed``) two KOL posts to every paid one; a paid one only paid posts.
    The first four KOLs convert twice as well as the others."""
    days = (min(window[1], last) - window[0]).days + 1
    n = max(4, int(round(20 * scale * days / 14)))
    channel = np.full(n, kind) if not mixed else np.where(np.arange(n) % 3 == 0, "paid", kind)
    creator = np.where(channel == "kol", rng.choice(KOLS, n), None)
    quality = np.array([2.0 if c in KOLS[:4] else 1.0 for c in creator])
    views = np.round(np.exp(rng.normal(np.log(PROFILES[platform].median_views * 2), 0.8, n))).astype(np.int64)
    clicks = rng.poisson(views * 0.012)
    published = window[0] + pd.to_timedelta(rng.integers(0, days, n), unit="D") + pd.to_timedelta(rng.integers(9 * 60, 23 * 60, n), unit="m")
    prof = PROFILES[platform]
    return pd.DataFrame(
        {
            "platform": platform,
            "account": np.where(channel == "kol", creator, BRAND),
            "post_id": [f"{platform[:2]}{cid[-4:]}{i:05d}" for i in range(n)],
            "published_at": published.tz_localize(TZ).map(lambda t: t.isoformat()),
            "title": [f"#露米娜# {h}" for h in rng.choice(HOOKS_ZH, n)],
            # the platform's usual form: a form only campaign posts take would be inseparable from the campaign
            "content_type": max(prof.content_mix, key=prof.content_mix.get),
            "topic": "product_launch",
            "campaign_id": cid,
            "channel": channel,
            "creator": creator,
            "views": views,
            "likes": rng.poisson(views * prof.like_rate),
            "comments": rng.poisson(views * prof.comment_rate),
            "shares": rng.poisson(views * prof.share_rate),
            "saves": pd.Series(rng.poisson(views * (prof.save_rate or 0.0)), dtype="Int64").where(np.full(n, bool(prof.save_rate))).array,
            "followers_gained": rng.poisson(views * FOLLOW_RATE),
            "clicks": clicks,
            "conversions": rng.binomial(clicks, np.clip(0.02 * quality, 0, 1)),
            # drawn for every platform (the stream stays the same), kept where the platform exports 完播率
            "completion_rate": np.where(prof.reports_completion, np.round(rng.beta(3, 7, n), 4), np.nan),
            "avg_watch_seconds": np.round(rng.gamma(4.0, 4.0, n), 1),
            "spend": np.round(views * rng.uniform(0.02, 0.05, n), 2),
        }
    )


def _future(
    rng: np.random.Generator, platform: str, market: np.ndarray, end_day: pd.Timestamp, window: tuple, lift: float, paths: int = 4000
) -> tuple[dict, dict]:
    """The rest of the running campaign after the end date, drawn as
    ``_account_daily`` would have: one drawn future (what will happen) and the
    mean over ``paths`` futures (what is expected), per target metric."""
    days = pd.date_range(end_day + pd.Timedelta(days=1), window[1], freq="D")
    prof = PROFILES[platform]
    trend = np.log(1.2)  # where _market_factor's trend stands on the end date; it keeps rising at the same rate
    level = np.full(paths, np.log(market[-1]) - trend)
    weekend = np.where(days.day_of_week >= 5, WEEKEND_EFFECT, 1.0)
    views = np.empty((len(days), paths))
    for i in range(len(days)):  # the market's AR(1) on the log scale, on top of the trend
        level = 0.9 * level + rng.normal(0.0, 0.05, paths)
        factor = np.exp(level + trend * (1 + (i + 1) / (len(market) - 1)))
        views[i] = np.round(prof.median_views * prof.posts_per_day * 3.0 * factor * weekend[i] * np.exp(rng.normal(0.0, 0.08, paths)) * (1 + lift))
    drawn = views[:, 0]
    clicks = rng.poisson(drawn * CLICK_RATE)
    one = {
        "views": float(drawn.sum()),
        "followers_gained": float(rng.poisson(drawn * FOLLOW_RATE).sum()),
        "conversions": float(rng.binomial(clicks, CONVERT_RATE).sum()),
    }
    total = views.sum(axis=0).mean()
    expected = {"views": float(total), "followers_gained": float(total * FOLLOW_RATE), "conversions": float(total * CLICK_RATE * CONVERT_RATE)}
    return one, expected


def plant_campaigns(
    rng: np.random.Generator, daily: pd.DataFrame, posts: pd.DataFrame, market: np.ndarray, end_day: pd.Timestamp, scale: float, planted: dict[str, bool]
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, list[dict], dict]:
    """``account_daily`` and ``posts`` with the extra campaigns planted, their
    campaigns rows, and the truth: one entry per ended campaign and one for the
    running campaign."""
    daily = daily.copy()
    rows, truths, extra_posts = [], [], []
    for cid, name, platform, offsets, lift, kind, per_day in PAST_CAMPAIGNS:
        window = _window(end_day, offsets)
        truth = _plant(rng, daily, platform, window, lift, per_day, planted)
        partner = _partner_posts(rng, cid, platform, window, kind, scale, window[1])
        extra_posts.append(partner)
        days = (window[1] - window[0]).days + 1
        spend = per_day * days + float(partner["spend"].sum())
        rows.append(
            {
                "campaign_id": cid,
                "name": name,
                "start_date": str(window[0].date()),
                "end_date": str(window[1].date()),
                "platforms": platform,
                "budget": _nice(spend * 1.05),
                "target_views": _nice((truth["incremental_views"] + truth["counterfactual_views"]) * 0.9),
            }
        )
        truths.append(
            {
                "campaign_id": cid,
                "platform": platform,
                "account": BRAND,
                "metric": "views",
                "start": str(window[0].date()),
                "end": str(window[1].date()),
                "relative_lift": lift,
                "led_by": kind,
                "spend": round(spend, 2),
                **truth,
            }
        )
    cid, name, platform, offsets, lift, kind, per_day = RUNNING_CAMPAIGN
    window = _window(end_day, offsets)
    truth = _plant(rng, daily, platform, window, lift, per_day, planted)
    partner = _partner_posts(rng, cid, platform, window, kind, scale, end_day, mixed=True)
    extra_posts.append(partner)
    ours = daily[(daily["account"] == BRAND) & (daily["platform"] == platform) & (pd.to_datetime(daily["date"]) >= window[0])]
    so_far = {m: float(ours[m].sum()) for m in RUNNING_TARGET_FACTOR}
    future, expected = _future(rng, platform, market, end_day, window, lift)
    end_values = {m: so_far[m] + future[m] for m in RUNNING_TARGET_FACTOR}
    expected_end = {m: so_far[m] + expected[m] for m in RUNNING_TARGET_FACTOR}
    days_total, days_elapsed = (window[1] - window[0]).days + 1, (end_day - window[0]).days + 1
    # the plan's spend: the account's promotion every day and KOL and paid posts at the pace so far
    planned_spend = per_day * days_total + float(partner["spend"].sum()) / days_elapsed * days_total
    targets = {m: _nice(expected_end[m] * f) for m, f in RUNNING_TARGET_FACTOR.items()}
    rows.append(
        {
            "campaign_id": cid,
            "name": name,
            "start_date": str(window[0].date()),
            "end_date": str(window[1].date()),
            "platforms": platform,
            "budget": _nice(planned_spend * RUNNING_BUDGET_SHARE),
            **{f"target_{m}": v for m, v in targets.items()},
        }
    )
    running = {
        "campaign_id": cid,
        "platform": platform,
        "account": BRAND,
        "start": str(window[0].date()),
        "end": str(window[1].date()),
        "day": str(end_day.date()),
        "days_elapsed": days_elapsed,
        "days_total": days_total,
        "relative_lift": lift,
        "led_by": kind,
        "actual_to_date": so_far,
        "planted_end": end_values,  # the actual so far plus one drawn future
        "expected_end": expected_end,  # the actual so far plus the mean of the futures the world can draw
        "targets": targets,
        "planned_spend": round(planned_spend, 2),
        "budget": rows[-1]["budget"],
        "better_creators": list(KOLS[:4]),
    }
    posts = pd.concat([posts, *[p.reindex(columns=posts.columns) for p in extra_posts]], ignore_index=True)
    posts = posts.sort_values(["published_at", "platform", "account"], kind="stable").reset_index(drop=True)
    return daily, posts, pd.DataFrame(rows), truths, running
