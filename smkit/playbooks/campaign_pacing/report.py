"""The pacing report as the reader sees it, in the report's language: Markdown
text, tables (Stylers from :func:`smkit.viz.table`) and one figure per target
metric. Presentation only; :func:`brief` comes first."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from pandas.io.formats.style import Styler

from smkit import i18n, requirements, viz
from smkit.viz import escape

from .messages import CHANNELS, METRICS, T
from .pacing import OVER, UNDER, Move
from .result import Result

ZH = i18n.DEFAULT_LANGUAGE


def metric_name(metric: str, lang: str = ZH) -> str:
    return METRICS(metric, lang) if METRICS.has(metric) else str(metric)


def _money(value, lang: str) -> str:
    if value is None or pd.isna(value):
        return "–"
    return T("no", lang) if np.isinf(value) else i18n.money(float(value), lang)


def _chance(value) -> str:
    """A chance as a whole percent; never a bare 0% or 100% for what the simulation found rare but possible."""
    if value is None or pd.isna(value):
        return "–"
    if 0 < value < 0.005:
        return "<1%"
    if 0.995 < value < 1:
        return ">99%"
    return i18n.percent(float(value), decimals=0)


def _first(text: str, lang: str) -> str:
    """A sentence that opens with a metric's name: capitalised in English."""
    return text[:1].upper() + text[1:] if lang != ZH else text


def _group(value: str, by: str, lang: str) -> str:
    return CHANNELS(value, lang) if by == "channel" and CHANNELS.has(value) else str(value)


def brief(result: Result, lang: str = ZH) -> str:
    """Three to five plain sentences with the numbers: the day, each target, spend, what to do."""
    c = result.campaign
    lines = [
        T(
            "brief_day",
            lang,
            name=escape(c.name),
            start=i18n.date(c.start, lang),
            end=i18n.date(c.end, lang),
            elapsed=result.days_elapsed,
            total=result.days_total,
            day=i18n.date(result.day, lang),
        )
    ]
    for metric, r in result.metrics.iterrows():
        common = {
            "metric": metric_name(metric, lang),
            "actual": i18n.whole_count(r["actual"], lang),
            "projected": i18n.whole_count(r["projected"], lang),
            "low": i18n.whole_count(r["projected_low"], lang),
            "high": i18n.whole_count(r["projected_high"], lang),
        }
        if r["target"] is None or pd.isna(r["target"]):
            lines.append(_first(T("brief_metric_no_target", lang, **common), lang))
            continue
        gap = r["actual"] - r["expected_by_now"]
        ahead = T("ahead" if gap >= 0 else "behind", lang, gap=i18n.whole_count(abs(gap), lang))
        sentence = T(
            "brief_metric",
            lang,
            **common,
            due=i18n.whole_count(r["expected_by_now"], lang),
            ahead=ahead,
            target=i18n.whole_count(r["target"], lang),
            chance=_chance(r["chance_to_meet"]),
        )
        lines.append(_first(sentence, lang))
    untracked = [_first(_note(m, reason, lang), lang) for m, reason in result.notes if m in result.campaign.targets]  # said, not dropped
    lines += untracked
    threshold = i18n.percent(result.chance_alert, decimals=0)
    if result.alerts:
        joiner = "、" if lang == ZH else ", "
        lines.append(_first(T("brief_alert", lang, metrics=joiner.join(metric_name(m, lang) for m in result.alerts), threshold=threshold), lang))
    elif len(result.metrics):
        lines.append(T("brief_no_alert_tracked" if untracked else "brief_no_alert", lang, threshold=threshold))
    lines.append(spend_sentence(result, lang))
    return "\n\n".join(lines)


def spend_sentence(result: Result, lang: str = ZH) -> str:
    sp = result.spend
    if sp["status"] == "no_budget":
        return T("brief_spend_no_budget", lang, spent=_money(sp["spent"], lang), projected=_money(sp["projected"], lang))
    return T(
        "brief_spend",
        lang,
        spent=_money(sp["spent"], lang),
        budget=_money(sp["budget"], lang),
        projected=_money(sp["projected"], lang),
        status=T(f"status_{sp['status']}", lang),
    )


def metrics_table(result: Result, lang: str = ZH) -> Styler:
    """Per target metric: actual, due by now, target, projection with interval, chance."""
    m = result.metrics
    frame = pd.DataFrame(
        {
            T("h_metric", lang): [metric_name(i, lang) for i in m.index],
            T("h_actual", lang): [i18n.whole_count(v, lang) for v in m["actual"]],
            T("h_due", lang): [i18n.whole_count(v, lang) for v in m["expected_by_now"]],
            T("h_target", lang): [i18n.whole_count(v, lang) for v in m["target"]],
            T("h_projected", lang): [i18n.whole_count(v, lang) for v in m["projected"]],
            T("h_low", lang): [i18n.whole_count(v, lang) for v in m["projected_low"]],
            T("h_high", lang): [i18n.whole_count(v, lang) for v in m["projected_high"]],
            T("h_chance", lang): [_chance(v) for v in m["chance_to_meet"]],
        }
    )
    return viz.table(frame, hide_index=True)


def notes_text(result: Result, lang: str = ZH) -> str:
    """Why a target metric has no projection (empty when every one has)."""
    return "\n\n".join(_note(metric, reason, lang) for metric, reason in result.notes)


def _note(metric: str, reason: str | Exception, lang: str) -> str:
    name = metric_name(metric, lang)
    if reason in ("no_daily", "no_values"):
        return T(f"note_{reason}", lang, metric=name)
    return T("note_other", lang, metric=name, reason=escape(T.reason(reason, lang) if isinstance(reason, Exception) else reason))


def pacing_figure(result: Result, metric: str, lang: str = ZH):
    """Cumulative actual against the target's trajectory and the projection, with the target line."""
    curve = result.curves[metric]
    r = result.metrics.loc[metric]
    fig, ax = viz.new_figure(T("chart_title", lang, metric=metric_name(metric, lang)), width=7.5, height=3.4)
    ax.plot(curve.index, curve["projected"], color="#2F6DB5", linestyle="--", linewidth=1.2, label=T("legend_projected", lang))
    ax.plot(curve.index, curve["actual"], color="black", linewidth=1.6, label=T("legend_actual", lang))
    if curve["trajectory"].notna().any():
        ax.plot(curve.index, curve["trajectory"], color="#E07B39", linewidth=1.2, label=T("legend_trajectory", lang))
        ax.axhline(r["target"], color="#E07B39", linewidth=0.8, linestyle=":", label=T("legend_target", lang))
    ax.errorbar(
        [curve.index[-1]], [r["projected"]], yerr=[[r["projected"] - r["projected_low"]], [r["projected_high"] - r["projected"]]], color="#2F6DB5", capsize=4
    )
    i18n.count_axis(ax, lang)
    i18n.date_axis(ax, lang)
    ax.legend(loc="upper left", fontsize="small", frameon=False)
    plt.close(fig)  # shown once, by display(), not again by the inline backend
    return fig


def spend_table(result: Result, lang: str = ZH) -> Styler:
    sp = result.spend
    frame = pd.DataFrame(
        {
            T("h_spent", lang): [_money(sp["spent"], lang)],
            T("h_budget", lang): [_money(sp["budget"], lang)],
            T("h_even", lang): [_money(sp["expected"], lang)],
            T("h_pace", lang): ["–" if sp["pace"] is None else i18n.percent(sp["pace"], decimals=0)],
            T("h_projected_spend", lang): [_money(sp["projected"], lang)],
            T("h_status", lang): ["–" if sp["status"] == "no_budget" else T(f"status_{sp['status']}", lang)],
        }
    )
    return viz.table(frame, hide_index=True)


def missing_text(result: Result, section: str = "", lang: str = ZH) -> str:
    """The sentence shown where ``section`` would be when the store lacks its table."""
    return requirements.missing_text(result.missing, section, T, lang)


def efficiency_table(result: Result, by: str, lang: str = ZH) -> Styler | str:
    """Channels or creators so far, cheapest per conversion first, with the cost's interval."""
    table = result.channels if by == "channel" else result.creators
    if table is None or table.empty:
        return T("no_efficiency", lang)

    def differs(v) -> str:
        return "–" if v is None or pd.isna(v) else T("yes" if v else "no", lang)

    frame = pd.DataFrame(
        {
            T(f"h_group_{by}", lang): [_group(str(i), by, lang) for i in table.index],
            T("h_posts", lang): [i18n.whole_count(v, lang) for v in table["posts"]],
            T("h_spend", lang): [_money(v, lang) for v in table["spend"]],
            T("h_conversions", lang): [i18n.whole_count(v, lang) for v in table["conversions"]],
            T("h_cpa", lang): [_money(v, lang) for v in table["cpa"]],
            T("h_cpa_low", lang): [_money(v, lang) for v in table["cpa_low"]],
            T("h_cpa_high", lang): [_money(v, lang) for v in table["cpa_high"]],
            T("h_differs", lang): [differs(v) for v in table["differs_from_best"]],
        }
    )
    return viz.table(frame, hide_index=True)


def move_text(move: Move, lang: str = ZH) -> str:
    p = "–" if move.p_value is None else f"{move.p_value:.3f}"
    return T(
        move.action,
        lang,
        by_name=T(f"by_{move.by}", lang),
        worst=escape(_group(move.worst, move.by, lang)),
        best=escape(_group(move.best, move.by, lang)),
        worst_spend=_money(move.worst_spend, lang),
        worst_cpa=_money(move.worst_cpa, lang),
        best_cpa=_money(move.best_cpa, lang),
        p=p,
    )


def actions(result: Result, lang: str = ZH) -> str:
    """What to change now, as a Markdown list."""
    items = []
    for metric in result.alerts:
        items.append(T("act_target", lang, metric=metric_name(metric, lang), chance=_chance(result.metrics.at[metric, "chance_to_meet"])))
    sp = result.spend
    if sp["status"] == "over":
        items.append(T("act_spend_over", lang, excess=_money(sp["projected"] - sp["budget"], lang)))
    elif sp["status"] == "under":
        items.append(T("act_spend_under", lang, share=i18n.percent(sp["projected"] / sp["budget"], decimals=0)))
    items += [move_text(m, lang) for m in result.moves]
    return "\n".join(f"- {i}" for i in items) if items else T("no_actions", lang)


def method_note(result: Result, lang: str = ZH) -> str:
    body = T(
        "method",
        lang,
        pre_days=result.pre_days,
        level=i18n.percent(1 - result.alpha, decimals=0),
        over=i18n.percent(OVER - 1, decimals=0),
        under=i18n.percent(1 - UNDER, decimals=0),
    )
    return f"<details><summary>{T('method_summary', lang)}</summary>\n\n{body}\n\n</details>"
