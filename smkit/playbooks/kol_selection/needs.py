"""What kol_selection needs from the store (read by the run layer before any kernel
starts, so this module imports nothing but :mod:`smkit.requirements`)."""

from smkit.requirements import EXPORTS, Names, Needs, Section  # noqa: F401

NEEDS = Needs(
    core=("creators",),
    window=("creator_daily",),
    sections=(
        Section("history", "the follower-jump check", ("creator_daily",)),
        Section("fit", "audience fit with the brand's own audience", ("audience",)),
        Section("past", "past campaign results by creator", ("posts",)),
    ),
    without_store="data",
)
