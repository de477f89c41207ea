"""Ingestion: exports -> canonical rows -> validation -> quarantine -> store.

One run reads every file first; a file that cannot be used at all stops the
run with one message naming it, before anything is written. Rows that fail
validation go to a quarantine CSV with their reason and row number. The rest
are upserted by natural key in a single transaction, so a failed run leaves
the store exactly as it was and a re-run never doubles a row.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from smkit.data import aliases, parsing, schema
from smkit.data.readers import IngestError, read_export
from smkit.data.schema import AMOUNT, BOOL, COUNT, DATE, INTEGER, LOWER_BOUND_COLUMN, RATE, SCORE, SECONDS, TEXT, TIMESTAMP
from smkit.data.store import DEFAULT_TZ, TIME_COLUMNS, connect, default_store_path, ensure_table, upsert

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
# Columns whose value, when the export has none, is derived from other columns
# so re-ingesting the same row finds the same key.
DERIVED_KEYS = {
    "posts": ("post_id", ("platform", "account", "published_at", "title")),
    "mentions": ("mention_id", ("platform", "published_at", "author", "text")),
}
# Leave a little room for clocks that differ between the export and this machine.
FUTURE_TOLERANCE = pd.Timedelta(hours=1)


@dataclass
class FileReport:
    """What happened to one file. ``rows_read == accepted + quarantined + duplicates``."""

    file: str
    table: str
    encoding: str | None
    header_row: int
    skipped_title_rows: list[str]
    rows_read: int = 0
    accepted: int = 0
    quarantined: int = 0
    duplicates: int = 0
    inserted: int = 0
    updated: int = 0
    columns: dict[str, str] = field(default_factory=dict)
    unmapped_columns: list[str] = field(default_factory=list)
    duplicate_columns: list[str] = field(default_factory=list)
    lower_bounds: dict[str, int] = field(default_factory=dict)
    quarantine_reasons: dict[str, int] = field(default_factory=dict)
    quarantine_file: str | None = None

    def reconciles(self) -> bool:
        return self.rows_read == self.accepted + self.quarantined + self.duplicates


@dataclass
class IngestReport:
    store: str
    table: str
    started: str
    seconds: float
    files: list[FileReport]

    @property
    def rows_read(self) -> int:
        return sum(f.rows_read for f in self.files)

    @property
    def accepted(self) -> int:
        return sum(f.accepted for f in self.files)

    @property
    def quarantined(self) -> int:
        return sum(f.quarantined for f in self.files)

    @property
    def duplicates(self) -> int:
        return sum(f.duplicates for f in self.files)

    def to_dict(self) -> dict:
        return {**asdict(self), "totals": {k: getattr(self, k) for k in ("rows_read", "accepted", "quarantined", "duplicates")}}

    def summary(self) -> str:
        lines = [f"ingest into {self.table} ({self.store}) in {self.seconds:.1f} s"]
        for f in self.files:
            lines.append(
                f"  {f.file}: read {f.rows_read:,} = accepted {f.accepted:,} (new {f.inserted:,}, updated {f.updated:,})"
                f" + quarantined {f.quarantined:,} + duplicates {f.duplicates:,}"
            )
            if f.skipped_title_rows:
                lines.append(f"    skipped {len(f.skipped_title_rows)} title row(s) above the header: {f.skipped_title_rows[0][:60]!r}")
            if f.unmapped_columns:
                lines.append(f"    not stored (no canonical column; add an alias to keep them): {', '.join(f.unmapped_columns)}")
            if f.duplicate_columns:
                lines.append(f"    not stored (another header already maps to the same column): {', '.join(f.duplicate_columns)}")
            for metric, n in f.lower_bounds.items():
                lines.append(f"    {metric}: {n:,} value(s) exported as a lower bound such as 10万+ (flagged in {LOWER_BOUND_COLUMN})")
            for reason, n in sorted(f.quarantine_reasons.items(), key=lambda kv: -kv[1])[:5]:
                lines.append(f"    quarantined {n:,}: {reason}")
            if f.quarantine_file:
                lines.append(f"    quarantined rows with reasons: {f.quarantine_file}")
        return "\n".join(lines)


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
) -> Prepared:
    """Read, map, parse and validate one file without touching the store."""
    path = Path(path)
    spec = schema.get_table(table)
    raw = read_export(path, aliases.header_score(table, alias_file), aliases.text_columns(table, alias_file))
    frame = raw.frame
    if len(frame.columns) == 0 or len(frame) == 0:
        raise IngestError(f"{path}: the file has a header but no data rows")
    mapping = aliases.map_headers(table, list(frame.columns), alias_file)
    report = FileReport(
        file=str(path),
        table=table,
        encoding=raw.encoding,
        header_row=raw.header_row + 1,
        skipped_title_rows=list(raw.skipped_rows),
        rows_read=len(frame),
        columns={k: v for k, v in mapping.columns.items()},
        unmapped_columns=list(mapping.unmapped),
        duplicate_columns=list(mapping.duplicates),
    )
    data = frame[list(mapping.columns)].rename(columns=mapping.columns)
    for column, value in (("platform", platform), ("account", account)):
        if value is not None and column in spec.columns:
            data[column] = data[column].where(data[column].notna(), value) if column in data else value
    missing = [c for c in spec.required if c not in data]
    if missing:
        found = ", ".join(map(str, frame.columns[:20]))
        hint = " (pass --platform / --account for exports that do not name them)" if set(missing) & {"platform", "account"} else ""
        raise IngestError(f"{path}: required column(s) {', '.join(missing)} missing for table {table}{hint}; headers found: {found}")

    # Row numbers as a spreadsheet shows them: the header is line header_row+1.
    first_line = raw.header_row + 2 if raw.encoding is not None or path.suffix.lower() in (".xlsx", ".xlsm") else 1
    rows = pd.Series(np.arange(first_line, first_line + len(frame)), index=frame.index)
    reasons = pd.Series("", index=frame.index, dtype=object)
    out = pd.DataFrame(index=frame.index)
    lower: pd.Series | None = None  # metrics exported as "at least" (10万+), per row
    extra_kinds: dict[str, str] = {}

    kinds = {c: spec.columns[c] for c in data.columns if c in spec.columns}
    for column in data.columns:
        if column not in kinds:
            kinds[column] = extra_kinds[column] = _infer_kind(data[column])
    now = now or pd.Timestamp.now(tz=tz)
    for column, kind in kinds.items():
        source = data[column]
        parsed = _parse(source, kind, tz)
        values = parsed.values
        bad = parsed.bad
        if bad.any():
            reasons[bad] += column + ": cannot read " + source[bad].astype(str).map(parsing.describe) + f" as {_KIND_WORDS[kind]}; "
        problem = _validate(column, kind, values, table, now)
        if problem is not None:
            mask, text = problem
            reasons[mask] += text + "; "
        if parsed.lower_bound is not None and parsed.lower_bound.any():
            flagged = parsed.lower_bound
            lower = pd.Series(None, index=frame.index, dtype=object) if lower is None else lower
            lower[flagged] = lower[flagged].fillna("") + ";" + column
            report.lower_bounds[column] = int(flagged.sum())
        out[column] = values
    for column in spec.required:
        empty = out[column].isna() & parsing.missing_mask(data[column]) if column in data else out[column].isna()
        if empty.any():
            reasons[empty] += f"{column} is missing; "
    _normalise_categories(out, reasons)
    if LOWER_BOUND_COLUMN in spec.columns:
        out[LOWER_BOUND_COLUMN] = None if lower is None else lower.str.lstrip(";")
    _derive_keys(out, table)
    for column in spec.key:  # aggregated experiment rows have no unit_id
        if column not in out:
            out[column] = None

    bad_rows = reasons != ""
    quarantine = frame[bad_rows].astype(str).where(frame[bad_rows].notna(), "")
    quarantine.insert(0, "reason", reasons[bad_rows].str.rstrip("; "))
    quarantine.insert(0, "row", rows[bad_rows])
    quarantine.insert(0, "source_file", str(path))
    report.quarantined = int(bad_rows.sum())
    report.quarantine_reasons = dict(Counter(_reason_kind(r) for r in quarantine["reason"]))

    good = out[~bad_rows]
    deduped = _drop_duplicate_keys(good, list(spec.key))
    report.duplicates = len(good) - len(deduped)
    report.accepted = len(deduped)
    return Prepared(deduped.reset_index(drop=True), extra_kinds, quarantine, report)


def _drop_duplicate_keys(frame: pd.DataFrame, key: list[str]) -> pd.DataFrame:
    """Keep the last row of each natural key (the later row of an export is the newer).

    DuckDB counts distinct keys on all cores; pandas' slower de-duplication
    only runs when there is something to drop.
    """
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


def _parse(series: pd.Series, kind: str, tz: str) -> parsing.Parsed:
    if kind == COUNT:
        return parsing.parse_count(series)
    if kind == RATE:
        return parsing.parse_rate(series)
    if kind in (AMOUNT, SCORE):
        return parsing.parse_number(series)
    if kind == INTEGER:
        parsed = parsing.parse_number(series)
        return parsing.Parsed(parsed.values.round().astype("Int64"), parsed.bad, parsed.lower_bound)
    if kind == SECONDS:
        return parsing.parse_seconds(series)
    if kind == TIMESTAMP:
        return parsing.parse_timestamp(series, tz)
    if kind == DATE:
        return parsing.parse_date(series, tz)
    if kind == BOOL:
        return parsing.parse_bool(series)
    return parsing.parse_text(series)


def _infer_kind(series: pd.Series) -> str:
    """Open columns (user attributes, experiment metrics) are numbers when every
    filled cell reads as one, else text."""
    parsed = parsing.parse_number(series)
    filled = ~parsing.missing_mask(series)
    if filled.any() and not parsed.bad[filled].any() and not parsed.lower_bound[filled].any():
        values = parsed.values[filled]
        return INTEGER if (values == values.round()).all() else SCORE
    return TEXT


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


def _normalise_categories(out: pd.DataFrame, reasons: pd.Series) -> None:
    if "platform" in out:
        out["platform"] = _map_unique(out["platform"], schema.normalise_platform)
    if "content_type" in out:
        out["content_type"] = _map_unique(out["content_type"], schema.normalise_content_type)
    if "channel" in out:
        mapped = _map_unique(out["channel"], lambda v: CHANNEL_ALIASES.get(str(v).strip().lower()))
        bad = out["channel"].notna() & mapped.isna()
        if bad.any():
            reasons[bad] += "channel " + out.loc[bad, "channel"].map(parsing.describe) + " is not one of owned, paid, kol; "
        out["channel"] = mapped
    if "action" in out:
        out["action"] = _map_unique(out["action"], schema.normalise_action)


def _derive_keys(out: pd.DataFrame, table: str) -> None:
    """Fill a missing post/mention id with a stable hash of what identifies the row."""
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
    hashed = pd.Series([_stable_hash(s) for s in joined.to_numpy(dtype=object)], index=joined.index, dtype=object)
    out[column] = current.astype(object).where(~need, hashed)


def _stable_hash(text: str) -> str:
    return "h" + hashlib.blake2b(text.encode("utf-8"), digest_size=8).hexdigest()


def _reason_kind(reason: str) -> str:
    """Group quarantine reasons by what went wrong, without the offending value."""
    return "; ".join(sorted({re.sub(r"'[^']*'|\"[^\"]*\"", "…", part).strip() for part in reason.split("; ") if part}))


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
) -> IngestReport:
    """Load export files into ``table`` of the store; see the module docstring.

    Raises :class:`IngestError` (nothing written) when a file cannot be used.
    Quarantined rows and a JSON ingest report are written to ``report_dir``
    (default: ``quarantine/`` and ``ingest_reports/`` beside the store).
    """
    started = time.perf_counter()
    stamp = pd.Timestamp.now(tz=tz)
    schema.get_table(table)
    if not files:
        raise IngestError("no files given")
    store_path = Path(store) if store is not None else default_store_path()
    alias_path = Path(alias_file) if alias_file else None
    prepared = [prepare(f, table, platform=platform, account=account, tz=tz, alias_file=alias_path, now=now) for f in files]

    extra: dict[str, str] = {}
    for p in prepared:
        extra.update(p.extra_kinds)
    store_path.parent.mkdir(parents=True, exist_ok=True)
    with connect(store_path, tz=tz) as con:
        con.execute("BEGIN TRANSACTION")
        try:
            ensure_table(con, table, extra)
            for p in prepared:
                if len(p.frame):
                    p.report.inserted, p.report.updated = upsert(con, table, p.frame)
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise

    base = Path(report_dir) if report_dir else store_path.parent
    run_id = stamp.strftime("%Y%m%d-%H%M%S-%f")
    for p in prepared:
        if len(p.quarantine):
            qdir = base / "quarantine"
            qdir.mkdir(parents=True, exist_ok=True)
            qfile = qdir / f"{run_id}_{Path(p.report.file).stem}.csv"
            p.quarantine.to_csv(qfile, index=False, encoding="utf-8-sig")
            p.report.quarantine_file = str(qfile)
    report = IngestReport(str(store_path), table, stamp.isoformat(), round(time.perf_counter() - started, 3), [p.report for p in prepared])
    rdir = base / "ingest_reports"
    rdir.mkdir(parents=True, exist_ok=True)
    (rdir / f"{run_id}_{table}.json").write_text(json.dumps(report.to_dict(), ensure_ascii=False, indent=2), encoding="utf-8")
    return report
