"""Market analysis: shares of voice, benchmarks, trends, audience fit and the platform score."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pandas as pd
import pytest

from smkit import sample
from smkit.playbooks import market_analysis as market
from smkit.sample import build_sample_store

YEAR = (dt.date(2025, 11, 1), dt.date(2026, 10, 31))  # the sample's whole year


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    store = build_sample_store(tmp_path_factory.mktemp("market") / "smkit.duckdb", scale=0.5)
    truth = json.loads((store.parent / "sample" / "truth.json").read_text())
    return market.analyze(store, "Lumina", *YEAR, target="age:22-35, city_tier:1-2", draws=500), truth


@pytest.fixture(scope="module")
def no_gap(tmp_path_factory):
    store = build_sample_store(tmp_path_factory.mktemp("market_null") / "smkit.duckdb", scale=0.5, without=["platform_gap"])
    return market.analyze(store, "Lumina", *YEAR, draws=200)


def test_planted_shares_of_voice_are_reported_within_one_point(planted):
    analysis, truth = planted
    reported = analysis.to_summary()["share_of_voice"]
    assert set(reported) == set(truth["share_of_voice"])
    for brand, share in truth["share_of_voice"].items():
        assert reported[brand] == pytest.approx(share, abs=0.01), brand


def test_the_planted_underperforming_platform_is_named_and_no_other(planted, no_gap):
    analysis, truth = planted
    flags = analysis.to_summary()["benchmark_flags"]
    assert [(f["platform"], f["verdict"]) for f in flags] == [(truth["platform_gap"]["platform"], "under-performs")]
    assert flags[0]["ci_low"] < truth["platform_gap"]["multiplier"] < flags[0]["ci_high"]
    assert "kuaishou" in market.brief_text(analysis) and "Fix before scaling" in market.recommendation_text(analysis)
    assert no_gap.benchmark.flags().empty
    assert "No platform shows a real engagement gap" in market.brief_text(no_gap)


def test_summary_has_the_promised_keys_and_a_consistent_plan(planted):
    analysis, _ = planted
    summary = analysis.to_summary()
    assert {"brand", "share_of_voice", "platform_scores", "recommended"} <= set(summary)
    assert summary["brand"] == "Lumina" and sum(summary["share_of_voice"].values()) == pytest.approx(1, abs=1e-3)
    scores = summary["platform_scores"]
    assert [s["rank"] for s in scores] == list(range(1, len(scores) + 1))
    assert all(0 <= s["rank_stability"] <= 1 for s in scores)
    assert [s["score"] for s in scores] == sorted((s["score"] for s in scores), reverse=True)
    assert list(summary["recommended"].values()) == [s["platform"] for s in scores[:3]]
    for p in analysis.recommended:  # every positioning line cites a figure
        assert all(any(ch.isdigit() for ch in line) for line in (p.content, p.users, p.interaction, p.distribution)), p


def test_share_of_voice_counts_earned_mentions_and_weights_by_interactions():
    m = pd.DataFrame({
        "brand": ["A", "A", "A", "B", "A"],
        "platform": ["weibo", "weibo", "douyin", "weibo", "weibo"],
        "likes": [9, 0, 1, 3, 50], "comments": [0, 0, 0, 0, 0], "shares": [0, 0, 0, 1, 0],
        "is_reply_by_brand": [False, False, False, False, True],  # A's own reply is not voice
    })
    sov = market.share_of_voice(m).set_index("brand")
    assert sov.loc["A", "volume"] == 3 and sov.loc["A", "share"] == pytest.approx(0.75)
    # Wilson's interval by hand for 3 of 4
    z, n, p = 1.959963984540054, 4, 0.75
    centre, half = (p + z**2 / (2 * n)) / (1 + z**2 / n), z / (1 + z**2 / n) * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2))
    assert (sov.loc["A", "ci_low"], sov.loc["A", "ci_high"]) == pytest.approx((centre - half, centre + half))
    weighted = market.share_of_voice(m, weighted=True).set_index("brand")
    assert weighted.loc["A", "volume"] == 10 + 1 + 2 and weighted.loc["B", "volume"] == 5
    by = market.share_of_voice(m, by=["platform"]).set_index(["platform", "brand"])
    assert by.loc[("douyin", "A"), "share"] == 1 and by.loc[("weibo", "B"), "share"] == pytest.approx(1 / 3)


def test_net_sentiment_keeps_exported_scores_and_scores_the_rest():
    m = pd.DataFrame({"brand": ["A"] * 4, "text": ["x", "y", "太失望了，差评", "z"], "sentiment": [0.9, 0.8, np.nan, -0.7]})
    table = market.net_sentiment_table(m)
    assert table.loc["A", "positive"] == 2 and table.loc["A", "negative"] == 2
    assert table.loc["A", "net_sentiment"] == 0 and table.loc["A", "scored_share"] == pytest.approx(0.25)
    assert table.loc["A", "ci_low"] < 0 < table.loc["A", "ci_high"]


def test_trends_call_directions_only_after_holm(planted):
    analysis, _ = planted
    t = analysis.trends
    assert set(t["series"]) == {"mentions", "views"} and (t["p_holm"] >= t["p_value"]).all()
    assert set(t.loc[t["direction"] != "flat", "p_holm"].lt(0.05)) <= {True}


def test_target_filters_numbers_categories_and_lists():
    audience = pd.DataFrame({"platform": ["a", "a", "b", "b"], "age": [20, 30, 40, 25], "gender": ["female", "male", "female", "Female"],
                             "interests": ["tech;food", "food", "tech", "travel"]})
    target = market.Target.parse("age:22-35, gender:female")
    assert target.mask(audience).tolist() == [False, False, False, True]
    assert market.Target.parse("interests:tech|travel").mask(audience).tolist() == [True, False, True, True]
    fit = market.audience_fit(audience, market.Target.parse("age:22-40"))
    assert fit.loc["b", "fit"] == 1 and fit.loc["a", "fit"] == 0.5
    assert target.describe() == "age 22-35, gender female"
    with pytest.raises(ValueError, match="no column 'agee'.*age, gender, interests"):
        market.Target.parse("agee:20-30").mask(audience)
    with pytest.raises(ValueError, match="'age:young' needs a number or a range"):
        market.Target.parse("age:young").mask(audience)
    with pytest.raises(ValueError, match="'age' is not column:values"):
        market.Target.parse("age")


def test_weight_and_resource_parameters_are_checked():
    assert market.parse_mapping("engagement:0.5， growth:1", "weights", list(market.CRITERIA)) == {"engagement": 0.5, "growth": 1.0}
    with pytest.raises(ValueError, match="weights: unknown key 'reach'; valid keys are audience_fit"):
        market.parse_mapping("reach:1", "weights", list(market.CRITERIA))
    with pytest.raises(ValueError, match="weights: 'growth:-1' is not key:number"):
        market.parse_mapping("growth:-1", "weights")


def test_scores_follow_the_rule_by_hand():
    criteria = pd.DataFrame({"audience_fit": [0.8, 0.4, np.nan], "engagement": [0.02, 0.04, 0.01], "growth": [0.1, -0.1, 0.0],
                             "cost": [1.0, 2.0, np.nan], "resources": [1.0, 0.5, 0.5]}, index=["x", "y", "z"])
    weights = {"audience_fit": 1, "engagement": 1, "growth": 1, "cost": 1, "resources": 0}
    s = market.score_platforms(criteria, weights, draws=500)
    # x: fit 1, engagement 0.5, growth 1 (min-max), cost 1 (cheapest) -> 3.5 / 4
    # y: fit 0.5, engagement 1, growth 0, cost 0.5 -> 2 / 4;  z: fit 0.5 (missing), 0.25, 0.5, 0.5 (missing) -> 1.75 / 4
    assert s.table["score"].to_dict() == pytest.approx({"x": 0.875, "y": 0.5, "z": 0.4375})
    assert s.table.index.tolist() == ["x", "y", "z"] and s.table.loc["x", "rank_stability"] > 0.95  # far ahead: the weights rarely matter
    assert s.rank_share.sum(axis=1).tolist() == pytest.approx([1, 1, 1])
    with pytest.raises(ValueError, match="at least one criterion needs a positive weight"):
        market.score_platforms(criteria, {"resources": 0})


def test_close_platforms_are_reported_as_weight_dependent():
    criteria = pd.DataFrame({"audience_fit": [1.0, 0.5], "engagement": [0.5, 1.0], "growth": [0.0, 0.0], "cost": [np.nan] * 2,
                             "resources": [1.0, 1.0]}, index=["x", "y"])
    s = market.score_platforms(criteria, {"audience_fit": 0.5, "engagement": 0.5}, draws=2000)
    assert 0.3 < s.table["rank_stability"].iloc[0] < 0.7  # a coin toss between equals


def test_reference_facts_carry_a_source_and_date(tmp_path):
    facts = market.reference_facts()
    assert {"weibo", "douyin", "kuaishou", "xiaohongshu", "wechat", "bilibili", "linkedin"} <= set(facts.index)
    assert facts["source"].notna().all() and facts["as_of"].notna().all() and facts["illustrative_fields"].notna().all()
    bad = tmp_path / "facts.csv"
    bad.write_text("platform,source,as_of\nweibo,report,2024\ndouyin,,2024\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"facts.csv: row\(s\) 3 lack a source or date"):
        market.reference_facts(bad)


def test_unknown_brand_or_competitor_is_named(sample_store):
    with pytest.raises(ValueError, match="brand 'Lumnia' has no posts or mentions.*Lumina"):
        market.analyze(sample_store, "Lumnia", *YEAR)
    with pytest.raises(ValueError, match="competitor\\(s\\) Acme have no posts"):
        market.analyze(sample_store, "Lumina", *YEAR, competitors="Acme， Vexa")  # as the notebook parameter gives it


def test_sample_generator_plants_what_the_market_analysis_reads():
    truth = sample.generate(seed=2, scale=0.1)["truth"]
    assert truth["platform_gap"]["platform"] == "kuaishou" and sum(truth["share_of_voice"].values()) == pytest.approx(1)


def test_a_window_without_mentions_gives_empty_tables_not_errors():
    empty = pd.DataFrame({"brand": pd.Series(dtype=str), "platform": pd.Series(dtype=str), "text": pd.Series(dtype=str),
                          "published_at": pd.Series(dtype="datetime64[ns]"), "likes": pd.Series(dtype=float)})
    assert market.share_of_voice(empty).empty and market.net_sentiment_table(empty).empty
    assert market.weekly_share_of_voice(empty).empty


def test_posts_without_exposure_are_counted_not_silently_dropped():
    posts = pd.DataFrame({"platform": ["weibo"] * 4, "account": ["A", "A", "B", "B"], "channel": "owned", "content_type": "video",
                          "views": [100.0, np.nan, 200.0, 0.0], "likes": [5, 9, 4, 1], "comments": [0] * 4, "shares": [0] * 4})
    posts.loc[1, "views"] = 50.0  # 3 of 4 exposed would fail the 95% rule; keep the basis available
    bench = market.benchmark(posts, pd.DataFrame(columns=["date", "platform", "account", "followers"]), "A", ["B"], days=7)
    assert bench.basis == "views" and bench.excluded == 1  # B's post with zero views
    b = bench.accounts.set_index("account").loc["B"]
    assert b["posts"] == 2 and b["rate"] == pytest.approx(4 / 200)  # volume counts both posts, the rate only the exposed one


def test_a_platform_without_views_is_named_and_left_out_of_rates_only():
    posts = pd.DataFrame({"platform": ["weibo"] * 4 + ["wechat"] * 4, "account": ["A", "B"] * 4, "channel": "owned", "content_type": "video",
                          "views": [100.0, 200.0, 50.0, 80.0, np.nan, np.nan, np.nan, 10.0], "likes": [5, 4, 2, 2, 3, 3, 3, 3],
                          "comments": [0] * 8, "shares": [0] * 8})
    bench = market.benchmark(posts, pd.DataFrame(columns=["date", "platform", "account", "followers"]), "A", ["B"], days=7)
    assert bench.basis == "views" and bench.uncovered == {"wechat": 0.25}
    acc = bench.accounts.set_index(["platform", "account"])
    assert acc.loc[("wechat", "A"), "posts"] == 2 and np.isnan(acc.loc[("wechat", "A"), "rate"])
    assert acc.loc[("weibo", "A"), "rate"] == pytest.approx(7 / 150)
    with pytest.raises(ValueError, match="no platform reports views or impressions"):
        market.engagement_basis(posts.assign(views=np.nan))
