"""What every playbook means by earned mentions and by a reply.

A row of ``mentions`` with ``is_reply_by_brand`` is the brand answering
(owned); every other row is somebody talking about a brand (earned). Share of
voice, sentiment and alarms count earned mentions only; reply times pair an
earned mention with the brand's first reply to it (``reply_to``).
"""

from __future__ import annotations

import pandas as pd

# The same rule in SQL, for queries that run in the store.
EARNED_SQL = "NOT coalesce(is_reply_by_brand, false)"


def is_reply(mentions: pd.DataFrame) -> pd.Series:
    """True for the brands' own replies; a table without the flag has none."""
    if "is_reply_by_brand" not in mentions:
        return pd.Series(False, index=mentions.index)
    return mentions["is_reply_by_brand"].fillna(False).astype(bool)


def earned(mentions: pd.DataFrame) -> pd.DataFrame:
    """Mentions by others: the brands' own replies are owned media, not voice."""
    return mentions[~is_reply(mentions)]


def first_reply_hours(mentions: pd.DataFrame, brand: str) -> pd.Series:
    """Hours from each earned mention of ``brand`` to the brand's first reply to
    it, indexed by ``mention_id``; NaN where there is no reply (unanswered).
    ``mentions`` may hold other brands' rows and replies made after the
    period, which only answer mentions inside it. A reply stamped before its
    mention (clock skew between exports) is not counted as an answer."""
    if mentions.empty or "brand" not in mentions:
        return pd.Series(dtype=float)
    ours = mentions[mentions["brand"] == brand]
    reply = is_reply(ours)
    asked = ours.loc[~reply].set_index("mention_id")["published_at"]
    if "reply_to" not in ours:
        return pd.Series(float("nan"), index=asked.index, dtype=float)
    first = ours[reply & ours["reply_to"].notna()].groupby("reply_to")["published_at"].min()
    # reindex, not map: mapping through an empty Series of times (no reply at all) fails in pandas
    hours = (first.reindex(asked.index) - asked).dt.total_seconds() / 3600
    return hours.where(hours >= 0).astype(float)
