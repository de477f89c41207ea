"""The playbook runner: parameters, dated folders, HTML for readers, schedules."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest

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
    assert "可用的参数：store (str), start (str), n (int)" in proc.stderr  # the run's language, zh by default
    assert not (tmp_path / "r").exists()


def test_a_run_leaves_a_complete_dated_folder(books, tmp_path):
    reports = tmp_path / "reports"
    m = runner.run("toy", {"n": "5"}, date="2026-11-20", reports=reports, quiet=True, lang="en")
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
    assert "<td><code class='smkit-param'>n</code></td><td>5</td><td>how many</td>" in page  # parameters table
    assert "injected-parameters" not in page and "# Parameters" not in page
    assert "Contents" not in page.split("<body")[1] and "<nav" not in page  # no table of contents: the title, then the content
    # the parameters and the run record close the report, in a folded appendix
    appendix = page.index("<details class='smkit-appendix'><summary>How this report was made</summary>")
    assert page.index("<h1>Toy</h1>") < page.index("<h2>Checks</h2>") < page.index("visible text 5") < appendix < page.index("smkit-param")
    assert f"<th>Data fingerprint</th><td>{m.fingerprint}</td>" in page and "<th>smkit version</th><td>0.1.0</td>" in page and "<th>Commit</th>" in page
    assert "<script" not in page and "https://" not in page.split("<body")[0]  # nothing fetched from the network

    index = (reports / "index.html").read_text(encoding="utf-8")
    assert "2026-11-20/toy/report.html" in index and ">ok<" in index


def test_a_report_keeps_the_markdown_of_its_language(books, tmp_path):
    """Cells tagged lang-zh / lang-en are kept only in a report of that language; untagged cells always."""
    nb = nbformat.read(books / "toy.ipynb", as_version=4)
    nb.cells[0] = nbformat.v4.new_markdown_cell("# 玩具\n\n测试用的玩具。", metadata={"tags": ["lang-zh"]})
    nb.cells.insert(1, nbformat.v4.new_markdown_cell("# Toy\n\nA toy for tests.", metadata={"tags": ["lang-en"]}))
    nb.cells.append(nbformat.v4.new_markdown_cell("Kept in both: 2026-11-20"))
    nb.cells.append(nbformat.v4.new_markdown_cell("Method details for the appendix.", metadata={"tags": ["appendix", "lang-en"]}))
    nbformat.write(nb, books / "toy.ipynb")
    reports = tmp_path / "reports"
    for lang in ("zh", "en"):
        runner.run("toy", date="2026-11-20", reports=reports, quiet=True, label=f"toy-{lang}", lang=lang)
    zh = (reports / "2026-11-20" / "toy-zh" / "report.html").read_text(encoding="utf-8")
    en = (reports / "2026-11-20" / "toy-en" / "report.html").read_text(encoding="utf-8")
    assert "<h1>玩具</h1>" in zh and "A toy for tests" not in zh and "Method details" not in zh and "Kept in both" in zh
    assert "<h1>Toy</h1>" in en and "测试用的玩具" not in en and "Kept in both" in en
    assert "本报告的生成方式" in zh and "<th>数据指纹</th>" in zh and '<html lang="zh-CN">' in zh
    assert en.index("How this report was made") < en.index("Method details for the appendix.")  # a cell tagged appendix moves there
    index = (reports / "index.html").read_text(encoding="utf-8")
    assert "<th>Headline</th>" in index and "in Chinese" in index  # the index in the newest run's language, other runs marked


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
    assert [r["status"] for r in results] == ["ok", "ok"], results  # a failed run keeps the label it asked for
    assert sorted(r["label"] for r in results) == ["same", "same-2"]
    day = tmp_path / "r" / "2026-11-23"
    assert sorted(p.name for p in day.iterdir()) == ["same", "same-2"]


def test_a_folder_moved_into_place_while_claiming_is_not_taken_twice(tmp_path, monkeypatch):
    # the race behind parallel runs with one label: the other run moves "same"
    # into place and lets go of its claim between our first look and our lock
    lock = runner._lock_claim

    def other_run_finishes_first(claim):
        if claim.name == ".claim-same":
            (tmp_path / "same").mkdir(exist_ok=True)
        return lock(claim)

    monkeypatch.setattr(runner, "_lock_claim", other_run_finishes_first)
    with runner._claimed_folder(tmp_path, "same", overwrite=False) as final:
        assert final.name == "same-2"
    assert not list(tmp_path.glob(".claim-*"))


def test_a_failing_playbook_in_a_schedule_does_not_stop_the_others(books, tmp_path):
    schedule = tmp_path / "morning.yml"
    schedule.write_text(
        "runs:\n  - playbook: broken\n  - playbook: toy\n    label: toy-big\n    parameters:\n      n: 9\n  - playbook: missing\n",
        encoding="utf-8",
    )
    reports = tmp_path / "reports"
    proc = subprocess.run(
        [sys.executable, "-m", "smkit.run.cli", "schedule", str(schedule), "--reports", str(reports), "--date", "2026-11-21", "--jobs", "2", "--lang", "en"],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 1, proc.stdout + proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].split()[:4] == ["playbook", "label", "status", "seconds"]
    status = {ln.split()[1]: ln.split()[2] for ln in lines[1:-1]}
    assert status == {"broken": "failed", "toy-big": "ok", "missing": "failed"}
    assert "unknown playbook 'missing'" in proc.stdout
    assert lines[-1] == f"reports index: {reports / 'index.html'}"  # the last line names the index
    # one line when each run starts and one when it ends, never a progress bar
    progress = proc.stderr.splitlines()
    assert sorted(ln.split()[2] for ln in progress if ln.startswith("▶ started")) == ["broken", "toy"]
    finished = [ln for ln in progress if "finished" in ln]
    assert len(finished) == 2 and any(ln.startswith("✓ finished  toy (toy-big)") and " s  ok" in ln for ln in finished)
    assert "Executing" not in proc.stderr and "cell/s" not in proc.stderr and "\r" not in proc.stderr
    failed = reports / "2026-11-21" / "broken"
    manifest = json.loads((failed / "manifest.json").read_text())
    assert manifest["status"] == "failed" and "planted failure" in manifest["error"]
    nb = nbformat.read(failed / "notebook.ipynb", as_version=4)
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.output_type == "error"]
    assert errors and errors[0]["evalue"] == "planted failure"
    page = (failed / "report.html").read_text(encoding="utf-8")
    assert "This run failed." in page and "planted failure" in page
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
    assert page.index("2026-11-02") < page.index("2026-11-01") and ">失败<" in page and ">成功<" in page
    assert ">failed<" in build_index(tmp_path, "en").read_text()


@pytest.mark.parametrize(
    ("playbook", "summary", "zh", "en"),
    [
        ("reputation_monitor", {"alert_level": 3}, "最高预警：Ⅱ级 重大（橙色）", "highest warning: Level II (orange, major)"),
        ("reputation_monitor", {"alert_level": 0}, "无预警", "no warning"),
        (
            "market_analysis",
            {"brand": "Lumina", "share_of_voice": {"Lumina": 0.4493}, "recommended": {"primary": "weibo"}},
            "Lumina声量份额 44.9%；首选平台：微博",
            "Lumina share of voice 44.9%; first platform: Weibo",
        ),
        (
            "ab_test",
            {"experiment_id": "EXP-1", "decision": {"treatment": {"decision": "do not ship"}}},
            "EXP-1 · treatment：不上线",
            "EXP-1 · treatment: do not ship",
        ),
        (
            "ops_review",
            {"kpis": {"views": {"goal": 9, "attainment": 0.9}, "mentions": {"goal": 1, "attainment": 1.2}, "x": {"goal": None}}},
            "KPI 达标 1/2 项",
            "1 of 2 KPIs on target",
        ),
        (
            "data_overview",
            {"window": {"start": "2026-10-04", "end": "2026-10-31"}, "posts_in_window": 435, "views_in_window": 9753664},
            "10月4日至2026年10月31日：435 条帖子，975万 次播放",
            "4 Oct to 31 Oct 2026: 435 posts, 9,753,664 views",
        ),
        (
            "personas",
            {
                "k": 4,
                "has_structure": True,
                "personas": [{"name": "Gamers", "name_zh": "游戏玩家", "share": 0.2}, {"name": "Designers", "name_zh": "设计师", "share": 0.35}],
            },
            "4 类用户画像，最大一类“设计师”占 35.0%",
            "4 personas, the largest, “Designers”, 35.0%",
        ),
        (
            "content_performance",
            {"type_effects": [{"platform": "xiaohongshu", "content_type": "video", "rate_ratio": 1.81, "ci_low": 1.27}], "calendar_rows": 164},
            "互动最突出：小红书短视频（1.81 倍）；发布计划 164 条",
            "strongest format: video on Xiaohongshu (×1.81); publishing plan of 164 posts",
        ),
        (
            "campaign_postmortem",
            {
                "campaign_id": "CMP-1",
                "kpis": {"views": {"target": 3, "attainment": 1.25}, "conversions": {"target": 15, "attainment": 0.3}},
                "lift": {"views": {"relative": 0.311}},
            },
            "CMP-1 · KPI 达标 1/2 项；播放增量 +31.1%",
            "CMP-1 · 1 of 2 KPIs on target; views lift +31.1%",
        ),
        (
            "kol_selection",
            {"budget": 200000, "expected_engagements": 204321.4, "n_shortlisted": 34, "n_suspicious": 27},
            "预算 ¥200,000：34 位达人，预计 20.4万 次互动；27 位可疑",
            "budget ¥200,000: 34 creators, about 204,321 engagements; 27 suspicious",
        ),
        ("ops_review", {}, "", ""),
        ("kol_selection", {"budget": 1000}, "", ""),
        ("reputation_monitor", {"alert_level": "high"}, "", ""),
    ],
)
def test_each_playbook_has_a_headline_read_from_its_summary(playbook, summary, zh, en):
    from smkit.run.report_html import headline

    assert headline(playbook, summary, "zh") == zh
    assert headline(playbook, summary, "en") == en


def test_the_index_names_runs_in_the_report_language_with_their_headline(tmp_path):
    folder = tmp_path / "2026-11-02" / "reputation_monitor"
    folder.mkdir(parents=True)
    (folder / "manifest.json").write_text(json.dumps({"playbook": "reputation_monitor", "status": "ok", "duration_seconds": 3.0, "start": "x", "lang": "zh"}))
    (folder / "summary.json").write_text(json.dumps({"alert_level": 3}))
    page = build_index(tmp_path).read_text()
    assert ">口碑与危机预警</a>" in page and "最高预警：Ⅱ级 重大（橙色）" in page and "<th>要点</th>" in page
    assert page.index("2026-11-02/reputation_monitor/report.html") < page.index("2026-11-02/reputation_monitor/notebook.ipynb")
    english = build_index(tmp_path, "en").read_text()
    assert ">Reputation and crisis monitor</a>" in english and "Level II (orange, major)" in english and "in Chinese" in english


def test_lang_is_zh_or_en_and_set_by_the_command_line_and_schedules(books, tmp_path):
    book = catalog.read_playbook(ROOT / "notebooks" / "data_overview.ipynb")
    if "lang" in {p.name for p in book.parameters}:
        with pytest.raises(catalog.ParameterError, match="parameter lang must be zh or en"):
            catalog.coerce_parameters(book, {"lang": "fr"})
    bad = tmp_path / "s.yml"
    bad.write_text("runs:\n  - playbook: toy\n    lang: fr\n", encoding="utf-8")
    with pytest.raises(catalog.ParameterError, match="run 1: lang must be zh or en"):
        runner.load_schedule(bad)
    bad.write_text("runs:\n  - playbook: toy\n    lang: en\n", encoding="utf-8")
    assert runner.load_schedule(bad)[0]["lang"] == "en"
    proc = subprocess.run([sys.executable, "-m", "smkit.run.cli", "run", "toy", "--lang", "en", "-p", "lang", "zh"], capture_output=True, text=True)
    assert proc.returncode == 2 and "disagree" in proc.stderr


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


def test_jobs_workers_share_the_cores_among_their_kernels_and_keep_a_set_thread_count(monkeypatch):
    monkeypatch.setattr(runner, "_die_with_parent", lambda parent: None)
    monkeypatch.setattr(runner.os, "cpu_count", lambda: 8)
    for name in runner.THREAD_VARIABLES:  # set, then removed: monkeypatch puts back what the test found
        monkeypatch.setenv(name, "")
        monkeypatch.delenv(name)
    monkeypatch.setenv("MKL_NUM_THREADS", "3")  # the user's choice stands
    runner._start_worker(0, jobs=2)
    assert [os.environ[n] for n in runner.THREAD_VARIABLES] == ["4", "4", "3"]
    monkeypatch.delenv("OMP_NUM_THREADS")
    runner._start_worker(0, jobs=16)
    assert os.environ["OMP_NUM_THREADS"] == "1"


CLI_ERRORS = [  # (arguments, the zh line, the en line)
    (["run", "nosuch"], "没有名为 'nosuch' 的报告；可用的报告：ab_test", "unknown playbook 'nosuch'; playbooks: ab_test"),
    (["run", "data_overview", "-p", "nn", "3"], "data_overview 没有参数 'nn'；可用的参数：store (str)", "data_overview has no parameter 'nn'"),
    (["run", "data_overview", "-p", "top_n", "many"], "data_overview：参数 top_n 应为整数，收到 'many'", "parameter top_n must be int, got 'many'"),
    (["run", "data_overview", "-p", "start", "2026-13-01"], "data_overview：start 不是有效的日期：'2026-13-01'", "start is not a calendar date"),
    (
        ["run", "data_overview", "-p", "start", "2026-11-01", "-p", "end", "2026-10-01"],
        "开始日期 2026-11-01 晚于结束日期 2026-10-01",
        "start 2026-11-01 is after end",
    ),
    (["run", "data_overview", "--label", ".x"], "标签 '.x' 须以字母或数字开头", "label '.x' must start with a letter or digit"),
    (["run", "--all", "-p", "top_n", "3"], "--all 用默认参数运行所有报告", "--all runs every playbook with its defaults"),
    (["run", "data_overview", "--date", "1999-01-01"], "--date 1999-01-01 不在 2000-01-01 到 2999-12-31 之间", "--date 1999-01-01 is outside"),
    (["run", "data_overview", "--jobs", "0"], "--jobs 至少为 1", "--jobs must be 1 or more"),
]


@pytest.mark.parametrize("args, zh, en", CLI_ERRORS, ids=[" ".join(a[1:3]) + f" {i}" for i, (a, _, _) in enumerate(CLI_ERRORS)])
def test_the_command_lines_parameter_errors_speak_the_runs_language(args, zh, en, sample_store, tmp_path):
    common = ["--store", str(sample_store), "--reports", str(tmp_path)]
    for extra, wanted, unwanted in (([], zh, en), (["--lang", "en"], en, zh)):
        proc = subprocess.run([sys.executable, "-m", "smkit.run.cli", *args, *common, *extra], capture_output=True, text=True, timeout=120)
        assert proc.returncode == 2, proc.stderr
        assert proc.stderr.strip().count("\n") == 0 and wanted in proc.stderr and unwanted not in proc.stderr, proc.stderr
        assert not list(tmp_path.rglob("*.ipynb"))  # refused before any kernel


def test_the_run_layer_validates_notebooks_without_compiling_the_iri_grammars():
    """rfc3987_syntax (2-7 s of Earley parsers at import) is declined; nbformat still validates."""
    code = (
        "import sys, smkit.run.runner, papermill, nbconvert, nbformat\n"
        "nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell('1')])\n"
        "nbformat.validate(nb)\n"
        "bad = nbformat.v4.new_notebook(); bad.cells = [{'cell_type': 'code'}]\n"
        "try:\n    nbformat.validate(bad)\nexcept nbformat.ValidationError:\n    print('refused')\n"
        "print(sys.modules.get('rfc3987_syntax'))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["refused", "None"]
