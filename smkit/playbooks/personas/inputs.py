"""The audience the personas are made from.

:func:`load` is the only function of the playbook that reads the store or a file.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from smkit.data.ingest import prepare
from smkit.data.store import load as load_table

if TYPE_CHECKING:
    from smkit.params import Config

    from .parameters import Settings


@dataclass(frozen=True)
class Inputs:
    """One row per user: ids, attributes and behaviour."""

    audience: pd.DataFrame


def load(cfg: Config, s: Settings) -> Inputs:
    """The audience from ``s.data`` (read and validated as an ``audience``
    export) or, when no file is given, from the store's ``audience`` table."""
    if s.data is not None:
        return Inputs(prepare(s.data, "audience").frame)
    return Inputs(load_table("audience", store=cfg.store))
