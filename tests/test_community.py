"""The community playbook (issue 23): events, points, growth, users at risk,
feedback; its tables, the sample's planted truths and the analyses that must
find them (and find nothing where nothing was planted)."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pytest

from smkit import sample
from smkit.data.ingest import ingest
from smkit.data.schema import normalise_event_type, normalise_feedback_status
from smkit.sample.people import _community


@pytest.fixture(scope="module")
def world():
    return sample.generate(seed=7, scale=1.0)


# ------------------------------------------------------------------ data model


def test_event_types_and_feedback_statuses_map_from_chinese_and_english():
    assert [normalise_event_type(v) for v in ("线上讨论", "抽奖", "Q&A", "Offline  Meetup", "挑战赛", "workshop")] == [
        "online_discussion",
        "lucky_draw",
        "qa",
        "offline_meetup",
        "challenge",
        "workshop",
    ]
    assert [normalise_feedback_status(v) for v in ("已解决", "处理中", "待处理", "Closed", "In progress")] == [
        "resolved",
        "responded",
        "open",
        "resolved",
        "responded",
    ]


def test_chinese_exports_of_the_new_tables_ingest_with_their_quirks(tmp_path):
    (tmp_path / "fb.csv").write_text(
        "工单号,平台,反馈人,反馈时间,问题分类,反馈内容,处理状态,首次回复时间,解决时间\n"
        "F001,微博,小王,2026/10/01 09:00,物流,快递三天没动,已解决,2026/10/01 11:30,2026/10/02 09:00\n"
        "F002,小红书,阿花,2026年10月2日 10:00,,APP闪退怎么办,处理中,2026-10-02 10:45,\n"
        "F003,抖音,bob,2026-10-03 08:00,,退款,已解决,2026-10-02 08:00,2026-10-04 08:00\n",
        encoding="utf-8",
    )
    (tmp_path / "ev.csv").write_text(
        '活动ID,活动名称,活动类型,平台,开始时间,结束时间,活动成本,参与人数\nE1,秋季话题,线上讨论,微博,2026-10-01 19:00,2026-10-01 22:00,"¥1,200",1.2万\nE2,抽奖,抽奖,微信,2026-10-05,,0,\n',
        encoding="utf-8",
    )
    (tmp_path / "pr.csv").write_text("兑换日期,会员ID,兑换商品,消耗积分\n2026/10/31,007,优惠券,100\n2026-10-31,008,会员月卡,-300\n", encoding="utf-8")
    store = tmp_path / "s.duckdb"
    fb = ingest([tmp_path / "fb.csv"], "feedback", store=store, report_dir=tmp_path)
    ev = ingest([tmp_path / "ev.csv"], "events", store=store, report_dir=tmp_path)
    pr = ingest([tmp_path / "pr.csv"], "point_redemptions", store=store, report_dir=tmp_path)
    assert fb.quarantined == 1 and "first_response_at is before received_at" in fb.summary()  # F003 answered before it came
    assert ev.quarantined == 0 and pr.quarantined == 1 and "points is negative" in pr.summary()
    con = duckdb.connect(str(store))
    rows = con.execute("SELECT feedback_id, platform, category, status, epoch(resolved_at - received_at) / 3600 FROM feedback ORDER BY 1").fetchall()
    assert rows == [("F001", "weibo", "物流", "resolved", 24.0), ("F002", "xiaohongshu", None, "responded", None)]
    assert con.execute("SELECT type, cost, participants FROM events ORDER BY event_id").fetchall() == [
        ("online_discussion", 1200.0, 12000),
        ("lucky_draw", 0.0, None),
    ]
    assert con.execute("SELECT user_id, points FROM point_redemptions").fetchall() == [("007", 100)]


# ------------------------------------------------------------------ the sample


def test_the_sample_keeps_the_other_tables_and_plants_its_truths(world):
    """Events, redemptions and feedback come from their own stream; community_activity
    differs from the base draw only by the lifting events' added members on their days."""
    truth = world["truth"]["community_ops"]
    dates = pd.date_range(end="2026-10-31", periods=365, freq="D")
    base, _ = _community(np.random.default_rng(np.random.SeedSequence(7).spawn(7)[6]), dates, 1.0)
    act = world["community_activity"]
    keys = ["date", "platform", "user_id", "action"]
    merged = act.merge(base, on=keys, how="outer", suffixes=("", "_base"), indicator=True)
    changed = merged[(merged["_merge"] != "both") | (merged["count"] != merged["count_base"])]
    lifted = {e["date"] for e in truth["events"] if e["planted_lift"] > 0}
    assert set(changed["date"]) == lifted and (merged["_merge"] != "right_only").all()
    lifts = pd.DataFrame(truth["events"]).groupby("type")["relative_lift_active"].agg(["min", "max"])
    assert lifts.loc["lucky_draw"].tolist() == [0.0, 0.0] and 0.23 < lifts.loc["online_discussion", "min"] <= lifts.loc["online_discussion", "max"] < 0.27
    fb = world["feedback"]
    assert set(fb["category"]) - {""} == set(truth["feedback"]["categories"]) and 0.25 < (fb["category"] == "").mean() < 0.35
    assert (world["point_redemptions"]["points"] > 0).all() and len(world["events"]) == 16
