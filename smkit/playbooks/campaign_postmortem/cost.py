"""What the campaign cost: CPM, CPV, CPE, CPC, CPA, ROI and ROAS overall, and
spend against results per channel, creator (KOL) or content type, ranked by
cost per conversion with its interval and a Holm-adjusted test of each
group's conversion rate against the best group's.

Spend counts the campaign posts' ``spend`` (per-post fees: KOL, paid posts)
plus the brand accounts' ``account_daily.spend`` on the campaign platforms in
the window (promotion not tied to a post).
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from smkit.methods.campaigns import efficiency  # noqa: F401  (the post-mortem's tables use the shared definition)

from .kpis import Lift, total, with_interactions

BREAKDOWNS = ("channel", "creator", "content_type")


def cost_metrics(
    spend: float,
    *,
    impressions: float | None = None,
    views: float | None = None,
    engagements: float | None = None,
    clicks: float | None = None,
    conversions: float | None = None,
    revenue: float | None = None,
) -> dict[str, float | None]:
    """CPM, CPV (per thousand views, for platforms without impressions), CPE, CPC,
    CPA, ROI and ROAS. A ratio whose denominator is missing or zero is ``None``,
    as is everything when nothing was spent."""

    def per(count: float | None, scale: float = 1.0) -> float | None:
        return spend / count * scale if spend and count else None

    return {
        "spend": spend,
        "cpm": per(impressions, 1000.0),
        "cpv": per(views, 1000.0),
        "cpe": per(engagements),
        "cpc": per(clicks),
        "cpa": per(conversions),
        "roi": (revenue - spend) / spend if spend and revenue is not None else None,
        "roas": revenue / spend if spend and revenue is not None else None,
    }


COUNTED = ("impressions", "views", "interactions", "clicks", "conversions")  # the campaign posts' counts the ratios divide by


def campaign_cost(campaign_posts: pd.DataFrame, brand_daily: pd.DataFrame) -> dict:
    """Cost efficiency of the whole campaign (see the module docstring for what spend counts).

    Every ratio divides by a count of the campaign posts, the same totals as
    the KPIs (``counts``: impressions, views, interactions, clicks,
    conversions), so the CPA beside the conversions it divides by is that
    figure and no other. ``cpa_on_posts`` divides only the posts' own spend
    (KOL fees, paid posts) by the same conversions: what the channel and
    creator tables add up to, since account promotion cannot be split by post.
    """
    posts = with_interactions(campaign_posts)
    on_posts, on_accounts = total(posts, "spend") or 0.0, total(brand_daily, "spend") or 0.0
    revenue_parts = [v for v in (total(posts, "revenue"), total(brand_daily, "revenue")) if v is not None]
    counts = {metric: total(posts, metric) for metric in COUNTED}
    cost = cost_metrics(
        on_posts + on_accounts,
        impressions=counts["impressions"],
        views=counts["views"],
        engagements=counts["interactions"],
        clicks=counts["clicks"],
        conversions=counts["conversions"],
        revenue=sum(revenue_parts) if revenue_parts else None,
    )
    on_posts_cpa = cost_metrics(on_posts, conversions=counts["conversions"])["cpa"]
    return {**cost, "spend_on_posts": on_posts, "spend_on_accounts": on_accounts, "cpa_on_posts": on_posts_cpa, "counts": counts}


def incremental_costs(cost: dict, lifts: Sequence[Lift]) -> dict[str, float]:
    """What the money bought beyond the counterfactual, per incremental view and
    conversion of the brand's accounts where the lift is clearly positive
    (``incremental_views`` and ``incremental_conversions`` hold the counts
    divided by), a causal complement to CPA on the campaign posts."""
    out = {}
    for lift in lifts:
        if lift.metric in ("views", "conversions") and lift.campaign.ci_low > 0 and cost.get("spend"):
            out[f"incremental_{lift.metric}"] = lift.campaign.absolute
            out[f"cost_per_incremental_{lift.metric[:-1]}"] = cost["spend"] / lift.campaign.absolute
    return out
