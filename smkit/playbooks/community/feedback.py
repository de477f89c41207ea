"""The feedback loop: what users tell us, how fast we answer and resolve it,
what is still open, and what keeps coming back.

Feedback the export left without a category is filed from its text by
keywords (``data/reference/feedback_keywords.csv``): the category whose
keywords the text contains most often, the file's first row on a tie, and
``other`` with none. Keywords rather than a trained classifier because a team
can read and extend the list the day a new complaint appears, and because
the categorised feedback a classifier would learn from is itself few hundred
rows; the accuracy on feedback whose category is known is reported beside it.

Times are hours from ``received_at`` to ``first_response_at`` and to
``resolved_at``; medians over the items that have them. An item is open
until it has a ``resolved_at`` (or its status says resolved); its age is
counted to the end of the window.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

OTHER = "other"
AGE_BINS = (0, 1, 3, 7, 30, np.inf)  # days
AGE_LABELS = ("under_1", "1_3", "3_7", "7_30", "over_30")
_PUNCT = re.compile(r"[\s\W_]+", re.UNICODE)


def classify(texts: pd.Series, keywords: Sequence[tuple[str, Sequence[str]]]) -> pd.Series:
    """The category of each text by keyword hits (most hits, first row on a tie, ``other`` with none)."""
    text = texts.fillna("").astype(str).str.lower()
    hits = pd.DataFrame({cat: sum(text.str.count(re.escape(w.lower())) for w in words) for cat, words in keywords}, index=texts.index)
    if hits.empty:
        return pd.Series(OTHER, index=texts.index)
    best = hits.idxmax(axis=1)  # the first column wins ties
    return best.where(hits.max(axis=1) > 0, OTHER)


def normalise_text(texts: pd.Series) -> pd.Series:
    """Text without punctuation and spaces, lower-cased: how recurring issues are matched."""
    return texts.fillna("").astype(str).str.lower().str.replace(_PUNCT, "", regex=True)


@dataclass(frozen=True)
class Feedback:
    per_category: pd.DataFrame  # category, count, classified, median_hours_to_first_response, median_hours_to_resolution, open
    open_by_age: pd.Series  # age label -> open items
    recurring: pd.DataFrame  # text, category, count
    monthly: pd.DataFrame  # month -> received, resolved share, median hours to first response, to resolution
    received: int
    classified: int  # items filed by keywords
    accuracy: float | None  # of the keywords on items whose category the export gave
    open: int
    oldest_open_days: float | None
    median_first: float | None  # hours, over every category
    median_resolution: float | None


def prepare(feedback: pd.DataFrame, keywords: Sequence[tuple[str, Sequence[str]]]) -> pd.DataFrame:
    """Feedback with its category (given, else by keywords), hours to first response and resolution, and whether it is open."""
    f = feedback.copy()
    given = f["category"].astype("string").str.strip() if "category" in f else pd.Series(pd.NA, index=f.index, dtype="string")
    given = given.where(given != "", pd.NA)
    text = f["text"] if "text" in f else pd.Series("", index=f.index)
    guessed = classify(text, keywords)
    f["classified"] = given.isna()
    f["category"] = given.fillna(guessed).astype(object)
    f["guess"] = guessed
    received = pd.to_datetime(f["received_at"])
    for column, out in (("first_response_at", "hours_to_first_response"), ("resolved_at", "hours_to_resolution")):
        when = pd.to_datetime(f[column]) if column in f else pd.Series(pd.NaT, index=f.index)
        f[out] = (when - received).dt.total_seconds() / 3600
    status = f["status"].astype("string") if "status" in f else pd.Series(pd.NA, index=f.index, dtype="string")
    f["open"] = f["hours_to_resolution"].isna() & (status != "resolved").fillna(True).astype(bool)
    return f


def feedback_loop(feedback: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp, keywords: Sequence[tuple[str, Sequence[str]]], top_n: int = 10) -> Feedback:
    """Volume, response and resolution times and open items per category over ``start``..``end``; the monthly view over all the data up to ``end``."""
    f = prepare(feedback, keywords)
    received = pd.to_datetime(f["received_at"]).dt.tz_localize(None)
    f = f[received < end + pd.Timedelta(days=1)]
    received = received.loc[f.index]
    w = f[received >= start]
    per = (
        w.groupby("category")
        .agg(
            count=("category", "size"),
            classified=("classified", "sum"),
            median_hours_to_first_response=("hours_to_first_response", "median"),
            median_hours_to_resolution=("hours_to_resolution", "median"),
            open=("open", "sum"),
        )
        .sort_values("count", ascending=False)
        .reset_index()
    )
    ages = (end + pd.Timedelta(days=1) - received.loc[w.index][w["open"]]).dt.total_seconds() / 86400
    by_age = pd.cut(ages, AGE_BINS, labels=AGE_LABELS, right=False).value_counts().reindex(AGE_LABELS, fill_value=0)
    norm = normalise_text(w["text"] if "text" in w else pd.Series("", index=w.index))
    recurring = (
        w.assign(key=norm)[norm != ""]
        .groupby("key")
        .agg(text=("text", "first"), category=("category", "first"), count=("key", "size"))
        .query("count >= 2")
        .sort_values(["count", "text"], ascending=[False, True])
        .head(top_n)
        .reset_index(drop=True)
    )
    month = received.dt.to_period("M")
    monthly = f.groupby(month).agg(
        received=("category", "size"),
        resolved_share=("open", lambda s: 1 - s.mean()),
        median_hours_to_first_response=("hours_to_first_response", "median"),
        median_hours_to_resolution=("hours_to_resolution", "median"),
    )
    monthly.index = monthly.index.to_timestamp()
    monthly.index.name = "month"
    known = w[~w["classified"]]
    accuracy = float((known["guess"] == known["category"]).mean()) if len(known) else None
    return Feedback(
        per_category=per,
        open_by_age=by_age,
        recurring=recurring,
        monthly=monthly,
        received=len(w),
        classified=int(w["classified"].sum()),
        accuracy=accuracy,
        open=int(w["open"].sum()),
        oldest_open_days=float(ages.max()) if len(ages) else None,
        median_first=_median(w["hours_to_first_response"]),
        median_resolution=_median(w["hours_to_resolution"]),
    )


def _median(values: pd.Series) -> float | None:
    values = values.dropna()
    return float(values.median()) if len(values) else None
