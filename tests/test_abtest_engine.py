"""The A/B playbook summed in the engine equals the per-unit pandas reference.

:func:`smkit.playbooks.ab_test.at_scale.run_in_engine` (what ``run`` does on a
store) must give the summary, the result tables and the effect over time of
:func:`smkit.playbooks.ab_test.analyze` on the same rows read into pandas, for
every experiment of the sample, with values missing in metric columns, and with
ratio, CUPED and guardrail metrics named.
"""

from __future__ import annotations

import math
import shutil

import duckdb
import pandas as pd
import pytest

from smkit.params import Config
from smkit.playbooks import ab_test as pb
from smkit.playbooks.ab_test import at_scale

EXPERIMENTS = ("", "EXP-COVER-01", "EXP-TITLE-02")  # "": the most recently started


def close(a, b, path: str = "") -> list[str]:
    """Where two summaries differ (floats beyond 1e-9, relative to their size)."""
    if isinstance(a, dict) and isinstance(b, dict):
        if a.keys() != b.keys():
            return [f"{path}: keys {sorted(a)} != {sorted(b)}"]
        return [d for k in a for d in close(a[k], b[k], f"{path}.{k}")]
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        if len(a) != len(b):
            return [f"{path}: {len(a)} items != {len(b)}"]
        return [d for i, (x, y) in enumerate(zip(a, b)) for d in close(x, y, f"{path}[{i}]")]
    if isinstance(a, float) and isinstance(b, float):
        return [] if math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12) or (math.isnan(a) and math.isnan(b)) else [f"{path}: {a} != {b}"]
    return [] if a == b else [f"{path}: {a!r} != {b!r}"]


def assert_same(cfg: Config, s: pb.Settings) -> pb.Result:
    want, got = at_scale.reference(cfg, s), at_scale.run_in_engine(cfg, s)
    assert not close(want.to_summary("en"), got.to_summary("en"))
    assert [(t.metric, t.variant) for t in want.trends] == [(t.metric, t.variant) for t in got.trends]
    for a, b in zip(want.trends, got.trends):
        pd.testing.assert_frame_equal(a.frame.reset_index(drop=True), b.frame.reset_index(drop=True), check_dtype=False, rtol=1e-9)
    for table in (pb.report.results_table, pb.report.decisions_table, pb.report.srm_table):
        pd.testing.assert_frame_equal(table(want, "en").data, table(got, "en").data, check_dtype=False, rtol=1e-9)
    return got


@pytest.fixture(scope="module")
def holed(sample_store, tmp_path_factory):
    """The sample store with values missing in metric columns (and covariates), none in others."""
    path = tmp_path_factory.mktemp("holes") / "smkit.duckdb"
    shutil.copy(sample_store, path)
    con = duckdb.connect(str(path))
    for column, every in (("watch_seconds", 7), ("pre_watch_seconds", 11), ("clicks", 13), ("impressions", 17), ("hides", 5)):
        con.execute(f"UPDATE experiments SET {column} = NULL WHERE hash(unit_id || '{column}') % {every} = 0")
    con.execute("UPDATE experiments SET converted = NULL WHERE experiment_id = 'EXP-TITLE-02'")  # all missing in one experiment
    con.close()
    return path


@pytest.mark.parametrize("experiment", EXPERIMENTS)
def test_the_engine_equals_the_rows_for_every_experiment(sample_store, experiment):
    got = assert_same(Config(sample_store, None, None, {}), pb.settings(experiment_id=experiment))
    assert got.trends and not got.trends[0].frame.empty


@pytest.mark.parametrize("experiment", EXPERIMENTS)
def test_the_engine_equals_the_rows_with_values_missing(holed, experiment):
    cfg = Config(holed, None, None, {})
    assert_same(cfg, pb.settings(experiment_id=experiment))
    got = assert_same(
        cfg, pb.settings(experiment_id=experiment, metrics="clicks/impressions, watch_seconds, converted", guardrails="hides", lower_is_better="hides")
    )
    kinds = {c.metric: c.kind for c in got.comparisons}
    assert kinds["clicks/impressions"] == "ratio" and kinds["watch_seconds"] == "mean"
    assert any(c.cuped_variance_reduction for c in got.comparisons if c.metric == "watch_seconds")


def test_the_engine_equals_the_rows_in_a_window_and_with_three_variants(sample_store, tmp_path):
    path = tmp_path / "smkit.duckdb"
    shutil.copy(sample_store, path)
    con = duckdb.connect(str(path))
    con.execute("UPDATE experiments SET variant = 'b' WHERE variant = 'treatment' AND hash(unit_id) % 3 = 0")
    con.execute("UPDATE experiments SET assigned_at = NULL WHERE hash(unit_id) % 50 = 0")
    con.close()
    cfg = Config(path, None, None, {})
    for experiment in EXPERIMENTS:
        got = assert_same(cfg, pb.settings(experiment_id=experiment, planned_split="control:0.5, treatment:0.3, b:0.2"))
        assert set(got.variants) == {"control", "treatment", "b"}
    assert_same(cfg, pb.settings(start="2026-09-25", end="2026-10-20"))


def test_aggregated_rows_in_the_store_are_analysed_as_rows(tmp_path):
    from smkit.data.store import connect

    path = tmp_path / "smkit.duckdb"
    con = connect(path)
    con.execute("CREATE TABLE experiments (experiment_id VARCHAR, variant VARCHAR, unit_id VARCHAR, units BIGINT, assigned_at TIMESTAMPTZ, clicks DOUBLE)")
    con.execute("INSERT INTO experiments VALUES ('E1', 'control', NULL, 1000, NULL, 100), ('E1', 'treatment', NULL, 1000, NULL, 130)")
    con.close()
    cfg = Config(path, None, None, {})
    assert_same(cfg, pb.settings())
    assert pb.run(cfg, pb.settings()).comparisons[0].kind == "proportion"


def test_errors_name_the_experiments(sample_store):
    with pytest.raises(ValueError, match="EXP-COVER-01"):
        at_scale.run_in_engine(Config(sample_store, None, None, {}), pb.settings(experiment_id="EXP-NONE"))
