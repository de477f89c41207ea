"""Listening reports from the engine's sums: the market analysis and the monitor
give on summed rows what they give on the raw mentions, and sentiment is scored
once per distinct text, in the engine's join."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pandas as pd
import pytest

from smkit import rules
from smkit.data import aggregates
from smkit.data.store import load
from smkit.methods import mention_engine, score_cache
from smkit.params import Config
from smkit.playbooks import market_analysis as market

START, END = dt.date(2026, 8, 1), dt.date(2026, 10, 31)


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("SMKIT_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_the_engine_fills_sentiment_as_the_cache_does_on_rows(sample_store, cache):
    raw = load("mentions", store=sample_store, start=START, end=END)
    expected, counts = score_cache.fill(raw)
    with aggregates.open_backend(sample_store) as con:
        t, scoring = mention_engine.scored(con, START, END)
        got = t.select("mention_id", "sentiment").to_pandas()
    assert scoring.exported == counts.exported and scoring.cached + scoring.scored == counts.cached + counts.scored
    merged = expected[["mention_id", "sentiment"]].merge(got, on="mention_id", suffixes=("", "_engine"))
    assert len(merged) == len(raw)
    pd.testing.assert_series_equal(merged["sentiment"].astype(float), merged["sentiment_engine"], check_names=False)
    # A second run finds every text in the cache.
    with aggregates.open_backend(sample_store) as con:
        _, again = mention_engine.scored(con, START, END)
    assert again.scored == 0 and again.cached == scoring.cached + scoring.scored


def test_scores_of_works_in_batches_and_writes_each_back(cache, monkeypatch):
    monkeypatch.setattr(score_cache, "BATCH", 2)
    texts = ["好用", "太差了", "一般般", "love it", "broken again"]
    scores, found = score_cache.scores_of(texts)
    assert found == score_cache.Scoring(scored=5)
    assert len(list(score_cache.folder().glob("*.parquet"))) == 3  # one file per batch
    again, found = score_cache.scores_of(texts[::-1])
    assert found == score_cache.Scoring(cached=5) and again == scores[::-1]


def test_summed_rows_count_and_weigh_as_the_mentions_they_stand_for(sample_store, cache):
    raw = load("mentions", store=sample_store, start=START, end=END)
    groups = mention_engine.load_groups(sample_store, START, END)
    assert groups["n"].sum() == len(raw) and len(groups) < len(raw)
    for weighted in (False, True):
        for by in ((), ("platform",)):
            want = rules.share_of_voice(raw, by=list(by), weighted=weighted)
            got = rules.share_of_voice(groups, by=list(by), weighted=weighted)
            pd.testing.assert_frame_equal(want, got, check_dtype=False)


def test_the_market_analysis_is_the_same_from_summed_rows(sample_store, cache):
    s = market.settings(brand="Lumina", draws=200)
    engine_inputs = market.load(Config(sample_store, START, END, {}), s)
    raw = load("mentions", store=sample_store, start=START, end=END)
    by_engine = market.analyze(engine_inputs, s)
    by_rows = market.analyze(dataclasses.replace(engine_inputs, mentions=raw), s)
    assert "n" in engine_inputs.mentions and len(engine_inputs.mentions) < len(raw)
    assert by_engine.to_summary() == by_rows.to_summary()
    for name in ("share_of_voice", "share_of_voice_weighted", "by_platform", "weekly", "weekly_weighted", "weekly_by_platform", "sentiment", "trends"):
        pd.testing.assert_frame_equal(getattr(by_engine, name), getattr(by_rows, name), check_dtype=False, obj=name)


def test_the_monitor_in_the_engine_is_the_monitor_on_the_rows(sample_store, cache):
    from smkit.playbooks import reputation_monitor as monitor

    cfg = Config(sample_store, dt.date(2026, 10, 4), dt.date(2026, 10, 31), {})
    s = monitor.settings(brand="Lumina", brand_aliases="露米娜")
    by_engine = monitor.run(cfg, s)
    by_rows = monitor.analyze(monitor.load(cfg, s), s)
    assert by_engine.alerts, "the sample plants a crisis in October"
    assert by_engine.to_summary() == by_rows.to_summary()
    assert [a.to_dict() for a in by_engine.alerts] == [a.to_dict() for a in by_rows.alerts]
    pd.testing.assert_frame_equal(by_engine.daily, by_rows.daily, check_dtype=False)
    pd.testing.assert_frame_equal(by_engine.tracking, by_rows.tracking, check_dtype=False)
    for name, frame in by_rows.breakdown.items():
        pd.testing.assert_frame_equal(by_engine.breakdown[name], frame, check_dtype=False, obj=name)
    figures = ("negative", "answered", "reply_rate", "median_reply_hours", "p90_reply_hours", "unanswered_count")
    assert {k: by_engine.replies[k] for k in figures} == {k: by_rows.replies[k] for k in figures}
    listed = by_engine.replies["unanswered"]
    assert len(listed) == min(len(by_rows.replies["unanswered"]), 50)
    assert listed["author_followers"].tolist() == by_rows.replies["unanswered"]["author_followers"].head(len(listed)).tolist()
    assert by_engine.scoring.exported == by_rows.scoring.exported


def test_the_monitor_in_the_engine_refuses_an_unknown_brand_naming_the_brands(sample_store, cache):
    from smkit.playbooks import reputation_monitor as monitor

    cfg = Config(sample_store, dt.date(2026, 10, 4), dt.date(2026, 10, 31), {})
    with pytest.raises(ValueError, match=r"brand 'Nobody' has no mentions .* brands found: .*Lumina"):
        monitor.run(cfg, monitor.settings(brand="Nobody"))


def test_a_store_without_the_newer_mention_columns_reads_them_as_unknown(sample_store, tmp_path, cache):
    import shutil

    import duckdb

    from smkit.playbooks import reputation_monitor as monitor

    old = tmp_path / "old.duckdb"
    shutil.copy(sample_store, old)
    with duckdb.connect(str(old)) as con:
        for column in ("topic", "reply_to"):
            con.execute(f"ALTER TABLE mentions DROP COLUMN {column}")
    cfg = Config(old, dt.date(2026, 10, 4), dt.date(2026, 10, 31), {})
    s = monitor.settings(brand="Lumina")
    by_engine = monitor.run(cfg, s)
    assert "topic" not in by_engine.breakdown and by_engine.replies["answered"] == 0
    assert by_engine.to_summary() == monitor.analyze(monitor.load(cfg, s), s).to_summary()
    assert market.run(Config(old, START, END, {}), market.settings(brand="Lumina", draws=100)).share_of_voice is not None


def test_the_mention_aggregates_run_on_a_listening_export_of_four_columns(tmp_path):
    """A store holds the columns its exports filled: the engine reads the others as unknown."""
    from conftest import NOW, write_csv

    from smkit.data.ingest import ingest

    store = tmp_path / "s.duckdb"
    lines = ["发布时间,平台,内容,品牌", "2026-10-20 10:00,微博,好用,北极熊", "2026-10-20 11:00,抖音,太差了,北极熊", "2026-10-21 09:00,微博,不错,对手"]
    ingest([write_csv(tmp_path / "m.csv", lines)], "mentions", store=store, now=NOW)
    with aggregates.open_backend(store) as con:
        cube = aggregates.mention_cube(con, dt.date(2026, 10, 1), dt.date(2026, 10, 31))
        volumes = aggregates.voice_volumes(con, dt.date(2026, 10, 1), dt.date(2026, 10, 31))
        top = aggregates.top_mentions(con, dt.date(2026, 10, 1), dt.date(2026, 10, 31), "北极熊")
    assert int(cube["mentions"].sum()) == 3 and volumes.to_dict() == {"北极熊": 2, "对手": 1}
    assert sorted(top["text"]) == ["太差了", "好用"]
