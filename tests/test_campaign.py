"""Campaign post-mortem: cost and funnel arithmetic, and the planted campaigns."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.proportion import proportions_ztest

from smkit.methods import stats
from smkit.playbooks import campaign_postmortem as cm


def test_cost_metrics_on_hand_checked_numbers():
    got = cm.cost_metrics(5000.0, impressions=2_000_000, views=500_000, engagements=25_000, clicks=2_500, conversions=100, revenue=8000.0)
    assert got == {"spend": 5000.0, "cpm": 2.5, "cpv": 10.0, "cpe": 0.2, "cpc": 2.0, "cpa": 50.0, "roi": 0.6, "roas": 1.6}


def test_cost_metrics_with_zero_spend_or_zero_and_missing_denominators():
    assert all(v is None for k, v in cm.cost_metrics(0.0, impressions=1000, clicks=10, conversions=1, revenue=50.0).items() if k != "spend")
    got = cm.cost_metrics(300.0, impressions=0, views=None, engagements=60, clicks=0, conversions=None)
    assert (got["cpm"], got["cpv"], got["cpc"], got["cpa"], got["roi"]) == (None, None, None, None, None)
    assert got["cpe"] == 5.0


def _campaign(days: int = 3) -> cm.Campaign:
    return cm.Campaign("C", "test", dt.date(2026, 5, 4), dt.date(2026, 5, 3 + days), ("douyin",), 1000.0, {"views": 400.0})


def test_funnel_rates_drop_offs_and_change_test():
    dates = pd.date_range("2026-05-01", "2026-05-06")
    daily = pd.DataFrame({"date": dates, "impressions": [pd.NA] * 6, "views": [100, 100, 100, 200, 200, 200],
                          "engagements": [10, 10, 10, 30, 30, 30], "clicks": [5, 5, 5, 6, 6, 6], "conversions": [1, 1, 1, 3, 3, 3]})
    daily["impressions"] = daily["impressions"].astype("Int64")
    table = cm.funnel(daily, _campaign())
    assert list(table.index) == ["views", "engagements", "clicks", "conversions"]  # no impressions: views on top
    assert table.at["views", "campaign"] == 600 and table.at["views", "before"] == 300
    assert table.at["engagements", "rate"] == pytest.approx(0.15) and table.at["engagements", "rate_before"] == pytest.approx(0.10)
    assert table.at["clicks", "drop_off"] == pytest.approx(1 - 18 / 90)
    assert table.at["conversions", "rate"] == pytest.approx(0.5)
    expected = proportions_ztest([30, 90], [300, 600])[1]
    assert table.at["engagements", "p_value"] == pytest.approx(expected)


def test_kpis_attainment_and_baseline():
    posts = pd.DataFrame({"views": [300, 200], "likes": [10, 5], "comments": [1, 1], "shares": [0, 2], "saves": [pd.NA, 1]})
    base = pd.DataFrame({"views": [90, 60], "likes": [3, 3], "comments": [0, 0], "shares": [0, 0], "saves": [0, 0]})
    table = cm.kpi_table(posts, base, _campaign(), baseline_days=6)
    assert table.at["views", "actual"] == 500 and table.at["views", "target"] == 400 and table.at["views", "attainment"] == 1.25
    assert table.at["views", "baseline"] == 75  # 150 over 6 days, scaled to 3
    assert table.at["interactions", "actual"] == 20  # likes + comments + shares + saves, counting what is reported
    assert "clicks" not in table.index  # no data, no row


def test_efficiency_ranks_by_cpa_with_intervals_and_says_which_differences_are_real():
    posts = pd.DataFrame({"channel": ["kol", "kol", "paid", "owned"], "spend": [1000.0, 1000.0, 3000.0, np.nan], "views": [1, 1, 1, 1],
                          "likes": [1, 1, 1, 1], "clicks": [500, 500, 1000, np.nan], "conversions": [50, 50, 30, np.nan]})
    table = cm.efficiency(posts, "channel")
    assert list(table.index) == ["kol", "paid", "owned"]
    assert table.at["kol", "cpa"] == 20 and table.at["paid", "cpa"] == 100
    low, high = stats.poisson_interval(100)
    assert (table.at["kol", "cpa_low"], table.at["kol", "cpa_high"]) == (pytest.approx(2000 / high), pytest.approx(2000 / low))
    assert bool(table.at["paid", "differs_from_best"]) and not bool(table.at["kol", "differs_from_best"])
    assert table.at["paid", "p_vs_best"] == pytest.approx(proportions_ztest([100, 30], [1000, 1000])[1])


def test_poisson_interval_is_garwoods():
    assert stats.poisson_interval(10) == (pytest.approx(4.795, abs=1e-3), pytest.approx(18.390, abs=1e-3))
    assert stats.poisson_interval(0)[0] == 0.0


@pytest.fixture(scope="module")
def reviews(sample_store):
    return {cid: cm.analyze(sample_store, cid) for cid in ("CMP-AUTUMN-DOUYIN", "CMP-SPRING-WEIBO")}


def test_the_planted_campaign_lift_is_found(reviews, sample_store):
    truth = json.loads((sample_store.parent / "sample" / "truth.json").read_text())["campaigns"]
    planted = next(t for t in truth if t["campaign_id"] == "CMP-AUTUMN-DOUYIN")
    views = next(lift for lift in reviews["CMP-AUTUMN-DOUYIN"].lifts if lift.metric == "views").campaign
    assert views.ci_low <= planted["incremental_views"] <= views.ci_high
    assert views.ci_low > 0 and views.p_value < 0.05
    assert views.rel_ci_low < planted["relative_lift"] < views.rel_ci_high


def test_the_null_campaign_is_not_called_a_success(reviews):
    views = next(lift for lift in reviews["CMP-SPRING-WEIBO"].lifts if lift.metric == "views").campaign
    assert views.ci_low < 0 < views.ci_high
    advice = reviews["CMP-SPRING-WEIBO"].suggestions
    assert not any(s.startswith("Repeat") for s in advice)
    assert any("cannot be told from normal variation" in s for s in advice)


def test_suggestions_cite_their_figures_and_the_summary_has_its_keys(reviews):
    pm = reviews["CMP-AUTUMN-DOUYIN"]
    assert pm.suggestions and all(any(ch.isdigit() for ch in s) for s in pm.suggestions)
    assert pm.suggestions[0].startswith("Repeat: the campaign caused +")
    assert any(s.startswith("Re-budget from creator") for s in pm.suggestions)
    summary = pm.to_summary()
    assert set(summary) == {"campaign_id", "kpis", "lift", "cost", "channels", "suggestions"}
    assert set(summary["kpis"]["views"]) == {"actual", "target", "attainment", "baseline"}
    assert set(summary["lift"]["views"]) == {"absolute", "ci_low", "ci_high", "relative", "rel_ci_low", "rel_ci_high", "p_value"}
    assert set(summary["cost"]) == {"cpm", "cpe", "cpc", "cpa", "roi"}
    assert summary["cost"]["cpm"] is None  # Douyin reports no impressions
    paid_for = [c for c in summary["channels"] if c["channel"] in ("kol", "paid")]
    assert len(paid_for) == 2 and summary["channels"][:2] == paid_for  # owned posts cost nothing per post: ranked last
    assert paid_for[0]["cpa"] <= paid_for[1]["cpa"]  # cheapest result first


def test_unknown_campaign_lists_the_known_ones(sample_store):
    with pytest.raises(ValueError, match="campaign 'NOPE' is not in the store; campaigns: CMP-AUTUMN-DOUYIN, CMP-SPRING-WEIBO"):
        cm.read_campaign(sample_store, "NOPE")


def test_overspend_is_a_suggestion_with_its_figures():
    kpis = pd.DataFrame(columns=["actual", "target", "attainment", "baseline", "vs_baseline"])
    advice = cm.suggestions(kpis, {"spend": 130000.0}, [], pd.DataFrame(), pd.DataFrame(), pd.DataFrame(), budget=100000.0)
    assert advice == ["Control spend: ¥130,000 against a budget of ¥100,000 (+30%)."]
    assert cm.suggestions(kpis, {"spend": 101000.0}, [], pd.DataFrame(), pd.DataFrame(), pd.DataFrame(), budget=100000.0) == []


def test_a_campaign_too_early_for_a_counterfactual_still_gets_its_report(sample_store, tmp_path):
    import shutil

    from smkit.data.ingest import ingest

    store = tmp_path / "s.duckdb"
    shutil.copy(sample_store, store)
    sheet = tmp_path / "c.csv"
    sheet.write_text("campaign_id,start_date,end_date,platforms,budget\nEARLY,2025-11-05,2025-11-15,douyin,0\n", encoding="utf-8")
    ingest([sheet], "campaigns", store=store, now=pd.Timestamp("2026-11-26", tz="Asia/Shanghai"))
    pm = cm.analyze(store, "EARLY")
    assert pm.lifts == [] and pm.lift_notes and "only 4 pre-period days" in pm.lift_notes[0]
    assert cm.lift_figure(pm).startswith("**No lift estimate.** views, engagements, followers_gained, clicks, conversions: only 4 pre-period days before 2025-11-05;")
    assert pm.cost["cpa"] is None  # nothing spent
