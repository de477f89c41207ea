"""Data overview: the brief and every section in Chinese and English, with the same numbers (issue 18)."""

from __future__ import annotations

import re

import pytest

from smkit import i18n
from smkit.params import Config
from smkit.playbooks import data_overview as pb
from smkit.playbooks.data_overview import report

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="session")
def result(sample_store):
    import datetime as dt

    return pb.run(Config(sample_store, dt.date(2026, 10, 4), dt.date(2026, 10, 31), {}), pb.settings(account="Lumina"))


def _texts(result, lang: str) -> str:
    parts = [
        report.brief(result, lang),
        report.tables_finding(result, lang),
        report.posts_finding(result, lang),
        report.availability_finding(result, lang),
        report.daily_finding(result, lang),
        report.top_finding(result, lang),
        report.tables_table(result, lang).to_html(),
        report.posts_by_platform_table(result, lang).to_html(),
        report.metric_availability_table(result, lang).to_html(),
        report.retention_metrics_table(result, lang).to_html(),
        report.top_posts_table(result, lang).to_html(),
    ]
    ax = report.daily_views_figure(result, lang).axes[0]
    parts += [ax.get_title(), ax.get_ylabel(), *(t.get_text() for t in ax.get_legend().get_texts())]
    return "\n".join(parts)


def _without_data(text: str, result) -> str:
    from html import escape

    data = [*result.top_posts["title"].astype(str), *result.top_posts["account"].astype(str), *result.by_platform.index.get_level_values("account").astype(str)]
    for value in sorted(set(data), key=len, reverse=True):
        text = text.replace(escape(value), "").replace(value, "")
    return text


def test_the_chinese_brief_gives_the_window_its_numbers_and_what_to_do(result):
    brief = report.brief(result, "zh")
    assert brief.startswith("本期（2026年10月4日至10月31日）")
    assert f"{result.posts_in_window} 条帖子" in brief and "个平台" in brief and "万" in brief  # counts in 万
    assert "播放最高的帖子是" in brief and result.top_posts.iloc[0]["title"] in brief  # the title is data, as written
    assert "跨平台比较只用这些" in brief  # what to do with the data
    assert 3 <= brief.count("。") <= 5
    assert "views" not in brief and "douyin" not in brief


def test_english_has_no_chinese_outside_the_data_and_chinese_no_codes(result):
    en = _without_data(_texts(result, "en"), result)
    found = CJK.search(en)
    assert not found, en[max(found.start() - 80, 0) : found.start() + 40] if found else ""
    zh = _without_data(_texts(result, "zh"), result)
    for code in ("douyin", "account_daily", "image_text", "video", "completion_rate", "views", "followers_gained"):
        assert code not in zh, code


def test_tables_keep_their_numbers_in_both_languages_and_drop_what_every_platform_has(result):
    for lang in ("zh", "en"):
        shown = report.metric_availability_table(result, lang).data
        assert "views" not in result.availability.columns or len(shown.columns) < len(result.availability.columns)
    assert report.tables_table(result, "zh").data["行数"].tolist() == report.tables_table(result, "en").data["rows"].tolist()
    assert report.top_posts_table(result, "zh").data["播放"].tolist() == result.top_posts["views"].tolist()
    assert pb.settings(lang="en").lang == "en" and pb.settings().lang == "zh"
    with pytest.raises(ValueError, match="valid: zh, en"):
        pb.settings(lang="fr")


def test_a_missing_section_names_its_export_in_the_reports_language(result):
    from dataclasses import replace

    partial = replace(result, missing={"daily_views": "*No account_daily in the store: the daily views chart needs the account overview export.*"})
    assert "账号概览导出" in report.missing_text(partial, "daily_views", "zh") and "account_daily" in report.missing_text(partial, "daily_views", "zh")
    assert report.missing_text(partial, "daily_views", "en").startswith("*No account_daily")
    assert "导入账号概览导出" in report.brief(partial, "zh")


def test_a_post_without_a_form_shows_a_dash_not_none(result):
    import dataclasses

    top = result.top_posts.copy()
    top["content_type"] = None  # an export with no 体裁 column
    html = report.top_posts_table(dataclasses.replace(result, top_posts=top), "zh").to_html()
    assert "None" not in html and "nan" not in html and "–" in html


def test_posts_without_views_rank_by_interactions_and_say_so(sample_store, tmp_path):
    """An export with no views at all (a Weibo or WeChat export often has none): the overview
    ranks the top posts by likes + comments + shares and never writes "0 views"."""
    import datetime as dt
    import shutil

    import duckdb

    store = tmp_path / "smkit.duckdb"
    shutil.copy(sample_store, store)
    with duckdb.connect(str(store)) as con:
        con.execute("UPDATE posts SET views = NULL")
        expected = con.execute(
            "SELECT title, coalesce(likes, 0) + coalesce(comments, 0) + coalesce(shares, 0) AS n FROM posts "
            "WHERE published_at >= TIMESTAMP '2026-10-04' AT TIME ZONE 'Asia/Shanghai' AND published_at < TIMESTAMP '2026-11-01' AT TIME ZONE 'Asia/Shanghai' "
            "ORDER BY n DESC LIMIT 3"
        ).fetchall()
    got = pb.run(Config(store, dt.date(2026, 10, 4), dt.date(2026, 10, 31), {}), pb.settings(account="Lumina", top_n=3))
    assert got.top_by == "interactions" and got.to_summary()["views_in_window"] is None
    assert list(zip(got.top_posts["title"], got.top_posts["interactions"])) == [(t, float(n)) for t, n in expected]
    assert got.by_platform["views"].isna().all() and got.by_platform["posts"].sum() == got.posts_in_window
    for lang, words in (("zh", "都没有播放数"), ("en", "none with views")):
        assert words in report.brief(got, lang) and words in report.posts_finding(got, lang)
        top = report.top_posts_table(got, lang)
        assert report.T("col_views", lang) not in top.data.columns and report.T("col_interactions", lang) in top.data.columns
        assert report.T("top_caption_interactions", lang, n=3) in top.to_html()
    assert f"{i18n.count(expected[0][1], 'zh')} 次互动" in report.brief(got, "zh")
    assert "0 views" not in _texts(got, "en") and "总播放 0" not in _texts(got, "zh")
