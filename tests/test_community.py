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


@pytest.fixture(scope="session")
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


# ------------------------------------------------------------------ event effects

from smkit.playbooks.community import churn, events, feedback, growth, points  # noqa: E402


@pytest.fixture(scope="session")
def effects(world):
    act = world["community_activity"]
    daily = events.daily_series(act, pd.Timestamp(act["date"].min()), pd.Timestamp(act["date"].max()))
    return events.event_effects(daily, world["events"])


def test_planted_event_lifts_lie_in_their_intervals_and_the_null_type_is_not_called(world, effects):
    truth = {e["event_id"]: e for e in world["truth"]["community_ops"]["events"]}
    per = effects.per_event
    assert per["event_id"].nunique() == 16 and effects.skipped.empty
    for metric, key in (("active", "relative_lift_active"), ("contributions", "relative_lift_contributions")):
        rows = per[per["metric"] == metric]
        covered = [r.ci_low <= truth[r.event_id][key] <= r.ci_high for r in rows.itertuples()]
        assert sum(covered) >= 13, (metric, covered)  # 90% intervals: about 14 of 16 expected
        pooled = effects.per_type[effects.per_type["metric"] == metric].set_index("type")
        planted = np.mean([truth[e][key] for e in rows.loc[rows["type"] == "online_discussion", "event_id"]])
        works = pooled.loc["online_discussion"]
        assert works["significant"] and works["ci_low"] <= planted <= works["ci_high"], (metric, planted, works.to_dict())
        assert not pooled.loc["lucky_draw", "significant"] and pooled.loc["lucky_draw", "ci_low"] <= 0 <= pooled.loc["lucky_draw", "ci_high"]


def test_a_pooled_type_adds_its_events_draw_by_draw():
    index = pd.date_range("2026-01-01", periods=120)
    rng = np.random.default_rng(3)
    daily = pd.DataFrame({"active": 100 + rng.normal(0, 3, 120), "contributions": 50 + rng.normal(0, 2, 120)}, index=index)
    daily.loc["2026-03-15", "active"] += 30
    daily.loc["2026-04-10", "active"] += 30
    ev = pd.DataFrame({"event_id": ["a", "b"], "type": ["x", "x"], "start_at": ["2026-03-15 19:00", "2026-04-10 19:00"], "end_at": [None, None]})
    out = events.event_effects(daily, ev, pre_days=42)
    row = out.per_type[(out.per_type["metric"] == "active")].iloc[0]
    act = out.per_event[out.per_event["metric"] == "active"]
    assert row["relative_lift"] == pytest.approx((act["actual"].sum() - act["predicted"].sum()) / act["predicted"].sum())
    assert row["significant"] and row["ci_low"] < 0.3 < row["ci_high"]
    # the first event sits in the second's pre-period and is cleaned out of its baseline
    assert act.iloc[1]["predicted"] == pytest.approx(100, abs=4)


def test_an_event_without_enough_history_is_skipped_not_guessed():
    index = pd.date_range("2026-01-01", periods=40)
    daily = pd.DataFrame({"active": np.arange(40.0) % 7 + 50, "contributions": np.arange(40.0) % 5 + 9}, index=index)
    out = events.event_effects(daily, pd.DataFrame({"event_id": ["a"], "type": ["x"], "start_at": ["2026-01-20"]}), pre_days=28)
    assert out.per_event.empty and out.skipped["reason"].tolist() == ["history"]


# ------------------------------------------------------------------ churn


def _null_world(seed: int = 1, members: int = 1500, days: int = 240) -> pd.DataFrame:
    """Every member acts on any day with the same chance, whatever they did before: nothing predicts leaving."""
    rng = np.random.default_rng(seed)
    dates = pd.date_range(end="2026-10-31", periods=days)
    m, d = np.nonzero(rng.random((members, days)) < 0.08)
    return pd.DataFrame({"date": dates[d].strftime("%Y-%m-%d"), "platform": "wechat", "user_id": [f"u{i}" for i in m], "action": "like", "count": 1})


def test_churn_ranking_beats_075_on_the_held_out_month_and_is_a_coin_toss_in_a_null_world(world):
    result = churn.churn_model(world["community_activity"], pd.Timestamp("2026-10-31"))
    assert result.auc > 0.75 and result.test_cutoff == pd.Timestamp("2026-10-03")
    assert result.coefficients["recency"] > 0 > result.coefficients["frequency"]  # longer silence and fewer days: more risk
    assert len(result.at_risk) == 20 and result.at_risk["risk"].is_monotonic_decreasing and (result.at_risk["recency"] < 28).all()
    null = churn.churn_model(_null_world(), pd.Timestamp("2026-10-31"))
    assert 0.44 < null.auc < 0.56


def test_the_auc_is_the_mann_whitney_statistic():
    from scipy.stats import mannwhitneyu
    from sklearn.metrics import roc_auc_score

    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 300)
    score = y * 0.8 + rng.normal(0, 1, 300)
    u = mannwhitneyu(score[y == 1], score[y == 0]).statistic
    assert roc_auc_score(y, score) == pytest.approx(u / ((y == 1).sum() * (y == 0).sum()))


def test_features_count_recency_frequency_and_trend_by_hand():
    act = pd.DataFrame(
        {"date": ["2026-01-01", "2026-01-20", "2026-02-10", "2026-02-20", "2026-02-25"], "platform": "weibo", "user_id": "m", "action": "like", "count": 1}
    )
    f = churn.features(act, pd.Timestamp("2026-02-25")).loc["m"]
    # the 56 days up to 02-25 start on 01-01: 01-01 and 01-20 fall in the earlier 28 days, the three of February in the recent ones
    assert (f["recency"], f["frequency"], f["trend"], f["tenure"]) == (0.0, 3.0, 1.0, 55.0)


# ------------------------------------------------------------------ feedback


def test_feedback_times_and_open_items_are_exact_on_hand_made_cases():
    fb = pd.DataFrame(
        {
            "feedback_id": ["1", "2", "3", "4", "5"],
            "received_at": pd.to_datetime(["2026-10-01 09:00", "2026-10-02 10:00", "2026-10-03 08:00", "2026-10-20 12:00", "2026-10-30 08:00"]).tz_localize(
                "Asia/Shanghai"
            ),
            "category": ["物流", "物流", None, "退款", None],
            "text": ["快递三天没动", "快递三天没动！", "退款什么时候到账", "退款被拒", "你好"],
            "status": ["resolved", "resolved", "resolved", "responded", "open"],
            "first_response_at": pd.to_datetime(["2026-10-01 11:30", "2026-10-02 10:30", "2026-10-03 20:00", "2026-10-21 12:00", None]).tz_localize(
                "Asia/Shanghai"
            ),
            "resolved_at": pd.to_datetime(["2026-10-02 09:00", "2026-10-02 22:00", "2026-10-05 08:00", None, None]).tz_localize("Asia/Shanghai"),
        }
    )
    keywords = (("物流", ("快递", "物流")), ("退款", ("退款", "到账")))
    out = feedback.feedback_loop(fb, pd.Timestamp("2026-10-01"), pd.Timestamp("2026-10-31"), keywords)
    per = out.per_category.set_index("category")
    assert per.loc["物流"].tolist() == [2, 0, 1.5, 18.0, 0]  # count, classified, medians of (2.5, 0.5) and (24, 12) hours, open
    assert per.loc["退款", "count"] == 2 and per.loc["退款", "median_hours_to_first_response"] == 18.0  # (12 + 24) / 2
    assert per.loc["退款", "median_hours_to_resolution"] == 48.0 and per.loc["退款", "open"] == 1
    assert per.loc["other", "open"] == 1 and np.isnan(per.loc["other", "median_hours_to_first_response"])
    assert out.open == 2 and out.oldest_open_days == pytest.approx(11.5)  # 2026-10-20 12:00 to the end of 10-31
    assert out.open_by_age.to_dict() == {"under_1": 0, "1_3": 1, "3_7": 0, "7_30": 1, "over_30": 0}
    assert out.recurring[["text", "count"]].values.tolist() == [["快递三天没动", 2]]
    assert out.accuracy == 1.0 and out.classified == 2


def test_keywords_file_uncategorised_sample_feedback_correctly(world):
    from smkit.playbooks.community.parameters import settings

    fb = world["feedback"]
    known = fb[fb["category"] != ""]
    guessed = feedback.classify(known["text"], settings().keywords)
    assert (guessed == known["category"]).mean() > 0.95


def test_the_planted_slow_category_is_the_slowest(world):
    from smkit.playbooks.community.parameters import settings

    fb = world["feedback"].replace("", None)
    out = feedback.feedback_loop(fb, pd.Timestamp("2025-11-01"), pd.Timestamp("2026-10-31"), settings().keywords)
    per = out.per_category.set_index("category")
    assert per["median_hours_to_resolution"].idxmax() == world["truth"]["community_ops"]["feedback"]["slow_category"]
    assert per.loc["退款", "median_hours_to_first_response"] == pytest.approx(20, rel=0.2)


# ------------------------------------------------------------------ points, levels, growth


def test_redemptions_spend_the_oldest_points_and_the_rest_expire():
    day = pd.Timestamp
    earned = pd.DataFrame(
        {"user_id": ["a", "a", "a", "b"], "date": [day("2026-01-01"), day("2026-03-01"), day("2026-06-01"), day("2026-06-01")], "points": [100.0, 50, 30, 10]}
    )
    redeemed = pd.DataFrame({"user_id": ["a", "b"], "date": [day("2026-05-01"), day("2026-06-02")], "points": [120.0, 40]})
    book = points.ledger(earned, redeemed, day("2026-12-31"), expiry_days=180)
    # a: 120 spends the January 100 and 20 of March; March's other 30 expire on 2026-08-28; June's 30 expire on 2026-11-28
    assert book.loc["a"].tolist() == [180.0, 120.0, 60.0, 0.0, 0.0]
    assert book.loc["b"].tolist() == [10.0, 40.0, 0.0, 30.0, 0.0]  # the export started after b earned the rest
    book = points.ledger(earned, redeemed, day("2026-09-30"), expiry_days=180)
    assert book.loc["a", "outstanding"] == 30.0 and book.loc["a", "expired"] == 30.0


def test_levels_follow_a_rolling_window_so_members_fall():
    act = pd.DataFrame(
        {"date": ["2026-01-05", "2026-06-20", "2026-06-25"], "platform": "weibo", "user_id": ["quiet", "busy", "busy"], "action": "post", "count": [30, 3, 3]}
    )
    e = points.economy(act, None, pd.Timestamp("2026-06-01"), pd.Timestamp("2026-06-30"), {"post": 10}, [("L1", 0), ("L2", 50), ("L3", 200)], 180, 365, 0.01)
    assert e.levels.loc["L3", "at start"] == 1 and e.levels.loc["L2", "at end"] == 1 and e.levels.loc["L3", "at end"] == 1
    e = points.economy(act, None, pd.Timestamp("2026-07-01"), pd.Timestamp("2026-07-31"), {"post": 10}, [("L1", 0), ("L2", 50), ("L3", 200)], 30, 365, 0.01)
    assert e.fell == 1 and e.outstanding == 360 and e.liability == pytest.approx(3.6)


def test_growth_steps_by_hand():
    rows = [("n", d, "like", 1) for d in ("2026-02-01", "2026-02-03", "2026-02-10", "2026-02-20")] + [("n", "2026-02-25", "post", 20)]
    rows += [("old", "2026-01-02", "like", 1)]
    act = pd.DataFrame(rows, columns=["user_id", "date", "action", "count"]).assign(platform="weibo")
    s = growth.steps(act, active_days=4, core_contributions=20).loc["n"]
    assert (s["active_on"] - s["first"]).days == 19 and (s["core_on"] - s["first"]).days == 24
    f = growth.funnel(act, 4, 20)
    assert f.index.tolist() == [pd.Timestamp("2026-02-01")] and f.iloc[0].tolist() == [1, 1.0, 19.0, 1.0, 24.0]


# ------------------------------------------------------------------ the playbook


def test_the_playbook_runs_on_the_sample_store_and_fills_summary_json(sample_store):
    from smkit.params import Config
    from smkit.playbooks import community as pb

    cfg = Config(sample_store, pd.Timestamp("2026-05-03").date(), pd.Timestamp("2026-10-31").date(), {})
    result = pb.run(cfg, pb.settings())
    summary = result.to_summary()
    assert {e["type"] for e in summary["event_effects"]} == {"online_discussion", "lucky_draw"}
    assert set(summary["event_effects"][0]) >= {"event_id", "type", "relative_lift", "ci_low", "ci_high"}
    assert {t["type"] for t in summary["event_type_effects"]} == {"online_discussion", "lucky_draw"}
    assert summary["churn_auc"] is not None and set(summary["feedback"][0]) == {
        "category",
        "count",
        "median_hours_to_first_response",
        "median_hours_to_resolution",
        "open",
    }
    for lang in ("zh", "en"):
        text = pb.report.brief(result, lang) + pb.report.events_text(result, lang) + pb.report.feedback_text(result, lang) + pb.report.churn_text(result, lang)
        assert "nan" not in text.lower() and "None" not in text
        for table in (pb.report.levels_table, pb.report.funnel_table, pb.report.at_risk_table, pb.report.feedback_table, pb.report.personas_table):
            page = table(result, lang).to_html()
            assert ">nan<" not in page and "NaN" not in page and ">None<" not in page


def test_missing_tables_are_one_sentence_naming_the_export(sample_store, tmp_path):
    from smkit.params import Config
    from smkit.playbooks import community as pb

    only = tmp_path / "only.duckdb"
    con = duckdb.connect(str(only))
    con.execute(f"ATTACH '{sample_store}' AS src (READ_ONLY)")
    con.execute("CREATE TABLE community_activity AS SELECT * FROM src.community_activity")
    con.close()
    result = pb.run(Config(only, pd.Timestamp("2026-09-01").date(), pd.Timestamp("2026-10-31").date(), {}), pb.settings())
    assert not result.has_events and not result.has_feedback and not result.has_personas
    assert "smkit ingest FILE --table events" in pb.report.events_text(result, "en")
    assert "用户反馈或工单导出" in pb.report.feedback_text(result, "zh")
    assert result.to_summary()["event_effects"] == [] and result.to_summary()["feedback"] == []


def test_bad_parameters_name_what_is_wrong(tmp_path):
    from smkit.playbooks.community import settings

    with pytest.raises(ValueError, match="level thresholds must rise"):
        settings(level_thresholds="a:10,b:5")
    bad = tmp_path / "rules.csv"
    bad.write_text("rule,value\nexpiry_days,soon\nyuan_per_point,0.01\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"rules.csv, row 2: value 'soon' of expiry_days is not a number"):
        settings(rules=str(bad))


def test_the_reports_index_names_a_community_run_by_its_members():
    from smkit.run.report_html import headline

    assert headline("community", {"active_members": 1921, "at_risk": 240}, "zh") == "活跃成员 1,921 人，240 人有流失风险"
    assert headline("community", {"active_members": 1921, "at_risk": 240}, "en") == "1,921 active members, 240 at risk of leaving"
    assert headline("community", {"active_members": 12, "at_risk": None}, "en") == ""


# ------------------------------------------------------------------ potential users, benefits per level, growth tasks

from smkit.playbooks.community import potential, tasks  # noqa: E402


def _mentions(rows):
    return pd.DataFrame(
        rows, columns=["author", "brand", "is_reply_by_brand", "likes", "comments", "shares", "author_followers", "platform", "published_at"]
    ).assign(published_at=lambda f: pd.to_datetime(f["published_at"]))


def test_potential_users_are_the_brands_engaged_authors_who_are_not_members_by_hand():
    m = _mentions(
        [
            ("member1", "Lumina", False, 50, 0, 0, 10, "weibo", "2026-10-01"),
            ("fan", "Lumina", False, 3, 1, 0, 900, "douyin", "2026-10-02"),
            ("fan", "lumina", False, 2, 0, 0, 1200, "douyin", "2026-10-05"),
            ("loud", "Lumina", False, 10, 0, 0, 5, "weibo", "2026-10-03"),
            ("Lumina官方", "Lumina", True, 99, 9, 9, 1e6, "weibo", "2026-10-03"),  # the brand's own reply
            ("rival_fan", "Vexa", False, 500, 0, 0, 1e5, "weibo", "2026-10-03"),  # another brand's
            (None, "Lumina", False, 1, 0, 0, 1, "weibo", "2026-10-03"),  # no author
        ]
    )
    p = potential.potential_users(m, "Lumina", pd.Index(["member1", "member2"]))
    assert (p.engaged, p.members, p.potential) == (3, 1, 2)
    assert p.top.index.tolist() == ["loud", "fan"]  # by interactions drawn: 10 against 6
    assert p.top.loc["fan"].tolist()[:3] == [2, 6.0, 1200.0] and p.top.loc["fan", "platform"] == "douyin"


def test_potential_users_find_exactly_the_planted_non_members():
    rng = np.random.default_rng(5)
    authors = [f"u{i:04d}" for i in range(300)]
    planted_members = set(rng.choice(authors, 90, replace=False))
    rows = [(a, "Lumina", False, int(rng.integers(0, 50)), 0, 0, int(rng.integers(1, 10_000)), "weibo", "2026-10-01") for a in authors for _ in range(2)]
    p = potential.potential_users(_mentions(rows), "Lumina", pd.Index(sorted(planted_members) + ["cm_never_speaks"]), top_n=500)
    assert (p.engaged, p.members, p.potential) == (300, 90, 210)
    assert not set(p.top.index) & planted_members and len(p.top) == 210
    assert p.top["interactions"].is_monotonic_decreasing


def test_benefits_per_level_use_the_level_held_on_the_day_of_redemption():
    act = pd.DataFrame(
        {
            "date": ["2026-06-01", "2026-07-20", "2026-06-05", "2026-07-25"],
            "platform": "weibo",
            "user_id": ["a", "b", "c", "c"],
            "action": "post",
            "count": [6, 1, 30, 5],
        }
    )
    red = pd.DataFrame(
        {
            "date": ["2026-06-10", "2026-06-06", "2026-07-30", "2026-07-01"],
            "user_id": ["a", "c", "c", "d"],
            "points": [20, 100, 30, 10],
            "reward": "券",
        }
    )
    levels = [("L1", 0), ("L2", 50), ("L3", 200)]
    e = points.economy(act, red, pd.Timestamp("2026-06-01"), pd.Timestamp("2026-07-31"), {"post": 10}, levels, 30, 365, 0.01)
    b = e.benefits
    # a held L2 when redeeming (60 points in the 30 days) but has no points at the end; c redeemed at L3, then at L2 after falling;
    # d redeemed with no points earned (L1); b never redeemed and ends at L1.
    assert b["members"].tolist() == [2, 2, 1] and b["redeemers"].tolist() == [1, 2, 1]
    assert b["share"].tolist() == [0.5, 1.0, 1.0] and b["points"].tolist() == [10.0, 50.0, 100.0] and b["per_member"].tolist() == [5.0, 25.0, 100.0]
    assert (
        e.redeemed == 160
        and points.economy(act, None, pd.Timestamp("2026-06-01"), pd.Timestamp("2026-07-31"), {"post": 10}, levels, 30, 365, 0.01).benefits.empty
    )


def test_benefits_per_level_recover_planted_redemption_rates():
    rng = np.random.default_rng(11)
    rate = {"L1": 0.2, "L2": 0.6}
    acts, reds = [], []
    for i in range(2000):
        level = "L2" if i % 2 else "L1"
        acts.append(("2026-06-01", "weibo", f"m{i}", "post", 6 if level == "L2" else 1))
        if rng.random() < rate[level]:
            reds.append(("2026-06-15", f"m{i}", 5, "券"))
    act = pd.DataFrame(acts, columns=["date", "platform", "user_id", "action", "count"])
    red = pd.DataFrame(reds, columns=["date", "user_id", "points", "reward"])
    e = points.economy(act, red, pd.Timestamp("2026-06-01"), pd.Timestamp("2026-06-30"), {"post": 10}, [("L1", 0), ("L2", 50)], 90, 365, 0.01)
    for level, r in rate.items():
        assert e.benefits.loc[level, "members"] == 1000
        assert abs(e.benefits.loc[level, "share"] - r) < 3 * np.sqrt(r * (1 - r) / 1000)


TASKS = (
    tasks.Task("first_post", "首次发帖", "First post", "count", "post", 1),
    tasks.Task("comments_10", "累计评论 10 条", "10 comments", "count", "comment", 10),
    tasks.Task("checkin_7", "连续签到 7 天", "7-day streak", "streak", "checkin", 7),
    tasks.Task("first_event", "首次参加活动", "First event", "event", "", 1),
)


def test_growth_tasks_by_hand():
    days = lambda a, b: [d.strftime("%Y-%m-%d") for d in pd.date_range(a, b)]  # noqa: E731
    rows = [("u1", "2026-03-01", "post", 1), ("u1", "2026-03-02", "comment", 4), ("u1", "2026-06-05", "comment", 6)]
    rows += [("u1", d, "checkin", 1) for d in days("2026-06-01", "2026-06-06") + days("2026-06-08", "2026-06-14")]
    act = pd.DataFrame(rows, columns=["user_id", "date", "action", "count"]).assign(platform="wechat")
    act = pd.concat(
        [
            act,
            pd.DataFrame(
                [
                    ("u2", "2026-06-10", "like", 1, "weibo"),
                    ("u3", "2026-03-01", "post", 1, "weibo"),
                    ("u4", "2026-06-20", "checkin", None, "douyin"),
                    ("u4", "2026-06-22", "like", 1, "douyin"),
                ],
                columns=["user_id", "date", "action", "count", "platform"],
            ),
        ],
        ignore_index=True,
    )
    ev = pd.DataFrame(
        {
            "event_id": ["E1", "E2"],
            "platform": ["weibo", "douyin"],
            "start_at": pd.to_datetime(["2026-06-10 19:00", "2026-06-21 10:00"]).tz_localize("Asia/Shanghai"),
            "end_at": pd.to_datetime(["2026-06-10 21:00", "2026-06-22 12:00"]).tz_localize("Asia/Shanghai"),
        }
    )
    t = tasks.task_shares(act, TASKS, ev, pd.Timestamp("2026-06-01"), pd.Timestamp("2026-06-30")).set_index("task")
    assert t["members"].tolist() == [3] * 4  # u3 was not active in the window
    assert t["completed"].tolist() == [1, 1, 1, 2] and t["in_window"].tolist() == [0, 1, 1, 2]
    assert t.loc["first_event", "share"] == pytest.approx(2 / 3)
    done = tasks.completions(act, TASKS, ev)
    assert done.loc["u1", "checkin_7"] == pd.Timestamp("2026-06-14") and done.loc["u1", "comments_10"] == pd.Timestamp("2026-06-05")
    without = tasks.task_shares(act, TASKS, None, pd.Timestamp("2026-06-01"), pd.Timestamp("2026-06-30")).set_index("task")
    assert not without.loc["first_event", "measured"] and pd.isna(without.loc["first_event", "completed"]) and without.loc["checkin_7", "completed"] == 1


def test_growth_tasks_find_the_planted_streakers_and_no_one_where_none_was_planted():
    rows = []
    for i in range(400):
        start = pd.Timestamp("2026-06-01") + pd.Timedelta(days=i % 10)
        # a planted quarter checks in 7 days running; the others twice for 6 days with a day off between
        run = [start + pd.Timedelta(days=k) for k in range(7)] if i % 4 == 0 else [start + pd.Timedelta(days=k) for k in (*range(6), *range(7, 13))]
        rows += [(f"m{i}", d, "checkin", 1) for d in run]
    act = pd.DataFrame(rows, columns=["user_id", "date", "action", "count"]).assign(platform="weibo")
    t = tasks.task_shares(act, TASKS[2:3], None, pd.Timestamp("2026-06-01"), pd.Timestamp("2026-06-30"))
    assert t.loc[0, "share"] == 0.25 and t.loc[0, "completed"] == 100
    null = act[~act["user_id"].isin([f"m{i}" for i in range(0, 400, 4)])]
    assert tasks.task_shares(null, TASKS[2:3], None, pd.Timestamp("2026-06-01"), pd.Timestamp("2026-06-30")).loc[0, "completed"] == 0


def test_a_bad_growth_task_row_names_the_file_and_row(tmp_path):
    bad = tmp_path / "tasks.csv"
    bad.write_text("task,name_zh,name_en,kind,action,threshold\nfirst_post,首次发帖,First post,count,post,1\nx,x,x,daily,post,1\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"tasks.csv, row 3: kind 'daily' of x is not one of count, streak, event"):
        tasks.read_tasks(bad)
    bad.write_text("task,name_zh,name_en,kind,action,threshold\nx,x,x,count,post,many\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"row 2: threshold 'many' of x is not a number"):
        tasks.read_tasks(bad)


def test_the_new_sections_run_on_the_sample_store_in_both_languages(sample_store, tmp_path):
    from smkit.params import Config
    from smkit.playbooks import community as pb

    cfg = Config(sample_store, pd.Timestamp("2026-05-03").date(), pd.Timestamp("2026-10-31").date(), {})
    result = pb.run(cfg, pb.settings(brand="Lumina"))
    summary = result.to_summary()
    # the sample's members never write public mentions: every engaged author is a potential user
    assert summary["potential_users"]["engaged"] > 0 and summary["potential_users"]["members"] == 0
    assert [b["level"] for b in summary["benefits_by_level"]][:2] == ["L1 新手", "L2 活跃"]
    assert {t["task"] for t in summary["growth_tasks"]} == {"first_post", "checkin_7", "comments_10", "first_event"}
    assert all(0 <= t["share"] <= 1 for t in summary["growth_tasks"])
    for lang in ("zh", "en"):
        text = pb.report.potential_text(result, lang) + pb.report.tasks_text(result, lang) + pb.report.benefits_text(result, lang)
        assert "nan" not in text.lower() and "None" not in text and "Lumina" in text
        for table in (pb.report.potential_table, pb.report.tasks_table, pb.report.benefits_table):
            page = table(result, lang).to_html()
            assert ">nan<" not in page and "NaN" not in page and ">None<" not in page
    assert "参数 brand" in pb.report.potential_text(pb.run(cfg, pb.settings()), "zh")  # several brands, none named
    only = tmp_path / "only.duckdb"
    con = duckdb.connect(str(only))
    con.execute(f"ATTACH '{sample_store}' AS src (READ_ONLY)")
    con.execute("CREATE TABLE community_activity AS SELECT * FROM src.community_activity")
    con.close()
    bare = pb.run(Config(only, cfg.start, cfg.end, {}), pb.settings(brand="Lumina"))
    assert pb.report.potential_text(bare, "en").count(".") == 1 and "--table mentions" in pb.report.potential_text(bare, "en")
    assert bare.to_summary()["potential_users"] is None and bare.to_summary()["benefits_by_level"] == []
    assert [t["completed"] for t in bare.to_summary()["growth_tasks"]][3] is None  # no events table: the event task is not measured
