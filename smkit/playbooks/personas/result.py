"""The personas playbook's result: the fitted model and the audience it describes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from smkit.data.safe_csv import write_csv

from .models import PersonaModel
from .traits import Persona, top_traits

ASSIGNMENTS_FILE = "assignments.csv"
MODEL_FILE = "persona_model.joblib"


@dataclass(frozen=True)
class Result:
    """Personas of one audience: ``model`` (fitted :class:`PersonaModel`) and
    the ``audience`` it was fitted on, in the same row order as its labels."""

    model: PersonaModel
    audience: pd.DataFrame

    @property
    def k(self) -> int:
        return self.model.k_

    @property
    def has_structure(self) -> bool:
        """Whether the personas are more than noise (gap statistic and stability)."""
        return self.model.has_structure_

    @property
    def personas(self) -> list[Persona]:
        return self.model.personas_

    @property
    def selection(self) -> pd.DataFrame:
        """Gap, silhouette, BIC and stability per k tried; ``chosen`` marks k."""
        return self.model.selection_

    @property
    def traits(self) -> pd.DataFrame:
        """Every persona's traits with lifts and Holm-adjusted tests."""
        return self.model.traits_

    @property
    def has_traits(self) -> bool:
        """Whether any persona has a defining trait (else there is no heatmap to draw)."""
        return any(not top_traits(p.traits).empty for p in self.personas)

    def assignments(self) -> pd.DataFrame:
        """``id, persona, persona_name`` per user, for targeting."""
        return self.model.assignments(self.audience)

    def to_summary(self) -> dict:
        """The ``summary.json`` figures of the personas playbook."""
        m = self.model
        return {
            "k": m.k_,
            "method": m.method,
            "silhouette": m.silhouette_,
            "stability_ari": m.stability_ari_,
            "has_structure": m.has_structure_,
            "personas": [{"name": p.name, "name_zh": p.name_zh, "size": p.size, "share": p.share, "top_traits": p.top_traits} for p in m.personas_],
        }


def save_outputs(result: Result, folder: str | Path) -> dict[str, Path]:
    """Write the assignments (CSV, UTF-8 with BOM for Excel) and the model (joblib) to ``folder``."""
    folder = Path(folder)
    paths = {"assignments": folder / ASSIGNMENTS_FILE, "model": folder / MODEL_FILE}
    write_csv(result.assignments(), paths["assignments"], encoding="utf-8-sig")  # ids such as =cmd|... cannot run in Excel
    result.model.save(paths["model"])
    return paths
