"""Reading export files as analysts download them.

CSV in UTF-8, UTF-8 with a byte-order mark or GBK/GB18030, XLSX and Parquet;
title and notice rows above the header (最多导出排序后前1000条笔记, 数据来源概况 ...)
are found and skipped. What comes out is a DataFrame with the file's own
headers; mapping them to canonical columns is :mod:`smkit.data.aliases`' job.
"""

from __future__ import annotations

import csv
import os
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from smkit.data.transcode import SNIFF_BYTES, sniff_encoding, stream_bytes, to_utf8

CSV_SUFFIXES = {".csv", ".txt", ".tsv"}
EXCEL_SUFFIXES = {".xlsx", ".xlsm"}
PARQUET_SUFFIXES = {".parquet", ".pq"}
SNIFF_ROWS = 30
_HEAD_CHARS = 1 << 23  # the header search reads at most this much text


class IngestError(Exception):
    """A whole file that cannot be used. The message names the file and the problem."""


@dataclass(frozen=True)
class Ragged:
    """A record whose number of fields is not the header's: never padded, never stored."""

    index: int  # 0-based position among the data records (-1 when unknown)
    fields: int
    expected: int
    text: str


@dataclass(frozen=True)
class RawTable:
    frame: pd.DataFrame
    header_row: int  # 0-based line of the header in the file (rows above were skipped)
    encoding: str | None
    skipped_rows: tuple[str, ...]  # the title/notice rows that were skipped, as text
    ragged: tuple[Ragged, ...] = ()  # records with more or fewer fields than the header
    truncated: bool = False  # the file stops inside its last record (an open quote, no line end)
    formula_cells: tuple[str, ...] = ()  # XLSX cells holding a formula with no saved value (A1 references)


def _env_int(name: str, default: int) -> int:
    try:
        return max(1, int(os.environ.get(name, default)))
    except ValueError:
        return default


def max_columns() -> int:
    """Columns a file may have: ``$SMKIT_MAX_COLUMNS``, default 1,000."""
    return _env_int("SMKIT_MAX_COLUMNS", 1000)


def max_cell_chars() -> int:
    """Characters a cell may hold (longer cells quarantine their row): ``$SMKIT_MAX_CELL_CHARS``, default 100,000."""
    return _env_int("SMKIT_MAX_CELL_CHARS", 100_000)


def max_expansion() -> int:
    """How many times its own size an XLSX may unpack to: ``$SMKIT_MAX_EXPANSION``, default 100."""
    return _env_int("SMKIT_MAX_EXPANSION", 100)


def max_xlsx_rows() -> int:
    """Rows an XLSX sheet may have (save bigger exports as CSV): ``$SMKIT_MAX_XLSX_ROWS``, default 200,000."""
    return _env_int("SMKIT_MAX_XLSX_ROWS", 200_000)


def _block_size() -> int:
    """Arrow's read block: large enough for a record of :func:`max_cell_chars` UTF-8 characters."""
    return max(1 << 22, 4 * max_cell_chars() + (1 << 20))


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
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            fh.read(1)
    except OSError as exc:
        raise IngestError(f"{path}: cannot read the file ({exc.strerror or exc})") from None
    if size == 0:
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
        encoding = sniff_encoding(fh.read(SNIFF_BYTES))
    if encoding in ("utf-8-sig", "utf-16", "utf-8"):
        return encoding
    line, mixed = _first_non_utf8_line(path)
    if mixed:
        raise IngestError(_mixed_message(path, line))
    if encoding is None:
        raise IngestError(f"{path}: cannot decode the file as UTF-8 or GBK/GB18030")
    return encoding


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
        line, mixed = _first_non_utf8_line(path)
        if mixed:
            raise IngestError(_mixed_message(path, line)) from None
        return _read_csv_as(path, "gb18030", header_score, text_columns)


def _mixed_message(path: Path, line: int) -> str:
    return (
        f"{path}: the file mixes encodings: it is UTF-8 up to line {line - 1:,} but line {line:,} is not "
        "(it looks like GBK); save the whole file in one encoding, preferably UTF-8, and ingest it again"
    )


def _first_non_utf8_line(path: Path) -> tuple[int, bool]:
    """The first line (1-based) that is not UTF-8, and whether an earlier line
    held non-ASCII UTF-8 text (so the file mixes two encodings)."""
    seen_multibyte, number = False, 0
    with path.open("rb") as fh:
        for chunk in fh:
            for raw in chunk.rstrip(b"\r\n").split(b"\r"):  # CR-only line ends too
                number += 1
                try:
                    raw.decode("utf-8")
                except UnicodeDecodeError:
                    return number, seen_multibyte
                seen_multibyte = seen_multibyte or not raw.isascii()
    return 0, False


def _read_head(path: Path, encoding: str) -> str:
    """The first :data:`SNIFF_ROWS` lines as text, reading at most :data:`_HEAD_CHARS` characters."""
    text, want = "", 1 << 16
    with path.open("r", encoding=encoding, newline="") as fh:
        while True:  # a little at a time: most heads are a few kilobytes, a few hold long cells
            more = fh.read(want - len(text))
            text += more
            complete = len(text) < want
            lines = text.splitlines(keepends=True)
            if complete or len(lines) > SNIFF_ROWS or want >= _HEAD_CHARS:
                break
            want = min(4 * want, _HEAD_CHARS)
    if not complete and len(lines) > 1:
        lines = lines[:-1]  # the last line is cut by the read limit
    return "".join(lines[:SNIFF_ROWS])


def unique_names(header: list[str]) -> list[str]:
    """Column names as pandas would give them: blanks named ``Unnamed: i``, repeats ``name.1``, ``name.2``."""
    seen: dict[str, int] = {}
    names = []
    for i, cell in enumerate(header):
        name = cell.strip() or f"Unnamed: {i}"
        if name in seen:
            seen[name] += 1
            name = f"{name}.{seen[name]}"
        else:
            seen[name] = 0
        names.append(name)
    return names


@dataclass(frozen=True)
class _Layout:
    delimiter: str
    lines: list[list[str]]  # the first rows, split
    header_row: int
    names: list[str]
    text_cols: set[str]


def _csv_layout(path: Path, encoding: str, header_score, text_columns) -> _Layout:
    """Delimiter, header row and column names of a CSV, from its first rows."""
    head = _read_head(path, encoding)
    if not head.strip():
        raise IngestError(f"{path}: the file has no text")
    delimiter = _sniff_delimiter(head)
    limit = csv.field_size_limit()
    try:
        csv.field_size_limit(max(limit, len(head) + 1))
        records = re.split(r"\r\n|\r|\n", head)  # CR-only line ends too
        lines = [[c.strip() for c in row] for row in csv.reader(records[:-1] if records and not records[-1] else records, delimiter=delimiter)]
    except csv.Error as exc:
        raise IngestError(f"{path}: not a well-formed table ({exc})") from None
    finally:
        csv.field_size_limit(limit)
    widest = max((len(row) for row in lines), default=0)
    if widest > max_columns():
        raise IngestError(f"{path}: a row among the first {SNIFF_ROWS} has {widest:,} columns (limit {max_columns():,}; raise it with SMKIT_MAX_COLUMNS)")
    header_row = _sniff_rows(lines, header_score)
    header = lines[header_row] if lines else []
    if sum(1 for c in header if c) < 2 and header_score(header) == 0:
        raise IngestError(f"{path}: not a table (no header row with column names was found in the first {SNIFF_ROWS} lines)")
    names = unique_names(header)
    return _Layout(delimiter, lines, header_row, names, set(text_columns(header)) & set(names))


def _read_csv_as(path: Path, encoding: str, header_score, text_columns) -> RawTable:
    import pyarrow as pa
    import pyarrow.csv as pacsv

    layout = _csv_layout(path, encoding, header_score, text_columns)
    delimiter, lines, header_row, names, text_cols = layout.delimiter, layout.lines, layout.header_row, layout.names, layout.text_cols
    invalid: list[tuple[int, int | None, str]] = []

    def on_invalid(row) -> str:
        invalid.append((row.actual_columns, row.number, row.text))
        return "skip"

    # Arrow parses UTF-8: a GBK export is decoded on every core first (see transcode), or else by
    # Python's codec block by block while Arrow parses the blocks before.
    utf8 = to_utf8(path, encoding, stream_bytes())  # None for UTF-8 itself, and for a small file
    transcode = "utf8" if utf8 is not None or encoding in ("utf-8", "utf-8-sig") else encoding
    skip = header_row + 1

    def read(threads: bool):
        invalid.clear()
        return pacsv.read_csv(
            path if utf8 is None else pa.BufferReader(utf8),
            read_options=pacsv.ReadOptions(column_names=names, skip_rows=skip, use_threads=threads, block_size=_block_size(), encoding=transcode),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=True, invalid_row_handler=on_invalid),
            convert_options=pacsv.ConvertOptions(
                column_types={c: pa.large_string() for c in text_cols}, null_values=[""], strings_can_be_null=True, quoted_strings_can_be_null=True
            ),
        )

    try:
        table = read(threads=True)
        if any(number is None for _, number, _ in invalid):  # row numbers are known only to the serial reader
            table = read(threads=False)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, UnicodeDecodeError) as exc:
        if "UTF8" in str(exc) or isinstance(exc, UnicodeDecodeError):
            raise UnicodeDecodeError("utf-8", b"", 0, 1, str(exc)) from None
        text = _first_line(exc)
        if "straddling" in text or "block" in text:
            text = f"a record is longer than {_block_size() >> 20} MB (a cell over the limit of {max_cell_chars():,} characters?)"
        raise IngestError(f"{path}: not a well-formed table ({text})") from None
    except OSError as exc:
        raise IngestError(f"{path}: cannot read the file ({exc.strerror or exc})") from None
    frame = _one_chunk_text(table).to_pandas(date_as_object=False)
    frame.columns = [str(c).strip() for c in frame.columns]
    ragged = [Ragged(number - skip - 1 if number is not None else -1, actual, len(names), text) for actual, number, text in invalid]
    no_line_end, open_quote = _ends_mid_record(path)
    last = len(frame) + len(ragged) - 1
    cut_short = bool(ragged) and ragged[-1].index == last and ragged[-1].fields < ragged[-1].expected
    truncated = no_line_end and (open_quote or cut_short)
    skipped = tuple(",".join(c for c in row if c) for row in lines[:header_row])
    return RawTable(frame, header_row, encoding, skipped, tuple(ragged), truncated)


def _one_chunk_text(table):
    """Text columns as one large_string array each. pandas keeps text as large_string, and
    a column in many chunks (one per read block) would be copied together again by every
    whole-column kernel that reads it."""
    import pyarrow as pa

    def one(column):
        if not (pa.types.is_string(column.type) or pa.types.is_large_string(column.type)):
            return column
        return column.cast(pa.large_string()).combine_chunks()

    return pa.table([one(c) for c in table.columns], names=table.column_names)


def _ends_mid_record(path: Path) -> tuple[bool, bool]:
    """Whether the file has no line end after its last record, and whether that
    record leaves a quote open: a file cut off, or still downloading."""
    size = path.stat().st_size
    with path.open("rb") as fh:
        fh.seek(max(0, size - (1 << 16)))
        tail = fh.read()
    if not tail or tail.endswith((b"\n", b"\r")):
        return False, False
    last = re.split(rb"[\r\n]", tail)[-1]
    return True, last.count(b'"') % 2 == 1


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def _sniff_delimiter(head: str) -> str:
    counts = {d: head.count(d) for d in (",", "\t", ";", "|")}
    return max(counts, key=counts.get) if max(counts.values()) else ","


_FORMULA_NO_VALUE = re.compile(rb'<c r="([A-Z]+\d+)"[^>]*?>\s*<f(?:\s[^>]*)?(?:/>|>[^<]*</f>)\s*(?:<v\s*/>|<v></v>)?\s*</c>')
_DIMENSION = re.compile(rb'<dimension ref="[A-Z]+\d+:?[A-Z]*(\d*)"')


def _check_xlsx(path: Path) -> tuple[str, ...]:
    """Refuse, in seconds, a workbook that would take minutes and gigabytes to
    read (a zip bomb, a huge cell, a sheet of hundreds of thousands of rows),
    and return the first sheet's formula cells that have no saved value."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            unpacked = sum(i.file_size for i in infos)
            ratio = unpacked / max(1, path.stat().st_size)
            if ratio > max_expansion():
                raise IngestError(
                    f"{path}: the workbook unpacks to {unpacked / 1e6:,.0f} MB, {ratio:,.0f} times its size "
                    f"(limit {max_expansion():,} times; raise it with SMKIT_MAX_EXPANSION, or save the sheet as CSV)"
                )
            sheets = sorted((i for i in infos if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", i.filename)), key=lambda i: int(re.sub(r"\D", "", i.filename)))
            if not sheets:
                return ()
            with zf.open(sheets[0]) as fh:
                start = fh.read(4096)
            m = _DIMENSION.search(start)
            rows = int(m[1]) if m and m[1] else 0
            if rows > max_xlsx_rows():
                raise IngestError(
                    f"{path}: the first sheet has {rows:,} rows (limit {max_xlsx_rows():,} for XLSX; save it as CSV, which reads much faster, "
                    "or raise the limit with SMKIT_MAX_XLSX_ROWS)"
                )
            if sheets[0].file_size > 64 << 20:
                return ()
            xml = zf.read(sheets[0])
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        return ()  # the reader says what is wrong with the workbook
    return tuple(m.decode() for m in _FORMULA_NO_VALUE.findall(xml)[:1000])


def _read_excel(path: Path, header_score, text_columns) -> RawTable:
    formulas = _check_xlsx(path)
    try:
        preview = pd.read_excel(path, header=None, nrows=SNIFF_ROWS, dtype=object)
    except Exception as exc:  # openpyxl raises many types for a broken workbook
        raise IngestError(f"{path}: not a readable XLSX workbook ({_first_line(exc)})") from None
    lines = [["" if pd.isna(c) else str(c).strip() for c in row] for row in preview.itertuples(index=False)]
    if not lines:
        raise IngestError(f"{path}: the first sheet is empty")
    if preview.shape[1] > max_columns():
        raise IngestError(f"{path}: the first sheet has {preview.shape[1]:,} columns (limit {max_columns():,}; raise it with SMKIT_MAX_COLUMNS)")
    header_row = _sniff_rows(lines, header_score)
    header = lines[header_row]
    text_cols = text_columns(header)
    frame = pd.read_excel(path, header=header_row, dtype={c: "string" for c in text_cols})
    frame.columns = [str(c).strip() for c in frame.columns]
    frame = frame.loc[:, [not c.startswith("Unnamed:") or frame[c].notna().any() for c in frame.columns]]
    skipped = tuple(",".join(c for c in row if c) for row in lines[:header_row])
    return RawTable(frame, header_row, None, skipped, formula_cells=formulas)


def block_bytes() -> int:
    """The size of one block of a streamed file (``$SMKIT_BLOCK_KB``, default 16 MB), at least room for a record of :func:`max_cell_chars`."""
    return max(_env_int("SMKIT_BLOCK_KB", 16 << 10) << 10, 4 * max_cell_chars() + 4096)


@dataclass
class CsvStream:
    """A large UTF-8 CSV read block by block with the header found as for a whole read.

    Every column is read as text (a block cannot know the types of the rest of
    the file); the parsers read text and typed cells alike. ``ragged`` grows as
    blocks are read; ``truncated`` is known once the last block is read.
    """

    path: Path
    encoding: str
    header_row: int
    skipped_rows: tuple[str, ...]
    names: list[str]
    delimiter: str
    ragged: list[Ragged]
    truncated: bool = False

    def frames(self):
        import pyarrow as pa
        import pyarrow.csv as pacsv

        skip = self.header_row + 1

        def on_invalid(row) -> str:
            self.ragged.append(Ragged(row.number - skip - 1, row.actual_columns, len(self.names), row.text))
            return "skip"

        try:
            reader = pacsv.open_csv(
                self.path,
                read_options=pacsv.ReadOptions(column_names=self.names, skip_rows=skip, use_threads=False, block_size=block_bytes()),
                parse_options=pacsv.ParseOptions(delimiter=self.delimiter, newlines_in_values=True, invalid_row_handler=on_invalid),
                convert_options=pacsv.ConvertOptions(
                    column_types={c: pa.string() for c in self.names}, null_values=[""], strings_can_be_null=True, quoted_strings_can_be_null=True
                ),
            )
            for batch in reader:
                frame = pa.Table.from_batches([batch]).to_pandas()
                frame.columns = [str(c).strip() for c in frame.columns]
                yield frame
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
            text = _first_line(exc)
            if "UTF8" in text:
                line, mixed = _first_non_utf8_line(self.path)
                raise IngestError(_mixed_message(self.path, line) if mixed else f"{self.path}: cannot decode the file as UTF-8") from None
            raise IngestError(f"{self.path}: not a well-formed table ({text})") from None
        except OSError as exc:
            raise IngestError(f"{self.path}: cannot read the file ({exc.strerror or exc})") from None

    def finish(self, good_rows: int) -> None:
        """Set ``truncated`` once every block is read (``good_rows``: records with the header's width)."""
        no_line_end, open_quote = _ends_mid_record(self.path)
        last = good_rows + len(self.ragged) - 1
        cut_short = bool(self.ragged) and self.ragged[-1].index == last and self.ragged[-1].fields < self.ragged[-1].expected
        self.truncated = no_line_end and (open_quote or cut_short)


def stream_csv(path: Path, header_score: Callable[[list[str]], int], text_columns: Callable[[list[str]], list[str]]) -> CsvStream | None:
    """A :class:`CsvStream` for a UTF-8 CSV larger than :func:`stream_bytes`; ``None`` for any other file (read it whole)."""
    try:
        if path.suffix.lower() not in CSV_SUFFIXES or not path.is_file() or path.stat().st_size <= stream_bytes():
            return None
    except OSError:
        return None
    encoding = detect_encoding(path)
    if encoding not in ("utf-8", "utf-8-sig"):
        return None  # other encodings are transcoded in memory by the whole read
    layout = _csv_layout(path, encoding, header_score, text_columns)
    skipped = tuple(",".join(c for c in row if c) for row in layout.lines[: layout.header_row])
    return CsvStream(path, encoding, layout.header_row, skipped, layout.names, layout.delimiter, [])
