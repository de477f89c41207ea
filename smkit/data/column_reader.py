"""A column of an export read by its kind: the reader of each kind, each distinct cell read once
for a long column, and the kind of a column no alias names."""

from __future__ import annotations

import pandas as pd
import pyarrow.compute as pc

from smkit.data import parsing
from smkit.data.arrow_columns import arrow_text, np_mask
from smkit.data.schema import AMOUNT, BOOL, COUNT, DATE, INTEGER, RATE, SCORE, SECONDS, TEXT, TIMESTAMP

# From this many rows a text column is read one distinct value at a time, when at most a quarter are distinct:
# exports repeat their dates, durations, rates and rounded counts (1.2万) over many rows.
DISTINCT_ROWS = 10_000


def read_column(series: pd.Series, kind: str, tz: str) -> parsing.Parsed:
    """``series`` read as ``kind``. Every reader reads each cell on its own, so reading the
    distinct cells and spreading the results over the rows gives what reading every row gives."""
    if kind == TEXT or len(series) < DISTINCT_ROWS or not isinstance(series.dtype, pd.StringDtype):
        return read_every_cell(series, kind, tz)
    codes, distinct = pd.factorize(series)
    if len(distinct) * 4 > len(series):
        return read_every_cell(series, kind, tz)
    cells = pd.Series(distinct).reindex(range(len(distinct) + 1))  # a missing cell last, for code -1
    parsed = read_every_cell(cells, kind, tz)

    def spread(values: pd.Series | None) -> pd.Series | None:
        return None if values is None else values.take(codes).set_axis(series.index)

    return parsing.Parsed(spread(parsed.values), spread(parsed.bad), spread(parsed.lower_bound))


def read_every_cell(series: pd.Series, kind: str, tz: str) -> parsing.Parsed:
    """The reader of ``kind`` over every cell."""
    if kind == COUNT:
        return parsing.parse_count(series)
    if kind == RATE:
        return parsing.parse_rate(series)
    if kind == AMOUNT:
        return parsing.parse_amount(series)
    if kind == SCORE:
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


def infer_kind(series: pd.Series) -> str:
    """Open columns (user attributes, experiment metrics) are numbers when every
    filled cell reads as one, else text."""
    filled = ~parsing.missing_mask(series)
    if series.dtype.kind not in "biufb" and (filled.to_numpy() & ~np_mask(pc.match_substring_regex(arrow_text(series), r"\p{Nd}"))).any():
        return TEXT  # a filled cell without a digit of any script never reads as a number or a rate
    parsed = parsing.parse_number(series)
    if filled.any() and not parsed.bad[filled].any() and not parsed.lower_bound[filled].any():
        values = parsed.values[filled]
        return INTEGER if (values == values.round()).all() and (values.abs() <= parsing.MAX_COUNT).all() else SCORE
    if filled.any() and series.dtype.kind not in "biuf":
        rate = parsing.parse_rate(series)
        if not rate.bad[filled].any() and series[filled].astype("string").str.strip().str.endswith("%").any():
            return RATE  # 12.5% in a column no alias knows yet
    return TEXT
