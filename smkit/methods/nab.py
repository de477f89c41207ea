"""The Numenta Anomaly Benchmark's window scoring, for measuring volume detectors.

NAB (Lavin and Ahmad 2015; the rules of its ``nab/sweeper.py``) scores a
detector on labelled series by *windows* around each labelled anomaly:

- A detection inside a window is a true positive worth ``A_TP`` times a scaled
  sigmoid of where it fell: close to 1 at the window's left edge, 0 at its right
  edge. Only the window's best (the earliest) detection counts.
- A window with no detection costs ``A_FN`` (-1 in every profile).
- A detection outside every window costs ``A_FP`` times the sigmoid of its
  distance past the previous window's right edge (in window widths): about
  ``A_FP`` far from a window, less just after one. Before the first window the
  full ``A_FP`` applies.
- The first 15% of each series (at most 750 points) is a probationary period in
  which nothing counts, so detectors can learn.

Raw scores summed over the files are normalised as NAB does:
``100 * (raw - null) / (perfect - null)``, where the null detector detects
nothing (every window a miss) and the perfect detector hits every window at its
first point.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

PROFILES = {
    "standard": {"tp": 1.0, "fp": 0.11, "fn": 1.0},
    "reward_low_fp": {"tp": 1.0, "fp": 0.22, "fn": 1.0},
    "reward_low_fn": {"tp": 1.0, "fp": 0.11, "fn": 2.0},
}
PROBATION_PERCENT = 0.15


def scaled_sigmoid(position: float) -> float:
    """NAB's reward curve: ``2 * sigmoid(-5 * position) - 1``, and -1 from 3 on.

    ``position`` is -1 at a window's left edge, 0 at its right edge and positive
    past it (in window widths)."""
    if position >= 3.0:
        return -1.0
    return 2.0 / (1.0 + math.exp(5.0 * position)) - 1.0


def probation_length(n: int, percent: float = PROBATION_PERCENT) -> float:
    return min(math.floor(percent * n), percent * 5000)


@dataclass(frozen=True)
class FileScore:
    """One series' raw score and its parts under one profile."""

    name: str
    raw: float
    null: float
    perfect: float
    true_positives: int
    false_negatives: int
    false_positives: int
    fp_cost: float
    window_scores: tuple[float, ...] = field(default=())


def score_file(timestamps: Sequence, detections: Sequence[bool], windows: Sequence[tuple], profile: str = "standard", name: str = "") -> FileScore:
    """Score binary ``detections`` on one series against its labelled ``windows``
    (pairs of first and last timestamp, inclusive), as NAB's sweeper does."""
    weights = _profile(profile)
    ts = pd.DatetimeIndex(pd.to_datetime(list(timestamps)))
    detected = np.asarray(detections, dtype=bool)
    if len(detected) != len(ts):
        raise ValueError(f"{len(detected)} detections for {len(ts)} timestamps")
    n = len(ts)
    probation = probation_length(n)
    max_tp = scaled_sigmoid(-1.0)
    # Window index of each row (-1 outside), and each window's [left, right] rows.
    bounds = []
    for first, last in sorted((pd.Timestamp(a), pd.Timestamp(b)) for a, b in windows):
        left, right = int(ts.searchsorted(first, "left")), int(ts.searchsorted(last, "right")) - 1
        if right >= left:
            bounds.append((left, right))
    in_window = np.full(n, -1)
    for k, (left, right) in enumerate(bounds):
        in_window[left : right + 1] = k
    window_best: dict[int, float] = {}  # window -> best TP score; scorable windows start at -fn
    for k, (_left, right) in enumerate(bounds):
        if right >= probation:  # a window wholly inside the probation is not scored
            window_best[k] = -weights["fn"]
    fp_cost, fps = 0.0, 0
    prev_right, prev_width = None, None
    for i in range(n):
        k = in_window[i]
        if k >= 0:
            left, right = bounds[k]
            width = right - left + 1
            if detected[i] and i >= probation:
                value = scaled_sigmoid(-(right - i + 1) / width) * weights["tp"] / max_tp
                window_best[k] = max(window_best[k], value)
            if i == right:
                prev_right, prev_width = right, width
        elif detected[i] and i >= probation:
            position = 3.0 if prev_right is None else abs(prev_right - i) / float(prev_width - 1)
            fp_cost += scaled_sigmoid(position) * weights["fp"]
            fps += 1
    scored = list(window_best.values())
    tps = sum(1 for v in scored if v > -weights["fn"])
    raw = sum(scored) + fp_cost
    return FileScore(name, raw, -weights["fn"] * len(scored), weights["tp"] * len(scored), tps, len(scored) - tps, fps, fp_cost, tuple(scored))


def _profile(profile: str) -> dict[str, float]:
    if profile not in PROFILES:
        raise ValueError(f"unknown NAB profile {profile!r}; choose from {', '.join(PROFILES)}")
    return PROFILES[profile]


@dataclass(frozen=True)
class BenchmarkScore:
    """Normalised NAB score over several files (0: detects nothing, 100: perfect)."""

    profile: str
    score: float
    files: tuple[FileScore, ...]

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            [
                {
                    "file": f.name,
                    "raw": f.raw,
                    "null": f.null,
                    "perfect": f.perfect,
                    "true_positives": f.true_positives,
                    "false_negatives": f.false_negatives,
                    "false_positives": f.false_positives,
                }
                for f in self.files
            ]
        ).set_index("file")

    def summary(self) -> str:
        t = self.to_frame().sum()
        return (
            f"NAB {self.profile} score {self.score:.1f} over {len(self.files)} files: {int(t['true_positives'])} of "
            f"{int(t['true_positives'] + t['false_negatives'])} windows detected, {int(t['false_positives'])} false positives"
        )


def normalise(files: Sequence[FileScore], profile: str = "standard") -> BenchmarkScore:
    raw, null, perfect = (sum(getattr(f, k) for f in files) for k in ("raw", "null", "perfect"))
    score = 100.0 * (raw - null) / (perfect - null) if perfect != null else float("nan")
    return BenchmarkScore(profile, score, tuple(files))


def load_corpus(folder: Path) -> dict[str, tuple[pd.DataFrame, list[tuple[str, str]]]]:
    """NAB series (``timestamp,value`` CSV files) in ``folder`` with their windows
    from ``combined_windows.json``: name -> (frame, windows)."""
    windows = json.loads((Path(folder) / "combined_windows.json").read_text())
    out = {}
    for name in sorted(windows):
        path = Path(folder) / name
        if path.exists():
            out[name] = (pd.read_csv(path, parse_dates=["timestamp"]), [tuple(w) for w in windows[name]])
    return out


def score_detector(detect: Callable[[pd.Series], np.ndarray], corpus: Mapping[str, tuple[pd.DataFrame, list]], profile: str = "standard") -> BenchmarkScore:
    """Run ``detect`` (a series indexed by time -> boolean detections) on each
    file and score the lot."""
    files = []
    for name, (frame, windows) in corpus.items():
        series = pd.Series(frame["value"].to_numpy(dtype=float), index=pd.DatetimeIndex(frame["timestamp"]))
        files.append(score_file(frame["timestamp"], detect(series), windows, profile, name))
    return normalise(files, profile)
