"""Parsers for values as platforms export them.

Each parser takes a pandas Series and returns a :class:`Parsed`: the values,
a mask of cells that could not be read (the caller quarantines those rows)
and, for numbers, a mask of lower bounds (``10万+``). Parsers are vectorised:
clean columns take a fast path and only the messy cells reach the regexes,
which keeps a million-row export within a few seconds.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from smkit.data.arrow_columns import arrow_text, drop_last, last_bytes, np_mask, only, padded_dates

# The largest whole number stored exactly (2**53): above it a count is not a measurement.
MAX_COUNT = 2**53
# Cells that mean "not reported". A dash is missing, never zero.
MISSING_TOKENS = frozenset({"", "-", "--", "—", "——", "/", "n/a", "na", "nan", "null", "none", "暂无", "无数据", "未知"})

_SCALES = {"万": 1e4, "w": 1e4, "亿": 1e8, "k": 1e3, "m": 1e6, "千": 1e3, "百万": 1e6}
_NUMBER = re.compile(r"^(?P<num>[+-]?(?:\d[\d,，]*)?(?:\.\d+)?)\s*(?P<scale>百万|万|亿|千|[wWkKmM])?\s*(?P<plus>\+)?\s*(?P<pct>%)?$")
_DURATION = re.compile(
    r"^(?:(?P<h>\d+(?:\.\d+)?)\s*(?:小时|时|h))?\s*(?:(?P<m>\d+(?:\.\d+)?)\s*(?:分钟|分|min|m))?\s*"
    r"(?:(?P<s>\d+(?:\.\d+)?)\s*(?:秒|s|sec))?$",
    re.IGNORECASE,
)
_CLOCK = re.compile(r"^(?:(?P<h>\d+):)?(?P<m>\d+):(?P<s>\d+(?:\.\d+)?)$")
_OFFSET = re.compile(r"(?:Z|[+-]\d{2}:?\d{2})$")
_TIMESTAMP_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H",
    "%Y-%m-%d",
    "%Y%m%d",
    "%Y%m%d %H:%M:%S",
    "%Y%m%d%H%M%S",
    # Year-last dates are month-first, as LinkedIn and Meta export them.
    "%m/%d/%Y",
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y %H:%M:%S",
)
# Excel stores dates as days since 1899-12-30; anything in this range is a
# plausible serial (1954 to 2173) rather than a yyyymmdd number.
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")
# Date cells skip the passes that cannot match them (tests turn this off to compare with trying every pass).
FAST_DATES = True
_EXCEL_SERIAL_RANGE = (20000, 100000)


@dataclass(frozen=True)
class Parsed:
    values: pd.Series
    bad: pd.Series  # True where a non-missing cell could not be read
    lower_bound: pd.Series | None = None  # True where the value is "at least"


def missing_mask(series: pd.Series) -> pd.Series:
    """True where a cell is empty or a missing-value token such as ``-``."""
    na = series.isna()
    if series.dtype.kind in "biufcmM":
        return na
    return na | pd.Series(_is_token(pc.utf8_trim_whitespace(arrow_text(series))), index=series.index)


_LONGEST_TOKEN = max(len(t) for t in MISSING_TOKENS)


def _is_token(stripped: pa.Array) -> np.ndarray:
    """True where a stripped cell is a missing-value token; only short cells are lowered and looked up."""
    short = np_mask(pc.less_equal(pc.utf8_length(stripped), _LONGEST_TOKEN))
    found = np.zeros(len(stripped), dtype=bool)
    if short.any():
        lowered = pc.utf8_lower(pc.filter(stripped, pa.array(short)))
        found[short] = np_mask(pc.is_in(lowered, value_set=pa.array(sorted(MISSING_TOKENS))))
    return found


def _as_text(series: pd.Series) -> pd.Series:
    return series.astype("string").str.strip()


def parse_number(series: pd.Series, *, percent: bool = False) -> Parsed:
    """Read numbers such as ``1.2万``, ``3亿``, ``1.5w``, ``10万+``, ``3,456``, ``12.5%``.

    ``percent`` says that ``%`` is allowed (rates); in a count a ``%`` is an error.
    Values ending in ``+`` are returned at their bound and flagged in ``lower_bound``.

    Cells in the usual ASCII spellings are read by Arrow compute on the whole
    column at once (no Python per cell); only the rare rest (full-width digits,
    exponents, ``inf``) goes through :func:`_parse_number_cells`, whose result
    for every cell is the reference the fast path is tested against.
    """
    if series.dtype.kind in "biufb":
        return _parse_number_cells(series, percent=percent)
    # 0) Nearly every cell has a plain spelling (1234, 1.2万, 12.5%), read in one pass; the rest below.
    # A match (no groups), the unit told by the cell's last byte, trimmed off, and a cast: a third of a capturing pattern's time.
    arr = arrow_text(series)
    plain = np_mask(pc.match_substring_regex(arr, _PLAIN_PERCENT_RE2 if percent else _PLAIN_RE2))
    if not plain.any():
        return _parse_number_spellings(series, percent=percent)
    units = "%" if percent else "万亿wW"
    core = pc.utf8_rtrim(arr if plain.all() else only(arr, plain), characters=units)
    number = pc.cast(core, pa.float64()).to_numpy(zero_copy_only=False)
    factor = (_PERCENT_BY_LAST_BYTE if percent else _UNIT_BY_LAST_BYTE)[last_bytes(arr)]
    number = number / factor if percent else number * factor  # 12.5% is 12.5 / 100, as the reference reader divides
    values = np.where(plain, number, np.nan)
    bad = np.zeros(len(series), dtype=bool)
    lower = np.zeros(len(series), dtype=bool)
    rest = ~plain & np_mask(pc.is_valid(arr))
    if rest.any():
        slow = _parse_number_spellings(series[rest], percent=percent)
        values[rest] = slow.values.to_numpy(dtype="float64", na_value=np.nan)
        bad[rest] = slow.bad.to_numpy(dtype=bool)
        lower[rest] = slow.lower_bound.to_numpy(dtype=bool)
    index = series.index
    return Parsed(pd.Series(values, index=index), pd.Series(bad, index=index), pd.Series(lower, index=index))


# Plain spellings read in one pass; a unit only as exports write it, right after the digits.
_PLAIN_RE2 = r"^\d{1,30}(?:\.\d{1,30})?(?:万|亿|w|W)?$"
_PLAIN_PERCENT_RE2 = r"^\d{1,30}(?:\.\d{1,30})?%?$"
# A plain cell ends in a digit or its unit, and no two units end in the same byte (万 E4 B8 87, 亿 E4 BA BF).
_UNIT_BY_LAST_BYTE = np.ones(256)
_UNIT_BY_LAST_BYTE[[0x87, ord("w"), ord("W")]] = 1e4
_UNIT_BY_LAST_BYTE[0xBF] = 1e8
_PERCENT_BY_LAST_BYTE = np.ones(256)
_PERCENT_BY_LAST_BYTE[ord("%")] = 100.0


def _parse_number_spellings(series: pd.Series, *, percent: bool) -> Parsed:
    """:func:`parse_number` for cells that are not plain: units, signs, separators, blanks, missing tokens."""
    index = series.index
    missing = missing_mask(series)
    n = len(series)
    arr = arrow_text(_as_text(series).where(~missing))
    values = np.full(n, np.nan)
    bad = np.zeros(n, dtype=bool)
    lower = np.zeros(n, dtype=bool)
    todo = np_mask(pc.is_valid(arr))
    short = todo & np_mask(pc.less_equal(pc.utf8_length(arr), _FAST_MAX_CHARS))
    # 1) The spellings exports use, taken apart from the end with string kernels: 1.2万, 10万+, 12.5%, 3,456.
    pct = np_mask(pc.ends_with(arr, "%"))
    core = drop_last(arr, pct)
    plus = np_mask(pc.ends_with(core, "+"))
    core = drop_last(core, plus)
    scale = np.ones(n)
    two = np_mask(pc.ends_with(core, "百万"))
    scale[two] = _SCALES["百万"]
    one = np.zeros(n, dtype=bool)
    for unit in ("万", "亿", "千", "w", "W", "k", "K", "m", "M"):
        hit = np_mask(pc.ends_with(core, unit)) & ~two
        scale[hit] = _SCALES[unit.lower()]
        one |= hit
    core = drop_last(drop_last(core, two), two | one)
    fast = short & np_mask(pc.match_substring_regex(core, _CORE_RE2))
    if fast.any():
        digits = pc.replace_substring(pc.replace_substring(only(core, fast), ",", ""), "，", "")
        number = np.where(fast, pc.cast(digits, pa.float64()).to_numpy(zero_copy_only=False), np.nan) * scale
        number = np.where(pct, number / 100.0, number) if percent else np.where(pct, np.nan, number)
        values[fast] = number[fast]
        bad[fast] = np.isnan(number[fast])
        lower[fast] = (plus & ~np.isnan(number))[fast]
    # 2) The same grammar with blanks between the parts, by Arrow's RE2.
    todo &= ~fast
    if todo.any():
        parts = pc.extract_regex(only(arr, todo & short), _NUMBER_RE2)
        matched = np_mask(pc.is_valid(parts))
        digits = pc.replace_substring_regex(parts.field("num"), "[,，]", "")
        has_digit = np_mask(pc.match_substring_regex(digits, r"\d")) & matched
        number = np.where(has_digit, pc.cast(only(digits, has_digit), pa.float64()).to_numpy(zero_copy_only=False), np.nan)
        factor = np.ones(n)
        for name, value in _SCALES.items():
            factor[np_mask(pc.equal(pc.utf8_lower(parts.field("scale")), name))] = value
        number = number * factor
        is_pct = np_mask(pc.equal(parts.field("pct"), "%"))
        number = np.where(is_pct, number / 100.0, number) if percent else np.where(is_pct, np.nan, number)
        values[matched] = number[matched]
        bad[matched] = np.isnan(number[matched])
        lower[matched] = (np_mask(pc.equal(parts.field("plus"), "+")) & ~np.isnan(number))[matched]
        todo &= ~matched
    # 3) A cell with no decimal digit of any script is never a number (inf and NaN included): unreadable.
    if todo.any():
        wordy = todo & ~np_mask(pc.match_substring_regex(arr, r"\p{Nd}"))
        bad[wordy] = True
        todo &= ~wordy
    # 4) Anything else (full-width digits, exponents, very long cells): cell by cell.
    if todo.any():
        slow = _parse_number_cells(series[todo], percent=percent)
        values[todo] = slow.values.to_numpy(dtype="float64", na_value=np.nan)
        bad[todo] = slow.bad.to_numpy(dtype=bool)
        lower[todo] = slow.lower_bound.to_numpy(dtype=bool)
    # inf, Infinity and 1e309 are not measurements: the cell is unreadable, never stored.
    infinite = np.isinf(values)
    values[infinite] = np.nan
    return Parsed(pd.Series(values, index=index), pd.Series(bad | infinite, index=index), pd.Series(lower, index=index))


# The fast path reads a cell with Arrow only when it is short and in ASCII
# (RE2's \d is ASCII, Python's is not): plain decimals, then the export spellings.
_FAST_MAX_CHARS = 30
# A number as Python's pattern reads it, its unit, + and % already taken off; at least one digit.
_CORE_RE2 = r"^[+-]?(?:\d[\d,，]*(?:\.\d+)?|\.\d+)$"
_NUMBER_RE2 = r"^(?P<num>[+-]?(?:\d[\d,，]*)?(?:\.\d+)?) *(?P<scale>百万|万|亿|千|[wWkKmM])? *(?P<plus>\+)? *(?P<pct>%)?$"


def _parse_number_cells(series: pd.Series, *, percent: bool = False) -> Parsed:
    """The reference reader (pandas and Python's ``re``, Unicode-aware): every spelling :func:`parse_number` accepts."""
    index = series.index
    no_flags = pd.Series(False, index=index)
    if series.dtype.kind in "biufb":
        values = series.astype("float64")
        infinite = pd.Series(np.isinf(values.to_numpy(dtype="float64", na_value=np.nan)), index=index)
        return Parsed(values.where(~infinite), infinite, no_flags)

    missing = missing_mask(series)
    text = _as_text(series)
    values = pd.to_numeric(text.where(~missing), errors="coerce").astype("float64")
    todo = values.isna() & ~missing
    bad = pd.Series(False, index=index)
    lower = pd.Series(False, index=index)
    if todo.any():
        parts = text[todo].str.extract(_NUMBER)
        digits = parts["num"].str.replace(r"[,，]", "", regex=True)
        number = pd.to_numeric(digits.where(digits.str.len() > 0), errors="coerce")
        scale = parts["scale"].str.lower().map(_SCALES).fillna(1.0)
        pct = parts["pct"].notna()
        number = number * scale
        if percent:
            number = number.where(~pct, number / 100.0)
        else:
            number = number.where(~pct)
        values.loc[todo] = number.astype("float64")
        bad.loc[todo] = number.isna().to_numpy()
        lower.loc[todo] = (parts["plus"].notna() & number.notna()).to_numpy()
    # inf, Infinity and 1e309 are not measurements: the cell is unreadable, never stored.
    infinite = pd.Series(np.isinf(values.to_numpy(dtype="float64", na_value=np.nan)), index=index)
    if infinite.any():
        values = values.where(~infinite)
        bad = bad | infinite
    return Parsed(values, bad, lower)


_CURRENCY = re.compile(r"^\s*(?:[¥￥]|RMB|CNY)\s*|\s*(?:元|RMB|CNY)\s*$", re.IGNORECASE)


def parse_amount(series: pd.Series) -> Parsed:
    """Money as exported: ``¥3,000``, ``￥1.2万``, ``3000元``, ``3k``; the currency
    sign or word is dropped (every amount is in yuan), the rest read by :func:`parse_number`."""
    if series.dtype.kind in "biufb":
        return parse_number(series)
    text = series.astype("string").str.replace(_CURRENCY, "", regex=True)
    return parse_number(text.where(series.notna()))


def parse_count(series: pd.Series) -> Parsed:
    """Whole non-negative counts as nullable integers.

    A value written with a unit (``1.25万``) is rounded to the unit's precision;
    a plain fractional value (``3.5`` likes) is an error, not silently rounded.
    """
    if series.dtype.kind in "iu":  # typed as whole numbers by the CSV reader: nothing to read or round
        whole = series.to_numpy().astype(np.float64)  # as the general reader sees them, past 2**53 too
        too_large = np.abs(whole) > MAX_COUNT
        counts = pd.arrays.IntegerArray(np.where(too_large, 0, whole).astype(np.int64), too_large.copy())
        return Parsed(pd.Series(counts, index=series.index), pd.Series(too_large, index=series.index), pd.Series(False, index=series.index))
    parsed = parse_number(series)
    values = parsed.values
    rounded = values.round()
    fractional = (values - rounded).abs() > 1e-9
    has_unit = pd.Series(False, index=series.index)
    if fractional.any():  # only a fraction needs its unit looked at (1.25万 is whole, 3.5 is not)
        has_unit[fractional] = _has_unit(series[fractional])
    too_large = (values.abs() > MAX_COUNT).fillna(False).astype(bool)  # 1e20 fits no whole-number column exactly
    bad = parsed.bad | (fractional & ~has_unit) | too_large
    out = rounded.where(~bad).astype("Int64")
    return Parsed(out, bad, parsed.lower_bound)


def _has_unit(series: pd.Series) -> pd.Series:
    if series.dtype.kind in "biufb":
        return pd.Series(False, index=series.index)
    return _as_text(series).str.contains(r"[万亿千wWkKmM]", regex=True).fillna(False).astype(bool)


def parse_rate(series: pd.Series) -> Parsed:
    """Rates as decimals: ``0.125`` or ``12.5%`` both give 0.125.

    A bare number above 1 (``12.5``) is ambiguous and left for validation to reject.
    """
    return parse_number(series, percent=True)


def parse_seconds(series: pd.Series) -> Parsed:
    """Durations: numbers of seconds, ``10秒``, ``1分20秒``, ``1小时2分``, ``1:20``, ``00:01:20``."""
    if series.dtype.kind in "biuf":
        values = series.astype("float64")
        infinite = pd.Series(np.isinf(values.to_numpy(dtype="float64", na_value=np.nan)), index=series.index)
        return Parsed(values.where(~infinite), infinite)
    # Most exports give plain seconds (37.5), 14.2秒 or a clock (00:01:20): a match and a cast read
    # plain seconds, one pass of the capturing pattern the others, and the reader below the rest.
    arr = arrow_text(series)
    n = len(series)
    decimal = np_mask(pc.match_substring_regex(arr, _DECIMAL_RE2)) & FAST_DATES
    rest = ~decimal & np_mask(pc.is_valid(arr))
    parts = pc.extract_regex(only(arr, rest), _PLAIN_SECONDS_RE2) if rest.any() and FAST_DATES else None
    spelled = np.zeros(n, dtype=bool) if parts is None else np_mask(pc.is_valid(parts))
    if decimal.any() or spelled.any():
        values = np.full(n, np.nan)
        if decimal.any():
            values[decimal] = pc.cast(arr if decimal.all() else only(arr, decimal), pa.float64()).to_numpy(zero_copy_only=False)[decimal]
        if spelled.any():

            def number(group: str) -> np.ndarray | float:  # an empty group (another spelling's) counts 0
                text = parts.field(group)
                if not pc.max(pc.binary_length(text)).as_py():  # no cell used this spelling
                    return 0.0
                return np.nan_to_num(pc.cast(pc.if_else(pc.equal(text, ""), None, text), pa.float64()).to_numpy(zero_copy_only=False), nan=0.0)

            values[spelled] = (number("h") * 3600 + number("m") * 60 + number("s") + number("sec"))[spelled]
        bad = np.zeros(n, dtype=bool)
        rest &= ~spelled
        if rest.any():
            slow = _parse_seconds_spellings(series[rest])
            values[rest] = slow.values.to_numpy(dtype="float64", na_value=np.nan)
            bad[rest] = slow.bad.to_numpy(dtype=bool)
        return Parsed(pd.Series(values, index=series.index), pd.Series(bad, index=series.index))
    return _parse_seconds_spellings(series)


_DECIMAL_RE2 = r"^\d{1,30}(?:\.\d{1,30})?$"
# 37.5 and 14.2秒 (sec), or a clock 1:20 / 00:01:20 (h, m, s) as _CLOCK reads it.
_PLAIN_SECONDS_RE2 = r"^(?:(?:(?P<h>\d{1,9}):)?(?P<m>\d{1,9}):(?P<s>\d{1,9}(?:\.\d{1,9})?)|(?P<sec>\d{1,30}(?:\.\d{1,30})?)秒?)$"


def _parse_seconds_spellings(series: pd.Series) -> Parsed:
    """:func:`parse_seconds` for text cells that are not plain seconds."""
    missing = missing_mask(series)
    text = _as_text(series)
    values = pd.Series(np.nan, index=series.index)
    # A cell with a unit or a colon (18秒, 1:20) is never a plain number: only the rest go to to_numeric.
    maybe_number = ~np_mask(pc.match_substring_regex(arrow_text(text), r"[:秒分时]")) if FAST_DATES else np.ones(len(text), dtype=bool)
    if maybe_number.any():
        values[maybe_number] = pd.to_numeric(text.where(~missing)[maybe_number], errors="coerce").astype("float64")
    infinite = pd.Series(np.isinf(values.to_numpy(dtype="float64", na_value=np.nan)), index=series.index)
    values = values.where(~infinite)
    todo = values.isna() & ~missing & ~infinite
    bad = infinite.copy()
    if todo.any() and FAST_DATES:  # ASCII and 小时/分钟/秒 only: Arrow's RE2 reads these as Python's re does
        arr = arrow_text(text.where(todo))
        plain = np_mask(pc.is_valid(arr)) & ~np_mask(pc.match_substring_regex(arr, r"[^\x00-\x7f小时分钟秒]"))
        for pattern in (_DURATION, _CLOCK):
            parts = pc.extract_regex(only(arr, plain), ("(?i)" if pattern.flags & re.IGNORECASE else "") + pattern.pattern)
            found = plain & np_mask(pc.is_valid(parts))
            found &= np.any([np_mask(pc.greater(pc.utf8_length(parts.field(g)), 0)) for g in ("h", "m", "s")], axis=0)
            if found.any():
                h, m, sec = (
                    np.nan_to_num(pc.cast(pc.if_else(pc.equal(parts.field(g), ""), None, parts.field(g)), pa.float64()).to_numpy(zero_copy_only=False), nan=0.0)
                    for g in ("h", "m", "s")
                )
                values[found] = (h * 3600 + m * 60 + sec)[found]
                todo &= ~found
                plain &= ~found
    if todo.any():
        sub = text[todo]
        seconds = pd.Series(np.nan, index=sub.index)
        for pattern in (_DURATION, _CLOCK):
            parts = sub.str.extract(pattern)
            found = parts.notna().any(axis=1) & seconds.isna()
            if not found.any():
                continue
            part = parts[found].apply(pd.to_numeric, errors="coerce").astype("float64").fillna(0.0)
            seconds.loc[found] = part["h"] * 3600 + part["m"] * 60 + part["s"]
        values.loc[todo] = seconds
        bad.loc[todo] = seconds.isna().to_numpy()
    return Parsed(values, bad)


def parse_timestamp(series: pd.Series, tz: str) -> Parsed:
    """Instants in many spellings, returned timezone-aware in ``tz``.

    Accepts ISO 8601 (with or without offset), ``2026/11/26``, ``20261126``,
    ``2026年11月26日 14:03``, ``2026年11月26日20时``, datetime objects and Excel
    serial numbers. A time without an offset is read as local time in ``tz``.
    """
    index = series.index
    out = pd.Series(pd.NaT, index=index, dtype=f"datetime64[us, {tz}]")
    if series.dtype.kind == "M":
        values = series if getattr(series.dt, "tz", None) else series.dt.tz_localize(tz, ambiguous="NaT", nonexistent="shift_forward")
        out[:] = values.dt.tz_convert(tz)
        return Parsed(out, pd.Series(False, index=index))
    if series.dtype.kind in "iuf":
        return _from_numbers(series, tz, out)

    missing = missing_mask(series)
    raw = series.where(~missing)
    # Mixed object columns from XLSX: datetime cells beside text cells.
    if raw.dtype == object:
        is_datetime = raw.map(lambda v: isinstance(v, datetime.date), na_action="ignore")
        is_datetime = is_datetime.fillna(False).astype(bool)
        if is_datetime.any():
            cells = pd.to_datetime(pd.Series(list(raw[is_datetime]), index=raw.index[is_datetime]))
            out.loc[is_datetime] = parse_timestamp(cells, tz).values.astype(out.dtype)
    text = _as_text(raw)
    text = text.where(out.isna())
    if FAST_DATES:
        read = padded_dates(arrow_text(text), index)
        if read is not None:
            hit = read.notna()
            out = out.where(~hit, read.dt.tz_localize(tz, ambiguous="NaT", nonexistent="shift_forward").astype(out.dtype))
            text = text.where(~hit)
    if not text.notna().any():  # every cell read (most exports write one padded spelling)
        return Parsed(out, out.isna() & ~missing)
    # A cell that starts like a date (2026-, 2026/, 2026年) is never a number: only the rest go to to_numeric.
    maybe_number = ~np_mask(pc.match_substring_regex(arrow_text(text), r"^[0-9]{4}[-/年]")) if FAST_DATES else np.ones(len(text), dtype=bool)
    maybe_number &= text.notna().to_numpy()
    numeric = pd.Series(np.nan, index=index)
    if maybe_number.any():
        numeric[maybe_number] = pd.to_numeric(text[maybe_number], errors="coerce").astype("float64")
    serial = numeric.between(*_EXCEL_SERIAL_RANGE).fillna(False).astype(bool)
    if serial.any():
        out.loc[serial] = _from_numbers(numeric[serial], tz, out.loc[serial]).values
        text = text.where(~serial)
    norm = _normalise_date_text(text)
    has_offset = norm.str.contains(_OFFSET, regex=True).fillna(False).astype(bool)
    if has_offset.any():
        aware = pd.to_datetime(norm[has_offset], format="ISO8601", errors="coerce", utc=True)
        out.loc[has_offset] = aware.dt.tz_convert(tz)
    naive_text = norm.where(~has_offset)
    naive = pd.Series(pd.NaT, index=index, dtype="datetime64[us]")
    # A format's separators (: - /) are literal, and no directive matches them, so a
    # format is tried only on cells with as many of each: no 1M-cell pass that fails.
    naive_arrow = arrow_text(naive_text)
    separators = [pc.count_substring(naive_arrow, sep).to_numpy(zero_copy_only=False) for sep in ":-/"]
    for fmt in _TIMESTAMP_FORMATS:
        todo = (naive.isna() & naive_text.notna()).to_numpy()
        if not todo.any():
            break
        for sep, counts in zip(":-/", separators):
            todo = todo & ((np.nan_to_num(counts, nan=-1) == fmt.count(sep)) | (not FAST_DATES))
        if todo.any():
            naive.loc[todo] = pd.to_datetime(naive_text[todo], format=fmt, errors="coerce")
    todo = naive.isna() & naive_text.notna()
    if todo.any():  # remaining ISO variants such as 2026-11-26T14:03:00.5
        naive.loc[todo] = pd.to_datetime(naive_text[todo], format="ISO8601", errors="coerce")
    local = naive.dt.tz_localize(tz, ambiguous="NaT", nonexistent="shift_forward")
    fill = local.notna()
    out.loc[fill] = local[fill]
    bad = out.isna() & ~missing
    return Parsed(out, bad)


def _from_numbers(numbers: pd.Series, tz: str, out: pd.Series) -> Parsed:
    """Numbers in a date column: Excel serials, or yyyymmdd written as an integer."""
    values = numbers.astype("float64")
    result = out.copy()
    serial = values.between(*_EXCEL_SERIAL_RANGE)
    days = pd.to_timedelta(values[serial], unit="D").dt.round("s")
    result.loc[serial] = (_EXCEL_EPOCH + days).dt.tz_localize(tz, ambiguous="NaT", nonexistent="shift_forward")
    ymd = ~serial & values.notna()
    if ymd.any():
        as_text = values[ymd].map(lambda v: f"{v:.0f}")
        parsed = pd.to_datetime(as_text, format="%Y%m%d", errors="coerce")
        result.loc[ymd] = parsed.dt.tz_localize(tz, ambiguous="NaT", nonexistent="shift_forward")
    bad = result.isna() & values.notna()
    return Parsed(result, bad)


def _normalise_date_text(text: pd.Series) -> pd.Series:
    """Rewrite Chinese and slashed date spellings into ISO-like text.

    Cells in ASCII (and 年月日) whose dates are already zero-padded are rewritten
    by Arrow's regexes over the whole column; the rest cell by cell in Python
    (:func:`_normalise_date_cells`, the reference)."""
    if not FAST_DATES or not len(text):
        return _normalise_date_cells(text)
    arr = arrow_text(text)
    plain = np_mask(pc.is_valid(arr)) & ~np_mask(pc.match_substring_regex(arr, r"[^\x00-\x7f年月日]"))
    ymd, padded = (pc.count_substring_regex(arr, p).to_numpy(zero_copy_only=False) for p in (_YMD, _YMD_PADDED))
    fast = plain & (np.nan_to_num(ymd, nan=-1) == np.nan_to_num(padded, nan=-2))
    out = pc.replace_substring_regex(arr, r" (\d):", r" 0\1:")
    needs = np_mask(pc.match_substring_regex(out, r"[年月日时分秒/.T]"))
    done = pc.replace_substring_regex(pc.replace_substring_regex(only(out, needs), _YMD_PADDED, r"\1-\2-\3"), r"(\d{4}-\d{2}-\d{2})\s*T?\s*(\d)", r"\1 \2")
    done = pc.if_else(pa.array(needs), pc.utf8_trim_whitespace(done), out)
    result = pd.Series(pd.array(done, dtype="string[pyarrow]"), index=text.index).where(fast, None)
    if (~fast).any():
        rest = ~fast & text.notna().to_numpy()
        if rest.any():
            result[rest] = _normalise_date_cells(text[rest]).astype("string[pyarrow]")
    return result.where(text.notna(), None)


def _normalise_date_cells(text: pd.Series) -> pd.Series:
    """The cell-by-cell rewrite: Python's ``re`` on every cell."""
    text = text.astype(object).astype("string[python]")
    # "2026-11-26 9:05" -> zero-padded hour so the strptime formats match
    text = text.str.replace(r" (\d):", r" 0\1:", regex=True)
    needs = text.str.contains(r"[年月日时分秒/.T]", regex=True).fillna(False).astype(bool)
    if not needs.any():
        return text
    sub = text[needs]
    sub = (
        sub.str.replace(_YMD, _pad_ymd, regex=True)
        .str.replace(r"(\d{1,2})时(\d{1,2})分(?:(\d{1,2})秒)?", _hms, regex=True)
        .str.replace(r"(\d{1,2})[时点]$", lambda m: f"{int(m.group(1)):02d}", regex=True)
        .str.replace(r"(\d{4}-\d{2}-\d{2})\s*T?\s*(\d)", r"\1 \2", regex=True)
        .str.strip()
    )
    result = text.copy()
    result.loc[needs] = sub
    return result


_YMD = r"(\d{4})[年/.](\d{1,2})[月/.](\d{1,2})日?"
_YMD_PADDED = r"(\d{4})[年/.](\d{2})[月/.](\d{2})日?"


def _pad_ymd(match: re.Match[str]) -> str:
    y, m, d = match.groups()
    return f"{y}-{int(m):02d}-{int(d):02d}"


def _hms(match: re.Match[str]) -> str:
    h, m, s = match.groups()
    return f"{int(h):02d}:{int(m):02d}:{int(s or 0):02d}"


def parse_date(series: pd.Series, tz: str) -> Parsed:
    """Calendar days; an instant with an offset is first converted to ``tz``."""
    parsed = parse_timestamp(series, tz)
    days = parsed.values.dt.tz_localize(None).dt.normalize().astype("datetime64[s]")
    return Parsed(days, parsed.bad)


_TRUE = {"true", "1", "yes", "y", "是", "t"}
_FALSE = {"false", "0", "no", "n", "否", "f"}


def parse_bool(series: pd.Series) -> Parsed:
    """Booleans written as true/false, 1/0, yes/no or 是/否."""
    if series.dtype.kind == "b":
        return Parsed(series.astype("boolean"), pd.Series(False, index=series.index))
    missing = missing_mask(series)
    text = _as_text(series).str.lower().str.replace(r"\.0$", "", regex=True)
    values = pd.Series(pd.NA, index=series.index, dtype="boolean")
    values[text.isin(_TRUE).fillna(False).astype(bool)] = True
    values[text.isin(_FALSE).fillna(False).astype(bool)] = False
    bad = values.isna() & ~missing
    return Parsed(values, bad)


def parse_text(series: pd.Series) -> Parsed:
    """Text stripped of surrounding blanks; missing tokens become missing.

    Kept as pandas' Arrow-backed string dtype: no per-cell Python objects,
    which matters for million-row exports.
    """
    if series.dtype.kind == "f":
        # Integers read as floats by the CSV reader ("123.0") are identifiers, not numbers.
        series = series.astype("Int64")
    text = series.astype("string[pyarrow]").str.strip()
    missing = text.isna() | _is_token(arrow_text(text))
    return Parsed(text.mask(missing), pd.Series(False, index=series.index))


def describe(value: Any) -> str:
    """A short, quoted rendering of a raw cell for error messages."""
    text = str(value)
    return repr(text if len(text) <= 40 else text[:37] + "...")
