"""What the playbook benchmarks share: a sample store at a scale, and one timed run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from smkit.ingest import build_sample_store
from smkit.store import table_counts

RUN_DATE = "2026-11-01"


def sample_store(folder: Path, scale: float, existing: str = "", show: tuple[str, ...] = ("posts", "mentions")) -> Path:
    """``existing`` if given, else a sample store at ``scale`` built in ``folder``, with its size printed."""
    if existing:
        return Path(existing)
    t0 = time.perf_counter()
    store = build_sample_store(folder / "smkit.duckdb", scale=scale)
    counts = table_counts(store)
    print(f"store at scale {scale:g} built in {time.perf_counter() - t0:.1f} s: " + ", ".join(f"{t} {counts[t]:,}" for t in show if t in counts))
    return store


def time_playbook(name: str, store: Path, reports: Path, *parameters: str) -> tuple[float, dict]:
    """Wall seconds of ``smkit run`` (kernel start included) and the run's summary.json."""
    smkit = str(Path(sys.executable).parent / "smkit")
    options = [arg for pair in zip(["-p"] * (len(parameters) // 2), parameters[::2], parameters[1::2]) for arg in pair]
    t0 = time.perf_counter()
    subprocess.run([smkit, "run", name, "--quiet", "--reports", str(reports), "--store", str(store), "--date", RUN_DATE, *options],
                   check=True, capture_output=True, env={**os.environ, "MPLBACKEND": "Agg"})
    seconds = time.perf_counter() - t0
    return seconds, json.loads((reports / RUN_DATE / name / "summary.json").read_text(encoding="utf-8"))
