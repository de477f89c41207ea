"""Words from post and mention text: one tokenizer for every report.

Chinese is segmented with jieba (loaded once, on first use, without its
dictionary-loading chatter), English is split into words, hashtags are kept
whole (``#新品发布#`` and ``#launch`` both become one keyword). Stop words,
single characters, pure numbers and the words passed as ``exclude`` (the
brand's own names, which say nothing about a theme) are dropped.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from functools import lru_cache

STOPWORDS = frozenset(
    # Chinese function words and fillers
    "的 了 和 是 在 也 就 都 而 及 与 着 或 我 你 他 她 它 们 吗 吧 呢 啊 还 有 又 这 那 个 一 不 很 太 给 出 说 会 要 被 把 让 用 对 "
    "一个 没有 我们 你们 他们 这样 那样 这个 那个 来了 什么 怎么 如何 可以 还是 就是 一下 一起 自己 这些 那些 因为 所以 但是 如果 "
    # English
    "the a an and or of to in on for with is are was be it this that you your our we my i at as by from how what why new so".split()
)

_HASHTAG = re.compile(r"#([^#\s]{1,30})#|#(\w{2,30})")
_LATIN = re.compile(r"[A-Za-z][A-Za-z'\-]+")
_HAN = re.compile(r"[\u3400-\u9fff]")


@lru_cache(maxsize=1)
def jieba():
    """The jieba module, imported on first use with its logging quietened."""
    import jieba as _jieba

    _jieba.setLogLevel(logging.WARNING)  # its dictionary-loading messages are not for readers
    return _jieba


def brand_words(names: Iterable[str | None]) -> frozenset[str]:
    """The brand's names, lower-cased and without blanks: words to leave out
    of keywords (a theme is never "the brand"). Other spellings, such as the
    Chinese name, come from the playbooks' ``brand_aliases`` parameter."""
    return frozenset(str(n).strip().lower() for n in names if str(n or "").strip())


def tokens(text: str | None, exclude: Iterable[str] = (), unique: bool = True, min_latin: int = 2) -> list[str]:
    """Keywords of one text, in order of appearance: hashtags whole and
    lower-cased (``#新品发布``), English words lower-cased (at least
    ``min_latin`` letters), Chinese words by jieba. Dropped: stop words,
    single characters, pure numbers and every word in ``exclude`` (compared
    lower-cased; a Chinese name in ``exclude`` is cut out of the text before
    segmentation, so jieba cannot split it into fragments that slip through,
    and a hashtag that is only an excluded name goes too). ``unique`` keeps
    each keyword once."""
    if not isinstance(text, str) or not text.strip():
        return []
    excluded = {str(w).strip().lower() for w in exclude if str(w or "").strip()}
    found: list[str] = []
    for m in _HASHTAG.finditer(text):
        found.append("#" + (m.group(1) or m.group(2)).lower())
    rest = _HASHTAG.sub(" ", text)
    for word in sorted((w for w in excluded if _HAN.search(w)), key=len, reverse=True):
        rest = rest.replace(word, " ")
    found += [w.lower() for w in _LATIN.findall(rest) if len(w) >= min_latin]
    if _HAN.search(rest):
        for word in jieba().cut(rest):
            word = word.strip()
            if _HAN.search(word):
                found.append(word)
    seen: set[str] = set()
    out = []
    for word in found:
        bare = word.lstrip("#")
        if len(bare) < 2 or bare.isdigit() or word in STOPWORDS or word in excluded or bare in excluded:
            continue
        if unique and word in seen:
            continue
        seen.add(word)
        out.append(word)
    return out
