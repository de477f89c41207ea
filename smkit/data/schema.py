"""The canonical data model: tables, columns, types and natural keys.

Every export is mapped onto these tables before it reaches the store, so the
analysis modules see one shape whatever platform the data came from. The
same definitions create the DuckDB tables, drive validation and document the
model (``docs/data-model.md`` is written from them by hand and a test keeps
the two in step).
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Content types and their exported spellings live in their own module; re-exported here.
from smkit.data.content_types import CONTENT_TYPE_ALIASES, CONTENT_TYPES, content_type_notes, normalise_content_type, unknown_content_types  # noqa: F401

# Column kinds. Each kind has one parser in ``smkit.data.parsing`` and one DuckDB type.
COUNT = "count"  # non-negative whole number, nullable: unknown is not zero
AMOUNT = "amount"  # non-negative decimal (money)
RATE = "rate"  # 0..1
SCORE = "score"  # any real number (sentiment -1..1 is checked separately)
INTEGER = "integer"  # any whole number (open attribute columns such as age)
SECONDS = "seconds"  # duration in seconds
TIMESTAMP = "timestamp"  # timezone-aware instant
DATE = "date"  # calendar day
TEXT = "text"
BOOL = "bool"

DUCKDB_TYPES = {
    COUNT: "BIGINT",
    AMOUNT: "DOUBLE",
    RATE: "DOUBLE",
    SCORE: "DOUBLE",
    INTEGER: "BIGINT",
    SECONDS: "DOUBLE",
    TIMESTAMP: "TIMESTAMPTZ",
    DATE: "DATE",
    TEXT: "VARCHAR",
    BOOL: "BOOLEAN",
}

PLATFORMS = (
    "weibo",
    "douyin",
    "kuaishou",
    "xiaohongshu",
    "wechat",
    "wechat_channels",
    "bilibili",
    "linkedin",
    "x",
    "instagram",
    "tiktok",
    "facebook",
    "youtube",
)

# How reports name platforms for readers of both languages: "douyin 抖音".
PLATFORM_ZH = {
    "weibo": "微博",
    "douyin": "抖音",
    "kuaishou": "快手",
    "xiaohongshu": "小红书",
    "wechat": "微信",
    "wechat_channels": "视频号",
    "bilibili": "B站",
    "linkedin": "领英",
}


def platform_label(platform: str) -> str:
    """``douyin 抖音``: the canonical name and, where it has one, the Chinese."""
    zh = PLATFORM_ZH.get(platform)
    return f"{platform} {zh}" if zh else platform


CHANNELS = ("owned", "paid", "kol")

# Metrics whose exported value may be a lower bound ("10万+"); the flag is kept
# in the ``lower_bound_metrics`` column so that such a number is never read as exact.
LOWER_BOUND_COLUMN = "lower_bound_metrics"


@dataclass(frozen=True)
class Table:
    """One canonical table.

    ``columns`` maps column name to kind. ``required`` must be present in an
    export (after header mapping). ``key`` is the natural key that re-ingest
    upserts on. ``open_columns`` allows columns beyond ``columns`` (attributes
    of users, metrics of experiments) when their name matches one of the
    prefixes, or any name when the prefix is ``""``.
    """

    name: str
    columns: dict[str, str]
    required: tuple[str, ...]
    key: tuple[str, ...]
    description: str
    open_columns: tuple[str, ...] = field(default=())

    def accepts_extra(self, column: str) -> bool:
        return any(column.startswith(prefix) for prefix in self.open_columns)


POST_METRICS = {
    "impressions": COUNT,
    "reach": COUNT,
    "views": COUNT,
    "unique_viewers": COUNT,
    "likes": COUNT,
    "comments": COUNT,
    "shares": COUNT,
    "saves": COUNT,
    "recommends": COUNT,
    "unique_sharers": COUNT,
    "coins": COUNT,
    "danmaku": COUNT,
    "clicks": COUNT,
    "followers_gained": COUNT,
    "conversions": COUNT,
    "platform_interactions": COUNT,
    "profile_visits": COUNT,
    "completion_rate": RATE,
    "retention_5s": RATE,
    "bounce_2s": RATE,
    "cover_ctr": RATE,
    "avg_watch_seconds": SECONDS,
    "spend": AMOUNT,
    "revenue": AMOUNT,
}

# The retention and click metrics short-video and notes platforms export per
# post (a documented family of ``posts`` columns): how many viewers stayed,
# left early or clicked the cover, and how many went on to the profile. Which
# platform exports which is listed in docs/data-model.md; an analysis uses a
# metric only within a platform that exports it.
RETENTION_METRICS = ("completion_rate", "retention_5s", "bounce_2s", "avg_watch_seconds", "cover_ctr", "profile_visits")
RETENTION_LABELS = {
    "completion_rate": "完播率 completion",
    "retention_5s": "5s完播率 5-second retention",
    "bounce_2s": "2s跳出率 2-second bounce",
    "avg_watch_seconds": "平均播放时长 average watch time",
    "cover_ctr": "封面点击率 cover click-through",
    "profile_visits": "主页访问 profile visits",
}

# A creator's audience by age, in the bands the KOL platforms' audience
# portraits use (蒲公英 and 巨量星图 style); shares of the creator's followers.
AGE_BANDS = ("age_under_18", "age_18_24", "age_25_34", "age_35_44", "age_45_plus")

TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            name="posts",
            description="one row per published post",
            columns={
                "platform": TEXT,
                "account": TEXT,
                "post_id": TEXT,
                "published_at": TIMESTAMP,
                "title": TEXT,
                "text": TEXT,
                "content_type": TEXT,
                "topic": TEXT,
                "campaign_id": TEXT,
                "channel": TEXT,
                "creator": TEXT,
                "duration_seconds": SECONDS,
                "review_status": TEXT,
                **POST_METRICS,
                LOWER_BOUND_COLUMN: TEXT,
            },
            required=("platform", "account", "published_at"),
            key=("platform", "account", "post_id"),
        ),
        Table(
            name="account_daily",
            description="one row per date, platform and account",
            columns={
                "date": DATE,
                "platform": TEXT,
                "account": TEXT,
                "followers": COUNT,
                "followers_gained": COUNT,
                "impressions": COUNT,
                "reach": COUNT,
                "views": COUNT,
                "engagements": COUNT,
                "clicks": COUNT,
                "conversions": COUNT,
                "spend": AMOUNT,
                "revenue": AMOUNT,
                LOWER_BOUND_COLUMN: TEXT,
            },
            required=("date", "platform", "account"),
            key=("date", "platform", "account"),
        ),
        Table(
            name="audience",
            description="one row per user and platform, with any attribute columns",
            columns={"user_id": TEXT, "platform": TEXT},
            required=("user_id", "platform"),
            key=("platform", "user_id"),
            open_columns=("",),
        ),
        Table(
            name="mentions",
            description="one row per public mention or comment",
            columns={
                "mention_id": TEXT,
                "platform": TEXT,
                "published_at": TIMESTAMP,
                "brand": TEXT,
                "author": TEXT,
                "author_followers": COUNT,
                "text": TEXT,
                "likes": COUNT,
                "comments": COUNT,
                "shares": COUNT,
                "is_reply_by_brand": BOOL,
                "reply_to": TEXT,
                "sentiment": SCORE,
                "topic": TEXT,
                LOWER_BOUND_COLUMN: TEXT,
            },
            required=("platform", "published_at", "text"),
            key=("platform", "mention_id"),
        ),
        Table(
            name="campaigns",
            description="one row per campaign, targets as target_<metric> columns",
            columns={
                "campaign_id": TEXT,
                "name": TEXT,
                "start_date": DATE,
                "end_date": DATE,
                "platforms": TEXT,
                "budget": AMOUNT,
            },
            required=("campaign_id", "start_date", "end_date"),
            key=("campaign_id",),
            open_columns=("target_",),
        ),
        Table(
            name="experiments",
            description=("per-unit rows (unit_id, metric columns, optional pre_<metric>) or aggregated rows (units, <metric> sums, optional <metric>_sq)"),
            columns={
                "experiment_id": TEXT,
                "variant": TEXT,
                "unit_id": TEXT,
                "units": COUNT,
                "assigned_at": TIMESTAMP,
            },
            required=("experiment_id", "variant"),
            key=("experiment_id", "variant", "unit_id"),
            open_columns=("",),
        ),
        Table(
            name="community_activity",
            description="one row per day, platform, community member and action, with how many times",
            columns={
                "date": DATE,
                "platform": TEXT,
                "user_id": TEXT,
                "action": TEXT,
                "count": COUNT,
            },
            required=("date", "platform", "user_id", "action"),
            key=("date", "platform", "user_id", "action"),
        ),
        Table(
            name="creators",
            description="one row per creator (KOL) and platform, as the KOL platforms export a creator list",
            columns={
                "platform": TEXT,
                "creator": TEXT,
                "creator_id": TEXT,
                "category": TEXT,
                "followers": COUNT,
                "avg_likes": AMOUNT,
                "avg_comments": AMOUNT,
                "avg_shares": AMOUNT,
                "posts_30d": COUNT,
                "price": AMOUNT,
                "female_share": RATE,
                "male_share": RATE,
                **{column: RATE for column in AGE_BANDS},
                "top_region": TEXT,
                "top_region_share": RATE,
            },
            required=("platform", "creator"),
            key=("platform", "creator"),
        ),
        Table(
            name="creator_daily",
            description="one row per day, platform and creator: the follower count a KOL platform's account history shows",
            columns={"date": DATE, "platform": TEXT, "creator": TEXT, "followers": COUNT},
            required=("date", "platform", "creator", "followers"),
            key=("date", "platform", "creator"),
        ),
        Table(
            name="events",
            description="one row per community event (活动): its type, where and when it ran, its cost and participants",
            columns={
                "event_id": TEXT,
                "name": TEXT,
                "type": TEXT,
                "platform": TEXT,
                "start_at": TIMESTAMP,
                "end_at": TIMESTAMP,
                "cost": AMOUNT,
                "participants": COUNT,
            },
            required=("event_id", "type", "start_at"),
            key=("event_id",),
        ),
        Table(
            name="point_redemptions",
            description="one row per member, day and reward redeemed with points (积分兑换)",
            columns={
                "date": DATE,
                "platform": TEXT,
                "user_id": TEXT,
                "reward": TEXT,
                "points": COUNT,
            },
            required=("date", "user_id", "points"),
            key=("date", "platform", "user_id", "reward"),
        ),
        Table(
            name="feedback",
            description="one row per piece of user feedback (用户反馈): when it came, what it says, when it was answered and resolved",
            columns={
                "feedback_id": TEXT,
                "platform": TEXT,
                "author": TEXT,
                "received_at": TIMESTAMP,
                "category": TEXT,
                "text": TEXT,
                "status": TEXT,
                "first_response_at": TIMESTAMP,
                "resolved_at": TIMESTAMP,
            },
            required=("feedback_id", "received_at"),
            key=("platform", "feedback_id"),
        ),
        Table(
            name="team",
            description="who owns what: an account (on one platform or all) or a single post, mapped to an owner and role",
            columns={
                "platform": TEXT,
                "account": TEXT,
                "post_id": TEXT,
                "owner": TEXT,
                "role": TEXT,
            },
            required=("account", "owner"),
            key=("platform", "account", "post_id"),
        ),
    )
}

# Community actions (行为) as stored; exported names are mapped by
# :func:`normalise_action`, unknown ones kept lower-cased.
ACTIONS = ("post", "comment", "like", "share", "checkin")
ACTION_ALIASES = {
    "发帖": "post",
    "发布": "post",
    "发文": "post",
    "posts": "post",
    "评论": "comment",
    "回复": "comment",
    "comments": "comment",
    "reply": "comment",
    "点赞": "like",
    "赞": "like",
    "likes": "like",
    "分享": "share",
    "转发": "share",
    "shares": "share",
    "repost": "share",
    "签到": "checkin",
    "打卡": "checkin",
    "check-in": "checkin",
    "check in": "checkin",
    "check_in": "checkin",
}


def normalise_action(value: str) -> str:
    """Map a community action as exported (签到, 点赞, Check-in ...) to its identifier."""
    text = str(value).strip().lower()
    return text if text in ACTIONS else ACTION_ALIASES.get(text, text)


# Community event types (活动类型) as stored; exported names are mapped by
# :func:`normalise_event_type`, unknown ones kept lower-cased.
EVENT_TYPES = ("online_discussion", "offline_meetup", "lecture", "lucky_draw", "qa", "poll", "challenge")
EVENT_TYPE_ALIASES = {
    "线上讨论": "online_discussion",
    "话题讨论": "online_discussion",
    "online discussion": "online_discussion",
    "discussion": "online_discussion",
    "线下聚会": "offline_meetup",
    "线下活动": "offline_meetup",
    "见面会": "offline_meetup",
    "offline meet-up": "offline_meetup",
    "offline meetup": "offline_meetup",
    "meetup": "offline_meetup",
    "专题讲座": "lecture",
    "讲座": "lecture",
    "直播讲座": "lecture",
    "talk": "lecture",
    "抽奖": "lucky_draw",
    "幸运抽奖": "lucky_draw",
    "lucky draw": "lucky_draw",
    "giveaway": "lucky_draw",
    "问答": "qa",
    "有问必答": "qa",
    "q&a": "qa",
    "ama": "qa",
    "投票": "poll",
    "vote": "poll",
    "挑战": "challenge",
    "挑战赛": "challenge",
}

# Feedback status (处理状态) as stored: open, responded (answered, not yet
# resolved) or resolved; exported words are mapped, unknown ones kept lower-cased.
FEEDBACK_STATUSES = ("open", "responded", "resolved")
FEEDBACK_STATUS_ALIASES = {
    "待处理": "open",
    "未处理": "open",
    "新建": "open",
    "new": "open",
    "pending": "open",
    "处理中": "responded",
    "已回复": "responded",
    "跟进中": "responded",
    "in progress": "responded",
    "replied": "responded",
    "已解决": "resolved",
    "已完成": "resolved",
    "已关闭": "resolved",
    "关闭": "resolved",
    "closed": "resolved",
    "done": "resolved",
    "solved": "resolved",
}


def _normalise(value: str, known: tuple[str, ...], aliases: dict[str, str]) -> str:
    text = " ".join(str(value).strip().lower().split())
    return text if text in known else aliases.get(text, text.replace(" ", "_"))


def normalise_event_type(value: str) -> str:
    """Map an event type as exported (线上讨论, 抽奖, Q&A ...) to its identifier."""
    return _normalise(value, EVENT_TYPES, EVENT_TYPE_ALIASES)


def normalise_feedback_status(value: str) -> str:
    """Map a feedback status as exported (已解决, 处理中, Closed ...) to open, responded or resolved."""
    return _normalise(value, FEEDBACK_STATUSES, FEEDBACK_STATUS_ALIASES)


def get_table(name: str) -> Table:
    """Return the canonical table ``name`` or raise a ``ValueError`` listing the valid names."""
    try:
        return TABLES[name]
    except KeyError:
        raise ValueError(f"unknown table {name!r}; valid tables: {', '.join(TABLES)}") from None


def normalise_platform(value: str) -> str:
    """Map a platform name as exported (微博, Douyin, 视频号 ...) to its identifier.

    Names that are not known are kept, lower-cased and stripped, so a new
    platform never blocks an ingest.
    """
    text = str(value).strip()
    return PLATFORM_ALIASES.get(text.lower(), PLATFORM_ALIASES.get(text, text.lower()))


PLATFORM_ALIASES = {
    "微博": "weibo",
    "新浪微博": "weibo",
    "抖音": "douyin",
    "快手": "kuaishou",
    "小红书": "xiaohongshu",
    "red": "xiaohongshu",
    "微信": "wechat",
    "微信公众号": "wechat",
    "公众号": "wechat",
    "wechat official account": "wechat",
    "视频号": "wechat_channels",
    "微信视频号": "wechat_channels",
    "wechat channels": "wechat_channels",
    "b站": "bilibili",
    "哔哩哔哩": "bilibili",
    "领英": "linkedin",
    "twitter": "x",
    "推特": "x",
    "ins": "instagram",
    "油管": "youtube",
    "脸书": "facebook",
}
