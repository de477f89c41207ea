"""Ingestion of exports as analysts download them: every quirk with a small fixture file."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from conftest import NOW, write_csv

from smkit import load
from smkit.data.ingest import ingest
from smkit.data.readers import IngestError
from smkit.data.store import connect, fingerprint, table_counts

DOUYIN = [
    "作品名称,发布时间,体裁,播放量,完播率,平均播放时长,点赞量,分享量,评论量,收藏量,粉丝增量,互动量",
    "秋季新品开箱,2026年11月20日 14:03,视频,1.2万,12.5%,1分20秒,356,12,48,30,5,416",
    "灯光小技巧,2026/11/21 20:15,视频,10万+,30%,45秒,2.1k,1,200,-,20,2301",
    "直播回放,20261122,直播,3456,0.2,00:01:05,100,2,8,9,1,110",
]


def douyin_file(tmp_path: Path, name: str = "douyin.csv", encoding: str = "utf-8", title: bool = True) -> Path:
    lines = (["最多导出排序后前1000条作品", "数据来源概况：抖音创作者中心,,,,"] if title else []) + DOUYIN
    return write_csv(tmp_path / name, lines, encoding)


def run(files, table, store, **kw):
    return ingest([str(f) for f in files], table, store=store, now=NOW, **kw)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_douyin_works_list_in_every_encoding(tmp_path, store, encoding):
    report = run([douyin_file(tmp_path, encoding=encoding)], "posts", store, platform="抖音", account="Lumina")
    f = report.files[0]
    assert f.rows_read == 3 and f.accepted == 3 and f.quarantined == 0
    assert f.header_row == 3 and len(f.skipped_title_rows) == 2
    posts = load("posts", store=store).set_index("title")
    row = posts.loc["秋季新品开箱"]
    assert row["platform"] == "douyin" and row["account"] == "Lumina"
    assert row["views"] == 12000 and row["likes"] == 356 and row["content_type"] == "video"
    assert row["completion_rate"] == pytest.approx(0.125)
    assert row["avg_watch_seconds"] == pytest.approx(80)
    assert row["published_at"] == pd.Timestamp("2026-11-20 14:03", tz="Asia/Shanghai")
    assert row["platform_interactions"] == 416
    second = posts.loc["灯光小技巧"]
    assert second["views"] == 100000 and second["lower_bound_metrics"] == "views"
    assert second["likes"] == 2100 and pd.isna(second["saves"])  # a dash is missing, not zero
    assert posts.loc["直播回放", "content_type"] == "live"
    assert posts.loc["直播回放", "avg_watch_seconds"] == pytest.approx(65)
    assert f.lower_bounds == {"views": 1}


def test_every_encoding_stores_the_same_rows(tmp_path):
    frames = []
    for enc in ("utf-8", "utf-8-sig", "gbk"):
        st = tmp_path / enc / "s.duckdb"
        run([douyin_file(tmp_path, f"d-{enc}.csv", enc)], "posts", st, platform="douyin", account="A")
        frames.append(load("posts", store=st))
    pd.testing.assert_frame_equal(frames[0], frames[1])
    pd.testing.assert_frame_equal(frames[0], frames[2])


def test_a_gbk_file_whose_first_megabyte_ends_inside_a_character_is_read(tmp_path):
    from smkit.data.readers import detect_encoding

    # one ASCII byte first: every two-byte character then starts at an odd offset, and the 1 MB sample ends inside one
    path = tmp_path / "cut.csv"
    path.write_bytes(b"t," + "标题\n".encode("gb18030") + "秋季新品开箱,1\n".encode("gb18030") * 120_000)
    head = path.read_bytes()[: 1 << 20]
    with pytest.raises(UnicodeDecodeError):
        head.decode("gb18030")  # the sample alone does not decode
    assert detect_encoding(path) == "gb18030"


def test_xiaohongshu_xlsx_with_notice_row(tmp_path, store):
    path = tmp_path / "xhs.xlsx"
    rows = [
        ["笔记标题", "首次发布时间", "体裁", "曝光", "观看量", "点赞", "评论", "收藏", "涨粉", "分享", "人均观看时长"],
        ["卧室灯光改造", "2026-11-01 10:00", "图文", "5.6万", "8,900", 512, 33, 201, 12, 9, "-"],
        ["氛围灯开箱", pd.Timestamp("2026-11-02 21:30"), "视频", 120000, 30000, "1.1万", 300, 2000, 80, 45, "25秒"],
    ]
    with pd.ExcelWriter(path) as xl:
        pd.DataFrame([["最多导出排序后前1000条笔记"] + [None] * 10]).to_excel(xl, header=False, index=False, startrow=0)
        pd.DataFrame(rows).to_excel(xl, header=False, index=False, startrow=1)
    report = run([path], "posts", store, platform="xiaohongshu", account="Lumina")
    assert report.files[0].accepted == 2 and report.files[0].header_row == 2
    posts = load("posts", store=store).set_index("title")
    assert posts.loc["卧室灯光改造", "impressions"] == 56000
    assert posts.loc["卧室灯光改造", "views"] == 8900
    assert posts.loc["氛围灯开箱", "likes"] == 11000
    assert posts.loc["氛围灯开箱", "content_type"] == "video"
    assert posts.loc["氛围灯开箱", "published_at"] == pd.Timestamp("2026-11-02 21:30", tz="Asia/Shanghai")
    assert posts.loc["氛围灯开箱", "avg_watch_seconds"] == 25


def test_wechat_official_account_and_channels_headers(tmp_path, store):
    oa = write_csv(tmp_path / "oa.csv", ["内容标题,发表时间,阅读人数,阅读次数,分享人数,分享次数,在看,点赞", "新品预告,2026-11-03,1200,1500,30,41,12,88"])
    ch = write_csv(
        tmp_path / "ch.csv",
        ["视频描述,发布时间,播放量,点赞,评论,分享,推荐,完播率,平均播放时长,新增关注", "灯光教程,2026-11-04 19:00,2.3万,400,50,60,70,18%,12秒,9"],
    )
    run([oa], "posts", store, platform="公众号", account="Lumina")
    run([ch], "posts", store, platform="视频号", account="Lumina")
    posts = load("posts", store=store).set_index("platform")
    assert posts.loc["wechat", "unique_viewers"] == 1200 and posts.loc["wechat", "views"] == 1500
    assert posts.loc["wechat", "unique_sharers"] == 30 and posts.loc["wechat", "shares"] == 41
    assert posts.loc["wechat", "recommends"] == 12
    assert posts.loc["wechat_channels", "views"] == 23000 and posts.loc["wechat_channels", "followers_gained"] == 9
    assert posts.loc["wechat_channels", "completion_rate"] == pytest.approx(0.18)


def test_weibo_bilibili_kuaishou_and_english_headers(tmp_path, store):
    files = {
        "weibo": ["微博内容,发布时间,阅读数,转发,评论,赞", "露米娜新品上市,2026-11-05 12:00,3.4万,120,45,678"],
        "bilibili": ["视频标题,BV号,发布时间,播放,点赞,投币,收藏,分享,弹幕,评论", "灯光科普,BV1xx411c7mD,2026-11-06 18:00,5.6万,2000,800,900,100,350,120"],
        "kuaishou": ["作品标题,发布时间,播放量,点赞数,评论数,分享数,涨粉数,完播率", "家居灯光,2026-11-07 20:00,8800,300,20,5,3,0.41"],
        "linkedin": [
            "Post title,Created date,Impressions,Clicks,Reactions,Comments,Reposts,Followers gained,Spend (CNY)",
            "Why light matters,11/08/2026,5400,120,88,6,9,14,0",
        ],
    }
    for platform, lines in files.items():
        run([write_csv(tmp_path / f"{platform}.csv", lines)], "posts", store, platform=platform, account="Lumina")
    posts = load("posts", store=store).set_index("platform")
    assert posts.loc["weibo", "views"] == 34000 and posts.loc["weibo", "shares"] == 120 and posts.loc["weibo", "text"] == "露米娜新品上市"
    assert posts.loc["bilibili", "post_id"] == "BV1xx411c7mD" and posts.loc["bilibili", "coins"] == 800 and posts.loc["bilibili", "danmaku"] == 350
    assert posts.loc["kuaishou", "followers_gained"] == 3 and posts.loc["kuaishou", "completion_rate"] == pytest.approx(0.41)
    assert posts.loc["linkedin", "impressions"] == 5400 and posts.loc["linkedin", "likes"] == 88 and posts.loc["linkedin", "spend"] == 0


def test_unknown_columns_are_kept_as_extra_not_dropped(tmp_path, store):
    # headers no alias knows (made-up names, so a new alias elsewhere cannot change the test)
    path = write_csv(tmp_path / "x.csv", ["作品名称,发布时间,播放量,神秘指数,奇怪比率,审核备注", "a,2026-11-01,100,7,12.5%,通过", "b,2026-11-02,5,9,30%,-"])
    report = run([path], "posts", store, platform="douyin", account="A")
    f = report.files[0]
    assert f.unmapped_columns == [] and f.accepted == 2
    assert f.extra_columns == {"神秘指数": "number", "奇怪比率": "rate", "审核备注": "text"}
    assert "kept as extra" in report.summary() and "神秘指数 (number)" in report.summary()
    posts = load("posts", store=store).set_index("title")
    assert posts.loc["a", "神秘指数"] == 7 and posts.loc["b", "奇怪比率"] == pytest.approx(0.30)
    assert posts.loc["a", "审核备注"] == "通过" and pd.isna(posts.loc["b", "审核备注"])
    with connect(store, read_only=True) as con:  # queryable by its own name
        assert con.execute('SELECT sum("神秘指数") FROM posts').fetchone()[0] == 16
    # a later export without the column, or with a dash, keeps the stored value
    run([write_csv(tmp_path / "y.csv", ["作品名称,发布时间,播放量,神秘指数", "a,2026-11-01,120,-"])], "posts", store, platform="douyin", account="A")
    posts = load("posts", store=store).set_index("title")
    assert posts.loc["a", "神秘指数"] == 7 and posts.loc["a", "views"] == 120 and posts.loc["a", "审核备注"] == "通过"
    # decimals after whole numbers widen the column instead of rounding
    run([write_csv(tmp_path / "z.csv", ["作品名称,发布时间,播放量,神秘指数", "b,2026-11-02,5,9.5"])], "posts", store, platform="douyin", account="A")
    assert load("posts", store=store).set_index("title").loc["b", "神秘指数"] == pytest.approx(9.5)


def test_an_extra_column_never_overwrites_a_canonical_one(tmp_path, store):
    path = write_csv(tmp_path / "x.csv", ["作品名称,发布时间,播放量,VIEWS", "a,2026-11-01,100,999"])
    f = run([path], "posts", store, platform="douyin", account="A").files[0]
    assert "VIEWS" not in f.extra_columns
    assert load("posts", store=store).iloc[0]["views"] == 100


def test_bad_rows_are_quarantined_with_reason_and_row(tmp_path, store):
    path = write_csv(
        tmp_path / "bad.csv",
        [
            "导出时间：2026-11-26",
            "作品名称,发布时间,播放量,完播率,点赞量",
            "ok,2026-11-01,100,0.5,3",
            "negative,2026-11-01,-5,0.5,3",
            "rate,2026-11-01,100,1.7,3",
            "date,not a date,100,0.5,3",
            "future,2027-01-01,100,0.5,3",
            "missing time,,100,0.5,3",
            "words,2026-11-01,lots,0.5,3",
        ],
    )
    report = run([path], "posts", store, platform="douyin", account="A")
    f = report.files[0]
    assert (f.rows_read, f.accepted, f.quarantined, f.duplicates) == (7, 1, 6, 0)
    assert f.reconciles()
    q = pd.read_csv(f.quarantine_file, encoding="utf-8-sig")
    reasons = dict(zip(q["作品名称"], q["reason"]))
    rows = dict(zip(q["作品名称"], q["row"]))
    assert reasons["negative"] == "views is negative"
    assert "completion_rate is outside 0..1" in reasons["rate"]
    assert reasons["date"].startswith("published_at: cannot read 'not a date'")
    assert reasons["future"] == "published_at is in the future"
    assert reasons["missing time"] == "published_at is missing"
    assert reasons["words"] == "views: cannot read 'lots' as a whole non-negative number"
    assert rows["negative"] == 4 and rows["words"] == 9  # line numbers as the file shows them
    assert len(load("posts", store=store)) == 1
    saved = sorted((store.parent / "ingest_reports").glob("*.json"))
    assert json.loads(saved[-1].read_text())["totals"] == {"rows_read": 7, "accepted": 1, "quarantined": 6, "duplicates": 0}


def test_duplicates_within_a_file_are_counted_and_the_last_kept(tmp_path, store):
    path = write_csv(tmp_path / "d.csv", ["作品ID,作品名称,发布时间,播放量", "1,a,2026-11-01,100", "1,a,2026-11-01,150", "2,b,2026-11-01,7"])
    f = run([path], "posts", store, platform="douyin", account="A").files[0]
    assert (f.rows_read, f.accepted, f.duplicates) == (3, 2, 1)
    assert load("posts", store=store).set_index("post_id").loc["1", "views"] == 150


def test_reingest_upserts_and_never_doubles(tmp_path, store):
    path = douyin_file(tmp_path)
    first = run([path], "posts", store, platform="douyin", account="A").files[0]
    before = load("posts", store=store)
    second = run([path], "posts", store, platform="douyin", account="A").files[0]
    after = load("posts", store=store)
    assert (first.inserted, first.updated) == (3, 0)
    assert (second.inserted, second.updated) == (0, 3)
    pd.testing.assert_frame_equal(before, after)
    # derived post ids are stable, so the same post is found again
    assert before["post_id"].str.startswith("h").all()


def test_a_later_export_with_fewer_columns_keeps_what_is_stored(tmp_path, store):
    full = write_csv(tmp_path / "full.csv", ["作品ID,作品名称,发布时间,播放量,点赞量", "9,a,2026-11-01,100,5"])
    partial = write_csv(tmp_path / "part.csv", ["作品ID,作品名称,发布时间,播放量,点赞量,收藏量", "9,a,2026-11-01,120,-,4"])
    run([full], "posts", store, platform="douyin", account="A")
    run([partial], "posts", store, platform="douyin", account="A")
    row = load("posts", store=store).iloc[0]
    assert (row["views"], row["likes"], row["saves"]) == (120, 5, 4)


def test_a_store_holds_the_columns_its_exports_fill_and_reads_the_rest_as_unknown(tmp_path, store):
    """An export fills a dozen of the posts table's columns; the others are added when one fills them."""
    first = write_csv(tmp_path / "first.csv", ["作品名称,发布时间,播放量", "a,2026-11-01 10:00,100", "b,2026-11-02 10:00,200"])
    run([first], "posts", store, platform="douyin", account="A")
    with connect(store, read_only=True) as con:
        columns = [r[0] for r in con.execute("DESCRIBE posts").fetchall()]
    assert columns == ["platform", "account", "post_id", "published_at", "title", "views"]
    later = write_csv(tmp_path / "later.csv", ["作品名称,发布时间,播放量,完播率,收藏量", "c,2026-11-03 10:00,10万+,12.5%,7"])
    run([later], "posts", store, platform="douyin", account="A")
    with connect(store, read_only=True) as con:
        added = [r[0] for r in con.execute("DESCRIBE posts").fetchall()][len(columns) :]
    assert sorted(added) == ["completion_rate", "lower_bound_metrics", "saves"]
    posts = load("posts", store=store).set_index("title")
    assert list(posts["saves"].isna()) == [True, True, False] and posts.loc["c", "saves"] == 7
    assert posts.loc["c", "lower_bound_metrics"] == "views" and posts.loc["a", "completion_rate"] != posts.loc["a", "completion_rate"]
    assert posts["likes"].isna().all() and str(posts["likes"].dtype) == "Int64"  # never exported: unknown, typed as stored counts are
    # A store that holds every column, empty, holds the same data: the same frame and the same fingerprint.
    wide = tmp_path / "wide.duckdb"
    with connect(wide) as con:
        con.execute(f"ATTACH '{store}' AS sparse (READ_ONLY)")
        body = ", ".join(f'"{c}" {t}' for c, t in _schema_types("posts"))
        con.execute(f"CREATE TABLE posts ({body})")
        con.execute("INSERT INTO posts BY NAME SELECT * FROM sparse.posts")
    assert fingerprint(wide) == fingerprint(store)
    pd.testing.assert_frame_equal(load("posts", store=wide), load("posts", store=store))


def _schema_types(table: str) -> list[tuple[str, str]]:
    from smkit.data.schema import DUCKDB_TYPES, get_table

    return [(c, DUCKDB_TYPES[k]) for c, k in get_table(table).columns.items()]


def _state(store: Path):
    return table_counts(store), fingerprint(store)


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("empty.csv", b"", "the file is empty"),
        ("header.csv", "作品名称,发布时间,播放量\n".encode(), "header but no data rows"),
        ("notes.csv", b"just some notes\nnothing tabular here\n", "not a table"),
        ("binary.csv", bytes(range(256)) * 4, "cannot decode"),
        ("nodate.csv", "作品名称,播放量\na,100\n".encode(), "required column(s) published_at missing"),
        ("broken.xlsx", b"PK\x03\x04 not really a workbook", "not a readable XLSX workbook"),
        ("old.xls", b"\xd0\xcf\x11\xe0", ".xls format is not supported"),
        ("data.json", b"{}", "unsupported file type .json"),
    ],
)
def test_unusable_files_stop_the_run_and_leave_the_store_as_it_was(tmp_path, store, name, content, message):
    run([douyin_file(tmp_path)], "posts", store, platform="douyin", account="A")
    before = _state(store)
    good = douyin_file(tmp_path, "good2.csv")
    bad = tmp_path / name
    bad.write_bytes(content)
    with pytest.raises(IngestError) as err:
        run([good, bad], "posts", store, platform="douyin", account="B")
    assert str(bad) in str(err.value) and message in str(err.value)
    assert _state(store) == before


def test_unknown_table_lists_the_valid_ones(tmp_path, store):
    with pytest.raises(ValueError, match="unknown table 'postz'; valid tables: posts, account_daily"):
        run([douyin_file(tmp_path)], "postz", store)
    assert not store.exists()


def test_cli_names_the_file_and_exits_non_zero(tmp_path, store):
    bad = tmp_path / "empty.csv"
    bad.write_bytes(b"")
    proc = subprocess.run(
        [sys.executable, "-m", "smkit.run.cli", "ingest", str(bad), "--table", "posts", "--store", str(store)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2
    assert f"{bad}: the file is empty" in proc.stderr and "store is unchanged" in proc.stderr
    assert proc.stderr.count("\n") == 2


def test_parquet_and_open_columns(tmp_path, store):
    path = tmp_path / "exp.parquet"
    pd.DataFrame(
        {
            "experiment_id": ["E1"] * 4,
            "variant": ["control", "control", "b", "b"],
            "unit_id": ["1", "2", "3", "4"],
            "clicks": [1, 0, 2, 1],
            "watch_seconds": [1.5, 2.0, 3.0, 0.5],
        }
    ).to_parquet(path)
    run([path], "experiments", store)
    exp = load("experiments", store=store)
    assert str(exp["clicks"].dtype) == "Int64" and exp["watch_seconds"].sum() == pytest.approx(7.0)
    agg = write_csv(tmp_path / "agg.csv", ["experiment_id,variant,units,clicks,clicks_sq", "E2,control,1000,120,130", "E2,b,1010,140,150"])
    run([agg], "experiments", store)
    stored = load("experiments", store=store)
    assert len(stored) == 6
    assert sorted(stored.loc[stored["experiment_id"] == "E2", "units"].tolist()) == [1000, 1010]
    # aggregated rows have no unit id; re-ingest still upserts on (experiment, variant)
    run([agg], "experiments", store)
    assert len(load("experiments", store=store)) == 6


def test_audience_keeps_any_attribute_columns(tmp_path, store):
    path = write_csv(tmp_path / "aud.csv", ["用户ID,平台,年龄,性别,兴趣,Monthly Spend", "007,小红书,24,女,beauty;travel,230.5", "008,B站,19,男,gaming,-"])
    run([path], "audience", store)
    aud = load("audience", store=store).set_index("user_id")
    assert sorted(aud.index) == ["007", "008"]  # ids keep their leading zeros
    assert aud.loc["007", "platform"] == "xiaohongshu" and aud.loc["008", "platform"] == "bilibili"
    assert aud.loc["007", "age"] == 24 and aud.loc["007", "monthly_spend"] == pytest.approx(230.5)
    assert pd.isna(aud.loc["008", "monthly_spend"])


def test_mentions_and_campaigns(tmp_path, store):
    m = write_csv(
        tmp_path / "m.csv",
        ["平台,发布时间,品牌,作者,内容,转发,情感", "微博,2026-11-01 08:00,Lumina,u1,好用,3,0.8", "微博,2026-11-01 09:00,Lumina,u2,太差,1,-1.5"],
    )
    f = run([m], "mentions", store).files[0]
    assert (f.accepted, f.quarantined) == (1, 1)
    c = write_csv(tmp_path / "c.csv", ["活动ID,活动名称,开始日期,结束日期,预算,target_views", "C1,秋季,2026-12-01,2026-12-20,5万,1000000"])
    run([c], "campaigns", store)
    camp = load("campaigns", store=store).iloc[0]
    assert camp["budget"] == 50000 and camp["target_views"] == 1000000  # planned campaigns may lie ahead


def test_community_activity_with_chinese_headers_and_actions(tmp_path, store):
    path = write_csv(
        tmp_path / "community.csv",
        [
            "日期,平台,用户ID,行为,次数",
            "2026-11-01,小红书,007,签到,1",
            "2026-11-01,小红书,007,点赞,12",
            "2026-11-02,微博,008,转发,-",
            "2026-11-02,微博,008,Check-in,1",
            "2026-11-03,微博,009,点赞,-2",
        ],
    )
    f = run([path], "community_activity", store).files[0]
    assert (f.accepted, f.quarantined) == (4, 1)  # a negative count is quarantined
    act = load("community_activity", store=store, start="2026-11-02")
    assert list(act["action"]) == ["checkin", "share"] and act["user_id"].iloc[0] == "008"
    assert act["count"].isna().sum() == 1  # a dash is unknown, not zero
    again = run([path], "community_activity", store).files[0]
    assert again.updated == 4 and len(load("community_activity", store=store)) == 4


def test_team_maps_accounts_and_posts_to_owners(tmp_path, store):
    path = write_csv(
        tmp_path / "team.csv",
        [
            "平台,账号,作品ID,负责人,角色",
            "抖音,Lumina,,李雷,内容策划",
            ",Lumina,,王芳,运营总监",
            "抖音,Lumina,v001,赵强,直播运营",
            "抖音,,v002,赵强,直播运营",
        ],
    )
    f = run([path], "team", store).files[0]
    assert (f.accepted, f.quarantined) == (3, 1)  # the account is required
    team = load("team", store=store)
    assert set(team["owner"]) == {"李雷", "王芳", "赵强"}
    assert team.loc[team["owner"] == "王芳", "platform"].isna().all()  # every platform
    assert team.loc[team["owner"] == "李雷", "platform"].iloc[0] == "douyin"


def test_load_filters_window_platforms_and_accounts(sample_store):
    posts = load("posts", store=sample_store, start="2026-10-01", end="2026-10-31", platforms=["douyin", "weibo"], accounts=["Lumina"])
    assert len(posts) > 0
    assert posts["published_at"].min() >= pd.Timestamp("2026-10-01", tz="Asia/Shanghai")
    assert posts["published_at"].max() < pd.Timestamp("2026-11-01", tz="Asia/Shanghai")
    assert set(posts["platform"]) == {"douyin", "weibo"} and set(posts["account"]) == {"Lumina"}
    with connect(sample_store, read_only=True) as con:
        expected = con.execute(
            "SELECT count(*) FROM posts WHERE account='Lumina' AND platform IN ('douyin','weibo') "
            "AND published_at >= TIMESTAMPTZ '2026-10-01 00:00:00+08:00' AND published_at < TIMESTAMPTZ '2026-11-01 00:00:00+08:00'"
        ).fetchone()[0]
    assert len(posts) == expected
    daily = load("account_daily", store=sample_store, start="2026-10-31", end="2026-10-31")
    assert set(daily["date"]) == {pd.Timestamp("2026-10-31")}
    mentions = load("mentions", store=sample_store, accounts=["Vexa"])
    assert set(mentions["brand"]) == {"Vexa"}


def test_load_takes_chinese_platform_names_and_refuses_a_reversed_window(sample_store):
    assert len(load("posts", store=sample_store, platforms=["抖音"])) == len(load("posts", store=sample_store, platforms=["douyin"])) > 0
    with pytest.raises(ValueError, match="start 2026-10-31 is after end 2026-10-01"):
        load("posts", store=sample_store, start="2026-10-31", end="2026-10-01")
