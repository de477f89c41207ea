"""What an A/B analysis finds: comparisons, decisions, the effect over time and the design.

Sub-results hold numbers and codes; the sentences that explain them are
written by :mod:`smkit.playbooks.ab_test.report`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import pandas as pd

from smkit.playbooks.ab_test import report
from smkit.playbooks.ab_test.design import Design

SRM_THRESHOLD = 0.001  # GrowthBook's default: below this the split is broken

SUMMARY_KEYS = (
    "metric", "variant", "n_control", "n_variant", "mean_control", "mean_variant", "abs_lift", "abs_ci_low", "abs_ci_high",
    "rel_lift", "rel_ci_low", "rel_ci_high", "p_value", "p_value_adjusted", "prob_beat_control", "expected_loss",
)  # fmt: skip


@dataclass(frozen=True)
class Comparison:
    """One metric, one variant against control. Lifts are variant minus control;
    ``rel_*`` are relative to the control mean. ``prob_beat_control`` is a
    Bayesian posterior probability, not one minus the p-value. ``issue`` says
    why there is no test (a code of :mod:`.codes`), empty when there is one."""

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
    denominator: str | None = None
    issue: str = ""

    @property
    def ok(self) -> bool:
        return self.rel_lift is not None and self.p_value is not None


@dataclass(frozen=True)
class Decision:
    """Ship, do not ship or keep running, the rule that decided (a code of
    :mod:`.codes`), and the metric it decided on (``None`` for the sample
    ratio and no goal)."""

    variant: str
    decision: str  # ship, do not ship, keep running: a stable code (summary.json keeps it); report.decision_name words it
    rule: str
    metric: str | None = None


@dataclass(frozen=True)
class Trend:
    """The relative lift of ``metric`` for ``variant`` on the units assigned up
    to each day (columns day, units, rel_lift, rel_ci_low, rel_ci_high)."""

    metric: str
    variant: str
    frame: pd.DataFrame

    @property
    def has_days(self) -> bool:
        return len(self.frame) > 0


@dataclass(frozen=True)
class Result:
    """The analysis of one experiment."""

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
    has_unit_times: bool = False  # per-unit rows with assignment times: the effect over time can be shown
    trends: tuple[Trend, ...] = field(default=())
    plan: Design | None = None  # the next test's design
    reach: Design | None = None  # the effect this experiment's sample could detect
    reach_error: str = ""  # why ``reach`` is None
    metric_notes: tuple[str, ...] = ()  # metrics asked for that the data cannot carry, and what was analysed instead (codes.Note)

    @property
    def srm_mismatch(self) -> bool:
        return self.srm_p_value < SRM_THRESHOLD

    @property
    def early(self) -> bool:
        """Read before the planned sample was reached (peeking)."""
        return self.planned_units is not None and sum(self.units.values()) < self.planned_units

    @property
    def has_comparisons(self) -> bool:
        """At least one comparison has a test (the lift figure is not empty)."""
        return any(c.ok for c in self.comparisons)

    def comparison(self, metric: str, variant: str) -> Comparison:
        return next(c for c in self.comparisons if c.metric == metric and c.variant == variant)

    def trend(self, variant: str) -> Trend:
        return next(t for t in self.trends if t.variant == variant)

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([asdict(c) for c in self.comparisons])

    def to_summary(self, lang: str = "zh") -> dict:
        """The ``summary.json`` figures of the A/B playbook. Per variant,
        ``decision`` is the stable code (``ship``, ``do not ship``, ``keep
        running``); ``decision_name`` and ``reason`` are the words in ``lang``
        (the numbers do not depend on it)."""
        return {
            "experiment_id": self.experiment_id,
            "control": self.control,
            "srm_p_value": self.srm_p_value,
            "decision": {
                d.variant: {"decision": d.decision, "decision_name": report.decision_name(d.decision, lang), "reason": report.reason_text(self, d, lang)}
                for d in self.decisions
            },
            "results": [{k: getattr(c, k) for k in SUMMARY_KEYS} for c in self.comparisons],
        }
