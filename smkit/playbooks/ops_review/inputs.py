"""What the review reads from the store, and the only code that reads it.

The brand's ``account_daily`` rows (the window, the period before it and the
same weeks a year earlier; and its whole history for the forecasts), every
brand's mentions in each compared period with the brand's replies in the
week after it, the brand's earned mentions per day (counted in the store),
``community_activity``, ``team`` and the window's posts; with a team, for
the crisis response SLA, the brand's mentions and posts of the window and the
:data:`~smkit.methods.crisis.HISTORY_DAYS` before it (the reputation
monitor's alerts are detected on them again). A table the store does not have
is ``None``, never an invented empty frame.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from smkit import rules
from smkit.data.store import DEFAULT_TZ, connect, whole
from smkit.data.store import load as load_table
from smkit.methods import crisis
from smkit.params import Config

from .goals import DEFAULT_GOALS, REPLY_GRACE_DAYS, read_goals, uncovered, windows
from .parameters import Settings


@dataclass(frozen=True)
class Inputs:
    """The frames the review needs for ``start``..``end``."""

    start: dt.date
    end: dt.date
    goals: pd.DataFrame  # the goals file's rows
    goals_file: str
    first_days: Mapping[str, dt.date | None]  # first day of the brand's account_daily rows and mentions
    daily: pd.DataFrame  # the brand's account_daily rows from a year before the window to its end
    mentions: Mapping[str, pd.DataFrame | None]  # window name -> its mentions and the brand's later replies; None: not covered
    history: pd.DataFrame  # the brand's account_daily rows up to the end
    mention_counts: pd.DataFrame  # day, n: the brand's earned mentions per day up to the end
    activity: pd.DataFrame | None  # community_activity up to the end; None: no such table
    team: pd.DataFrame | None  # None: no such table
    posts: pd.DataFrame  # every account's posts in the window (empty without a team)
    alert_mentions: pd.DataFrame | None = None  # the brand's prepared mentions for alert detection; None: no team or no mentions
    brand_posts: pd.DataFrame | None = None  # the brand's posts over the same days (a post can be a response)


def check_brand(store: Path, brand: str) -> None:
    """Refuse a brand with no ``account_daily`` rows and no mentions (a
    misspelt name would otherwise give a plausible report of zeros), naming
    the brands the store has."""
    with connect(store, read_only=True) as con:
        tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        queries = [
            q for t, q in (("account_daily", "SELECT DISTINCT account FROM account_daily"), ("mentions", "SELECT DISTINCT brand FROM mentions")) if t in tables
        ]
        known = sorted({r[0] for q in queries for r in con.execute(q).fetchall() if r[0] is not None})
    if brand not in known:
        raise ValueError(f"brand {brand!r} has no account_daily rows and no mentions in the store; brands in the store: " + (", ".join(known) or "none"))


def first_days(store: Path, brand: str) -> dict[str, dt.date | None]:
    """The first day of the brand's ``account_daily`` rows and of its mentions."""
    out: dict[str, dt.date | None] = {}
    with connect(store, read_only=True) as con:
        tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        for table, sql in (
            ("account_daily", "SELECT min(date) FROM account_daily WHERE account = ?"),
            ("mentions", f"SELECT CAST(min(timezone('{DEFAULT_TZ}', published_at)) AS DATE) FROM mentions WHERE brand = ?"),
        ):
            if table in tables:
                value = con.execute(sql, [brand]).fetchone()[0]
                out[table] = value.date() if isinstance(value, dt.datetime) else value
    return out


def load_optional(table: str, store: Path, **kw) -> pd.DataFrame | None:
    """``table`` from the store, or ``None`` when the store has no such table."""
    try:
        return load_table(table, store=store, **kw)
    except LookupError:
        return None


def mention_counts(store: Path, brand: str, end: dt.date, tz: str = DEFAULT_TZ) -> pd.DataFrame:
    """The brand's earned mentions per day up to ``end`` (``day``, ``n``),
    counted in the store: a year of them is too many rows to load for a count."""
    try:
        with connect(store, read_only=True, tz=tz) as con:
            return con.execute(
                f"SELECT CAST(timezone('{tz}', published_at) AS DATE) AS day, count(*) AS n FROM {whole(con, 'mentions')} "
                f"WHERE brand = ? AND {rules.EARNED_SQL} AND CAST(timezone(?, published_at) AS DATE) <= ? GROUP BY 1 ORDER BY 1",
                [brand, tz, end],
            ).df()
    except Exception:  # no mentions table
        return pd.DataFrame(columns=["day", "n"])


def window_mentions(store: Path, brand: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Every brand's mentions in ``start``..``end`` and the brand's replies in
    the days after it to mentions inside it, so that a mention made near the
    end is not counted as unanswered or left out of the reply time."""
    mentions = load_optional("mentions", store, start=start, end=end)
    if mentions is None or mentions.empty:
        return pd.DataFrame()
    later = load_optional("mentions", store, start=end + dt.timedelta(days=1), end=end + dt.timedelta(days=REPLY_GRACE_DAYS), accounts=[brand])
    if later is not None and len(later):
        later = later[rules.is_reply(later) & later["reply_to"].isin(mentions["mention_id"])]
        mentions = pd.concat([mentions, later], ignore_index=True)
    return mentions


def load(cfg: Config, s: Settings) -> Inputs:
    """Read what the review of ``cfg.start``..``cfg.end`` needs."""
    store, start, end, brand = cfg.store, cfg.start, cfg.end, s.brand
    goals = read_goals(s.goals)
    check_brand(store, brand)
    current, previous, year = windows(start, end)
    daily = load_table("account_daily", store=store, start=year.start, end=end, accounts=[brand])
    first = first_days(store, brand)
    mentions: dict[str, pd.DataFrame | None] = {}
    for w in (current, previous, year):
        if w.name != "current" and uncovered(first, w):
            mentions[w.name] = None
            continue
        mentions[w.name] = window_mentions(store, brand, w.start, w.end)
    history = load_table("account_daily", store=store, end=end, accounts=[brand])
    counts = mention_counts(store, brand, end)
    activity = load_optional("community_activity", store, end=end)
    team = load_optional("team", store)
    has_team = team is not None and not team.empty
    posts = load_table("posts", store=store, start=start, end=end) if has_team else pd.DataFrame()
    alert_mentions, brand_posts = crisis_inputs(store, brand, start, end) if has_team else (None, None)
    return Inputs(start, end, goals, str(s.goals or DEFAULT_GOALS), first, daily, mentions, history, counts, activity, team, posts, alert_mentions, brand_posts)


def crisis_inputs(store: Path, brand: str, start: dt.date, end: dt.date) -> tuple[pd.DataFrame | None, pd.DataFrame | None]:
    """The brand's mentions (prepared as the reputation monitor prepares them)
    and its posts from :data:`~smkit.methods.crisis.HISTORY_DAYS` before
    ``start`` to ``end``; ``None`` for a table the store lacks or, for the
    mentions, has no rows of the brand in those days."""
    first = start - dt.timedelta(days=crisis.HISTORY_DAYS)
    mentions = load_optional("mentions", store, start=first, end=end, accounts=[brand])
    posts = load_optional("posts", store, start=first, end=end, accounts=[brand])
    return (crisis.prepare(mentions) if mentions is not None and len(mentions) else None), posts
