"""What the playbook benchmarks share: a sample store at a scale, and one timed run."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from smkit.data.store import table_counts
from smkit.sample import build_sample_store

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
    subprocess.run(
        [smkit, "run", name, "--quiet", "--reports", str(reports), "--store", str(store), "--date", RUN_DATE, *options],
        check=True,
        capture_output=True,
        env={**os.environ, "MPLBACKEND": "Agg"},
    )
    seconds = time.perf_counter() - t0
    return seconds, json.loads((reports / RUN_DATE / name / "summary.json").read_text(encoding="utf-8"))


@contextmanager
def playbook_benchmark(doc: str, playbook: str, *parameters: str, show: tuple[str, ...] = ("posts", "mentions")) -> Iterator[tuple[Path, dict]]:
    """Parse ``--scale`` and ``--store``, time ``playbook`` on that store and print
    the seconds; yields the store and the run's summary for the script's own lines."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--scale", type=float, default=10.0)
    parser.add_argument("--store", default="", help="an existing store at that scale (a sample store has truth.json beside it)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = sample_store(Path(tmp), args.scale, args.store, show=show)
        seconds, summary = time_playbook(playbook, store, Path(tmp) / "reports", *parameters)
        print(f"{playbook} at scale {args.scale:g}: {seconds:.1f} s (wall, kernel start included)")
        yield store, summary
