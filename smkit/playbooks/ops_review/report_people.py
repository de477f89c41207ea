"""The community and team sections of the review in the reader's language:
presentation only (re-exported by :mod:`.report`)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from pandas.io.formats.style import Styler

from smkit import i18n, viz

from . import present as P
from .messages import NAMES, T
from .result import INACTIVE, NO_OWNER, NO_ROWS, NO_TABLE, Result

# ---------------------------------------------------------------- why a section is empty


def _missing(table: str, status: str, lang: str) -> str:
    if status == NO_TABLE:
        return T("missing_table", lang, table=P.table(table, lang))
    if status == NO_ROWS:
        return T("missing_rows", lang, table=P.table(table, lang))
    return ""


def community_note(result: Result, lang: str) -> str:
    """Why the community section is empty ("" when it is not)."""
    if result.community_status == INACTIVE:
        return T("community_inactive", lang, period=P.period(result.start, result.end, lang))
    return _missing("community_activity", result.community_status, lang)


def team_note(result: Result, lang: str) -> str:
    """Why the team section is empty ("" when it is not)."""
    if result.team_status == NO_OWNER:
        return T("team_no_owner", lang, brand=viz.escape(result.brand))
    return _missing("team", result.team_status, lang)


def _join(parts: list[str], lang: str) -> str:
    return (" " if lang == "en" else "").join(parts)


# ---------------------------------------------------------------- community


def community_text(result: Result, lang: str) -> str:
    """The finding (active members against the period before), new and returning, retention and levels (Markdown)."""
    c = result.community
    if c is None:
        return _join([community_note(result, lang) or T("community_none", lang), T("community_left_out", lang)], lang)
    change = (
        T("community_change", lang, change=i18n.percent(c.active / c.active_previous - 1, 0, signed=True))
        if c.active_previous
        else T("community_no_previous", lang)
    )
    parts = [
        T("community_finding", lang, active=i18n.count(c.active, lang), change=change, new=i18n.count(c.new, lang), returning=i18n.count(c.returning, lang))
    ]
    if c.retention_4w is not None:
        parts.append(T("community_retention", lang, share=P.share(c.retention_4w)))
    parts.append(T("community_moved_up", lang, n=i18n.count(c.moved_up, lang)))
    if c.unknown_actions:
        parts.append(T("community_unknown", lang, actions=P.names((viz.escape(a) for a in c.unknown_actions), lang)))
    return _join(parts, lang)


def community_method(result: Result, lang: str) -> str:
    return P.method([T("community_method", lang)], lang)


def community_figure(result: Result, lang: str) -> Figure:
    """Weekly active members (new and returning), the cohort retention heatmap and the level distribution."""
    import matplotlib.pyplot as plt
    import seaborn as sns

    c = result.community
    fig = plt.figure(figsize=(8, 8.4))
    grid = fig.add_gridspec(3, 1, height_ratios=[1, 1.5, 1])
    ax = fig.add_subplot(grid[0])
    weekly = c.weekly.tail(12)
    labels = [i18n.date(d, lang, short=True) for d in weekly.index]
    ax.bar(labels, weekly["returning"], color="#2F6DB5", label=T("fig_returning", lang))
    ax.bar(labels, weekly["new"], bottom=weekly["returning"], color="#E07B39", label=T("fig_new", lang))
    top = float((weekly["new"] + weekly["returning"]).max()) if len(weekly) else 1.0
    ax.set_ylim(0, top * 1.3)  # room for the legend above the bars
    i18n.count_axis(ax, lang)
    ax.legend(fontsize="small", frameon=False, loc="upper left", ncol=2)
    ax.set_title(T("fig_weekly_title", lang), fontsize="medium", loc="left")
    ax.tick_params(axis="x", labelsize="small", labelrotation=45)
    ax = fig.add_subplot(grid[1])
    heat = c.retention.drop(columns="members")
    if len(heat):
        sns.heatmap(
            heat,
            ax=ax,
            cmap="Blues",
            vmin=0,
            vmax=1,
            annot=True,
            fmt=".0%",
            annot_kws={"fontsize": 7},
            cbar=False,
            yticklabels=[f"{i18n.date(d, lang, short=True)} ({i18n.count(n, lang)})" for d, n in zip(heat.index, c.retention["members"])],
        )
        ax.set_xlabel(T("fig_weeks_since", lang))
        ax.grid(False)
        ax.set_ylabel(T("fig_cohort", lang))
    ax.set_title(T("fig_retention_title", lang), fontsize="medium", loc="left")
    ax = fig.add_subplot(grid[2])
    levels = c.levels[["at start", "at end"]]
    x = np.arange(len(levels))
    ax.bar(x - 0.2, levels["at start"], 0.4, color="#8C7A5B", label=T("fig_at", lang, date=i18n.date(result.start, lang)))
    ax.bar(x + 0.2, levels["at end"], 0.4, color="#3A9E6F", label=T("fig_at", lang, date=i18n.date(result.end, lang)))
    for offset, column in ((-0.2, "at start"), (0.2, "at end")):
        for xi, v in zip(x, levels[column]):
            ax.annotate(i18n.count(v, lang), (xi + offset, v), ha="center", va="bottom", fontsize=7)
    ax.set_xticks(x, [P.level(n, lang) for n in levels.index])
    i18n.count_axis(ax, lang)
    ax.set_title(T("fig_levels_title", lang), fontsize="medium", loc="left")
    ax.legend(fontsize="small", frameon=False)
    plt.close(fig)
    return fig


def _counts(lang: str):
    return lambda v: i18n.count(v, lang)


def levels_table(result: Result, lang: str) -> Styler:
    """Members per level at the start and the end of the window."""
    c = result.community
    if c is None:
        return P.note(community_note(result, lang) or T("community_none", lang))
    table = c.levels.copy()
    table["change"] = table["at end"] - table["at start"]
    table.index = [P.level(n, lang) for n in table.index]
    table.index.name = T("col_level", lang)
    names = {"at start": T("col_at_start", lang), "at end": T("col_at_end", lang), "new members": T("col_new_members", lang), "change": T("col_change", lang)}
    table = table.rename(columns=names)
    formats = {names[k]: _counts(lang) for k in ("at start", "at end", "new members")}
    formats[names["change"]] = lambda v: f"{v:+,.0f}"
    return viz.table(table, formats, caption=T("levels_caption", lang))


def top_table(result: Result, lang: str) -> Styler:
    """The members who earned the most points in the window, with their actions."""
    if result.community is None:
        return P.note(community_note(result, lang) or T("community_none", lang))
    top = result.community.top.copy()
    if top.empty:
        return P.note(T("top_none", lang))
    top["platform"] = top["platform"].map(lambda p: i18n.platform(p, lang) if isinstance(p, str) else p)
    top["level"] = top["level"].map(lambda n: P.level(n, lang))
    fixed = {
        "platform": T("col_platform", lang),
        "points in window": T("col_points_window", lang),
        "points in all": T("col_points_all", lang),
        "level": T("col_level", lang),
    }
    top = top.rename(columns={c: fixed.get(c, P.action(c, lang)) for c in top.columns})
    top.index.name = T("col_member", lang)
    words = {fixed["platform"], fixed["level"]}
    return viz.table(top, {c: _counts(lang) for c in top.columns if c not in words}, caption=T("top_caption", lang, n=len(top)))


# ---------------------------------------------------------------- team


def own_goals(goals: tuple[tuple[str, float], ...], lang: str) -> str:
    """An owner's goals and their attainment, as "发帖数 80%；播放/阅读量 120%"."""
    items = [T("own_goal_item", lang, metric=P.own_metric(m, lang), share=P.share(r)) for m, r in goals]
    return T("todo_join", lang).join(items) or T("no_goal", lang)


def _significant(index: float | None, p: float | None) -> bool:
    return not P.missing(p) and p < 0.05 and not P.missing(index)


def team_text(result: Result, lang: str) -> str:
    """The finding (the spread of engagement against the platform norm), what is beyond noise, and who is behind their goals."""
    t = result.team
    if t.empty:
        return _join([team_note(result, lang) or T("team_none", lang), T("team_ingest", lang)], lang)
    parts = []
    ranked = t.dropna(subset=["engagement_index"]).sort_values("engagement_index")
    if len(ranked):
        low, high = ranked.iloc[0], ranked.iloc[-1]
        parts.append(
            T(
                "team_finding",
                lang,
                low=f"{low['engagement_index']:.2f}",
                low_owner=viz.escape(ranked.index[0]),
                high=f"{high['engagement_index']:.2f}",
                high_owner=viz.escape(ranked.index[-1]),
            )
        )
        real = ranked[[_significant(i, p) for i, p in zip(ranked["engagement_index"], ranked["p_vs_norm"])]]
        parts.append(T("team_real", lang, owners=P.names(map(viz.escape, real.index), lang)) if len(real) else T("team_real_none", lang))
    tp = result.team_platforms
    if not tp.empty:
        clear = tp[[_significant(i, p) for i, p in zip(tp["engagement_index"], tp["p_vs_norm"])]]
        weak = clear[clear["engagement_index"] < 1].sort_values("engagement_index")
        strong = clear[clear["engagement_index"] > 1].sort_values("engagement_index", ascending=False)
        for table, key in ((weak, "team_per_platform_below"), (strong, "team_per_platform_above")):
            if len(table):
                items = [
                    T("team_platform_item", lang, owner=viz.escape(o), platform=i18n.platform(pl, lang), index=f"{r['engagement_index']:.2f}")
                    for (o, pl), r in table.iterrows()
                ]
                parts.append(T(key, lang, items=T("list_sep", lang).join(items)))
    behind = t[t["goal_attainment"].notna() & (t["goal_attainment"] < 1)]
    if len(behind):
        items = [T("team_behind_item", lang, owner=viz.escape(o), goals=own_goals(r["own_goals"], lang)) for o, r in behind.iterrows()]
        parts.append(T("team_behind", lang, items=T("list_sep", lang).join(items)))
    return _join(parts, lang)


def team_method(result: Result, lang: str) -> str:
    return P.method([T("team_method", lang)], lang)


def _against_norm(index: float | None, p: float | None, lang: str) -> str:
    """Whether an owner's posts differ clearly from the platform norm, in words."""
    if P.missing(p):
        return T("vs_untested", lang)
    if p < 0.05 and not P.missing(index):
        return T("vs_higher" if index > 1 else "vs_lower", lang)
    return T("vs_same", lang)


def _norm_columns(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    out = frame.copy()
    out["p_vs_norm"] = [_against_norm(i, p, lang) for i, p in zip(frame["engagement_index"], frame["p_vs_norm"])]
    return out.rename(
        columns={
            "posts": T("col_posts", lang),
            "engagement_per_post": T("col_per_post", lang),
            "platform_norm": T("col_norm", lang),
            "engagement_index": T("col_index", lang),
            "p_vs_norm": T("col_vs_norm", lang),
        }
    )


def _team_formats(lang: str) -> dict:
    count = _counts(lang)
    rounded = lambda v: i18n.count(round(v), lang)  # noqa: E731
    return {T("col_posts", lang): count, T("col_per_post", lang): rounded, T("col_norm", lang): rounded, T("col_index", lang): "{:.2f}"}


def _sla_cell(result: Result, owner: str, lang: str) -> str:
    """An owner's response deadlines, as "1 met, 1 missed" ("no alert" when none was theirs)."""
    if owner not in result.sla.index:
        return T("sla_none_cell", lang)
    r = result.sla.loc[owner]
    text = T("sla_cell", lang, met=int(r["met"]), missed=int(r["missed"]))
    return text + (T("sla_cell_pending", lang, pending=int(r["pending"])) if r["pending"] else "")


def team_table(result: Result, lang: str) -> Styler:
    """Per owner: output, engagement per post against the platform norm, reply time, own goals and crisis response."""
    t = result.team
    if t.empty:
        return P.note(team_note(result, lang) or T("team_none", lang))
    shown = t[["role", "platforms", "posts", "engagement_per_post", "platform_norm", "engagement_index", "p_vs_norm"]].copy()
    shown["platforms"] = [P.platforms(p, lang) for p in t["platforms"]]
    owns_platform = t["reply_hours"].notna() | t["platforms_owned"].astype(bool)
    shown["reply_hours"] = [
        T("hours", lang, h=f"{h:.1f}") if not P.missing(h) else T("reply_none" if owns else "reply_not_platform", lang)
        for h, owns in zip(t["reply_hours"], owns_platform)
    ]
    shown["own_goals"] = [own_goals(g, lang) for g in t["own_goals"]]
    shown["crisis"] = [_sla_cell(result, owner, lang) for owner in t.index]
    shown = _norm_columns(shown, lang).rename(
        columns={
            "role": T("col_role", lang),
            "platforms": T("col_platforms", lang),
            "reply_hours": T("col_reply", lang),
            "own_goals": T("col_own_goals", lang),
            "crisis": T("col_crisis", lang),
        }
    )
    shown.index.name = T("col_owner", lang)
    return viz.table(shown, _team_formats(lang), caption=T("team_caption", lang))


def team_platforms_table(result: Result, lang: str) -> Styler:
    """Per owner and platform, so that a weak platform does not hide in an owner's average."""
    tp = result.team_platforms
    if tp.empty:
        return P.note(team_note(result, lang) or T("team_none", lang))
    shown = _norm_columns(tp, lang)
    shown.index = pd.MultiIndex.from_tuples([(o, i18n.platform(pl, lang)) for o, pl in tp.index], names=[T("col_owner", lang), T("col_platform", lang)])
    return viz.table(shown, _team_formats(lang), caption=T("team_platforms_caption", lang))


# ---------------------------------------------------------------- the crisis response


def sla_text(result: Result, lang: str) -> str:
    """The finding (alerts answered within the deadline), then each alert (Markdown)."""
    t = result.alert_tracking
    if t.empty:
        if not result.has_team:
            return ""
        return T("sla_none", lang, period=P.period(result.start, result.end, lang))
    met, missed, pending = (int((t["status"] == k).sum()) for k in ("met", "missed", "pending"))
    parts = [T("sla_finding", lang, alerts=len(t), met=met, missed=missed, pending=T("sla_finding_pending", lang, pending=pending) if pending else "")]
    for row in t.to_dict("records"):
        hours = row["response_hours"]
        parts.append(
            T(
                "sla_alert",
                lang,
                date=i18n.date(row["start"], lang),
                level=i18n.level_name(int(row["level"]), lang),
                owners=P.names(map(viz.escape, row["owners"]), lang) or T("sla_alert_owners_none", lang),
                when=T("sla_alert_after", lang, hours=f"{hours:.1f}") if not P.missing(hours) else T("sla_alert_never", lang),
                deadline=f"{row['deadline_hours']:g}",
                status=NAMES(f"status_{row['status']}", lang),
            )
        )
    return _join(parts, lang)


def sla_table(result: Result, lang: str) -> Styler:
    """Per owner: the alerts they own, deadlines met, missed and pending, the share met and the median response hours."""
    if result.sla.empty:
        return P.note(T("sla_none_table", lang))
    shown = result.sla.copy()
    shown["sla_rate"] = shown["sla_rate"].map(P.share)
    shown["median_response_hours"] = shown["median_response_hours"].map(lambda v: "–" if P.missing(v) else f"{v:.1f}")
    if not shown["pending"].any():
        shown = shown.drop(columns="pending")  # a column of zeros says nothing
    names = {k: T(f"col_{k}", lang) for k in ("alerts", "met", "missed", "pending") if k in shown}
    shown = shown.rename(columns={**names, "sla_rate": T("col_share_met", lang), "median_response_hours": T("col_median_response", lang)})
    shown.index.name = T("col_owner", lang)
    return viz.table(shown, {c: "{:,.0f}" for c in names.values()})
