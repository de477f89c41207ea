"""The suggestions in words: one sentence per suggestion, citing its figures.

Kept apart from :mod:`.report` (which shows them) because ``summary.json``
holds these sentences too, so :meth:`.Result.to_summary` needs them.
"""

from __future__ import annotations

import numpy as np

from .suggestions import Suggestion

CURRENCY = "¥"


def suggestion_text(suggestion: Suggestion, currency: str = CURRENCY) -> str:
    """One suggestion as a sentence citing its figures (plain text, as in ``summary.json``)."""
    f, kind = suggestion.figures, suggestion.kind
    interval = "" if kind not in ("repeat", "stop", "not_yet") else f"interval {f['rel_ci_low']:+.1%} to {f['rel_ci_high']:+.1%}"
    if kind == "repeat":
        return f"Repeat: the campaign caused {f['absolute']:+,.0f} {f['metric']} ({f['relative']:+.1%}, {interval}) beyond what the controls predict."
    if kind == "stop":
        return f"Stop and review: {f['metric']} fell {f['relative']:+.1%} against the counterfactual ({interval})."
    if kind == "not_yet":
        return f"Do not scale up yet: the lift in {f['metric']} ({f['relative']:+.1%}, {interval}) cannot be told from normal variation."
    if kind == "halo":
        return f"Plan for the tail: {f['metric']} stayed {f['relative']:+.1%} above the counterfactual for {f['days']} days after the campaign."
    if kind == "placebo":
        return (
            f"Treat the lift with caution: the placebo check on the pre-period found an effect ({f['relative']:+.1%}), so the controls track the brand poorly."
        )
    if kind == "overspend":
        return f"Control spend: {currency}{f['spend']:,.0f} against a budget of {currency}{f['budget']:,.0f} ({f['spend'] / f['budget'] - 1:+.0%})."
    if kind == "replan_target":
        return f"Re-plan the {f['metric']} target: the campaign posts reached {f['actual']:,.0f} of {f['target']:,.0f} ({f['attainment']:.0%})."
    if kind == "rebudget":
        verdict = (
            "the difference in conversion rate is significant"
            if f["significant"]
            else "though the conversion rates do not differ significantly, so test before moving much"
        )
        worst_cpa = "no conversions" if np.isinf(f["worst_cpa"]) else f"CPA {currency}{f['worst_cpa']:,.0f}"
        return (
            f"Re-budget from {f['by']} {f['worst']} ({worst_cpa} for {currency}{f['worst_spend']:,.0f}) "
            f"to {f['best']} (CPA {currency}{f['best_cpa']:,.0f}); {verdict}."
        )
    if kind == "fix_step":
        return f"Fix the step into {f['stage']}: its rate fell from {f['rate_before']:.2%} before the campaign to {f['rate']:.2%} during it."
    if kind == "track_revenue":
        return f"Track revenue per conversion: at a CPA of {currency}{f['cpa']:,.0f} (all spend per conversion on campaign posts) the return cannot be judged without it."
    raise ValueError(f"unknown suggestion kind {kind!r}")
