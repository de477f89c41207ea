"""Incremental sentiment: each distinct text is scored once per model version, across runs."""

from __future__ import annotations

import pandas as pd
import pytest

from smkit.methods import crisis, score_cache, sentiment

TEXTS = ["质量太差了，再也不买", "很好用，推荐", "物流很快", "客服态度差", "Love it", "worst purchase ever", "一般般", "😡😡"]


@pytest.fixture(autouse=True)
def own_cache(tmp_path, monkeypatch):
    version = score_cache.model_version()
    monkeypatch.setattr(score_cache, "folder", lambda: tmp_path / "cache" / "sentiment_scores" / f"model={score_cache.model_version()}")
    assert version
    monkeypatch.delenv("SMKIT_SCORE_CACHE", raising=False)


def _mentions(texts: list[str], scored: dict[int, float] | None = None) -> pd.DataFrame:
    n = len(texts)
    return pd.DataFrame(
        {
            "mention_id": [f"m{i}" for i in range(n)],
            "platform": "weibo",
            "brand": "Lumina",
            "published_at": pd.date_range("2026-10-01", periods=n, freq="h", tz="Asia/Shanghai"),
            "text": texts,
            "sentiment": [float((scored or {}).get(i, float("nan"))) for i in range(n)],
            "is_reply_by_brand": False,
        }
    )


def test_a_rerun_after_new_mentions_scores_only_the_new_texts():
    texts = TEXTS * 3  # repeated texts are scored once
    first, counts = score_cache.score_texts(pd.Series(texts, dtype=object))
    assert counts == score_cache.Scoring(cached=0, scored=len(TEXTS))
    assert first == sentiment.score(texts)
    again, counts = score_cache.score_texts(pd.Series([*texts, "新品不错"], dtype=object))
    assert counts == score_cache.Scoring(cached=len(TEXTS), scored=1)
    assert again == sentiment.score([*texts, "新品不错"])  # the cached scores are the scores


def test_prepare_reports_exported_cached_and_new_scores_and_fills_as_before():
    m = _mentions(TEXTS, scored={0: -0.9})
    first = crisis.prepare(m)
    assert first.attrs["sentiment_scoring"] == score_cache.Scoring(exported=1, cached=0, scored=len(TEXTS) - 1)
    pd.testing.assert_series_equal(first["sentiment"], sentiment.fill(m)["sentiment"].astype(float))
    second = crisis.prepare(_mentions([*TEXTS, "包装破损"], scored={0: -0.9}))
    assert second.attrs["sentiment_scoring"] == score_cache.Scoring(exported=1, cached=len(TEXTS) - 1, scored=1)


def test_a_new_model_version_never_reuses_old_scores(monkeypatch):
    score_cache.score_texts(pd.Series(TEXTS, dtype=object))
    monkeypatch.setattr(score_cache, "model_version", lambda: "another")
    _, counts = score_cache.score_texts(pd.Series(TEXTS, dtype=object))
    assert counts.scored == len(TEXTS) and counts.cached == 0


def test_the_cache_can_be_turned_off(monkeypatch, tmp_path):
    monkeypatch.setenv("SMKIT_SCORE_CACHE", "0")
    score_cache.score_texts(pd.Series(TEXTS, dtype=object))
    assert not (tmp_path / "cache" / "sentiment_scores").exists()
