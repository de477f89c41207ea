"""The lake: a store's tables as hive-partitioned Parquet, read and appended
through the same calls as the DuckDB file."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from smkit.data import lake
from smkit.data.ingest import ingest
from smkit.data.schema import TABLES
from smkit.data.store import StoreError, check_store_path, export_lake, fingerprint, load, table_counts
from smkit.sample import build_sample_store
from tests.conftest import NOW, write_csv

HEADER = "作品名称,发布时间,播放量,点赞量"


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Path:
    return build_sample_store(tmp_path_factory.mktemp("lake-src") / "smkit.duckdb", scale=0.05, quiet=True)


@pytest.fixture(scope="module")
def exported(small, tmp_path_factory) -> Path:
    dest = tmp_path_factory.mktemp("lake") / "lake"
    export_lake(small, dest)
    return dest


def _sorted(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    key = [c for c in TABLES[table].key if c in frame.columns]
    return frame.sort_values(key, kind="stable").reset_index(drop=True)


def test_every_table_round_trips_through_the_lake(small, exported):
    assert table_counts(exported) == table_counts(small)
    for table in table_counts(small):
        a, b = _sorted(load(table, store=small), table), _sorted(load(table, store=exported), table)
        assert list(a.columns) == list(b.columns), table
        pd.testing.assert_frame_equal(a, b, check_exact=True, obj=table)
    assert fingerprint(exported) == fingerprint(small)


def test_the_lake_is_partitioned_by_table_and_month(exported):
    assert (exported / lake.MARKER).is_file()
    months = sorted(p.name for p in (exported / "table=mentions").glob("month=*"))
    assert months and all(len(m) == len("month=2026-10") for m in months)
    assert (exported / "table=audience" / "data_0.parquet").is_file()  # no time column, no months
    # Any Parquet reader sees the partitions (here pyarrow's dataset API).
    import pyarrow.dataset as ds

    dataset = ds.dataset(exported / "table=mentions", format="parquet", partitioning="hive", exclude_invalid_files=True)
    assert dataset.count_rows() == table_counts(exported)["mentions"]


def test_a_window_on_the_lake_equals_the_window_on_the_file(small, exported):
    kw = {"start": "2026-10-01", "end": "2026-10-31", "platforms": ["weibo", "douyin"]}
    a, b = load("mentions", store=small, **kw), load("mentions", store=exported, **kw)
    assert len(a) and len(a) == len(b)
    pd.testing.assert_frame_equal(_sorted(a, "mentions"), _sorted(b, "mentions"))


def test_ingest_starts_and_appends_to_a_lake_like_a_store_file(tmp_path):
    first = write_csv(tmp_path / "a.csv", [HEADER, "a,2026-10-01,100,5", "b,2026-11-02,200,6"])
    second = write_csv(tmp_path / "b.csv", [HEADER, "b,2026-11-02,250,7", "c,2026-11-03,300,8"])
    new_lake = str(tmp_path / "lake") + "/"
    file_store = tmp_path / "s.duckdb"
    for target in (new_lake, file_store):
        for f in (first, second):
            ingest([str(f)], "posts", store=target, platform="douyin", account="A", now=NOW)
    assert lake.is_lake(tmp_path / "lake")
    got, want = _sorted(load("posts", store=tmp_path / "lake"), "posts"), _sorted(load("posts", store=file_store), "posts")
    assert len(got) == 3  # b was updated, not duplicated
    pd.testing.assert_frame_equal(got, want)
    assert sorted(p.name for p in (tmp_path / "lake" / "table=posts").glob("month=*")) == ["month=2026-10", "month=2026-11"]
    assert not list((tmp_path / "lake").glob(".staging-*")) and not list((tmp_path / "lake").glob(".old-*"))


def test_a_failed_ingest_into_a_new_lake_leaves_nothing(tmp_path):
    bad = write_csv(tmp_path / "bad.csv", ["nothing,useful", "1,2"])
    with pytest.raises(Exception):  # noqa: B017 - any refusal; the point is what is left on disk
        ingest([str(bad)], "posts", store=str(tmp_path / "lake") + "/", platform="douyin", account="A", now=NOW)
    assert not (tmp_path / "lake").exists()


def test_a_plain_folder_is_refused_with_the_lake_named_and_an_empty_one_with_a_slash_starts_a_lake(tmp_path):
    (tmp_path / "folder").mkdir()
    with pytest.raises(StoreError, match="is a folder and not a lake"):
        check_store_path(tmp_path / "folder")
    (tmp_path / "folder" / "notes.txt").write_text("x")
    assert not lake.is_lake(str(tmp_path / "folder") + "/")  # a folder with other files is never taken over
    (tmp_path / "empty").mkdir()
    posts = write_csv(tmp_path / "a.csv", [HEADER, "a,2026-10-01,100,5"])
    ingest([str(posts)], "posts", store=str(tmp_path / "empty") + "/", platform="douyin", account="A", now=NOW)
    assert lake.is_lake(tmp_path / "empty") and len(load("posts", store=tmp_path / "empty")) == 1


def test_export_lake_on_the_command_line(small, tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "smkit.run.cli", "export-lake", str(tmp_path / "out"), "--store", str(small)], capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stderr
    assert "mentions" in proc.stdout and table_counts(tmp_path / "out") == table_counts(small)
    proc = subprocess.run([sys.executable, "-m", "smkit.run.cli", "export-lake", str(small), "--store", str(small)], capture_output=True, text=True)
    assert proc.returncode == 2 and "is a file" in proc.stderr and "Traceback" not in proc.stderr
