"""Benchmark: ``smkit run --all`` on the sample store, one at a time and two at once.

Not a test: prints per-playbook and total seconds so they can be quoted.
Target on a 2-core machine: every playbook under 20 s, the whole set under
90 s, and ``--jobs 2`` faster than one at a time.

    .venv/bin/python scripts/bench_runner.py
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent


def run_all(jobs: int, reports: Path) -> tuple[float, dict[str, float]]:
    t0 = time.perf_counter()
    subprocess.run([str(BIN / "smkit"), "run", "--all", "--quiet", "--jobs", str(jobs), "--reports", str(reports)], check=True, capture_output=True)
    wall = time.perf_counter() - t0
    per = {}
    for manifest in reports.glob("*/*/manifest.json"):
        m = json.loads(manifest.read_text())
        per[m["playbook"]] = m["duration_seconds"]
    return wall, per


def main() -> None:
    subprocess.run([str(BIN / "smkit"), "init-store", "--quiet"], check=True, capture_output=True)
    with tempfile.TemporaryDirectory() as tmp:
        serial, per = run_all(1, Path(tmp) / "serial")
        parallel, _ = run_all(2, Path(tmp) / "parallel")
    for name, seconds in sorted(per.items()):
        print(f"{name:28s} {seconds:6.1f} s")
    print(f"{'all, --jobs 1':28s} {serial:6.1f} s (wall)")
    print(f"{'all, --jobs 2':28s} {parallel:6.1f} s (wall)")


if __name__ == "__main__":
    main()
