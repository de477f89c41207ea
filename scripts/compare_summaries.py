"""Compare the summary.json of two report folders key by key.

    python scripts/compare_summaries.py BEFORE_DAY_DIR AFTER_DAY_DIR [--rtol 1e-9]

Each folder is a report date folder (``reports/2026-12-01``) holding one
sub-folder per run. Numbers must agree to ``rtol``; everything else exactly.
Prints one line per playbook and each difference; exits 1 when any differs.
A redesign that must not change a report's numbers is checked this way.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path
from typing import Any


def differences(before: Any, after: Any, rtol: float, path: str = "") -> list[str]:
    if isinstance(before, dict) and isinstance(after, dict):
        out = [f"{path}.{k}: only before" for k in before.keys() - after.keys()]
        out += [f"{path}.{k}: only after" for k in after.keys() - before.keys()]
        for key in before.keys() & after.keys():
            out += differences(before[key], after[key], rtol, f"{path}.{key}")
        return out
    if isinstance(before, list) and isinstance(after, list):
        if len(before) != len(after):
            return [f"{path}: {len(before)} items before, {len(after)} after"]
        return [d for i, (b, a) in enumerate(zip(before, after)) for d in differences(b, a, rtol, f"{path}[{i}]")]
    numbers = (int, float)
    if isinstance(before, numbers) and isinstance(after, numbers) and not isinstance(before, bool) and not isinstance(after, bool):
        if math.isclose(before, after, rel_tol=rtol, abs_tol=rtol):
            return []
        return [f"{path}: {before!r} before, {after!r} after"]
    return [] if before == after else [f"{path}: {before!r} before, {after!r} after"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("--rtol", type=float, default=1e-9)
    args = parser.parse_args()
    failed = False
    for old in sorted(args.before.glob("*/summary.json")):
        new = args.after / old.parent.name / "summary.json"
        if not new.is_file():
            print(f"{old.parent.name}: no summary.json after")
            failed = True
            continue
        diffs = differences(json.loads(old.read_text(encoding="utf-8")), json.loads(new.read_text(encoding="utf-8")), args.rtol)
        keys = len(json.loads(old.read_text(encoding="utf-8")))
        print(f"{old.parent.name}: {'same' if not diffs else f'{len(diffs)} differences'} ({keys} top-level keys)")
        for d in diffs:
            print(f"  {d}")
        failed |= bool(diffs)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
