"""Operations review: are the brand's goals met, where are followers,
engagements and mentions heading, how healthy is the community, and how does
each team member do?

Backs ``notebooks/ops_review.ipynb`` (plan chapters 1, 4, 6 and 9):

- **KPIs per goal** (品牌知名度, 市场份额, 用户满意度, 品牌形象, plus engagement and
  follower growth) from the brand's ``account_daily`` rows and ``mentions``, in
  the window, the equally long period before it and the same weekdays a year
  earlier, each change tested and adjusted by Holm's method (:mod:`.kpis`);
- **forecasts** of daily followers, engagements and earned mentions by the
  model that wins a rolling-origin backtest against seasonal naive
  (:mod:`.forecast`, on :mod:`smkit.methods.forecasting`);
- **community health** from ``community_activity`` (:mod:`.community`);
- **the team scorecard** from ``team`` (:mod:`.team`).

A table the store does not have gives an empty section that says so, never
invented figures. ``run(cfg, settings(...))`` is the one entry point;
:mod:`.report` turns the :class:`Result` into text, tables and figures.
"""

from __future__ import annotations

from pathlib import Path

from smkit.params import Config

from . import report
from .analysis import analyze
from .inputs import Inputs, load
from .needs import NEEDS
from .parameters import DEFAULT_LEVELS, DEFAULT_POINTS, Settings, settings
from .result import Result

__all__ = ["NEEDS", "DEFAULT_LEVELS", "DEFAULT_POINTS", "Inputs", "Result", "Settings", "analyze", "load", "report", "run", "settings", "write_forecast_csv"]


def run(cfg: Config, s: Settings) -> Result:
    """The whole review of ``cfg.start``..``cfg.end`` in ``cfg.store``."""
    return analyze(load(cfg, s), s)


def write_forecast_csv(result: Result, folder: str | Path) -> Path:
    """``forecast.csv`` (date, metric, point, lo, hi) in ``folder``."""
    path = Path(folder) / "forecast.csv"
    from smkit.data.safe_csv import write_csv

    write_csv(result.forecast_points().round(2), path)
    return path
