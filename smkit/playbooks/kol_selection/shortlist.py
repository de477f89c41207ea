"""The shortlist for a budget: a 0-1 knapsack, and the tiers it draws from.

Each eligible creator (not suspicious, with a price and an estimate) is one
item: its cost is its price for one post, its value the expected engagements
of that post, weighted by audience fit under the ``fit_engagements``
objective. The set with the largest total value whose prices fit the budget
is found exactly by dynamic programming over the budget (see
:func:`knapsack`), not by ranking: a ranking by followers or by value per
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


MAX_CELLS = 200_000  # budget steps the dynamic programme keeps; above, prices are rounded up to coarser steps


def knapsack(values: np.ndarray, costs: np.ndarray, budget: float) -> np.ndarray:
    """The 0-1 choice with the largest total value whose total cost is within ``budget``.

    Exact dynamic programming over the budget in steps of :func:`budget_unit`
    yuan: the greatest common divisor of the prices and the budget (100 yuan
    for prices quoted in hundreds), or, when that would need more than
    ``MAX_CELLS`` steps, ``budget / MAX_CELLS`` with prices rounded up, so a
    chosen set never exceeds the budget. Items with a value of zero or less,
    or a price above the budget, are never chosen.
    """
    values, costs = np.asarray(values, dtype=float), np.asarray(costs, dtype=float)
    chosen = np.zeros(len(values), dtype=bool)
    ok = np.isfinite(values) & np.isfinite(costs) & (values > 0) & (costs <= budget) & (costs >= 0)
    if not ok.any():
        return chosen
    unit = budget_unit(costs[ok], budget)
    steps = int(np.floor(budget / unit + 1e-9))
    weights = np.ceil(np.where(ok, costs, 0) / unit - 1e-9).astype(np.int64)
    best = np.zeros(steps + 1)  # best[c]: the largest value within c steps of budget
    keep = np.zeros((len(values), steps + 1), dtype=bool)
    for i in np.flatnonzero(ok):
        w = int(weights[i])
        if w > steps:
            continue
        with_item = best[: steps + 1 - w] + values[i]
        better = with_item > best[w:] + 1e-12
        keep[i, w:] = better
        best[w:] = np.where(better, with_item, best[w:])
    left = steps
    for i in np.flatnonzero(ok)[::-1]:
        if keep[i, left]:
            chosen[i] = True
            left -= int(weights[i])
    return chosen


def budget_unit(costs: np.ndarray, budget: float) -> float:
    """The dynamic programme's step in yuan (see :func:`knapsack`)."""
    amounts = np.append(np.asarray(costs, dtype=float), budget)
    whole = np.round(amounts).astype(np.int64)
    unit = float(np.gcd.reduce(whole[whole > 0])) if np.allclose(whole, amounts) and (whole > 0).any() else 1.0
    return max(unit, budget / MAX_CELLS)


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
