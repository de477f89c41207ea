"""Engines: DuckDB (default) and Spark run the same aggregates and give the
playbooks the same frames, so a report does not depend on where it was computed."""

from __future__ import annotations

import datetime as dt
import json
import math
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from smkit import rules
from smkit.data import aggregates
from smkit.data.engine import ENV, EngineError, engine_name
from smkit.data.schema import TABLES
from smkit.data.store import export_lake, load, table_counts
from smkit.sample import build_sample_store

START, END = dt.date(2026, 10, 1), dt.date(2026, 10, 31)
PLAYBOOKS = ("data_overview", "reputation_monitor", "market_analysis")


def _have_spark() -> bool:
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return False
    return shutil.which("java") is not None


needs_spark = [pytest.mark.spark, pytest.mark.skipif(not _have_spark(), reason="needs the spark extra (pip install 'smkit[spark]') and Java 17")]


@pytest.fixture(scope="module")
def lake_store(tmp_path_factory) -> tuple[Path, Path]:
    """A small sample store and the same store exported to a lake."""
    base = tmp_path_factory.mktemp("engines")
    store = build_sample_store(base / "smkit.duckdb", scale=0.05, quiet=True)
    export_lake(store, base / "lake")
    return store, base / "lake"


@pytest.fixture(scope="module")
def spark(lake_store):
    """One local Spark session for the module: two cores, two shuffle partitions, and a JVM
    that compiles with the quick compiler only and collects on one thread (these queries run
    for seconds, which C2's compilation and a parallel collector never pay back: half the JVM's CPU)."""
    mp = pytest.MonkeyPatch()
    mp.setenv("SMKIT_SPARK_MASTER", "local[2]")
    mp.setenv("SMKIT_SPARK_SHUFFLE_PARTITIONS", "2")
    mp.setenv("JDK_JAVA_OPTIONS", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC")
    from smkit.data.engine import spark_session

    yield spark_session("Asia/Shanghai")
    mp.undo()


# ---------------------------------------------------------------- choosing an engine


def test_the_engine_comes_from_the_argument_then_the_environment_then_duckdb(monkeypatch):
    monkeypatch.delenv(ENV, raising=False)
    assert engine_name() == "duckdb"
    monkeypatch.setenv(ENV, "Spark")
    assert engine_name() == "spark" and engine_name("duckdb") == "duckdb"
    with pytest.raises(EngineError, match="unknown engine 'polars'; choose one of: duckdb, spark"):
        engine_name("polars")


def test_spark_on_a_store_file_is_refused_naming_export_lake(tmp_path):
    store = tmp_path / "s.duckdb"
    import duckdb

    duckdb.connect(str(store)).close()
    proc = subprocess.run(
        [sys.executable, "-m", "smkit.run.cli", "run", "data_overview", "--engine", "spark", "--store", str(store), "--reports", str(tmp_path / "r")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2 and "smkit export-lake" in proc.stderr and "Traceback" not in proc.stderr


# ---------------------------------------------------------------- aggregates against pandas


def _mentions(store: Path) -> pd.DataFrame:
    m = load("mentions", store=store, start=START, end=END)
    return m.assign(day=m["published_at"].dt.tz_localize(None).dt.normalize())


@pytest.mark.slow
def test_the_mention_cube_matches_pandas_on_the_raw_rows(lake_store):
    store, _ = lake_store
    m = _mentions(store)
    with aggregates.open_backend(store, "duckdb") as con:
        cube = aggregates.mention_cube(con, START, END)
    assert cube["mentions"].sum() == len(m)
    got = cube.groupby(["day", "brand"])[["mentions", "earned"]].sum()
    want = m.groupby(["day", "brand"]).agg(mentions=("text", "size"), earned=("is_reply_by_brand", lambda s: int((~s.fillna(False).astype(bool)).sum())))
    pd.testing.assert_frame_equal(got, want, check_dtype=False, check_index_type=False)
    labels = pd.Series(rules.sentiment_label(m["sentiment"].to_numpy()), index=m.index).where(m["sentiment"].notna(), "unscored")
    assert cube.groupby("polarity")["mentions"].sum().to_dict() == labels.value_counts().to_dict()
    authors = m.groupby(["day", "brand", "platform", labels.rename("polarity")])["author"].nunique()
    assert cube.set_index(["day", "brand", "platform", "polarity"])["authors"].sort_index().tolist() == authors.sort_index().tolist()


@pytest.mark.slow
def test_share_of_voice_from_the_engine_volumes_equals_the_rule_on_rows(lake_store):
    store, _ = lake_store
    m = _mentions(store)
    with aggregates.open_backend(store, "duckdb") as con:
        for by, weighted in (((), False), (("platform",), False), ((), True)):
            volumes = aggregates.voice_volumes(con, START, END, by=by, weighted=weighted)
            want = rules.share_of_voice(m, by=list(by), weighted=weighted).set_index([*by, "brand"])["volume"]
            pd.testing.assert_series_equal(volumes.sort_index(), want.sort_index(), check_names=False)


# ---------------------------------------------------------------- Spark


def _close(a, b, path: str = "") -> list[str]:
    """Where two summaries differ: counts and texts exactly, floats to 1e-9."""
    if isinstance(a, dict) and isinstance(b, dict):
        if a.keys() != b.keys():
            return [f"{path}: keys {sorted(a.keys() ^ b.keys())}"]
        return [d for k in a for d in _close(a[k], b[k], f"{path}.{k}")]
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return [f"{path}: {len(a)} != {len(b)} items"]
        return [d for i, (x, y) in enumerate(zip(a, b)) for d in _close(x, y, f"{path}[{i}]")]
    if isinstance(a, float) and isinstance(b, float):
        return [] if (math.isnan(a) and math.isnan(b)) or math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9) else [f"{path}: {a} != {b}"]
    return [] if a == b and type(a) is type(b) else [f"{path}: {a!r} != {b!r}"]


@pytest.mark.parametrize("table", sorted(TABLES))
@pytest.mark.usefixtures("spark")
@pytest.mark.spark
@pytest.mark.skipif(not _have_spark(), reason="needs the spark extra and Java 17")
def test_spark_loads_every_table_as_duckdb_does(lake_store, table, monkeypatch):
    _, lake = lake_store
    if table not in table_counts(lake):
        pytest.skip(f"the sample has no {table}")
    window = {} if table in ("audience", "team") else {"start": START, "end": END}
    want = load(table, store=lake, **window)
    monkeypatch.setenv(ENV, "spark")
    got = load(table, store=lake, **window)
    key = [c for c in TABLES[table].key if c in want.columns]
    pd.testing.assert_frame_equal(got.sort_values(key).reset_index(drop=True), want.sort_values(key).reset_index(drop=True))


@pytest.mark.usefixtures("spark")
@pytest.mark.spark
@pytest.mark.skipif(not _have_spark(), reason="needs the spark extra and Java 17")
def test_the_aggregates_are_the_same_on_both_engines(lake_store):
    _, lake = lake_store
    got = {}
    for name in ("duckdb", "spark"):
        with aggregates.open_backend(lake, name) as con:
            got[name] = [
                aggregates.mention_cube(con, START, END),
                aggregates.voice_volumes(con, START, END, by=["platform"], weighted=True),
                aggregates.top_mentions(con, START, END, "Lumina", 5),
                aggregates.post_totals(con, START, END),
                aggregates.account_series(con, START, END),
                aggregates.table_spans(con, sorted(table_counts(lake))),
            ]
    for a, b in zip(got["duckdb"], got["spark"]):
        (pd.testing.assert_series_equal if isinstance(a, pd.Series) else pd.testing.assert_frame_equal)(a, b, check_dtype=False)


@pytest.mark.usefixtures("spark")
@pytest.mark.spark
@pytest.mark.skipif(not _have_spark(), reason="needs the spark extra and Java 17")
def test_the_playbooks_give_the_same_summary_on_duckdb_and_spark(lake_store, tmp_path, monkeypatch):
    from smkit.run import catalog
    from tests.test_any_store import run_in_process

    _, lake = lake_store
    summaries: dict[str, dict[str, dict]] = {}
    for name in ("duckdb", "spark"):
        monkeypatch.setenv(ENV, name)
        for playbook in PLAYBOOKS:
            book = catalog.find_playbook(playbook)
            given = {"store": str(lake), "start": "2026-10-01", "end": "2026-10-31", "lang": "en"}
            if playbook != "data_overview":
                given["brand"] = "Lumina"
            run_in_process(book.path, catalog.coerce_parameters(book, given), tmp_path / name / playbook)
            summaries.setdefault(playbook, {})[name] = json.loads((tmp_path / name / playbook / "summary.json").read_text(encoding="utf-8"))
    for playbook, by_engine in summaries.items():
        assert not _close(by_engine["duckdb"], by_engine["spark"]), (playbook, _close(by_engine["duckdb"], by_engine["spark"])[:5])
    monitor = summaries["reputation_monitor"]
    assert monitor["duckdb"].get("alerts") == monitor["spark"].get("alerts")


@pytest.mark.usefixtures("spark")
@pytest.mark.spark
@pytest.mark.skipif(not _have_spark(), reason="needs the spark extra and Java 17")
def test_spark_scores_sentiment_in_its_workers_as_the_scorer_does():
    from smkit.methods import score_cache, sentiment

    texts = ["质量太差了，再也不买", "很好用，推荐", "Love it", "worst purchase ever", "😡", "物流很快"] * 5
    assert score_cache.spark_score(texts) == sentiment.score(texts)


@pytest.mark.usefixtures("spark")
@pytest.mark.spark
@pytest.mark.skipif(not _have_spark(), reason="needs the spark extra and Java 17")
def test_the_ab_statistics_are_the_same_on_both_engines(lake_store, monkeypatch):
    from smkit.params import Config
    from smkit.playbooks import ab_test as pb
    from smkit.playbooks.ab_test import at_scale
    from tests.test_abtest_engine import close

    _, lake = lake_store
    s = pb.settings(metrics="clicks/impressions, watch_seconds", guardrails="hides")
    got = {}
    for name in ("duckdb", "spark"):
        monkeypatch.setenv(ENV, name)
        got[name] = at_scale.run_in_engine(Config(lake, None, None, {}), s)
    assert not close(got["duckdb"].to_summary("en"), got["spark"].to_summary("en"))
    for a, b in zip(got["duckdb"].trends, got["spark"].trends):
        pd.testing.assert_frame_equal(a.frame, b.frame, check_dtype=False, rtol=1e-9)
