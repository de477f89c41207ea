"""What readers see: tables (Stylers), figures and Markdown text, from a :class:`Result`, in the report's language.

Every ``*_table`` returns a Styler built by :func:`smkit.viz.table`, every
``*_figure`` a matplotlib Figure (:mod:`.figures`), every ``*_text`` Markdown;
each takes ``lang`` (``zh`` or ``en``, :mod:`smkit.i18n`). :func:`brief` is
the manager's summary on top of the report: no statistical vocabulary there,
the method goes into folded notes (``<details>``) in the sections.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from pandas.io.formats.style import Styler

from smkit import i18n, viz
from smkit.methods import stats
from smkit.viz import escape

from .cadence import Cadence
from .figures import cadence_figure, effects_figure, hour_figure, keywords_figure, timing_figure
from .messages import T, code, content_type, listing, platform, topic, weekday
from .model import POOLED
from .report_common import _cap, _details, _note, _parts, _per, _rate, _ratio, _reason, _slot_label, _x
from .report_themes import (
    apart_table,
    copy_table,
    copy_text,
    keywords_differ,
    keywords_table,
    plan_table,
    plan_text,
    posts_table,
    scores_text,
    themes_text,
    topics_table,
    trait,
)
from .result import Result
from .retention import LENGTHS
from .timing import MIN_HOUR_POSTS, busy_hours

__all__ = [
    "topic",
    "weekday",
    "adjusted_text",
    "apart_table",
    "brief",
    "cadence_figure",
    "cadence_reason",
    "cadence_table",
    "cadence_text",
    "completion_table",
    "completion_text",
    "copy_table",
    "copy_text",
    "data_text",
    "definitions_table",
    "effects_figure",
    "effects_table",
    "effects_text",
    "hour_figure",
    "keywords_differ",
    "keywords_figure",
    "keywords_table",
    "plan_table",
    "plan_text",
    "posts_table",
    "reads_as",
    "retention_links_table",
    "retention_table",
    "retention_text",
    "scores_text",
    "slots_table",
    "themes_text",
    "timing_figure",
    "timing_text",
    "topics_table",
    "trait",
]


def _types_sentence(result: Result, lang: str) -> str:
    e = result.effects
    if e.empty:
        return T("brief_types_nothing", lang)
    called = e[e["call"] != "unclear"].sort_values("rate_ratio", ascending=False)
    if called.empty:
        return T("brief_types_none", lang, n=len(e))
    items = T("clause_sep", lang).join(
        T(
            "brief_more" if r.call == "better" else "brief_less",
            lang,
            platform=platform(r.platform, lang),
            type=content_type(r.content_type, lang),
            reference=content_type(r.reference, lang),
            ratio=_x(r.rate_ratio),
        )
        for r in called.itertuples()
    )
    rest = len(e) - len(called)
    return _cap(T("brief_types", lang, items=items, rest=rest) if rest else T("brief_types_all", lang, items=items))


def _hour_curve(result: Result) -> tuple[pd.DataFrame, int] | None:
    """The hour curve the brief speaks of (all platforms together, or the one platform) and its best hour."""
    h = result.hours
    if h.empty:
        return None
    key = POOLED if POOLED in result.best_hours else (next(iter(result.best_hours)) if len(result.best_hours) == 1 else None)
    if key is None:
        return None
    curve = h[h["platform"] == key].set_index("hour").sort_index()
    return (curve, int(result.best_hours[key])) if len(curve) else None


def _good_hours(curve: pd.DataFrame, peak: int) -> tuple[int, int]:
    """The run of busy hours around ``peak`` that are above the average hour with their whole interval: (first, last + 1)."""
    good = (curve["ci_low"] > 1).to_numpy() & busy_hours(curve["posts"].to_numpy())
    if not good[peak]:
        return peak, peak + 1
    first = last = peak
    while first - 1 >= 0 and good[first - 1]:
        first -= 1
    while last + 1 < 24 and good[last + 1]:
        last += 1
    return first, last + 1


def _dates_only(result: Result) -> list[str]:
    """The modelled platforms whose exports give dates without times."""
    d = result.definitions
    untimed = set(d.index[~d["timed"].astype(bool)]) if "timed" in d else set()
    return sorted(untimed & set(result.grids["platform"] if not result.grids.empty else ()))


def _hours_sentence(result: Result, lang: str) -> str:
    found = _hour_curve(result)
    if found is None:
        return T("brief_hours_dates_only", lang) if result.hours.empty and _dates_only(result) else ""
    curve, peak = found
    ratio = float(curve.loc[peak, "vs_average"])
    first, end = _good_hours(curve, peak)
    peak_text = f"{peak:02d}:00–{(peak + 1) % 24:02d}:00"
    if float(curve.loc[peak, "ci_low"]) <= 1:
        return T("brief_hours_low", lang, peak=peak_text, lift=i18n.percent(ratio - 1, 0, signed=True))
    if end - first > 1:
        return T("brief_hours_range", lang, range=f"{first:02d}:00–{end % 24:02d}:00", peak=peak_text, lift=i18n.percent(ratio - 1, 0))
    return T("brief_hours_peak", lang, peak=peak_text, lift=i18n.percent(ratio - 1, 0))


def _cadence_sentence(result: Result, lang: str) -> str:
    if not result.cadences:
        return ""
    ordered = sorted(result.cadences, key=lambda c: (-c.recommended_per_week, c.platform))
    plan = T("list_sep", lang).join(T("brief_cadence_item", lang, platform=platform(c.platform, lang), n=c.recommended_per_week) for c in ordered)
    saturated = [c for c in result.cadences if c.saturated]
    if saturated:
        return T("brief_cadence_cut", lang, platforms=listing([platform(c.platform, lang) for c in saturated], lang), plan=plan)
    return T("brief_cadence_keep", lang, plan=plan)


def _plan_sentence(result: Result, lang: str) -> str:
    c = result.calendar
    if c.empty:
        return ""
    found = result.copy_findings
    if not found.empty:
        copy = T("brief_plan_copy_flag", lang, n=len(found[["date", "time", "platform", "theme"]].drop_duplicates()))
    else:
        copy = T("brief_plan_copy_ok" if result.copy_checked else "brief_plan_copy_none", lang)
    s = result.settings
    return T("brief_plan", lang, start=i18n.date(s.plan_start, lang), weeks=s.horizon_weeks, posts=i18n.count(len(c), lang), copy=copy)


def brief(result: Result, lang: str = "zh") -> str:
    """The manager's summary, three to five plain sentences with their numbers: the
    posts looked at, which content type to post more or less of where and by how
    much, the best hours, the cadence and the plan's size (Markdown, escaped)."""
    s = result.settings
    who = listing([escape(a) for a in s.accounts], lang) if s.accounts else T("brief_every_account", lang)
    used = int(result.definitions["used"].sum()) if "used" in result.definitions else 0
    scope = T(
        "brief_scope",
        lang,
        start=i18n.date(result.start, lang),
        end=i18n.date(result.end, lang),
        who=who,
        platforms=len(result.definitions),
        posts=i18n.count(used, lang),
    )
    if not result.has_models:
        return f"{scope} {T('brief_nothing', lang)}"
    sentences = [scope, _types_sentence(result, lang), _hours_sentence(result, lang), _cadence_sentence(result, lang), _plan_sentence(result, lang)]
    return " ".join(x for x in sentences if x) if lang == "en" else "".join(x for x in sentences if x)


# --------------------------------------------------------------------------- the data


def data_text(result: Result, lang: str = "zh") -> str:
    """Whose posts, on which platforms, over which days, and how engagement is measured."""
    s = result.settings
    who = listing([escape(a) for a in s.accounts], lang) if s.accounts else T("brief_every_account", lang)
    text = T(
        "data_text",
        lang,
        who=who,
        where=T("list_sep", lang).join(platform(p, lang) for p in result.definitions.index),
        start=i18n.date(result.start, lang),
        end=i18n.date(result.end, lang),
        used=i18n.count(int(result.definitions["used"].sum()), lang),
        per=_per(s.per, lang),
    )
    if result.notes:
        items = T("clause_sep", lang).join(
            T("data_not_modelled_item", lang, platform=platform(p, lang), reason=_reason(r, lang)) for p, r in result.notes.items()
        )
        text += (" " if lang == "en" else "") + T("data_not_modelled", lang, items=items)
    return text


def definitions_table(result: Result, lang: str = "zh") -> Styler:
    d = result.definitions
    shown = pd.DataFrame(
        {
            T("col_platform", lang): [platform(p, lang) for p in d.index],
            T("col_interactions_counted", lang): [_parts(i, lang) for i in d["interactions"]],
            T("col_engagement_rate", lang): [T("fallback", lang, label=_per(p, lang)) if f else _per(p, lang) for p, f in zip(d["per"], d["fallback"])],
            T("col_posts", lang): d["posts"].to_numpy(),
            T("col_posts_used", lang): d["used"].to_numpy(),
        }
    )
    number = lambda v: i18n.count(v, lang)  # noqa: E731
    return viz.table(shown.set_index(T("col_platform", lang)), {T("col_posts", lang): number, T("col_posts_used", lang): number})


# --------------------------------------------------------------------------- content types


def reads_as(call: str, low: float, high: float, lang: str = "zh") -> str:
    """How a comparison reads: its call after Holm, or no clear difference (saying so when the interval alone excludes 1)."""
    if call != "unclear":
        return code("call", call, lang)
    if low > 1 or high < 1:
        return T("call_hint", lang)
    return T("call_unclear", lang)


def effects_table(result: Result, lang: str = "zh") -> Styler:
    e = result.effects
    if e.empty:
        return _note(T("effects_none", lang), lang)
    shown = pd.DataFrame(
        {
            T("col_platform", lang): [platform(p, lang) for p in e["platform"]],
            T("col_type", lang): [content_type(t, lang) for t in e["content_type"]],
            T("col_against", lang): [content_type(t, lang) for t in e["reference"]],
            T("col_posts_pair", lang): [f"{a:,} / {b:,}" for a, b in zip(e["posts"], e["reference_posts"])],
            T("col_rate_ratio", lang): [_ratio(r, lo, hi, lang) for r, lo, hi in zip(e["rate_ratio"], e["ci_low"], e["ci_high"])],
            T("col_p_holm", lang): e["p_holm"].map(stats.format_p).to_numpy(),
            T("col_reads_as", lang): [reads_as(c, lo, hi, lang) for c, lo, hi in zip(e["call"], e["ci_low"], e["ci_high"])],
        }
    )
    return viz.table(shown.set_index([T("col_platform", lang), T("col_type", lang)]))


def adjusted_text(effects: pd.DataFrame, lang: str = "zh") -> str:
    """What the ratios hold constant, per platform where the models differ."""

    def words(names: str) -> str:
        return listing([code("adj", n.strip(), lang) for n in names.split(",")], lang)

    groups = effects.groupby("adjusted_for", sort=False)["platform"].agg(lambda p: sorted(set(p)))
    if len(groups) == 1:
        return T("effects_adjusted_one", lang, names=words(groups.index[0]))
    order = sorted(groups.items(), key=lambda kv: -len(kv[0].split(",")))
    parts = T("clause_sep", lang).join(
        T("effects_adjusted_part", lang, names=words(names), platform=T("list_sep", lang).join(platform(p, lang) for p in platforms))
        for names, platforms in order
    )
    return T("effects_adjusted_many", lang, parts=parts)


def effects_text(result: Result, lang: str = "zh") -> str:
    """The section's finding (the types called better or worse, the rest kept), then the method in a folded note."""
    e = result.effects
    lead = T("finding", lang) + " "
    if e.empty:
        if result.notes and len(result.notes) >= len(result.definitions):
            return lead + T("effects_nothing_modelled", lang)
        return lead + T("effects_one_type", lang)
    clear = e[e["call"] != "unclear"]
    sep = " " if lang == "en" else ""
    text = lead
    if len(clear):
        items = T("clause_sep", lang).join(
            T(
                "effects_item",
                lang,
                platform=platform(r.platform, lang),
                type=content_type(r.content_type, lang),
                reference=content_type(r.reference, lang),
                ratio=_x(r.rate_ratio),
                low=_x(r.ci_low),
                high=_x(r.ci_high),
            )
            for r in clear.itertuples()
        )
        text += _cap(T("effects_called", lang, items=items)) + sep
    rest = len(e) - len(clear)
    if rest:
        text += T("effects_rest" if len(clear) else "effects_rest_all", lang, n=rest)
    method = []
    if len(e) > 1:
        method.append(T("effects_holm", lang, n=len(e)))
    lucky = e[(e["call"] == "unclear") & ((e["ci_low"] > 1) | (e["ci_high"] < 1))]
    if not lucky.empty:
        hints = T("list_sep", lang).join(
            T(
                "effects_hint_item",
                lang,
                platform=platform(r.platform, lang),
                type=content_type(r.content_type, lang),
                ratio=_ratio(r.rate_ratio, r.ci_low, r.ci_high, lang),
            )
            for r in lucky.itertuples()
        )
        method.append(T("effects_hint", lang, items=hints))
    method.append(adjusted_text(e, lang))
    return text.rstrip() + _details(sep.join(method), lang)


def completion_table(result: Result, lang: str = "zh") -> Styler:
    c = result.completion
    if c.empty:
        return _note(T("completion_none_table", lang), lang)
    shown = pd.DataFrame(
        {
            T("col_platform", lang): [platform(p, lang) for p in c["platform"]],
            T("col_form", lang): [code("form", f, lang) for f in c["form"]],
            T("col_type", lang): [content_type(t, lang) for t in c["content_type"]],
            T("col_posts", lang): c["posts"].to_numpy(),
            T("col_completion", lang): [_pct_interval(m, lo, hi, lang) for m, lo, hi in zip(c["completion_rate"], c["ci_low"], c["ci_high"])],
            T("col_vs_usual", lang): [
                T("completion_reference", lang)
                if t == r
                else (T("completion_diff", lang, diff=f"{d * 100:+.1f}", p=stats.format_p(p)) if np.isfinite(d) else T("completion_few", lang))
                for t, r, d, p in zip(c["content_type"], c["reference"], c["difference"], c["p_value"])
            ],
        }
    )
    return viz.table(shown.set_index([T("col_platform", lang), T("col_form", lang), T("col_type", lang)]))


def completion_text(result: Result, lang: str = "zh") -> str:
    c = result.completion
    lead = T("finding", lang) + " "
    if c.empty:
        return lead + T("completion_none", lang)
    diffs = c[c["p_value"].notna()]
    clear = diffs[diffs["p_value"] < result.settings.alpha]
    if clear.empty:
        return lead + T("completion_same", lang)
    items = T("clause_sep", lang).join(
        T(
            "completion_item",
            lang,
            platform=platform(r.platform, lang),
            type=content_type(r.content_type, lang),
            reference=content_type(r.reference, lang),
            diff=f"{abs(r.difference) * 100:.1f}",
            direction=T("more" if r.difference > 0 else "less", lang),
        )
        for r in clear.itertuples()
    )
    return lead + _cap(items) + ("." if lang == "en" else "。")


# --------------------------------------------------------------------------- retention and cover


def _pct_interval(m: float, lo: float, hi: float, lang: str) -> str:
    return f"{m:.1%} [{lo:.1%}, {hi:.1%}]" if np.isfinite(lo) else f"{m:.1%}{T('one_post', lang)}"


def _group(by: str, group: str, lang: str) -> str:
    if by == "length":
        labels = [label for _, _, label in LENGTHS]
        return T("by_length", lang, group=T(f"length_{labels.index(group)}", lang) if group in labels else escape(group))
    return T("by_type", lang, group=content_type(group, lang))


def _outcome(outcome: str, measure: str, lang: str) -> str:
    if outcome == "engagement":
        return T("outcome_engagement", lang)
    return T("outcome_impressions" if measure.startswith("impressions") else "outcome_views", lang)


def retention_table(result: Result, lang: str = "zh") -> Styler:
    """Each retention or cover metric by content type and by video length, per platform that exports it."""
    r = result.retention
    if r.empty:
        return _note(T("retention_none_table", lang), lang)
    shown = pd.DataFrame(
        {
            T("col_platform", lang): [platform(p, lang) for p in r["platform"]],
            T("col_metric", lang): [code("metric", m, lang) for m in r["metric"]],
            T("col_by", lang): [_group(b, g, lang) for b, g in zip(r["by"], r["group"])],
            T("col_posts", lang): r["posts"].to_numpy(),
            T("col_mean", lang): [_pct_interval(m, lo, hi, lang) for m, lo, hi in zip(r["mean"], r["ci_low"], r["ci_high"])],
        }
    )
    return viz.table(shown.set_index([T("col_platform", lang), T("col_metric", lang), T("col_by", lang)]))


def retention_links_table(result: Result, lang: str = "zh") -> Styler:
    """Engagement and distribution of posts above their platform-and-type median of each metric, against those below."""
    k = result.retention_links
    if k.empty:
        return _note(T("links_none_table", lang), lang)
    shown = pd.DataFrame(
        {
            T("col_platform", lang): [platform(p, lang) for p in k["platform"]],
            T("col_metric_above", lang): [code("metric", m, lang) for m in k["metric"]],
            T("col_outcome", lang): [_outcome(o, m, lang) for o, m in zip(k["outcome"], k["measure"])],
            T("col_posts_above_below", lang): [f"{a:,} / {b:,}" for a, b in zip(k["high_posts"], k["low_posts"])],
            T("col_ratio", lang): [_ratio(v, lo, hi, lang) for v, lo, hi in zip(k["ratio"], k["ci_low"], k["ci_high"])],
            T("col_p_holm_all", lang): k["p_holm"].map(stats.format_p).to_numpy(),
            T("col_reads_as", lang): [code("call", c, lang) for c in k["call"]],
        }
    )
    return viz.table(shown.set_index([T("col_platform", lang), T("col_metric_above", lang), T("col_outcome", lang)]))


def retention_text(result: Result, lang: str = "zh") -> str:
    lead = T("finding", lang) + " "
    if not result.has_retention:
        return lead + T("retention_none", lang)
    k = result.retention_links
    clear = k[k["call"] != "unclear"]
    where = T("list_sep", lang).join(platform(p, lang) for p in sorted(result.retention["platform"].unique()))
    text = lead + T("retention_where", lang, where=where) + (" " if lang == "en" else "")
    if clear.empty:
        return text + T("retention_unclear", lang)
    items = T("clause_sep", lang).join(
        T(
            "retention_item",
            lang,
            metric=code("metric", r.metric, lang),
            platform=platform(r.platform, lang),
            outcome=_outcome(r.outcome, r.measure, lang),
            ratio=_x(r.ratio),
            low=_x(r.ci_low),
            high=_x(r.ci_high),
        )
        for r in clear.itertuples()
    )
    return text + _cap(T("retention_clear", lang, items=items))


# --------------------------------------------------------------------------- posting time


def _how_sure(confident: bool, thin: bool, shared: bool, lang: str) -> str:
    if confident:
        return T("sure_confident", lang)
    if shared:
        return T("sure_shared", lang)
    return T("sure_thin" if thin else "sure_estimate", lang)


def slots_table(result: Result, lang: str = "zh") -> Styler:
    s = result.slots
    if s.empty:
        return _note(T("slots_none", lang), lang)
    per = result.definitions["per"].to_dict()
    shown = pd.DataFrame(
        {
            T("col_platform", lang): [platform(p, lang) for p in s["platform"]],
            T("col_slot", lang): [_slot_label(w, h, lang, t) for w, h, t in zip(s["weekday"], s["hour"], s["timed"])],
            T("col_expected", lang): [_rate(r, per.get(p, "none"), lang) for r, p in zip(s["expected_rate"], s["platform"])],
            T("col_vs_average", lang): [
                _ratio(v, lo, hi, lang) for v, lo, hi in zip(s["vs_average"] * s["deviation"], s["vs_low"] * s["deviation"], s["vs_high"] * s["deviation"])
            ],
            T("col_posts_in_slot", lang): s["posts"].to_numpy(),
            T("col_how_sure", lang): [_how_sure(c, t, sh, lang) for c, t, sh in zip(s["confident"], s["thin"], s["shared"])],
        }
    )
    return viz.table(shown.set_index([T("col_platform", lang), T("col_slot", lang)]))


def timing_text(result: Result, lang: str = "zh") -> str:
    """The section's finding (the peak hours, the confident slots), then what the thin and borrowed slots mean, folded."""
    g, hours = result.grids, result.best_hours
    lead = T("finding", lang) + " "
    if g.empty:
        return lead + T("timing_none", lang)
    sep = " " if lang == "en" else ""
    text = lead
    undated = _dates_only(result)
    if undated:  # first: it bounds what the rest can say
        names = T("list_sep", lang).join(platform(p, lang) for p in undated)
        alone = g[g["platform"].isin(undated) & ~g["shared"].astype(bool)]
        text += T("timing_dates_only", lang, platforms=names) + sep
        text += T("timing_dates_only_alone" if len(alone) else "timing_dates_only_shared", lang) + sep
    found = _hour_curve(result)
    if found is not None:
        curve, peak = found
        first, end = _good_hours(curve, peak)
        text += (
            T(
                "timing_peak" if POOLED in hours else "timing_peak_one",
                lang,
                range=f"{first:02d}:00–{end % 24:02d}:00",
                peak=f"{peak:02d}:00–{(peak + 1) % 24:02d}:00",
                ratio=_x(curve.loc[peak, "vs_average"]),
                low=_x(curve.loc[peak, "ci_low"]),
                high=_x(curve.loc[peak, "ci_high"]),
            )
            + sep
        )
    sure = g[g["confident"] & g["timed"]]  # a date-only platform's slots have no hours to name
    if sure.empty:
        text += T("timing_none_sure", lang)
    else:
        by = sure.groupby("platform")["hour"].agg(["min", "max", "size"])
        items = T("clause_sep", lang).join(
            T("timing_sure_item", lang, platform=platform(p, lang), n=int(r["size"]), start=f"{int(r['min']):02d}:00", end=f"{int(r['max']) + 1:02d}:00")
            for p, r in by.iterrows()
        )
        text += T("timing_sure", lang, items=items)
    method = []
    shared = sorted(set(g.loc[g["shared"].astype(bool), "platform"]) - set(undated)) if "shared" in g else []
    if shared:
        method.append(T("timing_shared", lang, platforms=T("list_sep", lang).join(platform(p, lang) for p in shared), n=MIN_HOUR_POSTS))
    hourly = g[g["timed"]]  # the slots that have hours
    if len(hourly):
        method.append(T("timing_thin", lang, thin=int(hourly["thin"].sum()), total=len(hourly)))
    return text + (_details(sep.join(method), lang) if method else "")


# --------------------------------------------------------------------------- cadence


def cadence_reason(c: Cadence, lang: str = "zh") -> str:
    """Why the plan posts ``c.recommended_per_week`` times a week on the platform."""
    if not c.modelled:
        return T("cadence_reason_unmodelled", lang)
    if c.saturated:
        return T("cadence_reason_saturated", lang, n=c.saturated_beyond)
    return T("cadence_reason_keep", lang, n=c.max_per_day)


def cadence_table(result: Result, lang: str = "zh") -> Styler:
    if not result.cadences:
        return _note(T("slots_none", lang), lang)
    rows = [
        {
            T("col_platform", lang): platform(c.platform, lang),
            T("col_per_week_now", lang): f"{c.current_per_week:.1f}",
            T("col_max_day", lang): c.max_per_day,
            T("col_doubling", lang): "–" if not c.modelled else f"{2**c.elasticity - 1:+.0%} [{2**c.ci_low - 1:+.0%}, {2**c.ci_high - 1:+.0%}]",
            T("col_recommended", lang): c.recommended_per_week,
            T("col_why", lang): cadence_reason(c, lang),
        }
        for c in result.cadences
    ]
    return viz.table(pd.DataFrame(rows).set_index(T("col_platform", lang)))


def cadence_text(result: Result, lang: str = "zh") -> str:
    if not result.cadences:
        return ""
    saturated = [c for c in result.cadences if c.saturated]
    plan = T("list_sep", lang).join(T("brief_cadence_item", lang, platform=platform(c.platform, lang), n=c.recommended_per_week) for c in result.cadences)
    if saturated:
        head = T("cadence_saturated", lang, platforms=listing([platform(c.platform, lang) for c in saturated], lang))
    else:
        head = T("cadence_keep", lang)
    return T("finding", lang) + " " + T("cadence_text", lang, head=head, plan=plan)


# --------------------------------------------------------------------------- themes
