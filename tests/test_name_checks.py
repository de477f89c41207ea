"""Names given as parameters are checked against the store before any kernel
starts, and ``brand``/``account`` left empty resolve to our one own account."""

from __future__ import annotations

import time
from pathlib import Path

import duckdb
import pytest

from smkit.requirements import MissingData, Names, Needs, check_names, did_you_mean, missing_sentence, own_accounts, present_tables
from smkit.run import catalog


def _store(path: Path, posts: list[tuple[str, str]], mentions: tuple[str, ...] = (), team: tuple[str, ...] = ()) -> Path:
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE posts (platform VARCHAR, account VARCHAR, post_id VARCHAR, channel VARCHAR, published_at TIMESTAMPTZ)")
    for i, (account, channel) in enumerate(posts):
        con.execute("INSERT INTO posts VALUES ('douyin', ?, ?, ?, TIMESTAMPTZ '2026-10-01 10:00+08')", [account, str(i), channel])
    if mentions:
        con.execute("CREATE TABLE mentions (platform VARCHAR, mention_id VARCHAR, brand VARCHAR, text VARCHAR, published_at TIMESTAMPTZ)")
        for i, brand in enumerate(mentions):
            con.execute("INSERT INTO mentions VALUES ('weibo', ?, ?, 'hi', TIMESTAMPTZ '2026-10-01 10:00+08')", [str(i), brand])
    if team:
        con.execute("CREATE TABLE team (platform VARCHAR, account VARCHAR, post_id VARCHAR, owner VARCHAR, role VARCHAR)")
        for account in team:
            con.execute("INSERT INTO team VALUES (NULL, ?, NULL, 'Wang', 'lead')", [account])
    con.close()
    return path


BRAND = Needs(core=("posts",), names={"brand": Names((("posts", "account"), ("mentions", "brand")), own=True)})


def test_one_own_account_is_used_and_kols_do_not_count(tmp_path):
    store = _store(tmp_path / "s.duckdb", [("test", "owned"), ("test", None), ("达人A", "kol")])
    assert check_names(store, BRAND, {"brand": ""}, present_tables(store)) == {"brand": "test"}
    assert own_accounts(store, present_tables(store)) == (["test"], ["达人A"])


def test_several_brand_accounts_are_refused_with_ours_and_the_kols_listed_apart(tmp_path):
    store = _store(tmp_path / "s.duckdb", [("Lumina", "owned"), ("Vexa", "owned"), ("达人A", "kol")])
    with pytest.raises(MissingData) as err:
        check_names(store, BRAND, {"brand": ""}, present_tables(store))
    text = str(err.value)
    assert "brand accounts (ours or competitors'" in text and ": Lumina, Vexa;" in text
    assert text.endswith("KOL and other accounts, not ours: 达人A")
    assert "\n" not in text


def test_the_team_table_names_our_own_account_and_competitors_go_apart(tmp_path):
    store = _store(tmp_path / "s.duckdb", [("Lumina", "owned"), ("Vexa", "owned"), ("达人A", "kol")], mentions=("Lumina", "Vexa"), team=("Lumina",))
    assert check_names(store, BRAND, {"brand": ""}, present_tables(store)) == {"brand": "Lumina"}
    assert own_accounts(store, present_tables(store)) == (["Lumina"], ["Vexa", "达人A"])


def test_a_typo_is_refused_with_did_you_mean(tmp_path):
    store = _store(tmp_path / "s.duckdb", [("Lumina", "owned")], mentions=("Lumina", "Orbi"))
    with pytest.raises(
        MissingData, match=r"brand 'Lumnia' is not in the store \(posts.account or mentions.brand\). Did you mean 'Lumina'\? Names found: Lumina, Orbi"
    ):
        check_names(store, BRAND, {"brand": "Lumnia"}, present_tables(store))
    assert check_names(store, BRAND, {"brand": "Orbi"}, present_tables(store)) == {}  # a name present passes, nothing resolved


def test_did_you_mean_ignores_case_and_says_nothing_when_nothing_is_close():
    assert did_you_mean("lumina", ["Lumina", "Orbi"]) == " Did you mean 'Lumina'?"
    assert did_you_mean("zzz", ["Lumina", "Orbi"]) == ""


def test_list_parameters_check_each_name_and_keywords_pass(tmp_path):
    store = _store(tmp_path / "s.duckdb", [("Lumina", "owned"), ("Orbi", "owned")])
    needs = Needs(core=("posts",), names={"account": Names((("posts", "account"),), own=True, many=True, keywords=("all",))})
    assert check_names(store, needs, {"account": "all"}, present_tables(store)) == {}
    assert check_names(store, needs, {"account": "Lumina，Orbi"}, present_tables(store)) == {}
    with pytest.raises(MissingData, match="account 'Orbbi'"):
        check_names(store, needs, {"account": "Lumina, Orbbi"}, present_tables(store))


def test_the_missing_sentence_names_the_table_and_the_export():
    assert missing_sentence("follower growth", ["account_daily"]) == (
        "*No account_daily in the store: follower growth needs the account overview export (`smkit ingest FILE --table account_daily`).*"
    )


def test_the_catalog_refuses_a_typo_quickly_and_resolves_our_account(tmp_path):
    store = _store(tmp_path / "s.duckdb", [("Lumina", "owned")], mentions=("Lumina", "Orbi"), team=("Lumina",))
    book = catalog.find_playbook("reputation_monitor")
    t0 = time.perf_counter()
    with pytest.raises(catalog.ParameterError, match="口碑与危机预警：brand 'Lumnia' 不在数据库里.*是不是 'Lumina'？"):
        catalog.coerce_parameters(book, {"store": str(store), "brand": "Lumnia"})  # in the report's language, zh by default
    assert time.perf_counter() - t0 < 2
    with pytest.raises(catalog.ParameterError, match="reputation_monitor: brand 'Lumnia' is not in the store.* Did you mean 'Lumina'"):
        catalog.coerce_parameters(book, {"store": str(store), "brand": "Lumnia", "lang": "en"})
    assert catalog.coerce_parameters(book, {"store": str(store)})["brand"] == "Lumina"


def test_relative_paths_are_taken_from_where_the_user_stands(tmp_path, monkeypatch):
    _store(tmp_path / "s.duckdb", [("Lumina", "owned")])
    monkeypatch.chdir(tmp_path)
    got = catalog.coerce_parameters(catalog.find_playbook("content_performance"), {"store": "s.duckdb"})
    assert got["store"] == str(tmp_path / "s.duckdb") and got["account"] == "Lumina"
    with pytest.raises(catalog.ParameterError, match=r"store: nope.duckdb does not exist \(looked in "):
        catalog.coerce_parameters(catalog.find_playbook("content_performance"), {"store": "nope.duckdb"})
