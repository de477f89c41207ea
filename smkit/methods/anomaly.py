"""Anomaly detectors: rises and drops in a daily series, and shifts in a share.

- **Transform, chosen by the data** (:func:`choose_transform`): counts
  (non-negative whole numbers: mentions, views, engagements) on the square
  root, which makes Poisson noise about constant, with Poisson noise as the
  floor of the scale; positive non-counts (rates, percentages, money such as
  a cost per click of 0.1) on the log, where their noise is relative and
  no floor in the series' own units applies; anything else as it is. A
  series rescaled from counts to a rate (divided by 1,000) then alarms the same.
- **Volume** (:data:`DETECTORS`, chosen by name with :func:`detector`): the
  transformed value against
  a baseline from the past only, scaled by the median absolute deviation of past
  residuals (never below Poisson noise for counts). ``seasonal_robust_z`` takes
  the median of the same phase (weekday) in the previous ``seasons`` periods
  (once there are at least three; the trailing median until then);
  ``trailing_robust_z`` the median of the last ``history`` points. A point more
  than ``z`` robust standard deviations above its baseline raises an alarm;
  one alarm per ``cooldown`` points. ``*_drop`` detectors alarm on falls
  below the baseline instead (an account throttled, 限流: views and engagement
  fall), ``*_two_sided`` on both; :func:`drops` is the drop detector for a
  daily series. Only the past is used, so the alarm point is the point a
  daily run raises it.
- **Share**: a one-sided CUSUM (Page 1954) of the standardised count of
  successes (say, negative mentions) against the share in a baseline before
  (skipping the last ``gap`` points, so a developing shift does not raise its
  own baseline). It catches sustained shifts a single-point threshold misses.

:func:`nab_detector` sets a volume detector for the 5-minute series of the
Numenta Anomaly Benchmark (scored by :mod:`smkit.methods.nab`).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

# Past periods the seasonal baseline needs: the median of one or two values is
# no more robust than those values (a spike a week ago would set it), so until
# three same phases exist the baseline is the trailing median. The same rule as
# the campaign model's weekly cycle (three cycles in the pre-period).
MIN_SEASONS = 3


def lagged_median(x: np.ndarray, period: int, seasons: int, at_least: int = 1) -> np.ndarray:
    """Median of the same phase in the previous ``seasons`` periods (NaN with
    fewer than ``at_least`` of them)."""
    n = len(x)
    lags = np.full((seasons, n), np.nan)
    for j in range(1, seasons + 1):
        if j * period < n:
            lags[j - 1, j * period :] = x[: n - j * period]
    with np.errstate(all="ignore"):
        out = np.full(n, np.nan)
        enough = np.isfinite(lags).sum(axis=0) >= max(at_least, 1)
        out[enough] = np.nanmedian(lags[:, enough], axis=0)
    return out


def choose_transform(values) -> str:
    """``sqrt`` for counts (non-negative whole numbers), ``log`` for positive
    non-counts (rates, shares, money), ``identity`` otherwise."""
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    if not len(x) or (x < 0).any():
        return "identity"
    if np.allclose(x, np.round(x)):
        return "sqrt"
    return "log" if (x > 0).mean() >= 0.99 else "identity"


def transformed(values, transform: str = "auto") -> tuple[np.ndarray, float]:
    """The series on the detector's scale and the noise floor there (Poisson
    noise, 0.5, for counts on the square root; a 1% relative change on the log;
    none in the series' own units)."""
    x = np.asarray(values, dtype=float)
    kind = choose_transform(x) if transform == "auto" else transform
    if kind == "sqrt":
        return np.sqrt(np.clip(x, 0, None)), 0.5
    if kind == "log":
        positive = x[np.isfinite(x) & (x > 0)]
        tiny = float(np.min(positive)) / 2 if len(positive) else 1.0
        return np.log(np.maximum(x, tiny)), 0.01
    if kind == "identity":
        return x, 0.0
    raise ValueError(f"unknown transform {transform!r}; choose from auto, sqrt, log, identity")


def robust_z(
    values: np.ndarray,
    *,
    period: int = 7,
    seasons: int = 4,
    smooth: int = 1,
    history: int = 56,
    floor: float | None = None,
    seasonal: bool = True,
    transform: str = "auto",
) -> np.ndarray:
    """Robust z-score of each point against its past only (NaN until there is
    history); positive above the baseline, negative below it.

    The series on the scale :func:`transformed` chooses (square root for
    counts, log for positive rates and money), optionally a trailing mean over
    ``smooth`` points, against the median of the same phase in the previous
    ``seasons`` periods (``seasonal``) or of the last ``history`` points; the
    scale is 1.4826 times the median absolute residual over the last
    ``history`` points, at least ``floor`` (default: the transform's noise
    floor; Poisson noise on the square-root scale is 0.5)."""
    x, noise = transformed(values, transform)
    floor = noise if floor is None else floor
    if smooth > 1:
        x = pd.Series(x).rolling(smooth, min_periods=1).mean().to_numpy()
    trailing = pd.Series(x).shift(1).rolling(history, min_periods=3).median().to_numpy()
    if seasonal:
        seasonal_base = lagged_median(x, period, seasons, at_least=min(MIN_SEASONS, seasons))
        base = np.where(np.isnan(seasonal_base), trailing, seasonal_base)
    else:
        base = trailing
    resid = x - base
    scale = pd.Series(np.abs(resid)).shift(1).rolling(history, min_periods=3).median().to_numpy() * 1.4826
    least = floor / np.sqrt(max(smooth, 1))
    scale = np.nan_to_num(scale, nan=floor)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = resid / np.maximum(scale, least)
    # A flat past (zero spread) and no floor: any change is infinitely unusual, no change is nothing.
    return np.where(np.isnan(z) & np.isfinite(resid), 0.0, z)


def alarms(z: np.ndarray, threshold: float, cooldown: int, direction: str = "up") -> np.ndarray:
    """True where ``z`` passes ``threshold`` (``up``: above it; ``down``: below
    minus it; ``both``), at most one alarm per ``cooldown`` points."""
    z = np.asarray(z, dtype=float)
    signed = {"up": z, "down": -z, "both": np.abs(z)}[direction]
    out = np.zeros(len(z), dtype=bool)
    last = -cooldown - 1
    for i in np.flatnonzero(np.nan_to_num(signed, nan=-np.inf) > threshold):
        if i - last > cooldown:
            out[i] = True
            last = i
    return out


def seasonal_robust_z(
    values, *, period: int = 7, seasons: int = 4, smooth: int = 1, history: int = 56, z: float = 4.0, cooldown: int = 7, direction: str = "up"
) -> np.ndarray:
    """Alarms where the seasonal robust z-score exceeds ``z`` (one per ``cooldown`` points); ``direction`` ``down`` or ``both`` for falls."""
    return alarms(robust_z(values, period=period, seasons=seasons, smooth=smooth, history=history), z, cooldown, direction)


def trailing_robust_z(
    values, *, period: int = 7, seasons: int = 4, smooth: int = 1, history: int = 56, z: float = 4.0, cooldown: int = 7, direction: str = "up"
) -> np.ndarray:
    """As :func:`seasonal_robust_z` against the trailing median, for series without seasonality."""
    # period and seasons are unused: every detector in DETECTORS takes the same keywords, so callers can switch by name.
    return alarms(robust_z(values, smooth=smooth, history=history, seasonal=False), z, cooldown, direction)


def _directed(base: Callable[..., np.ndarray], direction: str) -> Callable[..., np.ndarray]:
    def detect(values, **kwargs) -> np.ndarray:
        return base(values, **{**kwargs, "direction": direction})

    detect.__name__ = f"{base.__name__}_{direction}"
    detect.__doc__ = f"{base.__name__} alarming on {'falls' if direction == 'down' else 'rises and falls'}."
    return detect


DETECTORS: dict[str, Callable[..., np.ndarray]] = {
    "seasonal_robust_z": seasonal_robust_z,
    "trailing_robust_z": trailing_robust_z,
    "seasonal_robust_drop": _directed(seasonal_robust_z, "down"),
    "trailing_robust_drop": _directed(trailing_robust_z, "down"),
    "seasonal_robust_two_sided": _directed(seasonal_robust_z, "both"),
    "trailing_robust_two_sided": _directed(trailing_robust_z, "both"),
}


def detector(name: str) -> Callable[..., np.ndarray]:
    """The volume detector called ``name``; an unknown name lists the valid ones."""
    if name not in DETECTORS:
        raise ValueError(f"unknown volume detector {name!r}; choose from {', '.join(DETECTORS)}")
    return DETECTORS[name]


def drops(values, *, z: float = 4.0, period: int = 7, seasons: int = 4, history: int = 56, cooldown: int = 7) -> np.ndarray:
    """Days on which a daily series (views, engagements, followers gained)
    falls unusually far below the same weekday in the previous weeks: the drop
    detector for a throttled account (限流). The transform follows the data
    (counts on the square root, rates and money on the log), and only the
    past is used, so the alarm day is the day a daily run raises it."""
    return seasonal_robust_z(values, period=period, seasons=seasons, history=history, z=z, cooldown=cooldown, direction="down")


def nab_detector(name: str = "seasonal_robust_z", z: float = 4.0) -> Callable[[pd.Series], np.ndarray]:
    """The volume detector set for 5-minute series (NAB realTweets): a day of
    288 points is the period, 7 days of history, a one-hour trailing mean and one
    alarm a day. Settings follow the series' time scale, not the labels."""
    day = 288
    detect_volume = detector(name)

    def detect(series: pd.Series) -> np.ndarray:
        return detect_volume(series.to_numpy(dtype=float), period=day, seasons=7, smooth=12, history=7 * day, z=z, cooldown=day)

    return detect


def cusum(
    negatives: np.ndarray,
    totals: np.ndarray,
    *,
    k: float = 0.5,
    h: float = 5.0,
    baseline_days: int = 56,
    gap: int = 7,
    min_baseline: int = 14,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One-sided CUSUM of the daily share ``negatives / totals``: statistic,
    alarms (reset after each) and the baseline share. Days without a total add
    nothing.

    Alarm days are left out of later baselines, so a crisis does not raise
    the "usual" share and hide the next one."""
    neg, tot = np.asarray(negatives, float), np.asarray(totals, float)
    n = len(tot)
    in_control = np.ones(n, dtype=bool)

    def sums() -> tuple[np.ndarray, np.ndarray]:
        return np.concatenate([[0], np.cumsum(neg * in_control)]), np.concatenate([[0], np.cumsum(tot * in_control)])

    cs_neg, cs_tot = sums()
    stat, alarm, base = np.zeros(n), np.zeros(n, dtype=bool), np.full(n, np.nan)
    s = 0.0
    for t in range(n):
        hi, lo = max(t - gap, 0), max(t - gap - baseline_days, 0)
        if hi - lo >= min_baseline and cs_tot[hi] - cs_tot[lo] > 0:
            p0 = (cs_neg[hi] - cs_neg[lo]) / (cs_tot[hi] - cs_tot[lo])
            p0 = min(max(p0, 0.01), 0.99)
            base[t] = p0
            if tot[t] > 0:
                zt = (neg[t] - tot[t] * p0) / np.sqrt(tot[t] * p0 * (1 - p0))
                s = max(0.0, s + zt - k)
        stat[t] = s
        if s > h:
            alarm[t] = True
            s = 0.0
            in_control[t] = False
            cs_neg, cs_tot = sums()
    return stat, alarm, base
