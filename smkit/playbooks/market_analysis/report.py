"""Presentation of a market analysis :class:`~.result.Result`: Markdown text, tables and figures, in the report language.

``brief`` opens the report; every ``*_finding`` opens a section with its one
line; every ``*_text`` returns Markdown, every ``*_table`` a Styler built by
:func:`smkit.viz.table`, every ``*_figure`` a matplotlib Figure. Each takes
``lang`` (``zh`` or ``en``); the words come from :mod:`.messages`. Tables and
figures that would be empty are guarded in the notebook by ``result.has_*``.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from pandas.io.formats.style import Styler

from smkit import i18n, requirements, viz
from smkit.methods import stats
from smkit.viz import escape

from .benchmark import MIN_POSTS
from .messages import WORDS, T
from .recommend import Positioning
from .result import Result

ROBUST = 0.7  # a primary platform that keeps first place in this share of weight draws is a robust choice
MOST = 0.5  # ... and in more than this share, its ranking holds under "most" reasonable weightings
VERDICTS = {"under-performs": "verdict_under", "out-performs": "verdict_over", "no clear difference": "verdict_none"}
DIRECTIONS = {"rising": "direction_rising", "falling": "direction_falling", "too short": "direction_too_short"}


def missing_text(result: Result, section: str = "", lang: str = "zh") -> str:
    """The one sentence shown where ``section`` would be: the export it needs
    (every absent section's sentence when ``section`` is empty)."""
    return requirements.missing_text(result.missing, section, T, lang)


def _pct(value: float, decimals: int = 1) -> str:
    return i18n.percent(value, decimals)


def _signed(value: float) -> str:
    return "–" if pd.isna(value) else f"{value:+.2f}"


def _name(platform: str, lang: str) -> str:
    return i18n.platform(platform, lang)


def _word(word: str, lang: str) -> str:
    return WORDS[lang].get(str(word), str(word).replace("_", " "))


def _verdict(verdict: str, lang: str) -> str:
    return T(VERDICTS.get(str(verdict), "verdict_none"), lang)


def _unit(a: Result, lang: str) -> str:
    return T(f"unit_{a.benchmark.unit}", lang)


def _percent_axis(ax, axis: str = "y", decimals: int = 0) -> None:
    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_formatter(lambda v, _: f"{v * 100:.{decimals}f}%")


def _details(body: str, lang: str) -> str:
    return f"<details><summary>{T('method_summary', lang)}</summary>\n\n{body}\n\n</details>"


def _target_words(a: Result, lang: str) -> str:
    """The target audience in words (column names and common values in the report language; other values are data)."""
    if not a.target.filters:
        return T("target_everyone", lang)
    parts = []
    for column, spec in a.target.filters:
        values = T("target_or", lang).join(_word(v.strip(), lang) for v in spec.split("|"))
        parts.append(f"{_word(column, lang)} {values}")
    return T("target_sep", lang).join(parts)


# ---------------------------------------------------------------- brief and findings


def _stability_words(a: Result, lang: str) -> str:
    table = a.scores.table
    first = table.iloc[0]
    second = _name(table.index[1], lang) if len(table) > 1 else ""
    if first["rank_stability"] >= ROBUST or not second:
        return T("brief_robust", lang)
    return T("brief_close" if first["rank_stability"] > MOST else "brief_fragile", lang, second=second)


def brief(a: Result, lang: str = "zh") -> str:
    """Three to five plain sentences: our share of voice against each competitor,
    net sentiment, the platform to lead with and the one to fix, each with its number."""
    sep = T("list_sep", lang)
    sov = a.share_of_voice.set_index("brand")
    brand = escape(a.brand)
    lines = []
    if a.brand in sov.index:
        ours = sov.loc[a.brand, "share"]
        rivals = sov.drop(index=a.brand).sort_values("share", ascending=False)
        listed = sep.join(T("brief_voice_vs", lang, name=escape(b), share=_pct(v)) for b, v in rivals["share"].items())
        if not len(rivals) or ours >= rivals["share"].max():
            comparison = T("brief_voice_lead", lang, others=listed)
        else:
            leader = rivals.index[0]
            rest = sep.join(T("brief_voice_vs", lang, name=escape(b), share=_pct(v)) for b, v in rivals["share"].iloc[1:].items())
            key = "brief_voice_behind" if rest else "brief_voice_behind_alone"
            comparison = T(key, lang, leader=escape(leader), leader_share=_pct(rivals["share"].iloc[0]), others=rest)
        lines.append(T("brief_voice", lang, start=i18n.date(a.start, lang), end=i18n.date(a.end, lang), brand=brand, share=_pct(ours), comparison=comparison))
    else:
        lines.append(T("brief_no_voice", lang))
    sentiment = a.sentiment["net_sentiment"]
    if a.brand in sentiment.index and not pd.isna(sentiment[a.brand]):
        others = sep.join(f"{escape(b)} {_signed(v)}" for b, v in sentiment.drop(index=a.brand).items() if not pd.isna(v))
        lines.append(T("brief_sentiment", lang, brand=brand, value=_signed(sentiment[a.brand]), others=others or "–"))
    rec = a.recommendation()
    if rec["secondary"] and rec["test"]:
        rest = T("brief_rest_both", lang, secondary=_name(rec["secondary"], lang), test=_name(rec["test"], lang))
    elif rec["secondary"]:
        rest = T("brief_rest_secondary", lang, secondary=_name(rec["secondary"], lang))
    else:
        rest = ""
    score = a.scores.table.loc[rec["primary"], "score"]
    lines.append(T("brief_lead", lang, primary=_name(rec["primary"], lang), score=f"{score:.2f}", robust=_stability_words(a, lang), rest=rest))
    flags = a.benchmark.flags()
    under = flags[flags["verdict"] == "under-performs"].sort_values("ratio")
    over = flags[flags["verdict"] == "out-performs"].sort_values("ratio", ascending=False)
    if len(under):
        worst = under.index[0]
        fix = T("brief_fix", lang, platform=_name(worst, lang), ratio=f"{under.loc[worst, 'ratio']:.2f}")
        if len(under) > 1:
            more = sep.join(
                f"{_name(p, lang)} ({r['ratio']:.2f}x)" if lang == "en" else f"{_name(p, lang)}（{r['ratio']:.2f} 倍）" for p, r in under.iloc[1:].iterrows()
            )
            fix += " " * (lang == "en") + T("brief_fix_more", lang, others=more)
        lines.append(fix)
    elif flags.empty:
        lines.append(_no_gap_words(a, lang))
    if len(over) and len(lines) < 5:
        ratios = sep.join(f"{r['ratio']:.2f}x" if lang == "en" else f"{r['ratio']:.2f} 倍" for _, r in over.iterrows())
        lines.append(T("brief_ahead", lang, platforms=sep.join(_name(p, lang) for p in over.index), ratios=ratios))
    return "\n\n".join(lines)


def method_text(a: Result, lang: str = "zh") -> str:
    """The method behind the brief's words ("clear", "most reasonable weightings"), folded."""
    rec = a.recommendation()
    first = a.scores.table.loc[rec["primary"]]
    body = T(
        "brief_method",
        lang,
        alpha=f"{a.alpha:g}",
        draws=i18n.count(a.scores.draws, "en"),
        primary=_name(rec["primary"], lang),
        stability=_pct(first["rank_stability"], 0),
        top=a.scores.top,
        top_share=_pct(first["top_share"], 0),
        robust=_pct(ROBUST, 0),
    )
    return _details(body, lang)


def sov_finding(a: Result, lang: str = "zh") -> str:
    """The share of voice section's one line."""
    sov = a.share_of_voice.set_index("brand").sort_values("share", ascending=False)
    if a.brand not in sov.index:
        return T("brief_no_voice", lang)
    weighted = a.share_of_voice_weighted.set_index("brand").loc[a.brand, "share"]
    line = T(
        "finding_sov", lang, brand=escape(a.brand), share=_pct(sov.loc[a.brand, "share"]), weighted=_pct(weighted),
        rank=list(sov.index).index(a.brand) + 1, n=len(sov),
    )  # fmt: skip
    mine = a.by_platform[a.by_platform["brand"] == a.brand].set_index("platform")["share"]
    if len(mine) > 1:
        best, worst = mine.idxmax(), mine.idxmin()
        line += " " * (lang == "en") + T(
            "finding_sov_platform", lang, brand=escape(a.brand), best=_name(best, lang), best_share=_pct(mine[best]),
            worst=_name(worst, lang), worst_share=_pct(mine[worst]),
        )  # fmt: skip
    return line


def sentiment_finding(a: Result, lang: str = "zh") -> str:
    values = a.sentiment["net_sentiment"].dropna().sort_values(ascending=False)
    if a.brand not in values.index:
        return T("brief_no_voice", lang)
    return T(
        "finding_sentiment", lang, brand=escape(a.brand), value=_signed(values[a.brand]), rank=list(values.index).index(a.brand) + 1,
        n=len(values), best=escape(values.index[0]), best_value=_signed(values.iloc[0]),
    )  # fmt: skip


def _no_gap_words(a: Result, lang: str) -> str:
    """Why no platform is flagged: no competitor, no rates at all, too few posts to compare, or no clear gap."""
    if not a.competitors:
        return T("brief_no_competitors", lang, brand=escape(a.brand))
    if not a.benchmark.has_rates:
        return T("brief_no_rates", lang)
    if a.benchmark.comparisons.empty:
        return T("brief_no_comparison", lang, posts=MIN_POSTS, unit=_unit(a, lang))
    return T("brief_no_gap", lang, brand=escape(a.brand))


def benchmark_finding(a: Result, lang: str = "zh") -> str:
    comp, flags = a.benchmark.comparisons, a.benchmark.flags()
    if comp.empty:
        return _no_gap_words(a, lang)
    if flags.empty:
        return T("finding_benchmark_none", lang, count=len(comp))
    items = T("list_sep", lang).join(
        T("finding_benchmark_item", lang, platform=_name(p, lang), ratio=f"{r['ratio']:.2f}", verdict=_verdict(r["verdict"], lang)) for p, r in flags.iterrows()
    )
    return T("finding_benchmark_gap", lang, count=len(flags), items=items, rest=len(comp) - len(flags))


def trends_finding(a: Result, lang: str = "zh") -> str:
    if not a.has_trends:
        return T("finding_trends_none", lang)
    d = a.trends["direction"]
    if not a.has_directions:
        return T("finding_trends_flat", lang, count=len(d))
    return T("finding_trends", lang, rising=int((d == "rising").sum()), falling=int((d == "falling").sum()), flat=int((~d.isin(["rising", "falling"])).sum()))


def fit_finding(a: Result, lang: str = "zh") -> str:
    if not a.has_audience:
        return missing_text(a, "audience", lang) or T("no_audience_rows", lang)
    fit = a.fit["fit"]
    return T(
        "finding_fit", lang, target=escape(_target_words(a, lang)), best=_name(fit.idxmax(), lang), share=_pct(fit.max(), 0),
        worst=_name(fit.idxmin(), lang), worst_share=_pct(fit.min(), 0),
    )  # fmt: skip


def score_finding(a: Result, lang: str = "zh") -> str:
    table = a.scores.table
    first = _name(table.index[0], lang)
    if len(table) < 2:
        return T("finding_score_alone", lang, first=first, score=f"{table['score'].iloc[0]:.2f}")
    return T(
        "finding_score",
        lang,
        first=first,
        score=f"{table['score'].iloc[0]:.2f}",
        second=_name(table.index[1], lang),
        second_score=f"{table['score'].iloc[1]:.2f}",
    )


# ---------------------------------------------------------------- text


def _positioning_lines(p: Positioning, a: Result, lang: str) -> tuple[str, str, str, str]:
    """Content, users, interaction and distribution, each a clause citing its figures."""
    if p.platform in a.benchmark.uncovered:
        content = T("pos_content_unrated", lang, unit=_unit(a, lang))
    elif p.main_type is None:
        content = T("pos_content_none", lang)
    else:
        content = T("pos_content", lang, share=_pct(p.main_share, 0), type=i18n.content_type(p.main_type, lang), rate=_pct(p.main_rate, 2))
        if p.best_type is not None:
            content += T("pos_content_best", lang, type=i18n.content_type(p.best_type, lang), share=_pct(p.best_share, 0), rate=_pct(p.best_rate, 2))
    if p.fit is None:
        users = T("pos_users_none", lang)
    else:
        users = T("pos_users", lang, share=_pct(p.fit, 0), target=_target_words(a, lang))
        if p.interest is not None:
            users += T("pos_users_interest", lang, interest=_word(p.interest, lang), share=_pct(p.interest_share, 0))
    part = T(f"part_{p.top_part}", lang) if T.has(f"part_{p.top_part}") else p.top_part
    interaction = T("pos_interaction", lang, part=part, share=_pct(p.top_part_share, 0))
    if p.ratio is not None:
        interaction += T("pos_interaction_ratio", lang, ratio=f"{p.ratio:.2f}", verdict=_verdict(p.verdict, lang))
    distribution = T("pos_distribution", lang, posts=f"{p.posts_per_week:.1f}")
    if p.competitors_posts_per_week is not None:
        distribution += T("pos_distribution_vs", lang, posts=f"{p.competitors_posts_per_week:.1f}")
    distribution += T("pos_distribution_end", lang)
    return content, users, interaction, distribution


def recommendation_text(a: Result, lang: str = "zh") -> str:
    """One section per recommended platform, and the under-performing platforms to fix before scaling."""
    parts = []
    end = "。" if lang == "zh" else "."
    for p in a.recommended:
        r = a.scores.table.loc[p.platform]
        lines = (escape(line) for line in _positioning_lines(p, a, lang))
        key = "rec_score_robust" if r["rank_stability"] > MOST else "rec_score_fragile"
        score = T(key, lang, score=f"{r['score']:.2f}", rank=int(r["rank"]), top=a.scores.top, top_share=_pct(r["top_share"], 0))
        colon = "：" if lang == "zh" else ":"
        bullets = "\n".join(
            f"- **{T(name, lang)}{colon}** {line}{end}" for name, line in zip(("rec_content", "rec_users", "rec_interaction", "rec_distribution"), lines)
        )
        parts.append(f"{T('rec_heading', lang, role=T('role_' + p.role, lang), platform=_name(p.platform, lang))}\n\n{score}\n\n{bullets}")
    flags = a.benchmark.flags()
    under = flags[flags["verdict"] == "under-performs"]
    if len(under):
        gaps = T("fix_sep", lang).join(T("fix_item", lang, platform=_name(p, lang), ratio=f"{r['ratio']:.2f}") for p, r in under.iterrows())
        parts.append(T("fix_heading", lang, items=gaps))
    return "\n\n".join(parts)


def target_text(a: Result, lang: str = "zh") -> str:
    return T("target", lang, target=escape(_target_words(a, lang)))


def notes_text(a: Result, lang: str = "zh") -> str:
    """What was left out or could not be measured (empty when nothing was; see ``result.has_notes``)."""
    notes = []
    bench = a.benchmark
    if bench.excluded:
        notes.append(T("note_excluded", lang, count=i18n.count(bench.excluded, lang), unit=_unit(a, lang)))
    if bench.uncovered:
        shown = T("list_sep", lang).join(T("note_uncovered_item", lang, platform=_name(p, lang), share=_pct(share, 0)) for p, share in bench.uncovered.items())
        notes.append(T("note_uncovered", lang, shown=shown))
    if not a.has_audience:
        notes.append(T("note_no_audience", lang))
    if not a.scores.cost_known:
        notes.append(T("note_no_cost", lang))
    return "\n\n".join(T("note", lang, text=escape(n)) for n in notes)


# ---------------------------------------------------------------- share of voice and sentiment


def sov_table(a: Result, lang: str = "zh") -> Styler:
    """Share of voice per brand with its interval and the engagement-weighted share."""
    table = a.share_of_voice.set_index("brand")[["volume", "share", "ci_low", "ci_high"]].join(
        a.share_of_voice_weighted.set_index("brand")[["share"]].rename(columns={"share": "weighted"})
    )
    table = table.sort_values("share", ascending=False)
    names = {"volume": T("col_mentions", lang), "share": T("col_share", lang), "ci_low": T("col_low", lang), "ci_high": T("col_high", lang)}
    table = table.rename(columns=names | {"weighted": T("col_weighted_share", lang)})
    table.index.name = T("col_brand", lang)
    formats = {names["volume"]: lambda v: i18n.count(v, lang)} | {c: "{:.1%}" for c in table.columns if c != names["volume"]}
    return viz.table(table, formats, caption=T("caption_sov", lang))


def sov_figure(a: Result, lang: str = "zh") -> Figure:
    """Weekly share of voice per brand, by count and engagement-weighted."""
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.6), sharey=True)
    for ax, frame, title in ((axes[0], a.weekly, T("fig_sov_count", lang)), (axes[1], a.weekly_weighted, T("fig_sov_weighted", lang))):
        for brand in frame.columns:
            ax.plot(frame.index, frame[brand], marker="o", markersize=3, linewidth=2.4 if brand == a.brand else 1.2, label=brand)
        ax.set_title(title)
        _percent_axis(ax)
        i18n.date_axis(ax, lang)
        ax.tick_params(axis="x", labelrotation=30)
    axes[0].set_ylabel(T("fig_sov_axis", lang))
    axes[1].legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    fig.suptitle(T("fig_sov_title", lang))
    plt.close(fig)  # shown once, as the cell's value
    return fig


def platform_sov_figure(a: Result, lang: str = "zh") -> Figure:
    """Share of voice per platform as stacked bars."""
    table = a.by_platform.pivot_table(index="platform", columns="brand", values="share", fill_value=0)
    volume = a.by_platform.groupby("platform")["volume"].sum()
    table = table.loc[volume.sort_values().index]
    fig, ax = viz.new_figure(T("fig_platform_sov_title", lang), width=8, height=0.45 * len(table) + 1.2)
    left = np.zeros(len(table))
    for brand in [a.brand, *[b for b in table.columns if b != a.brand]]:
        ax.barh([_name(p, lang) for p in table.index], table[brand], left=left, label=brand)
        for y, (x0, w) in enumerate(zip(left, table[brand])):
            if w >= 0.08:
                ax.text(x0 + w / 2, y, f"{w:.0%}", ha="center", va="center", color="white", fontsize=8)
        left += table[brand].to_numpy()
    _percent_axis(ax, "x")
    ax.set_xlim(0, 1)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    plt.close(fig)  # shown once, as the cell's value
    return fig


def platform_trend_figure(a: Result, lang: str = "zh") -> Figure:
    """Our weekly share of voice on each platform, in small multiples with the overall share as reference."""
    frame = a.weekly_by_platform
    overall = a.weekly[a.brand] if a.brand in a.weekly else None
    cols = 3
    rows = max(1, -(-frame.shape[1] // cols))
    fig, axes = plt.subplots(rows, cols, figsize=(10, 2.2 * rows + 0.6), sharex=True, sharey=True, squeeze=False)
    for ax, platform in zip(axes.flat, frame.columns):
        if overall is not None:
            ax.plot(overall.index, overall, color="#BBBBBB", linewidth=1, label=T("fig_trend_all", lang))
        ax.plot(frame.index, frame[platform], linewidth=1.8, label=_name(platform, lang))
        ax.set_title(_name(platform, lang), fontsize=10)
        _percent_axis(ax)
        i18n.date_axis(ax, lang)
        ax.tick_params(axis="x", labelrotation=30, labelsize=8)
    for ax in axes.flat[frame.shape[1] :]:
        ax.set_visible(False)
    fig.suptitle(T("fig_trend_title", lang, brand=a.brand))
    plt.close(fig)  # shown once, as the cell's value
    return fig


def sentiment_table(a: Result, lang: str = "zh") -> Styler:
    """Net sentiment per brand with its interval; the share smkit scored is shown only when it scored any."""
    names = {
        "mentions": T("col_mentions", lang), "positive": T("col_positive", lang), "negative": T("col_negative", lang),
        "net_sentiment": T("col_net_sentiment", lang), "ci_low": T("col_low", lang), "ci_high": T("col_high", lang), "scored_share": T("col_scored", lang),
    }  # fmt: skip
    table = a.sentiment.copy()
    if not (table["scored_share"] > 0).any():
        table = table.drop(columns="scored_share")
    table = table.rename(columns=names).sort_values(names["net_sentiment"], ascending=False)
    table.index.name = T("col_brand", lang)
    counts = {names[c]: (lambda v: i18n.count(v, lang)) for c in ("mentions", "positive", "negative")}
    formats = counts | {names[c]: _signed for c in ("net_sentiment", "ci_low", "ci_high")} | {names["scored_share"]: "{:.0%}"}
    return viz.table(table, formats)


# ---------------------------------------------------------------- benchmarks and trends


def comparison_table(a: Result, lang: str = "zh") -> Styler:
    """Our engagement rate against the competitors' per platform: ratio, interval, tests and the verdict in words."""
    comp = a.benchmark.comparisons.copy()
    comp.index = pd.Index([_name(p, lang) for p in comp.index], name=T("col_platform", lang))
    comp["verdict"] = [_verdict(v, lang) for v in comp["verdict"]]
    names = {
        "ours": a.brand, "competitors": T("col_competitors", lang), "ratio": T("col_ratio", lang), "ci_low": T("col_low", lang),
        "ci_high": T("col_high", lang), "p_value": T("col_p", lang), "p_holm": T("col_p_holm", lang), "verdict": T("col_verdict", lang),
    }  # fmt: skip
    comp = comp.rename(columns=names)
    ratio = (lambda v: f"{v:.2f}x") if lang == "en" else (lambda v: f"{v:.2f} 倍")
    formats = {a.brand: "{:.2%}", names["competitors"]: "{:.2%}", names["ratio"]: ratio, names["ci_low"]: "{:.2f}", names["ci_high"]: "{:.2f}"}
    return viz.table(comp, formats | {names["p_value"]: stats.format_p, names["p_holm"]: stats.format_p}, caption=T("caption_comparison", lang))


def rate_figure(a: Result, lang: str = "zh") -> Figure:
    """Engagement rate per platform and account with intervals."""
    acc = a.benchmark.accounts
    platforms = sorted(acc["platform"].unique())
    accounts = [a.brand, *a.competitors]
    definition = T("engagement_definition", lang, unit=_unit(a, lang))
    fig, ax = viz.new_figure(T("fig_rate_title", lang, definition=definition), width=9, height=3.8)
    width = 0.8 / len(accounts)
    for k, account in enumerate(accounts):
        part = acc[acc["account"] == account].set_index("platform").reindex(platforms)
        x = np.arange(len(platforms)) + (k - (len(accounts) - 1) / 2) * width
        err = np.vstack([part["rate"] - part["rate_low"], part["rate_high"] - part["rate"]])
        ax.bar(x, part["rate"], width, yerr=err, capsize=2, label=account, alpha=1.0 if account == a.brand else 0.75)
    ax.set_xticks(np.arange(len(platforms)), [_name(p, lang).replace(" ", "\n") for p in platforms])
    _percent_axis(ax, decimals=1)
    ax.set_ylabel(T("fig_rate_axis", lang, unit=_unit(a, lang)))
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    plt.close(fig)  # shown once, as the cell's value
    return fig


def accounts_table(a: Result, lang: str = "zh") -> Styler:
    """Posting volume, engagement rate and follower growth per platform and account."""
    acc = a.benchmark.accounts.copy()
    acc[T("col_platform", lang)] = [_name(p, lang) for p in acc["platform"]]
    acc[T("col_account", lang)] = acc["account"]
    acc["posts / week"] = [f"{v:.1f} ({lo:.1f}–{hi:.1f})" for v, lo, hi in zip(acc["posts_per_week"], acc["posts_per_week_low"], acc["posts_per_week_high"])]
    acc["rate"] = ["–" if pd.isna(v) else f"{v:.2%} ({lo:.2%}–{hi:.2%})" for v, lo, hi in zip(acc["rate"], acc["rate_low"], acc["rate_high"])]
    shown = ["posts", "posts / week", *["rate"] * a.benchmark.has_rates, "follower_growth_30d"]  # no rate column when none could be measured
    acc = acc.set_index([T("col_platform", lang), T("col_account", lang)])[shown]
    if acc["follower_growth_30d"].isna().all():
        acc = acc.drop(columns="follower_growth_30d")
    names = {
        "posts": T("col_posts", lang),
        "posts / week": T("col_posts_week", lang),
        "rate": T("col_rate", lang),
        "follower_growth_30d": T("col_growth", lang),
    }
    acc = acc.rename(columns=names)
    return viz.table(acc, {names["posts"]: lambda v: i18n.count(v, lang), names["follower_growth_30d"]: "{:+.2%}"})


def mix_table(a: Result, lang: str = "zh") -> Styler:
    """The share of each account's posts by content type."""
    mix = a.benchmark.mix.pivot_table(index=["platform", "account"], columns="content_type", values="share", fill_value=0)
    mix.index = pd.MultiIndex.from_tuples([(_name(p, lang), account) for p, account in mix.index], names=[T("col_platform", lang), T("col_account", lang)])
    mix.columns = pd.Index([i18n.content_type(c, lang) for c in mix.columns], name=None)
    return viz.table(mix, "{:.0%}").background_gradient(cmap="Blues", vmin=0, vmax=1)


def trends_table(a: Result, lang: str = "zh") -> Styler:
    """Weekly growth per series, platform and brand, for the series and platforms where at least one
    brand rises or falls after Holm's correction (see ``result.has_directions``; the rest are one
    sentence in :func:`trends_finding`)."""
    t = a.trends.copy()
    moving = t.loc[t["direction"].isin(["rising", "falling"]), ["series", "platform"]].drop_duplicates()
    t = t.merge(moving, on=["series", "platform"])
    t["platform"] = [_name(p, lang) for p in t["platform"]]
    t["series"] = [T(f"series_{s}", lang) for s in t["series"]]
    t = t.pivot_table(index=["series", "platform"], columns="brand", values=["growth", "direction"], aggfunc="first")
    t.index = t.index.set_names([T("col_series", lang), T("col_platform", lang)])
    shown = pd.DataFrame(index=t.index)
    for brand in t["growth"].columns:
        shown[brand] = [
            ("–" if pd.isna(g) else T("per_week", lang, growth=f"{g:+.1%}"))
            + ("" if pd.isna(d) or d == "flat" else (f"（{T(DIRECTIONS[d], lang)}）" if lang == "zh" else f" ({T(DIRECTIONS[d], lang)})"))
            for g, d in zip(t[("growth", brand)], t[("direction", brand)])
        ]
    return viz.table(shown)


# ---------------------------------------------------------------- audience and platform facts


def fit_table(a: Result, lang: str = "zh") -> Styler:
    """Audience fit per platform (see ``result.has_audience``)."""
    fit = a.fit.copy()
    fit.index = pd.Index([_name(p, lang) for p in fit.index], name=T("col_platform", lang))
    names = {
        "users": T("col_users", lang),
        "matching": T("col_matching", lang),
        "fit": T("col_fit", lang),
        "ci_low": T("col_low", lang),
        "ci_high": T("col_high", lang),
    }
    fit = fit.rename(columns=names)
    counts = {names[c]: (lambda v: i18n.count(v, lang)) for c in ("users", "matching")}
    return viz.table(fit, counts | {names[c]: "{:.0%}" for c in ("fit", "ci_low", "ci_high")})


def facts_table(a: Result, lang: str = "zh") -> Styler:
    """The reference facts per platform. Their texts are data, shown as the
    table gives them; a text column's Chinese twin (``source_zh`` beside
    ``source``) replaces it in a Chinese report where it is filled."""
    facts = a.facts.copy()
    for twin in [c for c in facts.columns if c.endswith("_zh")]:
        base = twin.removesuffix("_zh")
        if lang == "zh" and base in facts:
            facts[base] = facts[twin].where(facts[twin].notna() & (facts[twin].astype(str).str.strip() != ""), facts[base])
        facts = facts.drop(columns=twin)
    facts.index = pd.Index([_name(p, lang) for p in facts.index], name=T("col_platform", lang))
    columns = {
        "monthly_active_users_m": "col_users_m", "users_figure": "col_users_figure", "content_forms": "col_content_forms",
        "interaction_style": "col_interaction_style", "female_share": "col_female", "under_30_share": "col_under_30", "source": "col_source",
        "as_of": "col_as_of", "illustrative_fields": "col_illustrative",
    }  # fmt: skip
    if "illustrative_fields" in facts:  # the column names it lists, as the table's headers say them
        facts["illustrative_fields"] = [
            v if pd.isna(v) else T("list_sep", lang).join(T(columns[f.strip()], lang) if f.strip() in columns else f.strip() for f in str(v).split(";"))
            for v in facts["illustrative_fields"]
        ]
    facts = facts.rename(columns={c: T(k, lang) for c, k in columns.items()})
    formats = {T("col_users_m", lang): "{:,.0f}", T("col_female", lang): "{:.0%}", T("col_under_30", lang): "{:.0%}"}
    return viz.table(facts, formats)


# ---------------------------------------------------------------- platform score


def criteria_table(a: Result, lang: str = "zh") -> Styler:
    """The raw criterion values per platform; a criterion no platform has is left out."""
    c = a.scores.criteria.copy()
    c.index = pd.Index([_name(p, lang) for p in c.index], name=T("col_platform", lang))
    c = c.loc[:, c.notna().any()]
    names = {"audience_fit": T("col_audience_fit", lang), "engagement": T("col_engagement", lang), "growth": T("col_growth", lang),
             "cost": T("col_cost", lang), "resources": T("col_resources", lang)}  # fmt: skip
    c = c.rename(columns=names)
    formats = {
        names["audience_fit"]: "{:.0%}",
        names["engagement"]: "{:.2%}",
        names["growth"]: "{:+.2%}",
        names["cost"]: "¥{:.2f}",
        names["resources"]: "{:.2f}",
    }
    return viz.table(c, formats)


def scores_table(a: Result, lang: str = "zh") -> Styler:
    """Each criterion's 0–1 value, the weighted score, the rank and how often the rank holds when the weights move."""
    s = a.scores
    table = s.normalised[list(s.weights)].join(s.table).sort_values("rank")
    table.index = pd.Index([_name(p, lang) for p in table.index], name=T("col_platform", lang))
    weights = {name: T("col_weight", lang, name=T(f"criterion_{name}", lang), weight=_pct(w, 0)) for name, w in s.weights.items()}
    names = {
        "score": T("col_score", lang),
        "rank": T("col_rank", lang),
        "rank_stability": T("col_keeps_rank", lang),
        "top_share": T("col_in_top", lang, top=s.top),
    }
    table = table.rename(columns={**weights, **names})
    formats = {weights[n]: "{:.2f}" for n in s.weights} | {names["score"]: "{:.3f}", names["rank_stability"]: "{:.0%}", names["top_share"]: "{:.0%}"}
    return viz.table(table, formats, caption=T("caption_scores", lang)).background_gradient(cmap="Greens", subset=list(weights.values()), vmin=0, vmax=1)


def rank_figure(a: Result, lang: str = "zh") -> Figure:
    """How often each platform lands on each rank when the weights move."""
    import seaborn as sns

    share = a.scores.rank_share.copy()
    share.index = [_name(p, lang) for p in share.index]
    fig, ax = viz.new_figure(T("fig_rank_title", lang, draws=i18n.count(a.scores.draws, "en")), width=7, height=0.42 * len(share) + 1.3)
    sns.heatmap(share, annot=True, fmt=".0%", cmap="Blues", vmin=0, vmax=1, cbar=False, ax=ax, annot_kws={"fontsize": 8})
    ax.set_xlabel(T("fig_rank_axis", lang))
    ax.set_ylabel("")
    plt.close(fig)  # shown once, as the cell's value
    return fig
