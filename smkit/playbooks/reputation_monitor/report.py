"""The monitor's report: the incident brief, tables and the figure (presentation only).

Text functions return Markdown with user text escaped; tables are
:func:`smkit.viz.table` Stylers; the figure is a matplotlib Figure.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from pandas.io.formats.style import Styler

from smkit import i18n, viz
from smkit.methods.response import RECOVERY_TOLERANCE, RECOVERY_WINDOW_DAYS
from smkit.playbooks.reputation_monitor.alerts import Alert
from smkit.playbooks.reputation_monitor.result import Result
from smkit.playbooks.reputation_monitor.risk import LEVEL_NAMES
from smkit.viz import escape

SHARE_COLUMNS = {"positive_share": "positive", "neutral_share": "neutral", "negative_share": "negative", "net_sentiment": "net sentiment"}
SHARE_FORMATS = {"mentions": "{:,.0f}", "positive": "{:.0%}", "neutral": "{:.0%}", "negative": "{:.0%}", "net sentiment": "{:+.2f}"}


def _note(text: str) -> Styler:
    return viz.table(pd.DataFrame({"note": [text]}), hide_index=True)


# ---------------------------------------------------------------- text


def brief(result: Result) -> str:
    """The report's opening paragraph, written from the numbers (Markdown, escaped)."""
    window = f"{result.start:%Y-%m-%d} to {result.end:%Y-%m-%d}"
    n = result.mentions
    net = result.breakdown["brand"]["net_sentiment"].get(result.brand)
    net_text = "no polar mentions" if net is None or pd.isna(net) else f"net sentiment {net:+.2f}"
    head = f"**{escape(result.brand)}, {window}:** " + (f"{n:,} mentions, {net_text}. " if n else f"no mentions in {window}. ")
    worst = result.worst_alert
    if worst is None:
        return head + (
            "**No alert**: mention volume and the negative share stayed within their usual range."
            if n
            else "**No alert**: nothing to measure; check that the window has data (`start`, `end`) and the brand's name (`brand`)."
        )
    peak = (
        f"{worst.magnitude:.1f}x the usual daily volume at the peak"
        if worst.has_usual_volume
        else f"no usual volume before it ({worst.magnitude:.0f} mentions on the busiest day)"
    )
    usual_share = "" if not np.isfinite(worst.baseline_share) else f" (usually {worst.baseline_share:.0%})"
    keywords = f", about {escape('、'.join(worst.keywords[:4]))}" if worst.keywords else ""
    action = (
        "Respond now: acknowledge publicly and reply to the unanswered negatives with the most followers first."
        if worst.level >= 3
        else "Watch closely and answer the open negatives."
    )
    return (
        head + f"**Highest risk level {LEVEL_NAMES[worst.level]}**, from {worst.start:%Y-%m-%d} to {worst.end:%Y-%m-%d}: "
        f"{worst.mentions:,} mentions, {peak}, {worst.negative_share:.0%} negative{usual_share}, "
        f"mostly on {escape(', '.join(worst.platforms))}{keywords}. "
        f"{worst.unanswered:,} of {worst.negatives:,} negative mentions are unanswered ({_reply_text(worst)}). {action}" + _brief_response(result, worst)
    )


def _brief_response(result: Result, alert: Alert) -> str:
    """The worst alert's response in one sentence for the brief ("" when not tracked)."""
    row = _tracked(result, alert)
    if row is None:
        return ""
    owners = "、".join(escape(o) for o in row["owners"]) or "no owner in the team table"
    limit = row["deadline_hours"]
    deadline = f"the {limit:g}-hour deadline" if limit is not None and pd.notna(limit) else "no deadline"
    if row["response_at"] is None or pd.isna(row["response_at"]):
        return f" No official response yet ({deadline}: {row['status']}; owner {owners})."
    return f" First official response after {_hours(float(row['response_hours']))} ({deadline}: {row['status']}; owner {owners})."


def _reply_text(alert: Alert) -> str:
    """Reply rate, and the median reply time labelled as over answered mentions only."""
    if not alert.negatives:
        return "no negative mention"
    rate = f"{alert.reply_rate:.0%} answered"
    if alert.median_reply_hours is None:
        return f"{rate}; no brand reply yet"
    return f"{rate}; median first reply, answered mentions: {alert.median_reply_hours:.1f} hours"


def alert_text(alert: Alert) -> str:
    """One alert's keywords, platforms and replies (Markdown, escaped)."""
    words = "、".join(escape(k) for k in alert.keywords) or "none stood out"
    return (
        f"**{alert.start:%Y-%m-%d} to {alert.end:%Y-%m-%d}, level {LEVEL_NAMES[alert.level]}.** Emerging words: {words}. "
        f"Platforms: {escape(', '.join(alert.platforms))}. "
        f"Negative mentions: {alert.negatives:,}, of which {alert.unanswered:,} unanswered ({_reply_text(alert)})."
    )


def _stamp(value) -> str:
    return f"{pd.Timestamp(value):%Y-%m-%d %H:%M}"


def _hours(value: float) -> str:
    return f"{value:.1f} hours" if value >= 0.05 else "under 0.1 hours"


def _tracked(result: Result, alert: Alert) -> dict | None:
    return next((row for a, row in result.responses() if a is alert), None)


def response_text(result: Result, alert: Alert) -> str:
    """The response to one alert (Markdown, escaped): when it was raised, the
    first official response and how long it took, the response plan's deadline
    met or missed, the owners, and the negative share's recovery to baseline."""
    row = _tracked(result, alert)
    if row is None:
        return "**Response.** Not tracked for this alert."
    plan_level = f"{i18n.LEVEL_NUMERALS[alert.level]}级"
    deadline = row["deadline_hours"]
    deadline_text = f"the response plan's {plan_level} deadline of {deadline:g} hours" if deadline is not None and pd.notna(deadline) else "no deadline"
    owners = "、".join(escape(o) for o in row["owners"]) or "no owner in the team table"
    at = pd.Timestamp(row["raised_at"])
    raised = (
        f"Raised at the start of {at:%Y-%m-%d} (the day never passed a usual day's mentions)."
        if at == at.normalize()
        else f"Raised {_stamp(at)}, when the day passed a usual day's mentions."
    )
    if row["response_at"] is None or pd.isna(row["response_at"]):
        answered = "No official response yet (no brand reply to a mention of the alert, no brand post on its platforms)"
    else:
        kind = "a brand reply" if row["response_kind"] == "reply" else f"a brand post on {escape(', '.join(alert.platforms) or 'its platforms')}"
        answered = f"First official response: {kind} at {_stamp(row['response_at'])}, {_hours(float(row['response_hours']))} after"
    status = {"met": "**met**", "missed": "**missed**", "pending": "still open"}[row["status"]]
    usual = f"its usual {alert.baseline_share:.0%}" if np.isfinite(alert.baseline_share) else "its usual share"
    share = f"The negative share (over {RECOVERY_WINDOW_DAYS} days)"
    back = f"within {RECOVERY_TOLERANCE * 100:.0f} points of {usual}"
    if row["recovered_on"] is not None and pd.notna(row["recovered_on"]):
        days = int(row["recovery_days"])
        recovered = f"{share} was back {back} on {row['recovered_on']:%Y-%m-%d}, {days} day{'s' if days != 1 else ''} after the response."
    elif row["response_at"] is None or pd.isna(row["response_at"]):
        recovered = "Recovery is counted from the response, so not yet."
    else:
        recovered = f"{share} is not yet back {back}."
    return f"**Response.** {raised} {answered}; {deadline_text}: {status}. Owner: {owners}. {recovered}"


def response_table(result: Result) -> Styler:
    """One row per alert: raised at, first official response, hours, deadline met or missed, owners and recovery."""
    if not result.has_tracking:
        return _note(no_alert_text(result))
    rows = []
    for alert, row in result.responses():
        responded = row["response_at"] is not None and pd.notna(row["response_at"])
        recovered = row["recovered_on"] is not None and pd.notna(row["recovered_on"])
        rows.append(
            {
                "alert": f"{alert.start:%Y-%m-%d}",
                "level": LEVEL_NAMES[alert.level],
                "owners": "、".join(row["owners"]) or "–",
                "raised": _stamp(row["raised_at"]),
                "first response": f"{_stamp(row['response_at'])} ({row['response_kind']})" if responded else "none yet",
                "hours": f"{float(row['response_hours']):.1f}" if responded else "–",
                "deadline (hours)": f"{row['deadline_hours']:g}" if row["deadline_hours"] is not None and pd.notna(row["deadline_hours"]) else "–",
                "deadline": row["status"],
                "back to baseline": f"{row['recovered_on']:%Y-%m-%d} ({int(row['recovery_days'])} days)" if recovered else "not yet",
            }
        )
    return viz.table(pd.DataFrame(rows).set_index("alert"))


def no_alert_text(result: Result) -> str:
    """What the alert sections say when the window has no alert."""
    return f"No alert from {result.start:%Y-%m-%d} to {result.end:%Y-%m-%d}, so nothing to detail."


def no_topic_text(result: Result) -> str:
    """What the topic section says when the export carries no topic."""
    return "The mentions carry no topic (话题); what people talk about shows in each alert's emerging words."


def all_answered_text(result: Result) -> str:
    """What the unanswered list says when nothing is left unanswered."""
    return "Every negative mention in the window has a brand reply."


def replies_text(result: Result) -> str:
    """Reply rate and time over the window's negative mentions (Markdown)."""
    r = result.replies
    if not r["negative"]:
        return "No negative mention of the brand in the window, so nothing waited for a reply."
    speed = (
        ""
        if r["median_reply_hours"] is None
        else f"; median first reply, answered mentions: {r['median_reply_hours']:.1f} hours (90% of answered within {r['p90_reply_hours']:.1f})"
    )
    return (
        f"{r['answered']:,} of {r['negative']:,} negative mentions in the window were answered ({r['reply_rate']:.0%}){speed}. "
        f"{len(r['unanswered']):,} are still unanswered; those with the most followers first:"
    )


# ---------------------------------------------------------------- tables


def alerts_table(result: Result) -> Styler:
    """One row per alert: days, level, what raised it, the factors and why this level."""
    if not result.has_alerts:
        return _note(no_alert_text(result))
    rows = [
        {
            "start": f"{a.start:%Y-%m-%d}",
            "end": f"{a.end:%Y-%m-%d}",
            "level": LEVEL_NAMES[a.level],
            "raised by": a.metric.replace("_", " "),
            "mentions": a.mentions,
            "peak vs usual": f"{a.magnitude:.1f}x" if a.has_usual_volume else "no usual volume",
            "negative": a.negative_share,
            "usual negative": a.baseline_share,
            "reach": a.reach,
            "platforms": ", ".join(a.platforms),
            "why this level": "; ".join(a.reasons),
        }
        for a in result.alerts
    ]
    formats = {"mentions": "{:,.0f}", "negative": "{:.0%}", "usual negative": "{:.0%}", "reach": "{:,.0f}"}
    return viz.table(pd.DataFrame(rows).set_index("start"), formats)


def top_negative_table(alert: Alert) -> Styler:
    """The alert's negative mentions with the most followers behind them (as written, escaped)."""
    if alert.top_negative.empty:
        return _note("no negative mention in this alert")
    shown = alert.top_negative.rename(columns={"published_at": "published", "replied_after_hours": "reply after (hours)"})
    return viz.table(shown, {"followers": "{:,.0f}"}, hide_index=True).format("{:.1f}", subset=["reply after (hours)"], na_rep="unanswered")


def breakdown_table(result: Result, by: str = "brand") -> Styler:
    """Word of mouth by ``brand``, ``platform`` or ``topic``: mentions, shares and net sentiment."""
    if by == "topic" and not result.has_topics:
        return _note(no_topic_text(result))
    return viz.table(result.breakdown[by].rename(columns=SHARE_COLUMNS), SHARE_FORMATS)


def earned_owned_table(result: Result) -> Styler:
    """Earned mentions against the brand's own replies, with their engagement."""
    shown = result.breakdown["earned_owned"].rename(columns={"engagement_per_mention": "engagement per mention"})
    shown.index.name = None
    return viz.table(shown, {"mentions": "{:,.0f}", "engagement": "{:,.0f}", "engagement per mention": "{:.1f}"})


def unanswered_table(result: Result, top: int = 10) -> Styler:
    """The window's unanswered negative mentions with the most followers (as written, escaped)."""
    u = result.replies["unanswered"].head(top)
    if u.empty:
        return _note(all_answered_text(result))
    shown = pd.DataFrame(
        {
            "published": u["published_at"].dt.strftime("%Y-%m-%d %H:%M"),
            "platform": u["platform"],
            "author": u["author"],
            "followers": u["author_followers"],
            "text": u["text"],
        }
    )
    return viz.table(shown, {"followers": "{:,.0f}"}, hide_index=True)


# ---------------------------------------------------------------- figure


def monitor_figure(result: Result, days: int = 120) -> Figure:
    """Daily mentions against baseline with alerts shaded, and the negative share with its CUSUM baseline."""
    import matplotlib.pyplot as plt

    d = result.daily.tail(days)
    fig, (ax1, ax2) = plt.subplots(2, 1, figsize=(8, 5), sharex=True)
    ax1.plot(d.index, d["mentions"], label="mentions 提及量")
    ax1.plot(d.index, d["baseline"], linestyle="--", label="usual (same weekday) 基线")
    for a in result.alerts:
        ax1.axvspan(pd.Timestamp(a.start), pd.Timestamp(a.end) + pd.Timedelta(hours=23), color="#C4474D", alpha=0.2)
    ax1.set_ylabel("mentions per day")
    ax1.legend(loc="upper left", fontsize="small")
    ax1.set_title(f"{result.brand}: volume and negative share · 声量与负面占比")
    ax2.plot(d.index, d["negative_share"] * 100, color="#C4474D", label="negative share 负面占比")
    ax2.plot(d.index, d["baseline_share"] * 100, linestyle="--", color="#6F7A86", label="usual 基线")
    ax2.set_ylabel("negative, %")
    ax2.legend(loc="upper left", fontsize="small")
    fig.autofmt_xdate()
    plt.close(fig)
    return fig
