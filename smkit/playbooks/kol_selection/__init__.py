"""Choosing KOLs before paying them: expected engagements and cost per engagement
(shrunk toward the norm of the creator's peers), audience fit, signals of bought
followers or engagement, and the shortlist that gets the most out of a budget.

Backs ``notebooks/kol_selection.ipynb``.

    cfg = setup(store=store, needs=NEEDS)
    s = settings(budget=200000)
    result = run(cfg, s)
    result.to_summary(); report.shortlist_table(result)
"""

from __future__ import annotations

from smkit.params import Config
from smkit.playbooks.kol_selection import report
from smkit.playbooks.kol_selection.analysis import analyze
from smkit.playbooks.kol_selection.inputs import CreatorFileError, Inputs, Settings, load, settings
from smkit.playbooks.kol_selection.needs import NEEDS
from smkit.playbooks.kol_selection.result import Result

__all__ = ["NEEDS", "CreatorFileError", "Inputs", "Result", "Settings", "analyze", "load", "report", "run", "settings"]


def run(cfg: Config, s: Settings) -> Result:
    """Load the creator list and what the store adds, and analyse it."""
    return analyze(load(cfg, s), s)
