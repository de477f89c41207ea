"""The data overview's parameters and what it reads from the store: every
table's rows and span, and the window's posts and account days."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from smkit import i18n, requirements
from smkit.data import aggregates
from smkit.data import store as store_mod
from smkit.params import Config


@dataclass(frozen=True)
class Settings:
    """``account``: the brand's own account, for the daily views chart (empty:
    every account); ``top_n``: how many top posts to list; ``lang``: the
    report's language (``zh`` or ``en``; the figures never depend on it)."""

    account: str = ""
    top_n: int = 10
    lang: str = i18n.DEFAULT_LANGUAGE


def settings(account: str = "", top_n: int = 10, lang: str = i18n.DEFAULT_LANGUAGE) -> Settings:
    """Validate the notebook's parameters."""
    if int(top_n) < 1:
        raise ValueError(f"top_n must be at least 1, got {top_n}")
    return Settings(str(account or "").strip(), int(top_n), i18n.check_language(lang))


@dataclass(frozen=True)
class Inputs:
    """The window, rows per table (``table_counts``), each table's first and
    last day (``tables``), and the window's posts and account days."""

    start: dt.date
    end: dt.date
    table_counts: dict[str, int]
    tables: pd.DataFrame
    posts: pd.DataFrame
    daily: pd.DataFrame
    present: tuple[str, ...] = ()  # the tables the store holds


def _table_spans(cfg: Config, counts: dict[str, int]) -> pd.DataFrame:
    """Rows and first and last day of every table (``None`` for a table without a time column),
    aggregated by the engine (:mod:`smkit.data.aggregates`): no table's rows are read into memory."""
    with aggregates.open_backend(cfg.store) as con:
        spans = aggregates.table_spans(con, list(counts))
    return spans.reindex(list(counts)).rename_axis("table")


def load(cfg: Config, s: Settings) -> Inputs:
    """Everything the overview shows, read from ``cfg.store`` for the window ``cfg.start``..``cfg.end``."""
    counts = store_mod.table_counts(cfg.store)
    present = tuple(requirements.present_tables(cfg.store))
    window = {"store": cfg.store, "start": cfg.start, "end": cfg.end}
    return Inputs(
        start=cfg.start,
        end=cfg.end,
        table_counts=counts,
        tables=_table_spans(cfg, counts),
        posts=requirements.load_or_empty("posts", present, **window),
        daily=requirements.load_or_empty("account_daily", present, **window),
        present=present,
    )
