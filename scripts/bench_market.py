"""Benchmark: the market analysis playbook on a sample store at --scale 10.

Not a test: prints seconds so they can be quoted. Target: under 20 s for the
playbook run (wall, kernel start included) at scale 10 (about 55,000 posts,
530,000 mentions and 200,000 audience rows).

    .venv/bin/python scripts/bench_market.py [--scale 10]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from smkit.ingest import build_sample_store
from smkit.store import table_counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=10.0)
    args = parser.parse_args()
    smkit = str(Path(sys.executable).parent / "smkit")
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        store = build_sample_store(Path(tmp) / "smkit.duckdb", scale=args.scale)
        counts = table_counts(store)
        print(f"store at scale {args.scale:g} built in {time.perf_counter() - t0:.1f} s: "
              + ", ".join(f"{t} {n:,}" for t, n in counts.items() if t in ("posts", "mentions", "audience")))
        t0 = time.perf_counter()
        subprocess.run([smkit, "run", "market_analysis", "--quiet", "--reports", str(Path(tmp) / "reports"), "--store", str(store)],
                       check=True, capture_output=True, env={**os.environ, "MPLBACKEND": "Agg"})
        print(f"market_analysis at scale {args.scale:g}: {time.perf_counter() - t0:.1f} s (wall, kernel start included)")


if __name__ == "__main__":
    main()
