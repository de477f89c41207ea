"""The suite's costliest session fixtures (every playbook run in both languages) are
shared through xdist groups. If grouping silently stops working, as it did with
pytest 9.2 and pytest-xdist 3.8, both workers build them and `make test` runs minutes
longer with every test still passing; this test fails instead."""

import os
import subprocess
import sys

GROUPED = """
import os, pytest
pytestmark = pytest.mark.xdist_group("costly")

@pytest.mark.parametrize("i", range(8))
def test_grouped(i):
    with open(os.environ["WORKERS_FILE"], "a") as fh:
        fh.write(os.environ["PYTEST_XDIST_WORKER"] + "\\n")
"""
LOOSE = """
import time, pytest

@pytest.mark.parametrize("i", range(8))
def test_loose(i):
    time.sleep(0.05)
"""


def test_tests_of_one_xdist_group_run_on_one_worker(tmp_path):
    (tmp_path / "test_grouped.py").write_text(GROUPED)
    (tmp_path / "test_loose.py").write_text(LOOSE)
    workers = tmp_path / "workers.txt"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")} | {"WORKERS_FILE": str(workers)}
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-n", "2", "--dist", "loadgroup", "-p", "no:cacheprovider", "--rootdir", str(tmp_path), str(tmp_path)],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout[-2000:]
    ran_on = workers.read_text().split()
    assert len(ran_on) == 8 and len(set(ran_on)) == 1, ran_on
