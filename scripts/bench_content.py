"""Benchmark: the content performance playbook on a sample store at --scale 10.

Not a test: prints seconds and the planted effects against what the playbook
found, so they can be quoted. Target: under 20 s for the playbook run (wall,
kernel start included) at scale 10 (about 55,000 posts, 21,000 of them the brand's).

    .venv/bin/python scripts/bench_content.py [--scale 10] [--store PATH]

``--store`` reuses a store already built at that scale.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from benchlib import sample_store, time_playbook


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=10.0)
    parser.add_argument("--store", default="", help="an existing store at that scale (built from the sample with truth.json beside it)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = sample_store(Path(tmp), args.scale, args.store)
        seconds, summary = time_playbook("content_performance", store, Path(tmp) / "reports", "start", "2025-11-01", "plan_start", "2026-11-02")
        print(f"content_performance at scale {args.scale:g}: {seconds:.1f} s (wall, kernel start included)")
        truth_file = store.parent / "sample" / "truth.json"
        truth = json.loads(truth_file.read_text(encoding="utf-8")) if truth_file.exists() else {}
        for planted in truth.get("content_type_effect", []):
            found = next((e for e in summary["type_effects"] if (e["platform"], e["content_type"]) == (planted["platform"], planted["content_type"])), None)
            shown = f"{found['rate_ratio']:.2f} [{found['ci_low']:.2f}, {found['ci_high']:.2f}]" if found else "not estimated"
            print(f"  {planted['platform']} {planted['content_type']} vs {planted['baseline']}: planted x{planted['views_multiplier']}, found {shown}")
        if truth:
            print(f"  planted prime-time hours {truth['posting_time_effect']['hours']} x{truth['posting_time_effect']['views_multiplier']}")
        for slot in summary["best_slots"]:
            print(f"  best slot {slot['platform']:<12} weekday {slot['weekday']} {slot['hour']:02d}:00  confident={slot['confident']}")
        print(f"  cadence per week {summary['cadence']}; calendar rows {summary['calendar_rows']}")


if __name__ == "__main__":
    main()
