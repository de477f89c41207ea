"""The frozen result of a creator selection and its summary.json."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from smkit.playbooks.kol_selection import signals as sig


@dataclass(frozen=True)
class Result:
    """Every creator with its estimates, fit, signals and choice; the shortlist's totals.

    ``creators`` has one row per creator (columns listed in :func:`analyze`);
    ``tiers`` the shortlist by follower tier; ``alternatives`` the totals of
    two other ways to spend the budget (``follower_ranking``: the biggest
    accounts first; ``head_only``: the best set of head KOLs).
    """

    creators: pd.DataFrame
    tiers: pd.DataFrame
    budget: float
    spent: float
    expected_total: float
    objective: str
    alternatives: dict[str, dict[str, float]]
    tau2: dict[str, float]
    target: dict[str, float]
    target_source: str
    source: str
    missing: dict[str, str] = field(default_factory=dict)

    @property
    def shortlist(self) -> pd.DataFrame:
        return self.creators[self.creators["shortlisted"]].sort_values("expected", ascending=False)

    @property
    def suspicious(self) -> pd.DataFrame:
        return self.creators[self.creators["suspicious"]]

    @property
    def has_history(self) -> bool:
        return bool(self.creators["jump_share"].notna().any())

    @property
    def has_fit(self) -> bool:
        return bool(self.creators["fit"].notna().any())

    @property
    def has_past(self) -> bool:
        return bool(self.creators["past_posts"].fillna(0).gt(0).any())

    def to_summary(self, lang: str = "zh") -> dict[str, Any]:
        rows = []
        for _, r in self.creators.iterrows():
            rows.append(
                {
                    "creator": r["creator"],
                    "platform": r["platform"],
                    "suspicious": bool(r["suspicious"]),
                    "signals": list(r["signals"]),
                    "expected_cpe": None if pd.isna(r["expected_cpe"]) else round(float(r["expected_cpe"]), 4),
                    "expected_engagements": None if pd.isna(r["expected"]) else round(float(r["expected"]), 1),
                    "fit": None if pd.isna(r["fit"]) else round(float(r["fit"]), 3),
                    "shortlisted": bool(r["shortlisted"]),
                }
            )
        return {
            "lang": lang,
            "source": self.source,
            "budget": self.budget,
            "spent": round(self.spent, 2),
            "expected_engagements": round(self.expected_total, 1),
            "objective": self.objective,
            "n_creators": len(self.creators),
            "n_suspicious": int(self.creators["suspicious"].sum()),
            "n_shortlisted": int(self.creators["shortlisted"].sum()),
            "thresholds": {
                "low_engagement_z": sig.LOW_ENGAGEMENT_Z,
                "comment_like_ratio_z": sig.RATIO_Z,
                "follower_jump_mad": sig.JUMP_MAD,
                "follower_jump_share": sig.JUMP_SHARE,
            },
            "alternatives": {k: {kk: round(vv, 2) for kk, vv in v.items()} for k, v in self.alternatives.items()},
            "creators": rows,
        }
