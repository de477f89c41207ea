"""What the community playbook needs from the store (read by the run layer
before any kernel starts, so this module imports nothing but :mod:`smkit.requirements`)."""

from smkit.requirements import EXPORTS, Names, Needs, Section  # noqa: F401

NEEDS = Needs(
    core=("community_activity",),
    sections=(
        Section("events", "the event effects", ("events",)),
        Section("redemptions", "points redeemed and the redemption rate", ("point_redemptions",)),
        Section("feedback", "the feedback loop", ("feedback",)),
        Section("personas", "personas to content", ("audience", "posts")),
        Section("potential", "the potential users (engaged with the brand, not members)", ("mentions",)),
    ),
    window=("community_activity",),
    names={"brand": Names((("mentions", "brand"),), own=True, fallback_all=True)},
)
