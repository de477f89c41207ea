"""The playbook runner: parameters, dated folders, HTML for readers, schedules."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest
from conftest import NOW, write_csv

from smkit.data.ingest import ingest
from smkit.run import catalog, runner
from smkit.run.report_html import build_index

ROOT = Path(__file__).resolve().parent.parent
PARAMS = """store: str = ""  # the store
start: str = ""  # first day
n: int = 3  # how many
ratio: float = 0.5  # a ratio
loud: bool = False  # make noise"""

OK_CELLS = [
    "import os, pathlib, warnings\nimport matplotlib\nmatplotlib.use('Agg')\nimport matplotlib.pyplot as plt\nimport pandas as pd\nfrom smkit.playbook import save_summary",
    "## Checks\nThe run writes into a hidden folder that is moved into place only when complete.",
    "here = pathlib.Path(os.environ['SMKIT_REPORT_DIR'])\nassert here.name.startswith('.tmp-'), here\nassert not (here.parent / 'toy').exists()",
    "warnings.warn('this warning is noise for a reader')\nprint('visible text', n)",
    "fig, ax = plt.subplots(figsize=(3, 2))\nax.set_title('a chart')",
    "fig",
    "pd.DataFrame({'title': ['<script>alert(1)</script>'], 'n': [n]})",
    "save_summary({'n': n, 'ratio': ratio, 'loud': loud})",
]


def make_notebook(path: Path, cells: list[str], purpose: str = "A toy playbook for tests.") -> Path:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(f"# Toy\n\n{purpose}"), nbformat.v4.new_code_cell(PARAMS, metadata={"tags": ["parameters"]})]
    for src in cells:
        nb.cells.append(nbformat.v4.new_markdown_cell(src) if src.startswith("## ") else nbformat.v4.new_code_cell(src))
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


@pytest.fixture
def books(tmp_path, monkeypatch, sample_store):
    folder = tmp_path / "notebooks"
    folder.mkdir()
    make_notebook(folder / "toy.ipynb", OK_CELLS)
    make_notebook(folder / "broken.ipynb", ["x = 1", "raise RuntimeError('planted failure')", "never = True"])
    monkeypatch.setenv("SMKIT_NOTEBOOKS", str(folder))
    monkeypatch.setenv("SMKIT_STORE", str(sample_store))
    return folder


def test_parameters_are_read_from_the_notebook(books):
    book = catalog.find_playbook("toy")
    assert book.purpose == "A toy playbook for tests."
    assert [(p.name, p.type, p.default, p.help) for p in book.parameters][2] == ("n", "int", 3, "how many")


@pytest.mark.parametrize(
    "given, message",
    [
        ({"nn": "3"}, "toy has no parameter 'nn'; valid parameters: store (str), start (str), n (int), ratio (float), loud (bool)"),
        ({"n": "three"}, "parameter n must be int, got 'three'"),
        ({"ratio": "half"}, "parameter ratio must be float"),
        ({"loud": "maybe"}, "parameter loud must be bool"),
        ({"start": "26/11/2026"}, "start must be a date written YYYY-MM-DD"),
        ({"start": "2026-02-30"}, "start is not a calendar date"),
        ({"store": "/no/such/store.duckdb"}, "store: /no/such/store.duckdb does not exist"),
    ],
)
def test_bad_parameters_are_refused_before_any_kernel_starts(books, given, message):
    with pytest.raises(catalog.ParameterError) as err:
        catalog.coerce_parameters(catalog.find_playbook("toy"), given)
    assert message in str(err.value)


def test_a_reversed_window_is_refused_before_any_kernel_starts():
    book = catalog.read_playbook(ROOT / "notebooks" / "data_overview.ipynb")
    with pytest.raises(catalog.ParameterError, match="start 2026-11-01 is after end 2026-10-01"):
        catalog.coerce_parameters(book, {"start": "2026-11-01", "end": "2026-10-01"})


def test_parameters_from_the_command_line_are_converted(books):
    got = catalog.coerce_parameters(catalog.find_playbook("toy"), {"n": "7", "ratio": "0.25", "loud": "yes", "start": "2026-10-01"})
    assert got == {"n": 7, "ratio": 0.25, "loud": True, "start": "2026-10-01"}


def test_cli_rejects_unknown_parameter_with_the_valid_list(books, tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "smkit.run.cli", "run", "toy", "-p", "nn", "3", "--reports", str(tmp_path / "r")], capture_output=True, text=True
    )
    assert proc.returncode == 2
    assert "valid parameters: store (str), start (str), n (int)" in proc.stderr
    assert not (tmp_path / "r").exists()


def test_a_run_leaves_a_complete_dated_folder(books, tmp_path):
    reports = tmp_path / "reports"
    m = runner.run("toy", {"n": "5"}, date="2026-11-20", reports=reports, quiet=True)
    folder = reports / "2026-11-20" / "toy"
    assert m.status == "ok", m.error
    assert sorted(p.name for p in folder.iterdir()) == ["kernel.log", "manifest.json", "notebook.ipynb", "report.html", "summary.json"]
    assert not list((reports / "2026-11-20").glob(".tmp-*"))
    assert json.loads((folder / "summary.json").read_text()) == {"n": 5, "ratio": 0.5, "loud": False}
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["status"] == "ok" and manifest["parameters"] == {"n": 5} and manifest["fingerprint"] == m.fingerprint
    assert {"playbook", "parameters", "status", "error", "start", "duration_seconds", "smkit_version", "commit", "store", "fingerprint"} <= set(manifest)

    page = (folder / "report.html").read_text(encoding="utf-8")
    assert "pathlib.Path(os.environ" not in page and "save_summary" not in page  # no input cells
    assert "this warning is noise" not in page and "UserWarning" not in page  # no stderr
    assert "Text(0.5" not in page and "&lt;Figure size" not in page and "<Figure size" not in page  # no reprs
    assert "visible text 5" in page
    assert page.count("data:image/png;base64") == 1  # the figure, embedded once
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page
    assert "<td><code>n</code></td><td>5</td><td>how many</td>" in page  # parameters table
    assert "injected-parameters" not in page and "# Parameters" not in page
    assert "<a href='#checks'>Checks</a>" in page and 'id="checks"' in page  # table of contents
    assert f"data fingerprint {m.fingerprint}" in page and "smkit 0.1.0" in page and "commit " in page

    index = (reports / "index.html").read_text(encoding="utf-8")
    assert "2026-11-20/toy/report.html" in index and ">ok<" in index


def test_same_label_twice_keeps_both_unless_overwrite(books, tmp_path):
    reports = tmp_path / "reports"
    for _ in range(2):
        runner.run("toy", date="2026-11-20", reports=reports, label="daily", quiet=True)
    day = reports / "2026-11-20"
    assert sorted(p.name for p in day.iterdir()) == ["daily", "daily-2"]
    runner.run("toy", date="2026-11-20", reports=reports, label="daily", quiet=True, overwrite=True)
    assert sorted(p.name for p in day.iterdir()) == ["daily", "daily-2"]


def test_labels_cannot_leave_the_date_folder(books, tmp_path):
    for label in ("..", ".hidden", "a/b"):
        with pytest.raises(catalog.ParameterError, match="must start with a letter or digit"):
            runner.run("toy", reports=tmp_path / "r", label=label, quiet=True)


def test_parallel_runs_with_the_same_label_keep_both(books, tmp_path):
    entries = [{"playbook": "toy", "label": "same"}, {"playbook": "toy", "label": "same"}]
    results = runner.run_many(entries, jobs=2, reports=tmp_path / "r", date="2026-11-23", quiet=True)
    assert sorted(r["label"] for r in results) == ["same", "same-2"]
    day = tmp_path / "r" / "2026-11-23"
    assert sorted(p.name for p in day.iterdir()) == ["same", "same-2"]


def test_a_failing_playbook_in_a_schedule_does_not_stop_the_others(books, tmp_path):
    schedule = tmp_path / "morning.yml"
    schedule.write_text(
        "runs:\n  - playbook: broken\n  - playbook: toy\n    label: toy-big\n    parameters:\n      n: 9\n  - playbook: missing\n",
        encoding="utf-8",
    )
    reports = tmp_path / "reports"
    proc = subprocess.run(
        [sys.executable, "-m", "smkit.run.cli", "schedule", str(schedule), "--reports", str(reports), "--date", "2026-11-21", "--quiet", "--jobs", "2"],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 1, proc.stdout + proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].split()[:4] == ["playbook", "label", "status", "seconds"]
    status = {ln.split()[1]: ln.split()[2] for ln in lines[1:]}
    assert status == {"broken": "failed", "toy-big": "ok", "missing": "failed"}
    assert "unknown playbook 'missing'" in proc.stdout
    failed = reports / "2026-11-21" / "broken"
    manifest = json.loads((failed / "manifest.json").read_text())
    assert manifest["status"] == "failed" and "planted failure" in manifest["error"]
    nb = nbformat.read(failed / "notebook.ipynb", as_version=4)
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.output_type == "error"]
    assert errors and errors[0]["evalue"] == "planted failure"
    page = (failed / "report.html").read_text(encoding="utf-8")
    assert "This run failed" in page and "planted failure" in page
    assert "Traceback" not in page  # the traceback stays in notebook.ipynb
    assert "<title>broken · smkit</title>" in page
    assert json.loads((reports / "2026-11-21" / "toy-big" / "summary.json").read_text())["n"] == 9


def test_schedule_file_errors_are_named(tmp_path):
    bad = tmp_path / "s.yml"
    bad.write_text("runs:\n  - label: x\n", encoding="utf-8")
    with pytest.raises(catalog.ParameterError, match="run 1 needs a 'playbook'"):
        runner.load_schedule(bad)


def test_index_lists_runs_newest_first(tmp_path):
    for day, status in (("2026-11-01", "ok"), ("2026-11-02", "failed")):
        folder = tmp_path / day / "x"
        folder.mkdir(parents=True)
        (folder / "manifest.json").write_text(json.dumps({"playbook": "x", "status": status, "duration_seconds": 1.5, "start": day}))
    page = build_index(tmp_path).read_text()
    assert page.index("2026-11-02") < page.index("2026-11-01") and ">failed<" in page


def test_every_playbook_runs_on_the_sample_and_escapes_hostile_titles(tmp_path, sample_store, monkeypatch):
    """The real playbooks, end to end, on a small store with a hostile post title."""
    monkeypatch.delenv("SMKIT_NOTEBOOKS", raising=False)
    store = tmp_path / "s.duckdb"
    shutil.copy(sample_store, store)
    hostile = write_csv(
        tmp_path / "h.csv",
        [
            "作品名称,发布时间,播放量,点赞量,活动ID",
            "<script>alert('x')</script>,2026-10-30 12:00,99999999,1,",
            "<script>alert('campaign')</script>,2026-09-10 12:00,99999999,1,CMP-AUTUMN-DOUYIN",
        ],
    )
    ingest([hostile], "posts", store=store, platform="douyin", account="Lumina", now=NOW)
    reports = tmp_path / "reports"
    for book in catalog.list_playbooks():
        m = runner.run(book.name, store=str(store), reports=reports, date="2026-11-22", quiet=True)
        assert m.status == "ok", (book.name, m.error)
        page = (reports / "2026-11-22" / book.name / "report.html").read_text(encoding="utf-8")
        assert "<script>alert(" not in page
        for noise in ("Warning", "Traceback", "<Figure size", "Text(0.5", "<Axes"):
            assert noise not in page, (book.name, noise)
    overview = (reports / "2026-11-22" / "data_overview" / "report.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in overview or "&lt;script&gt;alert('x')&lt;/script&gt;" in overview
    summary = json.loads((reports / "2026-11-22" / "data_overview" / "summary.json").read_text())
    posts = pd.read_csv(sample_store.parent / "sample" / "posts.csv")
    assert summary["tables"]["posts"] == len(posts) + 2  # the sample and the two hostile posts
    postmortem = (reports / "2026-11-22" / "campaign_postmortem" / "report.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(" in postmortem  # the hostile campaign post is the top post, shown as text
    ab = json.loads((reports / "2026-11-22" / "ab_test" / "summary.json").read_text())
    assert ab["experiment_id"] == "EXP-TITLE-02" and ab["decision"]["treatment"]["decision"] != "ship"
    assert {r["metric"] for r in ab["results"]} == {"clicks/impressions", "watch_seconds", "converted", "hides"}


def test_notebooks_are_committed_without_outputs():
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "code":
                assert not cell.get("outputs") and cell.get("execution_count") is None, path.name
        assert sum("parameters" in c.get("metadata", {}).get("tags", []) for c in nb.cells) == 1, path.name


def test_a_playbook_runs_top_to_bottom_with_no_command_line(tmp_path, monkeypatch):
    """As in JupyterLab: no runner, no store yet; the default store is built on first use."""
    from nbclient import NotebookClient

    store = tmp_path / "fresh" / "smkit.duckdb"
    monkeypatch.setenv("SMKIT_STORE", str(store))
    monkeypatch.delenv("SMKIT_REPORT_DIR", raising=False)
    nb = nbformat.read(ROOT / "notebooks" / "data_overview.ipynb", as_version=4)
    NotebookClient(nb, kernel_name="python3", timeout=300, resources={"metadata": {"path": str(ROOT / "notebooks")}}).execute()
    assert store.exists()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.output_type == "error"]
    assert not errors
    assert not (ROOT / "notebooks" / "summary.json").exists()  # interactive runs leave no files beside the notebook


def test_summary_values_that_are_not_numbers_are_written_as_null():
    from smkit.playbook import _jsonable

    assert _jsonable({"a": np.float64("nan"), "b": [np.int64(3), pd.NA], "c": float("nan")}) == {"a": None, "b": [3, None], "c": None}
