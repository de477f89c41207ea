"""Daily forecasts with a weekly season, scored by a rolling-origin backtest.

Three models of a daily series, each on the log scale ``log(1 + y)``:
the seasonal-naive forecast (each day as the same weekday a week earlier), the
baseline every model must beat; exponential smoothing with a damped trend and
an additive weekly season (statsmodels' ``ETSModel``); and the "airline"
seasonal ARIMA (0,1,1)(0,1,1)7 (statsmodels' ``SARIMAX``). A rolling-origin
backtest scores each by MASE (Hyndman & Koehler 2006) and picks the best;
simulated paths of the chosen model give a horizon's total, its interval and
the chance of reaching a goal from one distribution.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from smkit.methods import stats

SEASON = 7


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
    coverage: dict  # model -> share of held-out days inside the interval
    chosen: str
    params: dict = field(default_factory=dict)  # model -> parameters estimated before the first origin

    @property
    def mase(self) -> pd.Series:
        return self.scores.mean(axis=1)


def min_history(horizon: int) -> int:
    """The fewest days a backtest of ``horizon`` days needs (eight weeks before its last origin)."""
    return 8 * SEASON + horizon


def backtest(y: pd.Series, horizon: int, level: float, models: tuple[str, ...] = tuple(MODELS), origins: int = 4, metric: str = "") -> Backtest:
    """Rolling-origin evaluation: forecast ``horizon`` days from each of the
    last ``origins`` origins, one horizon apart, and score each model by MASE.
    The model with the lowest mean MASE is chosen; seasonal naive is the
    baseline every model must beat. Also the share of held-out days inside each
    model's interval. Models estimate their parameters once, on the data
    before the first origin, and reuse them at the later origins, so no origin
    sees its own future and the backtest stays fast."""
    scores: dict[str, list[float]] = {m: [] for m in models}
    inside: dict[str, list[bool]] = {m: [] for m in models}
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
    table = pd.DataFrame(scores, index=[f"origin {i + 1}" for i in range(len(next(iter(scores.values()))))]).T
    if table.empty:
        raise ValueError(f"{metric or 'the series'} has {len(y)} days; a backtest needs at least {min_history(horizon)}")
    mean = table.mean(axis=1)
    chosen = str(mean.idxmin()) if mean.notna().any() else "seasonal_naive"
    return Backtest(metric, table, {m: float(np.mean(v)) for m, v in inside.items() if v}, chosen, params)


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
