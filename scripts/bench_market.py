"""Benchmark: the market analysis playbook on a sample store at --scale 10.

Not a test: prints seconds so they can be quoted. Target: under 20 s for the
playbook run (wall, kernel start included) at scale 10 (about 55,000 posts,
530,000 mentions and 200,000 audience rows).

    .venv/bin/python scripts/bench_market.py [--scale 10] [--store PATH]
"""

from __future__ import annotations

from benchlib import playbook_benchmark


def main() -> None:
    with playbook_benchmark(__doc__, "market_analysis", show=("posts", "mentions", "audience")) as (_, summary):
        print(
            f"  share of voice {summary['share_of_voice']}; flags {[(f['platform'], f['verdict']) for f in summary['benchmark_flags']]}; "
            f"recommended {summary['recommended']}"
        )


if __name__ == "__main__":
    main()
