"""Test design: units per variant and days needed, or the effect a sample detects.

Proportions use Evan Miller's formula (unpooled variance under the
alternative), means the normal approximation statsmodels' ``NormalIndPower``
uses; sample sizes are rounded to the nearest unit, as Evan Miller's
calculator does. The common formulas differ by 3 to 7%; these two are pinned
and tested.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from functools import lru_cache

import pandas as pd
from scipy import stats as sps
from scipy.optimize import brentq

from smkit.methods import stats


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

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([asdict(self)]).T.rename(columns={0: "value"})


def _alpha_per_comparison(alpha: float, variants: int) -> float:
    """With several variants each is compared to control; Bonferroni keeps the
    family-wise error at ``alpha`` (Holm's worst case)."""
    return alpha / max(variants - 1, 1)


@lru_cache(maxsize=64)
def _z_alpha(alpha: float) -> float:
    """:func:`smkit.methods.stats.z_value`, kept: scipy's quantile costs a
    fraction of a millisecond, and every analysis reuses the same design."""
    return stats.z_value(alpha)


@lru_cache(maxsize=64)
def _z_power(power: float) -> float:
    """The one-sided normal quantile of the power (0.84 at 80%)."""
    return float(sps.norm.ppf(power))


def _round(n: float) -> int:
    """Nearest whole unit, as Evan Miller's calculator rounds (1030.2 -> 1,030)."""
    return int(math.floor(n + 0.5))


def _days(n: int, variants: int, daily_traffic: float | None) -> int | None:
    return None if not daily_traffic else math.ceil(n * variants / daily_traffic)


def design_proportion(
    baseline: float,
    mde: float,
    *,
    relative: bool = True,
    alpha: float = 0.05,
    power: float = 0.8,
    variants: int = 2,
    daily_traffic: float | None = None,
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
    z_a, z_b = _z_alpha(a), _z_power(power)
    p, q = baseline, baseline + delta
    n = (z_a * math.sqrt(2 * p * (1 - p)) + z_b * math.sqrt(p * (1 - p) + q * (1 - q))) ** 2 / delta**2
    n_int = _round(n)
    method = "Evan Miller's sample size formula (two-sided z, unpooled variance under the alternative)"
    if variants > 2:
        method += f", alpha split over {variants - 1} comparisons (Bonferroni)"
    return Design("proportion", baseline, delta, delta / baseline, alpha, power, variants, n_int, _days(n_int, variants, daily_traffic), method)


def design_mean(
    mean: float,
    sd: float,
    mde: float,
    *,
    relative: bool = True,
    alpha: float = 0.05,
    power: float = 0.8,
    variants: int = 2,
    daily_traffic: float | None = None,
) -> Design:
    """Units per variant to detect a change of a mean (two-sided z; equals
    statsmodels' ``NormalIndPower`` with effect size delta / sd)."""
    if sd <= 0:
        raise ValueError(f"standard deviation must be positive, got {sd}")
    delta = mean * mde if relative else mde
    if delta == 0:
        raise ValueError("the detectable effect must be non-zero")
    a = _alpha_per_comparison(alpha, variants)
    n = 2 * ((_z_alpha(a) + _z_power(power)) * sd / delta) ** 2
    n_int = _round(n)
    method = "two-sample z approximation (statsmodels NormalIndPower)"
    if variants > 2:
        method += f", alpha split over {variants - 1} comparisons (Bonferroni)"
    relative_mde = delta / mean if mean else float("nan")
    return Design("mean", mean, delta, relative_mde, alpha, power, variants, n_int, _days(n_int, variants, daily_traffic), method)


def plan(baseline: float, mde: float, *, sd: float | None = None, **options) -> Design:
    """A rate's design (no ``sd``) or a mean's (with ``sd``); ``options`` as for either."""
    return design_mean(baseline, sd, mde, **options) if sd else design_proportion(baseline, mde, **options)


def detectable_effect(
    n_per_variant: int,
    *,
    baseline: float,
    sd: float | None = None,
    alpha: float = 0.05,
    power: float = 0.8,
    variants: int = 2,
) -> Design:
    """The smallest effect a sample of ``n_per_variant`` detects: the reverse of
    :func:`design_proportion` (no ``sd``) or :func:`design_mean` (with ``sd``)."""
    if sd is not None:
        a = _alpha_per_comparison(alpha, variants)
        delta = (_z_alpha(a) + _z_power(power)) * sd * math.sqrt(2 / n_per_variant)
        d = design_mean(baseline, sd, delta, relative=False, alpha=alpha, power=power, variants=variants)
    else:
        largest = 1 - baseline - 1e-9
        z_a, z_b = _z_alpha(_alpha_per_comparison(alpha, variants)), _z_power(power)
        if _n_continuous(baseline, largest, z_a, z_b) > n_per_variant:
            raise ValueError(f"with {n_per_variant:,} units per variant no increase of a {baseline:.3g} rate is detectable at power {power:.0%}")
        delta = brentq(lambda x: _n_continuous(baseline, x, z_a, z_b) - n_per_variant, 1e-9, largest)
        d = design_proportion(baseline, delta, relative=False, alpha=alpha, power=power, variants=variants)
    relative_mde = delta / baseline if baseline else float("nan")
    return Design(d.metric_kind, baseline, delta, relative_mde, alpha, power, variants, n_per_variant, None, d.method)


def _n_continuous(p: float, delta: float, z_a: float, z_b: float) -> float:
    """Evan Miller's units per variant before rounding, from the two quantiles."""
    q = p + delta
    return (z_a * math.sqrt(2 * p * (1 - p)) + z_b * math.sqrt(p * (1 - p) + q * (1 - q))) ** 2 / delta**2
