"""Audience fit: how far a creator's audience looks like the brand's.

The brand's audience is a set of shares: the female share, the age bands
(``AGE_BANDS``) and the regions. It comes from the ``target_audience``
parameter or, by default, from the store's ``audience`` table (one row per
person: ``gender``, ``age``, ``region``). A creator list reports the
creator's female share, its age bands and its top region with that region's
share. Fit on each dimension is the overlap of the two distributions, one
minus their total variation distance (1 = the same audience, 0 = disjoint):

- gender: ``1 - |f_creator - f_brand|``;
- age: ``sum_k min(a_creator_k, a_brand_k)`` over the bands (shares renormalised to 1);
- region: the creator's audience is known as {top region, elsewhere}, so the
  overlap is ``min(r, b) + min(1 - r, 1 - b)``, with ``r`` the creator's share
  in its top region and ``b`` the brand's share there.

A creator's fit is the mean of the dimensions both sides report; missing
everywhere, the fit is unknown and counted as the list's median fit in the
shortlist's objective.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from smkit.data.schema import AGE_BANDS

_AGE_KEYS = {
    "under18": "age_under_18",
    "<18": "age_under_18",
    "18-24": "age_18_24",
    "25-34": "age_25_34",
    "35-44": "age_35_44",
    "45plus": "age_45_plus",
    "45+": "age_45_plus",
}
TARGET_KEYS = ("female", "male", *_AGE_KEYS, "<region>")


def age_band(age: pd.Series) -> pd.Series:
    """Ages in years to the creator table's age bands (``age_18_24`` ...)."""
    edges = [-np.inf, 18, 25, 35, 45, np.inf]
    return pd.cut(pd.to_numeric(age, errors="coerce"), edges, right=False, labels=list(AGE_BANDS)).astype(object)


def target_from_audience(audience: pd.DataFrame) -> dict[str, float]:
    """The female share, age-band shares and region shares of an ``audience`` table."""
    out: dict[str, float] = {}
    if "gender" in audience and audience["gender"].notna().any():
        gender = audience["gender"].dropna().astype(str).str.lower()
        known = gender.isin(["female", "male", "女", "男", "f", "m"])
        if known.any():
            out["female_share"] = float(gender[known].isin(["female", "女", "f"]).mean())
    if "age" in audience and pd.to_numeric(audience["age"], errors="coerce").notna().any():
        bands = age_band(audience["age"]).dropna()
        for band in AGE_BANDS:
            out[band] = float((bands == band).mean())
    if "region" in audience and audience["region"].notna().any():
        for region, share in audience["region"].dropna().astype(str).value_counts(normalize=True).items():
            out[f"region:{region}"] = float(share)
    return out


def target_from_mapping(mapping: dict[str, float]) -> dict[str, float]:
    """``{"female": 0.7, "25-34": 0.5, "华东": 0.3}`` as target shares (checked to lie in 0..1)."""
    out: dict[str, float] = {}
    for key, value in mapping.items():
        if not 0 <= value <= 1:
            raise ValueError(f"target_audience: {key}:{value} is not a share between 0 and 1")
        k = key.strip().lower().removesuffix("岁")
        if k in ("female", "女", "女性"):
            out["female_share"] = value
        elif k in ("male", "男", "男性"):
            out["female_share"] = 1 - value
        elif k in _AGE_KEYS:
            out[_AGE_KEYS[k]] = value
        else:
            out[f"region:{key.strip()}"] = value
    return out


def audience_fit(creators: pd.DataFrame, target: dict[str, float]) -> pd.DataFrame:
    """Per creator: ``fit_gender``, ``fit_age``, ``fit_region`` and their mean ``fit`` (NaN when unknown)."""
    index = creators.index
    out = pd.DataFrame(index=index, columns=["fit_gender", "fit_age", "fit_region", "fit"], dtype=float)
    if not target:
        return out
    female = _column(creators, "female_share")
    male = _column(creators, "male_share")
    female = female.fillna(1 - male)
    if "female_share" in target:
        out["fit_gender"] = 1 - (female - target["female_share"]).abs()
    bands = [b for b in AGE_BANDS if b in target]
    if bands:
        have = pd.DataFrame({b: _column(creators, b) for b in bands})
        want = np.array([target[b] for b in bands])
        if want.sum() > 0:
            want = want / want.sum()
            total = have.sum(axis=1, min_count=1)
            shares = have.div(total.where(total > 0), axis=0)
            out["fit_age"] = np.minimum(shares.to_numpy(dtype=float), want).sum(axis=1)
            out.loc[total.isna() | (total <= 0), "fit_age"] = np.nan
    regions = {k.split(":", 1)[1]: v for k, v in target.items() if k.startswith("region:")}
    if regions and "top_region" in creators:
        r = _column(creators, "top_region_share")
        b = creators["top_region"].map(lambda name: regions.get(str(name), 0.0) if pd.notna(name) else np.nan).astype(float)
        out["fit_region"] = np.minimum(r, b) + np.minimum(1 - r, 1 - b)
    out["fit"] = out[["fit_gender", "fit_age", "fit_region"]].mean(axis=1, skipna=True)
    return out


def _column(frame: pd.DataFrame, name: str) -> pd.Series:
    if name not in frame:
        return pd.Series(np.nan, index=frame.index, dtype=float)
    return pd.to_numeric(frame[name], errors="coerce").astype(float)
