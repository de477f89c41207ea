"""How each audience column is prepared for clustering; fitted once and
reused on new users."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

ID_LIKE = ("user_id", "id", "unit_id")
MAX_CATEGORIES = 50  # a text column with more distinct values is an identifier, not a trait
MAX_TOKENS = 40  # multi-valued columns keep their most common tokens


@dataclass
class Preparation:
    """How each column is prepared; fitted once and reused on new users."""

    numeric: list[str] = field(default_factory=list)
    logged: list[str] = field(default_factory=list)
    categorical: dict[str, list[str]] = field(default_factory=dict)
    multi: dict[str, list[str]] = field(default_factory=dict)
    left_out: dict[str, str] = field(default_factory=dict)
    medians: dict[str, float] = field(default_factory=dict)
    means: dict[str, float] = field(default_factory=dict)
    scales: dict[str, float] = field(default_factory=dict)

    @classmethod
    def fit(cls, frame: pd.DataFrame, features: Sequence[str] | None = None, id_column: str = "user_id") -> Preparation:
        """Choose each column's preparation: numbers standardised (logged when
        heavy-tailed), few-valued text one-hot, ``;``-separated text multi-hot;
        ids, constants and free text left out."""
        prep = cls()
        columns = list(features) if features else [c for c in frame.columns if c != id_column and c not in ID_LIKE]
        missing = [c for c in columns if c not in frame]
        if missing:
            raise ValueError(f"feature column(s) {', '.join(missing)} not in the data; columns: {', '.join(frame.columns)}")
        for col in columns:
            values = frame[col]
            if pd.api.types.is_bool_dtype(values) or pd.api.types.is_numeric_dtype(values):
                x = values.astype(float)
                if x.notna().sum() < 2 or x.std() == 0:
                    prep.left_out[col] = "constant"
                    continue
                prep.numeric.append(col)
                if x.min() >= 0 and x.skew() > 2:  # heavy-tailed counts and money
                    prep.logged.append(col)
                    x = np.log1p(x)
                prep.medians[col] = float(x.median())
                x = x.fillna(prep.medians[col])
                prep.means[col], prep.scales[col] = float(x.mean()), float(x.std() or 1.0)
            else:
                text = values.dropna().astype(str).str.strip()
                text = text[text != ""]
                if text.empty:
                    prep.left_out[col] = "no values"
                elif text.str.contains(";").any():
                    tokens = text.str.split(";").explode().str.strip()
                    prep.multi[col] = tokens[tokens != ""].value_counts().index[:MAX_TOKENS].tolist()
                elif text.nunique() <= MAX_CATEGORIES:
                    prep.categorical[col] = sorted(text.unique().tolist())
                else:
                    prep.left_out[col] = f"{text.nunique():,} distinct values: an identifier or free text"
        if not (prep.numeric or prep.categorical or prep.multi):
            raise ValueError("no usable feature columns: every column is an id, constant or free text")
        return prep

    def transform(self, frame: pd.DataFrame) -> np.ndarray:
        """Numeric features standardised (after log where chosen), categoricals
        one-hot and multi-valued columns multi-hot, each category weighted so
        a categorical column counts like one numeric column."""
        blocks = []
        for col in self.numeric:
            x = frame[col].astype(float) if col in frame else pd.Series(np.nan, index=frame.index)
            if col in self.logged:
                x = np.log1p(x.clip(lower=0))
            blocks.append(((x.fillna(self.medians[col]) - self.means[col]) / self.scales[col]).to_numpy()[:, None])
        if self.categorical or self.multi:
            present = frame.reindex(columns=list(self.categorical) + list(self.multi))
            blocks.append(self.indicators(present).to_numpy(dtype=np.float32) * np.sqrt(0.5))
        return np.hstack(blocks).astype(np.float32)

    def indicators(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Boolean columns (column, value) for every category and token."""
        parts = {}
        for col, levels in self.categorical.items():
            values = frame[col].astype(str)
            for level in levels:
                parts[(col, level)] = (values == level).to_numpy()
        for col, tokens in self.multi.items():
            padded = ";" + frame[col].fillna("").astype(str).str.strip().str.replace(r"\s*;\s*", ";", regex=True) + ";"
            for token in tokens:
                parts[(col, token)] = padded.str.contains(f";{token};", regex=False).to_numpy()
        return pd.DataFrame(parts, index=frame.index)

    def codes(self, frame: pd.DataFrame) -> np.ndarray:
        """Categorical columns as integer codes (for k-prototypes)."""
        if not self.categorical:
            return np.zeros((len(frame), 0), dtype=np.int16)
        out = []
        frame = frame.reindex(columns=list(self.categorical))  # a column missing from new users counts as unknown
        for col, levels in self.categorical.items():
            lookup = {v: i for i, v in enumerate(levels)}
            out.append(frame[col].astype(str).map(lookup).fillna(-1).astype(np.int16).to_numpy())
        return np.stack(out, axis=1)

    def numeric_block(self, frame: pd.DataFrame) -> np.ndarray:
        """The standardised numeric and multi-hot part (everything but one-hot categoricals)."""
        keep = Preparation(self.numeric, self.logged, {}, self.multi, self.left_out, self.medians, self.means, self.scales)
        return keep.transform(frame) if (self.numeric or self.multi) else np.zeros((len(frame), 0), dtype=np.float32)

    def describe(self) -> pd.DataFrame:
        """Per column: how it was prepared and how missing values are filled."""
        rows = [
            {
                "column": c,
                "prepared as": "log, then standardised (heavy-tailed)" if c in self.logged else "standardised",
                "missing values": f"median {self.medians[c]:.3g}",
            }
            for c in self.numeric
        ]
        rows += [{"column": c, "prepared as": f"one-hot, {len(v)} categories", "missing values": "own category"} for c, v in self.categorical.items()]
        rows += [
            {"column": c, "prepared as": f"multi-hot, {len(v)} most common values (';'-separated)", "missing values": "none set"} for c, v in self.multi.items()
        ]
        rows += [{"column": c, "prepared as": "left out", "missing values": why} for c, why in self.left_out.items()]
        return pd.DataFrame(rows).set_index("column")
