"""What people say: mentions of the brands, with the planted crisis and shares of voice."""

from __future__ import annotations

import numpy as np
import pandas as pd

from smkit.sample.world import (
    BRAND,
    BRAND_ZH,
    CRISIS_EXTRA_SHARE,
    CRISIS_TEMPLATES,
    CRISIS_VOLUME,
    HOUR_WEIGHTS,
    MENTION_TEMPLATES,
    MENTION_TOPIC_RULES,
    MENTIONS_PER_DAY,
    PROFILES,
    SENTIMENT_MEAN,
    TZ,
)


def _planted_share_of_voice(n_days: int, crisis: tuple | None) -> dict[str, float]:
    """Expected share of earned mentions per brand (the brand's own replies excluded)."""
    expected = {brand: rate * n_days for brand, rate in MENTIONS_PER_DAY.items()}
    if crisis is not None:
        crisis_days = (crisis[1] - crisis[0]).days + 1
        expected[BRAND] += MENTIONS_PER_DAY[BRAND] * CRISIS_EXTRA_SHARE * (CRISIS_VOLUME - 1) * crisis_days
    total = sum(expected.values())
    return {brand: round(n / total, 6) for brand, n in expected.items()}


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
    cols = [
        "mention_id",
        "platform",
        "published_at",
        "brand",
        "author",
        "author_followers",
        "text",
        "likes",
        "comments",
        "shares",
        "is_reply_by_brand",
        "reply_to",
        "sentiment",
        "topic",
    ]
    return m[cols]
