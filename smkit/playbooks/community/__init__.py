"""Community: what events did, the points economy, growth, members at risk,
the feedback loop and which persona each topic serves.

Backs ``notebooks/community.ipynb`` (plan chapter 4 and 6.3):

- **event effects** (:mod:`.events`): each event's lift in daily active
  members and contributions against a counterfactual from the days before it
  (the campaign model, :mod:`smkit.methods.causal`), pooled per event type;
- **points economy and levels** (:mod:`.points`): earned, redeemed, expired
  and outstanding points, the liability, redemption by level, and levels over
  a rolling window (members fall when they stop);
- **growth funnel** (:mod:`.growth`): newcomer → active → core per month;
- **members at risk** (:mod:`.churn`): a logistic regression on recency,
  frequency, trend and tenure, validated on a held-out month, and the list to
  re-engage;
- **feedback loop** (:mod:`.feedback`): volume by category (uncategorised
  feedback filed by keywords), hours to first response and resolution, open
  items by age, recurring issues and the monthly view;
- **personas to content** (:mod:`.personas`).

``run(cfg, settings(...))`` is the one entry point; :mod:`.report` turns the
:class:`Result` into text, tables and figures.
"""

from __future__ import annotations

from smkit.params import Config

from . import report
from .analysis import analyze
from .inputs import Inputs, load
from .needs import NEEDS
from .parameters import DEFAULT_LEVELS, DEFAULT_POINTS, Settings, settings
from .result import Result

__all__ = ["NEEDS", "DEFAULT_LEVELS", "DEFAULT_POINTS", "Inputs", "Result", "Settings", "analyze", "load", "report", "run", "settings"]


def run(cfg: Config, s: Settings) -> Result:
    """The whole community report of ``cfg.start``..``cfg.end`` in ``cfg.store``."""
    return analyze(load(cfg), s)
