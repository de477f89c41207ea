"""Benchmark: the campaign post-mortem on the sample store, and the full
calibration study of the lift estimator.

Not a test: prints seconds and rates so they can be quoted. Targets: the
playbook under 20 s; over 400 seeded worlds, the 90% interval covers the
planted cumulative lift in at least 88% and a null world is significant at
10% in at most 12%.

    .venv/bin/python scripts/bench_campaign.py [--runs 400]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from smkit.methods.causal import calibration


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=400)
    args = parser.parse_args()
    smkit = str(Path(sys.executable).parent / "smkit")
    subprocess.run([smkit, "init-store", "--quiet"], check=True, capture_output=True)
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        subprocess.run([smkit, "run", "campaign_postmortem", "--quiet", "--reports", tmp], check=True, capture_output=True)
        print(f"campaign_postmortem on the sample store: {time.perf_counter() - t0:.1f} s (wall, kernel start included)")
    t0 = time.perf_counter()
    coverage, alarms = calibration(args.runs)
    print(
        f"calibration over {args.runs} worlds each way: 90% interval coverage {coverage:.1%}, false alarms at 10% {alarms:.1%} "
        f"({time.perf_counter() - t0:.0f} s)"
    )


if __name__ == "__main__":
    main()
