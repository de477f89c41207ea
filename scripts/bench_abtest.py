"""Benchmarks of the A/B playbook. Not tests: they print figures to quote.

Without arguments: analyse 100 experiments x 10 metrics x 3 variants from
aggregated rows (target under 1 s).

With ``--units``: a store of that many per-unit rows (one experiment, two
variants, the sample's metric columns, written by DuckDB without passing
through pandas), analysed once with the rows read into pandas (``rows``, the
reference and the path of a ``data`` file) and once summed in the engine
(``engine``, what a run on a store does); each in its own process, so its
wall seconds and peak resident memory are its own.

    .venv/bin/python scripts/bench_abtest.py
    .venv/bin/python scripts/bench_abtest.py --units 2000000 20000000 --paths engine rows
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from smkit.playbooks import ab_test as pb


def make_rows(experiments: int = 100, metrics: int = 10, variants: int = 3, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for e in range(experiments):
        for v in range(variants):
            units = int(rng.integers(20000, 30000))
            row = {"experiment_id": f"E{e:03d}", "variant": "control" if v == 0 else f"v{v}", "units": units, "unit_id": None}
            for m in range(metrics):
                mean = rng.uniform(1, 50)
                total = mean * units
                row[f"m{m}"] = total
                row[f"m{m}_sq"] = units * (mean**2 + (mean * 0.8) ** 2)
            rows.append(row)
    return pd.DataFrame(rows)


def write_store(path: Path, units: int) -> Path:
    """A store with ``units`` per-unit rows of one experiment over two weeks, a 5% lift planted in watch time."""
    from smkit.data.store import connect

    con = connect(path)
    con.execute("SELECT setseed(0.42)")
    con.execute(
        f"""
        CREATE TABLE experiments AS
        WITH u AS (
            SELECT i, random() AS r1, random() AS r2, random() AS r3, random() AS r4, random() AS r5, random() AS r6, random() AS r7
            FROM range({int(units)}) AS t(i)
        ), v AS (
            SELECT *, CASE WHEN r1 < 0.5 THEN 'control' ELSE 'treatment' END AS variant,
                   1 + floor(-ln(1 - r3) * 4)::BIGINT AS impressions,
                   exp(3.2 + 0.6 * sqrt(-2 * ln(1 - r4)) * cos(2 * pi() * r5)) AS pre
            FROM u
        )
        SELECT 'EXP-SCALE' AS experiment_id, variant, 'u' || lpad(i::VARCHAR, 9, '0') AS unit_id, NULL::BIGINT AS units,
               TIMESTAMPTZ '2026-10-01 00:00:00+08' + to_seconds(floor(r2 * 14 * 86400)::BIGINT) AS assigned_at,
               impressions,
               floor(impressions * r6 * 0.2)::BIGINT AS clicks,
               (r7 < 0.03)::BIGINT AS converted,
               round(pre * (0.8 + 0.4 * r6) * CASE WHEN variant = 'treatment' THEN 1.05 ELSE 1.0 END, 2) AS watch_seconds,
               round(pre, 2) AS pre_watch_seconds,
               (r3 < 0.01)::BIGINT AS hides
        FROM v
        """
    )
    con.close()
    return path


def measure(store: str, path: str) -> None:
    """Run one path on ``store`` and print its seconds and peak memory as JSON (the child's side)."""
    from smkit.params import Config
    from smkit.playbooks.ab_test import at_scale

    cfg = Config(Path(store), None, None, {})
    s = pb.settings(metrics="clicks/impressions, watch_seconds, converted", guardrails="hides")
    start = time.perf_counter()
    result = (at_scale.run_in_engine if path == "engine" else at_scale.reference)(cfg, s)
    seconds = time.perf_counter() - start
    peak_gb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    print(json.dumps({"seconds": seconds, "peak_gb": peak_gb, "rel_lift": result.comparisons[1].rel_lift}))


def scale(units: list[int], paths: list[str]) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-ab-") as tmp:
        for n in units:
            store = write_store(Path(tmp) / f"ab-{n}.duckdb", n)
            for path in paths:
                out = subprocess.run([sys.executable, __file__, "--measure", str(store), path], capture_output=True, text=True)
                if out.returncode:
                    print(f"{n:>12,} units  {path:<6}  failed: {out.stderr.strip().splitlines()[-1] if out.stderr.strip() else out.returncode}")
                    continue
                got = json.loads(out.stdout.strip().splitlines()[-1])
                print(
                    f"{n:>12,} units  {path:<6}  {got['seconds']:7.1f} s  peak {got['peak_gb']:5.2f} GB  (watch time lift {got['rel_lift']:+.4f})", flush=True
                )
            store.unlink()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, nargs="+", help="per-unit rows per store (e.g. 2000000 20000000)")
    parser.add_argument("--paths", nargs="+", default=["engine", "rows"], choices=["engine", "rows"])
    parser.add_argument("--measure", nargs=2, metavar=("STORE", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        return measure(*args.measure)
    if args.units:
        return scale(args.units, args.paths)
    aggregated()


def aggregated() -> None:
    data = make_rows()
    names = [f"m{m}" for m in range(10)]
    s = pb.settings(metrics=names)
    start = time.perf_counter()
    results = [pb.analyze(pb.Inputs(group), s) for _, group in data.groupby("experiment_id")]
    seconds = time.perf_counter() - start
    n = sum(len(r.comparisons) for r in results)
    print(f"{len(results)} experiments, {n:,} comparisons (10 metrics x 2 variants against control): {seconds:.2f} s")


if __name__ == "__main__":
    main()
