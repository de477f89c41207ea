"""The publishing plan: the best slots, types and themes over the next weeks,
written as ``calendar.csv`` and an RFC 5545 ``calendar.ics``; the copy each
planned post carries (its theme) checked before it goes out
(:mod:`smkit.methods.copy_check`)."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from smkit.data.safe_csv import write_csv
from smkit.methods import copy_check

from . import messages
from .effects import holm_calls
from .messages import ANY, T
from .timing import rank_slots

if TYPE_CHECKING:
    from .result import Result

CALENDAR_CSV = "calendar.csv"
CALENDAR_ICS = "calendar.ics"
PLAN_COLUMNS = ["date", "time", "start", "platform", "content_type", "theme", "expected_rate", "confident", "thin"]
NO_COPY = ANY  # "(any)": the theme of a slot whose platform has no topics: the plan carries no copy for it
COPY_COLUMNS = ["date", "time", "platform", "theme", "term", "rule", "reason", "suggestion"]


def plan(
    slots: pd.DataFrame,
    effects: pd.DataFrame,
    mix: dict[str, dict[str, float]],
    themes: dict[str, list[str]],
    per_week: dict[str, int],
    start: dt.date,
    weeks: int,
    tz: str = "Asia/Shanghai",
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Publishing slots for ``weeks`` weeks from ``start``.

    ``slots``: the grid of every platform (``expected_rate``, ``confident``,
    ``thin``); each week takes the platform's ``per_week`` best slots, at most
    one a day while there are days left. Content types follow the current
    ``mix`` weighted by the rate ratios that survive Holm's correction across
    every type comparison in ``effects`` (a type shown better gets more
    slots); themes rotate through ``themes`` (best first). A platform whose
    export has no posting times (the grid's ``timed`` False) gets days
    without a time: ``time`` empty, ``start`` the day's midnight.
    """
    effects = effects if "call" in effects else holm_calls(effects, alpha)
    rows = []
    for platform in sorted(per_week):
        k = per_week[platform]
        g = rank_slots(slots[slots["platform"] == platform])
        if g.empty or k < 1:
            continue
        chosen, used_days = [], {}
        for _, s in g.iterrows():
            if len(chosen) == k:
                break
            limit = 1 + len(chosen) // 7
            if used_days.get(s["weekday"], 0) < limit:
                chosen.append(s)
                used_days[s["weekday"]] = used_days.get(s["weekday"], 0) + 1
        chosen.sort(key=lambda s: (s["weekday"], s["hour"]))
        types = _type_sequence(platform, effects, mix.get(platform, {}), k * weeks)
        topic_list = themes.get(platform) or [NO_COPY]
        i = 0
        for week in range(weeks):
            for s in chosen:
                day = start + dt.timedelta(days=7 * week + (int(s["weekday"]) - start.weekday()) % 7)
                timed = bool(s.get("timed", True))
                local = pd.Timestamp(dt.datetime.combine(day, dt.time(int(s["hour"]) if timed else 0)), tz=tz)
                rows.append(
                    {
                        "date": day.isoformat(),
                        "time": f"{int(s['hour']):02d}:00" if timed else "",
                        "start": local,
                        "platform": platform,
                        "content_type": types[i],
                        "theme": topic_list[i % len(topic_list)],
                        "expected_rate": float(s["expected_rate"]),
                        "confident": bool(s.get("confident", False)),
                        "thin": bool(s.get("thin", False)),
                    }
                )
                i += 1
    table = pd.DataFrame(rows, columns=PLAN_COLUMNS)
    return table.sort_values(["start", "platform"], kind="stable").reset_index(drop=True)


def copy_findings(calendar: pd.DataFrame, rules: tuple[copy_check.Rule, ...]) -> pd.DataFrame:
    """The pre-publish copy check of every planned post that carries copy (its
    ``theme``; :data:`NO_COPY` carries none), with its platform's rules: one
    row per finding (:data:`COPY_COLUMNS`; ``rule`` is the rule's Chinese name)."""
    rows = []
    for r in calendar.to_dict("records"):
        if not has_copy(r["theme"]):
            continue
        for f in copy_check.check(str(r["theme"]), r["platform"], rules):
            rule = copy_check.RULE_NAMES.get(f.rule, f.rule)
            rows.append(
                {
                    "date": r["date"],
                    "time": r["time"],
                    "platform": r["platform"],
                    "theme": r["theme"],
                    "term": f.term,
                    "rule": rule,
                    "reason": f.reason,
                    "suggestion": f.suggestion,
                }
            )
    return pd.DataFrame(rows, columns=COPY_COLUMNS)


def has_copy(theme) -> bool:
    """Whether a planned post's theme is copy to check (not empty, not :data:`NO_COPY`)."""
    return isinstance(theme, str) and bool(theme.strip()) and theme != NO_COPY


def with_copy_check(calendar: pd.DataFrame, findings: pd.DataFrame) -> pd.DataFrame:
    """``calendar`` with ``copy_check``: empty for a post without copy, ``ok``
    when its copy passed, else each finding as ``term [rule]: suggestion``."""
    notes = []
    keyed = findings.groupby(["date", "time", "platform", "theme"]) if len(findings) else None
    for r in calendar.to_dict("records"):
        if not has_copy(r["theme"]):
            notes.append("")
            continue
        key = (r["date"], r["time"], r["platform"], r["theme"])
        found = keyed.get_group(key) if keyed is not None and key in keyed.groups else None
        notes.append("ok" if found is None else "; ".join(f"{f.term} [{f.rule}]: {f.suggestion}" for f in found.itertuples()))
    return calendar.assign(copy_check=notes)


def _type_sequence(platform: str, effects: pd.DataFrame, mix: dict[str, float], n: int) -> list[str]:
    if not mix:
        return [ANY] * n
    weights = dict(mix)
    if not effects.empty:
        for _, e in effects[effects["platform"] == platform].iterrows():
            if e["content_type"] in weights and e["call"] != "unclear":
                weights[e["content_type"]] *= e["rate_ratio"]
    total = sum(weights.values())
    # Smooth allocation (largest remainder at every step), so types interleave.
    seq, given = [], dict.fromkeys(weights, 0)
    for i in range(1, n + 1):
        pick = max(weights, key=lambda t: (weights[t] / total * i - given[t], weights[t]))
        given[pick] += 1
        seq.append(pick)
    return seq


def calendar_csv(table: pd.DataFrame, path: Path) -> Path:
    """The plan as a spreadsheet (UTF-8, one row per post; the time zone-aware ``start`` left out)."""
    out = table.drop(columns=["start"]).copy()
    return write_csv(out, path, encoding="utf-8", lineterminator="\n", float_format="%.6g")


_ICS_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _ics_escape(text: str) -> str:
    """A TEXT value per RFC 5545 3.3.11: backslash, semicolon and comma escaped;
    every line break (CRLF, LF or a bare CR) written as ``\\n``; other control
    characters, which TEXT does not allow, removed."""
    text = str(text).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
    return _ICS_CONTROL.sub("", text)


def _fold(line: str) -> list[str]:
    """RFC 5545 3.1: lines over 75 octets continue on lines starting with a space,
    never splitting a UTF-8 character."""
    out, current, size = [], "", 0
    for ch in line:
        n = len(ch.encode("utf-8"))
        limit = 75 if not out else 74
        if size + n > limit:
            out.append(current)
            current, size = ch, n
        else:
            current += ch
            size += n
    out.append(current)
    return [out[0]] + [" " + part for part in out[1:]]


def to_ics(table: pd.DataFrame, stamp: dt.datetime | None = None, duration_minutes: int = 30, name: str | None = None, lang: str = "zh") -> str:
    """The plan as an iCalendar (RFC 5545) text: CRLF lines folded at 75
    octets, times in UTC, a stable UID per slot, DTSTAMP; the calendar's name,
    each event's SUMMARY and DESCRIPTION in ``lang`` (platform, content type
    and a sample topic in words; a user's own theme as it is)."""
    stamp = (stamp or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//smkit//content performance//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_ics_escape(name if name is not None else T('ics_name', lang))}",
    ]
    same_day: dict[str, int] = {}
    for _, row in table.iterrows():
        start = pd.Timestamp(row["start"]).tz_convert("UTC")
        end = start + pd.Timedelta(minutes=duration_minutes)
        key = f"{row['platform']}|{start.isoformat()}"
        if "time" in row and not row["time"]:  # a day without a time: an all-day event, numbered when the day has several
            same_day[key] = same_day.get(key, 0) + 1
            key += f"|{same_day[key]}" * (same_day[key] > 1)
            day = dt.date.fromisoformat(row["date"])
            when = [f"DTSTART;VALUE=DATE:{day:%Y%m%d}", f"DTEND;VALUE=DATE:{day + dt.timedelta(days=1):%Y%m%d}"]
        else:
            when = [f"DTSTART:{start:%Y%m%dT%H%M%SZ}", f"DTEND:{end:%Y%m%dT%H%M%SZ}"]
        uid = hashlib.sha1(key.encode("utf-8")).hexdigest()[:20] + "@smkit"
        sure = T("ics_confident" if row["confident"] else ("ics_thin" if row["thin"] else "ics_estimate"), lang)
        words = {
            "platform": messages.platform(row["platform"], lang),
            "type": messages.content_type(row["content_type"], lang),
            "theme": messages.topic(row["theme"], lang),
        }
        summary = T("ics_summary", lang, **words)
        description = T("ics_description", lang, type=words["type"], theme=words["theme"], sure=sure)
        lines += [
            "BEGIN:VEVENT",
            f"UID:{uid}",
            f"DTSTAMP:{stamp:%Y%m%dT%H%M%SZ}",
            *when,
            f"SUMMARY:{_ics_escape(summary)}",
            f"DESCRIPTION:{_ics_escape(description)}",
            f"CATEGORIES:{_ics_escape(row['platform'])}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(part + "\r\n" for line in lines for part in _fold(line))


def export_plan(result: Result, folder: Path, stamp: dt.datetime | None = None, lang: str | None = None) -> dict[str, Path]:
    """Write :data:`CALENDAR_CSV` (codes, for machines) and :data:`CALENDAR_ICS`
    (in ``lang``, the run's language by default) into ``folder``; their paths by kind (``csv``, ``ics``)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    csv = calendar_csv(result.calendar, folder / CALENDAR_CSV)
    ics = folder / CALENDAR_ICS
    ics.write_bytes(to_ics(result.calendar, stamp, lang=lang or result.settings.lang).encode("utf-8"))
    return {"csv": csv, "ics": ics}
