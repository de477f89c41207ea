"""What an ingest reports: per file, rows read = accepted + quarantined + duplicates."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from smkit.data import parsing
from smkit.data.schema import LOWER_BOUND_COLUMN


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
    extra_columns: dict[str, str] = field(default_factory=dict)  # header -> kind, kept under the header's own name
    ragged_rows: int = 0
    truncated: bool = False
    nul_bytes_removed: int = 0
    formula_cells: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what a reader should know: unknown category values ...

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
            if f.extra_columns:
                kept = ", ".join(f"{h} ({k})" for h, k in f.extra_columns.items())
                lines.append(f"    kept as extra (stored under their own names; add an alias to promote them to a canonical column): {kept}")
            if f.unmapped_columns:
                lines.append(f"    not stored (blank, too long or clashing names): {', '.join(parsing.describe(c) for c in f.unmapped_columns)}")
            if f.truncated:
                lines.append("    the file looks truncated (it ends mid-record): is it still downloading? The cut record is quarantined")
            if f.ragged_rows:
                lines.append(f"    {f.ragged_rows:,} row(s) with more or fewer fields than the header quarantined (never padded)")
            if f.nul_bytes_removed:
                lines.append(f"    removed {f.nul_bytes_removed:,} NUL byte(s) from text cells")
            if f.formula_cells:
                lines.append(
                    f"    {len(f.formula_cells):,} formula cell(s) have no saved value and are stored as missing ({', '.join(f.formula_cells[:10])});"
                    " open the workbook in Excel or WPS and save it to compute them"
                )
            if f.duplicate_columns:
                lines.append(f"    not stored (another header already maps to the same column): {', '.join(f.duplicate_columns)}")
            for metric, n in f.lower_bounds.items():
                lines.append(f"    {metric}: {n:,} value(s) exported as a lower bound such as 10万+ (flagged in {LOWER_BOUND_COLUMN})")
            for reason, n in sorted(f.quarantine_reasons.items(), key=lambda kv: -kv[1])[:5]:
                lines.append(f"    quarantined {n:,}: {reason}")
            if f.quarantine_file:
                lines.append(f"    quarantined rows with reasons: {f.quarantine_file}")
            lines.extend(f"    {note}" for note in f.notes)
        return "\n".join(lines)
