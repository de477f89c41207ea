"""The documentation site: every page in both languages, the plan map complete,
quoted figures tied to the scripts and tests that measure them, parameters and
export headers in step with the code, and a site that fetches nothing."""

import csv
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from smkit.data.schema import TABLES
from smkit.rules import PLATFORM_ENGAGEMENT
from smkit.run.catalog import list_playbooks

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
LANGS = ("zh", "en")

# Every chapter and section of the plan (互联网行业社交媒体运营方案), from its
# table of contents: the text stops after 9.2.2, 9.3 and chapter 10 exist only
# in the contents, and the map covers them all the same.
PLAN_SECTIONS = [
    *("1.1", "1.2", "1.3"),
    *("2.1", "2.2", "2.3"),
    *("3.1", "3.1.1", "3.1.2", "3.1.3", "3.1.4", "3.1.5"),
    *("3.2", "3.2.1", "3.2.2", "3.2.3", "3.2.4"),
    *("3.3", "3.3.1", "3.3.2", "3.3.3", "3.3.4", "3.3.5", "3.3.6"),
    *("4.1", "4.1.1", "4.1.2", "4.1.3", "4.2", "4.2.1", "4.2.2", "4.2.3", "4.3", "4.3.1", "4.3.2", "4.3.3"),
    *("5.1", "5.2", "5.3"),
    *("6.1", "6.2", "6.3"),
    *("7.1", "7.1.1", "7.1.2", "7.1.3", "7.1.4", "7.1.5"),
    *("7.2", "7.2.1", "7.2.2", "7.2.3", "7.2.4", "7.2.5"),
    *("7.3", "7.3.1", "7.3.2", "7.3.3", "7.3.4"),
    *("8.1", "8.1.1", "8.1.2", "8.2", "8.2.1", "8.2.2", "8.2.3", "8.3", "8.3.1", "8.3.2"),
    *("9.1", "9.1.1", "9.1.2", "9.2", "9.2.1", "9.2.2", "9.3", "9.3.1", "9.3.2"),
    *("10.1", "10.2", "10.3"),
]
CHAPTER_HEADINGS = {
    "zh": ["第一章", "第二章", "第三章", "第四章", "第五章", "第六章", "第七章", "第八章", "第九章", "第十章"],
    "en": [f"## {n} " for n in range(1, 11)],
}
NOT_COVERED = {"zh": "**不覆盖**", "en": "**not covered**"}

MEASURED = re.compile(r'^!!! measured "(.*)"\s*$', re.MULTILINE)
SOURCE = re.compile(r"`((?:scripts|tests)/[\w/]+\.py)(?:::(\w+))?`")
HEADER_PAIR = re.compile(r"`([^`]+)` → `([a-z_]+)`")


def _pages(lang: str) -> dict[str, Path]:
    return {str(p.relative_to(DOCS)).replace(f".{lang}.md", ""): p for p in DOCS.rglob(f"*.{lang}.md")}


def _text(page: str, lang: str) -> str:
    return (DOCS / f"{page}.{lang}.md").read_text(encoding="utf-8")


def _nav_pages(nav) -> list[str]:
    out = []
    for item in nav:
        value = next(iter(item.values())) if isinstance(item, dict) else item
        out += _nav_pages(value) if isinstance(value, list) else [value.removesuffix(".md")]
    return out


def _config() -> dict:
    class Loader(yaml.SafeLoader):
        pass

    # mkdocs.yml names a Python callable (the heading slugifier) with a tag yaml's safe loader does not know.
    Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
    return yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)


def test_every_page_exists_in_both_languages_and_is_in_the_navigation():
    zh, en = _pages("zh"), _pages("en")
    assert set(zh) == set(en), {"only zh": set(zh) - set(en), "only en": set(en) - set(zh)}
    assert sorted(_nav_pages(_config()["nav"])) == sorted(zh)
    assert len(zh) >= 20


def test_every_playbook_has_a_page_listing_every_parameter_smkit_list_prints():
    playbooks = list_playbooks()
    assert len(playbooks) == 11
    for pb in playbooks:
        for lang in LANGS:
            text = _text(f"playbooks/{pb.name}", lang)
            missing = [p.name for p in pb.parameters if f"`{p.name}`" not in text]
            assert not missing, (pb.name, lang, missing)


def test_the_plan_map_covers_every_section_and_links_each_covered_one_to_a_playbook():
    assert len(PLAN_SECTIONS) == len(set(PLAN_SECTIONS)) == 81
    for lang in LANGS:
        text = _text("plan-map", lang)
        for heading in CHAPTER_HEADINGS[lang]:
            assert heading in text, (lang, heading)
        covered = 0
        for section in PLAN_SECTIONS:
            rows = [line for line in text.splitlines() if line.startswith(f"| {section} |")]
            assert len(rows) == 1, (lang, section, len(rows))
            row = rows[0]
            if NOT_COVERED[lang] in row:
                assert "](playbooks/" not in row, (lang, section, "both covered and not covered")
                assert row.rstrip(" |").split("|")[-1].strip(), (lang, section, "not covered without a reason")
            else:
                assert "](playbooks/" in row, (lang, section, "covered without a link to its playbook page")
                covered += 1
        assert covered >= 65, (lang, covered)


def test_the_plan_map_marks_the_same_sections_not_covered_in_both_languages():
    def not_covered(lang):
        return {s for s in PLAN_SECTIONS for line in _text("plan-map", lang).splitlines() if line.startswith(f"| {s} |") and NOT_COVERED[lang] in line}

    assert not_covered("zh") == not_covered("en")
    assert {"1.1", "3.1.3", "5.1", "7.2.1", "9.2.1", "10.2"} <= not_covered("en")


def test_every_quoted_figure_names_a_script_or_test_that_exists():
    """A measured block names where its figures come from; removing or renaming
    the script or test function fails here."""
    blocks = 0
    for lang in LANGS:
        for page, path in _pages(lang).items():
            for title in MEASURED.findall(path.read_text(encoding="utf-8")):
                blocks += 1
                sources = SOURCE.findall(title)
                assert sources, (page, lang, title)
                for file, function in sources:
                    assert (ROOT / file).is_file(), (page, lang, file)
                    if function:
                        assert re.search(rf"^def {function}\(", (ROOT / file).read_text(encoding="utf-8"), re.MULTILINE), (page, lang, file, function)
    assert blocks >= 2 * 11


def test_both_languages_quote_figures_from_the_same_sources():
    for page in _pages("en"):
        zh = sorted(SOURCE.findall(" ".join(MEASURED.findall(_text(page, "zh")))))
        en = sorted(SOURCE.findall(" ".join(MEASURED.findall(_text(page, "en")))))
        assert zh == en, page


def test_figures_are_the_same_numbers_in_both_languages():
    """The Chinese and English measured blocks quote the same figures (numbers
    with a decimal point, which a translation has no reason to change)."""

    def figures(lang, page):
        text = _text(page, lang)
        blocks = re.findall(r'^!!! measured ".*"\n((?:    .*\n?)+)', text, re.MULTILINE)
        return sorted(re.findall(r"\d+\.\d+", " ".join(blocks)))

    for page in _pages("en"):
        assert figures("zh", page) == figures("en", page), page


def test_export_guide_maps_only_headers_the_alias_table_knows():
    with (ROOT / "smkit" / "data" / "aliases.csv").open(encoding="utf-8") as f:
        known = {(row["alias"].strip().lower(), row["column"].strip()) for row in csv.DictReader(f)}
    for lang in LANGS:
        pairs = HEADER_PAIR.findall(_text("exports", lang))
        assert len(pairs) >= 120, (lang, len(pairs))
        unknown = [p for p in pairs if (p[0].strip().lower(), p[1]) not in known]
        assert not unknown, (lang, unknown)


def test_export_guide_covers_every_platform_and_tool_the_issue_names():
    for lang in LANGS:
        text = _text("exports", lang)
        for name in ("抖音", "巨量引擎", "小红书", "蒲公英", "微博", "微信公众平台", "视频号助手", "B站", "快手", "LinkedIn", "达人", "data/examples/"):
            assert name in text, (lang, name)


def test_the_data_model_pages_name_every_column():
    english = _text("reference/data-model", "en")
    assert '--8<-- "docs/data-model.md"' in english  # the English page is the file tests/test_packaging.py checks
    chinese = _text("reference/data-model", "zh")
    for table in TABLES.values():
        assert f"`{table.name}`" in chinese, table.name
        for column in table.columns:
            assert f"`{column}`" in chinese, (table.name, column)


def test_the_glossary_states_each_platforms_engagement_parts_as_smkit_rules_count_them():
    words = {"likes": "likes", "comments": "comments", "shares": "shares", "saves": "saves", "recommends": "recommends", "coins": "coins", "danmaku": "danmaku"}
    labels = {
        "weibo": "Weibo",
        "douyin": "Douyin",
        "kuaishou": "Kuaishou",
        "xiaohongshu": "Xiaohongshu",
        "wechat": "WeChat |",
        "wechat_channels": "Channels",
        "bilibili": "Bilibili",
        "linkedin": "| LinkedIn |",
    }
    lines = _text("glossary", "en").splitlines()
    for platform, parts in PLATFORM_ENGAGEMENT.items():
        row = next(line for line in lines if labels[platform] in line and "+" in line and line.startswith("|"))
        counted = row.split("|")[-2]
        assert counted.count("+") == len(parts) - 1, (platform, row)
        for part in parts:
            assert words[part] in counted, (platform, part, row)


def test_the_site_config_fetches_nothing_at_view_time():
    config = _config()
    assert config["theme"]["font"] is False
    assert not [u for u in config.get("extra_javascript", []) + config.get("extra_css", []) if "://" in str(u)]
    assert not re.search(r"https?://", (DOCS / "assets" / "extra.css").read_text())


@pytest.mark.slow
def test_the_site_builds_strictly_in_both_languages_and_loads_nothing_from_the_network(tmp_path):
    site = tmp_path / "site"
    built = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"},
        timeout=300,
    )
    assert built.returncode == 0, built.stderr[-3000:]
    for page in ("quickstart", "plan-map", "playbooks/reputation_monitor"):
        zh, en = site / page / "index.html", site / "en" / page / "index.html"
        assert zh.is_file() and en.is_file(), page
        assert 'lang="zh"' in zh.read_text(encoding="utf-8") and 'lang="en"' in en.read_text(encoding="utf-8")
    external = re.compile(r"<(?:script|link|img|iframe)[^>]+(?:src|href)=\"(?:https?:)?//", re.IGNORECASE)
    for html in site.rglob("*.html"):
        assert not external.search(html.read_text(encoding="utf-8")), html
    for css in site.rglob("*.css"):
        assert not re.search(r"@import\s+url\(\s*['\"]?https?:|fonts\.googleapis", css.read_text(encoding="utf-8")), css
