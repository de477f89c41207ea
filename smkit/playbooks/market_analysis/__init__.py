"""Market analysis and platform selection (市场分析, 平台选择与定位).

Where does our brand stand against its competitors, and which platforms
should carry it?

- **Share of voice**: each brand's share of earned mentions (the brand's own
  replies excluded), by count and engagement-weighted (a mention counts once
  plus its likes, comments and shares), overall, by platform and by week.
- **Net sentiment** per brand: (positive - negative) / (positive + negative).
- **Benchmarking** per platform: posting volume, engagement rate on one basis
  for every platform compared (per impression when all report impressions,
  else per view), follower growth and content mix; our brand against its
  competitors pooled, as a rate ratio with a delta-method interval and Holm's
  correction across platforms, so only real differences are flagged.
- **Trends**: weekly growth of mentions and of our views per platform from a
  quasi-Poisson log-linear fit on complete weeks.
- **Audience fit**: the share of each platform's audience matching a target.
- **Platform score**: a weighted mean of min-max normalised criteria, and its
  sensitivity to the weights (Dirichlet draws around them); the three best
  platforms become the primary, secondary and test platforms.

``s = settings(...)``, ``result = run(cfg, s)``, then :mod:`.report` presents it.
"""

from . import report
from .analysis import analyze, run
from .audience import Target
from .inputs import Inputs, Settings, load, settings
from .needs import NEEDS
from .platform_score import CRITERIA, DEFAULT_WEIGHTS
from .result import Result

__all__ = ["NEEDS", "CRITERIA", "DEFAULT_WEIGHTS", "Inputs", "Result", "Settings", "Target", "analyze", "load", "report", "run", "settings"]
