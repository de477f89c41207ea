"""The personas playbook's parameters, validated once."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from smkit import i18n
from smkit.params import parse_list, parse_path

from .models import METHODS


@dataclass(frozen=True)
class Settings:
    """Where the audience comes from and how personas are made.

    ``data`` is an audience file (CSV/XLSX/Parquet) read instead of the store;
    ``features`` empty uses every column but ids; ``k`` ``None`` chooses the
    number of personas from 1 to ``k_max``.
    """

    data: Path | None = None
    features: tuple[str, ...] = ()
    id_column: str = "user_id"
    method: str = "kmeans"
    k: int | None = None
    k_max: int = 8
    seed: int = 0
    bootstraps: int = 4  # bootstrap refits per k for the stability check
    lang: str = i18n.DEFAULT_LANGUAGE  # the report's language (presentation only: the analysis never reads it)


def settings(
    data: str | Path | None = "",
    features: str | Sequence[str] | None = "",
    id_column: str = "user_id",
    method: str = "kmeans",
    k: int | None = 0,
    k_max: int = 8,
    seed: int = 0,
    bootstraps: int = 4,
    lang: str = i18n.DEFAULT_LANGUAGE,
) -> Settings:
    """Validate the notebook's parameters; ``features`` is a list such as
    ``"age, gender"``; ``k`` 0 (or ``None``) chooses k from the data."""
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; valid methods: {', '.join(METHODS)}")
    k = int(k or 0)
    if k < 0:
        raise ValueError(f"k must be 0 (choose from the data) or a number of personas, got {k}")
    if int(k_max) < 2:
        raise ValueError(f"k_max must be at least 2, got {k_max}")
    if int(bootstraps) < 0:
        raise ValueError(f"bootstraps must be 0 or more, got {bootstraps}")
    id_column = str(id_column).strip()
    if not id_column:
        raise ValueError("id_column must name the user id column")
    return Settings(
        data=parse_path(data, "data", must_exist=True),
        features=parse_list(features),
        id_column=id_column,
        method=method,
        k=k or None,
        k_max=int(k_max),
        seed=int(seed),
        bootstraps=int(bootstraps),
        lang=i18n.check_language(lang),
    )
