"""Campaign post-mortem: what the campaign caused, at what cost, and what to change.

Backs ``notebooks/campaign_postmortem.ipynb`` (plan chapter 7, 营销效果评估).
Where the numbers come from:

- **KPIs**: the campaign's posts (``posts.campaign_id``: owned, paid and KOL),
  against ``target_<metric>`` and against the brand's own posts on the
  campaign's platforms in the equally long period before it (the baseline).
- **Cost**: the campaign posts' ``spend`` (per-post fees: KOL, paid posts)
  plus the brand accounts' ``account_daily.spend`` on the campaign platforms
  in the window (promotion not tied to a post).
- **Incremental lift**: the brand's daily account metrics on the campaign
  platforms against a counterfactual from :mod:`smkit.methods.causal`, with the
  brand's other platforms and competitors on the same platforms as controls.
- **Funnel**: the brand accounts' daily views, engagements, clicks and
  conversions, campaign window against the period before.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from smkit.data.store import load
from smkit.methods import causal, sentiment, stats
from smkit.rules import earned

ENGAGEMENT_PARTS = ("likes", "comments", "shares", "saves")
KPI_METRICS = ("views", "reach", "impressions", "likes", "comments", "shares", "interactions", "followers_gained", "clicks", "conversions")
LIFT_METRICS = ("views", "engagements", "followers_gained", "clicks", "conversions")
MAX_CONTROLS = 5


@dataclass(frozen=True)
class Campaign:
    campaign_id: str
    name: str
    start: dt.date
    end: dt.date
    platforms: tuple[str, ...]
    budget: float | None
    targets: dict[str, float]

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def read_campaign(store: Path, campaign_id: str = "") -> Campaign:
    """The campaign ``campaign_id``; empty for the most recent that has ended."""
    table = load("campaigns", store=store)
    if table.empty:
        raise LookupError("the campaigns table is empty; ingest a campaign sheet first")
    if campaign_id:
        match = table[table["campaign_id"] == campaign_id]
        if match.empty:
            raise ValueError(f"campaign {campaign_id!r} is not in the store; campaigns: {', '.join(table['campaign_id'])}")
        row = match.iloc[0]
    else:
        row = table.sort_values("end_date").iloc[-1]
    targets = {c.removeprefix("target_"): float(row[c]) for c in table.columns if c.startswith("target_") and pd.notna(row[c])}
    listed = row.get("platforms")
    platforms = tuple(p.strip() for p in str(listed).split(";") if p.strip()) if pd.notna(listed) else ()
    return Campaign(str(row["campaign_id"]), str(row.get("name") or row["campaign_id"]), row["start_date"].date(), row["end_date"].date(),
                    platforms, None if pd.isna(row.get("budget")) else float(row["budget"]), targets)


def with_interactions(posts: pd.DataFrame) -> pd.DataFrame:
    """Add ``interactions``: likes + comments + shares + saves, counting the parts
    a platform reports (the platforms' own 互动量 are not comparable)."""
    parts = [c for c in ENGAGEMENT_PARTS if c in posts]
    out = posts.copy()
    out["interactions"] = posts[parts].astype("Float64").sum(axis=1, min_count=1).astype("Int64") if parts else pd.NA
    return out


def _total(frame: pd.DataFrame, column: str) -> float | None:
    if column not in frame or frame[column].notna().sum() == 0:
        return None
    return float(frame[column].sum())


def kpi_table(campaign_posts: pd.DataFrame, baseline_posts: pd.DataFrame, campaign: Campaign, baseline_days: int) -> pd.DataFrame:
    """Actual, target, attainment and baseline per KPI.

    The baseline is the brand's own posts on the campaign platforms before the
    campaign, scaled to the campaign's length; a KPI with no data is left out.
    """
    actual_posts, base_posts = with_interactions(campaign_posts), with_interactions(baseline_posts)
    rows = []
    for metric in KPI_METRICS:
        actual = _total(actual_posts, metric)
        if actual is None:
            continue
        base = _total(base_posts, metric)
        baseline = None if base is None or baseline_days <= 0 else base / baseline_days * campaign.days
        target = campaign.targets.get(metric)
        rows.append({
            "metric": metric, "actual": actual, "target": target,
            "attainment": actual / target if target else None,
            "baseline": baseline, "vs_baseline": actual / baseline - 1 if baseline else None,
        })
    return pd.DataFrame(rows, columns=["metric", "actual", "target", "attainment", "baseline", "vs_baseline"]).set_index("metric")


def cost_metrics(spend: float, *, impressions: float | None = None, views: float | None = None, engagements: float | None = None,
                 clicks: float | None = None, conversions: float | None = None, revenue: float | None = None) -> dict[str, float | None]:
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


def campaign_cost(campaign_posts: pd.DataFrame, brand_daily: pd.DataFrame) -> dict[str, float | None]:
    """Cost efficiency of the whole campaign (see the module docstring for what spend counts)."""
    posts = with_interactions(campaign_posts)
    on_posts, on_accounts = _total(posts, "spend") or 0.0, _total(brand_daily, "spend") or 0.0
    revenue_parts = [v for v in (_total(posts, "revenue"), _total(brand_daily, "revenue")) if v is not None]
    cost = cost_metrics(on_posts + on_accounts, impressions=_total(posts, "impressions"), views=_total(posts, "views"),
                        engagements=_total(posts, "interactions"), clicks=_total(posts, "clicks"),
                        conversions=_total(posts, "conversions"), revenue=sum(revenue_parts) if revenue_parts else None)
    return {**cost, "spend_on_posts": on_posts, "spend_on_accounts": on_accounts}


def efficiency(campaign_posts: pd.DataFrame, by: str, alpha: float = 0.05) -> pd.DataFrame:
    """Spend, results and cost per result per ``by`` group (channel, creator,
    platform, content_type), ranked by cost per conversion with its interval
    (exact Poisson on conversions), and whether each group's conversion rate per
    click differs from the best group's (two-proportion test, Holm-adjusted)."""
    posts = with_interactions(campaign_posts)
    posts = posts[posts[by].notna()] if by in posts else posts.iloc[0:0]
    if posts.empty:
        return pd.DataFrame()
    g = posts.groupby(by, observed=True)
    table = pd.DataFrame({
        "posts": g.size(),
        "spend": g["spend"].sum(min_count=1) if "spend" in posts else np.nan,
        "views": g["views"].sum(min_count=1),
        "interactions": g["interactions"].sum(min_count=1),
        "clicks": g["clicks"].sum(min_count=1) if "clicks" in posts else np.nan,
        "conversions": g["conversions"].sum(min_count=1) if "conversions" in posts else np.nan,
    }).astype(float)
    table["cpe"] = table["spend"] / table["interactions"].replace(0, np.nan)
    table["cpa"] = table["spend"] / table["conversions"].replace(0, np.nan)
    table.loc[(table["spend"] > 0) & (table["conversions"] == 0), "cpa"] = np.inf  # money spent, nothing converted
    bounds = [stats.poisson_interval(c, alpha) if pd.notna(c) else (np.nan, np.nan) for c in table["conversions"]]
    table["cpa_low"] = [s / hi if hi and pd.notna(s) else np.nan for s, (lo, hi) in zip(table["spend"], bounds)]
    table["cpa_high"] = [s / lo if lo and pd.notna(s) else np.nan for s, (lo, hi) in zip(table["spend"], bounds)]
    table["conversion_rate"] = table["conversions"] / table["clicks"].replace(0, np.nan)
    table = table.sort_values(["cpa", "views"], ascending=[True, False], na_position="last")
    rated = table.dropna(subset=["conversion_rate"])
    table["differs_from_best"] = None
    if len(rated) >= 2:
        best = rated["conversion_rate"].idxmax()
        others = [i for i in rated.index if i != best]
        p = [stats.two_proportion_pvalue(rated.at[best, "conversions"], rated.at[best, "clicks"], rated.at[i, "conversions"], rated.at[i, "clicks"]) for i in others]
        adjusted = stats.adjust_pvalues(p, "holm")
        table["p_vs_best"] = pd.Series(dict(zip(others, adjusted)))
        table.loc[others, "differs_from_best"] = [bool(a < alpha) for a in adjusted]
        table.loc[best, "differs_from_best"] = False
    return table


def funnel(daily: pd.DataFrame, campaign: Campaign) -> pd.DataFrame:
    """Views (or impressions) -> engagements -> clicks -> conversions for the
    brand accounts, in the campaign window and the equally long period before
    it, with each stage's rate, its drop-off and a test of the change."""
    start, end = pd.Timestamp(campaign.start), pd.Timestamp(campaign.end)
    during = daily[(daily["date"] >= start) & (daily["date"] <= end)]
    before = daily[(daily["date"] < start) & (daily["date"] >= start - pd.Timedelta(days=campaign.days))]
    top = "impressions" if during["impressions"].notna().all() and during["impressions"].sum() > 0 else "views"
    stages = [top, "engagements", "clicks", "conversions"]
    rows = []
    for i, stage in enumerate(stages):
        now, then = float(during[stage].sum()), float(before[stage].sum())
        row = {"stage": stage, "campaign": now, "before": then}
        if i:
            prev = stages[i - 1]
            now_prev, then_prev = float(during[prev].sum()), float(before[prev].sum())
            row["rate"] = now / now_prev if now_prev else None
            row["rate_before"] = then / then_prev if then_prev else None
            row["drop_off"] = 1 - row["rate"] if row["rate"] is not None else None
            row["p_value"] = stats.two_proportion_pvalue(then, then_prev, now, now_prev) if now_prev and then_prev and now <= now_prev and then <= then_prev else None
        rows.append(row)
    return pd.DataFrame(rows).set_index("stage")


@dataclass(frozen=True)
class PostMortem:
    """Everything the report shows, computed once."""

    campaign: Campaign
    brand: str
    kpis: pd.DataFrame
    cost: dict
    channels: pd.DataFrame
    creators: pd.DataFrame
    content_types: pd.DataFrame
    top_posts: pd.DataFrame
    funnel: pd.DataFrame
    lifts: list
    mentions: pd.DataFrame
    suggestions: list
    lift_notes: list  # why a metric has no lift estimate

    def to_summary(self) -> dict:
        return summary(self.campaign, self.kpis, self.lifts, self.cost, self.channels, self.suggestions)


def analyze(store: Path, campaign_id: str = "", brand: str = "Lumina", *, pre_days: int = 90, halo_days: int = 14,
            alpha: float = 0.05, lift_metrics: tuple[str, ...] = LIFT_METRICS, top_n: int = 10, seed: int = 0) -> PostMortem:
    """The whole post-mortem of one campaign from the store."""
    campaign = read_campaign(store, campaign_id)
    start, end = pd.Timestamp(campaign.start), pd.Timestamp(campaign.end)
    posts = load("posts", store=store, start=campaign.start - dt.timedelta(days=campaign.days), end=campaign.end)
    local = posts["published_at"].dt.tz_localize(None)
    ours = posts[posts["campaign_id"] == campaign.campaign_id]
    baseline = posts[(posts["account"] == brand) & posts["platform"].isin(campaign.platforms) & posts["campaign_id"].isna() & (local < start)]
    daily = load("account_daily", store=store, start=campaign.start - dt.timedelta(days=pre_days), end=campaign.end + dt.timedelta(days=halo_days))
    brand_daily = daily[(daily["account"] == brand) & daily["platform"].isin(campaign.platforms)]
    in_window = brand_daily[(brand_daily["date"] >= start) & (brand_daily["date"] <= end)]
    kpis = kpi_table(ours, baseline, campaign, campaign.days)
    cost = campaign_cost(ours, in_window)
    lifts, lift_notes = [], []
    for metric in lift_metrics:
        if metric not in daily or not brand_daily[metric].notna().any():
            continue
        try:
            lifts.append(estimate_lift(daily, brand, campaign, metric, pre_days=pre_days, halo_days=halo_days, alpha=alpha, seed=seed))
        except ValueError as exc:  # too short a pre-period, no data after the end ...
            lift_notes.append(f"{metric}: {exc}")
    if not lifts and not lift_notes:
        lift_notes.append(f"all metrics: no account_daily figures for {brand} on {', '.join(campaign.platforms) or 'the campaign platforms'}")
    channels, creators = efficiency(ours, "channel", alpha), efficiency(ours, "creator", alpha)
    funnel_table = funnel(brand_daily, campaign)
    try:
        mentions = mention_shift(load("mentions", store=store, start=campaign.start - dt.timedelta(days=campaign.days), end=campaign.end), brand, campaign)
    except LookupError:
        mentions = pd.DataFrame()
    top = with_interactions(ours).nlargest(top_n, "views")[["published_at", "platform", "account", "channel", "title", "views", "interactions", "conversions", "spend"]]
    top["published_at"] = top["published_at"].dt.strftime("%Y-%m-%d %H:%M")
    top.index = pd.RangeIndex(1, len(top) + 1, name="rank")
    # What the money bought beyond the counterfactual: comparable numerator and denominator,
    # unlike CPA on tagged posts, whose spend includes account promotion.
    for lift in lifts:
        if lift.metric in ("views", "conversions") and lift.campaign.ci_low > 0 and cost.get("spend"):
            cost[f"cost_per_incremental_{lift.metric[:-1]}"] = cost["spend"] / lift.campaign.absolute
    advice = suggestions(kpis, cost, lifts, channels, creators, funnel_table, budget=campaign.budget)
    return PostMortem(campaign, brand, kpis, cost, channels, creators, efficiency(ours, "content_type", alpha), top,
                      funnel_table, lifts, mentions, advice, lift_notes)


@dataclass(frozen=True)
class Lift:
    metric: str
    campaign: causal.Effect
    halo: causal.Effect | None
    placebo: causal.Effect | None
    impact: causal.Impact


def daily_series(daily: pd.DataFrame, brand: str, platforms: tuple[str, ...], metric: str) -> tuple[pd.Series, pd.DataFrame]:
    """The treated series (the brand on the campaign platforms, summed per day)
    and candidate controls: the brand on each other platform and each
    competitor on each campaign platform."""
    wide = daily.pivot_table(index="date", columns=["account", "platform"], values=metric, aggfunc="sum")
    wide = wide.asfreq("D")
    treated_cols = [(brand, p) for p in platforms if (brand, p) in wide.columns]
    if not treated_cols:
        raise ValueError(f"no {metric} for {brand} on {', '.join(platforms)} in account_daily")
    y = wide[treated_cols].sum(axis=1, min_count=1)
    controls = {}
    for account, platform in wide.columns:
        if (account == brand and platform not in platforms) or (account != brand and platform in platforms):
            controls[f"{account}·{platform}"] = wide[(account, platform)]
    return y, pd.DataFrame(controls, index=wide.index)


def pick_controls(y: pd.Series, controls: pd.DataFrame, n_pre: int, most: int = MAX_CONTROLS) -> pd.DataFrame:
    """The ``most`` controls most correlated with ``y`` in the pre-period (a
    short, readable model instead of CausalImpact's spike-and-slab selection)."""
    usable = controls.iloc[:n_pre].dropna(axis=1)
    usable = usable.loc[:, usable.std() > 0]
    if usable.empty:
        return controls.iloc[:, :0]
    corr = usable.corrwith(y.iloc[:n_pre]).abs().sort_values(ascending=False)
    keep = [c for c in corr.index[:most] if controls[c].notna().all()]
    return controls[keep]


def estimate_lift(daily: pd.DataFrame, brand: str, campaign: Campaign, metric: str = "views", *, pre_days: int = 90,
                  halo_days: int = 14, alpha: float = 0.05, seed: int = 0) -> Lift:
    """The campaign's incremental effect on ``metric``, the halo after it, and a placebo check."""
    y, candidates = daily_series(daily, brand, campaign.platforms, metric)
    start, end = pd.Timestamp(campaign.start), pd.Timestamp(campaign.end)
    last = min(y.index.max(), end + pd.Timedelta(days=halo_days))
    window = (y.index >= start - pd.Timedelta(days=pre_days)) & (y.index <= last)
    y, candidates = y[window], candidates[window]
    if y.index.max() < end:
        raise ValueError(f"account_daily ends on {y.index.max():%Y-%m-%d}, before the campaign's end {end:%Y-%m-%d}")
    n_pre = int((y.index < start).sum())
    controls = pick_controls(y, candidates, n_pre)
    impact = causal.estimate_impact(y, controls, start, alpha=alpha, seed=seed)
    during = impact.effect(start, end)
    halo = impact.effect(end + pd.Timedelta(days=1), last) if last > end else None
    fake = causal.placebo(y[y.index < start], controls[controls.index < start], campaign.days,
                          post_start=start, alpha=alpha, seed=seed) if n_pre >= 2 * campaign.days + 14 else None
    return Lift(metric, during, halo, fake, impact)


def lift_table(lifts: list[Lift]) -> pd.DataFrame:
    """Effect per metric with intervals; p-values also Holm-adjusted across the
    metrics, since several are tested at once."""
    adjusted = stats.adjust_pvalues([lift.campaign.p_value for lift in lifts], "holm")
    rows = []
    for lift in lifts:
        e = lift.campaign
        rows.append({"metric": lift.metric, "actual": e.actual, "counterfactual": e.predicted, "effect": e.absolute, "effect_low": e.ci_low,
                     "effect_high": e.ci_high, "relative": e.relative, "relative_low": e.rel_ci_low, "relative_high": e.rel_ci_high,
                     "p_value": e.p_value, "p_value_holm": adjusted[len(rows)], "halo_effect": lift.halo.absolute if lift.halo else None,
                     "halo_significant": lift.halo.significant if lift.halo else None,
                     "placebo_p_value": lift.placebo.p_value if lift.placebo else None})
    return pd.DataFrame(rows).set_index("metric")


def mention_shift(mentions: pd.DataFrame, brand: str, campaign: Campaign) -> pd.DataFrame:
    """Mentions of the brand per day and their sentiment (as exported, else
    scored by :mod:`smkit.methods.sentiment`) during the campaign against the equally
    long period before, with a test of the change in the negative share."""
    m = earned(mentions)
    m = m[m["brand"] == brand]
    m = sentiment.fill(m)
    day = m["published_at"].dt.tz_localize(None).dt.normalize()
    start, end = pd.Timestamp(campaign.start), pd.Timestamp(campaign.end)
    periods = {"before": (start - pd.Timedelta(days=campaign.days), start - pd.Timedelta(days=1)), "campaign": (start, end)}
    rows = []
    for name, (lo, hi) in periods.items():
        part = m[(day >= lo) & (day <= hi)]
        scored = part["sentiment"].dropna()
        rows.append({"period": name, "mentions_per_day": len(part) / campaign.days, "mentions": len(scored),
                     "mean_sentiment": scored.mean() if len(scored) else None,
                     "negative": int((scored < -0.25).sum()), "negative_share": (scored < -0.25).mean() if len(scored) else None})
    table = pd.DataFrame(rows).set_index("period")
    table["p_value"] = None
    if table["mentions"].min() > 0:
        table.at["campaign", "p_value"] = stats.two_proportion_pvalue(table.at["before", "negative"], table.at["before", "mentions"],
                                                                     table.at["campaign", "negative"], table.at["campaign", "mentions"])
    return table


def suggestions(kpis: pd.DataFrame, cost: dict, lifts: list[Lift], channels: pd.DataFrame, creators: pd.DataFrame,
                funnel_table: pd.DataFrame, currency: str = "¥", budget: float | None = None) -> list[str]:
    """What to repeat, stop and re-budget, each sentence citing the figure behind it."""
    out = []
    main = next((lift for lift in lifts if lift.metric == "views"), lifts[0] if lifts else None)
    if main is not None:
        e = main.campaign
        if e.ci_low > 0:
            out.append(f"Repeat: the campaign caused {e.absolute:+,.0f} {main.metric} ({e.relative:+.1%}, interval {e.rel_ci_low:+.1%} to {e.rel_ci_high:+.1%}) beyond what the controls predict.")
        elif e.ci_high < 0:
            out.append(f"Stop and review: {main.metric} fell {e.relative:+.1%} against the counterfactual (interval {e.rel_ci_low:+.1%} to {e.rel_ci_high:+.1%}).")
        else:
            out.append(f"Do not scale up yet: the lift in {main.metric} ({e.relative:+.1%}, interval {e.rel_ci_low:+.1%} to {e.rel_ci_high:+.1%}) cannot be told from normal variation.")
        if main.halo is not None and main.halo.ci_low > 0:
            out.append(f"Plan for the tail: {main.metric} stayed {main.halo.relative:+.1%} above the counterfactual for {main.halo.days} days after the campaign.")
        if main.placebo is not None and main.placebo.significant:
            out.append(f"Treat the lift with caution: the placebo check on the pre-period found an effect ({main.placebo.relative:+.1%}), so the controls track the brand poorly.")
    if budget and cost.get("spend", 0) > budget * 1.05:
        out.append(f"Control spend: {currency}{cost['spend']:,.0f} against a budget of {currency}{budget:,.0f} ({cost['spend'] / budget - 1:+.0%}).")
    for metric, row in kpis.iterrows():
        if row["attainment"] is not None and pd.notna(row["attainment"]) and row["attainment"] < 0.8:
            out.append(f"Re-plan the {metric} target: the campaign reached {row['actual']:,.0f} of {row['target']:,.0f} ({row['attainment']:.0%}).")
    for table, what in ((channels, "channel"), (creators, "creator")):
        ranked = table.dropna(subset=["cpa"]) if "cpa" in table else table
        if len(ranked) >= 2:
            best, worst = ranked.index[0], ranked.index[-1]
            p = stats.two_proportion_pvalue(ranked.at[best, "conversions"], ranked.at[best, "clicks"], ranked.at[worst, "conversions"], ranked.at[worst, "clicks"])
            real = pd.notna(p) and p < 0.05
            verdict = "the difference in conversion rate is significant" if real else "though the conversion rates do not differ significantly, so test before moving much"
            worst_cpa = "no conversions" if np.isinf(ranked.at[worst, "cpa"]) else f"CPA {currency}{ranked.at[worst, 'cpa']:,.0f}"
            out.append(f"Re-budget from {what} {worst} ({worst_cpa} for {currency}{ranked.at[worst, 'spend']:,.0f}) to {best} (CPA {currency}{ranked.at[best, 'cpa']:,.0f}); {verdict}.")
    rates = funnel_table.dropna(subset=["rate", "rate_before"]) if "rate" in funnel_table else funnel_table
    if len(rates):
        change = rates["rate"] / rates["rate_before"] - 1
        stage = change.idxmin()
        p_change = rates.at[stage, "p_value"]
        if change[stage] < 0 and p_change is not None and pd.notna(p_change) and p_change < 0.05:
            out.append(f"Fix the step into {stage}: its rate fell from {rates.at[stage, 'rate_before']:.2%} before the campaign to {rates.at[stage, 'rate']:.2%} during it.")
    if cost.get("cpa") is not None and cost.get("roi") is None:
        out.append(f"Track revenue per conversion: at a CPA of {currency}{cost['cpa']:,.0f} the return cannot be judged without it.")
    return out


def summary(campaign: Campaign, kpis: pd.DataFrame, lifts: list[Lift], cost: dict, channels: pd.DataFrame, advice: list[str]) -> dict:
    """The ``summary.json`` figures of the campaign post-mortem."""
    return {
        "campaign_id": campaign.campaign_id,
        "kpis": {m: {"actual": r["actual"], "target": r["target"], "attainment": r["attainment"], "baseline": r["baseline"]} for m, r in kpis.iterrows()},
        "lift": {lift.metric: {"absolute": lift.campaign.absolute, "ci_low": lift.campaign.ci_low, "ci_high": lift.campaign.ci_high,
                               "relative": lift.campaign.relative, "rel_ci_low": lift.campaign.rel_ci_low, "rel_ci_high": lift.campaign.rel_ci_high,
                               "p_value": lift.campaign.p_value} for lift in lifts},
        "cost": {k: cost.get(k) for k in ("cpm", "cpe", "cpc", "cpa", "roi")},
        "channels": [{"channel": str(i), "spend": r["spend"], "conversions": r["conversions"], "cpa": r["cpa"]} for i, r in channels.iterrows()],
        "suggestions": advice,
    }


def suggestions_text(advice: list[str]) -> str:
    """The suggestions as a Markdown list (escaped), or a sentence when there are none."""
    return "\n".join(f"- {html.escape(s)}" for s in advice) or "No suggestion: the figures below show nothing to act on."


def overview_text(campaign: Campaign, cost: dict, currency: str = "¥") -> str:
    """One paragraph: the campaign, its window, platforms, budget and spend (Markdown, escaped)."""
    budget = f"{currency}{campaign.budget:,.0f}" if campaign.budget else "no budget recorded"
    spent = f"{currency}{cost['spend']:,.0f}" if cost.get("spend") else "no spend recorded"
    return (f"**{html.escape(campaign.name)}** ({html.escape(campaign.campaign_id)}) ran for {campaign.days} days, "
            f"{campaign.start:%Y-%m-%d} to {campaign.end:%Y-%m-%d}, on {html.escape(', '.join(campaign.platforms) or 'no platform listed')}. "
            f"Budget {budget}; spent {spent}.")


# ---------------------------------------------------------------- tables for the report


def cost_frame(cost: dict, currency: str = "¥") -> pd.DataFrame:
    labels = {"spend": "spend", "spend_on_posts": "of which on posts (KOL fees, paid posts)",
              "spend_on_accounts": "of which account promotion", "cpm": "CPM (per 1,000 impressions)", "cpv": "CPV (per 1,000 views)", "cpe": "CPE (per engagement)",
              "cpc": "CPC (per click)", "cpa": "CPA (per conversion)", "roi": "ROI", "roas": "ROAS",
              "cost_per_incremental_view": "per incremental view (from the lift)",
              "cost_per_incremental_conversion": "per incremental conversion (from the lift)"}
    rows = []
    for key, label in labels.items():
        value = cost.get(key)
        if value is None:
            shown = "not available"
        elif key in ("roi", "roas"):
            shown = f"{value:.2f}"
        else:
            shown = f"{currency}{value:,.2f}"
        rows.append({"measure": label, "value": shown})
    return pd.DataFrame(rows).set_index("measure")


def efficiency_frame(table: pd.DataFrame, currency: str = "¥"):
    if table.empty:
        return pd.DataFrame({"note": ["no campaign posts carry this breakdown"]})
    shown = table[["posts", "spend", "views", "interactions", "clicks", "conversions", "cpe", "cpa", "cpa_low", "cpa_high", "conversion_rate", "differs_from_best"]].copy()
    shown["differs_from_best"] = shown["differs_from_best"].map({True: "yes", False: "no"}).fillna("–")
    shown["cpa"] = shown["cpa"].replace(np.inf, np.nan)  # spend without conversions shows as –
    money = f"{currency}{{:,.0f}}"
    return shown.style.format({"posts": "{:,.0f}", "spend": money, "views": "{:,.0f}", "interactions": "{:,.0f}", "clicks": "{:,.0f}",
                               "conversions": "{:,.0f}", "cpe": f"{currency}{{:,.2f}}", "cpa": money, "cpa_low": money, "cpa_high": money,
                               "conversion_rate": "{:.2%}"}, na_rep="–").format_index(escape="html")


def funnel_frame(table: pd.DataFrame):
    return table.style.format({"campaign": "{:,.0f}", "before": "{:,.0f}", "rate": "{:.2%}", "rate_before": "{:.2%}", "drop_off": "{:.1%}",
                               "p_value": "{:.3g}"}, na_rep="–")


def mentions_frame(table: pd.DataFrame):
    if table.empty:
        return pd.DataFrame({"note": ["no mentions in the store"]})
    return table.style.format({"mentions_per_day": "{:,.1f}", "mentions": "{:,.0f}", "mean_sentiment": "{:+.2f}", "negative": "{:,.0f}",
                               "negative_share": "{:.1%}", "p_value": "{:.3g}"}, na_rep="–")


def lift_figure(pm: PostMortem):
    """The main metric's actual-against-counterfactual chart, or why there is none (Markdown)."""
    if not pm.lifts:
        by_reason: dict[str, list[str]] = {}
        for note in pm.lift_notes:
            metric, _, reason = note.partition(": ")
            by_reason.setdefault(reason or metric, []).append(metric)
        return "**No lift estimate.** " + "; ".join(f"{', '.join(ms)}: {html.escape(r)}" for r, ms in by_reason.items()) + "."
    lift = pm.lifts[0]
    return lift.impact.plot(f"{lift.metric}: actual against counterfactual · 实际与反事实", lift.metric)


def lift_frame(lifts: list[Lift]):
    """The lift table as readers see it: effect and relative effect with intervals."""
    if not lifts:
        return pd.DataFrame({"note": ["no lift could be estimated; see below"]})
    table = lift_table(lifts)
    shown = pd.DataFrame({
        "actual": table["actual"].map("{:,.0f}".format),
        "without campaign": table["counterfactual"].map("{:,.0f}".format),
        "effect [interval]": [f"{e:+,.0f} [{lo:+,.0f}, {hi:+,.0f}]" for e, lo, hi in zip(table["effect"], table["effect_low"], table["effect_high"])],
        "relative [interval]": ["– (nothing before the campaign)" if pd.isna(e) else f"{e:+.1%} [{lo:+.1%}, {hi:+.1%}]"
                                for e, lo, hi in zip(table["relative"], table["relative_low"], table["relative_high"])],
        "p": table["p_value"].map(stats.format_p),
        "p (Holm)": table["p_value_holm"].map(stats.format_p),
        "halo after": [("–" if pd.isna(h) else f"{h:+,.0f}" + (" (significant)" if s else "")) for h, s in zip(table["halo_effect"], table["halo_significant"])],
        "placebo p": table["placebo_p_value"].map(lambda p: "–" if pd.isna(p) else stats.format_p(p)),
    }, index=table.index)
    return shown


def top_posts_frame(top: pd.DataFrame):
    return top.style.format({"views": "{:,.0f}", "interactions": "{:,.0f}", "conversions": "{:,.0f}", "spend": "¥{:,.0f}"}, na_rep="–").format(escape="html", subset=["title", "account"])
