"""Data overview: what the store holds, how complete each platform's data is,
and the posts that stood out in the window.

Backs ``notebooks/data_overview.ipynb``, the first thing to read after an
ingest (plan chapter 6: collect, clean, organise).

    cfg = setup(store=store, start=start, end=end)
    result = run(cfg, settings(account="Lumina", top_n=10, lang="zh"))
    result.to_summary(); report.brief(result, "zh"); report.top_posts_table(result, "zh")

Reports are written in ``s.lang`` (every sentence from :mod:`.messages`).
"""

from __future__ import annotations

from smkit.params import Config
from smkit.playbooks.data_overview import report
from smkit.playbooks.data_overview.analysis import Result, analyze
from smkit.playbooks.data_overview.inputs import Inputs, Settings, load, settings
from smkit.playbooks.data_overview.needs import NEEDS

__all__ = ["NEEDS", "Inputs", "Result", "Settings", "analyze", "load", "report", "run", "settings"]


def run(cfg: Config, s: Settings) -> Result:
    """Read the window from the store and summarise it."""
    return analyze(load(cfg, s), s)
