"""The sample creator list: KOLs as a KOL platform exports them, with planted truth.

About 240 creators on Weibo, Douyin, Xiaohongshu and Bilibili. Each honest
creator has a true engagement rate (the platform's norm, the category's
multiplier, a size elasticity and the creator's own luck) and reports the
average of its last 30 days' posts, so creators with few posts are noisy.
Two kinds of fraud are planted:

- bought followers: the reported follower count is the real one times 3 to 9;
  engagement comes from the real followers only, the price follows the
  reported count, and the account history shows the purchase as a jump
  (for most of them: some bought before the history starts);
- bought likes: likes inflated 4 to 8 times, comments untouched, so the
  comment-to-like ratio falls far out of the platform's pattern.

A third of the creators are planted on target: their audience's gender, age
and region shares are drawn near the brand's audience; the rest are drawn
from audiences the brand does not serve. Truth (each creator's kind, true
engagements per post and whether it is on target) goes into truth.json.

The list is written as a raw export (Chinese headers, 1.2万, 35%, ¥3,000, ``-``)
and ingested like any export, so the sample exercises the header aliases.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from smkit.data.schema import AGE_BANDS, PLATFORM_ZH
from smkit.sample.people import REGIONS, SEGMENTS

CREATOR_PLATFORMS = {"weibo": 0.25, "douyin": 0.3, "xiaohongshu": 0.3, "bilibili": 0.15}
# Engagements (likes + comments + shares) per post per follower at 100k followers.
ENGAGEMENT_NORM = {"weibo": 0.006, "douyin": 0.02, "xiaohongshu": 0.03, "bilibili": 0.025}
COMMENT_PER_LIKE = {"weibo": 0.25, "douyin": 0.05, "xiaohongshu": 0.12, "bilibili": 0.07}
SHARE_PER_LIKE = {"weibo": 0.3, "douyin": 0.04, "xiaohongshu": 0.05, "bilibili": 0.05}
# Yuan per post for a creator with 10k followers; price grows as followers**0.85.
PRICE_PER_10K = {"weibo": 250.0, "douyin": 700.0, "xiaohongshu": 600.0, "bilibili": 650.0}
CATEGORIES = {"家居": 1.2, "数码科技": 0.9, "生活方式": 1.0, "美妆护肤": 1.1, "母婴": 1.3}
SIZE_ELASTICITY = -0.15  # the engagement rate falls as an account grows
CREATOR_SD = 0.35  # creators' own spread of the log engagement rate
POST_SD = 0.8  # spread of one post's log engagements around the creator's mean
HISTORY_DAYS = 90
N_CREATORS = 240
N_BOUGHT_FOLLOWERS = 14
N_BOUGHT_LIKES = 8
ON_TARGET_SHARE = 1 / 3
_FIRST = ("小鹿", "阿杰", "米粒", "橙子", "北北", "大王", "糖糖", "木子", "七七", "安安", "豆豆", "小周", "阿花", "老许", "饭团", "一一", "可乐", "青柠")
_SECOND = ("家居日记", "的生活", "测评", "好物分享", "爱设计", "研究所", "Vlog", "聊数码", "的小窝", "选物", "改造记", "说")
# The sample's past campaign partners (smkit.sample.owned.KOLS): the list holds them on Douyin, honest.
PAST_PARTNERS = ("光影小鹿", "家居阿木", "TechLiang", "设计师Momo", "宝妈日记", "极客老周", "Luna灯光实验室", "租房改造王")


def target_shares() -> dict[str, float]:
    """The sample brand audience's expected female share, age bands and region shares
    (from the persona segments the audience table is drawn from, so the creator list
    does not depend on the audience's size)."""
    from scipy.stats import norm

    female = sum(seg["share"] * seg["female"] for seg in SEGMENTS.values())
    edges = (-np.inf, 17.5, 24.5, 34.5, 44.5, np.inf)  # ages are whole years, rounded
    out = {"female_share": float(female)}
    for k, band in enumerate(AGE_BANDS):
        out[band] = float(sum(seg["share"] * (norm.cdf(edges[k + 1], *seg["age"]) - norm.cdf(edges[k], *seg["age"])) for seg in SEGMENTS.values()))
    out.update({f"region:{r}": 1 / len(REGIONS) for r in REGIONS})
    return out


def _names(rng: np.random.Generator, n: int) -> list[str]:
    names: list[str] = list(PAST_PARTNERS)
    seen = set(names)
    while len(names) < n:
        name = rng.choice(_FIRST) + rng.choice(_SECOND)
        if name in seen:
            name = f"{name}{int(rng.integers(2, 99))}"
        if name not in seen:
            seen.add(name)
            names.append(name)
    return names


def _audience_mix(rng: np.random.Generator, target: dict[str, float], on_target: bool) -> tuple[float, np.ndarray, str, float]:
    """A creator's female share, age-band shares, top region and its share."""
    ages = np.array([target.get(b, 0.2) for b in AGE_BANDS])
    female = target.get("female_share", 0.5)
    if on_target:
        female = float(np.clip(female + rng.normal(0, 0.05), 0.02, 0.98))
        ages = rng.dirichlet(ages * 60 + 0.5)
    else:
        female = float(np.clip(rng.choice([0.15, 0.9]) + rng.normal(0, 0.05), 0.02, 0.98))
        skew = np.zeros(len(AGE_BANDS))
        skew[rng.choice([0, 3, 4])] = 1.0
        ages = rng.dirichlet((0.2 * ages + 0.8 * skew) * 40 + 0.5)
    region = str(rng.choice(REGIONS))
    share = float(np.clip(rng.normal(0.2 if on_target else 0.5, 0.05), 0.1, 0.8))
    return female, ages, region, share


def creators(rng: np.random.Generator, end: pd.Timestamp, bought: bool = True) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """The raw creator list, its follower history (both with Chinese headers) and the truth.

    ``bought=False`` makes the null world: every creator honest.
    """
    n = N_CREATORS
    names = _names(rng, n)
    platforms = list(CREATOR_PLATFORMS)
    platform = np.array(rng.choice(platforms, size=n, p=list(CREATOR_PLATFORMS.values())), dtype=object)
    platform[: len(PAST_PARTNERS)] = "douyin"
    category = np.array(rng.choice(list(CATEGORIES), size=n), dtype=object)
    real = np.round(10 ** np.clip(rng.normal(5.0, 0.6, n), 3.8, 6.9)).astype(np.int64)
    norm = np.array([ENGAGEMENT_NORM[p] for p in platform]) * np.array([CATEGORIES[c] for c in category])
    true_rate = norm * (real / 1e5) ** SIZE_ELASTICITY * np.exp(rng.normal(0, CREATOR_SD, n))
    true_engagements = real * true_rate
    posts = np.clip(rng.poisson(8, n), 1, 40)
    few = rng.random(n) < 0.2
    posts[few] = rng.integers(1, 4, few.sum())
    # The reported average of ``posts`` lognormal posts: log-mean noise shrinks with the number of posts.
    cv2 = np.exp(POST_SD**2) - 1
    s2 = np.log1p(cv2 / posts)
    observed = true_engagements * np.exp(rng.normal(-s2 / 2, np.sqrt(s2)))
    comment_ratio = np.array([COMMENT_PER_LIKE[p] for p in platform]) * np.exp(rng.normal(0, 0.3, n))
    share_ratio = np.array([SHARE_PER_LIKE[p] for p in platform]) * np.exp(rng.normal(0, 0.3, n))
    likes = observed / (1 + comment_ratio + share_ratio)
    comments = likes * comment_ratio
    shares = likes * share_ratio

    kind = np.array(["honest"] * n, dtype=object)
    if bought:
        candidates = rng.permutation(np.arange(len(PAST_PARTNERS), n))
        kind[candidates[:N_BOUGHT_FOLLOWERS]] = "bought_followers"
        kind[candidates[N_BOUGHT_FOLLOWERS : N_BOUGHT_FOLLOWERS + N_BOUGHT_LIKES]] = "bought_likes"
    multiplier = np.where(kind == "bought_followers", rng.uniform(3, 9, n), 1.0)
    reported = np.round(real * multiplier).astype(np.int64)
    likes = np.where(kind == "bought_likes", likes * rng.uniform(4, 8, n), likes)
    price = np.array([PRICE_PER_10K[p] for p in platform]) * (reported / 1e4) ** 0.85 * np.exp(rng.normal(0, 0.3, n))
    price = np.where(price >= 10000, np.round(price, -3), np.round(price, -2)).clip(200)

    target = target_shares()
    on_target = rng.random(n) < ON_TARGET_SHARE
    mixes = [_audience_mix(rng, target, bool(t)) for t in on_target]

    # Follower history: steady growth, an honest viral day now and then, and the purchase as a jump.
    days = pd.date_range(end=end, periods=HISTORY_DAYS, freq="D")
    history = []
    jump_in_history = np.zeros(n, dtype=bool)
    for i in range(n):
        growth = rng.uniform(0.0002, 0.002)
        gains = rng.poisson(max(real[i] * growth, 1.0), HISTORY_DAYS).astype(float)
        if rng.random() < 0.1:  # a viral post: up to 4% in a day
            gains[rng.integers(1, HISTORY_DAYS)] += real[i] * rng.uniform(0.01, 0.04)
        path = np.cumsum(gains)
        path = path - path[-1] + real[i]
        if kind[i] == "bought_followers" and rng.random() < 0.85:
            start = int(rng.integers(10, HISTORY_DAYS - 5))
            spread = int(rng.integers(1, 4))
            bought_total = reported[i] - real[i]
            for d in range(spread):
                path[start + d :] += bought_total / spread
            path = path - path[-1] + reported[i]
            jump_in_history[i] = True
        elif kind[i] == "bought_followers":
            path = path + reported[i] - real[i]
        history.append(
            pd.DataFrame({"日期": days.strftime("%Y-%m-%d"), "平台": PLATFORM_ZH[platform[i]], "达人昵称": names[i], "粉丝数": np.round(path).astype(np.int64)})
        )

    raw = pd.DataFrame(
        {
            "达人昵称": names,
            "平台": [PLATFORM_ZH[p] for p in platform],
            "类目": category,
            "粉丝数": [_wan(v) for v in reported],
            "平均点赞": [_wan(v) for v in likes],
            "平均评论": [_wan(v) for v in comments],
            "平均分享": [_wan(v) for v in shares],
            "近30天作品数": posts,
            "报价": [_yuan(v) for v in price],
            "女性占比": [f"{m[0]:.0%}" for m in mixes],
            "男性占比": [f"{1 - m[0]:.0%}" for m in mixes],
            **{label: [f"{m[1][k]:.1%}" for m in mixes] for k, label in enumerate(("<18", "18-24岁", "25-34岁", "35-44岁", "45岁以上"))},
            "地域": [m[2] for m in mixes],
            "地域占比": [f"{m[3]:.0%}" for m in mixes],
        }
    )
    # Exports leave cells blank: a dash where a platform did not report shares.
    raw.loc[rng.random(n) < 0.03, "平均分享"] = "-"
    truth = {
        "n": n,
        "target_audience": {k: round(v, 4) for k, v in target.items()},
        "bought_followers": [str(x) for x in np.array(names, dtype=object)[kind == "bought_followers"]],
        "bought_likes": [str(x) for x in np.array(names, dtype=object)[kind == "bought_likes"]],
        "creators": [
            {
                "creator": names[i],
                "platform": platform[i],
                "kind": kind[i],
                "real_followers": int(real[i]),
                "true_engagements_per_post": round(float(true_engagements[i]), 2),
                "price": float(price[i]),
                "on_target": bool(on_target[i]),
                "jump_in_history": bool(jump_in_history[i]),
            }
            for i in range(n)
        ],
    }
    return raw, pd.concat(history, ignore_index=True), truth


def _wan(value: float) -> str:
    """A count as the platforms print it: 1.2万 from ten thousand up, whole below."""
    return f"{value / 1e4:.1f}万" if value >= 1e4 else f"{value:.0f}"


def _yuan(value: float) -> str:
    return f"¥{value:,.0f}"
