"""Shared statistics: sufficient statistics, intervals, tests and corrections.

Every analysis module uses these instead of its own copies. Statistics take
aggregates (counts, sums, sums of squares and cross-products) so the same code
serves per-unit rows and a platform's summary export, in the manner of
GrowthBook's stats engine. Formulas follow gbstats where it has one; the
tests check them against gbstats' and spotify-confidence's published test
vectors and against scipy/statsmodels.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import special
from scipy import stats as sps

MULTIPLE_TESTING_METHODS = ("holm", "bh", "bonferroni", "none")


@dataclass(frozen=True)
class MeanStat:
    """A mean metric from ``n`` units, their ``total`` and sum of squares."""

    n: int
    total: float
    sum_squares: float

    @property
    def mean(self) -> float:
        return self.total / self.n

    @property
    def variance(self) -> float:
        if self.n < 2:
            return 0.0
        return max((self.sum_squares - self.total**2 / self.n) / (self.n - 1), 0.0)


@dataclass(frozen=True)
class ProportionStat:
    """A proportion: ``successes`` of ``n`` units (variance p(1-p), as gbstats)."""

    n: int
    successes: float

    @property
    def mean(self) -> float:
        return self.successes / self.n

    @property
    def variance(self) -> float:
        p = self.mean
        return p * (1 - p)


@dataclass(frozen=True)
class RatioStat:
    """A ratio metric whose denominator is not the unit (clicks per impression
    when users are randomised): the delta method gives the variance of
    ``sum(m) / sum(d)`` per unit."""

    n: int
    m_total: float
    m_sum_squares: float
    d_total: float
    d_sum_squares: float
    md_sum_products: float

    @property
    def mean(self) -> float:
        return self.m_total / self.d_total

    @property
    def variance(self) -> float:
        n = self.n
        mu_m, mu_d = self.m_total / n, self.d_total / n
        var_m = (self.m_sum_squares - self.m_total**2 / n) / (n - 1)
        var_d = (self.d_sum_squares - self.d_total**2 / n) / (n - 1)
        cov = (self.md_sum_products - self.m_total * self.d_total / n) / (n - 1)
        # Rounding can leave a true zero slightly negative.
        return max(var_m / mu_d**2 - 2 * cov * mu_m / mu_d**3 + var_d * mu_m**2 / mu_d**4, 0.0)


@dataclass(frozen=True)
class CupedStat:
    """A mean metric with a pre-period covariate, for CUPED (regression adjustment)."""

    n: int
    total: float
    sum_squares: float
    x_total: float
    x_sum_squares: float
    xy_sum_products: float

    @property
    def mean(self) -> float:
        return self.total / self.n

    @property
    def variance(self) -> float:
        return MeanStat(self.n, self.total, self.sum_squares).variance

    @property
    def x_mean(self) -> float:
        return self.x_total / self.n

    @property
    def x_variance(self) -> float:
        return MeanStat(self.n, self.x_total, self.x_sum_squares).variance

    @property
    def covariance(self) -> float:
        if self.n < 2:
            return 0.0
        return (self.xy_sum_products - self.total * self.x_total / self.n) / (self.n - 1)


def format_p(p: float | None) -> str:
    """A p-value as readers see it: three decimals, or "<0.001"."""
    if p is None or p != p:
        return "–"
    return "<0.001" if p < 0.001 else f"{p:.3f}"


def welch_dof(var_a: float, n_a: int, var_b: float, n_b: int) -> float:
    """Welch-Satterthwaite degrees of freedom."""
    a, b = var_a / n_a, var_b / n_b
    denominator = a**2 / (n_a - 1) + b**2 / (n_b - 1)
    return (a + b) ** 2 / denominator if denominator > 0 else float("inf")


def z_value(alpha: float = 0.05) -> float:
    """The two-sided normal quantile for a (1 - alpha) interval (1.96 at 0.05)."""
    return float(sps.norm.ppf(1 - alpha / 2))


def welch_test(a: MeanStat, b: MeanStat) -> tuple[float, float]:
    """Welch's t-test of b's mean against a's from sufficient statistics:
    ``(difference b - a, two-sided p-value)``. Equal means with no variance
    give p = 1; different means with no variance give p = 0."""
    diff = b.mean - a.mean
    se = float(np.sqrt(a.variance / a.n + b.variance / b.n))
    if se == 0:
        return diff, 1.0 if diff == 0 else 0.0
    dof = welch_dof(a.variance, a.n, b.variance, b.n)
    return diff, float(2 * special.stdtr(dof, -abs(diff) / se))


def mean_stat(values: Sequence[float] | np.ndarray) -> MeanStat:
    """The sufficient statistics of per-unit values (missing values left out)."""
    v = np.asarray(values, dtype=float)
    v = v[~np.isnan(v)]
    return MeanStat(int(v.size), float(v.sum()), float((v**2).sum()))


def welch_pvalue(a: Sequence[float] | np.ndarray, b: Sequence[float] | np.ndarray) -> float:
    """Welch's two-sided p-value for two samples of per-unit values (scipy's
    ``ttest_ind(equal_var=False)``, from sufficient statistics)."""
    return welch_test(mean_stat(a), mean_stat(b))[1]


def wilson_interval(successes: float | np.ndarray, n: float | np.ndarray, alpha: float = 0.05) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for a proportion (statsmodels' ``proportion_confint(method="wilson")``)."""
    from statsmodels.stats.proportion import proportion_confint

    return proportion_confint(successes, n, alpha=alpha, method="wilson")


def shrink(sums: np.ndarray, n: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Empirical Bayes for group means of ``values`` (log scale): each group's
    mean minus the grand mean, shrunk toward zero by n / (n + k) with
    k = within variance / between variance (method of moments), and its
    posterior standard deviation. With no between-group variance beyond noise
    every group is shrunk to zero.
    """
    sums, n = np.asarray(sums, float), np.asarray(n, float)
    seen = n > 0
    zeros = np.zeros_like(n)
    if seen.sum() < 2 or len(values) < 2:
        return zeros, zeros
    sigma2 = float(np.var(values, ddof=1))
    means = np.where(seen, sums / np.where(seen, n, 1), 0.0)
    grand = float(sums[seen].sum() / n[seen].sum())
    between = float(np.sum(n[seen] * (means[seen] - grand) ** 2) / (seen.sum() - 1))
    tau2 = max((between - sigma2) / (n[seen].sum() / seen.sum()), 0.0)
    if tau2 == 0 or sigma2 == 0:
        return zeros, zeros
    weight = np.where(seen, n / (n + sigma2 / tau2), 0.0)
    return weight * (means - grand), np.sqrt(np.where(seen, weight * sigma2 / np.where(seen, n, 1), tau2))


def shrink_means(sums: np.ndarray, n: np.ndarray, values: np.ndarray) -> np.ndarray:
    """:func:`shrink`'s estimates as multipliers (exp of the shrunk log means)."""
    return np.exp(shrink(sums, n, values)[0])


def delta_relative_variance(mean_a: float, var_a: float, n_a: int, mean_b: float, var_b: float, n_b: int) -> float:
    """Variance of ``mean_b / mean_a - 1`` by the delta method: it carries the
    noise of the control mean as well as the variant's (GrowthBook, Eppo)."""
    return var_b / (mean_a**2 * n_b) + var_a * mean_b**2 / (mean_a**4 * n_a)


def normal_risk(mean: float, sd: float) -> tuple[float, float]:
    """Expected loss of choosing control and of choosing the variant when the
    lift is Normal(mean, sd): E[max(lift, 0)] and E[max(-lift, 0)]."""
    if sd <= 0:
        return max(mean, 0.0), max(-mean, 0.0)
    z = mean / sd
    control = mean * special.ndtr(z) + sd * np.exp(-0.5 * z * z) / np.sqrt(2 * np.pi)
    return float(control), float(max(control - mean, 0.0))


def sequential_halfwidth(se: float, n_total: int, alpha: float, tuning: float) -> float:
    """Half-width of an always-valid confidence sequence (Waudby-Smith et al.
    2023, eq. 9, the normal mixture gbstats uses), tightest near ``tuning``
    total units. It stays valid however often the experiment is looked at.
    ``se`` is the estimate's standard error, ``n_total`` both arms' units."""
    rho2 = (-2 * np.log(alpha) + np.log(-2 * np.log(alpha) + 1)) / tuning
    s2 = se**2 * n_total  # the per-unit variance the paper's formula takes
    grow = n_total * rho2 + 1
    return float(np.sqrt(s2 * 2 * grow * np.log(np.sqrt(grow) / alpha) / (n_total**2 * rho2)))


def adjust_pvalues(pvalues: Sequence[float], method: str = "holm") -> np.ndarray:
    """Multiple-comparison adjustment: ``holm`` (default), ``bh`` (Benjamini-
    Hochberg), ``bonferroni`` or ``none``.

    Written out rather than taken from statsmodels' ``multipletests``, which
    gives the same numbers (a test checks) but runs a full garbage collection
    on every call: 20 ms each, too slow for a hundred experiments.
    """
    if method not in MULTIPLE_TESTING_METHODS:
        raise ValueError(f"unknown correction {method!r}; valid: {', '.join(MULTIPLE_TESTING_METHODS)}")
    p = np.asarray(pvalues, dtype=float)
    m = len(p)
    if method == "none" or m == 0:
        return p
    if method == "bonferroni":
        return np.minimum(p * m, 1.0)
    order = np.argsort(p, kind="stable")
    ranked = p[order]
    if method == "holm":
        adjusted = np.minimum(np.maximum.accumulate(ranked * (m - np.arange(m))), 1.0)
    else:  # bh
        adjusted = np.minimum(np.minimum.accumulate((ranked * m / np.arange(1, m + 1))[::-1])[::-1], 1.0)
    out = np.empty(m)
    out[order] = adjusted
    return out


def srm_pvalue(counts: Sequence[float], planned: Sequence[float]) -> float:
    """Sample ratio mismatch: chi-square of observed units against the planned split."""
    counts = np.asarray(counts, dtype=float)
    weights = np.asarray(planned, dtype=float)
    expected = counts.sum() * weights / weights.sum()
    return float(sps.chisquare(counts, expected).pvalue)


def sequential_pvalue(estimate: float, se: float, n_total: int, alpha: float, tuning: float) -> float:
    """Always-valid p-value matching :func:`sequential_halfwidth` (Waudby-Smith
    et al. 2023, eq. 155): one over the mixture e-value, capped at 1. It is 1
    until enough evidence has accumulated, by design."""
    if se <= 0:
        return 0.0 if estimate != 0 else 1.0
    rho2 = (-2 * np.log(alpha) + np.log(-2 * np.log(alpha) + 1)) / tuning
    t2 = estimate**2 * n_total / se**2
    grow = n_total * rho2 + 1
    log_evalue = rho2 * t2 / (2 * grow) - 0.5 * np.log(grow)
    return float(min(np.exp(-log_evalue), 1.0)) if log_evalue > 0 else 1.0


def two_proportion_pvalue(successes_a: float, n_a: float, successes_b: float, n_b: float) -> float:
    """Two-sided pooled z-test of two proportions (as statsmodels' ``proportions_ztest``)."""
    if n_a <= 0 or n_b <= 0:
        return float("nan")
    pooled = (successes_a + successes_b) / (n_a + n_b)
    se = np.sqrt(pooled * (1 - pooled) * (1 / n_a + 1 / n_b))
    if se == 0:
        return 1.0
    z = (successes_b / n_b - successes_a / n_a) / se
    return float(2 * special.ndtr(-abs(z)))


def poisson_interval(count: float, alpha: float = 0.05) -> tuple[float, float]:
    """Exact (Garwood) interval for a Poisson count."""
    low = 0.0 if count == 0 else float(sps.chi2.ppf(alpha / 2, 2 * count) / 2)
    high = float(sps.chi2.ppf(1 - alpha / 2, 2 * count + 2) / 2)
    return low, high


# ---------------------------------------------------------------- rates over posts


def ratio_stat(numerator: np.ndarray, denominator: np.ndarray) -> RatioStat:
    """The sufficient statistics of ``sum(numerator) / sum(denominator)`` over units (posts)."""
    m, d = np.asarray(numerator, dtype=float), np.asarray(denominator, dtype=float)
    return RatioStat(len(d), m.sum(), (m**2).sum(), d.sum(), (d**2).sum(), (m * d).sum())


def rate_interval(stat: RatioStat, alpha: float = 0.05) -> tuple[float, float]:
    """Delta-method interval for a rate, on the log scale so it stays positive."""
    if stat.n < 2 or stat.d_total <= 0 or stat.m_total <= 0:
        return np.nan, np.nan
    z = special.ndtri(1 - alpha / 2)
    se_log = np.sqrt(stat.variance / stat.n) / stat.mean
    return stat.mean * np.exp(-z * se_log), stat.mean * np.exp(z * se_log)


def _safe_mean(stat: RatioStat) -> float:
    return stat.mean if stat.d_total > 0 else np.nan


def rate_ratio(num_a: np.ndarray, den_a: np.ndarray, num_b: np.ndarray, den_b: np.ndarray, alpha: float = 0.05) -> dict[str, float]:
    """Ratio of two rates ``sum(num) / sum(den)`` over units, with a delta-method
    interval and two-sided p-value on the log scale. The units (posts) carry
    the variance, so a few viral posts widen the interval as they should."""
    a, b = ratio_stat(num_a, den_a), ratio_stat(num_b, den_b)
    if min(a.n, b.n) < 2 or min(a.m_total, a.d_total, b.m_total, b.d_total) <= 0:
        return {"ours": _safe_mean(a), "theirs": _safe_mean(b), "ratio": np.nan, "ci_low": np.nan, "ci_high": np.nan, "p_value": np.nan}
    log_ratio = np.log(a.mean / b.mean)
    se = np.sqrt(a.variance / (a.n * a.mean**2) + b.variance / (b.n * b.mean**2))
    z = special.ndtri(1 - alpha / 2)
    return {
        "ours": a.mean,
        "theirs": b.mean,
        "ratio": float(np.exp(log_ratio)),
        "ci_low": float(np.exp(log_ratio - z * se)),
        "ci_high": float(np.exp(log_ratio + z * se)),
        "p_value": float(2 * special.ndtr(-abs(log_ratio / se))) if se > 0 else 1.0,
    }


def weekly_growth(counts: Sequence[float], alpha: float = 0.05) -> dict[str, float]:
    """Growth per period of a count series from a quasi-Poisson log-linear fit
    (Pearson chi-square scale, so over-dispersed counts get honest intervals)."""
    import statsmodels.api as sm

    y = np.asarray(counts, dtype=float)
    if len(y) < 4 or y.sum() == 0:
        return {"growth": np.nan, "ci_low": np.nan, "ci_high": np.nan, "p_value": np.nan, "weeks": len(y)}
    fit = sm.GLM(y, sm.add_constant(np.arange(len(y), dtype=float)), family=sm.families.Poisson()).fit(scale="X2")
    slope, se = fit.params[1], fit.bse[1]
    z = special.ndtri(1 - alpha / 2)
    return {
        "growth": float(np.expm1(slope)),
        "ci_low": float(np.expm1(slope - z * se)),
        "ci_high": float(np.expm1(slope + z * se)),
        "p_value": float(fit.pvalues[1]),
        "weeks": len(y),
    }


@dataclass(frozen=True)
class Shrunk:
    """Normal-normal empirical Bayes estimates (see :func:`shrink_known_variance`)."""

    estimate: np.ndarray  # posterior means
    variance: np.ndarray  # posterior variances (the prior mean's uncertainty included)
    weight: np.ndarray  # the weight on the prior mean, B = v / (v + tau2): 1 is full shrinkage
    tau2: float  # the spread of the true values around their prior means (method of moments)


def shrink_known_variance(y: np.ndarray, v: np.ndarray, prior: np.ndarray, tau2: float | None = None, prior_variance: np.ndarray | float = 0.0) -> Shrunk:
    """Shrink estimates ``y`` with known sampling variances ``v`` toward prior means ``prior``.

    The model is normal-normal: ``y_i ~ N(theta_i, v_i)``, ``theta_i ~ N(prior_i, tau2)``.
    ``tau2`` not given is the method-of-moments estimate ``max(0, mean((y - prior)^2 - v))``
    (the prior means taken as known). Each estimate moves toward its prior by the weight
    ``B_i = v_i / (v_i + tau2)``: an estimate from few observations (large ``v_i``) moves
    most. The posterior variance is ``(1 - B_i) v_i`` plus ``B_i^2`` times the prior
    mean's own variance ``prior_variance``.
    """
    y, v, prior = (np.asarray(a, dtype=float) for a in (y, v, prior))
    if tau2 is None:
        tau2 = float(max(np.mean((y - prior) ** 2 - v), 0.0)) if len(y) else 0.0
    weight = v / (v + tau2) if tau2 > 0 else np.ones_like(v)
    estimate = weight * prior + (1 - weight) * y
    variance = (1 - weight) * v + weight**2 * np.asarray(prior_variance, dtype=float)
    return Shrunk(estimate, variance, weight, float(tau2))
