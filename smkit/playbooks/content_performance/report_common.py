"""Helpers the content report's modules share: notes, folds and number words."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
from pandas.io.formats.style import Styler

from smkit import viz
from smkit.methods import copy_check
from smkit.viz import escape

from .messages import T, code, weekday

_RULE_CODES = {name: rule for rule, name in copy_check.RULE_NAMES.items()}  # the Chinese rule name a finding carries -> its code


def _note(text: str, lang: str) -> Styler:
    """A one-cell table saying why there is nothing to show."""
    return viz.table(pd.DataFrame({T("note", lang): [text]}), hide_index=True)


def _cap(text: str) -> str:
    """The sentence with its first letter capitalised (past any Markdown emphasis)."""
    i = len(text) - len(text.lstrip("*"))
    return text[:i] + text[i : i + 1].upper() + text[i + 1 :]


def _details(body: str, lang: str, key: str = "details") -> str:
    """A folded note in Markdown output (a blank line on each side so the body is still Markdown)."""
    return f"\n\n<details><summary>{T(key, lang)}</summary>\n\n{body}\n\n</details>\n"


def _x(value: float) -> str:
    return f"{value:.2f}"


def _ratio(value: float, low: float, high: float, lang: str) -> str:
    if not (np.isfinite(low) and np.isfinite(high)):
        return f"×{value:.2f}{T('no_spread', lang)}"
    return f"×{value:.2f} [{low:.2f}, {high:.2f}]"


def _slot_label(day: int, hour: int, lang: str, timed: bool = True) -> str:
    if not timed:  # the export gave the date only
        return T("slot_day", lang, weekday=weekday(day, lang))
    return T("slot", lang, weekday=weekday(day, lang), start=f"{int(hour):02d}:00", end=f"{(int(hour) + 1) % 24:02d}:00")


def _per(per: str, lang: str) -> str:
    return code("per", per, lang)


def _rate(rate: float, per: str, lang: str) -> str:
    """An engagement rate per 1,000 of the exposure, with its unit."""
    return T("rate_value", lang, value=f"{1000 * rate:,.2f}", unit=_per(per, lang))


def _parts(text: str, lang: str) -> str:
    """``likes + comments`` in words."""
    if text == "none reported":
        return T("parts_none", lang)
    return T("list_sep", lang).join(code("part", p.strip(), lang) for p in text.split("+"))


def _reason(text: str, lang: str) -> str:
    """Why a platform has no model, in the report's language (an unknown reason as it is)."""
    m = re.match(r"(\d+) posts with engagement and exposure; at least (\d+)", text)
    if m:
        return T("note_few_posts", lang, n=m[1], need=m[2])
    if text.startswith("every post has zero interactions"):
        return T("note_zero", lang)
    if text.startswith("the model could not be estimated"):
        return T("note_singular", lang)
    return escape(text)


def _differs(frame: pd.DataFrame) -> pd.Series:
    """Rows whose interval excludes 1 (a row without an interval differs from nothing)."""
    return (frame["ci_low"].fillna(1) > 1) | (frame["ci_high"].fillna(1) < 1)


# --------------------------------------------------------------------------- the brief
