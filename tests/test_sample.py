"""The sample data: deterministic, scalable, and carrying the truths it claims to plant."""

from __future__ import annotations

import filecmp
import json

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf

from smkit import sample


@pytest.fixture(scope="session")
def data():
    return sample.generate(seed=7, scale=0.5)


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path):
    a = sample.write(tmp_path / "a", seed=3, scale=0.1)
    b = sample.write(tmp_path / "b", seed=3, scale=0.1)
    c = sample.write(tmp_path / "c", seed=4, scale=0.1)
    assert all(filecmp.cmp(a[k], b[k], shallow=False) for k in a)
    assert not filecmp.cmp(a["posts"], c["posts"], shallow=False)
    truth = json.loads(a["truth"].read_text(encoding="utf-8"))
    assert truth["seed"] == 3 and truth["window"] == {"start": "2025-11-01", "end": "2026-10-31", "timezone": "Asia/Shanghai"}


@pytest.mark.slow
def test_volume_grows_linearly_with_scale():
    small, large = sample.generate(seed=1, scale=0.25), sample.generate(seed=1, scale=1.0)
    for table in ("posts", "mentions", "audience", "experiments"):
        ratio = len(large[table]) / len(small[table])
        assert 3.4 < ratio < 4.6, (table, ratio)


def test_every_table_and_platform_is_there(data):
    assert set(data["posts"]["platform"]) == {"weibo", "douyin", "kuaishou", "xiaohongshu", "wechat", "bilibili", "linkedin"}
    assert set(data["posts"]["account"]) >= {"Lumina", "Vexa", "Orbi"}
    assert set(data["posts"]["channel"]) == {"owned", "paid", "kol"}
    # Chinese and English text in posts and mentions
    assert data["posts"]["title"].str.contains(r"[\u4e00-\u9fff]").mean() > 0.8
    assert data["posts"].loc[data["posts"]["platform"] == "linkedin", "title"].str.contains(r"^[ -~]+$").all()
    assert data["mentions"]["text"].str.contains(r"[A-Za-z]{4}").any()


def test_engagement_is_heavy_tailed(data):
    views = data["posts"]["views"]
    assert views.max() / views.median() > 30
    assert views.mean() > 1.3 * views.median()


def _log_views_model(posts: pd.DataFrame, platform: str):
    own = posts[(posts["platform"] == platform) & (posts["channel"] == "owned") & (posts["campaign_id"].isna())].copy()
    when = pd.to_datetime(own["published_at"]).dt.tz_convert(sample.TZ)
    own["prime"] = when.dt.hour.isin(sample.PRIME_TIME_HOURS).astype(int)
    own["weekend"] = (when.dt.day_of_week >= 5).astype(int)
    own["log_views"] = np.log(own["views"].clip(lower=1))
    return smf.ols("log_views ~ C(content_type) + prime + weekend + C(account) + C(when.dt.month)", data=own.assign(when=when)).fit()


@pytest.mark.slow
def test_planted_content_type_and_posting_time_effects_are_recoverable():
    posts = sample.generate(seed=11, scale=2.0)["posts"]
    fit = _log_views_model(posts, "xiaohongshu")
    video = fit.params["C(content_type)[T.video]"]
    lo, hi = fit.conf_int().loc["C(content_type)[T.video]"]
    assert lo < np.log(1.4) < hi and video > 0.15
    prime = _log_views_model(posts, "weibo")
    lo, hi = prime.conf_int().loc["prime"]
    assert lo < np.log(sample.PRIME_TIME_EFFECT) < hi and lo > 0


@pytest.mark.slow
def test_no_effect_where_none_was_planted():
    posts = sample.generate(seed=11, scale=2.0)["posts"]
    fit = _log_views_model(posts, "weibo")
    # weibo content types carry no planted effect
    for term in ("C(content_type)[T.video]", "C(content_type)[T.topic]"):
        lo, hi = fit.conf_int().loc[term]
        assert lo < 0 < hi, term


def test_campaign_truth_matches_the_daily_series(data):
    truth = next(c for c in data["truth"]["campaigns"] if c["relative_lift"] > 0)
    daily = data["account_daily"]
    ours = daily[(daily["platform"] == "douyin") & (daily["account"] == "Lumina")].set_index("date")["views"]
    window = ours.loc[truth["start"] : truth["end"]]
    assert len(window) == 21
    assert truth["incremental_views"] == pytest.approx(0.30 * truth["counterfactual_views"], rel=0.001)
    before = ours.loc[: truth["start"]].iloc[-43:-1].mean()
    assert 1.15 < window.mean() / before < 1.5


def test_crisis_is_a_spike_of_negative_weibo_mentions(data):
    crisis = data["truth"]["crisis"]
    m = data["mentions"]
    m = m[(m["brand"] == "Lumina") & (m["platform"] == "weibo") & ~m["is_reply_by_brand"]]
    day = pd.to_datetime(m["published_at"]).dt.tz_convert(sample.TZ).dt.strftime("%Y-%m-%d")
    per_day = day.value_counts().sort_index()
    inside = per_day.loc[crisis["start"] : crisis["end"]]
    outside = per_day.drop(inside.index)
    assert inside.min() > 3 * outside.median()


def test_experiment_truths(data):
    exp = data["experiments"]
    for truth in data["truth"]["experiments"]:
        e = exp[exp["experiment_id"] == truth["experiment_id"]]
        g = e.groupby("variant")[["clicks", "impressions", "watch_seconds"]].sum()
        ctr = g["clicks"] / g["impressions"]
        lift = ctr["treatment"] / ctr["control"] - 1
        planted = truth["relative_lift"]["clicks_per_impression"]
        assert abs(lift - planted) < 0.05
        share = (e["variant"] == "control").mean()
        assert abs(share - 0.5) < 0.01


def test_persona_segments_differ(data):
    aud = data["audience"].merge(data["truth_segments"][["user_id", "segment"]], on="user_id")
    ages = aud.groupby("segment")["age"].mean()
    assert ages["families"] - ages["trend_seekers"] > 10
    assert aud.loc[aud["segment"] == "gamers", "interests"].str.contains("gaming|anime").mean() > 0.6
    assert aud.loc[aud["segment"] == "trend_seekers", "interests"].str.contains("gaming").mean() < 0.2
    sizes = {s["segment"]: s["size"] for s in data["truth"]["personas"]["segments"]}
    assert sum(sizes.values()) == len(aud)


def test_planted_effects_can_be_left_out():
    full = sample.generate(seed=3, scale=0.3)
    null = sample.generate(seed=3, scale=0.3, without=["crisis", "platform_gap"])
    assert full["truth"]["crisis"] is not None and null["truth"]["crisis"] is None
    assert null["truth"]["platform_gap"] is None and null["truth"]["planted"]["content_type"]
    crisis_words = "过热|安全隐患|烧焦|overheated|事故"
    assert full["mentions"]["text"].str.contains(crisis_words).any()
    assert not null["mentions"]["text"].str.contains(crisis_words).any()
    with pytest.raises(ValueError, match="unknown planted effect"):
        sample.generate(scale=0.1, without=["weather"])


def test_planted_platform_gap_lowers_our_engagement_rate_there_only():
    posts = sample.generate(seed=5, scale=1.0)["posts"]
    owned = posts[posts["channel"] == "owned"].copy()
    owned["eng"] = owned[["likes", "comments", "shares"]].sum(axis=1)
    rate = owned.groupby(["platform", owned["account"] == sample.BRAND])[["eng", "views"]].sum()
    ratio = (rate["eng"] / rate["views"]).unstack()
    ours_vs_theirs = ratio[True] / ratio[False]
    platform, multiplier = sample.PLATFORM_GAP
    assert ours_vs_theirs[platform] == pytest.approx(multiplier, rel=0.1)
    assert ours_vs_theirs.drop(platform).between(0.85, 1.15).all()


def test_planted_share_of_voice_matches_generated_mentions():
    data = sample.generate(seed=9, scale=1.0)
    earned = data["mentions"][~data["mentions"]["is_reply_by_brand"]]
    share = earned["brand"].value_counts(normalize=True)
    for brand, expected in data["truth"]["share_of_voice"].items():
        assert share[brand] == pytest.approx(expected, abs=0.005)


def test_community_members_join_act_less_as_weeks_pass_and_leave(data):
    act = data["community_activity"]
    assert set(act["action"]) == {"post", "comment", "like", "share", "checkin"}
    assert (act["count"] > 0).all() and not act.duplicated(["date", "platform", "user_id", "action"]).any()
    days = act.drop_duplicates(["user_id", "date"]).assign(date=lambda f: pd.to_datetime(f["date"]))
    first = days.groupby("user_id")["date"].transform("min")
    joined_late = first >= first.min() + pd.Timedelta(days=60)  # not members from before the data
    week = ((days["date"] - first).dt.days // 7)[joined_late]
    members = days.loc[joined_late, "user_id"].nunique()
    retained = days[joined_late].groupby(week)["user_id"].nunique() / members
    assert retained[0] == 1.0 and 0.2 < retained[4] < 0.6 and retained[12] < retained[4] < retained[1]
    daily = days.groupby("date")["user_id"].nunique()
    assert daily.iloc[-60:].mean() > daily.iloc[60:120].mean()  # the community grows over the year
    per_member = act.groupby("user_id")["count"].sum()
    assert per_member.quantile(0.99) > 10 * per_member.median()  # a few core members do much of the work


def test_team_owns_every_brand_platform_and_live_posts(data):
    team, posts = data["team"], data["posts"]
    accounts = team[team["post_id"].isna()]
    assert set(accounts["platform"]) == set(posts.loc[posts["account"] == sample.BRAND, "platform"])
    live = posts[(posts["account"] == sample.BRAND) & (posts["platform"] == "douyin") & (posts["content_type"] == "live")]
    assert set(team.dropna(subset=["post_id"])["post_id"]) == set(live["post_id"])


def test_new_tables_leave_the_other_tables_unchanged():
    """The new tables draw from their own stream, appended after the others."""
    data = sample.generate(seed=7, scale=0.1)
    again = sample.generate(seed=7, scale=0.1)
    for table in ("posts", "mentions", "community_activity"):
        pd.testing.assert_frame_equal(data[table], again[table])
    streams = np.random.SeedSequence(7).spawn(7)
    assert all((a.generate_state(2) == b.generate_state(2)).all() for a, b in zip(np.random.SeedSequence(7).spawn(6), streams))
