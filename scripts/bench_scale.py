"""Benchmark: the monitor and the market analysis on lakes of growing size, on DuckDB and Spark.

Not a test: prints wall seconds and peak memory (of the run's processes) so the
growth with the data can be quoted. The lakes are written directly: the
sample at scale 1 (about 53,000 mentions a year) is built once and its mentions
are repeated ``scale`` times with fresh ids (the same days, brands and texts,
so each brand's curve is the sample's times ``scale``); the other tables are the
sample's. Written by DuckDB straight to Parquet, so making a lake of 50 million
mentions never holds them in memory.

    .venv/bin/python scripts/bench_scale.py --scales 20 200 --spark 200
    .venv/bin/python scripts/bench_scale.py --scales 1000 --playbooks market_analysis
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from smkit.data import lake
from smkit.data.store import export_lake
from smkit.sample import build_sample_store

RUN_DATE = "2026-11-01"
WINDOW = ("-p", "start", "2026-10-04", "-p", "end", "2026-10-31")  # four weeks, with the monitor's 120 days of history before them


def write_lake(base: Path, scale: int, dest: Path) -> int:
    """A lake at ``scale``: the scale-1 lake ``base`` with its mentions repeated ``scale`` times; returns the mentions."""
    con = duckdb.connect()
    con.execute("SET TimeZone = 'Asia/Shanghai'")
    con.execute("SET preserve_insertion_order = false")
    # Bounded memory whatever the scale: DuckDB spills the sort to disk beside the lake past this.
    con.execute("SET memory_limit = '2GB'")
    con.execute(f"SET temp_directory = '{dest.parent / 'spill'}'")
    for table in lake.tables(base):
        if table == "mentions":
            continue
        con.execute(f'CREATE VIEW "{table}" AS SELECT * FROM {lake.scan(base, table)}')
        lake.write_table(con, table, dest)
    con.execute(f"CREATE VIEW base_mentions AS SELECT * FROM {lake.scan(base, 'mentions')}")
    copies = f"SELECT * REPLACE (CASE WHEN k = 0 THEN mention_id ELSE mention_id || '~' || k END AS mention_id, CASE WHEN k = 0 OR reply_to IS NULL THEN reply_to ELSE reply_to || '~' || k END AS reply_to) FROM base_mentions, range({scale}) AS r(k)"
    lake.write_table(con, "mentions", dest, source=f"({copies})")
    return con.execute(f"SELECT count(*) FROM {lake.scan(dest, 'mentions')}").fetchone()[0]


def run(playbook: str, store: Path, engine: str, reports: Path) -> tuple[float, float, dict]:
    """Wall seconds and peak memory (GB, the largest process of the run: the kernel, or Spark's JVM) of one ``smkit run``."""
    smkit = str(Path(sys.executable).parent / "smkit")
    params = [*WINDOW, "-p", "brand", "Lumina"]
    # A wrapper process per run, so the peak is this run's (every process it waited for: the runner, the kernel, the JVM).
    wrapper = "import resource, subprocess, sys; rc = subprocess.run(sys.argv[1:]).returncode; print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); sys.exit(rc)"
    t0 = time.perf_counter()
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            wrapper,
            smkit,
            "run",
            playbook,
            "--quiet",
            "--overwrite",
            "--engine",
            engine,
            "--reports",
            str(reports),
            "--store",
            str(store),
            "--date",
            RUN_DATE,
            *params,
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "MPLBACKEND": "Agg"},
    )
    seconds = time.perf_counter() - t0
    if proc.returncode:
        raise SystemExit(f"{playbook} on {engine} failed: {proc.stderr.strip()[-600:]}")
    peak = int(proc.stdout.strip().splitlines()[-1]) / 1024**2  # ru_maxrss is in KB on Linux
    summary = json.loads((reports / RUN_DATE / playbook / "summary.json").read_text(encoding="utf-8"))
    return seconds, peak, summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[20, 200, 1000])
    parser.add_argument("--spark", type=int, nargs="*", default=[200], help="scales to run on Spark local as well")
    parser.add_argument("--playbooks", nargs="+", default=["reputation_monitor", "market_analysis"])
    parser.add_argument("--no-duckdb", action="store_true", help="run only the Spark scales")
    parser.add_argument("--work", default="", help="folder for the lakes (default a temporary folder; large scales need disk: about 45 MB per scale unit)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.work or None) as tmp:
        work = Path(tmp)
        t0 = time.perf_counter()
        base = work / "base"
        export_lake(build_sample_store(work / "base.duckdb", scale=1, quiet=True), base)
        print(f"scale-1 lake in {time.perf_counter() - t0:.0f} s")
        for scale in args.scales:
            dest = work / f"lake-{scale}"
            t0 = time.perf_counter()
            n = write_lake(base, scale, dest)
            size = sum(p.stat().st_size for p in dest.rglob("*.parquet")) / 1e9
            print(f"scale {scale}: {n:,} mentions, lake {size:.2f} GB written in {time.perf_counter() - t0:.0f} s")
            for engine in ([] if args.no_duckdb else ["duckdb"]) + (["spark"] if scale in args.spark else []):
                for playbook in args.playbooks:
                    # Each run in its own process so peak memory is that run's: a fresh interpreter measures it.
                    seconds, peak, _ = run(playbook, dest, engine, work / f"reports-{scale}-{engine}")
                    print(f"  {playbook:20s} {engine:6s} {seconds:7.1f} s  peak {peak:5.2f} GB", flush=True)
            if not args.work:
                import shutil

                shutil.rmtree(dest, ignore_errors=True)


if __name__ == "__main__":
    main()
