"""Chinese help for every playbook parameter, in the appendix of a zh report."""

from __future__ import annotations

import html
import re

import pytest

from smkit.run import catalog, report_html
from smkit.run.catalog import Manifest
from smkit.run.parameter_help import ZH, help_text

BOOKS = catalog.list_playbooks()
HELPS = {p.help for b in BOOKS for p in b.parameters}
CJK = re.compile(r"[\u4e00-\u9fff]")


def test_every_parameter_of_every_playbook_has_a_chinese_help():
    missing = sorted(f"{b.name}.{p.name}: {p.help!r}" for b in BOOKS for p in b.parameters if p.help not in ZH)
    assert not missing, "no Chinese help (translate it in smkit/run/parameter_help.py):\n" + "\n".join(missing)
    assert sorted(set(ZH) - HELPS) == []  # no translation of a help text that is gone
    assert len(HELPS) > 100


@pytest.mark.parametrize("english", sorted(ZH))
def test_a_chinese_help_is_chinese_and_keeps_its_codes(english):
    zh = ZH[english]
    assert CJK.search(zh) and zh != english
    assert not re.search(r"\b(empty|the|for|of|and|or)\b", zh), zh  # no English sentence left
    for code in re.findall(r"YYYY-MM-DD|[Ⅰ-Ⅳ]:\d+|\b[a-z]+_[a-z_]+\b|data/reference/\w+\.csv", english):
        assert code in zh, (english, code)  # dates formats, column names, files and example values as typed


def _manifest(book: catalog.Playbook, lang: str) -> Manifest:
    return Manifest(book.name, book.name, {}, "ok", None, "2026-11-20T09:00:00+08:00", 1.0, "0.1.0", "abc", "store.duckdb", "f" * 16, "x", lang)


@pytest.mark.parametrize("book", BOOKS, ids=[b.name for b in BOOKS])
def test_a_zh_appendix_explains_the_parameters_in_chinese_and_an_en_one_in_english(book):
    zh = report_html._appendix(book, _manifest(book, "zh"), "zh", "")
    en = report_html._appendix(book, _manifest(book, "en"), "en", "")
    for p in book.parameters:
        assert f"<td>{html.escape(ZH[p.help])}</td></tr>" in zh
        assert html.escape(p.help) not in zh, p.help
        assert f"<td>{html.escape(p.help)}</td></tr>" in en
        assert html.escape(ZH[p.help]) not in en


def test_a_help_without_a_translation_stays_english():
    assert help_text("how many", "zh") == "how many" and help_text("random seed", "en") == "random seed"
    assert help_text("random seed", "zh") == "随机种子"
