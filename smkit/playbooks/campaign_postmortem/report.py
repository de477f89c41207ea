"""The campaign post-mortem as the report shows it, in the report's language
(``lang``: ``zh`` or ``en``): Markdown text, tables (Stylers from
:func:`smkit.viz.table`) and figures. Presentation only.

The report counts in two places, and every figure's label says which
(:func:`scopes`): the KPIs and the cost count the **campaign posts** (every
post tagged with the campaign: owned, paid and KOL); the lift and the funnel
count **the brand's accounts on the campaign platforms** day by day (all their
posts, tagged or not, and no KOL's). The two overlap and neither holds the
other, so "views" differs between them by definition, and each label names it.

:func:`brief` is what a manager reads first: what the campaign added, what it
cost per result, the best and worst channel and what to change, in plain
words; the method (intervals, p-values, the counterfactual model) is in the
method notes (:func:`method_note`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from pandas.io.formats.style import Styler

from smkit import i18n, requirements, viz
from smkit.methods import stats
from smkit.viz import escape

from .cost import BREAKDOWNS, COUNTED
from .figures import lift_figure
from .kpis import lift_estimates
from .messages import T
from .report_league import league_finding, league_note, league_table
from .result import Result
from .suggestions import Suggestion
from .wording import CURRENCY, action_text, group_name, metric_name, money, platforms_text, reason_text, scopes, signed_count, suggestion_text

__all__ = ["CURRENCY", "league_finding", "league_note", "league_table", "lift_figure", "scopes", "suggestion_text"]

ZH = i18n.DEFAULT_LANGUAGE


def _note(text: str) -> Styler:
    return viz.table(pd.DataFrame({"": [text]}), hide_index=True)


def _signed(value, lang: str) -> str:
    if value is None or pd.isna(value):
        return "–"
    return signed_count(float(value), lang) if lang == ZH else f"{value:+,.0f}"


def _drop_empty(frame: pd.DataFrame) -> pd.DataFrame:
    """Without the columns that show only dashes."""
    return frame.loc[:, [c for c in frame.columns if frame[c].notna().any() and not (frame[c].astype(str) == "–").all()]]


def method_note(body: str, lang: str = ZH) -> str:
    """A method paragraph folded under "方法说明" / "How this is measured" (Markdown)."""
    return f"<details><summary>{T('method_summary', lang)}</summary>\n\n{body}\n\n</details>"


def _labelled(metric: str, scope: str, lang: str = ZH) -> str:
    return T("labelled", lang, metric=metric_name(metric, lang), scope=scope)


# ---------------------------------------------------------------- the brief


def _main_lift(result: Result):
    return next((lift for lift in result.lifts if lift.metric == "views"), result.lifts[0] if result.lifts else None)


def lift_finding(result: Result, lang: str = ZH) -> str:
    """What the campaign added to the main metric, with its range, in plain words."""
    lift = _main_lift(result)
    if lift is None:
        return T("brief_no_lift", lang)
    e = lift.campaign
    metric = metric_name(lift.metric, lang)
    low, high = (
        (_signed(e.ci_low, lang), _signed(e.ci_high, lang))
        if e.ci_low <= 0 <= e.ci_high
        else (i18n.whole_count(e.ci_low, lang), i18n.whole_count(e.ci_high, lang))
    )
    if e.ci_low > 0:
        return T(
            "brief_lift_up", lang, absolute=i18n.whole_count(e.absolute, lang), metric=metric, low=low, high=high, relative=i18n.percent(e.relative, decimals=0)
        )
    if e.ci_high < 0:
        low, high = i18n.whole_count(-e.ci_high, lang), i18n.whole_count(-e.ci_low, lang)
        return T(
            "brief_lift_down",
            lang,
            absolute=i18n.whole_count(-e.absolute, lang),
            metric=metric,
            low=low,
            high=high,
            relative=i18n.percent(e.relative, decimals=0),
        )
    return T("brief_lift_unclear", lang, absolute=_signed(e.absolute, lang), metric=metric, low=low, high=high)


def _ranked_channels(result: Result, by: str = "channel") -> pd.DataFrame:
    table = result.efficiency(by)
    if table.empty or "cpa" not in table:
        return table
    return table.dropna(subset=["cpa"])


def _cpa_shown(value: float, lang: str) -> str:
    return T("sg_worst_none", lang) if np.isinf(value) else money(value, lang)


def efficiency_finding(result: Result, by: str = "channel", lang: str = ZH) -> str:
    """The cheapest and the dearest group per conversion, in one sentence."""
    ranked = _ranked_channels(result, by)
    if ranked.empty:
        return T("channel_finding_none", lang)
    best = ranked.index[0]
    if len(ranked) == 1:
        return T("brief_channels_free", lang, best=escape(group_name(best, by, lang)), best_cpa=money(ranked.at[best, "cpa"], lang))
    worst = ranked.index[-1]
    key = "brief_channels" if by == "channel" else "creator_finding"
    return T(
        key,
        lang,
        best=escape(group_name(best, by, lang)),
        best_cpa=money(ranked.at[best, "cpa"], lang),
        worst=escape(group_name(worst, by, lang)),
        worst_cpa=_cpa_shown(ranked.at[worst, "cpa"], lang),
    )


# what to change first, for the brief (the full list is in the suggestions section)
ACTION_ORDER = ("stop", "not_yet", "overspend", "rebudget", "replan_target", "fix_step", "placebo", "track_revenue", "repeat", "halo")


def _actions(suggestions: tuple[Suggestion, ...], most: int = 3) -> list[Suggestion]:
    """The ``most`` suggestions to act on first; moving money between creators
    comes after re-planning a target (the channel move already says where money goes)."""

    def rank(s: Suggestion) -> float:
        order = ACTION_ORDER.index(s.kind) if s.kind in ACTION_ORDER else len(ACTION_ORDER)
        return order + 1.5 if s.kind == "rebudget" and s.figures.get("by") != "channel" else order

    return sorted(suggestions, key=rank)[:most]


def brief(result: Result, lang: str = ZH) -> str:
    """Three to five plain sentences a manager reads first (Markdown): what the
    campaign did and spent, what it added (with its range), what a result cost,
    the best and worst channel, and what to change."""
    campaign, cost = result.campaign, result.cost
    spent = money(cost["spend"], lang) if cost.get("spend") else T("brief_no_spend", lang)
    budget = ""
    if campaign.budget and cost.get("spend"):
        over = cost["spend"] / campaign.budget - 1
        state = T("brief_over", lang, share=i18n.percent(over, decimals=0)) if over > 0 else T("brief_under", lang)
        budget = T("brief_budget", lang, budget=money(campaign.budget, lang), over=state)
    sentences = [
        T(
            "brief_what",
            lang,
            name=escape(campaign.name),
            start=i18n.date(campaign.start, lang),
            end=i18n.date(campaign.end, lang),
            platforms=platforms_text(campaign.platforms, lang) or T("no_platform", lang),
            days=campaign.days,
            spent=spent,
            budget=budget,
        ),
        lift_finding(result, lang),
    ]
    cpa = cost.get("cpa")
    if cpa is not None:
        if cost.get("cost_per_incremental_conversion") is not None:
            what, per = T("incremental_conversion", lang), money(cost["cost_per_incremental_conversion"], lang)
            sentences.append(T("brief_cost_incremental", lang, what=what, per=per, cpa=money(cpa, lang)))
        elif cost.get("cost_per_incremental_view") is not None:
            what, per = T("incremental_view", lang), money(cost["cost_per_incremental_view"], lang, decimals=2)
            sentences.append(T("brief_cost_incremental", lang, what=what, per=per, cpa=money(cpa, lang)))
        else:
            sentences.append(T("brief_cost", lang, cpa=money(cpa, lang)))
    if not _ranked_channels(result).empty:
        sentences.append(efficiency_finding(result, "channel", lang))
    actions = _actions(result.suggestions)
    if actions:
        sentences.append(T("brief_actions", lang, actions=T("list_sep", lang).join(escape(action_text(s, lang)) for s in actions)))
    else:
        sentences.append(T("brief_no_action", lang))
    return ("" if lang == ZH else " ").join(sentences)


# ---------------------------------------------------------------- text


def overview_text(result: Result, lang: str = ZH) -> str:
    """One paragraph: the campaign, its window, platforms, budget and spend."""
    campaign, cost = result.campaign, result.cost
    return T(
        "overview",
        lang,
        name=escape(campaign.name),
        campaign_id=escape(campaign.campaign_id),
        days=campaign.days,
        start=i18n.date(campaign.start, lang),
        end=i18n.date(campaign.end, lang),
        platforms=escape(platforms_text(campaign.platforms, lang) or T("no_platform", lang)),
        budget=money(campaign.budget, lang) if campaign.budget else T("no_budget", lang),
        spent=money(cost["spend"], lang) if cost.get("spend") else T("brief_no_spend", lang),
    )


def suggestions_text(result: Result, lang: str = ZH) -> str:
    """The suggestions as a Markdown list (escaped), or a sentence when there are none."""
    lines = [f"- {escape(suggestion_text(s, lang))}" for s in result.suggestions]
    return "\n".join(lines) or T("no_suggestion", lang)


def assumptions_text(result: Result | None = None, lang: str = ZH) -> str:
    """What the lift estimate assumes."""
    return T("assumptions", lang)


def lift_method_text(result: Result, lang: str = ZH) -> str:
    """How the lift is estimated and what it assumes, folded (Markdown)."""
    lift = _main_lift(result)
    halo_days = lift.halo.days if lift is not None and lift.halo is not None else 0
    pre_days = lift.impact.n_pre if lift is not None else 0
    alpha = lift.impact.alpha if lift is not None else 0.05
    body = T("lift_method", lang, pre_days=pre_days, halo_days=halo_days, level=i18n.percent(1 - alpha, decimals=0))
    return method_note(body + "\n\n" + assumptions_text(result, lang), lang)


def scopes_text(result: Result, lang: str = ZH) -> str:
    """Where the figures come from, when the report shows both kinds: the
    campaign posts (KPIs, cost) and the brand's accounts (lift, funnel), with
    one figure of each so a reader sees why they differ; empty otherwise."""
    if result.kpis.empty or result.funnel.empty:
        return ""
    sc = scopes(result, lang)
    shared = [m for m in ("views", "impressions", "conversions") if m in result.kpis.index and m in result.funnel.index]

    def figures(get) -> str:
        if not shared:
            return ""
        items = T("figures_sep", lang).join(T("figure_item", lang, metric=metric_name(m, lang), value=i18n.whole_count(get(m), lang)) for m in shared)
        return T("figures_paren", lang, figures=items)

    return T(
        "scopes",
        lang,
        campaign_id=escape(result.campaign.campaign_id),
        posts=figures(lambda m: result.kpis.at[m, "actual"]),
        accounts=escape(sc["accounts"].removeprefix("on ")),
        accounts_figures=figures(lambda m: result.funnel.at[m, "campaign"]),
    )


def lift_notes_text(result: Result, lang: str = ZH) -> str:
    """Why metrics have no lift estimate, metrics with the same reason together."""
    if not result.lift_notes:
        return ""
    by_reason: dict[str, list[str]] = {}
    for metric, reason in result.lift_notes:
        by_reason.setdefault(reason_text(reason, lang), []).append(metric)
    sep = T("list_sep", lang)
    items = [T("no_lift_item", lang, metrics=sep.join(metric_name(m, lang) for m in ms), reason=escape(r)) for r, ms in by_reason.items()]
    return T("no_lift", lang, reasons=("；" if lang == ZH else "; ").join(items))


def missing_text(result: Result, section: str = "", lang: str = ZH) -> str:
    """The one sentence shown where ``section`` would be: the export it needs
    (every absent section's sentence when ``section`` is empty)."""
    return requirements.missing_text(result.missing, section, T, lang)


# ---------------------------------------------------------------- findings


def kpi_finding(result: Result, lang: str = ZH) -> str:
    """Each KPI with a target: how much of it the campaign posts reached."""
    kpis = result.kpis
    if kpis.empty:
        return T("kpi_finding_empty", lang)
    rows = kpis[kpis["target"].notna()] if "target" in kpis else kpis.iloc[0:0]
    if rows.empty:
        views = kpis.at["views", "actual"] if "views" in kpis.index else None
        return T("kpi_finding_no_target", lang, views=i18n.whole_count(views, lang))
    items = [
        T(
            "kpi_item",
            lang,
            metric=metric_name(m, lang),
            attainment=i18n.percent(r["attainment"], decimals=0),
            actual=i18n.whole_count(r["actual"], lang),
            target=i18n.whole_count(r["target"], lang),
        )
        for m, r in rows.iterrows()
    ]
    text = T("list_sep", lang).join(items) if lang == ZH else "; ".join(items)
    return T("kpi_finding", lang, items=text[0].upper() + text[1:] if lang != ZH else text)


def cost_finding(result: Result, lang: str = ZH) -> str:
    cost = result.cost
    if cost.get("cpa") is None:
        return T("cost_finding_no_cpa", lang, spend=money(cost.get("spend") or 0.0, lang))
    return T("cost_finding", lang, spend=money(cost["spend"], lang), cpa=money(cost["cpa"], lang))


def funnel_finding(result: Result, lang: str = ZH) -> str:
    """The top of the funnel during against before, the stage whose rate changed most,
    and the stages left out because the export leaves them empty on some days."""
    f = result.funnel
    gaps = [T("funnel_gap", lang, stage=metric_name(s, lang), days=days) for s, days in result.funnel_left_out.items()]
    left_out = T("funnel_left_out", lang, items=T("list_sep", lang).join(gaps)) if gaps else ""
    if f.empty:
        return (left_out + T("funnel_none_whole", lang)).strip() if gaps else T("funnel_none", lang)
    top = f.index[0]
    now, before = f.at[top, "campaign"], f.at[top, "before"]
    change = i18n.percent(now / before - 1, decimals=0, signed=True) if before else "–"
    rates = f.dropna(subset=["rate", "rate_before"]) if "rate" in f else f.iloc[0:0]
    changed = ""
    if len(rates):
        moved = (rates["rate"] / rates["rate_before"] - 1).abs()
        stage = moved.idxmax()
        p = rates.at[stage, "p_value"]
        if p is not None and pd.notna(p) and p < 0.05:
            changed = T(
                "funnel_rates_changed",
                lang,
                stage=metric_name(stage, lang),
                rate_before=i18n.percent(rates.at[stage, "rate_before"], decimals=2),
                rate=i18n.percent(rates.at[stage, "rate"], decimals=2),
            )
    return (
        T(
            "funnel_finding",
            lang,
            top=metric_name(top, lang),
            now=i18n.whole_count(now, lang),
            before=i18n.whole_count(before, lang),
            change=change,
            rates=changed or T("funnel_rates_same", lang),
        )
        + left_out
    )


def mentions_finding(result: Result, lang: str = ZH) -> str:
    m = result.mentions
    if m.empty:
        return ""
    p = m.at["campaign", "p_value"]
    share, before = m.at["campaign", "negative_share"], m.at["before", "negative_share"]
    verdict = "mentions_same"
    if p is not None and pd.notna(p) and p < 0.05 and share is not None and before is not None:
        verdict = "mentions_up" if share > before else "mentions_down"
    return T(
        "mentions_finding",
        lang,
        per_day=f"{m.at['campaign', 'mentions_per_day']:,.0f}",
        per_day_before=f"{m.at['before', 'mentions_per_day']:,.0f}",
        share=i18n.percent(share),
        share_before=i18n.percent(before),
        verdict=T(verdict, lang),
    )


# ---------------------------------------------------------------- tables


def kpi_table(result: Result, lang: str = ZH) -> Styler:
    """Actual, target, attainment and baseline per KPI, each row named with
    where it was counted ("views on campaign posts" / 播放量（活动帖子）)."""
    sc = scopes(result, lang)
    baseline = T("col_baseline", lang, scope=sc["baseline"])
    names = {
        "actual": T("col_actual", lang),
        "target": T("col_target", lang),
        "attainment": T("col_attainment", lang),
        "baseline": baseline,
        "vs_baseline": T("col_vs_baseline", lang),
    }
    shown = _drop_empty(result.kpis).rename(index=lambda m: _labelled(m, sc["posts"], lang), columns=names)
    shown.index.name = T("col_metric", lang)
    count = lambda v: i18n.whole_count(v, lang)  # noqa: E731
    formats = {
        names["actual"]: count,
        names["target"]: count,
        names["attainment"]: lambda v: i18n.percent(v, decimals=0),
        baseline: count,
        names["vs_baseline"]: lambda v: i18n.percent(v, decimals=0, signed=True),
    }
    return viz.table(shown, formats)


def lift_table(result: Result, lang: str = ZH) -> Styler:
    """The lift per metric: effect and relative effect with intervals, and the tests."""
    if not result.lifts:
        return _note(T("lift_none", lang))
    table = lift_estimates(result.lifts)
    columns = {
        "actual": table["actual"].map(lambda v: i18n.whole_count(v, lang)),
        T("col_without", lang): table["counterfactual"].map(lambda v: i18n.whole_count(v, lang)),
        T("col_effect", lang): [
            f"{_signed(e, lang)} [{_signed(lo, lang)}, {_signed(hi, lang)}]" for e, lo, hi in zip(table["effect"], table["effect_low"], table["effect_high"])
        ],
        T("col_relative", lang): [
            T("no_before", lang) if pd.isna(e) else f"{i18n.percent(e, signed=True)} [{i18n.percent(lo, signed=True)}, {i18n.percent(hi, signed=True)}]"
            for e, lo, hi in zip(table["relative"], table["relative_low"], table["relative_high"])
        ],
        T("col_p", lang): table["p_value"].map(stats.format_p),
        T("col_p_holm", lang): table["p_value_holm"].map(stats.format_p),
        T("col_halo", lang): [
            ("–" if pd.isna(h) else _signed(h, lang) + (T("halo_real", lang) if s else "")) for h, s in zip(table["halo_effect"], table["halo_significant"])
        ],
        T("col_placebo", lang): table["placebo_p_value"].map(lambda p: "–" if pd.isna(p) else stats.format_p(p)),
    }
    shown = pd.DataFrame(columns, index=table.index).rename(columns={"actual": T("col_actual", lang)})
    accounts = scopes(result, lang)["accounts"]
    shown = _drop_empty(shown).rename(index=lambda m: _labelled(m, accounts, lang))
    shown.index.name = T("col_metric", lang)
    return viz.table(shown)


def cost_labels(result: Result, lang: str = ZH) -> dict[str, str]:
    """What each row of the cost table is: the spend, the counts the ratios
    divide by (with where they were counted), the ratios themselves."""
    sc = scopes(result, lang)
    posts, accounts = sc["posts"], sc["accounts"]
    return {
        "spend": T("cost_spend", lang),
        "spend_on_posts": T("cost_spend_on_posts", lang),
        "spend_on_accounts": T("cost_spend_on_accounts", lang),
        **{f"counts.{m}": _labelled(m, posts, lang) for m in COUNTED},
        **{k: T(f"cost_{k}", lang, posts=posts) for k in ("cpm", "cpv", "cpe", "cpc", "cpa", "cpa_on_posts")},
        "roi": T("cost_roi", lang),
        "roas": T("cost_roas", lang),
        "incremental_views": T("cost_incremental", lang, label=metric_name("incremental views", lang), accounts=accounts),
        "cost_per_incremental_view": T("cost_per_incremental_view", lang),
        "incremental_conversions": T("cost_incremental", lang, label=metric_name("incremental conversions", lang), accounts=accounts),
        "cost_per_incremental_conversion": T("cost_per_incremental_conversion", lang),
    }


def cost_table(result: Result, lang: str = ZH) -> Styler:
    """Spend, the counts it is divided by, and cost per result: each ratio
    below the count it divides by, so CPA is the spend over the conversions
    the table shows. A measure whose figures are missing says so; a count the
    posts do not carry is left out."""
    counts = result.cost.get("counts", {})
    rows = []
    for key, label in cost_labels(result, lang).items():
        if key.startswith("counts."):
            value = counts.get(key.removeprefix("counts."))
            if value is not None:
                rows.append({"measure": label, "value": i18n.whole_count(value, lang) if lang == ZH else f"{value:,.0f}"})
            continue
        if key.startswith("incremental_"):
            value = result.cost.get(key)
            if value is not None:
                rows.append({"measure": label, "value": _signed(value, lang)})
            continue
        value = result.cost.get(key)
        if key.startswith("cost_per_incremental") and value is None:
            continue  # no clearly positive lift: nothing to divide by
        if value is None:
            shown = T("not_available", lang)
        elif key in ("roi", "roas"):
            shown = f"{value:.2f}"
        else:
            shown = money(value, lang, decimals=2)
        rows.append({"measure": label, "value": shown})
    frame = pd.DataFrame(rows).set_index("measure").rename(columns={"value": T("col_value", lang)})
    frame.index.name = T("col_measure", lang)
    return viz.table(frame)


def efficiency_table(result: Result, by: str = "channel", lang: str = ZH) -> Styler:
    """Spend and results per channel, creator or content type, ranked by cost per
    conversion, with its range and whether the conversion rate really differs
    from the best group's (words, not True/False); columns with no figure are left out."""
    if by not in BREAKDOWNS:
        raise ValueError(f"unknown breakdown {by!r}; valid: {', '.join(BREAKDOWNS)}")
    table = result.efficiency(by)
    if table.empty:
        return _note(T("no_breakdown", lang))
    shown = pd.DataFrame(index=table.index)
    for column in ("posts", "spend", "views", "interactions", "clicks", "conversions", "cpe"):
        shown[T(f"col_{column}", lang)] = table[column]
    # the groups' own spend per their conversions: account promotion cannot be split by post (see the cost table)
    shown[T("col_cpa", lang)] = table["cpa"].replace(np.inf, np.nan)  # spend without conversions shows as –
    shown[T("col_cpa_range", lang)] = [
        T("range", lang, low=money(lo, lang), high=money(hi, lang)) if pd.notna(lo) and pd.notna(hi) else None
        for lo, hi in zip(table["cpa_low"], table["cpa_high"])
    ]
    shown[T("col_conversion_rate", lang)] = table["conversion_rate"]
    shown[T("col_differs", lang)] = table["differs_from_best"].map(lambda v: None if v is None or pd.isna(v) else T("yes" if v else "no", lang))
    shown = _drop_empty(shown.rename(index=lambda v: group_name(v, by, lang)))
    shown.index.name = T(f"col_{by}", lang)
    count = lambda v: i18n.whole_count(v, lang)  # noqa: E731
    formats = {
        T("col_posts", lang): count,
        T("col_spend", lang): lambda v: money(v, lang),
        T("col_views", lang): count,
        T("col_interactions", lang): count,
        T("col_clicks", lang): count,
        T("col_conversions", lang): count,
        T("col_cpe", lang): lambda v: money(v, lang, decimals=2),
        T("col_cpa", lang): lambda v: money(v, lang),
        T("col_conversion_rate", lang): lambda v: i18n.percent(v, decimals=2),
    }
    return viz.table(shown, formats)


def top_posts_table(result: Result, lang: str = ZH) -> Styler:
    """The campaign's posts with the most views, with a caption."""
    top = result.top_posts.copy()
    if "published_at" in top:
        top["published_at"] = [f"{i18n.date(v, lang, short=True)} {v[11:16]}" if isinstance(v, str) and len(v) >= 16 else v for v in top["published_at"]]
    if "platform" in top:
        top["platform"] = top["platform"].map(lambda p: i18n.platform(p, lang))
    if "channel" in top:
        top["channel"] = top["channel"].map(lambda c: group_name(c, "channel", lang) if pd.notna(c) else c)
    columns = {c: T(f"col_{c}", lang) for c in top.columns if T.has(f"col_{c}")}
    shown = _drop_empty(top.rename(columns=columns))
    shown.index.name = T("col_rank", lang)
    count = lambda v: i18n.whole_count(v, lang)  # noqa: E731
    formats = {
        T("col_views", lang): count,
        T("col_interactions", lang): count,
        T("col_conversions", lang): count,
        T("col_spend", lang): lambda v: money(v, lang),
    }
    return viz.table(shown, formats, caption=T("top_caption", lang, n=len(top)))


def top_posts_section(result: Result, lang: str = ZH) -> Styler | str:
    """The top posts table, or the sentence (Markdown) shown instead: the export
    the section needs, or that the campaign has no posts (an empty table would
    show its caption alone, one character a line)."""
    if not result.has("kpis"):
        return missing_text(result, "kpis", lang)
    if result.top_posts.empty:
        return T("kpi_finding_empty", lang)
    return top_posts_table(result, lang)


def funnel_table(result: Result, lang: str = ZH) -> Styler:
    """Each funnel stage, campaign against before, with its rate and test; each
    stage named with where it was counted ("views on Lumina's Douyin account")."""
    accounts = scopes(result, lang)["accounts"]
    names = {c: T(f"col_{c}" if c != "p_value" else "col_p_change", lang) for c in result.funnel.columns}
    shown = _drop_empty(result.funnel).rename(index=lambda m: _labelled(m, accounts, lang), columns=names)
    shown.index.name = T("col_stage", lang)
    count = lambda v: i18n.whole_count(v, lang)  # noqa: E731
    rate = lambda v: i18n.percent(v, decimals=2)  # noqa: E731
    formats = {
        names.get("campaign"): count,
        names.get("before"): count,
        names.get("rate"): rate,
        names.get("rate_before"): rate,
        names.get("drop_off"): lambda v: i18n.percent(v),
        names.get("p_value"): lambda v: "–" if v is None or pd.isna(v) else f"{v:.3g}",
    }
    return viz.table(shown, {k: v for k, v in formats.items() if k})


def mentions_table(result: Result, lang: str = ZH) -> Styler:
    """Mentions per day and their sentiment, campaign against before."""
    if not result.has_mentions:
        return _note(T("no_mentions", lang))
    names = {c: T(f"col_{c}" if c != "p_value" else "col_p_negative", lang) for c in result.mentions.columns}
    shown = result.mentions.rename(index=lambda p: T(f"period_{p}", lang), columns=names)
    shown.index.name = T("col_period", lang)
    formats = {
        names["mentions_per_day"]: "{:,.1f}",
        names["mentions"]: "{:,.0f}",
        names["mean_sentiment"]: "{:+.2f}",
        names["negative"]: "{:,.0f}",
        names["negative_share"]: lambda v: i18n.percent(v),
        names["p_value"]: lambda v: "–" if v is None or pd.isna(v) else f"{v:.3g}",
    }
    return viz.table(shown, formats)


# ---------------------------------------------------------------- figures
