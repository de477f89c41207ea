"""Word of mouth (口碑) in the window: sentiment by brand, platform and topic, and earned against owned."""

from __future__ import annotations

import pandas as pd

from smkit import rules

NO_TOPIC = "(no topic)"  # the topic row of mentions without one (the report names it)
COLUMNS = ["mentions", "positive_share", "neutral_share", "negative_share", "net_sentiment"]


def breakdown(m: pd.DataFrame, by: str | list[str]) -> pd.DataFrame:
    """Mentions, positive / neutral / negative shares and net sentiment
    ((positive - negative) / (positive + negative), :func:`smkit.rules.net_sentiment`) per group."""
    keys = [by] if isinstance(by, str) else list(by)
    if m.empty:
        return pd.DataFrame(columns=COLUMNS, index=pd.Index([], name=keys[0]) if len(keys) == 1 else None)
    # Each row counts as the mentions it stands for (1, or ``n`` for rows summed in the engine).
    weighted = m.assign(n_=rules.mention_count(m))
    counts = weighted.groupby([*keys, "polarity"])["n_"].sum().unstack("polarity", fill_value=0)
    counts = counts.reindex(columns=["positive", "neutral", "negative"], fill_value=0).astype("int64")
    total = counts.sum(axis=1)
    if "n" in m:
        net = weighted.groupby(keys)[["sentiment", "n_"]].apply(lambda g: rules.net_sentiment(g["sentiment"], weights=g["n_"]))
    else:
        net = m.groupby(keys)["sentiment"].agg(rules.net_sentiment)
    out = pd.DataFrame(
        {
            "mentions": total,
            "positive_share": counts["positive"] / total,
            "neutral_share": counts["neutral"] / total,
            "negative_share": counts["negative"] / total,
            "net_sentiment": net.reindex(total.index).astype(float),
        }
    )
    return out.sort_values("mentions", ascending=False)


def earned_owned(window: pd.DataFrame, brand: str) -> pd.DataFrame:
    """Earned (others' mentions of the brand) against owned (the brand's own
    replies) in the window, with each one's engagement (likes, comments and
    shares); rows ``earned`` and ``owned`` (the report names them)."""
    ours = window[window["brand"] == brand]
    owned = rules.is_reply(ours)
    rows = []
    for name, part in (("earned", ours[~owned]), ("owned", ours[owned])):
        # A part no platform reported counts as 0, so a mention without figures still weighs in the mean.
        eng = rules.interactions(part, rules.CROSS_PLATFORM_ENGAGEMENT).fillna(0)
        n = int(rules.mention_count(part).sum())
        rows.append({"source": name, "mentions": n, "engagement": float(eng.sum()), "engagement_per_mention": float(eng.sum()) / n if n else None})
    return pd.DataFrame(rows).set_index("source")


def tables(window: pd.DataFrame, brand: str) -> dict[str, pd.DataFrame]:
    """The word-of-mouth tables: ``brand`` (every brand's earned mentions),
    ``platform`` (ours), ``earned_owned`` and, only where the listening export
    carries a topic (话题), ``topic`` (ours)."""
    organic = rules.earned(window)
    ours = organic[organic["brand"] == brand]
    out = {"brand": breakdown(organic, "brand"), "platform": breakdown(ours, "platform"), "earned_owned": earned_owned(window, brand)}
    if "topic" in ours and ours["topic"].notna().any():
        out["topic"] = breakdown(ours.assign(topic=ours["topic"].fillna(NO_TOPIC)), "topic")
    return out
