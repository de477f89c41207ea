"""The playbook's parameters and the data it reads: the store's tables and the platform facts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from smkit import i18n, paths, requirements
from smkit.methods import mention_engine
from smkit.params import Config, parse_list, parse_mapping, parse_path

from .audience import Target
from .platform_score import CRITERIA, DEFAULT_WEIGHTS

FACTS_FILE = "platform_facts.csv"  # in the reference folder (smkit.paths.reference_dir)


@dataclass(frozen=True)
class Settings:
    """The market analysis's validated parameters."""

    brand: str = "Lumina"
    competitors: tuple[str, ...] = ()  # empty for every other brand in the mentions
    target: Target = field(default_factory=Target)
    weights: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    resources: dict[str, float] = field(default_factory=dict)  # platform: capacity 0..1; empty for posting volume
    alpha: float = 0.05
    concentration: float = 20.0
    draws: int = 2000
    seed: int = 0
    facts: Path | None = None  # the platform facts table; None for the shipped reference table
    lang: str = i18n.DEFAULT_LANGUAGE  # the report's language (presentation only: the analysis never reads it)


def _amounts(value: str | None, name: str, example: str, valid: Sequence[str] | None = None) -> dict[str, float]:
    """``key:number`` pairs whose numbers are 0 or more."""
    out = parse_mapping(value, name, valid=valid, example=example)
    for key, number in out.items():
        if number < 0:
            raise ValueError(f"{name}: '{key}:{number:g}' needs a number of 0 or more, as in {example!r}")
    return out


def settings(
    brand: str = "Lumina",
    competitors: str | Sequence[str] = "",
    target: str = "",
    weights: str = "",
    resources: str = "",
    alpha: float = 0.05,
    concentration: float = 20.0,
    draws: int = 2000,
    seed: int = 0,
    facts: str | Path = "",
    lang: str = i18n.DEFAULT_LANGUAGE,
) -> Settings:
    """Validate and parse the notebook's parameters (lists and mappings as :mod:`smkit.params` reads them)."""
    if not str(brand).strip():
        raise ValueError("brand: give our brand's name, as its account appears in posts and its name in mentions")
    if not 0 < float(alpha) < 1:
        raise ValueError(f"alpha must be between 0 and 1, got {alpha}")
    if float(concentration) <= 0:
        raise ValueError(f"concentration must be above 0, got {concentration}")
    if int(draws) < 1:
        raise ValueError(f"draws must be 1 or more, got {draws}")
    return Settings(
        brand=str(brand).strip(),
        competitors=parse_list(competitors),
        target=Target.parse(target),
        weights={**DEFAULT_WEIGHTS, **_amounts(weights, "weights", "engagement:0.3, growth:0.2", valid=list(CRITERIA))},
        resources=_amounts(resources, "resources", "weibo:1, douyin:0.5"),
        alpha=float(alpha),
        concentration=float(concentration),
        draws=int(draws),
        seed=int(seed),
        facts=parse_path(facts, "facts", must_exist=True),
        lang=i18n.check_language(lang),
    )


@dataclass(frozen=True)
class Inputs:
    """The frames the market analysis reads, for the window ``start``..``end``."""

    start: dt.date
    end: dt.date
    mentions: pd.DataFrame  # mention rows, or rows summed in the engine (smkit.methods.mention_engine.mention_groups)
    posts: pd.DataFrame
    daily: pd.DataFrame  # account_daily
    audience: pd.DataFrame  # not windowed: a snapshot of the followers
    facts: pd.DataFrame  # the platform facts, indexed by platform
    present: tuple[str, ...] = ("posts", "account_daily", "mentions", "audience")  # the tables the store holds


def reference_facts(path: Path | None = None) -> pd.DataFrame:
    """The editable table of platform facts, each row with its source and date."""
    path = path or paths.reference_dir() / FACTS_FILE
    facts = pd.read_csv(path, dtype={"as_of": str})
    missing = {"platform", "source", "as_of"} - set(facts.columns)
    if missing:
        raise ValueError(f"{path}: missing column(s) {', '.join(sorted(missing))}")
    undated = facts[facts["source"].isna() | facts["as_of"].isna()]
    if len(undated):
        raise ValueError(f"{path}: row(s) {', '.join(str(i + 2) for i in undated.index)} lack a source or date")
    return facts.set_index("platform")


def load(cfg: Config, s: Settings) -> Inputs:
    """Read the window's mentions, posts and account days, the audience and the platform facts."""
    window = {"store": cfg.store, "start": cfg.start, "end": cfg.end}
    present = tuple(requirements.present_tables(cfg.store))
    return Inputs(
        start=cfg.start,
        end=cfg.end,
        # Summed in the engine (per day, brand, platform, sentiment label): the window's raw mentions never come here.
        mentions=mention_engine.load_groups(cfg.store, cfg.start, cfg.end) if "mentions" in present else requirements.empty_frame("mentions"),
        posts=requirements.load_or_empty("posts", present, **window),
        daily=requirements.load_or_empty("account_daily", present, **window),
        audience=requirements.load_or_empty("audience", present, store=cfg.store),
        facts=reference_facts(s.facts),
        present=present,
    )
