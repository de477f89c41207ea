"""The community report's growth tasks and potential users (see :mod:`.report`)."""

from __future__ import annotations

import pandas as pd
from pandas.io.formats.style import Styler

from smkit import i18n, viz

from .messages import T
from .report_parts import _method, _missing, _note, section_note
from .result import NO_BRAND, NO_ROWS, Result


def _share(v) -> str:
    """A task's share: one decimal below 10%, where rare tasks would all read 0%."""
    return "–" if _missing(v) else i18n.percent(v, 1 if v < 0.1 else 0)


def _task_name(row, lang: str) -> str:
    return viz.escape(row["name_zh"] if lang == "zh" else row["name_en"])


def tasks_text(result: Result, lang: str) -> str:
    t = result.tasks[result.tasks["measured"]] if len(result.tasks) else result.tasks
    if t.empty or not t["members"].iloc[0]:
        return T("tasks_none", lang)
    t = t.sort_values("share", kind="stable")
    best, worst = t.iloc[-1], t.iloc[0]
    return T(
        "tasks_text",
        lang,
        active=i18n.whole_count(best["members"], lang),
        best=_task_name(best, lang),
        best_share=_share(best["share"]),
        worst=_task_name(worst, lang),
        worst_share=_share(worst["share"]),
    )


def tasks_table(result: Result, lang: str) -> Styler:
    t = result.tasks
    if t.empty:
        return _note(T("tasks_none", lang))
    na = T("tasks_unmeasured", lang)
    table = pd.DataFrame(
        {
            T("col_task", lang): [_task_name(r, lang) for _, r in t.iterrows()],
            T("col_members", lang): [i18n.whole_count(v, lang) for v in t["members"]],
            T("col_completed", lang): [i18n.whole_count(v, lang) if m else na for v, m in zip(t["completed"], t["measured"], strict=True)],
            T("col_task_share", lang): [_share(v) if m else na for v, m in zip(t["share"], t["measured"], strict=True)],
            T("col_in_window", lang): [i18n.whole_count(v, lang) if m else na for v, m in zip(t["in_window"], t["measured"], strict=True)],
        }
    )
    return viz.table(table, caption=T("tasks_caption", lang), hide_index=True)


def potential_text(result: Result, lang: str) -> str:
    """Potential users beside active and at-risk members; one sentence when they cannot be told."""
    if not result.has_potential:
        if result.potential_status == NO_BRAND:
            return T("potential_no_brand", lang)
        if result.potential_status == NO_ROWS:
            return T("potential_no_rows", lang, brand=viz.escape(result.brand))
        return section_note(result, "potential", lang)
    p, s = result.potential, result.churn.segments
    return T(
        "potential_text",
        lang,
        engaged=i18n.whole_count(p.engaged, lang),
        brand=viz.escape(result.brand),
        members=i18n.whole_count(p.members, lang),
        potential=i18n.whole_count(p.potential, lang),
        active=i18n.whole_count(result.active, lang),
        at_risk=i18n.whole_count(s.get("at_risk", 0), lang) if s else "–",
    )


def potential_table(result: Result, lang: str) -> Styler | None:
    if not result.has_potential or result.potential.top.empty:
        return None
    t = result.potential.top.copy()
    t["platform"] = t["platform"].map(lambda p: i18n.platform(p, lang) if isinstance(p, str) else "–")
    t["last"] = t["last"].map(lambda d: "–" if _missing(d) else i18n.date(d, lang))
    t.index = [viz.escape(str(a)) for a in t.index]
    t.index.name = T("col_author", lang)
    cols = {c: T(f"col_{c}", lang) for c in ("mentions", "interactions", "followers", "platform", "last")}
    t = t.rename(columns=cols)
    fmt = {cols[c]: (lambda v: i18n.whole_count(v, lang)) for c in ("mentions", "interactions", "followers")}
    return viz.table(t, fmt, caption=T("potential_caption", lang, n=len(t)))


def potential_method(result: Result, lang: str) -> str:
    return _method([T("potential_method", lang)], lang)
