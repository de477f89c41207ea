"""Benchmark: the operations review playbook on a sample store at --scale 10.

Not a test: prints seconds and the forecast backtest so they can be quoted.
Target: under 20 s for the playbook run (wall, kernel start included) at
scale 10 (about 530,000 mentions and 830,000 community activity rows).

    .venv/bin/python scripts/bench_ops.py [--scale 10] [--store PATH]
"""

from __future__ import annotations

from benchlib import playbook_benchmark


def main() -> None:
    with playbook_benchmark(__doc__, "ops_review", show=("mentions", "community_activity", "posts")) as (_, summary):
        for metric, f in summary["forecasts"].items():
            goal = "no goal" if f["p_meet_goal"] is None else f"P(meet goal) {f['p_meet_goal']:.0%}"
            print(f"  {metric}: backtest MASE {f['backtest_mase']:.2f} against seasonal naive {f['baseline_mase']:.2f}; {goal}")


if __name__ == "__main__":
    main()
