"""Presentation of a market analysis :class:`~.result.Result`: Markdown text, tables and figures.

Every ``*_text`` returns Markdown, every ``*_table`` a Styler built by
:func:`smkit.viz.table`, every ``*_figure`` a matplotlib Figure. Tables and
figures that would be empty are guarded in the notebook by ``result.has_*``.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from pandas.io.formats.style import Styler

from smkit import viz
from smkit.data.schema import platform_label
from smkit.methods import stats
from smkit.viz import escape

from .recommend import Positioning
from .result import Result

ROLE_NAMES = {"primary": "Primary 主阵地", "secondary": "Secondary 辅助平台", "test": "Test 试水平台"}
ROBUST = 0.7  # a primary platform that keeps first place in this share of weight draws is a robust choice


def missing_text(result: Result, section: str = "") -> str:
    """The one sentence shown where ``section`` would be: the export it needs
    (every absent section's sentence when ``section`` is empty)."""
    return result.missing.get(section, "") if section else "\n\n".join(result.missing.values())


def _percent_axis(ax) -> None:
    ax.yaxis.set_major_formatter(lambda v, _: f"{v:.0%}")


# ---------------------------------------------------------------- text


def brief_text(a: Result) -> str:
    """The opening paragraph: voice, sentiment, real gaps and the plan, from the numbers."""
    sov = a.share_of_voice.set_index("brand")
    brand = escape(a.brand)
    lines = [f"**Window** {a.start} to {a.end} · **brand** {brand} against {escape(', '.join(a.competitors))}."]
    if a.brand in sov.index:
        ours, leader = sov.loc[a.brand], sov["share"].idxmax()
        weighted = a.share_of_voice_weighted.set_index("brand").loc[a.brand, "share"]
        lines.append(
            f"{brand} holds **{ours['share']:.1%}** of earned mentions ({ours['ci_low']:.1%}–{ours['ci_high']:.1%}); "
            f"engagement-weighted {weighted:.1%}. "
            + ("It leads the conversation." if leader == a.brand else f"{escape(leader)} leads with {sov.loc[leader, 'share']:.1%}.")
        )
    if a.brand in a.sentiment.index and not np.isnan(a.sentiment.loc[a.brand, "net_sentiment"]):
        s = a.sentiment.loc[a.brand]
        lines.append(f"Net sentiment {s['net_sentiment']:+.2f} ({s['ci_low']:+.2f} to {s['ci_high']:+.2f}).")
    flags = a.benchmark.flags()
    for platform, r in flags.iterrows():
        lines.append(
            f"On **{platform_label(platform)}** {brand} {r['verdict']} its competitors: {r['ratio']:.2f}x their engagement per "
            f"{a.benchmark.unit} ({r['ci_low']:.2f}–{r['ci_high']:.2f}, Holm p {stats.format_p(r['p_holm'])})."
        )
    if flags.empty:
        lines.append(f"No platform shows a real engagement gap between {brand} and its competitors.")
    rec = a.recommendation()
    plan = f"**Recommended:** primary {platform_label(rec['primary'])}"
    plan += f", secondary {platform_label(rec['secondary'])}" if rec["secondary"] else ""
    plan += f", test {platform_label(rec['test'])}" if rec["test"] else ""
    first = a.scores.table.loc[rec["primary"]]
    plan += (
        f". {platform_label(rec['primary'])} keeps first place in {first['rank_stability']:.0%} of weight draws "
        f"and stays in the top {a.scores.top} in {first['top_share']:.0%}"
    )
    if first["rank_stability"] >= ROBUST:
        plan += " — a robust choice."
    else:
        plan += "; the order of the leading platforms depends on the weights, so read the scores, not only the ranks."
    lines.append(plan)
    return "\n\n".join(lines)


def _positioning_lines(p: Positioning, a: Result) -> tuple[str, str, str, str]:
    """Content, users, interaction and distribution, each a clause citing its figures."""
    unit = a.benchmark.unit
    if p.main_type is None:
        content = "too few posts to tell which content type works"
    else:
        content = f"{p.main_share:.0%} of our posts there are {p.main_type.replace('_', '-')} ({p.main_rate:.2%} engagement per {unit})"
        if p.best_type is not None:
            content += (
                f"; {p.best_type.replace('_', '-')} ({p.best_share:.0%} of posts) has the highest raw rate, {p.best_rate:.2%}, "
                "which the content performance report tests with hour, weekday and topic held equal"
            )
    if p.fit is None:
        users = "no audience data for this platform"
    else:
        users = f"{p.fit:.0%} of its audience fits the target ({a.target.describe()})"
        if p.interest is not None:
            users += f"; their top interest is {p.interest} ({p.interest_share:.0%})"
    interaction = f"{p.top_part} make up {p.top_part_share:.0%} of interactions"
    if p.ratio is not None:
        interaction += f"; our rate is {p.ratio:.2f}x competitors' ({p.verdict})"
    distribution = f"{p.posts_per_week:.1f} posts a week"
    if p.competitors_posts_per_week is not None:
        distribution += f" against competitors' {p.competitors_posts_per_week:.1f}"
    distribution += "; for posting times see the content performance report, which models them"
    return content, users, interaction, distribution


def recommendation_text(a: Result) -> str:
    """One section per recommended platform, and the under-performing platforms to fix before scaling."""
    parts = []
    for p in a.recommended:
        r = a.scores.table.loc[p.platform]
        content, users, interaction, distribution = (escape(line) for line in _positioning_lines(p, a))
        parts.append(
            f"### {ROLE_NAMES[p.role]}: {platform_label(p.platform)}\n\n"
            f"Score {r['score']:.3f}, rank {int(r['rank'])} (kept in {r['rank_stability']:.0%} of weight draws, "
            f"top {a.scores.top} in {r['top_share']:.0%}).\n\n"
            f"- **Content 内容:** {content}.\n- **Users 用户:** {users}.\n"
            f"- **Interaction 互动:** {interaction}.\n- **Distribution 传播:** {distribution}."
        )
    flags = a.benchmark.flags()
    under = flags[flags["verdict"] == "under-performs"]
    if len(under):
        gaps = "; ".join(f"{platform_label(p)}, where our engagement is {r['ratio']:.2f}x competitors'" for p, r in under.iterrows())
        parts.append(f"**Fix before scaling:** {gaps}. Study what their posts there do differently before adding budget.")
    return "\n\n".join(parts)


def target_text(a: Result) -> str:
    return f"**Target audience:** {escape(a.target.describe())}."


def notes_text(a: Result) -> str:
    """What was left out or could not be measured (empty when nothing was; see ``result.has_notes``)."""
    notes = []
    bench = a.benchmark
    if bench.excluded:
        notes.append(f"{bench.excluded:,} owned posts without {bench.basis} are left out of the engagement rates (they count in posting volume).")
    if bench.uncovered:
        shown = ", ".join(f"{p} ({share:.0%} of posts)" for p, share in bench.uncovered.items())
        notes.append(f"Engagement rates are per view, and these platforms report views on too few posts to be compared on it: {shown}.")
    if not a.has_audience:
        notes.append("The store has no audience table rows, so audience fit is left out of the score (every platform gets the middle value).")
    if not a.scores.cost_known:
        notes.append(
            "Spend is recorded on fewer than two platforms, so cost per result cannot separate platforms; every platform gets the middle value for it."
        )
    return "\n\n".join(f"*Note.* {escape(n)}" for n in notes)


# ---------------------------------------------------------------- share of voice and sentiment


def sov_table(a: Result) -> Styler:
    table = a.share_of_voice.set_index("brand")[["volume", "share", "ci_low", "ci_high"]].join(
        a.share_of_voice_weighted.set_index("brand")[["share"]].rename(columns={"share": "weighted share"})
    )
    table = table.rename(columns={"volume": "mentions", "ci_low": "low", "ci_high": "high"}).sort_values("share", ascending=False)
    return viz.table(table, {"mentions": "{:,.0f}", "share": "{:.1%}", "low": "{:.1%}", "high": "{:.1%}", "weighted share": "{:.1%}"})


def sov_figure(a: Result) -> Figure:
    """Weekly share of voice per brand, by count and engagement-weighted."""
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.6), sharey=True)
    for ax, frame, title in ((axes[0], a.weekly, "by mentions · 按提及量"), (axes[1], a.weekly_weighted, "engagement-weighted · 按互动加权")):
        for brand in frame.columns:
            ax.plot(frame.index, frame[brand], marker="o", markersize=3, linewidth=2.4 if brand == a.brand else 1.2, label=brand)
        ax.set_title(title)
        _percent_axis(ax)
        ax.tick_params(axis="x", labelrotation=30)
    axes[0].set_ylabel("share of voice")
    axes[1].legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    fig.suptitle("Weekly share of voice · 每周声量份额")
    plt.close(fig)  # shown once, as the cell's value
    return fig


def platform_sov_figure(a: Result) -> Figure:
    """Share of voice per platform as stacked bars."""
    table = a.by_platform.pivot_table(index="platform", columns="brand", values="share", fill_value=0)
    volume = a.by_platform.groupby("platform")["volume"].sum()
    table = table.loc[volume.sort_values().index]
    fig, ax = viz.new_figure("Share of voice by platform · 各平台声量份额", width=8, height=0.45 * len(table) + 1.2)
    left = np.zeros(len(table))
    for brand in [a.brand, *[b for b in table.columns if b != a.brand]]:
        ax.barh([platform_label(p) for p in table.index], table[brand], left=left, label=brand)
        for y, (x0, w) in enumerate(zip(left, table[brand])):
            if w >= 0.08:
                ax.text(x0 + w / 2, y, f"{w:.0%}", ha="center", va="center", color="white", fontsize=8)
        left += table[brand].to_numpy()
    ax.xaxis.set_major_formatter(lambda v, _: f"{v:.0%}")
    ax.set_xlim(0, 1)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    plt.close(fig)  # shown once, as the cell's value
    return fig


def platform_trend_figure(a: Result) -> Figure:
    """Our weekly share of voice on each platform, in small multiples with the overall share as reference."""
    frame = a.weekly_by_platform
    overall = a.weekly[a.brand] if a.brand in a.weekly else None
    cols = 3
    rows = max(1, -(-frame.shape[1] // cols))
    fig, axes = plt.subplots(rows, cols, figsize=(10, 2.2 * rows + 0.6), sharex=True, sharey=True, squeeze=False)
    for ax, platform in zip(axes.flat, frame.columns):
        if overall is not None:
            ax.plot(overall.index, overall, color="#BBBBBB", linewidth=1, label="all platforms")
        ax.plot(frame.index, frame[platform], linewidth=1.8, label=platform)
        ax.set_title(platform_label(platform), fontsize=10)
        _percent_axis(ax)
        ax.tick_params(axis="x", labelrotation=30, labelsize=8)
    for ax in axes.flat[frame.shape[1] :]:
        ax.set_visible(False)
    fig.suptitle(f"{a.brand}'s weekly share of voice by platform (grey: all platforms) · 分平台声量份额走势")
    plt.close(fig)  # shown once, as the cell's value
    return fig


def sentiment_table(a: Result) -> Styler:
    table = a.sentiment.rename(columns={"net_sentiment": "net sentiment", "ci_low": "low", "ci_high": "high", "scored_share": "scored by smkit"})
    formats = {"mentions": "{:,.0f}", "positive": "{:,.0f}", "negative": "{:,.0f}", "net sentiment": "{:+.2f}", "low": "{:+.2f}", "high": "{:+.2f}"}
    return viz.table(table, formats | {"scored by smkit": "{:.0%}"})


# ---------------------------------------------------------------- benchmarks and trends


def comparison_table(a: Result) -> Styler:
    comp = a.benchmark.comparisons.copy()
    comp.index = [platform_label(p) for p in comp.index]
    comp = comp.rename(columns={"ours": a.brand, "ratio": "ours / theirs", "ci_low": "low", "ci_high": "high", "p_value": "p", "p_holm": "p (Holm)"})
    formats = {a.brand: "{:.2%}", "competitors": "{:.2%}", "ours / theirs": "{:.2f}x", "low": "{:.2f}", "high": "{:.2f}"}
    return viz.table(comp, formats | {"p": stats.format_p, "p (Holm)": stats.format_p})


def rate_figure(a: Result) -> Figure:
    """Engagement rate per platform and account with intervals."""
    acc = a.benchmark.accounts
    platforms = sorted(acc["platform"].unique())
    accounts = [a.brand, *a.competitors]
    fig, ax = viz.new_figure(f"Engagement rate by platform · 互动率 ({a.benchmark.definition})", width=9, height=3.8)
    width = 0.8 / len(accounts)
    for k, account in enumerate(accounts):
        part = acc[acc["account"] == account].set_index("platform").reindex(platforms)
        x = np.arange(len(platforms)) + (k - (len(accounts) - 1) / 2) * width
        err = np.vstack([part["rate"] - part["rate_low"], part["rate_high"] - part["rate"]])
        ax.bar(x, part["rate"], width, yerr=err, capsize=2, label=account, alpha=1.0 if account == a.brand else 0.75)
    ax.set_xticks(np.arange(len(platforms)), [platform_label(p).replace(" ", "\n") for p in platforms])
    ax.yaxis.set_major_formatter(lambda v, _: f"{v:.1%}")
    ax.set_ylabel(f"engagement per {a.benchmark.unit}")
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    plt.close(fig)  # shown once, as the cell's value
    return fig


def accounts_table(a: Result) -> Styler:
    acc = a.benchmark.accounts.copy()
    acc["platform"] = [platform_label(p) for p in acc["platform"]]
    acc["posts / week"] = [f"{v:.1f} ({lo:.1f}–{hi:.1f})" for v, lo, hi in zip(acc["posts_per_week"], acc["posts_per_week_low"], acc["posts_per_week_high"])]
    acc["engagement rate"] = [f"{v:.2%} ({lo:.2%}–{hi:.2%})" for v, lo, hi in zip(acc["rate"], acc["rate_low"], acc["rate_high"])]
    acc = acc.set_index(["platform", "account"])[["posts", "posts / week", "engagement rate", "follower_growth_30d"]]
    acc = acc.rename(columns={"follower_growth_30d": "followers / 30 days"})
    return viz.table(acc, {"posts": "{:,.0f}", "followers / 30 days": "{:+.2%}"})


def mix_table(a: Result) -> Styler:
    mix = a.benchmark.mix.pivot_table(index=["platform", "account"], columns="content_type", values="share", fill_value=0)
    mix.index = mix.index.set_levels([platform_label(p) for p in mix.index.levels[0]], level=0)
    return viz.table(mix, "{:.0%}").background_gradient(cmap="Blues", vmin=0, vmax=1)


def trends_table(a: Result) -> Styler:
    """Weekly growth per series, platform and brand, with the direction where Holm's correction allows one (see ``result.has_trends``)."""
    t = a.trends.copy()
    t["platform"] = [platform_label(p) for p in t["platform"]]
    t = t.pivot_table(index=["series", "platform"], columns="brand", values=["growth", "direction"], aggfunc="first")
    shown = pd.DataFrame(index=t.index)
    for brand in t["growth"].columns:
        shown[brand] = [
            ("–" if pd.isna(g) else f"{g:+.1%} / week") + ("" if pd.isna(d) or d == "flat" else f" ({d})")
            for g, d in zip(t[("growth", brand)], t[("direction", brand)])
        ]
    return viz.table(shown)


# ---------------------------------------------------------------- audience and platform facts


def fit_table(a: Result) -> Styler:
    """Audience fit per platform (see ``result.has_audience``)."""
    fit = a.fit.copy()
    fit.index = [platform_label(p) for p in fit.index]
    fit = fit.rename(columns={"matching": "matching target", "ci_low": "low", "ci_high": "high"})
    return viz.table(fit, {"users": "{:,.0f}", "matching target": "{:,.0f}", "fit": "{:.0%}", "low": "{:.0%}", "high": "{:.0%}"})


def facts_table(a: Result) -> Styler:
    facts = a.facts.copy()
    facts.index = [platform_label(p) for p in facts.index]
    facts = facts.rename(
        columns={
            "monthly_active_users_m": "users (millions)",
            "users_figure": "what the figure counts",
            "content_forms": "content forms",
            "interaction_style": "interaction style",
            "female_share": "female",
            "under_30_share": "under 30",
            "as_of": "as of",
            "illustrative_fields": "illustrative",
        }
    )
    return viz.table(facts, {"users (millions)": "{:,.0f}", "female": "{:.0%}", "under 30": "{:.0%}"})


# ---------------------------------------------------------------- platform score


def criteria_table(a: Result) -> Styler:
    c = a.scores.criteria.copy()
    c.index = [platform_label(p) for p in c.index]
    engagement = f"engagement per {a.benchmark.unit}"
    c = c.rename(columns={"audience_fit": "audience fit", "engagement": engagement, "growth": "followers / 30 days", "cost": "spend per interaction"})
    formats = {"audience fit": "{:.0%}", engagement: "{:.2%}", "followers / 30 days": "{:+.2%}", "spend per interaction": "¥{:.2f}"}
    return viz.table(c, formats | {"resources": "{:.2f}"})


def scores_table(a: Result) -> Styler:
    s = a.scores
    table = s.normalised[list(s.weights)].join(s.table).sort_values("rank")
    table.index = [platform_label(p) for p in table.index]
    weights = {name: f"{name} ({w:.0%})" for name, w in s.weights.items()}
    table = table.rename(columns={**weights, "rank_stability": "keeps rank", "top_share": f"in top {s.top}"})
    formats = {weights[n]: "{:.2f}" for n in s.weights} | {"score": "{:.3f}", "keeps rank": "{:.0%}", f"in top {s.top}": "{:.0%}"}
    return viz.table(table, formats).background_gradient(cmap="Greens", subset=list(weights.values()), vmin=0, vmax=1)


def rank_figure(a: Result) -> Figure:
    """How often each platform lands on each rank when the weights move."""
    import seaborn as sns

    share = a.scores.rank_share.copy()
    share.index = [platform_label(p) for p in share.index]
    fig, ax = viz.new_figure(f"Rank stability over {a.scores.draws:,} weight draws · 权重敏感性", width=7, height=0.42 * len(share) + 1.3)
    sns.heatmap(share, annot=True, fmt=".0%", cmap="Blues", vmin=0, vmax=1, cbar=False, ax=ax, annot_kws={"fontsize": 8})
    ax.set_xlabel("rank under perturbed weights")
    ax.set_ylabel("")
    plt.close(fig)  # shown once, as the cell's value
    return fig
