"""Anomaly detectors for count series: volume spikes and shifts in a share.

- **Volume** (:data:`DETECTORS`, chosen by name with :func:`detector`): the
  square root of the count (which makes Poisson noise about constant) against
  a baseline from the past only, scaled by the median absolute deviation of past
  residuals (never below Poisson noise). ``seasonal_robust_z`` takes the median
  of the same phase (weekday) in the previous ``seasons`` periods;
  ``trailing_robust_z`` the median of the last ``history`` points. A point more
  than ``z`` robust standard deviations above its baseline raises an alarm;
  one alarm per ``cooldown`` points. Only the past is used, so the alarm point
  is the point a daily run raises it.
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


def lagged_median(x: np.ndarray, period: int, seasons: int) -> np.ndarray:
    """Median of the same phase in the previous ``seasons`` periods (NaN with none)."""
    n = len(x)
    lags = np.full((seasons, n), np.nan)
    for j in range(1, seasons + 1):
        if j * period < n:
            lags[j - 1, j * period :] = x[: n - j * period]
    with np.errstate(all="ignore"):
        out = np.full(n, np.nan)
        enough = np.isfinite(lags).sum(axis=0) > 0
        out[enough] = np.nanmedian(lags[:, enough], axis=0)
    return out


def robust_z(
    values: np.ndarray,
    *,
    period: int = 7,
    seasons: int = 4,
    smooth: int = 1,
    history: int = 56,
    floor: float = 0.5,
    seasonal: bool = True,
) -> np.ndarray:
    """Robust z-score of each point against its past only (NaN until there is history).

    The square root of the counts, optionally a trailing mean over ``smooth``
    points, against the median of the same phase in the previous ``seasons``
    periods (``seasonal``) or of the last ``history`` points; the scale is
    1.4826 times the median absolute residual over the last ``history`` points,
    at least ``floor`` (Poisson noise on the square-root scale is 0.5)."""
    x = np.sqrt(np.clip(np.asarray(values, dtype=float), 0, None))
    if smooth > 1:
        x = pd.Series(x).rolling(smooth, min_periods=1).mean().to_numpy()
    trailing = pd.Series(x).shift(1).rolling(history, min_periods=3).median().to_numpy()
    if seasonal:
        seasonal_base = lagged_median(x, period, seasons)
        base = np.where(np.isnan(seasonal_base), trailing, seasonal_base)
    else:
        base = trailing
    resid = x - base
    scale = pd.Series(np.abs(resid)).shift(1).rolling(history, min_periods=3).median().to_numpy() * 1.4826
    return resid / np.maximum(np.nan_to_num(scale, nan=floor), floor / np.sqrt(max(smooth, 1)))


def alarms(z: np.ndarray, threshold: float, cooldown: int) -> np.ndarray:
    """True where ``z`` exceeds ``threshold``, at most one alarm per ``cooldown`` points."""
    out = np.zeros(len(z), dtype=bool)
    last = -cooldown - 1
    for i in np.flatnonzero(np.nan_to_num(z, nan=-np.inf) > threshold):
        if i - last > cooldown:
            out[i] = True
            last = i
    return out


def seasonal_robust_z(values, *, period: int = 7, seasons: int = 4, smooth: int = 1, history: int = 56, z: float = 4.0, cooldown: int = 7) -> np.ndarray:
    """Alarms where the seasonal robust z-score exceeds ``z`` (one per ``cooldown`` points)."""
    return alarms(robust_z(values, period=period, seasons=seasons, smooth=smooth, history=history), z, cooldown)


def trailing_robust_z(values, *, period: int = 7, seasons: int = 4, smooth: int = 1, history: int = 56, z: float = 4.0, cooldown: int = 7) -> np.ndarray:
    """As :func:`seasonal_robust_z` against the trailing median, for series without seasonality."""
    # period and seasons are unused: every detector in DETECTORS takes the same keywords, so callers can switch by name.
    return alarms(robust_z(values, smooth=smooth, history=history, seasonal=False), z, cooldown)


DETECTORS: dict[str, Callable[..., np.ndarray]] = {"seasonal_robust_z": seasonal_robust_z, "trailing_robust_z": trailing_robust_z}


def detector(name: str) -> Callable[..., np.ndarray]:
    """The volume detector called ``name``; an unknown name lists the valid ones."""
    if name not in DETECTORS:
        raise ValueError(f"unknown volume detector {name!r}; choose from {', '.join(DETECTORS)}")
    return DETECTORS[name]


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
