"""Reputation monitor: NAB scoring, detectors, risk levels, the planted crisis and alerts.json."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from smkit import monitor, nab
from smkit.ingest import build_sample_store

NAB_DIR = Path(__file__).parent / "data" / "nab"


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
    result = nab.score_detector(monitor.nab_detector(), corpus)
    assert result.score > 39.6  # NAB's windowed Gaussian; S-H-ESD scores 47.1
    assert result.score == pytest.approx(69.9, abs=0.2)  # the figure quoted in the README
    frame = result.to_frame()
    assert frame["true_positives"].sum() >= 25


def test_unknown_detector_lists_the_valid_names():
    with pytest.raises(ValueError, match="seasonal_robust_z"):
        monitor.detector("prophet")


def test_robust_z_uses_only_the_past_and_flags_a_spike():
    rng = np.random.default_rng(1)
    counts = rng.poisson(50, 120).astype(float)
    counts[100] = 150
    z = monitor.robust_z(counts)
    assert z[100] > 8 and np.nanmax(np.abs(np.delete(z, 100)[28:])) < 4.5
    changed = counts.copy()
    changed[110:] = 1000  # the future does not move the past
    assert monitor.robust_z(changed)[100] == z[100]
    alarms = monitor.seasonal_robust_z(counts)
    assert alarms[100] and alarms.sum() == 1


def test_cusum_catches_a_sustained_shift_a_single_day_threshold_misses():
    totals = np.full(120, 100)
    negatives = np.full(120, 15)
    negatives[90:] = 25  # 15% -> 25%: each day about +2.8 sd, never a big spike
    stat, alarms, base = monitor.cusum(negatives, totals)
    assert not alarms[:90].any()
    assert alarms[90:93].any()
    assert base[95] == pytest.approx(0.15)


def test_a_crisis_does_not_raise_the_usual_share_after_it():
    totals = np.full(150, 100)
    negatives = np.full(150, 15)
    negatives[60:64] = 70  # a four-day crisis
    _, alarms, base = monitor.cusum(negatives, totals)
    assert alarms[60:64].any()
    assert base[60 + 4 + 7 + 10] == pytest.approx(0.15)  # the crisis days are not in the baseline
    negatives[100:104] = 40  # a second, smaller wave is still caught
    _, alarms, _ = monitor.cusum(negatives, totals)
    assert alarms[100:104].any()


# ---------------------------------------------------------------- risk levels


def test_risk_level_needs_two_factors_at_a_level():
    rules = monitor.RiskThresholds()
    level, reasons = monitor.risk_level({"magnitude": 6.0, "negative_share": 0.10, "velocity": 1.0, "reach": 500.0}, rules)
    assert level == 1  # one factor at IV alone does not make a crisis
    level, reasons = monitor.risk_level({"magnitude": 2.5, "negative_share": 0.70, "velocity": 4.0, "reach": 2_000_000.0}, rules)
    assert level == 3  # negative share at IV, reach at III, magnitude and velocity at II: two factors reach III
    assert reasons[1] == "negative share 70% ≥ 65% (level IV)"
    assert reasons[0] == "mentions over baseline 2.5x ≥ 2.0x (level II)"
    assert monitor.risk_level({"magnitude": 5.0, "negative_share": 0.65, "velocity": 1.0, "reach": 0.0}, rules)[0] == 4  # thresholds are inclusive
    assert monitor.risk_level({"magnitude": 5.0, "negative_share": 0.0, "velocity": 1.0, "reach": 0.0},
                              monitor.RiskThresholds(min_factors=1))[0] == 4


def test_risk_thresholds_are_checked():
    with pytest.raises(ValueError, match="increasing"):
        monitor.RiskThresholds(magnitude=(3.0, 2.0, 5.0))


# ---------------------------------------------------------------- the sample worlds


@pytest.fixture(scope="module")
def worlds(tmp_path_factory):
    folder = tmp_path_factory.mktemp("monitor")
    crisis = build_sample_store(folder / "crisis.duckdb", scale=0.2, quiet=True)
    null = build_sample_store(folder / "null.duckdb", scale=0.2, without=["crisis"], quiet=True)
    year = (dt.date(2025, 11, 1), dt.date(2026, 10, 31))
    return {"crisis": monitor.analyze(crisis, *year, history_days=0), "null": monitor.analyze(null, *year, history_days=0)}


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
    assert len(alerts) <= 365 / 90
    assert all(a.level <= 2 for a in alerts)


def test_summary_and_alerts_json(worlds, tmp_path):
    result = worlds["crisis"]
    summary = result.to_summary()
    assert summary["alert_level"] == max(a.level for a in result.alerts) >= 2
    assert set(summary["net_sentiment"]) == {"Lumina", "Vexa", "Orbi"}
    assert summary["volume"]["Lumina"] > summary["volume"]["Orbi"]
    assert set(summary["alerts"][0]) == {"start", "end", "level", "metric", "magnitude", "reasons"}
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
    brief = monitor.incident_brief(result)
    assert "Highest risk level" in brief and "weibo" in brief
    alert = result.alerts[-1]
    evil = alert.top_negative.assign(text="<script>x</script>")
    html = monitor.top_negative_frame(monitor.Alert(**{**alert.__dict__, "top_negative": evil})).to_html()
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_fail_at_level_reads_summary_json(tmp_path):
    from smkit.runner import level_reached

    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "summary.json").write_text(json.dumps({"alert_level": 3}))
    results = [{"label": "a", "status": "ok", "folder": str(tmp_path / "a")}, {"label": "b", "status": "ok", "folder": str(tmp_path / "missing")}]
    assert level_reached(results, 2) == [("a", 3)]
    assert level_reached(results, 4) == []


def test_the_default_window_ends_on_the_last_day_others_spoke(sample_store):
    from smkit.playbook import data_end

    assert data_end(sample_store, "mentions", monitor.EARNED_SQL) == dt.date(2026, 10, 31)  # the sample's last day
    assert data_end(sample_store, "mentions") >= dt.date(2026, 10, 31)  # the brand's replies may spill past it
