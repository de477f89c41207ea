"""The A/B playbook's parameters and the experiment rows it reads.

Rows come from a file (CSV, XLSX or Parquet, read and validated as an
``experiments`` export) or else from the store; either per-unit rows or a
platform's aggregated export (``units`` and sums per variant) will do.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from smkit import i18n
from smkit.methods.stats import MULTIPLE_TESTING_METHODS
from smkit.params import Config, parse_date, parse_list, parse_mapping, parse_path

DEFAULT_SEQUENTIAL_TUNING = 5000


@dataclass(frozen=True)
class Settings:
    """The validated parameters of an A/B analysis.

    ``start``/``end`` bound the units' assignment time; ``None`` means all
    units (not a default window: an aggregated export has no assignment time).
    """

    data: Path | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    experiment_id: str = ""
    control: str = "control"
    metrics: tuple[str, ...] = ()
    guardrails: tuple[str, ...] = ()
    lower_is_better: tuple[str, ...] = ()
    alpha: float = 0.05
    correction: str = "holm"
    planned_units: int | None = None
    planned_split: dict[str, float] | None = None
    sequential_tuning: float = DEFAULT_SEQUENTIAL_TUNING
    design_baseline: float = 0.1
    design_sd: float | None = None
    design_mde: float = 0.1
    design_power: float = 0.8
    design_variants: int = 2
    design_daily_traffic: int | None = 5000
    lang: str = i18n.DEFAULT_LANGUAGE  # the report's language (presentation only: the analysis never reads it)


def settings(
    data: str | Path | None = "",
    start: str | dt.date | None = "",
    end: str | dt.date | None = "",
    experiment_id: str = "",
    control: str = "control",
    metrics: str | tuple[str, ...] = "",
    guardrails: str | tuple[str, ...] = "",
    lower_is_better: str | tuple[str, ...] = "",
    alpha: float = 0.05,
    correction: str = "holm",
    planned_units: int | None = 0,
    planned_split: str = "",
    sequential_tuning: float = DEFAULT_SEQUENTIAL_TUNING,
    design_baseline: float = 0.1,
    design_sd: float | None = 0.0,
    design_mde: float = 0.1,
    design_power: float = 0.8,
    design_variants: int = 2,
    design_daily_traffic: int | None = 5000,
    lang: str = i18n.DEFAULT_LANGUAGE,
) -> Settings:
    """Validate the notebook's parameters. Lists are comma-separated
    (``clicks/impressions, watch_seconds``; ``a/b`` is a ratio metric); empty
    ``metrics`` means every numeric column; ``planned_split`` is
    ``control:0.5, treatment:0.5`` (empty: equal shares); ``planned_units``,
    ``design_sd`` and ``design_daily_traffic`` 0 mean unknown."""
    first, last = parse_date(start, "start"), parse_date(end, "end")
    if first and last and first > last:
        raise ValueError(f"start {first} is after end {last}")
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be between 0 and 1, got {alpha}")
    if correction not in MULTIPLE_TESTING_METHODS:
        raise ValueError(f"unknown correction {correction!r}; valid: {', '.join(MULTIPLE_TESTING_METHODS)}")
    if planned_units is not None and planned_units < 0:
        raise ValueError(f"planned_units must be 0 (unknown) or more, got {planned_units}")
    if sequential_tuning <= 0:
        raise ValueError(f"sequential_tuning must be positive, got {sequential_tuning}")
    if not 0 < design_power < 1:
        raise ValueError(f"design_power must be between 0 and 1, got {design_power}")
    if design_variants < 2:
        raise ValueError(f"design_variants counts control too, so it must be 2 or more, got {design_variants}")
    split = parse_mapping(planned_split, "planned_split", example="control:0.5, treatment:0.5") or None
    if split and any(share < 0 for share in split.values()):
        raise ValueError(f"planned_split: shares must not be negative, got {planned_split!r}")
    return Settings(
        data=parse_path(data, "data", must_exist=True),
        start=first,
        end=last,
        experiment_id=str(experiment_id or "").strip(),
        control=str(control or "").strip(),
        metrics=parse_list(metrics),
        guardrails=parse_list(guardrails),
        lower_is_better=parse_list(lower_is_better),
        alpha=float(alpha),
        correction=correction,
        planned_units=int(planned_units) if planned_units else None,
        planned_split=split,
        sequential_tuning=float(sequential_tuning),
        design_baseline=float(design_baseline),
        design_sd=float(design_sd) if design_sd else None,
        design_mde=float(design_mde),
        design_power=float(design_power),
        design_variants=int(design_variants),
        design_daily_traffic=int(design_daily_traffic) if design_daily_traffic else None,
        lang=i18n.check_language(str(lang)),
    )


@dataclass(frozen=True)
class Inputs:
    """The experiment rows (every experiment read) and the one to analyse
    (empty: the rows must hold a single experiment)."""

    rows: pd.DataFrame
    experiment_id: str = ""


def latest_experiment(data: pd.DataFrame) -> str:
    """The experiment whose units were assigned most recently."""
    if "assigned_at" in data and data["assigned_at"].notna().any():
        return str(data.groupby("experiment_id")["assigned_at"].min().idxmax())
    return str(data["experiment_id"].iloc[-1])


def load(cfg: Config, s: Settings) -> Inputs:
    """Experiment rows from ``s.data`` or else the store, and the experiment
    to analyse: ``s.experiment_id``, else the most recently started."""
    if s.data:
        from smkit.data.ingest import prepare

        rows = prepare(s.data, "experiments").frame
    else:
        from smkit.data import store

        rows = store.load("experiments", store=cfg.store, start=s.start, end=s.end)
    return Inputs(rows, s.experiment_id or latest_experiment(rows))
