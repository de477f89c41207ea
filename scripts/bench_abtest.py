"""Benchmark: analyse 100 experiments x 10 metrics x 3 variants from aggregated rows.

Not a test: prints the seconds so they can be quoted. Target under 1 s.

    .venv/bin/python scripts/bench_abtest.py
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

from smkit.playbooks import ab_test as pb


def make_rows(experiments: int = 100, metrics: int = 10, variants: int = 3, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for e in range(experiments):
        for v in range(variants):
            units = int(rng.integers(20000, 30000))
            row = {"experiment_id": f"E{e:03d}", "variant": "control" if v == 0 else f"v{v}", "units": units, "unit_id": None}
            for m in range(metrics):
                mean = rng.uniform(1, 50)
                total = mean * units
                row[f"m{m}"] = total
                row[f"m{m}_sq"] = units * (mean**2 + (mean * 0.8) ** 2)
            rows.append(row)
    return pd.DataFrame(rows)


def main() -> None:
    data = make_rows()
    names = [f"m{m}" for m in range(10)]
    s = pb.settings(metrics=names)
    start = time.perf_counter()
    results = [pb.analyze(pb.Inputs(group), s) for _, group in data.groupby("experiment_id")]
    seconds = time.perf_counter() - start
    n = sum(len(r.comparisons) for r in results)
    print(f"{len(results)} experiments, {n:,} comparisons (10 metrics x 2 variants against control): {seconds:.2f} s")


if __name__ == "__main__":
    main()
