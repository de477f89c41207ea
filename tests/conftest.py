from __future__ import annotations

import os

# One thread per process for OpenMP (scikit-learn's k-means) and BLAS (the Gaussian
# mixture, numpy): the suite runs two xdist workers, and `smkit run --jobs 2` two kernels
# more, on two cores, where each library's own thread pool only adds threads spinning
# for a core (k-means fits took 9x the CPU time). Set before numpy is first imported,
# and inherited by the subprocesses and kernels the tests start.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

from pathlib import Path  # noqa: E402

import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402

from smkit.sample import build_sample_store  # noqa: E402

threadpool_limits(int(os.environ["OMP_NUM_THREADS"]))  # in case a plugin imported numpy before this file

# Fixed "now" for ingest tests so the future-date rule does not depend on the clock.
NOW = pd.Timestamp("2026-11-26 12:00", tz="Asia/Shanghai")


# Costly fixtures are session-scoped even when one module uses them: under xdist a
# module-scoped fixture is torn down and built again whenever the worker runs
# another module's test in between, which doubled the language runs (3.5 minutes).


@pytest.fixture(scope="session")
def sample_store(tmp_path_factory) -> Path:
    """A store built from a small sample (scale 0.2), shared by read-only tests."""
    return build_sample_store(tmp_path_factory.mktemp("sample") / "smkit.duckdb", scale=0.2)


@pytest.fixture
def store(tmp_path) -> Path:
    return tmp_path / "store" / "smkit.duckdb"


def write_csv(path: Path, lines: list[str], encoding: str = "utf-8") -> Path:
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


# The unit layer (make test-fast) needs no sample store and no kernel: a test
# that asks for one of these fixtures, or lives in a module that runs
# notebooks or fits whole models, is slow. Long simulations carry @pytest.mark.slow themselves.
STORE_FIXTURES = {
    "lake_store",
    "small",
    "exported",
    "sample_store",
    "planted_store",
    "planted",
    "null_timing",
    "small_store",
    "no_gap",
    "worlds",
    "review",
    "books",
}
KERNEL_MODULES = {"test_runner", "test_personas"}  # personas fits models on whole audiences
# Session fixtures are built once per xdist worker: the tests of one module that share a
# costly one (a planted world, a fitted review, a Spark session) go to one worker, or both
# workers build it.
SHARED_FIXTURES = STORE_FIXTURES - {"sample_store"} | {
    "reviews",
    "experiments",
    "pacing",
    "bundled",
    "truth",
    "world",
    "effects",
    "spark",
    "table_sets",
    "douyin_only",
}


@pytest.hookimpl(tryfirst=True)  # before xdist's, which reads the groups into the test ids
def pytest_collection_modifyitems(config, items):
    for item in items:
        module = item.module.__name__.rpartition(".")[2]
        if SHARED_FIXTURES & set(getattr(item, "fixturenames", ())) and not item.get_closest_marker("xdist_group"):
            item.add_marker(pytest.mark.xdist_group(module))
        if STORE_FIXTURES & set(getattr(item, "fixturenames", ())) or module in KERNEL_MODULES or item.get_closest_marker("spark"):
            item.add_marker(pytest.mark.slow)
