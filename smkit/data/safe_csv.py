"""CSV files written for people, safe to open in a spreadsheet.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
is a formula to Excel, WPS and LibreOffice (``=HYPERLINK(...)``,
``=cmd|' /C calc'!A0``). Following OWASP's advice on CSV injection, such a
text cell is written with a leading apostrophe, which the spreadsheet shows
as text and never evaluates. Numbers stay numbers: a cell that is a number
(``-5``, ``+3.5``, ``-1.2e3``) is written as it is.

Every CSV smkit writes for a reader goes through :func:`write_csv`
(``calendar.csv``, ``assignments.csv``, ``forecast.csv``) or, for the
quarantine files, :func:`write_rows_csv`.
The file is written to a temporary name beside the target and moved into
place, so a reader never opens half a file and a full disk leaves the
previous file as it was.
"""

from __future__ import annotations

import codecs
import os
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from smkit.data.arrow_columns import arrow_text, first_bytes, np_mask

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$")
_FORMULA_START_BYTES = np.frombuffer("".join(FORMULA_START).encode(), dtype=np.uint8)
# _NUMBER for Arrow's RE2: Python's \d is any Unicode digit and its $ also matches before a last newline.
_NUMBER_RE2 = r"^[+-]?(?:\p{Nd}+(?:\.\p{Nd}*)?|\.\p{Nd}+)(?:[eE][+-]?\p{Nd}+)?\n?$"


def neutralise_cell(value: object) -> object:
    """The cell as a spreadsheet should show it: text that would start a
    formula gets a leading apostrophe; numbers and other cells are unchanged."""
    if not isinstance(value, str) or not value or not value.startswith(FORMULA_START):
        return value
    if _NUMBER.match(value):
        return value
    return "'" + value


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells and column labels cannot run as formulas."""
    out = frame.copy()
    for column in out.columns:
        series = out[column]
        if series.dtype.kind in "biufcmM" or isinstance(series.dtype, pd.BooleanDtype):
            continue
        if isinstance(series.dtype, pd.StringDtype):
            out[column] = _neutralise_text(series)
            continue
        out[column] = series.map(neutralise_cell, na_action="ignore")
    out.columns = [neutralise_cell(str(c)) for c in out.columns]
    return out


def _neutralise_text(series: pd.Series) -> pd.Series:
    """:func:`neutralise_cell` over a text column in Arrow kernels (a quarantine holds many rows):
    the first byte of every cell, then the number pattern on the few cells that start like a formula."""
    text = arrow_text(series)
    fix = np.isin(first_bytes(text), _FORMULA_START_BYTES)
    if not fix.any():
        return series
    fix[fix] = ~np_mask(pc.match_substring_regex(text.filter(fix), _NUMBER_RE2))
    fixed = pc.if_else(pa.array(fix), pc.binary_join_element_wise(pa.scalar("'", text.type), text, pa.scalar("", text.type)), text)
    return pd.Series(pd.array(fixed, dtype=series.dtype), index=series.index, name=series.name)


def write_csv(frame: pd.DataFrame, path: str | Path, **to_csv: object) -> Path:
    """Write ``frame`` as CSV with formula cells neutralised, atomically.

    Keyword arguments go to :meth:`pandas.DataFrame.to_csv` (``index`` defaults
    to False). Raises ``OSError`` (for example ENOSPC, disk full) with the
    target untouched.
    """
    to_csv.setdefault("index", False)
    return _atomic(Path(path), lambda tmp: neutralise(frame).to_csv(tmp, **to_csv))


def write_rows_csv(frame: pd.DataFrame, path: str | Path) -> Path:
    """:func:`write_csv` with a byte-order mark, for many rows of text and whole numbers (a quarantine):
    Arrow's writer takes a tenth of pandas' time and quotes every text cell. A frame with
    other cells (decimals, dates, a workbook's mixed cells) goes to :func:`write_csv`."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    safe = neutralise(frame)
    try:
        table = pa.Table.from_pandas(safe, preserve_index=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        table = None
    if table is None or not all(
        pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_integer(t) or pa.types.is_null(t) for t in table.schema.types
    ):
        return write_csv(frame, path, encoding="utf-8-sig")

    def write(tmp: Path) -> None:
        with tmp.open("wb") as fh:
            fh.write(codecs.BOM_UTF8)
            pacsv.write_csv(table, fh)

    return _atomic(Path(path), write)


def _atomic(path: Path, write) -> Path:
    """``write(tmp)`` to a temporary name beside ``path``, then moved into place."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path
