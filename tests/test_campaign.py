"""Campaign post-mortem: cost and funnel arithmetic, and the planted campaigns."""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import json
import re

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.proportion import proportions_ztest

from smkit import i18n
from smkit.methods import stats
from smkit.playbook import setup
from smkit.playbooks import campaign_postmortem as pb
from smkit.playbooks.campaign_postmortem import cost, funnel, kpis, suggestions
from smkit.playbooks.campaign_postmortem.wording import metric_name


def test_cost_metrics_on_hand_checked_numbers():
    got = cost.cost_metrics(5000.0, impressions=2_000_000, views=500_000, engagements=25_000, clicks=2_500, conversions=100, revenue=8000.0)
    assert got == {"spend": 5000.0, "cpm": 2.5, "cpv": 10.0, "cpe": 0.2, "cpc": 2.0, "cpa": 50.0, "roi": 0.6, "roas": 1.6}


def test_cost_metrics_with_zero_spend_or_zero_and_missing_denominators():
    assert all(v is None for k, v in cost.cost_metrics(0.0, impressions=1000, clicks=10, conversions=1, revenue=50.0).items() if k != "spend")
    got = cost.cost_metrics(300.0, impressions=0, views=None, engagements=60, clicks=0, conversions=None)
    assert (got["cpm"], got["cpv"], got["cpc"], got["cpa"], got["roi"]) == (None, None, None, None, None)
    assert got["cpe"] == 5.0


def _campaign(days: int = 3) -> pb.Campaign:
    return pb.Campaign("C", "test", dt.date(2026, 5, 4), dt.date(2026, 5, 3 + days), ("douyin",), 1000.0, {"views": 400.0})


def test_funnel_rates_drop_offs_and_change_test():
    dates = pd.date_range("2026-05-01", "2026-05-06")
    daily = pd.DataFrame(
        {
            "date": dates,
            "impressions": [pd.NA] * 6,
            "views": [100, 100, 100, 200, 200, 200],
            "engagements": [10, 10, 10, 30, 30, 30],
            "clicks": [5, 5, 5, 6, 6, 6],
            "conversions": [1, 1, 1, 3, 3, 3],
        }
    )
    daily["impressions"] = daily["impressions"].astype("Int64")
    table = funnel.funnel(daily, _campaign())
    assert list(table.index) == ["views", "engagements", "clicks", "conversions"]  # no impressions: views on top
    assert table.at["views", "campaign"] == 600 and table.at["views", "before"] == 300
    assert table.at["engagements", "rate"] == pytest.approx(0.15) and table.at["engagements", "rate_before"] == pytest.approx(0.10)
    assert table.at["clicks", "drop_off"] == pytest.approx(1 - 18 / 90)
    assert table.at["conversions", "rate"] == pytest.approx(0.5)
    expected = proportions_ztest([30, 90], [300, 600])[1]
    assert table.at["engagements", "p_value"] == pytest.approx(expected)
    # impressions on five of six days give way to views on top, and are named
    shown = daily.assign(impressions=pd.array([500, pd.NA, 500, 900, 900, 900], dtype="Int64"))
    assert funnel.funnel(shown, _campaign()).index[0] == "views" and funnel.left_out(shown, _campaign()) == {"impressions": 1}


def test_a_funnel_stage_the_export_leaves_empty_is_left_out_not_counted_as_zero():
    dates = pd.date_range("2026-05-01", "2026-05-06")
    empty = pd.array([pd.NA] * 6, dtype="Int64")
    daily = pd.DataFrame(
        {"date": dates, "impressions": empty, "views": empty, "engagements": [10, 10, 10, 30, 30, 30], "clicks": empty, "conversions": [1] * 6}
    )
    table = funnel.funnel(daily, _campaign())
    assert list(table.index) == ["engagements", "conversions"] and table.at["conversions", "rate"] == pytest.approx(3 / 90)
    none = funnel.funnel(daily.assign(engagements=empty, conversions=empty), _campaign())
    assert none.empty and list(none.columns) == ["campaign", "before"]
    # clicks exported on five of the six days: a sum over five days is not a rate of six days' engagements
    partly = daily.assign(clicks=pd.array([2, 2, 2, pd.NA, 6, 6], dtype="Int64"))
    table = funnel.funnel(partly, _campaign())
    assert list(table.index) == ["engagements", "conversions"] and table.at["conversions", "rate"] == pytest.approx(3 / 90)
    whole = funnel.funnel(partly.assign(clicks=[2, 2, 2, 6, 6, 6]), _campaign())
    assert list(whole.index) == ["engagements", "clicks", "conversions"] and whole.at["clicks", "rate"] == pytest.approx(18 / 90)
    # the report names what it left out: clicks, empty on one day; not views or impressions, never exported
    assert funnel.left_out(partly, _campaign()) == {"clicks": 1}
    assert funnel.left_out(partly.assign(clicks=[2, 2, 2, 6, 6, 6]), _campaign()) == {}


def test_the_funnel_finding_names_the_stages_it_left_out(reviews):
    result = dataclasses.replace(reviews["CMP-AUTUMN-DOUYIN"], funnel_left_out={"clicks": 24})
    zh, en = pb.report.funnel_finding(result, "zh"), pb.report.funnel_finding(result, "en")
    assert zh.endswith("漏斗未计入点击（缺 24 天）：账号每日数据在这些天没有数值，只按有数的天求和会偏低。") and zh.startswith("活动期间")
    assert "The funnel leaves out clicks (missing on 24 day(s))" in en
    assert result.to_summary()["funnel_left_out"] == {"clicks": 24}
    alone = pb.report.funnel_finding(dataclasses.replace(result, funnel=result.funnel.iloc[0:0]), "zh")
    assert alone.startswith("漏斗未计入点击") and alone.endswith("没有一个环节在两段时间里每天都有数值，无法比较漏斗。")
    assert reviews["CMP-AUTUMN-DOUYIN"].funnel_left_out == {}  # the sample exports every day


def test_a_funnel_of_one_stage_gives_no_rate_and_no_funnel_suggestion(reviews):
    from smkit.playbooks.campaign_postmortem.suggestions import derive

    r = reviews["CMP-AUTUMN-DOUYIN"]
    one = r.funnel.iloc[:1][["campaign", "before"]]  # only views carry values
    out = derive(r.kpis, r.cost, r.lifts, r.channels, r.creators, one, budget=r.campaign.budget, alpha=0.05, league=r.league, campaign_id="CMP-AUTUMN-DOUYIN")
    assert out and not any(s.kind == "fix_step" for s in out)


def test_the_brand_daily_total_is_unknown_on_a_day_one_of_its_accounts_left_empty():
    from smkit.methods.campaigns import daily_total

    days = pd.date_range("2026-05-01", periods=6)
    per_account = pd.DataFrame({"douyin": [1, 2, np.nan, 4, 5, 6], "weibo": [np.nan, np.nan, 10, np.nan, 10, np.nan]}, index=days)
    # after an account's first value an empty day is unknown (a gap, or an export behind the others), not a dip;
    # before it, the account was not there yet and adds nothing
    assert daily_total(per_account).tolist() == pytest.approx([1, 2, np.nan, np.nan, 15, np.nan], nan_ok=True)
    rows = [("Lumina", p, d, v) for p in per_account for d, v in per_account[p].items()]
    daily = pd.DataFrame(rows, columns=["account", "platform", "date", "clicks"])
    daily = pd.concat([daily, daily.assign(account="Rival", clicks=7.0)], ignore_index=True)
    y, controls = kpis.daily_series(daily, "Lumina", ("douyin", "weibo"), "clicks")
    assert y.tolist() == pytest.approx([1, 2, np.nan, np.nan, 15, np.nan], nan_ok=True)  # a partial sum of 4 on the 4th was read as a dip
    assert list(controls.columns) == ["Rival·douyin", "Rival·weibo"]


def test_kpis_attainment_and_baseline():
    posts = pd.DataFrame({"views": [300, 200], "likes": [10, 5], "comments": [1, 1], "shares": [0, 2], "saves": [pd.NA, 1]})
    base = pd.DataFrame({"views": [90, 60], "likes": [3, 3], "comments": [0, 0], "shares": [0, 0], "saves": [0, 0]})
    table = kpis.attainment(posts, base, _campaign(), baseline_days=6)
    assert table.at["views", "actual"] == 500 and table.at["views", "target"] == 400 and table.at["views", "attainment"] == 1.25
    assert table.at["views", "baseline"] == 75  # 150 over 6 days, scaled to 3
    assert table.at["interactions", "actual"] == 20  # likes + comments + shares + saves, counting what is reported
    assert "clicks" not in table.index  # no data, no row


def _efficiency_posts() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "channel": ["kol", "kol", "paid", "owned"],
            "spend": [1000.0, 1000.0, 3000.0, np.nan],
            "views": [1, 1, 1, 1],
            "likes": [1, 1, 1, 1],
            "clicks": [500, 500, 1000, np.nan],
            "conversions": [50, 50, 30, np.nan],
        }
    )


def test_efficiency_ranks_by_cpa_with_intervals_and_says_which_differences_are_real():
    table = cost.efficiency(_efficiency_posts(), "channel")
    assert list(table.index) == ["kol", "paid", "owned"]
    assert table.at["kol", "cpa"] == 20 and table.at["paid", "cpa"] == 100
    low, high = stats.poisson_interval(100)
    assert (table.at["kol", "cpa_low"], table.at["kol", "cpa_high"]) == (pytest.approx(2000 / high), pytest.approx(2000 / low))
    assert bool(table.at["paid", "differs_from_best"]) and not bool(table.at["kol", "differs_from_best"])
    assert table.at["paid", "p_vs_best"] == pytest.approx(proportions_ztest([100, 30], [1000, 1000])[1])


def _no_kpis() -> pd.DataFrame:
    return pd.DataFrame(columns=["actual", "target", "attainment", "baseline", "vs_baseline"])


def test_rebudgeting_uses_the_efficiency_tables_holm_verdict():
    channels = cost.efficiency(_efficiency_posts(), "channel")
    advice = suggestions.derive(_no_kpis(), {}, [], channels, pd.DataFrame(), pd.DataFrame())
    assert [s.kind for s in advice] == ["rebudget"]
    move = advice[0].figures
    figures = (move["by"], move["worst"], move["best"], move["worst_cpa"], move["best_cpa"], move["worst_spend"])
    assert figures == ("channel", "paid", "kol", 100.0, 20.0, 3000.0)
    assert move["significant"] is True and move["p_vs_best"] == channels.at["paid", "p_vs_best"]
    # the verdict follows the table: a group the table does not call different is not called different
    channels.loc["paid", "differs_from_best"] = False
    again = suggestions.derive(_no_kpis(), {}, [], channels, pd.DataFrame(), pd.DataFrame())[0]
    assert again.figures["significant"] is False
    assert "do not differ significantly" in pb.report.suggestion_text(again, "en")
    assert "可能只是偶然" in pb.report.suggestion_text(again, "zh")


def test_poisson_interval_is_garwoods():
    assert stats.poisson_interval(10) == (pytest.approx(4.795, abs=1e-3), pytest.approx(18.390, abs=1e-3))
    assert stats.poisson_interval(0)[0] == 0.0


@pytest.fixture(scope="session")
def reviews(sample_store):
    cfg = setup(store=str(sample_store))
    return {cid: pb.run(cfg, pb.settings(campaign_id=cid)) for cid in ("CMP-AUTUMN-DOUYIN", "CMP-SPRING-WEIBO")}


def test_the_planted_campaign_lift_is_found(reviews, sample_store):
    truth = json.loads((sample_store.parent / "sample" / "truth.json").read_text())["campaigns"]
    planted = next(t for t in truth if t["campaign_id"] == "CMP-AUTUMN-DOUYIN")
    views = next(lift for lift in reviews["CMP-AUTUMN-DOUYIN"].lifts if lift.metric == "views").campaign
    assert views.ci_low <= planted["incremental_views"] <= views.ci_high
    assert views.ci_low > 0 and views.p_value < 0.05
    assert views.rel_ci_low < planted["relative_lift"] < views.rel_ci_high


def test_the_null_campaign_is_not_called_a_success(reviews):
    result = reviews["CMP-SPRING-WEIBO"]
    views = next(lift for lift in result.lifts if lift.metric == "views").campaign
    assert views.ci_low < 0 < views.ci_high
    kinds = [s.kind for s in result.suggestions]
    assert "repeat" not in kinds and "not_yet" in kinds
    verdict = next(s for s in result.suggestions if s.kind == "not_yet")
    assert verdict.figures["metric"] == "views" and verdict.figures["rel_ci_low"] < 0 < verdict.figures["rel_ci_high"]
    assert f"{verdict.figures['relative']:+.1%}" in pb.report.suggestions_text(result)


def test_suggestions_cite_their_figures_and_the_summary_has_its_keys(reviews):
    result = reviews["CMP-AUTUMN-DOUYIN"]
    summary = result.to_summary("en")
    assert result.suggestions and all(any(ch.isdigit() for ch in s) for s in summary["suggestions"])
    first = result.suggestions[0]
    views = next(lift for lift in result.lifts if lift.metric == "views").campaign
    assert first.kind == "repeat" and first.figures["absolute"] == views.absolute > 0
    assert f"{views.absolute:+,.0f}" in summary["suggestions"][0]
    assert any(s.kind == "rebudget" and s.figures["by"] == "creator" for s in result.suggestions)
    assert set(summary) == {"campaign_id", "kpis", "lift", "cost", "funnel_left_out", "channels", "suggestions", "league"}
    assert set(summary["kpis"]["views"]) == {"actual", "target", "attainment", "baseline"}
    assert set(summary["lift"]["views"]) == {"absolute", "ci_low", "ci_high", "relative", "rel_ci_low", "rel_ci_high", "p_value"}
    assert set(summary["cost"]) == {"cpm", "cpe", "cpc", "cpa", "roi"}
    assert summary["cost"]["cpm"] is None  # Douyin reports no impressions
    paid_for = [c for c in summary["channels"] if c["channel"] in ("kol", "paid")]
    assert len(paid_for) == 2 and summary["channels"][:2] == paid_for  # owned posts cost nothing per post: ranked last
    assert paid_for[0]["cpa"] <= paid_for[1]["cpa"]  # cheapest result first


def test_every_rebudget_verdict_is_the_tables_holm_verdict(reviews):
    for result in reviews.values():
        for s in result.suggestions:
            if s.kind == "rebudget":
                table = result.efficiency(s.figures["by"])
                assert s.figures["significant"] == bool(table.at[s.figures["worst"], "differs_from_best"])


def test_report_tables_and_figures_have_one_type(reviews):
    from matplotlib.figure import Figure
    from pandas.io.formats.style import Styler

    result = reviews["CMP-AUTUMN-DOUYIN"]
    tables = [
        pb.report.kpi_table(result),
        pb.report.lift_table(result),
        pb.report.cost_table(result),
        pb.report.top_posts_table(result),
        pb.report.funnel_table(result),
        pb.report.mentions_table(result),
    ]
    tables += [pb.report.efficiency_table(result, by) for by in ("channel", "creator", "content_type")]
    assert all(isinstance(t, Styler) for t in tables)
    assert result.has_lifts and isinstance(pb.report.lift_figure(result), Figure)
    assert pb.report.efficiency_table(result, "channel", "en").data.at["KOL", "conversions"] == result.channels.at["kol", "conversions"]
    assert pb.report.efficiency_table(result, "channel", "zh").data.at["KOL合作", "转化"] == result.channels.at["kol", "conversions"]


def test_unknown_campaign_lists_the_known_ones(sample_store):
    with pytest.raises(
        ValueError,
        match="campaign 'NOPE' is not in the store; campaigns: CMP-AUTUMN-DOUYIN, CMP-MARCH-WECHAT, CMP-NEWYEAR-BILI, CMP-SPRING-KS, CMP-SPRING-WEIBO, ",
    ):
        pb.load(setup(store=str(sample_store)), pb.settings(campaign_id="NOPE"))


def test_overspend_is_a_suggestion_with_its_figures():
    advice = suggestions.derive(_no_kpis(), {"spend": 130000.0}, [], pd.DataFrame(), pd.DataFrame(), pd.DataFrame(), budget=100000.0)
    assert advice == (suggestions.Suggestion("overspend", {"spend": 130000.0, "budget": 100000.0}),)
    sentence = pb.report.suggestion_text(advice[0])
    assert "130,000" in sentence and "100,000" in sentence and "+30%" in sentence
    assert suggestions.derive(_no_kpis(), {"spend": 101000.0}, [], pd.DataFrame(), pd.DataFrame(), pd.DataFrame(), budget=100000.0) == ()


def test_a_campaign_too_early_for_a_counterfactual_still_gets_its_report(sample_store, tmp_path):
    import shutil

    from smkit.data.ingest import ingest

    store = tmp_path / "s.duckdb"
    shutil.copy(sample_store, store)
    sheet = tmp_path / "c.csv"
    sheet.write_text("campaign_id,start_date,end_date,platforms,budget\nEARLY,2025-11-05,2025-11-15,douyin,0\n", encoding="utf-8")
    ingest([sheet], "campaigns", store=store, now=pd.Timestamp("2026-11-26", tz="Asia/Shanghai"))
    result = pb.run(setup(store=str(store)), pb.settings(campaign_id="EARLY"))
    assert result.lifts == () and not result.has_lifts and result.lift_notes and "only 4 pre-period days" in str(result.lift_notes[0][1])
    assert [m for m, _ in result.lift_notes] == ["views", "engagements", "followers_gained", "clicks", "conversions"]
    assert {(r.code, r.values["days"]) for _, r in result.lift_notes} == {("few_pre_days", 4)}
    notes = pb.report.lift_notes_text(result, "en")
    assert "views, engagements, followers gained, clicks, conversions" in notes and "only 4 days of data before 5 Nov 2025" in notes
    zh = pb.report.lift_notes_text(result, "zh")  # the reason in the reader's language, not the estimator's English
    assert "2025年11月5日之前只有 4 天数据，至少要 14 天" in zh and not re.search(r"[A-Za-z]{2,}", zh)
    with pytest.raises(ValueError, match="no lift estimate"):
        pb.report.lift_figure(result)
    assert result.cost["cpa"] is None  # nothing spent


def test_settings_parse_lists_and_refuse_bad_values():
    assert pb.settings(lift_metrics="views；clicks").lift_metrics == ("views", "clicks")
    assert pb.settings().lift_metrics == pb.LIFT_METRICS
    with pytest.raises(ValueError, match="alpha"):
        pb.settings(alpha=1.5)


# ---------------------------------------------------------------- one figure per metric and period (issue 15)

METRICS = ("impressions", "views", "likes", "comments", "shares", "interactions", "engagements", "followers_gained", "clicks", "conversions")
SAME_THING = {"engagements": "interactions"}  # a reader takes the accounts' engagements and the posts' interactions for one metric


def _grid(styler) -> list[tuple[str, str, str]]:
    """``(row label, column label, shown text)`` for every cell a report table shows."""
    import html

    lines = [line.split("|") for line in styler.to_string(delimiter="|").splitlines() if line]
    header, body = lines[0], lines[1:]
    if body and not any(cell.strip() for cell in body[0][1:]):
        body = body[1:]  # a line that only names the index
    return [(html.unescape(row[0]), html.unescape(header[i]), html.unescape(row[i])) for row in body for i in range(1, len(row))]


def _period(column: str) -> str | None:
    if column in ("actual", "campaign", "value"):
        return "campaign"
    if column == "before" or column.startswith("baseline"):
        return "before"
    return None  # targets, rates, effects: not a count of the metric


def _figures(result) -> list[tuple[str, str, str | None, str]]:
    """``(metric, period, definition, shown)`` for every count the report prints in a table."""
    definitions = list(pb.report.scopes(result, "en").values())
    tables = {
        "kpi": pb.report.kpi_table(result, "en"),
        "lift": pb.report.lift_table(result, "en"),
        "funnel": pb.report.funnel_table(result, "en"),
        "cost": pb.report.cost_table(result, "en"),
    }
    out = []
    for styler in tables.values():
        for row, column, shown in _grid(styler):
            metric, period = row.split(" ")[0], _period(column)
            if metric not in METRICS or period is None or shown in ("–", "not available"):
                continue
            # the definition a figure carries: its column's (the KPI baseline), else its row's
            found = [d for d in definitions if d in column] or [d for d in definitions if d in row]
            out.append((SAME_THING.get(metric, metric), period, found[0] if found else None, shown))
    return out


def test_every_figure_for_a_metric_and_period_is_one_number_or_named_with_its_definition(reviews):
    for result in reviews.values():
        figures = _figures(result)
        groups: dict[tuple[str, str], list[tuple[str | None, str]]] = {}
        for metric, period, definition, shown in figures:
            groups.setdefault((metric, period), []).append((definition, shown))
        assert ("views", "campaign") in groups and ("views", "before") in groups
        for key, entries in groups.items():
            if len({shown for _, shown in entries}) == 1:
                continue
            assert all(d is not None for d, _ in entries), (key, entries)  # two numbers: each says what it counts
            by_definition: dict[str, set[str]] = {}
            for d, shown in entries:
                by_definition.setdefault(d, set()).add(shown)
            assert all(len(v) == 1 for v in by_definition.values()), (key, by_definition)  # one definition, one number
        # the case: views and conversions on the campaign posts and on the brand's account, each named
        sc = pb.report.scopes(result, "en")
        views = {d: shown for m, p, d, shown in figures if (m, p) == ("views", "campaign")}
        assert views == {sc["posts"]: f"{result.kpis.at['views', 'actual']:,.0f}", sc["accounts"]: f"{result.funnel.at['views', 'campaign']:,.0f}"}
        assert views[sc["posts"]] != views[sc["accounts"]]  # the sample's two counts differ, so the labels matter
        assert sc["accounts"] == f"on Lumina's {i18n.platform(result.campaign.platforms[0], 'en')} account"
        # the paragraph that introduces both counts quotes the same figures with their definitions
        text = pb.report.scopes_text(result, "en")
        assert f"campaign posts**, every post tagged {result.campaign.campaign_id}" in text
        assert f"(views {views[sc['posts']]}" in text and f"(views {views[sc['accounts']]}" in text
    lumina = reviews["CMP-AUTUMN-DOUYIN"]
    conversions = {d for m, p, d, _ in _figures(lumina) if (m, p) == ("conversions", "campaign")}
    assert conversions == {"on campaign posts", "on Lumina's Douyin account"}


def test_a_suggestion_citing_a_kpi_says_it_counts_the_campaign_posts(reviews):
    checked = 0
    for result in reviews.values():
        shown = {r: v for r, c, v in _grid(pb.report.kpi_table(result, "en")) if c == "actual"}
        for s in result.suggestions:
            if s.kind == "replan_target":
                sentence = pb.report.suggestion_text(s, "en")
                assert f"the campaign posts reached {shown[metric_name(s.figures['metric'], 'en') + ' on campaign posts']} of" in sentence
                checked += 1
    assert checked >= 2  # conversions on the Douyin campaign, followers on the Weibo one
    track = next(s for s in reviews["CMP-AUTUMN-DOUYIN"].suggestions if s.kind == "track_revenue")
    assert "(all spend per conversion on campaign posts)" in pb.report.suggestion_text(track, "en")


def _money(text: str) -> float:
    return float(text.lstrip("¥+").replace(",", ""))


def test_cpa_is_the_spend_over_the_conversions_the_cost_table_shows(reviews):
    result = reviews["CMP-AUTUMN-DOUYIN"]
    cells = {row: shown for row, _, shown in _grid(pb.report.cost_table(result, "en"))}
    spend, on_posts, conversions = (
        _money(cells["spend"]),
        _money(cells["of which on posts (KOL fees, paid posts)"]),
        _money(cells["conversions on campaign posts"]),
    )
    assert conversions > 0 and on_posts > 0 and spend > on_posts  # the sample pays KOLs and promotes the account
    cpa = next(v for r, v in cells.items() if r.startswith("CPA (spend per conversion"))
    assert _money(cpa) == round(spend / conversions, 2)
    assert cells["CPA (spend per conversion on campaign posts)"] == f"¥{result.cost['cpa']:,.2f}"
    post_cpa = next(v for r, v in cells.items() if r.startswith("CPA of post spend only"))
    assert _money(post_cpa) == round(on_posts / conversions, 2)
    # the conversions beside the CPA are the KPI table's, and the channel tables add up to the CPA of post spend
    kpi = {r: v for r, c, v in _grid(pb.report.kpi_table(result, "en")) if c == "actual"}
    assert kpi["conversions on campaign posts"] == cells["conversions on campaign posts"]
    paid = result.channels.dropna(subset=["spend", "conversions"])
    assert paid["spend"].sum() / paid["conversions"].sum() == pytest.approx(_money(post_cpa), abs=0.005)
    for metric in ("views", "interactions", "clicks"):
        per = {"views": "CPV (spend per 1,000 views", "interactions": "CPE (spend per interaction", "clicks": "CPC (spend per click"}[metric]
        ratio = next(v for r, v in cells.items() if r.startswith(per))
        scale = 1000.0 if metric == "views" else 1.0
        assert _money(ratio) == round(spend / _money(cells[f"{metric} on campaign posts"]) * scale, 2)
    # per incremental conversion: the spend over the incremental conversions shown above it (rounded to a whole one)
    incremental = _money(cells["incremental conversions on Lumina's Douyin account (from the lift)"])
    per_incremental = _money(cells["spend per incremental conversion"])
    assert abs(per_incremental - spend / incremental) <= spend / incremental * 0.5 / incremental + 0.005


def test_cost_table_labels_its_counts_on_a_small_campaign():
    """Without a store: two platforms, a Chinese brand name, and counts the ratios divide by."""
    campaign = pb.Campaign("C1", "test", dt.date(2026, 5, 4), dt.date(2026, 5, 6), ("douyin", "xiaohongshu"), None, {"conversions": 40.0})
    posts = pd.DataFrame(
        {
            "views": [1000, 3000],
            "likes": [10, 30],
            "comments": [1, 2],
            "shares": [0, 1],
            "clicks": [50, 150],
            "conversions": [5, 15],
            "spend": [300.0, 500.0],
        }
    )
    daily = pd.DataFrame({"spend": [100.0, 100.0]})
    spent = cost.campaign_cost(posts, daily)
    assert spent["counts"] == {"impressions": None, "views": 4000.0, "interactions": 44.0, "clicks": 200.0, "conversions": 20.0}
    assert spent["cpa"] == 1000.0 / 20 and spent["cpa_on_posts"] == 800.0 / 20
    result = pb.Result(
        campaign=campaign,
        brand="露米娜",
        kpis=kpis.attainment(posts, posts.iloc[0:0], campaign, 3),
        cost=spent,
        channels=pd.DataFrame(),
        creators=pd.DataFrame(),
        content_types=pd.DataFrame(),
        top_posts=pd.DataFrame(),
        funnel=pd.DataFrame({"campaign": [5000.0, 30.0]}, index=pd.Index(["views", "conversions"], name="stage")),
        lifts=(),
        lift_notes=(),
        mentions=pd.DataFrame(),
        suggestions=(),
    )
    assert pb.report.scopes(result, "en") == {
        "posts": "on campaign posts",
        "accounts": "on 露米娜's Douyin and Xiaohongshu accounts",
        "baseline": "露米娜's own Douyin and Xiaohongshu posts before",
    }
    assert pb.report.scopes(result, "zh") == {"posts": "活动帖子", "accounts": "露米娜的抖音和小红书账号", "baseline": "露米娜此前自有的抖音和小红书帖子"}
    cells = {row: shown for row, _, shown in _grid(pb.report.cost_table(result, "en"))}
    assert cells["conversions on campaign posts"] == "20" and cells["CPA (spend per conversion on campaign posts)"] == "¥50.00"
    assert "impressions on campaign posts" not in cells  # a count the posts lack is not shown; CPM says so
    assert cells["CPM (spend per 1,000 impressions on campaign posts)"] == "not available"
    assert not any(r.startswith("spend per incremental") for r in cells)  # no lift, nothing to divide by
    rows = [r for r, c, _ in _grid(pb.report.funnel_table(result, "en")) if c == "campaign"]
    assert rows == ["views on 露米娜's Douyin and Xiaohongshu accounts", "conversions on 露米娜's Douyin and Xiaohongshu accounts"]
    text = pb.report.scopes_text(result, "en")
    assert "(views 4,000; conversions 20)" in text and "(views 5,000; conversions 30)" in text


# ---------------------------------------------------------------- the report's language (issue 18)

CJK = re.compile(r"[\u4e00-\u9fff]")


def _without_data(text: str, result) -> str:
    """``text`` without the strings the data supplies (campaign name, creators, titles, accounts)."""
    data = [
        result.campaign.name,
        result.brand,
        *map(str, result.creators.index),
        *map(str, result.top_posts.get("title", [])),
        *map(str, result.top_posts.get("account", [])),
    ]
    for value in sorted({d for d in data if d}, key=len, reverse=True):
        text = text.replace(html.escape(value, quote=True), "").replace(value, "")
    return text


def _everything(result, lang: str) -> str:
    """Every sentence, table and chart text the report shows in ``lang``."""
    r = pb.report
    texts = [
        r.brief(result, lang),
        r.suggestions_text(result, lang),
        r.kpi_finding(result, lang),
        r.lift_finding(result, lang),
        r.lift_method_text(result, lang),
        r.cost_finding(result, lang),
        r.funnel_finding(result, lang),
        r.mentions_finding(result, lang),
        r.scopes_text(result, lang),
        r.overview_text(result, lang),
        *[r.efficiency_finding(result, by, lang) for by in ("channel", "creator")],
        *[t.to_html() for t in (r.kpi_table(result, lang), r.lift_table(result, lang), r.cost_table(result, lang), r.top_posts_table(result, lang))],
        *[t.to_html() for t in (r.funnel_table(result, lang), r.mentions_table(result, lang))],
        *[r.efficiency_table(result, by, lang).to_html() for by in ("channel", "creator", "content_type")],
        *result.to_summary(lang)["suggestions"],
    ]
    fig = r.lift_figure(result, lang)
    texts += [t.get_text() for ax in fig.axes for t in (ax.title, ax.yaxis.label, *ax.get_yticklabels(), *ax.get_xticklabels())]
    texts += [t.get_text() for ax in fig.axes if ax.get_legend() for t in ax.get_legend().get_texts()]
    return "\n".join(texts)


def test_the_chinese_brief_says_what_the_campaign_added_cost_and_what_to_change(reviews):
    result = reviews["CMP-AUTUMN-DOUYIN"]
    text = pb.report.brief(result, "zh")
    views = next(lift for lift in result.lifts if lift.metric == "views").campaign
    low, high = (i18n.count(round(v)) for v in (views.ci_low, views.ci_high))
    assert f"活动带来了约{i18n.count(round(views.absolute))}播放量（在{low}到{high}之间）" in text
    over = result.cost["spend"] / result.campaign.budget - 1
    assert f"花费{i18n.money(result.cost['spend'])}（预算{i18n.money(result.campaign.budget)}，超支{over:.0%}）" in text
    assert f"每个转化{i18n.money(result.cost['cpa'])}" in text and i18n.money(result.cost["cost_per_incremental_conversion"]) in text
    best, worst = result.channels.dropna(subset=["cpa"]).index[[0, -1]]
    names = {"kol": "KOL合作", "paid": "付费推广"}
    assert f"最划算的渠道是{names[best]}（每个转化{i18n.money(result.channels.at[best, 'cpa'])}），最贵的是{names[worst]}" in text
    assert "下一步：" in text and f"把渠道预算从{names[worst]}转向{names[best]}" in text
    assert 3 <= text.count("。") <= 5
    for word in ("p 值", "p-value", "Holm", "显著", "区间", "counterfactual", "placebo"):
        assert word not in text, word
    english = pb.report.brief(result, "en")
    assert f"The campaign added about {views.absolute:,.0f} views (between {views.ci_low:,.0f} and {views.ci_high:,.0f})" in english


def test_no_code_reaches_a_chinese_reader_and_no_chinese_an_english_one(reviews):
    for result in reviews.values():
        zh, en = _everything(result, "zh"), _everything(result, "en")
        for code in ("cpa_low", "differs_from_best", "negative_share", "p_value", "image_text", "followers_gained", "True", "False", "douyin", "weibo", "kol"):
            assert code not in zh, code
        assert not CJK.search(_without_data(en, result)), CJK.findall(_without_data(en, result))[:20]


def test_summary_numbers_do_not_depend_on_the_language_and_suggestions_follow_it(reviews):
    result = reviews["CMP-AUTUMN-DOUYIN"]
    zh, en = result.to_summary("zh"), result.to_summary("en")
    assert json.dumps({**zh, "suggestions": None}) == json.dumps({**en, "suggestions": None})
    assert len(zh["suggestions"]) == len(en["suggestions"]) and all(CJK.search(s) for s in zh["suggestions"])
    assert zh["suggestions"][0].startswith("可以再做") and en["suggestions"][0].startswith("Repeat")
    with pytest.raises(ValueError, match="valid: zh, en"):
        pb.settings(lang="fr")


def test_the_notebook_takes_lang_last_and_has_each_prose_cell_in_both_languages():
    from pathlib import Path

    cells = json.loads((Path(__file__).parents[1] / "notebooks" / "campaign_postmortem.ipynb").read_text(encoding="utf-8"))["cells"]
    parameters = next(c for c in cells if "parameters" in c["metadata"].get("tags", []))
    assert "".join(parameters["source"]).splitlines()[-1].startswith('lang: str = "zh"')
    prose = [c for c in cells if c["cell_type"] == "markdown"]
    tags = [c["metadata"].get("tags", []) for c in prose]
    assert tags.count(["lang-zh"]) == tags.count(["lang-en"]) == len(prose) // 2 and all(t in (["lang-zh"], ["lang-en"]) for t in tags)
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in cells if c["cell_type"] == "code")


@pytest.mark.parametrize("days", ["all", "four"])
def test_views_the_account_export_lacks_are_unknown_not_zero(sample_store, tmp_path, reviews, days):
    """Account views left empty (the whole column, or four days of the brand's Douyin series) are never summed
    to zeros: the campaign gets no views lift and says why, and the league leaves out what it cannot estimate."""
    import shutil

    import duckdb

    store = tmp_path / "s.duckdb"
    shutil.copy(sample_store, store)
    where = "true" if days == "all" else "account = 'Lumina' AND platform = 'douyin' AND date IN ('2026-07-03', '2026-07-20', '2026-09-05', '2026-09-12')"
    with duckdb.connect(str(store)) as con:
        con.execute(f"UPDATE account_daily SET views = NULL WHERE {where}")
    result = pb.run(setup(store=str(store)), pb.settings(campaign_id="CMP-AUTUMN-DOUYIN"))
    before = reviews["CMP-AUTUMN-DOUYIN"]
    assert "views" in {lift.metric for lift in before.lifts} and "views" not in {lift.metric for lift in result.lifts}
    assert {lift.metric for lift in result.lifts} == {lift.metric for lift in before.lifts} - {"views"}
    skipped = dict(result.league_notes)
    assert "CMP-AUTUMN-DOUYIN" in skipped and "CMP-AUTUMN-DOUYIN" not in result.league.index
    if days == "all":
        assert result.league.empty and len(skipped) == len(before.league)
        assert "views" not in result.funnel.index and list(result.funnel.index) == ["engagements", "clicks", "conversions"]
        import dataclasses

        assert "无法比较漏斗" in pb.report.funnel_finding(dataclasses.replace(result, funnel=result.funnel.iloc[0:0]), "zh")
        assert "无法估计播放增量" in pb.report.league_finding(result, "zh") and "不足两场" in pb.report.league_finding(result, "zh")
        assert "no views lift estimate" in pb.report.league_finding(result, "en")
    else:
        assert "4 missing day" in str(skipped["CMP-AUTUMN-DOUYIN"]) and ("views", str(skipped["CMP-AUTUMN-DOUYIN"])) in [
            (m, str(r)) for m, r in result.lift_notes
        ]
        assert "CMP-AUTUMN-DOUYIN（品牌账号的每日数据缺了 4 天" in pb.report.league_note(result, "zh")
        others = before.league.drop(index="CMP-AUTUMN-DOUYIN")
        assert result.league["relative"].to_dict() == pytest.approx(others["relative"].to_dict())  # the other campaigns as before


def test_a_campaign_without_a_name_is_called_by_its_id_not_nan():
    from smkit.methods.campaigns import campaign_from_row

    sheet = pd.DataFrame(
        {
            "campaign_id": ["A", "B", "C"],
            "name": ["秋季新品", None, "  "],
            "start_date": ["2026-11-01"] * 3,
            "end_date": ["2026-11-10"] * 3,
            "platforms": ["douyin", None, "weibo"],
        }
    ).astype({"name": "str"})
    names = [campaign_from_row(row, sheet.columns).name for _, row in sheet.iterrows()]
    assert names == ["秋季新品", "B", "C"]


def test_the_top_posts_section_is_the_table_or_the_one_sentence_said_instead(reviews):
    import dataclasses

    from pandas.io.formats.style import Styler

    result = reviews["CMP-AUTUMN-DOUYIN"]
    table = pb.report.top_posts_section(result, "en")
    assert isinstance(table, Styler) and len(table.data) == len(result.top_posts) > 0
    empty = dataclasses.replace(result, top_posts=result.top_posts.iloc[:0])
    assert pb.report.top_posts_section(empty, "zh") == "活动没有帖子数据。"
    assert pb.report.top_posts_section(empty, "en") == "The campaign has no posts."
    absent = dataclasses.replace(result, missing={"kpis": "posts"})
    assert pb.report.top_posts_section(absent, "en") == pb.report.missing_text(absent, "kpis", "en") != ""
