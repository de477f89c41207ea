"""Risk levels I to IV from four factors, and reach: the shared definitions
(:mod:`smkit.methods.crisis`, which the operations review also uses), under
the monitor's names.

Each factor is compared with thresholds for levels II, III and IV
(:class:`RiskThresholds`): magnitude (peak mentions over the usual day),
negative share, velocity (the alert's busiest hour against the usual busiest
hour of a day) and reach (followers of the distinct authors of negative
mentions, each counted once). The level is the highest at which at least
``min_factors`` factors reach their threshold; every alert is at least I.
"""

from __future__ import annotations

from smkit.methods.crisis import FACTOR_LABELS, FACTORS, LEVEL_NAMES, RiskThresholds, grades, reach, risk_level

__all__ = ["FACTORS", "FACTOR_LABELS", "LEVEL_NAMES", "RiskThresholds", "grades", "reach", "risk_level"]
