"""What content_performance needs from the store (read by the run layer before any kernel
starts, so this module imports nothing but :mod:`smkit.requirements`)."""

from smkit.requirements import EXPORTS, Names, Needs, Section  # noqa: F401

NEEDS = Needs(
    core=("posts",),
    window=("posts",),
    names={
        "account": Names((("posts", "account"),), own=True, many=True, keywords=("all",)),
        "platforms": Names((("posts", "platform"),), many=True),
    },
)
