"""The target audience and each platform's fit with it."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from smkit.methods import stats
from smkit.params import parse_mapping

TARGET_EXAMPLE = "age:22-35, gender:female"


def _spec(value: str) -> str:
    if not value:
        raise ValueError("empty")
    return value


@dataclass(frozen=True)
class Target:
    """Attribute filters on the ``audience`` table: ``"age:22-35, gender:female, interests:tech|home_decor"``.

    A number range is ``lo-hi`` (inclusive) or one number; other columns take
    values separated by ``|``, and a list column (``a;b;c``) matches when any
    of its items is listed.
    """

    filters: tuple[tuple[str, str], ...] = ()

    @classmethod
    def parse(cls, text: str | None) -> Target:
        """``column:values`` filters, separated as :func:`smkit.params.parse_list` separates items."""
        return cls(tuple(parse_mapping(text, "target", convert=_spec, example=TARGET_EXAMPLE).items()))

    def describe(self) -> str:
        return ", ".join(f"{c} {s.replace('|', ' or ')}" for c, s in self.filters) or "everyone"

    def mask(self, audience: pd.DataFrame) -> pd.Series:
        keep = pd.Series(True, index=audience.index)
        for column, spec in self.filters:
            if column not in audience:
                shown = ", ".join(c for c in audience.columns if c not in ("user_id", "platform"))
                raise ValueError(f"target: the audience table has no column '{column}'; its columns are {shown}")
            values = audience[column]
            if pd.api.types.is_numeric_dtype(values):
                match = re.fullmatch(r"\s*(-?[\d.]+)\s*(?:-\s*(-?[\d.]+)\s*)?", spec)
                if not match:
                    raise ValueError(f"target: '{column}:{spec}' needs a number or a range lo-hi, as the column is numeric")
                lo = float(match.group(1))
                hi = float(match.group(2)) if match.group(2) else lo
                keep &= values.between(lo, hi)
            else:
                wanted = {v.strip().lower() for v in spec.split("|")}
                items = values.fillna("").astype(str).str.lower().str.split(";")
                keep &= items.map(lambda xs: any(x.strip() in wanted for x in xs)).astype(bool)
        return keep


def audience_fit(audience: pd.DataFrame, target: Target, alpha: float = 0.05) -> pd.DataFrame:
    """Share of each platform's audience matching ``target``, with a Wilson interval."""
    if audience.empty or "platform" not in audience:
        return pd.DataFrame(columns=["users", "matching", "fit", "ci_low", "ci_high"])
    match = target.mask(audience)
    table = pd.DataFrame({"users": audience.groupby("platform", observed=True).size(), "matching": match.groupby(audience["platform"], observed=True).sum()})
    table["fit"] = table["matching"] / table["users"]
    table["ci_low"], table["ci_high"] = stats.wilson_interval(table["matching"], table["users"], alpha=alpha)
    return table.sort_values("fit", ascending=False)


def top_interest(audience: pd.DataFrame, platform: str, target: Target) -> tuple[str, float] | None:
    """The most common interest among ``platform``'s users matching ``target``, and the share of them who hold it."""
    if "interests" not in audience:
        return None
    matching = audience[(audience["platform"] == platform) & target.mask(audience)]
    interests = matching["interests"].dropna().str.split(";").explode().value_counts()
    if not len(interests):
        return None
    return str(interests.index[0]), float(interests.iloc[0] / max(len(matching), 1))
