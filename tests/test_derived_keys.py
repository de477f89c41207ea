"""Derived keys hashed with a helper process equal those hashed row by row in one process."""

import pyarrow as pa
import pytest

from smkit.data import derived_keys
from smkit.data.derived_keys import stable_hash

TEXTS = ["douyin\x1fVexa\x1f2024-05-17T08:29:00Z\x1f灯光小技巧 #0", "", "x" * 5000, "weibo\x1f\x1f\x1f", "重复", "重复"]


def _parts(texts):
    return pa.array([t.encode("utf-8") for t in texts], pa.large_binary())


@pytest.mark.parametrize("helper_rows", [10**9, 1])  # one process; a helper for every second half
def test_keys_equal_the_row_by_row_hash(monkeypatch, helper_rows):
    monkeypatch.setattr(derived_keys, "HELPER_ROWS", helper_rows)
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
