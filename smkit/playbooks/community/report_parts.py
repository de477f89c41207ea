"""What every part of the community report shares: number formats, the
folded method note, and the sentence for a section without its data."""

from __future__ import annotations

import html
import math

import pandas as pd
from pandas.io.formats.style import Styler

from smkit import i18n, viz

from .messages import T, name
from .result import NO_TABLE, Result

SECTION_TABLES = {
    "events": ("events",),
    "redemptions": ("point_redemptions",),
    "feedback": ("feedback",),
    "personas": ("audience", "posts"),
    "potential": ("mentions",),
}


def _missing(v) -> bool:
    return v is None or (isinstance(v, float) and not math.isfinite(v)) or bool(pd.isna(v))


def _pct(v, signed: bool = False) -> str:
    return "–" if _missing(v) else i18n.percent(v, 0, signed=signed)


def _hours(v, lang: str) -> str:
    return "–" if _missing(v) else T("hours", lang, h=f"{v:.1f}")


def _method(paragraphs: list[str], lang: str) -> str:
    body = "".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs if p.strip())
    return f"<details><summary>{T('method', lang)}</summary>{body}</details>"


def _note(text: str) -> Styler:
    return viz.table(pd.DataFrame({"": [text]}), hide_index=True)


def _join(parts: list[str], lang: str) -> str:
    return ("" if lang == "zh" else " ").join(p for p in parts if p)


def type_name(code: str, lang: str) -> str:
    return name("type", code, lang)


def level_name(code: str, lang: str) -> str:
    return name("level", code, lang)


def section_note(result: Result, section: str, lang: str) -> str:
    """Why a section is empty: the store lacks its table, or the table has no rows in reach."""
    status = {"events": result.events_status, "feedback": result.feedback_status, "personas": result.personas_status, "potential": result.potential_status}.get(
        section, ""
    )
    if section == "redemptions":
        status = "" if result.economy.has_redemptions else NO_TABLE
    if not status:
        return ""
    tables = SECTION_TABLES[section]
    what = T(f"what_{section}", lang)
    if status == NO_TABLE:
        return " ".join(T("no_table", lang, table=t, what=what, export=T(f"export_{t}", lang)) for t in tables)
    return T("no_rows", lang, table=tables[0], what=what)
