"""Words and numbers as the report's reader expects them, in Chinese or English.

Reports are Chinese by default (``zh``) and English on request (``en``); the
data itself is never translated. This module is the one place that knows how
each language writes a count, an amount of money, a share, a date, a platform,
a content type and a warning level:

- ``zh``: counts of ten thousand and more in 万 and 亿 with three significant
  digits (12.3万, 1.05亿), money with ¥ and separators (¥12,345), dates as
  2026年11月26日 (11月26日 on chart axes);
- ``en``: thousands separators everywhere (12,345), dates as 26 Nov 2026.

Neither language shows a bare ``1e6`` axis multiplier: :func:`count_axis` puts
the unit in every tick label.

Warning levels follow the Chinese emergency-plan convention: Ⅰ级 特别重大
(红色) is the most severe, then Ⅱ级 重大 (橙色), Ⅲ级 较大 (黄色), Ⅳ级 一般 (蓝色).
A level's *severity* is a number that grows with danger (Ⅳ = 1 ... Ⅰ = 4), so
thresholds and comparisons read naturally in code and in ``summary.json``.

Message tables (one per language) are checked for completeness by a test:
every key exists in every language with the same placeholders.
"""

from __future__ import annotations

import datetime as dt
import math
import numbers
import string
from typing import Any

LANGUAGES = ("zh", "en")
DEFAULT_LANGUAGE = "zh"


def check_language(lang: str) -> str:
    """``lang`` if known, else a ``ValueError`` naming the valid ones."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; valid: {', '.join(LANGUAGES)}")
    return lang


# ---------------------------------------------------------------- numbers and dates


def _trim(text: str) -> str:
    return text.rstrip("0").rstrip(".") if "." in text else text


def _significant(value: float, digits: int = 3) -> str:
    """``value`` with ``digits`` significant digits, trailing zeros dropped (12.3, 1.05, 123)."""
    if value == 0:
        return "0"
    decimals = max(digits - 1 - int(math.floor(math.log10(abs(value)))), 0)
    return _trim(f"{value:.{decimals}f}")


def _missing(value: Any) -> bool:
    """None, NaN or pandas' NA (None and NA are not numbers; NaN is not equal to itself)."""
    return not isinstance(value, numbers.Number) or value != value


def count(value: float | None, lang: str = DEFAULT_LANGUAGE) -> str:
    """A count or any large number: 12.3万 / 1.05亿 in ``zh`` from ten thousand
    up, else with thousands separators; missing (None, NaN, pandas' NA) is a dash."""
    if _missing(value):
        return "–"
    if lang == "zh" and abs(value) >= 1e4:
        if abs(value) >= 1e8:
            return _significant(value / 1e8) + "亿"
        return _significant(value / 1e4) + "万"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.1f}" if abs(value) >= 100 else _trim(f"{value:,.2f}")


def whole_count(value: Any, lang: str = DEFAULT_LANGUAGE) -> str:
    """:func:`count` of ``value`` rounded to a whole one (a projected or summed
    count: 12.3万 / 123,457); missing (None, NaN, pandas' NA) is a dash."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return "–"
    return "–" if math.isnan(number) else count(round(number), lang)


def money(value: float | None, lang: str = DEFAULT_LANGUAGE, decimals: int = 0) -> str:
    """Yuan with ¥ and thousands separators in both languages (a manager reads
    the exact amount of a budget, so no 万 here)."""
    if _missing(value):
        return "–"
    sign = "-" if value < 0 else ""
    return f"{sign}¥{abs(value):,.{decimals}f}"


def percent(value: float | None, decimals: int = 1, signed: bool = False) -> str:
    """A share in 0..1 as a percentage (12.5%); ``signed`` for changes (+3.2%)."""
    if _missing(value):
        return "–"
    return f"{value * 100:{'+' if signed else ''}.{decimals}f}%"


_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def date(value: dt.date | dt.datetime | str, lang: str = DEFAULT_LANGUAGE, short: bool = False) -> str:
    """2026年11月26日 (or 11月26日 when ``short``) / 26 Nov 2026 (26 Nov)."""
    day = dt.date.fromisoformat(value[:10]) if isinstance(value, str) else value
    if isinstance(day, dt.datetime):
        day = day.date()
    if lang == "zh":
        return f"{day.month}月{day.day}日" if short else f"{day.year}年{day.month}月{day.day}日"
    return f"{day.day} {_MONTHS_EN[day.month - 1]}" + ("" if short else f" {day.year}")


def count_axis(ax: Any, lang: str = DEFAULT_LANGUAGE, axis: str = "y") -> None:
    """Tick labels written by :func:`count` (万 and 亿 in ``zh``, separators in
    ``en``), so matplotlib never shows an offset such as ``1e6``."""
    from matplotlib.ticker import FuncFormatter

    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_formatter(FuncFormatter(lambda v, _pos: count(v, lang)))


def date_axis(ax: Any, lang: str = DEFAULT_LANGUAGE, axis: str = "x") -> None:
    """Date tick labels as :func:`date` writes them, short (11月26日 / 26 Nov)."""
    import matplotlib.dates as mdates
    from matplotlib.ticker import FuncFormatter

    target = ax.xaxis if axis == "x" else ax.yaxis
    target.set_major_formatter(FuncFormatter(lambda v, _pos: date(mdates.num2date(v).date(), lang, short=True)))


# ---------------------------------------------------------------- names people know

PLATFORMS = {
    "zh": {
        "weibo": "微博",
        "douyin": "抖音",
        "kuaishou": "快手",
        "xiaohongshu": "小红书",
        "wechat": "微信公众号",
        "wechat_channels": "视频号",
        "bilibili": "B站",
        "linkedin": "领英",
    },
    "en": {
        "weibo": "Weibo",
        "douyin": "Douyin",
        "kuaishou": "Kuaishou",
        "xiaohongshu": "Xiaohongshu",
        "wechat": "WeChat Official Account",
        "wechat_channels": "WeChat Channels",
        "bilibili": "Bilibili",
        "linkedin": "LinkedIn",
    },
}

CONTENT_TYPES = {
    "zh": {"image_text": "图文", "video": "短视频", "live": "直播", "h5": "H5", "animation": "动画", "topic": "话题", "other": "其他"},
    "en": {"image_text": "image and text", "video": "video", "live": "live", "h5": "H5", "animation": "animation", "topic": "topic", "other": "other"},
}


# the topic codes smkit's sample writes; a user's own topics are data and stay as written
TOPICS = {
    "zh": {
        "product_launch": "新品发布",
        "tutorial": "使用教程",
        "user_story": "用户故事",
        "festival": "节日营销",
        "behind_scenes": "幕后花絮",
        "industry": "行业观点",
        "giveaway": "福利抽奖",
    },
    "en": {
        "product_launch": "new launch",
        "tutorial": "how-to",
        "user_story": "customer story",
        "festival": "holiday special",
        "behind_scenes": "behind the scenes",
        "industry": "industry insight",
        "giveaway": "giveaway",
    },
}


def platform(code: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """A platform's name in ``lang``; an unknown platform keeps its own name (it is data)."""
    return PLATFORMS[lang].get(str(code), str(code))


def content_type(code: str, lang: str = DEFAULT_LANGUAGE) -> str:
    return CONTENT_TYPES[lang].get(str(code), str(code))


def topic(code: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """A sample topic code in words; any other topic as it is (it is data)."""
    return TOPICS[lang].get(str(code), str(code))


# ---------------------------------------------------------------- warning levels

# severity grows with danger: 1 is the mildest level (Ⅳ), 4 the most severe (Ⅰ)
LEVEL_NUMERALS = {4: "Ⅰ", 3: "Ⅱ", 2: "Ⅲ", 1: "Ⅳ"}
_LEVEL_NAMES = {
    "zh": {4: "Ⅰ级 特别重大（红色）", 3: "Ⅱ级 重大（橙色）", 2: "Ⅲ级 较大（黄色）", 1: "Ⅳ级 一般（蓝色）"},
    "en": {4: "Level I (red, critical)", 3: "Level II (orange, major)", 2: "Level III (yellow, serious)", 1: "Level IV (blue, general)"},
}
LEVEL_COLOURS = {4: "#C4161C", 3: "#F08300", 2: "#F2C200", 1: "#1F6FB5"}
_LEVEL_SPELLINGS = {"Ⅰ": 4, "I": 4, "1": 4, "Ⅱ": 3, "II": 3, "2": 3, "Ⅲ": 2, "III": 2, "3": 2, "Ⅳ": 1, "IV": 1, "4": 1}


def level_name(severity: int, lang: str = DEFAULT_LANGUAGE) -> str:
    """The full name of a warning level given its severity (4 = Ⅰ级, the most severe)."""
    return _LEVEL_NAMES[lang][severity]


def parse_level(text: str | int) -> int:
    """The severity of a level as a person writes it: Ⅰ/I/1 (most severe) ... Ⅳ/IV/4,
    with or without 级 or "level"."""
    key = str(text).strip().upper().removeprefix("LEVEL").strip().removesuffix("级").strip()
    if key not in _LEVEL_SPELLINGS:
        raise ValueError(f"unknown warning level {text!r}; write Ⅰ/I/1 (most severe), Ⅱ/II/2, Ⅲ/III/3 or Ⅳ/IV/4")
    return _LEVEL_SPELLINGS[key]


# ---------------------------------------------------------------- messages

MESSAGES: dict[str, dict[str, str]] = {
    "zh": {
        "appendix": "本报告的生成方式",
        "parameters": "参数",
        "data_fingerprint": "数据指纹",
        "no_data": "无数据",
        "not_compared": "未比较",
        "on_target": "达标",
        "period": "{start}至{end}",
    },
    "en": {
        "appendix": "How this report was made",
        "parameters": "Parameters",
        "data_fingerprint": "Data fingerprint",
        "no_data": "no data",
        "not_compared": "not compared",
        "on_target": "on target",
        "period": "{start} to {end}",
    },
}


def text(key: str, lang: str = DEFAULT_LANGUAGE, **values: Any) -> str:
    """The message ``key`` in ``lang`` with ``values`` filled in."""
    return MESSAGES[check_language(lang)][key].format(**values)


class Catalog:
    """A module's own message table, ``{"zh": {key: template}, "en": {...}}``,
    called as ``t(key, lang, **values)``. Every table is checked for
    completeness by ``tests/test_i18n.py`` (same keys and placeholders in every
    language), so a sentence can never be missing in one language."""

    def __init__(self, messages: dict[str, dict[str, str]]):
        self.messages = messages

    def __call__(self, key: str, lang: str = DEFAULT_LANGUAGE, **values: Any) -> str:
        return self.messages[check_language(lang)][key].format(**values)

    def has(self, key: str) -> bool:
        return key in self.messages[DEFAULT_LANGUAGE]

    def reason(self, exc: Exception, lang: str = DEFAULT_LANGUAGE, **named: Any) -> str:
        """Why something could not be done, from an exception that carries ``code`` and
        ``values`` (``smkit.methods.causal.NotEstimable``), through this table's
        ``why_<code>``: dates as ``lang`` writes them, the values in ``named``
        (callables) as the caller names them. Any other exception in its own words."""
        code = getattr(exc, "code", None)
        if code is None or not self.has(f"why_{code}"):
            return str(exc)
        values = {}
        for key, value in exc.values.items():  # type: ignore[attr-defined]
            if key in named:
                value = named[key](value)
            elif value is None:
                value = "–"
            elif isinstance(value, dt.date):
                value = date(value, lang)
            values[key] = value
        return self(f"why_{code}", lang, **values)


def placeholders(template: str) -> set[str]:
    """The named fields of a message template (for the completeness test)."""
    return {field for _, field, _, _ in string.Formatter().parse(template) if field}
