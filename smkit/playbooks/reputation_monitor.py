"""Reputation and crisis monitor: word of mouth, early warning and risk levels.

Backs ``notebooks/reputation_monitor.ipynb`` (plan chapters 5 and 8:
品牌口碑管理, 危机预警, 风险等级). Every alert comes from rules anyone can read:

- **Volume** (mentions of the brand per day): a detector from :data:`DETECTORS`,
  by default ``seasonal_robust_z``: the square root of the count (which makes
  Poisson noise about constant) against the median of the same weekday in the
  previous ``seasons`` weeks, scaled by the median absolute deviation of past
  residuals (never below Poisson noise). A day more than ``z`` robust standard
  deviations above its baseline raises an alarm; one alarm per ``cooldown``.
  Only the past is used, so the alarm day is the day a daily run raises it.
- **Negative share**: a one-sided CUSUM (Page 1954) of the standardised daily
  negative count against the share in the 8 weeks before (skipping the last
  week, so a developing shift does not raise its own baseline). It catches
  sustained shifts a single-day threshold misses.
- **Risk level** I to IV per alert from four factors, each compared with
  thresholds for II, III and IV (:class:`RiskThresholds`): magnitude (peak
  mentions over the usual day), negative share, velocity (the alert's busiest
  hour against the usual busiest hour of a day) and reach (followers of the
  distinct authors of negative mentions, each counted once). The level is the
  highest at which at least ``min_factors`` factors reach their threshold;
  every alert is at least I. Alarms are per day: an hourly run re-evaluates
  the current day so far.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from smkit import rules
from smkit.data.store import load
from smkit.methods import sentiment
from smkit.methods.text import tokens as keyword_tokens
from smkit.rules import first_reply_hours

LEVEL_NAMES = {0: "none", 1: "I (watch)", 2: "II (moderate)", 3: "III (serious)", 4: "IV (critical)"}


# ---------------------------------------------------------------- detectors


def _lagged_median(x: np.ndarray, period: int, seasons: int) -> np.ndarray:
    n = len(x)
    lags = np.full((seasons, n), np.nan)
    for j in range(1, seasons + 1):
        if j * period < n:
            lags[j - 1, j * period:] = x[: n - j * period]
    with np.errstate(all="ignore"):
        out = np.full(n, np.nan)
        enough = np.isfinite(lags).sum(axis=0) > 0
        out[enough] = np.nanmedian(lags[:, enough], axis=0)
    return out


def robust_z(values: np.ndarray, *, period: int = 7, seasons: int = 4, smooth: int = 1, history: int = 56, floor: float = 0.5,
             seasonal: bool = True) -> np.ndarray:
    """Robust z-score of each point against its past only (NaN until there is history).

    The square root of the counts, optionally a trailing mean over ``smooth``
    points, against the median of the same phase in the previous ``seasons``
    periods (``seasonal``) or of the last ``history`` points; the scale is
    1.4826 times the median absolute residual over the last ``history`` points,
    at least ``floor`` (Poisson noise on the square-root scale is 0.5)."""
    x = np.sqrt(np.clip(np.asarray(values, dtype=float), 0, None))
    if smooth > 1:
        x = pd.Series(x).rolling(smooth, min_periods=1).mean().to_numpy()
    trailing = pd.Series(x).shift(1).rolling(history, min_periods=3).median().to_numpy()
    base = np.where(np.isnan(seasonal_base := _lagged_median(x, period, seasons)), trailing, seasonal_base) if seasonal else trailing
    resid = x - base
    scale = pd.Series(np.abs(resid)).shift(1).rolling(history, min_periods=3).median().to_numpy() * 1.4826
    return resid / np.maximum(np.nan_to_num(scale, nan=floor), floor / np.sqrt(max(smooth, 1)))


def _alarms(z: np.ndarray, threshold: float, cooldown: int) -> np.ndarray:
    out = np.zeros(len(z), dtype=bool)
    last = -cooldown - 1
    for i in np.flatnonzero(np.nan_to_num(z, nan=-np.inf) > threshold):
        if i - last > cooldown:
            out[i] = True
            last = i
    return out


def seasonal_robust_z(values, *, period: int = 7, seasons: int = 4, smooth: int = 1, history: int = 56, z: float = 4.0,
                      cooldown: int = 7) -> np.ndarray:
    """Alarms where the seasonal robust z-score exceeds ``z`` (one per ``cooldown`` points)."""
    return _alarms(robust_z(values, period=period, seasons=seasons, smooth=smooth, history=history), z, cooldown)


def trailing_robust_z(values, *, period: int = 7, seasons: int = 4, smooth: int = 1, history: int = 56, z: float = 4.0,
                      cooldown: int = 7) -> np.ndarray:
    """As :func:`seasonal_robust_z` against the trailing median, for series without seasonality."""
    # period and seasons are unused: every detector in DETECTORS takes the same keywords, so callers can switch by name.
    return _alarms(robust_z(values, smooth=smooth, history=history, seasonal=False), z, cooldown)


DETECTORS: dict[str, Callable[..., np.ndarray]] = {"seasonal_robust_z": seasonal_robust_z, "trailing_robust_z": trailing_robust_z}


def detector(name: str) -> Callable[..., np.ndarray]:
    if name not in DETECTORS:
        raise ValueError(f"unknown volume detector {name!r}; choose from {', '.join(DETECTORS)}")
    return DETECTORS[name]


def nab_detector(name: str = "seasonal_robust_z", z: float = 4.0):
    """The volume detector set for 5-minute series (NAB realTweets): a day of
    288 points is the period, 7 days of history, a one-hour trailing mean and one
    alarm a day. Settings follow the series' time scale, not the labels."""
    day = 288

    def detect(series: pd.Series) -> np.ndarray:
        return detector(name)(series.to_numpy(dtype=float), period=day, seasons=7, smooth=12, history=7 * day, z=z, cooldown=day)

    return detect


def cusum(negatives: np.ndarray, totals: np.ndarray, *, k: float = 0.5, h: float = 5.0, baseline_days: int = 56, gap: int = 7,
          min_baseline: int = 14) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One-sided CUSUM of the daily negative share: statistic, alarms (reset
    after each) and the baseline share. Days without mentions add nothing.

    Alarm days are left out of later baselines, so a crisis does not raise
    the "usual" share and hide the next one."""
    neg, tot = np.asarray(negatives, float), np.asarray(totals, float)
    n = len(tot)
    in_control = np.ones(n, dtype=bool)

    def sums() -> tuple[np.ndarray, np.ndarray]:
        return np.concatenate([[0], np.cumsum(neg * in_control)]), np.concatenate([[0], np.cumsum(tot * in_control)])

    cs_neg, cs_tot = sums()
    stat, alarms, base = np.zeros(n), np.zeros(n, dtype=bool), np.full(n, np.nan)
    s = 0.0
    for t in range(n):
        hi, lo = max(t - gap, 0), max(t - gap - baseline_days, 0)
        if hi - lo >= min_baseline and cs_tot[hi] - cs_tot[lo] > 0:
            p0 = (cs_neg[hi] - cs_neg[lo]) / (cs_tot[hi] - cs_tot[lo])
            p0 = min(max(p0, 0.01), 0.99)
            base[t] = p0
            if tot[t] > 0:
                zt = (neg[t] - tot[t] * p0) / np.sqrt(tot[t] * p0 * (1 - p0))
                s = max(0.0, s + zt - k)
        stat[t] = s
        if s > h:
            alarms[t] = True
            s = 0.0
            in_control[t] = False
            cs_neg, cs_tot = sums()
    return stat, alarms, base


# ---------------------------------------------------------------- risk levels


@dataclass(frozen=True)
class RiskThresholds:
    """Thresholds of each factor for levels II, III and IV (defaults in the README)."""

    magnitude: tuple[float, float, float] = (2.0, 3.0, 5.0)  # peak-day mentions over baseline
    negative_share: tuple[float, float, float] = (0.35, 0.50, 0.65)  # negative mentions over all, alert days
    velocity: tuple[float, float, float] = (3.0, 5.0, 10.0)  # the alert's busiest hour over the usual day's busiest hour
    reach: tuple[float, float, float] = (100_000, 1_000_000, 10_000_000)  # followers of the distinct authors of negative mentions
    min_factors: int = 2  # factors that must reach a level for the alert to have it

    def __post_init__(self):
        for name in ("magnitude", "negative_share", "velocity", "reach"):
            values = getattr(self, name)
            if len(values) != 3 or list(values) != sorted(values):
                raise ValueError(f"{name} needs three increasing thresholds (II, III, IV), got {values}")
        if not 1 <= self.min_factors <= 4:
            raise ValueError(f"min_factors must be 1 to 4, got {self.min_factors}")


FACTOR_LABELS = {"magnitude": "mentions over baseline", "negative_share": "negative share", "velocity": "busiest hour over the usual busiest hour",
                 "reach": "followers of the authors of negative mentions"}


def _fmt(name: str, value: float) -> str:
    if name == "negative_share":
        return f"{value:.0%}"
    if name == "reach":
        return f"{value:,.0f}"
    return f"{value:.1f}x"


def risk_level(factors: dict[str, float], thresholds: RiskThresholds = RiskThresholds()) -> tuple[int, list[str]]:
    """The level (1 to 4) of an alert and the reasons, each naming a factor, its value and the threshold it met."""
    grades = {}
    for name, value in factors.items():
        limits = getattr(thresholds, name)
        grades[name] = 1 + sum(value >= t for t in limits) if value is not None and np.isfinite(value) else 1
    level = max([lv for lv in (4, 3, 2) if sum(g >= lv for g in grades.values()) >= thresholds.min_factors] or [1])
    reasons = []
    for name, value in factors.items():
        g = grades[name]
        if g >= 2:
            limit = getattr(thresholds, name)[g - 2]
            reasons.append(f"{FACTOR_LABELS[name]} {_fmt(name, value)} ≥ {_fmt(name, limit)} (level {'I II III IV'.split()[g - 1]})")
        else:
            reasons.append(f"{FACTOR_LABELS[name]} {_fmt(name, value) if value is not None and np.isfinite(value) else 'not available'} (below level II)")
    return level, reasons


# ---------------------------------------------------------------- the analysis


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
    reasons: tuple[str, ...]
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

    def to_dict(self) -> dict:
        return {"start": self.start.isoformat(), "end": self.end.isoformat(), "level": self.level, "metric": self.metric,
                "magnitude": _num(self.magnitude, 3), "usual_daily_mentions": _num(self.usual_volume, 1),
                "negative_share": _num(self.negative_share, 4), "baseline_negative_share": _num(self.baseline_share, 4),
                "velocity": _num(self.velocity, 3), "reach": int(self.reach),
                "mentions": self.mentions, "reasons": list(self.reasons), "platforms": list(self.platforms), "keywords": list(self.keywords),
                "negative_mentions": self.negatives, "unanswered_negative": self.unanswered, "reply_rate": _num(self.reply_rate, 4),
                "median_reply_hours_answered": _num(self.median_reply_hours, 2),
                "top_negative": [{k: (str(v) if k == "published_at" else _json_safe(v)) for k, v in r.items()} for r in self.top_negative.to_dict("records")]}


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


@dataclass(frozen=True)
class MonitorResult:
    brand: str
    start: dt.date
    end: dt.date
    daily: pd.DataFrame  # the brand's mentions per day with detector outputs
    breakdown: dict  # table name -> frame (brand, platform, earned/owned)
    alerts: tuple[Alert, ...]
    replies: dict
    thresholds: RiskThresholds
    detector: str

    @property
    def alert_level(self) -> int:
        return max((a.level for a in self.alerts), default=0)

    def to_summary(self) -> dict:
        by_brand = self.breakdown["brand"]
        return {
            "brand": self.brand, "start": self.start, "end": self.end, "alert_level": self.alert_level,
            "alerts": [{k: a.to_dict()[k] for k in ("start", "end", "level", "metric", "magnitude", "reasons")} for a in self.alerts],
            "net_sentiment": {b: (None if pd.isna(v) else round(float(v), 4)) for b, v in by_brand["net_sentiment"].items()},
            "volume": {b: int(v) for b, v in by_brand["mentions"].items()},
        }

    def alerts_json(self) -> dict:
        """What ``alerts.json`` holds: the level, each alert in full, and the thresholds used."""
        return {"brand": self.brand, "window": [self.start.isoformat(), self.end.isoformat()], "alert_level": self.alert_level,
                "level_name": LEVEL_NAMES[self.alert_level], "alerts": [a.to_dict() for a in self.alerts],
                "thresholds": asdict(self.thresholds), "detector": self.detector}

    def write_alerts(self, folder: Path) -> Path:
        path = Path(folder) / "alerts.json"
        # allow_nan=False: a NaN would make the file invalid JSON; missing numbers are null (see Alert.to_dict).
        path.write_text(json.dumps(self.alerts_json(), ensure_ascii=False, indent=2, default=str, allow_nan=False), encoding="utf-8")
        return path


def prepare(mentions: pd.DataFrame) -> pd.DataFrame:
    """Mentions with sentiment filled (an exported score is kept), its label and the local day."""
    m = sentiment.fill(mentions)
    m["sentiment"] = m["sentiment"].astype(float)
    m["polarity"] = rules.sentiment_label(m["sentiment"].to_numpy())
    m["is_reply_by_brand"] = m["is_reply_by_brand"].fillna(False).astype(bool)
    m["day"] = m["published_at"].dt.tz_localize(None).dt.normalize()
    return m


def breakdown(m: pd.DataFrame, by: str | list[str]) -> pd.DataFrame:
    """Mentions, positive / neutral / negative shares and net sentiment
    ((positive - negative) / (positive + negative)) per group."""
    keys = [by] if isinstance(by, str) else list(by)
    columns = ["mentions", "positive_share", "neutral_share", "negative_share", "net_sentiment"]
    if m.empty:
        return pd.DataFrame(columns=columns, index=pd.Index([], name=keys[0]) if len(keys) == 1 else None)
    counts = pd.crosstab([m[c] for c in keys], m["polarity"]).reindex(columns=["positive", "neutral", "negative"], fill_value=0)
    total = counts.sum(axis=1)
    net = m.groupby(keys)["sentiment"].agg(rules.net_sentiment)
    out = pd.DataFrame({"mentions": total, "positive_share": counts["positive"] / total, "neutral_share": counts["neutral"] / total,
                        "negative_share": counts["negative"] / total, "net_sentiment": net.reindex(total.index)})
    return out.sort_values("mentions", ascending=False)


def emerging_keywords(now: pd.Series, before: pd.Series, brand_words: set[str], top: int = 8, min_count: int = 3) -> list[str]:
    """Words much more frequent in ``now`` than ``before``: ranked by the log
    ratio of their smoothed rates (mentions carrying the word, per mention),
    among words seen at least ``min_count`` times now. The brand's own names
    (``brand_words``) never count."""
    def count(texts: pd.Series) -> Counter:
        out: Counter = Counter()
        for text, n in texts.dropna().value_counts().items():  # each distinct text tokenised once
            for word in keyword_tokens(text, exclude=brand_words, min_latin=3):
                out[word] += int(n)
        return out

    c_now, c_before = count(now), count(before)
    n_now, n_before = max(len(now), 1), max(len(before), 1)
    scored = [(np.log((c + 0.5) / n_now) - np.log((c_before.get(w, 0) + 0.5) / n_before), w) for w, c in c_now.items() if c >= min_count]
    return [w for s, w in sorted(scored, reverse=True) if s > np.log(2)][:top]


def reply_stats(m: pd.DataFrame, brand: str) -> tuple[pd.DataFrame, dict]:
    """Negative mentions of the brand with their first brand reply; and the
    overall reply rate and median reply time in hours."""
    neg = m[(m["brand"] == brand) & ~m["is_reply_by_brand"] & (m["polarity"] == "negative")].copy()
    neg["reply_hours"] = first_reply_hours(m, brand).reindex(neg["mention_id"].to_numpy()).to_numpy()
    hours = neg["reply_hours"].dropna()
    stats = {"negative": len(neg), "answered": len(hours),
             "reply_rate": len(hours) / len(neg) if len(neg) else None,
             "median_reply_hours": float(hours.median()) if len(hours) else None,
             "p90_reply_hours": float(hours.quantile(0.9)) if len(hours) else None}
    return neg, stats


def _episodes(flags: np.ndarray, gap: int = 1) -> list[tuple[int, int]]:
    idx = np.flatnonzero(flags)
    out = []
    for i in idx:
        if out and i - out[-1][1] <= gap + 1:
            out[-1][1] = i
        else:
            out.append([i, i])
    return [tuple(e) for e in out]


def _aliases(brand_aliases: str | Sequence[str]) -> tuple[str, ...]:
    items = brand_aliases.split(",") if isinstance(brand_aliases, str) else brand_aliases
    return tuple(a.strip() for a in items if a and a.strip())


def analyze(store: Path, start: dt.date, end: dt.date, brand: str = "Lumina", *, brand_aliases: str | Sequence[str] = "", history_days: int = 120,
            detector_name: str = "seasonal_robust_z", z: float = 4.0, cusum_k: float = 0.5, cusum_h: float = 5.0,
            thresholds: RiskThresholds = RiskThresholds(), top_n: int = 5) -> MonitorResult:
    """The monitor over the window ``start``..``end`` (alerts whose days touch it),
    with ``history_days`` before it for baselines. ``brand_aliases`` are the
    brand's other names (comma-separated, e.g. its Chinese name): they are
    never reported as emerging keywords."""
    raw = load("mentions", store=store, start=start - dt.timedelta(days=history_days), end=end)
    if raw.empty:
        raise LookupError(f"no mentions in {start:%Y-%m-%d} to {end:%Y-%m-%d} nor in the {history_days} days before; "
                          "ingest a listening export or choose a window with data")
    m = prepare(raw)
    return analyze_frame(m, start, end, brand, brand_aliases=brand_aliases, detector_name=detector_name, z=z, cusum_k=cusum_k, cusum_h=cusum_h,
                         thresholds=thresholds, top_n=top_n)


def daily_series(m: pd.DataFrame, brand: str, first: pd.Timestamp, last: pd.Timestamp) -> pd.DataFrame:
    """The brand's mentions by others per day: count, negatives, reach (each
    author's followers once a day) and the busiest hour's mentions."""
    ours = m[(m["brand"] == brand) & ~m["is_reply_by_brand"]]
    days = pd.date_range(first, last, freq="D")
    g = ours.groupby("day")
    hours = ours.groupby(["day", ours["published_at"].dt.tz_localize(None).dt.floor("h")]).size()
    out = pd.DataFrame({"mentions": g.size().astype("int64"), "negative": (ours["polarity"] == "negative").groupby(ours["day"]).sum().astype("int64"),
                        "reach": reach(ours, by="day"),
                        "peak_hour": hours.groupby(level=0).max() if len(hours) else pd.Series(dtype="int64")})
    return out.reindex(days).fillna(0).astype({"mentions": "int64", "negative": "int64", "peak_hour": "int64"}).rename_axis("day")


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


def _usual(values: pd.Series, a: int, days: int = 28) -> float:
    """Median of the ``days`` days before position ``a`` (NaN with no history)."""
    past = values.iloc[max(0, a - days):a]
    return float(np.median(past)) if len(past) else float("nan")


def analyze_frame(m: pd.DataFrame, start: dt.date, end: dt.date, brand: str = "Lumina", *, brand_aliases: str | Sequence[str] = "",
                  detector_name: str = "seasonal_robust_z", z: float = 4.0, cusum_k: float = 0.5, cusum_h: float = 5.0,
                  thresholds: RiskThresholds = RiskThresholds(), top_n: int = 5) -> MonitorResult:
    """As :func:`analyze` on prepared mentions (see :func:`prepare`)."""
    w0, w1 = pd.Timestamp(start), pd.Timestamp(end)
    window = m[(m["day"] >= w0) & (m["day"] <= w1)]
    if not (m["brand"] == brand).any():
        found = sorted(window["brand"].dropna().unique()) or sorted(m["brand"].dropna().unique())
        raise ValueError(f"brand {brand!r} has no mentions in {start:%Y-%m-%d} to {end:%Y-%m-%d} or the history before it; "
                         f"brands found: {', '.join(map(str, found)) or 'none'}")
    daily = daily_series(m, brand, m["day"].min(), w1)
    daily["z"] = robust_z(daily["mentions"].to_numpy(), seasonal=detector_name == "seasonal_robust_z")
    daily["volume_alarm"] = detector(detector_name)(daily["mentions"].to_numpy(), z=z)
    stat, alarms, base = cusum(daily["negative"].to_numpy(), daily["mentions"].to_numpy(), k=cusum_k, h=cusum_h)
    daily["cusum"], daily["share_alarm"], daily["baseline_share"] = stat, alarms, base
    daily["negative_share"] = daily["negative"] / daily["mentions"].where(daily["mentions"] > 0)
    # The baseline day volume: the median of the previous 4 same weekdays (what the detector compares with).
    daily["baseline"] = _lagged_median(daily["mentions"].to_numpy(float), 7, 4)
    ours = m[(m["brand"] == brand) & ~m["is_reply_by_brand"]]
    neg_all, _ = reply_stats(m, brand)
    brand_words = {brand.lower(), *(w.lower() for w in _aliases(brand_aliases))}

    # An alert spans the alarm days and the following days still above baseline (or still negative).
    flags = (daily["volume_alarm"] | daily["share_alarm"]).to_numpy()
    elevated = ((daily["z"] > 2) | (daily["cusum"] > cusum_h / 2) | (daily["negative_share"] > daily["baseline_share"] * 2)).to_numpy()
    alerts = []
    for a, b in _episodes(flags, gap=1):
        while b + 1 < len(daily) and elevated[b + 1]:
            b += 1
        days = daily.iloc[a:b + 1]
        if days.index[-1] < w0:
            continue
        # The usual day and the usual busiest hour: medians over the 4 weeks before, at least 1 mention
        # (a brand nobody mentioned before, or an alert on the first day, is measured against 1).
        usual_day = _usual(daily["mentions"], a)
        usual_peak = _usual(daily["peak_hour"], a)
        base_share = float(daily["baseline_share"].iloc[a]) if pd.notna(daily["baseline_share"].iloc[a]) else float("nan")
        in_ep = ours[(ours["day"] >= days.index[0]) & (ours["day"] <= days.index[-1])]
        before = ours[(ours["day"] < days.index[0]) & (ours["day"] >= days.index[0] - pd.Timedelta(days=28))]
        neg_ep = in_ep[in_ep["polarity"] == "negative"]
        factors = {"magnitude": float(days["mentions"].max()) / max(np.nan_to_num(usual_day), 1.0),
                   "negative_share": len(neg_ep) / max(len(in_ep), 1),
                   "velocity": float(days["peak_hour"].max()) / max(np.nan_to_num(usual_peak), 1.0),
                   "reach": reach(neg_ep)}
        level, reasons = risk_level(factors, thresholds)
        vol, share = bool(days["volume_alarm"].any()), bool(days["share_alarm"].any())
        metric = "volume and negative_share" if vol and share else "volume" if vol else "negative_share"
        # Platforms involved: those whose share of the alert's negative mentions is above their share before.
        share_now = neg_ep["platform"].value_counts(normalize=True)
        share_before = before["platform"].value_counts(normalize=True)
        platforms = tuple(p for p, s in share_now.items() if s >= 0.1 and s > share_before.get(p, 0) * 1.2) or tuple(share_now.index[:1])
        keywords = tuple(emerging_keywords(neg_ep["text"], before["text"], brand_words))
        neg_ids = set(neg_ep["mention_id"])
        ep_neg = neg_all[neg_all["mention_id"].isin(neg_ids)]
        top = ep_neg.assign(engagement=ep_neg[["likes", "comments", "shares"]].fillna(0).sum(axis=1)).sort_values(
            ["author_followers", "engagement"], ascending=False).head(top_n)
        top_frame = pd.DataFrame({"published_at": top["published_at"].dt.strftime("%Y-%m-%d %H:%M"), "platform": top["platform"],
                                  "author": top["author"], "followers": top["author_followers"], "text": top["text"],
                                  "replied_after_hours": top["reply_hours"].round(1)}).reset_index(drop=True)
        hours = ep_neg["reply_hours"].dropna()
        alerts.append(Alert(days.index[0].date(), days.index[-1].date(), level, metric, factors["magnitude"], factors["negative_share"],
                            base_share, factors["velocity"], factors["reach"], len(in_ep), tuple(reasons), platforms, keywords, top_frame,
                            int(ep_neg["reply_hours"].isna().sum()), len(ep_neg), float(hours.median()) if len(hours) else None, usual_day))
    organic = window[~window["is_reply_by_brand"]]
    ours = organic[organic["brand"] == brand]
    tables = {"brand": breakdown(organic, "brand"), "platform": breakdown(ours, "platform"), "earned_owned": earned_owned(window, brand)}
    if "topic" in ours and ours["topic"].notna().any():  # only where the listening export carries a topic
        tables["topic"] = breakdown(ours.assign(topic=ours["topic"].fillna("(no topic)")), "topic")
    _, replies = reply_stats(window, brand)
    unanswered = neg_all[(neg_all["day"] >= w0) & (neg_all["day"] <= w1) & neg_all["reply_hours"].isna()]
    replies["unanswered"] = unanswered.sort_values("author_followers", ascending=False)
    return MonitorResult(brand, start, end, daily, tables, tuple(alerts), replies, thresholds, detector_name)




def earned_owned(window: pd.DataFrame, brand: str) -> pd.DataFrame:
    """Earned (others' mentions of the brand) against owned (the brand's own
    replies) in the window, with each one's engagement."""
    ours = window[window["brand"] == brand]
    rows = []
    for name, part in (("earned (others about the brand)", ours[~ours["is_reply_by_brand"]]), ("owned (the brand's replies)", ours[ours["is_reply_by_brand"]])):
        eng = part[["likes", "comments", "shares"]].fillna(0).sum(axis=1)
        rows.append({"source": name, "mentions": len(part), "engagement": float(eng.sum()), "engagement_per_mention": float(eng.mean()) if len(part) else None})
    return pd.DataFrame(rows).set_index("source")


# ---------------------------------------------------------------- text and tables for the report


def incident_brief(result: MonitorResult) -> str:
    """The report's opening paragraph, written from the numbers (Markdown, escaped)."""
    b = html.escape(result.brand)
    window = f"{result.start:%Y-%m-%d} to {result.end:%Y-%m-%d}"
    vol = result.breakdown["brand"]
    n = int(vol["mentions"].get(result.brand, 0))
    net = vol["net_sentiment"].get(result.brand)
    net_text = "no polar mentions" if net is None or pd.isna(net) else f"net sentiment {net:+.2f}"
    head = f"**{b}, {window}:** " + (f"{n:,} mentions, {net_text}. " if n else f"no mentions in {window}. ")
    if not result.alerts:
        return head + ("**No alert**: mention volume and the negative share stayed within their usual range." if n else
                       "**No alert**: nothing to measure; check that the window has data (`start`, `end`) and the brand's name (`brand`).")
    worst = max(result.alerts, key=lambda a: (a.level, a.start))
    peak = (f"{worst.magnitude:.1f}x the usual daily volume at the peak" if np.isfinite(worst.usual_volume) and worst.usual_volume > 0
            else f"no usual volume before it ({worst.magnitude:.0f} mentions on the busiest day)")
    usual_share = "" if not np.isfinite(worst.baseline_share) else f" (usually {worst.baseline_share:.0%})"
    return (head + f"**Highest risk level {LEVEL_NAMES[worst.level]}**, from {worst.start:%Y-%m-%d} to {worst.end:%Y-%m-%d}: "
            f"{worst.mentions:,} mentions, {peak}, {worst.negative_share:.0%} negative{usual_share}, "
            f"mostly on {html.escape(', '.join(worst.platforms))}"
            + (f", about {html.escape('、'.join(worst.keywords[:4]))}" if worst.keywords else "")
            + f". {worst.unanswered:,} of {worst.negatives:,} negative mentions are unanswered ({_reply_text(worst)}). "
            + ("Respond now: acknowledge publicly and reply to the unanswered negatives with the most followers first."
               if worst.level >= 3 else "Watch closely and answer the open negatives."))


def _reply_text(alert: Alert) -> str:
    """Reply rate, and the median reply time labelled as over answered mentions only."""
    if not alert.negatives:
        return "no negative mention"
    rate = f"{alert.reply_rate:.0%} answered"
    if alert.median_reply_hours is None:
        return f"{rate}; no brand reply yet"
    return f"{rate}; median first reply, answered mentions: {alert.median_reply_hours:.1f} hours"


def alerts_frame(result: MonitorResult) -> pd.DataFrame:
    if not result.alerts:
        return pd.DataFrame({"note": ["no alert in this window"]})
    return pd.DataFrame([{"start": f"{a.start:%Y-%m-%d}", "end": f"{a.end:%Y-%m-%d}", "level": LEVEL_NAMES[a.level], "raised by": a.metric.replace("_", " "),
                          "mentions": f"{a.mentions:,}", "peak vs usual": f"{a.magnitude:.1f}x" if np.isfinite(a.usual_volume) and a.usual_volume > 0 else "no usual volume", "negative": f"{a.negative_share:.0%}",
                          "usual negative": "–" if not np.isfinite(a.baseline_share) else f"{a.baseline_share:.0%}",
                          "reach": f"{a.reach:,.0f}", "platforms": html.escape(", ".join(a.platforms)),
                          "why this level": html.escape("; ".join(a.reasons))} for a in result.alerts]).set_index("start")


def alert_details(alert: Alert) -> str:
    """One alert's keywords, platforms and replies (Markdown, escaped)."""
    words = "、".join(html.escape(k) for k in alert.keywords) or "none stood out"
    return (f"**{alert.start:%Y-%m-%d} to {alert.end:%Y-%m-%d}, level {LEVEL_NAMES[alert.level]}.** Emerging words: {words}. "
            f"Platforms: {html.escape(', '.join(alert.platforms))}. Negative mentions: {alert.negatives:,}, of which {alert.unanswered:,} unanswered ({_reply_text(alert)}).")


def top_negative_frame(alert: Alert):
    if alert.top_negative.empty:
        return pd.DataFrame({"note": ["no negative mention in this alert"]})
    shown = alert.top_negative.rename(columns={"published_at": "published", "replied_after_hours": "reply after (hours)"})
    return shown.style.format({"followers": "{:,.0f}", "reply after (hours)": "{:.1f}"}, na_rep="unanswered").format(
        escape="html", subset=["text", "author"]).hide(axis="index")


def breakdown_frame(table: pd.DataFrame):
    shown = table.rename(columns={"positive_share": "positive", "neutral_share": "neutral", "negative_share": "negative", "net_sentiment": "net sentiment"})
    return shown.style.format({"mentions": "{:,.0f}", "positive": "{:.0%}", "neutral": "{:.0%}", "negative": "{:.0%}",
                               "net sentiment": "{:+.2f}"}, na_rep="–").format_index(escape="html")


def topic_frame(result: MonitorResult):
    """Word of mouth by topic, or why there is none."""
    if "topic" not in result.breakdown:
        return pd.DataFrame({"note": ["the mentions carry no topic (话题); what people talk about shows in each alert's emerging words"]})
    return breakdown_frame(result.breakdown["topic"])


def earned_owned_frame(result: MonitorResult):
    shown = result.breakdown["earned_owned"].rename(columns={"engagement_per_mention": "engagement per mention"})
    shown.index.name = None
    return shown.style.format({"mentions": "{:,.0f}", "engagement": "{:,.0f}", "engagement per mention": "{:.1f}"}, na_rep="–")


def replies_text(result: MonitorResult) -> str:
    r = result.replies
    if not r["negative"]:
        return "No negative mention of the brand in the window, so nothing waited for a reply."
    rate = f"{r['reply_rate']:.0%}"
    speed = ("" if r["median_reply_hours"] is None else
             f"; median first reply, answered mentions: {r['median_reply_hours']:.1f} hours (90% of answered within {r['p90_reply_hours']:.1f})")
    return f"{r['answered']:,} of {r['negative']:,} negative mentions in the window were answered ({rate}){speed}. {len(r['unanswered']):,} are still unanswered; those with the most followers first:"


def unanswered_frame(result: MonitorResult, top: int = 10):
    u = result.replies["unanswered"].head(top)
    if u.empty:
        return pd.DataFrame({"note": ["every negative mention has a reply"]})
    shown = pd.DataFrame({"published": u["published_at"].dt.strftime("%Y-%m-%d %H:%M"), "platform": u["platform"], "author": u["author"],
                          "followers": u["author_followers"], "text": u["text"]})
    return shown.style.format({"followers": "{:,.0f}"}).format(escape="html", subset=["text", "author"]).hide(axis="index")


def monitor_figure(result: MonitorResult, days: int = 120):
    """Daily mentions against baseline with alarms, and the negative share with its CUSUM baseline."""
    import matplotlib.pyplot as plt

    d = result.daily.tail(days)
    fig, (ax1, ax2) = plt.subplots(2, 1, figsize=(8, 5), sharex=True)
    ax1.plot(d.index, d["mentions"], label="mentions 提及量")
    ax1.plot(d.index, d["baseline"], linestyle="--", label="usual (same weekday) 基线")
    for a in result.alerts:
        ax1.axvspan(pd.Timestamp(a.start), pd.Timestamp(a.end) + pd.Timedelta(hours=23), color="#C4474D", alpha=0.2)
    ax1.set_ylabel("mentions per day")
    ax1.legend(loc="upper left", fontsize="small")
    ax1.set_title(f"{result.brand}: volume and negative share · 声量与负面占比")
    ax2.plot(d.index, d["negative_share"] * 100, color="#C4474D", label="negative share 负面占比")
    ax2.plot(d.index, d["baseline_share"] * 100, linestyle="--", color="#6F7A86", label="usual 基线")
    ax2.set_ylabel("negative, %")
    ax2.legend(loc="upper left", fontsize="small")
    fig.autofmt_xdate()
    plt.close(fig)
    return fig
