"""A/B content evaluation: did a title, cover, copy or format change work, and
how many units does the next test need?

Backs ``notebooks/ab_test.ipynb``. The analysis works on sufficient statistics,
so per-unit rows and a platform's aggregated export give the same answer:
Welch t with delta-method relative intervals, Holm/BH across variants and
metrics, Bayesian chance to beat control and expected loss, ratio metrics,
CUPED, always-valid intervals for early reads, the sample ratio check,
guardrails and a ship / do not ship / keep running decision. On a store the
per-unit sums are taken in the engine (:mod:`.at_scale`), so memory does not
grow with the units; a ``data`` file is read into pandas.

    cfg = setup(store=store, window_table="experiments")
    s = settings(metrics="clicks/impressions, watch_seconds", guardrails="hides")
    result = run(cfg, s)
    result.to_summary(); report.decisions_table(result)
"""

from __future__ import annotations

from smkit.params import Config
from smkit.playbooks.ab_test import report
from smkit.playbooks.ab_test.analysis import analyze
from smkit.playbooks.ab_test.at_scale import run_in_engine
from smkit.playbooks.ab_test.inputs import Inputs, Settings, load, settings
from smkit.playbooks.ab_test.needs import NEEDS
from smkit.playbooks.ab_test.result import Comparison, Decision, Result, Trend

__all__ = ["NEEDS", "Comparison", "Decision", "Inputs", "Result", "Settings", "Trend", "analyze", "load", "report", "run", "settings"]


def run(cfg: Config, s: Settings) -> Result:
    """Analyse the chosen experiment: the rows of ``s.data`` in pandas, or the
    store's summed in the engine (:func:`.at_scale.run_in_engine`, the same result)."""
    if s.data:
        return analyze(load(cfg, s), s)
    return run_in_engine(cfg, s)
