"""Running the community: events with a planted lift, point redemptions and
feedback with a planted slow category.

Drawn from their own stream (``SeedSequence([seed, 23])``), so the tables that
existed before stay as they were, except that the lifting events add the
extra members they drew into ``community_activity`` on their days.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from smkit.sample.world import TZ

STREAM = 23  # the issue that introduced these tables: the second entropy word of their stream
# Planted relative lift in daily active members on an event's day, by type:
# online discussions bring members back, lucky draws do nothing.
EVENT_LIFT = {"online_discussion": 0.25, "lucky_draw": 0.0}
EVENT_NAMES = {"online_discussion": "话题讨论：{topic}", "lucky_draw": "幸运抽奖：{topic}"}
EVENT_TOPICS = ("秋冬护肤", "新品试用", "通勤穿搭", "居家好物", "旅行清单", "健身打卡", "读书分享", "周末美食")
EVENTS_PER_TYPE = 8
FIRST_EVENT_DAY = 70  # leaves a pre-period of ten weeks before the first event
# Points each action earns in the sample (the playbook's default rule) and the rewards on offer.
SAMPLE_POINTS = {"post": 10, "comment": 3, "share": 5, "like": 1, "checkin": 2}
REWARDS = {"优惠券": 100, "会员月卡": 300, "品牌周边": 500, "新品礼盒": 1000}
REDEEM_MONTHLY = 0.35  # chance a member with enough points redeems at a month's end
# Feedback: share, median hours to first response, median hours from then to resolution.
FEEDBACK = {
    "物流": (0.30, 2.0, 24.0),
    "产品质量": (0.25, 3.0, 48.0),
    "退款": (0.15, 20.0, 120.0),  # the planted slow category
    "账号": (0.15, 1.5, 6.0),
    "建议": (0.15, 6.0, 72.0),
}
SLOW_CATEGORY = "退款"
FEEDBACK_PER_DAY = 3.0  # at scale 1
UNCATEGORISED = 0.3  # share of feedback the export leaves without a category
NEVER_RESOLVED = 0.05
FEEDBACK_TEXTS = {
    "物流": ("快递三天没更新物流", "发货太慢了，什么时候能到", "物流显示已签收但我没收到", "包裹送错地址了", "配送员态度不好"),
    "产品质量": ("收到的产品有破损", "用了两天就坏了，质量太差", "颜色和图片不一样，有色差", "瓶盖漏液", "做工粗糙，有异味"),
    "退款": ("申请退款一周了还没到账", "退款被拒绝，要求重新审核", "退货退款流程太复杂", "退款什么时候能处理", "商品退回后一直没退款"),
    "账号": ("账号登录不上，提示密码错误", "收不到验证码", "积分不见了，账号异常", "手机号换绑失败", "账号被封了请解封"),
    "建议": ("建议增加更多颜色", "希望社群多办线下活动", "建议App加个夜间模式", "希望有更多积分兑换商品", "建议优化搜索功能"),
}


def _rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence([seed, STREAM]))


def community_ops(
    seed: int, dates: pd.DatetimeIndex, scale: float, community: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame, dict]:
    """Events, the community activity with their lift added, point redemptions, feedback and the truth."""
    rng = _rng(seed)
    events, community, event_truth = _events(rng, dates, community)
    redemptions = _redemptions(rng, dates, community)
    feedback = _feedback(rng, dates, scale)
    truth = {
        "event_lift": dict(EVENT_LIFT),
        "events": event_truth,
        "churn": {
            "pattern": "each member acts until a lifetime drawn at joining (exponential, longer for keener members) and their activity fades after joining; "
            "a member who has not acted for weeks, or acts less and less, is about to stop",
            "label": "no activity in the 28 days after the cut-off",
        },
        "points": {"rules": dict(SAMPLE_POINTS), "rewards": dict(REWARDS)},
        "feedback": {
            "slow_category": SLOW_CATEGORY,
            "categories": {c: {"share": s, "median_hours_to_first_response": r, "median_hours_response_to_resolution": h} for c, (s, r, h) in FEEDBACK.items()},
            "uncategorised_share": UNCATEGORISED,
        },
    }
    return events, community, redemptions, feedback, truth


def _events(rng: np.random.Generator, dates: pd.DatetimeIndex, community: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, list[dict]]:
    types = [t for _ in range(EVENTS_PER_TYPE) for t in EVENT_LIFT]
    days = np.linspace(FIRST_EVENT_DAY, len(dates) - 8, len(types)).round().astype(int)
    day_of = pd.Series(np.arange(len(dates)), index=dates.strftime("%Y-%m-%d"))
    act_day = community["date"].map(day_of).to_numpy()
    contributions = community["count"].where(community["action"].isin(["post", "comment"]), 0)
    members = community["user_id"].to_numpy()
    extra_rows, rows, truth = [], [], []
    for i, (kind, day) in enumerate(zip(types, days, strict=True)):
        event_id = f"EV{i + 1:03d}"
        today = act_day == day
        active = int(pd.unique(members[today]).size)
        contrib = int(contributions[today].sum())
        lift = EVENT_LIFT[kind]
        added = int(round(lift * active))
        if added:
            recent = pd.unique(members[(act_day < day) & (act_day >= day - 60)])
            pool = np.setdiff1d(recent, members[today])
            chosen = rng.choice(pool, size=min(added, len(pool)), replace=False)
            added = len(chosen)
            platform = community.drop_duplicates("user_id").set_index("user_id")["platform"].reindex(chosen).to_numpy()
            for action in ("comment", "like"):
                extra_rows.append(
                    pd.DataFrame({"date": dates[day].strftime("%Y-%m-%d"), "platform": platform, "user_id": chosen, "action": action, "count": 1})
                )
        topic = EVENT_TOPICS[i % len(EVENT_TOPICS)]
        start = dates[day] + pd.Timedelta(hours=19)
        rows.append(
            {
                "event_id": event_id,
                "name": EVENT_NAMES[kind].format(topic=topic),
                "type": kind,
                "platform": "wechat",
                "start_at": start.tz_localize(TZ).isoformat(),
                "end_at": (start + pd.Timedelta(hours=3)).tz_localize(TZ).isoformat(),
                "cost": float(rng.choice([0, 500, 1000, 2000])) if kind == "online_discussion" else float(rng.choice([2000, 3000, 5000])),
                "participants": int(added + rng.integers(20, 80)),
            }
        )
        truth.append(
            {
                "event_id": event_id,
                "type": kind,
                "date": str(dates[day].date()),
                "planted_lift": lift,
                "relative_lift_active": added / active if active else 0.0,
                "relative_lift_contributions": added / contrib if contrib else 0.0,
            }
        )
    if extra_rows:
        community = (
            pd.concat([community, *extra_rows], ignore_index=True).groupby(["date", "platform", "user_id", "action"], as_index=False, sort=False)["count"].sum()
        )
        community = community.sort_values(["date", "user_id", "action"], kind="stable").reset_index(drop=True)
    return pd.DataFrame(rows), community, truth


def _redemptions(rng: np.random.Generator, dates: pd.DatetimeIndex, community: pd.DataFrame) -> pd.DataFrame:
    """At each month's end a member with enough points may spend some on one reward."""
    earned = community.assign(points=community["count"] * community["action"].map(SAMPLE_POINTS).fillna(0), month=community["date"].str[:7])
    per_month = earned.pivot_table(index="user_id", columns="month", values="points", aggfunc="sum", fill_value=0)
    platform = community.drop_duplicates("user_id").set_index("user_id")["platform"].reindex(per_month.index).to_numpy()
    costs = np.array(sorted(REWARDS.values()))
    names = {v: k for k, v in REWARDS.items()}
    balance = np.zeros(len(per_month))
    last_day = {m: d for m, d in zip(dates.strftime("%Y-%m"), dates.strftime("%Y-%m-%d"), strict=True)}
    rows = []
    for month in per_month.columns:
        balance += per_month[month].to_numpy()
        affordable = np.searchsorted(costs, balance * rng.random(len(balance)), side="right")
        redeem = (rng.random(len(balance)) < REDEEM_MONTHLY) & (affordable > 0)
        cost = costs[np.clip(affordable - 1, 0, None)]
        for i in np.flatnonzero(redeem):
            rows.append(
                {"date": last_day[month], "platform": platform[i], "user_id": per_month.index[i], "reward": names[int(cost[i])], "points": int(cost[i])}
            )
        balance[redeem] -= cost[redeem]
    return pd.DataFrame(rows, columns=["date", "platform", "user_id", "reward", "points"])


def _feedback(rng: np.random.Generator, dates: pd.DatetimeIndex, scale: float) -> pd.DataFrame:
    n = int(rng.poisson(FEEDBACK_PER_DAY * scale * len(dates)))
    cats = list(FEEDBACK)
    category = rng.choice(cats, size=n, p=[FEEDBACK[c][0] for c in cats])
    received = dates[0] + pd.to_timedelta(rng.integers(0, len(dates), n), unit="D") + pd.to_timedelta(rng.integers(8 * 60, 23 * 60, n), unit="min")
    first = np.array([FEEDBACK[c][1] for c in category]) * rng.lognormal(0, 0.6, n)
    resolve = np.array([FEEDBACK[c][2] for c in category]) * rng.lognormal(0, 0.6, n)
    responded_at = received + pd.to_timedelta(np.round(first * 60), unit="min")
    resolved_at = responded_at + pd.to_timedelta(np.round(resolve * 60), unit="min")
    cutoff = dates[-1] + pd.Timedelta(days=1)
    never = rng.random(n) < NEVER_RESOLVED
    has_response = responded_at < cutoff
    has_resolution = (resolved_at < cutoff) & ~never
    text = [FEEDBACK_TEXTS[c][k] for c, k in zip(category, rng.integers(0, 5, n), strict=True)]
    status = np.where(has_resolution, "已解决", np.where(has_response, "处理中", "待处理"))
    frame = pd.DataFrame(
        {
            "feedback_id": [f"FB{i:05d}" for i in range(1, n + 1)],
            "platform": rng.choice(["wechat", "weibo", "xiaohongshu", "douyin"], size=n, p=[0.4, 0.25, 0.2, 0.15]),
            "author": [f"user{k:05d}" for k in rng.integers(0, 40000, n)],
            "received_at": received.tz_localize(TZ).map(lambda t: t.isoformat()),
            "category": np.where(rng.random(n) < UNCATEGORISED, "", category),
            "text": text,
            "status": status,
            "first_response_at": pd.Series(responded_at.tz_localize(TZ).map(lambda t: t.isoformat())).where(has_response, ""),
            "resolved_at": pd.Series(resolved_at.tz_localize(TZ).map(lambda t: t.isoformat())).where(has_resolution, ""),
        }
    )
    return frame.sort_values("received_at", kind="stable").reset_index(drop=True)
