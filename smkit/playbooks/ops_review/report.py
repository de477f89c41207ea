"""The review's words, tables and figures, in the reader's language: presentation only.

Every function takes ``lang`` (``zh`` or ``en``). ``brief`` is the manager's
three to five sentences; ``*_text`` returns Markdown opening with the section's
one-line finding, ``*_method`` a folded method note, ``*_table`` a Styler built
with :func:`smkit.viz.table`, ``*_figure`` a matplotlib Figure. Ask for a
figure only when the result has what it draws (``result.has_forecasts``,
``result.has_community``); a table of an empty section is a one-line note.
The community and team sections live in :mod:`.report_people` and are
re-exported here, so a notebook calls ``pb.report.<name>`` for every part.
"""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure
from pandas.io.formats.style import Styler

from smkit import i18n, viz

from . import present as P
from .forecast import MetricForecast, Skipped
from .kpis import tests_in
from .messages import ACTIONS, T
from .report_people import (  # noqa: F401  (the notebook's one namespace)
    community_figure,
    community_method,
    community_note,
    community_text,
    levels_table,
    sla_table,
    sla_text,
    team_method,
    team_note,
    team_platforms_table,
    team_table,
    team_text,
    top_table,
)
from .result import Result, Uncompared

# ---------------------------------------------------------------- the brief


def _worst(result: Result) -> tuple[str, pd.Series] | None:
    """The KPI furthest behind its goal (lowest attainment below 1), if any."""
    k = result.kpis
    if k.empty:
        return None
    missed = k[k["attainment"].notna() & (k["attainment"] < 1)].sort_values("attainment")
    return (missed.index[0], missed.iloc[0]) if len(missed) else None


def _chances(result: Result) -> list[MetricForecast]:
    return [f for f in result.forecasts if f.p_meet_goal is not None]


def brief(result: Result, lang: str) -> str:
    """What a manager reads first, in three to five plain sentences with their
    numbers: KPIs on target and the biggest miss, the forecasts' chance of
    meeting each goal, the community, the team, and what to do."""
    k = result.kpis
    judged = k[k["attainment"].notna()] if not k.empty else k
    when = P.period(result.start, result.end, lang)
    brand = viz.escape(result.brand)
    if len(judged):
        worst = _worst(result)
        miss = ""
        if worst is not None:
            m, r = worst
            miss = T(
                "brief_miss",
                lang,
                kpi=P.kpi(m, lang),
                actual=P.value(m, r["actual"], lang),
                goal=P.value(m, r["goal"], lang),
                attainment=P.share(r["attainment"]),
            )
        parts = [T("brief_kpis", lang, brand=brand, period=when, days=result.days, judged=len(judged), met=int((judged["attainment"] >= 1).sum()), miss=miss)]
    else:
        parts = [T("brief_kpis_none", lang, brand=brand, period=when, days=result.days)]
    likely = _chances(result)
    if likely:
        items = T("list_sep", lang).join(
            T("brief_forecast_item", lang, metric=P.forecast_metric(f.metric, lang), chance=P.share(f.p_meet_goal)) for f in likely
        )
        parts.append(T("brief_forecast", lang, days=result.horizon_days, items=items))
    parts.append(_brief_community(result, lang))
    parts.append(_brief_team(result, lang))
    parts.append(T("brief_todo", lang, actions=_todo(result, lang)))
    return " ".join(parts) if lang == "en" else "".join(parts)


def _brief_community(result: Result, lang: str) -> str:
    c = result.community
    if c is None:
        return T("brief_no_community", lang)
    change = (
        T("brief_community_change", lang, change=i18n.percent(c.active / c.active_previous - 1, 0, signed=True))
        if c.active_previous
        else T("brief_community_no_previous", lang)
    )
    if c.retention_4w is None:
        return T("brief_community_no_retention", lang, active=i18n.count(c.active, lang), change=change)
    return T("brief_community", lang, active=i18n.count(c.active, lang), change=change, retention=P.share(c.retention_4w))


def _brief_team(result: Result, lang: str) -> str:
    t = result.team
    if t.empty:
        return T("brief_no_team", lang)
    behind = t[t["goal_attainment"].notna() & (t["goal_attainment"] < 1)]
    who = T("brief_team_behind", lang, n=len(behind), names=P.names(map(viz.escape, behind.index), lang)) if len(behind) else T("brief_team_none_behind", lang)
    sla = ""
    tracking = result.alert_tracking
    if not tracking.empty:
        met = int((tracking["status"] == "met").sum())
        sla = T("brief_sla", lang, alerts=len(tracking), met=met)
        late = tracking[tracking["status"] == "missed"]
        if len(late):
            items = [
                T(
                    "brief_sla_late_item",
                    lang,
                    owners=P.names(map(viz.escape, row["owners"]), lang) or T("sla_alert_owners_none", lang),
                    hours=T("hours", lang, h=f"{row['response_hours']:.1f}") if not P.missing(row["response_hours"]) else T("sla_alert_never", lang),
                    deadline=f"{row['deadline_hours']:g}",
                )
                for row in late.to_dict("records")
            ]
            sla += T("brief_sla_late", lang, late=T("list_sep", lang).join(items))
    return T("brief_team", lang, owners=len(t), behind=who, sla=sla)


def _todo(result: Result, lang: str) -> str:
    """The brief's actions: close the biggest miss, answer alerts in time; else watch the least likely goal."""
    actions = []
    worst = _worst(result)
    if worst is not None:
        actions.append(ACTIONS(worst[0], lang))
    tracking = result.alert_tracking
    late = tracking[tracking["status"] == "missed"] if not tracking.empty else tracking
    if len(late):
        row = late.sort_values("level", ascending=False).iloc[0]
        actions.append(T("brief_todo_sla", lang, level=i18n.level_name(int(row["level"]), lang), deadline=f"{row['deadline_hours']:g}"))
    if not actions:
        unlikely = sorted((f for f in _chances(result) if f.p_meet_goal < 0.5), key=lambda f: f.p_meet_goal)
        if unlikely:
            f = unlikely[0]
            actions.append(T("brief_todo_keep", lang, metric=P.forecast_metric(f.metric, lang), chance=P.share(f.p_meet_goal)))
        else:
            actions.append(T("brief_todo_nothing", lang))
    return T("todo_join", lang).join(dict.fromkeys(actions))


# ---------------------------------------------------------------- KPIs


def kpi_table(result: Result, lang: str) -> Styler:
    """The KPI scorecard as a director reads it: a comparison column the data
    do not cover at all is left out (the text says why)."""
    k = result.kpis
    if k.empty:
        return P.note(T("kpi_none_table", lang))
    rows = []
    for name, r in k.iterrows():
        att = r["attainment"]
        rows.append(
            {
                T("col_goal_area", lang): P.goal_area(r["goal_area"], lang),
                T("col_kpi", lang): P.kpi(name, lang),
                T("col_actual", lang): P.value(name, r["actual"], lang),
                T("col_goal", lang): T("no_goal", lang) if P.missing(r["goal"]) else P.value(name, r["goal"], lang),
                T("col_attainment", lang): "–" if P.missing(att) else P.share(att) + (" ✓" if att >= 1 else ""),
                T("col_vs_previous", lang): P.change(name, r["change"], r["p_previous_holm"], lang),
                T("col_vs_year", lang): P.change(name, r["change_year"], r["p_year_holm"], lang),
            }
        )
    frame = pd.DataFrame(rows).set_index([T("col_goal_area", lang), T("col_kpi", lang)])
    for column, values in ((T("col_vs_previous", lang), "change"), (T("col_vs_year", lang), "change_year")):
        if k[values].isna().all():
            frame = frame.drop(columns=column)
    return viz.table(frame, caption=T("kpi_caption", lang))


def uncompared_note(u: Uncompared, lang: str) -> str:
    """Why a comparison period is left out."""
    w = u.window
    tables = T("list_sep", lang).join(T("kpi_uncompared_table", lang, table=P.table(t, lang), day=i18n.date(day, lang)) for t, day in u.first_days)
    return T("kpi_uncompared", lang, window=T(f"window_{w.name}", lang), period=P.period(w.start, w.end, lang), tables=tables)


def kpi_text(result: Result, lang: str) -> str:
    """The scorecard's finding (KPIs on target), the furthest behind, what moved beyond noise (Markdown)."""
    k = result.kpis
    if k.empty:
        return T("kpi_none_text", lang)
    when = P.period(result.start, result.end, lang)
    judged = k[k["attainment"].notna()]
    parts = [
        T("kpi_finding", lang, judged=len(judged), met=int((judged["attainment"] >= 1).sum()), period=when)
        if len(judged)
        else T("kpi_finding_none", lang, period=when)
    ]
    worst = _worst(result)
    if worst is not None:
        m, r = worst
        parts.append(
            T(
                "kpi_worst",
                lang,
                kpi=P.kpi(m, lang),
                actual=P.value(m, r["actual"], lang),
                goal=P.value(m, r["goal"], lang),
                attainment=P.share(r["attainment"]),
            )
        )
    moved = k[k["p_previous_holm"].notna() & (k["p_previous_holm"] < 0.05)]
    if len(moved):
        items = T("list_sep", lang).join(
            T("kpi_moved_item", lang, kpi=P.kpi(n, lang), change=P.change(n, r["change"], None, lang)) for n, r in moved.iterrows()
        )
        parts.append(T("kpi_moved", lang, items=items))
    elif tests_in(k):
        parts.append(T("kpi_moved_none", lang))
    no_goal = [P.kpi(n, lang) for n in k[k["goal"].isna()].index]
    if no_goal:
        parts.append(T("kpi_no_goal", lang, items=T("list_sep", lang).join(no_goal)))
    sep = " " if lang == "en" else ""
    return sep.join(parts) + "".join(f"\n\n*{uncompared_note(u, lang)}*" for u in result.uncompared)


def kpi_method(result: Result, lang: str) -> str:
    """How the scorecard is measured and tested (folded)."""
    n = tests_in(result.kpis)
    return P.method([T("kpi_method", lang, holm=T("kpi_holm", lang, n=n) if n > 1 else "")], lang)


# ---------------------------------------------------------------- forecasts


def _level(result: Result) -> str:
    return i18n.percent(result.level, 0)


def _counter(f: MetricForecast):
    """How a forecast's figures are written: followers (a large level that moves little) with more digits."""
    return P.precise_count if f.metric == "followers" else (lambda v, lang: i18n.count(round(v), lang))


def forecast_table(result: Result, lang: str) -> Styler:
    """Per metric: the model chosen (in words), the forecast, its interval, the goal and the chance of meeting it."""
    if not result.forecasts:
        return P.note(T("fc_none_table", lang))
    rows = []
    for f in result.forecasts:
        point, lo, hi = f.horizon_total
        fmt = _counter(f)
        value = fmt(point, lang)
        rows.append(
            {
                T("col_metric", lang): P.forecast_metric(f.metric, lang),
                T("col_model", lang): P.model(f.backtest.chosen, lang),
                T("col_forecast", lang): T("fc_last_day", lang, value=value)
                if f.metric == "followers"
                else T("fc_total", lang, value=value, days=result.horizon_days),
                T("col_interval", lang, level=_level(result)): T("fc_range", lang, lo=fmt(lo, lang), hi=fmt(hi, lang)),
                T("col_fc_goal", lang): T("no_goal", lang) if f.goal is None else fmt(f.goal, lang),
                T("col_chance", lang): P.share(f.p_meet_goal),
            }
        )
    frame = pd.DataFrame(rows).set_index(T("col_metric", lang))
    if all(f.goal is None for f in result.forecasts):
        frame = frame.drop(columns=[T("col_fc_goal", lang), T("col_chance", lang)])
    return viz.table(frame)


def _calibration(scale: float, lang: str) -> str:
    """What the backtest did to the interval shown: widened or narrowed by a factor on the log scale."""
    if P.missing(scale) or abs(scale - 1) < 0.005:
        return T("calibration_none", lang)
    return T("calibration_wider" if scale > 1 else "calibration_narrower", lang, scale=f"{scale:.2f}")


def _number(value: float | None, spec: str) -> str:
    """A figure, or "–" for a missing or undefined one (a MASE whose history never changed is undefined)."""
    return "–" if P.missing(value) else spec.format(value)


def forecast_method_table(result: Result, lang: str) -> Styler:
    """Per metric: the chosen model's backtest error against seasonal naive, its own interval's coverage and the calibration applied."""
    if not result.forecasts:
        return P.note(T("fc_none_table", lang))
    rows = [
        {
            T("col_metric", lang): P.forecast_metric(f.metric, lang),
            T("col_model", lang): P.model(f.backtest.chosen, lang),
            T("col_mase", lang): _number(f.backtest_mase, "{:.2f}"),
            T("col_baseline_mase", lang): _number(f.baseline_mase, "{:.2f}"),
            T("col_coverage", lang, level=_level(result)): _number(f.backtest.coverage.get(f.backtest.chosen), "{:.0%}"),
            T("col_calibration", lang): _calibration(f.backtest.interval_scale.get(f.backtest.chosen, 1.0), lang),
        }
        for f in result.forecasts
    ]
    return viz.table(pd.DataFrame(rows).set_index(T("col_metric", lang)))


def skipped_note(result: Result, s: Skipped, lang: str) -> str:
    """Why a metric has no forecast."""
    metric = P.forecast_metric(s.metric, lang)
    if s.reason is None:
        return T("fc_skipped_nodata", lang, metric=metric, brand=viz.escape(result.brand))
    return T("fc_skipped_short", lang, metric=metric)


def forecast_text(result: Result, lang: str) -> str:
    """The finding (each goal's chance over the horizon), then each metric's forecast and model in words (Markdown)."""
    notes = [skipped_note(result, s, lang) for s in result.forecast_skipped]
    if not result.forecasts:
        return T("fc_none", lang, reasons=T("todo_join", lang).join(notes) or T("fc_none_table", lang))
    likely = _chances(result)
    if likely:
        items = T("list_sep", lang).join(
            T("brief_forecast_item", lang, metric=P.forecast_metric(f.metric, lang), chance=P.share(f.p_meet_goal)) for f in likely
        )
        parts = [T("fc_finding", lang, days=result.horizon_days, items=items)]
    else:
        parts = [T("fc_finding_nogoal", lang, days=result.horizon_days)]
    level = _level(result)
    for f in result.forecasts:
        point, lo, hi = f.horizon_total
        fmt = _counter(f)
        values = {"metric": P.forecast_metric(f.metric, lang), "point": fmt(point, lang), "lo": fmt(lo, lang), "hi": fmt(hi, lang), "level": level}
        if f.metric == "followers":
            line = T("fc_line_last", lang, date=i18n.date(f.forecast.index[-1], lang), **values)
        else:
            line = T("fc_line_total", lang, days=result.horizon_days, **values)
        if f.p_meet_goal is not None:
            line += T("fc_line_chance", lang, goal=fmt(f.goal, lang), chance=P.share(f.p_meet_goal))
        parts.append(line + T("fc_line_model", lang, model=P.model(f.backtest.chosen, lang)))
    parts += [f"*{n}。*" if lang == "zh" else f"*{n}.*" for n in notes]
    return "\n\n".join(parts)


def forecast_method(result: Result, lang: str) -> str:
    """How the forecasts are made and how each model did in the backtest (folded, with the backtest table)."""
    lines = []
    for f in result.forecasts:
        metric = P.forecast_metric(f.metric, lang)
        if P.missing(f.backtest_mase) or P.missing(f.baseline_mase) or f.baseline_mase <= 0:
            lines.append(T("fc_method_undefined", lang, metric=metric))
        elif f.backtest_mase < f.baseline_mase:
            lines.append(
                T("fc_method_better", lang, metric=metric, model=P.model(f.backtest.chosen, lang), gain=P.share(1 - f.backtest_mase / f.baseline_mase))
            )
        else:
            lines.append(T("fc_method_baseline", lang, metric=metric))
    table = forecast_method_table(result, lang).to_html() if result.forecasts else ""
    return P.method([T("fc_method", lang), " ".join(lines) if lang == "en" else "".join(lines)], lang, table)


def forecast_figure(result: Result, lang: str, history_days: int = 91) -> Figure:
    """Fan charts: the last ``history_days`` of each metric and its forecast with the interval."""
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    items = result.forecasts
    level = _level(result)
    fig, axes = plt.subplots(len(items), 1, figsize=(8, 2.5 * len(items)), squeeze=False)
    for ax, f in zip(axes[:, 0], items):
        h = f.history.iloc[-history_days:]
        ax.plot(h.index, h.to_numpy(), color="#2F6DB5", linewidth=1.2, label=T("fig_actual", lang))
        ax.fill_between(f.forecast.index, f.forecast.lo, f.forecast.hi, color="#E07B39", alpha=0.25, linewidth=0, label=T("fig_interval", lang, level=level))
        ax.plot(f.forecast.index, f.forecast.point, color="#E07B39", linewidth=1.5, label=T("fig_forecast", lang))
        ax.set_title(f"{P.forecast_metric(f.metric, lang)} · {P.model(f.backtest.chosen, lang)}", fontsize="medium", loc="left")
        i18n.count_axis(ax, lang)
        ax.xaxis.set_major_locator(mdates.AutoDateLocator(maxticks=8))
        i18n.date_axis(ax, lang)
    axes[0, 0].legend(loc="upper left", fontsize="small", frameon=False, ncol=3)
    fig.suptitle(T("fig_fc_title", lang, days=result.horizon_days), x=0.01, ha="left")
    plt.close(fig)
    return fig


__all__ = [
    "brief",
    "community_figure",
    "community_method",
    "community_note",
    "community_text",
    "forecast_figure",
    "forecast_method",
    "forecast_method_table",
    "forecast_table",
    "forecast_text",
    "kpi_method",
    "kpi_table",
    "kpi_text",
    "levels_table",
    "skipped_note",
    "sla_table",
    "sla_text",
    "team_method",
    "team_note",
    "team_platforms_table",
    "team_table",
    "team_text",
    "top_table",
    "uncompared_note",
]
