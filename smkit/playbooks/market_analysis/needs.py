"""What market_analysis needs from the store (read by the run layer before any kernel
starts, so this module imports nothing but :mod:`smkit.requirements`)."""

from smkit.requirements import EXPORTS, Names, Needs, Section  # noqa: F401

NEEDS = Needs(
    core=("posts",),
    sections=(
        Section("voice", "share of voice, net sentiment and the mention trends", ("mentions",)),
        Section("growth", "follower growth and the daily views trend", ("account_daily",)),
        Section("audience", "the audience fit", ("audience",)),
    ),
    window=("posts",),
    names={
        "brand": Names((("posts", "account"), ("mentions", "brand")), own=True),
        "competitors": Names((("posts", "account"), ("mentions", "brand")), many=True),
    },
)
