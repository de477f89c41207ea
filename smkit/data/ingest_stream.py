"""Exports larger than memory: read block by block, each block prepared on its
own; the writing side stages the blocks and moves the whole file into the
store in the ingest's one transaction, so a failure in any block leaves the
store exactly as it was (all-or-nothing, as for a file read whole), and a key
repeated across blocks keeps its last row, as a whole read does.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from smkit.data.arrow_columns import arrow_text
from smkit.data.readers import CsvStream, IngestError, RawTable, max_cell_chars

TRUNCATED = "the file looks truncated: it ends mid-record (still downloading, or cut off?)"


def clip_cells(frame: pd.DataFrame, limit: int) -> pd.DataFrame:
    """Raw cells for the quarantine file as text, a cell over the limit cut to it."""
    text = frame.astype(str).where(frame.notna(), "")
    for column in text.columns:
        too_long = text[column].str.len() > limit
        if too_long.any():
            text.loc[too_long, column] = text.loc[too_long, column].str.slice(0, limit) + "…"
    return text


def ragged_rows(raw, path: Path, first_line: int, columns: list[str], limit: int) -> pd.DataFrame:
    """Quarantine rows for records whose field count is not the header's; the raw record is kept whole in ``raw_record``."""
    rows = []
    last = len(raw.frame) + len(raw.ragged) - 1
    for r in raw.ragged:
        reason = f"row has {r.fields} fields, header has {r.expected}"
        if raw.truncated and r.index == last:
            reason += "; " + TRUNCATED
        rows.append({"source_file": str(path), "row": first_line + r.index if r.index >= 0 else -1, "reason": reason, "raw_record": r.text[:limit]})
    out = pd.DataFrame(rows)
    for column in columns:
        out[column] = ""
    return out


class RowReasons:
    """Why each row of a block is refused, in the order the checks found it.

    Each check adds its rows and its text (one text, or one per row as a Series
    over those rows); the text of the refused rows is joined once at the end.
    Appending to a million-row text Series once per check took a second in a
    quarantine-heavy export."""

    def __init__(self, rows: int):
        self.rows = rows
        self._pieces: list[tuple[np.ndarray, str | pd.Series]] = []

    def add(self, mask: pd.Series | np.ndarray, text: str | pd.Series) -> None:
        mask = mask.to_numpy(dtype=bool, na_value=False) if isinstance(mask, pd.Series) else np.asarray(mask, dtype=bool)
        if mask.any():
            self._pieces.append((mask, text))

    def add_last(self, text: str) -> None:
        mask = np.zeros(self.rows, dtype=bool)
        mask[-1] = True
        self.add(mask, text)

    def refused(self) -> np.ndarray:
        """Where a row has a reason."""
        out = np.zeros(self.rows, dtype=bool)
        for mask, _ in self._pieces:
            out |= mask
        return out

    def text(self, refused: np.ndarray) -> pd.Series:
        """The reasons of the ``refused`` rows, joined, without the last separator."""
        parts = []
        for mask, text in self._pieces:
            here = mask[refused]
            if isinstance(text, str):
                parts.append(pc.if_else(pa.array(here), pa.scalar(text, pa.large_string()), pa.scalar(None, pa.large_string())))
                continue
            at = np.where(here, np.cumsum(here) - 1, -1)  # the row's cell in ``text``, -1 where this check said nothing
            parts.append(arrow_text(text).cast(pa.large_string()).take(pa.array(at, mask=at < 0)))
        if not parts:
            return pd.Series([], dtype="string[pyarrow]")
        joined = pc.binary_join_element_wise(*parts, pa.scalar("", pa.large_string()), null_handling="replace", null_replacement="")
        return pd.Series(pd.arrays.ArrowStringArray(pc.utf8_rtrim(joined, characters="; ")))


def reason_counts(reasons: pd.Series) -> dict[str, int]:
    """How many rows each :func:`reason_kind` has, in the order the kinds first appear (each distinct reason read once)."""
    codes, distinct = pd.factorize(reasons)
    counts: Counter[str] = Counter()
    for reason, n in zip(distinct, np.bincount(codes, minlength=len(distinct)).tolist()):
        counts[reason_kind(reason)] += n
    return dict(counts)


def reason_kind(reason: str) -> str:
    """Group quarantine reasons by what went wrong, without the offending value."""
    return "; ".join(sorted({re.sub(r"'[^']*'|\"[^\"]*\"", "…", part).strip() for part in reason.split("; ") if part}))


class StreamedFile:
    """One large CSV as prepared blocks. The first block is prepared when the
    file is opened, so a file that cannot be used at all (headers, required
    columns) stops the run before anything is written; :meth:`chunks` yields
    every block for the caller to write, then completes :attr:`report` and
    :attr:`quarantine` for the whole file."""

    def __init__(self, stream: CsvStream, prepare: Callable[[RawTable, np.ndarray], Any]):
        self.stream = stream
        self._prepare = prepare
        self._frames = stream.frames()
        self._ahead = next(self._frames, None)
        self._good = 0  # records read with the header's width
        self._columns: list[str] = []
        self._parts: list[pd.DataFrame] = []
        self._totals: Counter[str] = Counter()
        self._lower: Counter[str] = Counter()
        self.first = self._next()
        if self.first is None:
            raise IngestError(f"{stream.path}: no row has as many fields as the header ({len(stream.names)}); is the delimiter or the header row right?")
        self.report = self.first.report
        self.extra_kinds = dict(self.first.extra_kinds)
        self.frame = self.first.frame
        self.quarantine = pd.DataFrame()

    def _rows(self, n: int) -> np.ndarray:
        """Line numbers of the next ``n`` records with the header's width, past the ragged ones seen so far."""
        ragged = np.sort(np.asarray([r.index for r in self.stream.ragged if r.index >= 0], dtype="int64"))
        before = ragged - np.arange(len(ragged))  # records with the header's width before each ragged one
        k = np.arange(self._good, self._good + n, dtype="int64")
        return k + np.searchsorted(before, k, side="right") + self.stream.header_row + 2

    def _next(self):
        while self._ahead is not None:
            frame, self._ahead = self._ahead, next(self._frames, None)
            last = self._ahead is None
            if last:
                self.stream.finish(self._good + len(frame))
            if not len(frame):
                continue
            rows = self._rows(len(frame))
            self._good += len(frame)
            self._columns = self._columns or list(frame.columns)
            ragged = self.stream.ragged
            ends_ragged = bool(ragged) and ragged[-1].index == self._good + len(ragged) - 1
            cut = last and self.stream.truncated and not ends_ragged
            return self._prepare(RawTable(frame, self.stream.header_row, self.stream.encoding, self.stream.skipped_rows, (), cut), rows)
        return None

    def chunks(self) -> Iterator[Any]:
        block = self.first
        self.first, self.frame = None, self.frame.iloc[:0]  # the first block's rows are not kept past its write
        while block is not None:
            yield block
            self._absorb(block.report, block.quarantine)
            block = self._next()
        self._finish()

    def _absorb(self, part, quarantine: pd.DataFrame) -> None:
        for name in ("accepted", "duplicates", "inserted", "updated", "nul_bytes_removed"):
            self._totals[name] += getattr(part, name)
        self._lower.update(part.lower_bounds)
        if part is not self.report:
            self.report.notes.extend(n for n in part.notes if n not in self.report.notes)
            self.report.extra_columns.update({h: k for h, k in part.extra_columns.items() if k != "empty" or h not in self.report.extra_columns})
        if len(quarantine):
            self._parts.append(quarantine)

    def _finish(self) -> None:
        r, stream = self.report, self.stream
        for name, value in self._totals.items():
            setattr(r, name, value)
        r.lower_bounds = dict(self._lower)
        r.ragged_rows, r.truncated = len(stream.ragged), stream.truncated
        r.rows_read = self._good + len(stream.ragged)
        parts = self._parts
        if stream.ragged:
            whole = SimpleNamespace(frame=range(self._good), ragged=stream.ragged, truncated=stream.truncated)
            parts = [*parts, ragged_rows(whole, stream.path, stream.header_row + 2, self._columns, max_cell_chars())]
        quarantine = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["source_file", "row", "reason"])
        if stream.ragged:
            quarantine = quarantine.sort_values("row", kind="stable").reset_index(drop=True)
        self.quarantine = quarantine
        r.quarantined = len(quarantine)
        r.quarantine_reasons = reason_counts(quarantine["reason"])
