"""Benchmarks per platform (posting volume, engagement rate, follower growth, content mix) and growth trends."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from smkit import rules
from smkit.methods import stats

BASES = ("impressions", "views")  # engagement denominators, in order of preference
MIN_POSTS = 20  # fewer posts on a side and a platform's comparison is not attempted
NO_DIFFERENCE = "no clear difference"


def engagement_basis(posts: pd.DataFrame, coverage: float = 0.95, minimum: float = 0.5) -> tuple[str, dict[str, float]]:
    """The engagement denominator, and the platforms that cannot use it.

    Impressions when every platform reports them on ``coverage`` of its posts,
    else views. A platform whose posts carry views less often than
    ``minimum`` (a minority of its posts, or none) is returned with that share,
    to be left out of engagement comparisons rather than compared on another
    basis; above it, its posts without views are left out one by one. When no
    platform reaches it, every platform is returned: posting volume and mix
    are still compared, engagement is not.
    """
    shares = {basis: posts[basis].notna().groupby(posts["platform"], observed=True).mean() for basis in BASES if basis in posts}
    if "impressions" in shares and len(shares["impressions"]) and (shares["impressions"] >= coverage).all():
        return "impressions", {}
    views = shares.get("views", pd.Series(0.0, index=posts["platform"].dropna().unique()))
    return "views", {str(p): float(v) for p, v in views[views < minimum].items()}


def interactions(posts: pd.DataFrame) -> pd.Series:
    """Likes, comments and shares per post (the parts every platform reports); none reported counts as 0."""
    return rules.interactions(posts, rules.CROSS_PLATFORM_ENGAGEMENT).fillna(0)


@dataclass(frozen=True)
class Benchmark:
    """Per-platform comparison of our brand with its competitors."""

    basis: str
    accounts: pd.DataFrame  # platform, account: posts, posts_per_week, rate (+ interval), follower growth
    comparisons: pd.DataFrame  # platform: our rate against competitors', ratio, interval, p, Holm p, verdict
    mix: pd.DataFrame  # platform, account, content_type: share of posts
    excluded: int = 0  # owned posts without the basis (no views or impressions), left out of the rates
    uncovered: dict[str, float] = field(default_factory=dict)  # platforms too few of whose posts carry the basis: their share

    @property
    def unit(self) -> str:
        """The basis in the singular: view or impression."""
        return self.basis[:-1]

    @property
    def definition(self) -> str:
        return f"({' + '.join(rules.CROSS_PLATFORM_ENGAGEMENT)}) per {self.unit}"

    @property
    def has_rates(self) -> bool:
        """Whether any account has an engagement rate (some platform carries the basis)."""
        return bool(self.accounts["rate"].notna().any()) if len(self.accounts) else False

    def flags(self) -> pd.DataFrame:
        """The platforms where our rate differs from the competitors' after Holm's correction."""
        return self.comparisons[self.comparisons["verdict"] != NO_DIFFERENCE]


def compare(posts: pd.DataFrame, daily: pd.DataFrame, brand: str, competitors: Sequence[str], days: int, alpha: float = 0.05) -> Benchmark:
    """Posting volume, engagement rate, follower growth and content mix per platform and account."""
    posts = posts[posts["account"].isin([brand, *competitors]) & (posts["channel"].fillna("owned") == "owned")]
    basis, uncovered = engagement_basis(posts)
    if basis not in posts:  # an export without the column: every platform is uncovered
        posts = posts.assign(**{basis: np.nan})
    rated = (posts[basis].fillna(0) > 0) & ~posts["platform"].isin(list(uncovered))
    excluded = int((~rated & ~posts["platform"].isin(list(uncovered))).sum())
    inter_all = interactions(posts).astype(float)
    growth = follower_growth(daily)
    rows, comparisons = [], []
    for platform, part in posts.groupby("platform", observed=True):
        use = rated.loc[part.index].to_numpy()
        inter = inter_all.loc[part.index].to_numpy()
        base = part[basis].fillna(0).astype(float).to_numpy()
        for account, acc in part.groupby("account", observed=True):
            mine = (part["account"] == account).to_numpy() & use
            stat = stats.ratio_stat(inter[mine], base[mine])
            lo, hi = stats.rate_interval(stat, alpha)
            low, high = stats.poisson_interval(len(acc), alpha)  # volume counts every post, with or without exposure
            rows.append(
                {
                    "platform": platform,
                    "account": account,
                    "posts": len(acc),
                    "posts_per_week": len(acc) / days * 7,
                    "posts_per_week_low": low / days * 7,
                    "posts_per_week_high": high / days * 7,
                    "rate": stat.mean if stat.n else np.nan,
                    "rate_low": lo,
                    "rate_high": hi,
                    "follower_growth_30d": growth.get((platform, account), np.nan),
                }
            )
        ours, theirs = use & (part["account"] == brand).to_numpy(), use & (part["account"] != brand).to_numpy()
        if ours.sum() < MIN_POSTS or theirs.sum() < MIN_POSTS:
            continue
        comparisons.append({"platform": platform, **stats.rate_ratio(inter[ours], base[ours], inter[theirs], base[theirs], alpha)})
    comp = pd.DataFrame(comparisons, columns=["platform", "ours", "theirs", "ratio", "ci_low", "ci_high", "p_value"]).rename(columns={"theirs": "competitors"})
    comp["p_holm"] = stats.adjust_pvalues(comp["p_value"].to_numpy(), "holm") if len(comp) else []
    comp["verdict"] = np.select(
        [(comp["p_holm"] < alpha) & (comp["ratio"] < 1), (comp["p_holm"] < alpha) & (comp["ratio"] > 1)],
        ["under-performs", "out-performs"],
        NO_DIFFERENCE,
    )
    mix = posts.groupby(["platform", "account", "content_type"], observed=True).size().rename("posts").reset_index()
    mix["share"] = mix["posts"] / mix.groupby(["platform", "account"], observed=True)["posts"].transform("sum")
    return Benchmark(basis, pd.DataFrame(rows), comp.set_index("platform"), mix, excluded, uncovered)


def follower_growth(daily: pd.DataFrame) -> dict[tuple[str, str], float]:
    """Relative follower growth per 30 days from the first to the last day with a count."""
    out = {}
    if "followers" not in daily:
        return out
    for key, part in daily.dropna(subset=["followers"]).sort_values("date").groupby(["platform", "account"], observed=True):
        first, last = part.iloc[0], part.iloc[-1]
        span = (pd.Timestamp(last["date"]) - pd.Timestamp(first["date"])).days
        if span >= 7 and first["followers"] > 0:
            out[key] = (float(last["followers"]) / float(first["followers"])) ** (30 / span) - 1
    return out


# ---------------------------------------------------------------- trends


def complete_weeks(dates: pd.Series, start: dt.date, end: dt.date) -> pd.Series:
    """Each date's week start (Monday), or NaT when its week is not wholly inside the window."""
    week = pd.to_datetime(dates).dt.tz_localize(None).dt.normalize()
    week = week - pd.to_timedelta(week.dt.day_of_week, unit="D")
    complete = (week >= pd.Timestamp(start)) & (week + pd.Timedelta(days=6) <= pd.Timestamp(end))
    return week.where(complete)


def trends(mentions: pd.DataFrame, daily: pd.DataFrame, brand: str, start: dt.date, end: dt.date, alpha: float = 0.05) -> pd.DataFrame:
    """Weekly growth of each brand's mentions and of our views, per platform; direction from the interval."""
    rows = []
    m = rules.earned(mentions)
    m = m.assign(week=complete_weeks(m["published_at"], start, end), n_=rules.mention_count(m)).dropna(subset=["week"])
    weeks = pd.Index(sorted(m["week"].unique()))
    for (platform, name), part in m.groupby(["platform", "brand"], observed=True):
        counts = part.groupby("week")["n_"].sum().astype("int64").reindex(weeks, fill_value=0)
        rows.append({"series": "mentions", "platform": platform, "brand": name, **stats.weekly_growth(counts, alpha)})
    ours = daily[daily["account"] == brand]
    ours = ours.assign(week=complete_weeks(ours["date"], start, end)).dropna(subset=["week", "views"])
    for platform, part in ours.groupby("platform", observed=True):
        rows.append({"series": "views", "platform": platform, "brand": brand, **stats.weekly_growth(part.groupby("week")["views"].sum(), alpha)})
    out = pd.DataFrame(rows)
    if out.empty:
        return out
    # Many series are tested at once: a direction is called only after Holm's correction.
    fitted = out["p_value"].notna()
    out["p_holm"] = np.nan
    out.loc[fitted, "p_holm"] = stats.adjust_pvalues(out.loc[fitted, "p_value"].to_numpy(), "holm")
    significant = out["p_holm"] < alpha
    out["direction"] = np.select([significant & (out["growth"] > 0), significant & (out["growth"] < 0)], ["rising", "falling"], "flat")
    out.loc[~fitted, "direction"] = "too short"
    return out
