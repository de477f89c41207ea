"""Benchmark: smkit ingest against DuckDB's own read of the same file, whole process each.

Not a test: for each file it prints rows, the seconds of the ``smkit ingest``
command (its report, quarantine file included), DuckDB's read seconds (``read_csv(..., all_varchar=true)`` into a table of a new
database file), the ratio and each process's peak resident memory
(``/usr/bin/time``). Seconds are whole-process wall time measured from outside:
interpreter start, imports, reading, writing and closing the store. Target:
smkit within 2x of DuckDB, under 2 GB peak; a file larger than
``SMKIT_STREAM_MB`` is read in blocks, in bounded memory.

Files: a realistic Douyin works export (1.2万, 12.5%, ``YYYY-MM-DD HH:MM``,
no post id), every sample table at ``--sample-scale``, every export shape in
``data/examples`` repeated to ``--shape-rows`` rows (GBK files are read by
DuckDB from a UTF-8 copy: it has no GBK reader), and a ``--stream-rows``
Douyin export read in blocks.

    .venv/bin/python scripts/bench_ingest.py [--rows 1000000] [--sample-scale 5] [--shape-rows 200000] [--stream-rows 10000000] [--repeat 1]
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
# smkit's side is the command an analyst runs; it prints its report as JSON last.
SMKIT = [str(Path(sys.executable).with_name("smkit")), "ingest", "--json"]
DUCKDB = """
import json, sys
import duckdb
con = duckdb.connect(sys.argv[2])
con.execute("CREATE TABLE t AS SELECT * FROM read_csv(?, all_varchar=true)", [sys.argv[1]])
n = con.execute("SELECT count(*) FROM t").fetchone()[0]
con.close()
print(json.dumps({"rows": n}))
"""
# The platform and account the command line gives for exports that do not name them.
EXAMPLE_OPTIONS = {
    "kol_creators": ("creators", {}),
}


def _wan(values: np.ndarray) -> np.ndarray:
    """Counts as the Douyin console writes them: 1.2万 from ten thousand up, plain below."""
    out = values.astype(str).astype(object)
    big = values >= 10000
    out[big] = np.char.add(np.char.mod("%.1f", values[big] / 1e4), "万")
    return out


def make_douyin(path: Path, rows: int, seed: int = 1) -> None:
    """A Douyin works export as downloaded: Chinese headers, no post id, 1.2万, 12.5%, minutes-only times."""
    rng = np.random.default_rng(seed)
    views = np.round(np.exp(rng.normal(9, 1.2, rows))).astype(np.int64)
    start = np.datetime64("2024-01-01T00:00")
    topics = np.array(["秋季新品开箱", "灯光小技巧", "卧室氛围灯改造", "How to light a desk", "直播回放", "面霜成分一图看懂"])
    with path.open("w", encoding="utf-8", newline="") as fh:
        for lo in range(0, rows, 1_000_000):  # a million rows at a time keeps the generator's memory small
            n = min(1_000_000, rows - lo)
            v = views[lo : lo + n]
            frame = pd.DataFrame(
                {
                    "账号": rng.choice(["Lumina", "Vexa", "Orbi"], n),
                    "作品名称": np.char.add(np.char.add(rng.choice(topics, n), " #"), np.arange(lo, lo + n).astype(str)),
                    "发布时间": pd.Series(start + rng.integers(0, 700 * 24 * 60, n).astype("timedelta64[m]")).dt.strftime("%Y-%m-%d %H:%M"),
                    "体裁": rng.choice(["视频", "直播", "图文"], n),
                    "播放量": _wan(v),
                    "完播率": np.char.add(np.char.mod("%.1f", np.round(rng.beta(3, 7, n) * 100, 1)), "%"),
                    "平均播放时长": np.round(rng.gamma(4, 4, n), 1),
                    "点赞量": _wan(rng.poisson(v * 0.03)),
                    "评论量": rng.poisson(v * 0.003),
                    "分享量": rng.poisson(v * 0.002),
                    "收藏量": _wan(rng.poisson(v * 0.004)),
                    "粉丝增量": rng.poisson(v * 0.001),
                }
            )
            frame.to_csv(fh, index=False, header=lo == 0)


def expand_example(source: Path, out: Path, rows: int) -> tuple[Path, Path]:
    """``source``'s data rows repeated to ``rows`` rows (first cell made unique), in its own encoding; and a UTF-8 copy."""
    from smkit.data.readers import detect_encoding

    encoding = detect_encoding(source)
    lines = list(csv.reader(source.read_text(encoding=encoding).splitlines()))
    widest = max(len(r) for r in lines)
    header = next(i for i, r in enumerate(lines) if len(r) == widest)
    head, data = lines[: header + 1], lines[header + 1 :]
    copies = []
    for path, enc in ((out, "utf-8" if encoding == "utf-8-sig" else encoding), (out.with_name(out.stem + "-utf8.csv"), "utf-8")):
        with path.open("w", encoding=enc, newline="") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerows(head)
            ids = [j for j, name in enumerate(head[-1]) if "ID" in name.upper() or name.endswith("号")]  # ids repeat no more than titles do
            w.writerows(
                [f"{cell} #{i}" if j == 0 or j in ids else cell for j, cell in enumerate(row)] for i, row in ((i, data[i % len(data)]) for i in range(rows))
            )
        copies.append(path)
    return copies[0], copies[1]


def run(argv: list[str]) -> dict:
    """One fresh process under ``/usr/bin/time``: its wall seconds and peak resident memory as the kernel counts them."""
    out = subprocess.run(["/usr/bin/time", "-f", "%e %M", *argv], capture_output=True, text=True)
    lines = out.stderr.strip().splitlines()
    seconds, kb = lines[-1].split()
    figures = {"seconds": float(seconds), "peak_mb": int(kb) / 1024}
    if out.returncode:
        return {**figures, "error": (lines[:-1] or ["failed"])[-1][:80]}
    printed = json.loads(out.stdout[out.stdout.index("\n{") + 1 :] if not out.stdout.startswith("{") else out.stdout)
    if "files" in printed:  # smkit's ingest report
        printed = {"rows": sum(f["accepted"] for f in printed["files"]), "quarantined": sum(f["quarantined"] for f in printed["files"])}
    return {**printed, **figures}


def smkit_ingest(path: Path, store: Path, table: str, options: dict) -> list[str]:
    return [*SMKIT, str(path), "--table", table, "--store", str(store), *[a for k, v in options.items() for a in (f"--{k}", v)]]


def compare(name: str, path: Path, table: str, options: dict, tmp: Path, duck_path: Path | None = None, repeat: int = 1) -> None:
    """One line for ``path``: with ``repeat`` > 1, the medians of that many runs of each, taken in turn, and the median ratio of the pairs."""
    pairs = []
    for _ in range(repeat):
        store = tmp / f"{name}.duckdb"
        ours = run(smkit_ingest(path, store, table, options))
        for leftover in (store, tmp / f"{name}-duck.duckdb"):
            leftover.unlink(missing_ok=True)
        theirs = run([sys.executable, "-c", DUCKDB, str(duck_path or path), str(tmp / f"{name}-duck.duckdb")])
        (tmp / f"{name}-duck.duckdb").unlink(missing_ok=True)
        pairs.append((ours, theirs))
        if "error" in ours or "error" in theirs:
            break
    if len(pairs) > 1 and not any("error" in o or "error" in t for o, t in pairs):
        ratio = float(np.median([o["seconds"] / t["seconds"] for o, t in pairs]))
        ours = {**pairs[0][0], **{k: float(np.median([o[k] for o, _ in pairs])) for k in ("seconds", "peak_mb")}}
        theirs = {k: float(np.median([t[k] for _, t in pairs])) for k in ("seconds", "peak_mb")}
        print(
            f"{name:34s} {ours['rows']:>11,} {ours['seconds']:8.2f} s {ours['peak_mb']:7,.0f} MB {theirs['seconds']:8.2f} s {theirs['peak_mb']:7,.0f} MB  {ratio:5.2f}x  (medians of {len(pairs)} pairs)"
        )
        return
    ours, theirs = pairs[-1]
    if "error" in ours:
        print(f"{name:34s} smkit failed: {ours['error']}")
        return
    line = f"{name:34s} {ours['rows']:>11,} {ours['seconds']:8.2f} s {ours['peak_mb']:7,.0f} MB"
    if "error" in theirs:
        print(line + f"   DuckDB cannot read it: {theirs['error']}")
    else:
        print(line + f" {theirs['seconds']:8.2f} s {theirs['peak_mb']:7,.0f} MB  {ours['seconds'] / theirs['seconds']:5.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows of the Douyin export")
    parser.add_argument("--sample-scale", type=float, default=5.0, help="scale of the sample tables (0 skips them)")
    parser.add_argument("--shape-rows", type=int, default=200_000, help="rows of each data/examples shape (0 skips them)")
    parser.add_argument("--stream-rows", type=int, default=10_000_000, help="rows of the export read in blocks (0 skips it)")
    parser.add_argument(
        "--repeat", type=int, default=1, help="runs of each, in turn (all but the file read in blocks): medians and the median ratio of the pairs"
    )
    args = parser.parse_args()
    print(f"{'file':34s} {'stored':>11s} {'smkit ingest':>10s} {'peak':>10s} {'DuckDB read':>10s} {'peak':>10s}  ratio")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        if args.rows:
            douyin = tmp / "douyin_works.csv"
            make_douyin(douyin, args.rows)
            compare(f"douyin works ({douyin.stat().st_size >> 20} MiB)", douyin, "posts", {"platform": "douyin"}, tmp, repeat=args.repeat)
            douyin.unlink()
        if args.sample_scale:
            from smkit.sample.generate import write

            files = write(tmp / "sample", scale=args.sample_scale)
            for table, path in files.items():
                if path.suffix == ".csv" and table != "truth_segments":
                    compare(f"sample {table}", path, table, {}, tmp, repeat=args.repeat)
        if args.shape_rows:
            for source in sorted((ROOT / "data" / "examples").glob("*.csv")):
                table, options = EXAMPLE_OPTIONS.get(source.stem, ("posts", {"platform": source.stem.split("_")[0], "account": "Lumina"}))
                path, utf8 = expand_example(source, tmp / source.name, args.shape_rows)
                compare(f"example {source.stem}", path, table, options, tmp, duck_path=utf8, repeat=args.repeat)
        if args.stream_rows:
            big = tmp / "douyin_big.csv"
            make_douyin(big, args.stream_rows, seed=2)
            compare(f"douyin works, blocks ({big.stat().st_size >> 20} MiB)", big, "posts", {"platform": "douyin"}, tmp)


if __name__ == "__main__":
    main()
