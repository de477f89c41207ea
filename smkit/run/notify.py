"""Alerts to the team's chat and mail, each once, with escalations and reminders.

:func:`notify_run` takes what the reputation monitor writes (``summary.json``
and the alerts of ``alerts.json``), a :class:`~smkit.run.response_plan.ResponsePlan`
and the ``team`` table, and sends every alert at or above a route's level to
the route's channels in each platform's own format:

- WeCom (企业微信) group robot: ``{"msgtype": "markdown", "markdown": {"content": ...}}``;
- DingTalk (钉钉) custom robot: markdown with ``title`` and ``text``; with a
  secret, ``timestamp`` (ms) and ``sign`` in the query, ``sign`` the URL-encoded
  base64 of HmacSHA256 keyed by the secret over ``"{timestamp}\\n{secret}"``;
- Feishu/Lark (飞书) custom bot: ``msg_type`` text, post or interactive (a card
  coloured by level); with a secret, ``timestamp`` (s) and ``sign`` in the body,
  the base64 of HmacSHA256 keyed by ``"{timestamp}\\n{secret}"`` over nothing;
- email over SMTP, the report attached (or its path or link when not);
- a plain webhook: the alert's facts as JSON (with a secret, an
  ``X-Smkit-Signature`` header: hex HmacSHA256 of ``"{timestamp}\\n{body}"``).

**Once.** The delivery state is a JSON file beside the reports
(``reports/.notifications.json``, written atomically under a lock). An alert
(brand and first day) goes once to each channel; a later run sends again only
when its level rises (an escalation, to the channels of the new level) or its
deadline passed with no official response (a reminder naming the owners, at
most ``max_reminders`` times, one deadline apart). A channel that failed is
tried again on the next run.

**Failures.** Network errors, timeouts, HTTP 5xx and 429 are retried
``retries`` times with doubling back-off; an HTTP 4xx or a robot's refusal
(bad signature, bad keyword) is not. What still failed is returned in
:attr:`NotifyOutcome.failed`: the run writes it to the manifest and the
terminal and exits :data:`EXIT_NOTIFY_FAILED`.

**Secrets.** URLs and secrets are read from the environment at send time and
appear in no returned object, repr, log line, state file or message: every
error text is built here and scrubbed of them.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import tempfile
import time
import urllib.parse
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from smkit import i18n
from smkit.data.store import DEFAULT_TZ
from smkit.run.alert_message import Message, build_message, fill_statement
from smkit.run.channels import deliver, dingtalk_payload, dingtalk_sign, feishu_payload, feishu_sign, webhook_payload, webhook_signature, wecom_payload
from smkit.run.response_plan import ResponsePlan

__all__ = [
    "EXIT_NOTIFY_FAILED",
    "Delivery",
    "Failure",
    "Message",
    "NotifyOutcome",
    "alert_key",
    "build_message",
    "dingtalk_payload",
    "dingtalk_sign",
    "feishu_payload",
    "feishu_sign",
    "fill_statement",
    "load_state",
    "notify_folder",
    "notify_run",
    "save_state",
    "webhook_payload",
    "webhook_signature",
    "wecom_payload",
]

log = logging.getLogger(__name__)

EXIT_NOTIFY_FAILED = 4  # smkit run / schedule: a notification could not be delivered (3, an alert level met, wins over it; it wins over 1)
STATE_FILE = ".notifications.json"


# ---------------------------------------------------------------- what is returned


@dataclass(frozen=True)
class Delivery:
    """One message delivered to one channel (names only: no address, no secret)."""

    channel: str
    type: str
    event: str
    brand: str
    start: str
    level: int
    attempts: int


@dataclass(frozen=True)
class Failure:
    """One message that could not be delivered, with a reason safe to print."""

    channel: str
    type: str
    event: str
    brand: str
    start: str
    level: int
    attempts: int
    reason: str

    def line(self) -> str:
        tries = f"{self.attempts} attempt{'s' if self.attempts != 1 else ''}"
        return f"notification to {self.channel} ({self.type}) failed after {tries}: {self.reason} [{self.brand} {self.start}, {self.event}]"


@dataclass(frozen=True)
class NotifyOutcome:
    sent: tuple[Delivery, ...] = ()
    failed: tuple[Failure, ...] = ()
    unchanged: int = 0  # alerts already notified with nothing new to say
    below_routes: int = 0  # alerts below every route's level
    state_path: str = ""

    @property
    def exit_code(self) -> int:
        return EXIT_NOTIFY_FAILED if self.failed else 0

    def to_manifest(self) -> dict:
        """What the run's manifest records under ``notifications``."""
        return {
            "sent": [asdict(d) for d in self.sent],
            "failed": [asdict(f) for f in self.failed],
            "unchanged": self.unchanged,
            "below_routes": self.below_routes,
        }

    def lines(self) -> list[str]:
        """For the terminal: one line per failure, and a count of what was sent."""
        out = [f"smkit: {f.line()}" for f in self.failed]
        if self.sent:
            out.append(f"smkit: {len(self.sent)} notification(s) sent: " + ", ".join(f"{d.event} to {d.channel}" for d in self.sent))
        return out


# ---------------------------------------------------------------- delivery state


def alert_key(brand: str, alert: Mapping) -> str:
    """The identity of an alert across runs: the brand and its first day. The
    metric is not part of it: an hourly re-run that adds the negative-share
    detector to a volume alert of the same day is the same incident."""
    return f"{brand}|{str(alert['start'])[:10]}"


def load_state(path: Path) -> dict:
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {"version": 1, "alerts": {}}
    except (OSError, ValueError):
        bad = path.with_name(path.name + ".unreadable")
        with contextlib.suppress(OSError):
            path.replace(bad)
        log.warning("notification state %s was unreadable; kept as %s and started afresh", path.name, bad.name)
        return {"version": 1, "alerts": {}}
    return state if isinstance(state, dict) and isinstance(state.get("alerts"), dict) else {"version": 1, "alerts": {}}


def save_state(path: Path, state: dict) -> None:
    """Write ``state`` atomically (a temporary file in the same folder, then a rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(state, handle, ensure_ascii=False, indent=2)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


@contextlib.contextmanager
def _locked(path: Path):
    """An exclusive lock beside the state file, so parallel runs (--jobs) do not lose each other's updates."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # Windows: runs of one schedule are then best not notified in parallel
        yield
        return
    with open(path.with_name(path.name + ".lock"), "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _answered(alert: Mapping) -> bool:
    """Whether the brand has responded: the monitor's response tracking
    (``response.first_response_at``) when alerts.json carries it, else any
    brand reply to the alert's negative mentions."""
    response = alert.get("response")
    if isinstance(response, Mapping):
        return bool(response.get("first_response_at"))
    negatives, unanswered = alert.get("negative_mentions"), alert.get("unanswered_negative")
    return isinstance(negatives, int) and isinstance(unanswered, int) and unanswered < negatives


# ---------------------------------------------------------------- the run


def report_reference(report_path: str | Path, plan: ResponsePlan, reports_root: Path) -> str:
    """The report as the message shows it: a link under the plan's ``report_base_url``, else its path."""
    path = Path(report_path)
    if plan.report_base_url:
        try:
            rel = path.resolve().relative_to(reports_root.resolve()).as_posix()
            return plan.report_base_url.rstrip("/") + "/" + urllib.parse.quote(rel)
        except ValueError:
            pass
    return str(path)


def notify_run(
    summary: Mapping,
    alerts: Sequence[Mapping],
    report_path: str | Path,
    plan: ResponsePlan,
    team=None,
    *,
    lang: str = "zh",
    now: dt.datetime | None = None,
    state_path: str | Path | None = None,
    environ: Mapping[str, str] | None = None,
    sleep=time.sleep,
) -> NotifyOutcome:
    """Send what is new in one monitor run and record it.

    ``summary`` is the run's summary.json (its ``brand``), ``alerts`` the
    ``alerts`` of alerts.json (each in full), ``report_path`` the run's
    report.html, ``team`` the ``team`` table (a DataFrame, or None).
    ``state_path`` defaults to ``.notifications.json`` in the reports folder
    (two levels above the run's folder: ``reports/<date>/<label>/``).
    """
    lang = i18n.check_language(lang)
    if now is None:
        now = dt.datetime.now(ZoneInfo(DEFAULT_TZ))  # the team reads deadlines in the data's zone, not the server's
    elif now.tzinfo is None:
        now = now.replace(tzinfo=ZoneInfo(DEFAULT_TZ))
    environ = os.environ if environ is None else environ
    report_path = Path(report_path)
    state_path = Path(state_path) if state_path else report_path.parent.parent.parent / STATE_FILE
    brand = str(summary.get("brand") or "")
    report = report_reference(report_path, plan, state_path.parent)
    sent: list[Delivery] = []
    failed: list[Failure] = []
    unchanged = below = 0
    with _locked(state_path):
        state = load_state(state_path)
        for alert in alerts:
            severity = min(max(int(alert.get("level") or 0), 0), 4)
            channels = plan.channels_for(severity) if severity else ()
            if not channels:
                below += 1
                continue
            key = alert_key(brand, alert)
            entry = state["alerts"].setdefault(
                key, {"brand": brand, "start": str(alert["start"])[:10], "metric": alert.get("metric"), "level": 0, "channels": {}, "reminders": 0}
            )
            owners = plan.responsible(severity, list(alert.get("platforms") or ()), team, brand)
            hours = plan.deadline_hours(severity)
            previous = int(entry.get("level") or 0)
            answered = _answered(alert)
            if answered and not entry.get("answered_at"):
                entry["answered_at"] = now.isoformat(timespec="seconds")
            # every channel of the level that has not had this level yet (new, escalated or failed before)
            due = [c for c in channels if (entry["channels"].get(c.name) or {}).get("sent_level", 0) < severity]
            event = "escalation" if previous and severity > previous else "alert"
            deadline = dt.datetime.fromisoformat(entry["deadline"]) if entry.get("deadline") else None
            if event == "escalation" or deadline is None:
                fresh = now + dt.timedelta(hours=hours)
                deadline = min(deadline, fresh) if deadline else fresh
            reminder = 0
            if not due and not answered and now >= deadline and entry.get("reminders", 0) < plan.max_reminders:
                due, event, reminder = list(channels), "reminder", entry.get("reminders", 0) + 1
            if not due:
                unchanged += 1
                entry["deadline"] = deadline.isoformat(timespec="seconds")
                continue
            statement = fill_statement(plan.statement(severity), brand, alert, deadline, lang)
            message = build_message(
                brand,
                alert,
                event=event,
                owners=owners,
                deadline=deadline,
                hours=hours,
                report=report,
                statement=statement,
                previous_level=previous if event == "escalation" else None,
                reminder=reminder,
                lang=lang,
            )
            any_sent = False
            for channel in due:
                attempts, reason = deliver(channel, message, plan, environ, report_path, sleep)
                record = entry["channels"].setdefault(channel.name, {"sent_level": 0})
                common = {
                    "channel": channel.name,
                    "type": channel.type,
                    "event": event,
                    "brand": brand,
                    "start": entry["start"],
                    "level": severity,
                    "attempts": attempts,
                }
                if reason is None:
                    any_sent = True
                    record.update(
                        {
                            "sent_level": max(record.get("sent_level", 0), severity),
                            "last_event": event,
                            "sent_at": now.isoformat(timespec="seconds"),
                            "error": None,
                        }
                    )
                    sent.append(Delivery(**common))
                    log.info("notified %s of %s (%s, level %s)", channel.name, key, event, severity)
                else:
                    record.update({"last_event": event, "failed_at": now.isoformat(timespec="seconds"), "error": reason})
                    failed.append(Failure(**common, reason=reason))
                    log.warning("notification to %s failed: %s", channel.name, reason)
            if any_sent:
                entry["level"] = max(previous, severity)
                entry["owners"] = [o.name for o in owners]
                if event == "reminder":
                    entry["reminders"] = reminder
                    deadline = now + dt.timedelta(hours=hours)  # the next reminder one deadline later
            entry["deadline"] = deadline.isoformat(timespec="seconds")
        state["updated"] = now.isoformat(timespec="seconds")
        save_state(state_path, state)
    return NotifyOutcome(tuple(sent), tuple(failed), unchanged, below, str(state_path))


def notify_folder(
    folder: str | Path,
    plan: ResponsePlan,
    *,
    store: str | Path | None = None,
    lang: str = "zh",
    now: dt.datetime | None = None,
    state_path: str | Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> NotifyOutcome:
    """:func:`notify_run` on a finished run's folder: its summary.json and
    alerts.json, the ``team`` table of ``store`` (none when the store has no
    such table). A campaign_pacing folder sends its ``pacing_alerts``
    (:mod:`smkit.run.pacing_notify`); another folder without alerts.json
    (another playbook, a failed run) sends nothing."""
    folder = Path(folder)
    alerts_file, summary_file = folder / "alerts.json", folder / "summary.json"
    if not alerts_file.is_file():
        pacing = json.loads(summary_file.read_text(encoding="utf-8")) if summary_file.is_file() else {}
        if isinstance(pacing, dict) and pacing.get("pacing_alerts"):  # a campaign_pacing run with targets at risk
            return _notify_pacing(pacing, folder / "report.html", plan, lang, environ)
        return NotifyOutcome(state_path=str(state_path or ""))
    data = json.loads(alerts_file.read_text(encoding="utf-8"))
    summary = json.loads(summary_file.read_text(encoding="utf-8")) if summary_file.is_file() else {"brand": data.get("brand")}
    summary.setdefault("brand", data.get("brand"))
    team = None
    if store is not None:
        from smkit.data.store import load as load_table

        try:
            team = load_table("team", store=store)
        except LookupError:
            team = None
    return notify_run(summary, data.get("alerts") or [], folder / "report.html", plan, team, lang=lang, now=now, state_path=state_path, environ=environ)


def _notify_pacing(summary: dict, report_path: Path, plan: ResponsePlan, lang: str, environ: Mapping[str, str] | None) -> NotifyOutcome:
    """A campaign_pacing run's targets at risk, sent by :mod:`smkit.run.pacing_notify`."""
    from smkit.run.pacing_notify import send_pacing

    report = report_reference(report_path, plan, report_path.parent.parent.parent)
    severity, results = send_pacing(summary, report_path, report, plan, lang=lang, environ=environ)
    sent, failed = [], []
    for channel, attempts, reason in results:
        common = {
            "channel": channel.name,
            "type": channel.type,
            "event": "pacing",
            "brand": str(summary.get("campaign_id") or ""),
            "start": str(summary.get("day") or ""),
            "level": severity,
            "attempts": attempts,
        }
        if reason is None:
            sent.append(Delivery(**common))
        else:
            failed.append(Failure(**common, reason=reason))
    return NotifyOutcome(tuple(sent), tuple(failed))
