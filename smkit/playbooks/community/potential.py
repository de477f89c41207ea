"""Potential users (潜在用户, plan 6.3): people who engaged with the brand in
the window but are not community members.

Engagement is what the store holds: the authors of mentions of the brand
(the mentions table holds comments as well as posts), leaving out the brand's
own replies. A member is anyone in ``community_activity`` up to the end of
the window; authors are matched to members by their id as written. Each
potential user is described by their mentions, the interactions those
mentions drew (likes, comments, shares), their followers and platform, and
listed by interactions, then followers, then mentions.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

COLUMNS = ["mentions", "interactions", "followers", "platform", "last"]


@dataclass(frozen=True)
class Potential:
    engaged: int  # distinct authors of the brand's mentions in the window
    members: int  # of them, community members
    potential: int  # of them, not members
    top: pd.DataFrame  # author -> mentions, interactions, followers, platform, last (the list)


def potential_users(mentions: pd.DataFrame, brand: str, members: pd.Index, top_n: int = 20) -> Potential:
    """Authors of ``brand``'s mentions who are not among ``members``."""
    m = mentions
    if "brand" in m and brand:
        m = m[m["brand"].astype(str).str.casefold() == brand.casefold()]
    if "is_reply_by_brand" in m:
        m = m[~m["is_reply_by_brand"].fillna(False).astype(bool)]
    m = m[m["author"].notna() & (m["author"].astype(str).str.strip() != "")] if "author" in m else m.iloc[0:0].assign(author="")
    m = m.assign(author=m["author"].astype(str).str.strip())
    zero = pd.Series(0.0, index=m.index)
    interactions = sum((m[c].astype("Float64").fillna(0).astype(float) if c in m else zero) for c in ("likes", "comments", "shares"))
    followers = m["author_followers"].astype("Float64").astype(float) if "author_followers" in m else pd.Series(float("nan"), index=m.index)
    m = m.assign(interactions=interactions, followers=followers)
    per = (
        m.sort_values("published_at")
        .groupby("author")
        .agg(
            mentions=("author", "size"),
            interactions=("interactions", "sum"),
            followers=("followers", "max"),
            platform=("platform", "last"),
            last=("published_at", "max"),
        )
    )
    is_member = per.index.isin(members.astype(str))
    out = per[~is_member].sort_values(["interactions", "followers", "mentions"], ascending=False, na_position="last")
    out.index.name = "author"
    return Potential(engaged=len(per), members=int(is_member.sum()), potential=len(out), top=out.head(top_n)[COLUMNS])
