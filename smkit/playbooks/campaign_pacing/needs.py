"""What campaign_pacing needs from the store (read by the run layer before any kernel
starts, so this module imports nothing but :mod:`smkit.requirements`)."""

from smkit.requirements import EXPORTS, Names, Needs, Section  # noqa: F401

NEEDS = Needs(
    core=("campaigns", "account_daily"),
    sections=(Section("efficiency", "spend so far and the channels and creators by cost per result", ("posts",)),),
    window=("account_daily", "posts"),
    names={
        "campaign_id": Names((("campaigns", "campaign_id"),)),
        "brand": Names((("account_daily", "account"), ("posts", "account")), own=True),
    },
    running="campaign_id",
)
