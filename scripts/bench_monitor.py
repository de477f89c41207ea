"""Benchmark: the reputation monitor on about 1,000,000 mentions, and its NAB score.

Not a test: prints seconds and peak memory so they can be quoted. Targets:
under 60 s and 4 GB for the playbook on 1,000,000 mentions (a year of the
sample at scale 20, all of it loaded: 28-day window plus 337 days of history),
and a NAB standard-profile score above the windowed Gaussian's 39.6.

    .venv/bin/python scripts/bench_monitor.py [--scale 20]
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from smkit.methods import anomaly, nab
from smkit.sample import build_sample_store

ROOT = Path(__file__).resolve().parent.parent


def print_table(results: dict[str, nab.BenchmarkScore]) -> None:
    """Per series: the normalised score, windows found and false positives of each detector."""
    frames = {name: r.to_frame() for name, r in results.items()}
    header = "series".ljust(26) + "".join(f"{name:>24}" for name in results)
    print(header)
    for series in next(iter(frames.values())).index:
        cells = []
        for f in frames.values():
            row = f.loc[series]
            score = 100 * (row["raw"] - row["null"]) / (row["perfect"] - row["null"])
            found = f"{int(row['true_positives'])}/{int(row['true_positives'] + row['false_negatives'])}"
            cells.append(f"{score:6.1f} {found:>5} {int(row['false_positives']):3d} FP")
        print(series.removeprefix("Twitter_volume_").removesuffix(".csv").ljust(26) + "".join(f"{c:>24}" for c in cells))
    print("all".ljust(26) + "".join(f"{r.score:.1f}".rjust(24 - 16) + " " * 16 for r in results.values()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=20.0)
    args = parser.parse_args()
    t0 = time.perf_counter()
    result = nab.score_detector(anomaly.nab_detector(), nab.load_corpus(ROOT / "tests" / "data" / "nab"))
    print(f"{result.summary()} ({time.perf_counter() - t0:.1f} s)")
    corpus = nab.load_corpus(ROOT / "tests" / "data" / "nab")
    for z in (3.0, 5.0):  # sensitivity, not tuning: the default z = 4 was set before scoring
        print(f"  at z = {z}: {nab.score_detector(anomaly.nab_detector(z=z), corpus).score:.1f}")
    two_sided = nab.score_detector(anomaly.nab_detector("seasonal_robust_two_sided"), corpus)
    print(f"  two-sided (seasonal_robust_two_sided): {two_sided.summary()}")
    print_table({"rises": result, "two-sided": two_sided})
    rates = {name: (frame.assign(value=frame["value"] / 1000), windows) for name, (frame, windows) in corpus.items()}
    print(f"  the same series divided by 1,000 (a rate, so the log transform): {nab.score_detector(anomaly.nab_detector(), rates).summary()}")
    smkit = str(Path(sys.executable).parent / "smkit")
    with tempfile.TemporaryDirectory() as tmp:
        store = Path(tmp) / "smkit.duckdb"
        t0 = time.perf_counter()
        build_sample_store(store, scale=args.scale, quiet=True)
        n = duckdb.connect(str(store), read_only=True).execute("SELECT count(*) FROM mentions").fetchone()[0]
        print(f"store with {n:,} mentions built in {time.perf_counter() - t0:.0f} s")
        t0 = time.perf_counter()
        subprocess.run(
            [smkit, "run", "reputation_monitor", "--quiet", "--reports", tmp, "--store", str(store), "-p", "history_days", "337"],
            check=True,
            capture_output=True,
        )
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024**2
        print(f"reputation_monitor on {n:,} mentions: {time.perf_counter() - t0:.1f} s (wall, kernel start included), peak memory {peak:.2f} GB")


if __name__ == "__main__":
    main()
