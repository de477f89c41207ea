"""Market analysis and platform selection (市场分析, 平台选择与定位).

- **Share of voice**: each brand's share of earned mentions (the brand's own
  replies excluded), by count and engagement-weighted (a mention counts once
  plus its likes, comments and shares), overall, by platform and by week.
- **Net sentiment** per brand: (positive - negative) / (positive + negative).
- **Benchmarking** per platform: posting volume, engagement rate on one basis
  for every platform compared (per impression when all report impressions,
  else per view), follower growth and content mix; our brand against its
  competitors pooled, as a rate ratio with a delta-method interval and Holm's
  correction across platforms, so only real differences are flagged.
- **Trends**: weekly growth of mentions and of our views per platform from a
  quasi-Poisson log-linear fit on complete weeks.
- **Audience fit**: the share of each platform's audience matching a target.
- **Platform score**: a weighted mean of min-max normalised criteria, and its
  sensitivity to the weights (Dirichlet draws around them).
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from statsmodels.stats.proportion import proportion_confint

from smkit import paths, rules
from smkit.data.schema import platform_label
from smkit.data.store import load
from smkit.methods import sentiment, stats
from smkit.rules import earned

INTERACTIONS = ("likes", "comments", "shares")  # reported by every platform; saves are not
BASES = ("impressions", "views")  # engagement denominators, in order of preference
CRITERIA = {
    "audience_fit": "share of the platform's audience matching the target",
    "engagement": "our engagement rate on the platform",
    "growth": "our follower growth per 30 days",
    "cost": "our spend per interaction (lower is better)",
    "resources": "the team's capacity for the platform",
}
DEFAULT_WEIGHTS = {"audience_fit": 0.3, "engagement": 0.25, "growth": 0.15, "cost": 0.15, "resources": 0.15}
REFERENCE_FACTS = paths.reference_dir() / "platform_facts.csv"
MIN_POSTS = 20  # fewer posts on a side and a platform's comparison is not attempted


# ---------------------------------------------------------------- parameters


def parse_mapping(text: str, name: str, valid: Sequence[str] | None = None) -> dict[str, float]:
    """``"a:0.3, b:0.2"`` as ``{"a": 0.3, "b": 0.2}``; errors name the parameter and the item."""
    out: dict[str, float] = {}
    for item in filter(None, (part.strip() for part in re.split(r"[,;，；]", text or ""))):
        key, sep, value = item.partition(":")
        key = key.strip()
        try:
            number = float(value)
        except ValueError:
            number = float("nan")
        if not sep or not key or not np.isfinite(number) or number < 0:
            raise ValueError(f"{name}: '{item}' is not key:number with a number of 0 or more")
        if valid is not None and key not in valid:
            raise ValueError(f"{name}: unknown key '{key}'; valid keys are {', '.join(valid)}")
        out[key] = number
    return out


@dataclass(frozen=True)
class Target:
    """Attribute filters on the ``audience`` table: ``"age:22-35, gender:female, interests:tech|home_decor"``.

    A number range is ``lo-hi`` (inclusive) or one number; other columns take
    values separated by ``|``, and a list column (``a;b;c``) matches when any
    of its items is listed.
    """

    filters: tuple[tuple[str, str], ...] = ()

    @classmethod
    def parse(cls, text: str) -> Target:
        filters = []
        for item in filter(None, (part.strip() for part in re.split(r"[,;，；]", text or ""))):
            column, sep, spec = item.partition(":")
            if not sep or not column.strip() or not spec.strip():
                raise ValueError(f"target: '{item}' is not column:values (for example age:22-35 or gender:female)")
            filters.append((column.strip(), spec.strip()))
        return cls(tuple(filters))

    def describe(self) -> str:
        return ", ".join(f"{c} {s.replace('|', ' or ')}" for c, s in self.filters) or "everyone"

    def mask(self, audience: pd.DataFrame) -> pd.Series:
        keep = pd.Series(True, index=audience.index)
        for column, spec in self.filters:
            if column not in audience:
                shown = ", ".join(c for c in audience.columns if c not in ("user_id", "platform"))
                raise ValueError(f"target: the audience table has no column '{column}'; its columns are {shown}")
            values = audience[column]
            if pd.api.types.is_numeric_dtype(values):
                match = re.fullmatch(r"\s*(-?[\d.]+)\s*(?:-\s*(-?[\d.]+)\s*)?", spec)
                if not match:
                    raise ValueError(f"target: '{column}:{spec}' needs a number or a range lo-hi, as the column is numeric")
                lo = float(match.group(1))
                hi = float(match.group(2)) if match.group(2) else lo
                keep &= values.between(lo, hi)
            else:
                wanted = {v.strip().lower() for v in spec.split("|")}
                items = values.fillna("").astype(str).str.lower().str.split(";")
                keep &= items.map(lambda xs: any(x.strip() in wanted for x in xs)).astype(bool)
        return keep


# ---------------------------------------------------------------- share of voice and sentiment


def _mention_weight(mentions: pd.DataFrame, weighted: bool) -> pd.Series:
    if not weighted:
        return pd.Series(1.0, index=mentions.index)
    cols = [c for c in INTERACTIONS if c in mentions]
    return 1.0 + mentions[cols].fillna(0).astype(float).sum(axis=1)


def share_of_voice(mentions: pd.DataFrame, by: Sequence[str] = (), weighted: bool = False, alpha: float = 0.05) -> pd.DataFrame:
    """Each brand's share of earned mentions, within each group of ``by``.

    ``weighted`` counts each mention once plus its likes, comments and shares.
    Count shares carry a Wilson interval; weighted shares have none, as a few
    viral mentions dominate them.
    """
    m = earned(mentions)
    keys = [*by, "brand"]
    volume = m.assign(volume=_mention_weight(m, weighted)).groupby(keys, observed=True)["volume"].sum()
    total = volume.groupby(level=list(by)).transform("sum") if by else volume.sum()
    out = pd.DataFrame({"volume": volume, "share": volume / total}).reset_index()
    if weighted:
        out["ci_low"] = out["ci_high"] = np.nan
    else:
        totals = total.to_numpy() if by else np.full(len(out), total)
        out["ci_low"], out["ci_high"] = proportion_confint(out["volume"].to_numpy(), totals, alpha=alpha, method="wilson")
    return out


def weekly_share_of_voice(mentions: pd.DataFrame, weighted: bool = False) -> pd.DataFrame:
    """Share of voice per brand (columns) for each complete or partial week (Monday start)."""
    m = earned(mentions)
    week = pd.to_datetime(m["published_at"]).dt.tz_localize(None).dt.to_period("W-SUN").dt.start_time
    volume = m.assign(week=week, volume=_mention_weight(m, weighted)).pivot_table(index="week", columns="brand", values="volume", aggfunc="sum", fill_value=0)
    return volume.div(volume.sum(axis=1), axis=0)


def weekly_platform_share(mentions: pd.DataFrame, brand: str) -> pd.DataFrame:
    """``brand``'s weekly share of voice on each platform (columns)."""
    m = earned(mentions)
    week = pd.to_datetime(m["published_at"]).dt.tz_localize(None).dt.to_period("W-SUN").dt.start_time
    counts = m.assign(week=week, ours=m["brand"] == brand).groupby(["week", "platform"], observed=True)["ours"].agg(["sum", "size"])
    return (counts["sum"] / counts["size"]).unstack("platform")


def net_sentiment_table(mentions: pd.DataFrame, alpha: float = 0.05, threshold: float = 0.25) -> pd.DataFrame:
    """Net sentiment per brand with a Wilson interval on positive / (positive + negative).

    Mentions keep an exported ``sentiment``; the rest are scored by
    :mod:`smkit.methods.sentiment`, and ``scored_share`` says how many were.
    """
    m = earned(mentions)
    exported = m["sentiment"].notna() if "sentiment" in m else pd.Series(False, index=m.index)
    m = sentiment.fill(m)
    rows = []
    for brand, part in m.groupby("brand", observed=True):
        values = part["sentiment"].astype(float)
        positive, negative = int((values > threshold).sum()), int((values < -threshold).sum())
        lo = hi = np.nan
        if positive + negative:
            q_lo, q_hi = proportion_confint(positive, positive + negative, alpha=alpha, method="wilson")
            lo, hi = 2 * q_lo - 1, 2 * q_hi - 1
        rows.append({"brand": brand, "mentions": len(part), "positive": positive, "negative": negative,
                     "net_sentiment": rules.net_sentiment(values, threshold), "ci_low": lo, "ci_high": hi,
                     "scored_share": 1 - exported.loc[part.index].mean()})
    columns = ["brand", "mentions", "positive", "negative", "net_sentiment", "ci_low", "ci_high", "scored_share"]
    return pd.DataFrame(rows, columns=columns).set_index("brand")


# ---------------------------------------------------------------- benchmarking


def engagement_basis(posts: pd.DataFrame, coverage: float = 0.95) -> tuple[str, dict[str, float]]:
    """The engagement denominator, and the platforms that cannot use it.

    Impressions when every platform reports them on ``coverage`` of its posts,
    else views; platforms whose posts carry views less often than that are
    returned with their coverage, to be left out of engagement comparisons
    rather than compared on another basis.
    """
    shares = {basis: posts[basis].notna().groupby(posts["platform"], observed=True).mean() for basis in BASES if basis in posts}
    if "impressions" in shares and (shares["impressions"] >= coverage).all():
        return "impressions", {}
    if "views" not in shares or (shares["views"] < coverage).all():
        raise ValueError("no engagement basis: no platform reports views or impressions on its posts, so engagement rates cannot be compared")
    views = shares["views"]
    return "views", {str(p): float(v) for p, v in views[views < coverage].items()}


@dataclass
class Benchmark:
    """Per-platform comparison of our brand with its competitors."""

    basis: str
    accounts: pd.DataFrame  # platform, account: posts, posts_per_week, rate (+ interval), follower growth
    comparisons: pd.DataFrame  # platform: our rate against competitors', ratio, interval, p, Holm p, verdict
    mix: pd.DataFrame  # platform, account, content_type: share of posts
    excluded: int = 0  # owned posts without the basis (no views or impressions), left out of the rates
    uncovered: dict[str, float] = field(default_factory=dict)  # platforms too few of whose posts carry the basis: their share

    @property
    def definition(self) -> str:
        return f"(likes + comments + shares) per {self.basis[:-1]}"

    def flags(self) -> pd.DataFrame:
        return self.comparisons[self.comparisons["verdict"] != "no clear difference"]


def benchmark(posts: pd.DataFrame, daily: pd.DataFrame, brand: str, competitors: Sequence[str], days: int, alpha: float = 0.05) -> Benchmark:
    """Posting volume, engagement rate, follower growth and content mix per platform and account."""
    posts = posts[posts["account"].isin([brand, *competitors]) & (posts["channel"].fillna("owned") == "owned")]
    basis, uncovered = engagement_basis(posts)
    rated = (posts[basis].fillna(0) > 0) & ~posts["platform"].isin(list(uncovered))
    excluded = int((~rated & ~posts["platform"].isin(list(uncovered))).sum())
    interactions = posts[list(INTERACTIONS)].fillna(0).astype(float).sum(axis=1)
    growth = follower_growth(daily)
    rows, comparisons = [], []
    for platform, part in posts.groupby("platform", observed=True):
        use = rated.loc[part.index].to_numpy()
        inter = interactions.loc[part.index].to_numpy()
        base = part[basis].fillna(0).astype(float).to_numpy()
        for account, acc in part.groupby("account", observed=True):
            mine = (part["account"] == account).to_numpy() & use
            stat = stats.ratio_stat(inter[mine], base[mine])
            lo, hi = stats.rate_interval(stat, alpha)
            low, high = stats.poisson_interval(len(acc), alpha)  # volume counts every post, with or without exposure
            rows.append({"platform": platform, "account": account, "posts": len(acc), "posts_per_week": len(acc) / days * 7,
                         "posts_per_week_low": low / days * 7, "posts_per_week_high": high / days * 7,
                         "rate": stat.mean if stat.n else np.nan, "rate_low": lo, "rate_high": hi,
                         "follower_growth_30d": growth.get((platform, account), np.nan)})
        ours, theirs = use & (part["account"] == brand).to_numpy(), use & (part["account"] != brand).to_numpy()
        if ours.sum() < MIN_POSTS or theirs.sum() < MIN_POSTS:
            continue
        comparisons.append({"platform": platform, **stats.rate_ratio(inter[ours], base[ours], inter[theirs], base[theirs], alpha)})
    comp = pd.DataFrame(comparisons, columns=["platform", "ours", "theirs", "ratio", "ci_low", "ci_high", "p_value"]).rename(columns={"theirs": "competitors"})
    comp["p_holm"] = stats.adjust_pvalues(comp["p_value"].to_numpy(), "holm") if len(comp) else []
    comp["verdict"] = np.select([(comp["p_holm"] < alpha) & (comp["ratio"] < 1), (comp["p_holm"] < alpha) & (comp["ratio"] > 1)],
                                ["under-performs", "out-performs"], "no clear difference")
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


def _complete_weeks(dates: pd.Series, start: dt.date, end: dt.date) -> pd.Series:
    """Each date's week start (Monday), or NaT when its week is not wholly inside the window."""
    week = pd.to_datetime(dates).dt.tz_localize(None).dt.normalize()
    week = week - pd.to_timedelta(week.dt.day_of_week, unit="D")
    complete = (week >= pd.Timestamp(start)) & (week + pd.Timedelta(days=6) <= pd.Timestamp(end))
    return week.where(complete)


def trends(mentions: pd.DataFrame, daily: pd.DataFrame, brand: str, start: dt.date, end: dt.date, alpha: float = 0.05) -> pd.DataFrame:
    """Weekly growth of each brand's mentions and of our views, per platform; direction from the interval."""
    rows = []
    m = earned(mentions)
    m = m.assign(week=_complete_weeks(m["published_at"], start, end)).dropna(subset=["week"])
    weeks = pd.Index(sorted(m["week"].unique()))
    for (platform, name), part in m.groupby(["platform", "brand"], observed=True):
        rows.append({"series": "mentions", "platform": platform, "brand": name, **stats.weekly_growth(part.groupby("week").size().reindex(weeks, fill_value=0), alpha)})
    ours = daily[daily["account"] == brand]
    ours = ours.assign(week=_complete_weeks(ours["date"], start, end)).dropna(subset=["week", "views"])
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


# ---------------------------------------------------------------- audience fit


def audience_fit(audience: pd.DataFrame, target: Target, alpha: float = 0.05) -> pd.DataFrame:
    """Share of each platform's audience matching ``target``, with a Wilson interval."""
    if audience.empty or "platform" not in audience:
        return pd.DataFrame(columns=["users", "matching", "fit", "ci_low", "ci_high"])
    match = target.mask(audience)
    table = pd.DataFrame({"users": audience.groupby("platform", observed=True).size(),
                          "matching": match.groupby(audience["platform"], observed=True).sum()})
    table["fit"] = table["matching"] / table["users"]
    table["ci_low"], table["ci_high"] = proportion_confint(table["matching"], table["users"], alpha=alpha, method="wilson")
    return table.sort_values("fit", ascending=False)


def reference_facts(path: Path = REFERENCE_FACTS) -> pd.DataFrame:
    """The editable table of platform facts, each row with its source and date."""
    facts = pd.read_csv(path, dtype={"as_of": str})
    missing = {"platform", "source", "as_of"} - set(facts.columns)
    if missing:
        raise ValueError(f"{path}: missing column(s) {', '.join(sorted(missing))}")
    undated = facts[facts["source"].isna() | facts["as_of"].isna()]
    if len(undated):
        raise ValueError(f"{path}: row(s) {', '.join(str(i + 2) for i in undated.index)} lack a source or date")
    return facts.set_index("platform")


# ---------------------------------------------------------------- platform score


@dataclass
class PlatformScores:
    """Weighted platform scores and how they move with the weights."""

    criteria: pd.DataFrame  # raw criterion values per platform
    normalised: pd.DataFrame  # 0..1, higher is better; missing values set to 0.5
    weights: dict[str, float]
    table: pd.DataFrame  # score, rank, rank_stability, top_share
    rank_share: pd.DataFrame  # platform x rank: share of weight draws
    top: int
    concentration: float
    draws: int


def score_platforms(criteria: pd.DataFrame, weights: dict[str, float], *, top: int = 3, concentration: float = 20.0,
                    draws: int = 2000, seed: int = 0) -> PlatformScores:
    """Score platforms on normalised criteria and test the ranking against the weights.

    Each criterion is divided by the best platform's value (for cost, the
    best value is divided by the platform's), so 0.5 means half as good as
    the best; a criterion that can be negative (growth) is min-max scaled
    instead. A platform without a value gets 0.5, so missing data neither
    helps much nor hurts much. The weights are then drawn from a
    Dirichlet distribution centred on the given ones (``concentration`` 20
    moves a weight of 0.2 by about ±0.09); ``rank_stability`` is the share of
    draws in which a platform keeps its rank, ``top_share`` the share in which
    it stays among the first ``top``.
    """
    if criteria.empty:
        raise ValueError("no platform to score: the window has no posts of the brand")
    names = [c for c in CRITERIA if weights.get(c, 0) > 0]
    if not names:
        raise ValueError(f"weights: at least one criterion needs a positive weight ({', '.join(CRITERIA)})")
    norm = pd.DataFrame(index=criteria.index)
    for name in CRITERIA:
        norm[name] = _scale(criteria[name].astype(float), lower_is_better=name == "cost").fillna(0.5)
    w = np.array([weights[n] for n in names], dtype=float)
    w = w / w.sum()
    x = norm[names].to_numpy()
    score = x @ w
    rank = pd.Series(score, index=norm.index).rank(ascending=False, method="first").astype(int)
    rng = np.random.default_rng(seed)
    sampled = rng.dirichlet(w * concentration, size=draws) if len(names) > 1 else np.ones((draws, 1))
    sampled_scores = x @ sampled.T  # platforms x draws
    sampled_ranks = (-sampled_scores).argsort(axis=0).argsort(axis=0) + 1
    rank_share = pd.DataFrame({r: (sampled_ranks == r).mean(axis=1) for r in range(1, len(norm) + 1)}, index=norm.index)
    table = pd.DataFrame({"score": score, "rank": rank,
                          "rank_stability": (sampled_ranks == rank.to_numpy()[:, None]).mean(axis=1),
                          "top_share": (sampled_ranks <= top).mean(axis=1)}, index=norm.index).sort_values("rank")
    return PlatformScores(criteria, norm, dict(zip(names, w)), table, rank_share.loc[table.index], top, concentration, draws)


def _scale(values: pd.Series, lower_is_better: bool = False) -> pd.Series:
    """0..1, 1 for the best platform; see :func:`score_platforms`."""
    lo, hi = values.min(), values.max()
    if not np.isfinite(hi) or hi == lo:
        return values * 0 + 0.5
    if lo >= 0:
        return lo / values.where(values > 0) if lower_is_better else values / hi
    scaled = (values - lo) / (hi - lo)
    return 1 - scaled if lower_is_better else scaled


def build_criteria(posts: pd.DataFrame, daily: pd.DataFrame, bench: Benchmark, fit: pd.DataFrame, brand: str,
                   resources: dict[str, float]) -> pd.DataFrame:
    """One row per platform our brand posts on, one column per criterion."""
    ours = bench.accounts[bench.accounts["account"] == brand].set_index("platform")
    criteria = pd.DataFrame(index=ours.index)
    criteria["audience_fit"] = fit["fit"].reindex(criteria.index) if len(fit) else np.nan
    criteria["engagement"] = ours["rate"]
    criteria["growth"] = ours["follower_growth_30d"]
    criteria["cost"] = _spend_per_interaction(posts, daily, brand).reindex(criteria.index)
    capacity = ours["posts_per_week"] / ours["posts_per_week"].max()
    unknown = set(resources) - set(criteria.index)
    if unknown:
        raise ValueError(f"resources: no posts of {brand} on {', '.join(sorted(unknown))}; platforms are {', '.join(criteria.index)}")
    criteria["resources"] = pd.Series(resources, dtype=float).reindex(criteria.index).fillna(capacity) if resources else capacity
    return criteria


def _spend_per_interaction(posts: pd.DataFrame, daily: pd.DataFrame, brand: str) -> pd.Series:
    """Spend on posts (fees) and on the brand's accounts, per interaction, per platform; NaN without spend."""
    ours = posts[posts["account"] == brand]
    spend = ours.groupby("platform", observed=True)["spend"].sum(min_count=1) if "spend" in ours else pd.Series(dtype=float)
    if "spend" in daily:
        account_spend = daily[daily["account"] == brand].groupby("platform", observed=True)["spend"].sum(min_count=1)
        spend = spend.add(account_spend, fill_value=0) if len(spend) else account_spend
    inter = ours[list(INTERACTIONS)].fillna(0).sum(axis=1).groupby(ours["platform"], observed=True).sum()
    cost = spend.reindex(inter.index) / inter
    return cost.where(cost > 0)


# ---------------------------------------------------------------- recommendation


@dataclass
class Positioning:
    """One recommended platform: its role and a line each on content, users, interaction and distribution."""

    platform: str
    role: str
    content: str
    users: str
    interaction: str
    distribution: str


def position(platform: str, role: str, posts: pd.DataFrame, bench: Benchmark, fit: pd.DataFrame, audience: pd.DataFrame,
             target: Target, brand: str) -> Positioning:
    """Positioning lines written from the platform's figures."""
    ours = posts[(posts["platform"] == platform) & (posts["account"] == brand) & (posts["channel"].fillna("owned") == "owned")]
    ours = ours[ours[bench.basis].fillna(0) > 0]
    inter = ours[list(INTERACTIONS)].fillna(0).sum(axis=1)
    by_type = pd.DataFrame({"inter": inter, "base": ours[bench.basis], "type": ours["content_type"]}).groupby("type", observed=True).agg(
        inter=("inter", "sum"), base=("base", "sum"), posts=("inter", "size"))
    by_type = by_type[by_type["posts"] >= 10]
    if len(by_type):
        by_type["rate"] = by_type["inter"] / by_type["base"]
        main, best = by_type["posts"].idxmax(), by_type["rate"].idxmax()
        share = by_type["posts"] / by_type["posts"].sum()
        content = f"{share[main]:.0%} of our posts there are {main.replace('_', '-')} ({by_type.loc[main, 'rate']:.2%} engagement per {bench.basis[:-1]})"
        if best != main:
            content += (f"; {best.replace('_', '-')} ({share[best]:.0%} of posts) has the highest raw rate, {by_type.loc[best, 'rate']:.2%}, "
                        "which the content performance report tests with hour, weekday and topic held equal")
    else:
        content = "too few posts to tell which content type works"
    if platform in fit.index:
        users = f"{fit.loc[platform, 'fit']:.0%} of its audience fits the target ({target.describe()})"
        if "interests" in audience:
            matching = audience[(audience["platform"] == platform) & target.mask(audience)]
            interests = matching["interests"].dropna().str.split(";").explode().value_counts()
            if len(interests):
                users += f"; their top interest is {interests.index[0]} ({interests.iloc[0] / max(len(matching), 1):.0%})"
    else:
        users = "no audience data for this platform"
    split = ours[list(INTERACTIONS)].fillna(0).sum()
    comp = bench.comparisons.loc[platform] if platform in bench.comparisons.index else None
    interaction = f"{split.idxmax()} make up {split.max() / max(split.sum(), 1):.0%} of interactions"
    if comp is not None:
        interaction += f"; our rate is {comp['ratio']:.2f}x competitors' ({comp['verdict']})"
    acc = bench.accounts[(bench.accounts["platform"] == platform)].set_index("account")
    others = acc.drop(index=brand, errors="ignore")
    distribution = (f"{acc.loc[brand, 'posts_per_week']:.1f} posts a week"
                    + (f" against competitors' {others['posts_per_week'].mean():.1f}" if len(others) else "")
                    + "; for posting times see the content performance report, which models them")
    return Positioning(platform, role, content, users, interaction, distribution)


# ---------------------------------------------------------------- the playbook


@dataclass
class MarketAnalysis:
    brand: str
    competitors: list[str]
    start: dt.date
    end: dt.date
    target: Target
    share_of_voice: pd.DataFrame
    share_of_voice_weighted: pd.DataFrame
    by_platform: pd.DataFrame
    weekly: pd.DataFrame
    weekly_weighted: pd.DataFrame
    weekly_by_platform: pd.DataFrame
    sentiment: pd.DataFrame
    benchmark: Benchmark
    trends: pd.DataFrame
    fit: pd.DataFrame
    facts: pd.DataFrame
    scores: PlatformScores
    recommended: list[Positioning]
    notes: list[str] = field(default_factory=list)

    def recommendation(self) -> dict[str, str | None]:
        roles = {p.role: p.platform for p in self.recommended}
        return {role: roles.get(role) for role in ("primary", "secondary", "test")}

    def to_summary(self) -> dict[str, Any]:
        sov = self.share_of_voice.set_index("brand")
        return {
            "brand": self.brand,
            "competitors": self.competitors,
            "window": {"start": self.start, "end": self.end},
            "share_of_voice": {b: round(float(s), 4) for b, s in sov["share"].items()},
            "share_of_voice_weighted": {b: round(float(s), 4) for b, s in self.share_of_voice_weighted.set_index("brand")["share"].items()},
            "net_sentiment": {b: None if pd.isna(v) else round(float(v), 4) for b, v in self.sentiment["net_sentiment"].items()},
            "engagement_basis": self.benchmark.definition,
            "benchmark_flags": [{"platform": p, "verdict": r["verdict"], "ratio": round(float(r["ratio"]), 3),
                                 "ci_low": round(float(r["ci_low"]), 3), "ci_high": round(float(r["ci_high"]), 3)}
                                for p, r in self.benchmark.flags().iterrows()],
            "platform_scores": [{"platform": p, "score": round(float(r["score"]), 4), "rank": int(r["rank"]),
                                 "rank_stability": round(float(r["rank_stability"]), 3)} for p, r in self.scores.table.iterrows()],
            "recommended": self.recommendation(),
        }


def analyze(store: Path, brand: str, start: dt.date, end: dt.date, *,
            competitors: str | Sequence[str] = (), target: str = "", weights: str = "", resources: str = "",
            alpha: float = 0.05, concentration: float = 20.0, draws: int = 2000, seed: int = 0,
            facts_path: Path = REFERENCE_FACTS) -> MarketAnalysis:
    """Everything the market analysis reports, for ``brand`` in the window."""
    weight_map = {**DEFAULT_WEIGHTS, **parse_mapping(weights, "weights", list(CRITERIA))}
    resource_map = parse_mapping(resources, "resources")
    tgt = Target.parse(target)
    mentions = load("mentions", store=store, start=start, end=end)
    posts = load("posts", store=store, start=start, end=end)
    daily = load("account_daily", store=store, start=start, end=end)
    audience = load("audience", store=store)
    brands = sorted(set(mentions["brand"].dropna()) | set(posts["account"].dropna()))
    if brand not in brands:
        raise ValueError(f"brand '{brand}' has no posts or mentions in {start}..{end}; found {', '.join(brands[:20]) or 'none'}")
    if isinstance(competitors, str):  # "Vexa, Orbi" as a notebook parameter gives it
        competitors = [c.strip() for c in re.split(r"[,，]", competitors) if c.strip()]
    rivals = list(competitors) or sorted(set(mentions["brand"].dropna()) - {brand})
    missing = [c for c in rivals if c not in brands]
    if missing:
        raise ValueError(f"competitor(s) {', '.join(missing)} have no posts or mentions in the window")
    mentions = mentions[mentions["brand"].isin([brand, *rivals])]
    days = (end - start).days + 1
    notes = []

    bench = benchmark(posts, daily, brand, rivals, days, alpha)
    if bench.excluded:
        notes.append(f"{bench.excluded:,} owned posts without {bench.basis} are left out of the engagement rates (they count in posting volume).")
    if bench.uncovered:
        notes.append("Engagement rates are per view, and these platforms report views on too few posts to be compared on it: "
                     + ", ".join(f"{p} ({share:.0%} of posts)" for p, share in bench.uncovered.items()) + ".")
    fit = audience_fit(audience, tgt, alpha)
    if fit.empty:
        notes.append("The store has no audience table rows, so audience fit is left out of the score (every platform gets the middle value).")
    criteria = build_criteria(posts, daily, bench, fit, brand, resource_map)
    if criteria["cost"].notna().sum() < 2:
        notes.append("Spend is recorded on fewer than two platforms, so cost per result cannot separate platforms; "
                     "every platform gets the middle value for it.")
    scores = score_platforms(criteria, weight_map, concentration=concentration, draws=draws, seed=seed)
    roles = ["primary", "secondary", "test"]
    recommended = [position(p, role, posts, bench, fit, audience, tgt, brand) for p, role in zip(scores.table.index, roles)]
    return MarketAnalysis(
        brand=brand, competitors=rivals, start=start, end=end, target=tgt,
        share_of_voice=share_of_voice(mentions, alpha=alpha), share_of_voice_weighted=share_of_voice(mentions, weighted=True),
        by_platform=share_of_voice(mentions, by=["platform"], alpha=alpha),
        weekly=weekly_share_of_voice(mentions), weekly_weighted=weekly_share_of_voice(mentions, weighted=True),
        weekly_by_platform=weekly_platform_share(mentions, brand),
        sentiment=net_sentiment_table(mentions, alpha), benchmark=bench, trends=trends(mentions, daily, brand, start, end, alpha),
        fit=fit, facts=reference_facts(facts_path), scores=scores, recommended=recommended, notes=notes,
    )


# ---------------------------------------------------------------- presentation


def _pct(value: float, digits: int = 1) -> str:
    return "–" if pd.isna(value) else f"{value:.{digits}%}"


def brief_text(a: MarketAnalysis) -> str:
    """The opening paragraph: voice, sentiment, real gaps and the plan, from the numbers."""
    sov = a.share_of_voice.set_index("brand")
    ours = sov.loc[a.brand] if a.brand in sov.index else None
    lines = [f"**Window** {a.start} to {a.end} · **brand** {html.escape(a.brand)} against {html.escape(', '.join(a.competitors))}."]
    if ours is not None:
        leader = sov["share"].idxmax()
        lines.append(
            f"{html.escape(a.brand)} holds **{ours['share']:.1%}** of earned mentions "
            f"({ours['ci_low']:.1%}–{ours['ci_high']:.1%}); engagement-weighted "
            f"{a.share_of_voice_weighted.set_index('brand').loc[a.brand, 'share']:.1%}. "
            + ("It leads the conversation." if leader == a.brand else f"{html.escape(leader)} leads with {sov.loc[leader, 'share']:.1%}.")
        )
    if a.brand in a.sentiment.index and pd.notna(a.sentiment.loc[a.brand, "net_sentiment"]):
        s = a.sentiment.loc[a.brand]
        lines.append(f"Net sentiment {s['net_sentiment']:+.2f} ({s['ci_low']:+.2f} to {s['ci_high']:+.2f}).")
    flags = a.benchmark.flags()
    for platform, r in flags.iterrows():
        lines.append(f"On **{platform_label(platform)}** {html.escape(a.brand)} {r['verdict']} its competitors: "
                     f"{r['ratio']:.2f}x their engagement per {a.benchmark.basis[:-1]} ({r['ci_low']:.2f}–{r['ci_high']:.2f}, Holm p {stats.format_p(r['p_holm'])}).")
    if flags.empty:
        lines.append(f"No platform shows a real engagement gap between {html.escape(a.brand)} and its competitors.")
    rec = a.recommendation()
    table = a.scores.table
    primary = rec["primary"]
    lines.append(
        "**Recommended:** primary " + ", secondary ".join(filter(None, [platform_label(rec["primary"]), platform_label(rec["secondary"]) if rec["secondary"] else None]))
        + (f", test {platform_label(rec['test'])}" if rec["test"] else "") + ". "
        + (f"{platform_label(primary)} keeps first place in {table.loc[primary, 'rank_stability']:.0%} of weight draws and stays in the top {a.scores.top} in {table.loc[primary, 'top_share']:.0%}"
           + (" — a robust choice." if table.loc[primary, "rank_stability"] >= 0.7 else "; the order of the leading platforms depends on the weights, so read the scores, not only the ranks."))
    )
    return "\n\n".join(lines)


def sov_frame(a: MarketAnalysis):
    table = a.share_of_voice.set_index("brand")[["volume", "share", "ci_low", "ci_high"]].join(
        a.share_of_voice_weighted.set_index("brand")[["share"]].rename(columns={"share": "weighted share"}))
    table = table.rename(columns={"volume": "mentions", "ci_low": "low", "ci_high": "high"}).sort_values("share", ascending=False)
    return table.style.format({"mentions": "{:,.0f}", "share": "{:.1%}", "low": "{:.1%}", "high": "{:.1%}", "weighted share": "{:.1%}"})


def sov_figure(a: MarketAnalysis):
    """Weekly share of voice per brand, by count and engagement-weighted."""
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(10, 3.6), sharey=True)
    for ax, frame, title in ((axes[0], a.weekly, "by mentions · 按提及量"), (axes[1], a.weekly_weighted, "engagement-weighted · 按互动加权")):
        for brand in frame.columns:
            ax.plot(frame.index, frame[brand], marker="o", markersize=3, linewidth=2.4 if brand == a.brand else 1.2, label=brand)
        ax.set_title(title)
        ax.yaxis.set_major_formatter(lambda v, _: f"{v:.0%}")
        ax.tick_params(axis="x", labelrotation=30)
    axes[0].set_ylabel("share of voice")
    axes[1].legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    fig.suptitle("Weekly share of voice · 每周声量份额")
    plt.close(fig)  # shown once, as the cell's value
    return fig


def platform_sov_figure(a: MarketAnalysis):
    """Share of voice per platform as stacked bars."""
    import matplotlib.pyplot as plt

    table = a.by_platform.pivot_table(index="platform", columns="brand", values="share", fill_value=0)
    volume = a.by_platform.groupby("platform")["volume"].sum()
    table = table.loc[volume.sort_values().index]
    fig, ax = plt.subplots(figsize=(8, 0.45 * len(table) + 1.2))
    left = np.zeros(len(table))
    for brand in [a.brand, *[b for b in table.columns if b != a.brand]]:
        ax.barh([platform_label(p) for p in table.index], table[brand], left=left, label=brand)
        for y, (x0, w) in enumerate(zip(left, table[brand])):
            if w >= 0.08:
                ax.text(x0 + w / 2, y, f"{w:.0%}", ha="center", va="center", color="white", fontsize=8)
        left += table[brand].to_numpy()
    ax.xaxis.set_major_formatter(lambda v, _: f"{v:.0%}")
    ax.set_xlim(0, 1)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    ax.set_title("Share of voice by platform · 各平台声量份额")
    plt.close(fig)  # shown once, as the cell's value
    return fig


def platform_trend_figure(a: MarketAnalysis):
    """Our weekly share of voice on each platform, in small multiples with the overall share as reference."""
    import matplotlib.pyplot as plt

    frame = a.weekly_by_platform
    overall = a.weekly[a.brand] if a.brand in a.weekly else None
    cols = 3
    rows = max(1, -(-frame.shape[1] // cols))
    fig, axes = plt.subplots(rows, cols, figsize=(10, 2.2 * rows + 0.6), sharex=True, sharey=True, squeeze=False)
    for ax, platform in zip(axes.flat, frame.columns):
        if overall is not None:
            ax.plot(overall.index, overall, color="#BBBBBB", linewidth=1, label="all platforms")
        ax.plot(frame.index, frame[platform], linewidth=1.8, label=platform)
        ax.set_title(platform_label(platform), fontsize=10)
        ax.yaxis.set_major_formatter(lambda v, _: f"{v:.0%}")
        ax.tick_params(axis="x", labelrotation=30, labelsize=8)
    for ax in axes.flat[frame.shape[1]:]:
        ax.set_visible(False)
    fig.suptitle(f"{a.brand}'s weekly share of voice by platform (grey: all platforms) · 分平台声量份额走势")
    plt.close(fig)  # shown once, as the cell's value
    return fig


def sentiment_frame(a: MarketAnalysis):
    table = a.sentiment.rename(columns={"net_sentiment": "net sentiment", "ci_low": "low", "ci_high": "high", "scored_share": "scored by smkit"})
    return table.style.format({"mentions": "{:,.0f}", "positive": "{:,.0f}", "negative": "{:,.0f}", "net sentiment": "{:+.2f}",
                               "low": "{:+.2f}", "high": "{:+.2f}", "scored by smkit": "{:.0%}"}, na_rep="–")


def comparison_frame(a: MarketAnalysis):
    comp = a.benchmark.comparisons.copy()
    comp.index = [platform_label(p) for p in comp.index]
    comp = comp.rename(columns={"ours": a.brand, "ratio": "ours / theirs", "ci_low": "low", "ci_high": "high", "p_value": "p", "p_holm": "p (Holm)"})
    return comp.style.format({a.brand: "{:.2%}", "competitors": "{:.2%}", "ours / theirs": "{:.2f}x", "low": "{:.2f}", "high": "{:.2f}",
                              "p": stats.format_p, "p (Holm)": stats.format_p})


def rate_figure(a: MarketAnalysis):
    """Engagement rate per platform and account with intervals."""
    import matplotlib.pyplot as plt

    acc = a.benchmark.accounts
    platforms = sorted(acc["platform"].unique())
    accounts = [a.brand, *a.competitors]
    fig, ax = plt.subplots(figsize=(9, 3.8))
    width = 0.8 / len(accounts)
    for k, account in enumerate(accounts):
        part = acc[acc["account"] == account].set_index("platform").reindex(platforms)
        x = np.arange(len(platforms)) + (k - (len(accounts) - 1) / 2) * width
        err = np.vstack([part["rate"] - part["rate_low"], part["rate_high"] - part["rate"]])
        ax.bar(x, part["rate"], width, yerr=err, capsize=2, label=account, alpha=1.0 if account == a.brand else 0.75)
    ax.set_xticks(np.arange(len(platforms)), [platform_label(p).replace(" ", "\n") for p in platforms])
    ax.yaxis.set_major_formatter(lambda v, _: f"{v:.1%}")
    ax.set_ylabel(f"engagement per {a.benchmark.basis[:-1]}")
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    ax.set_title(f"Engagement rate by platform · 互动率 ({a.benchmark.definition})")
    plt.close(fig)  # shown once, as the cell's value
    return fig


def accounts_frame(a: MarketAnalysis):
    acc = a.benchmark.accounts.copy()
    acc["platform"] = [platform_label(p) for p in acc["platform"]]
    acc["posts / week"] = [f"{v:.1f} ({lo:.1f}–{hi:.1f})" for v, lo, hi in zip(acc["posts_per_week"], acc["posts_per_week_low"], acc["posts_per_week_high"])]
    acc["engagement rate"] = [f"{v:.2%} ({lo:.2%}–{hi:.2%})" for v, lo, hi in zip(acc["rate"], acc["rate_low"], acc["rate_high"])]
    acc = acc.set_index(["platform", "account"])[["posts", "posts / week", "engagement rate", "follower_growth_30d"]]
    return acc.rename(columns={"follower_growth_30d": "followers / 30 days"}).style.format(
        {"posts": "{:,.0f}", "followers / 30 days": "{:+.2%}"}, na_rep="–")


def mix_frame(a: MarketAnalysis):
    mix = a.benchmark.mix.pivot_table(index=["platform", "account"], columns="content_type", values="share", fill_value=0)
    mix.index = mix.index.set_levels([platform_label(p) for p in mix.index.levels[0]], level=0)
    return mix.style.format("{:.0%}").background_gradient(cmap="Blues", vmin=0, vmax=1)


def trends_frame(a: MarketAnalysis):
    if a.trends.empty:
        return pd.DataFrame({"note": ["the window holds no complete week"]})
    t = a.trends.copy()
    t["platform"] = [platform_label(p) for p in t["platform"]]
    t = t.pivot_table(index=["series", "platform"], columns="brand", values=["growth", "direction"], aggfunc="first")
    shown = pd.DataFrame(index=t.index)
    for brand in t["growth"].columns:
        shown[brand] = [("–" if pd.isna(g) else f"{g:+.1%} / week") + ("" if pd.isna(d) or d == "flat" else f" ({d})")
                        for g, d in zip(t[("growth", brand)], t[("direction", brand)])]
    return shown


def fit_frame(a: MarketAnalysis):
    if a.fit.empty:
        return pd.DataFrame({"note": ["no audience data in the store"]})
    fit = a.fit.copy()
    fit.index = [platform_label(p) for p in fit.index]
    fit = fit.rename(columns={"matching": "matching target", "ci_low": "low", "ci_high": "high"})
    return fit.style.format({"users": "{:,.0f}", "matching target": "{:,.0f}", "fit": "{:.0%}", "low": "{:.0%}", "high": "{:.0%}"})


def facts_frame(a: MarketAnalysis):
    facts = a.facts.copy()
    facts.index = [platform_label(p) for p in facts.index]
    facts = facts.rename(columns={
        "monthly_active_users_m": "users (millions)", "users_figure": "what the figure counts", "content_forms": "content forms",
        "interaction_style": "interaction style", "female_share": "female", "under_30_share": "under 30", "as_of": "as of",
        "illustrative_fields": "illustrative"})
    return facts.style.format({"users (millions)": "{:,.0f}", "female": "{:.0%}", "under 30": "{:.0%}"}, na_rep="–", escape="html")


def scores_frame(a: MarketAnalysis):
    s = a.scores
    table = s.normalised[list(s.weights)].join(s.table).sort_values("rank")
    table.index = [platform_label(p) for p in table.index]
    weights = {name: f"{name} ({w:.0%})" for name, w in s.weights.items()}
    table = table.rename(columns={**weights, "rank_stability": "keeps rank", "top_share": f"in top {s.top}"})
    fmt = {weights[n]: "{:.2f}" for n in s.weights} | {"score": "{:.3f}", "keeps rank": "{:.0%}", f"in top {s.top}": "{:.0%}"}
    return table.style.format(fmt).background_gradient(cmap="Greens", subset=list(weights.values()), vmin=0, vmax=1)


def criteria_frame(a: MarketAnalysis):
    c = a.scores.criteria.copy()
    c.index = [platform_label(p) for p in c.index]
    c = c.rename(columns={"audience_fit": "audience fit", "engagement": f"engagement per {a.benchmark.basis[:-1]}", "growth": "followers / 30 days",
                          "cost": "spend per interaction", "resources": "resources"})
    return c.style.format({"audience fit": "{:.0%}", f"engagement per {a.benchmark.basis[:-1]}": "{:.2%}", "followers / 30 days": "{:+.2%}",
                           "spend per interaction": "¥{:.2f}", "resources": "{:.2f}"}, na_rep="–")


def rank_figure(a: MarketAnalysis):
    """How often each platform lands on each rank when the weights move."""
    import matplotlib.pyplot as plt
    import seaborn as sns

    share = a.scores.rank_share.copy()
    share.index = [platform_label(p) for p in share.index]
    fig, ax = plt.subplots(figsize=(7, 0.42 * len(share) + 1.3))
    sns.heatmap(share, annot=True, fmt=".0%", cmap="Blues", vmin=0, vmax=1, cbar=False, ax=ax, annot_kws={"fontsize": 8})
    ax.set_xlabel("rank under perturbed weights")
    ax.set_ylabel("")
    ax.set_title(f"Rank stability over {a.scores.draws:,} weight draws · 权重敏感性")
    plt.close(fig)  # shown once, as the cell's value
    return fig


def recommendation_text(a: MarketAnalysis) -> str:
    names = {"primary": "Primary 主阵地", "secondary": "Secondary 辅助平台", "test": "Test 试水平台"}
    parts = []
    for p in a.recommended:
        r = a.scores.table.loc[p.platform]
        parts.append(
            f"### {names[p.role]}: {platform_label(p.platform)}\n\n"
            f"Score {r['score']:.3f}, rank {int(r['rank'])} (kept in {r['rank_stability']:.0%} of weight draws, top {a.scores.top} in {r['top_share']:.0%}).\n\n"
            f"- **Content 内容:** {html.escape(p.content)}.\n- **Users 用户:** {html.escape(p.users)}.\n"
            f"- **Interaction 互动:** {html.escape(p.interaction)}.\n- **Distribution 传播:** {html.escape(p.distribution)}."
        )
    flags = a.benchmark.flags()
    under = flags[flags["verdict"] == "under-performs"]
    if len(under):
        parts.append("**Fix before scaling:** " + "; ".join(
            f"{platform_label(p)}, where our engagement is {r['ratio']:.2f}x competitors'" for p, r in under.iterrows())
            + ". Study what their posts there do differently before adding budget.")
    return "\n\n".join(parts)
