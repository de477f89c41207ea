import pandas as pd
import pytest

from smkit.data import aliases
from smkit.data.schema import TABLES

# Headers the platforms' exports use, as listed in the data model; each must map.
REQUIRED_POST_HEADERS = {
    "作品名称": "title",
    "体裁": "content_type",
    "播放量": "views",
    "完播率": "completion_rate",
    "平均播放时长": "avg_watch_seconds",
    "点赞量": "likes",
    "分享量": "shares",
    "评论量": "comments",
    "收藏量": "saves",
    "粉丝增量": "followers_gained",
    "笔记标题": "title",
    "首次发布时间": "published_at",
    "曝光": "impressions",
    "观看量": "views",
    "涨粉": "followers_gained",
    "视频描述": "title",
    "内容标题": "title",
    "发表日期": "published_at",
    "阅读人数": "unique_viewers",
    "分享人数": "unique_sharers",
    "阅读数": "views",
    "转发": "shares",
    "在看": "recommends",
    "微博内容": "text",
    "视频标题": "title",
    "Date": "published_at",
    "Post": "title",
    "Impressions": "impressions",
    "Reach": "reach",
    "Views": "views",
    "Likes": "likes",
    "Comments": "comments",
    "Shares": "shares",
    "Saves": "saves",
    "Clicks": "clicks",
    "Link Clicks": "clicks",
    "Spend": "spend",
}


def test_platform_headers_map_to_canonical_columns():
    mapping = aliases.map_headers("posts", list(REQUIRED_POST_HEADERS))
    got = {h: mapping.columns.get(h) for h in REQUIRED_POST_HEADERS}
    # two headers that mean the same column: the first wins, the second is reported
    for header, column in REQUIRED_POST_HEADERS.items():
        assert got[header] == column or header in mapping.duplicates, header
    assert aliases.map_headers("account_daily", ["Date", "Followers"]).columns == {"Date": "date", "Followers": "followers"}


def test_alias_table_rows_all_name_real_columns():
    table = aliases.read_alias_table()
    assert not table.duplicated(["alias", "column", "tables"]).any()
    for alias, column, tables in table[["alias", "column", "tables"]].itertuples(index=False):
        names = [t for t in TABLES if column in TABLES[t].columns] if tables == "*" else tables.split(";")
        assert names, alias
        for t in names:
            assert column in TABLES[t].columns or TABLES[t].accepts_extra(column), (alias, t)


@pytest.mark.parametrize("raw", ["播放量(次)", " 播放量 ", "播放量（次）", "\ufeff播放量"])
def test_headers_are_normalised(raw):
    assert aliases.map_headers("posts", [raw]).columns == {raw: "views"}


def test_users_extend_the_table_with_their_own_file(tmp_path):
    extra = tmp_path / "mine.csv"
    pd.DataFrame({"alias": ["浏览次数"], "column": ["views"], "tables": ["posts"], "source": ["our BI"]}).to_csv(extra, index=False)
    assert aliases.map_headers("posts", ["浏览次数"]).unmapped == ("浏览次数",)
    assert aliases.map_headers("posts", ["浏览次数"], extra).columns == {"浏览次数": "views"}


def test_an_alias_to_a_column_that_does_not_exist_is_refused(tmp_path):
    extra = tmp_path / "bad.csv"
    pd.DataFrame({"alias": ["x"], "column": ["nonsense"], "tables": ["posts"]}).to_csv(extra, index=False)
    with pytest.raises(ValueError, match="names column 'nonsense'"):
        aliases.map_headers("posts", ["x"], extra)
