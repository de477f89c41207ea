"""The campaign post-mortem as the report shows it: Markdown text, tables
(Stylers from :func:`smkit.viz.table`) and figures. Presentation only."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from pandas.io.formats.style import Styler

from smkit import viz
from smkit.methods import causal, stats
from smkit.viz import escape

from .cost import BREAKDOWNS
from .kpis import lift_estimates
from .result import Result
from .wording import CURRENCY, suggestion_text


def _note(text: str) -> Styler:
    return viz.table(pd.DataFrame({"note": [text]}), hide_index=True)


# ---------------------------------------------------------------- text


def overview_text(result: Result, currency: str = CURRENCY) -> str:
    """One paragraph: the campaign, its window, platforms, budget and spend."""
    campaign, cost = result.campaign, result.cost
    budget = f"{currency}{campaign.budget:,.0f}" if campaign.budget else "no budget recorded"
    spent = f"{currency}{cost['spend']:,.0f}" if cost.get("spend") else "no spend recorded"
    return (
        f"**{escape(campaign.name)}** ({escape(campaign.campaign_id)}) ran for {campaign.days} days, "
        f"{campaign.start:%Y-%m-%d} to {campaign.end:%Y-%m-%d}, on {escape(', '.join(campaign.platforms) or 'no platform listed')}. "
        f"Budget {budget}; spent {spent}."
    )


def suggestions_text(result: Result, currency: str = CURRENCY) -> str:
    """The suggestions as a Markdown list (escaped), or a sentence when there are none."""
    lines = [f"- {escape(suggestion_text(s, currency))}" for s in result.suggestions]
    return "\n".join(lines) or "No suggestion: the figures below show nothing to act on."


def assumptions_text(result: Result | None = None) -> str:
    """What the lift estimate assumes."""
    return "**Assumptions.** " + " ".join(causal.ASSUMPTIONS)


def lift_notes_text(result: Result) -> str:
    """Why metrics have no lift estimate, metrics with the same reason together."""
    if not result.lift_notes:
        return ""
    by_reason: dict[str, list[str]] = {}
    for metric, reason in result.lift_notes:
        by_reason.setdefault(reason, []).append(metric)
    return "**No lift estimate.** " + "; ".join(f"{', '.join(ms)}: {escape(r)}" for r, ms in by_reason.items()) + "."


# ---------------------------------------------------------------- tables


def kpi_table(result: Result) -> Styler:
    """Actual, target, attainment and baseline per KPI."""
    formats = {"actual": "{:,.0f}", "target": "{:,.0f}", "attainment": "{:.0%}", "baseline": "{:,.0f}", "vs_baseline": "{:+.0%}"}
    return viz.table(result.kpis, formats)


def lift_table(result: Result) -> Styler:
    """The lift per metric as readers see it: effect and relative effect with intervals."""
    if not result.lifts:
        return _note("no lift could be estimated; see below")
    table = lift_estimates(result.lifts)
    shown = pd.DataFrame(
        {
            "actual": table["actual"].map("{:,.0f}".format),
            "without campaign": table["counterfactual"].map("{:,.0f}".format),
            "effect [interval]": [f"{e:+,.0f} [{lo:+,.0f}, {hi:+,.0f}]" for e, lo, hi in zip(table["effect"], table["effect_low"], table["effect_high"])],
            "relative [interval]": [
                "– (nothing before the campaign)" if pd.isna(e) else f"{e:+.1%} [{lo:+.1%}, {hi:+.1%}]"
                for e, lo, hi in zip(table["relative"], table["relative_low"], table["relative_high"])
            ],
            "p": table["p_value"].map(stats.format_p),
            "p (Holm)": table["p_value_holm"].map(stats.format_p),
            "halo after": [
                ("–" if pd.isna(h) else f"{h:+,.0f}" + (" (significant)" if s else "")) for h, s in zip(table["halo_effect"], table["halo_significant"])
            ],
            "placebo p": table["placebo_p_value"].map(lambda p: "–" if pd.isna(p) else stats.format_p(p)),
        },
        index=table.index,
    )
    return viz.table(shown)


COST_LABELS = {
    "spend": "spend",
    "spend_on_posts": "of which on posts (KOL fees, paid posts)",
    "spend_on_accounts": "of which account promotion",
    "cpm": "CPM (per 1,000 impressions)",
    "cpv": "CPV (per 1,000 views)",
    "cpe": "CPE (per engagement)",
    "cpc": "CPC (per click)",
    "cpa": "CPA (per conversion)",
    "roi": "ROI",
    "roas": "ROAS",
    "cost_per_incremental_view": "per incremental view (from the lift)",
    "cost_per_incremental_conversion": "per incremental conversion (from the lift)",
}


def cost_table(result: Result, currency: str = CURRENCY) -> Styler:
    """Spend and cost per result; a measure whose figures are missing says so."""
    rows = []
    for key, label in COST_LABELS.items():
        value = result.cost.get(key)
        if value is None:
            shown = "not available"
        elif key in ("roi", "roas"):
            shown = f"{value:.2f}"
        else:
            shown = f"{currency}{value:,.2f}"
        rows.append({"measure": label, "value": shown})
    return viz.table(pd.DataFrame(rows).set_index("measure"))


def efficiency_table(result: Result, by: str = "channel", currency: str = CURRENCY) -> Styler:
    """Spend and results per channel, creator or content type, ranked by CPA."""
    if by not in BREAKDOWNS:
        raise ValueError(f"unknown breakdown {by!r}; valid: {', '.join(BREAKDOWNS)}")
    table = result.efficiency(by)
    if table.empty:
        return _note("no campaign posts carry this breakdown")
    columns = ["posts", "spend", "views", "interactions", "clicks", "conversions", "cpe", "cpa", "cpa_low", "cpa_high", "conversion_rate", "differs_from_best"]
    shown = table[columns].copy()
    shown["differs_from_best"] = shown["differs_from_best"].map({True: "yes", False: "no"}).fillna("–")
    shown["cpa"] = shown["cpa"].replace(np.inf, np.nan)  # spend without conversions shows as –
    money = f"{currency}{{:,.0f}}"
    formats = {
        "posts": "{:,.0f}",
        "spend": money,
        "views": "{:,.0f}",
        "interactions": "{:,.0f}",
        "clicks": "{:,.0f}",
        "conversions": "{:,.0f}",
        "cpe": f"{currency}{{:,.2f}}",
        "cpa": money,
        "cpa_low": money,
        "cpa_high": money,
        "conversion_rate": "{:.2%}",
    }
    return viz.table(shown, formats)


def top_posts_table(result: Result, currency: str = CURRENCY) -> Styler:
    """The campaign's posts with the most views."""
    formats = {"views": "{:,.0f}", "interactions": "{:,.0f}", "conversions": "{:,.0f}", "spend": f"{currency}{{:,.0f}}"}
    return viz.table(result.top_posts, formats)


def funnel_table(result: Result) -> Styler:
    """Each funnel stage, campaign against before, with its rate and test."""
    formats = {"campaign": "{:,.0f}", "before": "{:,.0f}", "rate": "{:.2%}", "rate_before": "{:.2%}", "drop_off": "{:.1%}", "p_value": "{:.3g}"}
    return viz.table(result.funnel, formats)


def mentions_table(result: Result) -> Styler:
    """Mentions per day and their sentiment, campaign against before."""
    if not result.has_mentions:
        return _note("no mentions in the store")
    formats = {
        "mentions_per_day": "{:,.1f}",
        "mentions": "{:,.0f}",
        "mean_sentiment": "{:+.2f}",
        "negative": "{:,.0f}",
        "negative_share": "{:.1%}",
        "p_value": "{:.3g}",
    }
    return viz.table(result.mentions, formats)


# ---------------------------------------------------------------- figures


def lift_figure(result: Result) -> Figure:
    """The main metric's actual-against-counterfactual chart (check ``result.has_lifts`` first)."""
    if not result.lifts:
        raise ValueError("no lift estimate to plot; show lift_notes_text(result) instead")
    lift = result.lifts[0]
    return lift.impact.plot(f"{lift.metric}: actual against counterfactual · 实际与反事实", lift.metric)
