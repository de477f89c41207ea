"""Response tracking: how fast the brand answered each alert, whether it met
the plan's deadline, and how long the negative share took to come back.

Shared, not in the monitor's package: the reputation monitor shows it per
alert, the operations review sums it per owner (:func:`sla_by_owner`) in its
team scorecard, and the run layer's notifications read the deadlines and
owners, and a playbook imports no other playbook.

Pure functions over frames (no store, no clock):

- **Raised at.** The moment the alert's first day had more of the brand's
  mentions than a usual day (``usual_daily_mentions``): the earliest an hourly
  run could have seen it. A day that never got there (an alert on the negative
  share alone) is raised at midnight, the start of its day.
- **First official response.** The earliest, at or after the raise, of a brand
  reply (``is_reply_by_brand``) to a mention of the brand published during the
  alert, and a post by the brand's own account on one of the alert's
  platforms (``posts``; every platform when the alert names none).
- **Deadline.** Hours by level (severity 4 = Ⅰ级 ... 1 = Ⅳ级), by default
  :data:`DEFAULT_DEADLINE_HOURS`; ``met`` when the response came within them,
  ``missed`` when it came later or never came and the deadline has passed by
  ``now``, else ``pending``.
- **Recovery.** After the response, the first day whose negative share of the
  brand's earned mentions over the ``window_days`` days ending that day is at
  most the alert's baseline share plus ``tolerance``; days from the response's
  day to it, or none yet.
- **Owners.** Who runs each of the alert's platforms in the ``team`` table
  (:func:`platform_owners`); :func:`sla_by_owner` sums the tracking per owner
  for a team scorecard.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Protocol

import numpy as np
import pandas as pd

from smkit import i18n, rules
from smkit.params import parse_list, parse_mapping

# Hours to the first official response by severity (4 = Ⅰ级 most severe): defaults to change in the plan.
DEFAULT_DEADLINE_HOURS: dict[int, float] = {4: 1.0, 3: 2.0, 2: 12.0, 1: 24.0}
RESPONSE_KINDS = ("reply", "post")
RECOVERY_TOLERANCE = 0.05  # back to baseline: the negative share within 5 points of the alert's baseline
RECOVERY_WINDOW_DAYS = 3  # ... over the three days ending that day
TRACKING_COLUMNS = (
    "start",
    "level",
    "platforms",
    "owners",
    "raised_at",
    "response_at",
    "response_kind",
    "response_hours",
    "deadline_hours",
    "status",
    "recovered_on",
    "recovery_days",
)


def parse_deadlines(text: str | None, name: str = "respond_within_hours") -> dict[int, float]:
    """Response deadlines by severity from ``Ⅰ:1,Ⅱ:2,Ⅲ:12,Ⅳ:24`` (levels in the
    Chinese convention, Ⅰ/I/1 the most severe); levels not named keep
    :data:`DEFAULT_DEADLINE_HOURS`."""
    hours = dict(DEFAULT_DEADLINE_HOURS)
    for level, value in parse_mapping(text, name, example="Ⅰ:1,Ⅱ:2,Ⅲ:12,Ⅳ:24").items():
        try:
            severity = i18n.parse_level(level)
        except ValueError as exc:
            raise ValueError(f"{name}: {exc}") from None
        if not value > 0:
            raise ValueError(f"{name}: the deadline for {level} must be above 0 hours, got {value:g}")
        hours[severity] = float(value)
    return dict(sorted(hours.items(), reverse=True))


def parse_kinds(value: str | Sequence[str] | None, name: str = "response_kinds") -> tuple[str, ...]:
    """What counts as an official response, from ``reply,post`` (either or both)."""
    kinds = parse_list(value)
    unknown = [k for k in kinds if k not in RESPONSE_KINDS]
    if unknown or not kinds:
        raise ValueError(f"{name} must name {' and/or '.join(RESPONSE_KINDS)}, got {value!r}")
    return kinds


def _alert_dict(alert) -> dict:
    return alert.to_dict() if hasattr(alert, "to_dict") else dict(alert)


def _day(value) -> dt.date:
    return value if isinstance(value, dt.date) and not isinstance(value, dt.datetime) else dt.date.fromisoformat(str(value)[:10])


def _local(ts: pd.Series, tz) -> pd.Series:
    """Timestamps in the mentions' own zone (naive ones stay naive)."""
    return ts if tz is None else ts.dt.tz_convert(tz)


def _midnight(day: dt.date, tz) -> pd.Timestamp:
    stamp = pd.Timestamp(day)
    return stamp.tz_localize(tz) if tz is not None else stamp


def _earned_of(mentions: pd.DataFrame, brand: str) -> pd.DataFrame:
    if mentions.empty or "brand" not in mentions:
        return mentions.iloc[0:0]
    return rules.earned(mentions[mentions["brand"] == brand])


def raised_at(alert, mentions: pd.DataFrame, brand: str) -> pd.Timestamp:
    """When the alert's first day passed a usual day's mentions (else its midnight)."""
    a = _alert_dict(alert)
    tz = mentions["published_at"].dt.tz if len(mentions) else None
    start = _midnight(_day(a["start"]), tz)
    usual = a.get("usual_daily_mentions")
    ours = _earned_of(mentions, brand)
    day = ours[(ours["published_at"] >= start) & (ours["published_at"] < start + pd.Timedelta(days=1))].sort_values("published_at")
    if usual is None or not math.isfinite(float(usual)) or len(day) <= usual:
        return start
    return day["published_at"].iloc[int(math.floor(float(usual)))]  # the first mention beyond a usual day's count


def first_response(
    alert,
    mentions: pd.DataFrame,
    posts: pd.DataFrame | None,
    brand: str,
    accounts: Iterable[str] | None = None,
    since: pd.Timestamp | None = None,
    kinds: Iterable[str] = RESPONSE_KINDS,
    reply_at: Callable[[dict, pd.Timestamp], pd.Timestamp | None] | None = None,
) -> tuple[pd.Timestamp | None, str | None]:
    """The first official response at or after ``since`` (default: :func:`raised_at`)
    and its kind, ``reply`` or ``post`` (of ``kinds``: leave ``post`` out where
    routine scheduled posts would pass for a response); ``(None, None)`` when there is none."""
    kinds = set(kinds)
    a = _alert_dict(alert)
    since = raised_at(a, mentions, brand) if since is None else since
    tz = since.tz
    first_day, last_day = _midnight(_day(a["start"]), tz), _midnight(_day(a["end"]), tz) + pd.Timedelta(days=1)
    platforms = set(a.get("platforms") or ())
    candidates: list[tuple[pd.Timestamp, str]] = []
    if "reply" in kinds and reply_at is not None:  # the mentions live in the engine: it finds the first reply
        first = reply_at(a, since)
        if first is not None:
            candidates.append((first, "reply"))
    elif "reply" in kinds and len(mentions) and "brand" in mentions and "reply_to" in mentions:
        ours = mentions[mentions["brand"] == brand]
        asked = rules.earned(ours)
        asked = asked[(asked["published_at"] >= first_day) & (asked["published_at"] < last_day)]
        replies = ours[rules.is_reply(ours) & ours["reply_to"].isin(set(asked["mention_id"].dropna()))]
        replies = replies[replies["published_at"] >= since]
        if len(replies):
            candidates.append((replies["published_at"].min(), "reply"))
    if "post" in kinds and posts is not None and len(posts):
        own = set(accounts) if accounts is not None else {brand}
        p = posts[posts["account"].isin(own)]
        if platforms:
            p = p[p["platform"].isin(platforms)]
        when = _local(p["published_at"], tz) if tz is not None and p["published_at"].dt.tz is not None else p["published_at"]
        when = when[when >= since]
        if len(when):
            candidates.append((when.min(), "post"))
    if not candidates:
        return None, None
    return min(candidates, key=lambda c: c[0])


class MentionFacts(Protocol):
    """What :func:`track` needs of the mentions when they stay in the engine
    (:class:`smkit.methods.crisis_engine.EngineFacts`)."""

    now: pd.Timestamp | None  # the last mention

    def negative_share(self, window_days: int) -> pd.Series: ...  # as daily_negative_share

    def raised_at(self, alert: dict) -> pd.Timestamp: ...  # as raised_at

    def first_reply(self, alert: dict, since: pd.Timestamp) -> pd.Timestamp | None: ...  # the brand's first reply to the alert's mentions


def daily_negative_share(mentions: pd.DataFrame, brand: str, window_days: int = 1) -> pd.Series:
    """The negative share of the brand's earned mentions per local day, over the
    ``window_days`` days ending on each day (NaN on a window without mentions)."""
    ours = _earned_of(mentions, brand)
    if ours.empty:
        return pd.Series(dtype=float)
    ts = ours["published_at"]
    day = (ts.dt.tz_localize(None) if ts.dt.tz is not None else ts).dt.normalize()
    negative = pd.Series(rules.is_negative(ours["sentiment"]), index=ours.index)
    days = pd.date_range(day.min(), day.max(), freq="D")
    return rolling_negative_share(day.groupby(day).size().reindex(days, fill_value=0), negative.groupby(day).sum().reindex(days, fill_value=0), window_days)


def rolling_negative_share(counts: pd.Series, neg: pd.Series, window_days: int = 1) -> pd.Series:
    """:func:`daily_negative_share` from the mentions and negative mentions of each day
    (from the first day with a mention to the last, every day in between)."""
    total = counts.rolling(window_days, min_periods=1).sum()
    return (neg.rolling(window_days, min_periods=1).sum() / total.where(total > 0)).astype(float)


def recovery(alert, response_at: pd.Timestamp | None, share: pd.Series, tolerance: float = RECOVERY_TOLERANCE) -> tuple[dt.date | None, int | None]:
    """The first day on or after the response's day whose share (from
    :func:`daily_negative_share`) is back within ``tolerance`` of the alert's
    baseline, and the days it took; ``(None, None)`` when not yet (or no response)."""
    a = _alert_dict(alert)
    baseline = a.get("baseline_negative_share")
    if response_at is None or baseline is None or share.empty or not math.isfinite(float(baseline)):
        return None, None
    day0 = pd.Timestamp(response_at.tz_localize(None) if response_at.tz is not None else response_at).normalize()
    after = share[share.index >= day0].dropna()
    back = after[after <= float(baseline) + tolerance]
    if back.empty:
        return None, None
    first = back.index[0]
    return first.date(), int((first - day0).days)


def platform_owners(team: pd.DataFrame | None, brand: str, platform: str | None) -> list[tuple[str, str | None]]:
    """Who runs ``platform`` for ``brand`` in ``team``: the account-level rows
    (no post) of the brand's account, those naming the platform winning over
    those for every platform; ``(owner, role)`` in table order. When no row is
    the brand's account, every account's rows count."""
    if team is None or team.empty or "owner" not in team:
        return []
    t = team.copy()
    for col in ("platform", "post_id", "role", "account"):
        if col not in t:
            t[col] = None
    t = t[t["post_id"].isna() & t["owner"].notna()]
    if (t["account"] == brand).any():
        t = t[t["account"] == brand]
    exact = t[t["platform"] == platform] if platform else t.iloc[0:0]
    rows = exact if len(exact) else t[t["platform"].isna()]
    out: list[tuple[str, str | None]] = []
    for owner, role in rows[["owner", "role"]].itertuples(index=False):
        pair = (str(owner), None if role is None or (isinstance(role, float) and math.isnan(role)) else str(role))
        if pair not in out:
            out.append(pair)
    return out


def alert_owners(team: pd.DataFrame | None, brand: str, platforms: Sequence[str]) -> list[str]:
    """The owners of every platform an alert names, each once, in platform order."""
    names: list[str] = []
    for platform in platforms or (None,):
        for owner, _role in platform_owners(team, brand, platform):
            if owner not in names:
                names.append(owner)
    return names


def track(
    alerts: Iterable,
    mentions: pd.DataFrame,
    posts: pd.DataFrame | None,
    brand: str,
    *,
    team: pd.DataFrame | None = None,
    deadline_hours: Mapping[int, float] | None = None,
    accounts: Iterable[str] | None = None,
    now: pd.Timestamp | None = None,
    tolerance: float = RECOVERY_TOLERANCE,
    window_days: int = RECOVERY_WINDOW_DAYS,
    kinds: Iterable[str] = RESPONSE_KINDS,
    facts: MentionFacts | None = None,
) -> pd.DataFrame:
    """One row per alert (:data:`TRACKING_COLUMNS`). ``alerts`` are the
    monitor's ``Alert`` objects (anything with ``to_dict``) or their ``alerts.json`` dicts; ``mentions``
    prepared as the monitor prepares them (``sentiment`` filled); ``now``
    defaults to the last mention, so a deadline is judged against the data. With
    ``facts`` (:class:`MentionFacts`) the mentions stay in the engine and ``mentions`` is not read."""
    hours_by_level = dict(DEFAULT_DEADLINE_HOURS if deadline_hours is None else deadline_hours)
    accounts = list(accounts) if accounts is not None else None
    if facts is not None:
        share = facts.negative_share(window_days)
        now = facts.now if now is None else now
    else:
        share = daily_negative_share(mentions, brand, window_days)
    if now is None and len(mentions):
        now = mentions["published_at"].max()
    rows = []
    for alert in alerts:
        a = _alert_dict(alert)
        level = int(a["level"])
        platforms = tuple(a.get("platforms") or ())
        raised = facts.raised_at(a) if facts is not None else raised_at(a, mentions, brand)
        at, kind = first_response(a, mentions, posts, brand, accounts, since=raised, kinds=kinds, reply_at=facts.first_reply if facts is not None else None)
        hours = (at - raised).total_seconds() / 3600 if at is not None else None
        limit = hours_by_level.get(level)
        if limit is None:
            status = "met" if hours is not None else "pending"
        elif hours is not None:
            status = "met" if hours <= limit else "missed"
        elif now is not None and (now - raised).total_seconds() / 3600 > limit:
            status = "missed"
        else:
            status = "pending"
        recovered_on, days = recovery(a, at, share, tolerance)
        rows.append(
            {
                "start": _day(a["start"]),
                "level": level,
                "platforms": platforms,
                "owners": tuple(alert_owners(team, brand, platforms)),
                "raised_at": raised,
                "response_at": at,
                "response_kind": kind,
                "response_hours": None if hours is None else round(hours, 2),
                "deadline_hours": limit,
                "status": status,
                "recovered_on": recovered_on,
                "recovery_days": days,
            }
        )
    return pd.DataFrame(rows, columns=list(TRACKING_COLUMNS))


def response_fields(row: Mapping) -> dict:
    """A tracking row as strict JSON for ``alerts.json`` (key ``response``), the
    form :mod:`smkit.run.notify` reads to tell an answered alert."""

    def stamp(v):
        return None if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NaT else pd.Timestamp(v).isoformat()

    def number(v):
        if v is None or not math.isfinite(float(v)):
            return None
        return int(v) if float(v).is_integer() else float(v)

    return {
        "raised_at": stamp(row["raised_at"]),
        "first_response_at": stamp(row["response_at"]),
        "response_kind": row["response_kind"] if isinstance(row["response_kind"], str) else None,
        "response_hours": number(row["response_hours"]),
        "deadline_hours": number(row["deadline_hours"]),
        "status": row["status"],
        "recovered_on": None if row["recovered_on"] is None else str(row["recovered_on"]),
        "recovery_days": number(row["recovery_days"]),
        "owners": list(row["owners"]),
    }


def sla_by_owner(tracking: pd.DataFrame) -> pd.DataFrame:
    """Per owner (an alert counts for each of its owners): alerts, met, missed,
    pending, the share met of those decided (``sla_rate``, None when none is)
    and the median response hours. Alerts without an owner are under ``–``."""
    columns = ["alerts", "met", "missed", "pending", "sla_rate", "median_response_hours"]
    if tracking.empty:
        return pd.DataFrame(columns=columns).rename_axis("owner")
    t = tracking.assign(owner=[list(o) if len(o) else ["–"] for o in tracking["owners"]]).explode("owner")
    rows = {}
    for owner, g in t.groupby("owner", sort=True):
        met, missed = int((g["status"] == "met").sum()), int((g["status"] == "missed").sum())
        hours = pd.to_numeric(g["response_hours"], errors="coerce").dropna()
        rows[owner] = {
            "alerts": len(g),
            "met": met,
            "missed": missed,
            "pending": int((g["status"] == "pending").sum()),
            "sla_rate": met / (met + missed) if met + missed else None,
            "median_response_hours": float(np.median(hours)) if len(hours) else None,
        }
    return pd.DataFrame.from_dict(rows, orient="index", columns=columns).rename_axis("owner")
