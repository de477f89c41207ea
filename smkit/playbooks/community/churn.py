"""Members at risk of leaving, and the list to re-engage.

At a cut-off day, every member active in the 56 days before it is described
by recency (days since their last active day), frequency (active days in the
last 28), trend (those 28 days against the 28 before) and tenure; the label
is whether they stay silent for the next ``horizon`` days. A logistic
regression on these (log-scaled, standardised) is fitted on the cut-offs of
earlier months and validated on the last complete month, which it never saw:
the AUC reported is that held-out month's. Logistic regression because the
signals are few and act in one direction (longer silence, fewer days, a
falling trend: more risk), its scores read as probabilities, and it needs no
tuning that a held-out month would then have to pay for; a survival or
BG/NBD model needs a purchase-like event history a community export rarely
gives cleanly. The list to re-engage is scored at the last day by the same
model refitted on every labelled month.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

FEATURES = ("recency", "frequency", "trend", "tenure")
LOOKBACK = 56
TRAIN_MONTHS = 4


def features(activity: pd.DataFrame, cutoff: pd.Timestamp) -> pd.DataFrame:
    """Recency, frequency, trend and tenure at ``cutoff`` for members active in the 56 days up to it."""
    days = activity[["user_id", "date"]].drop_duplicates()
    days = days.assign(date=pd.to_datetime(days["date"]))
    first = days.groupby("user_id")["date"].min()
    seen = days[(days["date"] <= cutoff) & (days["date"] > cutoff - pd.Timedelta(days=LOOKBACK))]
    last = seen.groupby("user_id")["date"].max()
    age = (cutoff - seen["date"]).dt.days
    recent = (age < 28).groupby(seen["user_id"]).sum()
    earlier = (age >= 28).groupby(seen["user_id"]).sum()
    out = pd.DataFrame(
        {
            "recency": (cutoff - last).dt.days.astype(float),
            "frequency": recent.astype(float),
            "trend": (recent - earlier).astype(float),
            "tenure": (cutoff - first.reindex(last.index)).dt.days.astype(float),
        }
    )
    out["platform"] = activity.drop_duplicates("user_id", keep="last").set_index("user_id")["platform"].reindex(out.index)
    return out


def labels(activity: pd.DataFrame, cutoff: pd.Timestamp, members: pd.Index, horizon: int = 28) -> pd.Series:
    """1 for members with no activity in the ``horizon`` days after ``cutoff``."""
    date = pd.to_datetime(activity["date"])
    back = activity.loc[(date > cutoff) & (date <= cutoff + pd.Timedelta(days=horizon)), "user_id"].unique()
    return pd.Series((~members.isin(back)).astype(int), index=members)


def _matrix(f: pd.DataFrame) -> np.ndarray:
    x = f[list(FEATURES)].to_numpy(dtype=float)
    return np.column_stack([np.log1p(x[:, 0]), np.log1p(x[:, 1]), np.sign(x[:, 2]) * np.log1p(np.abs(x[:, 2])), np.log1p(x[:, 3])])


def _fit(x: np.ndarray, y: np.ndarray):
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    return make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000)).fit(x, y)


def _stack(activity: pd.DataFrame, cutoffs: list[pd.Timestamp], horizon: int) -> tuple[np.ndarray, np.ndarray]:
    xs, ys = [], []
    for c in cutoffs:
        f = features(activity, c)
        if len(f):
            xs.append(_matrix(f))
            ys.append(labels(activity, c, f.index, horizon).to_numpy())
    if not xs:
        return np.empty((0, len(FEATURES))), np.empty(0)
    return np.vstack(xs), np.concatenate(ys)


@dataclass(frozen=True)
class Churn:
    auc: float | None  # on the held-out month; None when it cannot be measured
    test_cutoff: pd.Timestamp | None
    test_members: int
    test_churned: int
    base_rate: float | None
    coefficients: dict[str, float]
    at_risk: pd.DataFrame  # member -> risk, recency, frequency, trend, tenure, platform (highest risk first)
    segments: dict[str, int]  # active, at risk, lapsing
    reason: str = ""  # why there is no model ("history", "one_class")


def churn_model(activity: pd.DataFrame, end: pd.Timestamp, horizon: int = 28, top_n: int = 20, threshold: float = 0.5) -> Churn:
    """Fit on earlier months, measure the AUC on the last ``horizon`` days before ``end``, and score every recent member at ``end``."""
    from sklearn.metrics import roc_auc_score

    first = pd.to_datetime(activity["date"]).min() if len(activity) else end
    test_cutoff = end - pd.Timedelta(days=horizon)
    train_cutoffs = [test_cutoff - pd.Timedelta(days=horizon * k) for k in range(1, TRAIN_MONTHS + 1)]
    train_cutoffs = [c for c in train_cutoffs if c - pd.Timedelta(days=LOOKBACK) >= first]
    empty = pd.DataFrame(columns=["risk", *FEATURES, "platform"])
    if not train_cutoffs:
        return Churn(None, None, 0, 0, None, {}, empty, {}, "history")
    x, y = _stack(activity, train_cutoffs, horizon)
    if len(set(y)) < 2:
        return Churn(None, None, 0, 0, None, {}, empty, {}, "one_class")
    model = _fit(x, y)
    test = features(activity, test_cutoff)
    y_test = labels(activity, test_cutoff, test.index, horizon).to_numpy()
    auc = float(roc_auc_score(y_test, model.predict_proba(_matrix(test))[:, 1])) if len(set(y_test)) == 2 else None
    x_all, y_all = _stack(activity, [test_cutoff, *train_cutoffs], horizon)
    final = _fit(x_all, y_all)
    now = features(activity, end)
    now["risk"] = final.predict_proba(_matrix(now))[:, 1] if len(now) else []
    coefs = dict(zip(FEATURES, final[-1].coef_[0].round(3).tolist(), strict=True))
    lapsing = now["recency"] >= 28
    segments = {
        "active": int(((now["risk"] < threshold) & ~lapsing).sum()),
        "at_risk": int(((now["risk"] >= threshold) & ~lapsing).sum()),
        "lapsing": int(lapsing.sum()),
    }
    at_risk = now[~lapsing].sort_values("risk", ascending=False).head(top_n)[["risk", *FEATURES, "platform"]]
    at_risk.index.name = "member"
    return Churn(auc, test_cutoff, len(test), int(y_test.sum()), float(y_test.mean()) if len(y_test) else None, coefs, at_risk, segments)
