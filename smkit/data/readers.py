"""Reading export files as analysts download them.

CSV in UTF-8, UTF-8 with a byte-order mark or GBK/GB18030, XLSX and Parquet;
title and notice rows above the header (最多导出排序后前1000条笔记, 数据来源概况 ...)
are found and skipped. What comes out is a DataFrame with the file's own
headers; mapping them to canonical columns is :mod:`smkit.data.aliases`' job.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

CSV_SUFFIXES = {".csv", ".txt", ".tsv"}
EXCEL_SUFFIXES = {".xlsx", ".xlsm"}
PARQUET_SUFFIXES = {".parquet", ".pq"}
SNIFF_ROWS = 30
_SAMPLE_BYTES = 1 << 20


class IngestError(Exception):
    """A whole file that cannot be used. The message names the file and the problem."""


@dataclass(frozen=True)
class RawTable:
    frame: pd.DataFrame
    header_row: int  # 0-based line of the header in the file (rows above were skipped)
    encoding: str | None
    skipped_rows: tuple[str, ...]  # the title/notice rows that were skipped, as text


def read_export(path: Path, header_score: Callable[[list[str]], int], text_columns: Callable[[list[str]], list[str]]) -> RawTable:
    """Read ``path`` into a DataFrame with its header row found.

    ``header_score`` scores a candidate header row (how many cells are known
    column names); the best-scoring of the first rows is the header.
    ``text_columns`` names, for a header, the columns to read as text so that
    identifiers keep their leading zeros.
    """
    if not path.exists():
        raise IngestError(f"{path}: no such file")
    if path.is_dir():
        raise IngestError(f"{path}: is a folder, not a file")
    if path.stat().st_size == 0:
        raise IngestError(f"{path}: the file is empty")
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        return _read_csv(path, header_score, text_columns)
    if suffix in EXCEL_SUFFIXES:
        return _read_excel(path, header_score, text_columns)
    if suffix in PARQUET_SUFFIXES:
        try:
            frame = pd.read_parquet(path)
        except Exception as exc:  # pyarrow raises several types for a corrupt file
            raise IngestError(f"{path}: not a readable Parquet file ({exc})") from None
        return RawTable(frame, 0, None, ())
    if suffix == ".xls":
        raise IngestError(f"{path}: the old .xls format is not supported; save it as .xlsx or .csv")
    raise IngestError(f"{path}: unsupported file type {suffix or '(none)'}; use CSV, XLSX or Parquet")


def detect_encoding(path: Path) -> str:
    """``utf-8-sig`` for a BOM, ``utf-8`` when the first megabyte decodes as UTF-8, else ``gb18030``.

    GB18030 is a superset of GBK and GB2312, so it reads every Chinese export
    that is not UTF-8. A file that is neither is refused. A GBK file whose
    first megabyte happens to be plain ASCII is caught when the CSV reader
    meets invalid UTF-8, and read again as GB18030.
    """
    with path.open("rb") as fh:
        head = fh.read(4)
        if head.startswith(codecs.BOM_UTF8):
            return "utf-8-sig"
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"
        fh.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        try:
            decoder.decode(fh.read(_SAMPLE_BYTES))
            return "utf-8"
        except UnicodeDecodeError:
            pass
        fh.seek(0)
        try:
            fh.read(_SAMPLE_BYTES).decode("gb18030")
        except UnicodeDecodeError:
            raise IngestError(f"{path}: cannot decode the file as UTF-8 or GBK/GB18030") from None
        return "gb18030"


def _sniff_rows(lines: list[list[str]], header_score: Callable[[list[str]], int]) -> int:
    """Index of the header among the first rows: the best alias score, else the
    first row as wide as the widest row (title rows are usually one cell)."""
    scores = [header_score([c for c in row if c]) for row in lines]
    if scores and max(scores) > 0:
        return scores.index(max(scores))
    widths = [sum(1 for c in row if c.strip()) for row in lines]
    widest = max(widths, default=0)
    return widths.index(widest) if widest else 0


def _read_csv(path: Path, header_score, text_columns) -> RawTable:
    encoding = detect_encoding(path)
    try:
        return _read_csv_as(path, encoding, header_score, text_columns)
    except UnicodeDecodeError:
        if encoding != "utf-8":
            raise IngestError(f"{path}: cannot decode the file as {encoding}") from None
        return _read_csv_as(path, "gb18030", header_score, text_columns)


def _read_csv_as(path: Path, encoding: str, header_score, text_columns) -> RawTable:
    with path.open("r", encoding=encoding, newline="") as fh:
        head = "".join(line for _, line in zip(range(SNIFF_ROWS), fh))
    if not head.strip():
        raise IngestError(f"{path}: the file has no text")
    delimiter = _sniff_delimiter(head)
    lines = [[c.strip() for c in row] for row in csv.reader(io.StringIO(head), delimiter=delimiter)]
    header_row = _sniff_rows(lines, header_score)
    header = lines[header_row] if lines else []
    if sum(1 for c in header if c) < 2 and header_score(header) == 0:
        raise IngestError(f"{path}: not a table (no header row with column names was found in the first {SNIFF_ROWS} lines)")
    text_cols = text_columns(header)
    try:
        frame = pd.read_csv(
            path,
            sep=delimiter,
            skiprows=header_row,
            encoding=encoding,
            engine="pyarrow" if encoding in ("utf-8", "utf-8-sig") else "c",
            dtype={c: "string" for c in text_cols},
            keep_default_na=False,
            na_values=[""],
        )
    except (ValueError, pd.errors.ParserError) as exc:
        if "invalid UTF8" in str(exc):
            raise UnicodeDecodeError("utf-8", b"", 0, 1, str(exc)) from None
        # The fast reader refuses ragged rows; the C reader says which line.
        try:
            frame = pd.read_csv(
                path,
                sep=delimiter,
                skiprows=header_row,
                encoding=encoding,
                dtype={c: "string" for c in text_cols},
                keep_default_na=False,
                na_values=[""],
                engine="c",
            )
        except (ValueError, pd.errors.ParserError) as exc2:
            raise IngestError(f"{path}: not a well-formed table ({_first_line(exc2) or _first_line(exc)})") from None
    frame.columns = [str(c).strip() for c in frame.columns]
    skipped = tuple(",".join(c for c in row if c) for row in lines[:header_row])
    return RawTable(frame, header_row, encoding, skipped)


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def _sniff_delimiter(head: str) -> str:
    counts = {d: head.count(d) for d in (",", "\t", ";", "|")}
    return max(counts, key=counts.get) if max(counts.values()) else ","


def _read_excel(path: Path, header_score, text_columns) -> RawTable:
    try:
        preview = pd.read_excel(path, header=None, nrows=SNIFF_ROWS, dtype=object)
    except Exception as exc:  # openpyxl raises many types for a broken workbook
        raise IngestError(f"{path}: not a readable XLSX workbook ({_first_line(exc)})") from None
    lines = [["" if pd.isna(c) else str(c).strip() for c in row] for row in preview.itertuples(index=False)]
    if not lines:
        raise IngestError(f"{path}: the first sheet is empty")
    header_row = _sniff_rows(lines, header_score)
    header = lines[header_row]
    text_cols = text_columns(header)
    frame = pd.read_excel(path, header=header_row, dtype={c: "string" for c in text_cols})
    frame.columns = [str(c).strip() for c in frame.columns]
    frame = frame.loc[:, [not c.startswith("Unnamed:") or frame[c].notna().any() for c in frame.columns]]
    skipped = tuple(",".join(c for c in row if c) for row in lines[:header_row])
    return RawTable(frame, header_row, None, skipped)
