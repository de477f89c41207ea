"""Content-type effects: rate ratios from the platform model, called after Holm;
completion rates compared within the same form (体裁)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats as sps

from smkit.methods import stats

from .model import PlatformModel, wald_pvalue

# 体裁: completion rates are only comparable between types of the same form.
FORMS = {"video": "video", "live": "video", "animation": "video", "image_text": "image", "h5": "image", "topic": "image", "other": "other"}
EFFECT_COLUMNS = ["platform", "content_type", "reference", "posts", "reference_posts", "rate_ratio", "ci_low", "ci_high", "p_value", "per", "adjusted_for"]


def type_effects(model: PlatformModel, alpha: float = 0.05) -> pd.DataFrame:
    """Rate ratios of each content type against the platform's reference type."""
    z = stats.z_value(alpha)
    counts = model.frame["content_type"].value_counts()
    rows = []
    for ctype in model.types:
        key = f"C(content_type, Treatment({model.reference_type!r}))[T.{ctype}]"
        if ctype == model.reference_type:
            continue
        b, se = float(model.params[key]), float(np.sqrt(model.cov.loc[key, key]))
        rows.append(
            {
                "platform": model.platform,
                "content_type": ctype,
                "reference": model.reference_type,
                "posts": int(counts.get(ctype, 0)),
                "reference_posts": int(counts.get(model.reference_type, 0)),
                "rate_ratio": float(np.exp(b)),
                "ci_low": float(np.exp(b - z * se)),
                "ci_high": float(np.exp(b + z * se)),
                "p_value": float(wald_pvalue(b, se)),
                "per": model.per,
                "adjusted_for": ", ".join(model.adjusted_for),
            }
        )
    return pd.DataFrame(rows)


def holm_calls(effects: pd.DataFrame, alpha: float = 0.05) -> pd.DataFrame:
    """``effects`` with ``p_holm`` (Holm's correction across every type
    comparison in the frame, all platforms together) and ``call``: ``better``
    or ``worse`` only where the corrected p-value is under ``alpha``,
    otherwise ``unclear``. The intervals are left as they are (each is for its
    comparison alone). A frame without p-values gets them from its intervals
    (Wald, at level 1 - ``alpha``)."""
    out = effects.copy()
    if out.empty:
        return out.assign(p_holm=pd.Series(dtype=float), call=pd.Series(dtype=object))
    if "p_value" not in out:
        se = (np.log(out["ci_high"]) - np.log(out["ci_low"])) / (2 * stats.z_value(alpha))
        out["p_value"] = wald_pvalue(np.log(out["rate_ratio"]), se)
    out["p_holm"] = stats.adjust_pvalues(out["p_value"].to_numpy(float), "holm")
    out["call"] = np.where(out["p_holm"] >= alpha, "unclear", np.where(out["rate_ratio"] > 1, "better", "worse"))
    return out


def completion_by_form(data: pd.DataFrame, alpha: float = 0.05) -> pd.DataFrame:
    """Completion rate (完播率) by type, compared only within the same form
    (体裁): each type against the form's most common type (Welch)."""
    rows = []
    d = data[data["completion_rate"].notna()]
    for (platform, form), g in d.groupby([d["platform"], d["content_type"].map(FORMS).fillna("other")], sort=True):
        by_type = g.groupby("content_type")["completion_rate"]
        reference = by_type.size().idxmax()
        ref = g.loc[g["content_type"] == reference, "completion_rate"].to_numpy(float)
        for ctype, values in by_type:
            v = values.to_numpy(float)
            s = stats.mean_stat(v)
            # A t interval for the type's mean: completion is a per-post rate, not a count.
            half = sps.t.ppf(1 - alpha / 2, max(len(v) - 1, 1)) * np.sqrt(s.variance / len(v)) if len(v) > 1 else np.nan
            diff = p = np.nan
            if ctype != reference and len(v) > 1 and len(ref) > 1:
                diff = float(v.mean() - ref.mean())
                p = stats.welch_pvalue(v, ref)
            rows.append(
                {
                    "platform": platform,
                    "form": form,
                    "content_type": ctype,
                    "posts": len(v),
                    "completion_rate": s.mean,
                    # a share: the t interval of a few posts can pass 0 or 1, which no rate can
                    "ci_low": np.clip(s.mean - half, 0.0, 1.0),
                    "ci_high": np.clip(s.mean + half, 0.0, 1.0),
                    "reference": reference,
                    "difference": diff,
                    "p_value": p,
                }
            )
    return pd.DataFrame(rows)
