"""Every playbook on a team's own data: any subset of tables.

The matrix: every playbook against stores holding each single table, the
natural pairs and all tables, cut from a small sample store. Each run is
either refused before a kernel starts (the catalog's one line) or runs
in-process through every cell of its notebook (as a kernel would) and shows
a sentence for each absent section: never a traceback, a DuckDB error or NaN.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import matplotlib
import pandas as pd
import pytest

from smkit.data.aliases import map_headers
from smkit.playbooks import ab_test
from smkit.playbooks.ab_test.inputs import Inputs as AbInputs
from smkit.run import catalog
from smkit.sample import build_sample_store

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parent.parent
SMKIT = Path(sys.executable).parent / "smkit"
TABLES = ("posts", "account_daily", "audience", "mentions", "campaigns", "experiments", "community_activity", "team", "creators", "creator_daily")
SETS = [(t,) for t in TABLES] + [
    ("posts", "account_daily"),
    ("posts", "mentions"),
    ("account_daily", "campaigns"),
    ("posts", "campaigns"),
    ("account_daily", "mentions"),
    ("account_daily", "community_activity"),
    ("posts", "team"),
    ("posts", "audience"),
    ("creators", "audience"),
    TABLES,
]
# What each playbook does with each table set (with brand/account given): run, or be refused for its core table.
CORE = {
    "data_overview": None,  # any table
    "ab_test": "experiments",
    "campaign_postmortem": "campaigns",
    "campaign_pacing": ("campaigns", "account_daily"),
    "personas": "audience",
    "market_analysis": "posts",
    "content_performance": "posts",
    "reputation_monitor": "mentions",
    "ops_review": "account_daily",
    "kol_selection": "creators",
    "community": "community_activity",
}
FAST = {"personas": {"k": 3}}  # a fixed k keeps the matrix quick
GROWTH_SENTENCE = (
    "*No account_daily in the store: follower growth and the daily views trend needs the account overview export (`smkit ingest FILE --table account_daily`).*"
)
BAD = ("Traceback", "Catalog Error", "CatalogException", "Error:", "NaN", ">nan<", "pg_settings")


def _label(tables) -> str:
    return "all" if len(tables) == len(TABLES) else "+".join(tables)


@pytest.fixture(scope="session")
def table_sets(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("sets")
    full = build_sample_store(folder / "full" / "smkit.duckdb", scale=0.1)
    out = {}
    for tables in SETS:
        path = folder / _label(tables) / "s.duckdb"
        path.parent.mkdir()
        con = duckdb.connect(str(path))
        con.execute(f"ATTACH '{full}' AS src (READ_ONLY)")
        for t in tables:
            con.execute(f'CREATE TABLE "{t}" AS SELECT * FROM src."{t}"')
        con.close()
        out[_label(tables)] = path
    return out


def _render(value) -> str:
    import matplotlib.pyplot as plt

    if value is None:
        return ""
    if hasattr(value, "to_html"):
        return value.to_html()
    if hasattr(value, "savefig"):
        plt.close(value)
        return ""
    if hasattr(value, "data"):
        return str(value.data)
    return repr(value)


def run_in_process(notebook: Path, params: dict, outdir: Path) -> str:
    """Execute a playbook notebook's code cells in this process, ``params``
    overriding its parameters cell; returns what the cells displayed."""
    import IPython.display as ipd
    import matplotlib.pyplot as plt

    nb = json.loads(notebook.read_text(encoding="utf-8"))
    shown: list[str] = []
    ns: dict = {}
    real = ipd.display
    ipd.display = lambda *objs, **kw: shown.extend(_render(o) for o in objs)
    os.environ["SMKIT_REPORT_DIR"] = str(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    try:
        for cell in nb["cells"]:
            if cell["cell_type"] != "code":
                continue
            source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            tree = ast.parse(source)
            last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
            exec(compile(tree, str(notebook), "exec"), ns)
            if "parameters" in cell.get("metadata", {}).get("tags", []):
                ns.update(params)
            if last is not None:
                shown.append(_render(eval(compile(ast.Expression(last.value), str(notebook), "eval"), ns)))
    finally:
        ipd.display = real
        os.environ.pop("SMKIT_REPORT_DIR", None)
        plt.close("all")
    return "\n".join(shown)


def _core(playbook: str) -> tuple[str, ...]:
    core = CORE[playbook]
    return () if core is None else (core,) if isinstance(core, str) else core


def _expected(playbook: str, tables) -> str:
    return "ok" if all(t in tables for t in _core(playbook)) else "refused"


@pytest.mark.slow
@pytest.mark.parametrize("playbook", sorted(CORE))
def test_every_playbook_on_every_table_set_runs_or_is_refused_in_one_line(playbook, table_sets, tmp_path):
    book = catalog.find_playbook(playbook)
    names = {p.name: "Lumina" for p in book.parameters if p.name in ("brand", "account")}
    outcome = {}
    for tables in SETS:
        store = table_sets[_label(tables)]
        try:
            params = catalog.coerce_parameters(book, {"store": str(store), **names, **FAST.get(playbook, {})})
        except catalog.ParameterError as exc:
            message = str(exc)
            # in zh, the default report language
            assert "\n" not in message and any(f"需要 {t} 表" in message for t in _core(playbook)) and "smkit ingest FILE --table" in message, message
            outcome[_label(tables)] = "refused"
            continue
        text = run_in_process(book.path, {**params, "lang": "en"}, tmp_path / _label(tables))  # the sentences below are the English ones
        assert not [w for w in BAD if w in text], (playbook, tables)
        outcome[_label(tables)] = "ok"
        if playbook == "data_overview" and "posts" not in tables:
            assert "*No posts in the store: the posts per platform, metric coverage and top posts needs a posts list export" in text
        if playbook == "campaign_postmortem" and "mentions" not in tables:
            assert "*No mentions in the store: word of mouth during the campaign needs a social listening export" in text
        if playbook == "market_analysis" and "mentions" not in tables:
            assert "*No mentions in the store: share of voice, net sentiment and the mention trends needs" in text
        if playbook == "market_analysis" and "account_daily" not in tables:
            assert GROWTH_SENTENCE in text
    assert outcome == {_label(t): _expected(playbook, t) for t in SETS}


@pytest.mark.slow
def test_a_brand_left_empty_on_a_store_of_several_brands_is_refused_listing_them(table_sets):
    with pytest.raises(catalog.ParameterError) as err:
        catalog.coerce_parameters(catalog.find_playbook("reputation_monitor"), {"store": str(table_sets["mentions"])})
    assert "请用 -p brand 名称 指定我方品牌" in str(err.value) and "Lumina、Orbi、Vexa" in str(err.value)  # zh: the default report language
    # with the team table, the sample's own account is known: the run needs no brand
    got = catalog.coerce_parameters(catalog.find_playbook("ops_review"), {"store": str(table_sets["all"])})
    assert got["brand"] == "Lumina"


@pytest.mark.slow
def test_market_analysis_on_posts_and_mentions_says_where_follower_growth_would_be(table_sets, tmp_path):
    book = catalog.find_playbook("market_analysis")
    params = catalog.coerce_parameters(book, {"store": str(table_sets["posts+mentions"]), "brand": "Lumina", "lang": "en"})
    text = run_in_process(book.path, params, tmp_path / "market")
    assert text.count(GROWTH_SENTENCE) == 1
    at = text.index(GROWTH_SENTENCE)
    from smkit.playbooks.market_analysis.messages import T as market_words

    before = text[text.rfind("<table", 0, at) : at]  # right after the accounts table, where growth would be
    assert market_words("col_posts_week", "en") in before and market_words("col_growth", "en") not in before  # no growth column to show
    # with account_daily the sentence is gone
    full = run_in_process(book.path, catalog.coerce_parameters(book, {"store": str(table_sets["all"]), "brand": "Lumina", "lang": "en"}), tmp_path / "all")
    assert "No account_daily" not in full and "followers / 30 days" in full


# --- the examples ------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def douyin_only(tmp_path_factory) -> Path:
    store = tmp_path_factory.mktemp("douyin") / "F.duckdb"
    proc = subprocess.run(
        [
            str(SMKIT),
            "ingest",
            str(ROOT / "data/examples/douyin_works_export.csv"),
            "--table",
            "posts",
            "--platform",
            "douyin",
            "--account",
            "test",
            "--store",
            str(store),
        ],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    return store


@pytest.mark.slow
def test_data_overview_runs_on_a_store_of_one_douyin_export(douyin_only, tmp_path):
    proc = subprocess.run(
        [str(SMKIT), "run", "data_overview", "--store", str(douyin_only), "--reports", str(tmp_path), "--quiet", "--date", "2026-12-01"],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    manifest = json.loads((tmp_path / "2026-12-01/data_overview/manifest.json").read_text(encoding="utf-8"))
    assert manifest["status"] == "ok" and manifest["parameters"]["account"] == "test"
    html = (tmp_path / "2026-12-01/data_overview/report.html").read_text(encoding="utf-8")
    assert "仓库中没有账号每日数据：每日播放量图需要账号概览导出" in html  # the report is Chinese by default
    assert not [w for w in BAD if w in html]


@pytest.mark.slow
def test_a_wrong_brand_on_a_posts_only_store_is_refused_before_a_kernel_starts(douyin_only, tmp_path):
    proc = subprocess.run(
        [str(SMKIT), "run", "reputation_monitor", "-p", "brand", "test", "--store", str(douyin_only), "--reports", str(tmp_path)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2 and not (tmp_path / "index.html").exists()
    assert not list(tmp_path.rglob("*.ipynb"))  # no notebook was executed: the catalog refused first
    assert proc.stderr.strip().count("\n") == 0
    assert "口碑与危机预警需要 mentions 表，由舆情监测导出" in proc.stderr
    assert "pg_settings" not in proc.stderr and "Catalog" not in proc.stderr


@pytest.mark.slow
def test_a_relative_store_path_is_taken_from_where_the_user_stands(douyin_only, tmp_path):
    proc = subprocess.run(
        [str(SMKIT), "run", "data_overview", "-p", "store", douyin_only.name, "--reports", str(tmp_path), "--quiet", "--date", "2026-12-01"],
        capture_output=True,
        text=True,
        cwd=douyin_only.parent,
    )
    assert proc.returncode == 0, proc.stderr
    manifest = json.loads((tmp_path / "2026-12-01/data_overview/manifest.json").read_text(encoding="utf-8"))
    assert manifest["status"] == "ok" and manifest["parameters"]["store"] == str(douyin_only)


def test_ab_test_default_metrics_adapt_to_an_aggregated_export():
    rows = pd.DataFrame(
        {
            "experiment_id": "e1",
            "variant": ["control", "treatment"],
            "units": [1000, 1000],
            "clicks": [100, 130],
            "watch_seconds": [30000.0, 33000.0],
            "watch_seconds_sq": [1.2e6, 1.4e6],
        }
    )
    s = ab_test.settings(metrics="clicks/impressions, watch_seconds, converted", guardrails="hides", lower_is_better="hides")
    r = ab_test.analyze(AbInputs(rows, "e1"), s)
    assert [c.metric for c in r.comparisons] == ["watch_seconds", "clicks"]
    assert r.metric_notes == (
        "clicks/impressions: skipped (no impressions column)",
        "converted: skipped (no converted column)",
        "guardrail hides: skipped (no hides column)",
        "analysed the metric columns the data has: watch_seconds, clicks",
    )
    assert r.comparisons[0].rel_lift == pytest.approx(0.10) and r.decisions[0].decision == "ship"
    assert "- guardrail hides: skipped (no hides column)" in ab_test.report.metrics_text(r, "en")


@pytest.mark.parametrize("aggregated", [True, False])
def test_a_variant_with_zero_successes_is_not_estimated(aggregated):
    """3/500 against 0/500: Fisher's exact p is 0.25, so no p = 0 and no decision.
    GrowthBook's gbstats returns its uninformative default when a side has zero variance."""
    if aggregated:
        rows = pd.DataFrame({"experiment_id": "e", "variant": ["control", "treatment"], "units": [500, 500], "converted": [3, 0]})
    else:
        rows = pd.DataFrame(
            {
                "experiment_id": "e",
                "variant": ["control"] * 500 + ["treatment"] * 500,
                "unit_id": [str(i) for i in range(1000)],
                "converted": [1] * 3 + [0] * 997,
            }
        )
    r = ab_test.analyze(AbInputs(rows, "e"), ab_test.settings(metrics="converted"))
    c = r.comparisons[0]
    assert c.p_value is None and c.rel_lift is None and not c.ok
    assert (r.decisions[0].decision, r.decisions[0].rule) == ("keep running", "untestable")
    assert ab_test.report.note_text(c, "en").startswith("conversion rate cannot be estimated because no unit converted in treatment")


def test_zero_successes_in_control_is_not_estimated_either():
    rows = pd.DataFrame({"experiment_id": "e", "variant": ["control", "treatment"], "units": [500, 500], "converted": [0, 3]})
    r = ab_test.analyze(AbInputs(rows, "e"), ab_test.settings(metrics="converted"))
    assert r.comparisons[0].p_value is None and r.decisions[0].decision == "keep running"


def test_wechat_official_account_headers_are_kept():
    mapping = map_headers("posts", ["内容标题", "发表日期", "阅读人数", "阅读后关注人数", "送达人数", "在看人数"])
    assert mapping.columns["阅读后关注人数"] == "followers_gained"
    assert mapping.columns["送达人数"] == "reach"
    assert mapping.columns["在看人数"] == "recommends"
    assert not mapping.unmapped
