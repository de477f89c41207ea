"""A/B content evaluation: test design and analysis an analyst can defend.

Backs ``notebooks/ab_test.ipynb``. The statistics follow GrowthBook's stats
engine (gbstats) and are checked against its published test vectors:

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

Power: proportions use Evan Miller's formula (unpooled variance under the
alternative), means the normal approximation statsmodels' ``NormalIndPower``
uses; sample sizes are rounded to the nearest unit, as Evan Miller's
calculator does. The common formulas differ by 3 to 7%; these two are pinned
and tested.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace

import pandas as pd
from scipy import special
from scipy import stats as sps
from scipy.optimize import brentq

from smkit.methods import stats
from smkit.methods.stats import CupedStat, MeanStat, ProportionStat, RatioStat

SRM_THRESHOLD = 0.001  # GrowthBook's default: below this the split is broken
DEFAULT_SEQUENTIAL_TUNING = 5000


# ---------------------------------------------------------------- design


@dataclass(frozen=True)
class Design:
    """A test plan: sample size per variant and days needed, or the detectable effect."""

    metric_kind: str
    baseline: float
    mde_absolute: float
    mde_relative: float
    alpha: float
    power: float
    variants: int
    n_per_variant: int
    days: int | None
    method: str

    def summary(self) -> str:
        days = f", {self.days} days at the given traffic" if self.days is not None else ""
        return (
            f"{self.n_per_variant:,} units per variant ({self.variants} variants, {self.n_per_variant * self.variants:,} in all{days}) "
            f"to detect {self.mde_relative:+.1%} ({self.mde_absolute:+.4g} absolute) on a baseline of {self.baseline:.4g} "
            f"with alpha {self.alpha:g} and power {self.power:.0%}; {self.method}."
        )

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([asdict(self)]).T.rename(columns={0: "value"})

    def _repr_html_(self) -> str:
        return f"<p>{html.escape(self.summary())}</p>" + self.to_frame().to_html()


def _alpha_per_comparison(alpha: float, variants: int) -> float:
    """With several variants each is compared to control; Bonferroni keeps the
    family-wise error at ``alpha`` (Holm's worst case)."""
    return alpha / max(variants - 1, 1)


def _round(n: float) -> int:
    """Nearest whole unit, as Evan Miller's calculator rounds (1030.2 -> 1,030)."""
    return int(math.floor(n + 0.5))


def _days(n: int, variants: int, daily_traffic: float | None) -> int | None:
    return None if not daily_traffic else math.ceil(n * variants / daily_traffic)


def design_proportion(
    baseline: float, mde: float, *, relative: bool = True, alpha: float = 0.05, power: float = 0.8,
    variants: int = 2, daily_traffic: float | None = None,
) -> Design:
    """Units per variant to detect a change of a rate (Evan Miller's formula).

    ``mde`` is relative (0.1 = +10%) unless ``relative=False``.
    """
    if not 0 < baseline < 1:
        raise ValueError(f"baseline rate must be between 0 and 1, got {baseline}")
    delta = baseline * mde if relative else mde
    if delta == 0 or not 0 < baseline + delta < 1:
        raise ValueError(f"the detectable effect must be non-zero and keep the rate within 0..1 (baseline {baseline}, effect {delta:+g})")
    a = _alpha_per_comparison(alpha, variants)
    z_a, z_b = sps.norm.ppf(1 - a / 2), sps.norm.ppf(power)
    p, q = baseline, baseline + delta
    n = (z_a * math.sqrt(2 * p * (1 - p)) + z_b * math.sqrt(p * (1 - p) + q * (1 - q))) ** 2 / delta**2
    n_int = _round(n)
    method = "Evan Miller's sample size formula (two-sided z, unpooled variance under the alternative)"
    if variants > 2:
        method += f", alpha split over {variants - 1} comparisons (Bonferroni)"
    return Design("proportion", baseline, delta, delta / baseline, alpha, power, variants, n_int, _days(n_int, variants, daily_traffic), method)


def design_mean(
    mean: float, sd: float, mde: float, *, relative: bool = True, alpha: float = 0.05, power: float = 0.8,
    variants: int = 2, daily_traffic: float | None = None,
) -> Design:
    """Units per variant to detect a change of a mean (two-sided z; equals
    statsmodels' ``NormalIndPower`` with effect size delta / sd)."""
    if sd <= 0:
        raise ValueError(f"standard deviation must be positive, got {sd}")
    delta = mean * mde if relative else mde
    if delta == 0:
        raise ValueError("the detectable effect must be non-zero")
    a = _alpha_per_comparison(alpha, variants)
    n = 2 * ((sps.norm.ppf(1 - a / 2) + sps.norm.ppf(power)) * sd / delta) ** 2
    n_int = _round(n)
    method = "two-sample z approximation (statsmodels NormalIndPower)"
    if variants > 2:
        method += f", alpha split over {variants - 1} comparisons (Bonferroni)"
    return Design("mean", mean, delta, delta / mean if mean else float("nan"), alpha, power, variants, n_int, _days(n_int, variants, daily_traffic), method)


def design(baseline: float, mde: float, *, sd: float | None = None, **options) -> Design:
    """A rate's design (no ``sd``) or a mean's (with ``sd``); ``options`` as for either."""
    return design_mean(baseline, sd, mde, **options) if sd else design_proportion(baseline, mde, **options)


def detectable_effect(
    n_per_variant: int, *, baseline: float, sd: float | None = None, alpha: float = 0.05, power: float = 0.8, variants: int = 2,
) -> Design:
    """The smallest effect a sample of ``n_per_variant`` detects: the reverse of
    :func:`design_proportion` (no ``sd``) or :func:`design_mean` (with ``sd``)."""
    if sd is not None:
        a = _alpha_per_comparison(alpha, variants)
        delta = (sps.norm.ppf(1 - a / 2) + sps.norm.ppf(power)) * sd * math.sqrt(2 / n_per_variant)
        d = design_mean(baseline, sd, delta, relative=False, alpha=alpha, power=power, variants=variants)
    else:
        largest = 1 - baseline - 1e-9
        if _n_continuous(baseline, largest, alpha, power, variants) > n_per_variant:
            raise ValueError(f"with {n_per_variant:,} units per variant no increase of a {baseline:.3g} rate is detectable at power {power:.0%}")
        delta = brentq(lambda x: _n_continuous(baseline, x, alpha, power, variants) - n_per_variant, 1e-9, largest)
        d = design_proportion(baseline, delta, relative=False, alpha=alpha, power=power, variants=variants)
    return Design(d.metric_kind, baseline, delta, delta / baseline if baseline else float("nan"), alpha, power, variants, n_per_variant, None, d.method)


def _n_continuous(p: float, delta: float, alpha: float, power: float, variants: int) -> float:
    a = _alpha_per_comparison(alpha, variants)
    q = p + delta
    return (sps.norm.ppf(1 - a / 2) * math.sqrt(2 * p * (1 - p)) + sps.norm.ppf(power) * math.sqrt(p * (1 - p) + q * (1 - q))) ** 2 / delta**2


# ---------------------------------------------------------------- analysis


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


@dataclass(frozen=True)
class Comparison:
    """One metric, one variant against control. Lifts are variant minus control;
    ``rel_*`` are relative to the control mean. ``prob_beat_control`` is a
    Bayesian posterior probability, not one minus the p-value."""

    metric: str
    kind: str
    variant: str
    n_control: int
    n_variant: int
    mean_control: float | None
    mean_variant: float | None
    abs_lift: float | None
    abs_ci_low: float | None
    abs_ci_high: float | None
    rel_lift: float | None
    rel_ci_low: float | None
    rel_ci_high: float | None
    p_value: float | None
    p_value_adjusted: float | None = None
    prob_beat_control: float | None = None
    expected_loss: float | None = None
    seq_rel_ci_low: float | None = None
    seq_rel_ci_high: float | None = None
    seq_p_value: float | None = None
    cuped_variance_reduction: float | None = None
    guardrail: bool = False
    lower_is_better: bool = False
    note: str = ""

    @property
    def ok(self) -> bool:
        return self.rel_lift is not None and self.p_value is not None


@dataclass(frozen=True)
class Decision:
    variant: str
    decision: str  # ship, do not ship, keep running
    reason: str


@dataclass(frozen=True)
class ABResult:
    """The analysis of one experiment (statsmodels-style results object)."""

    experiment_id: str
    control: str
    variants: tuple[str, ...]
    units: dict[str, int]
    planned_split: dict[str, float]
    srm_p_value: float
    alpha: float
    correction: str
    comparisons: tuple[Comparison, ...]
    decisions: tuple[Decision, ...]
    planned_units: int | None
    sequential_tuning: float
    notes: tuple[str, ...] = field(default=())

    @property
    def srm_mismatch(self) -> bool:
        return self.srm_p_value < SRM_THRESHOLD

    @property
    def early(self) -> bool:
        """Read before the planned sample was reached (peeking)."""
        return self.planned_units is not None and sum(self.units.values()) < self.planned_units

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([asdict(c) for c in self.comparisons])

    def summary(self) -> str:
        lines = [f"Experiment {self.experiment_id}: control {self.control}, units " + ", ".join(f"{v} {n:,}" for v, n in self.units.items())]
        lines.append(f"Sample ratio check p = {self.srm_p_value:.4g}" + (" (MISMATCH: results are not trustworthy)" if self.srm_mismatch else ""))
        for d in self.decisions:
            lines.append(f"{d.variant}: {d.decision.upper()} - {d.reason}")
        for c in self.comparisons:
            if c.ok:
                lines.append(
                    f"  {c.metric} {c.variant}: {c.rel_lift:+.2%} [{c.rel_ci_low:+.2%}, {c.rel_ci_high:+.2%}], "
                    f"p = {c.p_value:.3g} (adjusted {c.p_value_adjusted:.3g}), chance to beat control {c.prob_beat_control:.1%}"
                )
            else:
                lines.append(f"  {c.metric} {c.variant}: {c.note}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        return "<pre>" + html.escape(self.summary()) + "</pre>"

    def to_summary(self) -> dict:
        """The ``summary.json`` figures of the A/B playbook."""
        keys = ("metric", "variant", "n_control", "n_variant", "mean_control", "mean_variant", "abs_lift", "abs_ci_low", "abs_ci_high",
                "rel_lift", "rel_ci_low", "rel_ci_high", "p_value", "p_value_adjusted", "prob_beat_control", "expected_loss")
        return {
            "experiment_id": self.experiment_id,
            "control": self.control,
            "srm_p_value": self.srm_p_value,
            "decision": {d.variant: {"decision": d.decision, "reason": d.reason} for d in self.decisions},
            "results": [{k: getattr(c, k) for k in keys} for c in self.comparisons],
        }


def infer_metrics(frame: pd.DataFrame, names: Sequence[str] | None = None, guardrails: Sequence[str] = (),
                  lower_is_better: Sequence[str] = (), aggregated: bool = False) -> list[Metric]:
    """Metrics from names such as ``clicks/impressions`` (ratio), ``converted``
    (proportion when every value is 0 or 1; in aggregated rows, a sum without
    a ``_sq`` column) or ``watch_seconds`` (mean).
    ``None`` takes every numeric column that is not an id, a covariate or a
    sum of squares. Guardrails are added after the goal metrics."""
    skip = {"units", "unit_id", "experiment_id", "variant", "assigned_at"}
    if names is None:
        names = [c for c in frame.columns if c not in skip and not c.startswith("pre_") and not c.endswith(("_sq", "_prod"))
                 and pd.api.types.is_numeric_dtype(frame[c]) and c not in guardrails]
    metrics = []
    for name in list(names) + [g for g in guardrails if g not in names]:
        column, _, denominator = name.partition("/")
        missing = [c for c in (column, denominator) if c and c not in frame]
        if missing:
            raise ValueError(f"metric {name!r}: no column {missing[0]!r}; columns: {', '.join(frame.columns)}")
        if denominator:
            kind = "ratio"
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


def _variant_stat(rows: pd.DataFrame, metric: Metric, aggregated: bool):
    """Sufficient statistics of one variant for one metric."""
    if aggregated:
        n = int(rows["units"].sum())
        total = float(rows[metric.column].sum())
        if metric.kind == "ratio":
            d = metric.denominator
            return RatioStat(n, total, float(rows[f"{metric.column}_sq"].sum()), float(rows[d].sum()), float(rows[f"{d}_sq"].sum()),
                             float(rows[f"{metric.column}_{d}_prod"].sum()))
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


def compare(control, variant, *, metric: Metric, variant_name: str = "treatment", alpha: float = 0.05,
            sequential_tuning: float = DEFAULT_SEQUENTIAL_TUNING) -> Comparison:
    """Compare two variants' sufficient statistics (see the module docstring)."""
    base = dict(metric=metric.name, kind=metric.kind, variant=variant_name, n_control=control.n, n_variant=variant.n,
                guardrail=metric.guardrail, lower_is_better=metric.lower_is_better)
    empty = dict(mean_control=None, mean_variant=None, abs_lift=None, abs_ci_low=None, abs_ci_high=None, rel_lift=None,
                 rel_ci_low=None, rel_ci_high=None, p_value=None)
    for who, stat in (("control", control), (variant_name, variant)):
        if stat.n < 2:
            return Comparison(**base, **empty, note=f"{who} has {stat.n} unit(s) for {metric.name}: no comparison is possible")
    if metric.kind == "ratio" and (control.d_total == 0 or variant.d_total == 0):
        return Comparison(**base, **empty, note=f"{metric.denominator} is zero in a variant: {metric.name} is undefined")
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
        what = "every unit has the same value" if metric.kind != "proportion" else ("no unit converted" if mean_a == 0 and mean_b == 0 else "every unit converted")
        return Comparison(**base, **{**empty, **means, "abs_lift": float(mean_b - mean_a)},
                          note=f"{metric.name}: {what} in both variants, so there is no variance to test against")
    if mean_a <= 0:
        return Comparison(**base, **{**empty, **means, "abs_lift": float(mean_b - mean_a)},
                          note=f"{metric.name}: the control mean is {mean_a:.4g}, not positive, so a relative lift is undefined")
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
        **base, **means,
        abs_lift=float(adj_diff), abs_ci_low=float(adj_diff - t * abs_se), abs_ci_high=float(adj_diff + t * abs_se),
        rel_lift=float(rel), rel_ci_low=float(rel - t * rel_se), rel_ci_high=float(rel + t * rel_se), p_value=p,
        prob_beat_control=beat, expected_loss=loss,
        seq_rel_ci_low=float(rel - hw), seq_rel_ci_high=float(rel + hw),
        seq_p_value=stats.sequential_pvalue(rel, rel_se, n_total, alpha, sequential_tuning),
        cuped_variance_reduction=reduction,
    )


def _cuped(a: CupedStat, b: CupedStat) -> tuple[float, float, float, float]:
    """Pooled regression slope of the metric on its pre-period value, the
    adjusted variances, and the share of variance removed."""
    joint = CupedStat(a.n + b.n, a.total + b.total, a.sum_squares + b.sum_squares, a.x_total + b.x_total,
                      a.x_sum_squares + b.x_sum_squares, a.xy_sum_products + b.xy_sum_products)
    theta = joint.covariance / joint.x_variance if joint.x_variance > 0 else 0.0
    var_a = _residual_variance(a.variance + theta**2 * a.x_variance - 2 * theta * a.covariance, a.variance)
    var_b = _residual_variance(b.variance + theta**2 * b.x_variance - 2 * theta * b.covariance, b.variance)
    before = a.variance / a.n + b.variance / b.n
    reduction = 1 - (var_a / a.n + var_b / b.n) / before if before > 0 else 0.0
    return theta, var_a, var_b, float(reduction)


def _residual_variance(adjusted: float, unadjusted: float) -> float:
    """An adjusted variance, with rounding noise around a true zero set to zero."""
    return 0.0 if adjusted <= 1e-12 * max(unadjusted, 1e-300) else adjusted


def analyze(
    data: pd.DataFrame,
    *,
    experiment_id: str | None = None,
    control: str | None = "control",
    metrics: Sequence[str] | None = None,
    guardrails: Sequence[str] = (),
    lower_is_better: Sequence[str] = (),
    alpha: float = 0.05,
    correction: str = "holm",
    planned_split: dict[str, float] | None = None,
    planned_units: int | None = None,
    sequential_tuning: float = DEFAULT_SEQUENTIAL_TUNING,
) -> ABResult:
    """Analyse an experiment from per-unit or aggregated rows (see the data model).

    ``control`` names the control variant (``control``, else the first
    variant); ``planned_split`` defaults to equal shares; ``planned_units``
    (all variants together) tells whether the run is early, in which case the
    always-valid interval decides.
    """
    if data.empty:
        raise ValueError("the experiment data has no rows")
    ids = data["experiment_id"].dropna().unique().tolist() if "experiment_id" in data else [experiment_id or "experiment"]
    if experiment_id and "experiment_id" in data:
        if experiment_id not in ids:
            raise ValueError(f"experiment {experiment_id!r} is not in the data; experiments: {', '.join(map(str, ids))}")
        data = data[data["experiment_id"] == experiment_id]
    elif len(ids) > 1:
        raise ValueError(f"the data holds {len(ids)} experiments; choose one with experiment_id: {', '.join(map(str, ids))}")
    experiment_id = str(experiment_id or ids[0])
    data = data.dropna(axis=1, how="all")
    variants = [str(v) for v in pd.unique(data["variant"])]
    if len(variants) < 2:
        raise ValueError(f"experiment {experiment_id} has {len(variants)} variant(s); a test needs two or more")
    if control not in variants:
        if control not in (None, "", "control"):
            raise ValueError(f"control {control!r} is not a variant; variants: {', '.join(variants)}")
        control = variants[0]
    others = [v for v in variants if v != control]
    aggregated = "units" in data and ("unit_id" not in data or data["unit_id"].isna().all())
    groups = {v: data[data["variant"].astype(str) == v] for v in variants}
    units = {v: int(g["units"].sum()) if aggregated else len(g) for v, g in groups.items()}
    split = planned_split or {v: 1 / len(variants) for v in variants}
    srm = stats.srm_pvalue([units[v] for v in variants], [split.get(v, 0) for v in variants])

    chosen = infer_metrics(data, metrics, guardrails, lower_is_better, aggregated)
    rows = []
    for metric in chosen:
        base = _variant_stat(groups[control], metric, aggregated)
        for v in others:
            rows.append(compare(base, _variant_stat(groups[v], metric, aggregated), metric=metric, variant_name=v, alpha=alpha,
                                sequential_tuning=sequential_tuning))
    testable = [i for i, c in enumerate(rows) if c.p_value is not None]
    adjusted = stats.adjust_pvalues([rows[i].p_value for i in testable], correction)
    comparisons = list(rows)
    for i, p_adj in zip(testable, adjusted):
        comparisons[i] = replace(rows[i], p_value_adjusted=float(p_adj))
    result = ABResult(experiment_id, control, tuple(variants), units, split, srm, alpha, correction, tuple(comparisons), (),
                      planned_units, sequential_tuning)
    return replace(result, decisions=tuple(decide(result, v) for v in others))


def decide(result: ABResult, variant: str) -> Decision:
    """Ship, do not ship, or keep running, with the reason in one sentence.

    The first goal metric decides, after two gates: a sample ratio mismatch
    and a significantly harmed guardrail each block shipping.
    """
    if result.srm_mismatch:
        return Decision(variant, "do not ship", f"the traffic split does not match the plan (sample ratio p {stats.format_p(result.srm_p_value)}), so the assignment is broken and no result can be trusted")
    mine = [c for c in result.comparisons if c.variant == variant]
    for c in mine:
        if c.guardrail and c.ok and c.p_value_adjusted is not None and c.p_value_adjusted < result.alpha:
            harmed = c.rel_lift > 0 if c.lower_is_better else c.rel_lift < 0
            if harmed:
                return Decision(variant, "do not ship", f"guardrail {c.metric} worsened by {c.rel_lift:+.1%} (adjusted p {stats.format_p(c.p_value_adjusted)})")
    goals = [c for c in mine if not c.guardrail]
    if not goals:
        return Decision(variant, "keep running", "there is no goal metric to decide on")
    goal = goals[0]
    if not goal.ok:
        return Decision(variant, "keep running", goal.note)
    better = (lambda x: x < 0) if goal.lower_is_better else (lambda x: x > 0)
    if result.early:
        low, high = goal.seq_rel_ci_low, goal.seq_rel_ci_high
        share = sum(result.units.values()) / result.planned_units
        if low > 0 or high < 0:
            verdict = "ship" if better(goal.rel_lift) else "do not ship"
            return Decision(variant, verdict, f"{goal.metric} {goal.rel_lift:+.1%}; even the always-valid interval, safe to read early ({share:.0%} of the planned sample), excludes zero [{low:+.1%}, {high:+.1%}]")
        return Decision(variant, "keep running", f"only {share:.0%} of the planned sample is in and the always-valid interval for {goal.metric} [{low:+.1%}, {high:+.1%}] still includes zero")
    significant = goal.p_value_adjusted < result.alpha
    if significant and better(goal.rel_lift):
        return Decision(variant, "ship", f"{goal.metric} {goal.rel_lift:+.1%} [{goal.rel_ci_low:+.1%}, {goal.rel_ci_high:+.1%}], adjusted p {stats.format_p(goal.p_value_adjusted)}, and no guardrail was harmed")
    if significant:
        return Decision(variant, "do not ship", f"{goal.metric} {goal.rel_lift:+.1%} [{goal.rel_ci_low:+.1%}, {goal.rel_ci_high:+.1%}] is significantly worse (adjusted p {stats.format_p(goal.p_value_adjusted)})")
    return Decision(variant, "do not ship", f"no detectable effect on {goal.metric}: {goal.rel_lift:+.1%} [{goal.rel_ci_low:+.1%}, {goal.rel_ci_high:+.1%}], adjusted p {stats.format_p(goal.p_value_adjusted)}")


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
        c = compare(_variant_stat(a, metric, False), _variant_stat(b, metric, False), metric=metric, variant_name=variant, alpha=alpha)
        if c.ok:
            rows.append({"day": pd.Timestamp(d), "units": len(a) + len(b), "rel_lift": c.rel_lift, "rel_ci_low": c.rel_ci_low, "rel_ci_high": c.rel_ci_high})
    return pd.DataFrame(rows, columns=["day", "units", "rel_lift", "rel_ci_low", "rel_ci_high"])


def effect_over_time(rows: pd.DataFrame, result: ABResult, metrics: Sequence[str] | None) -> list:
    """Cumulative-lift figures of the deciding metric, one per variant, or a
    sentence saying why there are none."""
    if "assigned_at" not in rows or "unit_id" not in rows or rows["unit_id"].isna().all():
        return ["Aggregated rows carry no assignment time, so there is no effect over time."]
    goal = infer_metrics(rows, list(metrics)[:1] if metrics else None)[0]
    mine = rows[rows["experiment_id"] == result.experiment_id] if "experiment_id" in rows else rows
    out: list = []
    for variant in result.variants:
        if variant == result.control:
            continue
        trend = cumulative_lift(mine, goal, result.control, variant, result.alpha)
        out.append(plot_cumulative(trend, goal.name, variant) if len(trend) else f"{goal.name} · {variant}: no day has enough data for an estimate yet.")
    return out


# ---------------------------------------------------------------- notebook helpers


def load_experiments(store, data: str | None = None, start=None, end=None) -> pd.DataFrame:
    """Experiment rows from a file (CSV, XLSX or Parquet, read and validated as
    an ``experiments`` export) or else from the store."""
    if data:
        from smkit.data.ingest import prepare

        return prepare(data, "experiments").frame
    from smkit import load

    return load("experiments", store=store, start=start, end=end)


def latest_experiment(data: pd.DataFrame) -> str:
    """The experiment whose units were assigned most recently."""
    if "assigned_at" in data and data["assigned_at"].notna().any():
        return str(data.groupby("experiment_id")["assigned_at"].min().idxmax())
    return str(data["experiment_id"].iloc[-1])


def split_names(text: str) -> list[str]:
    """``"a, b/c"`` -> ``["a", "b/c"]``; empty text -> empty list."""
    return [part.strip() for part in text.split(",") if part.strip()]


def status_text(result: ABResult) -> str:
    """The sample ratio and peeking status as a sentence (Markdown)."""
    text = f"Experiment **{html.escape(result.experiment_id)}**: sample ratio p-value {stats.format_p(result.srm_p_value)}"
    text += ", a **mismatch**: fix the assignment before reading anything below." if result.srm_mismatch else ", the split is as planned."
    if result.early:
        text += (f" Read early: {sum(result.units.values()):,} of {result.planned_units:,} planned units are in, "
                 "so the decision uses the always-valid interval.")
    return text


def design_text(plan: Design, result: ABResult, *, baseline: float, sd: float | None) -> str:
    """The test plan and the effect the current experiment's sample could detect (Markdown)."""
    n = min(result.units.values())
    where = f"With {n:,} units per variant, as in {html.escape(result.experiment_id)}"
    try:
        reach = detectable_effect(n, baseline=baseline, sd=sd, alpha=plan.alpha, power=plan.power, variants=plan.variants)
    except ValueError as exc:
        return f"{plan.summary()}\n\n{where}: {exc}."
    relative = f"{reach.mde_relative:+.1%} relative, " if baseline else ""
    return f"{plan.summary()}\n\n{where}, the smallest detectable effect is {relative}{reach.mde_absolute:+.4g} absolute."


def decisions_frame(result: ABResult) -> pd.DataFrame:
    return pd.DataFrame([{"variant": d.variant, "decision": d.decision.upper(), "why": d.reason} for d in result.decisions]).set_index("variant")


def srm_frame(result: ABResult) -> pd.DataFrame:
    total = sum(result.units.values())
    frame = pd.DataFrame({"units": result.units, "observed share": {v: n / total for v, n in result.units.items()},
                          "planned share": {v: result.planned_split.get(v, 0.0) for v in result.units}})
    return frame.style.format({"units": "{:,}", "observed share": "{:.2%}", "planned share": "{:.2%}"}).format_index(escape="html")


def results_frame(result: ABResult):
    """The per-metric table readers see: lifts with intervals, p-values, Bayesian figures."""
    rows = []
    for c in result.comparisons:
        if not c.ok:
            rows.append({"metric": c.metric, "variant": c.variant, "note": c.note})
            continue
        rows.append({
            "metric": c.metric + (" (guardrail)" if c.guardrail else ""),
            "variant": c.variant,
            "control": c.mean_control,
            "variant mean": c.mean_variant,
            "relative lift": f"{c.rel_lift:+.2%}",
            f"{1 - result.alpha:.0%} interval": f"[{c.rel_ci_low:+.2%}, {c.rel_ci_high:+.2%}]",
            "always-valid interval": f"[{c.seq_rel_ci_low:+.2%}, {c.seq_rel_ci_high:+.2%}]",
            "p-value": stats.format_p(c.p_value),
            f"p ({result.correction})": stats.format_p(c.p_value_adjusted),
            "chance to beat control (Bayesian)": f"{c.prob_beat_control:.1%}",
            "expected loss if shipped": f"{c.expected_loss:.3%}",
            "CUPED variance removed": "" if c.cuped_variance_reduction is None else f"{c.cuped_variance_reduction:.0%}",
        })
    frame = pd.DataFrame(rows).set_index(["metric", "variant"])
    numbers = {"control": "{:.4f}", "variant mean": "{:.4f}"}
    styled = frame.style.format(escape="html", na_rep="").format({k: v for k, v in numbers.items() if k in frame}, na_rep="")
    return styled.format_index(escape="html")


def plot_lifts(result: ABResult):
    """Relative lift per metric and variant with its interval (and the always-valid one, lighter)."""
    import matplotlib.pyplot as plt

    from smkit.viz import new_figure

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


def plot_cumulative(frame: pd.DataFrame, metric: str, variant: str):
    """Cumulative relative lift by assignment day."""
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    from smkit.viz import new_figure

    fig, ax = new_figure(f"累计提升 Cumulative lift · {metric} · {variant}", height=3.2)
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
