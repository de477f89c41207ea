"""People: audience segments, experiment units, community members and the team."""

from __future__ import annotations

import numpy as np
import pandas as pd

from smkit.sample.world import BRAND, TZ

SEGMENTS = {
    "trend_seekers": {
        "share": 0.35,
        "age": (21, 3),
        "female": 0.75,
        "tiers": [0.45, 0.4, 0.1, 0.05],
        "occupations": ["student", "designer", "marketing"],
        "interests": ["beauty", "fashion", "travel", "home_decor"],
        "platforms": {"xiaohongshu": 0.6, "douyin": 0.4},
        "spend": 220,
        "orders": 4.0,
        "likes": 120,
        "posts": 6,
        "hour": 22,
        "needs": (4.2, 2.5, 4.0),
        "name": "Young urban trend-seekers",
    },
    "gamers": {
        "share": 0.20,
        "age": (22, 3),
        "female": 0.2,
        "tiers": [0.3, 0.4, 0.2, 0.1],
        "occupations": ["student", "engineer"],
        "interests": ["gaming", "anime", "tech", "diy"],
        "platforms": {"bilibili": 0.7, "douyin": 0.3},
        "spend": 90,
        "orders": 1.5,
        "likes": 200,
        "posts": 2,
        "hour": 23,
        "needs": (3.0, 3.8, 4.6),
        "name": "Student gamers and tinkerers",
    },
    "professionals": {
        "share": 0.20,
        "age": (33, 4),
        "female": 0.45,
        "tiers": [0.7, 0.25, 0.05, 0.0],
        "occupations": ["engineer", "manager", "finance", "consultant"],
        "interests": ["career", "tech", "productivity", "finance"],
        "platforms": {"linkedin": 0.35, "wechat": 0.45, "weibo": 0.2},
        "spend": 480,
        "orders": 2.0,
        "likes": 25,
        "posts": 1,
        "hour": 8,
        "needs": (3.8, 2.0, 2.2),
        "name": "Urban professionals",
    },
    "families": {
        "share": 0.25,
        "age": (38, 6),
        "female": 0.65,
        "tiers": [0.1, 0.25, 0.35, 0.3],
        "occupations": ["teacher", "civil_servant", "self_employed", "homemaker"],
        "interests": ["parenting", "food", "home_decor", "health"],
        "platforms": {"kuaishou": 0.45, "douyin": 0.3, "wechat": 0.25},
        "spend": 260,
        "orders": 3.0,
        "likes": 60,
        "posts": 3,
        "hour": 20,
        "needs": (2.6, 3.2, 3.4),
        "name": "Value-seeking families",
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
    frames = [pd.DataFrame({"day": day, "member": member, "action": action, "count": c})[c > 0] for action, c in counts.items()]
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
        "members": int(n),
        "existing_members": existing,
        "joins_per_day": COMMUNITY_JOINS_PER_DAY * scale,
        "mean_lifetime_days": COMMUNITY_MEAN_LIFETIME,
        "decay_days": COMMUNITY_DECAY_DAYS,
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
