"""Campaign post-mortem: what the campaign caused, at what cost, and what to change.

Backs ``notebooks/campaign_postmortem.ipynb`` (plan chapter 7, 营销效果评估).
Where the numbers come from:

- **KPIs**: the campaign's posts (``posts.campaign_id``: owned, paid and KOL),
  against ``target_<metric>`` and against the brand's own posts on the
  campaign's platforms in the equally long period before it (the baseline).
- **Cost**: the campaign posts' ``spend`` (per-post fees: KOL, paid posts)
  plus the brand accounts' ``account_daily.spend`` on the campaign platforms
  in the window (promotion not tied to a post).
- **Incremental lift**: the brand's daily account metrics on the campaign
  platforms against a counterfactual from :mod:`smkit.methods.causal`, with the
  brand's other platforms and competitors on the same platforms as controls.
- **Funnel**: the brand accounts' daily views, engagements, clicks and
  conversions, campaign window against the period before.

``run(cfg, settings(...))`` is the one entry point; :mod:`.report` shows the result.
"""

from . import report
from .analysis import analyze, run
from .inputs import Campaign, Inputs, load
from .needs import NEEDS
from .parameters import LIFT_METRICS, Settings, settings
from .result import Result
from .suggestions import Suggestion

__all__ = ["NEEDS", "LIFT_METRICS", "Campaign", "Inputs", "Result", "Settings", "Suggestion", "analyze", "load", "report", "run", "settings"]
