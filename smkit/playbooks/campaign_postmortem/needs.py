"""What campaign_postmortem needs from the store (read by the run layer before any kernel
starts, so this module imports nothing but :mod:`smkit.requirements`)."""

from smkit.requirements import EXPORTS, Names, Needs, Section  # noqa: F401

NEEDS = Needs(
    core=("campaigns",),
    sections=(
        Section("kpis", "the KPIs, cost, channels and top posts of the campaign", ("posts",)),
        Section("lift", "the incremental lift and the funnel", ("account_daily",)),
        Section("mentions", "word of mouth during the campaign", ("mentions",)),
    ),
    window=(),
    names={
        "campaign_id": Names((("campaigns", "campaign_id"),)),
        "brand": Names((("account_daily", "account"), ("posts", "account"), ("mentions", "brand")), own=True),
    },
)
