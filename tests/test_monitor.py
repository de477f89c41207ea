"""Reputation monitor: NAB scoring, detectors, risk levels, the planted crisis and alerts.json."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from smkit import rules
from smkit.data.store import load
from smkit.methods import anomaly, nab
from smkit.params import Config
from smkit.playbooks import reputation_monitor as monitor
from smkit.playbooks.reputation_monitor import report, risk, word_of_mouth
from smkit.rules import EARNED_SQL
from smkit.sample import build_sample_store

NAB_DIR = Path(__file__).parent / "data" / "nab"


def _run(store: Path, start: dt.date, end: dt.date, **params) -> monitor.Result:
    """The monitor on a store, as the notebook runs it."""
    return monitor.run(Config(store, start, end, {}), monitor.settings(**params))


def _analyze(m: pd.DataFrame, start: dt.date, end: dt.date, **params) -> monitor.Result:
    """The monitor on prepared mentions."""
    return monitor.analyze(monitor.Inputs(m, start, end), monitor.settings(**params))


# ---------------------------------------------------------------- NAB scoring


def test_scaled_sigmoid_matches_nab_published_values():
    assert nab.scaled_sigmoid(-1.0) == pytest.approx(0.98661, abs=1e-5)
    assert nab.scaled_sigmoid(-0.5) == pytest.approx(0.84828, abs=1e-5)
    assert nab.scaled_sigmoid(0.0) == 0.0
    assert nab.scaled_sigmoid(1.0) == pytest.approx(-0.98661, abs=1e-5)
    assert nab.scaled_sigmoid(3.0) == -1.0


def _toy(detected_at: list[int], n: int = 100):
    ts = pd.date_range("2026-01-01", periods=n, freq="5min")
    windows = [(ts[40], ts[49])]  # 10 points; probation is floor(0.15 * 100) = 15 points
    d = np.zeros(n, dtype=bool)
    d[detected_at] = True
    return nab.score_file(ts, d, windows)


def test_nab_scores_a_hand_made_case():
    miss = _toy([])
    assert (miss.raw, miss.null, miss.perfect) == (-1.0, -1.0, 1.0)
    first = _toy([40])
    assert first.raw == pytest.approx(1.0)  # the window's first point earns A_TP
    # Only the earliest detection in a window counts; a later one adds nothing.
    assert _toy([40, 45]).raw == pytest.approx(1.0)
    middle = _toy([45])  # position -(49 - 45 + 1) / 10 = -0.5
    assert middle.raw == pytest.approx(nab.scaled_sigmoid(-0.5) / nab.scaled_sigmoid(-1.0))
    # A false positive before any window costs A_FP in full; one in the probation costs nothing.
    assert _toy([20, 40]).raw == pytest.approx(1.0 - 0.11)
    assert _toy([5, 40]).raw == pytest.approx(1.0)
    # A false positive just after the window costs less than one far away: 5 points after is 5 / 9 widths.
    near = _toy([40, 54]).raw - 1.0
    assert near == pytest.approx(0.11 * nab.scaled_sigmoid(5 / 9))
    assert near > _toy([40, 99]).raw - 1.0
    total = nab.normalise([_toy([40]), _toy([])])
    assert total.score == pytest.approx(50.0)


def test_nab_score_of_the_volume_detector_on_real_tweets_beats_the_windowed_gaussian():
    corpus = nab.load_corpus(NAB_DIR)
    assert len(corpus) == 10
    result = nab.score_detector(anomaly.nab_detector(), corpus)
    assert result.score > 39.6  # NAB's windowed Gaussian; S-H-ESD scores 47.1
    assert result.score == pytest.approx(72.7, abs=0.2)  # the figure quoted in the README (69.9 before the three-season rule)
    frame = result.to_frame()
    assert frame["true_positives"].sum() >= 25


def test_unknown_detector_lists_the_valid_names():
    with pytest.raises(ValueError, match="seasonal_robust_z"):
        anomaly.detector("prophet")
    with pytest.raises(ValueError, match="trailing_robust_z"):
        monitor.settings(detector="prophet")


def test_robust_z_uses_only_the_past_and_flags_a_spike():
    rng = np.random.default_rng(1)
    counts = rng.poisson(50, 120).astype(float)
    counts[100] = 150
    z = anomaly.robust_z(counts)
    assert z[100] > 8 and np.nanmax(np.abs(np.delete(z, 100)[28:])) < 4.5
    changed = counts.copy()
    changed[110:] = 1000  # the future does not move the past
    assert anomaly.robust_z(changed)[100] == z[100]
    alarms = anomaly.seasonal_robust_z(counts)
    assert alarms[100] and alarms.sum() == 1


def test_cusum_catches_a_sustained_shift_a_single_day_threshold_misses():
    totals = np.full(120, 100)
    negatives = np.full(120, 15)
    negatives[90:] = 25  # 15% -> 25%: each day about +2.8 sd, never a big spike
    stat, alarms, base = anomaly.cusum(negatives, totals)
    assert not alarms[:90].any()
    assert alarms[90:93].any()
    assert base[95] == pytest.approx(0.15)


def test_a_crisis_does_not_raise_the_usual_share_after_it():
    totals = np.full(150, 100)
    negatives = np.full(150, 15)
    negatives[60:64] = 70  # a four-day crisis
    _, alarms, base = anomaly.cusum(negatives, totals)
    assert alarms[60:64].any()
    assert base[60 + 4 + 7 + 10] == pytest.approx(0.15)  # the crisis days are not in the baseline
    negatives[100:104] = 40  # a second, smaller wave is still caught
    _, alarms, _ = anomaly.cusum(negatives, totals)
    assert alarms[100:104].any()


# ---------------------------------------------------------------- risk levels


def test_risk_level_needs_two_factors_at_a_level():
    thresholds = monitor.RiskThresholds()
    level, reasons = risk.risk_level({"magnitude": 6.0, "negative_share": 0.10, "velocity": 1.0, "reach": 500.0}, thresholds)
    assert level == 1  # one factor at IV alone does not make a crisis
    level, reasons = risk.risk_level({"magnitude": 2.5, "negative_share": 0.70, "velocity": 4.0, "reach": 2_000_000.0}, thresholds)
    assert level == 3  # negative share at Ⅰ级, reach at Ⅱ级, magnitude and velocity at Ⅲ级: two factors reach Ⅱ级 (severity 3)
    assert (reasons[1].factor, reasons[1].value, reasons[1].threshold, reasons[1].severity) == ("negative_share", 0.70, 0.65, 4)  # data
    assert risk.reason_text(reasons[1], "en") == "negative share 70% ≥ 65% (Level I)"
    assert risk.reason_text(reasons[0], "en") == "mentions over baseline 2.5x ≥ 2.0x (Level III)"
    assert risk.reason_text(reasons[1], "zh") == "负面占比 70% ≥ 65%（达Ⅰ级）"
    assert risk.reason_text(reasons[3], "zh") == "负面作者粉丝数 200万 ≥ 100万（达Ⅱ级）"
    below = risk.risk_level({"magnitude": 2.5, "negative_share": 0.10, "velocity": float("nan"), "reach": 0.0}, thresholds)[1]
    assert (
        risk.reason_text(below[1], "en") == "negative share 10% (below Level III)"
        and risk.reason_text(below[2], "zh") == "最忙一小时/平日最忙一小时 无数据（未达Ⅲ级）"
    )
    assert risk.risk_level({"magnitude": 5.0, "negative_share": 0.65, "velocity": 1.0, "reach": 0.0}, thresholds)[0] == 4  # thresholds are inclusive
    assert risk.risk_level({"magnitude": 5.0, "negative_share": 0.0, "velocity": 1.0, "reach": 0.0}, monitor.RiskThresholds(min_factors=1))[0] == 4


def test_risk_thresholds_are_checked():
    with pytest.raises(ValueError, match="increasing"):
        monitor.RiskThresholds(magnitude=(3.0, 2.0, 5.0))


def test_settings_split_aliases_on_any_list_separator_and_check_values():
    assert monitor.settings(brand_aliases="露米娜，Lumi").brand_aliases == ("露米娜", "Lumi")
    assert monitor.settings(brand_aliases="露米娜，Lumi; Lumina Home").brand_aliases == ("露米娜", "Lumi", "Lumina Home")
    assert monitor.settings(min_factors=1).thresholds == monitor.RiskThresholds(min_factors=1)
    with pytest.raises(ValueError, match="min_factors"):
        monitor.settings(min_factors=5)
    with pytest.raises(ValueError, match="z must be above 0"):
        monitor.settings(z=0)
    with pytest.raises(ValueError, match="brand"):
        monitor.settings(brand=" ")


# ---------------------------------------------------------------- the sample worlds


@pytest.fixture(scope="session")
def worlds(tmp_path_factory):
    folder = tmp_path_factory.mktemp("monitor")
    crisis = build_sample_store(folder / "crisis.duckdb", scale=0.2, quiet=True)
    null = build_sample_store(folder / "null.duckdb", scale=0.2, without=["crisis"], quiet=True)
    year = (dt.date(2025, 11, 1), dt.date(2026, 10, 31))
    return {
        "crisis": _run(crisis, *year, history_days=0, brand_aliases="露米娜"),
        "null": _run(null, *year, history_days=0, brand_aliases="露米娜"),
        "crisis_store": crisis,
        "year": year,
    }


def test_the_planted_crisis_is_raised_on_its_first_day_at_level_two_or_above(worlds):
    from smkit.sample import CRISIS_DAYS, DEFAULT_END

    start = dt.date.fromisoformat(DEFAULT_END) + dt.timedelta(days=CRISIS_DAYS[0])
    hits = [a for a in worlds["crisis"].alerts if abs((a.start - start).days) <= 1]
    assert len(hits) == 1
    alert = hits[0]
    assert alert.level >= 2
    assert "volume" in alert.metric and "negative_share" in alert.metric
    assert alert.platforms == ("weibo",)
    assert alert.negative_share > 0.5
    assert any(k in alert.keywords for k in ("安全隐患", "过热", "冒烟", "烧焦", "overheated", "事故"))
    assert alert.unanswered > 0 and not alert.top_negative.empty


def test_the_world_without_the_crisis_raises_at_most_one_alert_per_90_days(worlds):
    alerts = worlds["null"].alerts
    starts = sorted(a.start for a in alerts)
    assert all((later - earlier).days >= 90 for earlier, later in zip(starts, starts[1:]))  # no 90-day span holds two
    assert all(a.level <= 2 for a in alerts)


def test_an_ordinary_day_has_velocity_about_one(worlds):
    daily = worlds["null"].daily
    usual = daily["peak_hour"].rolling(28).median().shift(1).clip(lower=1)
    velocity = (daily["peak_hour"] / usual).dropna()
    assert 0.8 <= velocity.median() <= 1.25
    assert (velocity >= monitor.RiskThresholds().velocity[0]).mean() < 0.02


def test_summary_and_alerts_json(worlds, tmp_path):
    result = worlds["crisis"]
    summary = result.to_summary()
    assert summary["alert_level"] == max(a.level for a in result.alerts) >= 2
    assert set(summary["net_sentiment"]) == {"Lumina", "Vexa", "Orbi"}
    assert summary["volume"]["Lumina"] > summary["volume"]["Orbi"]
    assert set(summary["alerts"][0]) == {"start", "end", "level", "level_name", "metric", "magnitude", "reasons", "factors"}
    path = result.write_alerts(tmp_path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["alert_level"] == summary["alert_level"]
    crisis = max(data["alerts"], key=lambda a: a["level"])
    assert crisis["top_negative"] and {"text", "platform", "followers"} <= set(crisis["top_negative"][0])
    assert data["thresholds"]["negative_share"] == [0.35, 0.5, 0.65]


def test_net_sentiment_in_the_breakdown_is_the_stated_formula(worlds):
    table = worlds["crisis"].breakdown["brand"]
    row = table.loc["Lumina"]
    pos, neg = row["positive_share"], row["negative_share"]
    assert row["net_sentiment"] == pytest.approx((pos - neg) / (pos + neg))


def test_incident_brief_and_tables_escape_user_text(worlds):
    result = worlds["crisis"]
    brief = report.brief(result, "en")
    assert "alert**" in brief and "Weibo" in brief
    assert "微博" in report.brief(result, "zh")
    alert = result.alerts[-1]
    evil = alert.top_negative.assign(text="<script>x</script>")
    html = report.top_negative_table(monitor.Alert(**{**alert.__dict__, "top_negative": evil})).to_html()
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_fail_at_level_reads_summary_json(tmp_path):
    from smkit.run.runner import level_reached

    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "summary.json").write_text(json.dumps({"alert_level": 3}))
    results = [{"label": "a", "status": "ok", "folder": str(tmp_path / "a")}, {"label": "b", "status": "ok", "folder": str(tmp_path / "missing")}]
    assert level_reached(results, 2) == [("a", 3)]
    assert level_reached(results, 4) == []


def test_the_default_window_ends_on_the_last_day_others_spoke(sample_store):
    from smkit.playbook import data_end

    assert data_end(sample_store, "mentions", EARNED_SQL) == dt.date(2026, 10, 31)  # the sample's last day
    assert data_end(sample_store, "mentions") >= dt.date(2026, 10, 31)  # the brand's replies may spill past it


# ---------------------------------------------------------------- made-up worlds with one thing wrong


def _mentions(rows: list[dict], reply: bool) -> pd.DataFrame:
    """Prepared mentions from (day, hour, brand, author, followers, text, sentiment) rows; with ``reply`` the
    brand answered the last one an hour later, else nothing says what is a reply (an export without reply flags)."""
    frame = pd.DataFrame(rows)
    frame["mention_id"] = [f"m{i}" for i in range(len(frame))]
    frame["is_reply_by_brand"] = None
    frame["reply_to"] = None
    if reply:
        last = frame.iloc[-1]
        frame.loc[len(frame)] = {
            **last,
            "hour": last["hour"] + 1,
            "author": "lumina_official",
            "text": "sorry, we are on it",
            "sentiment": 0.0,
            "mention_id": "r0",
            "is_reply_by_brand": True,
            "reply_to": last["mention_id"],
        }
    frame["published_at"] = (pd.to_datetime(frame.pop("day")) + pd.to_timedelta(frame.pop("hour"), unit="h")).dt.tz_localize("Asia/Shanghai")
    frame["platform"] = "weibo"
    for col in ("likes", "comments", "shares"):
        frame[col] = 0
    return monitor.prepare(frame)


def _quiet_then_burst(quiet_brand: bool = True, reply: bool = True) -> pd.DataFrame:
    """60 days of 24 mentions a day in one evening hour, then a day of 120 angry ones in that hour from one author.
    With ``quiet_brand`` the usual mentions are of another brand, so Lumina has no usual volume."""
    days = pd.date_range("2026-01-01", periods=61, freq="D")
    rows = [
        {
            "day": d,
            "hour": 20,
            "brand": "Vexa" if quiet_brand else "Lumina",
            "author": f"u{d.day}{i}",
            "author_followers": 10,
            "text": "nice lamp today",
            "sentiment": 0.5,
        }
        for d in days[:60]
        for i in range(24)
    ]
    rows += [
        {
            "day": days[60],
            "hour": 20,
            "brand": "Lumina",
            "author": "bigv",
            "author_followers": 200_000,
            "text": f"露米娜 lamp overheated and caught fire {i}",
            "sentiment": -0.8,
        }
        for i in range(120)
    ]
    return _mentions(rows, reply)


def test_velocity_compares_the_busiest_hour_with_the_usual_busiest_hour():
    m = _quiet_then_burst(quiet_brand=False)
    (alert,) = _analyze(m, dt.date(2026, 2, 1), dt.date(2026, 3, 2)).alerts
    # Every usual day has all 24 mentions in one hour: five times the day is five times its busiest hour.
    assert alert.magnitude == pytest.approx(5.0)
    assert alert.velocity == pytest.approx(5.0)


def test_reach_counts_each_author_once():
    (alert,) = _analyze(_quiet_then_burst(), dt.date(2026, 2, 1), dt.date(2026, 3, 2)).alerts
    assert alert.negatives == 120 and alert.reach == 200_000  # one author, 120 mentions
    assert alert.unanswered == 119 and alert.reply_rate == pytest.approx(1 / 120)
    frame = pd.DataFrame(
        {"day": [1, 1, 1, 2], "platform": ["weibo", "weibo", "weibo", "douyin"], "author": ["a", "a", None, "a"], "author_followers": [10, 12, 5, 7]}
    )
    assert risk.reach(frame) == 24  # a at their largest count once on weibo, once on douyin; the anonymous mention on its own
    assert risk.reach(frame, by="day").to_dict() == {1: 17, 2: 7}


def test_no_usual_volume_is_said_and_alerts_json_stays_valid(tmp_path):
    result = _analyze(_quiet_then_burst(), dt.date(2026, 2, 1), dt.date(2026, 3, 2))
    (alert,) = result.alerts
    assert alert.usual_volume == 0 and np.isfinite(alert.magnitude) and np.isfinite(alert.velocity)  # over a floor of 1 mention
    assert alert.magnitude == 120 and alert.level == 4  # the factors count towards the level
    brief = report.brief(result, "en")
    assert "no usual volume" in brief and not re.search(r"\bnan\b", brief, re.I)
    assert "no usual volume" in report.alerts_table(result, "en").data.to_string()
    assert "此前没有平日声量" in report.brief(result, "zh")

    def refuse(constant):
        raise ValueError(f"invalid JSON constant {constant}")

    data = json.loads(result.write_alerts(tmp_path).read_text(encoding="utf-8"), parse_constant=refuse)
    assert data["alerts"][0]["usual_daily_mentions"] == 0
    assert data["alerts"][0]["baseline_negative_share"] is None  # no usual share either: null, not NaN


def test_replies_are_labelled_as_over_answered_mentions_with_the_reply_rate(worlds):
    result = worlds["crisis"]
    crisis = max(result.alerts, key=lambda a: a.level)
    for text in (report.alert_text(crisis, "en"), report.replies_text(result, "en")):
        assert "median first reply, answered mentions" in text
        assert re.search(r"answered \(\d+%\)|\d+% answered", text)  # the reply rate beside it
    assert f"{crisis.reply_rate:.0%} answered" in report.alert_text(crisis, "en")
    assert f"({crisis.reply_rate:.0%} answered)" in report.brief(result, "en")  # the brief gives the rate, plainly
    assert "已回复提及的首次回复中位时间" in report.alert_text(crisis, "zh")


def test_a_window_without_any_brand_reply_does_not_crash():
    result = _analyze(_quiet_then_burst(reply=False), dt.date(2026, 2, 1), dt.date(2026, 3, 2))
    assert result.replies["answered"] == 0 and result.replies["median_reply_hours"] is None
    assert "no brand reply yet" in report.alert_text(result.alerts[0], "en")


def test_a_window_past_the_data_says_there_are_no_mentions(sample_store):
    result = _run(sample_store, dt.date(2026, 12, 1), dt.date(2026, 12, 28), history_days=120)
    assert "no mentions from 1 Dec 2026 to 28 Dec" in report.brief(result, "en")
    assert "2026年12月1日至12月28日没有提及" in report.brief(result, "zh")
    assert result.breakdown["brand"].empty and result.replies["negative"] == 0


def test_an_unknown_brand_is_refused_with_the_brands_found(sample_store):
    with pytest.raises(ValueError, match="Lumina, Orbi, Vexa"):
        _run(sample_store, dt.date(2026, 10, 1), dt.date(2026, 10, 28), brand="Lumna")


def test_brand_aliases_are_not_emerging_keywords():
    m = _quiet_then_burst(quiet_brand=False)
    window = dt.date(2026, 2, 1), dt.date(2026, 3, 2)
    assert "露米娜" in _analyze(m, *window).alerts[0].keywords  # no alias given: production code knows no sample names
    assert "露米娜" not in _analyze(m, *window, brand_aliases="露米娜, Lumina Home").alerts[0].keywords


def test_breakdown_uses_the_shared_net_sentiment_rule(worlds, monkeypatch):
    monkeypatch.setattr(rules, "net_sentiment", lambda values: 0.123)
    m = monitor.prepare(
        pd.DataFrame(
            {
                "brand": ["A", "A", "B"],
                "sentiment": [0.9, -0.9, 0.1],
                "text": ["x", "y", "z"],
                "is_reply_by_brand": False,
                "published_at": pd.Timestamp("2026-01-01", tz="UTC"),
            }
        )
    )
    table = word_of_mouth.breakdown(m, "brand")
    assert table["net_sentiment"].tolist() == [0.123, 0.123]
    assert set(worlds["crisis"].breakdown) == {"brand", "platform", "earned_owned", "topic"}


def _cli_results(tmp_path, level: int) -> list[dict]:
    (tmp_path / "mon").mkdir(exist_ok=True)
    (tmp_path / "mon" / "summary.json").write_text(json.dumps({"alert_level": level}))
    return [
        {"playbook": "reputation_monitor", "label": "mon", "status": "ok", "folder": str(tmp_path / "mon"), "duration_seconds": 1.0, "error": None},
        {"playbook": "ops_review", "label": "ops", "status": "failed", "folder": None, "duration_seconds": 1.0, "error": "boom"},
    ]


def test_fail_at_level_is_evaluated_even_when_another_run_failed(tmp_path, monkeypatch, capsys):
    from smkit.run import cli, runner

    monkeypatch.setattr(runner, "run_many", lambda entries, **options: _cli_results(tmp_path, 3))
    args = cli.build_parser().parse_args(["schedule", "x.yaml", "--fail-at-level", "II", "--quiet"])  # Ⅱ级 or more severe
    assert cli._run_entries([], args) == 3  # the alert wins over the failed run, so cron never misses a crisis
    err = capsys.readouterr().err
    assert "mon reports alert_level 3" in err and "ops_review failed" in err
    args = cli.build_parser().parse_args(["schedule", "x.yaml", "--fail-at-level", "I"])  # only Ⅰ级
    assert cli._run_entries([], args) == 1  # below the level, the failure still shows
    assert "alert_level 3" in capsys.readouterr().err  # the level reached is printed either way


@pytest.mark.parametrize("value", ["0", "5", "two", "V"])
def test_fail_at_level_must_be_a_warning_level(value, capsys):
    from smkit.run import cli

    with pytest.raises(SystemExit) as exc:
        cli.build_parser().parse_args(["run", "reputation_monitor", "--fail-at-level", value])
    assert exc.value.code == 2 and "Ⅰ to Ⅳ" in capsys.readouterr().err


def test_word_of_mouth_by_topic_puts_the_crisis_in_safety(worlds):
    topics = worlds["crisis"].breakdown["topic"]
    assert topics.loc["safety", "negative_share"] > 0.9  # the planted crisis texts are all about safety
    assert topics["mentions"].sum() == worlds["crisis"].breakdown["brand"].loc["Lumina", "mentions"]  # every earned mention has one row
    frame = monitor.prepare(load("mentions", store=worlds["crisis_store"], start=worlds["year"][0], end=worlds["year"][1]))
    no_topic = _analyze(frame.drop(columns="topic"), *worlds["year"], brand="Lumina")
    assert "topic" not in no_topic.breakdown and not no_topic.has_topics
    assert "carry no topic" in report.breakdown_table(no_topic, "en", by="topic").data.iloc[0, 0]


def test_the_report_returns_one_type_per_function(worlds):
    from matplotlib.figure import Figure
    from pandas.io.formats.style import Styler

    result = worlds["crisis"]
    assert result.has_alerts and result.has_topics and result.has_unanswered
    for lang in ("zh", "en"):
        assert isinstance(report.monitor_figure(result, lang), Figure)
        tables = [
            report.alerts_table(result, lang),
            report.response_table(result, lang),
            report.earned_owned_table(result, lang),
            report.unanswered_table(result, lang),
            *(report.breakdown_table(result, lang, by=by) for by in ("brand", "platform", "topic")),
            *(report.top_negative_table(a, lang) for a in result.alerts),
        ]
        assert all(isinstance(t, Styler) for t in tables)
        texts = [
            report.brief(result, lang),
            report.alerts_finding(result, lang),
            report.response_finding(result, lang),
            report.word_of_mouth_finding(result, lang),
            report.replies_text(result, lang),
            report.no_alert_text(result, lang),
            report.no_topic_text(result, lang),
            report.all_answered_text(result, lang),
            *(report.alert_text(a, lang) for a in result.alerts),
            *(report.response_text(result, a, lang) for a in result.alerts),
        ]
        assert all(isinstance(t, str) and t for t in texts)
    assert report.alerts_table(result, "en").data["mentions"].tolist() == [a.mentions for a in result.alerts]
    assert report.alerts_table(result, "zh").data["提及量"].tolist() == [a.mentions for a in result.alerts]
    assert report.breakdown_table(result, "en", by="brand").data.loc["Lumina", "mentions"] == result.to_summary()["volume"]["Lumina"]
    with pytest.raises(ValueError, match="valid: zh, en"):
        report.breakdown_table(result, "brand")  # the language comes second


# ---------------------------------------------------------------- response tracking (应对)

OCTOBER = dt.date(2026, 10, 4), dt.date(2026, 10, 31)


def test_the_planted_crisis_response_is_tracked_in_the_result_the_files_and_the_report(sample_store, tmp_path):
    result = _run(sample_store, *OCTOBER, brand_aliases="露米娜")
    (crisis,) = [(a, row) for a, row in result.responses() if a.start == dt.date(2026, 10, 6)]
    alert, row = crisis
    assert alert.level == 3 and row["owners"] == ("王芳",)  # the team table's Weibo owner of the brand's account
    assert row["raised_at"] == pd.Timestamp("2026-10-06 10:44:08", tz="Asia/Shanghai")  # the day passed a usual day's mentions
    assert (row["response_at"], row["response_kind"]) == (pd.Timestamp("2026-10-06 14:45:13", tz="Asia/Shanghai"), "reply")
    assert (row["response_hours"], row["deadline_hours"], row["status"]) == (4.02, 2.0, "missed")
    assert (row["recovered_on"], row["recovery_days"]) == (dt.date(2026, 10, 12), 6)

    summary = result.to_summary()
    assert set(summary) == {"brand", "start", "end", "alert_level", "alert_level_name", "alerts", "net_sentiment", "volume", "response"}
    assert set(summary["alerts"][0]) == {"start", "end", "level", "level_name", "metric", "magnitude", "reasons", "factors"}
    assert (summary["alert_level"], summary["alert_level_name"]) == (3, "Ⅱ级 重大（橙色）")  # the planted crisis reads Ⅱ级 (橙色)
    assert result.to_summary("en")["alert_level_name"] == "Level II (orange, major)"
    assert summary["response"] == [
        {
            "start": "2026-10-06",
            "level": 3,
            "owners": ["王芳"],
            "first_response_hours": 4.02,
            "response_kind": "reply",
            "deadline_hours": 2,
            "deadline_met": False,
            "recovery_days": 6,
        }
    ]
    data = json.loads(result.write_alerts(tmp_path).read_text(encoding="utf-8"))
    assert data["alerts"][0]["response"] == {
        "raised_at": "2026-10-06T10:44:08+08:00",
        "first_response_at": "2026-10-06T14:45:13+08:00",
        "response_kind": "reply",
        "response_hours": 4.02,
        "deadline_hours": 2,
        "status": "missed",
        "recovered_on": "2026-10-12",
        "recovery_days": 6,
        "owners": ["王芳"],
    }

    text = report.response_text(result, alert, "en")
    assert "Raised 6 Oct 10:44" in text and "a brand reply at 6 Oct 14:45, 4.0 hours after" in text
    assert "Level II deadline of 2 hours: **missed**" in text and "Owner: 王芳" in text and "on 12 Oct 2026, 6 days after the response" in text
    brief = report.brief(result, "en")
    assert "The first official response came 4.0 hours after the alert; the plan gives Level II 2 hours: missed." in brief
    assert "(owner: 王芳)" in brief
    zh = report.response_text(result, alert, "zh")
    assert "预警于 10月6日 10:44 发出" in zh and "预案Ⅱ级时限 2 小时：**超时**" in zh and "负责人：王芳" in zh
    table = report.response_table(result, "en").data
    assert table.loc["6 Oct 2026"].to_dict() == {
        "level": "Level II (orange, major)",
        "owners": "王芳",
        "raised": "6 Oct 10:44",
        "first response": "6 Oct 14:45 (reply)",
        "hours": 4.02,
        "deadline (hours)": 2.0,
        "deadline": "missed",
        "back to baseline": "12 Oct (6 days)",
    }


def test_response_deadlines_and_kinds_are_parameters_and_a_store_without_team_or_posts_names_no_owner(sample_store):
    later = _run(sample_store, *OCTOBER, respond_within_hours="Ⅱ:5")
    assert later.tracking.iloc[0]["status"] == "met" and later.tracking.iloc[0]["deadline_hours"] == 5.0
    posts_only = _run(sample_store, *OCTOBER, response_kinds="post")  # the first Weibo post after the raise, five days on
    row = posts_only.tracking.iloc[0]
    assert row["response_kind"] == "post" and row["response_hours"] == 119.5 and row["recovery_days"] == 1
    inputs = monitor.load(Config(sample_store, *OCTOBER, {}), monitor.settings())
    bare = monitor.analyze(monitor.Inputs(inputs.mentions, *OCTOBER), monitor.settings())  # no posts, no team table
    assert bare.tracking.iloc[0]["owners"] == () and bare.tracking.iloc[0]["response_kind"] == "reply"
    assert "Owner: no owner in the team table" in report.response_text(bare, bare.alerts[0], "en")
    assert "由" not in report.brief(bare, "zh").split("现在要做")[-1]  # no owner named when the team table has none
    for bad, message in (("V:1", "unknown warning level"), ("Ⅰ:0", "above 0 hours")):
        with pytest.raises(ValueError, match=message):
            monitor.settings(respond_within_hours=bad)
    with pytest.raises(ValueError, match="reply and/or post"):
        monitor.settings(response_kinds="tweet")


def test_a_window_without_alerts_has_an_empty_response_and_says_so(worlds):
    quiet = _analyze(
        monitor.prepare(load("mentions", store=worlds["crisis_store"], start="2026-06-01", end="2026-08-31")), dt.date(2026, 8, 1), dt.date(2026, 8, 31)
    )
    assert not quiet.has_alerts and not quiet.has_tracking and quiet.to_summary()["response"] == [] and quiet.alerts_json()["alerts"] == []
    assert "No alert" in report.response_table(quiet, "en").data.iloc[0, 0]
    assert "无预警" in report.brief(quiet, "zh") and "No alert" in report.brief(quiet, "en")


# ---------------------------------------------------------------- the report's language (issue 18)

CJK = re.compile(r"[\u4e00-\u9fff]")


def _data_strings(result: monitor.Result) -> list[str]:
    """Everything in the monitor's output that comes from the data (never translated)."""
    out = [result.brand, *result.breakdown["brand"].index.astype(str)]
    if result.has_topics:
        out += list(result.breakdown["topic"].index.astype(str))
    for a in result.alerts:
        out += list(a.keywords) + a.top_negative["text"].astype(str).tolist() + a.top_negative["author"].astype(str).tolist()
    out += [o for _, row in result.responses() for o in row["owners"]]
    u = result.replies["unanswered"]
    out += u["text"].astype(str).tolist() + u["author"].astype(str).tolist()
    return sorted(set(out), key=len, reverse=True)


def _without_data(text: str, result: monitor.Result) -> str:
    from html import escape as html_escape

    for value in _data_strings(result):
        text = text.replace(html_escape(value), "").replace(value, "")
    return text


def _everything(result: monitor.Result, lang: str) -> str:
    parts = [
        report.brief(result, lang),
        report.alerts_finding(result, lang),
        report.response_finding(result, lang),
        report.word_of_mouth_finding(result, lang),
        report.replies_text(result, lang),
        report.no_alert_text(result, lang),
        report.no_topic_text(result, lang),
        report.all_answered_text(result, lang),
        report.alerts_table(result, lang).to_html(),
        report.response_table(result, lang).to_html(),
        report.earned_owned_table(result, lang).to_html(),
        report.unanswered_table(result, lang).to_html(),
        *(report.breakdown_table(result, lang, by=by).to_html() for by in ("brand", "platform", "topic")),
    ]
    for a in result.alerts:
        parts += [report.alert_text(a, lang), report.response_text(result, a, lang), report.top_negative_table(a, lang).to_html()]
    fig = report.monitor_figure(result, lang)
    for ax in fig.axes:
        parts += [ax.get_title(), ax.get_ylabel(), *(t.get_text() for t in ax.get_legend().get_texts())]
    return "\n".join(parts)


def test_the_chinese_brief_says_what_happened_how_it_compares_and_what_to_do_with_its_numbers(sample_store):
    result = _run(sample_store, *OCTOBER, brand_aliases="露米娜")
    crisis = result.worst_alert
    brief = report.brief(result, "zh")
    assert "Ⅱ级 重大（橙色）预警" in brief and "#F08300" in brief  # the level with its colour
    assert "2026年10月6日至10月" in brief and "微博" in brief  # when and where
    assert f"平日的 {crisis.magnitude:.1f}倍" in brief and f"负面占比 {crisis.negative_share:.0%}" in brief  # how far above the usual day
    assert f"{crisis.unanswered:,} 条未回复" in brief  # how it compares
    assert "预案对Ⅱ级的时限是 2 小时" in brief and "王芳" in brief and "现在要做" in brief  # what to do, and who
    assert 3 <= brief.count("。") <= 5  # three to five sentences
    for word in ("CUSUM", "z-score", "z 分数", "p-value", "nan"):
        assert word not in brief


def test_english_output_has_no_chinese_outside_the_data_and_chinese_output_no_codes(sample_store):
    result = _run(sample_store, *OCTOBER, brand_aliases="露米娜")
    en = _without_data(_everything(result, "en") + json.dumps(result.to_summary("en"), ensure_ascii=False, default=str), result)
    assert not CJK.search(en), CJK.search(en) and en[max(CJK.search(en).start() - 80, 0) : CJK.search(en).start() + 40]
    zh = _without_data(_everything(result, "zh"), result)
    for code in ("negative_share", "weibo", "volume and", "(reply)", ">met<", "missed", "pending", "Level", " to "):
        assert code not in zh, code


def test_the_numbers_are_the_same_in_both_languages(sample_store):
    result = _run(sample_store, *OCTOBER, brand_aliases="露米娜")
    zh, en = result.to_summary("zh"), result.to_summary("en")

    def numbers(value):
        if isinstance(value, dict):
            return {k: numbers(v) for k, v in value.items() if k not in ("level_name", "alert_level_name", "reasons")}
        if isinstance(value, list):
            return [numbers(v) for v in value]
        return value

    assert numbers(zh) == numbers(en) and zh["alerts"][0]["factors"] == en["alerts"][0]["factors"]
    assert zh["alerts"][0]["reasons"][1] == "负面占比 68% ≥ 65%（达Ⅰ级）" and en["alerts"][0]["reasons"][1] == "negative share 68% ≥ 65% (Level I)"
    assert monitor.settings(lang="en").lang == "en" and monitor.settings().lang == "zh"
    with pytest.raises(ValueError, match="valid: zh, en"):
        monitor.settings(lang="fr")
