"""Content performance and a publishing plan: effects modelled, not averaged.

Backs ``notebooks/content_performance.ipynb`` (plan chapter 3: 内容策划,
发布节奏, 内容评估标准). It answers which content types work on which
platform, when to post, how often and on which themes, with the uncertainty
of each effect, and lays the answer out as a publishing plan.

- **Engagement** (:mod:`.prepare`) is a count of interactions (each
  platform's definition in :data:`smkit.rules.PLATFORM_ENGAGEMENT`, or parts
  named by the reader) over an exposure: followers on the day of posting
  (default), views or impressions; one platform uses one exposure throughout.
- **Content-type effects** (:mod:`.model`, :mod:`.effects`): a negative
  binomial GLM per platform with the log exposure as offset; rate ratios
  against the platform's most common type, called after Holm. Completion is
  compared only within the same form (体裁).
- **Posting time** (:mod:`.timing`): each of the 168 slots against the
  platform's average slot, shrunk, and *confident* only after Holm across
  every slot of every platform.
- **Cadence** (:mod:`.cadence`), **themes** (:mod:`.themes`), **post scores**
  (:mod:`.scores`) and the **plan** (:mod:`.plan`: ``calendar.csv`` and an
  RFC 5545 ``calendar.ics``).

``run(cfg, settings(...))`` is the notebook's one call; :mod:`.report` turns
the :class:`Result` into tables, figures and text.
"""

from __future__ import annotations

from . import report
from .analysis import analyze, run
from .inputs import Inputs, load
from .model import POOLED
from .needs import NEEDS
from .plan import export_plan
from .result import Result
from .settings import Settings, settings

__all__ = ["NEEDS", "POOLED", "Inputs", "Result", "Settings", "analyze", "export_plan", "load", "report", "run", "settings"]
