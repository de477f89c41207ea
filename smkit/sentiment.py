"""Offline sentiment for Chinese and English mention text: a transparent lexicon.

``score(texts)`` gives each text a value in -1..1 from counts of positive and
negative words, with negation (不, 没, not, never ...) flipping the word that
follows and intensifiers (很, 太, very ...) weighting it. It needs no model
download and every score can be explained by the words that produced it.
It is a baseline: sarcasm, domain slang and mixed messages are beyond it.
"""

from __future__ import annotations

import math
import re
from typing import Iterable, Sequence

import numpy as np
import pandas as pd

POSITIVE_ZH = (
    "好用", "推荐", "喜欢", "满意", "好看", "颜值高", "颜值很高", "方便", "实用", "点赞", "好评", "惊喜", "值得", "不错", "靠谱", "舒服",
    "流畅", "清晰", "划算", "优秀", "完美", "贴心", "耐用", "棒", "赞", "爱", "治愈", "高级", "省心", "护眼", "助眠", "安心",
)
NEGATIVE_ZH = (
    "差评", "失望", "坏了", "故障", "垃圾", "退货", "投诉", "难用", "卡顿", "连不上", "不回复", "骗", "坑", "后悔", "危险", "安全隐患",
    "过热", "冒烟", "烧焦", "起火", "事故", "抵制", "质量差", "太差", "差", "慢", "贵", "漏电", "刺眼", "噪音", "一般般", "翻车",
)
POSITIVE_EN = (
    "love", "great", "good", "excellent", "amazing", "awesome", "recommend", "happy", "perfect", "nice", "beautiful", "best",
    "easy", "fast", "helpful", "works", "worth", "comfortable", "calm", "cozy", "reliable",
)
NEGATIVE_EN = (
    "bad", "terrible", "awful", "broken", "broke", "stopped", "worst", "hate", "refund", "return", "disappointed", "poor", "slow",
    "unsafe", "overheated", "melted", "fire", "dangerous", "scam", "useless", "fail", "failed", "problem", "issue", "angry", "boycott",
)
NEGATORS_ZH = ("不", "没", "没有", "别", "未", "无")
NEGATORS_EN = ("not", "no", "never", "don't", "doesn't", "didn't", "isn't", "wasn't", "can't", "won't")
INTENSIFIERS_ZH = ("很", "太", "非常", "超", "特别", "真的", "好")
INTENSIFIERS_EN = ("very", "really", "so", "extremely", "super", "totally")

_EN_WORD = re.compile(r"[a-z']+")
_ZH_POS = sorted(POSITIVE_ZH, key=len, reverse=True)
_ZH_NEG = sorted(NEGATIVE_ZH, key=len, reverse=True)


def _zh_hits(text: str) -> float:
    """Signed weight of Chinese sentiment words, longest match first."""
    total, i = 0.0, 0
    while i < len(text):
        for words, sign in ((_ZH_NEG, -1.0), (_ZH_POS, 1.0)):
            word = next((w for w in words if text.startswith(w, i)), None)
            if word:
                before = text[max(0, i - 4):i]
                weight = 1.5 if any(before.endswith(x) for x in INTENSIFIERS_ZH) else 1.0
                # 不太好用, 不是很好用, 不怎么好看: look past intensifiers and 是/怎么 for the negator
                core = before
                for _ in range(2):
                    core = next((core[: -len(x)] for x in INTENSIFIERS_ZH + ("是", "怎么") if core.endswith(x)), core)
                negated = any(core.endswith(n) for n in NEGATORS_ZH) and not word.startswith(NEGATORS_ZH)
                total += -sign * weight if negated else sign * weight
                i += len(word)
                break
        else:
            i += 1
    return total


def _en_hits(text: str) -> float:
    words = _EN_WORD.findall(text.lower())
    total = 0.0
    for k, word in enumerate(words):
        sign = 1.0 if word in POSITIVE_EN else -1.0 if word in NEGATIVE_EN else 0.0
        if not sign:
            continue
        window = words[max(0, k - 3):k]
        weight = 1.5 if any(w in INTENSIFIERS_EN for w in window) else 1.0
        total += -sign * weight if any(w in NEGATORS_EN for w in window) else sign * weight
    return total


def score_one(text: str | None) -> float:
    """One text's sentiment in -1..1 (0 for no sentiment words or no text)."""
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return 0.0
    raw = _zh_hits(str(text)) + _en_hits(str(text))
    return math.tanh(raw / 1.5)


def score(texts: Iterable[str | None]) -> list[float]:
    """Sentiment of each text in -1..1 (Chinese and English, offline)."""
    return [score_one(t) for t in texts]


def fill(mentions: pd.DataFrame) -> pd.DataFrame:
    """``mentions`` with ``sentiment`` filled where missing; a mention that
    already has one keeps it."""
    out = mentions.copy()
    missing = out["sentiment"].isna() if "sentiment" in out else pd.Series(True, index=out.index)
    if missing.any():
        out.loc[missing, "sentiment"] = score(out.loc[missing, "text"])
    return out


def label(values: Sequence[float], threshold: float = 0.25) -> list[str]:
    """positive / neutral / negative from scores."""
    return ["positive" if v > threshold else "negative" if v < -threshold else "neutral" for v in values]


def net_sentiment(values: Sequence[float], threshold: float = 0.25) -> float:
    """(positive - negative) / (positive + negative) in -1..1; NaN when no
    score is positive or negative. Neutral and missing scores do not count."""
    v = np.asarray(values, dtype=float)
    positive, negative = int((v > threshold).sum()), int((v < -threshold).sum())
    return (positive - negative) / (positive + negative) if positive + negative else float("nan")
