"""The suggestions in words: one sentence per suggestion, citing its figures,
in the report's language, and the names a reader knows for the codes the
data carries (metrics, channels, platforms).

Kept apart from :mod:`.report` (which shows them) because ``summary.json``
holds these sentences too, so :meth:`.Result.to_summary` needs them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from smkit import i18n

from .messages import CHANNELS, METRICS, T
from .suggestions import Suggestion

if TYPE_CHECKING:
    from .result import Result

CURRENCY = "¥"


def metric_name(metric: str, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
    """A metric code as a reader calls it (an unknown one as it is)."""
    return METRICS(metric, lang) if METRICS.has(metric) else str(metric)


def channel_name(channel: str, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
    """A ``posts.channel`` code as a reader calls it (an unknown one as it is: data)."""
    return CHANNELS(str(channel), lang) if CHANNELS.has(str(channel)) else str(channel)


def group_name(value: str, by: str, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
    """A channel, creator or content type as the report shows it (creators are data)."""
    if by == "channel":
        return channel_name(value, lang)
    if by == "content_type":
        return i18n.content_type(value, lang)
    return str(value)


def platforms_text(platforms, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
    """The campaign's platforms by name, joined as the language joins a list."""
    return T("and", lang).join(i18n.platform(p, lang) for p in platforms)


def reason_text(reason: Exception, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
    """Why an effect could not be estimated, in ``lang`` (an unforeseen error in its own words)."""
    return T.reason(reason, lang, metric=lambda m: metric_name(m, lang), platforms=lambda p: platforms_text(p, lang) or T("campaign_platforms", lang))


def money(value: float | None, lang: str = i18n.DEFAULT_LANGUAGE, decimals: int = 0) -> str:
    return i18n.money(value, lang, decimals)


def signed_count(value: float, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
    """An effect with its sign: +89万 / +890,453."""
    shown = i18n.count(abs(round(value)), lang)
    return ("-" if value < 0 else "+") + shown


def _interval(f: dict, lang: str) -> dict[str, str]:
    return {
        "relative": i18n.percent(f["relative"], signed=True),
        "low": i18n.percent(f["rel_ci_low"], signed=True),
        "high": i18n.percent(f["rel_ci_high"], signed=True),
    }


def suggestion_text(suggestion: Suggestion, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
    """One suggestion as a sentence citing its figures (plain text, as in ``summary.json``)."""
    f, kind = suggestion.figures, suggestion.kind
    metric = metric_name(f["metric"], lang) if "metric" in f else ""
    if kind == "repeat":
        absolute = i18n.count(round(f["absolute"]), lang) if lang == "zh" else f"{f['absolute']:+,.0f}"
        return T("sg_repeat", lang, absolute=absolute, metric=metric, **_interval(f, lang))
    if kind in ("stop", "not_yet"):
        return T(f"sg_{kind}", lang, metric=metric, **_interval(f, lang))
    if kind == "halo":
        return T("sg_halo", lang, metric=metric, relative=i18n.percent(f["relative"], signed=True), days=f["days"])
    if kind == "placebo":
        return T("sg_placebo", lang, relative=i18n.percent(f["relative"], signed=True))
    if kind == "overspend":
        over = i18n.percent(f["spend"] / f["budget"] - 1, decimals=0, signed=True)
        return T("sg_overspend", lang, spend=money(f["spend"], lang), budget=money(f["budget"], lang), over=over)
    if kind == "replan_target":
        return T(
            "sg_replan_target",
            lang,
            metric=metric,
            actual=i18n.count(f["actual"], lang),
            target=i18n.count(f["target"], lang),
            attainment=i18n.percent(f["attainment"], decimals=0),
        )
    if kind == "rebudget":
        by = f["by"]
        worst_cpa = T("sg_worst_none", lang) if np.isinf(f["worst_cpa"]) else T("sg_worst_cpa", lang, cpa=money(f["worst_cpa"], lang))
        return T(
            "sg_rebudget",
            lang,
            by=T(f"by_{by}", lang),
            worst=group_name(f["worst"], by, lang),
            best=group_name(f["best"], by, lang),
            worst_cpa=worst_cpa,
            worst_spend=money(f["worst_spend"], lang),
            best_cpa=money(f["best_cpa"], lang),
            verdict=T("sg_rebudget_real" if f["significant"] else "sg_rebudget_unsure", lang),
        )
    if kind == "fix_step":
        return T(
            "sg_fix_step",
            lang,
            stage=metric_name(f["stage"], lang),
            rate_before=i18n.percent(f["rate_before"], decimals=2),
            rate=i18n.percent(f["rate"], decimals=2),
        )
    if kind == "track_revenue":
        return T("sg_track_revenue", lang, cpa=money(f["cpa"], lang))
    if kind == "league":
        rank = T("sg_league_rank", lang, rank=f["rank"], campaigns=f["campaigns"]) if f.get("rank") else ""
        if f.get("kol_cost") is None:
            return T("sg_league_only_rank", lang, campaigns=f["campaigns"], rank=rank)
        return T(
            "sg_league",
            lang,
            campaigns=f["campaigns"],
            kol_cost=money(f["kol_cost"], lang),
            paid_cost=money(f["paid_cost"], lang),
            kol_n=f["kol_n"],
            paid_n=f["paid_n"],
            rank=rank,
        )
    raise ValueError(f"unknown suggestion kind {kind!r}")


def action_text(suggestion: Suggestion, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
    """The suggestion's short form, for the brief ("move channel budget from paid posts to KOL")."""
    f, kind = suggestion.figures, suggestion.kind
    if kind == "overspend":
        return T("act_overspend", lang, over=i18n.percent(f["spend"] / f["budget"] - 1, decimals=0))
    if kind == "replan_target":
        return T("act_replan_target", lang, metric=metric_name(f["metric"], lang), attainment=i18n.percent(f["attainment"], decimals=0))
    if kind == "rebudget":
        by = f["by"]
        return T("act_rebudget", lang, by=T(f"by_{by}", lang), worst=group_name(f["worst"], by, lang), best=group_name(f["best"], by, lang))
    if kind == "fix_step":
        return T("act_fix_step", lang, stage=metric_name(f["stage"], lang))
    if kind == "league":
        return T(f"act_league_{f['cheaper']}", lang) if f.get("cheaper") else T("act_league", lang)
    return T(f"act_{kind}", lang)


def scopes(result: Result, lang: str = i18n.DEFAULT_LANGUAGE) -> dict[str, str]:
    """Where each kind of figure was counted, as its label says it:

    - ``posts``: "on campaign posts" / 活动帖子 (the KPIs and the cost);
    - ``accounts``: "on Lumina's Douyin account" / Lumina的抖音账号 (the lift and the funnel);
    - ``baseline``: "Lumina's own Douyin posts before" (the KPIs' baseline).
    """
    platforms = result.campaign.platforms
    where = platforms_text(platforms, lang)
    if lang == "zh":
        brand = result.brand or T("the_brand", lang)
    else:
        brand = f"{result.brand}'s" if result.brand else T("the_brand", lang)
    key = "scope_accounts" if len(platforms) > 1 or not platforms else "scope_account"

    def tidy(text: str) -> str:
        return " ".join(text.split())

    return {
        "posts": T("scope_posts", lang),
        "accounts": tidy(T(key, lang, brand=brand, platforms=where)),
        "baseline": tidy(T("scope_baseline", lang, brand=brand, platforms=where)),
    }
