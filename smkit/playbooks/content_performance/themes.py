"""Themes: keywords and topics scored against platform-and-type peers, shrunk toward the average.

Words come from titles and text (jieba for Chinese, words for English,
hashtags kept whole) and from the ``topic`` column. A word carried by few
posts is shrunk toward zero in proportion to how few (empirical Bayes), so a
lucky rare word does not top the list.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from smkit.methods import stats
from smkit.methods.text import tokens as text_tokens

THEME_COLUMNS = ["keyword", "posts", "raw_multiplier", "multiplier", "ci_low", "ci_high"]


def tokenize(text: str | None, exclude: Iterable[str] = ()) -> list[str]:
    """Keywords of one post (:func:`smkit.methods.text.tokens`): hashtags whole, Chinese
    words by jieba, English words lower-cased, each once; stop words, single
    characters, numbers and the ``exclude`` words (the brand's names) dropped."""
    return text_tokens(text, exclude=exclude)


def relative_score(data: pd.DataFrame) -> pd.Series:
    """log engagement rate against the post's platform-and-type peers (0 = the peers' mean)."""
    log_rate = np.log((data["interactions"] + 0.5) / data["exposure"])
    return log_rate - log_rate.groupby([data["platform"], data["content_type"]]).transform("mean")


def theme_effects(data: pd.DataFrame, min_posts: int = 3, column: str | None = None, exclude: Iterable[str] = (), alpha: float = 0.05) -> pd.DataFrame:
    """Keywords (or the values of ``column``, e.g. ``topic``) and how the posts
    carrying them did against their peers: the raw multiplier and the one
    shrunk toward 1 by empirical Bayes (rare words move little), with its
    interval at level 1 - ``alpha``. Keywords in ``exclude`` (the brand's own
    names: on every post, they say nothing about a theme) are left out."""
    score = relative_score(data).to_numpy()
    if column is None:
        text = data["title"].fillna("").astype(str) + " " + data["text"].fillna("").astype(str).where(data["text"] != data["title"], "")
        exclude = frozenset(exclude)
        tokens = [tokenize(t, exclude) for t in text]
    else:
        tokens = [[str(v)] for v in data[column]]
    index: dict[str, list[int]] = {}
    for i, words in enumerate(tokens):
        for w in words:
            index.setdefault(w, []).append(i)
    index = {w: rows for w, rows in index.items() if len(rows) >= min_posts and len(rows) < len(data)}
    if not index:
        return pd.DataFrame(columns=THEME_COLUMNS)
    words = list(index)
    n = np.array([len(index[w]) for w in words], float)
    sums = np.array([score[index[w]].sum() for w in words])
    shrunk, sd = stats.shrink(sums, n, score)
    raw = sums / n - sums.sum() / n.sum()
    out = pd.DataFrame({"keyword": words, "posts": n.astype(int), "raw_multiplier": np.exp(raw), "multiplier": np.exp(shrunk)})
    # With no spread between groups beyond chance every estimate is exactly 1 and has no interval to show.
    z = stats.z_value(alpha)
    out["ci_low"] = np.where(sd > 0, np.exp(shrunk - z * sd), np.nan)
    out["ci_high"] = np.where(sd > 0, np.exp(shrunk + z * sd), np.nan)
    return out.sort_values(["multiplier", "posts"], ascending=[False, False], kind="stable").reset_index(drop=True)
