"""What ops_review needs from the store (read by the run layer before any kernel
starts, so this module imports nothing but :mod:`smkit.requirements`)."""

from smkit.requirements import EXPORTS, Names, Needs, Section  # noqa: F401

NEEDS = Needs(
    core=("account_daily",),
    sections=(
        Section("mentions", "the mention, sentiment and reply KPIs", ("mentions",)),
        Section("community", "community health", ("community_activity",)),
        Section("team", "the team scorecard", ("team", "posts")),
    ),
    window=("account_daily",),
    names={"brand": Names((("account_daily", "account"), ("mentions", "brand"), ("team", "account")), own=True)},
)
