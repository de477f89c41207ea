"""Pacing alerts to the response plan's channels.

A ``campaign_pacing`` run lists in its summary.json (``pacing_alerts``) every
target whose chance of being met fell below the run's ``chance_alert``. Each
run that has any sends one message, in each channel's own format, to the
channels of the plan's mildest route (a campaign behind its plan is an
operational matter, not a crisis: it goes where the plan's Ⅳ-level or lowest
alerts go). A morning schedule therefore reminds the team once a day for as
long as a target stays at risk. URLs and secrets are handled by
:func:`smkit.run.channels.deliver` as for the monitor's alerts.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from pathlib import Path

from smkit import i18n
from smkit.run.alert_message import Message
from smkit.run.channels import deliver
from smkit.run.messages import PACING
from smkit.run.response_plan import Channel, ResponsePlan


def _metric(code: str, lang: str) -> str:
    return PACING(f"metric_{code}", lang) if PACING.has(f"metric_{code}") else code


def pacing_message(summary: Mapping, report: str, severity: int, lang: str = "zh") -> Message:
    """The alert as words: one line per target at risk, the day and the report."""
    metrics = summary.get("metrics") or {}
    lines = []
    for alert in summary.get("pacing_alerts") or []:
        figures = metrics.get(alert["metric"]) or {}
        lines.append(
            PACING(
                "line",
                lang,
                metric=_metric(alert["metric"], lang),
                chance=i18n.percent(float(alert["chance_to_meet"]), decimals=0),
                target=i18n.count(round(float(alert["target"])), lang),
                projected=i18n.count(round(float(figures.get("projected") or 0)), lang),
            )
        )
    lines.append(PACING("footer", lang, elapsed=summary.get("days_elapsed"), total=summary.get("days_total"), day=summary.get("day"), report=report))
    facts = {
        "event": "pacing",
        "campaign_id": summary.get("campaign_id"),
        "day": summary.get("day"),
        "alerts": list(summary.get("pacing_alerts") or []),
    }
    return Message("pacing", severity, PACING("title", lang, campaign=summary.get("campaign_id")), tuple(lines), facts, lang)


def send_pacing(
    summary: Mapping,
    report_path: str | Path,
    report: str,
    plan: ResponsePlan,
    *,
    lang: str = "zh",
    environ: Mapping[str, str] | None = None,
    sleep=time.sleep,
) -> tuple[int, list[tuple[Channel, int, str | None]]]:
    """Send a pacing run's alerts (``report`` is the report as the message
    names it): the severity used and, per channel, ``(channel, attempts,
    None or the reason it failed)``. :func:`smkit.run.notify.notify_folder`
    turns these into its outcome."""
    alerts = summary.get("pacing_alerts") or []
    if not alerts or not plan.routes:
        return 0, []
    severity = min(route.severity for route in plan.routes)
    message = pacing_message(summary, report, severity, i18n.check_language(lang))
    environ = os.environ if environ is None else environ
    out = []
    for channel in plan.channels_for(severity):
        attempts, reason = deliver(channel, message, plan, environ, Path(report_path), sleep)
        out.append((channel, attempts, reason))
    return severity, out
