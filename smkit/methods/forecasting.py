"""Daily forecasts with a weekly season, scored by a rolling-origin backtest.

Three models of a daily series, each on the log scale ``log(1 + y)``:
the seasonal-naive forecast (each day as the same weekday a week earlier), the
baseline every model must beat; exponential smoothing with a damped trend and
an additive weekly season (statsmodels' ``ETSModel``); and the "airline"
seasonal ARIMA (0,1,1)(0,1,1)7 (statsmodels' ``SARIMAX``). A rolling-origin
backtest scores each by MASE (Hyndman & Koehler 2006). A model replaces
seasonal naive only when it wins the backtest clearly: a mean MASE at least
``SELECTION_MARGIN`` below the baseline's and a lower MASE at most origins
(a narrow win on four origins is noise, and out of sample it often turns into
a loss). The chosen model's interval is then calibrated on the backtest: its
log-scale half-widths are multiplied by the factor that would have made
``level`` of the held-out days fall inside (split conformal prediction, with
the backtest's origins as the calibration set), so an 80% interval is neither
the model's over-wide nor its over-narrow one. Simulated paths of the chosen
model, calibrated the same way, give a horizon's total, its interval and the
chance of reaching a goal from one distribution.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from smkit.methods import stats

SEASON = 7
SELECTION_MARGIN = 0.05  # a model must beat seasonal naive's backtest MASE by 5% (and at most origins) to be chosen
SCALE_LIMITS = (0.2, 5.0)  # the interval calibration factor is kept within these (a few dozen held-out days)
# The backtest's factor is taken halfway on the log scale (its square root): the four origins' errors are
# shared within an origin, so they are few independent draws, and the full factor over-fits them (README,
# "Operations review": chosen on the public series of scripts/accuracy_forecast.py, a stated in-sample choice).
CALIBRATION_WEIGHT = 0.5


@dataclass(frozen=True)
class Forecast:
    """Daily point forecasts and interval on the original scale, and simulated paths."""

    model: str
    index: pd.DatetimeIndex
    point: np.ndarray
    lo: np.ndarray
    hi: np.ndarray
    paths: np.ndarray | None = None  # repetitions x days
    params: np.ndarray | None = None  # estimated parameters, where a model can reuse them


def _log(y: pd.Series) -> np.ndarray:
    return np.log(np.maximum(y.to_numpy(dtype=float), 0.0) + 1.0)


def _unlog(x: np.ndarray) -> np.ndarray:
    return np.maximum(np.exp(x) - 1.0, 0.0)


def _future(y: pd.Series, horizon: int) -> pd.DatetimeIndex:
    return pd.date_range(y.index[-1] + pd.Timedelta(days=1), periods=horizon, freq="D")


def seasonal_naive(
    y: pd.Series,
    horizon: int,
    level: float,
    paths: int = 0,
    seed: int = 0,
    params: np.ndarray | None = None,
    start: np.ndarray | None = None,
) -> Forecast:
    """Each day as the same weekday last week; the interval from the spread of
    weekly differences, widening with every week ahead (Hyndman & Athanasopoulos, 5.5)."""
    x = _log(y)
    steps = np.arange(horizon)
    point = x[len(x) - SEASON + steps % SEASON]
    diffs = x[SEASON:] - x[:-SEASON]
    sd = float(np.std(diffs, ddof=1)) if len(diffs) > 1 else 0.0
    z = stats.z_value(1 - level)
    width = z * sd * np.sqrt(steps // SEASON + 1)
    sims = None
    if paths:
        rng = np.random.default_rng(seed)
        weekly = rng.normal(0.0, sd, (paths, horizon // SEASON + 1)).cumsum(axis=1)
        sims = _unlog(point + weekly[:, steps // SEASON])
    return Forecast("seasonal_naive", _future(y, horizon), _unlog(point), _unlog(point - width), _unlog(point + width), sims)


def ets(
    y: pd.Series,
    horizon: int,
    level: float,
    paths: int = 0,
    seed: int = 0,
    params: np.ndarray | None = None,
    start: np.ndarray | None = None,
) -> Forecast:
    """Exponential smoothing with a damped trend and an additive weekly season
    on log(1 + y) (statsmodels' ``ETSModel``). With ``params`` the model is not
    re-estimated, only run over ``y``; ``start`` warm-starts the estimation."""
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    x = pd.Series(_log(y), index=y.index)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = ETSModel(x, error="add", trend="add", damped_trend=True, seasonal="add", seasonal_periods=SEASON)
        res = model.smooth(params) if params is not None else model.fit(disp=False, start_params=start)
        frame = res.get_prediction(start=len(x), end=len(x) + horizon - 1).summary_frame(alpha=1 - level)
        sims = None
        if paths:
            sims = _unlog(np.asarray(res.simulate(horizon, repetitions=paths, anchor="end", rng=np.random.default_rng(seed))).T)
    return Forecast(
        "ets",
        _future(y, horizon),
        _unlog(np.asarray(frame["mean"])),
        _unlog(np.asarray(frame["pi_lower"])),
        _unlog(np.asarray(frame["pi_upper"])),
        sims,
        np.asarray(res.params),
    )


def sarima(
    y: pd.Series,
    horizon: int,
    level: float,
    paths: int = 0,
    seed: int = 0,
    params: np.ndarray | None = None,
    start: np.ndarray | None = None,
) -> Forecast:
    """The "airline" seasonal ARIMA (0,1,1)(0,1,1)7 on log(1 + y) (statsmodels'
    ``SARIMAX``). With ``params`` the model is not re-estimated, only run over
    ``y``; ``start`` warm-starts the estimation."""
    from statsmodels.tsa.statespace.sarimax import SARIMAX

    x = pd.Series(_log(y), index=y.index)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = SARIMAX(x, order=(0, 1, 1), seasonal_order=(0, 1, 1, SEASON))
        res = model.filter(params) if params is not None else model.fit(disp=False, start_params=start)
        frame = res.get_forecast(horizon).summary_frame(alpha=1 - level)
        sims = None
        if paths:
            simulated = res.simulate(horizon, repetitions=paths, anchor="end", rng=np.random.default_rng(seed))
            sims = _unlog(np.asarray(simulated).reshape(horizon, paths).T)
    return Forecast(
        "sarima",
        _future(y, horizon),
        _unlog(np.asarray(frame["mean"])),
        _unlog(np.asarray(frame["mean_ci_lower"])),
        _unlog(np.asarray(frame["mean_ci_upper"])),
        sims,
        np.asarray(res.params),
    )


Model = Callable[..., Forecast]
MODELS: dict[str, Model] = {"seasonal_naive": seasonal_naive, "ets": ets, "sarima": sarima}
MODEL_NAMES = {
    "seasonal_naive": "seasonal naive (same weekday last week)",
    "ets": "exponential smoothing (damped trend, weekly season)",
    "sarima": "seasonal ARIMA (0,1,1)(0,1,1)7",
}


def get_model(name: str) -> Model:
    try:
        return MODELS[name]
    except KeyError:
        raise ValueError(f"unknown forecast model {name!r}; valid models: {', '.join(MODELS)}") from None


def mase(actual: np.ndarray, predicted: np.ndarray, train: np.ndarray, season: int = SEASON) -> float:
    """Mean absolute scaled error: the forecast's mean absolute error over the
    in-sample mean absolute error of the seasonal-naive forecast (Hyndman & Koehler 2006)."""
    scale = np.mean(np.abs(train[season:] - train[:-season]))
    if scale == 0:
        return float("nan")
    return float(np.mean(np.abs(actual - predicted)) / scale)


@dataclass(frozen=True)
class Backtest:
    metric: str
    scores: pd.DataFrame  # model x origin MASE
    coverage: dict  # model -> share of held-out days inside the model's own (uncalibrated) interval
    chosen: str
    params: dict = field(default_factory=dict)  # model -> parameters estimated before the first origin
    interval_scale: dict = field(default_factory=dict)  # model -> factor on the log-scale half-widths that calibrates its interval

    @property
    def mase(self) -> pd.Series:
        return self.scores.mean(axis=1)


def min_history(horizon: int) -> int:
    """The fewest days a backtest of ``horizon`` days needs (eight weeks before its last origin)."""
    return 8 * SEASON + horizon


def choose(scores: pd.DataFrame, baseline: str = "seasonal_naive", margin: float = SELECTION_MARGIN) -> str:
    """The model a backtest picks: the one with the lowest mean MASE, but only
    when that is at least ``margin`` below ``baseline``'s and it beats the
    baseline at more than half of the origins; otherwise the baseline."""
    mean = scores.mean(axis=1)
    if baseline not in scores.index or not np.isfinite(mean.get(baseline, np.nan)):
        return str(mean.idxmin()) if mean.notna().any() else baseline
    best = str(mean.idxmin())
    if best == baseline:
        return baseline
    wins = int((scores.loc[best] < scores.loc[baseline]).sum())
    if mean[best] <= (1 - margin) * mean[baseline] and wins * 2 > scores.shape[1]:
        return best
    return baseline


def interval_ratios(actual: np.ndarray, f: Forecast) -> np.ndarray:
    """Each held-out day's log-scale error over the interval's half-width on
    its side: inside the interval exactly when at most 1."""
    a, p, lo, hi = (np.log1p(np.maximum(np.asarray(v, dtype=float), 0.0)) for v in (actual, f.point, f.lo, f.hi))
    half = np.where(a >= p, hi - p, p - lo)
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.abs(a - p) / half
    return np.where(half > 0, r, np.where(a == p, 0.0, np.inf))


def conformal_scale(ratios: np.ndarray, level: float) -> float:
    """The factor on the half-widths that would have put ``level`` of the
    backtest's held-out days inside (the finite-sample conformal quantile),
    taken ``CALIBRATION_WEIGHT`` of the way from 1 on the log scale and kept
    within ``SCALE_LIMITS``."""
    r = np.sort(np.asarray(ratios, dtype=float))
    if not len(r):
        return 1.0
    k = min(int(np.ceil(level * (len(r) + 1))) - 1, len(r) - 1)
    full = float(np.clip(r[k], *SCALE_LIMITS)) if np.isfinite(r[k]) else SCALE_LIMITS[1]
    return float(full**CALIBRATION_WEIGHT)


def calibrate(f: Forecast, scale: float) -> Forecast:
    """``f`` with its interval and paths stretched (or shrunk) by ``scale``
    around the point on the log scale, where the models work."""
    if scale == 1.0:
        return f
    p = np.log1p(f.point)

    def stretch(v: np.ndarray) -> np.ndarray:
        return _unlog(p + scale * (np.log1p(np.maximum(v, 0.0)) - p))

    return Forecast(f.model, f.index, f.point, stretch(f.lo), stretch(f.hi), None if f.paths is None else stretch(f.paths), f.params)


def backtest(y: pd.Series, horizon: int, level: float, models: tuple[str, ...] = tuple(MODELS), origins: int = 4, metric: str = "") -> Backtest:
    """Rolling-origin evaluation: forecast ``horizon`` days from each of the
    last ``origins`` origins, one horizon apart, and score each model by MASE.
    The model is chosen by :func:`choose` (seasonal naive unless a model wins
    clearly). Also the share of held-out days inside each model's interval and
    the factor that calibrates it (:func:`conformal_scale`). Models estimate
    their parameters once, on the data before the first origin, and reuse them
    at the later origins, so no origin sees its own future and the backtest
    stays fast."""
    scores: dict[str, list[float]] = {m: [] for m in models}
    inside: dict[str, list[bool]] = {m: [] for m in models}
    ratios: dict[str, list[np.ndarray]] = {m: [] for m in models}
    params: dict[str, np.ndarray | None] = {m: None for m in models}
    for k in range(origins, 0, -1):
        cut = len(y) - k * horizon
        if cut < 8 * SEASON:
            continue
        train, test = y.iloc[:cut], y.iloc[cut : cut + horizon].to_numpy(dtype=float)
        for name in models:
            f = get_model(name)(train, len(test), level, params=params[name])
            params[name] = f.params
            scores[name].append(mase(test, f.point, train.to_numpy(dtype=float)))
            inside[name].extend(((test >= f.lo) & (test <= f.hi)).tolist())
            ratios[name].append(interval_ratios(test, f))
    table = pd.DataFrame(scores, index=[f"origin {i + 1}" for i in range(len(next(iter(scores.values()))))]).T
    if table.empty:
        raise ValueError(f"{metric or 'the series'} has {len(y)} days; a backtest needs at least {min_history(horizon)}")
    scale = {m: conformal_scale(np.concatenate(v), level) for m, v in ratios.items() if v}
    return Backtest(metric, table, {m: float(np.mean(v)) for m, v in inside.items() if v}, choose(table), params, scale)


def forecast_calibrated(y: pd.Series, bt: Backtest, horizon: int, level: float, paths: int = 0, seed: int = 0) -> Forecast:
    """The backtest's chosen model fitted to all of ``y``, its interval and paths calibrated by the backtest."""
    f = get_model(bt.chosen)(y, horizon, level, paths=paths, seed=seed)
    return calibrate(f, bt.interval_scale.get(bt.chosen, 1.0))


def horizon_summary(paths: np.ndarray, level: float, goal: float | None, last_day: bool = False) -> tuple[float, float, float, float | None]:
    """The horizon's forecast from simulated paths (repetitions x days): the
    median of the path totals (of the last day's values with ``last_day``,
    for a level such as followers), the central ``level`` interval of the same
    totals, and the share of paths that reach ``goal``. Point, interval and
    chance all come from one distribution; the sum of the daily points would
    not do, since each daily point is a back-transformed log-scale mean (near
    that day's median) and the sum of medians is not the median of the sum."""
    totals = paths[:, -1] if last_day else paths.sum(axis=1)
    lo, mid, hi = np.quantile(totals, [(1 - level) / 2, 0.5, (1 + level) / 2])
    return float(mid), float(lo), float(hi), None if goal is None else float(np.mean(totals >= goal))
