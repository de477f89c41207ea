"""kol_selection's parameters and the frames it reads.

The creator list comes from a file (a KOL platform's export, read and
validated as a ``creators`` export) or else from the store. Follower
history (``creator_daily``), the brand's audience (``audience``) and past
KOL posts (``posts`` with a ``creator``) come from the store when it has them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from smkit import i18n
from smkit.data.schema import normalise_platform
from smkit.params import Config, parse_list, parse_mapping, parse_path
from smkit.playbooks.kol_selection.fit import TARGET_KEYS, target_from_audience, target_from_mapping
from smkit.playbooks.kol_selection.needs import NEEDS

OBJECTIVES = ("fit_engagements", "engagements")


@dataclass(frozen=True)
class Settings:
    """The validated parameters of a creator selection."""

    data: Path | None = None
    budget: float = 200_000.0
    platforms: tuple[str, ...] = ()
    target_audience: dict[str, float] = field(default_factory=dict)
    objective: str = "fit_engagements"
    lang: str = i18n.DEFAULT_LANGUAGE  # the report's language (presentation only)


def settings(
    data: str | Path | None = "",
    budget: float = 200_000.0,
    platforms: str | tuple[str, ...] = "",
    target_audience: str = "",
    objective: str = "fit_engagements",
    lang: str = i18n.DEFAULT_LANGUAGE,
) -> Settings:
    """Validate the notebook's parameters. ``platforms`` is a list (``抖音, 小红书``;
    empty: all); ``target_audience`` is ``female:0.7, 25-34:0.5, 华东:0.3`` (keys:
    female, the age bands under18 18-24 25-34 35-44 45plus, region names; empty:
    the store's audience table)."""
    if not budget or budget <= 0:
        raise ValueError(f"budget must be a positive amount of yuan, got {budget}")
    if objective not in OBJECTIVES:
        raise ValueError(f"unknown objective {objective!r}; valid: {', '.join(OBJECTIVES)}")
    mapping = parse_mapping(target_audience, "target_audience", example="female:0.7, 25-34:0.5, 华东:0.3")
    return Settings(
        data=parse_path(data, "data", must_exist=True),
        budget=float(budget),
        platforms=tuple(normalise_platform(p) for p in parse_list(platforms)),
        target_audience=target_from_mapping(mapping),
        objective=objective,
        lang=i18n.check_language(str(lang)),
    )


@dataclass(frozen=True)
class Inputs:
    """The creators, their follower history, the audience to fit and past KOL posts.

    ``target`` is empty when neither a parameter nor the store gives an audience;
    ``missing`` maps a section (``history``, ``fit``, ``past``) to why it is absent.
    """

    creators: pd.DataFrame
    history: pd.DataFrame
    target: dict[str, float]
    target_source: str  # "parameter", "audience" or ""
    past: pd.DataFrame
    source: str
    missing: dict[str, str] = field(default_factory=dict)


class CreatorFileError(ValueError):
    """A creator list with rows that cannot be read; the message names file, row and column."""


def read_creator_file(path: Path) -> pd.DataFrame:
    """A creator list export as canonical ``creators`` rows; any unreadable row is refused
    with one message naming the file, the row and the column."""
    from smkit.data.ingest import prepare

    prepared = prepare(path, "creators")
    bad = prepared.quarantine
    if len(bad):
        first = bad.iloc[0]
        more = f" ({len(bad)} rows in all; fix them or remove them)" if len(bad) > 1 else ""
        raise CreatorFileError(f"{path}: row {int(first['row'])}: {first['reason']}{more}")
    return prepared.frame


def load(cfg: Config, s: Settings) -> Inputs:
    """Creators from ``s.data`` or else the store, and what the store adds."""
    from smkit import requirements
    from smkit.data import store

    present = requirements.present_tables(cfg.store)
    if s.data:
        creators = read_creator_file(s.data)
        source = s.data.name
    else:
        creators = store.load("creators", store=cfg.store)
        source = "creators"
    if s.platforms:
        creators = creators[creators["platform"].isin(s.platforms)]
    missing = NEEDS.missing(present)
    history = store.load("creator_daily", store=cfg.store) if "creator_daily" in present else requirements.empty_frame("creator_daily")
    target, target_source = dict(s.target_audience), "parameter" if s.target_audience else ""
    if not target and "audience" in present:
        target = target_from_audience(store.load("audience", store=cfg.store))
        target_source = "audience" if target else ""
    if target_source == "parameter":
        missing.pop("fit", None)
    past = requirements.empty_frame("posts")
    if "posts" in present:
        posts = store.load("posts", store=cfg.store)
        past = posts[posts["creator"].notna()] if "creator" in posts else past
    return Inputs(creators.reset_index(drop=True), history, target, target_source, past, source, missing)


__all__ = ["OBJECTIVES", "TARGET_KEYS", "CreatorFileError", "Inputs", "Settings", "load", "read_creator_file", "settings"]
