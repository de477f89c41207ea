"""The sample world: brands, platforms, planted effects and the words its people use."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

TZ = "Asia/Shanghai"
DEFAULT_END = "2026-10-31"
BRAND = "Lumina"
COMPETITORS = ("Vexa", "Orbi")
BRAND_ZH = {"Lumina": "露米娜", "Vexa": "维克萨", "Orbi": "奥比"}


@dataclass(frozen=True)
class PlatformProfile:
    posts_per_day: float  # our brand's rate at scale 1
    median_views: float
    content_mix: dict[str, float]
    like_rate: float
    comment_rate: float
    share_rate: float
    save_rate: float | None  # None: the platform's export has no saves column
    reports_impressions: bool
    reports_completion: bool
    base_followers: int
    english: bool = False


PROFILES: dict[str, PlatformProfile] = {
    "weibo": PlatformProfile(2.0, 8000, {"image_text": 0.6, "video": 0.3, "topic": 0.1}, 0.012, 0.004, 0.004, None, False, False, 420_000),
    "douyin": PlatformProfile(1.2, 30000, {"video": 0.85, "live": 0.15}, 0.035, 0.003, 0.002, 0.004, False, True, 680_000),
    "kuaishou": PlatformProfile(0.6, 15000, {"video": 0.85, "live": 0.15}, 0.03, 0.003, 0.002, 0.003, False, True, 150_000),
    "xiaohongshu": PlatformProfile(1.0, 5000, {"image_text": 0.65, "video": 0.35}, 0.04, 0.006, 0.003, 0.02, True, False, 96_000),
    "wechat": PlatformProfile(0.4, 3000, {"image_text": 0.9, "h5": 0.1}, 0.01, 0.002, 0.015, None, False, False, 210_000),
    "bilibili": PlatformProfile(0.3, 20000, {"video": 0.9, "animation": 0.1}, 0.05, 0.004, 0.003, 0.012, False, False, 88_000),
    "linkedin": PlatformProfile(0.3, 2000, {"image_text": 0.7, "video": 0.3}, 0.02, 0.002, 0.002, None, True, False, 12_000, english=True),
}

# Planted effects on expected views, as multipliers.
CONTENT_EFFECT = {("xiaohongshu", "video"): 1.4, ("douyin", "live"): 0.7}
PRIME_TIME_HOURS = (19, 20, 21, 22)
PRIME_TIME_EFFECT = 1.25
WEEKEND_EFFECT = 1.1
CAMPAIGN_LIFT = 0.30  # on our Douyin account's daily views during the campaign
CAMPAIGN_DAYS = (-61, -41)  # offsets from the end date: a 21-day window
NULL_CAMPAIGN_DAYS = (-150, -137)  # a Weibo campaign that changed nothing
CRISIS_DAYS = (-25, -22)  # four days of negative Weibo mentions
CRISIS_VOLUME = 6.0
# Our brand under-performs its competitors on Kuaishou: every engagement rate of
# its posts there is this fraction of what the same views earn elsewhere.
PLATFORM_GAP = ("kuaishou", 0.6)
MENTIONS_PER_DAY = {"Lumina": 60.0, "Vexa": 45.0, "Orbi": 35.0}
CRISIS_EXTRA_SHARE = 0.35  # crisis mentions per day, as a share of the brand's usual volume per unit of extra multiplier

# Each planted effect can be left out to make a null world for tests.
PLANTED_EFFECTS = ("content_type", "posting_time", "crisis", "platform_gap")

HOUR_WEIGHTS = np.array(
    [1, 0.5, 0.3, 0.2, 0.2, 0.3, 0.6, 1.2, 2.0, 2.2, 2.0, 2.2, 3.0, 2.6, 2.0, 1.8, 1.8, 2.2, 3.0, 3.6, 4.0, 4.0, 3.4, 2.0],
    dtype=float,
)

TOPICS = {
    "product_launch": ("新品发布", "New launch"),
    "tutorial": ("使用教程", "How-to"),
    "user_story": ("用户故事", "Customer story"),
    "festival": ("节日营销", "Holiday special"),
    "behind_scenes": ("幕后花絮", "Behind the scenes"),
    "industry": ("行业观点", "Industry insight"),
    "giveaway": ("福利抽奖", "Giveaway"),
}
TITLE_ZH = (
    "{brand}{topic}｜{hook}",
    "{hook}！{brand}{topic}来了",
    "{topic}：{hook}",
    "#{topic}# {hook}",
)
HOOKS_ZH = (
    "卧室灯光这样调更助眠",
    "一盏灯改变整个客厅",
    "三分钟学会智能场景",
    "打工人的护眼方案",
    "租房党也能装的氛围灯",
    "开箱实测新款台灯",
    "光线和心情的秘密",
    "周末宅家灯光指南",
)
HOOKS_EN = (
    "lighting that works as hard as you do",
    "three scenes for a calmer evening",
    "what we learned shipping our new lamp",
    "the science of light and focus",
)

MENTION_TEMPLATES = {
    "positive": (
        "{brand}的灯真的好用，晚上看书眼睛不累",
        "刚入手{brand}，颜值很高，推荐！",
        "{brand}客服回复很快，点赞",
        "Love my new {brand} lamp, the app is great",
        "{brand}的智能场景太方便了",
    ),
    "neutral": (
        "有人用过{brand}吗？想了解一下",
        "{brand}和别家比怎么样",
        "{brand}今天发布了新品",
        "Anyone tried the {brand} desk lamp?",
        "{brand}的价格是多少",
    ),
    "negative": (
        "{brand}的灯用了一周就坏了，太失望",
        "{brand}客服一直不回复，差评",
        "{brand}的App老是连不上",
        "My {brand} lamp stopped working, terrible support",
        "{brand}质量太差了，退货",
    ),
}
CRISIS_TEMPLATES = (
    "{brand}灯具过热冒烟，太危险了！",
    "曝光：{brand}产品存在安全隐患",
    "{brand}必须给个说法，灯座烧焦了",
    "{brand} lamp overheated and melted, is this safe?",
    "抵制{brand}，出了事故还不回应",
)
SENTIMENT_MEAN = {"Lumina": 0.2, "Vexa": 0.1, "Orbi": 0.15}
# A listening tool's topic per mention, by the first rule whose words the text contains.
MENTION_TOPIC_RULES = (
    ("safety", ("过热", "冒烟", "安全隐患", "烧焦", "事故", "overheated")),
    ("quality", ("坏了", "质量", "stopped working")),
    ("customer_service", ("客服", "support", "说法", "回应")),
    ("app", ("App", "app", "连不上", "智能场景")),
    ("price", ("价格",)),
    ("launch", ("新品",)),
)

# Campaigns beyond the two above, for the league table and the pacing report:
# (id, name, platform, first and last day as offsets from the end date, planted
# relative lift on our account's daily views there, who leads it: "kol" or
# "paid", promotion spend per day on the account). Windows and their 14 halo
# days keep clear of each other and of the two campaigns above.
PAST_CAMPAIGNS = (
    ("CMP-WINTER-XHS", "冬季种草 Winter seeding", "xiaohongshu", (-335, -322), 0.45, "kol", 5000.0),
    ("CMP-NEWYEAR-BILI", "新年投放 New year ads", "bilibili", (-305, -292), 0.15, "paid", 4000.0),
    ("CMP-SPRING-KS", "春季达人 Spring creators", "kuaishou", (-275, -262), 0.60, "kol", 6000.0),
    ("CMP-MARCH-WECHAT", "三月推送 March push", "wechat", (-252, -243), 0.75, "paid", 3000.0),
)
# The campaign under way on the end date: day RUNNING_DAYS[0] to RUNNING_DAYS[1]
# (after the end date), with its planted lift, spend per day on the account and
# budget as a share of what it will spend.
RUNNING_CAMPAIGN = ("CMP-WINTER-XHS2", "双十二种草 Double-12 seeding", "xiaohongshu", (-13, 14), 0.25, "kol", 5000.0)
RUNNING_BUDGET_SHARE = 0.9  # the budget is 90% of the planted spend: the campaign over-spends
RUNNING_TARGET_FACTOR = {"views": 1.0, "followers_gained": 0.8, "conversions": 1.5}  # target / planted expected end value
