"""Numbers, dates, names and warning levels as Chinese and English readers expect them."""

from __future__ import annotations

import datetime as dt
import re

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from smkit import i18n, viz


@pytest.mark.parametrize(
    ("value", "zh", "en"),
    [
        (0, "0", "0"),
        (9_999, "9,999", "9,999"),
        (10_000, "1万", "10,000"),
        (123_456, "12.3万", "123,456"),
        (3_747_628, "375万", "3,747,628"),
        (105_000_000, "1.05亿", "105,000,000"),
        (-25_000, "-2.5万", "-25,000"),
        (12.5, "12.5", "12.5"),
        (float("nan"), "–", "–"),
        (None, "–", "–"),
        (pd.NA, "–", "–"),  # a missing cell of a nullable integer column
        (np.int64(12_345), "1.23万", "12,345"),
    ],
)
def test_counts_use_wan_and_yi_in_chinese_and_separators_in_english(value, zh, en):
    assert i18n.count(value, "zh") == zh
    assert i18n.count(value, "en") == en


def test_money_percent_and_dates():
    assert i18n.money(1234567.8) == "¥1,234,568" and i18n.money(-660, "en") == "-¥660"
    assert i18n.money(0.456, decimals=2) == "¥0.46"
    assert i18n.percent(0.125) == "12.5%" and i18n.percent(0.032, signed=True) == "+3.2%" and i18n.percent(None) == "–"
    assert i18n.money(pd.NA) == i18n.percent(pd.NA) == i18n.percent(float("nan")) == "–"
    day = dt.date(2026, 11, 26)
    assert i18n.date(day) == "2026年11月26日" and i18n.date(day, short=True) == "11月26日"
    assert i18n.date("2026-11-26T09:00:00", "en") == "26 Nov 2026" and i18n.date(day, "en", short=True) == "26 Nov"


def test_axes_never_show_an_offset_multiplier():
    viz.set_theme()  # the CJK font, for 万
    fig, ax = plt.subplots()
    ax.plot([0, 1, 2], [1_000_000, 2_500_000, 4_000_000])
    i18n.count_axis(ax, "zh")
    fig.canvas.draw()
    labels = [t.get_text() for t in ax.get_yticklabels() if t.get_text()]
    assert labels and all(label.endswith("万") or label == "0" for label in labels), labels
    assert ax.yaxis.get_offset_text().get_text() == ""
    plt.close(fig)


def test_names_people_know_and_data_kept_as_it_is():
    assert [i18n.platform(p) for p in ("weibo", "douyin", "xiaohongshu", "wechat", "wechat_channels", "bilibili", "kuaishou")] == [
        "微博", "抖音", "小红书", "微信公众号", "视频号", "B站", "快手",
    ]  # fmt: skip
    assert i18n.content_type("image_text") == "图文" and i18n.content_type("video") == "短视频" and i18n.content_type("live") == "直播"
    assert i18n.platform("MyForum") == "MyForum"  # an unknown platform is data: never translated
    assert set(i18n.PLATFORMS["zh"]) == set(i18n.PLATFORMS["en"]) and set(i18n.CONTENT_TYPES["zh"]) == set(i18n.CONTENT_TYPES["en"])


def test_warning_levels_follow_the_chinese_emergency_convention():
    assert i18n.level_name(4) == "Ⅰ级 特别重大（红色）"  # the most severe
    assert i18n.level_name(3) == "Ⅱ级 重大（橙色）" and i18n.level_name(1) == "Ⅳ级 一般（蓝色）"
    assert i18n.level_name(3, "en") == "Level II (orange, major)"
    for spelled in ("Ⅱ", "II", "2", "Ⅱ级", "level II", " ii "):
        assert i18n.parse_level(spelled) == 3, spelled
    assert i18n.parse_level("Ⅰ") > i18n.parse_level("Ⅳ")  # severity grows with danger
    with pytest.raises(ValueError, match="unknown warning level 'V'"):
        i18n.parse_level("V")


def test_every_message_exists_in_every_language_with_the_same_placeholders():
    keys = {lang: set(table) for lang, table in i18n.MESSAGES.items()}
    assert set(keys) == set(i18n.LANGUAGES) and keys["zh"] == keys["en"]
    for key in keys["zh"]:
        assert i18n.placeholders(i18n.MESSAGES["zh"][key]) == i18n.placeholders(i18n.MESSAGES["en"][key]), key
    assert i18n.text("period", "zh", start="11月1日", end="11月26日") == "11月1日至11月26日"
    with pytest.raises(ValueError, match="valid: zh, en"):
        i18n.text("period", "fr")


def _catalogs():
    import importlib
    import pkgutil

    import smkit

    found = {}
    for info in pkgutil.walk_packages(smkit.__path__, "smkit."):
        if info.name.rpartition(".")[2] in ("messages", "i18n"):
            module = importlib.import_module(info.name)
            for name, value in vars(module).items():
                if isinstance(value, i18n.Catalog):
                    found[f"{info.name}.{name}"] = value
    return found


def test_every_catalog_has_every_message_in_every_language_with_the_same_placeholders():
    catalogs = _catalogs()
    for where, catalog in catalogs.items():
        assert set(catalog.messages) == set(i18n.LANGUAGES), where
        keys = {lang: set(table) for lang, table in catalog.messages.items()}
        assert keys["zh"] == keys["en"], (where, keys["zh"] ^ keys["en"])
        for key, template in catalog.messages["zh"].items():
            assert i18n.placeholders(template) == i18n.placeholders(catalog.messages["en"][key]), (where, key)


def test_sample_topics_have_words_and_a_users_own_topic_stays_as_written():
    assert i18n.topic("behind_scenes", "zh") == "幕后花絮" and i18n.topic("behind_scenes", "en") == "behind the scenes"
    assert set(i18n.TOPICS["zh"]) == set(i18n.TOPICS["en"])
    assert i18n.topic("新品测评", "en") == "新品测评"


@pytest.mark.parametrize("playbook", ["campaign_postmortem", "market_analysis", "campaign_pacing"])
def test_an_absent_section_is_explained_in_the_report_language(playbook):
    """On a store without a section's table, the sentence in its place is Chinese in zh and the run layer's own words in en."""
    import importlib
    from types import SimpleNamespace

    report = importlib.import_module(f"smkit.playbooks.{playbook}.report")
    needs = importlib.import_module(f"smkit.playbooks.{playbook}.needs").NEEDS
    result = SimpleNamespace(missing=needs.missing([]))
    for section in result.missing:
        assert report.missing_text(result, section, "en") == result.missing[section]
        zh = report.missing_text(result, section, "zh")
        assert zh.startswith("*仓库中没有") and "smkit ingest FILE --table" in zh
        assert not re.search(r"[A-Za-z]{4,}", zh.split("（`")[0]), zh  # no English words (KPI is the Chinese usage too) outside the command
    assert report.missing_text(result, "", "zh").count("仓库中没有") == len(result.missing)


def test_whole_count_rounds_and_shows_missing_as_a_dash():
    import numpy as np
    import pandas as pd

    assert i18n.whole_count(123456.6, "zh") == "12.3万" and i18n.whole_count(123456.6, "en") == "123,457"
    assert i18n.whole_count(np.int64(42), "en") == "42" and i18n.whole_count(9.5, "en") == "10"
    assert [i18n.whole_count(v) for v in (None, float("nan"), pd.NA, np.nan)] == ["–"] * 4


def test_a_reason_with_a_code_is_said_in_the_language_and_any_other_in_its_own_words():
    from smkit.methods.causal import NotEstimable

    t = i18n.Catalog({"zh": {"why_gap": "{first}起缺了 {days} 天{metric}"}, "en": {"why_gap": "{days} day(s) of {metric} missing from {first}"}})
    exc = NotEstimable("gap", "English", days=2, first=dt.date(2026, 11, 3), metric="views")
    assert t.reason(exc, "zh", metric=lambda m: {"views": "播放量"}[m]) == "2026年11月3日起缺了 2 天播放量"
    assert t.reason(exc, "en") == "2 day(s) of views missing from 3 Nov 2026"
    assert t.reason(ValueError("plain"), "zh") == "plain" and t.reason(NotEstimable("other", "no words for it"), "zh") == "no words for it"
    import copy
    import pickle

    for again in (pickle.loads(pickle.dumps(exc)), copy.deepcopy(exc)):
        assert (again.code, again.values, str(again)) == ("gap", exc.values, "English")
