"""Coverage of campaign pacing's projected ending in worlds shaped like the
sample's (not a test: prints the figures the documentation quotes).

Each world follows the sample generator's account: daily views are a base
times a shared market (an AR(1) on the log scale, coefficient 0.9 and shocks
of 0.05, on a rising trend), a weekend effect and 8% noise; followers gained
are Poisson with 0.08% of the views. A 28-day campaign lifts views by 25% and
is seen after 14 days, with the 90 days before it as the pre-period. The
figures: the share of worlds whose 95% interval covers the ending each metric
reached, and the mean and spread of the projection's relative error.

    .venv/bin/python scripts/accuracy_pacing.py [--worlds 100]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from smkit.playbooks.campaign_pacing import project

HISTORY, CAMPAIGN, SEEN, PRE = 400, 28, 14, 90


def world(seed: int, lift: float = 0.25) -> tuple[dict[str, pd.Series], pd.Timestamp, pd.Timestamp, pd.Timestamp]:
    """Views and followers gained per day; the campaign's start, report day and end."""
    rng = np.random.default_rng(seed)
    total = HISTORY + CAMPAIGN
    level = np.zeros(total)
    shocks = rng.normal(0.0, 0.05, total)
    for i in range(1, total):
        level[i] = 0.9 * level[i - 1] + shocks[i]
    trend = np.linspace(0.0, np.log(1.2) * total / HISTORY, total)
    days = pd.date_range("2025-09-01", periods=total, freq="D")
    weekend = np.where(days.day_of_week >= 5, 1.3, 1.0)
    views = 18000 * np.exp(level + trend) * weekend * np.exp(rng.normal(0.0, 0.08, total))
    views[HISTORY:] *= 1 + lift
    views = np.round(views)
    followers = rng.poisson(views * 0.0008).astype(float)
    return {"views": pd.Series(views, days), "followers_gained": pd.Series(followers, days)}, days[HISTORY], days[HISTORY + SEEN - 1], days[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worlds", type=int, default=100)
    args = parser.parse_args()
    t0 = time.perf_counter()
    covered: dict[str, int] = {}
    errors: dict[str, list[float]] = {}
    for seed in range(args.worlds):
        series, start, day, end = world(seed)
        for metric, y in series.items():
            ending = float(y[start:].sum())
            seen = y[(y.index >= start - pd.Timedelta(days=PRE)) & (y.index <= day)]
            p = project(seen, start, end, day, None, alpha=0.05, seed=seed)
            covered[metric] = covered.get(metric, 0) + (p.low <= ending <= p.high)
            errors.setdefault(metric, []).append(p.projected / ending - 1)
    for metric in covered:
        e = np.array(errors[metric])
        print(
            f"{metric}: 95% interval covered the ending in {covered[metric] / args.worlds:.1%} of {args.worlds} worlds; relative error {e.mean():+.1%} (sd {e.std():.1%})"
        )
    print(f"{time.perf_counter() - t0:.0f} s")


if __name__ == "__main__":
    main()
