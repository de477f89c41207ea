"""Market analysis: shares of voice, benchmarks, trends, audience fit and the platform score."""

from __future__ import annotations

import datetime as dt
import json
import re

import numpy as np
import pandas as pd
import pytest

from smkit import i18n, rules, sample, viz
from smkit.params import Config
from smkit.playbooks import market_analysis as market
from smkit.playbooks.market_analysis import benchmark, inputs, platform_score, report, voice
from smkit.playbooks.market_analysis.audience import audience_fit
from smkit.sample import build_sample_store

YEAR = (dt.date(2025, 11, 1), dt.date(2026, 10, 31))  # the sample's whole year


def run(store, **params):
    return market.run(Config(store, *YEAR, {}), market.settings(**params))


@pytest.fixture(scope="session")
def planted_store(tmp_path_factory):
    return build_sample_store(tmp_path_factory.mktemp("market") / "smkit.duckdb", scale=0.5)


@pytest.fixture(scope="session")
def planted(planted_store):
    store = planted_store
    truth = json.loads((store.parent / "sample" / "truth.json").read_text())
    return run(store, brand="Lumina", target="age:22-35, city_tier:1-2", draws=500), truth


@pytest.fixture(scope="session")
def no_gap(tmp_path_factory):
    store = build_sample_store(tmp_path_factory.mktemp("market_null") / "smkit.duckdb", scale=0.5, without=["platform_gap"])
    return run(store, brand="Lumina", draws=200)


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
    brief, plan = report.brief(analysis, "en"), report.recommendation_text(analysis, "en")
    assert "Kuaishou" in brief and f"{flags[0]['ratio']:.2f}x" in brief
    assert "Fix before scaling" in plan and f"{flags[0]['ratio']:.2f}x" in plan.split("Fix before scaling")[1]
    zh = report.brief(analysis, "zh")
    assert "快手" in zh and f"{flags[0]['ratio']:.2f} 倍" in zh and "kuaishou" not in zh
    assert no_gap.benchmark.flags().empty
    assert "On no platform does" in report.brief(no_gap, "en") and "没有明显差距" in report.brief(no_gap, "zh")


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
    assert [(p.role, p.platform) for p in analysis.recommended] == list(summary["recommended"].items())
    bullets = [line for line in report.recommendation_text(analysis, "en").splitlines() if line.startswith("- **")]
    assert len(bullets) == 4 * len(analysis.recommended)
    assert all(any(ch.isdigit() for ch in line) for line in bullets), bullets  # every positioning line cites a figure
    for p in analysis.recommended:  # the figures behind the lines are data
        assert 0 < p.main_share <= 1 and p.main_rate > 0 and 0 <= p.fit <= 1 and p.posts_per_week > 0, p


def test_share_of_voice_counts_earned_mentions_and_weights_by_interactions():
    m = pd.DataFrame(
        {
            "brand": ["A", "A", "A", "B", "A"],
            "platform": ["weibo", "weibo", "douyin", "weibo", "weibo"],
            "likes": [9, 0, 1, 3, 50],
            "comments": [0, 0, 0, 0, 0],
            "shares": [0, 0, 0, 1, 0],
            "is_reply_by_brand": [False, False, False, False, True],  # A's own reply is not voice
        }
    )
    sov = rules.share_of_voice(m).set_index("brand")
    assert sov.loc["A", "volume"] == 3 and sov.loc["A", "share"] == pytest.approx(0.75)
    # Wilson's interval by hand for 3 of 4
    z, n, p = 1.959963984540054, 4, 0.75
    centre, half = (p + z**2 / (2 * n)) / (1 + z**2 / n), z / (1 + z**2 / n) * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2))
    assert (sov.loc["A", "ci_low"], sov.loc["A", "ci_high"]) == pytest.approx((centre - half, centre + half))
    weighted = rules.share_of_voice(m, weighted=True).set_index("brand")
    assert weighted.loc["A", "volume"] == 10 + 1 + 2 and weighted.loc["B", "volume"] == 5
    by = rules.share_of_voice(m, by=["platform"]).set_index(["platform", "brand"])
    assert by.loc[("douyin", "A"), "share"] == 1 and by.loc[("weibo", "B"), "share"] == pytest.approx(1 / 3)


def test_net_sentiment_keeps_exported_scores_and_scores_the_rest():
    m = pd.DataFrame({"brand": ["A"] * 4, "text": ["x", "y", "太失望了，差评", "z"], "sentiment": [0.9, 0.8, np.nan, -0.7]})
    table = voice.net_sentiment_table(m)
    assert table.loc["A", "positive"] == 2 and table.loc["A", "negative"] == 2
    assert table.loc["A", "net_sentiment"] == 0 and table.loc["A", "scored_share"] == pytest.approx(0.25)
    assert table.loc["A", "ci_low"] < 0 < table.loc["A", "ci_high"]


def test_trends_call_directions_only_after_holm(planted):
    analysis, _ = planted
    t = analysis.trends
    assert set(t["series"]) == {"mentions", "views"} and (t["p_holm"] >= t["p_value"]).all()
    assert set(t.loc[t["direction"] != "flat", "p_holm"].lt(0.05)) <= {True}


def test_target_filters_numbers_categories_and_lists():
    audience = pd.DataFrame(
        {
            "platform": ["a", "a", "b", "b"],
            "age": [20, 30, 40, 25],
            "gender": ["female", "male", "female", "Female"],
            "interests": ["tech;food", "food", "tech", "travel"],
        }
    )
    target = market.Target.parse("age:22-35, gender:female")
    assert target.mask(audience).tolist() == [False, False, False, True]
    assert market.Target.parse("interests:tech|travel").mask(audience).tolist() == [True, False, True, True]
    fit = audience_fit(audience, market.Target.parse("age:22-40"))
    assert fit.loc["b", "fit"] == 1 and fit.loc["a", "fit"] == 0.5
    assert target.describe() == "age 22-35, gender female"
    with pytest.raises(ValueError, match="no column 'agee'.*age, gender, interests"):
        market.Target.parse("agee:20-30").mask(audience)
    with pytest.raises(ValueError, match="'age:young' needs a number or a range"):
        market.Target.parse("age:young").mask(audience)
    with pytest.raises(ValueError, match="target: 'age' is not key:value"):
        market.Target.parse("age")


def test_weight_and_resource_parameters_are_checked():
    s = market.settings(weights="engagement:0.5， growth:1", resources="weibo：1；douyin:0.5", competitors="露米娜，Lumi")
    assert s.weights == {**market.DEFAULT_WEIGHTS, "engagement": 0.5, "growth": 1.0}
    assert s.resources == {"weibo": 1.0, "douyin": 0.5} and s.competitors == ("露米娜", "Lumi")
    with pytest.raises(ValueError, match="weights: unknown key 'reach'; valid keys are audience_fit"):
        market.settings(weights="reach:1")
    with pytest.raises(ValueError, match="weights: 'growth:-1' needs a number of 0 or more"):
        market.settings(weights="growth:-1")
    with pytest.raises(ValueError, match="resources: 'weibo' is not key:value"):
        market.settings(resources="weibo")


def test_scores_follow_the_rule_by_hand():
    criteria = pd.DataFrame(
        {
            "audience_fit": [0.8, 0.4, np.nan],
            "engagement": [0.02, 0.04, 0.01],
            "growth": [0.1, -0.1, 0.0],
            "cost": [1.0, 2.0, np.nan],
            "resources": [1.0, 0.5, 0.5],
        },
        index=["x", "y", "z"],
    )
    weights = {"audience_fit": 1, "engagement": 1, "growth": 1, "cost": 1, "resources": 0}
    s = platform_score.score_platforms(criteria, weights, draws=500)
    # x: fit 1, engagement 0.5, growth 1 (min-max), cost 1 (cheapest) -> 3.5 / 4
    # y: fit 0.5, engagement 1, growth 0, cost 0.5 -> 2 / 4;  z: fit 0.5 (missing), 0.25, 0.5, 0.5 (missing) -> 1.75 / 4
    assert s.table["score"].to_dict() == pytest.approx({"x": 0.875, "y": 0.5, "z": 0.4375})
    assert s.table.index.tolist() == ["x", "y", "z"] and s.table.loc["x", "rank_stability"] > 0.95  # far ahead: the weights rarely matter
    assert s.rank_share.sum(axis=1).tolist() == pytest.approx([1, 1, 1])
    with pytest.raises(ValueError, match="at least one criterion needs a positive weight"):
        platform_score.score_platforms(criteria, {"resources": 0})


def test_close_platforms_are_reported_as_weight_dependent():
    criteria = pd.DataFrame(
        {"audience_fit": [1.0, 0.5], "engagement": [0.5, 1.0], "growth": [0.0, 0.0], "cost": [np.nan] * 2, "resources": [1.0, 1.0]}, index=["x", "y"]
    )
    s = platform_score.score_platforms(criteria, {"audience_fit": 0.5, "engagement": 0.5}, draws=2000)
    assert 0.3 < s.table["rank_stability"].iloc[0] < 0.7  # a coin toss between equals


def test_reference_facts_carry_a_source_and_date(tmp_path):
    facts = inputs.reference_facts()
    assert {"weibo", "douyin", "kuaishou", "xiaohongshu", "wechat", "bilibili", "linkedin"} <= set(facts.index)
    assert facts["source"].notna().all() and facts["as_of"].notna().all() and facts["illustrative_fields"].notna().all()
    bad = tmp_path / "facts.csv"
    bad.write_text("platform,source,as_of\nweibo,report,2024\ndouyin,,2024\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"facts.csv: row\(s\) 3 lack a source or date"):
        inputs.reference_facts(bad)


def test_unknown_brand_or_competitor_is_named(sample_store):
    with pytest.raises(ValueError, match="brand 'Lumnia' has no posts or mentions.*Lumina"):
        run(sample_store, brand="Lumnia")
    with pytest.raises(ValueError, match="competitor\\(s\\) Acme have no posts"):
        run(sample_store, brand="Lumina", competitors="Acme， Vexa")  # as the notebook parameter gives it


def test_sample_generator_plants_what_the_market_analysis_reads():
    truth = sample.generate(seed=2, scale=0.1)["truth"]
    assert truth["platform_gap"]["platform"] == "kuaishou" and sum(truth["share_of_voice"].values()) == pytest.approx(1)


def test_a_window_without_mentions_gives_empty_tables_not_errors():
    empty = pd.DataFrame(
        {
            "brand": pd.Series(dtype=str),
            "platform": pd.Series(dtype=str),
            "text": pd.Series(dtype=str),
            "published_at": pd.Series(dtype="datetime64[ns]"),
            "likes": pd.Series(dtype=float),
        }
    )
    assert rules.share_of_voice(empty).empty and voice.net_sentiment_table(empty).empty
    assert voice.weekly_share_of_voice(empty).empty


def test_posts_without_exposure_are_counted_not_silently_dropped():
    posts = pd.DataFrame(
        {
            "platform": ["weibo"] * 4,
            "account": ["A", "A", "B", "B"],
            "channel": "owned",
            "content_type": "video",
            "views": [100.0, np.nan, 200.0, 0.0],
            "likes": [5, 9, 4, 1],
            "comments": [0] * 4,
            "shares": [0] * 4,
        }
    )
    posts.loc[1, "views"] = 50.0  # 3 of 4 exposed would fail the 95% rule; keep the basis available
    bench = benchmark.compare(posts, pd.DataFrame(columns=["date", "platform", "account", "followers"]), "A", ["B"], days=7)
    assert bench.basis == "views" and bench.excluded == 1  # B's post with zero views
    b = bench.accounts.set_index("account").loc["B"]
    assert b["posts"] == 2 and b["rate"] == pytest.approx(4 / 200)  # volume counts both posts, the rate only the exposed one


def test_a_platform_without_views_is_named_and_left_out_of_rates_only():
    posts = pd.DataFrame(
        {
            "platform": ["weibo"] * 4 + ["wechat"] * 4,
            "account": ["A", "B"] * 4,
            "channel": "owned",
            "content_type": "video",
            "views": [100.0, 200.0, 50.0, 80.0, np.nan, np.nan, np.nan, 10.0],
            "likes": [5, 4, 2, 2, 3, 3, 3, 3],
            "comments": [0] * 8,
            "shares": [0] * 8,
        }
    )
    bench = benchmark.compare(posts, pd.DataFrame(columns=["date", "platform", "account", "followers"]), "A", ["B"], days=7)
    assert bench.basis == "views" and bench.uncovered == {"wechat": 0.25}
    acc = bench.accounts.set_index(["platform", "account"])
    assert acc.loc[("wechat", "A"), "posts"] == 2 and np.isnan(acc.loc[("wechat", "A"), "rate"])
    assert acc.loc[("weibo", "A"), "rate"] == pytest.approx(7 / 150)
    assert benchmark.engagement_basis(posts.assign(views=np.nan)) == ("views", {"weibo": 0.0, "wechat": 0.0})
    assert benchmark.engagement_basis(posts.drop(columns="views")) == ("views", {"weibo": 0.0, "wechat": 0.0})
    most = posts.assign(views=[100.0, 200.0, 50.0, np.nan, np.nan, 5.0, 7.0, 10.0])  # 3 of 4 on each: a majority is rated
    assert benchmark.engagement_basis(most) == ("views", {})
    assert benchmark.engagement_basis(posts.assign(impressions=1.0)) == ("impressions", {})


@pytest.mark.parametrize("without", [0.25, 0.6])
def test_posts_partly_without_views_leave_out_rates_not_the_report(planted_store, tmp_path, without):
    """Views missing at random on a quarter of the posts keep every platform rated and the planted gap
    found; missing on most posts, engagement is not compared and the report says why, in both languages."""
    import shutil

    import duckdb

    store = tmp_path / "smkit.duckdb"
    shutil.copy(planted_store, store)
    with duckdb.connect(str(store)) as con:
        con.execute(f"UPDATE posts SET views = NULL, impressions = NULL WHERE hash(post_id) % 100 < {round(without * 100)}")
    analysis = run(store, brand="Lumina", draws=200)
    truth = json.loads((planted_store.parent / "sample" / "truth.json").read_text())["platform_gap"]
    bench, summary = analysis.benchmark, analysis.to_summary()
    if without < 0.5:
        assert bench.uncovered == {} and bench.has_rates and bench.basis == "views"
        assert bench.excluded / bench.accounts["posts"].sum() == pytest.approx(without, abs=0.03)
        assert [(f["platform"], f["verdict"]) for f in summary["benchmark_flags"]] == [(truth["platform"], "under-performs")]
        return
    assert set(bench.uncovered) == set(bench.accounts["platform"]) and max(bench.uncovered.values()) < 0.5
    assert not bench.has_rates and bench.comparisons.empty and summary["benchmark_flags"] == []
    assert bench.accounts["posts"].sum() > 1000  # volume still counts every post
    for lang, words in (("zh", "无法比较互动率"), ("en", "engagement rates cannot be compared")):
        assert words in report.brief(analysis, lang) and words in report.benchmark_finding(analysis, lang)
        assert "no clear difference" not in report.benchmark_finding(analysis, lang)
        columns = report.accounts_table(analysis, lang).data.columns
        assert report.T("col_posts_week", lang) in columns and report.T("col_rate", lang) not in columns
    plan = report.recommendation_text(analysis, "zh")
    assert plan.count("无法比较各体裁的互动率") == len(analysis.recommended) and "帖子太少" not in plan
    for p in analysis.recommended:  # the interaction split is over every owned post, with or without views
        assert 0.2 < p.top_part_share < 1


def test_no_flag_says_why_no_competitor_or_too_few_posts(planted_store, tmp_path):
    import shutil

    import duckdb

    week = market.run(Config(planted_store, dt.date(2026, 10, 25), dt.date(2026, 10, 29), {}), market.settings(brand="Lumina", draws=50))
    assert week.benchmark.has_rates and week.benchmark.comparisons.empty
    assert "至少 20 条带播放数的帖子" in report.brief(week, "zh") and "at least 20 posts with views" in report.benchmark_finding(week, "en")
    store = tmp_path / "smkit.duckdb"
    shutil.copy(planted_store, store)
    with duckdb.connect(str(store)) as con:
        con.execute("DELETE FROM posts WHERE account <> 'Lumina'")
        con.execute("DELETE FROM mentions WHERE brand <> 'Lumina'")
    alone = run(store, brand="Lumina", draws=50)
    assert alone.competitors == () and alone.to_summary()["benchmark_flags"] == []
    assert "没有找到 Lumina 的竞品" in report.brief(alone, "zh") and "No competitor of Lumina was found" in report.benchmark_finding(alone, "en")


def _report_outputs(analysis, lang):
    """Every report function's output for ``lang``, by name: Markdown, Stylers and Figures."""
    outputs = {}
    for name in dir(report):
        fn = getattr(report, name)
        if name.startswith("_") or not callable(fn) or getattr(fn, "__module__", "") != report.__name__:
            continue
        if name == "brief" or name.rsplit("_", 1)[1] in ("table", "figure", "text", "finding"):
            outputs[name] = fn(analysis, lang)
    return outputs


def test_report_functions_return_one_type_each(planted):
    from matplotlib.figure import Figure
    from pandas.io.formats.style import Styler

    viz.set_theme()  # the CJK font, as a notebook has it
    analysis, _ = planted
    assert analysis.has_trends and analysis.has_audience
    for lang in i18n.LANGUAGES:
        for name, out in _report_outputs(analysis, lang).items():
            kind = {"table": Styler, "figure": Figure, "text": str, "finding": str, "brief": str}[name.rsplit("_", 1)[-1]]
            assert isinstance(out, kind), name
    sov = report.sov_table(analysis, "en").data
    assert sov.loc["Lumina", "share"] == pytest.approx(analysis.to_summary()["share_of_voice"]["Lumina"], abs=5e-5)
    assert report.sov_table(analysis, "zh").data.loc["Lumina", "声量份额"] == sov.loc["Lumina", "share"]
    flags = analysis.to_summary()["benchmark_flags"]
    gap = report.comparison_table(analysis, "en").data.loc[i18n.platform(flags[0]["platform"], "en")]
    assert (gap["ours / theirs"], gap["low"], gap["high"]) == pytest.approx((flags[0]["ratio"], flags[0]["ci_low"], flags[0]["ci_high"]), abs=5e-4)
    assert gap["verdict"] == "below competitors"


CJK = re.compile(r"[\u4e00-\u9fff]")
STATISTICS = ("p-value", "p 值", "Holm", "MASE", "draws", "抽样", "Dirichlet", "Wilson", "interval", "区间")


def test_the_chinese_brief_says_our_numbers_in_plain_words(planted):
    analysis, _ = planted
    summary = analysis.to_summary()
    brief = report.brief(analysis, "zh")
    paragraphs = brief.split("\n\n")
    assert 3 <= len(paragraphs) <= 5 and all(CJK.search(p) for p in paragraphs), brief
    for brand, share in summary["share_of_voice"].items():  # ours and every competitor's share of voice
        assert f"{brand} {share:.1%}" in brief or f"**{share:.1%}**" in brief, brand
    assert f"{summary['net_sentiment']['Lumina']:+.2f}" in brief
    primary = summary["recommended"]["primary"]
    assert f"**{i18n.platform(primary)}**" in brief and f"{summary['platform_scores'][0]['score']:.2f}" in brief
    assert "大多数合理的权重设定" in brief  # the share of draws lives in the method note
    assert not any(word in brief for word in STATISTICS), brief
    assert f"{summary['platform_scores'][0]['rank_stability']:.0%}" in report.method_text(analysis, "zh")
    assert not any(word in report.brief(analysis, "en") for word in STATISTICS)


def test_english_output_has_no_chinese_and_chinese_output_no_codes(planted):
    viz.set_theme()
    analysis, _ = planted
    for name, out in _report_outputs(analysis, "en").items():
        if isinstance(out, str):
            text = out
        elif hasattr(out, "to_html"):
            text = out.to_html()
        else:
            text = " ".join(t.get_text() for t in out.findobj(lambda a: hasattr(a, "get_text")))
        assert not CJK.search(text), (name, CJK.findall(text))
    zh = " ".join(out if isinstance(out, str) else out.to_html() for out in _report_outputs(analysis, "zh").values() if not hasattr(out, "savefig"))
    for code in ("image_text", "under-performs", "no clear difference", "kuaishou", "xiaohongshu", "p_value", "rank_stability", "female_share"):
        assert code not in zh, code


def test_the_platform_facts_show_in_the_report_language():
    from types import SimpleNamespace

    facts = inputs.reference_facts()
    zh = report.facts_table(SimpleNamespace(facts=facts), "zh").data
    en = report.facts_table(SimpleNamespace(facts=facts), "en").data
    assert zh.shape == en.shape and not any(c.endswith("_zh") for c in map(str, en.columns))
    assert zh.loc["微博", "来源"] == "微博公司季度财报（月活）" and en.loc["Weibo", "source"] == "Weibo Corporation quarterly results (MAU)"
    # a user's table without the Chinese twins shows its own texts
    own = facts.drop(columns=[c for c in facts.columns if c.endswith("_zh")])
    assert report.facts_table(SimpleNamespace(facts=own), "zh").data.loc["微博", "来源"] == "Weibo Corporation quarterly results (MAU)"
