"""Accuracy of the KOL selection on planted sample worlds (not a test: prints the figures
the documentation quotes).

Ten creator lists from the sample generator (seeds 1 to 10, 240 creators each, 22
planted frauds: 14 bought-follower and 8 bought-like accounts) and the same ten
with every creator honest. For each: the share of planted frauds flagged, the
share of honest creators flagged, planted engagements per yuan of the shortlist
and of a follower ranking for a ¥200,000 budget, the error of the shrunk
estimates against the planted truth (and of the creators' own averages), the
coverage of the 95% intervals, and the seconds the analysis takes.

    .venv/bin/python scripts/accuracy_kol.py
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from smkit.data.ingest import prepare
from smkit.playbooks import kol_selection as kol
from smkit.playbooks.kol_selection import shortlist as sl
from smkit.sample.creators import creators as make_creators
from smkit.sample.creators import target_shares
from smkit.sample.world import DEFAULT_END

BUDGET = 200_000.0


def world(seed: int, bought: bool, folder: Path) -> tuple[pd.DataFrame, float]:
    raw, history, truth = make_creators(np.random.default_rng(np.random.SeedSequence([seed, 221])), pd.Timestamp(DEFAULT_END), bought=bought)
    raw.to_csv(folder / "c.csv", index=False)
    history.to_csv(folder / "h.csv", index=False)
    inputs = kol.Inputs(
        prepare(folder / "c.csv", "creators").frame, prepare(folder / "h.csv", "creator_daily").frame, target_shares(), "audience", pd.DataFrame(), "c.csv"
    )
    t0 = time.perf_counter()
    result = kol.analyze(inputs, kol.settings(budget=BUDGET))
    seconds = time.perf_counter() - t0
    return result.creators.merge(pd.DataFrame(truth["creators"]).drop(columns=["price"]), on=["creator", "platform"]), seconds


def figures(m: pd.DataFrame) -> dict[str, float]:
    fake = m["kind"] != "honest"
    honest = m[~fake]
    truth = honest["true_engagements_per_post"]
    naive = sl.by_followers(m["followers"].to_numpy(), m["price"].to_numpy(), BUDGET)

    def per_yuan(mask) -> float:
        return float(m.loc[mask, "true_engagements_per_post"].sum() / m.loc[mask, "price"].sum())

    return {
        "recall": float((m["suspicious"] & fake).sum() / fake.sum()) if fake.any() else float("nan"),
        "false_rate": float((m["suspicious"] & ~fake).sum() / (~fake).sum()),
        "shortlist_per_yuan": per_yuan(m["shortlisted"]),
        "followers_per_yuan": per_yuan(naive),
        "rmse_own": float(np.sqrt((np.log(honest["own_average"] / truth) ** 2).mean())),
        "rmse_shrunk": float(np.sqrt((np.log(honest["expected"] / truth) ** 2).mean())),
        "coverage": float(((honest["expected_low"] <= truth) & (truth <= honest["expected_high"])).mean()),
    }


def main() -> None:
    folder = Path(tempfile.mkdtemp())
    for bought in (True, False):
        rows, seconds = [], []
        for seed in range(1, 11):
            m, s = world(seed, bought, folder)
            rows.append(figures(m))
            seconds.append(s)
        frame = pd.DataFrame(rows)
        print("planted frauds" if bought else "null world (every creator honest)")
        if bought:
            print(f"  frauds flagged: mean {frame['recall'].mean():.1%}, lowest {frame['recall'].min():.1%}")
        print(f"  honest flagged: mean {frame['false_rate'].mean():.1%}, highest {frame['false_rate'].max():.1%}")
        ratio = frame["shortlist_per_yuan"] / frame["followers_per_yuan"]
        print(
            f"  planted engagements per yuan: shortlist {frame['shortlist_per_yuan'].mean():.2f}, follower ranking {frame['followers_per_yuan'].mean():.2f} "
            f"(ratio {ratio.min():.2f} to {ratio.max():.2f})"
        )
        print(f"  log error against planted engagements: own averages {frame['rmse_own'].mean():.3f}, shrunk {frame['rmse_shrunk'].mean():.3f}")
        print(f"  95% interval coverage: {frame['coverage'].mean():.1%} (lowest {frame['coverage'].min():.1%})")
        print(f"  analysis of 240 creators: {np.median(seconds):.2f} s (median)")


if __name__ == "__main__":
    main()
