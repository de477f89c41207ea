"""The team scorecard from ``team``: each owner of the brand's accounts (or
single posts), their output, engagement per post against the platform's norm,
reply time on the platforms they run, and their own goals."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats as sps

from smkit import rules

from .goals import prorated
from .kpis import reply_hours


def assign_owners(posts: pd.DataFrame, team: pd.DataFrame) -> pd.DataFrame:
    """``posts`` with ``owner`` and ``role``: a post-level row wins, then the
    account on that platform, then the account on every platform."""
    out = posts.copy()
    out["owner"], out["role"] = None, None
    t = team.copy()
    for col in ("platform", "post_id"):
        if col not in t:
            t[col] = None
    by_post = t[t["post_id"].notna()]
    by_account = t[t["post_id"].isna()]
    layers = [
        (by_account[by_account["platform"].isna()], ["account"]),
        (by_account[by_account["platform"].notna()], ["platform", "account"]),
        (by_post[by_post["platform"].isna()], ["account", "post_id"]),
        (by_post[by_post["platform"].notna()], ["platform", "account", "post_id"]),
    ]
    for rows, keys in layers:  # later layers are more specific and win
        if rows.empty:
            continue
        lookup = rows.drop_duplicates(keys, keep="last").set_index(keys)[["owner", "role"]].rename(columns=lambda c: c + "_new")
        matched = out.join(lookup, on=keys)
        hit = matched["owner_new"].notna()
        out.loc[hit, "owner"] = matched.loc[hit, "owner_new"]
        out.loc[hit, "role"] = matched.loc[hit, "role_new"]
    return out


def owned_posts(posts: pd.DataFrame, team: pd.DataFrame, brand: str) -> pd.DataFrame:
    """The brand's posts that ``team`` gives an owner, with each post's
    ``engagement`` and its platform's ``norm``: the mean engagement of every
    account's posts on that platform (the brand's and the others' in ``posts``)."""
    p = posts.copy()
    p["engagement"] = rules.interactions(p, rules.CREDITED_ENGAGEMENT)
    norm = p.groupby("platform")["engagement"].mean()
    owned = assign_owners(p[p["account"] == brand], team[team["account"] == brand])
    owned = owned[owned["owner"].notna()].copy()
    owned["norm"] = owned["platform"].map(norm)
    return owned


def against_norm(mine: pd.DataFrame) -> dict:
    """Engagement per post of some owned posts against their platforms' norm:
    the mean, the norm for the same post mix, their ratio (the index) and a
    t-test of each post's engagement over its platform's norm against 1
    (five posts at least)."""
    if mine.empty:
        return {"engagement_per_post": None, "platform_norm": None, "engagement_index": None, "p_vs_norm": None}
    per_post, norm = float(mine["engagement"].mean()), float(mine["norm"].mean())
    ratios = (mine["engagement"] / mine["norm"]).replace([np.inf, -np.inf], np.nan).dropna().to_numpy(dtype=float)
    return {
        "engagement_per_post": per_post if math.isfinite(per_post) else None,
        "platform_norm": norm if math.isfinite(norm) else None,
        "engagement_index": per_post / norm if norm and math.isfinite(per_post) and math.isfinite(norm) else None,
        "p_vs_norm": float(sps.ttest_1samp(ratios, 1.0).pvalue) if len(ratios) >= 5 and ratios.std() > 0 else None,
    }


def owner_platforms(posts: pd.DataFrame, team: pd.DataFrame, brand: str) -> pd.DataFrame:
    """Per owner and platform: posts, engagement per post against the platform
    norm (:func:`against_norm`), so a weak platform is not hidden in an owner's average."""
    if team.empty or posts.empty:
        return pd.DataFrame()
    owned = owned_posts(posts, team, brand)
    rows = [
        {"owner": owner, "platform": platform, "posts": len(mine), **against_norm(mine)}
        for (owner, platform), mine in owned.groupby(["owner", "platform"], sort=True)
    ]
    if not rows:
        return pd.DataFrame()
    return pd.DataFrame(rows).set_index(["owner", "platform"])


def team_scorecard(posts: pd.DataFrame, team: pd.DataFrame, mentions: pd.DataFrame, brand: str, goals: pd.DataFrame, days: int) -> pd.DataFrame:
    """Per owner of the brand's accounts: posts, engagement per post against
    the platform norm for the same post mix (:func:`against_norm`), views,
    median reply time on the platforms they own, and attainment of their own
    goals (owner column of the goals file): ``own_goals`` holds each goal's
    (metric, attainment) and ``goal_attainment`` their mean. Team rows for
    other accounts are ignored."""
    team = team[team["account"] == brand]
    if team.empty:
        return pd.DataFrame()
    owned = owned_posts(posts, team, brand)
    rows = []
    for owner, role in team[["owner", "role"]].drop_duplicates("owner").itertuples(index=False):
        mine = owned[owned["owner"] == owner]
        platforms = team.loc[(team["owner"] == owner) & team["post_id"].isna() & team["platform"].notna(), "platform"].unique()
        waits = None
        if len(platforms) and not mentions.empty:
            waits = reply_hours(mentions[mentions["platform"].isin(platforms)], brand)
        views = mine["views"].dropna() if "views" in mine else pd.Series(dtype=float)
        row = {
            "owner": owner,
            "role": role,
            "platforms_owned": len(platforms) > 0,
            "platforms": ", ".join(sorted(mine["platform"].unique())) or "–",
            "posts": len(mine),
            **against_norm(mine),
            "views": float(views.sum()) if len(views) else None,
            "engagements": float(mine["engagement"].sum()) if len(mine) else 0.0,
            "reply_hours": float(np.median(waits)) if waits is not None and len(waits) else None,
        }
        wanted = goals[goals["owner"].isin([owner, "*"])] if "owner" in goals else goals.iloc[0:0]
        # An owner's own goal replaces the everyone ("*") goal for the same metric and period.
        wanted = wanted.assign(own=wanted["owner"] == owner).sort_values("own").drop_duplicates(["metric", "period"], keep="last")
        results = []
        for g in wanted.itertuples(index=False):
            actual = row["posts"] if g.metric == "posts" else row.get(g.metric)
            target = prorated(float(g.target), g.period, days, g.metric != "engagement_per_post")
            if actual is not None and target > 0:
                results.append((g.metric, actual / target))
        row["goal_attainment"] = float(np.mean([r for _, r in results])) if results else None
        row["own_goals"] = tuple(results)  # (metric, attainment) of each of the owner's goals
        rows.append(row)
    return pd.DataFrame(rows).set_index("owner")
