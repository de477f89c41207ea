"""Personas to content: which persona each content topic serves.

The stores a team keeps rarely say which follower engaged with which post,
so the join goes through the platform: a persona (the audience's ``persona``
column when the export has one, else each user's first listed interest) is
described by where its members are, and a topic by its engagement per view
on each platform, against that platform's average (so a platform's generous
audience does not make every topic look good there). A topic's index for a
persona is the persona's platform mix times the topic's platform indices:
above 1, posts on that topic do better than average where that persona is.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from smkit import rules


def persona_labels(audience: pd.DataFrame) -> tuple[pd.Series, str]:
    """Each user's persona and where it came from (``persona`` column, else ``interest``)."""
    if "persona" in audience and audience["persona"].notna().any():
        return audience["persona"].astype("string").fillna("").astype(str), "persona"
    first = audience["interests"].astype("string").str.split(r"[;,，；]").str[0].str.strip() if "interests" in audience else pd.Series("", index=audience.index)
    return first.fillna("").astype(str), "interest"


def persona_topics(audience: pd.DataFrame, posts: pd.DataFrame, min_posts: int = 5, personas: int = 8) -> tuple[pd.DataFrame, str]:
    """Personas x topics: the platform-weighted engagement index, and the source of the persona labels."""
    label, source = persona_labels(audience)
    a = pd.DataFrame({"persona": label, "platform": audience["platform"]})
    a = a[a["persona"] != ""]
    top = a["persona"].value_counts().head(personas).index
    mix = pd.crosstab(a.loc[a["persona"].isin(top), "persona"], a.loc[a["persona"].isin(top), "platform"], normalize="index")
    p = posts[posts["topic"].notna() & (posts["views"].fillna(0) > 0)] if {"topic", "views"} <= set(posts.columns) else posts.iloc[0:0]
    if p.empty or mix.empty:
        return pd.DataFrame(), source
    p = p.assign(rate=rules.interactions(p, rules.CROSS_PLATFORM_ENGAGEMENT) / p["views"].astype(float))
    platform_mean = p.groupby("platform")["rate"].mean()
    cells = p.groupby(["topic", "platform"]).agg(rate=("rate", "mean"), n=("rate", "size"))
    cells = cells[cells["n"] >= min_posts]
    index = (cells["rate"] / cells.index.get_level_values("platform").map(platform_mean).to_numpy()).unstack("platform")
    shared = [c for c in mix.columns if c in index.columns]
    if not shared:
        return pd.DataFrame(), source
    m = mix[shared].div(mix[shared].sum(axis=1), axis=0).fillna(0.0)
    weights = m.to_numpy()
    values = index[shared].to_numpy(dtype=float)
    known = ~np.isnan(values)
    num = np.nan_to_num(values) @ weights.T
    den = known.astype(float) @ weights.T
    with np.errstate(invalid="ignore", divide="ignore"):
        out = pd.DataFrame(np.where(den > 0, num / den, np.nan), index=index.index, columns=m.index)
    out.index.name, out.columns.name = "topic", "persona"
    return out.dropna(how="all"), source
