"""From creators (and what the store adds) to one :class:`Result`; pure, no store, no HTML."""

from __future__ import annotations

import numpy as np
import pandas as pd

from smkit.playbooks.kol_selection import engagement as eng
from smkit.playbooks.kol_selection import shortlist as sl
from smkit.playbooks.kol_selection import signals as sig
from smkit.playbooks.kol_selection.fit import audience_fit
from smkit.playbooks.kol_selection.inputs import Inputs, Settings
from smkit.playbooks.kol_selection.result import Result
from smkit.rules import CREDITED_ENGAGEMENT, interactions


def analyze(inputs: Inputs, s: Settings) -> Result:
    """Estimates, fit, signals and the shortlist for every creator of ``inputs``.

    ``Result.creators`` columns: creator, platform, category, followers, tier,
    price, posts, own_average, expected (engagements per post) with
    expected_low/high, shrink_weight, expected_cpe with cpe_low/high, fit and
    its parts, engagement_z, ratio_z, jump_share, jump_date, one boolean per
    signal, signals, suspicious, eligible, value, shortlisted, past_posts, past_cpe.
    """
    c = inputs.creators.copy()
    if c.empty:
        raise ValueError(f"{inputs.source}: no creators to choose from" + (f" on {', '.join(s.platforms)}" if s.platforms else ""))
    for column in ("category", "followers", "price", "posts_30d", "avg_likes", "avg_comments", "avg_shares"):
        if column not in c:
            c[column] = np.nan
    followers = pd.to_numeric(c["followers"], errors="coerce").astype(float)
    own = eng.engagements(c)
    usable = (followers > 0) & (own > 0)
    norm = eng.fit_norm(c, usable)
    est = eng.expected_engagements(c, norm)
    eng_z, rat_z, jumps = sig.engagement_z(c, norm), sig.ratio_z(c), sig.follower_jumps(c, inputs.history)
    flags = sig.raise_signals(eng_z, rat_z, jumps)
    fit = audience_fit(c, inputs.target)
    price = pd.to_numeric(c["price"], errors="coerce").astype(float)

    out = pd.DataFrame(
        {
            "creator": c["creator"].astype(str),
            "platform": c["platform"].astype(str),
            "category": c["category"],
            "followers": followers,
            "tier": sl.tier(followers),
            "price": price,
        }
    )
    out = out.join(est).join(fit)
    out["expected_cpe"] = price / out["expected"]
    out["cpe_low"] = price / out["expected_high"]
    out["cpe_high"] = price / out["expected_low"]
    out["engagement_z"] = eng_z
    out["ratio_z"] = rat_z
    out = out.join(jumps[["jump_share", "jump_date"]]).join(flags)
    out["eligible"] = ~out["suspicious"] & (price > 0) & out["expected"].notna()
    weight = out["fit"].fillna(out["fit"].median()) if s.objective == "fit_engagements" and out["fit"].notna().any() else pd.Series(1.0, index=out.index)
    out["value"] = (out["expected"] * weight).where(out["eligible"], 0.0)
    chosen = sl.knapsack(out["value"].to_numpy(), price.fillna(np.inf).to_numpy(), s.budget)
    out["shortlisted"] = chosen
    out = out.join(_past(c, inputs.past))

    naive = sl.by_followers(followers.to_numpy(), price.fillna(np.inf).to_numpy(), s.budget)
    head = out["tier"].eq("head").to_numpy()
    head_pick = sl.knapsack(np.where(head, out["value"].to_numpy(), 0.0), price.fillna(np.inf).to_numpy(), s.budget)
    alternatives = {
        "follower_ranking": _totals(out, naive),
        "head_only": _totals(out, head_pick),
    }
    tau2 = {str(p): float(norm.tau2[idx].dropna().iloc[0]) for p, idx in c.groupby("platform").groups.items() if norm.tau2[idx].notna().any()}
    return Result(
        creators=out.reset_index(drop=True),
        tiers=sl.tier_table(out, out["shortlisted"]),
        budget=s.budget,
        spent=float(price[chosen].sum()),
        expected_total=float(out.loc[chosen, "expected"].sum()),
        objective=s.objective,
        alternatives=alternatives,
        tau2=tau2,
        target=inputs.target,
        target_source=inputs.target_source,
        source=inputs.source,
        missing=inputs.missing,
    )


def _totals(out: pd.DataFrame, chosen: np.ndarray) -> dict[str, float]:
    """Spend, creators, suspicious creators and expected engagements (as estimated) of a choice."""
    pick = pd.Series(chosen, index=out.index)
    spend = float(out.loc[pick, "price"].sum())
    expected = float(out.loc[pick, "expected"].sum())
    return {"spent": spend, "creators": float(pick.sum()), "suspicious": float((pick & out["suspicious"]).sum()), "expected": expected}


def _past(creators: pd.DataFrame, past: pd.DataFrame) -> pd.DataFrame:
    """Per creator, earlier posts made for the brand and their cost per engagement (where spend is known)."""
    out = pd.DataFrame({"past_posts": 0, "past_cpe": np.nan}, index=creators.index)
    if past is None or past.empty or "creator" not in past:
        return out
    p = past.assign(_eng=interactions(past, CREDITED_ENGAGEMENT), _spend=pd.to_numeric(past.get("spend"), errors="coerce") if "spend" in past else np.nan)
    agg = p.groupby(["platform", "creator"]).agg(posts=("_eng", "size"), engagements=("_eng", "sum"), spend=("_spend", "sum"))
    for i, key in zip(creators.index, zip(creators["platform"].astype(str), creators["creator"].astype(str))):
        if key in agg.index:
            row = agg.loc[key]
            out.loc[i, "past_posts"] = int(row["posts"])
            if row["spend"] > 0 and row["engagements"] > 0:
                out.loc[i, "past_cpe"] = float(row["spend"] / row["engagements"])
    return out
