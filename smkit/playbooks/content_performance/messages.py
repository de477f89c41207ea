"""Every sentence, heading, label and chart text the content report writes for a reader, in Chinese and English.

Codes of the analysis (content types, topics of the sample, exposures,
interaction parts, weekdays, calls) are turned into words here; data (titles,
keywords, a user's own topic names, account names) is shown as it is.
"""

from __future__ import annotations

from smkit import i18n

from .messages_en import EN
from .messages_zh import ZH
from .model import POOLED

T = i18n.Catalog({"zh": ZH, "en": EN})


# ---------------------------------------------------------------- codes to words (data stays as it is)

ANY = "(any)"  # the plan's content type or theme where a platform has none to rotate


def platform(code: str, lang: str) -> str:
    """A platform's name; the pooled model's key as "all platforms"; an unknown platform as it is."""
    return T("all_platforms", lang) if code == POOLED else i18n.platform(code, lang)


def content_type(code: str, lang: str) -> str:
    return T("any", lang) if code == ANY else i18n.content_type(code, lang)


def topic(code: str, lang: str) -> str:
    """A topic code of smkit's sample in words; a user's own topic as it is (it is data)."""
    if code == ANY:
        return T("any", lang)
    key = f"topic_{code}"  # topic_none: a post without a topic
    return T(key, lang) if T.has(key) else i18n.topic(code, lang)


def weekday(day: int, lang: str) -> str:
    return T(f"weekday_{int(day)}", lang)


def code(prefix: str, value: str, lang: str) -> str:
    """``prefix_value`` from the catalog, or ``value`` itself when the catalog has no such code."""
    key = f"{prefix}_{value}"
    return T(key, lang) if T.has(key) else str(value)


def listing(items: list[str], lang: str) -> str:
    """Items joined as a reader lists them: 甲、乙和丙 / a, b and c."""
    items = [str(i) for i in items]
    if len(items) < 2:
        return "".join(items)
    return T("list_sep", lang).join(items[:-1]) + T("and", lang) + items[-1]


def hours(start: int, end: int) -> str:
    """An hour range such as 20:00–23:00 (``end`` exclusive, wrapping at midnight)."""
    return f"{int(start) % 24:02d}:00–{int(end) % 24:02d}:00"
