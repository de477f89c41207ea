"""Operations review: KPIs on hand-made data, forecasts on the sample, points and levels by the rules, absent tables."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil

import duckdb
import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

from smkit.methods import forecasting
from smkit.params import Config
from smkit.playbooks import ops_review as pb
from smkit.playbooks.ops_review import community, goals, kpis, parameters, present, report, report_people, team

START, END = dt.date(2026, 10, 4), dt.date(2026, 10, 31)


def _run(store, **params) -> pb.Result:
    return pb.run(Config(store, START, END, {}), pb.settings(**params))


@pytest.fixture(scope="session")
def review(sample_store):
    return _run(sample_store)


# ---------------------------------------------------------------- KPIs


def _window(days: int = 14, start: str = "2026-05-01") -> goals.Window:
    first = dt.date.fromisoformat(start)
    return goals.Window("current", first, first + dt.timedelta(days=days - 1))


def _daily(views: list[int], engagements: list[int], start: str = "2026-05-01") -> pd.DataFrame:
    dates = pd.date_range(start, periods=len(views))
    return pd.DataFrame(
        {
            "date": dates,
            "platform": "douyin",
            "account": "Lumina",
            "views": views,
            "engagements": engagements,
            "followers": np.arange(len(views)) * 10 + 1000,
            "followers_gained": [10] * len(views),
        }
    )


def _mentions() -> pd.DataFrame:
    t = pd.Timestamp("2026-05-02 10:00", tz="Asia/Shanghai")
    rows = [
        ("m1", "Lumina", 0.8, False, None, t),
        ("m2", "Lumina", 0.6, False, None, t),
        ("m3", "Lumina", -0.9, False, None, t),
        ("m4", "Lumina", 0.0, False, None, t),
        ("m5", "Vexa", 0.5, False, None, t),
        ("m6", "Orbi", 0.5, False, None, t),
        ("r1", "Lumina", None, True, "m3", t + pd.Timedelta(hours=2)),
        ("r2", "Lumina", None, True, "m1", t + pd.Timedelta(hours=6)),
        ("r3", "Lumina", None, True, "m1", t + pd.Timedelta(hours=9)),  # a second reply: only the first counts
    ]
    frame = pd.DataFrame(rows, columns=["mention_id", "brand", "sentiment", "is_reply_by_brand", "reply_to", "published_at"])
    frame["platform"], frame["text"] = "weibo", "text"
    return frame


def test_kpis_on_hand_made_data():
    views = [1000] * 7 + [2000] * 7
    daily = _daily(views, [v // 20 for v in views])
    got = kpis.measure(daily, _mentions(), "Lumina", _window())
    assert got["views"].value == 21000 and got["engagements"].value == 1050
    assert got["engagement_rate"].value == pytest.approx(0.05)
    assert got["followers"].value == 1130 and got["followers_gained"].value == 140
    assert got["mentions"].value == 4  # earned: the replies are not voice
    assert got["share_of_voice"].value == pytest.approx(4 / 6)
    assert got["net_sentiment"].value == pytest.approx((2 - 1) / 3)
    assert got["negative_share"].value == pytest.approx(1 / 4)
    assert got["mean_sentiment"].value == pytest.approx(0.125)
    assert got["reply_hours"].value == pytest.approx(4.0)  # median of 2 h and 6 h
    assert got["reply_rate"].value == pytest.approx(2 / 4)  # m1 and m3 of the four earned mentions were answered
    assert "reach" not in got and "impressions" not in got  # not reported, not invented


def test_change_attainment_and_tests_against_scipy():
    now = kpis.measure(_daily([1100 + 10 * (i % 7) for i in range(14)], [50] * 14), pd.DataFrame(), "Lumina", _window())
    then = kpis.measure(_daily([1000 + 10 * (i % 5) for i in range(14)], [50] * 14, "2026-04-17"), pd.DataFrame(), "Lumina", _window(start="2026-04-17"))
    change, p = kpis.change_and_p(goals.METRICS["views"], now["views"], then["views"])
    assert change == pytest.approx(now["views"].value / then["views"].value - 1)
    assert p == pytest.approx(sps.ttest_ind(now["views"].daily, then["views"].daily, equal_var=False).pvalue)
    share = goals.METRICS["share_of_voice"]
    change, p = kpis.change_and_p(share, kpis.Measure(0.5, successes=50, n=100), kpis.Measure(0.4, successes=40, n=100))
    assert change == pytest.approx(0.1)  # a difference in points for shares
    from statsmodels.stats.proportion import proportions_ztest

    assert p == pytest.approx(proportions_ztest([50, 40], [100, 100])[1])
    assert kpis.attainment(goals.METRICS["views"], 900, 1000) == pytest.approx(0.9)
    assert kpis.attainment(goals.METRICS["reply_hours"], 4.0, 3.0) == pytest.approx(0.75)  # lower is better
    assert kpis.attainment(goals.METRICS["net_sentiment"], -0.1, 0.3) is None  # a ratio would mislead
    # A count target is scaled by window days over the period's days (a month is 365.25 / 12 = 30.4375 days);
    # a level target (a share, a score, a time) applies as it is.
    assert goals.prorated(70, "week", 28, True) == pytest.approx(280)  # four weeks of a weekly 70
    assert goals.prorated(365.25, "year", 28, True) == pytest.approx(28)  # one a day
    assert goals.prorated(3044, "month", 28, True) == pytest.approx(3044 / 30.4375 * 28)
    assert goals.prorated(0.4, "month", 28, False) == 0.4


def test_significance_is_called_on_holm_adjusted_p_values():
    """Five tests: Holm multiplies the k-th smallest p by (5 - k + 1) and keeps
    the sequence from falling, so of the four raw p below 0.05 only 0.001 stays there."""
    table = pd.DataFrame({"label": list("abc"), "p_previous": [0.001, 0.02, 0.04], "p_year": [0.03, None, 0.2]}, index=list("abc"))
    got = kpis.holm(table)
    # sorted: 0.001 x5 = 0.005, 0.02 x4 = 0.08, 0.03 x3 = 0.09, 0.04 x2 = 0.08 -> 0.09, 0.2 x1 = 0.2
    assert list(got["p_previous_holm"]) == pytest.approx([0.005, 0.08, 0.09])
    assert got.loc["a", "p_year_holm"] == pytest.approx(0.09) and got.loc["c", "p_year_holm"] == pytest.approx(0.2)
    assert pd.isna(got.loc["b", "p_year_holm"]) and kpis.tests_in(table) == 5
    assert "significant" not in present.change("mentions", 0.25, got.loc["b", "p_previous_holm"], "en")  # raw 0.02
    assert present.change("mentions", 0.25, got.loc["a", "p_previous_holm"], "en") == "+25.0% (significant)"
    assert present.change("mentions", 0.25, got.loc["a", "p_previous_holm"], "zh") == "+25.0%（显著）"


def test_the_sample_scorecard_calls_significance_after_holm(review):
    k = review.kpis
    raw_only = k[(k["p_previous"] < 0.05) & (k["p_previous_holm"] >= 0.05)]
    assert len(raw_only)  # with a dozen tests, some raw p below 0.05 are not significant once adjusted
    text, frame = report.kpi_text(review, "en"), report.kpi_table(review, "en").data
    changed = text.split("since the previous period")[1].split("No goal is set")[0]
    labels = [present.kpi(name, "en") for name in raw_only.index]
    assert "Holm" not in text and not any(f"{label} (" in changed for label in labels)
    assert f"scorecard's {kpis.tests_in(k)} tests" in report.kpi_method(review, "en")  # the method note names the adjustment
    for name, label in zip(raw_only.index, labels):
        cell = frame.xs(label, level="KPI").iloc[0]["vs previous period"]
        assert cell == present.change(name, k.loc[name, "change"], None, "en") and "significant" not in cell
    # the data begin less than a year back: the column is left out and the text says why
    assert "vs a year earlier" not in frame.columns and "No comparison with the same weeks a year earlier" in text


def test_goal_files_are_checked(tmp_path):
    table = goals.read_goals()
    assert {"share_of_voice", "net_sentiment", "views"} <= set(table["metric"])
    bad = tmp_path / "goals.csv"
    bad.write_text("metric,period,target\nfans,month,10\n", encoding="utf-8")
    with pytest.raises(ValueError, match="valid KPIs: reach"):
        goals.read_goals(bad)
    bad.write_text("metric,period,target\nviews,fortnight,10\n", encoding="utf-8")
    with pytest.raises(ValueError, match="valid periods: day, week"):
        goals.read_goals(bad)


# ---------------------------------------------------------------- forecasts


def test_mase_on_hand_checked_numbers():
    train = np.array([1, 2, 3, 4, 5, 6, 7, 3, 4, 5, 6, 7, 8, 9], dtype=float)  # seasonal-naive errors all 2
    assert forecasting.mase(np.array([10.0, 12.0]), np.array([11.0, 9.0]), train) == pytest.approx(2.0 / 2.0)


def test_chosen_forecast_beats_seasonal_naive_on_the_sample(review):
    assert {f.metric for f in review.forecasts} == {"followers", "engagements", "mentions"}
    for f in review.forecasts:
        assert f.backtest.chosen != "seasonal_naive", f.metric
        assert f.backtest_mase < f.baseline_mase, (f.metric, f.backtest.mase.to_dict())
        assert len(f.forecast.point) == 28 and (f.forecast.lo <= f.forecast.point).all() and (f.forecast.point <= f.forecast.hi).all()
        assert f.forecast.index[0] == pd.Timestamp(END) + pd.Timedelta(days=1)


def test_intervals_cover_held_out_days_near_their_level(review):
    """Over 4 origins x 28 days x 3 metrics (336 held-out days) the chosen
    models' 80% intervals should cover about 80%. Days within one origin share
    its errors, so the effective sample is closer to the 12 origin-metric
    pairs than to 336 days: a binomial spread for that many is about 0.1, so
    the pooled coverage may lie within 0.15 of nominal, and no single metric
    may fall below 0.5."""
    covered = [f.backtest.coverage[f.backtest.chosen] for f in review.forecasts]
    assert abs(np.mean(covered) - review.level) <= 0.15, covered
    assert min(covered) >= 0.5, covered


def test_horizon_point_interval_and_chance_on_known_paths():
    """100 paths of 4 days whose totals are 1, 2, ..., 100: the median total is
    50.5, the 80% interval runs from the 10th to the 90th percentile (10.9 to
    90.1 by linear interpolation), and 10 of the 100 paths reach a goal of 91."""
    paths = np.repeat(np.arange(1, 101)[:, None] / 4, 4, axis=1)
    assert forecasting.horizon_summary(paths, 0.8, 91.0) == pytest.approx((50.5, 10.9, 90.1, 0.10))
    assert forecasting.horizon_summary(paths, 0.8, None)[3] is None
    # a level (followers): the last day's values, not the totals
    assert forecasting.horizon_summary(paths, 0.8, 20.25, last_day=True) == pytest.approx((50.5 / 4, 10.9 / 4, 90.1 / 4, 0.20))  # 81/4 .. 100/4


def test_goal_probability_and_forecast_csv(review, tmp_path):
    mentions = next(f for f in review.forecasts if f.metric == "mentions")
    # The default goals file asks for 2,000 earned mentions a month; a month is
    # 30.4375 days, so the 28-day horizon's goal is 2,000 / 30.4375 x 28.
    assert mentions.goal == pytest.approx(2000 / 30.4375 * 28)
    for f in review.forecasts:
        point, lo, hi = f.horizon_total
        assert lo <= point <= hi, f.metric
        # The point is the centre of the same simulated distribution as the
        # interval, not the sum of the daily points (which sits near its bottom).
        totals = f.forecast.paths[:, -1] if f.metric == "followers" else f.forecast.paths.sum(axis=1)
        assert np.mean(totals <= point) == pytest.approx(0.5, abs=0.01), f.metric
    path = pb.write_forecast_csv(review, tmp_path)
    table = pd.read_csv(path)
    assert list(table.columns) == ["date", "metric", "point", "lo", "hi"] and len(table) == 3 * 28
    assert set(table["metric"]) == {"followers", "engagements", "mentions"}


def test_undefined_forecast_figures_read_as_a_dash(review):
    """A backtest without coverage or with an undefined MASE (a history that
    never changed) shows a dash and a sentence, not nan."""
    import dataclasses

    f = next(f for f in review.forecasts if f.metric == "engagements")
    bt = dataclasses.replace(f.backtest, coverage={}, scores=f.backtest.scores * np.nan)
    r = dataclasses.replace(review, forecasts=(dataclasses.replace(f, backtest=bt),))
    styled, text, method = report.forecast_method_table(r, "en"), report.forecast_text(r, "en"), report.forecast_method(r, "en")
    table = styled.data
    assert "nan" not in table.to_string().lower() and "nan" not in styled.to_html().lower() and "nan" not in text.lower() and "nan" not in method.lower()
    assert table.loc["engagements", "backtest MASE"] == "–" and "undefined" in method


# ---------------------------------------------------------------- community


def test_points_and_levels_follow_the_rules_on_a_hand_checked_example():
    rules = parameters.parse_points("post:10,comment:3,like:1")
    levels = parameters.parse_levels("新手:0,活跃:20,核心:50")
    activity = pd.DataFrame(
        {
            "date": pd.to_datetime(["2026-05-01", "2026-05-01", "2026-05-02", "2026-05-09", "2026-05-09", "2026-05-10", "2026-05-10"]),
            "platform": "weibo",
            "user_id": ["a", "a", "b", "a", "b", "c", "c"],
            "action": ["post", "like", "comment", "post", "like", "checkin", "like"],
            "count": pd.array([1, 5, 2, 3, 4, 1, pd.NA], dtype="Int64"),
        }
    )
    # a: 10 + 5 before the window, 30 in it -> 45 (活跃); b: 6 then 4 -> 10 (新手); c: checkin has no rule, a blank count is one like -> 1
    pts = community.points(activity, rules)
    assert list(pts) == [10, 5, 6, 30, 4, 0, 1]
    c = community.community_health(activity, dt.date(2026, 5, 8), dt.date(2026, 5, 10), rules, levels)
    assert c.levels.loc["活跃", "at end"] == 1 and c.levels.loc["新手", "at end"] == 2 and c.levels.loc["核心", "at end"] == 0
    assert c.levels.loc["新手", "at start"] == 2 and c.levels["at start"].sum() == 2  # c had not joined
    assert c.moved_up == 1  # a: 新手 -> 活跃
    assert (c.active, c.new, c.returning) == (3, 1, 2)
    assert list(c.top.index) == ["a", "b", "c"] and list(c.top["points in window"]) == [30, 4, 1]
    assert c.unknown_actions == ("checkin",)
    with pytest.raises(ValueError, match="must rise"):
        parameters.parse_levels("a:0,b:50,c:20")
    with pytest.raises(ValueError, match="action:points"):
        parameters.parse_points("post=10")


def test_points_and_levels_accept_full_width_separators():
    assert parameters.parse_points("Post：10，comment:3；like:1") == {"post": 10.0, "comment": 3.0, "like": 1.0}
    assert parameters.parse_levels("露米娜：0，Lumi:50；核心:200") == [("露米娜", 0.0), ("Lumi", 50.0), ("核心", 200.0)]
    s = pb.settings(points_rules="post：10，like:1", level_thresholds="新手：0，活跃：20")
    assert s.points_rules == {"post": 10.0, "like": 1.0} and s.levels == (("新手", 0.0), ("活跃", 20.0))
    with pytest.raises(ValueError, match="first level must start at 0"):
        parameters.parse_levels("a:10,b:50")
    with pytest.raises(ValueError, match="level_thresholds"):
        pb.settings(level_thresholds="a:0,b:x")
    with pytest.raises(ValueError, match="horizon_days"):
        pb.settings(horizon_days=3)


def test_cohort_retention_by_hand():
    rows = [("2026-01-05", "z")]  # the data begin eight weeks before the cohorts, so nobody older is counted as new
    rows += [("2026-03-02", u) for u in "pqrs"]  # a cohort of four
    rows += [("2026-03-10", "p"), ("2026-03-11", "q"), ("2026-03-31", "p")]  # week 1: p and q; week 4: p
    rows += [("2026-03-09", u) for u in "xy"] + [("2026-03-17", "x")]  # a cohort of two, week 1: x
    activity = pd.DataFrame({"date": pd.to_datetime([d for d, _ in rows]), "platform": "weibo", "user_id": [u for _, u in rows], "action": "like", "count": 1})
    c = community.community_health(activity, dt.date(2026, 3, 30), dt.date(2026, 4, 5), {"like": 1.0}, [("L1", 0.0)])
    r = c.retention
    assert list(r["members"]) == [4, 2]
    assert r.iloc[0, 1:6].tolist() == [1.0, 0.5, 0.0, 0.0, 0.25] and r.iloc[0, 6:].isna().all()  # weeks not yet lived stay empty
    assert r.iloc[1, 1:5].tolist() == [1.0, 0.5, 0.0, 0.0] and r.iloc[1, 5:].isna().all()
    assert c.retention_4w == 0.25  # only the cohort that has lived four weeks counts


def test_community_on_the_sample(review):
    c = review.community
    assert c.active > 0 and c.new + c.returning == c.active
    assert 0.15 < c.retention_4w < 0.7
    assert (c.retention[0] == 1.0).all() and c.retention[1].mean() > c.retention[4].mean()
    assert c.levels["at end"].sum() >= c.levels["at start"].sum()


# ---------------------------------------------------------------- team


def test_owners_post_rows_win_over_account_rows():
    posts = pd.DataFrame({"platform": ["douyin", "douyin", "weibo", "weibo"], "account": ["L", "L", "L", "X"], "post_id": ["p1", "p2", "p3", "p4"]})
    people = pd.DataFrame(
        {
            "platform": [None, "douyin", "douyin"],
            "account": ["L", "L", "L"],
            "post_id": [None, None, "p2"],
            "owner": ["all", "dy", "live"],
            "role": ["r", "r", "r"],
        }
    )
    got = team.assign_owners(posts, people)
    assert list(got["owner"]) == ["dy", "live", "all", None]


def test_team_scorecard_counts_the_brands_posts_against_every_accounts_norm():
    posts = pd.DataFrame(
        {
            "platform": ["weibo"] * 10,
            "account": ["L"] * 5 + ["X"] * 5,
            "post_id": [f"p{i}" for i in range(10)],
            "likes": [10, 12, 14, 16, 18, 30, 30, 30, 30, 30],
            "views": 100,
        }
    )
    people = pd.DataFrame({"platform": ["weibo", "weibo"], "account": ["L", "X"], "post_id": [None, None], "owner": ["me", "rival"], "role": "r"})
    no_goals = goals.read_goals().iloc[0:0]
    card = team.team_scorecard(posts, people, pd.DataFrame(), "L", no_goals, 28)
    assert list(card.index) == ["me"]  # the other account's owner is not ours
    # L's posts average 14 against the platform's 22 (all ten posts); each post over 22 is tested against 1
    assert card.loc["me", "engagement_per_post"] == 14 and card.loc["me", "platform_norm"] == 22
    assert card.loc["me", "engagement_index"] == pytest.approx(14 / 22)
    assert card.loc["me", "p_vs_norm"] == pytest.approx(sps.ttest_1samp(np.array([10, 12, 14, 16, 18]) / 22, 1.0).pvalue)
    by_platform = team.owner_platforms(posts, people, "L")
    assert list(by_platform.index) == [("me", "weibo")]
    assert by_platform.loc[("me", "weibo"), "p_vs_norm"] == card.loc["me", "p_vs_norm"]  # one helper, one answer
    assert team.team_scorecard(posts, people, pd.DataFrame(), "Y", no_goals, 28).empty


def test_a_misspelt_brand_is_refused_with_the_brands_there_are(sample_store):
    with pytest.raises(ValueError, match="'Nobody' has no account_daily rows and no mentions.*Lumina, Orbi, Vexa"):
        _run(sample_store, brand="Nobody")


def test_replies_after_the_window_answer_mentions_inside_it(sample_store, tmp_path):
    """A mention on the last evening answered two days later counts as answered
    (reply rate) and its wait enters the median; a reply to a mention outside
    the window does not."""
    store = tmp_path / "replies.duckdb"
    shutil.copy(sample_store, store)
    with duckdb.connect(str(store)) as con:
        con.execute("DELETE FROM mentions WHERE published_at >= TIMESTAMPTZ '2026-10-31 00:00:00+08' AND published_at < TIMESTAMPTZ '2026-11-10 00:00:00+08'")
        con.execute("DELETE FROM mentions WHERE is_reply_by_brand AND published_at >= TIMESTAMPTZ '2026-10-04 00:00:00+08'")
        con.execute("""INSERT INTO mentions (mention_id, platform, brand, published_at, text, is_reply_by_brand, reply_to) VALUES
            ('late', 'weibo', 'Lumina', TIMESTAMPTZ '2026-10-31 22:00:00+08', 'Lumina 的灯坏了', false, NULL),
            ('rlate', 'weibo', 'Lumina', TIMESTAMPTZ '2026-11-02 22:00:00+08', '已私信', true, 'late'),
            ('rold', 'weibo', 'Lumina', TIMESTAMPTZ '2026-11-03 10:00:00+08', '已私信', true, 'not-in-window')""")
    r = _run(store)
    # every other reply in the window was removed: the late mention is the only one answered, after 48 hours
    assert r.kpis.loc["reply_hours", "actual"] == pytest.approx(48.0)
    earned = r.kpis.loc["mentions", "actual"]
    assert r.kpis.loc["reply_rate", "actual"] == pytest.approx(1 / earned)
    assert r.kpis.loc["reply_hours", "label"] == "median first reply (answered)"


def test_team_scorecard_on_the_sample(review):
    card = review.team
    assert set(card.index) == {"王芳", "李雷", "张敏", "Chen Jie", "赵强"}
    assert (card["posts"] > 0).all()
    live = card.loc["赵强"]
    assert live["platforms"] == "douyin" and live["own_goals"][0][0] == "posts"  # their own goal, not everyone's
    assert report_people.own_goals(live["own_goals"], "en").startswith("posts")
    assert report_people.own_goals(live["own_goals"], "zh").startswith("发帖数")
    assert report.team_table(review, "en").data.loc["赵强", "own goals"].startswith("posts")
    summary = review.to_summary()
    assert set(summary) == {"kpis", "forecasts", "community", "team", "response_sla"}
    assert set(summary["kpis"]["views"]) == {"actual", "goal", "attainment", "change"}
    assert set(summary["forecasts"]["mentions"]) == {"horizon_days", "point", "lo", "hi", "backtest_mase", "baseline_mase", "p_meet_goal"}
    assert set(summary["community"]) == {"active", "retention_4w", "levels"}
    json.dumps(summary, default=float)


def test_a_store_without_the_new_tables_says_so(sample_store, tmp_path):
    old = tmp_path / "old.duckdb"
    shutil.copy(sample_store, old)
    with duckdb.connect(str(old)) as con:
        con.execute("DROP TABLE team")
        con.execute("DROP TABLE community_activity")
    r = _run(old)
    assert r.community is None and not r.has_community and "no community_activity table" in report.community_note(r, "en")
    assert "数据中没有社群活动表" in report.community_note(r, "zh")
    assert r.team.empty and "no team table" in report.team_note(r, "en")
    assert "no team table" in report.team_text(r, "en") and not r.has_team
    summary = r.to_summary()
    assert summary["team"] == [] and summary["community"] == {"active": None, "retention_4w": None, "levels": {}}
    assert r.alert_tracking.empty and not r.has_sla and summary["response_sla"] == {} and "alerts" not in report.brief(r, "en")
    assert len(r.forecasts) == 3 and not r.kpis.empty  # the rest of the review stands


def test_comparison_windows_keep_length_and_weekdays():
    now, before, year = goals.windows(dt.date(2026, 10, 4), dt.date(2026, 10, 31))
    assert (before.start, before.end) == (dt.date(2026, 9, 6), dt.date(2026, 10, 3))
    assert before.days == year.days == now.days == 28
    assert year.start.weekday() == now.start.weekday() and (now.start - year.start).days == 364


def test_report_returns_one_type_per_kind(review):
    from matplotlib.figure import Figure
    from pandas.io.formats.style import Styler

    from smkit import viz

    viz.set_theme()  # the CJK font the figures' labels need
    for lang in ("zh", "en"):
        for name in ("kpi_table", "forecast_table", "forecast_method_table", "levels_table", "top_table", "team_table", "team_platforms_table", "sla_table"):
            assert isinstance(getattr(report, name)(review, lang), Styler), name
        for name in (
            "brief",
            "kpi_text",
            "kpi_method",
            "forecast_text",
            "forecast_method",
            "community_text",
            "community_method",
            "team_text",
            "team_method",
            "sla_text",
        ):
            assert isinstance(getattr(report, name)(review, lang), str), name
        assert review.has_forecasts and isinstance(report.forecast_figure(review, lang), Figure)
        assert review.has_community and isinstance(report.community_figure(review, lang), Figure)


# ---------------------------------------------------------------- the crisis response SLA and the forecast intervals


def test_the_team_scorecard_has_the_sla_of_the_monitors_alerts_per_owner(review, sample_store):
    from smkit.playbooks import reputation_monitor

    monitor = reputation_monitor.run(Config(sample_store, START, END, {}), reputation_monitor.settings())
    t = review.alert_tracking
    # the same alerts as the monitor's on the same store and window, through the shared detection
    assert [(a.start, a.level) for a in monitor.alerts] == list(zip(t["start"], t["level"])) == [(dt.date(2026, 10, 6), 3)]
    pd.testing.assert_frame_equal(t.reset_index(drop=True), monitor.tracking.reset_index(drop=True))
    assert t.iloc[0]["owners"] == ("王芳",) and t.iloc[0]["status"] == "missed" and t.iloc[0]["response_hours"] == 4.02
    assert review.to_summary()["response_sla"] == {"王芳": {"alerts": 1, "met": 0, "missed": 1, "pending": 0, "sla_rate": 0.0, "median_response_hours": 4.02}}
    card = report.team_table(review, "en").data["crisis response"]
    assert card["王芳"] == "0 met, 1 missed" and (card.drop("王芳") == "no alert").all()
    assert report.team_table(review, "zh").data.loc["王芳", "舆情响应"] == "0 次按时，1 次超时"
    assert report.sla_table(review, "en").data.loc["王芳"].to_dict() == {  # no alert is pending: no column of zeros
        "alerts": 1,
        "met": 0,
        "missed": 1,
        "share met": "0%",
        "median response (hours)": "4.0",
    }
    text = report.sla_text(review, "en")
    assert "Reputation alerts that touched the window: 1; 0 answered within the response plan's deadline, 1 missed it." in text
    assert "The alert of 6 Oct 2026 (Level II (orange, major), 王芳): first official response after 4.0 hours against 2 hours, late." in text
    zh = report.sla_text(review, "zh")
    assert "2026年10月6日的预警（Ⅱ级 重大（橙色），王芳）：4.0 小时后首次官方回应，时限 2 小时，超时。" in zh
    assert "0 of 1 reputation alerts got a first response within the deadline (late: 王芳 4.0 h against 2 h)" in report.brief(review, "en")
    assert "1 次舆情预警中 0 次在时限内首次回应（超时：王芳 4.0 小时，时限 2 小时）" in report.brief(review, "zh")
    kinder = _run(sample_store, respond_within_hours="II:6")
    assert kinder.sla.loc["王芳", "met"] == 1 and kinder.sla.loc["王芳", "sla_rate"] == 1.0


def test_the_forecast_table_says_its_coverage_is_the_models_own_before_calibration(review):
    table = report.forecast_method_table(review, "en").data
    assert "backtest days inside the model's own 80% interval" in table.columns and "interval calibration" in table.columns
    for f in review.forecasts:
        scale = f.backtest.interval_scale[f.backtest.chosen]
        row = present.forecast_metric(f.metric, "en")
        cell = table.loc[row, "interval calibration"]
        assert cell == (f"widened ×{scale:.2f}" if scale > 1 else f"narrowed ×{scale:.2f}")
        assert table.loc[row, "backtest days inside the model's own 80% interval"] == f"{f.backtest.coverage[f.backtest.chosen]:.0%}"


# ---------------------------------------------------------------- the reader's language

CJK = re.compile(r"[\u4e00-\u9fff]")


def _figure_texts(fig) -> str:
    texts = [fig._suptitle.get_text()] if fig._suptitle else []
    for ax in fig.axes:
        texts += [ax.get_title(loc="left"), ax.get_xlabel(), ax.get_ylabel()]
        texts += [t.get_text() for t in ax.get_xticklabels() + ax.get_yticklabels()]
        legend = ax.get_legend()
        texts += [t.get_text() for t in legend.get_texts()] if legend else []
    return "\n".join(texts)


def _everything(review, lang: str) -> str:
    from smkit import viz

    viz.set_theme()
    parts = [
        getattr(report, name)(review, lang)
        for name in (
            "brief",
            "kpi_text",
            "kpi_method",
            "forecast_text",
            "forecast_method",
            "community_text",
            "community_method",
            "team_text",
            "team_method",
            "sla_text",
        )
    ]
    parts += [
        getattr(report, name)(review, lang).to_html()
        for name in ("kpi_table", "forecast_table", "levels_table", "top_table", "team_table", "team_platforms_table", "sla_table")
    ]
    parts += [_figure_texts(report.forecast_figure(review, lang)), _figure_texts(report.community_figure(review, lang))]
    return "\n".join(parts)


def test_the_chinese_brief_says_what_happened_with_its_numbers(review):
    text = report.brief(review, "zh")
    k = review.kpis
    judged = k[k["attainment"].notna()]
    worst = judged[judged["attainment"] < 1].sort_values("attainment").index[0]
    assert CJK.search(text) and f"有目标的 {len(judged)} 项指标中 {int((judged['attainment'] >= 1).sum())} 项达标" in text
    assert f"差距最大的是{present.kpi(worst, 'zh')}：{present.value(worst, k.loc[worst, 'actual'], 'zh')}" in text
    assert f"完成 {k.loc[worst, 'attainment']:.0%}" in text
    for f in review.forecasts:
        assert f"{present.forecast_metric(f.metric, 'zh')} {f.p_meet_goal:.0%}" in text
    assert f"社群本期活跃成员 {review.community.active:,} 人" in text and f"{review.community.retention_4w:.0%} 在第5周仍活跃" in text
    assert f"团队 {len(review.team)} 位负责人中" in text and "建议：" in text
    assert 3 <= text.count("。") <= 5  # three to five sentences
    for word in ("MASE", "Holm", "p 值", "p-value", "ARIMA"):
        assert word not in text  # no method words in the brief
    assert "2026年10月4日至2026年10月31日" in text
    # the forecasts say their model in words
    assert any(name in report.forecast_text(review, "zh") for name in ("季节性ARIMA", "指数平滑", "同期值"))


def test_chinese_output_has_no_english_codes(review):
    text = _everything(review, "zh")
    for code in (
        "image_text",
        "share_of_voice",
        "negative_share",
        "p_vs_norm",
        "engagement_index",
        "seasonal naive",
        "(0,1,1)",
        "at start",
        "points in window",
        "douyin",
        "weibo",
    ):
        assert code not in text, code


def test_english_output_has_no_chinese_outside_the_data(review):
    text = _everything(review, "en")
    data = set(review.team.index) | set(review.team["role"].dropna()) | {review.brand}
    data |= {o for owners in review.alert_tracking["owners"] for o in owners}
    for value in sorted(data, key=len, reverse=True):
        text = text.replace(str(value), "")
    assert not CJK.search(text), CJK.findall(text)[:20]
    assert "L1 newcomer" in text  # smkit's default level names are its own words, translated


def test_lang_is_validated_and_changes_no_number(sample_store):
    assert pb.settings(lang="en").lang == "en" and pb.settings().lang == "zh"
    with pytest.raises(ValueError, match="valid: zh, en"):
        pb.settings(lang="fr")


def test_mentions_are_counted_from_a_listening_export_without_the_reply_flag(tmp_path):
    """A store holds the columns its exports filled: no is_reply_by_brand means no replies, not no mentions."""
    from conftest import NOW, write_csv

    from smkit.data.ingest import ingest
    from smkit.playbooks.ops_review.inputs import mention_counts

    store = tmp_path / "s.duckdb"
    lines = ["发布时间,平台,内容,品牌", "2026-11-20 10:00,微博,好用,北极熊", "2026-11-20 11:00,抖音,一般,北极熊", "2026-11-21 09:00,微博,不错,北极熊"]
    ingest([write_csv(tmp_path / "m.csv", lines)], "mentions", store=store, now=NOW)
    counts = mention_counts(store, "北极熊", dt.date(2026, 11, 30))
    assert counts["n"].tolist() == [2, 1] and [d.day for d in pd.to_datetime(counts["day"])] == [20, 21]
    # a listening export without a brand column: the column load() and the checks filter by is kept, empty
    from smkit.data.store import load

    ingest([write_csv(tmp_path / "b.csv", ["发布时间,平台,内容", "2026-11-22 10:00,微博,还行"])], "mentions", store=tmp_path / "b.duckdb", now=NOW)
    assert load("mentions", store=tmp_path / "b.duckdb", accounts=["北极熊"]).empty
    assert mention_counts(tmp_path / "b.duckdb", "北极熊", dt.date(2026, 11, 30)).empty
