"""Derived keys hashed with a helper process equal those hashed row by row in one process."""

import pandas as pd
import pyarrow as pa
import pytest

from smkit.data import derived_keys
from smkit.data.derived_keys import stable_hash

TEXTS = ["douyin\x1fVexa\x1f2024-05-17T08:29:00Z\x1f灯光小技巧 #0", "", "x" * 5000, "weibo\x1f\x1f\x1f", "重复", "重复"]


def _parts(texts):
    return pa.array([t.encode("utf-8") for t in texts], pa.large_binary())


@pytest.mark.parametrize("helper_rows, helpers", [(10**9, 2), (1, 1), (1, 3)])  # this process alone; one helper; three slices
def test_keys_equal_the_row_by_row_hash(monkeypatch, helper_rows, helpers):
    monkeypatch.setattr(derived_keys, "HELPER_ROWS", helper_rows)
    monkeypatch.setattr(derived_keys, "HELPERS", helpers)
    texts = TEXTS * 50 + [f"post {i}" for i in range(1001)]
    keys, unique = derived_keys.hashed_keys(_parts(texts))
    assert keys.to_pylist() == [stable_hash(t) for t in texts]
    assert unique is False  # the list repeats
    keys, unique = derived_keys.hashed_keys(_parts(texts).slice(300, 700))  # a slice: offsets that do not start at 0
    assert keys.to_pylist() == [stable_hash(t) for t in texts[300:1000]]
    assert unique is True


def test_a_helper_that_cannot_start_or_fails_leaves_the_work_to_this_process(monkeypatch):
    monkeypatch.setattr(derived_keys, "HELPER_ROWS", 1)
    texts = [f"post {i}" for i in range(100)]
    for broken in ("/nonexistent/python", "/bin/false"):
        monkeypatch.setattr(derived_keys.sys, "executable", broken)
        keys, unique = derived_keys.hashed_keys(_parts(texts))
        assert keys.to_pylist() == [stable_hash(t) for t in texts]
        assert unique is True


def test_utc_text_equals_strftime_for_every_second_of_a_day():
    stamps = pd.Series(pd.date_range("2026-03-28 16:00", periods=86400, freq="s", tz="Asia/Shanghai"))
    stamps[5] = pd.NaT
    text = derived_keys.utc_text(stamps)
    expected = stamps.dt.tz_convert("UTC").dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert text.isna().tolist() == expected.isna().tolist()
    assert text.dropna().tolist() == expected.dropna().tolist()


def test_utc_text_of_a_column_with_missing_first_row_or_nothing_at_all():
    stamps = pd.Series([pd.NaT, pd.Timestamp("2026-11-03 20:15", tz="Asia/Shanghai"), pd.NaT], dtype="datetime64[us, Asia/Shanghai]")
    assert derived_keys.utc_text(stamps).tolist()[1] == "2026-11-03T12:15:00Z"
    assert derived_keys.utc_text(stamps).isna().tolist() == [True, False, True]
    assert derived_keys.utc_text(stamps.iloc[[0, 2]]).isna().all()
