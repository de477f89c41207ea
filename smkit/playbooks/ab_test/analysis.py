"""A/B analysis on sufficient statistics, after GrowthBook's stats engine (gbstats).

Checked against gbstats' published test vectors:

- frequentist: Welch t on sufficient statistics; the relative lift's interval
  by the delta method, which carries the noise of the control mean too;
- multiple comparisons across variants and metrics: Holm by default;
- Bayesian: chance to beat control and expected loss from the normal
  approximation of the relative lift with a flat prior (gbstats' default);
- ratio metrics (clicks per impression when users are randomised): delta method;
- CUPED: regression adjustment on ``pre_<metric>`` with a pooled slope;
- peeking: an always-valid confidence sequence (Waudby-Smith et al. 2023)
  for runs before the planned sample is reached;
- sample ratio mismatch: chi-square against the planned split.

Per-unit rows and a platform's aggregated export (``units`` and sums, sums of
squares and cross-products per variant) give the same sufficient statistics,
so the same comparison serves both.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import pandas as pd
from scipy import special

from smkit.methods import stats
from smkit.methods.stats import CupedStat, MeanStat, ProportionStat, RatioStat
from smkit.playbooks.ab_test import codes
from smkit.playbooks.ab_test.design import detectable_effect, plan
from smkit.playbooks.ab_test.inputs import DEFAULT_SEQUENTIAL_TUNING, Inputs, Settings
from smkit.playbooks.ab_test.result import Comparison, Decision, Result, Trend


@dataclass(frozen=True)
class Metric:
    """A metric to evaluate. ``kind`` is proportion, mean or ratio; a ratio has a
    ``denominator`` column; ``covariate`` (``pre_<metric>``) enables CUPED."""

    name: str
    kind: str
    column: str
    denominator: str | None = None
    covariate: str | None = None
    lower_is_better: bool = False
    guardrail: bool = False


def infer_metrics(
    frame: pd.DataFrame, names: Sequence[str] | None = None, guardrails: Sequence[str] = (), lower_is_better: Sequence[str] = (), aggregated: bool = False
) -> list[Metric]:
    """Metrics from names such as ``clicks/impressions`` (ratio), ``converted``
    (proportion when every value is 0 or 1; in aggregated rows, a sum without
    a ``_sq`` column) or ``watch_seconds`` (mean).
    ``None`` takes every numeric column that is not an id, a covariate or a
    sum of squares. Guardrails are added after the goal metrics."""
    skip = {"units", "unit_id", "experiment_id", "variant", "assigned_at"}
    if names is None:
        names = [
            c
            for c in frame.columns
            if c not in skip
            and not c.startswith("pre_")
            and not c.endswith(("_sq", "_prod"))
            and pd.api.types.is_numeric_dtype(frame[c])
            and c not in guardrails
        ]
    metrics = []
    for name in list(names) + [g for g in guardrails if g not in names]:
        column, _, denominator = name.partition("/")
        missing = [c for c in (column, denominator) if c and c not in frame]
        if missing:
            raise ValueError(f"metric {name!r}: no column {missing[0]!r}; columns: {', '.join(frame.columns)}")
        if denominator:
            kind = "ratio"
            if aggregated and not all(c in frame for c in (f"{column}_sq", f"{denominator}_sq", f"{column}_{denominator}_prod")):
                raise ValueError(f"metric {name!r}: aggregated rows need {column}_sq, {denominator}_sq and {column}_{denominator}_prod for a ratio")
        elif aggregated:
            if f"{column}_sq" in frame:
                kind = "mean"
            elif (frame[column] <= frame["units"]).all():
                kind = "proportion"
            else:
                raise ValueError(f"metric {name!r}: its sums exceed the units, so it is not a proportion; a mean needs a {column}_sq column of sums of squares")
        else:
            values = frame[column].dropna()
            kind = "proportion" if len(values) and values.isin([0, 1]).all() else "mean"
        covariate = f"pre_{column}" if f"pre_{column}" in frame and kind != "ratio" else None
        metrics.append(Metric(name, kind, column, denominator or None, covariate, name in lower_is_better, name in guardrails))
    return metrics


def usable(frame: pd.DataFrame, name: str, aggregated: bool) -> str:
    """Why ``name`` cannot be analysed on ``frame``, a :class:`.codes.Note` (empty when it can)."""
    column, _, denominator = name.partition("/")
    missing = [c for c in (column, denominator) if c and c not in frame]
    if missing:
        return codes.Note(codes.NO_COLUMN, column=missing[0])
    if aggregated and denominator and not all(c in frame for c in (f"{column}_sq", f"{denominator}_sq", f"{column}_{denominator}_prod")):
        return codes.Note(codes.RATIO_NEEDS_SQUARES, column=column, denominator=denominator)
    if aggregated and not denominator and f"{column}_sq" not in frame and not (frame[column] <= frame["units"]).all():
        return codes.Note(codes.SUMS_NEED_SQUARES, column=column)
    return ""


def adapt_metrics(
    frame: pd.DataFrame, names: Sequence[str], guardrails: Sequence[str], lower_is_better: Sequence[str], aggregated: bool
) -> tuple[list[Metric], tuple[str, ...]]:
    """The metrics of ``names`` and ``guardrails`` the data can carry, and a
    note for each left out. When a goal metric is left out, the data's other
    metric columns (counts and means with their ``_sq``; ratios where a
    denominator has its ``_sq`` and product columns) are analysed too."""
    notes = []
    goals = []
    for name in names:
        why = usable(frame, name, aggregated)
        (notes.append(codes.Note(codes.SKIPPED, name=name, why=why)) if why else goals.append(name))
    kept_guards = []
    for name in guardrails:
        why = usable(frame, name, aggregated)
        (notes.append(codes.Note(codes.GUARDRAIL_SKIPPED, name=name, why=why)) if why else kept_guards.append(name))
    if len(goals) < len(list(names)) or not goals:
        taken = {n.partition("/")[0] for n in goals + kept_guards}
        for metric in infer_metrics(frame, None, kept_guards, lower_is_better, aggregated=False) if not aggregated else []:
            if metric.column not in taken:
                goals.append(metric.name)
        if aggregated:
            for column in frame.columns:
                if column in {"units", "unit_id", "experiment_id", "variant", "assigned_at"} or column.startswith("pre_") or column.endswith(("_sq", "_prod")):
                    continue
                if column in taken or not pd.api.types.is_numeric_dtype(frame[column]) or usable(frame, column, True):
                    continue
                goals.append(column)
        if goals:
            notes.append(codes.Note(codes.ANALYSED_INSTEAD, metrics=", ".join(goals)))
    for name in lower_is_better:
        if usable(frame, name, aggregated) and name not in guardrails and name not in names:
            notes.append(codes.Note(codes.LOWER_MISSING, name=name))
    return infer_metrics(frame, goals, kept_guards, lower_is_better, aggregated), tuple(notes)


def variant_stat(rows: pd.DataFrame, metric: Metric, aggregated: bool):
    """Sufficient statistics of one variant for one metric."""
    if aggregated:
        n = int(rows["units"].sum())
        total = float(rows[metric.column].sum())
        if metric.kind == "ratio":
            d = metric.denominator
            return RatioStat(
                n,
                total,
                float(rows[f"{metric.column}_sq"].sum()),
                float(rows[d].sum()),
                float(rows[f"{d}_sq"].sum()),
                float(rows[f"{metric.column}_{d}_prod"].sum()),
            )
        if metric.kind == "proportion":
            return ProportionStat(n, total)
        return MeanStat(n, total, float(rows[f"{metric.column}_sq"].sum()))
    # A unit without a value is left out of that metric, never counted as zero.
    needed = [c for c in (metric.column, metric.denominator, metric.covariate) if c]
    rows = rows.dropna(subset=needed)
    y = rows[metric.column].astype(float)
    if metric.kind == "ratio":
        d = rows[metric.denominator].astype(float)
        return RatioStat(len(rows), y.sum(), (y**2).sum(), d.sum(), (d**2).sum(), (y * d).sum())
    if metric.covariate:
        x = rows[metric.covariate].astype(float)
        return CupedStat(len(rows), y.sum(), (y**2).sum(), x.sum(), (x**2).sum(), (x * y).sum())
    if metric.kind == "proportion":
        return ProportionStat(len(rows), y.sum())
    return MeanStat(len(rows), y.sum(), (y**2).sum())


def compare(
    control, variant, *, metric: Metric, variant_name: str = "treatment", alpha: float = 0.05, sequential_tuning: float = DEFAULT_SEQUENTIAL_TUNING
) -> Comparison:
    """Compare two variants' sufficient statistics (see the module docstring)."""
    base = dict(
        metric=metric.name,
        kind=metric.kind,
        variant=variant_name,
        n_control=control.n,
        n_variant=variant.n,
        guardrail=metric.guardrail,
        lower_is_better=metric.lower_is_better,
        denominator=metric.denominator,
    )
    empty = dict(
        mean_control=None, mean_variant=None, abs_lift=None, abs_ci_low=None, abs_ci_high=None, rel_lift=None, rel_ci_low=None, rel_ci_high=None, p_value=None
    )
    if control.n < 2 or variant.n < 2:
        return Comparison(**base, **empty, issue=codes.FEW_UNITS)
    if metric.kind == "ratio" and (control.d_total == 0 or variant.d_total == 0):
        return Comparison(**base, **empty, issue=codes.ZERO_DENOMINATOR)
    mean_a, mean_b = control.mean, variant.mean
    var_a, var_b = control.variance, variant.variance
    reduction = None
    if isinstance(control, CupedStat):
        theta, var_a, var_b, reduction = _cuped(control, variant)
        adj_diff = (mean_b - theta * variant.x_mean) - (mean_a - theta * control.x_mean)
    else:
        adj_diff = mean_b - mean_a
    means = dict(mean_control=float(mean_a), mean_variant=float(mean_b))
    if var_a <= 0 and var_b <= 0:
        return Comparison(**base, **{**empty, **means, "abs_lift": float(mean_b - mean_a)}, issue=codes.NO_VARIANCE)
    if var_a <= 0 or var_b <= 0:
        # One side without variance (0 of 500 converted): the normal approximation
        # would give a zero standard error there and a p-value of 0 for what an
        # exact test calls chance. GrowthBook's gbstats returns no estimate here; so do we.
        return Comparison(**base, **{**empty, **means, "abs_lift": float(mean_b - mean_a)}, issue=codes.ONE_SIDED_VARIANCE)
    if mean_a <= 0:
        return Comparison(**base, **{**empty, **means, "abs_lift": float(mean_b - mean_a)}, issue=codes.NONPOSITIVE_CONTROL)
    # Welch on sufficient statistics: Welch-Satterthwaite degrees of freedom for
    # the absolute interval and for the relative lift's test.
    dof = stats.welch_dof(var_a, control.n, var_b, variant.n)
    t = special.stdtrit(dof, 1 - alpha / 2)  # scipy.special: the t quantile without sps.t's overhead
    abs_se = math.sqrt(var_a / control.n + var_b / variant.n)
    rel = adj_diff / mean_a
    rel_se = math.sqrt(stats.delta_relative_variance(mean_a, var_a, control.n, mean_b, var_b, variant.n))
    p = float(2 * special.stdtr(dof, -abs(rel / rel_se)))
    # Bayesian: flat prior, posterior of the relative lift ~ Normal(rel, rel_se).
    sign = -1.0 if metric.lower_is_better else 1.0
    beat = float(special.ndtr(sign * rel / rel_se))
    loss = stats.normal_risk(sign * rel, rel_se)[1]
    n_total = control.n + variant.n
    hw = stats.sequential_halfwidth(rel_se, n_total, alpha, sequential_tuning)
    return Comparison(
        **base,
        **means,
        abs_lift=float(adj_diff),
        abs_ci_low=float(adj_diff - t * abs_se),
        abs_ci_high=float(adj_diff + t * abs_se),
        rel_lift=float(rel),
        rel_ci_low=float(rel - t * rel_se),
        rel_ci_high=float(rel + t * rel_se),
        p_value=p,
        prob_beat_control=beat,
        expected_loss=loss,
        seq_rel_ci_low=float(rel - hw),
        seq_rel_ci_high=float(rel + hw),
        seq_p_value=stats.sequential_pvalue(rel, rel_se, n_total, alpha, sequential_tuning),
        cuped_variance_reduction=reduction,
    )


def _cuped(a: CupedStat, b: CupedStat) -> tuple[float, float, float, float]:
    """Pooled regression slope of the metric on its pre-period value, the
    adjusted variances, and the share of variance removed."""
    joint = CupedStat(
        a.n + b.n,
        a.total + b.total,
        a.sum_squares + b.sum_squares,
        a.x_total + b.x_total,
        a.x_sum_squares + b.x_sum_squares,
        a.xy_sum_products + b.xy_sum_products,
    )
    theta = joint.covariance / joint.x_variance if joint.x_variance > 0 else 0.0
    var_a = _residual_variance(a.variance + theta**2 * a.x_variance - 2 * theta * a.covariance, a.variance)
    var_b = _residual_variance(b.variance + theta**2 * b.x_variance - 2 * theta * b.covariance, b.variance)
    before = a.variance / a.n + b.variance / b.n
    reduction = 1 - (var_a / a.n + var_b / b.n) / before if before > 0 else 0.0
    return theta, var_a, var_b, float(reduction)


def _residual_variance(adjusted: float, unadjusted: float) -> float:
    """An adjusted variance, with rounding noise around a true zero set to zero."""
    return 0.0 if adjusted <= 1e-12 * max(unadjusted, 1e-300) else adjusted


def _one_experiment(data: pd.DataFrame, experiment_id: str | None) -> tuple[pd.DataFrame, str]:
    """The rows of ``experiment_id`` (``None``: the only experiment in the rows)."""
    if data.empty:
        raise ValueError("the experiment data has no rows")
    ids = data["experiment_id"].dropna().unique().tolist() if "experiment_id" in data else [experiment_id or "experiment"]
    if experiment_id and "experiment_id" in data:
        if experiment_id not in ids:
            raise ValueError(f"experiment {experiment_id!r} is not in the data; experiments: {', '.join(map(str, ids))}")
        data = data[data["experiment_id"] == experiment_id]
    elif len(ids) > 1:
        raise ValueError(f"the data holds {len(ids)} experiments; choose one with experiment_id: {', '.join(map(str, ids))}")
    return data.dropna(axis=1, how="all"), str(experiment_id or ids[0])


def analyze(inputs: Inputs, s: Settings) -> Result:
    """Analyse one experiment from per-unit or aggregated rows, its effect over
    time and the next test's design.

    ``s.control`` names the control variant (``control``, else the first
    variant); ``s.planned_split`` defaults to equal shares; ``s.planned_units``
    (all variants together) tells whether the run is early, in which case the
    always-valid interval decides.
    """
    data, experiment_id = _one_experiment(inputs.rows, inputs.experiment_id or None)
    variants = [str(v) for v in pd.unique(data["variant"])]
    aggregated = "units" in data and ("unit_id" not in data or data["unit_id"].isna().all())
    groups = {v: data[data["variant"].astype(str) == v] for v in variants}
    units = {v: int(g["units"].sum()) if aggregated else len(g) for v, g in groups.items()}
    result = compare_variants(experiment_id, variants, units, data, aggregated, lambda v, metric: variant_stat(groups[v], metric, aggregated), s)
    return _with_design(_with_trends(result, inputs.rows, trend_metrics(result, s)), s)


def trend_metrics(result: Result, s: Settings) -> Sequence[str]:
    """The metric whose effect over time is shown: the first goal compared, else the first asked for."""
    return [c.metric for c in result.comparisons if not c.guardrail][:1] or s.metrics


def compare_variants(
    experiment_id: str,
    variants: Sequence[str],
    units: dict[str, int],
    frame: pd.DataFrame,
    aggregated: bool,
    stat: Callable[[str, Metric], object],
    s: Settings,
) -> Result:
    """Every variant against control on the metrics ``frame`` carries (its columns and
    values decide the metrics: the experiment's rows, or a stand-in with the same
    columns, types and kinds), from ``stat(variant, metric)``, the sufficient statistics."""
    if len(variants) < 2:
        raise ValueError(f"experiment {experiment_id} has {len(variants)} variant(s); a test needs two or more")
    control = s.control
    if control not in variants:
        if control not in (None, "", "control"):
            raise ValueError(f"control {control!r} is not a variant; variants: {', '.join(variants)}")
        control = variants[0]
    others = [v for v in variants if v != control]
    split = s.planned_split or {v: 1 / len(variants) for v in variants}
    srm = stats.srm_pvalue([units[v] for v in variants], [split.get(v, 0) for v in variants])

    if s.metrics:
        chosen, notes = adapt_metrics(frame, s.metrics, s.guardrails, s.lower_is_better, aggregated)
    else:
        chosen, notes = infer_metrics(frame, None, [g for g in s.guardrails if not usable(frame, g, aggregated)], s.lower_is_better, aggregated), ()
    if not chosen:
        why = f" ({'; '.join(notes)})" if notes else ""
        raise ValueError(f"experiment {experiment_id}: no metric column to analyse{why}; columns: {', '.join(map(str, frame.columns))}")
    rows = []
    for metric in chosen:
        base = stat(control, metric)
        for v in others:
            rows.append(compare(base, stat(v, metric), metric=metric, variant_name=v, alpha=s.alpha, sequential_tuning=s.sequential_tuning))
    testable = [i for i, c in enumerate(rows) if c.p_value is not None]
    adjusted = stats.adjust_pvalues([rows[i].p_value for i in testable], s.correction)
    comparisons = list(rows)
    for i, p_adj in zip(testable, adjusted):
        comparisons[i] = replace(rows[i], p_value_adjusted=float(p_adj))
    result = Result(
        experiment_id,
        control,
        tuple(variants),
        units,
        split,
        srm,
        s.alpha,
        s.correction,
        tuple(comparisons),
        (),
        s.planned_units,
        s.sequential_tuning,
        metric_notes=notes,
    )
    return replace(result, decisions=tuple(decide(result, v) for v in others))


def decide(result: Result, variant: str) -> Decision:
    """Ship, do not ship, or keep running, and the rule that decided.

    The first goal metric decides, after two gates: a sample ratio mismatch
    and a significantly harmed guardrail each block shipping.
    """
    if result.srm_mismatch:
        return Decision(variant, "do not ship", codes.SAMPLE_RATIO)
    mine = [c for c in result.comparisons if c.variant == variant]
    for c in mine:
        if c.guardrail and c.ok and c.p_value_adjusted is not None and c.p_value_adjusted < result.alpha:
            harmed = c.rel_lift > 0 if c.lower_is_better else c.rel_lift < 0
            if harmed:
                return Decision(variant, "do not ship", codes.GUARDRAIL, c.metric)
    goals = [c for c in mine if not c.guardrail]
    if not goals:
        return Decision(variant, "keep running", codes.NO_GOAL)
    goal = goals[0]
    if not goal.ok:
        return Decision(variant, "keep running", codes.UNTESTABLE, goal.metric)
    better = (lambda x: x < 0) if goal.lower_is_better else (lambda x: x > 0)
    if result.early:
        if goal.seq_rel_ci_low > 0 or goal.seq_rel_ci_high < 0:
            return Decision(variant, "ship" if better(goal.rel_lift) else "do not ship", codes.EARLY_EXCLUDES_ZERO, goal.metric)
        return Decision(variant, "keep running", codes.EARLY_INCLUDES_ZERO, goal.metric)
    significant = goal.p_value_adjusted < result.alpha
    if significant and better(goal.rel_lift):
        return Decision(variant, "ship", codes.BETTER, goal.metric)
    if significant:
        return Decision(variant, "do not ship", codes.WORSE, goal.metric)
    return Decision(variant, "do not ship", codes.NO_EFFECT, goal.metric)


def cumulative_lift(data: pd.DataFrame, metric: Metric, control: str, variant: str, alpha: float = 0.05) -> pd.DataFrame:
    """Relative lift and interval on the units assigned up to each day, to show
    novelty effects and how the estimate settled."""
    if "assigned_at" not in data:
        raise ValueError("cumulative lift needs per-unit rows with assigned_at")
    data = data[data["assigned_at"].notna()]
    day = pd.to_datetime(data["assigned_at"]).dt.date
    rows = []
    for d in sorted(day.unique()):
        upto = data[day <= d]
        a, b = (upto[upto["variant"].astype(str) == v] for v in (control, variant))
        if len(a) < 2 or len(b) < 2:
            continue
        c = compare(variant_stat(a, metric, False), variant_stat(b, metric, False), metric=metric, variant_name=variant, alpha=alpha)
        if c.ok:
            rows.append({"day": pd.Timestamp(d), "units": len(a) + len(b), "rel_lift": c.rel_lift, "rel_ci_low": c.rel_ci_low, "rel_ci_high": c.rel_ci_high})
    return pd.DataFrame(rows, columns=["day", "units", "rel_lift", "rel_ci_low", "rel_ci_high"])


def _with_trends(result: Result, rows: pd.DataFrame, metrics: Sequence[str]) -> Result:
    """The deciding metric's cumulative lift, one trend per variant, when the
    rows are per unit with assignment times (aggregated rows have none)."""
    if "assigned_at" not in rows or "unit_id" not in rows or rows["unit_id"].isna().all():
        return result
    goal = infer_metrics(rows, list(metrics)[:1] if metrics else None)[0]
    mine = rows[rows["experiment_id"] == result.experiment_id] if "experiment_id" in rows else rows
    trends = tuple(Trend(goal.name, v, cumulative_lift(mine, goal, result.control, v, result.alpha)) for v in result.variants if v != result.control)
    return replace(result, has_unit_times=True, trends=trends)


def _with_design(result: Result, s: Settings) -> Result:
    """The next test's design, and the smallest effect this experiment's sample
    (its smallest variant) could detect under the same design."""
    design = plan(
        s.design_baseline, s.design_mde, sd=s.design_sd, power=s.design_power, alpha=s.alpha, variants=s.design_variants, daily_traffic=s.design_daily_traffic
    )
    try:
        reach = detectable_effect(
            min(result.units.values()), baseline=s.design_baseline, sd=s.design_sd, alpha=design.alpha, power=design.power, variants=design.variants
        )
    except ValueError as exc:
        return replace(result, plan=design, reach_error=str(exc))
    return replace(result, plan=design, reach=reach)
