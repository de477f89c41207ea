"""Risk levels from four factors, and reach: the shared definitions
(:mod:`smkit.methods.crisis`, which the operations review also uses), under
the monitor's names, and the words for them.

Levels follow the Chinese emergency-warning convention: Ⅰ级 特别重大 (红色) is
the most severe, then Ⅱ级 重大 (橙色), Ⅲ级 较大 (黄色), Ⅳ级 一般 (蓝色). An
alert carries its *severity*, a number that grows with danger (1 = Ⅳ级 ...
4 = Ⅰ级; 0 in ``summary.json`` means no alert), and reports name it with
:func:`level_name` in their language.

Each factor is compared with thresholds for Ⅲ级, Ⅱ级 and Ⅰ级 (severities 2, 3
and 4; :class:`RiskThresholds`): magnitude (peak mentions over the usual day),
negative share, velocity (the alert's busiest hour against the usual busiest
hour of a day) and reach (followers of the distinct authors of negative
mentions, each counted once). The severity is the highest at which at least
``min_factors`` factors reach their threshold; every alert is at least Ⅳ级.
Why is kept as data (:class:`Reason`) and written by :func:`reason_text`.
"""

from __future__ import annotations

from smkit import i18n
from smkit.methods.crisis import FACTORS, SEVERITIES, Reason, RiskThresholds, grades, reach, risk_level
from smkit.playbooks.reputation_monitor.messages import T

__all__ = [
    "FACTORS",
    "SEVERITIES",
    "Reason",
    "RiskThresholds",
    "factor_label",
    "factor_value",
    "grades",
    "level_name",
    "reach",
    "reason_text",
    "risk_level",
    "short_level",
]

_EN_NUMERALS = {4: "I", 3: "II", 2: "III", 1: "IV"}


def level_name(severity: int, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
    """The level's full name (Ⅱ级 重大（橙色） / Level II (orange, major)); 0 is no alert."""
    return T("no_alert_level", lang) if not severity else i18n.level_name(int(severity), lang)


def short_level(severity: int, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
    """The level's short name: Ⅱ级 / Level II."""
    numeral = i18n.LEVEL_NUMERALS[severity] if lang == "zh" else _EN_NUMERALS[severity]
    return T("short_level", lang, numeral=numeral)


def factor_label(factor: str, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
    return T(f"factor_{factor}", lang)


def factor_value(factor: str, value: float, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
    """A factor's value or threshold as a reader writes it: 70%, 2.5倍 / 2.5x, 200万 / 2,000,000 followers."""
    if factor == "negative_share":
        return i18n.percent(value, 0)
    if factor == "reach":
        return i18n.count(value, lang)
    return T("times", lang, value=f"{value:.1f}")


def reason_text(reason: Reason, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
    """One factor's part in the level, as a sentence in ``lang``:
    ``负面占比 70% ≥ 65%（达Ⅰ级）`` / ``negative share 70% ≥ 65% (Level I)``."""
    factor = factor_label(reason.factor, lang)
    if reason.met:
        return T(
            "reason_met",
            lang,
            factor=factor,
            value=factor_value(reason.factor, reason.value, lang),
            threshold=factor_value(reason.factor, reason.threshold, lang),
            level=short_level(reason.severity, lang),
        )
    if reason.value is None:
        return T("reason_unknown", lang, factor=factor, level=short_level(2, lang))
    return T("reason_below", lang, factor=factor, value=factor_value(reason.factor, reason.value, lang), level=short_level(2, lang))
