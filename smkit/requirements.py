"""What each playbook needs from the store, and what it says when a table is missing.

A playbook declares its :class:`Needs` in ``smkit/playbooks/<name>/needs.py``
(a module that imports nothing but this one, so the run layer reads it before
any kernel starts without importing the playbook): the core tables without
which it is refused, the tables each of its sections needs, the tables whose
last day sets the default window, and which parameters name things in the
store. A run goes ahead when the core is present; each section whose tables
are missing is one sentence in the report ("no account_daily: follower
growth needs the account overview export"), never an exception's text.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from smkit.data import store as store_mod
from smkit.data.schema import DUCKDB_TYPES, TABLES, normalise_platform

# The export a team ingests to fill each table (smkit ingest FILE --table TABLE).
EXPORTS = {
    "posts": "a posts list export (Douyin works, Xiaohongshu notes, WeChat articles, Weibo posts ...)",
    "account_daily": "the account overview export (daily followers, views, engagement)",
    "audience": "a fans or audience export (one row per user)",
    "mentions": "a social listening export (mentions and comments)",
    "campaigns": "the campaign plan (campaign_id, start_date, end_date, targets)",
    "experiments": "the A/B test export (experiment_id, variant, metrics)",
    "community_activity": "the community activity export (member, day, action)",
    "team": "the team roster (account, owner, role)",
    "creators": "a KOL platform's creator list (nickname, platform, followers, average engagement, price, audience)",
    "creator_daily": "a KOL platform's follower history per creator (date, creator, followers)",
    "events": "the community event plan (event_id, type, start_at)",
    "point_redemptions": "the points mall's redemption export (member, day, points)",
    "feedback": "the feedback or ticket export (feedback_id, received_at, text, status)",
}
EXPORTS_ZH = {
    "posts": "作品或笔记列表导出（抖音作品、小红书笔记、公众号文章、微博……）",
    "account_daily": "账号概览导出（每日粉丝、播放、互动）",
    "audience": "粉丝或用户导出（每个用户一行）",
    "mentions": "舆情监测导出（提及和评论）",
    "campaigns": "活动计划表（campaign_id、开始和结束日期、目标）",
    "experiments": "A/B 测试导出（experiment_id、分组、指标）",
    "community_activity": "社群活跃导出（成员、日期、行为）",
    "team": "团队名单（账号、负责人、角色）",
    "creators": "达人平台的达人列表（昵称、平台、粉丝、平均互动、报价、受众）",
    "creator_daily": "达人平台的每日粉丝记录（日期、达人、粉丝）",
    "events": "社群活动计划（event_id、类型、开始时间）",
    "point_redemptions": "积分商城兑换导出（成员、日期、积分）",
    "feedback": "用户反馈或工单导出（feedback_id、收到时间、内容、状态）",
}


class MissingData(LookupError):
    """The store cannot serve this run; the message is one line for a manager."""


@dataclass(frozen=True)
class Section:
    """A report section: ``key`` (what the notebook asks), ``what`` (how a
    reader names it) and the ``tables`` it needs (all of them)."""

    key: str
    what: str
    tables: tuple[str, ...]


@dataclass(frozen=True)
class Names:
    """A parameter that names things in the store: where the names live
    (``(table, column)`` pairs), whether empty means "resolve our own", and
    whether it takes a list."""

    where: tuple[tuple[str, str], ...]
    own: bool = False
    many: bool = False
    keywords: tuple[str, ...] = ()  # values that are not names (such as "all")
    fallback_all: bool = False  # empty with several own accounts means every account, not a refusal


@dataclass(frozen=True)
class Needs:
    core: tuple[str, ...] = ()  # all needed; the run is refused without them
    core_any: tuple[str, ...] = ()  # at least one needed
    sections: tuple[Section, ...] = ()
    window: tuple[str, ...] = ("posts",)  # tables whose last day ends the default window
    names: dict[str, Names] = field(default_factory=dict)
    without_store: str = ""  # a parameter (a file) that replaces the store, such as ab_test's data
    running: str = ""  # a campaign parameter that, left empty, means the campaign running on the store's last day

    def section(self, key: str) -> Section:
        for s in self.sections:
            if s.key == key:
                return s
        raise KeyError(key)

    def refusal(self, present: Iterable[str], playbook: str = "", lang: str = "en") -> str | None:
        """One line in ``lang`` (zh or en) when the store lacks a core table, else ``None``."""
        have = set(present)
        zh = lang == "zh"
        playbook = playbook or ("本报告" if zh else "this playbook")
        for table in self.core:
            if table not in have:
                if zh:
                    return f"{playbook}需要 {table} 表，由{EXPORTS_ZH[table]}导入（smkit ingest FILE --table {table}）；数据库里没有这张表"
                return f"{playbook} needs the {table} table, which {EXPORTS[table]} fills (smkit ingest FILE --table {table}); the store has none"
        if self.core_any and not have & set(self.core_any):
            if zh:
                fills = "；".join(f"{t}：{EXPORTS_ZH[t]}" for t in self.core_any)
                return f"{playbook}至少需要 {' 或 '.join(self.core_any)} 中的一张表，数据库里一张也没有（{fills}）"
            fills = "; ".join(f"{t}: {EXPORTS[t]}" for t in self.core_any)
            return f"{playbook} needs {' or '.join(self.core_any)} in the store, which none of them is ({fills})"
        return None

    def missing(self, present: Iterable[str]) -> dict[str, str]:
        """For each section whose tables are missing, the sentence the report shows instead."""
        have = set(present)
        out = {}
        for s in self.sections:
            absent = [t for t in s.tables if t not in have]
            if absent:
                out[s.key] = missing_sentence(s.what, absent)
        return out


def missing_text(missing: dict[str, str], section: str, sentences, lang: str) -> str:
    """The sentence a report shows where ``section`` would be (every absent
    section's when ``section`` is empty), from the playbook's message table
    ``sentences`` (a :class:`smkit.i18n.Catalog` with ``missing_<section>``)."""
    keys = [section] if section else list(missing)
    return "\n\n".join(sentences(f"missing_{key}", lang) for key in keys if key in missing)


def missing_sentence(what: str, absent: Sequence[str]) -> str:
    """``no account_daily: follower growth needs the account overview export``."""
    exports = " and ".join(EXPORTS[t].split(" (")[0] for t in absent)
    return f"*No {' or '.join(absent)} in the store: {what} needs {exports} (`smkit ingest FILE --table {absent[0]}`).*"


def present_tables(store: str | Path) -> dict[str, int]:
    """Rows per canonical table that the store holds with at least one row."""
    with store_mod.connect(store, read_only=True) as con:
        names = [r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()]
        counts = {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in names if t in TABLES}
    return {t: n for t, n in counts.items() if n}


def empty_frame(table: str) -> pd.DataFrame:
    """The table with no rows and its schema's columns and types, for a table the store lacks."""
    kinds = TABLES[table].columns
    frame = pd.DataFrame({c: pd.Series(dtype=_dtype(k)) for c, k in kinds.items()})
    return frame


def _dtype(kind: str) -> str:
    sql = DUCKDB_TYPES[kind]
    return {
        "BIGINT": "Int64",
        "DOUBLE": "float64",
        "TIMESTAMPTZ": "datetime64[ns, Asia/Shanghai]",
        "DATE": "datetime64[ns]",
        "BOOLEAN": "boolean",
    }.get(sql, "object")


def load_or_empty(table: str, present: Iterable[str], **kw) -> pd.DataFrame:
    """:func:`smkit.data.store.load` when the store holds ``table``, else its empty frame."""
    return store_mod.load(table, **kw) if table in set(present) else empty_frame(table)


def window_end(store: str | Path, tables: Sequence[str], where: dict[str, str] | None = None):
    """The last day with data in the first of ``tables`` (in order of
    preference) that the store holds with a dated row, or ``None``."""
    import datetime as dt

    where = where or {}
    last = None
    with store_mod.connect(store, read_only=True) as con:
        have = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        for table in tables:
            column = store_mod.TIME_COLUMNS.get(table)
            if table not in have or not column:
                continue
            cond = f" WHERE {where[table]}" if where.get(table) else ""
            value = con.execute(f'SELECT max("{column}") FROM {store_mod.whole(con, table)}{cond}').fetchone()[0]
            if value is None:
                continue
            return value.date() if isinstance(value, dt.datetime) else value
    return last


# --- names --------------------------------------------------------------------------------------------------


def names_in(store: str | Path, where: Sequence[tuple[str, str]], present: Iterable[str]) -> list[str]:
    """The distinct values of the named columns, over the tables the store holds."""
    have = set(present)
    found: set[str] = set()
    with store_mod.connect(store, read_only=True) as con:
        for table, column in where:
            if table not in have:
                continue
            cols = {r[0] for r in con.execute(f'DESCRIBE "{table}"').fetchall()}
            if column in cols:
                found |= {r[0] for r in con.execute(f'SELECT DISTINCT "{column}" FROM "{table}" WHERE "{column}" IS NOT NULL').fetchall()}
    return sorted(str(v) for v in found)


def own_accounts(store: str | Path, present: Iterable[str]) -> tuple[list[str], list[str]]:
    """(our own accounts, other accounts: KOLs and competitors).

    Ours are the accounts of the ``team`` table when the store has one; else
    the accounts of ``account_daily`` and the posts not marked ``kol``, and the
    brands of ``mentions`` when nothing else names one. Others are the KOL
    accounts of posts and every other account or brand the store names.
    """
    have = set(present)
    everything = names_in(store, [("posts", "account"), ("account_daily", "account"), ("mentions", "brand")], have)
    kol: set[str] = set()
    with store_mod.connect(store, read_only=True) as con:
        if "posts" in have:
            posts = store_mod.whole(con, "posts")
            kol = {r[0] for r in con.execute(f"SELECT DISTINCT account FROM {posts} WHERE channel IN ('kol', 'paid') AND account IS NOT NULL").fetchall()}
            owned_posts = {
                r[0]
                for r in con.execute(f"SELECT DISTINCT account FROM {posts} WHERE (channel IS NULL OR channel = 'owned') AND account IS NOT NULL").fetchall()
            }
        else:
            owned_posts = set()
    if "team" in have:
        ours = set(names_in(store, [("team", "account")], have))
    else:
        ours = owned_posts | set(names_in(store, [("account_daily", "account")], have))
        if not ours:
            ours = set(names_in(store, [("mentions", "brand")], have))
    kol -= ours
    others = sorted((set(everything) | kol) - ours)
    return sorted(ours), others


def did_you_mean(value: str, names: Sequence[str], lang: str = "en") -> str:
    close = difflib.get_close_matches(value, list(names), n=3, cutoff=0.5)
    if not close:
        low = {n.lower(): n for n in names}
        close = [low[m] for m in difflib.get_close_matches(value.lower(), list(low), n=3, cutoff=0.5)]
    if not close:
        return ""
    if lang == "zh":
        return f"是不是 {' 或 '.join(repr(c) for c in close)}？"
    return f" Did you mean {' or '.join(repr(c) for c in close)}?"


def _listing(names: Sequence[str], limit: int = 12, lang: str = "en") -> str:
    if not names:
        return "无" if lang == "zh" else "none"
    more = len(names) - limit
    if lang == "zh":
        return "、".join(names[:limit]) + (f" 等（另有 {more} 个）" if more > 0 else "")
    return ", ".join(names[:limit]) + (f" and {more} more" if more > 0 else "")


def check_names(store: str | Path, needs: Needs, given: dict[str, str], present: Iterable[str], playbook: str = "", lang: str = "en") -> dict[str, str]:
    """Check the parameters that name things in the store and resolve empty
    "own" ones; returns the resolved values. Raises :class:`MissingData` with
    one line in ``lang`` (and a "did you mean") for a name the store does not hold."""
    have = set(present)
    out: dict[str, str] = {}
    zh = lang == "zh"
    prefix = (f"{playbook}：" if zh else f"{playbook}: ") if playbook else ""
    for param, spec in needs.names.items():
        value = str(given.get(param) or "").strip()
        tables = [t for t, _ in spec.where if t in have]
        if not tables:
            continue  # the section that would use it is absent; its sentence says so
        if not value:
            if spec.own:
                ours, others = own_accounts(store, have)
                candidates = [n for n in ours if n in set(names_in(store, spec.where, have))] or ours
                if len(candidates) == 1:
                    out[param] = candidates[0]
                    continue
                if spec.fallback_all:
                    continue
                if zh:
                    ours_is = "我方账号（来自 team 表）" if "team" in have else "品牌账号（我方或竞品的；导入 team 表即可区分）"
                    raise MissingData(
                        f"{prefix}请用 -p {param} 名称 指定我方品牌；数据库里有这些{ours_is}：{_listing(candidates, lang=lang)}；"
                        f"达人和其他账号（不是我方）：{_listing(others, lang=lang)}"
                    )
                ours_is = "own accounts (the team table's)" if "team" in have else "brand accounts (ours or competitors': add a team table to tell them apart)"
                raise MissingData(
                    f"{prefix}{param}: give our brand's name (-p {param} NAME); the store holds these {ours_is}: {_listing(candidates)};"
                    f" KOL and other accounts, not ours: {_listing(others)}"
                )
            continue
        names = names_in(store, spec.where, have)
        items = [v.strip() for v in _split(value)] if spec.many else [value]
        for item in items:
            if item.lower() in spec.keywords:
                continue
            check = normalise_platform(item) if param in ("platform", "platforms") else item
            if check not in names:
                where = " or ".join(f"{t}.{c}" for t, c in spec.where if t in have)
                if zh:
                    raise MissingData(
                        f"{prefix}{param} {item!r} 不在数据库里（{where}）。{did_you_mean(item, names, lang)}已有的名称：{_listing(names, lang=lang)}"
                    )
                raise MissingData(f"{prefix}{param} {item!r} is not in the store ({where}).{did_you_mean(item, names)} Names found: {_listing(names)}")
    if needs.running and "campaigns" in have and not str(given.get(needs.running) or "").strip():
        out[needs.running] = running_campaign(store, needs.window, prefix, lang)
    return out


def running_campaign(store: str | Path, tables: Sequence[str], prefix: str = "", lang: str = "en") -> str:
    """The campaign running on the last day of ``tables`` (the one that started
    last when several do); :class:`MissingData` in one line when none does."""
    day = window_end(store, tables)
    with store_mod.connect(store, read_only=True) as con:
        rows = con.execute('SELECT campaign_id, start_date, end_date FROM "campaigns" ORDER BY start_date DESC').fetchall()
    zh = lang == "zh"
    if day is None:
        if zh:
            raise MissingData(f"{prefix}数据库里没有 {' 或 '.join(tables)} 数据，找不到哪一天在进行的活动；请用 -p campaign_id 编号 指定活动")
        raise MissingData(f"{prefix}the store has no {' or '.join(tables)} rows, so no day to find a running campaign on; give -p campaign_id ID")
    running = [r[0] for r in rows if r[1] is not None and r[2] is not None and r[1] <= day <= r[2]]
    if running:
        return str(running[0])
    ended = ", ".join(f"{r[0]} ({r[1]:%Y-%m-%d}–{r[2]:%Y-%m-%d})" for r in rows[:6] if r[1] is not None and r[2] is not None)
    if zh:
        raise MissingData(f"{prefix}数据库的最后一天 {day:%Y-%m-%d} 没有进行中的活动；请用 -p campaign_id 编号 指定一个（活动：{ended or '无'}）")
    raise MissingData(f"{prefix}no campaign runs on {day:%Y-%m-%d}, the store's last day; give one with -p campaign_id ID (campaigns: {ended or 'none'})")


def _split(value: str) -> list[str]:
    from smkit.params import parse_list

    return list(parse_list(value))
