"""Benchmark: the market analysis playbook on a sample store at --scale 10.

Not a test: prints seconds so they can be quoted. Target: under 20 s for the
playbook run (wall, kernel start included) at scale 10 (about 55,000 posts,
530,000 mentions and 200,000 audience rows).

    .venv/bin/python scripts/bench_market.py [--scale 10] [--store PATH]
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
        store = sample_store(Path(tmp), args.scale, args.store, show=("posts", "mentions", "audience"))
        seconds, summary = time_playbook("market_analysis", store, Path(tmp) / "reports")
        print(f"market_analysis at scale {args.scale:g}: {seconds:.1f} s (wall, kernel start included)")
        print(f"  share of voice {summary['share_of_voice']}; flags {[(f['platform'], f['verdict']) for f in summary['benchmark_flags']]}; "
              f"recommended {summary['recommended']}")


if __name__ == "__main__":
    main()
