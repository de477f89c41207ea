"""Ingestion at scale: the vectorised readers store exactly what the cell-by-cell
reference readers stored, derived keys are the keys earlier versions derived
(so re-ingesting an export already stored adds nothing), and a file read in
chunks ends as the same table, all-or-nothing."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import NOW

from smkit.data import column_reader, derived_keys, parsing
from smkit.data.ingest import DERIVED_KEYS, ingest
from smkit.data.readers import IngestError
from smkit.data.store import connect, quote

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "data" / "examples").glob("*.csv"))
EXPORTS = sorted((ROOT / "tests" / "data" / "exports").glob("*.csv"))
PLATFORMS = {"bilibili": "bilibili", "douyin": "douyin", "kuaishou": "kuaishou", "wechat": "wechat", "xiaohongshu": "xiaohongshu", "kol": None}

CELLS = [
    "1.2万", "10万+", "3,456", "12.5%", "1.5w", "3亿", "2.1k", "-", "", "  7 ", "+.5", "1.", "1e5", "inf", "-inf", "１２", "1 万",
    "1\t万", "10 万 + %", "12%+", "abc", "1,2,3", "+", "—", "1百万", "3M", "3 m", "0x10", "nan", "1_000", "9" * 40, "1.2.3", "5千",
    "-3", "−3", "1，234", "12.5 %", "None", None, np.nan, "1e400", "3.4万+", "%", "万", ".5万", "1.2万%", "1M", "1百万+", "5千%",
    ",123", "1,,2", "1.2万万", ".5%", "12.5%%", "+5", "-5万", "1.e5", "百万", "万+", "1 百万", "2 w +", "3K+%", "3..4", "0.0000001%",
    "4.55555555555555555555555555555", "12345678901234567890", "0.1234567890123456789", "007", "female", "Infinity", "INF", "-Inf",
    "+nan", "½", "٣", "१२%", "x" * 40, "万万", "female 2",
]  # fmt: skip


def old_derive_keys(out: pd.DataFrame, table: str, refused=None) -> None:
    """The key derivation as every earlier version ran it, one Python hash and strftime per row (refused rows too)."""
    if table not in DERIVED_KEYS:
        return
    column, parts = DERIVED_KEYS[table]
    current = out[column] if column in out else pd.Series(None, index=out.index, dtype=object)
    need = current.isna()
    if not need.any():
        out[column] = current
        return
    pieces = []
    for part in parts:
        values = out[part] if part in out else pd.Series("", index=out.index)
        if part == "published_at" and part in out:
            values = values.dt.tz_convert("UTC").dt.strftime("%Y-%m-%dT%H:%M:%SZ")
        pieces.append(values.astype("string").fillna(""))
    joined = pieces[0].str.cat(pieces[1:], sep="\x1f")[need]
    hashed = pd.Series(["h" + hashlib.blake2b(s.encode("utf-8"), digest_size=8).hexdigest() for s in joined.to_numpy(dtype=object)], index=joined.index)
    out[column] = current.astype(object).where(~need, hashed)


@pytest.fixture
def reference(monkeypatch):
    """Switch ingestion to the reference readers: numbers cell by cell, keys row by row."""

    def use() -> None:
        monkeypatch.setattr(column_reader, "DISTINCT_ROWS", 10**12)  # every cell read on its own
        monkeypatch.setattr(parsing, "FAST_DATES", False)
        monkeypatch.setattr(parsing, "parse_number", parsing._parse_number_cells)
        monkeypatch.setattr(derived_keys, "derive_keys", old_derive_keys)

    return use


@pytest.mark.parametrize("percent", [False, True])
@pytest.mark.parametrize("dtype", [object, "str", "string"])
def test_fast_numbers_equal_the_reference_cell_by_cell(percent, dtype):
    series = pd.Series(CELLS, dtype=dtype)
    fast, ref = parsing.parse_number(series, percent=percent), parsing._parse_number_cells(series, percent=percent)
    pd.testing.assert_series_equal(fast.values, ref.values)
    pd.testing.assert_series_equal(fast.bad, ref.bad)
    pd.testing.assert_series_equal(fast.lower_bound, ref.lower_bound)
    for parse in (parsing.parse_count, parsing.parse_rate, parsing.parse_amount):
        a = parse(series)
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(parsing, "parse_number", parsing._parse_number_cells)
            b = parse(series)
        pd.testing.assert_series_equal(a.values, b.values)
        pd.testing.assert_series_equal(a.bad, b.bad)


def test_fast_numbers_on_random_spellings():
    rng = np.random.default_rng(3)
    n = 20_000
    base = rng.lognormal(4, 3, n)
    digits = rng.integers(0, 6, n)
    text = [f"{x:,.{d}f}" if c == 0 else f"{x:.{d}f}" for x, d, c in zip(base, digits, rng.integers(0, 3, n))]
    suffix = rng.choice(["", "万", "w", "k", "亿", "%", "+", "万+", " 万", "%+", "M"], n)
    series = pd.Series([t + s for t, s in zip(text, suffix)] + [str(x) for x in rng.integers(-(10**12), 10**12, 1000)], dtype="str")
    for percent in (False, True):
        fast, ref = parsing.parse_number(series, percent=percent), parsing._parse_number_cells(series, percent=percent)
        pd.testing.assert_series_equal(fast.values, ref.values)
        pd.testing.assert_series_equal(fast.bad, ref.bad)
        pd.testing.assert_series_equal(fast.lower_bound, ref.lower_bound)


def test_mixed_object_cells_as_from_a_workbook():
    series = pd.Series([1, "1.2万", 2.5, None, "12%", True, "-"], dtype=object)
    for percent in (False, True):
        fast, ref = parsing.parse_number(series, percent=percent), parsing._parse_number_cells(series, percent=percent)
        pd.testing.assert_series_equal(fast.values, ref.values)
        pd.testing.assert_series_equal(fast.bad, ref.bad)


DATES = [
    "2026-11-20 14:03", "2026-11-20 14:03:05", "2026-11-20", "2026/11/20 14:03", "20261120", "2026年11月20日 14:03", "2026年11月20日20时",
    "11/20/2026", "11/20/2026 14:03", "2026-11-20T14:03:00+08:00", "2026-11-20T14:03:00.5", "45000", "45000.5", "1e5", "-", "", None,
    "2026-11- 5", "2026-1-5 9:05", "2026/11/3 20:15", "2026年11月03日 12:10", "2026.11.03", "2026/11/03 20:15", "2026年11月26日20时",
    "２０２６/11/03", "2026/11/03 9:05", "2026年11月3日 8时5分", "2026/11/03/2026/1/2", "2026/11/03　10:00", "2026/11/03T10:00", "2026-11-20 14", "20261120 14:03:05", "20261120140305", "not a date", "2026-13-01", "99999", "20000", "2026/02/30 10:00", "2026年02月30日", "2026/11/03 24:00", "2026年11月03日 12:10:59", "2024/02/29", "2026年13月01日 10:00",
    "2026-02-30 10:00", "2026-11-03 24:00", "2026-11-20 14:03:60", "2026-02-29", "2024-02-29 10:00", "2026-11-20 14:03:05.5", "2026-1-20 14:03",
    "2026-11-20T14:03:00", "2026-11-20T14:03", "2026-02-30T10:00:00", "2026-11-20T24:00", "2026-11-20T14:03:00Z",
]  # fmt: skip


def test_fast_dates_equal_trying_every_format(monkeypatch):
    series = pd.Series(DATES, dtype=object)
    fast = parsing.parse_timestamp(series, "Asia/Shanghai")
    monkeypatch.setattr(parsing, "FAST_DATES", False)
    ref = parsing.parse_timestamp(series, "Asia/Shanghai")
    pd.testing.assert_series_equal(fast.values, ref.values)
    pd.testing.assert_series_equal(fast.bad, ref.bad)


DURATIONS = [
    "18秒", "1分05秒", "00:00:45", "14.2秒", "45秒", "12:35", "1小时2分", "1h 2m 3s", "2 MIN", "3.5", "-", "", None, "1分", "abc",
    "1:2:3:4", "１８秒", "10 秒", "1 小时", "5sec", "inf", "1e400", "0:00:01.5", "37", "37.25", "007.5", " 12 ", "12.", ".5",
    "1" * 31, "12:5", "1:60", "1234567890:00", "1.5:20", "20秒秒", "1:20秒", "00:01:20", "-3", "+3", "1e5", "nan", "NaN", "Infinity",
    "0x10", "1_000", "3.5.1", "37.5秒", "٣", "1" * 30 + ".5",
]  # fmt: skip


@pytest.mark.parametrize("cells", [DURATIONS, ["37.5", "12", "0.25", "007.5"], ["37.5", None, "12", "-"]], ids=["mixed", "plain", "plain-and-missing"])
def test_fast_durations_equal_the_reference(monkeypatch, cells):
    series = pd.Series(cells, dtype=object)
    fast = parsing.parse_seconds(series)
    monkeypatch.setattr(parsing, "FAST_DATES", False)
    ref = parsing.parse_seconds(series)
    pd.testing.assert_series_equal(fast.values, ref.values)
    pd.testing.assert_series_equal(fast.bad, ref.bad)


def test_utc_key_text_equals_strftime():
    stamps = pd.Series(
        pd.to_datetime(["2026-11-20 14:03:00", None, "2025-01-01 00:00:59.9", "1999-12-31 23:59:00"], format="ISO8601").tz_localize("Asia/Shanghai")
    )
    old = stamps.dt.tz_convert("UTC").dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    new = derived_keys.utc_text(stamps)
    assert new.fillna("<na>").tolist() == old.fillna("<na>").tolist()
    wide = pd.Series(pd.array(np.array(["1970-01-01T00:00:00", "9999-12-31T23:59:59", "2026-11-20T06:03:00"], dtype="datetime64[s]"))).dt.tz_localize("UTC")
    assert derived_keys.utc_text(wide).tolist() == wide.dt.tz_convert("UTC").dt.strftime("%Y-%m-%dT%H:%M:%SZ").tolist()
    early = pd.Series(pd.to_datetime(["1900-01-01 10:00", "2026-01-01 00:00"]).tz_localize("UTC"))
    assert derived_keys.utc_text(early).tolist() == early.dt.strftime("%Y-%m-%dT%H:%M:%SZ").tolist()


def _tables(store: Path) -> dict[str, pd.DataFrame]:
    with connect(store, read_only=True) as con:
        names = [r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()]
        return {t: con.execute(f"SELECT * FROM {quote(t)}").df() for t in names}


def _ingest(path: Path, table: str, store: Path, reports: Path, cells: bool = True, **kw) -> dict:
    try:
        report = ingest([path], table, store=store, now=NOW, report_dir=reports, **kw)
    except IngestError as exc:
        return {"error": str(exc)}
    out = []
    for f in report.files:
        d = {k: v for k, v in f.__dict__.items() if k != "quarantine_file"}
        q = pd.read_csv(f.quarantine_file, dtype=str) if f.quarantine_file else None
        d["quarantine"] = None if q is None else (q if cells else q[["source_file", "row", "reason"]]).to_dict("list")
        out.append(d)
    return {"files": out}


def _cases(tmp_root: Path) -> list[tuple[Path, str, dict]]:
    from smkit.sample.generate import write

    cases = []
    for path in EXAMPLES + EXPORTS:
        stem = path.stem.split("_")[0]
        table = "creators" if stem == "kol" else "posts"
        kw = {"account": "Lumina"} if table == "posts" else {}
        if PLATFORMS.get(stem):
            kw["platform"] = PLATFORMS[stem]
        cases.append((path, table, kw))
    files = write(tmp_root / "sample", scale=0.05)
    cases += [(files[t], t, {}) for t in files if t not in ("truth", "truth_segments")]
    return cases


def test_every_export_shape_stores_what_the_reference_stored(tmp_path, reference, monkeypatch):
    """data/examples, the platform exports and every sample table: the same rows,
    numbers, keys, quarantine reasons and report, through the fast and the reference readers
    (the fast ones reading each distinct cell once however small the file)."""
    monkeypatch.setattr(column_reader, "DISTINCT_ROWS", 2)
    cases = _cases(tmp_path)
    fast = {str(p): _ingest(p, t, tmp_path / "fast" / f"{i}.duckdb", tmp_path / "fr", **kw) for i, (p, t, kw) in enumerate(cases)}
    fast_tables = {i: _tables(tmp_path / "fast" / f"{i}.duckdb") for i in range(len(cases)) if (tmp_path / "fast" / f"{i}.duckdb").exists()}
    reference()
    for i, (path, table, kw) in enumerate(cases):
        ref = _ingest(path, table, tmp_path / "ref" / f"{i}.duckdb", tmp_path / "rr", **kw)
        assert json.dumps(fast[str(path)], default=str, sort_keys=True) == json.dumps(ref, default=str, sort_keys=True), path.name
        if i in fast_tables:
            ref_tables = _tables(tmp_path / "ref" / f"{i}.duckdb")
            assert fast_tables[i].keys() == ref_tables.keys()
            for name, frame in fast_tables[i].items():
                pd.testing.assert_frame_equal(frame, ref_tables[name], obj=f"{path.name}:{name}")
    assert sum("error" not in r for r in fast.values()) >= len(cases) - 2


def test_reingesting_into_a_store_built_by_the_old_keys_adds_nothing(tmp_path, reference):
    from smkit.sample.generate import write

    files = write(tmp_path / "sample", scale=0.05)
    douyin = ROOT / "data" / "examples" / "douyin_works_list.csv"
    store = tmp_path / "old.duckdb"
    with pytest.MonkeyPatch.context() as mp:  # the store as an earlier version left it
        mp.setattr(parsing, "FAST_DATES", False)
        mp.setattr(parsing, "parse_number", parsing._parse_number_cells)
        mp.setattr(derived_keys, "derive_keys", old_derive_keys)
        ingest([files["mentions"]], "mentions", store=store, now=NOW)
        ingest([files["posts"]], "posts", store=store, now=NOW)
        ingest([douyin], "posts", store=store, now=NOW, platform="douyin", account="Lumina")
    before = {t: len(f) for t, f in _tables(store).items()}
    for path, table, kw in ((files["mentions"], "mentions", {}), (files["posts"], "posts", {}), (douyin, "posts", {"platform": "douyin", "account": "Lumina"})):
        report = ingest([path], table, store=store, now=NOW, **kw)
        assert report.files[0].inserted == 0 and report.files[0].updated == report.files[0].accepted > 0
    assert {t: len(f) for t, f in _tables(store).items()} == before


@pytest.fixture
def streamed(monkeypatch):
    """Read every UTF-8 CSV in blocks of a few kilobytes, so even the small fixtures span many blocks."""

    def use() -> None:
        monkeypatch.setenv("SMKIT_STREAM_MB", "0")
        monkeypatch.setenv("SMKIT_BLOCK_KB", "1")
        monkeypatch.setenv("SMKIT_MAX_CELL_CHARS", "500")

    return use


def _stream_cases(tmp_path: Path) -> list[tuple[Path, str, dict]]:
    from conftest import write_csv

    ragged = write_csv(
        tmp_path / "ragged.csv",
        ["作品名称,发布时间,体裁,播放量,点赞量"]
        + [f"作品{i},2026-11-{1 + i % 20:02d} 10:{i % 60:02d},视频,{i}万,{i}" for i in range(300)]
        + ["坏行,2026-11-02 10:00,视频", "另一个坏行,2026-11-02 10:00,视频,1,2,3"]
        + [f"作品{i},2026-11-{1 + i % 20:02d} 11:{i % 60:02d},视频,{i}%,-1" for i in range(300, 400)]
        + ["作品5,2026-11-06 10:05,视频,1.5万,8", "作品399,2026-11-20 11:39,视频,1.5万,8"]  # twins in another block and in this one
        + ['截断,"2026-11-02 10:00,视频,1'],
        "utf-8",
    )
    ragged.write_bytes(ragged.read_bytes().rstrip(b"\r\n"))  # cut off inside a quote: still downloading
    return [(ragged, "posts", {"account": "Lumina", "platform": "douyin"})] + _cases(tmp_path)


def test_a_file_read_in_blocks_stores_what_a_whole_read_stores(tmp_path, streamed, monkeypatch):
    monkeypatch.setenv("SMKIT_MAX_CELL_CHARS", "500")  # the same cell limit for both reads
    cases = _stream_cases(tmp_path)
    # A whole read types columns first, so its quarantine shows a time cell as 2026-11-01 11:00:00
    # where a block read keeps the cell's own text: rows and reasons are compared, not raw cells.
    whole = {str(p): _ingest(p, t, tmp_path / "whole" / f"{i}.duckdb", tmp_path / "wr", cells=False, **kw) for i, (p, t, kw) in enumerate(cases)}
    streamed()
    utf8 = 0
    for i, (path, table, kw) in enumerate(cases):
        got = _ingest(path, table, tmp_path / "blocks" / f"{i}.duckdb", tmp_path / "br", cells=False, **kw)
        assert json.dumps(got, default=str, sort_keys=True) == json.dumps(whole[str(path)], default=str, sort_keys=True), path.name
        if (tmp_path / "whole" / f"{i}.duckdb").exists():
            a, b = _tables(tmp_path / "blocks" / f"{i}.duckdb"), _tables(tmp_path / "whole" / f"{i}.duckdb")
            for name in b:
                pd.testing.assert_frame_equal(a[name], b[name], obj=f"{path.name}:{name}")
        utf8 += not path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert utf8 > 10


def test_a_failing_block_leaves_the_store_as_it_was(tmp_path, streamed, monkeypatch):
    from conftest import write_csv

    from smkit.data import ingest_stream

    store = tmp_path / "s.duckdb"
    first = write_csv(tmp_path / "a.csv", ["作品名称,发布时间,播放量"] + [f"旧{i},2026-11-01 10:00,{i}" for i in range(50)], "utf-8")
    ingest([first], "posts", store=store, now=NOW, platform="douyin", account="A")
    before = _tables(store)["posts"]
    big = write_csv(tmp_path / "b.csv", ["作品名称,发布时间,播放量"] + [f"新{i},2026-11-02 10:{i % 60:02d},{i}万" for i in range(2000)], "utf-8")
    streamed()
    calls = {"n": 0}
    real = ingest_stream.StreamedFile._next

    def failing(self):
        calls["n"] += 1
        if calls["n"] == 4:  # the fourth block: three are already written inside the transaction
            raise OSError("disk failed")
        return real(self)

    monkeypatch.setattr(ingest_stream.StreamedFile, "_next", failing)
    with pytest.raises(IngestError, match="disk failed; nothing was written"):
        ingest([big], "posts", store=store, now=NOW, platform="douyin", account="A", report_dir=tmp_path / "r")
    pd.testing.assert_frame_equal(_tables(store)["posts"], before)
    assert not list((tmp_path / "r").rglob("*.csv")) and not list((tmp_path / "r").rglob("*.json"))
    monkeypatch.setattr(ingest_stream.StreamedFile, "_next", real)
    report = ingest([big], "posts", store=store, now=NOW, platform="douyin", account="A")
    assert report.files[0].inserted == 2000 and len(_tables(store)["posts"]) == 2050


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_the_header_search_reads_the_same_lines_a_little_at_a_time(tmp_path, newline):
    """The head is read in growing pieces; its first lines are those of the whole text, a long
    cell or a CRLF cut between two pieces included."""
    from smkit.data import readers

    rng = np.random.default_rng(5)
    for trial in range(13):
        widths = rng.choice([3, 40, 70_000, 300_000], size=45, p=[0.4, 0.4, 0.15, 0.05])
        text = newline.join(f"{i},{'字' * int(w)}" for i, w in enumerate(widths)) + newline
        if trial == 12:  # the first piece (64 Ki characters) ends between a CR and its LF
            text = "x" * ((1 << 16) - 1) + newline + text
        path = tmp_path / f"{trial}.csv"
        path.write_bytes(text.encode("utf-8"))
        whole = text[: readers._HEAD_CHARS].splitlines(keepends=True)
        if len(text) > readers._HEAD_CHARS:
            whole = whole[:-1]
        assert readers._read_head(path, "utf-8") == "".join(whole[: readers.SNIFF_ROWS])


def test_lower_bound_names_list_every_metric_of_a_row_in_column_order():
    from smkit.data.ingest import _lower_bound_names

    index = pd.RangeIndex(5)
    flags = {"views": np.array([1, 0, 1, 0, 0], bool), "likes": np.array([1, 1, 0, 0, 0], bool), "saves": np.array([0, 0, 1, 0, 1], bool)}
    names = _lower_bound_names(flags, index)
    assert names.tolist()[:3] == ["views;likes", "likes", "views;saves"] and names.isna().tolist() == [False, False, False, True, False]
    assert names[4] == "saves"
    # Many flagged metrics (combinations past a million): the same names.
    many = {f"m{i}": np.zeros(5, bool) for i in range(21)} | flags
    assert _lower_bound_names(many, index).tolist()[:3] == ["views;likes", "likes", "views;saves"]


KINDS_AND_CELLS = {
    "count": CELLS,
    "rate": CELLS,
    "amount": CELLS + ["¥1,200", "3.5元", "RMB 20"],
    "integer": ["12", "-3", "1.2万", "-", None, "007", "3,456", "10万+"],  # open columns are integer only when every cell is whole
    "score": CELLS,
    "seconds": DURATIONS,
    "timestamp": DATES,
    "date": DATES,
    "bool": ["是", "否", "true", "0", "maybe", "-", None, "Y"],
}


@pytest.mark.parametrize("kind", sorted(KINDS_AND_CELLS))
def test_reading_each_distinct_cell_once_gives_what_reading_every_row_gives(kind):
    rng = np.random.default_rng(11)
    cells = KINDS_AND_CELLS[kind]
    series = pd.Series([cells[i] for i in rng.integers(0, len(cells), 40_000)], dtype="str", index=pd.RangeIndex(5, 40_005))
    distinct = column_reader.read_column(series, kind, "Asia/Shanghai")
    every = column_reader.read_every_cell(series, kind, "Asia/Shanghai")
    assert series.nunique() * 4 <= len(series)  # the distinct path was taken
    pd.testing.assert_series_equal(distinct.values, every.values)
    pd.testing.assert_series_equal(distinct.bad, every.bad)
    if every.lower_bound is None:
        assert distinct.lower_bound is None
    else:
        pd.testing.assert_series_equal(distinct.lower_bound, every.lower_bound)


def _old_infer_kind(series: pd.Series) -> str:
    """The open-column kind as earlier versions inferred it: every cell through the number and rate readers."""
    from smkit.data.schema import INTEGER, RATE, SCORE, TEXT

    parsed = parsing.parse_number(series)
    filled = ~parsing.missing_mask(series)
    if filled.any() and not parsed.bad[filled].any() and not parsed.lower_bound[filled].any():
        values = parsed.values[filled]
        return INTEGER if (values == values.round()).all() and (values.abs() <= parsing.MAX_COUNT).all() else SCORE
    if filled.any() and series.dtype.kind not in "biuf":
        rate = parsing.parse_rate(series)
        if not rate.bad[filled].any() and series[filled].astype("string").str.strip().str.endswith("%").any():
            return RATE
    return TEXT


@pytest.mark.parametrize(
    "cells",
    [["12", "-", "3"], ["1.5", None, "2"], ["12%", "3.5%", "-"], ["12%", "0.2"], ["female", "male"], ["１２", "３"], ["inf", "3"], ["nan", "-"],
     ["female 2", "3"], ["-", "—", None], ["10万+", "3"], ["1.2万", "3"], ["abc", "12"], ["12", "x"], ["٣", "%"], ["%", "5%"], ["2", "1e5"]],
)  # fmt: skip
def test_an_open_columns_kind_is_the_kind_every_cell_read_gave(cells):
    for dtype in ("str", object):
        series = pd.Series(cells, dtype=dtype)
        assert column_reader.infer_kind(series) == _old_infer_kind(series), (cells, dtype)


def test_row_reasons_join_each_rows_checks_in_the_order_they_ran():
    from smkit.data.ingest_stream import RowReasons

    reasons = RowReasons(6)
    reasons.add(pd.Series([True, False, True, False, False, pd.NA], dtype="boolean"), "likes is negative; ")
    reasons.add(np.array([False, False, True, True, False, False]), pd.Series(["views: cannot read 'x'; ", "views: cannot read 'y'; "], index=[2, 3]))
    reasons.add(np.zeros(6, bool), "never; ")  # a check that found nothing adds nothing
    reasons.add_last("the file looks truncated; ")
    refused = reasons.refused()
    assert refused.tolist() == [True, False, True, True, False, True]
    text = reasons.text(refused)
    assert text.dtype == "string[pyarrow]"
    assert text.tolist() == ["likes is negative", "likes is negative; views: cannot read 'x'", "views: cannot read 'y'", "the file looks truncated"]
    assert RowReasons(3).refused().tolist() == [False] * 3 and RowReasons(3).text(np.zeros(3, bool)).empty


def test_a_gbk_export_decoded_in_slices_stores_what_one_decode_stores(tmp_path, monkeypatch):
    from smkit.data import transcode

    # 丂 is 81 40 (a trailing byte that reads as "@"), 𠀀 four bytes; both on every line, so on both sides of every cut
    rows = ["作品名称,发布时间,播放量,点赞量"] + [f'"丂{i}\n第二行，含逗号 𠀀",2026-10-{1 + i % 28:02d} 12:{i % 60:02d},{i}万,{i}' for i in range(3000)]
    rows += ["坏行,2026-13-01 10:00,-5,1", "乒乓球拍,2026-10-02 08:00,12,1"]  # a refused row
    path = tmp_path / "gbk.csv"
    path.write_bytes(("\n".join(rows) + "\n").encode("gb18030"))
    monkeypatch.setattr(transcode, "MIN_BYTES", 0)
    monkeypatch.setattr(transcode, "HELPERS", 3)  # slices even on a machine of one core
    assert transcode.to_utf8(path, "gb18030", 1 << 30) == path.read_bytes().decode("gb18030").encode("utf-8")
    assert transcode.to_utf8(path, "gb18030", 10) is None  # over the limit: read as before
    sliced = _ingest(path, "posts", tmp_path / "sliced.duckdb", tmp_path / "r1", platform="douyin", account="A")
    monkeypatch.setattr(transcode, "MIN_BYTES", 1 << 40)
    whole = _ingest(path, "posts", tmp_path / "whole.duckdb", tmp_path / "r2", platform="douyin", account="A")
    assert sliced["files"][0]["accepted"] == 3001 and sliced["files"][0]["quarantined"] == 1
    assert json.dumps(sliced, default=str, sort_keys=True) == json.dumps(whole, default=str, sort_keys=True)
    a, b = _tables(tmp_path / "sliced.duckdb")["posts"], _tables(tmp_path / "whole.duckdb")["posts"]
    pd.testing.assert_frame_equal(a.sort_values("post_id", ignore_index=True), b.sort_values("post_id", ignore_index=True))
    assert {"乒乓球拍", "丂7\n第二行，含逗号 𠀀"} <= set(a["title"])
    broken = tmp_path / "broken.csv"
    broken.write_bytes(path.read_bytes() + b"\xff\xff,2026-10-01 08:00,1,1\n")  # no GB18030 character
    monkeypatch.setattr(transcode, "MIN_BYTES", 0)
    assert transcode.to_utf8(broken, "gb18030", 1 << 30) is None
    utf16 = tmp_path / "utf16.csv"
    utf16.write_bytes("\n".join(rows).encode("utf-16"))
    assert transcode.to_utf8(utf16, "utf-16", 1 << 30) is None  # a slice of UTF-16 would lose its byte-order mark


def test_a_decode_started_early_is_the_one_the_read_takes_and_only_for_the_same_file(tmp_path, monkeypatch):
    from smkit.data import transcode

    monkeypatch.setattr(transcode, "MIN_BYTES", 0)
    monkeypatch.setattr(transcode, "HELPERS", 3)
    monkeypatch.setattr(transcode, "_EARLY", {})
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes("".join(f"丂{i},点赞 𠀀,{i}\n" for i in range(2000)).encode("gb18030"))
    utf8 = tmp_path / "utf8.csv"
    utf8.write_text("标题,点赞\n秋季新品,3\n", encoding="utf-8")
    transcode.start_early(utf8)
    transcode.start_early(tmp_path / "missing.csv")
    assert transcode._EARLY == {}  # UTF-8 and unreadable files are the reader's to judge
    transcode.start_early(gbk)
    assert len(transcode._EARLY) == 1
    assert transcode.to_utf8(gbk, "gb18030", 1 << 30) == gbk.read_bytes().decode("gb18030").encode("utf-8")
    assert transcode._EARLY == {}  # taken by the read
    transcode.start_early(gbk)
    gbk.write_bytes("乙,2\n".encode("gb18030") * 5000)  # changed after the start: the read decodes the file it finds
    assert transcode.to_utf8(gbk, "gb18030", 1 << 30) == "乙,2\n".encode() * 5000
    assert len(transcode._EARLY) == 1
    procs = next(iter(transcode._EARLY.values())).procs
    transcode.discard_early()
    assert transcode._EARLY == {} and all(p.poll() is not None for p in procs)


def test_a_decode_helper_given_a_file_that_shrank_stops_and_fails(tmp_path):
    import subprocess
    import sys

    from smkit.data import transcode

    path = tmp_path / "short.csv"
    path.write_bytes("标题,1\n".encode("gb18030") * 10)
    # cut when the file was longer: the slice runs past its end now
    proc = subprocess.run([sys.executable, "-I", "-c", transcode._HELPER, str(path), "gb18030", "0", "1000"], capture_output=True, timeout=30)
    assert proc.returncode != 0


def test_the_command_line_starts_without_pandas_so_a_gbk_decode_runs_while_it_loads():
    import subprocess
    import sys

    code = (
        "import sys, smkit.run.cli as c, smkit.data.transcode; c.build_parser(); "
        "print(sorted(m for m in ('pandas', 'pyarrow', 'duckdb', 'numpy') if m in sys.modules))"
    )
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "[]"


def test_refused_rows_get_no_derived_key_and_the_others_the_keys_they_always_had():
    frame = pd.DataFrame(
        {
            "platform": ["douyin"] * 4,
            "account": ["A"] * 4,
            "published_at": pd.to_datetime(["2026-10-01 10:00"] * 4).tz_localize("Asia/Shanghai"),
            "title": ["a", "b", "c", "d"],
        }
    )
    every, some = frame.copy(), frame.copy()
    assert derived_keys.derive_keys(every, "posts")
    assert derived_keys.derive_keys(some, "posts", refused=lambda: np.array([False, True, False, True]))
    assert some["post_id"].isna().tolist() == [False, True, False, True]
    assert some["post_id"][[0, 2]].tolist() == every["post_id"][[0, 2]].tolist()
