"""The community report in the reader's language: the brief, then per section
a finding (Markdown), its tables (Styler) or figure, and a folded method
note. A section without its data is one sentence naming the export it needs."""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure
from pandas.io.formats.style import Styler

from smkit import i18n, viz

from .messages import T, name
from .needs import EXPORTS  # noqa: F401  (the run layer's wording of each export)
from .report_members import potential_method, potential_table, potential_text, tasks_table, tasks_text  # noqa: F401
from .report_parts import SECTION_TABLES, _hours, _join, _method, _missing, _note, _pct, level_name, section_note, type_name  # noqa: F401
from .result import Result

# ---------------------------------------------------------------- the brief


def brief(result: Result, lang: str) -> str:
    """Three to five plain sentences with their numbers."""
    period = i18n.text("period", lang, start=i18n.date(result.start, lang), end=i18n.date(result.end, lang))
    days = (result.end - result.start).days + 1
    change = T("brief_change", lang, change=_pct(result.active / result.active_previous - 1, signed=True)) if result.active_previous else ""
    parts = [T("brief_active", lang, period=period, days=days, active=i18n.count(result.active, lang), change=change)]
    if result.has_events:
        types = result.events.per_type[result.events.per_type["metric"] == "active"]
        works = types[types["significant"] & (types["relative_lift"] > 0)]
        null = types[~types["significant"]]
        text_works = "".join(
            T("brief_events_works", lang, type=type_name(r.type, lang), lift=_pct(r.relative_lift), low=_pct(r.ci_low), high=_pct(r.ci_high))
            for r in works.itertuples()
        ) or T("brief_events_none_work", lang)
        text_null = (
            T("brief_events_null", lang, types=T("list_sep", lang).join(type_name(t, lang) for t in null["type"]))
            if len(null)
            else T("brief_events_all_work", lang)
        )
        n = result.events.per_event["event_id"].nunique()
        parts.append(T("brief_events", lang, n=n, works=text_works, null=text_null))
    e = result.economy
    parts.append(
        T(
            "brief_points",
            lang,
            outstanding=i18n.count(round(e.outstanding), lang),
            liability=i18n.money(e.liability, lang),
            value=i18n.money(result.yuan_per_point, lang, decimals=2),
            earned=i18n.count(round(e.earned), lang),
            redeemed=i18n.count(round(e.redeemed), lang),
        )
    )
    c = result.churn
    if c.auc is not None:
        parts.append(T("brief_churn", lang, auc=f"{c.auc:.2f}", at_risk=i18n.count(c.segments.get("at_risk", 0), lang)))
    else:
        parts.append(T("brief_churn_none", lang))
    if result.has_feedback:
        per = result.feedback.per_category.dropna(subset=["median_hours_to_resolution"])
        if len(per):
            slow = per.sort_values("median_hours_to_resolution").iloc[-1]
            parts.append(
                T(
                    "brief_feedback",
                    lang,
                    n=i18n.count(result.feedback.received, lang),
                    open=i18n.count(result.feedback.open, lang),
                    slow=category(slow["category"], lang),
                    hours=_hours(slow["median_hours_to_resolution"], lang),
                )
            )
    return _join(parts, lang)


def category(code: str, lang: str) -> str:
    return T("category_other", lang) if code == "other" else viz.escape(code)


# ---------------------------------------------------------------- events


def events_text(result: Result, lang: str) -> str:
    if not result.has_events:
        return section_note(result, "events", lang)
    ev = result.events
    types = ev.per_type[ev.per_type["metric"] == "active"]
    lines = []
    for r in types.itertuples():
        verdict = T("events_works" if r.significant and r.relative_lift > 0 else "events_hurts" if r.significant else "events_nothing", lang)
        lines.append(
            T(
                "events_type",
                lang,
                type=type_name(r.type, lang),
                n=r.events,
                lift=_pct(r.relative_lift, True),
                low=_pct(r.ci_low, True),
                high=_pct(r.ci_high, True),
                verdict=verdict,
            )
        )
    sep = "；" if lang == "zh" else "; "
    joined = sep.join(lines)
    joined = joined[:1].upper() + joined[1:]  # a sentence of its own in English
    text = T("events_text", lang, interval=i18n.percent(ev.interval, 0), types=joined + ("。" if lang == "zh" else "."))
    if len(ev.skipped):
        text += ("" if lang == "zh" else " ") + T("events_skipped", lang, n=len(ev.skipped), days=result.pre_days)
    return text


def events_table(result: Result, lang: str) -> Styler:
    if not result.has_events:
        return _note(section_note(result, "events", lang))
    pe = result.events.per_event
    pe = pe[pe["metric"] == "active"]
    verdict = pe.apply(
        lambda r: T("events_works" if r["significant"] and r["relative_lift"] > 0 else "events_hurts" if r["significant"] else "events_nothing", lang), axis=1
    )
    table = pd.DataFrame(
        {
            T("col_event", lang): pe["name"].fillna(pe["event_id"]).astype(str),
            T("col_type", lang): pe["type"].map(lambda t: type_name(t, lang)),
            T("col_date", lang): pe["first"].map(lambda d: i18n.date(d, lang)),
            T("col_actual", lang): pe["actual"],
            T("col_predicted", lang): pe["predicted"],
            T("col_lift", lang): pe["relative_lift"].map(lambda v: _pct(v, True)),
            T("col_interval", lang): [T("interval", lang, low=_pct(a, True), high=_pct(b, True)) for a, b in zip(pe["ci_low"], pe["ci_high"], strict=True)],
            T("col_verdict", lang): verdict,
        }
    )
    fmt = {T("col_actual", lang): lambda v: i18n.whole_count(v, lang), T("col_predicted", lang): lambda v: i18n.whole_count(v, lang)}
    return viz.table(table, fmt, caption=T("events_caption", lang), hide_index=True)


def types_table(result: Result, lang: str) -> Styler:
    if not result.has_events:
        return _note(section_note(result, "events", lang))
    pt = result.events.per_type
    table = pd.DataFrame(
        {
            T("col_type", lang): pt["type"].map(lambda t: type_name(t, lang)),
            T("col_metric", lang): pt["metric"].map(lambda m: T(f"metric_{m}", lang)),
            T("col_events", lang): pt["events"],
            T("col_lift", lang): pt["relative_lift"].map(lambda v: _pct(v, True)),
            T("col_interval", lang): [T("interval", lang, low=_pct(a, True), high=_pct(b, True)) for a, b in zip(pt["ci_low"], pt["ci_high"], strict=True)],
            T("col_verdict", lang): [
                T("events_works" if s and v > 0 else "events_hurts" if s else "events_nothing", lang)
                for s, v in zip(pt["significant"], pt["relative_lift"], strict=True)
            ],
        }
    )
    return viz.table(table, caption=T("types_caption", lang), hide_index=True)


def events_figure(result: Result, lang: str) -> Figure:
    """Daily active members over the window and its pre-period, event days marked."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 3.2))
    ax.plot(result.daily.index, result.daily["active"], color="#2F6DB5", linewidth=1, label=T("fig_active", lang))
    if result.has_events:
        colours = {}
        palette = ("#E07B39", "#6B8E23", "#8E44AD", "#C0392B", "#16A085", "#7F8C8D", "#D4AC0D")
        for r in result.events.per_event.drop_duplicates("event_id").itertuples():
            colour = colours.setdefault(r.type, palette[len(colours) % len(palette)])
            ax.axvline(r.first, color=colour, alpha=0.6, linewidth=1)
        for kind, colour in colours.items():
            ax.plot([], [], color=colour, label=type_name(kind, lang))
    ax.set_title(T("fig_daily", lang), fontsize="medium", loc="left")
    i18n.count_axis(ax, lang)
    i18n.date_axis(ax, lang)
    ax.legend(fontsize="small", frameon=False, loc="upper left", ncol=3)
    plt.close(fig)
    return fig


def events_method(result: Result, lang: str) -> str:
    return _method([T("events_method", lang, days=result.pre_days)], lang)


# ---------------------------------------------------------------- points and levels


def points_text(result: Result, lang: str) -> str:
    e = result.economy
    text = T(
        "points_text",
        lang,
        earned=i18n.whole_count(e.earned, lang),
        redeemed=i18n.whole_count(e.redeemed, lang),
        redeemers=i18n.whole_count(e.redeemers, lang),
        expired=i18n.whole_count(e.expired_total, lang),
        outstanding=i18n.whole_count(e.outstanding, lang),
        liability=i18n.money(e.liability, lang),
        value=i18n.money(result.yuan_per_point, lang, decimals=2),
        window=result.level_window_days,
        rose=i18n.whole_count(e.rose, lang),
        fell=i18n.whole_count(e.fell, lang),
    )
    if not e.has_redemptions:
        text += ("" if lang == "zh" else " ") + T("points_no_redemptions", lang)
    return text


def levels_table(result: Result, lang: str) -> Styler:
    e = result.economy
    t = e.levels.join(e.by_level[["earned", "redeemed", "rate"]])
    t.index = [level_name(n, lang) for n in t.index]
    t.index.name = T("col_level", lang)
    cols = {
        "at start": T("col_at_start", lang),
        "at end": T("col_at_end", lang),
        "earned": T("col_earned", lang),
        "redeemed": T("col_redeemed", lang),
        "rate": T("col_rate", lang),
    }
    t = t.rename(columns=cols)
    fmt = {v: (lambda x: i18n.whole_count(x, lang)) for k, v in cols.items() if k != "rate"}
    fmt[cols["rate"]] = _pct
    return viz.table(t, fmt, caption=T("levels_caption", lang))


def rewards_table(result: Result, lang: str) -> Styler:
    e = result.economy
    if not e.has_redemptions:
        return _note(section_note(result, "redemptions", lang))
    t = e.rewards.copy()
    t.index.name = T("col_reward", lang)
    t = t.rename(columns={"redemptions": T("col_redemptions", lang), "points": T("col_points", lang)})
    return viz.table(t, lambda x: i18n.whole_count(x, lang), caption=T("rewards_caption", lang))


def benefits_text(result: Result, lang: str) -> str:
    b = result.economy.benefits
    b = b[b["members"] > 0] if len(b) else b
    if b.empty:
        return ""
    hi, lo = b.iloc[-1], b.iloc[0]
    return T(
        "benefits_text",
        lang,
        best=level_name(hi.name, lang),
        share=_pct(hi["share"]),
        per=i18n.whole_count(hi["per_member"], lang),
        low=level_name(lo.name, lang),
        low_share=_pct(lo["share"]),
    )


def benefits_table(result: Result, lang: str) -> Styler:
    b = result.economy.benefits
    if not result.economy.has_redemptions or b.empty:
        return _note(section_note(result, "redemptions", lang))
    t = b.copy()
    t.index = [level_name(n, lang) for n in t.index]
    t.index.name = T("col_level", lang)
    cols = {
        k: T(f"col_{v}", lang)
        for k, v in (("members", "members"), ("redeemers", "redeemers"), ("share", "share_redeemed"), ("points", "points"), ("per_member", "per_member"))
    }
    t = t.rename(columns=cols)
    fmt = {v: (lambda x: i18n.whole_count(x, lang)) for k, v in cols.items() if k != "share"}
    fmt[cols["share"]] = _pct
    return viz.table(t, fmt, caption=T("benefits_caption", lang))


def points_method(result: Result, lang: str) -> str:
    window = result.level_window_days
    return _method(
        [T("points_method", lang, expiry=result.expiry_days, file=result.rules_file_name, window=window), T("benefits_method", lang, window=window)], lang
    )


# ---------------------------------------------------------------- growth


def growth_text(result: Result, lang: str) -> str:
    f = result.funnel
    if len(f) < 2:
        return T("growth_none", lang)
    last = f.iloc[-2]  # the last complete month (the latest is still filling)
    days_active = T("days", lang, d=f"{last['days_to_active']:.0f}") if not _missing(last["days_to_active"]) else "–"
    return T(
        "growth_text",
        lang,
        active=_pct(last["active_share"]),
        core=_pct(last["core_share"]),
        days=result.active_days,
        contrib=result.core_contributions,
        to_active=days_active,
    )


def funnel_table(result: Result, lang: str) -> Styler:
    f = result.funnel.tail(12)
    if f.empty:
        return _note(T("growth_none", lang))
    t = f.copy()
    t.index = [f"{d.year}年{d.month}月" if lang == "zh" else f"{d:%b %Y}" for d in t.index]
    t.index.name = T("col_month", lang)
    cols = {
        "newcomers": T("col_newcomers", lang),
        "active_share": T("col_active_share", lang),
        "days_to_active": T("col_days_active", lang),
        "core_share": T("col_core_share", lang),
        "days_to_core": T("col_days_core", lang),
    }
    t = t.rename(columns=cols)
    days = lambda v: "–" if _missing(v) else f"{v:.0f}"  # noqa: E731
    fmt = {
        cols["newcomers"]: lambda v: i18n.whole_count(v, lang),
        cols["active_share"]: _pct,
        cols["core_share"]: _pct,
        cols["days_to_active"]: days,
        cols["days_to_core"]: days,
    }
    return viz.table(t, fmt, caption=T("funnel_caption", lang))


def growth_method(result: Result, lang: str) -> str:
    return _method(
        [T("growth_method", lang, days=result.active_days, contrib=result.core_contributions), T("tasks_method", lang, file=result.tasks_file_name)], lang
    )


# ---------------------------------------------------------------- members at risk


def churn_text(result: Result, lang: str) -> str:
    c = result.churn
    if c.auc is None:
        return T("churn_none_one_class" if c.reason == "one_class" else "churn_none_history", lang)
    s = c.segments
    return T(
        "churn_text",
        lang,
        cutoff=i18n.date(c.test_cutoff, lang),
        members=i18n.whole_count(c.test_members, lang),
        churned=i18n.whole_count(c.test_churned, lang),
        auc=f"{c.auc:.2f}",
        active=i18n.whole_count(s.get("active", 0), lang),
        at_risk=i18n.whole_count(s.get("at_risk", 0), lang),
        lapsing=i18n.whole_count(s.get("lapsing", 0), lang),
    )


def at_risk_table(result: Result, lang: str) -> Styler:
    t = result.churn.at_risk.copy()
    if t.empty:
        return _note(churn_text(result, lang))
    t["platform"] = t["platform"].map(lambda p: i18n.platform(p, lang) if isinstance(p, str) else "–")
    cols = {
        "risk": T("col_risk", lang),
        "recency": T("col_recency", lang),
        "frequency": T("col_frequency", lang),
        "trend": T("col_trend", lang),
        "tenure": T("col_tenure", lang),
        "platform": T("col_platform", lang),
    }
    t = t.rename(columns=cols)
    t.index.name = T("col_member", lang)
    fmt = {cols["risk"]: _pct, cols["recency"]: "{:.0f}", cols["frequency"]: "{:.0f}", cols["trend"]: "{:+.0f}", cols["tenure"]: "{:.0f}"}
    return viz.table(t, fmt, caption=T("at_risk_caption", lang, n=len(t)))


def churn_method(result: Result, lang: str) -> str:
    coefs = T("list_sep", lang).join(f"{T('feature_' + k, lang)} {v:+.2f}" for k, v in result.churn.coefficients.items()) or "–"
    return _method([T("churn_method", lang, coefs=coefs)], lang)


# ---------------------------------------------------------------- feedback


def feedback_text(result: Result, lang: str) -> str:
    if not result.has_feedback:
        return section_note(result, "feedback", lang) or T("brief_no_feedback", lang)
    f = result.feedback
    w = f.per_category
    resolved = w.dropna(subset=["median_hours_to_resolution"])
    slow = resolved.sort_values("median_hours_to_resolution").iloc[-1] if len(resolved) else None
    return T(
        "feedback_text",
        lang,
        n=i18n.whole_count(f.received, lang),
        classified=i18n.whole_count(f.classified, lang),
        accuracy=_pct(f.accuracy),
        first=_hours(f.median_first, lang),
        resolve=_hours(f.median_resolution, lang),
        slow=category(slow["category"], lang) if slow is not None else "–",
        slow_hours=_hours(slow["median_hours_to_resolution"], lang) if slow is not None else "–",
        open=i18n.whole_count(f.open, lang),
        oldest=T("days", lang, d=f"{f.oldest_open_days:.0f}") if f.oldest_open_days is not None else "–",
    )


def feedback_table(result: Result, lang: str) -> Styler:
    if not result.has_feedback:
        return _note(section_note(result, "feedback", lang) or T("brief_no_feedback", lang))
    t = result.feedback.per_category.copy()
    t["category"] = t["category"].map(lambda c: T("category_other", lang) if c == "other" else c)
    cols = {
        "category": T("col_category", lang),
        "count": T("col_count", lang),
        "classified": T("col_classified", lang),
        "median_hours_to_first_response": T("col_first", lang),
        "median_hours_to_resolution": T("col_resolve", lang),
        "open": T("col_open", lang),
    }
    t = t.rename(columns=cols)
    hours = lambda v: "–" if _missing(v) else f"{v:.1f}"  # noqa: E731
    fmt = {
        cols["count"]: "{:,.0f}",
        cols["classified"]: "{:,.0f}",
        cols["open"]: "{:,.0f}",
        cols["median_hours_to_first_response"]: hours,
        cols["median_hours_to_resolution"]: hours,
    }
    return viz.table(t, fmt, caption=T("feedback_caption", lang), hide_index=True)


def open_table(result: Result, lang: str) -> Styler | None:
    if not result.has_feedback:
        return None
    ages = result.feedback.open_by_age
    t = pd.DataFrame({T("col_age", lang): [T(f"age_{k}", lang) for k in ages.index], T("col_open", lang): ages.to_numpy()})
    return viz.table(t, caption=T("open_caption", lang), hide_index=True)


def recurring_table(result: Result, lang: str) -> Styler | None:
    if not result.has_feedback or result.feedback.recurring.empty:
        return None
    r = result.feedback.recurring
    t = pd.DataFrame(
        {T("col_text", lang): r["text"], T("col_category", lang): r["category"].map(lambda c: category(c, lang)), T("col_count", lang): r["count"]}
    )
    return viz.table(t, caption=T("recurring_caption", lang), hide_index=True)


def monthly_table(result: Result, lang: str) -> Styler | None:
    if not result.has_feedback:
        return None
    m = result.feedback.monthly.tail(12).copy()
    m.index = [f"{d.year}年{d.month}月" if lang == "zh" else f"{d:%b %Y}" for d in m.index]
    m.index.name = T("col_month", lang)
    cols = {
        "received": T("col_received", lang),
        "resolved_share": T("col_resolved_share", lang),
        "median_hours_to_first_response": T("col_first", lang),
        "median_hours_to_resolution": T("col_resolve", lang),
    }
    m = m.rename(columns=cols)
    hours = lambda v: "–" if _missing(v) else f"{v:.1f}"  # noqa: E731
    fmt = {cols["received"]: "{:,.0f}", cols["resolved_share"]: _pct, cols["median_hours_to_first_response"]: hours, cols["median_hours_to_resolution"]: hours}
    return viz.table(m, fmt, caption=T("monthly_caption", lang))


def feedback_method(result: Result, lang: str) -> str:
    return _method([T("feedback_method", lang, file=result.keywords_file_name)], lang)


# ---------------------------------------------------------------- personas to content


def _group(code: str, lang: str) -> str:
    return name("word", code, lang)


def personas_text(result: Result, lang: str) -> str:
    if not result.has_personas:
        return section_note(result, "personas", lang)
    p = result.personas
    best = p.idxmax(axis=1)
    items = [
        T("personas_best_item", lang, topic=i18n.topic(topic, lang), persona=_group(best[topic], lang), index=f"{p.loc[topic, best[topic]]:.2f}")
        for topic in p.max(axis=1).sort_values(ascending=False).head(3).index
    ]
    return T("personas_text", lang, source=T(f"source_{result.persona_source}", lang), best=T("personas_best", lang, items=T("list_sep", lang).join(items)))


def personas_table(result: Result, lang: str) -> Styler:
    if not result.has_personas:
        return _note(section_note(result, "personas", lang))
    t = result.personas.copy()
    t.index = [i18n.topic(c, lang) for c in t.index]
    t.columns = [_group(c, lang) for c in t.columns]
    t.index.name = T("col_topic", lang)
    return viz.table(t, "{:.2f}", caption=T("personas_caption", lang))


def personas_method(result: Result, lang: str) -> str:
    return _method([T("personas_method", lang)], lang)
