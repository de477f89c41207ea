"""The monitor's report: the incident brief, each section's finding, tables and
the figure (presentation only), in the report's language ``lang`` (``zh`` or
``en``; every sentence comes from :mod:`.messages`).

Text functions return Markdown with user text escaped; tables are
:func:`smkit.viz.table` Stylers whose ``.data`` keeps the numbers; the figure
is a matplotlib Figure.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from pandas.io.formats.style import Styler

from smkit import i18n, viz
from smkit.methods.response import RECOVERY_TOLERANCE, RECOVERY_WINDOW_DAYS
from smkit.playbooks.reputation_monitor.alerts import Alert
from smkit.playbooks.reputation_monitor.messages import T
from smkit.playbooks.reputation_monitor.result import Result
from smkit.playbooks.reputation_monitor.risk import level_name, reason_text, short_level
from smkit.playbooks.reputation_monitor.word_of_mouth import NO_TOPIC
from smkit.viz import escape

ZH = i18n.DEFAULT_LANGUAGE


def _note(text: str) -> Styler:
    return viz.table(pd.DataFrame({"": [text]}), hide_index=True)


# ---------------------------------------------------------------- words and numbers


def _date(day, lang: str) -> str:
    return i18n.date(pd.Timestamp(day).date(), lang)


def _short(day, lang: str) -> str:
    return i18n.date(pd.Timestamp(day).date(), lang, short=True)


def _span(start, end, lang: str) -> tuple[str, str]:
    """Start and end as a reader writes a span: the end without its year when both share it."""
    same_year = pd.Timestamp(start).year == pd.Timestamp(end).year
    return _date(start, lang), (_short(end, lang) if same_year else _date(end, lang))


def _window(result: Result, lang: str) -> str:
    start, end = _span(result.start, result.end, lang)
    return T("window", lang, start=start, end=end)


def _stamp(value, lang: str) -> str:
    ts = pd.Timestamp(value)
    return f"{_short(ts, lang)} {ts:%H:%M}"


def _hours(value: float, lang: str) -> str:
    return T("hours", lang, value=f"{value:.1f}") if value >= 0.05 else T("under_hours", lang)


def _times(value: float, lang: str) -> str:
    return T("times", lang, value=f"{value:.1f}")


def _join(items, lang: str) -> str:
    return T("list_sep", lang).join(items)


def _platforms(codes, lang: str) -> str:
    return _join((escape(i18n.platform(p, lang)) for p in codes), lang)


def badge(severity: int) -> str:
    """A dot in the level's colour (red, orange, yellow, blue) to put before its name."""
    return f"<span style='color:{i18n.LEVEL_COLOURS[severity]}'>●</span>" if severity else ""


def _net(value, lang: str) -> str:
    return T("net_none", lang) if value is None or pd.isna(value) else T("net", lang, value=f"{value:+.2f}")


def _known(value) -> bool:
    return value is not None and not (isinstance(value, float) and np.isnan(value)) and pd.notna(value)


def _tracked(result: Result, alert: Alert) -> dict | None:
    return next((row for a, row in result.responses() if a is alert), None)


def _owners(row: dict | None, lang: str) -> str:
    return _join((escape(o) for o in row["owners"]), lang) if row is not None and row["owners"] else ""


def _status(row: dict, lang: str) -> str:
    if row["status"] == "pending":
        return T("status_pending", lang)
    return T(f"status_{row['status']}", lang)


# ---------------------------------------------------------------- brief


def brief(result: Result, lang: str = ZH) -> str:
    """The report's opening: three to five plain sentences, each with its
    number: what happened (the level with its colour, when, how far above the
    usual day), how it compares (the window's mentions, the replies), and what
    to do now (respond within the plan's hours, who owns it). Markdown, escaped."""
    brand, n = escape(result.brand), result.mentions
    if not n:
        return T("brief_empty", lang, brand=brand, window=_window(result, lang))
    net = _net(result.breakdown["brand"]["net_sentiment"].get(result.brand), lang)
    worst = result.worst_alert
    if worst is None:
        r = result.replies
        replies = (
            T("brief_quiet_replies", lang, negatives=i18n.count(r["negative"], lang), rate=i18n.percent(r["reply_rate"], 0))
            if r["negative"]
            else T("brief_quiet_no_negative", lang)
        )
        return " ".join(
            [T("brief_quiet", lang, window=_window(result, lang), brand=brand, mentions=i18n.count(n, lang), net=net), replies, T("brief_quiet_act", lang)]
        )
    start, end = _span(worst.start, worst.end, lang)
    common = {
        "badge": badge(worst.level),
        "level": level_name(worst.level, lang),
        "brand": brand,
        "start": start,
        "end": end,
        "platforms": _platforms(worst.platforms, lang),
        "negative": i18n.percent(worst.negative_share, 0),
        "usual_share": T("brief_usual_share", lang, share=i18n.percent(worst.baseline_share, 0)) if np.isfinite(worst.baseline_share) else "",
        "keywords": T("brief_keywords", lang, words=_join((escape(k) for k in worst.keywords[:3]), lang)) if worst.keywords else "",
    }
    happened = (
        T("brief_alert", lang, magnitude=_times(worst.magnitude, lang), **common)
        if worst.has_usual_volume
        else T("brief_alert_no_usual", lang, peak=i18n.count(worst.magnitude, lang), **common)
    )
    compare_values = {"window": _window(result, lang), "brand": brand, "mentions": i18n.count(n, lang), "net": net}
    compare = (
        T(
            "brief_compare",
            lang,
            negatives=i18n.count(worst.negatives, lang),
            unanswered=i18n.count(worst.unanswered, lang),
            rate=i18n.percent(worst.reply_rate, 0),
            **compare_values,
        )
        if worst.negatives
        else T("brief_compare_no_negative", lang, **compare_values)
    )
    return " ".join(s for s in (happened, compare, _brief_response(result, worst, lang), _brief_action(result, worst, lang)) if s)


def _limit(row: dict | None) -> float | None:
    return float(row["deadline_hours"]) if row is not None and _known(row["deadline_hours"]) else None


def _brief_response(result: Result, alert: Alert, lang: str) -> str:
    """The worst alert's response so far, in one or two sentences ("" when not tracked)."""
    row = _tracked(result, alert)
    if row is None:
        return ""
    limit = _limit(row)
    level = short_level(alert.level, lang)
    status = T("status_missed_pending", lang) if row["status"] == "missed" else _status(row, lang)
    if not _known(row["response_at"]):
        if limit is None:
            return T("brief_no_response_no_limit", lang)
        return T("brief_no_response", lang, level=level, limit=f"{limit:g}", status=status)
    hours = _hours(float(row["response_hours"]), lang)
    said = (
        T("brief_responded", lang, hours=hours, level=level, limit=f"{limit:g}", status=status)
        if limit is not None
        else T("brief_responded_no_limit", lang, hours=hours)
    )
    if _known(row["recovered_on"]):
        said += " " + T("brief_recovered", lang, days=int(row["recovery_days"]))
    return said


def _brief_action(result: Result, alert: Alert, lang: str) -> str:
    """What to do now: respond within the plan's hours (Ⅱ级 and above) or watch, naming the owner."""
    row = _tracked(result, alert)
    owners = _owners(row, lang)
    owner = T("brief_owner", lang, owners=owners) if owners else ""
    limit = _limit(row)
    within = T("brief_within", lang, hours=f"{limit:g}") if limit is not None else ""
    responded = row is not None and _known(row["response_at"])
    if responded:
        if not alert.unanswered:
            return T("brief_act_done", lang)
        return T("brief_act_followup", lang, owner=owner, unanswered=i18n.count(alert.unanswered, lang))
    if alert.level >= 3:
        return T("brief_act_urgent", lang, owner=owner, within=within)
    if not alert.unanswered:
        return T("brief_act_done", lang)
    return T("brief_act_watch", lang, owner=owner, within=within)


# ---------------------------------------------------------------- section findings and texts


def alerts_finding(result: Result, lang: str = ZH) -> str:
    """The alerts section's one-line finding (Markdown)."""
    worst = result.worst_alert
    if worst is None:
        return no_alert_text(result, lang)
    return T("alerts_finding", lang, n=len(result.alerts), badge=badge(worst.level), level=level_name(worst.level, lang), start=_date(worst.start, lang))


def _reply_text(alert: Alert, lang: str) -> str:
    """Reply rate, and the median reply time labelled as over answered mentions only."""
    if not alert.negatives:
        return T("no_negative", lang)
    rate = i18n.percent(alert.reply_rate, 0)
    if alert.median_reply_hours is None:
        return T("reply_none_yet", lang, rate=rate)
    return T("reply_median", lang, rate=rate, hours=f"{alert.median_reply_hours:.1f}")


def alert_text(alert: Alert, lang: str = ZH) -> str:
    """One alert's keywords, platforms and replies (Markdown, escaped)."""
    start, end = _span(alert.start, alert.end, lang)
    return T(
        "alert_text",
        lang,
        start=start,
        end=end,
        badge=badge(alert.level),
        level=level_name(alert.level, lang),
        words=_join((escape(k) for k in alert.keywords), lang) or T("no_words", lang),
        platforms=_platforms(alert.platforms, lang),
        negatives=i18n.count(alert.negatives, lang),
        unanswered=i18n.count(alert.unanswered, lang),
        replies=_reply_text(alert, lang),
        why=T("reason_sep", lang).join(reason_text(r, lang) for r in alert.reasons),
    )


def response_text(result: Result, alert: Alert, lang: str = ZH) -> str:
    """The response to one alert (Markdown, escaped): when it was raised, the
    first official response and how long it took, the response plan's deadline
    met or missed, the owners, and the negative share's recovery to baseline."""
    row = _tracked(result, alert)
    if row is None:
        return T("resp_not_tracked", lang)
    limit = _limit(row)
    deadline = (
        T("resp_deadline", lang, level=short_level(alert.level, lang), hours=f"{limit:g}", status=_status(row, lang))
        if limit is not None
        else T("resp_no_deadline", lang)
    )
    at = pd.Timestamp(row["raised_at"])
    raised = T("resp_raised_day", lang, day=_date(at, lang)) if at == at.normalize() else T("resp_raised_at", lang, at=_stamp(at, lang))
    responded = _known(row["response_at"])
    if not responded:
        answered = T("resp_none", lang)
    else:
        kind = T("kind_reply", lang) if row["response_kind"] == "reply" else T("kind_post", lang, platforms=_platforms(alert.platforms, lang))
        answered = T("resp_first", lang, kind=kind, at=_stamp(row["response_at"], lang), hours=_hours(float(row["response_hours"]), lang))
    usual = i18n.percent(alert.baseline_share, 0) if np.isfinite(alert.baseline_share) else T("usual_share_unknown", lang)
    back = {"window": RECOVERY_WINDOW_DAYS, "points": f"{RECOVERY_TOLERANCE * 100:.0f}", "usual": usual}
    if _known(row["recovered_on"]):
        recovered = T("resp_recovered", lang, day=_date(row["recovered_on"], lang), days=int(row["recovery_days"]), **back)
    elif not responded:
        recovered = T("resp_recovery_wait", lang)
    else:
        recovered = T("resp_not_recovered", lang, **back)
    owner = T("resp_owner", lang, owners=_owners(row, lang) or T("no_owner", lang))
    return T("response_text", lang, raised=raised, answered=answered, deadline=deadline, owner=owner, recovered=recovered)


def response_finding(result: Result, lang: str = ZH) -> str:
    """The response section's one-line finding: alerts answered in time, late, still open."""
    if not result.has_tracking:
        return no_alert_text(result, lang)
    status = result.tracking["status"].value_counts()
    return T("response_finding", lang, n=len(result.alerts), **{k: int(status.get(k, 0)) for k in ("met", "missed", "pending")})


def response_table(result: Result, lang: str = ZH) -> Styler:
    """One row per alert: raised at, first official response, hours, deadline met or missed, owners and recovery."""
    if not result.has_tracking:
        return _note(no_alert_text(result, lang))
    rows = []
    for alert, row in result.responses():
        responded, recovered = _known(row["response_at"]), _known(row["recovered_on"])
        kind = T(f"kind_{row['response_kind']}_short", lang) if responded else ""
        rows.append(
            {
                T("col_alert", lang): _date(alert.start, lang),
                T("col_level", lang): level_name(alert.level, lang),
                T("col_owners", lang): _join(row["owners"], lang) or "–",
                T("col_raised", lang): _stamp(row["raised_at"], lang),
                T("col_first_response", lang): T("first_response_cell", lang, at=_stamp(row["response_at"], lang), kind=kind)
                if responded
                else T("none_yet", lang),
                T("col_hours", lang): float(row["response_hours"]) if responded else None,
                T("col_deadline_hours", lang): _limit(row),
                T("col_deadline", lang): _status(row, lang),
                T("col_back", lang): T("back_on", lang, day=_short(row["recovered_on"], lang), days=int(row["recovery_days"]))
                if recovered
                else T("not_yet", lang),
            }
        )
    frame = pd.DataFrame(rows).set_index(T("col_alert", lang))
    return viz.table(frame, {T("col_hours", lang): "{:.1f}", T("col_deadline_hours", lang): "{:g}"})


def no_alert_text(result: Result, lang: str = ZH) -> str:
    """What the alert sections say when the window has no alert."""
    return T("no_alert", lang, window=_window(result, lang))


def no_topic_text(result: Result, lang: str = ZH) -> str:
    """What the topic section says when the export carries no topic."""
    return T("no_topic", lang)


def all_answered_text(result: Result, lang: str = ZH) -> str:
    """What the unanswered list says when nothing is left unanswered."""
    return T("all_answered", lang)


def scoring_note(result: Result, lang: str = ZH) -> str:
    """How the mentions got their sentiment: the export's scores, scores kept from earlier runs, texts scored in this run."""
    s = result.scoring
    if s is None:
        return ""
    return T("scoring_note", lang, exported=i18n.count(s.exported, lang), cached=i18n.count(s.cached, lang), scored=i18n.count(s.scored, lang))


def replies_text(result: Result, lang: str = ZH) -> str:
    """The replies section's finding: reply rate and time over the window's negative mentions (Markdown)."""
    r = result.replies
    if not r["negative"]:
        return T("replies_none", lang)
    speed = "" if r["median_reply_hours"] is None else T("replies_speed", lang, median=f"{r['median_reply_hours']:.1f}", p90=f"{r['p90_reply_hours']:.1f}")
    return T(
        "replies_text",
        lang,
        answered=i18n.count(r["answered"], lang),
        negative=i18n.count(r["negative"], lang),
        rate=i18n.percent(r["reply_rate"], 0),
        speed=speed,
        open=i18n.count(r.get("unanswered_count", len(r["unanswered"])), lang),
    )


def word_of_mouth_finding(result: Result, lang: str = ZH) -> str:
    """The word-of-mouth section's one-line finding: our net sentiment, its rank among the brands, our most negative platform."""
    brands = result.breakdown["brand"]
    if brands.empty or result.brand not in brands.index:
        return T("wom_finding_empty", lang)
    net = brands["net_sentiment"]
    ours = net.get(result.brand)
    by_platform = result.breakdown["platform"]
    platform = ""
    if len(by_platform) > 1:
        worst = by_platform["negative_share"].idxmax()
        platform = T("wom_platform", lang, platform=escape(i18n.platform(worst, lang)), share=i18n.percent(by_platform.loc[worst, "negative_share"], 0))
    ranked = net.dropna().sort_values(ascending=False)
    if len(ranked) < 2 or result.brand not in ranked.index:
        return T("wom_finding_alone", lang, brand=escape(result.brand), net=_signed(ours), platform=platform)
    return T(
        "wom_finding",
        lang,
        brand=escape(result.brand),
        net=_signed(ours),
        n=len(ranked),
        rank=list(ranked.index).index(result.brand) + 1,
        best=escape(ranked.index[0]),
        best_net=_signed(ranked.iloc[0]),
        platform=platform,
    )


def _signed(value) -> str:
    return "–" if value is None or pd.isna(value) else f"{value:+.2f}"


# ---------------------------------------------------------------- tables


def alerts_table(result: Result, lang: str = ZH) -> Styler:
    """One row per alert: days, level, what raised it and the factors (why this level: :func:`alert_text`)."""
    if not result.has_alerts:
        return _note(no_alert_text(result, lang))
    c = {key: T(f"col_{key}", lang) for key in ("start", "end", "level", "raised_by", "mentions", "peak", "negative", "usual_negative", "reach", "platforms")}
    rows = [
        {
            c["start"]: _date(a.start, lang),
            c["end"]: _date(a.end, lang),
            c["level"]: level_name(a.level, lang),
            c["raised_by"]: T(f"metric_{a.metric}", lang),
            c["mentions"]: a.mentions,
            c["peak"]: _times(a.magnitude, lang) if a.has_usual_volume else T("no_usual_volume", lang),
            c["negative"]: a.negative_share,
            c["usual_negative"]: a.baseline_share if np.isfinite(a.baseline_share) else None,
            c["reach"]: a.reach,
            c["platforms"]: _join((i18n.platform(p, lang) for p in a.platforms), lang),
        }
        for a in result.alerts
    ]
    count = lambda v: i18n.count(v, lang)  # noqa: E731
    formats = {c["mentions"]: count, c["negative"]: "{:.0%}", c["usual_negative"]: "{:.0%}", c["reach"]: count}
    caption = T("alerts_caption", lang, min_factors=result.thresholds.min_factors)
    return viz.table(pd.DataFrame(rows).set_index(c["start"]), formats, caption=caption)


def _post_columns(lang: str) -> dict[str, str]:
    return {
        "published_at": T("col_published", lang),
        "platform": T("col_platform", lang),
        "author": T("col_author", lang),
        "followers": T("col_followers", lang),
        "text": T("col_text", lang),
        "replied_after_hours": T("col_reply_after", lang),
    }


def top_negative_table(alert: Alert, lang: str = ZH) -> Styler:
    """The alert's negative mentions with the most followers behind them (as written, escaped)."""
    if alert.top_negative.empty:
        return _note(T("top_none", lang))
    shown = alert.top_negative.assign(
        published_at=[_stamp(t, lang) for t in alert.top_negative["published_at"]],
        platform=[i18n.platform(p, lang) for p in alert.top_negative["platform"]],
    ).rename(columns=_post_columns(lang))
    after = T("col_reply_after", lang)
    styled = viz.table(shown, {T("col_followers", lang): lambda v: i18n.count(v, lang)}, hide_index=True, caption=T("top_caption", lang))
    return styled.format("{:.1f}", subset=[after], na_rep=T("unanswered", lang))


def breakdown_table(result: Result, lang: str = ZH, by: str = "brand") -> Styler:
    """Word of mouth by ``brand``, ``platform`` or ``topic``: mentions, shares and net sentiment."""
    if by == "topic" and not result.has_topics:
        return _note(no_topic_text(result, lang))
    frame = result.breakdown[by].copy()
    if by == "platform":
        frame.index = [i18n.platform(p, lang) for p in frame.index]
    elif by == "topic":
        frame.index = [T("no_topic_label", lang) if t == NO_TOPIC else T(f"topic_{t}", lang) if T.has(f"topic_{t}") else t for t in frame.index]
    frame.index.name = T(f"col_{by}", lang)
    names = {
        "mentions": T("col_mentions", lang),
        "positive_share": T("col_positive", lang),
        "neutral_share": T("col_neutral", lang),
        "negative_share": T("col_negative", lang),
        "net_sentiment": T("col_net", lang),
    }
    shares = {names[k]: "{:.0%}" for k in ("positive_share", "neutral_share", "negative_share")}
    formats = {names["mentions"]: lambda v: i18n.count(v, lang), names["net_sentiment"]: "{:+.2f}", **shares}
    return viz.table(frame.rename(columns=names), formats)


def earned_owned_table(result: Result, lang: str = ZH) -> Styler:
    """Earned mentions against the brand's own replies, with their engagement."""
    frame = result.breakdown["earned_owned"].copy()
    frame.index = [T(source, lang) for source in frame.index]
    names = {"mentions": T("col_mentions", lang), "engagement": T("col_engagement", lang), "engagement_per_mention": T("col_engagement_per", lang)}
    count = lambda v: i18n.count(v, lang)  # noqa: E731
    return viz.table(frame.rename(columns=names), {names["mentions"]: count, names["engagement"]: count, names["engagement_per_mention"]: "{:.1f}"})


def unanswered_table(result: Result, lang: str = ZH, top: int = 10) -> Styler:
    """The window's unanswered negative mentions with the most followers (as written, escaped)."""
    u = result.replies["unanswered"].head(top)
    if u.empty:
        return _note(all_answered_text(result, lang))
    columns = _post_columns(lang)
    shown = pd.DataFrame(
        {
            columns["published_at"]: [_stamp(t, lang) for t in u["published_at"]],
            columns["platform"]: [i18n.platform(p, lang) for p in u["platform"]],
            columns["author"]: u["author"].to_numpy(),
            columns["followers"]: u["author_followers"].to_numpy(),
            columns["text"]: u["text"].to_numpy(),
        }
    )
    caption = T("unanswered_caption", lang, n=len(u))
    return viz.table(shown, {columns["followers"]: lambda v: i18n.count(v, lang)}, hide_index=True, caption=caption)


# ---------------------------------------------------------------- figure


def monitor_figure(result: Result, lang: str = ZH, days: int = 120) -> Figure:
    """Daily mentions against the usual day with alerts shaded in their level's
    colour, and the negative share against its usual share."""
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    d = result.daily.tail(days)
    fig, (ax1, ax2) = plt.subplots(2, 1, figsize=(8, 5), sharex=True)
    ax1.plot(d.index, d["mentions"], label=T("fig_mentions", lang))
    ax1.plot(d.index, d["baseline"], linestyle="--", label=T("fig_usual", lang))
    for a in result.alerts:
        for ax in (ax1, ax2):
            ax.axvspan(pd.Timestamp(a.start), pd.Timestamp(a.end) + pd.Timedelta(hours=23), color=i18n.LEVEL_COLOURS[a.level], alpha=0.25, linewidth=0)
    handles, labels = ax1.get_legend_handles_labels()
    if result.alerts:
        handles.append(Patch(color=i18n.LEVEL_COLOURS[result.alert_level], alpha=0.25))
        labels.append(T("fig_alert", lang))
    ax1.set_ylabel(T("fig_mentions_axis", lang))
    i18n.count_axis(ax1, lang)
    ax1.legend(handles, labels, loc="upper left", fontsize="small")
    ax1.set_title(T("fig_title", lang, brand=result.brand))
    ax2.plot(d.index, d["negative_share"] * 100, color="#C4474D", label=T("fig_negative", lang))
    ax2.plot(d.index, d["baseline_share"] * 100, linestyle="--", color="#6F7A86", label=T("fig_usual_negative", lang))
    ax2.set_ylabel(T("fig_negative_axis", lang))
    ax2.legend(loc="upper left", fontsize="small")
    i18n.date_axis(ax2, lang)
    fig.autofmt_xdate()
    plt.close(fig)
    return fig
