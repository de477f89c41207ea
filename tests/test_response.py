"""Response tracking on hand-made frames: when an alert was raised, the first
official response (a reply or a post), the deadline, the recovery of the
negative share, the owners from the team table and the SLA per owner."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest

from smkit.methods import response

TZ = "Asia/Shanghai"
ALERT = {
    "start": "2026-10-10",
    "end": "2026-10-12",
    "level": 3,  # Ⅱ级: 2 hours by default
    "platforms": ["weibo"],
    "usual_daily_mentions": 10.0,
    "baseline_negative_share": 0.1,
}
# per day: (mentions, negatives); the alert days 10 to 12, then a slow recovery
DAYS = {1: (10, 1), 2: (10, 1), 3: (10, 1), 4: (10, 1), 5: (10, 1), 6: (10, 1), 7: (10, 1), 8: (10, 1), 9: (10, 1)}
DAYS |= {10: (30, 21), 11: (30, 21), 12: (30, 21), 13: (20, 10), 14: (10, 2), 15: (10, 1), 16: (10, 1), 17: (10, 1)}


def _ts(day: int, minutes: int) -> pd.Timestamp:
    return pd.Timestamp(f"2026-10-{day:02d}", tz=TZ) + pd.Timedelta(minutes=minutes)


def _mentions(days: dict = DAYS, replies: list[tuple[pd.Timestamp, str]] = ()) -> pd.DataFrame:
    """Each day's mentions 40 minutes apart from midnight on Weibo, negatives first;
    ``replies`` are brand replies (time, the mention answered)."""
    rows = []
    for day, (n, negative) in days.items():
        for i in range(n):
            rows.append(
                {
                    "mention_id": f"m{day:02d}{i:02d}",
                    "platform": "weibo",
                    "published_at": _ts(day, 40 * i),
                    "brand": "B",
                    "author": f"u{day}{i}",
                    "sentiment": -0.8 if i < negative else 0.5,
                    "is_reply_by_brand": False,
                    "reply_to": None,
                }
            )
    for k, (when, to) in enumerate(replies):
        rows.append(
            {
                "mention_id": f"r{k}",
                "platform": "weibo",
                "published_at": when,
                "brand": "B",
                "author": "B官方",
                "sentiment": 0.3,
                "is_reply_by_brand": True,
                "reply_to": to,
            }
        )
    rows.append(
        {
            "mention_id": "x1",
            "platform": "weibo",
            "published_at": _ts(10, 1),
            "brand": "Other",
            "author": "o",
            "sentiment": -0.9,
            "is_reply_by_brand": False,
            "reply_to": None,
        }
    )
    return pd.DataFrame(rows)


def _posts(rows: list[tuple[str, str, pd.Timestamp]]) -> pd.DataFrame:
    return pd.DataFrame([{"platform": p, "account": a, "post_id": f"p{i}", "published_at": t} for i, (p, a, t) in enumerate(rows)])


REPLIES = [
    (_ts(10, 300), "m1001"),  # 05:00, before the day passed a usual day's mentions: not counted
    (_ts(10, 480), "m0105"),  # 08:00, a reply to a mention from before the alert: not counted
    (_ts(10, 550), "m1002"),  # 09:10, the first official reply
]


def test_the_alert_is_raised_when_its_day_passes_a_usual_day():
    m = _mentions()
    # the 11th mention of 10 October, at 10 x 40 minutes past midnight
    assert response.raised_at(ALERT, m, "B") == _ts(10, 400)
    assert response.raised_at({**ALERT, "usual_daily_mentions": 50.0}, m, "B") == _ts(10, 0)  # never passed: midnight
    assert response.raised_at({**ALERT, "usual_daily_mentions": None}, m, "B") == _ts(10, 0)


def test_the_first_reply_to_a_mention_of_the_alert_after_the_raise_is_the_response():
    at, kind = response.first_response(ALERT, _mentions(replies=REPLIES), None, "B")
    assert (at, kind) == (_ts(10, 550), "reply")


def test_a_brand_post_on_the_alerts_platform_counts_when_earlier():
    posts = _posts([("weibo", "B", _ts(10, 480)), ("douyin", "B", _ts(10, 420)), ("weibo", "Vexa", _ts(10, 410)), ("weibo", "B", _ts(10, 60))])
    at, kind = response.first_response(ALERT, _mentions(replies=REPLIES), posts, "B")
    assert (at, kind) == (_ts(10, 480), "post")  # the Douyin post, the competitor's and the one before the raise do not count
    at, kind = response.first_response(ALERT, _mentions(replies=REPLIES), posts, "B", accounts=["B官方号"])
    assert kind == "reply"  # the brand's account has another name: only the reply
    assert response.first_response(ALERT, _mentions(replies=REPLIES), posts, "B", kinds=("reply",)) == (_ts(10, 550), "reply")  # posts left out


def test_no_response_at_all():
    assert response.first_response(ALERT, _mentions(), _posts([]), "B") == (None, None)


@pytest.mark.parametrize(
    "level, replies, now_day, status, hours",
    [
        (3, REPLIES, 20, "missed", 2.5),  # Ⅱ级: 2 hours; answered after 2.5
        (2, REPLIES, 20, "met", 2.5),  # Ⅲ级: 12 hours
        (4, [], 20, "missed", None),  # never answered, the deadline long past
        (1, [], 10, "pending", None),  # Ⅳ级: 24 hours, and only hours have passed
    ],
)
def test_the_deadline_is_met_missed_or_pending(level, replies, now_day, status, hours):
    now = _ts(now_day, 600)
    t = response.track([{**ALERT, "level": level}], _mentions(replies=replies), None, "B", now=now)
    row = t.iloc[0]
    assert row["status"] == status and row["deadline_hours"] == response.DEFAULT_DEADLINE_HOURS[level]
    assert (row["response_hours"] is None or pd.isna(row["response_hours"])) if hours is None else row["response_hours"] == hours


def test_a_plan_deadline_replaces_the_default():
    t = response.track([ALERT], _mentions(replies=REPLIES), None, "B", deadline_hours={3: 3.0})
    assert t.iloc[0]["status"] == "met" and t.iloc[0]["deadline_hours"] == 3.0


def test_the_negative_share_recovers_to_baseline_in_days_after_the_response():
    m = _mentions(replies=REPLIES)
    share = response.daily_negative_share(m, "B", window_days=3)
    # 14 to 16 October: 2 + 1 + 1 negatives of 30 mentions
    assert share[pd.Timestamp("2026-10-16")] == pytest.approx(4 / 30)
    assert response.recovery(ALERT, _ts(10, 550), share) == (dt.date(2026, 10, 16), 6)
    one_day = response.daily_negative_share(m, "B", window_days=1)
    assert response.recovery(ALERT, _ts(10, 550), one_day) == (dt.date(2026, 10, 15), 5)  # 14 October is still 20%
    assert response.recovery(ALERT, None, share) == (None, None)  # no response: nothing measured
    cut = {d: v for d, v in DAYS.items() if d <= 13}
    assert response.recovery(ALERT, _ts(10, 550), response.daily_negative_share(_mentions(cut), "B", 3)) == (None, None)  # not yet


TEAM = pd.DataFrame(
    [
        {"platform": "weibo", "account": "B", "post_id": None, "owner": "王芳", "role": "content planner"},
        {"platform": "douyin", "account": "B", "post_id": None, "owner": "李雷", "role": "content planner"},
        {"platform": "douyin", "account": "B", "post_id": "d1", "owner": "赵强", "role": "live operator"},
        {"platform": None, "account": "B", "post_id": None, "owner": "陈静", "role": "PR lead"},
        {"platform": "weibo", "account": "Other", "post_id": None, "owner": "X", "role": "content planner"},
    ]
)


def test_owners_of_a_platform_come_from_the_brands_account_rows():
    assert response.platform_owners(TEAM, "B", "weibo") == [("王芳", "content planner")]
    assert response.platform_owners(TEAM, "B", "douyin") == [("李雷", "content planner")]  # not the live stream's owner
    assert response.platform_owners(TEAM, "B", "bilibili") == [("陈静", "PR lead")]  # the row for every platform
    assert response.platform_owners(TEAM, "Unknown", "weibo") == [("王芳", "content planner"), ("X", "content planner")]  # no row of its own: every account's
    assert response.platform_owners(None, "B", "weibo") == []
    assert response.alert_owners(TEAM, "B", ["weibo", "douyin"]) == ["王芳", "李雷"]


def test_tracking_rows_carry_owners_and_serialise_as_strict_json():
    t = response.track([ALERT, {**ALERT, "start": "2026-10-13", "end": "2026-10-13", "platforms": []}], _mentions(replies=REPLIES), None, "B", team=TEAM)
    assert list(t.columns) == list(response.TRACKING_COLUMNS)
    assert t.iloc[0]["owners"] == ("王芳",) and t.iloc[1]["owners"] == ("陈静",)
    fields = [response.response_fields(row) for _, row in t.iterrows()]
    text = json.dumps(fields, allow_nan=False, ensure_ascii=False)
    assert fields[0]["first_response_at"] == "2026-10-10T09:10:00+08:00" and fields[0]["response_hours"] == 2.5 and fields[0]["recovery_days"] == 6
    assert fields[1]["first_response_at"] is None and fields[1]["recovery_days"] is None and "NaN" not in text


def test_sla_by_owner_counts_met_missed_and_pending_for_each_owner():
    tracking = pd.DataFrame(
        {
            "owners": [("王芳",), ("王芳", "陈静"), ("陈静",), ()],
            "status": ["met", "missed", "pending", "met"],
            "response_hours": [1.0, 5.0, None, 3.0],
        }
    )
    sla = response.sla_by_owner(tracking)
    assert list(sla.index) == ["–", "王芳", "陈静"]
    assert sla.loc["王芳", ["alerts", "met", "missed", "pending"]].tolist() == [2, 1, 1, 0]
    assert sla.loc["王芳", "sla_rate"] == 0.5 and sla.loc["王芳", "median_response_hours"] == 3.0
    assert sla.loc["陈静", "sla_rate"] == 0.0 and sla.loc["陈静", "missed"] == 1 and sla.loc["陈静", "pending"] == 1  # 0 of 1 decided
    assert sla.loc["–", "sla_rate"] == 1.0  # an alert nobody owns is still counted
    assert response.sla_by_owner(tracking.iloc[0:0]).empty


def test_deadlines_and_kinds_parse_the_chinese_levels_and_keep_the_defaults():
    assert response.parse_deadlines("") == {4: 1.0, 3: 2.0, 2: 12.0, 1: 24.0}
    assert response.parse_deadlines("Ⅱ级:3，IV：48") == {4: 1.0, 3: 3.0, 2: 12.0, 1: 48.0}
    assert response.parse_deadlines("1:0.5") == {4: 0.5, 3: 2.0, 2: 12.0, 1: 24.0}  # 1 is Ⅰ级, the most severe
    with pytest.raises(ValueError, match="unknown warning level 'V'"):
        response.parse_deadlines("V:1")
    with pytest.raises(ValueError, match="above 0 hours"):
        response.parse_deadlines("Ⅲ:-2")
    assert response.parse_kinds("reply，post") == ("reply", "post") and response.parse_kinds("reply") == ("reply",)
    with pytest.raises(ValueError, match="reply and/or post"):
        response.parse_kinds("")
