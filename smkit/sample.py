"""A sample data set worth analysing, with known truths planted in it.

The fictional brand Lumina (露米娜, smart lighting and its app) and two
competitors, Vexa (维克萨) and Orbi (奥比), publish on Chinese platforms and
LinkedIn for 365 days. Every canonical table is written as CSV, plus
``truth.json`` with what was planted, so each playbook can be tested for
finding a planted effect and for not finding one where none was planted.

Realism the analyses rely on: heavy-tailed (log-normal) reach, platform
differences in scale and reported metrics, hour-of-day and weekday effects,
content-type effects, a shared market factor that makes other platforms good
controls for a campaign, follower growth, audience segments that differ in
demographics, interests and behaviour, and Chinese and English text.

Same seed, same bytes: every random draw comes from one seeded generator in a
fixed order, and nothing depends on the clock.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from smkit.data.ingest import ingest
from smkit.data.store import default_store_path

TZ = "Asia/Shanghai"
DEFAULT_END = "2026-10-31"
BRAND = "Lumina"
COMPETITORS = ("Vexa", "Orbi")
BRAND_ZH = {"Lumina": "露米娜", "Vexa": "维克萨", "Orbi": "奥比"}


@dataclass(frozen=True)
class PlatformProfile:
    posts_per_day: float  # our brand's rate at scale 1
    median_views: float
    content_mix: dict[str, float]
    like_rate: float
    comment_rate: float
    share_rate: float
    save_rate: float | None  # None: the platform's export has no saves column
    reports_impressions: bool
    reports_completion: bool
    base_followers: int
    english: bool = False


PROFILES: dict[str, PlatformProfile] = {
    "weibo": PlatformProfile(2.0, 8000, {"image_text": 0.6, "video": 0.3, "topic": 0.1}, 0.012, 0.004, 0.004, None, False, False, 420_000),
    "douyin": PlatformProfile(1.2, 30000, {"video": 0.85, "live": 0.15}, 0.035, 0.003, 0.002, 0.004, False, True, 680_000),
    "kuaishou": PlatformProfile(0.6, 15000, {"video": 0.85, "live": 0.15}, 0.03, 0.003, 0.002, 0.003, False, True, 150_000),
    "xiaohongshu": PlatformProfile(1.0, 5000, {"image_text": 0.65, "video": 0.35}, 0.04, 0.006, 0.003, 0.02, True, False, 96_000),
    "wechat": PlatformProfile(0.4, 3000, {"image_text": 0.9, "h5": 0.1}, 0.01, 0.002, 0.015, None, False, False, 210_000),
    "bilibili": PlatformProfile(0.3, 20000, {"video": 0.9, "animation": 0.1}, 0.05, 0.004, 0.003, 0.012, False, False, 88_000),
    "linkedin": PlatformProfile(0.3, 2000, {"image_text": 0.7, "video": 0.3}, 0.02, 0.002, 0.002, None, True, False, 12_000, english=True),
}

# Planted effects on expected views, as multipliers.
CONTENT_EFFECT = {("xiaohongshu", "video"): 1.4, ("douyin", "live"): 0.7}
PRIME_TIME_HOURS = (19, 20, 21, 22)
PRIME_TIME_EFFECT = 1.25
WEEKEND_EFFECT = 1.1
CAMPAIGN_LIFT = 0.30  # on our Douyin account's daily views during the campaign
CAMPAIGN_DAYS = (-61, -41)  # offsets from the end date: a 21-day window
NULL_CAMPAIGN_DAYS = (-150, -137)  # a Weibo campaign that changed nothing
CRISIS_DAYS = (-25, -22)  # four days of negative Weibo mentions
CRISIS_VOLUME = 6.0
# Our brand under-performs its competitors on Kuaishou: every engagement rate of
# its posts there is this fraction of what the same views earn elsewhere.
PLATFORM_GAP = ("kuaishou", 0.6)
MENTIONS_PER_DAY = {"Lumina": 60.0, "Vexa": 45.0, "Orbi": 35.0}
CRISIS_EXTRA_SHARE = 0.35  # crisis mentions per day, as a share of the brand's usual volume per unit of extra multiplier

# Each planted effect can be left out to make a null world for tests.
PLANTED_EFFECTS = ("content_type", "posting_time", "crisis", "platform_gap")

HOUR_WEIGHTS = np.array(
    [1, 0.5, 0.3, 0.2, 0.2, 0.3, 0.6, 1.2, 2.0, 2.2, 2.0, 2.2, 3.0, 2.6, 2.0, 1.8, 1.8, 2.2, 3.0, 3.6, 4.0, 4.0, 3.4, 2.0],
    dtype=float,
)

TOPICS = {
    "product_launch": ("新品发布", "New launch"),
    "tutorial": ("使用教程", "How-to"),
    "user_story": ("用户故事", "Customer story"),
    "festival": ("节日营销", "Holiday special"),
    "behind_scenes": ("幕后花絮", "Behind the scenes"),
    "industry": ("行业观点", "Industry insight"),
    "giveaway": ("福利抽奖", "Giveaway"),
}
TITLE_ZH = (
    "{brand}{topic}｜{hook}",
    "{hook}！{brand}{topic}来了",
    "{topic}：{hook}",
    "#{topic}# {hook}",
)
HOOKS_ZH = (
    "卧室灯光这样调更助眠", "一盏灯改变整个客厅", "三分钟学会智能场景", "打工人的护眼方案",
    "租房党也能装的氛围灯", "开箱实测新款台灯", "光线和心情的秘密", "周末宅家灯光指南",
)
HOOKS_EN = (
    "lighting that works as hard as you do", "three scenes for a calmer evening",
    "what we learned shipping our new lamp", "the science of light and focus",
)

MENTION_TEMPLATES = {
    "positive": (
        "{brand}的灯真的好用，晚上看书眼睛不累", "刚入手{brand}，颜值很高，推荐！", "{brand}客服回复很快，点赞",
        "Love my new {brand} lamp, the app is great", "{brand}的智能场景太方便了",
    ),
    "neutral": (
        "有人用过{brand}吗？想了解一下", "{brand}和别家比怎么样", "{brand}今天发布了新品",
        "Anyone tried the {brand} desk lamp?", "{brand}的价格是多少",
    ),
    "negative": (
        "{brand}的灯用了一周就坏了，太失望", "{brand}客服一直不回复，差评", "{brand}的App老是连不上",
        "My {brand} lamp stopped working, terrible support", "{brand}质量太差了，退货",
    ),
}
CRISIS_TEMPLATES = (
    "{brand}灯具过热冒烟，太危险了！", "曝光：{brand}产品存在安全隐患", "{brand}必须给个说法，灯座烧焦了",
    "{brand} lamp overheated and melted, is this safe?", "抵制{brand}，出了事故还不回应",
)
SENTIMENT_MEAN = {"Lumina": 0.2, "Vexa": 0.1, "Orbi": 0.15}
# A listening tool's topic per mention, by the first rule whose words the text contains.
MENTION_TOPIC_RULES = (
    ("safety", ("过热", "冒烟", "安全隐患", "烧焦", "事故", "overheated")),
    ("quality", ("坏了", "质量", "stopped working")),
    ("customer_service", ("客服", "support", "说法", "回应")),
    ("app", ("App", "app", "连不上", "智能场景")),
    ("price", ("价格",)),
    ("launch", ("新品",)),
)


def generate(
    seed: int = 7, scale: float = 1.0, end: str = DEFAULT_END, days: int = 365, without: Iterable[str] = ()
) -> dict[str, pd.DataFrame | dict]:
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
        ] if planted["content_type"] else [],
        "posting_time_effect": {"hours": list(PRIME_TIME_HOURS), "views_multiplier": PRIME_TIME_EFFECT if planted["posting_time"] else 1.0, "timezone": TZ},
        "weekend_effect": {"views_multiplier": WEEKEND_EFFECT if planted["posting_time"] else 1.0},
        "campaigns": campaign_truth,
        "crisis": {
            "brand": BRAND,
            "platform": "weibo",
            "start": str(crisis_window[0].date()),
            "end": str(crisis_window[1].date()),
            "volume_multiplier": CRISIS_VOLUME,
        } if planted["crisis"] else None,
        "share_of_voice": _planted_share_of_voice(len(dates), crisis_window if planted["crisis"] else None),
        "platform_gap": {
            "brand": BRAND, "platform": PLATFORM_GAP[0], "metric": "engagement rate per view", "multiplier": PLATFORM_GAP[1],
        } if planted["platform_gap"] else None,
        "experiments": experiment_truth,
        "personas": segment_truth,
        "community": community_truth,
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


def _market_factor(rng: np.random.Generator, n: int) -> np.ndarray:
    """A smooth shared demand factor (AR(1) on the log scale) plus a yearly trend."""
    shocks = rng.normal(0.0, 0.05, n)
    level = np.zeros(n)
    for i in range(1, n):
        level[i] = 0.9 * level[i - 1] + shocks[i]
    trend = np.linspace(0.0, np.log(1.2), n)
    return np.exp(level + trend)


def _planted_share_of_voice(n_days: int, crisis: tuple | None) -> dict[str, float]:
    """Expected share of earned mentions per brand (the brand's own replies excluded)."""
    expected = {brand: rate * n_days for brand, rate in MENTIONS_PER_DAY.items()}
    if crisis is not None:
        crisis_days = (crisis[1] - crisis[0]).days + 1
        expected[BRAND] += MENTIONS_PER_DAY[BRAND] * CRISIS_EXTRA_SHARE * (CRISIS_VOLUME - 1) * crisis_days
    total = sum(expected.values())
    return {brand: round(n / total, 6) for brand, n in expected.items()}


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
                    "impressions": pd.array(np.round(views * rng.uniform(1.5, 3.0, n)).astype(np.int64) if prof.reports_impressions else [pd.NA] * n, dtype="Int64"),
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
    order = ["platform", "account", "post_id", "published_at", "title", "text", "content_type", "topic", "campaign_id", "channel", "creator",
             "impressions", "views", "likes", "comments", "shares", "saves", "followers_gained", "clicks", "conversions", "completion_rate", "avg_watch_seconds", "spend"]
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


def _mentions(rng: np.random.Generator, dates: pd.DatetimeIndex, scale: float, crisis: tuple | None) -> pd.DataFrame:
    platforms = ["weibo", "douyin", "xiaohongshu", "bilibili", "wechat", "kuaishou"]
    platform_share = np.array([0.35, 0.2, 0.2, 0.1, 0.1, 0.05])
    rows = []
    in_crisis = (dates >= crisis[0]) & (dates <= crisis[1]) if crisis is not None else np.zeros(len(dates), dtype=bool)
    for brand, per_day in MENTIONS_PER_DAY.items():
        counts = rng.poisson(per_day * scale, len(dates))
        n = int(counts.sum())
        day_idx = np.repeat(np.arange(len(dates)), counts)
        score = np.clip(rng.normal(SENTIMENT_MEAN[brand], 0.45, n), -1, 1)
        frame = pd.DataFrame(
            {
                "day": day_idx,
                "platform": rng.choice(platforms, n, p=platform_share),
                "brand": brand,
                "polarity": np.select([score > 0.25, score < -0.25], ["positive", "negative"], "neutral"),
                "crisis": False,
            }
        )
        rows.append(frame)
        if brand == BRAND:
            extra = rng.poisson(per_day * scale * CRISIS_EXTRA_SHARE * (CRISIS_VOLUME - 1), int(in_crisis.sum()))
            crisis_days = np.repeat(np.flatnonzero(in_crisis), extra)
            rows.append(pd.DataFrame({"day": crisis_days, "platform": "weibo", "brand": brand, "polarity": "negative", "crisis": True}))
    m = pd.concat(rows, ignore_index=True)
    n = len(m)
    hours = rng.choice(24, size=n, p=HOUR_WEIGHTS / HOUR_WEIGHTS.sum())
    seconds = rng.integers(0, 3600, n)
    m["published_at"] = dates[m["day"].to_numpy()] + pd.to_timedelta(hours * 3600 + seconds, unit="s")
    texts = []
    for pol, crisis_flag, brand in zip(m["polarity"], m["crisis"], m["brand"]):
        pool = CRISIS_TEMPLATES if crisis_flag else MENTION_TEMPLATES[pol]
        texts.append(pool[rng.integers(len(pool))].format(brand=BRAND_ZH[brand] if rng.random() < 0.6 else brand))
    m["text"] = texts
    m["topic"] = [next((topic for topic, words in MENTION_TOPIC_RULES if any(w in t for w in words)), "product") for t in texts]
    m["author"] = [f"user{a:06d}" for a in rng.integers(0, 10**6, n)]
    m["author_followers"] = np.round(np.exp(rng.normal(6.0, 2.0, n))).astype(np.int64)
    m["likes"] = rng.poisson(np.exp(rng.normal(1.0, 1.2, n)))
    m["comments"] = rng.poisson(np.exp(rng.normal(0.0, 1.0, n)))
    m["shares"] = rng.poisson(np.exp(rng.normal(-0.5, 1.2, n)) * np.where(m["crisis"], 6.0, 1.0))
    m = m.sort_values("published_at", kind="stable").reset_index(drop=True)
    m["mention_id"] = [f"m{i:08d}" for i in range(len(m))]
    m["is_reply_by_brand"] = False
    m["reply_to"] = None

    # The brand answers some negative mentions of itself, after a delay.
    negatives = m[(m["brand"] == BRAND) & (m["polarity"] == "negative")]
    answered = negatives[rng.random(len(negatives)) < 0.35]
    replies = pd.DataFrame(
        {
            "platform": answered["platform"].to_numpy(),
            "brand": BRAND,
            "published_at": answered["published_at"].to_numpy() + pd.to_timedelta(rng.exponential(3.0, len(answered)), unit="h").round("s"),
            "text": "您好，非常抱歉给您带来不便，请私信我们，我们会尽快处理。",
            "author": "Lumina露米娜官方",
            "author_followers": PROFILES["weibo"].base_followers,
            "likes": rng.poisson(2.0, len(answered)),
            "comments": 0,
            "shares": 0,
            "is_reply_by_brand": True,
            "reply_to": answered["mention_id"].to_numpy(),
        }
    )
    replies["mention_id"] = [f"r{i:08d}" for i in range(len(replies))]
    m = pd.concat([m, replies], ignore_index=True).sort_values("published_at", kind="stable").reset_index(drop=True)
    m["published_at"] = m["published_at"].dt.tz_localize(TZ).map(lambda t: t.isoformat())
    m["sentiment"] = np.nan  # computed by the reputation monitor; listening exports often lack it
    cols = ["mention_id", "platform", "published_at", "brand", "author", "author_followers", "text", "likes", "comments", "shares", "is_reply_by_brand", "reply_to", "sentiment", "topic"]
    return m[cols]


SEGMENTS = {
    "trend_seekers": {
        "share": 0.35, "age": (21, 3), "female": 0.75, "tiers": [0.45, 0.4, 0.1, 0.05],
        "occupations": ["student", "designer", "marketing"], "interests": ["beauty", "fashion", "travel", "home_decor"],
        "platforms": {"xiaohongshu": 0.6, "douyin": 0.4}, "spend": 220, "orders": 4.0, "likes": 120, "posts": 6, "hour": 22,
        "needs": (4.2, 2.5, 4.0), "name": "Young urban trend-seekers",
    },
    "gamers": {
        "share": 0.20, "age": (22, 3), "female": 0.2, "tiers": [0.3, 0.4, 0.2, 0.1],
        "occupations": ["student", "engineer"], "interests": ["gaming", "anime", "tech", "diy"],
        "platforms": {"bilibili": 0.7, "douyin": 0.3}, "spend": 90, "orders": 1.5, "likes": 200, "posts": 2, "hour": 23,
        "needs": (3.0, 3.8, 4.6), "name": "Student gamers and tinkerers",
    },
    "professionals": {
        "share": 0.20, "age": (33, 4), "female": 0.45, "tiers": [0.7, 0.25, 0.05, 0.0],
        "occupations": ["engineer", "manager", "finance", "consultant"], "interests": ["career", "tech", "productivity", "finance"],
        "platforms": {"linkedin": 0.35, "wechat": 0.45, "weibo": 0.2}, "spend": 480, "orders": 2.0, "likes": 25, "posts": 1, "hour": 8,
        "needs": (3.8, 2.0, 2.2), "name": "Urban professionals",
    },
    "families": {
        "share": 0.25, "age": (38, 6), "female": 0.65, "tiers": [0.1, 0.25, 0.35, 0.3],
        "occupations": ["teacher", "civil_servant", "self_employed", "homemaker"], "interests": ["parenting", "food", "home_decor", "health"],
        "platforms": {"kuaishou": 0.45, "douyin": 0.3, "wechat": 0.25}, "spend": 260, "orders": 3.0, "likes": 60, "posts": 3, "hour": 20,
        "needs": (2.6, 3.2, 3.4), "name": "Value-seeking families",
    },
}
REGIONS = ["华东", "华南", "华北", "华中", "西南", "西北", "东北"]


def _audience(rng: np.random.Generator, scale: float) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    n = int(round(20000 * scale))
    names = list(SEGMENTS)
    seg = rng.choice(len(names), size=n, p=[SEGMENTS[s]["share"] for s in names])
    cols: dict[str, list] = {k: [None] * n for k in ("platform", "occupation", "interests", "region")}
    age = np.empty(n)
    gender = np.empty(n, dtype=object)
    tier = np.empty(n, dtype=np.int64)
    spend = np.empty(n)
    orders = np.empty(n)
    likes = np.empty(n)
    posts = np.empty(n)
    hour = np.empty(n, dtype=np.int64)
    needs = np.empty((n, 3))
    for k, name in enumerate(names):
        s = SEGMENTS[name]
        idx = np.flatnonzero(seg == k)
        m = len(idx)
        age[idx] = np.clip(np.round(rng.normal(*s["age"], m)), 16, 70)
        gender[idx] = np.where(rng.random(m) < s["female"], "female", "male")
        tier[idx] = rng.choice([1, 2, 3, 4], size=m, p=s["tiers"])
        plats = rng.choice(list(s["platforms"]), size=m, p=list(s["platforms"].values()))
        occs = rng.choice(s["occupations"], size=m)
        regions = rng.choice(REGIONS, size=m)
        own = [";".join(sorted(rng.choice(s["interests"], size=rng.integers(1, 4), replace=False))) for _ in range(m)]
        # a third of users also hold one interest from outside their segment
        other = [i for other_name in names if other_name != name for i in SEGMENTS[other_name]["interests"]]
        mixed = rng.random(m) < 0.33
        extra = rng.choice(other, size=m)
        own = [f"{a};{b}" if mix and b not in a else a for a, b, mix in zip(own, extra, mixed)]
        for j, i in enumerate(idx):
            cols["platform"][i] = plats[j]
            cols["occupation"][i] = occs[j]
            cols["region"][i] = regions[j]
            cols["interests"][i] = own[j]
        spend[idx] = np.round(np.exp(rng.normal(np.log(s["spend"]), 0.6, m)), 2)
        orders[idx] = rng.poisson(s["orders"], m)
        likes[idx] = rng.poisson(np.exp(rng.normal(np.log(s["likes"]), 0.5, m)))
        posts[idx] = rng.poisson(s["posts"], m)
        hour[idx] = (s["hour"] + np.round(rng.normal(0, 1.5, m))).astype(np.int64) % 24
        needs[idx] = np.clip(np.round(rng.normal(s["needs"], 0.7, (m, 3))), 1, 5)
    needs_missing = rng.random((n, 3)) < 0.15  # survey items left blank
    needs[needs_missing] = np.nan
    audience = pd.DataFrame(
        {
            "user_id": [f"u{i:07d}" for i in range(n)],
            "platform": cols["platform"],
            "age": age.astype(np.int64),
            "gender": gender,
            "region": cols["region"],
            "city_tier": tier,
            "occupation": cols["occupation"],
            "interests": cols["interests"],
            "orders_per_month": orders.astype(np.int64),
            "spend_per_month": spend,
            "posts_per_month": posts.astype(np.int64),
            "likes_per_month": likes.astype(np.int64),
            "active_hour": hour,
            "need_recognition": needs[:, 0],
            "need_venting": needs[:, 1],
            "need_entertainment": needs[:, 2],
        }
    )
    segments = pd.DataFrame({"user_id": audience["user_id"], "platform": audience["platform"], "segment": [names[k] for k in seg]})
    truth = {
        "segments": [
            {
                "segment": name,
                "name": SEGMENTS[name]["name"],
                "size": int((seg == k).sum()),
                "interests": SEGMENTS[name]["interests"],
                "platforms": list(SEGMENTS[name]["platforms"]),
                "active_hour": SEGMENTS[name]["hour"],
            }
            for k, name in enumerate(names)
        ],
        "user_segments_file": "truth_segments.csv",
    }
    return audience, segments, truth


def _experiments(rng: np.random.Generator, scale: float, end: pd.Timestamp) -> tuple[pd.DataFrame, list[dict]]:
    """Two per-unit experiments: a cover test with planted lifts and a title test with none."""
    specs = [
        ("EXP-COVER-01", -40, {"ctr": 0.15, "watch_seconds": 0.05, "conversion": 0.0}),
        ("EXP-TITLE-02", -30, {"ctr": 0.0, "watch_seconds": 0.0, "conversion": 0.0}),
    ]
    frames, truth = [], []
    per_variant = int(round(20000 * scale))
    for exp_id, start_offset, lift in specs:
        n = 2 * per_variant
        variant = np.where(rng.random(n) < 0.5, "control", "treatment")
        treated = variant == "treatment"
        start = end + pd.Timedelta(days=start_offset)
        assigned = start + pd.to_timedelta(rng.uniform(0, 14 * 86400, n), unit="s").round("s")
        impressions = 1 + rng.poisson(4.0, n)
        user_ctr = np.clip(rng.beta(2, 18, n) * np.where(treated, 1 + lift["ctr"], 1.0), 0, 1)
        clicks = rng.binomial(impressions, user_ctr)
        converted = rng.binomial(1, 0.03 * np.where(treated, 1 + lift["conversion"], 1.0))
        pre = np.exp(rng.normal(3.2, 0.6, n))
        watch = pre * np.exp(rng.normal(0.0, 0.35, n)) * np.where(treated, 1 + lift["watch_seconds"], 1.0)
        hides = rng.binomial(1, 0.01, n)
        frames.append(
            pd.DataFrame(
                {
                    "experiment_id": exp_id,
                    "variant": variant,
                    "unit_id": [f"{exp_id[-2:]}u{i:07d}" for i in range(n)],
                    "assigned_at": assigned.tz_localize(TZ).map(lambda t: t.isoformat()),
                    "impressions": impressions,
                    "clicks": clicks,
                    "converted": converted,
                    "watch_seconds": np.round(watch, 2),
                    "pre_watch_seconds": np.round(pre, 2),
                    "hides": hides,
                }
            )
        )
        truth.append(
            {
                "experiment_id": exp_id,
                "control": "control",
                "planned_split": {"control": 0.5, "treatment": 0.5},
                "relative_lift": {"clicks_per_impression": lift["ctr"], "watch_seconds": lift["watch_seconds"], "converted": lift["conversion"]},
            }
        )
    return pd.concat(frames, ignore_index=True), truth


# Community (社群): members join every day (more as the year goes on), act
# often at first and less as weeks pass, and leave after a while; a few core
# members act far more than the rest. Actions per active day are drawn per
# member, so contributions are heavy-tailed as in real communities.
COMMUNITY_PLATFORMS = {"weibo": 0.25, "wechat": 0.25, "xiaohongshu": 0.2, "douyin": 0.15, "bilibili": 0.1, "kuaishou": 0.05}
COMMUNITY_JOINS_PER_DAY = 8.0  # at scale 1, growing from 0.8x to 1.2x over the year
COMMUNITY_EXISTING = 600  # members who joined before the data begins (at scale 1)
COMMUNITY_MEAN_LIFETIME = 45.0  # days until a typical member stops acting
COMMUNITY_DECAY_DAYS = 14.0  # the early enthusiasm fades with this time constant
COMMUNITY_ACTION_RATES = {"like": 2.0, "comment": 0.6, "share": 0.2, "post": 0.1}  # per active day, times the member's propensity
COMMUNITY_CHECKIN = 0.7  # chance of a check-in (签到) on an active day


def _community(rng: np.random.Generator, dates: pd.DatetimeIndex, scale: float) -> tuple[pd.DataFrame, dict]:
    n_days = len(dates)
    growth = np.linspace(0.8, 1.2, n_days)
    joins = rng.poisson(COMMUNITY_JOINS_PER_DAY * scale * growth)
    existing = int(round(COMMUNITY_EXISTING * scale))
    join_day = np.concatenate([rng.integers(-200, 0, existing), np.repeat(np.arange(n_days), joins)])
    n = len(join_day)
    names = list(COMMUNITY_PLATFORMS)
    platform = rng.choice(names, size=n, p=list(COMMUNITY_PLATFORMS.values()))
    propensity = np.exp(rng.normal(0.0, 0.8, n))
    lifetime = rng.exponential(COMMUNITY_MEAN_LIFETIME, n) * np.sqrt(propensity)
    last_day = np.minimum(join_day + np.ceil(lifetime).astype(np.int64), n_days - 1)
    first_day = np.maximum(join_day, 0)
    span = np.maximum(last_day - first_day + 1, 0)
    member = np.repeat(np.arange(n), span)
    offset = np.arange(len(member)) - np.repeat(np.cumsum(span) - span, span)
    day = first_day[member] + offset
    age = day - join_day[member]
    weekend = np.where(dates[day].day_of_week >= 5, 1.15, 1.0)
    base = np.minimum(0.9, 0.35 * propensity[member])
    p_active = np.minimum(base * (0.25 + 0.75 * np.exp(-age / COMMUNITY_DECAY_DAYS)) * weekend, 0.95)
    active = (rng.random(len(member)) < p_active) | (age == 0)  # a member joins by acting
    member, day = member[active], day[active]
    m = len(member)
    counts = {"checkin": rng.binomial(1, COMMUNITY_CHECKIN, m)}
    for action, rate in COMMUNITY_ACTION_RATES.items():
        counts[action] = rng.poisson(rate * propensity[member])
    nothing = sum(counts.values()) == 0
    counts["like"][nothing] = 1  # an active day has at least one action
    frames = [
        pd.DataFrame({"day": day, "member": member, "action": action, "count": c})[c > 0]
        for action, c in counts.items()
    ]
    rows = pd.concat(frames, ignore_index=True).sort_values(["day", "member", "action"], kind="stable")
    out = pd.DataFrame(
        {
            "date": dates[rows["day"].to_numpy()].strftime("%Y-%m-%d"),
            "platform": platform[rows["member"].to_numpy()],
            "user_id": [f"cm{i:06d}" for i in rows["member"].to_numpy()],
            "action": rows["action"].to_numpy(),
            "count": rows["count"].to_numpy(),
        }
    )
    truth = {
        "members": int(n), "existing_members": existing, "joins_per_day": COMMUNITY_JOINS_PER_DAY * scale,
        "mean_lifetime_days": COMMUNITY_MEAN_LIFETIME, "decay_days": COMMUNITY_DECAY_DAYS,
        "actions": ["checkin", *COMMUNITY_ACTION_RATES],
    }
    return out.reset_index(drop=True), truth


# Who runs which account (考核 needs an owner per account or post). The brand's
# Douyin live streams belong to a live operator, whatever account-level owner
# Douyin has: a post-level row overrides the account-level one.
TEAM = (
    ("weibo", "王芳", "content planner"),
    ("wechat", "王芳", "content planner"),
    ("douyin", "李雷", "content planner"),
    ("kuaishou", "李雷", "content planner"),
    ("xiaohongshu", "张敏", "community manager"),
    ("bilibili", "张敏", "community manager"),
    ("linkedin", "Chen Jie", "content planner"),
)
LIVE_OWNER = ("赵强", "live operator")


def _team(posts: pd.DataFrame) -> pd.DataFrame:
    rows = [{"platform": p, "account": BRAND, "post_id": None, "owner": o, "role": r} for p, o, r in TEAM]
    live = posts[(posts["account"] == BRAND) & (posts["platform"] == "douyin") & (posts["content_type"] == "live")]
    rows += [{"platform": "douyin", "account": BRAND, "post_id": pid, "owner": LIVE_OWNER[0], "role": LIVE_OWNER[1]} for pid in live["post_id"]]
    return pd.DataFrame(rows, columns=["platform", "account", "post_id", "owner", "role"])


SAMPLE_TABLES = ("posts", "account_daily", "audience", "mentions", "campaigns", "experiments", "community_activity", "team")


def build_sample_store(
    store: str | Path | None = None, *, seed: int = 7, scale: float = 1.0, quiet: bool = True, without: Iterable[str] = ()
) -> Path:
    """Generate the sample data and ingest every table into a fresh store.

    The sample CSVs are kept in ``sample/`` beside the store so an analyst can
    open them; the store is built in a temporary file and moved into place,
    so an interrupted build never leaves a half-filled store.
    """
    path = Path(store) if store is not None else default_store_path()
    folder = path.parent / "sample"
    files = write(folder, seed=seed, scale=scale, without=without)
    tmp = path.with_name(path.name + ".building")
    tmp.unlink(missing_ok=True)
    for table in SAMPLE_TABLES:
        report = ingest([files[table]], table, store=tmp, report_dir=path.parent)
        if report.quarantined or report.duplicates:
            raise RuntimeError(f"sample table {table} did not load cleanly:\n{report.summary()}")
        if not quiet:
            print(report.summary(), file=sys.stderr)
    tmp.replace(path)
    return path


def ensure_default_store(quiet: bool = True) -> Path:
    """The default store, built from the sample data the first time it is
    needed, so the first ``smkit run`` on a new machine needs no set-up step."""
    path = default_store_path()
    if not path.exists():
        print(f"smkit: building the sample store at {path} (first use)", file=sys.stderr)
        build_sample_store(path, quiet=quiet)
    return path
