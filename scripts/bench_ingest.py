"""Benchmark: ingest a generated 1,000,000-row posts CSV, beside DuckDB's own read_csv.

Not a test: it prints rows per second and peak memory (max RSS of a fresh
process for each side) so the figures can be quoted. Target: smkit within 3x
of DuckDB's read, under 2 GB peak.

    .venv/bin/python scripts/bench_ingest.py [--rows 1000000]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

SMKIT = """
import json, resource, sys, time
from smkit.data.ingest import ingest
t = time.perf_counter()
r = ingest([sys.argv[1]], "posts", store=sys.argv[2], platform="douyin")
sec = time.perf_counter() - t
print(json.dumps({"seconds": sec, "rows": r.accepted, "quarantined": r.quarantined, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""
DUCKDB = """
import json, resource, sys, time
import duckdb
t = time.perf_counter()
con = duckdb.connect(sys.argv[2])
con.execute("CREATE TABLE posts AS SELECT * FROM read_csv(?, header=true)", [sys.argv[1]])
n = con.execute("SELECT count(*) FROM posts").fetchone()[0]
con.close()
sec = time.perf_counter() - t
print(json.dumps({"seconds": sec, "rows": n, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def make_csv(path: Path, rows: int, seed: int = 1) -> None:
    """A Douyin-like works export: Chinese headers, ids, times, counts, rates, durations."""
    rng = np.random.default_rng(seed)
    views = np.round(np.exp(rng.normal(9, 1.2, rows))).astype(np.int64)
    start = np.datetime64("2025-01-01T00:00")
    frame = pd.DataFrame(
        {
            "作品ID": np.arange(rows).astype(str),
            "账号": rng.choice(["Lumina", "Vexa", "Orbi"], rows),
            "作品名称": rng.choice(["秋季新品开箱", "灯光小技巧", "卧室氛围灯改造", "How to light a desk"], rows),
            "发布时间": pd.Series(start + rng.integers(0, 600 * 24 * 60, rows).astype("timedelta64[m]")).dt.strftime("%Y-%m-%d %H:%M"),
            "体裁": rng.choice(["视频", "直播", "图文"], rows),
            "播放量": views,
            "完播率": np.round(rng.beta(3, 7, rows), 4),
            "平均播放时长": np.round(rng.gamma(4, 4, rows), 1),
            "点赞量": rng.poisson(views * 0.03),
            "评论量": rng.poisson(views * 0.003),
            "分享量": rng.poisson(views * 0.002),
            "收藏量": rng.poisson(views * 0.004),
            "粉丝增量": rng.poisson(views * 0.001),
        }
    )
    frame.to_csv(path, index=False)


def run(code: str, *args: str) -> dict:
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        csv = tmp / "posts.csv"
        make_csv(csv, args.rows)
        print(f"file: {args.rows:,} rows, {csv.stat().st_size / 2**20:.0f} MiB")
        ours = run(SMKIT, str(csv), str(tmp / "smkit.duckdb"))
        theirs = run(DUCKDB, str(csv), str(tmp / "duckdb.duckdb"))
    for name, r in (("smkit ingest", ours), ("duckdb read_csv", theirs)):
        print(f"{name:16s} {r['seconds']:6.2f} s  {r['rows'] / r['seconds']:>12,.0f} rows/s  peak {r['peak_mb']:,.0f} MB")
    print(f"ratio: smkit takes {ours['seconds'] / theirs['seconds']:.2f}x DuckDB's time (target <= 3x); peak {ours['peak_mb']:,.0f} MB (target < 2048 MB)")


if __name__ == "__main__":
    main()
