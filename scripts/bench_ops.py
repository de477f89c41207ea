"""Benchmark: the operations review playbook on a sample store at --scale 10.

Not a test: prints seconds and the forecast backtest so they can be quoted.
Target: under 20 s for the playbook run (wall, kernel start included) at
scale 10 (about 530,000 mentions and 830,000 community activity rows).

    .venv/bin/python scripts/bench_ops.py [--scale 10]
"""

from __future__ import annotations

import argparse
import json
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
              + ", ".join(f"{t} {n:,}" for t, n in counts.items() if t in ("mentions", "community_activity", "posts")))
        reports = Path(tmp) / "reports"
        t0 = time.perf_counter()
        subprocess.run([smkit, "run", "ops_review", "--quiet", "--reports", str(reports), "--store", str(store), "--date", "2026-11-01"],
                       check=True, capture_output=True, env={**os.environ, "MPLBACKEND": "Agg"})
        print(f"ops_review at scale {args.scale:g}: {time.perf_counter() - t0:.1f} s (wall, kernel start included)")
        summary = json.loads((reports / "2026-11-01" / "ops_review" / "summary.json").read_text(encoding="utf-8"))
        for metric, f in summary["forecasts"].items():
            goal = "no goal" if f["p_meet_goal"] is None else f"P(meet goal) {f['p_meet_goal']:.0%}"
            print(f"  {metric}: backtest MASE {f['backtest_mase']:.2f} against seasonal naive {f['baseline_mase']:.2f}; {goal}")


if __name__ == "__main__":
    main()
