"""How the review writes one figure, name or change in the reader's language
(shared by the report modules; presentation only)."""

from __future__ import annotations

import html
import math

import pandas as pd

from smkit import i18n, viz

from .goals import METRICS
from .messages import NAMES, T

SHARES = ("share_of_voice", "negative_share", "reply_rate")
SCORES = ("net_sentiment", "mean_sentiment")


def missing(value) -> bool:
    return value is None or (isinstance(value, float) and not math.isfinite(value)) or bool(pd.isna(value))


def value(metric: str, v: float | None, lang: str) -> str:
    """A KPI's value as the reader writes it: shares in %, scores signed, hours, counts in 万 (zh)."""
    if missing(v):
        return "–"
    if metric in SHARES:
        return i18n.percent(v)
    if metric == "engagement_rate":
        return i18n.percent(v, 2)
    if metric in SCORES:
        return f"{v:+.2f}"
    if metric == "reply_hours":
        return T("hours", lang, h=f"{v:.1f}")
    return i18n.count(round(v), lang)


def change(metric: str, c: float | None, p: float | None, lang: str, alpha: float = 0.05, missing_text: str = "–") -> str:
    """A change (a difference in points for shares, signed for scores, relative
    otherwise), marked significant when its Holm-adjusted ``p`` is below ``alpha``."""
    if missing(c):
        return missing_text
    m = METRICS[metric]
    if metric in SCORES:
        text = f"{c:+.2f}"
    elif m.share:
        text = T("points", lang, v=f"{c * 100:+.1f}" if abs(c) >= 0.001 else f"{c * 100:+.2f}")
    else:
        text = i18n.percent(c, 1, signed=True)
    if p is not None and not missing(p) and p < alpha:
        return T("significant", lang, text=text)
    return text


def table(name: str, lang: str) -> str:
    """A store table as the reader calls it."""
    key = f"table_{name}"
    return NAMES(key, lang) if NAMES.has(key) else name


def precise_count(v: float, lang: str) -> str:
    """A large count whose small changes matter (followers): 173.65万 / 1,736,503."""
    if lang == "zh" and abs(v) >= 1e4:
        return f"{v / 1e8:,.4f}亿" if abs(v) >= 1e8 else f"{v / 1e4:,.2f}万"
    return i18n.count(round(v), lang)


def share(v: float | None) -> str:
    """A ratio such as attainment or a chance, as a whole percentage."""
    return "–" if missing(v) else i18n.percent(v, 0)


def kpi(metric: str, lang: str) -> str:
    return NAMES(f"kpi_{metric}", lang)


def goal_area(area: str, lang: str) -> str:
    return NAMES("goal_" + area.replace(" ", "_"), lang)


def forecast_metric(metric: str, lang: str) -> str:
    return NAMES(f"fc_{metric}", lang)


def model(code: str, lang: str) -> str:
    return NAMES(f"model_{code}", lang) if NAMES.has(f"model_{code}") else code


def level(name: str, lang: str) -> str:
    """A community level: smkit's default names in the reader's language, a level given as a parameter as it is."""
    key = f"level_{name}"
    return NAMES(key, lang) if NAMES.has(key) else str(name)


def action(code: str, lang: str) -> str:
    """A community action (post, comment ...) in words; an action without a word keeps its name (it is data)."""
    key = f"action_{code}"
    return NAMES(key, lang) if NAMES.has(key) else str(code)


def own_metric(code: str, lang: str) -> str:
    key = f"own_{code}"
    return NAMES(key, lang) if NAMES.has(key) else str(code)


def platforms(text: str, lang: str) -> str:
    """A comma-joined list of platform codes in the reader's words."""
    if not text or text == "–":
        return "–"
    return T("list_sep", lang).join(i18n.platform(p.strip(), lang) for p in str(text).split(","))


def names(items, lang: str) -> str:
    return T("list_sep", lang).join(str(i) for i in items)


def period(start, end, lang: str) -> str:
    return i18n.text("period", lang, start=i18n.date(start, lang), end=i18n.date(end, lang))


def note(text: str) -> object:
    """A table of one note, for a section with nothing to show."""
    return viz.table(pd.DataFrame({"": [text]}), hide_index=True)


def method(paragraphs: list[str], lang: str, extra_html: str = "") -> str:
    """A folded method note: ``<details>`` holding the paragraphs (escaped) and
    ``extra_html`` (a table), written without blank lines so that any Markdown
    renderer passes it through as one HTML block."""
    body = "".join(f"<p>{html.escape(p, quote=False)}</p>" for paragraph in paragraphs for p in paragraph.split("\n\n") if p.strip())
    extra = "\n".join(line for line in extra_html.splitlines() if line.strip())
    return f"<details><summary>{T('method', lang)}</summary>{body}{extra}</details>"
