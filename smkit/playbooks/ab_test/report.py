"""The A/B playbook's presentation in the report's language (``lang``: ``zh``
or ``en``): sentences, tables and figures from a :class:`Result`.

Every ``*_text`` returns Markdown, every ``*_table`` a Styler built with
:func:`smkit.viz.table`, every ``*_figure`` a matplotlib Figure. :func:`brief`
is what a manager reads first: the decision per variant (上线 / 不上线 / 继续观察)
and its one-sentence reason in plain words; p-values, the sample ratio test and
the always-valid interval are in the method note (:func:`decision_method_text`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure
from pandas.io.formats.style import Styler

from smkit import i18n
from smkit.methods.stats import format_p
from smkit.playbooks.ab_test import codes
from smkit.playbooks.ab_test.messages import DECISIONS, METRICS, VARIANTS, T
from smkit.viz import escape, new_figure, table

if TYPE_CHECKING:
    from smkit.playbooks.ab_test.design import Design
    from smkit.playbooks.ab_test.result import Comparison, Decision, Result

ZH = i18n.DEFAULT_LANGUAGE


def _pct(value: float | None, digits: int = 1) -> str:
    return i18n.percent(value, decimals=digits, signed=True)


def _interval(low: float, high: float, digits: int = 1) -> str:
    return f"[{_pct(low, digits)}, {_pct(high, digits)}]"


# ---------------------------------------------------------------- names


def metric_name(metric: str, lang: str = ZH) -> str:
    """A metric as a reader calls it (the sample's metrics; any other as it is)."""
    return METRICS(metric, lang) if METRICS.has(metric) else str(metric)


def variant_name(variant: str, lang: str = ZH) -> str:
    """``control`` and ``treatment`` in words (对照组, 实验组); any other variant as it is."""
    return VARIANTS(str(variant), lang) if VARIANTS.has(str(variant)) else str(variant)


def decision_name(decision: str, lang: str = ZH) -> str:
    """A decision code (``ship``, ``do not ship``, ``keep running``) in words: 上线 / 不上线 / 继续观察."""
    return DECISIONS(decision, lang)


CORRECTIONS = {"holm": "Holm", "bh": "Benjamini-Hochberg", "bonferroni": "Bonferroni"}


def correction_name(correction: str, lang: str = ZH) -> str:
    """The multiple-comparison correction's name (Holm, Benjamini-Hochberg ...)."""
    return CORRECTIONS.get(correction, correction)


def method_note(body: str, lang: str = ZH) -> str:
    """A method paragraph folded under "方法说明" / "How this is measured" (Markdown)."""
    return f"<details><summary>{T('method_summary', lang)}</summary>\n\n{body}\n\n</details>"


# ---------------------------------------------------------------- sentences


def note_text(c: Comparison, lang: str = ZH) -> str:
    """Why a comparison has no test, in one sentence (empty when it has one)."""
    metric = metric_name(c.metric, lang)
    if c.issue == codes.FEW_UNITS:
        who, n = ("control", c.n_control) if c.n_control < 2 else (c.variant, c.n_variant)
        return T("issue_few_units", lang, who=variant_name(who, lang), n=n, metric=metric)
    if c.issue == codes.ZERO_DENOMINATOR:
        return T("issue_zero_denominator", lang, denominator=c.denominator, metric=metric)
    if c.issue == codes.NO_VARIANCE:
        if c.kind != "proportion":
            return T("issue_no_variance_same", lang, metric=metric)
        return T("issue_no_variance_none" if c.mean_control == 0 and c.mean_variant == 0 else "issue_no_variance_all", lang, metric=metric)
    if c.issue == codes.ONE_SIDED_VARIANCE:
        if c.kind == "proportion":
            side, mean = (c.variant, c.mean_variant) if c.mean_variant in (0, 1) else ("control", c.mean_control)
            return T("issue_one_sided_none" if mean == 0 else "issue_one_sided_all", lang, metric=metric, side=variant_name(side, lang))
        return T("issue_one_sided_same", lang, metric=metric)
    if c.issue == codes.NONPOSITIVE_CONTROL:
        return T("issue_nonpositive_control", lang, metric=metric, mean=f"{c.mean_control:.4g}")
    return ""


def metric_note_text(note: str, lang: str = ZH) -> str:
    """A note about a metric (a :class:`.codes.Note`) in ``lang``; a plain string as it is."""
    if not isinstance(note, codes.Note):
        return str(note)
    values = {k: metric_note_text(v, lang) if isinstance(v, codes.Note) else v for k, v in note.values.items()}
    return T(f"note_{note.code}", lang, **values)


def metrics_text(result: Result, lang: str = ZH) -> str:
    """Which metrics were analysed when some asked for are not in the data (Markdown; empty otherwise)."""
    return "\n".join(f"- {escape(metric_note_text(n, lang))}" for n in result.metric_notes)


def reason_text(result: Result, d: Decision, lang: str = ZH) -> str:
    """Why ``d`` was decided, in one plain sentence (also saved to summary.json);
    the tests behind it are in :func:`decision_method_text`."""
    if d.rule == codes.SAMPLE_RATIO:
        return T("reason_sample_ratio", lang)
    if d.rule == codes.NO_GOAL:
        return T("reason_no_goal", lang)
    c = result.comparison(d.metric, d.variant)
    metric = metric_name(c.metric, lang)
    if d.rule == codes.GUARDRAIL:
        return T("reason_guardrail", lang, metric=metric, lift=_pct(c.rel_lift))
    if d.rule == codes.UNTESTABLE:
        return note_text(c, lang)
    if d.rule in (codes.EARLY_EXCLUDES_ZERO, codes.EARLY_INCLUDES_ZERO):
        share = i18n.percent(sum(result.units.values()) / result.planned_units, decimals=0)
        key = "reason_early_excludes_zero" if d.rule == codes.EARLY_EXCLUDES_ZERO else "reason_early_includes_zero"
        return T(key, lang, metric=metric, lift=_pct(c.rel_lift), share=share, low=_pct(c.seq_rel_ci_low), high=_pct(c.seq_rel_ci_high))
    values = {"metric": metric, "lift": _pct(c.rel_lift), "low": _pct(c.rel_ci_low), "high": _pct(c.rel_ci_high)}
    if d.rule == codes.BETTER:
        return T("reason_better", lang, **values)
    if d.rule == codes.WORSE:
        return T("reason_worse", lang, **values)
    return T("reason_no_effect", lang, **values)


def decision_text(result: Result, d: Decision, lang: str = ZH) -> str:
    """The decision and its reason as one sentence (Markdown)."""
    return T(
        "brief_decision",
        lang,
        variant=escape(variant_name(d.variant, lang)),
        decision=decision_name(d.decision, lang),
        reason=escape(reason_text(result, d, lang)),
    )


def status_text(result: Result, lang: str = ZH) -> str:
    """Whether the split is as planned and whether the run is read early (Markdown)."""
    text = T("status", lang, experiment=escape(result.experiment_id), split=T("status_bad" if result.srm_mismatch else "status_ok", lang))
    if result.early:
        sep = "" if lang == ZH else " "
        text += sep + T("status_early", lang, n=i18n.count(sum(result.units.values()), lang), planned=i18n.count(result.planned_units, lang))
    return text


def _next_test(plan: Design, lang: str) -> str:
    days = T("brief_days", lang, days=plan.days) if plan.days is not None else ""
    return T("brief_next", lang, mde=_pct(plan.mde_relative), n=i18n.count(plan.n_per_variant, lang), days=days)


def brief(result: Result, lang: str = ZH) -> str:
    """Three to five plain sentences (Markdown): what was compared, the decision
    per variant with its reason, whether the split can be trusted, and what the
    next test needs. No test statistics: they are in the method note."""
    groups = T("brief_and", lang).join(T("brief_group", lang, variant=escape(variant_name(v, lang)), n=i18n.count(n, lang)) for v, n in result.units.items())
    sentences = [T("brief_what", lang, experiment=escape(result.experiment_id), groups=groups)]
    sentences += [decision_text(result, d, lang) for d in result.decisions]
    sentences.append(T("brief_split_bad" if result.srm_mismatch else "brief_split_ok", lang))
    if result.early:
        total = sum(result.units.values())
        share = i18n.percent(total / result.planned_units, decimals=0)
        sentences.append(T("brief_early", lang, share=share, n=i18n.count(total, lang), planned=i18n.count(result.planned_units, lang)))
    if result.plan is not None and len(sentences) < 5:
        sentences.append(_next_test(result.plan, lang))
    return ("" if lang == ZH else " ").join(sentences)


def decision_method_text(result: Result, lang: str = ZH) -> str:
    """The tests behind the decisions, folded: the sample ratio p-value, each
    comparison's p-values, always-valid interval and chance to beat control."""
    items = "".join(
        T(
            "method_item",
            lang,
            metric=escape(metric_name(c.metric, lang)),
            variant=escape(variant_name(c.variant, lang)),
            p=format_p(c.p_value),
            p_adj=format_p(c.p_value_adjusted),
            seq=_interval(c.seq_rel_ci_low, c.seq_rel_ci_high),
            prob=i18n.percent(c.prob_beat_control),
        )
        for c in result.comparisons
        if c.ok
    )
    body = T(
        "method_decision", lang, srm=format_p(result.srm_p_value), items=items, correction=correction_name(result.correction, lang), alpha=f"{result.alpha:g}"
    )
    return method_note(body, lang)


def results_finding(result: Result, lang: str = ZH) -> str:
    """Every comparison in one sentence: the lift and its range, or why there is none."""
    items = []
    for c in result.comparisons:
        metric, variant = escape(metric_name(c.metric, lang)), escape(variant_name(c.variant, lang))
        if c.ok:
            items.append(T("results_item", lang, metric=metric, variant=variant, lift=_pct(c.rel_lift), low=_pct(c.rel_ci_low), high=_pct(c.rel_ci_high)))
        else:
            items.append(T("results_item_note", lang, metric=metric, variant=variant, note=escape(note_text(c, lang))))
    if not items:
        return T("results_none", lang)
    text = ("；" if lang == ZH else "; ").join(items)
    return T("results_finding", lang, items=text[:1].upper() + text[1:])


def _method(plan: Design, lang: str) -> str:
    text = T("method_proportion" if plan.metric_kind == "proportion" else "method_mean", lang)
    return text + (T("method_bonferroni", lang, k=plan.variants - 1) if plan.variants > 2 else "")


def _design_sentence(plan: Design, lang: str) -> str:
    days = T("design_days", lang, days=plan.days) if plan.days is not None else ""
    return T(
        "design_plan",
        lang,
        n=i18n.count(plan.n_per_variant, lang),
        variants=plan.variants,
        total=i18n.count(plan.n_per_variant * plan.variants, lang),
        days=days,
        mde=_pct(plan.mde_relative),
        absolute=f"{plan.mde_absolute:+.4g}",
        baseline=f"{plan.baseline:.4g}",
        alpha=f"{plan.alpha:g}",
        power=i18n.percent(plan.power, decimals=0),
        method=_method(plan, lang),
    )


def design_text(result: Result, lang: str = ZH) -> str:
    """The next test's plan and the effect the current experiment's sample could detect (Markdown)."""
    n = min(result.units.values())
    common = {"experiment": escape(result.experiment_id), "n": i18n.count(n, lang)}
    if result.reach is None:
        power = i18n.percent(result.plan.power, decimals=0)
        reach = T("design_reach_none", lang, baseline=f"{result.plan.baseline:.3g}", power=power, **common)
    else:
        r = result.reach
        relative = T("design_reach_relative", lang, relative=_pct(r.mde_relative)) if r.baseline else ""
        reach = T("design_reach", lang, relative=relative, absolute=f"{r.mde_absolute:+.4g}", **common)
    return f"{_design_sentence(result.plan, lang)}\n\n{reach}"


def effect_over_time_text(result: Result, variant: str | None = None, lang: str = ZH) -> str:
    """Why there is no cumulative-lift figure: for the whole experiment
    (aggregated rows) or for ``variant`` (no day with enough data); empty when there is one."""
    if not result.has_unit_times:
        return T("no_unit_times", lang)
    for trend in result.trends:
        if (variant is None or trend.variant == variant) and not trend.has_days:
            return T("no_trend_days", lang, metric=escape(metric_name(trend.metric, lang)), variant=escape(variant_name(trend.variant, lang)))
    return ""


# ---------------------------------------------------------------- tables


def decisions_table(result: Result, lang: str = ZH) -> Styler:
    """One row per variant: the decision (上线 / 不上线 / 继续观察) and why."""
    rows = [
        {
            T("col_variant", lang): variant_name(d.variant, lang),
            T("col_decision", lang): decision_name(d.decision, lang),
            T("col_why", lang): reason_text(result, d, lang),
        }
        for d in result.decisions
    ]
    columns = [T("col_variant", lang), T("col_decision", lang), T("col_why", lang)]
    return table(pd.DataFrame(rows, columns=columns).set_index(columns[0]))


def srm_table(result: Result, lang: str = ZH) -> Styler:
    """Units per variant, their observed share and the planned share."""
    total = sum(result.units.values())
    units, observed, planned = T("col_units", lang), T("col_observed", lang), T("col_planned", lang)
    frame = pd.DataFrame(
        {
            units: result.units,
            observed: {v: n / total for v, n in result.units.items()},
            planned: {v: result.planned_split.get(v, 0.0) for v in result.units},
        }
    )
    frame = frame.rename(index=lambda v: variant_name(v, lang))
    frame.index.name = T("col_variant", lang)
    share = lambda v: i18n.percent(v, decimals=2)  # noqa: E731
    return table(frame, {units: lambda v: i18n.count(v, lang), observed: share, planned: share})


def results_table(result: Result, lang: str = ZH) -> Styler:
    """The per-metric table: lifts with intervals, p-values, Bayesian figures;
    columns with no figure (no CUPED covariate, say) are left out. ``.data``
    holds the numbers; intervals are shown as text."""
    level = T("col_interval", lang, level=i18n.percent(1 - result.alpha, decimals=0))
    adjusted = T("col_p_adj", lang, correction=correction_name(result.correction, lang))
    names = {
        key: T(key, lang)
        for key in (
            "col_metric",
            "col_variant",
            "col_control",
            "col_variant_mean",
            "col_lift",
            "col_seq",
            "col_p",
            "col_prob",
            "col_loss",
            "col_cuped",
            "col_note",
        )
    }
    rows = []
    for c in result.comparisons:
        metric = metric_name(c.metric, lang) + (T("guardrail", lang) if c.guardrail else "")
        head = {names["col_metric"]: metric, names["col_variant"]: variant_name(c.variant, lang)}
        if not c.ok:
            rows.append({**head, names["col_note"]: note_text(c, lang)})
            continue
        rows.append(
            {
                **head,
                names["col_control"]: c.mean_control,
                names["col_variant_mean"]: c.mean_variant,
                names["col_lift"]: c.rel_lift,
                level: _interval(c.rel_ci_low, c.rel_ci_high, 2),
                names["col_seq"]: _interval(c.seq_rel_ci_low, c.seq_rel_ci_high, 2),
                names["col_p"]: c.p_value,
                adjusted: c.p_value_adjusted,
                names["col_prob"]: c.prob_beat_control,
                names["col_loss"]: c.expected_loss,
                names["col_cuped"]: c.cuped_variance_reduction,
            }
        )
    frame = pd.DataFrame(rows).set_index([names["col_metric"], names["col_variant"]])
    frame = frame.loc[:, frame.notna().any()]
    formats = {
        names["col_control"]: "{:.4f}",
        names["col_variant_mean"]: "{:.4f}",
        names["col_lift"]: lambda v: _pct(v, 2),
        names["col_p"]: format_p,
        adjusted: format_p,
        names["col_prob"]: lambda v: i18n.percent(v),
        names["col_loss"]: lambda v: i18n.percent(v, decimals=3),
        names["col_cuped"]: lambda v: i18n.percent(v, decimals=0),
    }
    return table(frame, formats, na_rep="")


# ---------------------------------------------------------------- figures


def lifts_figure(result: Result, lang: str = ZH) -> Figure:
    """Relative lift per metric and variant with its interval (and the always-valid one, lighter)."""
    shown = [c for c in result.comparisons if c.ok]
    fig, ax = new_figure(T("fig_lifts", lang), height=0.5 + 0.55 * max(len(shown), 1))
    for i, c in enumerate(reversed(shown)):
        ax.plot([c.seq_rel_ci_low, c.seq_rel_ci_high], [i, i], color="#BBBBBB", linewidth=6, solid_capstyle="butt")
        colour = "#3A9E6F" if c.rel_ci_low > 0 else "#C4474D" if c.rel_ci_high < 0 else "#6F7A86"
        ax.plot([c.rel_ci_low, c.rel_ci_high], [i, i], color=colour, linewidth=2.5)
        ax.plot([c.rel_lift], [i], "o", color=colour)
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_yticks(range(len(shown)), [f"{metric_name(c.metric, lang)} · {variant_name(c.variant, lang)}" for c in reversed(shown)])
    ax.xaxis.set_major_formatter(plt.FuncFormatter(lambda x, _: f"{x:+.0%}"))
    ax.set_xlabel(T("fig_lifts_x", lang, level=i18n.percent(1 - result.alpha, decimals=0)))
    plt.close(fig)
    return fig


def cumulative_lift_figure(result: Result, variant: str, lang: str = ZH) -> Figure:
    """Cumulative relative lift of the deciding metric by assignment day for
    ``variant`` (check ``result.trend(variant).has_days`` first: else it is empty)."""
    trend = result.trend(variant)
    frame = trend.frame
    title = T("fig_cumulative", lang, metric=metric_name(trend.metric, lang), variant=variant_name(variant, lang))
    fig, ax = new_figure(title, height=3.2)
    ax.fill_between(frame["day"], frame["rel_ci_low"], frame["rel_ci_high"], alpha=0.25, color="#2F6DB5", linewidth=0)
    ax.plot(frame["day"], frame["rel_lift"], color="#2F6DB5")
    ax.axhline(0, color="black", linewidth=0.8)
    ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda x, _: f"{x:+.0%}"))
    ax.xaxis.set_major_locator(mdates.AutoDateLocator(maxticks=8))
    i18n.date_axis(ax, lang)
    ax.set_ylabel(T("fig_cumulative_y", lang))
    plt.close(fig)
    return fig
