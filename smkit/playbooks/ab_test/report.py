"""The A/B playbook's presentation: sentences, tables and figures from a :class:`Result`.

Every ``*_text`` returns Markdown, every ``*_table`` a Styler built with
:func:`smkit.viz.table`, every ``*_figure`` a matplotlib Figure.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure
from pandas.io.formats.style import Styler

from smkit.methods.stats import format_p
from smkit.playbooks.ab_test import codes
from smkit.viz import escape, new_figure, table

if TYPE_CHECKING:
    from smkit.playbooks.ab_test.design import Design
    from smkit.playbooks.ab_test.result import Comparison, Decision, Result


def _interval(low: float, high: float, digits: int = 1) -> str:
    return f"[{low:+.{digits}%}, {high:+.{digits}%}]"


# ---------------------------------------------------------------- sentences


def note_text(c: Comparison) -> str:
    """Why a comparison has no test, in one sentence (empty when it has one)."""
    if c.issue == codes.FEW_UNITS:
        who, n = ("control", c.n_control) if c.n_control < 2 else (c.variant, c.n_variant)
        return f"{who} has {n} unit(s) for {c.metric}: no comparison is possible"
    if c.issue == codes.ZERO_DENOMINATOR:
        return f"{c.denominator} is zero in a variant: {c.metric} is undefined"
    if c.issue == codes.NO_VARIANCE:
        if c.kind != "proportion":
            what = "every unit has the same value"
        else:
            what = "no unit converted" if c.mean_control == 0 and c.mean_variant == 0 else "every unit converted"
        return f"{c.metric}: {what} in both variants, so there is no variance to test against"
    if c.issue == codes.ONE_SIDED_VARIANCE:
        if c.kind == "proportion":
            side, mean = (c.variant, c.mean_variant) if c.mean_variant in (0, 1) else ("control", c.mean_control)
            what = f"{'no unit' if mean == 0 else 'every unit'} converted in {side}"
        else:
            what = "every unit of one side has the same value"
        return f"{c.metric} cannot be estimated because {what}: no variance on that side (GrowthBook declines such a case too), so no decision comes from it"
    if c.issue == codes.NONPOSITIVE_CONTROL:
        return f"{c.metric}: the control mean is {c.mean_control:.4g}, not positive, so a relative lift is undefined"
    return ""


def metrics_text(result: Result) -> str:
    """Which metrics were analysed when some asked for are not in the data (Markdown; empty otherwise)."""
    return "\n".join(f"- {escape(n)}" for n in result.metric_notes)


def reason_text(result: Result, d: Decision) -> str:
    """Why ``d`` was decided, in one sentence (plain text, also saved to summary.json)."""
    if d.rule == codes.SAMPLE_RATIO:
        return (
            f"the traffic split does not match the plan (sample ratio p {format_p(result.srm_p_value)}), "
            "so the assignment is broken and no result can be trusted"
        )
    if d.rule == codes.NO_GOAL:
        return "there is no goal metric to decide on"
    c = result.comparison(d.metric, d.variant)
    if d.rule == codes.GUARDRAIL:
        return f"guardrail {c.metric} worsened by {c.rel_lift:+.1%} (adjusted p {format_p(c.p_value_adjusted)})"
    if d.rule == codes.UNTESTABLE:
        return note_text(c)
    if d.rule == codes.EARLY_EXCLUDES_ZERO:
        share = sum(result.units.values()) / result.planned_units
        return (
            f"{c.metric} {c.rel_lift:+.1%}; even the always-valid interval, safe to read early ({share:.0%} of the planned sample), "
            f"excludes zero {_interval(c.seq_rel_ci_low, c.seq_rel_ci_high)}"
        )
    if d.rule == codes.EARLY_INCLUDES_ZERO:
        share = sum(result.units.values()) / result.planned_units
        return (
            f"only {share:.0%} of the planned sample is in and the always-valid interval for {c.metric} "
            f"{_interval(c.seq_rel_ci_low, c.seq_rel_ci_high)} still includes zero"
        )
    lift = f"{c.metric} {c.rel_lift:+.1%} {_interval(c.rel_ci_low, c.rel_ci_high)}"
    if d.rule == codes.BETTER:
        return f"{lift}, adjusted p {format_p(c.p_value_adjusted)}, and no guardrail was harmed"
    if d.rule == codes.WORSE:
        return f"{lift} is significantly worse (adjusted p {format_p(c.p_value_adjusted)})"
    return f"no detectable effect on {c.metric}: {c.rel_lift:+.1%} {_interval(c.rel_ci_low, c.rel_ci_high)}, adjusted p {format_p(c.p_value_adjusted)}"


def status_text(result: Result) -> str:
    """The sample ratio and peeking status as a sentence (Markdown)."""
    text = f"Experiment **{escape(result.experiment_id)}**: sample ratio p-value {format_p(result.srm_p_value)}"
    text += ", a **mismatch**: fix the assignment before reading anything below." if result.srm_mismatch else ", the split is as planned."
    if result.early:
        text += f" Read early: {sum(result.units.values()):,} of {result.planned_units:,} planned units are in, so the decision uses the always-valid interval."
    return text


def brief(result: Result) -> str:
    """The experiment in a few lines: units, the split check, decisions and every comparison (Markdown)."""
    units = ", ".join(f"{escape(v)} {n:,}" for v, n in result.units.items())
    head = [f"Experiment {escape(result.experiment_id)}: control {escape(result.control)}, units {units}"]
    head.append(f"Sample ratio check p = {result.srm_p_value:.4g}" + (" (MISMATCH: results are not trustworthy)" if result.srm_mismatch else ""))
    for d in result.decisions:
        head.append(f"{escape(d.variant)}: {d.decision.upper()} - {escape(reason_text(result, d))}")
    lines = []
    for c in result.comparisons:
        if c.ok:
            lines.append(
                f"- {escape(c.metric)} {escape(c.variant)}: {c.rel_lift:+.2%} {_interval(c.rel_ci_low, c.rel_ci_high, 2)}, "
                f"p = {c.p_value:.3g} (adjusted {c.p_value_adjusted:.3g}), chance to beat control {c.prob_beat_control:.1%}"
            )
        else:
            lines.append(f"- {escape(c.metric)} {escape(c.variant)}: {escape(note_text(c))}")
    return "\n\n".join(head) + "\n\n" + "\n".join(lines)


def _design_sentence(plan: Design) -> str:
    days = f", {plan.days} days at the given traffic" if plan.days is not None else ""
    return (
        f"{plan.n_per_variant:,} units per variant ({plan.variants} variants, {plan.n_per_variant * plan.variants:,} in all{days}) "
        f"to detect {plan.mde_relative:+.1%} ({plan.mde_absolute:+.4g} absolute) on a baseline of {plan.baseline:.4g} "
        f"with alpha {plan.alpha:g} and power {plan.power:.0%}; {plan.method}."
    )


def design_text(result: Result) -> str:
    """The next test's plan and the effect the current experiment's sample could detect (Markdown)."""
    n = min(result.units.values())
    where = f"With {n:,} units per variant, as in {escape(result.experiment_id)}"
    if result.reach is None:
        return f"{_design_sentence(result.plan)}\n\n{where}: {escape(result.reach_error)}."
    reach = result.reach
    relative = f"{reach.mde_relative:+.1%} relative, " if reach.baseline else ""
    return f"{_design_sentence(result.plan)}\n\n{where}, the smallest detectable effect is {relative}{reach.mde_absolute:+.4g} absolute."


def effect_over_time_text(result: Result, variant: str | None = None) -> str:
    """Why there is no cumulative-lift figure: for the whole experiment
    (aggregated rows) or for ``variant`` (no day with enough data); empty when there is one."""
    if not result.has_unit_times:
        return "Aggregated rows carry no assignment time, so there is no effect over time."
    for trend in result.trends:
        if (variant is None or trend.variant == variant) and not trend.has_days:
            return f"{escape(trend.metric)} · {escape(trend.variant)}: no day has enough data for an estimate yet."
    return ""


# ---------------------------------------------------------------- tables


def decisions_table(result: Result) -> Styler:
    """One row per variant: the decision and why."""
    rows = [{"variant": d.variant, "decision": d.decision.upper(), "why": reason_text(result, d)} for d in result.decisions]
    return table(pd.DataFrame(rows, columns=["variant", "decision", "why"]).set_index("variant"))


def srm_table(result: Result) -> Styler:
    """Units per variant, their observed share and the planned share."""
    total = sum(result.units.values())
    frame = pd.DataFrame(
        {
            "units": result.units,
            "observed share": {v: n / total for v, n in result.units.items()},
            "planned share": {v: result.planned_split.get(v, 0.0) for v in result.units},
        }
    )
    return table(frame, {"units": "{:,}", "observed share": "{:.2%}", "planned share": "{:.2%}"})


def results_table(result: Result) -> Styler:
    """The per-metric table readers see: lifts with intervals, p-values, Bayesian figures.
    ``.data`` holds the numbers; intervals are shown as text."""
    level = f"{1 - result.alpha:.0%} interval"
    adjusted = f"p ({result.correction})"
    rows = []
    for c in result.comparisons:
        if not c.ok:
            rows.append({"metric": c.metric, "variant": c.variant, "note": note_text(c)})
            continue
        rows.append(
            {
                "metric": c.metric + (" (guardrail)" if c.guardrail else ""),
                "variant": c.variant,
                "control": c.mean_control,
                "variant mean": c.mean_variant,
                "relative lift": c.rel_lift,
                level: _interval(c.rel_ci_low, c.rel_ci_high, 2),
                "always-valid interval": _interval(c.seq_rel_ci_low, c.seq_rel_ci_high, 2),
                "p-value": c.p_value,
                adjusted: c.p_value_adjusted,
                "chance to beat control (Bayesian)": c.prob_beat_control,
                "expected loss if shipped": c.expected_loss,
                "CUPED variance removed": c.cuped_variance_reduction,
            }
        )
    frame = pd.DataFrame(rows).set_index(["metric", "variant"])
    formats = {
        "control": "{:.4f}",
        "variant mean": "{:.4f}",
        "relative lift": "{:+.2%}",
        "p-value": format_p,
        adjusted: format_p,
        "chance to beat control (Bayesian)": "{:.1%}",
        "expected loss if shipped": "{:.3%}",
        "CUPED variance removed": "{:.0%}",
    }
    return table(frame, formats, na_rep="")


# ---------------------------------------------------------------- figures


def lifts_figure(result: Result) -> Figure:
    """Relative lift per metric and variant with its interval (and the always-valid one, lighter)."""
    shown = [c for c in result.comparisons if c.ok]
    fig, ax = new_figure("相对提升 Relative lift against control", height=0.5 + 0.55 * max(len(shown), 1))
    for i, c in enumerate(reversed(shown)):
        ax.plot([c.seq_rel_ci_low, c.seq_rel_ci_high], [i, i], color="#BBBBBB", linewidth=6, solid_capstyle="butt")
        colour = "#3A9E6F" if c.rel_ci_low > 0 else "#C4474D" if c.rel_ci_high < 0 else "#6F7A86"
        ax.plot([c.rel_ci_low, c.rel_ci_high], [i, i], color=colour, linewidth=2.5)
        ax.plot([c.rel_lift], [i], "o", color=colour)
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_yticks(range(len(shown)), [f"{c.metric} · {c.variant}" for c in reversed(shown)])
    ax.xaxis.set_major_formatter(plt.FuncFormatter(lambda x, _: f"{x:+.0%}"))
    ax.set_xlabel(f"relative lift, {1 - result.alpha:.0%} interval (dark) and always-valid interval (grey)")
    plt.close(fig)
    return fig


def cumulative_lift_figure(result: Result, variant: str) -> Figure:
    """Cumulative relative lift of the deciding metric by assignment day for
    ``variant`` (check ``result.trend(variant).has_days`` first: else it is empty)."""
    trend = result.trend(variant)
    frame = trend.frame
    fig, ax = new_figure(f"累计提升 Cumulative lift · {trend.metric} · {variant}", height=3.2)
    ax.fill_between(frame["day"], frame["rel_ci_low"], frame["rel_ci_high"], alpha=0.25, color="#2F6DB5", linewidth=0)
    ax.plot(frame["day"], frame["rel_lift"], color="#2F6DB5")
    ax.axhline(0, color="black", linewidth=0.8)
    ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda x, _: f"{x:+.0%}"))
    locator = mdates.AutoDateLocator(maxticks=8)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.set_ylabel("relative lift")
    plt.close(fig)
    return fig
