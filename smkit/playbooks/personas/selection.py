"""Choosing the number of personas honestly.

k is chosen by the gap statistic (Tibshirani et al. 2001) against the same
audience with every column shuffled on its own, which keeps each column's
distribution and destroys any joint structure, so an audience without
structure gets k = 1. The silhouette, stability (adjusted Rand index between
fits on bootstrap resamples) and, for the Gaussian mixture, BIC are shown
beside it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd
from sklearn.metrics import adjusted_rand_score, silhouette_score

from .preparation import Preparation

SILHOUETTE_SAMPLE = 4_000
GAP_TOLERANCE = 0.02  # a larger k must raise the gap statistic by more than this to be chosen
MIN_GAP = 0.05  # below this gap the audience has no structure worth calling personas
MIN_STABILITY = 0.75  # personas less reproducible than this across bootstrap refits are not structure

# fit(frame, matrix, codes, k, seed) -> estimator; label(estimator, frame, matrix, codes) -> labels
Fit = Callable[[pd.DataFrame, np.ndarray, "np.ndarray | None", int, int], Any]
Label = Callable[[Any, pd.DataFrame, np.ndarray, "np.ndarray | None"], np.ndarray]


def dispersion(matrix: np.ndarray, labels: np.ndarray) -> float:
    """Within-persona sum of squared distances to each persona's mean."""
    total = sum(((matrix[labels == j] - matrix[labels == j].mean(axis=0)) ** 2).sum() for j in np.unique(labels))
    return max(float(total), 1e-12)  # a persona of identical users has no spread


def silhouette(matrix: np.ndarray, labels: np.ndarray) -> float:
    return float(silhouette_score(matrix, labels)) if len(np.unique(labels)) > 1 else 0.0


def choose_k(
    frame: pd.DataFrame,
    matrix: np.ndarray,
    rng: np.random.Generator,
    *,
    prep: Preparation,
    ks: Sequence[int],
    fixed: bool,
    fit: Fit,
    label: Label,
    use_codes: bool,
    with_bic: bool,
    bootstraps: int,
    seed: int,
) -> pd.DataFrame:
    """Gap, silhouette, BIC (``with_bic``) and bootstrap stability per k in
    ``ks``, and which k is ``chosen``: ``ks[0]`` when ``fixed``, else the
    smallest k whose gap is within ``GAP_TOLERANCE`` of the next k's (k = 1
    means no personas). ``structure`` says whether a k's personas are more than
    noise: k > 1, gap at least ``MIN_GAP`` and stability at least ``MIN_STABILITY``."""
    shuffled_frame = frame.apply(lambda col: pd.Series(rng.permutation(col.to_numpy()), index=col.index))
    shuffled = prep.transform(shuffled_frame)
    codes = prep.codes(frame) if use_codes else None
    shuffled_codes = prep.codes(shuffled_frame) if use_codes else None
    check = rng.choice(len(matrix), min(SILHOUETTE_SAMPLE, len(matrix)), replace=False)
    rows = []
    for k in ks:
        est = fit(frame, matrix, codes, k, seed)
        labels = label(est, frame, matrix, codes)
        null = fit(shuffled_frame, shuffled, shuffled_codes, k, seed)
        gap = np.log(dispersion(shuffled, label(null, shuffled_frame, shuffled, shuffled_codes))) - np.log(dispersion(matrix, labels))
        aris = []
        for b in range(bootstraps if k > 1 else 0):
            boot = rng.choice(len(matrix), len(matrix), replace=True)
            other = fit(frame.iloc[boot], matrix[boot], None if codes is None else codes[boot], k, seed + 1 + b)
            aris.append(adjusted_rand_score(labels, label(other, frame, matrix, codes)))
        rows.append(
            {
                "k": k,
                "gap": float(gap),
                "silhouette": silhouette(matrix[check], labels[check]) if k > 1 else np.nan,
                "bic": est.bic(matrix) if with_bic else np.nan,
                "stability_ari": float(np.mean(aris)) if aris else 1.0,
            }
        )
    table = pd.DataFrame(rows).set_index("k")
    if fixed:
        chosen = ks[0]
    else:
        gaps = table["gap"].to_numpy()
        chosen = next((k for i, k in enumerate(ks[:-1]) if gaps[i] >= gaps[i + 1] - GAP_TOLERANCE), ks[-1])
    table["chosen"] = table.index == chosen
    table["structure"] = (table.index > 1) & (table["gap"] >= MIN_GAP) & (table["stability_ari"] >= MIN_STABILITY)
    return table
