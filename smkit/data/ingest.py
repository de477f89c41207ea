"""Ingestion: exports -> canonical rows -> validation -> quarantine -> store.

One run reads every file first; a file that cannot be used at all stops the
run with one message naming it, before anything is written. Rows that fail
validation go to a quarantine CSV with their reason and row number. The rest
are upserted by natural key in a single transaction, so a failed run leaves
the store exactly as it was and a re-run never doubles a row.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from smkit.data import aliases, derived_keys, lake, parsing, schema
from smkit.data.column_reader import infer_kind, read_column
from smkit.data.derived_keys import DERIVED_KEYS
from smkit.data.ingest_commit import commit, ingest_lock
from smkit.data.ingest_report import FileReport, IngestReport
from smkit.data.ingest_stream import TRUNCATED, RowReasons, StreamedFile, clip_cells, ragged_rows, reason_counts
from smkit.data.memory_pages import small_pages
from smkit.data.readers import IngestError, RawTable, max_cell_chars, read_export, stream_csv
from smkit.data.schema import AMOUNT, BOOL, COUNT, DATE, INTEGER, LOWER_BOUND_COLUMN, RATE, SCORE, SECONDS, TEXT, TIMESTAMP
from smkit.data.store import DEFAULT_TZ, TIME_COLUMNS, StoreError, check_store_path, default_store_path

CHANNEL_ALIASES = {
    "owned": "owned",
    "自有": "owned",
    "官方": "owned",
    "organic": "owned",
    "paid": "paid",
    "付费": "paid",
    "投放": "paid",
    "广告": "paid",
    "ads": "paid",
    "kol": "kol",
    "达人": "kol",
    "博主": "kol",
    "influencer": "kol",
    "creator": "kol",
}
PLATFORM_NAME = r"[\w][\w .&+-]{0,39}"
# Dates before this are quarantined unless ``earliest`` (--earliest-date) allows them:
# ``-1``, ``0001-01-01`` and ``1900-01-01`` are placeholders, not publication dates.
EARLIEST_DATE = "2000-01-01"
# Threads that parse an export's columns side by side.
PARSE_THREADS = min(4, os.cpu_count() or 1)
# Leave a little room for clocks that differ between the export and this machine.
FUTURE_TOLERANCE = pd.Timedelta(hours=1)


@dataclass
class Prepared:
    frame: pd.DataFrame  # canonical, valid, de-duplicated rows
    extra_kinds: dict[str, str]  # open columns and their kinds
    quarantine: pd.DataFrame
    report: FileReport


def prepare(
    path: str | Path,
    table: str,
    *,
    platform: str | None = None,
    account: str | None = None,
    tz: str = DEFAULT_TZ,
    alias_file: Path | None = None,
    now: pd.Timestamp | None = None,
    earliest: str | pd.Timestamp = EARLIEST_DATE,
) -> Prepared:
    """Read, map, parse and validate one file without touching the store."""
    path = Path(path)
    raw = read_export(path, aliases.header_score(table, alias_file), aliases.text_columns(table, alias_file))
    return prepare_raw(raw, path, table, platform=platform, account=account, tz=tz, alias_file=alias_file, now=now, earliest=earliest)


def prepare_raw(
    raw: RawTable,
    path: Path,
    table: str,
    *,
    platform: str | None = None,
    account: str | None = None,
    tz: str = DEFAULT_TZ,
    alias_file: Path | None = None,
    now: pd.Timestamp | None = None,
    earliest: str | pd.Timestamp = EARLIEST_DATE,
    rows: np.ndarray | None = None,
) -> Prepared:
    """Map, parse and validate rows already read: a whole file, or one block of a
    streamed file (``rows``: the block's line numbers in the file)."""
    spec = schema.get_table(table)
    frame = raw.frame
    if raw.ragged and len(frame) == 0:
        widths = Counter(r.fields for r in raw.ragged)
        expected = raw.ragged[0].expected
        if len(widths) == 1:
            fields = next(iter(widths))
            raise IngestError(
                f"{path}: every row has {fields} fields but the header has {expected}: the header probably comes from another export version "
                "(a column added or removed); export the file again or fix the header row"
            )
        raise IngestError(f"{path}: no row has as many fields as the header ({expected}); is the delimiter or the header row right?")
    if len(frame.columns) == 0 or len(frame) == 0:
        raise IngestError(f"{path}: the file has a header but no data rows")
    nul = _remove_nul_bytes(frame)
    mapping = aliases.map_headers(table, list(frame.columns), alias_file)
    extra_headers, unmapped = _extra_headers(frame, mapping, spec)
    report = FileReport(
        file=str(path),
        table=table,
        encoding=raw.encoding,
        header_row=raw.header_row + 1,
        skipped_title_rows=list(raw.skipped_rows),
        rows_read=len(frame) + len(raw.ragged),
        columns={k: v for k, v in mapping.columns.items()},
        unmapped_columns=unmapped,
        duplicate_columns=list(mapping.duplicates),
        ragged_rows=len(raw.ragged),
        truncated=raw.truncated,
        nul_bytes_removed=nul,
        formula_cells=list(raw.formula_cells),
    )
    data = frame[list(mapping.columns)].rename(columns=mapping.columns)
    for column, value in (("platform", platform), ("account", account)):
        if value is not None and column in spec.columns:
            data[column] = data[column].where(data[column].notna(), value) if column in data else value
    missing = [c for c in spec.required if c not in data]
    if missing:
        found = ", ".join(parsing.describe(c) for c in frame.columns[:20]) + (f" ... ({len(frame.columns):,} in all)" if len(frame.columns) > 20 else "")
        hint = " (pass --platform / --account for exports that do not name them)" if set(missing) & {"platform", "account"} else ""
        raise IngestError(f"{path}: required column(s) {', '.join(missing)} missing for table {table}{hint}; headers found: {found}")

    # Row numbers as a spreadsheet shows them: the header is line header_row+1.
    first_line = raw.header_row + 2 if raw.encoding is not None or path.suffix.lower() in (".xlsx", ".xlsm") else 1
    if rows is None:
        bad_ordinals = {r.index for r in raw.ragged if r.index >= 0}
        ordinals = [i for i in range(len(frame) + len(bad_ordinals)) if i not in bad_ordinals][: len(frame)] if bad_ordinals else np.arange(len(frame))
        rows = np.asarray(ordinals, dtype="int64") + first_line
    rows = pd.Series(rows, index=frame.index)
    reasons = RowReasons(len(frame))
    out = pd.DataFrame(index=frame.index)
    lower: dict[str, np.ndarray] = {}  # where a metric is exported as "at least" (10万+)
    extra_kinds: dict[str, str] = {}

    for header, name in extra_headers.items():
        data[name] = frame[header]
    kinds = {c: spec.columns[c] for c in data.columns if c in spec.columns}
    for column in list(data.columns):
        if column not in kinds:
            if parsing.missing_mask(data[column]).all():
                data = data.drop(columns=column)  # nothing to keep; a stored value is never replaced by an empty column's guess
                continue
            kinds[column] = extra_kinds[column] = infer_kind(data[column])
    report.extra_columns = {h: _KIND_NAMES.get(extra_kinds[n], "text") if n in extra_kinds else "empty" for h, n in extra_headers.items()}
    now = now or pd.Timestamp.now(tz=tz)
    floor = pd.Timestamp(earliest)
    limit = max_cell_chars()
    sources: dict[str, pd.Series] = {}
    for column in kinds:
        source = data[column]
        long_cells = _too_long(source, limit)
        if long_cells.any():
            reasons.add(
                long_cells,
                f"{column}: a cell of "
                + source[long_cells].astype(str).str.len().map("{:,}".format)
                + f" characters (limit {limit:,}; raise it with SMKIT_MAX_CELL_CHARS); ",
            )
            source = source.where(~long_cells)
        sources[column] = source
    # Columns parse side by side (most of the work is in Arrow kernels, which leave the interpreter
    # lock free), the key's parts first; once every column is read and checked, the derived keys
    # of the rows not refused are joined and hashed while this thread builds the quarantine.
    key_column, key_parts = DERIVED_KEYS.get(table, (None, ()))
    keys_job = None
    refused_by_now: Future = Future()  # rows refused before their keys are hashed get none
    try:
        with ThreadPoolExecutor(max_workers=PARSE_THREADS) as pool:
            parsing_jobs = {c: pool.submit(read_column, sources[c], kinds[c], tz) for c in sorted(kinds, key=lambda c: c not in (key_column, *key_parts))}
            if key_column is not None:
                keys_pool = ThreadPoolExecutor(max_workers=1)
                keys_job = keys_pool.submit(_keys_from, parsing_jobs, table, frame.index, refused_by_now)
                keys_pool.shutdown(wait=False)  # the job runs on; its result is taken below
            # each column is checked as its parse ends, while the later ones are still parsing
            for column, kind in kinds.items():
                source = sources[column]
                parsed = parsing_jobs[column].result()
                values = parsed.values
                bad = parsed.bad
                if bad.any():
                    word = _KIND_WORDS[kind]
                    # the reason's text is built once per distinct cell, not joined row by row
                    reasons.add(bad, _map_unique(source[bad].astype(str), lambda cell: f"{column}: cannot read {parsing.describe(cell)} as {word}; "))
                problem = _validate(column, kind, values, table, now) if column not in extra_kinds else None
                if problem is not None:
                    mask, text = problem
                    reasons.add(mask, text + "; ")
                if kind in (TIMESTAMP, DATE):
                    if kind == TIMESTAMP:
                        bound = floor.tz_localize(tz) if floor.tzinfo is None else floor
                    else:
                        bound = floor.tz_localize(None) if floor.tzinfo is not None else floor
                    early = (values < bound).fillna(False).astype(bool)
                    if early.any():
                        reasons.add(early, f"{column} is before {floor:%Y-%m-%d} (pass --earliest-date to allow older dates); ")
                if parsed.lower_bound is not None and parsed.lower_bound.any():
                    lower[column] = parsed.lower_bound.to_numpy(dtype=bool)
                    report.lower_bounds[column] = int(lower[column].sum())
                out[column] = values
        for column in spec.required:
            empty = out[column].isna().to_numpy(copy=True)
            if column in data and empty.any():  # an unreadable cell is reported as such, not as missing
                empty[empty] = parsing.missing_mask(data[column][empty]).to_numpy()
            if empty.any():
                reasons.add(empty, f"{column} is missing; ")
        refused_by_now.set_result(reasons.refused())
    except BaseException as exc:  # always answered, or the keys' thread would wait for ever
        if not refused_by_now.done():
            refused_by_now.set_exception(exc)
        raise
    # What follows runs while the keys are hashed: the last checks, the quarantine and the kept rows.
    report.notes.extend(schema.content_type_notes(out.get("content_type", ())))  # unknown forms, before they become "other"
    _normalise_categories(out, table)
    _check_categories(out, reasons)
    _check_order(out, reasons, table)
    if LOWER_BOUND_COLUMN in spec.columns and lower:
        out[LOWER_BOUND_COLUMN] = _lower_bound_names(lower, frame.index)
    if raw.truncated and not (raw.ragged and raw.ragged[-1].index == len(frame) + len(raw.ragged) - 1):
        reasons.add_last(TRUNCATED + "; ")  # the last record kept its field count but ends inside a quote

    bad_rows = reasons.refused()
    quarantine = clip_cells(frame[bad_rows], limit)
    quarantine.insert(0, "reason", reasons.text(bad_rows).set_axis(quarantine.index))
    quarantine.insert(0, "row", rows[bad_rows])
    quarantine.insert(0, "source_file", str(path))
    if raw.ragged:
        quarantine = pd.concat([quarantine, ragged_rows(raw, path, first_line, list(frame.columns), limit)], ignore_index=True)
        quarantine = quarantine.sort_values("row", kind="stable").reset_index(drop=True)
    report.quarantined = len(quarantine)
    report.quarantine_reasons = reason_counts(quarantine["reason"])

    # take, not out[mask]: pandas 2 marks a masked frame as a copy and warns when the key is set on it
    good = out.take(np.flatnonzero(~bad_rows)) if bad_rows.any() else out  # no copy of a clean export's million rows
    keys, keys_distinct = keys_job.result() if keys_job is not None else (None, False)
    if keys is not None:
        good[key_column] = keys[~bad_rows] if bad_rows.any() else keys
    for column in spec.key:  # aggregated experiment rows have no unit_id
        if column not in good:
            good[column] = None
    deduped = good if keys_distinct else _drop_duplicate_keys(good, list(spec.key))
    report.duplicates = len(good) - len(deduped)
    report.accepted = len(deduped)
    return Prepared(deduped.reset_index(drop=True), extra_kinds, quarantine, report)


def _lower_bound_names(lower: dict[str, np.ndarray], index: pd.Index) -> pd.Series:
    """Per row, the metrics exported as "at least" (``views;likes``), missing where none was."""
    combination = np.zeros(len(index), dtype=np.int64)
    for bit, flagged in enumerate(lower.values()):
        combination |= flagged.astype(np.int64) << bit
    at, seen = pd.factorize(combination)  # hashed, not sorted: a million rows hold a handful of combinations
    names = [";".join(c for bit, c in enumerate(lower) if code >> bit & 1) or None for code in seen.tolist()]
    return pd.Series(pd.array(names, dtype="string[pyarrow]").take(at), index=index)


EXTRA_NAME_LIMIT = 64
_KIND_NAMES = {INTEGER: "number", SCORE: "number", RATE: "rate", TEXT: "text"}


def _extra_headers(frame: pd.DataFrame, mapping: aliases.HeaderMapping, spec: schema.Table) -> tuple[dict[str, str], list[str]]:
    """Headers the alias table does not know, kept under their own name (issue 17):
    header -> stored column name. Blank columns are left out silently; names that
    are blank, too long or clash with a canonical column (DuckDB compares names
    without case) are listed as not stored."""
    kept: dict[str, str] = {}
    unmapped: list[str] = []
    taken = {c.lower() for c in spec.columns} | {c.lower() for c in mapping.columns.values()} | {"source_file", "row", "reason"}
    for header in mapping.unmapped:
        if header.startswith("Unnamed: ") and frame[header].isna().all():
            continue
        name = re.sub(r"[\x00-\x1f\x7f]", "", str(header)).strip()
        if not name or name.startswith("Unnamed: ") or len(name) > EXTRA_NAME_LIMIT or name.lower() in taken:
            unmapped.append(header)
            continue
        taken.add(name.lower())
        kept[header] = name
    return kept, unmapped


def _remove_nul_bytes(frame: pd.DataFrame) -> int:
    """Remove NUL bytes from text cells (a database text column cannot hold them); their count."""
    removed = 0
    for column in frame.columns:
        series = frame[column]
        if series.dtype.kind in "biufcmM" or isinstance(series.dtype, pd.BooleanDtype):
            continue
        text = parsing.arrow_text(series)
        if not _may_hold_nul(text):
            continue
        has = pc.fill_null(pc.match_substring(text, "\x00"), False).to_numpy(zero_copy_only=False)
        if has.any():
            text = series.astype("string")
            removed += int(text[has].str.count("\x00").sum())
            cleaned = text[has].str.replace("\x00", "", regex=False)
            frame[column] = series.astype(object).where(~has, cleaned)
    return removed


def _may_hold_nul(text: pa.Array) -> bool:
    """Whether a string array's bytes hold a zero anywhere: one pass over its data buffer,
    many times faster than a substring search cell by cell (a false alarm from bytes outside
    a sliced array only costs that search)."""
    if not (pa.types.is_string(text.type) or pa.types.is_large_string(text.type)):
        return True  # another layout (string views keep short strings elsewhere): search
    data = text.buffers()[2]
    return data is not None and data.size > 0 and np.frombuffer(data, dtype=np.uint8).min() == 0


def _too_long(series: pd.Series, limit: int) -> pd.Series:
    if series.dtype.kind in "biufcmM" or isinstance(series.dtype, pd.BooleanDtype):
        return pd.Series(False, index=series.index)
    text = parsing.arrow_text(series)
    if (pc.max(pc.binary_length(text)).as_py() or 0) <= limit:  # no cell has more bytes than the limit has characters
        return pd.Series(False, index=series.index)
    return pd.Series(pc.fill_null(pc.greater(pc.utf8_length(text), limit), False).to_numpy(zero_copy_only=False), index=series.index)


def _drop_duplicate_keys(frame: pd.DataFrame, key: list[str]) -> pd.DataFrame:
    """Keep the last row of each natural key (the later row of an export is the newer).

    DuckDB counts distinct keys on all cores; pandas' slower de-duplication
    only runs when there is something to drop. A small file skips DuckDB, whose
    start costs more than pandas' whole check.
    """
    if len(frame) < 100_000:
        return frame.drop_duplicates(subset=key, keep="last") if frame.duplicated(subset=key).any() else frame
    import duckdb

    keys = pa.Table.from_pandas(frame[key], preserve_index=False)
    cols = ", ".join(f'"{k}"' for k in key)
    with duckdb.connect() as con:
        con.register("keys", keys)
        distinct = con.execute(f"SELECT count(*) FROM (SELECT DISTINCT {cols} FROM keys)").fetchone()[0]
    return frame if distinct == len(frame) else frame.drop_duplicates(subset=key, keep="last")


_KIND_WORDS = {
    COUNT: "a whole non-negative number",
    INTEGER: "a whole number",
    AMOUNT: "an amount",
    RATE: "a rate",
    SCORE: "a number",
    SECONDS: "a duration",
    TIMESTAMP: "a date and time",
    DATE: "a date",
    BOOL: "true or false",
    TEXT: "text",
}


def _validate(column: str, kind: str, values: pd.Series, table: str, now: pd.Timestamp) -> tuple[pd.Series, pd.Series | str] | None:
    if kind in (COUNT, AMOUNT, SECONDS):
        mask = (values < 0).fillna(False).astype(bool)
        return (mask, column + " is negative") if mask.any() else None
    if kind == RATE:
        mask = ((values < 0) | (values > 1)).fillna(False).astype(bool)
        return (mask, column + " is outside 0..1 (give rates as decimals or with %)") if mask.any() else None
    if column == "sentiment":
        mask = ((values < -1) | (values > 1)).fillna(False).astype(bool)
        return (mask, "sentiment is outside -1..1") if mask.any() else None
    if TIME_COLUMNS.get(table) == column and kind in (TIMESTAMP, DATE):
        if kind == TIMESTAMP:
            mask = values > now + FUTURE_TOLERANCE
        else:
            mask = values > now.tz_localize(None).normalize()
        mask = mask.fillna(False).astype(bool)
        return (mask, column + " is in the future") if mask.any() else None
    return None


def _map_unique(series: pd.Series, func) -> pd.Series:
    """Apply ``func`` once per distinct value: exports repeat a few category
    values over millions of rows."""
    codes, uniques = pd.factorize(series)
    mapped = pd.array([func(v) for v in uniques] + [None], dtype="string[pyarrow]")
    return pd.Series(mapped.take(codes), index=series.index)  # code -1 (missing) takes the None


# Times of one row that must not run backwards: (earlier, later) per table.
ORDERED_TIMES = {
    "events": (("start_at", "end_at"),),
    "feedback": (("received_at", "first_response_at"), ("received_at", "resolved_at")),
}


def _check_order(out: pd.DataFrame, reasons: RowReasons, table: str) -> None:
    """A feedback answered before it came, or an event that ends before it starts, is a broken row."""
    for first, then in ORDERED_TIMES.get(table, ()):
        if first in out and then in out:
            bad = (out[then] < out[first]).fillna(False).astype(bool)
            if bad.any():
                reasons.add(bad, f"{then} is before {first}; ")


def _normalise_categories(out: pd.DataFrame, table: str) -> None:
    """Categories that are mapped, never refused, in their canonical names."""
    if "content_type" in out:
        out["content_type"] = _map_unique(out["content_type"], schema.normalise_content_type)
    if "action" in out:
        out["action"] = _map_unique(out["action"], schema.normalise_action)
    if table == "events" and "type" in out:
        out["type"] = _map_unique(out["type"], schema.normalise_event_type)
    if table == "feedback" and "status" in out:
        out["status"] = _map_unique(out["status"], schema.normalise_feedback_status)


def _check_categories(out: pd.DataFrame, reasons: RowReasons) -> None:
    """Platforms and channels in their canonical names, a row refused where one is not such a name."""
    if "platform" in out:
        named, odd = _platform_names(out["platform"])
        if odd.any():  # a platform name is stored verbatim: it may hold words, never markup or control characters
            reasons.add(odd, "platform " + named[odd].map(parsing.describe) + " is not a platform name; ")
        out["platform"] = named.mask(odd)
    if "channel" in out:
        mapped = _map_unique(out["channel"], lambda v: CHANNEL_ALIASES.get(str(v).strip().lower()))
        bad = out["channel"].notna() & mapped.isna()
        if bad.any():
            reasons.add(bad, "channel " + out.loc[bad, "channel"].map(parsing.describe) + " is not one of owned, paid, kol; ")
        out["channel"] = mapped


def _platform_names(platform: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Platforms in their canonical names, and where a name is not a platform name (checked once per distinct name)."""
    codes, uniques = pd.factorize(platform)
    names = [schema.normalise_platform(v) for v in uniques]
    ok = np.array([re.fullmatch(PLATFORM_NAME, v) is not None for v in names] + [True])  # code -1: missing, not odd
    named = pd.Series(pd.array(names + [None], dtype="string[pyarrow]").take(codes), index=platform.index)
    return named, pd.Series(~ok[codes], index=platform.index)


def _keys_from(jobs: dict, table: str, index: pd.Index, refused: Future) -> tuple[pd.Series, bool]:
    """The key column :func:`derived_keys.derive_keys` fills, from the parsed key parts
    alone (an odd platform name counts as missing; the rows ``refused`` names once the
    main thread has read every column get none), and whether its keys are distinct."""
    column, parts = DERIVED_KEYS[table]
    frame = pd.DataFrame({c: jobs[c].result().values for c in (column, *parts) if c in jobs}, index=index)
    if "platform" in frame:
        named, odd = _platform_names(frame["platform"])  # as _check_categories finds them on the main thread
        frame["platform"] = named.mask(odd)
    distinct = derived_keys.derive_keys(frame, table, refused=refused.result)
    return frame[column], distinct


def ingest(
    files: Sequence[str | Path],
    table: str,
    *,
    store: str | Path | None = None,
    platform: str | None = None,
    account: str | None = None,
    tz: str = DEFAULT_TZ,
    alias_file: str | Path | None = None,
    report_dir: str | Path | None = None,
    now: pd.Timestamp | None = None,
    earliest: str | pd.Timestamp = EARLIEST_DATE,
) -> IngestReport:
    """Load export files into ``table`` of the store; see the module docstring.

    Raises :class:`IngestError` (nothing written) when a file cannot be used,
    the store cannot be written (busy past the lock timeout, read-only, disk
    full) or the quarantine and report cannot be written. Quarantined rows and
    a JSON ingest report are written to ``report_dir`` (default:
    ``quarantine/`` and ``ingest_reports/`` beside the store) *before* the
    commit, so a committed ingest always has its rejects on disk; when the
    commit fails they are removed again.
    """
    started = time.perf_counter()
    schema.get_table(table)
    if not files:
        raise IngestError("no files given")
    _check_tz(tz)
    try:
        floor = pd.Timestamp(earliest)
    except (ValueError, TypeError):
        raise IngestError(f"earliest date {earliest!r} is not a date (YYYY-MM-DD)") from None
    alias_path = Path(alias_file) if alias_file else None
    if alias_path is not None:
        if not alias_path.is_file():
            raise IngestError(f"alias file {alias_path}: no such file")
        try:
            aliases.aliases_for(table, alias_path)
        except (ValueError, OSError, pd.errors.ParserError) as exc:
            raise IngestError(f"alias file {alias_path}: {str(exc).splitlines()[0]}") from None
    store_path = Path(store) if store is not None else default_store_path()
    starting = lake.is_lake(store)
    new_lake = starting and not store_path.exists()  # "DIR/" names a lake to start
    try:
        if starting:
            lake.create(store_path)
        check_store_path(store_path)
        store_path.parent.mkdir(parents=True, exist_ok=True)
    except StoreError as exc:
        raise IngestError(str(exc)) from None
    except OSError as exc:
        raise IngestError(f"cannot create the store's folder {store_path.parent}: {exc.strerror or exc}") from None
    stamp = pd.Timestamp.now(tz=tz)
    try:
        with ingest_lock(store_path), small_pages():
            options = {"platform": platform, "account": account, "tz": tz, "alias_file": alias_path, "now": now, "earliest": floor}
            prepared = [_open(Path(f), table, options) for f in files]
            base = Path(report_dir) if report_dir else store_path.parent
            run_id = stamp.strftime("%Y%m%d-%H%M%S-%f")
            written: list[Path] = []
            try:
                report = commit(store_path, table, tz, prepared, base, run_id, stamp, started, written)
            except BaseException:
                for path in written:
                    path.unlink(missing_ok=True)
                raise
    except BaseException:
        if new_lake:  # a lake this ingest started holds nothing: leave no folder
            shutil.rmtree(store_path, ignore_errors=True)
        raise
    return report


def _open(path: Path, table: str, options: dict) -> Prepared | StreamedFile:
    """A file read and prepared whole, or, when larger than memory should hold, a stream of prepared blocks."""
    alias_file = options["alias_file"]
    stream = stream_csv(path, aliases.header_score(table, alias_file), aliases.text_columns(table, alias_file))
    if stream is None:
        return prepare(path, table, **options)
    return StreamedFile(stream, lambda raw, rows: prepare_raw(raw, path, table, rows=rows, **options))


def _check_tz(tz: str) -> None:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise IngestError(f"unknown time zone {tz!r}; give an IANA name such as Asia/Shanghai or Europe/London") from None
