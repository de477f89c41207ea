"""Benchmark: the operations review playbook on a sample store at --scale 10.

Not a test: prints seconds and the forecast backtest so they can be quoted.
Target: under 20 s for the playbook run (wall, kernel start included) at
scale 10 (about 530,000 mentions and 830,000 community activity rows).

    .venv/bin/python scripts/bench_ops.py [--scale 10] [--store PATH]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from benchlib import sample_store, time_playbook


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=10.0)
    parser.add_argument("--store", default="", help="an existing store at that scale")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = sample_store(Path(tmp), args.scale, args.store, show=("mentions", "community_activity", "posts"))
        seconds, summary = time_playbook("ops_review", store, Path(tmp) / "reports")
        print(f"ops_review at scale {args.scale:g}: {seconds:.1f} s (wall, kernel start included)")
        for metric, f in summary["forecasts"].items():
            goal = "no goal" if f["p_meet_goal"] is None else f"P(meet goal) {f['p_meet_goal']:.0%}"
            print(f"  {metric}: backtest MASE {f['backtest_mase']:.2f} against seasonal naive {f['baseline_mase']:.2f}; {goal}")


if __name__ == "__main__":
    main()
