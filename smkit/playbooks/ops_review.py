"""Operations review: goals and KPIs, forecasts, community health and the team scorecard.

Backs ``notebooks/ops_review.ipynb`` (plan chapters 1, 4, 6 and 9). Where the
numbers come from:

- **KPIs per goal** (品牌知名度, 市场份额, 用户满意度, 品牌形象, plus engagement and
  follower growth): the brand's ``account_daily`` rows and the ``mentions``
  table, in the window, the equally long period before it and the same
  weekdays a year earlier (364 days back). Goals come from a CSV
  (``metric, period, target`` and an optional ``owner``); a count target is
  pro-rated from its period to the window's length.
- **Forecasts** of the brand's daily ``followers``, ``engagements`` and
  earned ``mentions``: statsmodels models with a weekly season on the log
  scale, chosen by a rolling-origin backtest against the seasonal-naive
  forecast (MASE), intervals and the chance of meeting a goal from the chosen
  model.
- **Community health** from ``community_activity``: active members, new
  against returning, weekly cohort retention, points and levels by rules
  given as parameters, top contributors.
- **Team scorecard** from ``team``: each owner's posts (output), engagement
  per post against the platform's norm, reply time and their own goals.

A table the store does not have (a store made before ``community_activity``
and ``team`` existed) gives an empty section with a sentence saying so, never
invented figures.
"""

from __future__ import annotations

import datetime as dt
import html
import math
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats as sps

from smkit import paths, rules
from smkit.data.store import DEFAULT_TZ, connect, load
from smkit.methods import sentiment, stats
from smkit.playbooks.market_analysis import share_of_voice
from smkit.rules import earned, first_reply_hours, is_reply

DEFAULT_GOALS = paths.reference_dir() / "goals.csv"
PERIOD_DAYS = {"day": 1.0, "week": 7.0, "month": 365.25 / 12, "quarter": 365.25 / 4, "year": 365.25}
YEAR_DAYS = 364  # 52 weeks: the same weekdays a year earlier
ENGAGEMENT_PARTS = ("likes", "comments", "shares", "saves")
DEFAULT_POINTS = "post:10,comment:3,share:5,like:1,checkin:2"
DEFAULT_LEVELS = "L1 新手:0,L2 活跃:50,L3 达人:200,L4 核心:800,L5 大使:2000"


# ---------------------------------------------------------------- KPIs and goals


@dataclass(frozen=True)
class Metric:
    """A KPI: the goal it serves, how it is compared and tested."""

    name: str
    goal: str
    label: str
    additive: bool  # a total over the period (pro-rated targets) rather than a level
    higher_is_better: bool = True
    share: bool = False  # a share or score in -1..1: changes are differences, not ratios


METRICS: dict[str, Metric] = {m.name: m for m in (
    Metric("reach", "awareness", "reach", True),
    Metric("impressions", "awareness", "impressions", True),
    Metric("views", "awareness", "views", True),
    Metric("mentions", "awareness", "earned mentions", True),
    Metric("share_of_voice", "market share", "share of voice", False, share=True),
    Metric("net_sentiment", "satisfaction", "net sentiment", False, share=True),
    Metric("reply_rate", "satisfaction", "reply rate (earned mentions answered)", False, share=True),
    Metric("reply_hours", "satisfaction", "median first reply (answered)", False, higher_is_better=False),
    Metric("negative_share", "image", "negative share of earned mentions", False, higher_is_better=False, share=True),
    Metric("mean_sentiment", "image", "mean sentiment of earned mentions", False, share=True),
    Metric("engagements", "engagement", "engagements", True),
    Metric("engagement_rate", "engagement", "engagements per view", False, share=True),
    Metric("followers_gained", "follower growth", "followers gained", True),
    Metric("followers", "follower growth", "followers (end of period)", False),
)}
GOAL_NAMES = {
    "awareness": "brand awareness 品牌知名度", "market share": "market share 市场份额", "satisfaction": "user satisfaction 用户满意度",
    "image": "brand image 品牌形象", "engagement": "engagement 互动", "follower growth": "follower growth 粉丝增长",
}
# Goals a team member can own, computed from the posts mapped to them.
OWNER_METRICS = ("posts", "engagements", "engagement_per_post", "views")


def get_metric(name: str) -> Metric:
    try:
        return METRICS[name]
    except KeyError:
        raise ValueError(f"unknown KPI {name!r}; valid KPIs: {', '.join(METRICS)}") from None


def read_goals(path: str | Path | None = None) -> pd.DataFrame:
    """The goals file: ``metric, period, target`` and optionally ``owner``
    (a team member's name, or ``*`` for every owner). ``None`` reads the default."""
    path = Path(path) if path else DEFAULT_GOALS
    if not path.exists():
        raise FileNotFoundError(f"goals file {path} does not exist")
    goals = pd.read_csv(path, dtype={"metric": str, "period": str, "owner": str}, comment="#", skipinitialspace=True)
    missing = {"metric", "period", "target"} - set(goals.columns)
    if missing:
        raise ValueError(f"{path}: the goals file needs columns metric, period, target; missing {', '.join(sorted(missing))}")
    if "owner" not in goals:
        goals["owner"] = None
    goals["metric"] = goals["metric"].str.strip()
    goals["period"] = goals["period"].str.strip().str.lower()
    goals["owner"] = goals["owner"].astype(object).where(goals["owner"].notna() & (goals["owner"].astype(str).str.strip() != ""), None)
    for _, row in goals.iterrows():
        if pd.isna(row["owner"]):
            get_metric(row["metric"])
        elif row["metric"] not in OWNER_METRICS:
            raise ValueError(f"{path}: an owner's goal must be one of {', '.join(OWNER_METRICS)}, got {row['metric']!r}")
        if row["period"] not in PERIOD_DAYS:
            raise ValueError(f"{path}: unknown period {row['period']!r}; valid periods: {', '.join(PERIOD_DAYS)}")
    goals["target"] = pd.to_numeric(goals["target"], errors="raise").astype(float)
    return goals.reset_index(drop=True)


def prorated(target: float, period: str, days: int, additive: bool) -> float:
    """A count target set for ``period`` scaled to ``days``; a level target as it is."""
    return target * days / PERIOD_DAYS[period] if additive else target


@dataclass(frozen=True)
class Window:
    name: str
    start: dt.date
    end: dt.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def windows(start: dt.date, end: dt.date) -> tuple[Window, Window, Window]:
    """The window, the equally long period before it, and the same weekdays a year earlier."""
    days = (end - start).days + 1
    before = Window("previous", start - dt.timedelta(days=days), start - dt.timedelta(days=1))
    year = Window("year ago", start - dt.timedelta(days=YEAR_DAYS), end - dt.timedelta(days=YEAR_DAYS))
    return Window("current", start, end), before, year


@dataclass(frozen=True)
class Measure:
    """A KPI's value in one period and what its test needs: daily values, a
    proportion (successes of n) or a sample of individual values."""

    value: float | None
    daily: np.ndarray | None = None
    successes: float | None = None
    n: float | None = None
    sample: np.ndarray | None = None


def brand_share_of_voice(mentions: pd.DataFrame, brand: str) -> tuple[float | None, float, float]:
    """The brand's share of earned mentions, its mention count and all brands' count.

    The one place the market module's share of voice is used, so both
    playbooks report the same figure."""
    if mentions.empty:
        return None, 0.0, 0.0
    table = share_of_voice(mentions)
    total = float(table["volume"].sum())
    ours = table.loc[table["brand"] == brand]
    volume = float(ours["volume"].iloc[0]) if len(ours) else 0.0
    return (float(ours["share"].iloc[0]) if len(ours) else 0.0), volume, total


REPLY_GRACE_DAYS = 7  # replies loaded after a period's end, only to find replies to mentions inside it


def reply_hours(mentions: pd.DataFrame, brand: str) -> np.ndarray:
    """Hours from each answered earned mention of ``brand`` to the brand's first reply to it."""
    return first_reply_hours(mentions, brand).dropna().to_numpy(dtype=float)


def _daily(frame: pd.DataFrame, column: str, window: Window) -> np.ndarray | None:
    if column not in frame or frame[column].notna().sum() == 0:
        return None
    days = pd.date_range(window.start, window.end)
    per_day = frame.groupby("date")[column].sum(min_count=1).reindex(days)
    return per_day.dropna().to_numpy(dtype=float)


def measure(daily: pd.DataFrame, mentions: pd.DataFrame, brand: str, window: Window, threshold: float = 0.25) -> dict[str, Measure]:
    """Every KPI in one period from the brand's ``account_daily`` rows and all
    brands' mentions (sentiment filled). A KPI without data is left out."""
    out: dict[str, Measure] = {}
    for column in ("reach", "impressions", "views", "engagements", "followers_gained"):
        values = _daily(daily, column, window)
        if values is not None and len(values):
            out[column] = Measure(float(values.sum()), daily=values)
    views, engaged = _daily(daily, "views", window), _daily(daily, "engagements", window)
    if views is not None and engaged is not None and len(views) == len(engaged) and views.sum() > 0:
        out["engagement_rate"] = Measure(float(engaged.sum() / views.sum()), daily=engaged / np.where(views > 0, views, np.nan))
    if "followers" in daily and daily["followers"].notna().any():
        last = daily.dropna(subset=["followers"]).sort_values("date").groupby("platform").tail(1)
        out["followers"] = Measure(float(last["followers"].sum()))
    if mentions.empty:
        return out
    voice = earned(mentions)
    ours = voice[voice["brand"] == brand]
    if len(ours):
        day = ours["published_at"].dt.tz_localize(None).dt.normalize()
        counts = day.value_counts().reindex(pd.date_range(window.start, window.end), fill_value=0)
        out["mentions"] = Measure(float(len(ours)), daily=counts.to_numpy(dtype=float))
    share, volume, total = brand_share_of_voice(voice, brand)
    if share is not None and total > 0:
        out["share_of_voice"] = Measure(share, successes=volume, n=total)
    scores = ours["sentiment"].dropna().to_numpy(dtype=float) if "sentiment" in ours else np.array([])
    if len(scores):
        positive, negative = int((scores > threshold).sum()), int((scores < -threshold).sum())
        net = rules.net_sentiment(scores, threshold)
        if positive + negative:
            out["net_sentiment"] = Measure(net, successes=positive, n=positive + negative)
        out["negative_share"] = Measure(negative / len(scores), successes=negative, n=len(scores))
        out["mean_sentiment"] = Measure(float(scores.mean()), sample=scores)
    asked = first_reply_hours(mentions, brand)
    if len(asked):
        answered = int(asked.notna().sum())
        out["reply_rate"] = Measure(answered / len(asked), successes=answered, n=len(asked))
    waits = asked.dropna().to_numpy(dtype=float)
    if len(waits):
        out["reply_hours"] = Measure(float(np.median(waits)), sample=waits)
    return out


def change_and_p(metric: Metric, now: Measure | None, then: Measure | None) -> tuple[float | None, float | None]:
    """Change from ``then`` to ``now`` (relative; a difference for shares and
    scores) and its two-sided p-value where the data allow a test.

    Tests: daily totals by Welch's t-test on the days (daily totals of views or
    mentions vary far more than a Poisson count would, so a Poisson rate test
    would call every wobble significant); shares by the two-proportion z-test;
    reply times by Mann-Whitney; sentiment scores by Welch. Followers (a level
    at one instant) get no test."""
    if now is None or then is None or now.value is None or then.value is None:
        return None, None
    if metric.share:
        change = now.value - then.value
    else:
        change = now.value / then.value - 1 if then.value else None
    p = None
    if now.daily is not None and then.daily is not None:
        a, b = now.daily[~np.isnan(now.daily)], then.daily[~np.isnan(then.daily)]
        if len(a) >= 7 and len(b) >= 7 and (a.std() > 0 or b.std() > 0):
            p = float(sps.ttest_ind(a, b, equal_var=False).pvalue)
    elif now.n is not None and then.n is not None and now.n > 0 and then.n > 0:
        p = stats.two_proportion_pvalue(then.successes, then.n, now.successes, now.n)
    elif now.sample is not None and then.sample is not None and len(now.sample) >= 5 and len(then.sample) >= 5:
        if metric.name == "reply_hours":
            p = float(sps.mannwhitneyu(now.sample, then.sample).pvalue)
        else:
            p = float(sps.ttest_ind(now.sample, then.sample, equal_var=False).pvalue)
    return change, p


def attainment(metric: Metric, actual: float | None, goal: float | None) -> float | None:
    """Actual over goal (goal over actual when lower is better); ``None`` when
    either is missing or not positive, where a ratio would mislead."""
    if actual is None or goal is None or goal <= 0 or actual < 0:
        return None
    if metric.higher_is_better:
        return actual / goal
    return goal / actual if actual > 0 else None


def kpi_table(current: dict[str, Measure], previous: dict[str, Measure], year_ago: dict[str, Measure], goals: pd.DataFrame,
              days: int) -> pd.DataFrame:
    """One row per KPI: goal, actual, pro-rated goal, attainment, change and
    p-value against the previous period and a year earlier."""
    team_goals = goals[goals["owner"].isna()] if "owner" in goals else goals
    rows = []
    for name, metric in METRICS.items():
        now = current.get(name)
        wanted = team_goals[team_goals["metric"] == name]
        if now is None and wanted.empty:
            continue
        goal = None
        if len(wanted):
            g = wanted.iloc[-1]
            goal = prorated(float(g["target"]), g["period"], days, metric.additive)
        change, p = change_and_p(metric, now, previous.get(name))
        change_y, p_y = change_and_p(metric, now, year_ago.get(name))
        rows.append({
            "metric": name, "goal_area": metric.goal, "label": metric.label,
            "actual": None if now is None else now.value, "goal": goal,
            "attainment": attainment(metric, None if now is None else now.value, goal),
            "previous": None if previous.get(name) is None else previous[name].value, "change": change, "p_previous": p,
            "year_ago": None if year_ago.get(name) is None else year_ago[name].value, "change_year": change_y, "p_year": p_y,
        })
    columns = ["metric", "goal_area", "label", "actual", "goal", "attainment", "previous", "change", "p_previous", "year_ago", "change_year", "p_year"]
    table = pd.DataFrame(rows, columns=columns).set_index("metric")
    return holm(table)


def holm(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` with ``p_previous_holm`` and ``p_year_holm``: every test of the
    scorecard (both comparisons, all KPIs) adjusted together by Holm's method,
    so that a dozen KPIs tested twice do not turn up a "significant" change by
    chance. Significance is called on these."""
    table = table.copy()
    raw = pd.concat([table["p_previous"], table["p_year"]], keys=["p_previous", "p_year"]).astype(float)
    tested = raw.dropna()
    adjusted = pd.Series(stats.adjust_pvalues(tested.to_numpy(), "holm"), index=tested.index).reindex(raw.index)
    for column in ("p_previous", "p_year"):
        values = adjusted.loc[column].reindex(table.index)
        table[column + "_holm"] = [None if pd.isna(v) else float(v) for v in values]
    return table


def tests_in(table: pd.DataFrame) -> int:
    """How many tests the scorecard's Holm adjustment covers."""
    return int(table["p_previous"].notna().sum() + table["p_year"].notna().sum()) if len(table) else 0


# ---------------------------------------------------------------- forecasts

FORECAST_METRICS = ("followers", "engagements", "mentions")
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


def seasonal_naive(y: pd.Series, horizon: int, level: float, paths: int = 0, seed: int = 0, params: np.ndarray | None = None,
                   start: np.ndarray | None = None) -> Forecast:
    """Each day as the same weekday last week; the interval from the spread of
    weekly differences, widening with every week ahead (Hyndman & Athanasopoulos, 5.5)."""
    x = _log(y)
    steps = np.arange(horizon)
    point = x[len(x) - SEASON + steps % SEASON]
    diffs = x[SEASON:] - x[:-SEASON]
    sd = float(np.std(diffs, ddof=1)) if len(diffs) > 1 else 0.0
    z = sps.norm.ppf(0.5 + level / 2)
    width = z * sd * np.sqrt(steps // SEASON + 1)
    sims = None
    if paths:
        rng = np.random.default_rng(seed)
        weekly = rng.normal(0.0, sd, (paths, horizon // SEASON + 1)).cumsum(axis=1)
        sims = _unlog(point + weekly[:, steps // SEASON])
    return Forecast("seasonal_naive", _future(y, horizon), _unlog(point), _unlog(point - width), _unlog(point + width), sims)


def ets(y: pd.Series, horizon: int, level: float, paths: int = 0, seed: int = 0, params: np.ndarray | None = None,
        start: np.ndarray | None = None) -> Forecast:
    """Exponential smoothing with a damped trend and an additive weekly season
    on log(1 + y) (statsmodels' ``ETSModel``). With ``params`` the model is not
    re-estimated, only run over ``y``; ``start`` warm-starts the estimation."""
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    x = pd.Series(_log(y), index=y.index)
    back = lambda v: _unlog(np.asarray(v))  # noqa: E731
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = ETSModel(x, error="add", trend="add", damped_trend=True, seasonal="add", seasonal_periods=SEASON)
        res = model.smooth(params) if params is not None else model.fit(disp=False, start_params=start)
        frame = res.get_prediction(start=len(x), end=len(x) + horizon - 1).summary_frame(alpha=1 - level)
        sims = back(np.asarray(res.simulate(horizon, repetitions=paths, anchor="end", rng=np.random.default_rng(seed))).T) if paths else None
    return Forecast("ets", _future(y, horizon), back(frame["mean"]), back(frame["pi_lower"]), back(frame["pi_upper"]), sims, np.asarray(res.params))


def sarima(y: pd.Series, horizon: int, level: float, paths: int = 0, seed: int = 0, params: np.ndarray | None = None,
           start: np.ndarray | None = None) -> Forecast:
    """The "airline" seasonal ARIMA (0,1,1)(0,1,1)7 on log(1 + y) (statsmodels'
    ``SARIMAX``). With ``params`` the model is
    not re-estimated, only run over ``y``; ``start`` warm-starts the estimation."""
    from statsmodels.tsa.statespace.sarimax import SARIMAX

    x = pd.Series(_log(y), index=y.index)
    back = lambda v: _unlog(np.asarray(v))  # noqa: E731
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = SARIMAX(x, order=(0, 1, 1), seasonal_order=(0, 1, 1, SEASON))
        res = model.filter(params) if params is not None else model.fit(disp=False, start_params=start)
        frame = res.get_forecast(horizon).summary_frame(alpha=1 - level)
        sims = None
        if paths:
            sims = back(np.asarray(res.simulate(horizon, repetitions=paths, anchor="end", rng=np.random.default_rng(seed))).reshape(horizon, paths).T)
    return Forecast("sarima", _future(y, horizon), back(frame["mean"]), back(frame["mean_ci_lower"]), back(frame["mean_ci_upper"]), sims,
                    np.asarray(res.params))


MODELS = {"seasonal_naive": seasonal_naive, "ets": ets, "sarima": sarima}
MODEL_NAMES = {"seasonal_naive": "seasonal naive (same weekday last week)", "ets": "exponential smoothing (damped trend, weekly season)",
               "sarima": "seasonal ARIMA (0,1,1)(0,1,1)7"}


def get_model(name: str):
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
        train, test = y.iloc[:cut], y.iloc[cut:cut + horizon].to_numpy(dtype=float)
        for name in models:
            f = get_model(name)(train, len(test), level, params=params[name])
            params[name] = f.params
            scores[name].append(mase(test, f.point, train.to_numpy(dtype=float)))
            inside[name].extend(((test >= f.lo) & (test <= f.hi)).tolist())
    table = pd.DataFrame(scores, index=[f"origin {i + 1}" for i in range(len(next(iter(scores.values()))))]).T
    if table.empty:
        raise ValueError(f"{metric or 'the series'} has {len(y)} days; a backtest needs at least {8 * SEASON + horizon}")
    mean = table.mean(axis=1)
    chosen = str(mean.idxmin()) if mean.notna().any() else "seasonal_naive"
    return Backtest(metric, table, {m: float(np.mean(v)) for m, v in inside.items() if v}, chosen, params)


@dataclass(frozen=True)
class MetricForecast:
    metric: str
    history: pd.Series
    forecast: Forecast
    backtest: Backtest
    horizon_total: tuple[float, float, float]  # point, lo, hi over the horizon (level for followers)
    goal: float | None  # the goal over the horizon (followers: at its end)
    p_meet_goal: float | None

    @property
    def backtest_mase(self) -> float:
        return float(self.backtest.mase[self.backtest.chosen])

    @property
    def baseline_mase(self) -> float:
        return float(self.backtest.mase["seasonal_naive"])


def forecast_metric(y: pd.Series, metric: str, horizon: int, level: float, goals: pd.DataFrame | None = None,
                    paths: int = 1000, seed: int = 0) -> MetricForecast:
    """Backtest, choose, forecast ``horizon`` days and the chance of meeting the goal."""
    y = y.asfreq("D").interpolate(limit_area="inside").dropna()
    bt = backtest(y, horizon, level, metric=metric)
    f = get_model(bt.chosen)(y, horizon, level, paths=paths, seed=seed)
    level_metric = metric == "followers"
    goal = None
    team_goals = goals[goals["owner"].isna()] if goals is not None and "owner" in goals else goals
    if team_goals is not None and len(team_goals):
        if level_metric:
            rows = team_goals[team_goals["metric"] == "followers"]
            gained = team_goals[team_goals["metric"] == "followers_gained"]
            if len(rows):
                goal = float(rows.iloc[-1]["target"])
            elif len(gained):
                g = gained.iloc[-1]
                goal = float(y.iloc[-1]) + prorated(float(g["target"]), g["period"], horizon, True)
        else:
            rows = team_goals[team_goals["metric"] == metric]
            if len(rows):
                g = rows.iloc[-1]
                goal = prorated(float(g["target"]), g["period"], horizon, True)
    point, lo, hi, p = horizon_summary(f.paths, level, goal, last_day=level_metric)
    return MetricForecast(metric, y, f, bt, (point, lo, hi), goal, p)


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


def brand_series(store: Path, brand: str, end: dt.date, tz: str = DEFAULT_TZ) -> dict[str, pd.Series]:
    """The brand's daily followers and engagements (all platforms) and earned
    mentions up to ``end``. Mentions are counted in the store (a year of them
    is too many rows to load for a count)."""
    daily = load("account_daily", store=store, end=end, accounts=[brand])
    out = {}
    for column in ("followers", "engagements"):
        if column in daily and daily[column].notna().any():
            out[column] = daily.groupby("date")[column].sum(min_count=1).dropna().astype(float)
    try:
        with connect(store, read_only=True, tz=tz) as con:
            rows = con.execute(
                f"SELECT CAST(timezone('{tz}', published_at) AS DATE) AS day, count(*) AS n FROM mentions "
                "WHERE brand = ? AND NOT coalesce(is_reply_by_brand, false) AND CAST(timezone(?, published_at) AS DATE) <= ? GROUP BY 1 ORDER BY 1",
                [brand, tz, end]).df()
    except Exception:  # no mentions table
        rows = pd.DataFrame(columns=["day", "n"])
    if len(rows):
        s = pd.Series(rows["n"].to_numpy(dtype=float), index=pd.to_datetime(rows["day"]))
        out["mentions"] = s.reindex(pd.date_range(s.index.min(), s.index.max()), fill_value=0.0)
    return out


def forecasts(store: Path, brand: str, end: dt.date, horizon: int, level: float, goals: pd.DataFrame | None) -> tuple[list[MetricForecast], list[str]]:
    """Forecasts of every metric with enough history, and why the others have none."""
    series = brand_series(store, brand, end)
    out, notes = [], []
    for metric in FORECAST_METRICS:
        if metric not in series:
            notes.append(f"{metric}: no data for {brand}")
            continue
        try:
            out.append(forecast_metric(series[metric], metric, horizon, level, goals))
        except ValueError as exc:
            notes.append(f"{metric}: {exc}")
    return out, notes


def forecast_points(items: list[MetricForecast]) -> pd.DataFrame:
    """The daily forecasts for ``forecast.csv``: date, metric, point, lo, hi."""
    frames = [pd.DataFrame({"date": f.forecast.index.strftime("%Y-%m-%d"), "metric": f.metric, "point": f.forecast.point,
                            "lo": f.forecast.lo, "hi": f.forecast.hi}) for f in items]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["date", "metric", "point", "lo", "hi"])


# ---------------------------------------------------------------- community


def parse_points(text: str) -> dict[str, float]:
    """Points per action from ``"post:10,comment:3"``."""
    rules = {}
    for part in str(text).split(","):
        if not part.strip():
            continue
        name, sep, value = part.rpartition(":")
        if not sep or not name.strip():
            raise ValueError(f"points rule {part.strip()!r} must read action:points, as in {DEFAULT_POINTS!r}")
        try:
            rules[name.strip().lower()] = float(value)
        except ValueError:
            raise ValueError(f"points rule {part.strip()!r}: {value.strip()!r} is not a number") from None
    if not rules:
        raise ValueError("no points rules given")
    return rules


def parse_levels(text: str) -> list[tuple[str, float]]:
    """Level thresholds from ``"L1:0,L2:50"``: the points from which each level starts, ascending."""
    levels = []
    for part in str(text).split(","):
        if not part.strip():
            continue
        name, sep, value = part.rpartition(":")
        if not sep or not name.strip():
            raise ValueError(f"level {part.strip()!r} must read name:points, as in {DEFAULT_LEVELS!r}")
        try:
            levels.append((name.strip(), float(value)))
        except ValueError:
            raise ValueError(f"level {part.strip()!r}: {value.strip()!r} is not a number") from None
    if not levels:
        raise ValueError("no levels given")
    bounds = [b for _, b in levels]
    if bounds != sorted(bounds) or len(set(bounds)) != len(bounds):
        raise ValueError(f"level thresholds must rise: {text!r}")
    if bounds[0] > 0:
        raise ValueError(f"the first level must start at 0 points so every member has one: {text!r}")
    return levels


def points(activity: pd.DataFrame, rules: dict[str, float]) -> pd.Series:
    """Points per row: count (a missing count as one action) times the action's points; unknown actions earn none."""
    count = activity["count"].astype("Float64").fillna(1.0).astype(float)
    return count * activity["action"].map(rules).fillna(0.0).astype(float)


def level_of(total: pd.Series, levels: list[tuple[str, float]]) -> pd.Series:
    """The level each points total reaches."""
    bounds = np.array([b for _, b in levels])
    names = np.array([n for n, _ in levels], dtype=object)
    idx = np.searchsorted(bounds, total.to_numpy(dtype=float), side="right") - 1
    return pd.Series(names[np.clip(idx, 0, None)], index=total.index)


@dataclass(frozen=True)
class Community:
    active: int
    active_previous: int
    new: int
    returning: int
    weekly: pd.DataFrame  # week -> new, returning
    retention: pd.DataFrame  # cohort week x weeks since joining: share active
    retention_4w: float | None
    levels: pd.DataFrame  # level -> members at start, at end
    moved_up: int
    top: pd.DataFrame
    unknown_actions: tuple[str, ...]
    note: str = ""


def _week(day: pd.Series) -> pd.Series:
    return day.dt.to_period("W-SUN").dt.start_time


def community_health(activity: pd.DataFrame, start: dt.date, end: dt.date, rules: dict[str, float], levels: list[tuple[str, float]],
                     top_n: int = 10, cohorts: int = 12, weeks: int = 8) -> Community:
    """Active members, new against returning, weekly cohort retention, points,
    levels and top contributors from ``community_activity`` up to ``end``.

    A member is *new* in the week of their first activity in the data and
    *returning* after it. Retention of a cohort (members who joined in one
    week) is the share active in each later week; ``retention_4w`` pools the
    last complete cohorts' week 4. Points are cumulative from the first day of
    data; a member's level is set by their points."""
    lo, hi = pd.Timestamp(start), pd.Timestamp(end)
    a = activity[activity["date"] <= hi].copy()
    a["points"] = points(a, rules)
    first = a.groupby("user_id")["date"].min()
    days = hi - lo + pd.Timedelta(days=1)
    in_window = a[a["date"] >= lo]
    active = in_window["user_id"].nunique()
    active_previous = a[(a["date"] < lo) & (a["date"] >= lo - days)]["user_id"].nunique()
    joined_in_window = first[(first >= lo)].index
    new = int(in_window.loc[in_window["user_id"].isin(joined_in_window), "user_id"].nunique())

    week = _week(a["date"])
    member_week = pd.DataFrame({"user_id": a["user_id"], "week": week}).drop_duplicates()
    member_week["cohort"] = _week(member_week["user_id"].map(first))
    member_week["age"] = ((member_week["week"] - member_week["cohort"]).dt.days // 7).astype(int)
    last_week = _week(pd.Series([hi])).iloc[0]
    complete = last_week if (hi - last_week).days == 6 else last_week - pd.Timedelta(days=7)  # the last full week
    recent = member_week[member_week["week"] > complete - pd.Timedelta(weeks=26)]
    weekly = recent.assign(kind=np.where(recent["age"] == 0, "new", "returning")).pivot_table(
        index="week", columns="kind", values="user_id", aggfunc="count", fill_value=0)
    weekly = weekly.reindex(columns=["new", "returning"], fill_value=0)
    weekly = weekly[weekly.index <= complete]

    first_week = _week(pd.Series([a["date"].min()])).iloc[0] if len(a) else complete
    sizes = member_week[member_week["age"] == 0].groupby("cohort")["user_id"].nunique()
    # The first weeks of data count members who joined earlier as new; leave them out.
    sizes = sizes[(sizes.index >= first_week + pd.Timedelta(weeks=weeks)) & (sizes.index <= complete)].tail(cohorts)
    counts = member_week[member_week["cohort"].isin(sizes.index) & (member_week["age"] <= weeks)].pivot_table(
        index="cohort", columns="age", values="user_id", aggfunc="count")
    retention = counts.div(sizes, axis=0).reindex(columns=range(weeks + 1))
    # Weeks not yet lived by a cohort stay empty, not zero.
    for cohort in retention.index:
        lived = int((complete - cohort).days // 7)
        retention.loc[cohort, [c for c in retention.columns if c > lived]] = np.nan
        retention.loc[cohort, [c for c in retention.columns if c <= lived]] = retention.loc[cohort, [c for c in retention.columns if c <= lived]].fillna(0.0)
    retention.insert(0, "members", sizes)
    four = retention[retention[4].notna()] if 4 in retention else retention.iloc[0:0]
    retention_4w = float((four[4] * four["members"]).sum() / four["members"].sum()) if len(four) else None

    before = a[a["date"] < lo].groupby("user_id")["points"].sum()
    after = a.groupby("user_id")["points"].sum()
    names = [n for n, _ in levels]
    at_start = level_of(before, levels).value_counts().reindex(names, fill_value=0)
    at_end = level_of(after, levels).value_counts().reindex(names, fill_value=0)
    rank = {n: i for i, n in enumerate(names)}
    start_level = level_of(before, levels).map(rank).reindex(after.index).fillna(-1)
    end_level = level_of(after, levels).map(rank)
    moved_up = int(((end_level > start_level) & (start_level >= 0)).sum())
    level_table = pd.DataFrame({"at start": at_start, "at end": at_end, "new members": level_of(after[~after.index.isin(before.index)], levels).value_counts().reindex(names, fill_value=0)})
    level_table.index.name = "level"

    earned_now = in_window.groupby("user_id")["points"].sum().sort_values(ascending=False).head(top_n)
    by_action = in_window[in_window["user_id"].isin(earned_now.index)].pivot_table(index="user_id", columns="action", values="count", aggfunc="sum", fill_value=0)
    top = pd.DataFrame({"platform": a.drop_duplicates("user_id", keep="last").set_index("user_id")["platform"].reindex(earned_now.index),
                        "points in window": earned_now, "points in all": after.reindex(earned_now.index),
                        "level": level_of(after.reindex(earned_now.index), levels)}).join(by_action)
    top.index.name = "member"
    unknown = tuple(sorted(set(a["action"].dropna()) - set(rules)))
    return Community(int(active), int(active_previous), new, int(active - new), weekly, retention, retention_4w, level_table, moved_up, top, unknown)


# ---------------------------------------------------------------- team


def interactions(posts: pd.DataFrame) -> pd.Series:
    """Likes + comments + shares + saves, counting the parts a platform reports."""
    parts = [c for c in ENGAGEMENT_PARTS if c in posts]
    return posts[parts].astype("Float64").sum(axis=1, min_count=1).astype(float)


def assign_owners(posts: pd.DataFrame, team: pd.DataFrame) -> pd.DataFrame:
    """``posts`` with ``owner`` and ``role``: a post-level row wins, then the
    account on that platform, then the account on every platform."""
    out = posts.copy()
    out["owner"], out["role"] = None, None
    t = team.copy()
    for col in ("platform", "post_id"):
        if col not in t:
            t[col] = None
    by_post = t[t["post_id"].notna()]
    by_account = t[t["post_id"].isna()]
    layers = [
        (by_account[by_account["platform"].isna()], ["account"]),
        (by_account[by_account["platform"].notna()], ["platform", "account"]),
        (by_post[by_post["platform"].isna()], ["account", "post_id"]),
        (by_post[by_post["platform"].notna()], ["platform", "account", "post_id"]),
    ]
    for rows, keys in layers:  # later layers are more specific and win
        if rows.empty:
            continue
        lookup = rows.drop_duplicates(keys, keep="last").set_index(keys)[["owner", "role"]].rename(columns=lambda c: c + "_new")
        matched = out.join(lookup, on=keys)
        hit = matched["owner_new"].notna()
        out.loc[hit, "owner"] = matched.loc[hit, "owner_new"]
        out.loc[hit, "role"] = matched.loc[hit, "role_new"]
    return out


def owned_posts(posts: pd.DataFrame, team: pd.DataFrame, brand: str) -> pd.DataFrame:
    """The brand's posts that ``team`` gives an owner, with each post's
    ``engagement`` and its platform's ``norm``: the mean engagement of every
    account's posts on that platform (the brand's and the others' in ``posts``)."""
    p = posts.copy()
    p["engagement"] = interactions(p)
    norm = p.groupby("platform")["engagement"].mean()
    owned = assign_owners(p[p["account"] == brand], team[team["account"] == brand])
    owned = owned[owned["owner"].notna()].copy()
    owned["norm"] = owned["platform"].map(norm)
    return owned


def against_norm(mine: pd.DataFrame) -> dict:
    """Engagement per post of some owned posts against their platforms' norm:
    the mean, the norm for the same post mix, their ratio (the index) and a
    t-test of each post's engagement over its platform's norm against 1
    (five posts at least)."""
    if mine.empty:
        return {"engagement_per_post": None, "platform_norm": None, "engagement_index": None, "p_vs_norm": None}
    per_post, norm = float(mine["engagement"].mean()), float(mine["norm"].mean())
    ratios = (mine["engagement"] / mine["norm"]).replace([np.inf, -np.inf], np.nan).dropna().to_numpy(dtype=float)
    return {"engagement_per_post": per_post if math.isfinite(per_post) else None, "platform_norm": norm if math.isfinite(norm) else None,
            "engagement_index": per_post / norm if norm and math.isfinite(per_post) and math.isfinite(norm) else None,
            "p_vs_norm": float(sps.ttest_1samp(ratios, 1.0).pvalue) if len(ratios) >= 5 and ratios.std() > 0 else None}


def owner_platforms(posts: pd.DataFrame, team: pd.DataFrame, brand: str) -> pd.DataFrame:
    """Per owner and platform: posts, engagement per post against the platform
    norm (:func:`against_norm`), so a weak platform is not hidden in an owner's average."""
    if team.empty or posts.empty:
        return pd.DataFrame()
    owned = owned_posts(posts, team, brand)
    rows = [{"owner": owner, "platform": platform, "posts": len(mine), **against_norm(mine)}
            for (owner, platform), mine in owned.groupby(["owner", "platform"], sort=True)]
    if not rows:
        return pd.DataFrame()
    return pd.DataFrame(rows).set_index(["owner", "platform"])


def team_scorecard(posts: pd.DataFrame, team: pd.DataFrame, mentions: pd.DataFrame, brand: str, goals: pd.DataFrame, days: int) -> pd.DataFrame:
    """Per owner of the brand's accounts: posts, engagement per post against
    the platform norm for the same post mix (:func:`against_norm`), views,
    median reply time on the platforms they own, and attainment of their own
    goals (owner column of the goals file). Team rows for other accounts are ignored."""
    team = team[team["account"] == brand]
    if team.empty:
        return pd.DataFrame()
    owned = owned_posts(posts, team, brand)
    rows = []
    for owner, role in team[["owner", "role"]].drop_duplicates("owner").itertuples(index=False):
        mine = owned[owned["owner"] == owner]
        platforms = team.loc[(team["owner"] == owner) & team["post_id"].isna() & team["platform"].notna(), "platform"].unique()
        waits = None
        if len(platforms) and not mentions.empty:
            waits = reply_hours(mentions[mentions["platform"].isin(platforms)], brand)
        views = mine["views"].dropna() if "views" in mine else pd.Series(dtype=float)
        row = {"owner": owner, "role": role, "platforms_owned": len(platforms) > 0, "platforms": ", ".join(sorted(mine["platform"].unique())) or "–", "posts": len(mine),
               **against_norm(mine),
               "views": float(views.sum()) if len(views) else None,
               "engagements": float(mine["engagement"].sum()) if len(mine) else 0.0,
               "reply_hours": float(np.median(waits)) if waits is not None and len(waits) else None}
        wanted = goals[goals["owner"].isin([owner, "*"])] if "owner" in goals else goals.iloc[0:0]
        # An owner's own goal replaces the everyone ("*") goal for the same metric and period.
        wanted = wanted.assign(own=wanted["owner"] == owner).sort_values("own").drop_duplicates(["metric", "period"], keep="last")
        results = []
        for g in wanted.itertuples(index=False):
            actual = row["posts"] if g.metric == "posts" else row.get(g.metric)
            target = prorated(float(g.target), g.period, days, g.metric != "engagement_per_post")
            if actual is not None and target > 0:
                results.append((g.metric, actual / target))
        row["goal_attainment"] = float(np.mean([r for _, r in results])) if results else None
        row["goals"] = "; ".join(f"{m} {r:.0%}" for m, r in results) or "no goal set"
        rows.append(row)
    return pd.DataFrame(rows).set_index("owner")


# ---------------------------------------------------------------- the review


@dataclass(frozen=True)
class Review:
    """Everything the report shows, computed once."""

    brand: str
    start: dt.date
    end: dt.date
    goals_file: str
    kpis: pd.DataFrame
    forecasts: list
    forecast_notes: list
    horizon_days: int
    level: float
    community: Community | None
    community_note: str
    team: pd.DataFrame
    team_note: str
    notes: list = field(default_factory=list)
    team_platforms: pd.DataFrame = field(default_factory=pd.DataFrame)

    def to_summary(self) -> dict:
        return summary(self)


def check_brand(store: Path, brand: str) -> None:
    """Refuse a brand with no ``account_daily`` rows and no mentions (a
    misspelt name would otherwise give a plausible report of zeros), naming
    the brands the store has."""
    with connect(store, read_only=True) as con:
        tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        queries = [q for t, q in (("account_daily", "SELECT DISTINCT account FROM account_daily"),
                                  ("mentions", "SELECT DISTINCT brand FROM mentions")) if t in tables]
        known = sorted({r[0] for q in queries for r in con.execute(q).fetchall() if r[0] is not None})
    if brand not in known:
        raise ValueError(f"brand {brand!r} has no account_daily rows and no mentions in the store; brands in the store: "
                         + (", ".join(known) or "none"))


def first_days(store: Path, brand: str) -> dict[str, dt.date | None]:
    """The first day of the brand's ``account_daily`` rows and of its mentions."""
    out: dict[str, dt.date | None] = {}
    with connect(store, read_only=True) as con:
        tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        for table, sql in (("account_daily", "SELECT min(date) FROM account_daily WHERE account = ?"),
                           ("mentions", f"SELECT CAST(min(timezone('{DEFAULT_TZ}', published_at)) AS DATE) FROM mentions WHERE brand = ?")):
            if table in tables:
                value = con.execute(sql, [brand]).fetchone()[0]
                out[table] = value.date() if isinstance(value, dt.datetime) else value
    return out


def _load_optional(table: str, store: Path, **kw) -> tuple[pd.DataFrame | None, str]:
    try:
        frame = load(table, store=store, **kw)
    except LookupError:
        return None, f"The store has no `{table}` table (it was made before the table existed, or nothing has been ingested into it)."
    if frame.empty:
        return frame, f"The `{table}` table has no rows" + (" in this window." if kw.get("start") else ".")
    return frame, ""


def analyze(store: Path, start: dt.date, end: dt.date, brand: str = "Lumina", *, goals: str | Path | None = None, horizon_days: int = 28,
            interval: float = 0.8, points_rules: str = DEFAULT_POINTS, level_thresholds: str = DEFAULT_LEVELS, top_n: int = 10) -> Review:
    """The whole operations review of ``start``..``end`` from the store."""
    if horizon_days < 7:
        raise ValueError(f"horizon_days must be at least 7 (a weekly season), got {horizon_days}")
    if not 0 < interval < 1:
        raise ValueError(f"interval must lie between 0 and 1, got {interval}")
    rules, levels = parse_points(points_rules), parse_levels(level_thresholds)
    goal_table = read_goals(goals)
    check_brand(store, brand)
    current, previous, year = windows(start, end)
    daily = load("account_daily", store=store, start=year.start, end=end, accounts=[brand])
    first = first_days(store, brand)
    measures, notes = {}, []
    for w in (current, previous, year):
        uncovered = [t for t, day in first.items() if day is not None and day > w.start]
        if uncovered and w.name != "current":
            # A comparison with a period the data only partly covers would read as growth.
            notes.append(f"No comparison with the {w.name} period ({w.start} to {w.end}): the data "
                         + " and ".join(f"in {t} begin on {first[t]}" for t in uncovered) + ".")
            measures[w.name] = {}
            continue
        part = daily[(daily["date"] >= pd.Timestamp(w.start)) & (daily["date"] <= pd.Timestamp(w.end))]
        mentions, _ = _load_optional("mentions", store, start=w.start, end=w.end)
        mentions = pd.DataFrame() if mentions is None or mentions.empty else mentions
        if len(mentions):
            # The brand's replies in the days after the period, so that a mention
            # made near its end is not counted as unanswered or left out of the
            # reply time; they answer only mentions inside the period.
            later, _ = _load_optional("mentions", store, start=w.end + dt.timedelta(days=1), end=w.end + dt.timedelta(days=REPLY_GRACE_DAYS),
                                      accounts=[brand])
            if later is not None and len(later):
                later = later[is_reply(later) & later["reply_to"].isin(mentions["mention_id"])]
                mentions = pd.concat([mentions, later], ignore_index=True)
        if len(mentions):
            ours = mentions["brand"] == brand
            mentions = pd.concat([sentiment.fill(mentions[ours & ~is_reply(mentions)]),
                                  mentions[~ours | is_reply(mentions)]])
        measures[w.name] = measure(part, mentions, brand, w) if len(part) or len(mentions) else {}
        if w.name == "current":
            window_mentions = mentions
    kpis = kpi_table(measures["current"], measures["previous"], measures["year ago"], goal_table, current.days)
    items, forecast_notes = forecasts(store, brand, end, horizon_days, interval, goal_table)

    activity, community_note = _load_optional("community_activity", store, end=end)
    community = None
    if activity is not None and not activity.empty:
        community = community_health(activity, start, end, rules, levels, top_n=top_n)
        if community.active == 0:
            community_note = f"No community member was active between {start} and {end}."
    team, team_note = _load_optional("team", store)
    scorecard, by_platform = pd.DataFrame(), pd.DataFrame()
    if team is not None and not team.empty:
        posts = load("posts", store=store, start=start, end=end)
        scorecard = team_scorecard(posts, team, window_mentions, brand, goal_table, current.days)
        by_platform = owner_platforms(posts, team, brand)
        if scorecard.empty:
            team_note = f"The `team` table names no owner of {brand}'s accounts."
    return Review(brand, start, end, str(goals or DEFAULT_GOALS), kpis, items, forecast_notes, horizon_days, interval, community,
                  community_note, scorecard, team_note, notes, by_platform)


def summary(review: Review) -> dict:
    """The ``summary.json`` figures of the operations review."""
    c = review.community
    return {
        "kpis": {m: {"actual": r["actual"], "goal": r["goal"], "attainment": r["attainment"], "change": r["change"]} for m, r in review.kpis.iterrows()},
        "forecasts": {f.metric: {"horizon_days": review.horizon_days, "point": f.horizon_total[0], "lo": f.horizon_total[1], "hi": f.horizon_total[2],
                                 "backtest_mase": f.backtest_mase, "baseline_mase": f.baseline_mase, "p_meet_goal": f.p_meet_goal}
                      for f in review.forecasts},
        "community": {"active": None if c is None else c.active, "retention_4w": None if c is None else c.retention_4w,
                      "levels": {} if c is None else {str(k): int(v) for k, v in c.levels["at end"].items()}},
        "team": [] if review.team.empty else [
            {"owner": str(o), "role": r["role"], "posts": int(r["posts"]), "engagement_per_post": r["engagement_per_post"],
             "engagement_index": r["engagement_index"], "reply_hours": r["reply_hours"], "goal_attainment": r["goal_attainment"]}
            for o, r in review.team.iterrows()],
    }


# ---------------------------------------------------------------- the report's words, tables and figures


def _fmt(metric: str, value: float | None) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "–"
    if metric in ("share_of_voice", "negative_share", "engagement_rate", "reply_rate"):
        return f"{value:.1%}" if metric != "engagement_rate" else f"{value:.2%}"
    if metric in ("net_sentiment", "mean_sentiment"):
        return f"{value:+.2f}"
    if metric == "reply_hours":
        return f"{value:.1f} h"
    return f"{value:,.0f}"


def _fmt_change(metric: str, change: float | None, p: float | None, alpha: float = 0.05, missing: str = "–") -> str:
    """A change with its Holm-adjusted p-value; significant below ``alpha``."""
    if change is None or (isinstance(change, float) and not math.isfinite(change)):
        return missing
    m = METRICS[metric]
    if m.share and metric in ("net_sentiment", "mean_sentiment"):
        text = f"{change:+.2f}"
    elif m.share:
        text = f"{change * 100:+.1f} pts" if abs(change) >= 0.001 else f"{change * 100:+.2f} pts"
    else:
        text = f"{change:+.1%}"
    if p is None or (isinstance(p, float) and not math.isfinite(p)):
        return text + " (no test)" if metric == "followers" else text
    return text + (f" (Holm p {stats.format_p(p)}, significant)" if p < alpha else f" (Holm p {stats.format_p(p)})")


def kpi_frame(review: Review) -> pd.DataFrame:
    """The KPI scorecard as a director reads it."""
    k = review.kpis
    if k.empty:
        return pd.DataFrame({"note": ["no KPI could be computed: the store has no account_daily or mentions rows for the brand in the window"]})
    # A comparison period the data do not cover is said so (the note under the text says why), not left as a dash.
    uncompared = {column: "not compared (see note)" if k[values].isna().all() else "–"
                  for column, values in (("change", "previous"), ("change_year", "year_ago"))}
    rows = []
    for name, r in k.iterrows():
        att = r["attainment"]
        rows.append({
            "goal": GOAL_NAMES[r["goal_area"]], "KPI": r["label"], "actual": _fmt(name, r["actual"]),
            "goal for the window": _fmt(name, r["goal"]) if r["goal"] is not None and pd.notna(r["goal"]) else "no goal set",
            "attainment": "–" if att is None or pd.isna(att) else f"{att:.0%}" + (" ✓" if att >= 1 else ""),
            "vs previous period": _fmt_change(name, r["change"], r["p_previous_holm"], missing=uncompared["change"]),
            "vs a year earlier": _fmt_change(name, r["change_year"], r["p_year_holm"], missing=uncompared["change_year"]),
        })
    return pd.DataFrame(rows).set_index(["goal", "KPI"])


def kpi_text(review: Review) -> str:
    """What the scorecard means, from its numbers (Markdown)."""
    k = review.kpis
    if k.empty:
        return "No KPI could be computed for this window."
    judged = k[k["attainment"].notna()]
    met = judged[judged["attainment"] >= 1]
    missed = judged[judged["attainment"] < 1].sort_values("attainment")
    parts = [f"{len(met)} of {len(judged)} KPIs with a goal are on target for {review.start} to {review.end}."]
    if len(missed):
        worst = missed.iloc[0]
        parts.append(f"Furthest behind: {worst['label']} at {_fmt(missed.index[0], worst['actual'])} against {_fmt(missed.index[0], worst['goal'])} ({worst['attainment']:.0%}).")
    n_tests = tests_in(k)
    moved = k[k["p_previous_holm"].notna() & (k["p_previous_holm"] < 0.05)]
    holm_note = (f" (p-values adjusted by Holm's method for the scorecard's {n_tests} tests, so that testing many KPIs "
                 "does not turn up changes by chance)") if n_tests > 1 else ""
    if len(moved):
        bits = [f"{r['label']} ({_fmt_change(n, r['change'], None)})" for n, r in moved.iterrows()]
        parts.append("Changed beyond day-to-day noise since the previous period" + holm_note + ": " + ", ".join(bits) + ".")
    elif n_tests:
        parts.append("Nothing changed beyond day-to-day noise since the previous period" + holm_note + ".")
    no_goal = [r["label"] for _, r in k[k["goal"].isna()].iterrows()]
    if no_goal:
        parts.append("No goal is set for " + ", ".join(no_goal) + ".")
    return " ".join(html.escape(p) for p in parts) + "".join(f"\n\n*{html.escape(n)}*" for n in review.notes)


def _number(value: float | None, spec: str) -> str:
    """A figure, or "–" for a missing or undefined one (a MASE whose history never changed is undefined)."""
    return "–" if value is None or not math.isfinite(value) else spec.format(value)


def forecast_frame(review: Review) -> pd.DataFrame:
    if not review.forecasts:
        return pd.DataFrame({"note": ["no metric has enough history to forecast"]})
    rows = []
    for f in review.forecasts:
        what = "on the last day" if f.metric == "followers" else f"over {review.horizon_days} days"
        point, lo, hi = f.horizon_total
        rows.append({
            "metric": f.metric, "model chosen": MODEL_NAMES[f.backtest.chosen],
            "backtest MASE": _number(f.backtest_mase, "{:.2f}"), "seasonal naive MASE": _number(f.baseline_mase, "{:.2f}"),
            f"held-out days inside the {review.level:.0%} interval": _number(f.backtest.coverage.get(f.backtest.chosen), "{:.0%}"),
            "forecast": f"{point:,.0f} {what}", f"{review.level:.0%} interval": f"{lo:,.0f} to {hi:,.0f}",
            "goal": "no goal set" if f.goal is None else f"{f.goal:,.0f}",
            "chance of meeting it": "–" if f.p_meet_goal is None else f"{f.p_meet_goal:.0%}",
        })
    return pd.DataFrame(rows).set_index("metric")


def forecast_text(review: Review) -> str:
    if not review.forecasts:
        return "No forecast: " + html.escape("; ".join(review.forecast_notes) or "no data") + "."
    parts = []
    for f in review.forecasts:
        point, lo, hi = f.horizon_total
        when = f"on {f.forecast.index[-1]:%Y-%m-%d}" if f.metric == "followers" else f"over the next {review.horizon_days} days"
        line = (f"**{f.metric}**: {point:,.0f} {when} (the median of the simulated paths; {review.level:.0%} interval "
                f"{lo:,.0f} to {hi:,.0f}); ")
        if not (math.isfinite(f.backtest_mase) and math.isfinite(f.baseline_mase) and f.baseline_mase > 0):
            line += "the backtest error is undefined (the history did not change from week to week)"
        elif f.backtest_mase < f.baseline_mase:
            line += f"the chosen model's error is {1 - f.backtest_mase / f.baseline_mase:.0%} below the seasonal-naive forecast's in the backtest"
        else:
            line += "no model beat the seasonal-naive forecast in the backtest, so it is used"
        if f.p_meet_goal is not None:
            line += f"; the goal is met with a chance of {f.p_meet_goal:.0%}"
        parts.append(html.escape(line, quote=False).replace("&lt;", "<") + ".")
    parts += [f"*{html.escape(n)}.*" for n in review.forecast_notes]
    return "\n\n".join(parts)


def forecast_figure(review: Review, history_days: int = 91):
    """Fan charts: the last ``history_days`` of each metric and its forecast with the interval."""
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    items = review.forecasts
    fig, axes = plt.subplots(len(items), 1, figsize=(8, 2.5 * len(items)), squeeze=False)
    for ax, f in zip(axes[:, 0], items):
        h = f.history.iloc[-history_days:]
        ax.plot(h.index, h.to_numpy(), color="#2F6DB5", linewidth=1.2, label="actual")
        ax.fill_between(f.forecast.index, f.forecast.lo, f.forecast.hi, color="#E07B39", alpha=0.25, linewidth=0, label=f"{review.level:.0%} interval")
        ax.plot(f.forecast.index, f.forecast.point, color="#E07B39", linewidth=1.5, label="forecast")
        ax.set_title(f"{f.metric} · {MODEL_NAMES[f.backtest.chosen]}", fontsize="medium", loc="left")
        ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:,.0f}"))
        locator = mdates.AutoDateLocator(maxticks=8)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    axes[0, 0].legend(loc="upper left", fontsize="small", frameon=False, ncol=3)
    fig.suptitle(f"预测 Forecasts for the next {review.horizon_days} days", x=0.01, ha="left")
    plt.close(fig)
    return fig


def write_forecast_csv(review: Review, folder: Path) -> Path:
    """``forecast.csv`` (date, metric, point, lo, hi) in ``folder``."""
    path = Path(folder) / "forecast.csv"
    forecast_points(review.forecasts).round(2).to_csv(path, index=False)
    return path


def community_text(review: Review) -> str:
    c = review.community
    if c is None:
        return html.escape(review.community_note or "No community activity.") + " The community section is left out rather than filled with guesses."
    change = f"{c.active / c.active_previous - 1:+.0%} on the period before" if c.active_previous else "no members were active in the period before"
    parts = [f"{c.active:,} members were active between {review.start} and {review.end} ({change}): {c.new:,} new and {c.returning:,} returning."]
    if c.retention_4w is not None:
        parts.append(f"Of the members who joined in recent weeks, {c.retention_4w:.0%} were still active in their fifth week (week 4 after joining).")
    parts.append(f"{c.moved_up:,} existing members moved up a level in the window.")
    if c.unknown_actions:
        parts.append("Actions without a points rule earn no points: " + ", ".join(c.unknown_actions) + ".")
    return " ".join(html.escape(p) for p in parts)


def community_figure(review: Review):
    """Weekly active members (new and returning), the cohort retention heatmap and the level distribution."""
    import matplotlib.pyplot as plt
    import seaborn as sns

    c = review.community
    fig = plt.figure(figsize=(8, 8.4))
    grid = fig.add_gridspec(3, 1, height_ratios=[1, 1.5, 1])
    ax = fig.add_subplot(grid[0])
    weekly = c.weekly.tail(12)
    labels = [f"{d:%m-%d}" for d in weekly.index]
    ax.bar(labels, weekly["returning"], color="#2F6DB5", label="returning 老成员")
    ax.bar(labels, weekly["new"], bottom=weekly["returning"], color="#E07B39", label="new 新成员")
    top = float((weekly["new"] + weekly["returning"]).max()) if len(weekly) else 1.0
    ax.set_ylim(0, top * 1.3)  # room for the legend above the bars
    ax.legend(fontsize="small", frameon=False, loc="upper left", ncol=2)
    ax.set_title("每周活跃成员 Active members per week (week starting)", fontsize="medium", loc="left")
    ax.tick_params(axis="x", labelsize="small")
    ax = fig.add_subplot(grid[1])
    heat = c.retention.drop(columns="members")
    if len(heat):
        sns.heatmap(heat, ax=ax, cmap="Blues", vmin=0, vmax=1, annot=True, fmt=".0%", annot_kws={"fontsize": 7}, cbar=False,
                    yticklabels=[f"{d:%Y-%m-%d} ({n})" for d, n in zip(heat.index, c.retention["members"])])
        ax.set_xlabel("weeks since joining")
        ax.grid(False)
        ax.set_ylabel("cohort (members)")
    ax.set_title("留存 Cohort retention: share of each week's new members active later", fontsize="medium", loc="left")
    ax = fig.add_subplot(grid[2])
    levels = c.levels[["at start", "at end"]]
    x = np.arange(len(levels))
    ax.bar(x - 0.2, levels["at start"], 0.4, color="#8C7A5B", label=f"at {review.start}")
    ax.bar(x + 0.2, levels["at end"], 0.4, color="#3A9E6F", label=f"at {review.end}")
    for offset, column in ((-0.2, "at start"), (0.2, "at end")):
        for xi, v in zip(x, levels[column]):
            ax.annotate(f"{v:,}", (xi + offset, v), ha="center", va="bottom", fontsize=7)
    ax.set_xticks(x, levels.index)
    ax.set_title("等级 Members per level", fontsize="medium", loc="left")
    ax.legend(fontsize="small", frameon=False)
    plt.close(fig)
    return fig


def levels_frame(review: Review) -> pd.DataFrame:
    c = review.community
    table = c.levels.copy()
    table["change"] = table["at end"] - table["at start"]
    return table


def top_frame(review: Review):
    if review.community is None:
        return None
    top = review.community.top
    if top.empty:
        return pd.DataFrame({"note": ["no member earned points in the window"]})
    return top.style.format({c: "{:,.0f}" for c in top.columns if c not in ("platform", "level")}, na_rep="–").format_index(escape="html")


def team_text(review: Review) -> str:
    t = review.team
    if t.empty:
        return html.escape(review.team_note or "No team is recorded.") + (" Ingest a team sheet (账号, 负责人, 角色) with "
                                                                          "`smkit ingest team.csv --table team` to get a scorecard per owner.")
    parts = []
    ranked = t.dropna(subset=["engagement_index"]).sort_values("engagement_index")
    if len(ranked):
        low, high = ranked.iloc[0], ranked.iloc[-1]
        parts.append(f"Engagement per post against the platform norm ranges from {low['engagement_index']:.2f} ({ranked.index[0]}) "
                     f"to {high['engagement_index']:.2f} ({ranked.index[-1]}).")
        real = ranked[ranked["p_vs_norm"].notna() & (ranked["p_vs_norm"] < 0.05)]
        parts.append("Differences from the norm that are more than noise: " + ", ".join(real.index) + "." if len(real)
                     else "None of these differences from the norm is beyond noise at the 5% level.")
    tp = review.team_platforms
    if not tp.empty:
        weak = tp[tp["p_vs_norm"].notna() & (tp["p_vs_norm"] < 0.05) & (tp["engagement_index"] < 1)].sort_values("engagement_index")
        strong = tp[tp["p_vs_norm"].notna() & (tp["p_vs_norm"] < 0.05) & (tp["engagement_index"] > 1)].sort_values("engagement_index", ascending=False)
        for table, word in ((weak, "below"), (strong, "above")):
            if len(table):
                parts.append(f"Per platform, significantly {word} the norm: "
                             + ", ".join(f"{o} on {pl} ({r['engagement_index']:.2f})" for (o, pl), r in table.iterrows()) + ".")
    behind = t[t["goal_attainment"].notna() & (t["goal_attainment"] < 1)]
    if len(behind):
        parts.append("Behind their own goals: " + ", ".join(f"{o} ({r['goals']})" for o, r in behind.iterrows()) + ".")
    return " ".join(html.escape(p) for p in parts)


def team_frame(review: Review):
    t = review.team
    if t.empty:
        return None  # the sentence above says why
    shown = t[["role", "platforms", "posts", "engagement_per_post", "platform_norm", "engagement_index", "p_vs_norm", "reply_hours", "goals"]].copy()
    shown["p_vs_norm"] = shown["p_vs_norm"].map(lambda p: stats.format_p(p) if p is not None and pd.notna(p) else "–")
    owns_platform = t["reply_hours"].notna() | t["platforms_owned"].astype(bool)
    shown["reply_hours"] = [f"{h:.1f} h" if h is not None and pd.notna(h) else ("no replies there" if owns else "owns posts, not a platform")
                            for h, owns in zip(t["reply_hours"], owns_platform)]
    shown = shown.rename(columns={"engagement_per_post": "engagement per post", "platform_norm": "platform norm", "engagement_index": "index",
                                  "p_vs_norm": "p vs norm", "reply_hours": "median first reply (answered)", "goals": "own goals"})
    return shown.style.format({"posts": "{:,.0f}", "engagement per post": "{:,.0f}", "platform norm": "{:,.0f}", "index": "{:.2f}"}, na_rep="–").format_index(
        escape="html").format(escape="html", subset=["role", "platforms", "own goals"])


def team_platforms_frame(review: Review):
    tp = review.team_platforms
    if tp.empty:
        return None
    shown = tp.copy()
    shown["p_vs_norm"] = shown["p_vs_norm"].map(lambda p: stats.format_p(p) if p is not None and pd.notna(p) else "–")
    shown = shown.rename(columns={"engagement_per_post": "engagement per post", "platform_norm": "platform norm", "engagement_index": "index",
                                  "p_vs_norm": "p vs norm"})
    return shown.style.format({"posts": "{:,.0f}", "engagement per post": "{:,.0f}", "platform norm": "{:,.0f}", "index": "{:.2f}"}, na_rep="–").format_index(
        escape="html").set_caption("Per owner and platform, so that a weak platform does not hide in an owner's average")


def overview_text(review: Review) -> str:
    """The headline paragraph: goals, forecasts, community and team in a few sentences (Markdown)."""
    k = review.kpis
    judged = k[k["attainment"].notna()] if not k.empty else k
    parts = [f"**{html.escape(review.brand)}**, {review.start} to {review.end} ({(review.end - review.start).days + 1} days)."]
    if len(judged):
        parts.append(f"{int((judged['attainment'] >= 1).sum())} of {len(judged)} KPIs with a goal are on target.")
    likely = [f for f in review.forecasts if f.p_meet_goal is not None]
    if likely:
        parts.append("Chance of meeting the goal over the next " + f"{review.horizon_days} days: "
                     + ", ".join(f"{f.metric} {f.p_meet_goal:.0%}" for f in likely) + ".")
    if review.community is not None:
        c = review.community
        parts.append(f"{c.active:,} community members were active" + (f"; {c.retention_4w:.0%} of recent newcomers were still active four weeks on." if c.retention_4w is not None else "."))
    else:
        parts.append("No community data.")
    parts.append(f"Team scorecard for {len(review.team)} owners." if not review.team.empty else "No team is recorded, so there is no team scorecard.")
    return " ".join(parts)
