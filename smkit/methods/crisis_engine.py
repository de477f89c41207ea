"""Crisis early warning with the mentions left in the engine.

:mod:`smkit.methods.crisis` detects alerts on prepared mention rows in pandas;
at listening scale (millions of mentions a day in a crisis) those rows do not
fit. :class:`EngineMonitor` asks the engine (DuckDB or Spark, through an ibis
backend of :func:`smkit.data.aggregates.open_backend`) for what the detection
needs, and runs the same rules on it:

- the brand's daily series (mentions by others, negatives, reach of the day's
  distinct authors, the busiest hour), one row per day;
- per alert: the reach of the distinct authors of its negative mentions, each
  platform's count, the ``top_n`` negative mentions with the most followers,
  and for the emerging keywords the count of each distinct text of the alert's
  negative mentions and of the four weeks before. Keywords are found on a
  bounded sample: the :data:`MAX_TEXTS` most frequent distinct texts of each
  period (every text on a normal day; a flood of distinct texts is ranked by
  its most repeated ones, which carry the words that spread);
- reply figures: the brand's negative mentions joined to its first reply in the
  engine, per day, with the reply hours of the answered ones (one number each)
  for the medians, and the :data:`UNANSWERED_LISTED` unanswered ones with the
  most followers;
- the window's word of mouth as rows summed per brand, platform, topic,
  sentiment label and reply flag (:mod:`smkit.playbooks.reputation_monitor.word_of_mouth`
  counts their ``n``);
- for response tracking (:class:`smkit.methods.response.MentionFacts`): the
  moment an alert was raised, the brand's first reply to its mentions, the last mention.

Sentiment is filled in the engine (:func:`smkit.methods.mention_engine.scored`).
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd

from smkit import rules
from smkit.methods import crisis, mention_engine, response

MAX_TEXTS = 20_000  # distinct texts per period read for the emerging keywords (the most frequent)
UNANSWERED_LISTED = 50  # unanswered negative mentions of the window listed (most followers first)
BEFORE_DAYS = 28  # the period an alert's words and platforms are compared with (as crisis.find_alerts)


def _local(stamps, tz: str) -> pd.Series:
    """Times in ``tz``: DuckDB hands back instants, Spark local wall times."""
    s = pd.to_datetime(pd.Series(stamps))
    return s.dt.tz_localize(tz) if s.dt.tz is None else s.dt.tz_convert(tz)


def _stamp(value, tz: str) -> pd.Timestamp | None:
    if value is None or pd.isna(value):
        return None
    return _local([value], tz).iloc[0]


def _wall(stamp: pd.Timestamp, tz: str):
    """``stamp`` as a literal of the engine: the local wall time, which both engines read in
    the session's time zone (the store's)."""
    import ibis

    local = stamp.tz_convert(tz).tz_localize(None) if stamp.tzinfo is not None else stamp
    return ibis.literal(local.to_pydatetime(), type="timestamp")


class EngineMonitor:
    """The monitor's questions to the engine about ``brand``'s mentions from ``first``
    (the history) to ``end``; ``con`` an ibis backend over the store."""

    def __init__(self, con, brand: str, first: dt.date, end: dt.date, tz: str):
        self.brand, self.first, self.end, self.tz = brand, first, end, tz
        t, self.scoring = mention_engine.scored(con, first, end)
        t = t.mutate(day=t.published_at.date(), reply_=t.is_reply_by_brand.fill_null(False))
        self.all = t
        ours = t.filter(t.brand == brand)
        self.ours = ours
        self.earned = ours.filter(~ours.reply_)
        engagement = sum((self.earned[c].fill_null(0) for c in rules.CROSS_PLATFORM_ENGAGEMENT), start=0)
        negative = self.earned.filter(self.earned.sentiment < -rules.SENTIMENT_THRESHOLD).mutate(engagement=engagement)
        replies = ours.filter(ours.reply_ & ours.reply_to.notnull())
        first_reply = replies.group_by(rid=replies.reply_to).agg(first_=replies.published_at.min())
        joined = negative.left_join(first_reply, negative.mention_id == first_reply.rid)
        hours = (joined.first_.epoch_seconds() - joined.published_at.epoch_seconds()).cast("float64") / 3600.0
        import ibis

        self.negative = joined.mutate(reply_hours=ibis.cases((hours >= 0, hours), else_=ibis.null("float64"))).drop("rid", "first_")
        self._daily: pd.DataFrame | None = None
        self._replies: pd.DataFrame | None = None
        self._per_day: pd.DataFrame | None = None
        got = t.aggregate(rows=t.count(), first_day=t.day.min(), last=t.published_at.max()).to_pandas().iloc[0]
        self.rows = int(got["rows"])
        self.first_day = None if pd.isna(got["first_day"]) else pd.Timestamp(got["first_day"]).normalize()
        self.now = _stamp(got["last"], tz)

    # ---------------------------------------------------------------- checks

    def brands(self, start: dt.date | None = None) -> list[str]:
        t = self.all if start is None else self.all.filter(self.all.day >= start)
        return sorted(b for b in t.select("brand").distinct().to_pandas()["brand"].dropna())

    def brand_rows(self) -> int:
        return mention_engine._scalar(self.ours.count())

    # ---------------------------------------------------------------- the daily series

    def daily(self, last: pd.Timestamp) -> pd.DataFrame:
        """:func:`smkit.methods.crisis.daily_series` from the first day of the mentions to ``last``."""
        e = self.earned
        counts = e.group_by("day").agg(mentions=e.count(), negative=(e.sentiment < -rules.SENTIMENT_THRESHOLD).ifelse(1, 0).sum()).to_pandas()
        named = e.filter(e.author.notnull() & e.platform.notnull())
        per_author = named.group_by(["day", "platform", "author"]).agg(f=named.author_followers.max())
        reach = per_author.group_by("day").agg(r=per_author.f.sum()).to_pandas()
        anonymous = e.filter(e.author.isnull())
        anon = anonymous.group_by("day").agg(a=anonymous.author_followers.sum()).to_pandas()
        hourly = e.mutate(hour=e.published_at.hour())
        per_hour = hourly.group_by(["day", "hour"]).agg(n=hourly.count())
        peak = per_hour.group_by("day").agg(p=per_hour.n.max()).to_pandas()
        days = pd.date_range(self.first_day, last, freq="D")

        def by_day(frame: pd.DataFrame, column: str) -> pd.Series:
            return frame.set_index(pd.to_datetime(frame["day"]))[column].astype(float).reindex(days)

        out = pd.DataFrame(
            {
                "mentions": by_day(counts, "mentions").fillna(0).astype("int64"),
                "negative": by_day(counts, "negative").fillna(0).astype("int64"),
                "reach": by_day(reach, "r").fillna(0).add(by_day(anon, "a").fillna(0)),
                "peak_hour": by_day(peak, "p").fillna(0).astype("int64"),
            },
            index=days,
        )
        out.index = out.index.astype("datetime64[us]")  # as the days of loaded rows
        return out.rename_axis("day")

    # ---------------------------------------------------------------- negatives and replies

    def _negative_days(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Per day: negatives and unanswered ones; and the answered ones' (day, reply_hours)."""
        if self._per_day is None:
            n = self.negative
            per_day = n.group_by("day").agg(negatives=n.count(), unanswered=n.reply_hours.isnull().ifelse(1, 0).sum()).to_pandas()
            per_day["day"] = pd.to_datetime(per_day["day"])
            self._per_day = per_day.set_index("day").sort_index()
            answered = n.filter(n.reply_hours.notnull()).select("day", "reply_hours").to_pandas()
            answered["day"] = pd.to_datetime(answered["day"])
            self._replies = answered
        return self._per_day, self._replies

    def _between(self, frame: pd.DataFrame, d0: pd.Timestamp, d1: pd.Timestamp, *, index: bool):
        days = frame.index if index else frame["day"]
        return frame[(days >= d0) & (days <= d1)]

    def reply_figures(self, w0: pd.Timestamp, w1: pd.Timestamp) -> dict:
        """:func:`smkit.methods.crisis.reply_stats`'s figures over ``w0``..``w1``, with ``unanswered``:
        the :data:`UNANSWERED_LISTED` unanswered negative mentions with the most followers
        (``unanswered_count`` all of them)."""
        per_day, answered = self._negative_days()
        days = self._between(per_day, w0, w1, index=True)
        hours = self._between(answered, w0, w1, index=False)["reply_hours"]
        negative = int(days["negatives"].sum())
        out = {
            "negative": negative,
            "answered": len(hours),
            "reply_rate": len(hours) / negative if negative else None,
            "median_reply_hours": float(hours.median()) if len(hours) else None,
            "p90_reply_hours": float(hours.quantile(0.9)) if len(hours) else None,
        }
        n = self.negative
        open_ = n.filter((n.day >= w0.date()) & (n.day <= w1.date()) & n.reply_hours.isnull())
        top = open_.order_by([open_.author_followers.desc(nulls_first=False), open_.published_at, open_.mention_id]).limit(UNANSWERED_LISTED)
        listed = top.select("published_at", "platform", "author", "author_followers", "text", "mention_id").to_pandas()
        listed["published_at"] = _local(listed["published_at"], self.tz).to_numpy()
        out["unanswered"] = listed.reset_index(drop=True)
        out["unanswered_count"] = int(days["unanswered"].sum())
        return out

    # ---------------------------------------------------------------- alerts

    def _reach(self, t) -> float:
        named = t.filter(t.author.notnull() & t.platform.notnull())
        per_author = named.group_by(["platform", "author"]).agg(f=named.author_followers.max())
        anon = t.filter(t.author.isnull())
        total = per_author.f.sum().to_pandas()
        rest = anon.author_followers.sum().to_pandas()
        return float((0 if pd.isna(total) else total) + (0 if pd.isna(rest) else rest))

    @staticmethod
    def _texts(t) -> pd.Series:
        kept = t.filter(t.text.notnull())
        counts = kept.group_by("text").agg(n=kept.count())
        got = counts.order_by([counts.n.desc(), counts.text]).limit(MAX_TEXTS).to_pandas()
        return got.set_index("text")["n"]

    def _platform_shares(self, t, ordered: bool) -> pd.Series:
        kept = t.filter(t.platform.notnull())
        got = kept.group_by("platform").agg(n=kept.count(), seen=kept.published_at.min(), first_id=kept.mention_id.min()).to_pandas()
        if got.empty:
            return pd.Series(dtype=float)
        if ordered:  # as value_counts: largest first, ties in order of first appearance
            got = got.sort_values(["seen", "first_id"]).sort_values("n", ascending=False, kind="stable")
        return (got.set_index("platform")["n"] / got["n"].sum()).astype(float)

    def _days(self, t, d0: pd.Timestamp, d1: pd.Timestamp):
        return t.filter((t.day >= d0.date()) & (t.day <= d1.date()))

    def alerts(
        self, daily: pd.DataFrame, start: pd.Timestamp, *, brand_words: set[str], cusum_h: float, thresholds: crisis.RiskThresholds, top_n: int
    ) -> tuple[crisis.Alert, ...]:
        """:func:`smkit.methods.crisis.find_alerts` from :meth:`daily` with the detectors'
        outputs, each alert's mentions asked of the engine."""
        per_day, answered = self._negative_days()
        flags = (daily["volume_alarm"] | daily["share_alarm"]).to_numpy()
        elevated = ((daily["z"] > 2) | (daily["cusum"] > cusum_h / 2) | (daily["negative_share"] > daily["baseline_share"] * 2)).to_numpy()
        found = []
        for a, b in crisis.episodes(flags, gap=1):
            while b + 1 < len(daily) and elevated[b + 1]:
                b += 1
            days = daily.iloc[a : b + 1]
            d0, d1 = days.index[0], days.index[-1]
            if d1 < start:
                continue
            usual_day = crisis._usual(daily["mentions"], a)
            usual_peak = crisis._usual(daily["peak_hour"], a)
            base_share = float(daily["baseline_share"].iloc[a]) if pd.notna(daily["baseline_share"].iloc[a]) else float("nan")
            b0, b1 = d0 - pd.Timedelta(days=BEFORE_DAYS), d0 - pd.Timedelta(days=1)
            in_ep, n_neg = int(days["mentions"].sum()), int(days["negative"].sum())
            n_before = int(daily.loc[(daily.index >= b0) & (daily.index <= b1), "mentions"].sum())
            neg_ep, before = self._days(self.negative, d0, d1), self._days(self.earned, b0, b1)
            factors = {
                "magnitude": float(days["mentions"].max()) / max(np.nan_to_num(usual_day), 1.0),
                "negative_share": n_neg / max(in_ep, 1),
                "velocity": float(days["peak_hour"].max()) / max(np.nan_to_num(usual_peak), 1.0),
                "reach": self._reach(neg_ep),
            }
            level, reasons = crisis.risk_level(factors, thresholds)
            vol, share = bool(days["volume_alarm"].any()), bool(days["share_alarm"].any())
            metric = "volume and negative_share" if vol and share else "volume" if vol else "negative_share"
            keywords = tuple(crisis.keywords_from_counts(self._texts(neg_ep), n_neg, self._texts(before), n_before, brand_words))
            platforms = crisis.platforms_from_shares(self._platform_shares(neg_ep, True), self._platform_shares(before, False))
            hours = self._between(answered, d0, d1, index=False)["reply_hours"]
            unanswered = int(self._between(per_day, d0, d1, index=True)["unanswered"].sum())
            top = neg_ep.order_by(
                [neg_ep.author_followers.desc(nulls_first=False), neg_ep.engagement.desc(nulls_first=False), neg_ep.published_at, neg_ep.mention_id]
            ).limit(top_n)
            rows = top.select("published_at", "platform", "author", "author_followers", "text", "reply_hours", *rules.CROSS_PLATFORM_ENGAGEMENT).to_pandas()
            rows["published_at"] = _local(rows["published_at"], self.tz).to_numpy()
            found.append(
                crisis.Alert(
                    d0.date(),
                    d1.date(),
                    level,
                    metric,
                    factors["magnitude"],
                    factors["negative_share"],
                    base_share,
                    factors["velocity"],
                    factors["reach"],
                    in_ep,
                    tuple(reasons),
                    platforms,
                    keywords,
                    crisis.top_negative(rows, top_n),
                    unanswered=unanswered,
                    negatives=n_neg,
                    median_reply_hours=float(hours.median()) if len(hours) else None,
                    usual_volume=usual_day,
                )
            )
        return tuple(found)

    # ---------------------------------------------------------------- word of mouth

    def window_groups(self, start: dt.date, end: dt.date) -> pd.DataFrame:
        """The window's mentions summed per brand, platform, topic, sentiment label and
        reply flag: ``n`` and the interaction sums, with ``polarity`` and a ``sentiment`` that labels the same."""
        t = self.all.filter((self.all.day >= start) & (self.all.day <= end))
        from smkit.data import aggregates

        t = t.mutate(polarity=aggregates._polarity(t.sentiment))
        keys = ["brand", "platform", "polarity", "reply_"] + (["topic"] if "topic" in t.columns else [])
        sums = {c: t[c].fill_null(0).cast("float64").sum() for c in rules.CROSS_PLATFORM_ENGAGEMENT}
        frame = t.group_by(keys).agg(n=t.count(), **sums).to_pandas()
        frame = frame.rename(columns={"reply_": "is_reply_by_brand"})
        frame["is_reply_by_brand"] = frame["is_reply_by_brand"].astype(bool)
        for column in ("brand", "platform", "topic"):
            if column in frame:
                frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
        frame["sentiment"] = frame["polarity"].map(mention_engine.LABEL_VALUE).astype(float)
        frame["n"] = frame["n"].astype("int64")
        keys = ["is_reply_by_brand" if k == "reply_" else k for k in keys]
        return frame.sort_values(keys, kind="stable", na_position="last").reset_index(drop=True)

    # ---------------------------------------------------------------- response tracking (response.MentionFacts)

    def negative_share(self, window_days: int) -> pd.Series:
        daily = self._daily if self._daily is not None else self.daily(pd.Timestamp(self.end))
        seen = daily.index[daily["mentions"] > 0]
        if seen.empty:
            return pd.Series(dtype=float)
        part = daily.loc[seen[0] : seen[-1]]
        return response.rolling_negative_share(part["mentions"], part["negative"], window_days)

    def raised_at(self, alert: dict) -> pd.Timestamp:
        day = pd.Timestamp(str(alert["start"])[:10])
        start = day.tz_localize(self.tz)
        usual = alert.get("usual_daily_mentions")
        daily = self._daily if self._daily is not None else self.daily(pd.Timestamp(self.end))
        count = int(daily["mentions"].get(day, 0))
        if usual is None or not math.isfinite(float(usual)) or count <= usual:
            return start
        e = self.earned.filter(self.earned.day == day.date())
        k = int(math.floor(float(usual)))
        # The first k + 1 times of the day (one column, a usual day's worth); an offset would be one row, but ibis's Spark backend mishandles it.
        got = e.select("published_at").order_by("published_at").limit(k + 1).to_pandas()
        return _stamp(got["published_at"].iloc[k], self.tz)

    def first_reply(self, alert: dict, since: pd.Timestamp) -> pd.Timestamp | None:
        d0, d1 = (pd.Timestamp(str(alert[k])[:10]) for k in ("start", "end"))
        asked = self._days(self.earned, d0, d1)
        o = self.ours
        replies = o.filter(o.reply_ & o.reply_to.isin(asked.mention_id) & (o.published_at >= _wall(since, self.tz)))
        return _stamp(replies.published_at.min().to_pandas(), self.tz)

    def use_daily(self, daily: pd.DataFrame) -> None:
        """Keep the daily series already asked for (tracking reads it)."""
        self._daily = daily
