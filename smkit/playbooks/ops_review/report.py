"""The review's words, tables and figures: presentation only.

``*_text`` returns Markdown, ``*_table`` a Styler built with
:func:`smkit.viz.table`, ``*_figure`` a matplotlib Figure. Ask for a figure
only when the result has what it draws (``result.has_forecasts``,
``result.has_community``); a table of an empty section is a one-line note.
"""

from __future__ import annotations

import html
import math

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from pandas.io.formats.style import Styler

from smkit import viz
from smkit.methods import stats
from smkit.methods.forecasting import MODEL_NAMES

from .forecast import Skipped
from .goals import GOAL_NAMES, METRICS
from .kpis import tests_in
from .result import INACTIVE, NO_OWNER, NO_ROWS, NO_TABLE, Result, Uncompared


def _fmt(metric: str, value: float | None) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "–"
    if metric in ("share_of_voice", "negative_share", "engagement_rate", "reply_rate"):
        return f"{value:.1%}" if metric != "engagement_rate" else f"{value:.2%}"
    if metric in ("net_sentiment", "mean_sentiment"):
        return f"{value:+.2f}"
    if metric == "reply_hours":
        return f"{value:.1f} h"
    return f"{value:,.0f}"


def _fmt_change(metric: str, change: float | None, p: float | None, alpha: float = 0.05, missing: str = "–") -> str:
    """A change with its Holm-adjusted p-value; significant below ``alpha``."""
    if change is None or (isinstance(change, float) and not math.isfinite(change)):
        return missing
    m = METRICS[metric]
    if m.share and metric in ("net_sentiment", "mean_sentiment"):
        text = f"{change:+.2f}"
    elif m.share:
        text = f"{change * 100:+.1f} pts" if abs(change) >= 0.001 else f"{change * 100:+.2f} pts"
    else:
        text = f"{change:+.1%}"
    if p is None or (isinstance(p, float) and not math.isfinite(p)):
        return text + " (no test)" if metric == "followers" else text
    return text + (f" (Holm p {stats.format_p(p)}, significant)" if p < alpha else f" (Holm p {stats.format_p(p)})")


def _note(text: str) -> Styler:
    """A table of one note, for a section with nothing to show."""
    return viz.table(pd.DataFrame({"note": [text]}), hide_index=True)


def kpi_table(result: Result) -> Styler:
    """The KPI scorecard as a director reads it."""
    k = result.kpis
    if k.empty:
        return _note("no KPI could be computed: the store has no account_daily or mentions rows for the brand in the window")
    # A comparison period the data do not cover is said so (the note under the text says why), not left as a dash.
    uncompared = {
        column: "not compared (see note)" if k[values].isna().all() else "–" for column, values in (("change", "previous"), ("change_year", "year_ago"))
    }
    rows = []
    for name, r in k.iterrows():
        att = r["attainment"]
        rows.append(
            {
                "goal": GOAL_NAMES[r["goal_area"]],
                "KPI": r["label"],
                "actual": _fmt(name, r["actual"]),
                "goal for the window": _fmt(name, r["goal"]) if r["goal"] is not None and pd.notna(r["goal"]) else "no goal set",
                "attainment": "–" if att is None or pd.isna(att) else f"{att:.0%}" + (" ✓" if att >= 1 else ""),
                "vs previous period": _fmt_change(name, r["change"], r["p_previous_holm"], missing=uncompared["change"]),
                "vs a year earlier": _fmt_change(name, r["change_year"], r["p_year_holm"], missing=uncompared["change_year"]),
            }
        )
    return viz.table(pd.DataFrame(rows).set_index(["goal", "KPI"]))


def kpi_text(result: Result) -> str:
    """What the scorecard means, from its numbers (Markdown)."""
    k = result.kpis
    if k.empty:
        return "No KPI could be computed for this window."
    judged = k[k["attainment"].notna()]
    met = judged[judged["attainment"] >= 1]
    missed = judged[judged["attainment"] < 1].sort_values("attainment")
    parts = [f"{len(met)} of {len(judged)} KPIs with a goal are on target for {result.start} to {result.end}."]
    if len(missed):
        worst = missed.iloc[0]
        parts.append(
            f"Furthest behind: {worst['label']} at {_fmt(missed.index[0], worst['actual'])} against {_fmt(missed.index[0], worst['goal'])} ({worst['attainment']:.0%})."
        )
    n_tests = tests_in(k)
    moved = k[k["p_previous_holm"].notna() & (k["p_previous_holm"] < 0.05)]
    holm_note = (
        (f" (p-values adjusted by Holm's method for the scorecard's {n_tests} tests, so that testing many KPIs does not turn up changes by chance)")
        if n_tests > 1
        else ""
    )
    if len(moved):
        bits = [f"{r['label']} ({_fmt_change(n, r['change'], None)})" for n, r in moved.iterrows()]
        parts.append("Changed beyond day-to-day noise since the previous period" + holm_note + ": " + ", ".join(bits) + ".")
    elif n_tests:
        parts.append("Nothing changed beyond day-to-day noise since the previous period" + holm_note + ".")
    no_goal = [r["label"] for _, r in k[k["goal"].isna()].iterrows()]
    if no_goal:
        parts.append("No goal is set for " + ", ".join(no_goal) + ".")
    notes = [uncompared_note(u) for u in result.uncompared]
    return " ".join(html.escape(p) for p in parts) + "".join(f"\n\n*{html.escape(n)}*" for n in notes)


def _number(value: float | None, spec: str) -> str:
    """A figure, or "–" for a missing or undefined one (a MASE whose history never changed is undefined)."""
    return "–" if value is None or not math.isfinite(value) else spec.format(value)


def uncompared_note(u: Uncompared) -> str:
    """Why a comparison period is left out."""
    w = u.window
    return f"No comparison with the {w.name} period ({w.start} to {w.end}): the data " + " and ".join(f"in {t} begin on {day}" for t, day in u.first_days) + "."


def forecast_table(result: Result) -> Styler:
    """Per metric: the model chosen, its backtest against seasonal naive, the forecast and the chance of meeting the goal."""
    if not result.forecasts:
        return _note("no metric has enough history to forecast")
    rows = []
    for f in result.forecasts:
        what = "on the last day" if f.metric == "followers" else f"over {result.horizon_days} days"
        point, lo, hi = f.horizon_total
        rows.append(
            {
                "metric": f.metric,
                "model chosen": MODEL_NAMES[f.backtest.chosen],
                "backtest MASE": _number(f.backtest_mase, "{:.2f}"),
                "seasonal naive MASE": _number(f.baseline_mase, "{:.2f}"),
                f"backtest days inside the model's own {result.level:.0%} interval": _number(f.backtest.coverage.get(f.backtest.chosen), "{:.0%}"),
                "interval calibration": _calibration(f.backtest.interval_scale.get(f.backtest.chosen, 1.0)),
                "forecast": f"{point:,.0f} {what}",
                f"{result.level:.0%} interval": f"{lo:,.0f} to {hi:,.0f}",
                "goal": "no goal set" if f.goal is None else f"{f.goal:,.0f}",
                "chance of meeting it": "–" if f.p_meet_goal is None else f"{f.p_meet_goal:.0%}",
            }
        )
    return viz.table(pd.DataFrame(rows).set_index("metric"))


def _calibration(scale: float) -> str:
    """What the backtest did to the interval shown: widened or narrowed by a factor on the log scale."""
    if not math.isfinite(scale) or abs(scale - 1) < 0.005:
        return "none (held as the model gave it)"
    return f"{'widened' if scale > 1 else 'narrowed'} ×{scale:.2f}"


def skipped_note(result: Result, s: Skipped) -> str:
    """Why a metric has no forecast."""
    return f"{s.metric}: {s.reason if s.reason is not None else f'no data for {result.brand}'}"


def forecast_text(result: Result) -> str:
    """Each metric's forecast over the horizon, how its model did in the backtest and the chance of meeting the goal."""
    notes = [skipped_note(result, s) for s in result.forecast_skipped]
    if not result.forecasts:
        return "No forecast: " + html.escape("; ".join(notes) or "no data") + "."
    parts = []
    for f in result.forecasts:
        point, lo, hi = f.horizon_total
        when = f"on {f.forecast.index[-1]:%Y-%m-%d}" if f.metric == "followers" else f"over the next {result.horizon_days} days"
        line = f"**{f.metric}**: {point:,.0f} {when} (the median of the simulated paths; {result.level:.0%} interval {lo:,.0f} to {hi:,.0f}); "
        if not (math.isfinite(f.backtest_mase) and math.isfinite(f.baseline_mase) and f.baseline_mase > 0):
            line += "the backtest error is undefined (the history did not change from week to week)"
        elif f.backtest_mase < f.baseline_mase:
            line += f"the chosen model's error is {1 - f.backtest_mase / f.baseline_mase:.0%} below the seasonal-naive forecast's in the backtest"
        else:
            line += "no model beat the seasonal-naive forecast in the backtest, so it is used"
        if f.p_meet_goal is not None:
            line += f"; the goal is met with a chance of {f.p_meet_goal:.0%}"
        parts.append(html.escape(line, quote=False).replace("&lt;", "<") + ".")
    parts += [f"*{html.escape(n)}.*" for n in notes]
    return "\n\n".join(parts)


def forecast_figure(result: Result, history_days: int = 91) -> Figure:
    """Fan charts: the last ``history_days`` of each metric and its forecast with the interval."""
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    items = result.forecasts
    fig, axes = plt.subplots(len(items), 1, figsize=(8, 2.5 * len(items)), squeeze=False)
    for ax, f in zip(axes[:, 0], items):
        h = f.history.iloc[-history_days:]
        ax.plot(h.index, h.to_numpy(), color="#2F6DB5", linewidth=1.2, label="actual")
        ax.fill_between(f.forecast.index, f.forecast.lo, f.forecast.hi, color="#E07B39", alpha=0.25, linewidth=0, label=f"{result.level:.0%} interval")
        ax.plot(f.forecast.index, f.forecast.point, color="#E07B39", linewidth=1.5, label="forecast")
        ax.set_title(f"{f.metric} · {MODEL_NAMES[f.backtest.chosen]}", fontsize="medium", loc="left")
        ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:,.0f}"))
        locator = mdates.AutoDateLocator(maxticks=8)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    axes[0, 0].legend(loc="upper left", fontsize="small", frameon=False, ncol=3)
    fig.suptitle(f"预测 Forecasts for the next {result.horizon_days} days", x=0.01, ha="left")
    plt.close(fig)
    return fig


def _missing(table: str, status: str) -> str:
    """Why a table gives nothing."""
    if status == NO_TABLE:
        return f"The store has no `{table}` table (it was made before the table existed, or nothing has been ingested into it)."
    if status == NO_ROWS:
        return f"The `{table}` table has no rows."
    return ""


def community_note(result: Result) -> str:
    """Why the community section is empty ("" when it is not)."""
    if result.community_status == INACTIVE:
        return f"No community member was active between {result.start} and {result.end}."
    return _missing("community_activity", result.community_status)


def team_note(result: Result) -> str:
    """Why the team section is empty ("" when it is not)."""
    if result.team_status == NO_OWNER:
        return f"The `team` table names no owner of {result.brand}'s accounts."
    return _missing("team", result.team_status)


def community_text(result: Result) -> str:
    """Active members against the period before, new and returning, retention and levels."""
    c = result.community
    if c is None:
        return html.escape(community_note(result) or "No community activity.") + " The community section is left out rather than filled with guesses."
    change = f"{c.active / c.active_previous - 1:+.0%} on the period before" if c.active_previous else "no members were active in the period before"
    parts = [f"{c.active:,} members were active between {result.start} and {result.end} ({change}): {c.new:,} new and {c.returning:,} returning."]
    if c.retention_4w is not None:
        parts.append(f"Of the members who joined in recent weeks, {c.retention_4w:.0%} were still active in their fifth week (week 4 after joining).")
    parts.append(f"{c.moved_up:,} existing members moved up a level in the window.")
    if c.unknown_actions:
        parts.append("Actions without a points rule earn no points: " + ", ".join(c.unknown_actions) + ".")
    return " ".join(html.escape(p) for p in parts)


def community_figure(result: Result) -> Figure:
    """Weekly active members (new and returning), the cohort retention heatmap and the level distribution."""
    import matplotlib.pyplot as plt
    import seaborn as sns

    c = result.community
    fig = plt.figure(figsize=(8, 8.4))
    grid = fig.add_gridspec(3, 1, height_ratios=[1, 1.5, 1])
    ax = fig.add_subplot(grid[0])
    weekly = c.weekly.tail(12)
    labels = [f"{d:%m-%d}" for d in weekly.index]
    ax.bar(labels, weekly["returning"], color="#2F6DB5", label="returning 老成员")
    ax.bar(labels, weekly["new"], bottom=weekly["returning"], color="#E07B39", label="new 新成员")
    top = float((weekly["new"] + weekly["returning"]).max()) if len(weekly) else 1.0
    ax.set_ylim(0, top * 1.3)  # room for the legend above the bars
    ax.legend(fontsize="small", frameon=False, loc="upper left", ncol=2)
    ax.set_title("每周活跃成员 Active members per week (week starting)", fontsize="medium", loc="left")
    ax.tick_params(axis="x", labelsize="small")
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
            yticklabels=[f"{d:%Y-%m-%d} ({n})" for d, n in zip(heat.index, c.retention["members"])],
        )
        ax.set_xlabel("weeks since joining")
        ax.grid(False)
        ax.set_ylabel("cohort (members)")
    ax.set_title("留存 Cohort retention: share of each week's new members active later", fontsize="medium", loc="left")
    ax = fig.add_subplot(grid[2])
    levels = c.levels[["at start", "at end"]]
    x = np.arange(len(levels))
    ax.bar(x - 0.2, levels["at start"], 0.4, color="#8C7A5B", label=f"at {result.start}")
    ax.bar(x + 0.2, levels["at end"], 0.4, color="#3A9E6F", label=f"at {result.end}")
    for offset, column in ((-0.2, "at start"), (0.2, "at end")):
        for xi, v in zip(x, levels[column]):
            ax.annotate(f"{v:,}", (xi + offset, v), ha="center", va="bottom", fontsize=7)
    ax.set_xticks(x, levels.index)
    ax.set_title("等级 Members per level", fontsize="medium", loc="left")
    ax.legend(fontsize="small", frameon=False)
    plt.close(fig)
    return fig


def levels_table(result: Result) -> Styler:
    """Members per level at the start and the end of the window."""
    c = result.community
    if c is None:
        return _note("no community activity")
    table = c.levels.copy()
    table["change"] = table["at end"] - table["at start"]
    return viz.table(table, {"at start": "{:,.0f}", "at end": "{:,.0f}", "new members": "{:,.0f}", "change": "{:+,.0f}"})


def top_table(result: Result) -> Styler:
    """The members who earned the most points in the window, with their actions."""
    if result.community is None:
        return _note("no community activity")
    top = result.community.top
    if top.empty:
        return _note("no member earned points in the window")
    return viz.table(top, {c: "{:,.0f}" for c in top.columns if c not in ("platform", "level")})


def own_goals(goals: tuple[tuple[str, float], ...]) -> str:
    """An owner's goals and their attainment, as "posts 80%; views 120%"."""
    return "; ".join(f"{m} {r:.0%}" for m, r in goals) or "no goal set"


def team_text(result: Result) -> str:
    """The spread of engagement against the platform norm, what is beyond noise, and who is behind their goals."""
    t = result.team
    if t.empty:
        return html.escape(team_note(result) or "No team is recorded.") + (
            " Ingest a team sheet (账号, 负责人, 角色) with `smkit ingest team.csv --table team` to get a scorecard per owner."
        )
    parts = []
    ranked = t.dropna(subset=["engagement_index"]).sort_values("engagement_index")
    if len(ranked):
        low, high = ranked.iloc[0], ranked.iloc[-1]
        parts.append(
            f"Engagement per post against the platform norm ranges from {low['engagement_index']:.2f} ({ranked.index[0]}) "
            f"to {high['engagement_index']:.2f} ({ranked.index[-1]})."
        )
        real = ranked[ranked["p_vs_norm"].notna() & (ranked["p_vs_norm"] < 0.05)]
        parts.append(
            "Differences from the norm that are more than noise: " + ", ".join(real.index) + "."
            if len(real)
            else "None of these differences from the norm is beyond noise at the 5% level."
        )
    tp = result.team_platforms
    if not tp.empty:
        weak = tp[tp["p_vs_norm"].notna() & (tp["p_vs_norm"] < 0.05) & (tp["engagement_index"] < 1)].sort_values("engagement_index")
        strong = tp[tp["p_vs_norm"].notna() & (tp["p_vs_norm"] < 0.05) & (tp["engagement_index"] > 1)].sort_values("engagement_index", ascending=False)
        for table, word in ((weak, "below"), (strong, "above")):
            if len(table):
                parts.append(
                    f"Per platform, significantly {word} the norm: "
                    + ", ".join(f"{o} on {pl} ({r['engagement_index']:.2f})" for (o, pl), r in table.iterrows())
                    + "."
                )
    behind = t[t["goal_attainment"].notna() & (t["goal_attainment"] < 1)]
    if len(behind):
        parts.append("Behind their own goals: " + ", ".join(f"{o} ({own_goals(r['own_goals'])})" for o, r in behind.iterrows()) + ".")
    return " ".join(html.escape(p) for p in parts)


TEAM_FORMATS = {"posts": "{:,.0f}", "engagement per post": "{:,.0f}", "platform norm": "{:,.0f}", "index": "{:.2f}"}
NORM_COLUMNS = {"engagement_per_post": "engagement per post", "platform_norm": "platform norm", "engagement_index": "index", "p_vs_norm": "p vs norm"}


def _p_cells(values: pd.Series) -> pd.Series:
    return values.map(lambda p: stats.format_p(p) if p is not None and pd.notna(p) else "–")


def team_table(result: Result) -> Styler:
    """Per owner: output, engagement per post against the platform norm, reply time and own goals."""
    t = result.team
    if t.empty:
        return _note(team_note(result) or "no team is recorded")
    shown = t[["role", "platforms", "posts", "engagement_per_post", "platform_norm", "engagement_index", "p_vs_norm", "reply_hours"]].copy()
    shown["p_vs_norm"] = _p_cells(shown["p_vs_norm"])
    owns_platform = t["reply_hours"].notna() | t["platforms_owned"].astype(bool)
    shown["reply_hours"] = [
        f"{h:.1f} h" if h is not None and pd.notna(h) else ("no replies there" if owns else "owns posts, not a platform")
        for h, owns in zip(t["reply_hours"], owns_platform)
    ]
    shown["own goals"] = [own_goals(g) for g in t["own_goals"]]
    shown["crisis response"] = [_sla_cell(result, owner) for owner in t.index]
    shown = shown.rename(columns={**NORM_COLUMNS, "reply_hours": "median first reply (answered)"})
    return viz.table(shown, TEAM_FORMATS)


def _sla_cell(result: Result, owner: str) -> str:
    """An owner's response deadlines, as "1 met, 1 missed" ("no alert" when none was theirs)."""
    if owner not in result.sla.index:
        return "no alert"
    r = result.sla.loc[owner]
    parts = [f"{int(r['met'])} met", f"{int(r['missed'])} missed"] + ([f"{int(r['pending'])} pending"] if r["pending"] else [])
    return ", ".join(parts)


def sla_text(result: Result) -> str:
    """The crisis response per owner: how many of the reputation monitor's alerts were answered within the deadline (Markdown)."""
    t = result.alert_tracking
    if t.empty:
        if not result.has_team:
            return ""
        return f"No alert of the reputation monitor touched {result.start} to {result.end}, so no response deadline was due."
    met, missed, pending = (int((t["status"] == k).sum()) for k in ("met", "missed", "pending"))
    parts = [
        f"{len(t)} alert{'s' if len(t) != 1 else ''} of the reputation monitor touched the window: "
        f"{met} answered within the response plan's deadline, {missed} missed it" + (f", {pending} still open" if pending else "") + "."
    ]
    for row in t.to_dict("records"):
        owners = "、".join(row["owners"]) or "no owner in the team table"
        hours = row["response_hours"]
        when = f"first official response after {hours:.1f} hours" if hours is not None and pd.notna(hours) else "no official response"
        parts.append(f"The alert of {row['start']:%Y-%m-%d} ({owners}): {when} against {row['deadline_hours']:g} hours, {row['status']}.")
    return " ".join(html.escape(p, quote=False) for p in parts)


def sla_table(result: Result) -> Styler:
    """Per owner: the alerts they own, deadlines met, missed and pending, the share met and the median response hours."""
    if result.sla.empty:
        return _note("no alert touched the window")
    shown = result.sla.rename(columns={"sla_rate": "share met", "median_response_hours": "median response (hours)"}).copy()
    shown["share met"] = shown["share met"].map(lambda v: "–" if v is None or pd.isna(v) else f"{v:.0%}")
    shown["median response (hours)"] = shown["median response (hours)"].map(lambda v: "–" if v is None or pd.isna(v) else f"{v:.1f}")
    return viz.table(shown, {c: "{:,.0f}" for c in ("alerts", "met", "missed", "pending")})


def team_platforms_table(result: Result) -> Styler:
    """Per owner and platform, so that a weak platform does not hide in an owner's average."""
    tp = result.team_platforms
    if tp.empty:
        return _note(team_note(result) or "no owned posts")
    shown = tp.copy()
    shown["p_vs_norm"] = _p_cells(shown["p_vs_norm"])
    shown = shown.rename(columns=NORM_COLUMNS)
    return viz.table(shown, TEAM_FORMATS, caption="Per owner and platform, so that a weak platform does not hide in an owner's average")


def overview_text(result: Result) -> str:
    """The headline paragraph: goals, forecasts, community and team in a few sentences (Markdown)."""
    k = result.kpis
    judged = k[k["attainment"].notna()] if not k.empty else k
    parts = [f"**{html.escape(result.brand)}**, {result.start} to {result.end} ({(result.end - result.start).days + 1} days)."]
    if len(judged):
        parts.append(f"{int((judged['attainment'] >= 1).sum())} of {len(judged)} KPIs with a goal are on target.")
    likely = [f for f in result.forecasts if f.p_meet_goal is not None]
    if likely:
        parts.append(
            "Chance of meeting the goal over the next " + f"{result.horizon_days} days: " + ", ".join(f"{f.metric} {f.p_meet_goal:.0%}" for f in likely) + "."
        )
    if result.community is not None:
        c = result.community
        parts.append(
            f"{c.active:,} community members were active"
            + (f"; {c.retention_4w:.0%} of recent newcomers were still active four weeks on." if c.retention_4w is not None else ".")
        )
    else:
        parts.append("No community data.")
    parts.append(f"Team scorecard for {len(result.team)} owners." if not result.team.empty else "No team is recorded, so there is no team scorecard.")
    t = result.alert_tracking
    if not t.empty:
        met = int((t["status"] == "met").sum())
        parts.append(f"Crisis response: {met} of {len(t)} alert{'s' if len(t) != 1 else ''} answered within the deadline.")
    return " ".join(parts)
