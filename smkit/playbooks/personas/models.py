"""The clustering methods and :class:`PersonaModel`, which follows
scikit-learn's shape: ``fit`` prepares the columns, chooses k, clusters and
describes the personas; ``predict`` scores new users; ``transform`` gives the
prepared matrix; ``save`` and :func:`load_model` keep it for targeting."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from pathlib import Path

import joblib
import numpy as np
import pandas as pd
from sklearn.cluster import KMeans, MiniBatchKMeans
from sklearn.exceptions import ConvergenceWarning
from sklearn.mixture import GaussianMixture

from .preparation import Preparation
from .selection import choose_k
from .traits import describe_personas, trait_table

METHODS = ("kmeans", "gmm", "kprototypes")
SUBSAMPLE = 20_000  # rows used to choose k
FIT_SAMPLE = 200_000  # above this many users, the personas are fitted on a random sample of this size ...
ASSIGN_BATCH = 100_000  # ... and every user is then assigned to the nearest persona, this many at a time
MINI_BATCH_FROM = 50_000


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
            for c in range(codes.shape[1]):  # the most common code (the smallest on a tie); -1 is an unknown category
                self.modes_[j, c] = np.bincount(codes[members, c] + 1).argmax() - 1

    def _distances(self, numeric: np.ndarray, codes: np.ndarray):
        dist = ((numeric[:, None, :] - self.centers_[None, :, :]) ** 2).sum(axis=2)
        if codes.shape[1]:
            dist = dist + self.gamma_ * (codes[:, None, :] != self.modes_[None, :, :]).sum(axis=2)
        return dist.argmin(axis=1), dist

    def _assign(self, numeric: np.ndarray, codes: np.ndarray) -> tuple[np.ndarray, float]:
        if len(numeric) <= 5000:  # one pass gives the labels and the cost
            labels, dist = self._distances(numeric, codes)
            return labels, float(dist.min(axis=1).sum())
        labels = self.predict(numeric, codes)
        _, dist = self._distances(numeric[:5000], codes[:5000])
        return labels, float(dist.min(axis=1).sum())

    def predict(self, numeric: np.ndarray, codes: np.ndarray, chunk: int = 50_000) -> np.ndarray:
        out = np.empty(len(numeric), dtype=np.int64)
        for start in range(0, len(numeric), chunk):  # bounded memory for a million users
            out[start : start + chunk] = self._distances(numeric[start : start + chunk], codes[start : start + chunk])[0]
        return out


def make(method: str, k: int, seed: int, n: int):
    """The estimator for ``method`` with ``k`` clusters (mini-batch k-means from ``MINI_BATCH_FROM`` users)."""
    if method == "kmeans":
        if n >= MINI_BATCH_FROM:
            return MiniBatchKMeans(n_clusters=k, random_state=seed, n_init=3, batch_size=4096)
        return KMeans(n_clusters=k, random_state=seed, n_init=4)
    if method == "gmm":
        return GaussianMixture(n_components=k, covariance_type="diag", random_state=seed, n_init=2, reg_covar=1e-4)
    if method == "kprototypes":
        return KPrototypes(k, random_state=seed)
    raise ValueError(f"unknown method {method!r}; valid methods: {', '.join(METHODS)}")


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

    An audience larger than :data:`FIT_SAMPLE` is fitted on a random sample of
    that many users (the columns' scaling, k and the personas), and every user
    is then assigned to a persona in batches of :data:`ASSIGN_BATCH`
    (``fitted_on_`` says how many users the fit saw); traits and sizes are
    over every user.
    """

    def __init__(
        self,
        method: str = "kmeans",
        k: int | None = None,
        k_range: tuple[int, int] = (2, 8),
        features: Sequence[str] | None = None,
        id_column: str = "user_id",
        seed: int = 0,
        bootstraps: int = 4,
    ):
        if method not in METHODS:
            raise ValueError(f"unknown method {method!r}; valid methods: {', '.join(METHODS)}")
        self.method, self.k, self.k_range, self.features = method, k, k_range, features
        self.id_column, self.seed, self.bootstraps = id_column, seed, bootstraps

    # -- fitting
    def fit(self, frame: pd.DataFrame) -> PersonaModel:
        largest = self.k or self.k_range[1]
        if len(frame) < max(20, 5 * largest):
            raise ValueError(f"{len(frame):,} users are too few for up to {largest} personas; at least {max(20, 5 * largest)} are needed")
        everyone = frame
        rng = np.random.default_rng(self.seed)
        # A large audience: fit on a random sample (scaling, columns, k and the personas), then assign every user in batches.
        self.fitted_on_ = min(len(frame), FIT_SAMPLE)
        if len(frame) > FIT_SAMPLE:
            frame = frame.iloc[np.sort(rng.choice(len(frame), FIT_SAMPLE, replace=False))]
        self.preparation_ = Preparation.fit(frame, self.features, self.id_column)
        matrix = self.preparation_.transform(frame)
        codes = self.preparation_.codes(frame) if self.method == "kprototypes" else None
        sub = rng.choice(len(frame), min(SUBSAMPLE, len(frame)), replace=False)
        self.selection_ = choose_k(
            frame.iloc[sub],
            matrix[sub],
            rng,
            prep=self.preparation_,
            ks=[self.k] if self.k else list(range(1, self.k_range[1] + 1)),
            fixed=bool(self.k),
            fit=self._fit_one,
            label=self._labels,
            use_codes=self.method == "kprototypes",
            with_bic=self.method == "gmm",
            bootstraps=self.bootstraps,
            seed=self.seed,
        )
        best = self.selection_.loc[self.selection_["chosen"]]
        self.k_ = int(best.index[0])
        self.has_structure_ = bool(best["structure"].iloc[0])
        self.estimator_ = self._fit_one(frame, matrix, codes, self.k_, self.seed)
        if everyone is frame:
            raw = self._labels(self.estimator_, frame, matrix, codes)
        else:
            raw = np.concatenate([self._raw_labels(everyone.iloc[i : i + ASSIGN_BATCH]) for i in range(0, len(everyone), ASSIGN_BATCH)])
            frame = everyone
        # persona 0 is the largest, so numbering is stable across refits
        self.size_order_ = {old: new for new, old in enumerate(pd.Series(raw).value_counts().index)}
        self.labels_ = np.array([self.size_order_[r] for r in raw])
        self.silhouette_ = None if pd.isna(best["silhouette"].iloc[0]) else float(best["silhouette"].iloc[0])
        self.stability_ari_ = float(best["stability_ari"].iloc[0])
        self.traits_ = trait_table(frame, self.labels_, self.preparation_)
        self.personas_ = describe_personas(self.traits_, self.labels_)
        return self

    def _fit_one(self, frame, matrix, codes, k, seed):
        estimator = make(self.method, k, seed, len(matrix))
        with warnings.catch_warnings():  # duplicate users make fewer distinct clusters than k; the gap statistic shows it
            warnings.simplefilter("ignore", ConvergenceWarning)
            if self.method == "kprototypes":
                return estimator.fit(self.preparation_.numeric_block(frame), codes)
            return estimator.fit(matrix)

    def _labels(self, est, frame, matrix, codes) -> np.ndarray:
        if self.method == "kprototypes":
            return est.predict(self.preparation_.numeric_block(frame), codes)
        return est.predict(matrix)

    # -- scoring
    def transform(self, frame: pd.DataFrame) -> np.ndarray:
        """The users' prepared feature matrix (what the clustering sees)."""
        return self.preparation_.transform(frame)

    def _raw_labels(self, frame: pd.DataFrame) -> np.ndarray:
        matrix = self.preparation_.transform(frame)
        codes = self.preparation_.codes(frame) if self.method == "kprototypes" else None
        return self._labels(self.estimator_, frame, matrix, codes)

    def predict(self, frame: pd.DataFrame) -> np.ndarray:
        """The persona index (0 = the largest persona) of each user."""
        raw = self._raw_labels(frame)
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
        return pd.DataFrame(
            {
                self.id_column: frame[self.id_column].to_numpy(),
                "persona": self.labels_,
                "persona_name": [names[i] for i in self.labels_],
            }
        )


def load_model(path: str | Path) -> PersonaModel:
    """A persona model saved with :meth:`PersonaModel.save`."""
    model = joblib.load(path)
    if not isinstance(model, PersonaModel):
        raise TypeError(f"{path} does not hold a smkit persona model")
    return model
