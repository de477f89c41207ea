"""What data_overview needs from the store (read by the run layer before any kernel
starts, so this module imports nothing but :mod:`smkit.requirements`)."""

from smkit.requirements import EXPORTS, Names, Needs, Section  # noqa: F401

NEEDS = Needs(
    core_any=tuple(EXPORTS),
    sections=(
        Section("posts", "the posts per platform, metric coverage and top posts", ("posts",)),
        Section("daily_views", "the daily views chart", ("account_daily",)),
    ),
    window=("posts", "account_daily", "mentions", "experiments", "community_activity"),
    names={"account": Names((("posts", "account"), ("account_daily", "account")), own=True, fallback_all=True)},
)
