"""Our and the competitors' own channels: posts, KOL posts, account days and campaigns."""

from __future__ import annotations

import numpy as np
import pandas as pd

from smkit.sample.world import (
    BRAND,
    BRAND_ZH,
    CAMPAIGN_LIFT,
    COMPETITORS,
    CONTENT_EFFECT,
    HOOKS_EN,
    HOOKS_ZH,
    HOUR_WEIGHTS,
    PLATFORM_GAP,
    PRIME_TIME_EFFECT,
    PRIME_TIME_HOURS,
    PROFILES,
    TITLE_ZH,
    TOPICS,
    TZ,
    WEEKEND_EFFECT,
)


def _market_factor(rng: np.random.Generator, n: int) -> np.ndarray:
    """A smooth shared demand factor (AR(1) on the log scale) plus a yearly trend."""
    shocks = rng.normal(0.0, 0.05, n)
    level = np.zeros(n)
    for i in range(1, n):
        level[i] = 0.9 * level[i - 1] + shocks[i]
    trend = np.linspace(0.0, np.log(1.2), n)
    return np.exp(level + trend)


def _posts(
    rng: np.random.Generator, dates: pd.DatetimeIndex, market: np.ndarray, scale: float, campaign: tuple, null_window: tuple, planted: dict[str, bool]
) -> pd.DataFrame:
    frames = []
    accounts = [(BRAND, 1.0)] + [(c, 0.8) for c in COMPETITORS]
    for platform, prof in PROFILES.items():
        for account, size in accounts:
            counts = rng.poisson(prof.posts_per_day * size * scale, len(dates))
            n = int(counts.sum())
            if n == 0:
                continue
            day_idx = np.repeat(np.arange(len(dates)), counts)
            hours = rng.choice(24, size=n, p=HOUR_WEIGHTS / HOUR_WEIGHTS.sum())
            minutes = rng.integers(0, 60, n)
            published = dates[day_idx] + pd.to_timedelta(hours, unit="h") + pd.to_timedelta(minutes, unit="m")
            ctypes = rng.choice(list(prof.content_mix), size=n, p=list(prof.content_mix.values()))
            topics = rng.choice(list(TOPICS), size=n)

            log_mu = np.log(prof.median_views * size) + np.log(market[day_idx])
            effect = np.ones(n)
            if planted["content_type"]:
                for (p, c), mult in CONTENT_EFFECT.items():
                    if p == platform:
                        effect[ctypes == c] *= mult
            if planted["posting_time"]:
                effect[np.isin(hours, PRIME_TIME_HOURS)] *= PRIME_TIME_EFFECT
                effect[dates[day_idx].day_of_week >= 5] *= WEEKEND_EFFECT
            gap = PLATFORM_GAP[1] if planted["platform_gap"] and (account, platform) == (BRAND, PLATFORM_GAP[0]) else 1.0
            in_campaign = (account == BRAND) & (platform == "douyin") & (published >= campaign[0]) & (published < campaign[1] + pd.Timedelta(days=1))
            effect[in_campaign] *= 1 + CAMPAIGN_LIFT
            # the Weibo campaign tags our posts but changes nothing
            in_null = (account == BRAND) & (platform == "weibo") & (published >= null_window[0]) & (published < null_window[1] + pd.Timedelta(days=1))
            views = np.round(np.exp(log_mu + rng.normal(0.0, 1.0, n)) * effect).astype(np.int64)

            def engaged(rate: float) -> np.ndarray:
                return rng.poisson(views * rate * gap * np.exp(rng.normal(0.0, 0.35, n)))

            frame = pd.DataFrame(
                {
                    "platform": platform,
                    "account": account,
                    "post_id": [f"{platform[:2]}{account[:1]}{i:07d}" for i in rng.choice(10**7, n, replace=False)],
                    "published_at": published.tz_localize(TZ).map(lambda t: t.isoformat()),
                    "title": _titles(rng, account, topics, prof.english),
                    "text": None,
                    "content_type": ctypes,
                    "topic": topics,
                    "campaign_id": np.select([in_campaign, in_null], ["CMP-AUTUMN-DOUYIN", "CMP-SPRING-WEIBO"], None),
                    "channel": "owned",
                    "creator": None,
                    "impressions": pd.array(
                        np.round(views * rng.uniform(1.5, 3.0, n)).astype(np.int64) if prof.reports_impressions else [pd.NA] * n, dtype="Int64"
                    ),
                    "views": views,
                    "likes": engaged(prof.like_rate),
                    "comments": engaged(prof.comment_rate),
                    "shares": engaged(prof.share_rate),
                    "saves": pd.array(engaged(prof.save_rate) if prof.save_rate else [pd.NA] * n, dtype="Int64"),
                    "followers_gained": engaged(0.001),
                    "completion_rate": np.round(rng.beta(3, 7, n), 4) if prof.reports_completion else np.nan,
                    "avg_watch_seconds": np.where(np.isin(ctypes, ["video", "live"]), np.round(rng.gamma(4.0, 4.0, n), 1), np.nan),
                }
            )
            frames.append(frame)
    frames.append(_campaign_partner_posts(rng, campaign, scale))
    posts = pd.concat(frames, ignore_index=True)
    posts["text"] = posts["title"]
    order = [
        "platform",
        "account",
        "post_id",
        "published_at",
        "title",
        "text",
        "content_type",
        "topic",
        "campaign_id",
        "channel",
        "creator",
        "impressions",
        "views",
        "likes",
        "comments",
        "shares",
        "saves",
        "followers_gained",
        "clicks",
        "conversions",
        "completion_rate",
        "avg_watch_seconds",
        "spend",
    ]
    return posts[order].sort_values(["published_at", "platform", "account"], kind="stable").reset_index(drop=True)


KOLS = ("光影小鹿", "家居阿木", "TechLiang", "设计师Momo", "宝妈日记", "极客老周", "Luna灯光实验室", "租房改造王")


def _campaign_partner_posts(rng: np.random.Generator, campaign: tuple, scale: float) -> pd.DataFrame:
    """KOL and paid posts of the Douyin campaign: spend, clicks and conversions per post."""
    n_days = (campaign[1] - campaign[0]).days + 1
    n = max(4, int(round(30 * scale)))
    channel = np.where(np.arange(n) % 3 == 0, "paid", "kol")
    creator = np.where(channel == "kol", rng.choice(KOLS, n), None)
    # creators differ in efficiency: the first half of the list converts twice as well
    quality = np.array([2.0 if c in KOLS[:4] else 1.0 for c in creator])
    views = np.round(np.exp(rng.normal(np.log(60000), 0.8, n))).astype(np.int64)
    clicks = rng.poisson(views * 0.012)
    published = campaign[0] + pd.to_timedelta(rng.integers(0, n_days, n), unit="D") + pd.to_timedelta(rng.integers(9 * 60, 23 * 60, n), unit="m")
    return pd.DataFrame(
        {
            "platform": "douyin",
            "account": np.where(channel == "kol", creator, BRAND),
            "post_id": [f"dyK{i:07d}" for i in range(n)],
            "published_at": published.tz_localize(TZ).map(lambda t: t.isoformat()),
            "title": [f"#露米娜秋季新品# {h}" for h in rng.choice(HOOKS_ZH, n)],
            "content_type": "video",
            "topic": "product_launch",
            "campaign_id": "CMP-AUTUMN-DOUYIN",
            "channel": channel,
            "creator": creator,
            "views": views,
            "likes": rng.poisson(views * 0.03),
            "comments": rng.poisson(views * 0.003),
            "shares": rng.poisson(views * 0.002),
            "saves": rng.poisson(views * 0.004),
            "followers_gained": rng.poisson(views * 0.0008),
            "clicks": clicks,
            "conversions": rng.binomial(clicks, np.clip(0.02 * quality, 0, 1)),
            "completion_rate": np.round(rng.beta(3, 7, n), 4),
            "avg_watch_seconds": np.round(rng.gamma(4.0, 4.0, n), 1),
            "spend": np.round(views * rng.uniform(0.02, 0.05, n), 2),
        }
    )


def _titles(rng: np.random.Generator, account: str, topics: np.ndarray, english: bool) -> list[str]:
    n = len(topics)
    if english:
        hooks = rng.choice(HOOKS_EN, n)
        return [f"{account}: {TOPICS[t][1]}, {h}" for t, h in zip(topics, hooks)]
    templates = rng.choice(TITLE_ZH, n)
    hooks = rng.choice(HOOKS_ZH, n)
    return [tpl.format(brand=BRAND_ZH[account], topic=TOPICS[t][0], hook=h) for tpl, t, h in zip(templates, topics, hooks)]


def _account_daily(
    rng: np.random.Generator, dates: pd.DatetimeIndex, market: np.ndarray, campaign: tuple, planted: dict[str, bool]
) -> tuple[pd.DataFrame, list[dict]]:
    frames = []
    in_window = (dates >= campaign[0]) & (dates <= campaign[1])
    weekend = np.where((dates.day_of_week >= 5) & planted["posting_time"], WEEKEND_EFFECT, 1.0)
    truth_campaign = {}
    for platform, prof in PROFILES.items():
        for account, size in [(BRAND, 1.0)] + [(c, 0.8) for c in COMPETITORS]:
            base = prof.median_views * prof.posts_per_day * 3.0 * size
            expected = base * market * weekend * np.exp(rng.normal(0.0, 0.08, len(dates)))
            views = expected.copy()
            if platform == "douyin" and account == BRAND:
                views[in_window] *= 1 + CAMPAIGN_LIFT
                counterfactual = np.round(expected[in_window])
                actual = np.round(views[in_window])
                truth_campaign = {
                    "incremental_views": int(actual.sum() - counterfactual.sum()),
                    "counterfactual_views": int(counterfactual.sum()),
                }
            views = np.round(views).astype(np.int64)
            gained = rng.poisson(views * 0.0008)
            followers = int(prof.base_followers * size) + np.cumsum(gained)
            gap = PLATFORM_GAP[1] if planted["platform_gap"] and (account, platform) == (BRAND, PLATFORM_GAP[0]) else 1.0
            engagements = rng.poisson(views * (prof.like_rate + prof.comment_rate + prof.share_rate) * gap)
            clicks = rng.poisson(views * 0.004)
            frames.append(
                pd.DataFrame(
                    {
                        "date": dates.strftime("%Y-%m-%d"),
                        "platform": platform,
                        "account": account,
                        "followers": followers,
                        "followers_gained": gained,
                        "impressions": pd.array(np.round(views * 2.2).astype(np.int64) if prof.reports_impressions else [pd.NA] * len(dates), dtype="Int64"),
                        "views": views,
                        "engagements": engagements,
                        "clicks": clicks,
                        "conversions": rng.binomial(clicks, 0.04),
                        "spend": np.where((account == BRAND) & in_window & (platform == "douyin"), 12000.0, 0.0) if account == BRAND else np.nan,
                    }
                )
            )
    daily = pd.concat(frames, ignore_index=True)
    truth = [
        {
            "campaign_id": "CMP-AUTUMN-DOUYIN",
            "platform": "douyin",
            "account": BRAND,
            "metric": "views",
            "start": str(campaign[0].date()),
            "end": str(campaign[1].date()),
            "relative_lift": CAMPAIGN_LIFT,
            "halo_days": 0,
            **truth_campaign,
        },
        {
            "campaign_id": "CMP-SPRING-WEIBO",
            "platform": "weibo",
            "account": BRAND,
            "metric": "views",
            "relative_lift": 0.0,
            "incremental_views": 0,
        },
    ]
    return daily.sort_values(["date", "platform", "account"], kind="stable").reset_index(drop=True), truth


def _campaigns(campaign: tuple, null_window: tuple) -> pd.DataFrame:
    days = (campaign[1] - campaign[0]).days + 1
    return pd.DataFrame(
        {
            "campaign_id": ["CMP-AUTUMN-DOUYIN", "CMP-SPRING-WEIBO"],
            "name": ["秋季新品 Autumn launch", "春日话题 Spring topic"],
            "start_date": [str(campaign[0].date()), str(null_window[0].date())],
            "end_date": [str(campaign[1].date()), str(null_window[1].date())],
            "platforms": ["douyin", "weibo"],
            "budget": [12000.0 * days, 80000.0],
            "target_views": [3_000_000, 900_000],
            "target_followers_gained": [5000, 1500],
            "target_conversions": [1500, 300],
        }
    )
