"""The shortlist for a budget: a 0-1 knapsack, and the tiers it draws from.

Each eligible creator (not suspicious, with a price and an estimate) is one
item: its cost is its price for one post, its value the expected engagements
of that post, weighted by audience fit under the ``fit_engagements``
objective. The set with the largest total value whose prices fit the budget
is found exactly as an integer program (``scipy.optimize.milp``, HiGHS
branch and bound), not by ranking: a ranking by followers or by value per
yuan can leave money unspent or miss a better combination.

Tiers follow the usual Chinese industry bands of followers: 头部 head (1M
and more), 腰部 mid-tier (100k to 1M), 尾部 tail (10k to 100k) and KOC
(below 10k).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

TIERS = (("head", 1_000_000), ("mid", 100_000), ("tail", 10_000), ("koc", 0))


def tier(followers: pd.Series) -> pd.Series:
    """``head``, ``mid``, ``tail`` or ``koc`` by follower count."""
    f = pd.to_numeric(followers, errors="coerce").astype(float)
    out = pd.Series("koc", index=followers.index, dtype=object)
    for name, floor in reversed(TIERS):
        out[f >= floor] = name
    return out


def knapsack(values: np.ndarray, costs: np.ndarray, budget: float) -> np.ndarray:
    """The 0-1 choice with the largest total value whose total cost is within ``budget``.

    Items with a cost above the budget or a value of zero or less are never chosen.
    """
    from scipy.optimize import Bounds, LinearConstraint, milp

    values, costs = np.asarray(values, dtype=float), np.asarray(costs, dtype=float)
    chosen = np.zeros(len(values), dtype=bool)
    ok = np.isfinite(values) & np.isfinite(costs) & (values > 0) & (costs <= budget) & (costs >= 0)
    if not ok.any():
        return chosen
    v, c = values[ok], costs[ok]
    scale = v.max()
    res = milp(
        -v / scale, constraints=LinearConstraint(c[None, :], -np.inf, budget), integrality=np.ones(len(v)), bounds=Bounds(0, 1), options={"mip_rel_gap": 1e-9}
    )
    if res.x is None:
        raise RuntimeError(f"the knapsack solver failed: {res.message}")
    chosen[np.flatnonzero(ok)] = res.x > 0.5
    return chosen


def by_followers(followers: np.ndarray, costs: np.ndarray, budget: float) -> np.ndarray:
    """The naive choice: the biggest accounts first, each one that still fits the budget."""
    followers, costs = np.asarray(followers, dtype=float), np.asarray(costs, dtype=float)
    chosen = np.zeros(len(followers), dtype=bool)
    left = budget
    for i in np.argsort(-np.nan_to_num(followers, nan=-1), kind="stable"):
        if np.isfinite(costs[i]) and costs[i] <= left:
            chosen[i] = True
            left -= costs[i]
    return chosen


def tier_table(frame: pd.DataFrame, chosen: pd.Series) -> pd.DataFrame:
    """Per tier: creators on the list and eligible, creators chosen, spend and expected engagements."""
    rows = []
    for name, _ in TIERS:
        t = frame["tier"] == name
        pick = t & chosen
        spend = float(frame.loc[pick, "price"].sum())
        eng = float(frame.loc[pick, "expected"].sum())
        eligible = t & frame["eligible"]
        rows.append(
            {
                "tier": name,
                "eligible": int(eligible.sum()),
                "chosen": int(pick.sum()),
                "spend": spend,
                "expected": eng,
                "cpe": spend / eng if eng > 0 else np.nan,
                "median_cpe": float(frame.loc[eligible, "expected_cpe"].median()) if eligible.any() else np.nan,
            }
        )
    return pd.DataFrame(rows)
