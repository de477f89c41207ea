"""Campaign pacing and the post-mortem's league table: hand-made cases for the
trajectory, the spend pace and the re-budget rule; the planted running campaign
projected within its interval; the planted lifts ranked in order; the alert
sent to a fake channel."""

from __future__ import annotations

import json
import shutil

import duckdb
import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

from smkit import requirements
from smkit.methods import causal
from smkit.methods.campaigns import efficiency
from smkit.playbooks import campaign_pacing as pb
from smkit.playbooks.campaign_postmortem import league as league_mod
from smkit.run import catalog, pacing_notify
from smkit.run.notify import notify_folder
from smkit.run.response_plan import parse_plan

# ---------------------------------------------------------------- hand-made cases


def test_the_weekly_shape_weighs_each_weekday_by_its_usual_volume():
    days = pd.date_range("2026-01-05", periods=28, freq="D")  # a Monday, four whole weeks
    history = pd.Series(np.where(days.day_of_week >= 5, 200.0, 100.0), index=days)
    shape = pb.weekly_shape(history)
    assert shape.mean() == pytest.approx(1.0)
    assert shape[5] / shape[0] == pytest.approx(2.0) and shape[6] / shape[4] == pytest.approx(2.0)
    # too little history, or none: every weekday weighs the same
    assert (pb.weekly_shape(history.iloc[:10]) == 1).all() and (pb.weekly_shape(history * 0) == 1).all()


def test_the_trajectory_follows_the_weekly_shape_not_a_straight_line():
    shape = np.array([1, 1, 1, 1, 1, 2, 2], dtype=float)
    week = pd.date_range("2026-03-02", periods=7, freq="D")  # Monday to Sunday
    due = pb.trajectory(900.0, week, shape)
    # five weekdays of 1 and two weekend days of 2: 5/9 of the target is due by Friday
    assert due[4] == pytest.approx(500.0) and due[5] == pytest.approx(700.0) and due[-1] == pytest.approx(900.0)
    straight = np.linspace(900 / 7, 900, 7)
    assert due[4] < straight[4]
    # a flat shape is the straight line
    assert pb.trajectory(700.0, week, np.ones(7)) == pytest.approx(np.arange(1, 8) * 100.0)


def test_spend_pacing_against_an_even_budget():
    on = pb.spend_pacing(50.0, 100.0, 5, 10)
    assert on["expected"] == 50.0 and on["pace"] == pytest.approx(1.0) and on["projected"] == 100.0 and on["status"] == "on"
    over = pb.spend_pacing(60.0, 100.0, 5, 10)
    assert over["pace"] == pytest.approx(1.2) and over["projected"] == pytest.approx(120.0) and over["status"] == "over"
    assert pb.spend_pacing(52.0, 100.0, 5, 10)["status"] == "on"  # 104%: within the 5% allowance
    assert pb.spend_pacing(40.0, 100.0, 5, 10)["status"] == "under"
    none = pb.spend_pacing(40.0, None, 5, 10)
    assert none["status"] == "no_budget" and none["pace"] is None and none["projected"] == 80.0


def _posts(groups: dict[str, tuple[float, int, int]]) -> pd.DataFrame:
    """One post per group: (spend, clicks, conversions)."""
    rows = [
        {"channel": g, "spend": s, "views": 10000, "likes": 100, "comments": 10, "shares": 5, "clicks": c, "conversions": k} for g, (s, c, k) in groups.items()
    ]
    return pd.DataFrame(rows)


def test_money_moves_from_worst_to_best_only_beyond_chance():
    clear = efficiency(_posts({"kol": (1000.0, 1000, 80), "paid": (1000.0, 1000, 20)}), "channel")
    move = pb.rebudget(clear, "channel")
    assert (move.best, move.worst, move.action) == ("kol", "paid", "move")
    assert move.best_cpa == pytest.approx(12.5) and move.worst_cpa == pytest.approx(50.0)
    # the same gap on a tenth of the clicks is within chance
    _, p = sps.fisher_exact([[8, 92], [2, 98]])
    assert p > 0.05
    unclear = pb.rebudget(efficiency(_posts({"kol": (100.0, 100, 8), "paid": (100.0, 100, 2)}), "channel"), "channel")
    assert (unclear.best, unclear.worst, unclear.action) == ("kol", "paid", "hold") and unclear.p_value > 0.05
    assert pb.rebudget(efficiency(_posts({"kol": (100.0, 100, 8)}), "channel"), "channel") is None


def test_the_projection_covers_a_planted_ending_and_its_chance_follows_the_target():
    """Twelve worlds of causal.planted_series: a 28-day campaign seen after 14
    days. Over 40 such worlds (the same loop over range(40)) the
    95% interval covered the ending in 92.5% and the 90% one in 85%."""
    covered = 0
    for seed in range(12):
        y, _, start, _ = causal.planted_series(seed, 0.2, n_pre=90, n_post=28)
        day, end = y.index[90 + 13], y.index[-1]
        truth = float(y[start:].sum())
        p = pb.project(y[:day], start, end, day, truth, alpha=0.05, seed=seed)
        covered += p.low <= truth <= p.high
        assert p.actual == pytest.approx(float(y[start:day].sum())) and p.low < p.projected < p.high
        if seed == 0:
            assert pb.project(y[:day], start, end, day, p.low * 0.9, seed=seed).chance_to_meet > 0.97
            assert pb.project(y[:day], start, end, day, p.high * 1.1, seed=seed).chance_to_meet < 0.03
    assert covered >= 9  # 9 of these 12; 37 of the first 40


def test_the_z_test_against_the_top_matches_a_hand_computation():
    p, differs = league_mod.compare_with_top([0.5, 0.1, 0.3], [0.6, 0.2, 0.45], [0.7, 0.3, 0.6])
    se = 0.1 / sps.norm.ppf(0.975)
    raw = [2 * sps.norm.sf(0.4 / np.sqrt(2 * se**2)), 2 * sps.norm.sf(0.15 / np.sqrt(se**2 + (0.15 / sps.norm.ppf(0.975)) ** 2))]
    holm = sorted(raw)
    expected = {raw.index(holm[0]): min(1, 2 * holm[0]), raw.index(holm[1]): max(min(1, 2 * holm[0]), holm[1])}
    assert p[0] is None and differs[0] is None
    assert p[1] == pytest.approx(expected[0]) and p[2] == pytest.approx(expected[1])
    assert differs == [None, True, False]


# ---------------------------------------------------------------- the sample's planted truths


@pytest.fixture(scope="session")
def truth(sample_store):
    return json.loads((sample_store.parent / "sample" / "truth.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def pacing(sample_store):
    from smkit.playbook import setup

    cfg = setup(store=str(sample_store), needs=pb.NEEDS, campaign_id="", brand="")
    return pb.run(cfg, pb.settings(campaign_id=cfg.options["campaign_id"], brand=cfg.options["brand"]))


@pytest.fixture(scope="session")
def bundled(tmp_path_factory):
    """The running campaign as the bundled sample holds it (scale 1): its posts, account days, campaigns and team.
    The test store's smaller scale draws fewer partner posts, so its world draws another future."""
    from smkit.data.ingest import ingest
    from smkit.playbook import setup
    from smkit.sample.generate import write

    root = tmp_path_factory.mktemp("bundled")
    files = write(root / "sample", seed=7, scale=1.0)
    for table in ("posts", "account_daily", "campaigns", "team"):
        ingest([files[table]], table, store=root / "s.duckdb", report_dir=root)
    cfg = setup(store=str(root / "s.duckdb"), needs=pb.NEEDS, campaign_id="", brand="")
    result = pb.run(cfg, pb.settings(campaign_id=cfg.options["campaign_id"], brand=cfg.options["brand"]))
    return result, json.loads((root / "sample" / "truth.json").read_text(encoding="utf-8"))


def test_the_bundled_running_campaign_is_projected_within_its_planted_end(bundled):
    pacing, truth = bundled
    running = truth["running_campaign"]
    assert pacing.campaign.campaign_id == running["campaign_id"] and str(pacing.day) == running["day"]
    # every metric's 95% interval covers the ending the world drew
    for metric, end in running["planted_end"].items():
        row = pacing.metrics.loc[metric]
        assert row["actual"] == pytest.approx(running["actual_to_date"][metric])
        assert row["projected_low"] <= end <= row["projected_high"], (metric, end, row.to_dict())
    # views (the main metric) and conversions cover the mean ending too; followers only just cover the drawn one
    # (641 against a low end of about 640): the world's market falls back to its mean after the end date while the
    # model carries the current level forward, and the first 14 days were lucky (355 against about 325 expected)
    for metric in ("views", "conversions"):
        row = pacing.metrics.loc[metric]
        assert row["projected_low"] <= running["expected_end"][metric] <= row["projected_high"], (metric, row.to_dict())


def test_the_running_campaign_is_found_and_projected_within_its_planted_end(pacing, truth):
    running = truth["running_campaign"]
    assert pacing.campaign.campaign_id == running["campaign_id"] and str(pacing.day) == running["day"]
    assert (pacing.days_elapsed, pacing.days_total) == (running["days_elapsed"], running["days_total"])
    for metric in running["planted_end"]:
        row = pacing.metrics.loc[metric]
        assert row["actual"] == pytest.approx(running["actual_to_date"][metric]) and row["target"] == running["targets"][metric]
    # views (the main metric) and conversions: the interval covers the drawn ending and the mean one
    for metric in ("views", "conversions"):
        row = pacing.metrics.loc[metric]
        for end in (running["planted_end"][metric], running["expected_end"][metric]):
            assert row["projected_low"] <= end <= row["projected_high"], (metric, end, row.to_dict())
    # in this smaller world the followers' drawn ending (615) falls below the interval (about 640 to 796): see the
    # bundled sample's test above for why the model runs high here
    # the conversions target was planted at 1.5 times the planted ending: at risk, and alerted
    assert pacing.metrics.at["conversions", "chance_to_meet"] < 0.1 and "conversions" in pacing.alerts
    assert pacing.metrics.at["followers_gained", "chance_to_meet"] > 0.9
    # the budget was planted at 90% of the planned spend
    assert pacing.spend["status"] == "over" and pacing.spend["projected"] == pytest.approx(running["planned_spend"], rel=0.01)


def test_the_summary_holds_the_issues_keys(pacing):
    summary = pacing.to_summary()
    assert {"campaign_id", "day", "days_total"} <= set(summary)
    for figures in summary["metrics"].values():
        assert {"actual", "target", "projected", "projected_low", "projected_high", "chance_to_meet"} <= set(figures)
    assert [a["metric"] for a in summary["pacing_alerts"]] == pacing.alerts
    json.dumps(summary, allow_nan=False)


def test_a_store_with_no_running_campaign_is_refused_in_one_line(sample_store, tmp_path):
    assert requirements.running_campaign(sample_store, ("account_daily", "posts")) == "CMP-WINTER-XHS2"
    copy = tmp_path / "ended.duckdb"
    shutil.copy(sample_store, copy)
    with duckdb.connect(str(copy)) as con:
        con.execute("DELETE FROM campaigns WHERE campaign_id = 'CMP-WINTER-XHS2'")
    with pytest.raises(catalog.ParameterError) as err:
        catalog.check_store(catalog.find_playbook("campaign_pacing"), {"store": str(copy)})
    message = str(err.value)
    assert "\n" not in message and "no campaign runs on 2026-10-31" in message and "-p campaign_id" in message
    # naming an ended campaign is allowed
    assert catalog.check_store(catalog.find_playbook("campaign_pacing"), {"store": str(copy), "campaign_id": "CMP-AUTUMN-DOUYIN", "brand": "Lumina"}) == {}


def test_the_league_table_orders_the_planted_lifts(sample_store, truth):
    from smkit.playbook import setup
    from smkit.playbooks import campaign_postmortem

    result = campaign_postmortem.run(setup(store=str(sample_store)), campaign_postmortem.settings())
    assert result.campaign.campaign_id == "CMP-AUTUMN-DOUYIN"  # the latest that has ended, not the running one
    planted = {t["campaign_id"]: t["relative_lift"] for t in truth["campaigns"]}
    league = result.league
    assert set(league.index) == set(planted) and len(league) >= 6
    assert list(league.index) == sorted(planted, key=planted.get, reverse=True)
    # the reviewed campaign's row repeats its own lift
    views = next(lift for lift in result.lifts if lift.metric == "views").campaign
    assert league.at["CMP-AUTUMN-DOUYIN", "incremental_views"] == views.absolute
    # the planted lift inside its interval for at least five of the six (all six on the sample: Kuaishou's +60% is estimated at +53%, +44% to +65%)
    inside = [league.at[c, "relative_low"] <= lift <= league.at[c, "relative_high"] for c, lift in planted.items()]
    assert sum(inside) >= len(planted) - 1
    # who led each campaign, as planted, and the suggestion that compares them
    led = {t["campaign_id"]: t.get("led_by") for t in truth["campaigns"] if t.get("led_by")}
    assert all(league.at[c, "led_by"] == k for c, k in led.items())
    leaders = league_mod.by_leader(league)
    kol = leaders.loc["kol"]
    assert kol["cost_per_thousand_views"] == pytest.approx(kol["spend"] / kol["incremental_views"] * 1000)
    across = next(s for s in result.suggestions if s.kind == "league")
    assert across.figures["kol_n"] == int(kol["campaigns"]) and across.figures["rank"] == list(league.index).index("CMP-AUTUMN-DOUYIN") + 1
    summary = result.to_summary("en")
    assert "KOL-led campaigns cost" in summary["suggestions"][-1] and len(summary["league"]) == len(league)


# ---------------------------------------------------------------- notification


PLAN = {
    "channels": {"ops_hook": {"type": "webhook", "url_env": "SMKIT_HOOK"}, "lead_ding": {"type": "dingtalk", "url_env": "SMKIT_DING"}},
    "routes": [{"level": "Ⅳ", "channels": ["ops_hook"]}, {"level": "Ⅱ", "channels": ["ops_hook", "lead_ding"]}],
}


def test_a_target_at_risk_is_sent_to_the_plans_mildest_route(pacing, tmp_path, monkeypatch):
    sent = []

    def fake_deliver(channel, message, plan, environ, report_file, sleep):
        sent.append((channel.name, message))
        return 1, None

    monkeypatch.setattr(pacing_notify, "deliver", fake_deliver)
    folder = tmp_path / "reports" / "2026-11-01" / "campaign_pacing"
    folder.mkdir(parents=True)
    (folder / "summary.json").write_text(json.dumps(pacing.to_summary()), encoding="utf-8")
    outcome = notify_folder(folder, parse_plan(PLAN), lang="en", environ={})
    assert [name for name, _ in sent] == ["ops_hook"] and [d.channel for d in outcome.sent] == ["ops_hook"] and not outcome.failed
    message = sent[0][1]
    assert message.title == "Campaign pacing alert: CMP-WINTER-XHS2"
    assert message.lines[0].startswith("conversions: ") and "chance of meeting the target" in message.lines[0]
    assert message.facts["alerts"][0]["metric"] == "conversions"
    # in Chinese, and nothing when no target is at risk
    outcome = notify_folder(folder, parse_plan(PLAN), lang="zh", environ={})
    assert sent[-1][1].title == "活动进度预警：CMP-WINTER-XHS2" and sent[-1][1].lines[0].startswith("转化：")
    calm = {**pacing.to_summary(), "pacing_alerts": []}
    (folder / "summary.json").write_text(json.dumps(calm), encoding="utf-8")
    before = len(sent)
    assert notify_folder(folder, parse_plan(PLAN), environ={}).sent == () and len(sent) == before


def test_a_chinese_campaign_sheet_names_its_targets_and_budget():
    from smkit.data import aliases

    mapped = aliases.map_headers("campaigns", ["活动ID", "活动预算", "目标播放量", "目标涨粉", "目标转化"]).columns
    assert mapped == {
        "活动ID": "campaign_id",
        "活动预算": "budget",
        "目标播放量": "target_views",
        "目标涨粉": "target_followers_gained",
        "目标转化": "target_conversions",
    }


def test_a_target_whose_daily_column_is_empty_is_said_untracked_not_projected_at_zero(sample_store, tmp_path):
    """An account export with the views column present but empty: views are unknown, not 0 with a 0% chance."""
    import shutil

    import duckdb

    from smkit.playbook import setup

    store = tmp_path / "s.duckdb"
    shutil.copy(sample_store, store)
    with duckdb.connect(str(store)) as con:
        con.execute("UPDATE account_daily SET views = NULL")
    cfg = setup(store=str(store), needs=pb.NEEDS, campaign_id="", brand="")
    result = pb.run(cfg, pb.settings(campaign_id=cfg.options["campaign_id"], brand=cfg.options["brand"]))
    assert "views" in result.campaign.targets and "views" not in result.metrics.index and ("views", "no_values") in result.notes
    assert "views" not in result.alerts and "followers_gained" in result.metrics.index
    brief = pb.report.brief(result, "zh")
    assert "播放量：账号日数据里没有品牌在活动平台上的这项数值" in brief and "Views: the daily account figures carry no values" in pb.report.brief(result, "en")
    assert ("能跟踪的目标达成可能性都不低于" in brief) == (not result.alerts) and "所有目标的达成可能性" not in brief
    assert "播放量已达" not in brief and "carry no values of it" in pb.report.notes_text(result, "en")


def test_empty_days_in_the_export_are_unknown_not_zero(sample_store, tmp_path):
    """A campaign day the account export left empty stops the projection and says so; an empty
    day before the campaign is bridged from its neighbours, so the projection barely moves."""
    import shutil

    import duckdb

    from smkit.playbook import setup

    cfg = setup(store=str(sample_store), needs=pb.NEEDS, campaign_id="", brand="")
    settings = pb.settings(campaign_id=cfg.options["campaign_id"], brand=cfg.options["brand"])
    before = pb.run(cfg, settings)
    c, brand = before.campaign, cfg.options["brand"]
    platforms = ", ".join(f"'{p}'" for p in c.platforms)

    def emptied(days: list[pd.Timestamp], name: str):
        store = tmp_path / name
        shutil.copy(sample_store, store)
        listed = ", ".join(f"DATE '{d:%Y-%m-%d}'" for d in days)
        with duckdb.connect(str(store)) as con:
            con.execute(f"UPDATE account_daily SET views = NULL WHERE account = ? AND platform IN ({platforms}) AND date IN ({listed})", [brand])
        run_cfg = setup(store=str(store), needs=pb.NEEDS, campaign_id="", brand="")
        return pb.run(run_cfg, settings)

    start = pd.Timestamp(c.start)
    during = emptied([start + pd.Timedelta(days=1), start + pd.Timedelta(days=2)], "during.duckdb")
    (reason,) = [r for m, r in during.notes if m == "views"]
    assert "views" not in during.metrics.index and "views" not in during.alerts
    assert reason.code == "missing_campaign_days" and reason.values["days"] == 2 and reason.values["first"] == start + pd.Timedelta(days=1)
    first = start + pd.Timedelta(days=1)
    assert f"缺了活动期间的 2 天，最早是{first.year}年{first.month}月{first.day}日" in pb.report.brief(during, "zh")
    # the brand's export stops two days before the others': those campaign days are missing too
    store = tmp_path / "short.duckdb"
    shutil.copy(sample_store, store)
    with duckdb.connect(str(store)) as con:
        con.execute(f"DELETE FROM account_daily WHERE account = ? AND date > DATE '{pd.Timestamp(before.day) - pd.Timedelta(days=2):%Y-%m-%d}'", [brand])
    short = pb.run(setup(store=str(store), needs=pb.NEEDS, campaign_id="", brand=""), settings)
    assert {(m, r.code, r.values["days"]) for m, r in short.notes} >= {("views", "missing_campaign_days", 2)}
    gap = emptied([start - pd.Timedelta(days=d) for d in (10, 11, 12)], "pre.duckdb")
    assert gap.metrics.loc["views", "projected"] == pytest.approx(before.metrics.loc["views", "projected"], rel=0.03)


def test_progress_on_a_day_one_campaign_platform_left_empty_is_unknown_not_the_others_sum():
    from smkit.playbooks.campaign_pacing.analysis import _series

    days = pd.date_range("2026-05-01", periods=4)
    daily = pd.DataFrame(
        {
            "account": ["Lumina"] * 8 + ["Rival"] * 4,
            "platform": ["douyin"] * 4 + ["weibo"] * 4 + ["douyin"] * 4,
            "date": list(days) * 3,
            "views": [100, 100, 100, 100, 50, np.nan, 50, 50, 9, 9, 9, 9],
        }
    )
    assert _series(daily, "Lumina", ("douyin", "weibo"), "views").tolist() == pytest.approx([150, np.nan, 150, 150], nan_ok=True)
    assert _series(daily, "Lumina", ("douyin",), "views").tolist() == [100.0] * 4
