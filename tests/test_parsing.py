import datetime as dt

import numpy as np
import pandas as pd
import pytest

from smkit.data import parsing

TZ = "Asia/Shanghai"


def test_numbers_with_chinese_and_latin_units():
    raw = pd.Series(["1.2万", "3亿", "1.5w", "2.5k", "1.1m", "3,456", "12", "1，234", "7.5千"])
    got = parsing.parse_count(raw)
    assert got.values.tolist() == [12000, 300000000, 15000, 2500, 1100000, 3456, 12, 1234, 7500]
    assert not got.bad.any()


def test_lower_bound_is_kept_and_flagged():
    got = parsing.parse_count(pd.Series(["10万+", "100000", "5000+"]))
    assert got.values.tolist() == [100000, 100000, 5000]
    assert got.lower_bound.tolist() == [True, False, True]


@pytest.mark.parametrize("token", ["-", "--", "—", "", "N/A", "null", None])
def test_dash_and_blank_mean_missing_not_zero(token):
    got = parsing.parse_count(pd.Series([token, "5"], dtype=object))
    assert pd.isna(got.values.iloc[0])
    assert got.values.iloc[1] == 5
    assert not got.bad.any()


def test_counts_refuse_text_fractions_and_percent():
    got = parsing.parse_count(pd.Series(["abc", "3.5", "12%", "1.25万"]))
    assert got.bad.tolist() == [True, True, True, False]
    assert got.values.iloc[3] == 12500


def test_rates_as_percent_or_decimal():
    got = parsing.parse_rate(pd.Series(["12.5%", "0.3", "45%", "-", "x"]))
    np.testing.assert_allclose(got.values.iloc[:3], [0.125, 0.3, 0.45])
    assert got.bad.tolist() == [False, False, False, False, True]


def test_numeric_columns_take_the_fast_path():
    got = parsing.parse_count(pd.Series([1, 2, 3]))
    assert got.values.tolist() == [1, 2, 3] and str(got.values.dtype) == "Int64"


@pytest.mark.parametrize(
    "raw, seconds",
    [("10秒", 10), ("1分20秒", 80), ("1小时2分", 3720), ("1:20", 80), ("00:01:20", 80), ("80", 80), ("15.5s", 15.5), ("2分钟", 120)],
)
def test_durations(raw, seconds):
    got = parsing.parse_seconds(pd.Series([raw]))
    assert got.values.iloc[0] == pytest.approx(seconds)
    assert not got.bad.any()


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("2026-11-26", "2026-11-26 00:00"),
        ("2026/11/26", "2026-11-26 00:00"),
        ("20261126", "2026-11-26 00:00"),
        ("2026年11月26日 14:03", "2026-11-26 14:03"),
        ("2026年11月26日20时", "2026-11-26 20:00"),
        ("2026年11月26日 14时03分", "2026-11-26 14:03"),
        ("2026-11-26 9:05", "2026-11-26 09:05"),
        ("2026-11-26T06:03:00Z", "2026-11-26 14:03"),
        ("2026-11-26T14:03:00+08:00", "2026-11-26 14:03"),
        ("2026-11-26 01:03:00-05:00", "2026-11-26 14:03"),
        ("46352.5", "2026-11-26 12:00"),
    ],
)
def test_timestamps_in_export_spellings(raw, expected):
    got = parsing.parse_timestamp(pd.Series([raw], dtype=object), TZ)
    assert not got.bad.any()
    assert got.values.iloc[0] == pd.Timestamp(expected, tz=TZ)


def test_timestamps_from_excel_cells_and_numbers():
    cells = pd.Series([dt.datetime(2026, 11, 26, 14, 3), 46352.0, "2026-11-26"], dtype=object)
    got = parsing.parse_timestamp(cells, TZ)
    assert got.values.tolist() == [
        pd.Timestamp("2026-11-26 14:03", tz=TZ),
        pd.Timestamp("2026-11-26", tz=TZ),
        pd.Timestamp("2026-11-26", tz=TZ),
    ]
    assert parsing.parse_timestamp(pd.Series([20261126]), TZ).values.iloc[0] == pd.Timestamp("2026-11-26", tz=TZ)


def test_unreadable_dates_are_flagged_missing_are_not():
    got = parsing.parse_timestamp(pd.Series(["garbage", "-", None, "2026-13-45"], dtype=object), TZ)
    assert got.bad.tolist() == [True, False, False, True]


def test_dates_are_calendar_days():
    got = parsing.parse_date(pd.Series(["2026-11-26T23:30:00Z"]), TZ)
    assert got.values.iloc[0] == pd.Timestamp("2026-11-27")  # 07:30 next day in Shanghai


def test_booleans():
    got = parsing.parse_bool(pd.Series(["是", "否", "true", "0", None, "maybe"], dtype=object))
    assert got.values.tolist()[:4] == [True, False, True, False]
    assert got.bad.tolist() == [False, False, False, False, False, True]


def test_counts_typed_as_whole_numbers_read_as_the_general_reader_reads_them():
    """A column the CSV reader typed as integers skips the text reader: the same counts, flags and
    missing cells as reading the numbers as floats (past 2**53 a count is refused, as there)."""
    rng = np.random.default_rng(0)
    cases = [
        pd.Series(rng.integers(-5, 10**6, 50_000)),
        pd.Series(np.array([0, 2**53, 2**53 + 1, -(2**53) - 1, -(2**63), 2**63 - 1, 7])),
        pd.Series(np.array([0, 2**53, 2**64 - 1, 5], dtype=np.uint64)),
        pd.Series(np.array([1, 2], dtype=np.int32), index=[5, 9]),
    ]
    for whole in cases:
        got, want = parsing.parse_count(whole), parsing.parse_count(whole.astype("float64"))
        for field in ("values", "bad", "lower_bound"):
            pd.testing.assert_series_equal(getattr(got, field), getattr(want, field))
    assert parsing.parse_count(cases[2]).values.isna().tolist() == [False, False, True, False]
