"""Crisis early warning, shared: the brand's daily series with its alarms,
the alerts with their factors and risk level, emerging keywords and top
negative mentions.

The reputation monitor shows them; the operations review's team scorecard
sums the response to the same alerts (:mod:`smkit.methods.response`), and a
playbook imports no other playbook, so the detection lives here.

- **Volume** (mentions of the brand by others per day): a detector from
  :data:`smkit.methods.anomaly.DETECTORS`, by default ``seasonal_robust_z``.
- **Negative share**: a one-sided CUSUM of the daily negative count against the
  share in the 8 weeks before, skipping the last week
  (:func:`smkit.methods.anomaly.cusum`).
- **Risk levels** in the Chinese emergency-warning convention, Ⅳ级 一般 (蓝色)
  to Ⅰ级 特别重大 (红色) (:func:`smkit.i18n.level_name`), carried as a
  *severity* that grows with danger: 1 = Ⅳ级, 2 = Ⅲ级, 3 = Ⅱ级, 4 = Ⅰ级. Four
  factors are each compared with thresholds for severities 2, 3 and 4
  (Ⅲ级, Ⅱ级, Ⅰ级; :class:`RiskThresholds`): magnitude (peak mentions over the
  usual day), negative share, velocity (the alert's busiest hour against the
  usual busiest hour of a day) and reach (followers of the distinct authors of
  negative mentions, each counted once). The severity is the highest at which
  at least ``min_factors`` factors reach their threshold; every alert is at
  least 1 (Ⅳ级). Why an alert has its level is kept as data (:class:`Reason`:
  factor, value, threshold met, severity); reports write it in their language.

An alert spans the alarm days and the following days still elevated. Alarms
are per day: an hourly run re-evaluates the current day so far.
:func:`detect` runs the whole detection on prepared mentions (:func:`prepare`).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from smkit import rules
from smkit.methods import anomaly, score_cache
from smkit.methods.text import tokens as keyword_tokens

HISTORY_DAYS = 120  # days before a window read for the baselines (the monitor's default history_days)

# ---------------------------------------------------------------- risk levels

# Severity: 0 no alert, 1 = Ⅳ级 一般 (蓝色), 2 = Ⅲ级 较大 (黄色), 3 = Ⅱ级 重大 (橙色), 4 = Ⅰ级 特别重大 (红色);
# the names are smkit.i18n.level_name's, in the report's language.
SEVERITIES = (1, 2, 3, 4)
FACTORS = ("magnitude", "negative_share", "velocity", "reach")


@dataclass(frozen=True)
class Reason:
    """Why an alert has its level, for one factor (data; a report writes the
    sentence in its language): the factor's ``value`` (None when unknown), the
    highest ``threshold`` it reached (None when it reached none) and the
    ``severity`` that threshold stands for (1 = Ⅳ级 when it reached none, up to
    4 = Ⅰ级)."""

    factor: str
    value: float | None
    threshold: float | None
    severity: int

    @property
    def met(self) -> bool:
        """Whether the factor reached a threshold (severity 2, Ⅲ级, or more)."""
        return self.threshold is not None

    def to_dict(self) -> dict:
        return {"factor": self.factor, "value": _num(self.value, 4), "threshold": self.threshold, "severity": self.severity}


@dataclass(frozen=True)
class RiskThresholds:
    """Thresholds of each factor for severities 2, 3 and 4, i.e. Ⅲ级, Ⅱ级 and Ⅰ级 (defaults in the README)."""

    magnitude: tuple[float, float, float] = (2.0, 3.0, 5.0)  # peak-day mentions over baseline
    negative_share: tuple[float, float, float] = (0.35, 0.50, 0.65)  # negative mentions over all, alert days
    velocity: tuple[float, float, float] = (3.0, 5.0, 10.0)  # the alert's busiest hour over the usual day's busiest hour
    reach: tuple[float, float, float] = (100_000, 1_000_000, 10_000_000)  # followers of the distinct authors of negative mentions
    min_factors: int = 2  # factors that must reach a level for the alert to have it

    def __post_init__(self):
        for name in FACTORS:
            values = getattr(self, name)
            if len(values) != 3 or list(values) != sorted(values):
                raise ValueError(f"{name} needs three increasing thresholds (for Ⅲ级, Ⅱ级, Ⅰ级), got {values}")
        if not 1 <= self.min_factors <= 4:
            raise ValueError(f"min_factors must be 1 to 4, got {self.min_factors}")


def _known(value: float | None) -> bool:
    return value is not None and bool(np.isfinite(value))


def grades(factors: dict[str, float], thresholds: RiskThresholds = RiskThresholds()) -> dict[str, int]:
    """Each factor's grade, 1 to 4: 1 plus the number of its thresholds it reaches (1 when unknown)."""
    return {name: 1 + sum(value >= t for t in getattr(thresholds, name)) if _known(value) else 1 for name, value in factors.items()}


def risk_level(factors: dict[str, float], thresholds: RiskThresholds = RiskThresholds()) -> tuple[int, list[Reason]]:
    """The severity (1 = Ⅳ级 to 4 = Ⅰ级) of an alert and, per factor, why
    (:class:`Reason`: its value and the highest threshold it met)."""
    graded = grades(factors, thresholds)
    level = max([lv for lv in (4, 3, 2) if sum(g >= lv for g in graded.values()) >= thresholds.min_factors] or [1])
    reasons = []
    for name, value in factors.items():
        g = graded[name]
        limit = float(getattr(thresholds, name)[g - 2]) if g >= 2 else None
        reasons.append(Reason(name, float(value) if _known(value) else None, limit, int(g)))
    return level, reasons


def reach(mentions: pd.DataFrame, by: str | None = None):
    """Followers of the distinct authors of ``mentions``: each (platform,
    author) once, at their largest follower count; mentions without an author
    count on their own. A float, or a Series per value of ``by``."""
    keys = ([by] if by else []) + ["platform", "author"]
    per_author = mentions.groupby(keys)["author_followers"].max().astype(float)  # rows without an author drop out here
    anonymous = mentions[mentions["author"].isna()]
    if by is None:
        return float(per_author.sum() + anonymous["author_followers"].astype(float).sum())
    return per_author.groupby(level=0).sum().add(anonymous.groupby(by)["author_followers"].sum().astype(float), fill_value=0)


# ---------------------------------------------------------------- prepared mentions


def prepare(mentions: pd.DataFrame) -> pd.DataFrame:
    """Mentions with sentiment filled (an exported score is kept), its label, the reply flag and the local day."""
    m, scoring = score_cache.fill(mentions)  # each distinct text scored once per model version, across runs
    m.attrs["sentiment_scoring"] = scoring
    m["sentiment"] = m["sentiment"].astype(float)
    m["polarity"] = rules.sentiment_label(m["sentiment"].to_numpy())
    m["is_reply_by_brand"] = rules.is_reply(m)
    m["day"] = m["published_at"].dt.tz_localize(None).dt.normalize()
    return m


# ---------------------------------------------------------------- alerts


@dataclass(frozen=True)
class Alert:
    start: dt.date
    end: dt.date
    level: int
    metric: str  # volume, negative_share or both
    magnitude: float
    negative_share: float
    baseline_share: float
    velocity: float
    reach: float
    mentions: int
    reasons: tuple[Reason, ...]  # one per factor, in FACTORS order
    platforms: tuple[str, ...]
    keywords: tuple[str, ...]
    top_negative: pd.DataFrame = field(repr=False, compare=False)
    unanswered: int = 0
    negatives: int = 0
    median_reply_hours: float | None = None  # over the answered negative mentions only
    usual_volume: float = float("nan")  # the usual daily mentions before the alert (0 or NaN: none, so magnitude is over a floor of 1)

    @property
    def reply_rate(self) -> float | None:
        """Share of the alert's negative mentions with a brand reply."""
        return (self.negatives - self.unanswered) / self.negatives if self.negatives else None

    @property
    def has_usual_volume(self) -> bool:
        """Whether the brand had mentions in the weeks before, so magnitude is over a usual day."""
        return bool(np.isfinite(self.usual_volume) and self.usual_volume > 0)

    def to_dict(self) -> dict:
        """The alert as data (missing numbers are null); ``factors``: why it has its
        level, one :class:`Reason` per factor. The reputation monitor's files add
        ``level_name`` and ``reasons`` (sentences) in the run's language."""
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "level": self.level,
            "metric": self.metric,
            "magnitude": _num(self.magnitude, 3),
            "usual_daily_mentions": _num(self.usual_volume, 1),
            "negative_share": _num(self.negative_share, 4),
            "baseline_negative_share": _num(self.baseline_share, 4),
            "velocity": _num(self.velocity, 3),
            "reach": int(self.reach),
            "mentions": self.mentions,
            "factors": [r.to_dict() for r in self.reasons],
            "platforms": list(self.platforms),
            "keywords": list(self.keywords),
            "negative_mentions": self.negatives,
            "unanswered_negative": self.unanswered,
            "reply_rate": _num(self.reply_rate, 4),
            "median_reply_hours_answered": _num(self.median_reply_hours, 2),
            "top_negative": [{k: (str(v) if k == "published_at" else _json_safe(v)) for k, v in r.items()} for r in self.top_negative.to_dict("records")],
        }


def _num(value, digits: int) -> float | None:
    """A rounded float, or None (JSON null) when missing or not finite."""
    if value is None or not np.isfinite(value):
        return None
    return round(float(value), digits)


def _json_safe(value):
    if isinstance(value, (float, np.floating)):
        return float(value) if np.isfinite(value) else None
    if isinstance(value, np.integer):
        return int(value)
    return value


# ---------------------------------------------------------------- the daily series


def daily_series(m: pd.DataFrame, brand: str, first: pd.Timestamp, last: pd.Timestamp) -> pd.DataFrame:
    """The brand's mentions by others per day: count, negatives, reach (each
    author's followers once a day) and the busiest hour's mentions."""
    ours = rules.earned(m[m["brand"] == brand])
    days = pd.date_range(first, last, freq="D")
    g = ours.groupby("day")
    hours = ours.groupby(["day", ours["published_at"].dt.tz_localize(None).dt.floor("h")]).size()
    negative = pd.Series(rules.is_negative(ours["sentiment"]), index=ours.index)
    out = pd.DataFrame(
        {
            "mentions": g.size().astype("int64"),
            "negative": negative.groupby(ours["day"]).sum().astype("int64"),
            "reach": reach(ours, by="day"),
            "peak_hour": hours.groupby(level=0).max() if len(hours) else pd.Series(dtype="int64"),
        }
    )
    return out.reindex(days).fillna(0).astype({"mentions": "int64", "negative": "int64", "peak_hour": "int64"}).rename_axis("day")


def monitor_series(m: pd.DataFrame, brand: str, last: pd.Timestamp, *, detector: str, z: float, cusum_k: float, cusum_h: float) -> pd.DataFrame:
    """:func:`daily_series` from the first day of ``m`` to ``last`` with the
    detectors' outputs: robust z, volume alarms, CUSUM, share alarms, the
    baseline share and the baseline day (median of the previous 4 same weekdays)."""
    return detectors(daily_series(m, brand, m["day"].min(), last), detector=detector, z=z, cusum_k=cusum_k, cusum_h=cusum_h)


def detectors(daily: pd.DataFrame, *, detector: str, z: float, cusum_k: float, cusum_h: float) -> pd.DataFrame:
    """The detectors' outputs added to a daily series (:func:`daily_series`'s columns,
    however it was summed: from rows here or in the engine)."""
    daily = daily.copy()
    mentions = daily["mentions"].to_numpy()
    daily["z"] = anomaly.robust_z(mentions, seasonal=detector == "seasonal_robust_z")
    daily["volume_alarm"] = anomaly.detector(detector)(mentions, z=z)
    stat, alarms, base = anomaly.cusum(daily["negative"].to_numpy(), mentions, k=cusum_k, h=cusum_h)
    daily["cusum"], daily["share_alarm"], daily["baseline_share"] = stat, alarms, base
    daily["negative_share"] = daily["negative"] / daily["mentions"].where(daily["mentions"] > 0)
    # The baseline day volume: what the seasonal detector compares with.
    daily["baseline"] = anomaly.lagged_median(daily["mentions"].to_numpy(float), 7, 4)
    return daily


# ---------------------------------------------------------------- keywords and replies


def emerging_keywords(now: pd.Series, before: pd.Series, brand_words: set[str], top: int = 8, min_count: int = 3) -> list[str]:
    """Words much more frequent in ``now`` than ``before``: ranked by the log
    ratio of their smoothed rates (mentions carrying the word, per mention),
    among words seen at least ``min_count`` times now. The brand's own names
    (``brand_words``) never count."""

    return keywords_from_counts(now.dropna().value_counts(), len(now), before.dropna().value_counts(), len(before), brand_words, top, min_count)


def keywords_from_counts(now: pd.Series, n_now: int, before: pd.Series, n_before: int, brand_words: set[str], top: int = 8, min_count: int = 3) -> list[str]:
    """:func:`emerging_keywords` from each distinct text's count (``now`` and ``before``:
    text -> mentions) and the mentions in each period (texts or not), as the engine sums them."""

    def count(texts: pd.Series) -> Counter:
        out: Counter = Counter()
        for text, n in texts.items():  # each distinct text tokenised once
            for word in keyword_tokens(text, exclude=brand_words, min_latin=3):
                out[word] += int(n)
        return out

    c_now, c_before = count(now), count(before)
    n_now, n_before = max(n_now, 1), max(n_before, 1)
    scored = [(np.log((c + 0.5) / n_now) - np.log((c_before.get(w, 0) + 0.5) / n_before), w) for w, c in c_now.items() if c >= min_count]
    return [w for s, w in sorted(scored, reverse=True) if s > np.log(2)][:top]


def reply_stats(m: pd.DataFrame, brand: str) -> tuple[pd.DataFrame, dict]:
    """Negative mentions of the brand with their first brand reply (``reply_hours``);
    and the overall reply rate and median reply time in hours."""
    earned = rules.earned(m[m["brand"] == brand])
    neg = earned[rules.is_negative(earned["sentiment"])].copy()
    neg["reply_hours"] = rules.first_reply_hours(m, brand).reindex(neg["mention_id"].to_numpy()).to_numpy()
    hours = neg["reply_hours"].dropna()
    summary = {
        "negative": len(neg),
        "answered": len(hours),
        "reply_rate": len(hours) / len(neg) if len(neg) else None,
        "median_reply_hours": float(hours.median()) if len(hours) else None,
        "p90_reply_hours": float(hours.quantile(0.9)) if len(hours) else None,
    }
    return neg, summary


def top_negative(negatives: pd.DataFrame, top_n: int) -> pd.DataFrame:
    """The ``top_n`` negative mentions with the most followers (then engagement) behind them."""
    engagement = rules.interactions(negatives, rules.CROSS_PLATFORM_ENGAGEMENT).fillna(0)
    top = negatives.assign(engagement=engagement).sort_values(["author_followers", "engagement"], ascending=False).head(top_n)
    return pd.DataFrame(
        {
            "published_at": top["published_at"].dt.strftime("%Y-%m-%d %H:%M"),
            "platform": top["platform"],
            "author": top["author"],
            "followers": top["author_followers"],
            "text": top["text"],
            "replied_after_hours": top["reply_hours"].round(1),
        }
    ).reset_index(drop=True)


# ---------------------------------------------------------------- alerts


def episodes(flags: np.ndarray, gap: int = 1) -> list[tuple[int, int]]:
    """First and last positions of runs of ``flags``, joining runs at most ``gap`` apart."""
    out: list[list[int]] = []
    for i in np.flatnonzero(flags):
        if out and i - out[-1][1] <= gap + 1:
            out[-1][1] = i
        else:
            out.append([i, i])
    return [(a, b) for a, b in out]


def _usual(values: pd.Series, a: int, days: int = 28) -> float:
    """Median of the ``days`` days before position ``a`` (NaN with no history)."""
    past = values.iloc[max(0, a - days) : a]
    return float(np.median(past)) if len(past) else float("nan")


def _platforms(negative: pd.DataFrame, before: pd.DataFrame) -> tuple[str, ...]:
    """Platforms whose share of the alert's negative mentions is above their share before."""
    return platforms_from_shares(negative["platform"].value_counts(normalize=True), before["platform"].value_counts(normalize=True))


def platforms_from_shares(share_now: pd.Series, share_before: pd.Series) -> tuple[str, ...]:
    """:func:`_platforms` from each platform's share, now (largest first) and before."""
    return tuple(p for p, s in share_now.items() if s >= 0.1 and s > share_before.get(p, 0) * 1.2) or tuple(share_now.index[:1])


def find_alerts(
    daily: pd.DataFrame,
    m: pd.DataFrame,
    negatives: pd.DataFrame,
    brand: str,
    start: pd.Timestamp,
    *,
    brand_words: set[str],
    cusum_h: float,
    thresholds: RiskThresholds,
    top_n: int,
) -> tuple[Alert, ...]:
    """The alerts whose days reach ``start`` or later, from :func:`monitor_series`'s
    ``daily``; ``negatives`` are the brand's negative mentions with reply hours."""
    ours = rules.earned(m[m["brand"] == brand])
    # An alert spans the alarm days and the following days still above baseline (or still negative).
    flags = (daily["volume_alarm"] | daily["share_alarm"]).to_numpy()
    elevated = ((daily["z"] > 2) | (daily["cusum"] > cusum_h / 2) | (daily["negative_share"] > daily["baseline_share"] * 2)).to_numpy()
    alerts = []
    for a, b in episodes(flags, gap=1):
        while b + 1 < len(daily) and elevated[b + 1]:
            b += 1
        days = daily.iloc[a : b + 1]
        if days.index[-1] < start:
            continue
        # The usual day and the usual busiest hour: medians over the 4 weeks before, at least 1 mention
        # (a brand nobody mentioned before, or an alert on the first day, is measured against 1).
        usual_day = _usual(daily["mentions"], a)
        usual_peak = _usual(daily["peak_hour"], a)
        base_share = float(daily["baseline_share"].iloc[a]) if pd.notna(daily["baseline_share"].iloc[a]) else float("nan")
        in_ep = ours[(ours["day"] >= days.index[0]) & (ours["day"] <= days.index[-1])]
        before = ours[(ours["day"] < days.index[0]) & (ours["day"] >= days.index[0] - pd.Timedelta(days=28))]
        neg_ep = in_ep[rules.is_negative(in_ep["sentiment"])]
        factors = {
            "magnitude": float(days["mentions"].max()) / max(np.nan_to_num(usual_day), 1.0),
            "negative_share": len(neg_ep) / max(len(in_ep), 1),
            "velocity": float(days["peak_hour"].max()) / max(np.nan_to_num(usual_peak), 1.0),
            "reach": reach(neg_ep),
        }
        level, reasons = risk_level(factors, thresholds)
        vol, share = bool(days["volume_alarm"].any()), bool(days["share_alarm"].any())
        metric = "volume and negative_share" if vol and share else "volume" if vol else "negative_share"
        keywords = tuple(emerging_keywords(neg_ep["text"], before["text"], brand_words))
        ep_neg = negatives[negatives["mention_id"].isin(set(neg_ep["mention_id"]))]
        hours = ep_neg["reply_hours"].dropna()
        alerts.append(
            Alert(
                days.index[0].date(),
                days.index[-1].date(),
                level,
                metric,
                factors["magnitude"],
                factors["negative_share"],
                base_share,
                factors["velocity"],
                factors["reach"],
                len(in_ep),
                tuple(reasons),
                _platforms(neg_ep, before),
                keywords,
                top_negative(ep_neg, top_n),
                unanswered=int(ep_neg["reply_hours"].isna().sum()),
                negatives=len(ep_neg),
                median_reply_hours=float(hours.median()) if len(hours) else None,
                usual_volume=usual_day,
            )
        )
    return tuple(alerts)


def detect(
    m: pd.DataFrame,
    brand: str,
    start: dt.date,
    end: dt.date,
    *,
    detector: str = "seasonal_robust_z",
    z: float = 4.0,
    cusum_k: float = 0.5,
    cusum_h: float = 5.0,
    thresholds: RiskThresholds = RiskThresholds(),
    brand_words: set[str] | frozenset[str] = frozenset(),
    top_n: int = 5,
) -> tuple[pd.DataFrame, pd.DataFrame, tuple[Alert, ...]]:
    """The monitor's detection on prepared mentions ``m`` (:func:`prepare`; the
    history before ``start`` serves as baselines): the daily series
    (:func:`monitor_series`), the brand's negative mentions with their reply
    hours (:func:`reply_stats`) and the alerts whose days reach ``start``
    (:func:`find_alerts`). The defaults are the monitor's."""
    w0, w1 = pd.Timestamp(start), pd.Timestamp(end)
    daily = monitor_series(m, brand, w1, detector=detector, z=z, cusum_k=cusum_k, cusum_h=cusum_h)
    negatives, _ = reply_stats(m, brand)
    found = find_alerts(daily, m, negatives, brand, w0, brand_words=set(brand_words), cusum_h=cusum_h, thresholds=thresholds, top_n=top_n)
    return daily, negatives, found
