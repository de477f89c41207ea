"""The playbook's parameters, validated once: :class:`Settings` and :func:`settings`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from smkit import i18n
from smkit.params import parse_date, parse_list
from smkit.rules import engagement_parts

# The engagement rate's denominator: parameter value -> column of ``posts`` (or of ``account_daily``).
EXPOSURES = {"follower": "followers", "view": "views", "impression": "impressions"}
EXPOSURE_LABEL = {"follower": "per 1,000 followers", "view": "per 1,000 views", "impression": "per 1,000 impressions"}


@dataclass(frozen=True)
class Settings:
    """A run's validated choices (from the notebook's parameters)."""

    accounts: tuple[str, ...] | None  # None: every account
    platforms: tuple[str, ...] | None  # None: every platform
    engagement: str  # "platform" or parts joined by "+"
    per: str  # follower, view or impression
    horizon_weeks: int
    plan_start: dt.date
    alpha: float = 0.05
    min_slot_posts: int = 3
    top_n: int = 10
    brand_aliases: tuple[str, ...] = ()  # more names of the brand, left out of keywords with the account names
    lang: str = i18n.DEFAULT_LANGUAGE  # the report's language (presentation only: the analysis never reads it)


def settings(
    account: str = "Lumina",
    platforms: str = "",
    engagement: str = "platform",
    per: str = "follower",
    horizon_weeks: int = 4,
    plan_start: str | dt.date = "",
    alpha: float = 0.05,
    min_slot_posts: int = 3,
    top_n: int = 10,
    today: dt.date | None = None,
    brand_aliases: str = "",
    lang: str = i18n.DEFAULT_LANGUAGE,
) -> Settings:
    """Validate the playbook's parameters. ``account`` ``all`` means every
    account; ``plan_start`` empty means the Monday after ``today``;
    ``account``, ``platforms`` and ``brand_aliases`` are lists (``露米娜，Lumi``
    is two names); ``brand_aliases`` are names of the brand left out of the
    keywords, besides the account names; ``lang`` is the report's language
    (``zh`` or ``en``)."""
    i18n.check_language(lang)
    if per not in EXPOSURES:
        raise ValueError(f"unknown exposure {per!r}; valid: {', '.join(EXPOSURES)}")
    engagement_parts(engagement, "weibo")  # raises on an unknown part
    if not 1 <= horizon_weeks <= 26:
        raise ValueError(f"horizon_weeks must be between 1 and 26, got {horizon_weeks}")
    if not 0 < alpha < 0.5:
        raise ValueError(f"alpha must be between 0 and 0.5, got {alpha}")
    if min_slot_posts < 1 or top_n < 1:
        raise ValueError("min_slot_posts and top_n must be at least 1")
    first = parse_date(plan_start.strip() if isinstance(plan_start, str) else plan_start, "plan_start")
    if first is None:
        today = today or dt.date.today()
        first = today + dt.timedelta(days=7 - today.weekday())
    accounts = None if account.strip().lower() == "all" else parse_list(account) or None
    return Settings(
        accounts=accounts,
        platforms=parse_list(platforms) or None,
        engagement=engagement.strip() or "platform",
        per=per,
        horizon_weeks=horizon_weeks,
        plan_start=first,
        alpha=alpha,
        min_slot_posts=min_slot_posts,
        top_n=top_n,
        brand_aliases=parse_list(brand_aliases),
        lang=lang,
    )
