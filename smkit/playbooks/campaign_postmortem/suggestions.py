"""What to repeat, stop and re-budget, as data: each suggestion is a kind and
the figures behind it (:func:`.wording.suggestion_text`
words it).

Re-budgeting between channels or creators reuses the efficiency table's own
Holm-adjusted comparison (``differs_from_best``: the group's conversion rate
against the best group's), so the suggestion and the table never disagree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from .kpis import Lift

KINDS = ("repeat", "stop", "not_yet", "halo", "placebo", "overspend", "replan_target", "rebudget", "fix_step", "track_revenue", "league")
OVERSPEND = 1.05  # spend above budget by more than this factor is flagged
LOW_ATTAINMENT = 0.8  # a KPI below this share of its target is re-planned


@dataclass(frozen=True)
class Suggestion:
    """One suggestion: its ``kind`` (one of :data:`KINDS`) and the figures it cites."""

    kind: str
    figures: dict[str, Any] = field(default_factory=dict)


def _verdict(lift: Lift) -> Suggestion:
    e = lift.campaign
    kind = "repeat" if e.ci_low > 0 else "stop" if e.ci_high < 0 else "not_yet"
    return Suggestion(kind, {"metric": lift.metric, "absolute": e.absolute, "relative": e.relative, "rel_ci_low": e.rel_ci_low, "rel_ci_high": e.rel_ci_high})


def _rebudget(table: pd.DataFrame, by: str) -> Suggestion | None:
    """From the most expensive group per conversion to the cheapest, with the
    efficiency table's Holm-adjusted verdict on the worst group's conversion rate."""
    ranked = table.dropna(subset=["cpa"]) if "cpa" in table else table
    if len(ranked) < 2:
        return None
    best, worst = ranked.index[0], ranked.index[-1]
    differs = ranked.at[worst, "differs_from_best"] if "differs_from_best" in ranked else None
    return Suggestion(
        "rebudget",
        {
            "by": by,
            "worst": worst,
            "best": best,
            "worst_cpa": float(ranked.at[worst, "cpa"]),
            "worst_spend": float(ranked.at[worst, "spend"]),
            "best_cpa": float(ranked.at[best, "cpa"]),
            "significant": bool(differs) if differs is not None and pd.notna(differs) else False,
            "p_vs_best": float(ranked.at[worst, "p_vs_best"]) if "p_vs_best" in ranked and pd.notna(ranked.at[worst, "p_vs_best"]) else None,
        },
    )


def derive(
    kpis: pd.DataFrame,
    cost: dict,
    lifts: Sequence[Lift],
    channels: pd.DataFrame,
    creators: pd.DataFrame,
    funnel_table: pd.DataFrame,
    budget: float | None = None,
    alpha: float = 0.05,
    league: pd.DataFrame | None = None,
    campaign_id: str = "",
) -> tuple[Suggestion, ...]:
    """The suggestions the figures support, in the order the report gives them."""
    out = []
    main = next((lift for lift in lifts if lift.metric == "views"), lifts[0] if lifts else None)
    if main is not None:
        out.append(_verdict(main))
        if main.halo is not None and main.halo.ci_low > 0:
            out.append(Suggestion("halo", {"metric": main.metric, "relative": main.halo.relative, "days": main.halo.days}))
        if main.placebo is not None and main.placebo.significant:
            out.append(Suggestion("placebo", {"metric": main.metric, "relative": main.placebo.relative}))
    if budget and cost.get("spend", 0) > budget * OVERSPEND:
        out.append(Suggestion("overspend", {"spend": cost["spend"], "budget": budget}))
    for metric, row in kpis.iterrows():
        if row["attainment"] is not None and pd.notna(row["attainment"]) and row["attainment"] < LOW_ATTAINMENT:
            out.append(Suggestion("replan_target", {"metric": metric, "actual": row["actual"], "target": row["target"], "attainment": row["attainment"]}))
    for table, by in ((channels, "channel"), (creators, "creator")):
        move = _rebudget(table, by)
        if move is not None:
            out.append(move)
    rates = funnel_table.dropna(subset=["rate", "rate_before"]) if "rate" in funnel_table else funnel_table.iloc[0:0]  # one stage: no rate
    if len(rates):
        change = rates["rate"] / rates["rate_before"] - 1
        stage = change.idxmin()
        p_change = rates.at[stage, "p_value"]
        if change[stage] < 0 and p_change is not None and pd.notna(p_change) and p_change < alpha:
            out.append(
                Suggestion("fix_step", {"stage": stage, "rate_before": rates.at[stage, "rate_before"], "rate": rates.at[stage, "rate"], "p_value": p_change})
            )
    if cost.get("cpa") is not None and cost.get("roi") is None:
        out.append(Suggestion("track_revenue", {"cpa": cost["cpa"]}))
    across = _across(league, campaign_id)
    if across is not None:
        out.append(across)
    return tuple(out)


def _across(league: pd.DataFrame | None, campaign_id: str) -> Suggestion | None:
    """What the store's ended campaigns say: what a thousand incremental views
    cost when KOLs led against paid posts (pooled over the campaigns of each),
    and where this campaign's lift ranks. ``None`` with fewer than two campaigns."""
    if league is None or len(league) < 2:
        return None
    from .league import by_leader

    leaders = by_leader(league)
    cost = {k: leaders.at[k, "cost_per_thousand_views"] if k in leaders.index else None for k in ("kol", "paid")}
    n = {k: int(leaders.at[k, "campaigns"]) if k in leaders.index else 0 for k in ("kol", "paid")}
    both = all(v is not None and pd.notna(v) for v in cost.values())
    rank = list(league.index).index(campaign_id) + 1 if campaign_id in league.index else None
    return Suggestion(
        "league",
        {
            "campaigns": len(league),
            "rank": rank,
            "kol_cost": float(cost["kol"]) if both else None,
            "paid_cost": float(cost["paid"]) if both else None,
            "kol_n": n["kol"],
            "paid_n": n["paid"],
            "cheaper": (min(("kol", "paid"), key=lambda k: cost[k]) if both else None),
        },
    )
