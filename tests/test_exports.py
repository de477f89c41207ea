"""Exports as the platforms write them today: one hand-made, anonymised file per
platform in tests/data/exports/, each header's canonical column and each value
checked after ingestion; content types as exported; the retention and cover
metrics in the content playbook and the data overview."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import NOW
from scipy import stats as sps

from smkit.data import store as store_mod
from smkit.data.content_types import content_type_notes, known_content_type, normalise_content_type, unknown_content_types
from smkit.data.ingest import ingest
from smkit.playbooks import content_performance as cp
from smkit.playbooks.content_performance import retention
from smkit.playbooks.content_performance.prepare import prepare
from smkit.playbooks.data_overview.analysis import retention_availability
from smkit.playbooks.data_overview.report import retention_metrics_table
from smkit.run.cli import main as cli_main

EXPORTS = Path(__file__).parent / "data" / "exports"
TZ = "Asia/Shanghai"
_ = None  # a value the export leaves blank or writes as a dash: stored as missing, never zero


def at(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz=TZ)


# Per file: the platform given on the command line, the canonical column of
# each header (in the file's order), and the stored value of every cell.
DOUYIN = (
    "抖音",
    "douyin",
    {
        "作品名称": "title",
        "发布时间": "published_at",
        "体裁": "content_type",
        "审核状态": "review_status",
        "播放量": "views",
        "完播率": "completion_rate",
        "5s完播率": "retention_5s",
        "封面点击率": "cover_ctr",
        "2s跳出率": "bounce_2s",
        "平均播放时长": "avg_watch_seconds",
        "点赞量": "likes",
        "分享量": "shares",
        "评论量": "comments",
        "收藏量": "saves",
        "主页访问量": "profile_visits",
        "粉丝增量": "followers_gained",
    },
    [
        ("秋冬护肤三步走", at("2026-11-02 19:30"), "video", "已通过", 12000, 0.125, 0.431, 0.0875, 0.221, 18, 856, 42, 67, 120, 35, 12),
        ("新品开箱：保湿面霜", at("2026-11-05 12:05"), "video", "已通过", 3456, 0.098, 0.381, 0.072, 0.254, 65, 210, 8, 19, 33, 6, 2),
        ("面霜成分一图看懂", at("2026-11-08 21:00"), "image_text", "已通过", 8000, _, _, 0.062, _, _, 95, 3, 11, 58, 4, 1),
        ("直播回放：双十一护肤专场", at("2026-11-11 20:00"), "live", "审核中", 100000, 0.021, 0.205, 0.033, 0.41, 150, 15000, 300, 980, 410, 220, 150),
        ("横屏测评：三款精华", at("2026-11-14 18:45"), "video", "未通过", 0, _, _, _, _, _, 0, 0, 0, 0, 0, 0),
        ("护肤合集第一期", at("2026-11-18 20:30"), "other", "已通过", 5200, 0.11, 0.402, 0.055, 0.24, 30, 300, 12, 25, 40, 9, 3),
    ],
)
XIAOHONGSHU = (
    "小红书",
    "xiaohongshu",
    {
        "笔记标题": "title",
        "首次发布时间": "published_at",
        "体裁": "content_type",
        "曝光": "impressions",
        "观看": "views",
        "封面点击率": "cover_ctr",
        "平均观看时长": "avg_watch_seconds",
        "点赞": "likes",
        "评论": "comments",
        "收藏": "saves",
        "分享": "shares",
        "涨粉": "followers_gained",
        "主页访问": "profile_visits",
    },
    [
        ("早C晚A怎么搭", at("2026-11-03 12:10"), "image_text", 23000, 1850, 0.08, _, 210, 35, 160, 12, 9, 48),
        ("一分钟卸妆教程", at("2026-11-06 20:00"), "video", 56000, 4300, 0.077, 25, 520, 80, 390, 41, 30, 122),
        ("平价面霜图集", at("2026-11-09 13:30"), "image_text", 9800, 640, 0.065, _, 72, 10, 55, 3, 1, 15),
    ],
)
CHANNELS = (
    "视频号",
    "wechat_channels",
    {
        "视频描述": "title",
        "发布时间": "published_at",
        "内容类型": "content_type",
        "视频时长": "duration_seconds",
        "播放量": "views",
        "完播率": "completion_rate",
        "平均播放时长": "avg_watch_seconds",
        "点赞": "likes",
        "评论": "comments",
        "转发": "shares",
        "推荐": "recommends",
        "关注": "followers_gained",
    },
    [
        ("冬天的第一罐面霜 #护肤", at("2026-11-03 20:15"), "video", 45, 21000, 0.315, 14.2, 380, 46, 95, 210, 27),
        ("实验室探访", at("2026-11-10 19:00"), "video", 190, 6800, 0.084, 52, 120, 15, 40, 66, 9),
    ],
)
BILIBILI = (
    "B站",
    "bilibili",
    {
        "稿件标题": "title",
        "BV号": "post_id",
        "发布时间": "published_at",
        "时长": "duration_seconds",
        "播放": "views",
        "点赞": "likes",
        "硬币": "coins",
        "收藏": "saves",
        "分享": "shares",
        "弹幕": "danmaku",
        "评论": "comments",
    },
    [
        ("【测评】十款面霜横评", "BV1xx411c7aa", at("2026-11-04 18:00"), 755, 48000, 3200, 1500, 2100, 310, 860, 420),
        ("成分党入门", "BV1yy411c7bb", at("2026-11-12 19:30"), 370, 9500, 610, 220, 480, 35, 120, 77),
    ],
)
KUAISHOU = (
    "快手",
    "kuaishou",
    {
        "作品ID": "post_id",
        "作品描述": "text",
        "发布时间": "published_at",
        "作品类型": "content_type",
        "作品时长": "duration_seconds",
        "播放量": "views",
        "完播率": "completion_rate",
        "5秒完播率": "retention_5s",
        "平均播放时长": "avg_watch_seconds",
        "点赞数": "likes",
        "评论数": "comments",
        "分享数": "shares",
        "收藏数": "saves",
        "涨粉数": "followers_gained",
        "主页访问数": "profile_visits",
    },
    [
        ("3xk7a1", "护肤小技巧 第3期", at("2026-11-06 18:30"), "video", 28, 34000, 0.182, 0.465, 12, 1200, 88, 64, 150, 41, 96),
        ("3xk7b2", "直播切片：面霜怎么选", at("2026-11-13 21:10"), "video", 55, 8900, 0.091, 0.33, 16, 260, 30, 12, 44, 8, 21),
    ],
)
# The Official Account's own headers; 送达人数 and 阅读后关注人数 are checked apart (below).
OFFICIAL_ACCOUNT = (
    "公众号",
    "wechat",
    {
        "内容标题": "title",
        "发表时间": "published_at",
        "阅读人数": "unique_viewers",
        "阅读次数": "views",
        "分享人数": "unique_sharers",
        "分享次数": "shares",
        "在看": "recommends",
        "点赞数": "likes",
        "留言数": "comments",
    },
    [
        ("冬季护肤指南", at("2026-11-07"), 3120, 3860, 140, 188, 52, 96, 23),
        ("面霜选购问答", at("2026-11-14"), 2480, 2990, 85, 102, 31, 60, 14),
    ],
)
FILES = {
    "douyin_works.csv": DOUYIN,
    "xiaohongshu_notes.csv": XIAOHONGSHU,
    "wechat_channels.csv": CHANNELS,
    "bilibili_videos.csv": BILIBILI,
    "kuaishou_works.csv": KUAISHOU,
    "wechat_official_account.csv": OFFICIAL_ACCOUNT,
}


def _ingest(name: str, store: Path, tmp_path: Path):
    given, _platform, _columns, _rows = FILES[name]
    return ingest([EXPORTS / name], "posts", store=store, platform=given, account="Lumina", now=NOW, report_dir=tmp_path / "reports")


def _same(stored, expected) -> bool:
    if expected is None:
        return stored is None or stored is pd.NA or (isinstance(stored, float) and math.isnan(stored))
    if isinstance(expected, pd.Timestamp):
        return pd.Timestamp(stored) == expected
    if isinstance(expected, float) or isinstance(stored, float):
        return stored is not None and stored is not pd.NA and math.isclose(float(stored), float(expected), rel_tol=1e-9, abs_tol=1e-12)
    return stored == expected


@pytest.mark.parametrize("name", sorted(FILES))
def test_every_value_of_each_platforms_export_is_stored_under_its_canonical_column(name, store, tmp_path):
    _given, platform, columns, rows = FILES[name]
    report = _ingest(name, store, tmp_path)
    f = report.files[0]
    assert (f.rows_read, f.accepted, f.quarantined, f.duplicates) == (len(rows), len(rows), 0, 0)
    for header, column in columns.items():
        assert f.columns.get(header) == column, (header, f.columns.get(header))
    posts = store_mod.load("posts", store=store).sort_values("published_at", kind="stable").reset_index(drop=True)
    assert len(posts) == len(rows)
    assert set(posts["platform"]) == {platform} and set(posts["account"]) == {"Lumina"}
    for i, expected in enumerate(rows):
        for column, value in zip(columns.values(), expected):
            stored = posts.at[i, column]
            assert _same(stored, value), (name, i, column, stored, value)


def test_douyin_works_list_keeps_the_metrics_it_used_to_drop_and_reports_what_it_cannot_map(store, tmp_path):
    report = _ingest("douyin_works.csv", store, tmp_path)
    f = report.files[0]
    assert f.unmapped_columns == []
    assert f.lower_bounds == {"views": 1}  # 10万+ on the live replay
    assert f.notes == ["content_type: unknown value(s) stored as other: '合集' (1 row); add them to smkit/data/content_types.py to map them"]
    text = report.summary()
    assert "'合集' (1 row)" in text and "no canonical column" not in text
    posts = store_mod.load("posts", store=store)
    assert posts.loc[posts["views"] == 100000, "lower_bound_metrics"].tolist() == ["views"]
    assert posts["lower_bound_metrics"].notna().sum() == 1


def test_the_cli_ingests_the_douyin_export_with_the_same_values(tmp_path, capsys):
    db = tmp_path / "cli.duckdb"
    code = cli_main(["ingest", str(EXPORTS / "douyin_works.csv"), "--table", "posts", "--platform", "抖音", "--account", "Lumina", "--store", str(db)])
    assert code in (0, None)
    out = capsys.readouterr().out
    assert "accepted 6" in out and "'合集' (1 row)" in out
    posts = store_mod.load("posts", store=db).set_index("title")
    assert posts.at["秋冬护肤三步走", "retention_5s"] == pytest.approx(0.431)
    assert posts.at["秋冬护肤三步走", "bounce_2s"] == pytest.approx(0.221)
    assert posts.at["秋冬护肤三步走", "cover_ctr"] == pytest.approx(0.0875)
    assert posts.at["秋冬护肤三步走", "profile_visits"] == 35
    assert posts.at["直播回放：双十一护肤专场", "review_status"] == "审核中"


def test_xiaohongshu_notice_row_is_skipped(store, tmp_path):
    f = _ingest("xiaohongshu_notes.csv", store, tmp_path).files[0]
    assert f.skipped_title_rows == ["最多导出排序后前1000条笔记"] and f.header_row == 2


def test_bilibili_minutes_and_seconds_are_a_length_not_a_time_of_day(store, tmp_path):
    _ingest("bilibili_videos.csv", store, tmp_path)
    posts = store_mod.load("posts", store=store).set_index("post_id")
    assert posts.at["BV1xx411c7aa", "duration_seconds"] == 12 * 60 + 35  # 12:35, not 12 h 35 min


def test_kuaishou_gbk_export_is_read(store, tmp_path):
    f = _ingest("kuaishou_works.csv", store, tmp_path).files[0]
    assert f.encoding in ("gbk", "gb18030")


def test_official_account_delivery_and_follows_after_reading_are_not_dropped(store, tmp_path):
    """送达人数 and 阅读后关注人数 (issue 15's aliases): kept, whether under a
    canonical column or as extra metrics, never listed as not stored."""
    f = _ingest("wechat_official_account.csv", store, tmp_path).files[0]
    assert "送达人数" not in f.unmapped_columns and "阅读后关注人数" not in f.unmapped_columns
    posts = store_mod.load("posts", store=store).sort_values("published_at").reset_index(drop=True)
    for header, values in (("送达人数", [45210, 45388]), ("阅读后关注人数", [37, 18])):
        column = f.columns.get(header) or (header if header in f.extra_columns else None)  # canonical, else kept under its own name
        assert column in posts, (header, column)
        assert posts[column].astype(float).tolist() == values


# --------------------------------------------------------------------------- content types


@pytest.mark.parametrize(
    ("exported", "canonical"),
    [
        ("1min-视频", "video"),
        ("1min+视频", "video"),
        ("竖版视频", "video"),
        ("横版视频", "video"),
        ("视频", "video"),
        ("视频笔记", "video"),
        ("直播切片", "video"),
        ("Video", "video"),
        ("图文", "image_text"),
        ("图集", "image_text"),
        ("笔记", "image_text"),
        ("文章", "image_text"),
        ("Carousel", "image_text"),
        ("直播", "live"),
        ("直播回放", "live"),
        ("H5", "h5"),
        ("动画", "animation"),
        ("话题", "topic"),
        ("other", "other"),
        (" 图文 ", "image_text"),
    ],
)
def test_content_types_as_exported_today_map_to_the_canonical_types(exported, canonical):
    assert known_content_type(exported) == canonical
    assert normalise_content_type(exported) == canonical


def test_unknown_content_types_are_counted_and_reported_not_silently_other():
    values = pd.Series(["合集", None, "", "视频", "合集", "投票", "图集"])
    assert normalise_content_type("合集") == "other" and known_content_type("合集") is None
    assert unknown_content_types(values) == {"合集": 2, "投票": 1}
    assert content_type_notes(values) == [
        "content_type: unknown value(s) stored as other: '合集' (2 rows), '投票' (1 row); add them to smkit/data/content_types.py to map them"
    ]
    assert content_type_notes(["视频", "图文", None]) == []
    # Each distinct cell is looked up once, and spellings that differ only in spaces count as one.
    assert unknown_content_types(pd.Series(["合集 ", " 合集", "合集", None, "  "] * 1000, dtype="str")) == {"合集": 3000}


# --------------------------------------------------------------------------- the data overview


@pytest.mark.slow  # fits the content models / ingests six files
def test_data_overview_shows_which_platform_reports_which_retention_metric(store, tmp_path):
    for name in FILES:
        _ingest(name, store, tmp_path)
    posts = store_mod.load("posts", store=store)
    shares = retention_availability(posts)
    assert shares.at["douyin", "retention_5s"] == pytest.approx(4 / 6)
    assert shares.at["douyin", "bounce_2s"] == pytest.approx(4 / 6)
    assert shares.at["douyin", "cover_ctr"] == pytest.approx(5 / 6)
    assert shares.at["douyin", "profile_visits"] == 1.0
    assert shares.at["xiaohongshu", "cover_ctr"] == 1.0 and shares.at["xiaohongshu", "retention_5s"] == 0.0
    assert shares.at["kuaishou", "retention_5s"] == 1.0 and shares.at["kuaishou", "cover_ctr"] == 0.0
    assert shares.at["wechat_channels", "completion_rate"] == 1.0 and shares.at["wechat_channels", "cover_ctr"] == 0.0
    assert shares.loc["bilibili"].sum() == 0 and shares.loc["wechat"].sum() == 0
    html = retention_metrics_table(type("R", (), {"retention_metrics": shares})(), "zh").to_html()
    assert "5秒完播率" in html and "抖音" in html and "67%" in html
    assert "5-second retention" in retention_metrics_table(type("R", (), {"retention_metrics": shares})(), "en").to_html()


def test_data_overview_says_so_when_no_platform_reports_them():
    posts = pd.DataFrame({"platform": ["weibo"], "views": [10], "likes": [1]})
    assert retention_availability(posts).empty
    html = retention_metrics_table(type("R", (), {"retention_metrics": retention_availability(posts)})(), "en").to_html()
    assert "no platform in the window reports" in html.lower()


# --------------------------------------------------------------------------- the content playbook


def _douyin_world(seed: int = 7, n: int = 160) -> pd.DataFrame:
    """Douyin posts where 5-second retention goes with reach (views ×3 from the
    lowest to the highest retention) and not with interactions per view; Weibo
    posts that export completion but none of the retention triggers."""
    rng = np.random.default_rng(seed)
    ctype = np.where(np.arange(n) % 4 == 0, "image_text", "video")
    r5 = np.clip(rng.normal(0.4, 0.08, n), 0.05, 0.95)
    views = np.round(np.exp(8 + np.log(3) * (r5 - 0.25) / 0.3 + rng.normal(0, 0.3, n))).astype(int)
    likes = rng.poisson(views * 0.04)
    published = pd.date_range("2026-06-01 19:00", periods=n, freq="19h", tz=TZ)
    douyin = pd.DataFrame(
        {
            "platform": "douyin",
            "account": "Lumina",
            "post_id": [f"d{i}" for i in range(n)],
            "published_at": published,
            "title": [f"post {i}" for i in range(n)],
            "text": None,
            "content_type": ctype,
            "topic": None,
            "campaign_id": None,
            "views": views,
            "likes": likes,
            "comments": rng.poisson(views * 0.004),
            "shares": rng.poisson(views * 0.002),
            "saves": rng.poisson(views * 0.003),
            "completion_rate": np.clip(rng.normal(0.12, 0.03, n), 0.01, 0.9),
            "retention_5s": r5,
            "bounce_2s": np.clip(rng.normal(0.25, 0.05, n), 0.01, 0.9),
            "cover_ctr": np.clip(rng.normal(0.07, 0.015, n), 0.005, 0.5),
            "duration_seconds": np.where(ctype == "video", rng.choice([12.0, 25.0, 45.0, 90.0], n), np.nan),
        }
    )
    m = 80
    weibo = pd.DataFrame(
        {
            "platform": "weibo",
            "account": "Lumina",
            "post_id": [f"w{i}" for i in range(m)],
            "published_at": pd.date_range("2026-06-01 12:00", periods=m, freq="37h", tz=TZ),
            "title": [f"weibo {i}" for i in range(m)],
            "text": None,
            "content_type": "image_text",
            "topic": None,
            "campaign_id": None,
            "views": rng.integers(1000, 5000, m),
            "likes": rng.integers(10, 50, m),
            "comments": rng.integers(1, 10, m),
            "shares": rng.integers(1, 10, m),
            "completion_rate": rng.uniform(0.1, 0.3, m),
        }
    )
    return pd.concat([douyin, weibo], ignore_index=True)


def _prepared(posts: pd.DataFrame) -> pd.DataFrame:
    data, _ = prepare(posts, None, "platform", "view")
    return data


def test_retention_means_by_type_and_length_have_t_intervals_within_the_exporting_platform_only():
    data = _prepared(_douyin_world())
    groups = retention.retention_by_group(data, alpha=0.05)
    assert set(groups["platform"]) == {"douyin"}  # weibo exports completion but no retention trigger
    assert set(groups["metric"]) == {"completion_rate", "retention_5s", "bounce_2s", "cover_ctr"}
    row = groups[(groups["metric"] == "retention_5s") & (groups["by"] == "type") & (groups["group"] == "video")].iloc[0]
    v = data.loc[(data["platform"] == "douyin") & (data["content_type"] == "video"), "retention_5s"].to_numpy(float)
    half = sps.t.ppf(0.975, len(v) - 1) * v.std(ddof=1) / np.sqrt(len(v))
    assert row["posts"] == len(v) == 120
    assert row["mean"] == pytest.approx(v.mean())
    assert (row["ci_low"], row["ci_high"]) == (pytest.approx(v.mean() - half), pytest.approx(v.mean() + half))
    lengths = groups[(groups["metric"] == "retention_5s") & (groups["by"] == "length")]
    assert lengths["group"].tolist() == ["under 15 s", "15-30 s", "30-60 s", "1-3 min"]  # in order; image posts have no length
    assert lengths["posts"].sum() == 120


def test_what_predicts_finds_the_planted_link_to_distribution_and_none_to_engagement():
    data = _prepared(_douyin_world())
    links = retention.what_predicts(data, alpha=0.05)
    assert set(links["platform"]) == {"douyin"}
    r5 = links[links["metric"] == "retention_5s"].set_index("outcome")
    d = data[data["platform"] == "douyin"]
    median = d.groupby("content_type")["retention_5s"].transform("median")
    high, low = d["retention_5s"] > median, d["retention_5s"] < median
    expected = d.loc[high, "views"].mean() / d.loc[low, "views"].mean()
    dist = r5.loc["distribution"]
    assert dist["measure"] == "views per post"
    assert dist["ratio"] == pytest.approx(expected)
    assert dist["ratio"] > 1.25 and dist["ci_low"] > 1 and dist["call"] == "higher"
    eng = r5.loc["engagement"]  # interactions per view do not depend on retention in this world
    assert eng["ci_low"] < 1 < eng["ci_high"] and eng["call"] == "unclear"
    assert (links["p_holm"] >= links["p_value"] - 1e-12).all()  # Holm never lowers a p-value


@pytest.mark.slow  # fits the content models / ingests six files
def test_the_playbook_shows_retention_only_where_exported_and_keeps_the_summary_otherwise():
    posts = _douyin_world()
    s = cp.settings(account="Lumina", per="view", today=pd.Timestamp("2026-12-01").date())
    start, end = pd.Timestamp("2026-06-01").date(), pd.Timestamp("2026-12-01").date()
    with_retention = cp.analyze(cp.Inputs(posts, None, start, end), s)
    assert with_retention.has_retention
    summary = with_retention.to_summary()
    assert summary["retention"]["platforms"] == ["douyin"]
    link = next(p for p in summary["retention"]["predicts"] if p["metric"] == "retention_5s" and p["outcome"] == "distribution")
    assert link["ratio"] > 1.25 and link["ci_low"] > 1
    assert "5秒完播率" in cp.report.retention_links_table(with_retention, "zh").to_html()
    assert "5-second retention" in cp.report.retention_links_table(with_retention, "en").to_html()
    assert (
        "5秒完播率" in cp.report.retention_table(with_retention, "zh").to_html()
        and "按时长：15秒以内" in cp.report.retention_table(with_retention, "zh").to_html()
    )
    assert "5-second retention" in cp.report.retention_table(with_retention, "en").to_html()
    text = cp.report.retention_text(with_retention, "en")
    assert "views per post" in text and "nan" not in text.lower()
    assert "单条播放量" in cp.report.retention_text(with_retention, "zh")

    without = posts.drop(columns=["retention_5s", "bounce_2s", "cover_ctr", "duration_seconds"])
    plain = cp.analyze(cp.Inputs(without, None, start, end), s)
    assert not plain.has_retention
    plain_summary = plain.to_summary()
    assert "retention" not in plain_summary
    assert {k: v for k, v in summary.items() if k != "retention"} == plain_summary  # nothing else changes
    assert "No platform in the window exports" in cp.report.retention_text(plain, "en")
    assert "本期没有平台" in cp.report.retention_text(plain, "zh")


EXAMPLES = {
    "douyin_works_list.csv": "douyin_works.csv",
    "xiaohongshu_notes.csv": "xiaohongshu_notes.csv",
    "wechat_channels_videos.csv": "wechat_channels.csv",
    "bilibili_videos.csv": "bilibili_videos.csv",
    "kuaishou_works.csv": "kuaishou_works.csv",
    "wechat_official_account_articles.csv": "wechat_official_account.csv",
}


@pytest.mark.parametrize("example", sorted(EXAMPLES))
def test_the_bundled_examples_are_the_checked_exports(example):
    """data/examples/ carries one small export of each shape for newcomers: the very files checked above."""
    path = Path(__file__).resolve().parent.parent / "data" / "examples" / example
    assert path.read_bytes() == (EXPORTS / EXAMPLES[example]).read_bytes()
