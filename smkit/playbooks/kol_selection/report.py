"""The KOL selection's report: the brief, each section's finding, tables and the
figure (presentation only), in the report's language ``lang`` (``zh`` or ``en``;
every sentence comes from :mod:`.messages`).

Text functions return Markdown with data escaped; tables are
:func:`smkit.viz.table` Stylers whose ``.data`` keeps the numbers; the figure
is a matplotlib Figure.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from pandas.io.formats.style import Styler

from smkit import i18n, viz
from smkit.playbooks.kol_selection.messages import T
from smkit.playbooks.kol_selection.result import Result
from smkit.playbooks.kol_selection.shortlist import TIERS
from smkit.playbooks.kol_selection.signals import SIGNALS
from smkit.viz import escape

ZH = i18n.DEFAULT_LANGUAGE


def _note(text: str) -> Styler:
    return viz.table(pd.DataFrame({"": [text]}), hide_index=True)


def _join(items, lang: str) -> str:
    return T("list_sep", lang).join(items)


def _platforms(codes, lang: str) -> str:
    return _join([i18n.platform(p, lang) for p in codes], lang)


def _cpe(value: float, lang: str) -> str:
    return i18n.money(value, lang, decimals=2)


def signal_name(name: str, lang: str = ZH) -> str:
    return T(f"signal_{name}", lang)


def tier_name(name: str, lang: str = ZH) -> str:
    return T(f"tier_{name}", lang)


# ---------------------------------------------------------------- brief


def brief(result: Result, lang: str = ZH) -> str:
    """Three to five plain sentences with their numbers: the list, the set, the naive choice, the tail, the fit."""
    c = result.creators
    platforms = _platforms(sorted(c["platform"].unique(), key=lambda p: -int((c["platform"] == p).sum())), lang)
    k = int(c["suspicious"].sum())
    lines = [T("brief_list", lang, n=len(c), platforms=platforms, k=k) if k else T("brief_list_clean", lang, n=len(c), platforms=platforms)]
    budget = i18n.money(result.budget, lang)
    m = int(c["shortlisted"].sum())
    if not m:
        lines.append(_no_shortlist(result, lang))
        return " ".join(lines)
    lines.append(
        T(
            "brief_shortlist",
            lang,
            budget=budget,
            m=m,
            spent=i18n.money(result.spent, lang),
            engagements=i18n.whole_count(result.expected_total, lang),
            cpe=_cpe(result.spent / result.expected_total, lang),
        )
    )
    naive = result.alternatives["follower_ranking"]
    if naive["expected"] < result.expected_total:
        lines.append(
            T(
                "brief_naive",
                lang,
                n=int(naive["creators"]),
                engagements=i18n.whole_count(naive["expected"], lang),
                gap=i18n.percent(1 - naive["expected"] / result.expected_total, decimals=0),
                suspicious=int(naive["suspicious"]),
            )
        )
    else:
        lines.append(T("brief_naive_better", lang, n=int(naive["creators"]), engagements=i18n.whole_count(naive["expected"], lang)))
    lines.append(_tail_sentence(result, lang))
    if result.has_fit:
        lines.append(T("brief_fit", lang, fit=i18n.percent(c.loc[c["shortlisted"], "fit"].mean(), decimals=0), all=i18n.percent(c["fit"].mean(), decimals=0)))
    else:
        lines.append(T("brief_no_fit", lang))
    return " ".join(lines)


def _tail_sentence(result: Result, lang: str) -> str:
    tiers = result.tiers.set_index("tier")
    head_spend = float(tiers.loc["head", "spend"])
    mostly_head = head_spend > 0.5 * max(result.spent, 1)
    share = head_spend / result.spent if mostly_head else 1 - head_spend / max(result.spent, 1)
    if mostly_head:
        reason = T("tail_reason_head", lang)
    elif not tiers.loc["head", "eligible"]:
        reason = T("tail_reason_no_head", lang)
    else:
        reason = T("tail_reason_mid", lang, head=i18n.whole_count(result.alternatives["head_only"]["expected"], lang))
    return T("brief_tail", lang, main=T("main_head" if mostly_head else "main_mid_tail", lang), share=i18n.percent(share, decimals=0), reason=reason)


# ---------------------------------------------------------------- shortlist


def _no_shortlist(result: Result, lang: str) -> str:
    """Why nobody was chosen: the list has no prices, no creator is eligible, or the budget is below every price."""
    c = result.creators
    if not (c["price"] > 0).any():
        return T("shortlist_no_price", lang)
    if not c["eligible"].any():
        return T("shortlist_no_eligible", lang)
    return T("brief_shortlist_none", lang, budget=i18n.money(result.budget, lang))


def shortlist_finding(result: Result, lang: str = ZH) -> str:
    if not result.creators["shortlisted"].any():
        return _no_shortlist(result, lang)
    return T(
        "shortlist_finding",
        lang,
        m=int(result.creators["shortlisted"].sum()),
        spent=i18n.money(result.spent, lang),
        budget=i18n.money(result.budget, lang),
        engagements=i18n.whole_count(result.expected_total, lang),
    )


def shortlist_table(result: Result, lang: str = ZH) -> Styler:
    """One row per chosen creator: followers, price, expected engagements and cost per engagement with intervals, fit."""
    chosen = result.shortlist
    if chosen.empty:
        return _note(_no_shortlist(result, lang))
    frame = pd.DataFrame(
        {
            T("col_creator", lang): chosen["creator"].to_numpy(),
            T("col_platform", lang): [i18n.platform(p, lang) for p in chosen["platform"]],
            T("col_category", lang): chosen["category"].fillna("–").to_numpy(),
            T("col_followers", lang): chosen["followers"].to_numpy(),
            T("col_price", lang): chosen["price"].to_numpy(),
            T("col_posts", lang): chosen["posts"].to_numpy(),
            T("col_expected", lang): chosen["expected"].to_numpy(),
            T("col_expected_range", lang): [
                T("range", lang, low=i18n.whole_count(lo, lang), high=i18n.whole_count(hi, lang))
                for lo, hi in zip(chosen["expected_low"], chosen["expected_high"])
            ],
            T("col_cpe", lang): chosen["expected_cpe"].to_numpy(),
            T("col_cpe_range", lang): [T("range", lang, low=_cpe(lo, lang), high=_cpe(hi, lang)) for lo, hi in zip(chosen["cpe_low"], chosen["cpe_high"])],
        }
    )
    formats = {
        T("col_followers", lang): lambda v: i18n.count(v, lang),
        T("col_price", lang): lambda v: i18n.money(v, lang),
        T("col_posts", lang): "{:.0f}",
        T("col_expected", lang): lambda v: i18n.whole_count(v, lang),
        T("col_cpe", lang): lambda v: _cpe(v, lang),
    }
    if result.has_fit:
        frame[T("col_fit", lang)] = chosen["fit"].to_numpy()
        formats[T("col_fit", lang)] = lambda v: i18n.percent(v, decimals=0)
    return viz.table(frame, formats, hide_index=True, caption=T("shortlist_caption", lang))


# ---------------------------------------------------------------- tiers


def tiers_finding(result: Result, lang: str = ZH) -> str:
    t = result.tiers.set_index("tier")
    if not result.creators["shortlisted"].any():
        return _no_shortlist(result, lang)
    if not t.loc["head", "eligible"]:
        return T("tiers_finding_no_head", lang, mid_tail=int(t.loc[["mid", "tail", "koc"], "chosen"].sum()))
    return T(
        "tiers_finding",
        lang,
        mid_tail=int(t.loc[["mid", "tail", "koc"], "chosen"].sum()),
        head=int(t.loc["head", "chosen"]),
        head_only=i18n.whole_count(result.alternatives["head_only"]["expected"], lang),
        ours=i18n.whole_count(result.expected_total, lang),
    )


def tiers_table(result: Result, lang: str = ZH) -> Styler:
    """Per follower tier: eligible, chosen, spend, expected engagements and costs per engagement."""
    t = result.tiers
    frame = pd.DataFrame(
        {
            T("col_tier", lang): [tier_name(name, lang) for name in t["tier"]],
            T("col_eligible", lang): t["eligible"].to_numpy(),
            T("col_chosen", lang): t["chosen"].to_numpy(),
            T("col_spend", lang): t["spend"].to_numpy(),
            T("col_expected", lang): t["expected"].to_numpy(),
            T("col_tier_cpe", lang): t["cpe"].to_numpy(),
            T("col_median_cpe", lang): t["median_cpe"].to_numpy(),
        }
    )
    formats = {
        T("col_spend", lang): lambda v: i18n.money(v, lang),
        T("col_expected", lang): lambda v: i18n.whole_count(v, lang),
        T("col_tier_cpe", lang): lambda v: _cpe(v, lang) if np.isfinite(v) else "–",
        T("col_median_cpe", lang): lambda v: _cpe(v, lang) if np.isfinite(v) else "–",
    }
    return viz.table(frame, formats, hide_index=True, caption=T("tiers_caption", lang))


# ---------------------------------------------------------------- signals


def suspicious_finding(result: Result, lang: str = ZH) -> str:
    s = result.suspicious
    if s.empty:
        return T("suspicious_none", lang)
    counts = [T("signal_count", lang, name=signal_name(name, lang), n=int(s[name].sum())) for name in SIGNALS if s[name].any()]
    return T("suspicious_finding", lang, k=len(s), signals=_join(counts, lang))


def suspicious_table(result: Result, lang: str = ZH) -> Styler:
    """One row per suspicious creator: followers, the signals raised and the measures behind them."""
    s = result.suspicious.sort_values("engagement_z")
    if s.empty:
        return _note(T("suspicious_none", lang).strip("*"))
    frame = pd.DataFrame(
        {
            T("col_creator", lang): s["creator"].to_numpy(),
            T("col_platform", lang): [i18n.platform(p, lang) for p in s["platform"]],
            T("col_followers", lang): s["followers"].to_numpy(),
            T("col_signals", lang): [_join([signal_name(n, lang) for n in names], lang) for names in s["signals"]],
            T("col_engagement_z", lang): s["engagement_z"].to_numpy(),
            T("col_ratio_z", lang): s["ratio_z"].to_numpy(),
            T("col_jump", lang): s["jump_share"].to_numpy(),
        }
    )
    formats = {
        T("col_followers", lang): lambda v: i18n.count(v, lang),
        T("col_engagement_z", lang): "{:+.1f}",
        T("col_ratio_z", lang): "{:+.1f}",
        T("col_jump", lang): lambda v: i18n.percent(v, decimals=1),
    }
    return viz.table(frame, formats, hide_index=True, caption=T("suspicious_caption", lang))


def history_text(result: Result, lang: str = ZH) -> str:
    """Why the follower-jump signal was not checked, or empty when it was."""
    if "history" in result.missing:
        return T("missing_history", lang)
    return "" if result.has_history else T("no_history_rows", lang)


def missing_text(result: Result, section: str, lang: str = ZH) -> str:
    """The sentence for a section whose data is missing (``fit`` or ``past``), or empty."""
    return T(f"missing_{section}", lang) if section in result.missing else ""


def past_text(result: Result, lang: str = ZH) -> str:
    if "past" in result.missing:
        return T("missing_past", lang)
    n = int(result.creators["past_posts"].fillna(0).gt(0).sum())
    return T("past_finding", lang, n=n) if n else T("past_none", lang)


def past_table(result: Result, lang: str = ZH) -> Styler:
    """Creators on the list who posted for the brand before: posts, past cost per engagement, and today's estimate."""
    c = result.creators[result.creators["past_posts"].fillna(0) > 0].sort_values("past_cpe")
    if c.empty:
        return _note(T("past_none", lang))
    frame = pd.DataFrame(
        {
            T("col_creator", lang): c["creator"].to_numpy(),
            T("col_platform", lang): [i18n.platform(p, lang) for p in c["platform"]],
            T("col_past_posts", lang): c["past_posts"].to_numpy(),
            T("col_past_cpe", lang): c["past_cpe"].to_numpy(),
            T("col_cpe", lang): c["expected_cpe"].to_numpy(),
            T("col_chosen", lang): [T("yes" if v else "no", lang) for v in c["shortlisted"]],
        }
    )
    formats = {T("col_past_posts", lang): "{:.0f}", T("col_past_cpe", lang): lambda v: _cpe(v, lang), T("col_cpe", lang): lambda v: _cpe(v, lang)}
    return viz.table(frame, formats, hide_index=True, caption=T("past_caption", lang))


# ---------------------------------------------------------------- figure


def engagement_figure(result: Result, lang: str = ZH) -> Figure:
    """Followers against average engagements per post (log-log): shortlisted, suspicious and the rest."""
    c = result.creators[(result.creators["followers"] > 0) & (result.creators["own_average"] > 0)]
    fig, ax = viz.new_figure(T("fig_title", lang), height=4.2)
    rest = c[~c["shortlisted"] & ~c["suspicious"]]
    ax.scatter(rest["followers"], rest["own_average"], s=14, color="#B0B7BF", label=T("fig_honest", lang))
    pick = c[c["shortlisted"]]
    ax.scatter(pick["followers"], pick["own_average"], s=22, color="#2F6DB5", label=T("fig_shortlisted", lang))
    bad = c[c["suspicious"]]
    ax.scatter(bad["followers"], bad["own_average"], s=30, marker="x", color="#C4474D", label=T("fig_suspicious", lang))
    ax.set_xscale("log")
    ax.set_yscale("log")
    formatter = plt.FuncFormatter(lambda v, _: i18n.count(v, lang))
    ax.xaxis.set_major_formatter(formatter)
    ax.yaxis.set_major_formatter(formatter)
    ax.set_xlabel(T("fig_x", lang))
    ax.set_ylabel(T("fig_y", lang))
    ax.legend(loc="upper left", frameon=False)
    plt.close(fig)
    return fig


def tier_order() -> tuple[str, ...]:
    return tuple(name for name, _ in TIERS)


__all__ = [
    "brief",
    "engagement_figure",
    "escape",
    "history_text",
    "missing_text",
    "past_table",
    "past_text",
    "shortlist_finding",
    "shortlist_table",
    "signal_name",
    "suspicious_finding",
    "suspicious_table",
    "tier_name",
    "tiers_finding",
    "tiers_table",
]
