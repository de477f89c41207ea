"""Campaign pacing: a campaign in flight against its targets and budget.

Backs ``notebooks/campaign_pacing.ipynb`` (plan chapter 7.2, 执行与监控). For
each target metric: progress against the trajectory the target implies (spread
over the days by the brand's usual week), the projected end value with its
interval and the chance of meeting the target (:mod:`.pacing`); spend against
an even pace through the budget; channels and creators so far by cost per
conversion; and what to change now. Run every morning from a schedule; with a
response plan (``--notify``) a target whose chance falls below
``chance_alert`` is sent to the plan's channels.

``run(cfg, settings(...))`` is the one entry point; :mod:`.report` shows the result.
"""

from . import report
from .analysis import analyze, run
from .inputs import Inputs, load
from .needs import NEEDS
from .pacing import Move, Projection, project, rebudget, spend_pacing, trajectory, weekly_shape
from .parameters import Settings, settings
from .result import Result

__all__ = [
    "NEEDS",
    "Inputs",
    "Move",
    "Projection",
    "Result",
    "Settings",
    "analyze",
    "load",
    "project",
    "rebudget",
    "report",
    "run",
    "settings",
    "spend_pacing",
    "trajectory",
    "weekly_shape",
]
