"""Benchmark: the content performance playbook on a sample store at --scale 10.

Not a test: prints seconds and the planted effects against what the playbook
found, so they can be quoted. Target: under 20 s for the playbook run (wall,
kernel start included) at scale 10 (about 55,000 posts, 21,000 of them the brand's).

    .venv/bin/python scripts/bench_content.py [--scale 10] [--store PATH]

``--store`` reuses a store already built at that scale.
"""

from __future__ import annotations

import json

from benchlib import playbook_benchmark


def main() -> None:
    with playbook_benchmark(__doc__, "content_performance", "start", "2025-11-01", "plan_start", "2026-11-02") as (store, summary):
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
