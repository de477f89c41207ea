"""``smkit run --all`` on a store with some tables: the playbooks it can serve
run, the others are skipped with one line each in the reader's language."""

import shutil

import duckdb
import pytest

from smkit.run import catalog, cli


@pytest.fixture
def mentions_only(sample_store, tmp_path):
    """The sample store with nothing but its mentions (a listening tool's export alone)."""
    path = tmp_path / "mentions.duckdb"
    shutil.copy(sample_store, path)
    with duckdb.connect(str(path)) as con:
        for (table,) in con.execute("SELECT table_name FROM information_schema.tables").fetchall():
            if table != "mentions":
                con.execute(f'DROP TABLE "{table}"')
    return path


def _planned(monkeypatch, argv):
    planned = []
    monkeypatch.setattr(cli, "_run_entries", lambda entries, args: planned.extend(entries) or 0)
    return cli.main(argv), planned


def test_run_all_skips_what_the_store_cannot_serve_and_runs_the_rest(mentions_only, monkeypatch, capsys):
    code, planned = _planned(monkeypatch, ["run", "--all", "--store", str(mentions_only)])
    assert code == 0
    assert [e["playbook"] for e in planned] == ["data_overview"]
    lines = capsys.readouterr().err.splitlines()
    skipped = [line for line in lines if line.startswith("跳过：")]
    assert len(skipped) == len(catalog.list_playbooks()) - 1
    assert any(line.startswith("跳过：用户画像需要 audience 表，由粉丝或用户导出") for line in skipped)
    # Several brands and no team table: the monitor cannot tell which is ours.
    assert any(line.startswith("跳过：口碑与危机预警：请用 -p brand 名称 指定我方品牌") and "Lumina、Orbi、Vexa" in line for line in skipped)
    assert not any("needs the" in line or "give our brand" in line for line in lines)


def test_run_all_in_english_says_what_it_skipped_in_english(mentions_only, monkeypatch, capsys):
    code, planned = _planned(monkeypatch, ["run", "--all", "--lang", "en", "--store", str(mentions_only)])
    assert code == 0
    err = capsys.readouterr().err
    assert "skipped: personas needs the audience table" in err
    assert "skipped: reputation_monitor: brand: give our brand's name" in err


def test_one_playbook_the_store_cannot_serve_is_still_an_error(mentions_only, capsys):
    assert cli.main(["run", "personas", "--store", str(mentions_only)]) == 2
    assert "用户画像需要 audience 表" in capsys.readouterr().err


def test_a_store_that_serves_nothing_runs_nothing(tmp_path, monkeypatch, capsys):
    path = tmp_path / "empty.duckdb"
    duckdb.connect(str(path)).close()
    code, planned = _planned(monkeypatch, ["run", "--all", "--store", str(path)])
    assert (code, planned) == (2, [])
    assert "这个数据库上没有可运行的报告" in capsys.readouterr().err


def test_a_notebook_on_such_a_store_stops_with_the_same_line_in_its_language(mentions_only):
    from smkit.playbook import setup
    from smkit.playbooks.personas import NEEDS
    from smkit.requirements import MissingData

    with pytest.raises(MissingData, match="^本报告需要 audience 表，由粉丝或用户导出"):
        setup(store=str(mentions_only), needs=NEEDS, lang="zh")
    with pytest.raises(MissingData, match="^this playbook needs the audience table"):
        setup(store=str(mentions_only), needs=NEEDS, lang="en")
