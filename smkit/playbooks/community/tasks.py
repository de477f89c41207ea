"""Growth tasks (成长任务): the share of members who completed each task.

Tasks are rows of reference data (``growth_tasks.csv``), each a rule over
``community_activity``:

- ``count``: the action's count adds up to ``threshold`` (a missing count is
  one action), completed on the day the total gets there;
- ``streak``: the action on ``threshold`` consecutive days, completed on the
  last of them;
- ``event``: any activity on an event's platform (any platform when the event
  names none) on a day it ran, ``threshold`` times, completed on the day of
  the last; without an ``events`` table the task cannot be measured.

The share is over the members active in the window, counting what they
completed by its end (so a task done before the window counts); the tasks
completed within the window are counted apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

KINDS = ("count", "streak", "event")
COLUMNS = ("task", "name_zh", "name_en", "kind", "action", "threshold")


@dataclass(frozen=True)
class Task:
    task: str
    name_zh: str
    name_en: str
    kind: str
    action: str
    threshold: int


def read_tasks(path: Path) -> tuple[Task, ...]:
    """The task rows of ``path``; a bad row names the file, the row and what is wrong."""
    frame = pd.read_csv(path, dtype=str).fillna("")
    missing = [c for c in COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(f"{path}: needs the columns {', '.join(missing)}")
    out = []
    for i, row in enumerate(frame[list(COLUMNS)].itertuples(index=False), start=2):
        task, zh, en, kind, action, threshold = (str(v).strip() for v in row)
        if not task:
            raise ValueError(f"{path}, row {i}: the task has no name")
        if kind not in KINDS:
            raise ValueError(f"{path}, row {i}: kind {kind!r} of {task} is not one of {', '.join(KINDS)}")
        if kind != "event" and not action:
            raise ValueError(f"{path}, row {i}: task {task} of kind {kind} needs an action")
        try:
            n = int(float(threshold))
        except ValueError:
            raise ValueError(f"{path}, row {i}: threshold {threshold!r} of {task} is not a number") from None
        if n < 1:
            raise ValueError(f"{path}, row {i}: threshold of {task} must be at least 1")
        out.append(Task(task, zh or task, en or task, kind, action.lower(), n))
    if len({t.task for t in out}) != len(out):
        raise ValueError(f"{path}: a task is named twice")
    return tuple(out)


def _count_done(a: pd.DataFrame, action: str, n: int) -> pd.Series:
    rows = a[a["action"] == action]
    per_day = rows.groupby(["user_id", "date"])["n"].sum().reset_index()
    per_day["total"] = per_day.groupby("user_id")["n"].cumsum()
    return per_day[per_day["total"] >= n].groupby("user_id")["date"].min()


def _streak_done(a: pd.DataFrame, action: str, n: int) -> pd.Series:
    days = a.loc[(a["action"] == action) & (a["n"] > 0), ["user_id", "date"]].drop_duplicates().sort_values(["user_id", "date"])
    if days.empty:
        return pd.Series(dtype="datetime64[ns]")
    gap = days.groupby("user_id")["date"].diff() != pd.Timedelta(days=1)
    run = gap.cumsum()
    days["length"] = days.groupby(run).cumcount() + 1
    return days[days["length"] >= n].groupby("user_id")["date"].min()


def _day(value) -> pd.Timestamp:
    """The local calendar day of a timestamp (the export's own clock)."""
    stamp = pd.Timestamp(value)
    return (stamp.tz_localize(None) if stamp.tzinfo else stamp).normalize()


def _event_done(a: pd.DataFrame, events: pd.DataFrame, n: int) -> pd.Series:
    rows = []
    for ev in events.itertuples():
        first = _day(ev.start_at)
        end_at = getattr(ev, "end_at", None)
        last = first if end_at is None or pd.isna(end_at) else max(first, _day(end_at))
        platform = getattr(ev, "platform", None)
        hit = a[(a["date"] >= first) & (a["date"] <= last)]
        if isinstance(platform, str) and platform:
            hit = hit[hit["platform"] == platform]
        part = hit.groupby("user_id")["date"].min().reset_index()
        rows.append(part.assign(event=ev.event_id))
    if not rows:
        return pd.Series(dtype="datetime64[ns]")
    took = pd.concat(rows, ignore_index=True).sort_values(["user_id", "date"])
    took["k"] = took.groupby("user_id").cumcount() + 1
    return took[took["k"] >= n].groupby("user_id")["date"].min()


def completions(activity: pd.DataFrame, tasks: tuple[Task, ...], events: pd.DataFrame | None) -> pd.DataFrame:
    """Per member (every member in ``activity``) and task: the day it was completed (``NaT`` if not yet);
    an ``event`` task without events is left out."""
    a = activity.assign(date=pd.to_datetime(activity["date"]), action=activity["action"].astype(str).str.lower())
    a = a.assign(n=a["count"].astype("Float64").fillna(1.0).astype(float))
    members = pd.Index(a["user_id"].unique(), name="user_id")
    out = {}
    for t in tasks:
        if t.kind == "count":
            done = _count_done(a, t.action, t.threshold)
        elif t.kind == "streak":
            done = _streak_done(a, t.action, t.threshold)
        elif events is not None and len(events):
            done = _event_done(a, events, t.threshold)
        else:
            continue
        out[t.task] = pd.to_datetime(done).reindex(members)
    return pd.DataFrame(out, index=members)


def task_shares(activity: pd.DataFrame, tasks: tuple[Task, ...], events: pd.DataFrame | None, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
    """Per task: members active in the window, how many of them completed it by ``end`` (and the share),
    how many completed it within the window; ``measured`` is False for an event task without events."""
    a = activity.assign(date=pd.to_datetime(activity["date"]))
    a = a[a["date"] <= end]
    active = pd.Index(a.loc[a["date"] >= start, "user_id"].unique())
    done = completions(a, tasks, events)
    rows = []
    for t in tasks:
        measured = t.task in done.columns
        when = done[t.task].reindex(active) if measured else pd.Series(pd.NaT, index=active)
        completed = int(when.notna().sum())
        rows.append(
            {
                "task": t.task,
                "name_zh": t.name_zh,
                "name_en": t.name_en,
                "kind": t.kind,
                "members": len(active),
                "completed": completed if measured else None,
                "share": completed / len(active) if measured and len(active) else None,
                "in_window": int(((when >= start) & (when <= end)).sum()) if measured else None,
                "measured": measured,
            }
        )
    return pd.DataFrame(rows, columns=["task", "name_zh", "name_en", "kind", "members", "completed", "share", "in_window", "measured"])
