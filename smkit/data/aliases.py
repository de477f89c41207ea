"""The header alias table: platform export headers to canonical columns.

The table lives in ``smkit/aliases.csv`` (alias, column, tables, source), one
row per header spelling, so adding a platform's new export is a one-line
change. Users extend it without touching the package with a CSV of the same
shape passed as ``extra`` (``smkit ingest --aliases FILE``).

Headers are compared after normalisation: case, surrounding blanks, inner
spaces, full-width brackets and a trailing unit in brackets (``播放量(次)``,
``Spend (CNY)``) are ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from smkit.data.schema import TABLES, get_table

ALIAS_FILE = Path(__file__).with_name("aliases.csv")
_UNIT = re.compile(r"\s*[(（\[【][^)）\]】]*[)）\]】]\s*$")


def normalise_header(header: str) -> str:
    text = str(header).replace("\ufeff", "").strip()
    text = _UNIT.sub("", text)
    return re.sub(r"[\s_]+", " ", text).strip().lower()


@dataclass(frozen=True)
class HeaderMapping:
    columns: dict[str, str]  # raw header -> canonical column
    unmapped: tuple[str, ...]  # raw headers with no canonical column (not stored)
    duplicates: tuple[str, ...]  # raw headers whose column another header already took
    extra: dict[str, str]  # raw header -> stored name, for tables with open columns


def read_alias_table(path: Path | None = None) -> pd.DataFrame:
    frame = pd.read_csv(path or ALIAS_FILE, dtype=str, keep_default_na=False)
    missing = {"alias", "column", "tables"} - set(frame.columns)
    if missing:
        raise ValueError(f"{path}: alias table lacks columns {sorted(missing)}")
    return frame


@lru_cache(maxsize=8)
def _lookup(extra: Path | None) -> dict[str, dict[str, str]]:
    """table -> normalised alias -> column, canonical names included."""
    lookup: dict[str, dict[str, str]] = {t: {normalise_header(c): c for c in spec.columns} for t, spec in TABLES.items()}
    frames = [read_alias_table()] + ([read_alias_table(extra)] if extra else [])
    for frame in frames:
        for alias, column, tables in frame[["alias", "column", "tables"]].itertuples(index=False):
            names = [t for t in TABLES if column in TABLES[t].columns] if tables.strip() == "*" else [t.strip() for t in tables.split(";")]
            for table in names:
                spec = get_table(table)
                if column not in spec.columns and not spec.accepts_extra(column):
                    raise ValueError(f"alias {alias!r} names column {column!r}, which table {table} does not have")
                lookup[table][normalise_header(alias)] = column
    return lookup


def aliases_for(table: str, extra: Path | None = None) -> dict[str, str]:
    """Normalised alias -> canonical column for ``table``."""
    get_table(table)
    return _lookup(extra)[table]


def header_score(table: str, extra: Path | None = None):
    """A scorer for header detection: how many cells of a row are known headers of ``table``."""
    known = aliases_for(table, extra)
    return lambda row: sum(1 for cell in row if normalise_header(cell) in known)


def map_headers(table: str, headers: list[str], extra: Path | None = None) -> HeaderMapping:
    """Map a file's headers to canonical columns of ``table``.

    The first header that maps to a column wins; a later one that maps to the
    same column is reported as a duplicate. Headers that map to nothing are
    reported as unmapped, except in tables with open columns (audience,
    experiments, campaign targets), where they are stored under a
    normalised name.
    """
    spec = get_table(table)
    known = aliases_for(table, extra)
    columns: dict[str, str] = {}
    extra_cols: dict[str, str] = {}
    unmapped, duplicates = [], []
    taken: set[str] = set()
    for header in headers:
        target = known.get(normalise_header(header))
        if target is None and spec.open_columns:
            candidate = stored_name(header)
            if spec.accepts_extra(candidate) and candidate not in spec.columns:
                target = candidate
                extra_cols[header] = candidate
        if target is None:
            unmapped.append(header)
        elif target in taken:
            duplicates.append(header)
            extra_cols.pop(header, None)
        else:
            columns[header] = target
            taken.add(target)
    return HeaderMapping(columns, tuple(unmapped), tuple(duplicates), extra_cols)


def stored_name(header: str) -> str:
    """The column name an open attribute is stored under: lower-case, words joined by ``_``."""
    name = re.sub(r"[^\w]+", "_", normalise_header(header)).strip("_")
    return name or "column"


def text_columns(table: str, extra: Path | None = None):
    """For a header row, the raw headers whose canonical column is text (read as text)."""
    spec = get_table(table)
    known = aliases_for(table, extra)

    def pick(header: list[str]) -> list[str]:
        # Durations too: a fast CSV reader takes Bilibili's 12:35 (minutes:seconds) for a time of day.
        return [h for h in header if h and spec.columns.get(known.get(normalise_header(h), "")) in ("text", "seconds")]

    return pick
