"""The campaign post-mortem as the report shows it: Markdown text, tables
(Stylers from :func:`smkit.viz.table`) and figures. Presentation only.

The report counts in two places, and every figure's label says which
(:func:`scopes`): the KPIs and the cost count the **campaign posts** (every
post tagged with the campaign: owned, paid and KOL); the lift and the funnel
count **the brand's accounts on the campaign platforms** day by day (all their
posts, tagged or not, and no KOL's). The two overlap and neither holds the
other, so "views" differs between them by definition, and each label names it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from pandas.io.formats.style import Styler

from smkit import viz
from smkit.methods import causal, stats
from smkit.viz import escape

from .cost import BREAKDOWNS, COUNTED
from .kpis import lift_estimates
from .result import Result
from .wording import CURRENCY, suggestion_text


def _note(text: str) -> Styler:
    return viz.table(pd.DataFrame({"note": [text]}), hide_index=True)


def scopes(result: Result) -> dict[str, str]:
    """Where each kind of figure was counted, as its label says it:

    - ``posts``: "on campaign posts" (the KPIs and the cost);
    - ``accounts``: "on Lumina's douyin account" (the lift and the funnel);
    - ``baseline``: "Lumina's own douyin posts before" (the KPIs' baseline).
    """
    platforms = result.campaign.platforms
    where = " and ".join(platforms)
    brand = result.brand or "the brand"
    own = f"{brand}'s" if result.brand else "the brand's"
    if where:
        accounts = f"on {own} {where} account" + ("s" if len(platforms) > 1 else "")
        baseline = f"{own} own {where} posts before"
    else:
        accounts, baseline = f"on {own} accounts", f"{own} own posts before"
    return {"posts": "on campaign posts", "accounts": accounts, "baseline": baseline}


def _labelled(metric: str, scope: str) -> str:
    return f"{metric} {scope}"


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


def scopes_text(result: Result) -> str:
    """Where the figures come from, when the report shows both kinds: the
    campaign posts (KPIs, cost) and the brand's accounts (lift, funnel), with
    one figure of each so a reader sees why they differ; empty otherwise."""
    if result.kpis.empty or result.funnel.empty:
        return ""
    sc = scopes(result)
    shared = [m for m in ("views", "impressions", "conversions") if m in result.kpis.index and m in result.funnel.index]

    def figures(get) -> str:
        return "; ".join(f"{m} {get(m):,.0f}" for m in shared)

    posts = figures(lambda m: result.kpis.at[m, "actual"])
    accounts = figures(lambda m: result.funnel.at[m, "campaign"])
    return (
        f"**Two counts, two definitions.** The KPIs and the cost count the **campaign posts**, every post tagged "
        f"{escape(result.campaign.campaign_id)}: owned, paid and KOL" + (f" ({posts})" if posts else "") + ". "
        f"The lift and the funnel count **{escape(sc['accounts'].removeprefix('on '))}** day by day: all its posts, tagged or not, "
        "and no KOL's" + (f" ({accounts})" if accounts else "") + ". "
        "The two overlap and neither holds the other, so each figure below says which it counts."
    )


def lift_notes_text(result: Result) -> str:
    """Why metrics have no lift estimate, metrics with the same reason together."""
    if not result.lift_notes:
        return ""
    by_reason: dict[str, list[str]] = {}
    for metric, reason in result.lift_notes:
        by_reason.setdefault(reason, []).append(metric)
    return "**No lift estimate.** " + "; ".join(f"{', '.join(ms)}: {escape(r)}" for r, ms in by_reason.items()) + "."


# ---------------------------------------------------------------- tables


def missing_text(result: Result, section: str = "") -> str:
    """The one sentence shown where ``section`` would be: the export it needs
    (every absent section's sentence when ``section`` is empty)."""
    return result.missing.get(section, "") if section else "\n\n".join(result.missing.values())


def kpi_table(result: Result) -> Styler:
    """Actual, target, attainment and baseline per KPI, each row named with
    where it was counted ("views on campaign posts")."""
    sc = scopes(result)
    baseline = f"baseline ({sc['baseline']})"
    shown = result.kpis.rename(index=lambda m: _labelled(m, sc["posts"]), columns={"baseline": baseline, "vs_baseline": "vs baseline"})
    formats = {"actual": "{:,.0f}", "target": "{:,.0f}", "attainment": "{:.0%}", baseline: "{:,.0f}", "vs baseline": "{:+.0%}"}
    return viz.table(shown, formats)


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
    accounts = scopes(result)["accounts"]
    return viz.table(shown.rename(index=lambda m: _labelled(m, accounts)))


def cost_labels(result: Result) -> dict[str, str]:
    """What each row of the cost table is: the spend, the counts the ratios
    divide by (with where they were counted), the ratios themselves."""
    sc = scopes(result)
    posts, accounts = sc["posts"], sc["accounts"]
    return {
        "spend": "spend",
        "spend_on_posts": "of which on posts (KOL fees, paid posts)",
        "spend_on_accounts": "of which account promotion",
        **{f"counts.{m}": _labelled(m, posts) for m in COUNTED},
        "cpm": f"CPM (spend per 1,000 impressions {posts})",
        "cpv": f"CPV (spend per 1,000 views {posts})",
        "cpe": f"CPE (spend per interaction {posts})",
        "cpc": f"CPC (spend per click {posts})",
        "cpa": f"CPA (spend per conversion {posts})",
        "cpa_on_posts": f"CPA of post spend only (KOL fees and paid posts per conversion {posts}, as in the channel tables)",
        "roi": "ROI",
        "roas": "ROAS",
        "incremental_views": _labelled("incremental views", f"{accounts} (from the lift)"),
        "cost_per_incremental_view": "spend per incremental view",
        "incremental_conversions": _labelled("incremental conversions", f"{accounts} (from the lift)"),
        "cost_per_incremental_conversion": "spend per incremental conversion",
    }


def cost_table(result: Result, currency: str = CURRENCY) -> Styler:
    """Spend, the counts it is divided by, and cost per result: each ratio
    below the count it divides by, so CPA is the spend over the conversions
    the table shows. A measure whose figures are missing says so; a count the
    posts do not carry is left out."""
    counts = result.cost.get("counts", {})
    rows = []
    for key, label in cost_labels(result).items():
        if key.startswith("counts."):
            value = counts.get(key.removeprefix("counts."))
            if value is not None:
                rows.append({"measure": label, "value": f"{value:,.0f}"})
            continue
        if key.startswith("incremental_"):
            value = result.cost.get(key)
            if value is not None:
                rows.append({"measure": label, "value": f"{value:+,.0f}"})
            continue
        value = result.cost.get(key)
        if key.startswith("cost_per_incremental") and value is None:
            continue  # no clearly positive lift: nothing to divide by
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
    # the groups' own spend per their conversions: account promotion cannot be split by post (see the cost table)
    shown = shown.rename(columns={"cpa": "cpa (post spend)", "cpa_low": "cpa low", "cpa_high": "cpa high"})
    money = f"{currency}{{:,.0f}}"
    formats = {
        "posts": "{:,.0f}",
        "spend": money,
        "views": "{:,.0f}",
        "interactions": "{:,.0f}",
        "clicks": "{:,.0f}",
        "conversions": "{:,.0f}",
        "cpe": f"{currency}{{:,.2f}}",
        "cpa (post spend)": money,
        "cpa low": money,
        "cpa high": money,
        "conversion_rate": "{:.2%}",
    }
    return viz.table(shown, formats)


def top_posts_table(result: Result, currency: str = CURRENCY) -> Styler:
    """The campaign's posts with the most views."""
    formats = {"views": "{:,.0f}", "interactions": "{:,.0f}", "conversions": "{:,.0f}", "spend": f"{currency}{{:,.0f}}"}
    return viz.table(result.top_posts, formats)


def funnel_table(result: Result) -> Styler:
    """Each funnel stage, campaign against before, with its rate and test; each
    stage named with where it was counted ("views on Lumina's douyin account")."""
    formats = {"campaign": "{:,.0f}", "before": "{:,.0f}", "rate": "{:.2%}", "rate_before": "{:.2%}", "drop_off": "{:.1%}", "p_value": "{:.3g}"}
    accounts = scopes(result)["accounts"]
    return viz.table(result.funnel.rename(index=lambda m: _labelled(m, accounts)), formats)


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
    title = f"{_labelled(lift.metric, scopes(result)['accounts'])}: actual against counterfactual · 实际与反事实"
    return lift.impact.plot(title, lift.metric)
