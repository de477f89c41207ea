"""User personas (用户画像) from behaviour and attributes.

Backs ``notebooks/personas.ipynb``. :class:`PersonaModel` follows
scikit-learn's shape: ``fit`` prepares the columns, chooses k, clusters and
describes the personas; ``predict`` scores new users; ``save`` and
:func:`load_model` keep it for targeting.

Honest model selection: k is chosen by the gap statistic against the same
audience with every column shuffled on its own (which keeps each column's
distribution and destroys any joint structure), so an audience without
structure gets k = 1 and the report says there are no clear personas. The
silhouette, stability (adjusted Rand index between fits on bootstrap
resamples) and, for the Gaussian mixture, BIC are shown beside it.
"""

from __future__ import annotations

import html
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import joblib
import numpy as np
import pandas as pd
from scipy import special
from sklearn.cluster import KMeans, MiniBatchKMeans
from sklearn.decomposition import PCA
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import adjusted_rand_score, silhouette_score
from sklearn.mixture import GaussianMixture

from smkit.data.schema import PLATFORM_ZH
from smkit.methods import stats

METHODS = ("kmeans", "gmm", "kprototypes")
ID_LIKE = ("user_id", "id", "unit_id")
MAX_CATEGORIES = 50  # a text column with more distinct values is an identifier, not a trait
MAX_TOKENS = 40  # multi-valued columns keep their most common tokens
SUBSAMPLE = 20_000  # rows used to choose k
SILHOUETTE_SAMPLE = 4_000
GAP_TOLERANCE = 0.02  # a larger k must raise the gap statistic by more than this to be chosen
MIN_GAP = 0.05  # below this gap the audience has no structure worth calling personas
MINI_BATCH_FROM = 50_000

ZH = {
    **PLATFORM_ZH, "female": "女性", "male": "男性", "beauty": "美妆", "fashion": "时尚", "travel": "旅行",
    "home_decor": "家居", "gaming": "游戏", "anime": "动漫", "tech": "科技", "diy": "DIY", "career": "职场", "productivity": "效率",
    "finance": "理财", "parenting": "育儿", "food": "美食", "health": "健康", "student": "学生", "designer": "设计师", "marketing": "营销",
    "engineer": "工程师", "manager": "经理", "consultant": "咨询", "teacher": "教师", "civil_servant": "公务员", "self_employed": "个体",
    "homemaker": "全职家庭", "age": "年龄", "spend_per_month": "月消费", "orders_per_month": "月订单", "likes_per_month": "月点赞",
    "posts_per_month": "月发帖", "active_hour": "活跃时段", "city_tier": "城市等级", "need_recognition": "认同需求",
    "need_venting": "宣泄需求", "need_entertainment": "娱乐需求", "platform": "平台", "gender": "性别", "region": "地区",
    "occupation": "职业", "interests": "兴趣", "high": "高", "low": "低",
}


# ---------------------------------------------------------------- preparation


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
        rows = [{"column": c, "prepared as": "log, then standardised (heavy-tailed)" if c in self.logged else "standardised",
                 "missing values": f"median {self.medians[c]:.3g}"} for c in self.numeric]
        rows += [{"column": c, "prepared as": f"one-hot, {len(v)} categories", "missing values": "own category"} for c, v in self.categorical.items()]
        rows += [{"column": c, "prepared as": f"multi-hot, {len(v)} most common values (';'-separated)", "missing values": "none set"} for c, v in self.multi.items()]
        rows += [{"column": c, "prepared as": "left out", "missing values": why} for c, why in self.left_out.items()]
        return pd.DataFrame(rows).set_index("column")


# ---------------------------------------------------------------- clustering methods


class KPrototypes:
    """Huang's k-prototypes for mixed data: squared distance on the numeric
    part plus ``gamma`` times the number of mismatched categories; the best
    of ``n_init`` starts (k-means++-style seeding) is kept."""

    def __init__(self, n_clusters: int, random_state: int = 0, gamma: float | None = None, max_iter: int = 30, n_init: int = 4):
        self.n_clusters, self.random_state, self.gamma, self.max_iter, self.n_init = n_clusters, random_state, gamma, max_iter, n_init

    def fit(self, numeric: np.ndarray, codes: np.ndarray) -> KPrototypes:
        rng = np.random.default_rng(self.random_state)
        self.gamma_ = self.gamma if self.gamma is not None else (float(numeric.std(axis=0).mean()) if numeric.shape[1] else 1.0)
        best = None
        for _ in range(self.n_init):
            self._seed(numeric, codes, rng)
            labels = None
            for _ in range(self.max_iter):
                new, cost = self._assign(numeric, codes)
                if labels is not None and (new == labels).all():
                    break
                labels = new
                self._update(numeric, codes, labels)
            if best is None or cost < best[0]:
                best = (cost, self.centers_.copy(), self.modes_.copy(), labels)
        _, self.centers_, self.modes_, self.labels_ = best
        return self

    def _seed(self, numeric: np.ndarray, codes: np.ndarray, rng: np.random.Generator) -> None:
        first = rng.integers(len(numeric))
        self.centers_, self.modes_ = numeric[[first]].copy(), codes[[first]].copy()
        for _ in range(1, self.n_clusters):
            _, dist = self._distances(numeric, codes)
            weights = dist.min(axis=1)
            pick = rng.choice(len(numeric), p=weights / weights.sum()) if weights.sum() > 0 else rng.integers(len(numeric))
            self.centers_ = np.vstack([self.centers_, numeric[pick]])
            self.modes_ = np.vstack([self.modes_, codes[pick]])

    def _update(self, numeric: np.ndarray, codes: np.ndarray, labels: np.ndarray) -> None:
        for j in range(self.n_clusters):
            members = labels == j
            if not members.any():
                continue
            self.centers_[j] = numeric[members].mean(axis=0)
            for c in range(codes.shape[1]):
                values, counts = np.unique(codes[members, c], return_counts=True)
                self.modes_[j, c] = values[counts.argmax()]

    def _distances(self, numeric: np.ndarray, codes: np.ndarray):
        dist = ((numeric[:, None, :] - self.centers_[None, :, :]) ** 2).sum(axis=2)
        if codes.shape[1]:
            dist = dist + self.gamma_ * (codes[:, None, :] != self.modes_[None, :, :]).sum(axis=2)
        return dist.argmin(axis=1), dist

    def _assign(self, numeric: np.ndarray, codes: np.ndarray) -> tuple[np.ndarray, float]:
        labels = self.predict(numeric, codes)
        _, dist = self._distances(numeric[:5000], codes[:5000]) if len(numeric) > 5000 else self._distances(numeric, codes)
        return labels, float(dist.min(axis=1).sum())

    def predict(self, numeric: np.ndarray, codes: np.ndarray, chunk: int = 50_000) -> np.ndarray:
        out = np.empty(len(numeric), dtype=np.int64)
        for start in range(0, len(numeric), chunk):  # bounded memory for a million users
            out[start:start + chunk] = self._distances(numeric[start:start + chunk], codes[start:start + chunk])[0]
        return out


def _make(method: str, k: int, seed: int, n: int):
    if method == "kmeans":
        if n >= MINI_BATCH_FROM:
            return MiniBatchKMeans(n_clusters=k, random_state=seed, n_init=3, batch_size=4096)
        return KMeans(n_clusters=k, random_state=seed, n_init=4)
    if method == "gmm":
        return GaussianMixture(n_components=k, covariance_type="diag", random_state=seed, n_init=2, reg_covar=1e-4)
    if method == "kprototypes":
        return KPrototypes(k, random_state=seed)
    raise ValueError(f"unknown method {method!r}; valid methods: {', '.join(METHODS)}")


# ---------------------------------------------------------------- the model


@dataclass(frozen=True)
class Persona:
    index: int
    name: str
    name_zh: str
    size: int
    share: float
    top_traits: list[str]
    traits: pd.DataFrame  # every significant trait with its lift


class PersonaModel:
    """Personas from an audience table (scikit-learn's ``fit``/``predict`` shape).

    Parameters
    ----------
    method : {"kmeans", "gmm", "kprototypes"}
        k-means (mini-batch above 50,000 users), a Gaussian mixture (diagonal
        covariance; has BIC), or k-prototypes for mixed numeric and
        categorical data.
    k : int, optional
        Fix the number of personas; ``None`` chooses it from ``k_range``.
    features : list of str, optional
        Columns to use; ``None`` uses all but ids.
    """

    def __init__(self, method: str = "kmeans", k: int | None = None, k_range: tuple[int, int] = (2, 8),
                 features: Sequence[str] | None = None, id_column: str = "user_id", seed: int = 0, bootstraps: int = 4):
        if method not in METHODS:
            raise ValueError(f"unknown method {method!r}; valid methods: {', '.join(METHODS)}")
        self.method, self.k, self.k_range, self.features = method, k, k_range, features
        self.id_column, self.seed, self.bootstraps = id_column, seed, bootstraps

    # -- fitting
    def fit(self, frame: pd.DataFrame) -> PersonaModel:
        largest = self.k or self.k_range[1]
        if len(frame) < max(20, 5 * largest):
            raise ValueError(f"{len(frame):,} users are too few for up to {largest} personas; at least {max(20, 5 * largest)} are needed")
        self.preparation_ = Preparation.fit(frame, self.features, self.id_column)
        matrix = self.preparation_.transform(frame)
        codes = self.preparation_.codes(frame) if self.method == "kprototypes" else None
        rng = np.random.default_rng(self.seed)
        sub = rng.choice(len(frame), min(SUBSAMPLE, len(frame)), replace=False)
        self.selection_ = self._choose_k(frame.iloc[sub], matrix[sub], rng)
        best = self.selection_.loc[self.selection_["chosen"]]
        self.k_ = int(best.index[0])
        self.has_structure_ = bool(best["structure"].iloc[0])
        self.estimator_ = self._fit_one(frame, matrix, codes, self.k_, self.seed)
        raw = self._predict_matrix(frame, matrix, codes)
        # persona 0 is the largest, so numbering is stable across refits
        self.size_order_ = {old: new for new, old in enumerate(pd.Series(raw).value_counts().index)}
        self.labels_ = np.array([self.size_order_[r] for r in raw])
        self.silhouette_ = None if pd.isna(best["silhouette"].iloc[0]) else float(best["silhouette"].iloc[0])
        self.stability_ari_ = float(best["stability_ari"].iloc[0])
        self.traits_ = trait_table(frame, self.labels_, self.preparation_)
        self.personas_ = describe_personas(self.traits_, self.labels_)
        return self

    def _fit_one(self, frame, matrix, codes, k, seed):
        estimator = _make(self.method, k, seed, len(matrix))
        with warnings.catch_warnings():  # duplicate users make fewer distinct clusters than k; the gap statistic shows it
            warnings.simplefilter("ignore", ConvergenceWarning)
            if self.method == "kprototypes":
                return estimator.fit(self.preparation_.numeric_block(frame), codes)
            return estimator.fit(matrix)

    def _predict_matrix(self, frame, matrix, codes) -> np.ndarray:
        if self.method == "kprototypes":
            return self.estimator_.predict(self.preparation_.numeric_block(frame), codes)
        return self.estimator_.predict(matrix)

    def _choose_k(self, frame: pd.DataFrame, matrix: np.ndarray, rng: np.random.Generator) -> pd.DataFrame:
        """The gap statistic (Tibshirani et al. 2001) against the audience with
        every column shuffled on its own, which keeps each distribution and
        destroys the joint structure personas are made of. The chosen k is the
        smallest whose gap is within ``GAP_TOLERANCE`` of the next k's; k = 1
        means no personas. Silhouette, stability across bootstrap refits
        (adjusted Rand index) and BIC (Gaussian mixture) are shown beside it."""
        ks = [self.k] if self.k else list(range(1, self.k_range[1] + 1))
        shuffled_frame = frame.apply(lambda col: pd.Series(rng.permutation(col.to_numpy()), index=col.index))
        shuffled = self.preparation_.transform(shuffled_frame)
        use_codes = self.method == "kprototypes"
        codes = self.preparation_.codes(frame) if use_codes else None
        shuffled_codes = self.preparation_.codes(shuffled_frame) if use_codes else None
        check = rng.choice(len(matrix), min(SILHOUETTE_SAMPLE, len(matrix)), replace=False)
        rows = []
        for k in ks:
            est = self._fit_one(frame, matrix, codes, k, self.seed)
            labels = self._labels(est, frame, matrix, codes)
            null = self._fit_one(shuffled_frame, shuffled, shuffled_codes, k, self.seed)
            gap = np.log(_dispersion(shuffled, self._labels(null, shuffled_frame, shuffled, shuffled_codes))) - np.log(_dispersion(matrix, labels))
            aris = []
            for b in range(self.bootstraps if k > 1 else 0):
                boot = rng.choice(len(matrix), len(matrix), replace=True)
                other = self._fit_one(frame.iloc[boot], matrix[boot], None if codes is None else codes[boot], k, self.seed + 1 + b)
                aris.append(adjusted_rand_score(labels, self._labels(other, frame, matrix, codes)))
            rows.append({"k": k, "gap": float(gap), "silhouette": _silhouette(matrix[check], labels[check]) if k > 1 else np.nan,
                         "bic": est.bic(matrix) if self.method == "gmm" else np.nan, "stability_ari": float(np.mean(aris)) if aris else 1.0})
        table = pd.DataFrame(rows).set_index("k")
        if self.k:
            chosen = self.k
        else:
            gaps = table["gap"].to_numpy()
            chosen = next((k for i, k in enumerate(ks[:-1]) if gaps[i] >= gaps[i + 1] - GAP_TOLERANCE), ks[-1])
        table["chosen"] = table.index == chosen
        table["structure"] = (table.index > 1) & (table["gap"] >= MIN_GAP) & (table["stability_ari"] >= 0.75)
        return table

    def _labels(self, est, frame, matrix, codes) -> np.ndarray:
        if self.method == "kprototypes":
            return est.predict(self.preparation_.numeric_block(frame), codes)
        return est.predict(matrix)

    # -- scoring
    def predict(self, frame: pd.DataFrame) -> np.ndarray:
        """The persona index (0 = the largest persona) of each user."""
        matrix = self.preparation_.transform(frame)
        codes = self.preparation_.codes(frame) if self.method == "kprototypes" else None
        raw = self._predict_matrix(frame, matrix, codes)
        return np.array([self.size_order_.get(r, r) for r in raw])

    def fit_predict(self, frame: pd.DataFrame) -> np.ndarray:
        return self.fit(frame).labels_

    def save(self, path: str | Path) -> Path:
        path = Path(path)
        joblib.dump(self, path)
        return path

    def assignments(self, frame: pd.DataFrame) -> pd.DataFrame:
        """``id, persona, persona_name`` for targeting."""
        names = {p.index: p.name for p in self.personas_}
        return pd.DataFrame({self.id_column: frame[self.id_column].to_numpy(), "persona": self.labels_,
                             "persona_name": [names[i] for i in self.labels_]})

    def to_summary(self) -> dict:
        return {
            "k": self.k_, "method": self.method, "silhouette": self.silhouette_, "stability_ari": self.stability_ari_,
            "has_structure": self.has_structure_,
            "personas": [{"name": p.name, "name_zh": p.name_zh, "size": p.size, "share": p.share, "top_traits": p.top_traits} for p in self.personas_],
        }


def load_model(path: str | Path) -> PersonaModel:
    """A persona model saved with :meth:`PersonaModel.save`."""
    model = joblib.load(path)
    if not isinstance(model, PersonaModel):
        raise TypeError(f"{path} does not hold a smkit persona model")
    return model


def _dispersion(matrix: np.ndarray, labels: np.ndarray) -> float:
    """Within-persona sum of squared distances to each persona's mean."""
    total = sum(((matrix[labels == j] - matrix[labels == j].mean(axis=0)) ** 2).sum() for j in np.unique(labels))
    return max(float(total), 1e-12)  # a persona of identical users has no spread


def _silhouette(matrix: np.ndarray, labels: np.ndarray) -> float:
    return float(silhouette_score(matrix, labels)) if len(np.unique(labels)) > 1 else 0.0


# ---------------------------------------------------------------- describing personas


def _zh(word: str) -> str:
    return ZH.get(word, word)


def trait_table(frame: pd.DataFrame, labels: np.ndarray, prep: Preparation, alpha: float = 0.05) -> pd.DataFrame:
    """Every persona's traits against the whole audience: the lift (persona
    value over overall value) and a Holm-adjusted test of the difference
    (Welch t for numeric columns, two proportions for categories and tokens),
    computed from per-persona sums so a million users take seconds."""
    rows = []
    personas = np.unique(labels)
    n_all = len(labels)
    for col in prep.numeric:
        x = frame[col].astype(float)
        g = x.groupby(labels)
        count, total, squares = g.count(), g.sum(), (x**2).groupby(labels).sum()
        overall = x.mean()
        for persona in personas:
            a = stats.MeanStat(count[persona], total[persona], squares[persona])
            b = stats.MeanStat(count.sum() - count[persona], total.sum() - total[persona], squares.sum() - squares[persona])
            if a.n < 2 or b.n < 2:
                continue
            p = _welch_p(a, b)
            rows.append({"persona": persona, "trait": f"{'high' if a.mean > overall else 'low'} {col}", "key": col, "column": col, "value": col,
                         "in_persona": a.mean, "overall": overall, "lift": a.mean / overall if overall else np.nan, "p_value": p})
    indicators = prep.indicators(frame)
    if indicators.shape[1]:
        hits = indicators.groupby(labels).sum()
        sizes = pd.Series(labels).value_counts()
        totals = indicators.sum()
        for (col, value) in indicators.columns:
            k_all = totals[(col, value)]
            if k_all == 0:
                continue
            for persona in personas:
                k_in, n_in = hits.at[persona, (col, value)], sizes[persona]
                p = stats.two_proportion_pvalue(k_all - k_in, n_all - n_in, k_in, n_in)
                rows.append({"persona": persona, "trait": value, "key": value, "column": col, "value": value, "in_persona": k_in / n_in,
                             "overall": k_all / n_all, "lift": (k_in / n_in) / (k_all / n_all), "p_value": p})
    columns = ["persona", "trait", "key", "column", "value", "in_persona", "overall", "lift", "p_value"]
    table = pd.DataFrame(rows, columns=columns)
    table["p_value_adjusted"] = stats.adjust_pvalues(table["p_value"].fillna(1.0).to_numpy(), "holm")
    table["significant"] = table["p_value_adjusted"] < alpha
    return table


def _welch_p(a: stats.MeanStat, b: stats.MeanStat) -> float:
    se = np.sqrt(a.variance / a.n + b.variance / b.n)
    if se == 0:
        return 1.0 if a.mean == b.mean else 0.0
    dof = stats.welch_dof(a.variance, a.n, b.variance, b.n)
    return float(2 * special.stdtr(dof, -abs(a.mean - b.mean) / se))


def _top_traits(traits: pd.DataFrame, n: int = 4) -> pd.DataFrame:
    """The defining traits: significant, over-represented categories and
    numeric columns far from average, strongest first."""
    chosen = traits[traits["significant"] & ((traits["column"] == traits["value"]) | (traits["lift"] > 1))].copy()
    chosen["strength"] = np.abs(np.log(chosen["lift"].clip(lower=1e-6)))
    return chosen.sort_values("strength", ascending=False).head(n)


def _name(top: pd.DataFrame) -> tuple[str, str]:
    if top.empty:
        return "Average users", "普通用户"
    words_en, words_zh = [], []
    for _, t in top.head(3).iterrows():
        if t["column"] == t["value"]:  # numeric
            level = "high" if t["in_persona"] > t["overall"] else "low"
            words_en.append(f"{level} {t['column'].replace('_', ' ')}")
            words_zh.append(f"{_zh(level)}{_zh(t['column'])}")
        else:
            words_en.append(str(t["value"]).replace("_", " "))
            words_zh.append(_zh(str(t["value"])))
    return " · ".join(words_en).capitalize(), "·".join(words_zh)


def describe_personas(traits: pd.DataFrame, labels: np.ndarray) -> list[Persona]:
    personas = []
    for persona in np.unique(labels):
        mine = traits[traits["persona"] == persona]
        top = _top_traits(mine)
        name, name_zh = _name(top)
        size = int((labels == persona).sum())
        personas.append(Persona(int(persona), name, name_zh, size, size / len(labels), top["trait"].tolist(), mine[mine["significant"]]))
    return personas


def cards_html(model: PersonaModel, frame: pd.DataFrame) -> str:
    """One card per persona: size, defining traits with lifts, platforms,
    active hour and consumption level where those columns exist."""
    parts = ["<div style='display:flex;flex-wrap:wrap;gap:12px'>"]
    for p in model.personas_:
        inside = model.labels_ == p.index
        lines = [f"<strong>{html.escape(p.name)}</strong><br><span>{html.escape(p.name_zh)}</span>",
                 f"<div>{p.size:,} users · {p.share:.1%}</div><ul style='margin:4px 0;padding-left:18px'>"]
        for _, t in _top_traits(p.traits).iterrows():
            if t["column"] == t["value"]:
                lines.append(f"<li>{html.escape(t['column'])}: {t['in_persona']:.3g} vs {t['overall']:.3g} overall</li>")
            else:
                lines.append(f"<li>{html.escape(str(t['value']))}: {t['in_persona']:.0%} vs {t['overall']:.0%} overall</li>")
        lines.append("</ul>")
        if "platform" in frame:
            top_platforms = frame.loc[inside, "platform"].value_counts(normalize=True).head(2)
            lines.append("<div>platforms: " + ", ".join(f"{html.escape(str(k))} {v:.0%}" for k, v in top_platforms.items()) + "</div>")
        if "active_hour" in frame:
            lines.append(f"<div>most active around {int(frame.loc[inside, 'active_hour'].median()):02d}:00</div>")
        spend = next((c for c in ("spend_per_month", "spend") if c in frame), None)
        if spend:
            ratio = frame.loc[inside, spend].median() / frame[spend].median()
            level = "high" if ratio > 1.25 else "low" if ratio < 0.8 else "medium"
            lines.append(f"<div>consumption: {level} ({html.escape(spend)} median {ratio:.1f}x overall)</div>")
        parts.append("<div style='border:1px solid #ddd;border-radius:6px;padding:8px 12px;width:300px;font-size:0.9em'>" + "".join(lines) + "</div>")
    parts.append("</div>")
    return "".join(parts)


def plot_selection(model: PersonaModel):
    """Gap statistic, silhouette, stability (and BIC) for each k; the chosen k marked."""
    import matplotlib.pyplot as plt

    table = model.selection_
    panels = [("gap", "gap statistic 间隙统计量", "#2F6DB5"), ("silhouette", "silhouette 轮廓系数", "#6F7A86"),
              ("stability_ari", "stability (ARI) 稳定性", "#3A9E6F")]
    if table["bic"].notna().any():
        panels.append(("bic", "BIC", "#E07B39"))
    fig, axes = plt.subplots(1, len(panels), figsize=(2.6 * len(panels), 2.6))
    for ax, (column, title, colour) in zip(np.atleast_1d(axes), panels):
        ax.plot(table.index, table[column], "o-", color=colour)
        ax.axvline(model.k_, color="#C4474D", linewidth=0.8)
        ax.set_title(title, fontsize="medium")
        ax.set_xlabel("k")
    plt.close(fig)
    return fig


def selection_text(model: PersonaModel) -> str:
    """Why this k (Markdown)."""
    table = model.selection_
    chosen = table.loc[model.k_]
    if not model.has_structure_ and model.k_ > 1:
        return (f"**Weak structure: read these {model.k_} personas with caution.** At k = {model.k_} the audience is barely more "
                f"clustered than its columns shuffled at random (gap statistic {chosen['gap']:.3f}) or the personas are not stable "
                f"across bootstrap refits (adjusted Rand index {chosen['stability_ari']:.2f}); their traits are tested on the same data "
                f"that made them, so significance alone does not make them real.")
    if not model.has_structure_:
        return (f"**No clear personas.** The audience is not more clustered than the same columns shuffled at random "
                f"(gap statistic {chosen['gap']:.3f} at k = {model.k_}), so the report treats it as one group instead of inventing personas.")
    silhouette = "" if pd.isna(chosen["silhouette"]) else f", silhouette {chosen['silhouette']:.2f}"
    if model.k is None and model.k_ == table.index.max():
        return (f"**{model.k_} personas, the most tried.** The gap statistic kept rising up to k = {model.k_} "
                f"({chosen['gap']:.3f}): the data may hold more groups (raise `k_max`), or mostly categorical columns are "
                f"splitting users into every combination{silhouette}. Stability across bootstrap refits: {chosen['stability_ari']:.2f}.")
    return (f"**{model.k_} personas.** k = {model.k_} is the smallest k whose gap statistic ({chosen['gap']:.3f}) is not beaten "
            f"by the next k by more than {GAP_TOLERANCE}{silhouette}, and the personas are stable: refits on bootstrap resamples "
            f"agree with an adjusted Rand index of {chosen['stability_ari']:.2f}.")


def plot_projection(model: PersonaModel, frame: pd.DataFrame, points: int = 4000, seed: int = 0):
    """Users projected on two principal components, coloured by persona."""
    import matplotlib.pyplot as plt

    rng = np.random.default_rng(seed)
    pick = rng.choice(len(frame), min(points, len(frame)), replace=False)
    xy = PCA(n_components=2, random_state=seed).fit_transform(model.preparation_.transform(frame.iloc[pick]))
    fig, ax = plt.subplots(figsize=(6.5, 4.2))
    names = {p.index: p.name for p in model.personas_}
    for persona in np.unique(model.labels_[pick]):
        mask = model.labels_[pick] == persona
        ax.scatter(xy[mask, 0], xy[mask, 1], s=5, alpha=0.5, label=f"{persona}: {names[persona]}")
    ax.set_title("用户分布 Users by persona (first two principal components)")
    ax.legend(fontsize="x-small", markerscale=3, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    plt.close(fig)
    return fig


def plot_heatmap(model: PersonaModel):
    """Lift of each persona's defining traits across all personas."""
    import matplotlib.pyplot as plt
    import seaborn as sns

    traits = model.traits_
    keys = []
    for p in model.personas_:
        keys += [k for k in _top_traits(p.traits)["key"] if k not in keys]
    # numeric traits are keyed by column, so every persona has a value (above or below average)
    wide = traits.pivot_table(index="persona", columns="key", values="lift").reindex(columns=keys)
    wide.index = [f"{i}: {p.name_zh}" for i, p in zip(wide.index, model.personas_)]
    fig, ax = plt.subplots(figsize=(min(1 + 0.6 * len(keys), 11), 0.9 + 0.45 * len(wide)))
    sns.heatmap(np.log2(wide.clip(lower=1 / 8, upper=8)), cmap="RdBu_r", center=0, vmin=-3, vmax=3, ax=ax, cbar_kws={"label": "log2 lift"})
    ax.set_xlabel("")
    ax.set_title("特征提升 Trait lift against the whole audience")
    plt.close(fig)
    return fig


def planted_audience(n: int = 6000, segments: int = 3, seed: int = 0, structure: bool = True) -> tuple[pd.DataFrame, np.ndarray]:
    """A generated audience with columns unlike the sample's, and its true
    segments; with ``structure=False`` every segment draws from the same
    distributions, so there are no personas to find."""
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, segments, n)
    seg = truth if structure else np.zeros(n, dtype=int)
    minutes = np.exp(rng.normal(np.log([20, 60, 150, 40, 90])[seg % 5], 0.35))
    devices = np.array(["iphone", "android", "pad", "pc"])
    device_p = np.array([[0.85, 0.1, 0.03, 0.02], [0.05, 0.9, 0.03, 0.02], [0.05, 0.05, 0.2, 0.7], [0.25, 0.25, 0.25, 0.25], [0.4, 0.4, 0.1, 0.1]])
    device = np.array([rng.choice(devices, p=device_p[s % 5]) for s in seg])
    topics = np.array(["news", "music", "sports", "cooking", "cars", "pets"])
    topic_sets = [topics[[0, 2, 4]], topics[[1, 5]], topics[[3]], topics[[0, 1]], topics[[2, 3]]]
    chosen = [";".join(rng.choice(topic_sets[s % 5], size=min(len(topic_sets[s % 5]), rng.integers(1, 3)), replace=False)) for s in seg]
    frame = pd.DataFrame({
        "member_id": [f"m{i}" for i in range(n)],
        "minutes_per_day": np.round(minutes, 1),
        "purchases_per_year": rng.poisson(np.array([2, 8, 20, 5, 12])[seg % 5]),
        "device": device,
        "topics": chosen,
        "tenure_years": np.round(rng.gamma(2.0, np.array([0.5, 2.0, 4.0, 1.0, 3.0])[seg % 5]), 1),
    })
    return frame, truth


def load_audience(store, data: str | None = None) -> pd.DataFrame:
    """Audience rows from a file (read and validated as an ``audience`` export) or the store."""
    if data:
        from smkit.data.ingest import prepare

        return prepare(data, "audience").frame
    from smkit import load

    return load("audience", store=store)


def save_outputs(model: PersonaModel, frame: pd.DataFrame, folder: Path) -> str:
    """Write ``assignments.csv`` and ``persona_model.joblib``; say where (Markdown)."""
    model.assignments(frame).to_csv(folder / "assignments.csv", index=False, encoding="utf-8-sig")
    model.save(folder / "persona_model.joblib")
    return (f"`assignments.csv` ({len(frame):,} users: id, persona, name) and `persona_model.joblib` are in the report folder. "
            "Score new users with `smkit.personas.load_model(path).predict(frame)`.")
