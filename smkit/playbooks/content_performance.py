"""Content performance and a publishing plan: effects modelled, not averaged.

Backs ``notebooks/content_performance.ipynb`` (plan chapter 3: 内容策划,
发布节奏, 内容评估标准). Where the numbers come from:

- **Engagement** is a count of interactions (each platform's definition in
  :data:`ENGAGEMENT_DEFINITIONS`, or parts named by the reader) over an
  exposure: followers on the day of posting (default), views or impressions.
  One platform uses one exposure throughout, so rates are never mixed in a
  comparison. Per follower is the default because content type and posting
  time act on reach: a per-view rate hides an effect that works by getting
  the post seen.
- **Content-type effects** come from a negative binomial GLM per platform,
  ``interactions ~ type + hour + weekday + topic + campaign (+ account)`` with
  the log exposure as offset: rate ratios against the platform's most common
  type, with Wald intervals. Hour enters as three daily harmonics, so a thin
  hour borrows strength from its neighbours instead of getting its own noise.
- **Posting time**: the same model's hour and weekday terms give each of the
  168 slots an expected rate and an interval against the platform's average
  slot. A slot is *confident* when that difference survives Holm's correction
  across every slot of every platform in the report, so a world with no
  timing effect marks none (up to alpha). What a slot adds beyond hour and
  weekday is shrunk toward zero (empirical Bayes); a slot with fewer than
  ``min_slot_posts`` posts keeps the platform pattern and is marked thin.
- **Cadence**: per-post engagement against the number of posts the account
  published that day (an elasticity from the same kind of model).
- **Themes**: words from titles and text (jieba for Chinese, words for
  English, hashtags kept whole) and the ``topic`` column, scored by how the
  posts carrying them did against their platform and type peers, shrunk
  toward zero in proportion to how few posts carry them.
- **Post scores**: each post's percentile within its platform and type.
- **Plan**: the best slots, types and themes laid out over the next weeks as
  ``calendar.csv`` and an RFC 5545 ``.ics`` file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import sys
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats as sps

from smkit.data.schema import platform_label
from smkit.data.store import load
from smkit.methods import stats
from smkit.methods.text import brand_words
from smkit.methods.text import tokens as text_tokens

# What each platform's export reports as interactions (see docs/data-model.md).
# The platforms' own 互动量 totals differ, so smkit sums the parts itself.
ENGAGEMENT_DEFINITIONS: dict[str, tuple[str, ...]] = {
    "weibo": ("likes", "comments", "shares"),
    "douyin": ("likes", "comments", "shares", "saves"),
    "kuaishou": ("likes", "comments", "shares", "saves"),
    "xiaohongshu": ("likes", "comments", "shares", "saves"),
    "wechat": ("likes", "comments", "shares", "recommends"),
    "wechat_channels": ("likes", "comments", "shares", "recommends"),
    "bilibili": ("likes", "comments", "shares", "saves", "coins", "danmaku"),
    "linkedin": ("likes", "comments", "shares"),
}
DEFAULT_PARTS = ("likes", "comments", "shares", "saves")
INTERACTION_COLUMNS = ("likes", "comments", "shares", "saves", "recommends", "coins", "danmaku", "clicks")
EXPOSURES = {"follower": "followers", "view": "views", "impression": "impressions"}
EXPOSURE_LABEL = {"follower": "per 1,000 followers", "view": "per 1,000 views", "impression": "per 1,000 impressions"}
# 体裁: completion rates are only comparable between types of the same form.
FORMS = {"video": "video", "live": "video", "animation": "video", "image_text": "image", "h5": "image", "topic": "image", "other": "other"}
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
HARMONICS = 3  # daily harmonics for the hour pattern: peaks a few hours wide, no single-hour noise
MIN_POSTS_PER_TYPE = 8
MIN_POSTS_TO_MODEL = 30
MIN_HOUR_POSTS = 10  # an hour with fewer posts (or under MIN_HOUR_SHARE of them) is not named the best:
MIN_HOUR_SHARE = 0.02  # there the curve is an extrapolation from the busy hours, not evidence


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- settings


@dataclass(frozen=True)
class Settings:
    """A run's validated choices (from the notebook's parameters)."""

    accounts: tuple[str, ...] | None  # None: every account
    platforms: tuple[str, ...] | None  # None: every platform
    engagement: str  # "platform" or parts joined by "+"
    per: str  # follower, view or impression
    horizon_weeks: int
    plan_start: dt.date
    alpha: float = 0.05
    min_slot_posts: int = 3
    top_n: int = 10
    brand_aliases: tuple[str, ...] = ()  # more names of the brand, left out of keywords with the account names


def _split(text: str) -> tuple[str, ...] | None:
    items = tuple(p.strip() for p in str(text).split(",") if p.strip())
    return items or None


def settings(account: str = "Lumina", platforms: str = "", engagement: str = "platform", per: str = "follower", horizon_weeks: int = 4,
             plan_start: str | dt.date = "", alpha: float = 0.05, min_slot_posts: int = 3, top_n: int = 10,
             today: dt.date | None = None, brand_aliases: str = "") -> Settings:
    """Validate the playbook's parameters. ``account`` ``all`` means every
    account; ``plan_start`` empty means the Monday after ``today``;
    ``brand_aliases`` (comma-separated) are names of the brand left out of the
    keywords, besides the account names."""
    if per not in EXPOSURES:
        raise ValueError(f"unknown exposure {per!r}; valid: {', '.join(EXPOSURES)}")
    parts_of(engagement, "weibo")  # raises on an unknown part
    if not 1 <= horizon_weeks <= 26:
        raise ValueError(f"horizon_weeks must be between 1 and 26, got {horizon_weeks}")
    if not 0 < alpha < 0.5:
        raise ValueError(f"alpha must be between 0 and 0.5, got {alpha}")
    if min_slot_posts < 1 or top_n < 1:
        raise ValueError("min_slot_posts and top_n must be at least 1")
    if isinstance(plan_start, dt.date):
        first = plan_start
    elif str(plan_start).strip():
        from smkit.playbook import parse_date

        first = parse_date(plan_start, "plan_start")
    else:
        today = today or dt.date.today()
        first = today + dt.timedelta(days=7 - today.weekday())
    accounts = None if account.strip().lower() == "all" else _split(account)
    return Settings(accounts, _split(platforms), engagement.strip() or "platform", per, horizon_weeks, first, alpha, min_slot_posts, top_n,
                    _split(brand_aliases) or ())


def parts_of(engagement: str, platform: str) -> tuple[str, ...]:
    """The interaction columns summed for ``platform`` under ``engagement``."""
    if engagement in ("", "platform"):
        return ENGAGEMENT_DEFINITIONS.get(platform, DEFAULT_PARTS)
    parts = tuple(p.strip() for p in engagement.split("+") if p.strip())
    unknown = [p for p in parts if p not in INTERACTION_COLUMNS]
    if not parts or unknown:
        raise ValueError(f"unknown engagement part(s) {unknown or [engagement]}; use 'platform' or parts joined by + from: {', '.join(INTERACTION_COLUMNS)}")
    return parts


# --------------------------------------------------------------------------- preparation


def prepare(posts: pd.DataFrame, daily: pd.DataFrame | None, engagement: str = "platform", per: str = "follower") -> tuple[pd.DataFrame, pd.DataFrame]:
    """One row per post with ``interactions``, ``exposure`` and time features,
    and a table of the definition used per platform.

    A platform whose data lacks the requested exposure falls back to views,
    then impressions, and the definitions table says so; rows without an
    exposure are dropped and counted there.
    """
    if posts.empty:
        raise ValueError("no posts in the window for these accounts and platforms")
    frame = posts.copy()
    for column in set(INTERACTION_COLUMNS) | set(EXPOSURES.values()) - {"followers"}:
        if column in frame:
            frame[column] = pd.to_numeric(frame[column].astype(object), errors="coerce").astype(float)
    local = frame["published_at"]
    frame["date"] = local.dt.tz_localize(None).dt.normalize()
    frame["hour"] = local.dt.hour.astype(int)
    frame["weekday"] = local.dt.day_of_week.astype(int)
    frame["campaign"] = frame["campaign_id"].astype(object).where(frame["campaign_id"].notna(), "none").astype(str)
    frame["topic"] = frame["topic"].astype(object).where(frame["topic"].notna(), "none").astype(str)
    frame["content_type"] = frame["content_type"].astype(object).where(frame["content_type"].notna(), "other").astype(str)
    if daily is not None and not daily.empty and daily["followers"].notna().any():
        fol = daily[["date", "platform", "account", "followers"]].dropna(subset=["followers"]).copy()
        fol["date"] = pd.to_datetime(fol["date"]).dt.tz_localize(None).dt.normalize().astype("datetime64[ns]")
        fol["followers"] = fol["followers"].astype(float)
        fol = fol.sort_values("date")
        frame["date"] = frame["date"].astype("datetime64[ns]")
        frame = pd.merge_asof(frame.sort_values("date"), fol, on="date", by=["platform", "account"], direction="nearest",
                              tolerance=pd.Timedelta(days=7))
    else:
        frame["followers"] = np.nan
    rows, keep = [], []
    for platform, group in frame.groupby("platform", sort=True):
        parts = [p for p in parts_of(engagement, platform) if p in group and group[p].notna().any()]
        choice = per
        for candidate in [per] + [c for c in ("view", "impression", "follower") if c != per]:
            column = EXPOSURES[candidate]
            if column in group and (group[column].astype(float) > 0).any():
                choice = candidate
                break
        else:
            choice = None
        g = group.copy()
        g["interactions"] = g[parts].astype("Float64").sum(axis=1, min_count=1).astype(float) if parts else np.nan
        g["exposure"] = g[EXPOSURES[choice]].astype(float) if choice else np.nan
        g["per"] = choice or "none"
        usable = g["interactions"].notna() & (g["exposure"] > 0)
        rows.append({"platform": platform, "interactions": " + ".join(parts) or "none reported", "rate": EXPOSURE_LABEL.get(choice, "no exposure"),
                     "per": choice or "none", "fallback": choice is not None and choice != per, "posts": len(g), "used": int(usable.sum())})
        keep.append(g[usable])
    definitions = pd.DataFrame(rows).set_index("platform")
    data = pd.concat(keep, ignore_index=True) if keep else frame.iloc[0:0]
    if data.empty:
        raise ValueError("no post has both an interaction count and an exposure (followers, views or impressions); nothing to compare")
    data["rate"] = data["interactions"] / data["exposure"]
    return data.sort_values("published_at", kind="stable").reset_index(drop=True), definitions


# --------------------------------------------------------------------------- the model


def _hour_terms(hours: np.ndarray) -> pd.DataFrame:
    angle = 2 * np.pi * np.asarray(hours, dtype=float) / 24
    return pd.DataFrame({f"{f}{k}": getattr(np, f)(k * angle) for k in range(1, HARMONICS + 1) for f in ("sin", "cos")})


@dataclass(frozen=True)
class PlatformModel:
    """A fitted negative binomial GLM of one platform's interactions."""

    platform: str
    per: str
    reference_type: str
    types: tuple[str, ...]
    params: pd.Series
    cov: pd.DataFrame
    alpha_nb: float
    n: int
    adjusted_for: tuple[str, ...]
    base_rate: float  # expected rate of the platform's post mix at the average slot
    residuals: np.ndarray  # log(observed / expected), centred
    frame: pd.DataFrame  # the rows fitted

    def timing_vector(self, hour: float, weekday: int) -> pd.Series:
        """Design coefficients of the timing terms for one slot."""
        vec = pd.Series(0.0, index=self.params.index)
        for name, value in _hour_terms(np.array([hour])).iloc[0].items():
            vec[name] = value
        key = f"C(weekday)[T.{weekday}]"
        if key in vec.index:
            vec[key] = 1.0
        return vec


def _moment_alpha(y: np.ndarray, mu: np.ndarray) -> float:
    """NB2 dispersion by Cameron and Trivedi's auxiliary regression after a Poisson fit."""
    z = ((y - mu) ** 2 - y) / mu
    alpha = float(np.sum(z * mu) / np.sum(mu**2))
    return min(max(alpha, 1e-4), 50.0)


def fit_nb(formula: str, d: pd.DataFrame, offset: np.ndarray):
    """A negative binomial GLM of ``formula``'s count with ``offset``: a Poisson
    fit first, its dispersion by :func:`_moment_alpha`, then the NB2 fit at that
    dispersion. Returns the statsmodels result and the dispersion."""
    import statsmodels.api as sm
    import statsmodels.formula.api as smf
    from statsmodels.tools.sm_exceptions import ConvergenceWarning, DomainWarning, PerfectSeparationWarning, SingularMatrixWarning

    with warnings.catch_warnings():  # a rank-deficient design (a level that never varies) still gives usable estimates of the rest
        for category in (ConvergenceWarning, DomainWarning, PerfectSeparationWarning, SingularMatrixWarning, RuntimeWarning):
            warnings.simplefilter("ignore", category)
        poisson = smf.glm(formula, d, offset=offset, family=sm.families.Poisson()).fit()
        alpha_nb = _moment_alpha(poisson.model.endog, poisson.fittedvalues.to_numpy())
        return smf.glm(formula, d, offset=offset, family=sm.families.NegativeBinomial(alpha=alpha_nb)).fit(), alpha_nb


POOLED = "all platforms"


def fit_platform(data: pd.DataFrame, platform: str = POOLED, min_type_posts: int = MIN_POSTS_PER_TYPE) -> PlatformModel:
    """Fit the platform's model. Raises ``ValueError`` with the reason when the
    data cannot support it (too few posts, no interactions).

    ``platform`` :data:`POOLED` fits every platform together, with a level
    for each platform's type (so each platform keeps its own scale and type
    effects) and one timing pattern shared by all: the audience's daily
    rhythm, estimated from every post.
    """
    d = data.copy() if platform == POOLED else data[data["platform"] == platform].copy()
    if platform == POOLED:
        d["content_type"] = d["platform"] + "/" + d["content_type"]
    if len(d) < MIN_POSTS_TO_MODEL:
        raise ValueError(f"{len(d)} posts with engagement and exposure; at least {MIN_POSTS_TO_MODEL} are needed to model it")
    if d["interactions"].sum() == 0:
        raise ValueError("every post has zero interactions")
    counts = d["content_type"].value_counts()
    thin = counts[counts < min_type_posts].index
    d.loc[d["content_type"].isin(thin), "content_type"] = "other"  # too few to estimate alone
    counts = d["content_type"].value_counts()
    reference = str(counts.index[0])
    d = pd.concat([d.reset_index(drop=True), _hour_terms(d["hour"].to_numpy())], axis=1)
    hour_terms = " + ".join(_hour_terms(np.array([0])).columns)
    terms = [f"C(content_type, Treatment({reference!r}))"] if len(counts) > 1 else []
    terms += [hour_terms, "C(weekday)"]
    adjusted = ["hour", "weekday"]
    # Adjusters only when the data can carry them: each level needs posts of its own.
    budget = len(d) // 10
    for name, column in (("topic", "topic"), ("campaign", "campaign"), ("account", "account")):
        levels = d[column].nunique()
        if 1 < levels <= budget:
            terms.append(f"C({column})")
            adjusted.append(name)
            budget -= levels - 1
    formula = "interactions ~ " + " + ".join(terms)
    offset = np.log(d["exposure"].to_numpy(dtype=float))
    y = d["interactions"].to_numpy(dtype=float)
    result, alpha_nb = fit_nb(formula, d, offset)
    if not np.all(np.isfinite(result.bse)):
        raise ValueError("the model could not be estimated (a type, topic or campaign level predicts engagement perfectly)")
    mu = result.fittedvalues.to_numpy()
    eta = np.log(mu) - offset
    params = result.params
    timing = _timing_part(params, d)
    resid = np.log((y + 0.5) / (mu + 0.5))
    model = PlatformModel(platform, str(d["per"].iloc[0]), reference, tuple(counts.index.astype(str)), params, result.cov_params(), alpha_nb,
                          len(d), tuple(adjusted), 0.0, resid - resid.mean(), d)
    # The post mix's rate with its timing replaced by the average slot's.
    avg = _average_timing(model)
    base = float(np.mean(np.exp(eta - timing + avg)))
    return PlatformModel(**{**model.__dict__, "base_rate": base})


def _timing_part(params: pd.Series, d: pd.DataFrame) -> np.ndarray:
    t = np.zeros(len(d))
    for name in _hour_terms(np.array([0])).columns:
        t += params.get(name, 0.0) * d[name].to_numpy()
    for day in range(1, 7):
        t += params.get(f"C(weekday)[T.{day}]", 0.0) * (d["weekday"].to_numpy() == day)
    return t


def _slot_matrix(model: PlatformModel) -> np.ndarray:
    """168 x p: each slot's timing design row (hour + 0.5: a post lands within its hour)."""
    return np.vstack([model.timing_vector(h + 0.5, w).to_numpy() for w in range(7) for h in range(24)])


def _slot_weights(frame: pd.DataFrame) -> np.ndarray:
    """Each slot's share of the posts: the platform's average slot is the average
    post's timing, not an average over hours nobody posts at."""
    n = np.bincount(frame["weekday"].to_numpy() * 24 + frame["hour"].to_numpy(), minlength=168).astype(float)
    return n / n.sum()


def _average_timing(model: PlatformModel) -> float:
    return float(_slot_weights(model.frame) @ (_slot_matrix(model) @ model.params.to_numpy()))


# --------------------------------------------------------------------------- type effects


def type_effects(model: PlatformModel, alpha: float = 0.05) -> pd.DataFrame:
    """Rate ratios of each content type against the platform's reference type."""
    z = sps.norm.ppf(1 - alpha / 2)
    counts = model.frame["content_type"].value_counts()
    rows = []
    for ctype in model.types:
        key = f"C(content_type, Treatment({model.reference_type!r}))[T.{ctype}]"
        if ctype == model.reference_type:
            continue
        b, se = float(model.params[key]), float(np.sqrt(model.cov.loc[key, key]))
        p = float(2 * sps.norm.sf(abs(b / se)))
        rows.append({"platform": model.platform, "content_type": ctype, "reference": model.reference_type, "posts": int(counts.get(ctype, 0)),
                     "reference_posts": int(counts.get(model.reference_type, 0)), "rate_ratio": float(np.exp(b)),
                     "ci_low": float(np.exp(b - z * se)), "ci_high": float(np.exp(b + z * se)), "p_value": p, "per": model.per,
                     "adjusted_for": ", ".join(model.adjusted_for)})
    return pd.DataFrame(rows)


def holm_calls(effects: pd.DataFrame, alpha: float = 0.05) -> pd.DataFrame:
    """``effects`` with ``p_holm`` (Holm's correction across every type
    comparison in the frame, all platforms together) and ``call``: ``better``
    or ``worse`` only where the corrected p-value is under ``alpha``,
    otherwise ``unclear``. The intervals are left as they are (each is for its
    comparison alone). A frame without p-values gets them from its intervals
    (Wald, at level 1 - ``alpha``)."""
    out = effects.copy()
    if out.empty:
        return out.assign(p_holm=pd.Series(dtype=float), call=pd.Series(dtype=object))
    if "p_value" not in out:
        z = sps.norm.ppf(1 - alpha / 2)
        se = (np.log(out["ci_high"]) - np.log(out["ci_low"])) / (2 * z)
        out["p_value"] = 2 * sps.norm.sf(np.abs(np.log(out["rate_ratio"]) / se))
    out["p_holm"] = stats.adjust_pvalues(out["p_value"].to_numpy(float), "holm")
    out["call"] = np.where(out["p_holm"] >= alpha, "unclear", np.where(out["rate_ratio"] > 1, "better", "worse"))
    return out


def completion_by_form(data: pd.DataFrame, alpha: float = 0.05) -> pd.DataFrame:
    """Completion rate (完播率) by type, compared only within the same form
    (体裁): each type against the form's most common type (Welch)."""
    rows = []
    d = data[data["completion_rate"].notna()]
    for (platform, form), g in d.groupby([d["platform"], d["content_type"].map(FORMS).fillna("other")], sort=True):
        by_type = g.groupby("content_type")["completion_rate"]
        reference = by_type.size().idxmax()
        ref = g.loc[g["content_type"] == reference, "completion_rate"].to_numpy(float)
        for ctype, values in by_type:
            v = values.to_numpy(float)
            s = stats.MeanStat(len(v), float(v.sum()), float((v**2).sum()))
            half = sps.t.ppf(1 - alpha / 2, max(len(v) - 1, 1)) * np.sqrt(s.variance / len(v)) if len(v) > 1 else np.nan
            diff = p = np.nan
            if ctype != reference and len(v) > 1 and len(ref) > 1:
                diff = float(v.mean() - ref.mean())
                p = float(sps.ttest_ind(v, ref, equal_var=False).pvalue)
            rows.append({"platform": platform, "form": form, "content_type": ctype, "posts": len(v), "completion_rate": s.mean,
                         "ci_low": s.mean - half, "ci_high": s.mean + half, "reference": reference, "difference": diff, "p_value": p})
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- posting time


def slot_grid(model: PlatformModel, alpha: float = 0.05, min_slot_posts: int = 3) -> pd.DataFrame:
    """Every (weekday, hour) slot: expected rate, interval against the
    platform's average slot, raw p-value, posts seen, and the shrunk
    slot-specific deviation (zero where the slot is thin)."""
    X = _slot_matrix(model)
    beta = model.params.to_numpy()
    V = model.cov.to_numpy()
    C = X - _slot_weights(model.frame) @ X
    contrast = C @ beta
    se = np.sqrt(np.einsum("ij,jk,ik->i", C, V, C))
    z = sps.norm.ppf(1 - alpha / 2)
    grid = pd.DataFrame({"weekday": np.repeat(np.arange(7), 24), "hour": np.tile(np.arange(24), 7)})
    grid["platform"] = model.platform
    grid["vs_average"] = np.exp(contrast)
    grid["vs_low"], grid["vs_high"] = np.exp(contrast - z * se), np.exp(contrast + z * se)
    grid["p_value"] = 2 * sps.norm.sf(np.abs(contrast / np.where(se > 0, se, np.inf)))
    f = model.frame
    slot = f["weekday"].to_numpy() * 24 + f["hour"].to_numpy()
    n = np.bincount(slot, minlength=168)
    sums = np.bincount(slot, weights=model.residuals, minlength=168)
    grid["posts"] = n
    grid["deviation"] = shrink_means(sums, n, model.residuals)
    hour_posts = np.bincount(f["hour"].to_numpy(), minlength=24)
    busy = busy_hours(hour_posts)
    grid["quiet"] = ~busy[grid["hour"].to_numpy()]
    grid["thin"] = (n < min_slot_posts) | grid["quiet"]
    grid.loc[grid["thin"], "deviation"] = 1.0  # too little data of its own: the platform pattern alone
    grid["expected_rate"] = model.base_rate * grid["vs_average"] * grid["deviation"]
    grid["shared"] = False  # True: the slots follow the rhythm of all platforms (see borrow_rhythm)
    return grid


def borrow_rhythm(grid: pd.DataFrame, shared: pd.DataFrame, base_rate: float) -> pd.DataFrame:
    """A platform's slot grid replaced by the pattern of all platforms
    (``shared``, the pooled model's grid), for a platform where no hour has
    enough posts to judge its own timing: its own curve there is an
    extrapolation from a few dozen posts. Every slot is thin (never
    confident), the quiet hours are those of all platforms together, and the
    expected rate keeps the platform's own level."""
    out = shared.sort_values(["weekday", "hour"]).reset_index(drop=True).copy()
    own = grid.sort_values(["weekday", "hour"]).reset_index(drop=True)
    out["platform"] = own["platform"]
    out["posts"] = own["posts"]
    out["deviation"] = 1.0
    out["thin"] = True
    out["expected_rate"] = base_rate * out["vs_average"]
    out["shared"] = True
    return out


def shrink(sums: np.ndarray, n: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Empirical Bayes for group means of ``values`` (log scale): each group's
    mean minus the grand mean, shrunk toward zero by n / (n + k) with
    k = within variance / between variance (method of moments), and its
    posterior standard deviation. With no between-group variance beyond noise
    every group is shrunk to zero.
    """
    sums, n = np.asarray(sums, float), np.asarray(n, float)
    seen = n > 0
    zeros = np.zeros_like(n)
    if seen.sum() < 2 or len(values) < 2:
        return zeros, zeros
    sigma2 = float(np.var(values, ddof=1))
    means = np.where(seen, sums / np.where(seen, n, 1), 0.0)
    grand = float(sums[seen].sum() / n[seen].sum())
    between = float(np.sum(n[seen] * (means[seen] - grand) ** 2) / (seen.sum() - 1))
    tau2 = max((between - sigma2) / (n[seen].sum() / seen.sum()), 0.0)
    if tau2 == 0 or sigma2 == 0:
        return zeros, zeros
    weight = np.where(seen, n / (n + sigma2 / tau2), 0.0)
    return weight * (means - grand), np.sqrt(np.where(seen, weight * sigma2 / np.where(seen, n, 1), tau2))


def shrink_means(sums: np.ndarray, n: np.ndarray, values: np.ndarray) -> np.ndarray:
    """:func:`shrink`'s estimates as multipliers (exp of the shrunk log means)."""
    return np.exp(shrink(sums, n, values)[0])


def hour_curve(model: PlatformModel, alpha: float = 0.05) -> pd.DataFrame:
    """The model's hour pattern (weekday at its average): each hour's rate
    against the average hour, with its interval."""
    names = list(_hour_terms(np.array([0])).columns)
    X = _hour_terms(np.arange(24) + 0.5).to_numpy()
    posts = np.bincount(model.frame["hour"].to_numpy(), minlength=24)
    C = X - (posts / posts.sum()) @ X  # against the average post's hour
    b = model.params[names].to_numpy()
    V = model.cov.loc[names, names].to_numpy()
    est, se = C @ b, np.sqrt(np.einsum("ij,jk,ik->i", C, V, C))
    z = sps.norm.ppf(1 - alpha / 2)
    return pd.DataFrame({"platform": model.platform, "hour": np.arange(24), "vs_average": np.exp(est), "ci_low": np.exp(est - z * se),
                         "ci_high": np.exp(est + z * se), "posts": posts})


def busy_hours(hour_posts: np.ndarray, min_posts: int = MIN_HOUR_POSTS) -> np.ndarray:
    """Which of the 24 hours may be named best: those with at least
    ``min_posts`` posts and ``MIN_HOUR_SHARE`` of all. When no hour is that
    busy (a platform with a few dozen posts a year), the hours the platform
    posted in at all: elsewhere the curve is an extrapolation, not evidence."""
    hour_posts = np.asarray(hour_posts)
    busy = hour_posts >= max(min_posts, MIN_HOUR_SHARE * hour_posts.sum())
    return busy if busy.any() else hour_posts > 0


def thinly_posted(hour_posts: np.ndarray, min_posts: int = MIN_HOUR_POSTS) -> bool:
    """True when no hour reaches the bar of :func:`busy_hours` and the posted hours stand in."""
    hour_posts = np.asarray(hour_posts)
    return not (hour_posts >= max(min_posts, MIN_HOUR_SHARE * hour_posts.sum())).any()


def best_hour(model: PlatformModel, min_posts: int = MIN_HOUR_POSTS) -> int:
    """The hour whose pattern is highest (weekday held at its average), among
    :func:`busy_hours`: at hours nobody posts the curve is an extrapolation."""
    curve = hour_curve(model)
    seen = curve[busy_hours(curve["posts"].to_numpy(), min_posts)]
    return int(seen.sort_values("vs_average", ascending=False, kind="stable")["hour"].iloc[0])


def mark_confident(grids: pd.DataFrame, alpha: float = 0.05) -> pd.DataFrame:
    """``confident``: above the platform's average slot after Holm's correction
    across every slot in ``grids`` (all platforms together)."""
    out = grids.copy()
    out["p_holm"] = stats.adjust_pvalues(out["p_value"].to_numpy(), "holm") if len(out) else []
    # A thin slot is never confident: its interval is the pattern's extrapolation, not its own posts.
    out["confident"] = (out["p_holm"] < alpha) & (out["vs_average"] > 1) & ~out["thin"].astype(bool)
    return out


def rank_slots(grid: pd.DataFrame) -> pd.DataFrame:
    """One platform's slots in the order they are recommended: slots with
    posts of their own that beat the average first, then thin slots in busy
    hours (the platform pattern), then the rest; hours with little posting
    last, since their pattern is an extrapolation. Within a tier, by expected rate."""
    thin = grid["thin"].astype(bool)
    quiet = grid["quiet"].astype(bool) if "quiet" in grid else pd.Series(False, index=grid.index)
    tier = np.select([~thin & (grid["vs_average"] * grid["deviation"] > 1), thin & ~quiet, ~thin], [0, 1, 2], 3)
    return grid.assign(_tier=tier).sort_values(["_tier", "expected_rate"], ascending=[True, False], kind="stable").drop(columns="_tier")


def best_slots(grids: pd.DataFrame, per_platform: int = 3) -> pd.DataFrame:
    """The top slots of each platform (see :func:`rank_slots`), one per weekday."""
    rows = []
    for _, g in grids.groupby("platform", sort=True):
        ranked = rank_slots(g)
        rows.append(ranked.drop_duplicates("weekday").head(per_platform))
    return pd.concat(rows, ignore_index=True) if rows else grids.iloc[0:0]


# --------------------------------------------------------------------------- cadence


@dataclass(frozen=True)
class Cadence:
    platform: str
    current_per_week: float
    elasticity: float  # per-post engagement change per doubling of posts that day, as log-ratio per log-count
    ci_low: float
    ci_high: float
    max_per_day: int
    recommended_per_week: int
    reason: str


def cadence(data: pd.DataFrame, platform: str, alpha: float = 0.05, tests: int = 1) -> Cadence:
    """Saturation: does per-post engagement fall on days with more posts?

    Fits log E[interactions] = offset + b log(posts that day) + type + hour +
    weekday; ``b`` < 0 means each extra post takes from the others. When the
    decrease is significant at ``alpha / tests`` (Bonferroni over the
    platforms in the report) the recommended daily count is the largest whose
    marginal post still earns half a lone post's engagement; otherwise the
    current pace is kept (more was not shown to help or hurt).
    """
    d = data[data["platform"] == platform].copy()
    accounts = d["account"].nunique()
    days = max((d["date"].max() - d["date"].min()).days + 1, 1)
    per_week = len(d) / accounts / days * 7  # per account: the plan is for one account's calendar
    d["per_day"] = d.groupby(["account", "date"])["post_id"].transform("size")
    max_day = int(d["per_day"].max())
    current = max(int(round(per_week)), 1)
    if len(d) < MIN_POSTS_TO_MODEL or d["per_day"].nunique() < 2:
        return Cadence(platform, per_week, np.nan, np.nan, np.nan, max_day, current,
                       "too few days with different numbers of posts to see saturation; keep the current pace")
    d = pd.concat([d.reset_index(drop=True), _hour_terms(d["hour"].to_numpy())], axis=1)
    terms = ["np.log(per_day)", " + ".join(_hour_terms(np.array([0])).columns), "C(weekday)"]
    if d["content_type"].nunique() > 1:
        terms.append("C(content_type)")
    if accounts > 1:
        terms.append("C(account)")
    res, _ = fit_nb("interactions ~ " + " + ".join(terms), d, np.log(d["exposure"].to_numpy(float)))
    b, se = float(res.params["np.log(per_day)"]), float(res.bse["np.log(per_day)"])
    z = sps.norm.ppf(1 - alpha / 2)
    lo, hi = b - z * se, b + z * se
    if b < 0 and 2 * sps.norm.sf(abs(b / se)) < alpha / max(tests, 1):
        n = np.arange(1, max_day + 1)
        total = n ** (1 + b)
        marginal = np.diff(np.concatenate([[0.0], total]))
        per_day = int(n[marginal >= 0.5].max())
        recommended = max(min(current, per_day * 7), 1)
        reason = f"saturation: beyond {per_day} a day an extra post earns under half a lone post's engagement"
    else:
        recommended = current
        reason = f"no clear saturation up to {max_day} posts a day: keep the current pace"
    return Cadence(platform, per_week, b, lo, hi, max_day, recommended, reason)


def cadence_curve(data: pd.DataFrame) -> pd.DataFrame:
    """Per platform and posts-that-day (1, 2, 3+): posts and median rate relative to the platform's median."""
    d = data.copy()
    d["per_day"] = d.groupby(["platform", "account", "date"])["post_id"].transform("size").clip(upper=3)
    d["relative"] = d["rate"] / d.groupby("platform")["rate"].transform("median")
    out = d.groupby(["platform", "per_day"]).agg(posts=("post_id", "size"), relative=("relative", "median")).reset_index()
    out["per_day"] = out["per_day"].map({1: "1", 2: "2", 3: "3+"})
    return out


# --------------------------------------------------------------------------- themes


def tokenize(text: str | None, exclude: Iterable[str] = ()) -> list[str]:
    """Keywords of one post (:func:`smkit.methods.text.tokens`): hashtags whole, Chinese
    words by jieba, English words lower-cased, each once; stop words, single
    characters, numbers and the ``exclude`` words (the brand's names) dropped."""
    return text_tokens(text, exclude=exclude)


def relative_score(data: pd.DataFrame) -> pd.Series:
    """log engagement rate against the post's platform-and-type peers (0 = the peers' mean)."""
    log_rate = np.log((data["interactions"] + 0.5) / data["exposure"])
    return log_rate - log_rate.groupby([data["platform"], data["content_type"]]).transform("mean")


def theme_effects(data: pd.DataFrame, min_posts: int = 3, column: str | None = None, exclude: Iterable[str] = ()) -> pd.DataFrame:
    """Keywords (or the values of ``column``, e.g. ``topic``) and how the posts
    carrying them did against their peers: the raw multiplier and the one
    shrunk toward 1 by empirical Bayes (rare words move little). Keywords in
    ``exclude`` (the brand's own names: on every post, they say nothing about
    a theme) are left out."""
    score = relative_score(data).to_numpy()
    if column is None:
        text = (data["title"].fillna("").astype(str) + " " + data["text"].fillna("").astype(str).where(data["text"] != data["title"], ""))
        exclude = frozenset(exclude)
        tokens = [tokenize(t, exclude) for t in text]
    else:
        tokens = [[str(v)] for v in data[column]]
    index: dict[str, list[int]] = {}
    for i, words in enumerate(tokens):
        for w in words:
            index.setdefault(w, []).append(i)
    index = {w: rows for w, rows in index.items() if len(rows) >= min_posts and len(rows) < len(data)}
    if not index:
        return pd.DataFrame(columns=["keyword", "posts", "raw_multiplier", "multiplier", "ci_low", "ci_high"])
    words = list(index)
    n = np.array([len(index[w]) for w in words], float)
    sums = np.array([score[index[w]].sum() for w in words])
    shrunk, sd = shrink(sums, n, score)
    raw = sums / n - sums.sum() / n.sum()
    out = pd.DataFrame({"keyword": words, "posts": n.astype(int), "raw_multiplier": np.exp(raw), "multiplier": np.exp(shrunk)})
    # With no spread between groups beyond chance every estimate is exactly 1 and has no interval to show.
    out["ci_low"] = np.where(sd > 0, np.exp(shrunk - 1.96 * sd), np.nan)
    out["ci_high"] = np.where(sd > 0, np.exp(shrunk + 1.96 * sd), np.nan)
    return out.sort_values(["multiplier", "posts"], ascending=[False, False], kind="stable").reset_index(drop=True)


# --------------------------------------------------------------------------- post scores


def post_scores(data: pd.DataFrame) -> pd.DataFrame:
    """Each post's percentile (0-100) of engagement rate within its platform and type."""
    out = data[["platform", "account", "post_id", "published_at", "title", "content_type", "topic", "hour", "weekday", "interactions", "exposure", "per", "rate"]].copy()
    # Mid-rank percentile: the best of n is 100 - 50/n, so 0 and 100 never suggest "off the scale".
    ranks = data.groupby(["platform", "content_type"])["rate"].rank(method="average")
    out["percentile"] = 100 * (ranks - 0.5) / data.groupby(["platform", "content_type"])["rate"].transform("size")
    out["peers"] = data.groupby(["platform", "content_type"])["rate"].transform("size")
    return out


def what_sets_apart(scores: pd.DataFrame, best_hours: dict[str, set[int]], share: float = 0.1) -> pd.DataFrame:
    """Traits of the top and bottom ``share`` of posts (by percentile within
    platform and type): how often each trait occurs among them."""
    top = scores[scores["percentile"] >= 100 * (1 - share)]
    bottom = scores[scores["percentile"] <= 100 * share]
    if top.empty or bottom.empty:
        return pd.DataFrame(columns=["trait", "top", "bottom"])

    def traits(frame: pd.DataFrame) -> dict[str, float]:
        out = {}
        if any(best_hours.values()):
            best = np.array([h in best_hours.get(p, set()) for p, h in zip(frame["platform"], frame["hour"])])
            out["posted in the platform's best hours"] = float(best.mean())
        out["posted at the weekend"] = float((frame["weekday"] >= 5).mean())
        for topic, s in frame["topic"].value_counts(normalize=True).items():
            out[f"topic {topic}"] = float(s)
        return out

    t, b = traits(top), traits(bottom)
    rows = [{"trait": k, "top": t.get(k, 0.0), "bottom": b.get(k, 0.0)} for k in dict.fromkeys(list(t) + list(b))]
    table = pd.DataFrame(rows)
    table["gap"] = table["top"] - table["bottom"]
    return table.reindex(table["gap"].abs().sort_values(ascending=False, kind="stable").index).reset_index(drop=True)


# --------------------------------------------------------------------------- the plan


def plan(slots: pd.DataFrame, effects: pd.DataFrame, mix: dict[str, dict[str, float]], themes: dict[str, list[str]],
         per_week: dict[str, int], start: dt.date, weeks: int, tz: str = "Asia/Shanghai", alpha: float = 0.05) -> pd.DataFrame:
    """Publishing slots for ``weeks`` weeks from ``start``.

    ``slots``: the grid of every platform (``expected_rate``, ``confident``,
    ``thin``); each week takes the platform's ``per_week`` best slots, at most
    one a day while there are days left. Content types follow the current
    ``mix`` weighted by the rate ratios that survive Holm's correction across
    every type comparison in ``effects`` (a type shown better gets more
    slots); themes rotate through ``themes`` (best first).
    """
    effects = effects if "call" in effects else holm_calls(effects, alpha)
    rows = []
    for platform in sorted(per_week):
        k = per_week[platform]
        g = rank_slots(slots[slots["platform"] == platform])
        if g.empty or k < 1:
            continue
        chosen, used_days = [], {}
        for _, s in g.iterrows():
            if len(chosen) == k:
                break
            limit = 1 + len(chosen) // 7
            if used_days.get(s["weekday"], 0) < limit:
                chosen.append(s)
                used_days[s["weekday"]] = used_days.get(s["weekday"], 0) + 1
        chosen.sort(key=lambda s: (s["weekday"], s["hour"]))
        types = _type_sequence(platform, effects, mix.get(platform, {}), k * weeks)
        topic_list = themes.get(platform) or ["(any)"]
        i = 0
        for week in range(weeks):
            for s in chosen:
                day = start + dt.timedelta(days=7 * week + (int(s["weekday"]) - start.weekday()) % 7)
                local = pd.Timestamp(dt.datetime.combine(day, dt.time(int(s["hour"]))), tz=tz)
                rows.append({"date": day.isoformat(), "time": f"{int(s['hour']):02d}:00", "start": local, "platform": platform,
                             "content_type": types[i], "theme": topic_list[i % len(topic_list)], "expected_rate": float(s["expected_rate"]),
                             "confident": bool(s.get("confident", False)), "thin": bool(s.get("thin", False))})
                i += 1
    table = pd.DataFrame(rows, columns=["date", "time", "start", "platform", "content_type", "theme", "expected_rate", "confident", "thin"])
    return table.sort_values(["start", "platform"], kind="stable").reset_index(drop=True)


def _type_sequence(platform: str, effects: pd.DataFrame, mix: dict[str, float], n: int) -> list[str]:
    if not mix:
        return ["(any)"] * n
    weights = dict(mix)
    if not effects.empty:
        for _, e in effects[effects["platform"] == platform].iterrows():
            if e["content_type"] in weights and e["call"] != "unclear":
                weights[e["content_type"]] *= e["rate_ratio"]
    total = sum(weights.values())
    # Smooth allocation (largest remainder at every step), so types interleave.
    seq, given = [], dict.fromkeys(weights, 0)
    for i in range(1, n + 1):
        pick = max(weights, key=lambda t: (weights[t] / total * i - given[t], weights[t]))
        given[pick] += 1
        seq.append(pick)
    return seq


def calendar_csv(table: pd.DataFrame, path: Path) -> Path:
    out = table.drop(columns=["start"]).copy()
    out.to_csv(path, index=False, encoding="utf-8", lineterminator="\n", float_format="%.6g")
    return path


def _ics_escape(text: str) -> str:
    return str(text).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n").replace("\n", "\\n")


def _fold(line: str) -> list[str]:
    """RFC 5545 3.1: lines over 75 octets continue on lines starting with a space,
    never splitting a UTF-8 character."""
    out, current, size = [], "", 0
    for ch in line:
        n = len(ch.encode("utf-8"))
        limit = 75 if not out else 74
        if size + n > limit:
            out.append(current)
            current, size = ch, n
        else:
            current += ch
            size += n
    out.append(current)
    return [out[0]] + [" " + part for part in out[1:]]


def to_ics(table: pd.DataFrame, stamp: dt.datetime | None = None, duration_minutes: int = 30, name: str = "Publishing plan") -> str:
    """The plan as an iCalendar (RFC 5545) text: CRLF lines folded at 75
    octets, times in UTC, a stable UID per slot, DTSTAMP."""
    stamp = (stamp or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//smkit//content performance//EN", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
             f"X-WR-CALNAME:{_ics_escape(name)}"]
    for _, row in table.iterrows():
        start = pd.Timestamp(row["start"]).tz_convert("UTC")
        end = start + pd.Timedelta(minutes=duration_minutes)
        key = f"{row['platform']}|{start.isoformat()}"
        uid = hashlib.sha1(key.encode("utf-8")).hexdigest()[:20] + "@smkit"
        sure = "confident slot" if row["confident"] else ("thin data: platform pattern" if row["thin"] else "best estimate, not yet confident")
        summary = f"{platform_label(row['platform'])}: {row['content_type']} · {row['theme']}"
        description = f"Content type: {row['content_type']}. Theme: {row['theme']}. Slot: {sure}."
        lines += ["BEGIN:VEVENT", f"UID:{uid}", f"DTSTAMP:{stamp:%Y%m%dT%H%M%SZ}", f"DTSTART:{start:%Y%m%dT%H%M%SZ}",
                  f"DTEND:{end:%Y%m%dT%H%M%SZ}", f"SUMMARY:{_ics_escape(summary)}", f"DESCRIPTION:{_ics_escape(description)}",
                  f"CATEGORIES:{_ics_escape(row['platform'])}", "TRANSP:TRANSPARENT", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "".join(part + "\r\n" for line in lines for part in _fold(line))


# --------------------------------------------------------------------------- the whole analysis


@dataclass(frozen=True)
class ContentReport:
    """Everything the report shows, computed once."""

    settings: Settings
    start: dt.date
    end: dt.date
    definitions: pd.DataFrame
    effects: pd.DataFrame
    completion: pd.DataFrame
    grids: pd.DataFrame
    slots: pd.DataFrame
    best_hours: dict[str, int]
    cadences: list[Cadence]
    cadence_table: pd.DataFrame
    keywords: pd.DataFrame
    topics: pd.DataFrame
    scores: pd.DataFrame
    apart: pd.DataFrame
    calendar: pd.DataFrame
    hours: pd.DataFrame  # hour patterns: each platform's and the pooled one
    notes: dict[str, str] = field(default_factory=dict)  # platform -> why it has no model

    def to_summary(self) -> dict:
        return {
            "type_effects": [{k: r[k] for k in ("platform", "content_type", "rate_ratio", "ci_low", "ci_high")} for r in self.effects.to_dict("records")],
            "best_slots": [{"platform": r["platform"], "weekday": int(r["weekday"]), "hour": int(r["hour"]), "expected_rate": float(r["expected_rate"]),
                            "confident": bool(r["confident"])} for r in self.slots.to_dict("records")],
            "cadence": {c.platform: int(c.recommended_per_week) for c in self.cadences},
            "top_keywords": [str(k) for k in self.keywords.loc[self.keywords["multiplier"] > 1, "keyword"].head(self.settings.top_n)],
            "calendar_rows": int(len(self.calendar)),
        }


def analyze(store: Path, start: dt.date, end: dt.date, cfg: Settings) -> ContentReport:
    """The whole content analysis of ``cfg``'s accounts and platforms in the window."""
    posts = load("posts", store=store, start=start, end=end, platforms=list(cfg.platforms) if cfg.platforms else None,
                 accounts=list(cfg.accounts) if cfg.accounts else None)
    if posts.empty:
        who = ", ".join(cfg.accounts) if cfg.accounts else "any account"
        raise ValueError(f"no posts by {who} from {start} to {end}" + (f" on {', '.join(cfg.platforms)}" if cfg.platforms else ""))
    try:
        daily = load("account_daily", store=store, start=start - dt.timedelta(days=7), end=end, accounts=list(cfg.accounts) if cfg.accounts else None)
    except LookupError:
        daily = None
    data, definitions = prepare(posts, daily, cfg.engagement, cfg.per)
    models, notes = {}, {}
    for platform in sorted(data["platform"].unique()):
        _progress(f"content: fitting {platform} ({(data['platform'] == platform).sum()} posts)")
        try:
            models[platform] = fit_platform(data, platform)
        except ValueError as exc:
            notes[platform] = str(exc)
    effects = pd.concat([type_effects(m, cfg.alpha) for m in models.values()], ignore_index=True) if models else pd.DataFrame()
    if effects.empty:
        effects = pd.DataFrame(columns=["platform", "content_type", "reference", "posts", "reference_posts", "rate_ratio", "ci_low", "ci_high", "p_value", "per", "adjusted_for"])
    effects = holm_calls(effects, cfg.alpha)
    hours = {p: best_hour(m) for p, m in models.items()}
    curves = [hour_curve(m, cfg.alpha) for m in models.values()]
    pooled = None
    if len(models) > 1:
        _progress("content: fitting the pattern shared by all platforms")
        try:
            pooled = fit_platform(data)
            hours[POOLED] = best_hour(pooled)
            curves.insert(0, hour_curve(pooled, cfg.alpha))
        except ValueError as exc:
            notes[POOLED] = str(exc)
    shared = slot_grid(pooled, cfg.alpha, cfg.min_slot_posts) if pooled is not None else None
    own = {p: slot_grid(m, cfg.alpha, cfg.min_slot_posts) for p, m in models.items()}
    for p, m in models.items():
        if shared is not None and thinly_posted(np.bincount(m.frame["hour"].to_numpy(), minlength=24)):
            # No hour busy enough to judge: no timing of its own, the rhythm of all platforms instead.
            own[p] = borrow_rhythm(own[p], shared, m.base_rate)
            hours[p] = hours[POOLED]
    grids = pd.concat(list(own.values()), ignore_index=True) if own else pd.DataFrame(
        columns=["weekday", "hour", "platform", "vs_average", "vs_low", "vs_high", "p_value", "posts", "deviation", "quiet", "thin", "expected_rate", "shared"])
    grids = mark_confident(grids, cfg.alpha)
    slots = best_slots(grids)
    _progress("content: cadence, themes and scores")
    cadences = [cadence(data, p, cfg.alpha, tests=len(models)) for p in models]
    topics = {p: theme_effects(data[data["platform"] == p], column="topic") for p in models}
    keywords = theme_effects(data, exclude=brand_words([*sorted(data["account"].astype(str).unique()), *cfg.brand_aliases]))
    scores = post_scores(data)
    best_sets = {p: set(c.loc[busy_hours(c["posts"].to_numpy())].nlargest(4, "vs_average")["hour"]) for p, c in
                 ((p, hour_curve(pooled if p in set(grids.loc[grids["shared"], "platform"]) else m)) for p, m in models.items())}
    apart = what_sets_apart(scores, best_sets)
    mix = {p: data.loc[data["platform"] == p, "content_type"].value_counts(normalize=True).to_dict() for p in models}
    themes = {p: t["keyword"].tolist() for p, t in topics.items()}
    calendar = plan(grids, effects, mix, themes, {c.platform: c.recommended_per_week for c in cadences}, cfg.plan_start, cfg.horizon_weeks, alpha=cfg.alpha)
    return ContentReport(cfg, start, end, definitions, effects, completion_by_form(data, cfg.alpha), grids, slots, hours, cadences,
                         cadence_curve(data), keywords, pd.concat([t.assign(platform=p) for p, t in topics.items()], ignore_index=True) if topics else pd.DataFrame(),
                         scores, apart, calendar, pd.concat(curves, ignore_index=True) if curves else pd.DataFrame(), notes)


def export_plan(report: ContentReport, folder: Path, stamp: dt.datetime | None = None) -> dict[str, Path]:
    """Write ``calendar.csv`` and ``calendar.ics`` into ``folder``."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    csv = calendar_csv(report.calendar, folder / "calendar.csv")
    ics = folder / "calendar.ics"
    ics.write_bytes(to_ics(report.calendar, stamp).encode("utf-8"))
    return {"csv": csv, "ics": ics}


# --------------------------------------------------------------------------- what readers see


def _slot_label(weekday: int, hour: int) -> str:
    return f"{WEEKDAYS[int(weekday)]} {int(hour):02d}:00-{(int(hour) + 1) % 24:02d}:00"


def _ratio(value: float, low: float, high: float) -> str:
    if not (np.isfinite(low) and np.isfinite(high)):
        return f"×{value:.2f} (no spread beyond chance)"
    return f"×{value:.2f} [{low:.2f}, {high:.2f}]"


def intro_text(report: ContentReport) -> str:
    s = report.settings
    who = ", ".join(html.escape(a) for a in s.accounts) if s.accounts else "every account"
    where = ", ".join(platform_label(p) for p in report.definitions.index)
    used = int(report.definitions["used"].sum())
    text = (f"**{who}** on {where}, posts published {report.start} to {report.end} ({used:,} posts with engagement and exposure). "
            f"Engagement rate is interactions {EXPOSURE_LABEL[s.per]} unless a platform lacks that exposure (see the table).")
    if report.notes:
        text += " Not modelled: " + "; ".join(f"{platform_label(p)} ({html.escape(r)})" for p, r in report.notes.items()) + "."
    return text


def definitions_frame(report: ContentReport) -> pd.DataFrame:
    d = report.definitions.copy()
    d.index = [platform_label(p) for p in d.index]
    d["rate"] = [r + (" (fallback: the chosen exposure is not reported)" if f else "") for r, f in zip(d["rate"], d["fallback"])]
    return d[["interactions", "rate", "posts", "used"]].rename(columns={"interactions": "interactions counted", "rate": "engagement rate",
                                                                          "used": "posts used"})


def effects_frame(report: ContentReport):
    e = report.effects
    if e.empty:
        return pd.DataFrame({"note": ["no platform has two content types with enough posts to compare"]})
    shown = pd.DataFrame({
        "platform": [platform_label(p) for p in e["platform"]],
        "type": e["content_type"],
        "against": e["reference"],
        "posts (type / reference)": [f"{a:,} / {b:,}" for a, b in zip(e["posts"], e["reference_posts"])],
        "rate ratio [interval]": [_ratio(r, lo, hi) for r, lo, hi in zip(e["rate_ratio"], e["ci_low"], e["ci_high"])],
        "p": e["p_value"].map(stats.format_p),
        "p (Holm, all type comparisons)": e["p_holm"].map(stats.format_p),
        "reads as": [_reads_as(c, lo, hi) for c, lo, hi in zip(e["call"], e["ci_low"], e["ci_high"])],
    })
    return shown.set_index(["platform", "type"])


def _reads_as(call: str, low: float, high: float) -> str:
    if call != "unclear":
        return call
    if low > 1 or high < 1:
        return "no clear difference (interval excludes 1, but not after Holm)"
    return "no clear difference"


def _adjusted_text(effects: pd.DataFrame) -> str:
    """What the ratios hold constant, per platform where the models differ."""
    def words(names: str) -> str:
        items = [n.strip().replace("hour", "posting hour", 1) if i == 0 else n.strip() for i, n in enumerate(names.split(","))]
        return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]

    groups = effects.groupby("adjusted_for", sort=False)["platform"].agg(lambda p: sorted(set(p)))
    if len(groups) == 1:
        return f" Each ratio holds {words(groups.index[0])} constant, so it is the type itself, not when or about what it was posted."
    order = sorted(groups.items(), key=lambda kv: -len(kv[0].split(",")))
    parts = [f"{words(names)} on {', '.join(platform_label(p) for p in platforms)}" for names, platforms in order]
    return (" Each ratio holds constant what its platform's data could carry: " + "; ".join(parts) +
            ". Where topic, campaign or account is missing, too few posts per level were there to estimate it, so a type's ratio there can still "
            "reflect what it was about.")


def effects_text(report: ContentReport) -> str:
    e = report.effects
    if e.empty:
        if report.notes and len(report.notes) >= len(report.definitions):
            return "**What this means.** No platform had enough posts in the window to model; widen the window (`start`) or add accounts."
        return "**What this means.** No comparison was possible: every platform posts one content type, or too few of the others."
    clear = e[e["call"] != "unclear"]
    parts = [f"{r.content_type} on {platform_label(r.platform)} earns {r.rate_ratio:.2f} times the engagement of {r.reference} "
             f"(between {r.ci_low:.2f} and {r.ci_high:.2f}; Holm p {stats.format_p(r.p_holm)})" for r in clear.itertuples()]
    text = ("**What this means.** " + "; ".join(parts)[:1].upper() + "; ".join(parts)[1:] + ". ") if parts else "**What this means.** No content type differs clearly from its platform's usual type. "
    if len(e) > 1:
        text += (f"{'These are' if len(clear) > 1 else 'This is' if len(clear) else 'A difference would be'} called after Holm's correction across "
                 f"all {len(e)} type comparisons, so a lucky one among many is not taken for an effect. ")
    lucky = e[(e["call"] == "unclear") & ((e["ci_low"] > 1) | (e["ci_high"] < 1))]
    if not lucky.empty:
        text += ("The interval of " + "; ".join(f"{r.content_type} on {platform_label(r.platform)} ({_ratio(r.rate_ratio, r.ci_low, r.ci_high)})"
                                               for r in lucky.itertuples())
                 + " excludes 1 on its own but does not survive the correction: a hint worth testing, not yet a reason to change the mix. ")
    rest = len(e) - len(clear) - len(lucky)
    if rest:
        text += (f"{'The other' if len(clear) + len(lucky) else 'All'} {rest} comparison{'s' if rest > 1 else ''} cannot tell the types apart with this much data: "
                 "their intervals include 1, so keep the current mix there rather than switch on a hunch.")
    return text.rstrip() + _adjusted_text(e)


def effects_figure(report: ContentReport):
    import matplotlib.pyplot as plt

    e = report.effects
    if e.empty:
        return None
    labels = [f"{platform_label(p)}: {t} vs {r}" for p, t, r in zip(e["platform"], e["content_type"], e["reference"])]
    fig, ax = plt.subplots(figsize=(7.5, 0.45 * len(e) + 1.2))
    y = np.arange(len(e))[::-1]
    colours = ["#3A9E6F" if c == "better" else "#C4474D" if c == "worse" else "#6F7A86" for c in e["call"]]
    for yi, lo, hi, colour in zip(y, e["ci_low"], e["ci_high"], colours):
        ax.plot([lo, hi], [yi, yi], color=colour, lw=2)
    ax.scatter(e["rate_ratio"], y, c=colours, zorder=3)
    ax.axvline(1, color="black", lw=0.8)
    ax.set_xscale("log")
    ticks = [0.25, 0.5, 0.7, 1, 1.4, 2, 4]
    lo, hi = float(e["ci_low"].min()), float(e["ci_high"].max())
    ax.set_xticks([t for t in ticks if lo / 1.3 <= t <= hi * 1.3] or [1])
    ax.get_xaxis().set_major_formatter(plt.FuncFormatter(lambda v, _: f"×{v:g}"))
    ax.minorticks_off()
    ax.set_yticks(y, labels)
    ax.set_xlabel("rate ratio against the platform's usual type (interval)")
    ax.set_title("Content-type effects · 内容类型效果 (coloured: called after Holm's correction)")
    plt.close(fig)
    return fig


def completion_frame(report: ContentReport):
    c = report.completion
    if c.empty:
        return pd.DataFrame({"note": ["no platform in the window reports completion rates (完播率)"]})
    shown = pd.DataFrame({
        "platform": [platform_label(p) for p in c["platform"]], "form": c["form"], "type": c["content_type"], "posts": c["posts"],
        "completion rate [interval]": [f"{m:.1%} [{lo:.1%}, {hi:.1%}]" if np.isfinite(lo) else f"{m:.1%} (one post)" for m, lo, hi in
                                       zip(c["completion_rate"], c["ci_low"], c["ci_high"])],
        "vs usual type": ["reference" if t == r else (f"{d * 100:+.1f} points, p {stats.format_p(p)}" if np.isfinite(d) else "too few posts")
                          for t, r, d, p in zip(c["content_type"], c["reference"], c["difference"], c["p_value"])],
    })
    return shown.set_index(["platform", "form", "type"])


def completion_text(report: ContentReport) -> str:
    c = report.completion
    if c.empty:
        return "**What this means.** Completion can only be judged where the platform exports it; none does in this window."
    diffs = c[c["p_value"].notna()]
    clear = diffs[diffs["p_value"] < report.settings.alpha]
    if clear.empty:
        return ("**What this means.** Within each form the types are watched to the end about equally often; "
                "completion gives no reason to change the mix.")
    return "**What this means.** " + "; ".join(
        f"{r.content_type} on {platform_label(r.platform)} is completed {abs(r.difference) * 100:.1f} points {'more' if r.difference > 0 else 'less'} often than {r.reference}"
        for r in clear.itertuples()) + "."


def timing_figure(report: ContentReport):
    """Hour-by-weekday heatmaps, one per platform: each slot against the platform's
    average slot; faded where the slot is thin, a dot where it is confident."""
    import matplotlib.pyplot as plt
    from matplotlib.colors import TwoSlopeNorm

    g = report.grids
    platforms = sorted(g["platform"].unique())
    if not platforms:
        return None
    cols = 2
    rows = int(np.ceil(len(platforms) / cols))
    fig, axes = plt.subplots(rows, cols, figsize=(10, 2.1 * rows + 0.6), squeeze=False)
    span = 1.0  # one fixed scale, x0.5 to x2, so platforms read alike; beyond it colours saturate
    norm = TwoSlopeNorm(0, -span, span)
    cmap = plt.get_cmap("RdBu_r")
    for ax, platform in zip(axes.flat, platforms):
        p = g[g["platform"] == platform].sort_values(["weekday", "hour"])
        m = np.log2((p["vs_average"] * p["deviation"]).to_numpy()).reshape(7, 24)
        thin = p["thin"].to_numpy().reshape(7, 24)
        sure = p["confident"].to_numpy().reshape(7, 24)
        rgba = cmap(norm(np.clip(m, -span, span)))
        rgba[thin, :3] = 0.35 * rgba[thin, :3] + 0.65  # faded: the platform pattern, not the slot's own posts
        ax.imshow(rgba, aspect="auto")
        ys, xs = np.nonzero(sure)
        ax.scatter(xs, ys, s=10, c="black", marker="o")
        ax.set_title(platform_label(platform), fontsize=10)
        ax.set_yticks(range(7), WEEKDAYS, fontsize=7)
        ax.set_xticks(range(0, 24, 3), [f"{h}" for h in range(0, 24, 3)], fontsize=7)
        ax.grid(False)
    for ax in list(axes.flat)[len(platforms):]:
        ax.axis("off")
    fig.set_layout_engine("none")
    fig.subplots_adjust(left=0.06, right=0.86, top=0.9, bottom=0.06, hspace=0.55, wspace=0.15)
    from matplotlib.cm import ScalarMappable

    cbar = fig.colorbar(ScalarMappable(norm=norm, cmap=cmap), cax=fig.add_axes((0.89, 0.25, 0.015, 0.5)))
    ticks = [-1, -0.5, 0, 0.5, 1]
    cbar.set_ticks(ticks, labels=[f"×{2**t:.2g}" for t in ticks])
    cbar.set_label("vs the platform's average slot")
    fig.suptitle("When to post · 发布时间 (hour of day, local time; faded: too few posts, pattern only; dot: confident)", fontsize=10)
    plt.close(fig)
    return fig


def hour_figure(report: ContentReport):
    """The hour pattern shared by all platforms, with its interval, and each platform's curve."""
    import matplotlib.pyplot as plt

    h = report.hours
    if h.empty:
        return None
    fig, ax = plt.subplots(figsize=(9, 3.4))
    for platform, c in h[h["platform"] != POOLED].groupby("platform", sort=True):
        # Only where the platform posts: elsewhere its curve is an extrapolation.
        busy = busy_hours(c["posts"].to_numpy())
        ax.plot(c["hour"], c["vs_average"].where(busy), lw=0.9, alpha=0.6, label=platform_label(platform))
    pooled = h[h["platform"] == POOLED]
    if not pooled.empty:
        ax.fill_between(pooled["hour"], pooled["ci_low"], pooled["ci_high"], color="black", alpha=0.12, lw=0)
        ax.plot(pooled["hour"], pooled["vs_average"], color="black", lw=2.2, label="all platforms (interval shaded)")
    ax.axhline(1, color="grey", lw=0.8)
    ax.set_yscale("log")
    ax.set_yticks([0.5, 0.7, 0.85, 1, 1.2, 1.4, 2])
    ax.get_yaxis().set_major_formatter(plt.FuncFormatter(lambda v, _: f"×{v:.2g}"))
    ax.get_yaxis().set_minor_formatter(plt.NullFormatter())
    shown = pd.concat([pooled["ci_low"], pooled["ci_high"]] if not pooled.empty else [h["vs_average"]])
    ax.set_ylim(max(0.45, float(shown.min()) / 1.15), min(2.2, float(shown.max()) * 1.15))
    ax.set_xticks(range(0, 24, 2))
    ax.set_xlim(0, 23)
    ax.set_xlabel("hour of day (local time)")
    ax.set_ylabel("engagement vs the\naverage post's hour")
    ax.set_title("Daily rhythm · 一天中的互动节奏")
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    plt.close(fig)
    return fig


def slots_frame(report: ContentReport):
    s = report.slots
    if s.empty:
        return pd.DataFrame({"note": ["no platform could be modelled"]})
    unit = {p: EXPOSURE_LABEL.get(report.definitions.loc[p, "per"], "") for p in report.definitions.index}
    shown = pd.DataFrame({
        "platform": [platform_label(p) for p in s["platform"]],
        "slot": [_slot_label(w, h) for w, h in zip(s["weekday"], s["hour"])],
        "expected interactions": [f"{1000 * r:,.2f} {unit.get(p, '')}" for r, p in zip(s["expected_rate"], s["platform"])],
        "vs average slot [interval]": [_ratio(v, lo, hi) for v, lo, hi in zip(s["vs_average"] * s["deviation"], s["vs_low"] * s["deviation"], s["vs_high"] * s["deviation"])],
        "p (Holm, all slots)": s["p_holm"].map(stats.format_p),
        "posts in slot": s["posts"],
        "how sure": ["confident" if c else ("too few posts: rhythm of all platforms" if sh else "too few posts: platform pattern" if t else "best estimate, not confident")
                     for c, t, sh in zip(s["confident"], s["thin"], s["shared"])],
    })
    return shown.set_index(["platform", "slot"])


def timing_text(report: ContentReport) -> str:
    g, hours = report.grids, report.best_hours
    if g.empty:
        return "**What this means.** No platform had enough posts to model posting time."
    sure = g[g["confident"]]
    pooled = hours.get(POOLED)
    text = "**What this means.** "
    if pooled is not None:
        peak = report.hours[(report.hours["platform"] == POOLED) & (report.hours["hour"] == pooled)].iloc[0]
        text += (f"Across all platforms engagement peaks around {pooled:02d}:00-{(pooled + 1) % 24:02d}:00, "
                 f"{_ratio(peak['vs_average'], peak['ci_low'], peak['ci_high'])} against the average post's hour. ")
    if sure.empty:
        text += ("No slot is confidently better than its platform's average once every slot tested is accounted for (Holm): "
                 "the best slots above are best guesses, worth testing rather than committing to.")
    else:
        by = sure.groupby("platform")["hour"].agg(["min", "max", "size"])
        text += "Confidently better than average: " + "; ".join(
            f"{platform_label(p)} {r['size']} slot{'s' if r['size'] > 1 else ''} between {r['min']:02d}:00 and {r['max'] + 1:02d}:00" for p, r in by.iterrows()) + ". "
    shared = sorted(g.loc[g["shared"].astype(bool), "platform"].unique()) if "shared" in g else []
    if shared:
        text += (" On " + ", ".join(platform_label(p) for p in shared) + f" no hour has {MIN_HOUR_POSTS} posts, too few to judge that platform's own "
                 "timing: no slot is recommended from its own posts, and its slots follow the rhythm of all platforms, in their busy hours.")
    thin = int(g["thin"].sum())
    text += (f" {thin} of {len(g)} slots have too few posts of their own: they show the platform's hour and weekday pattern and come after the "
             "slots with data of their own in the plan. A slot's interval above is for that slot alone; with this many slots some look good by chance, "
             "which is why *confident* asks for Holm's correction.")
    return text


def cadence_frame(report: ContentReport):
    if not report.cadences:
        return pd.DataFrame({"note": ["no platform could be modelled"]})
    rows = [{"platform": platform_label(c.platform), "posts a week now": f"{c.current_per_week:.1f}", "most in one day": c.max_per_day,
             "engagement per post per doubling [interval]": "–" if not np.isfinite(c.elasticity) else f"{2**c.elasticity - 1:+.0%} [{2**c.ci_low - 1:+.0%}, {2**c.ci_high - 1:+.0%}]",
             "recommended a week": c.recommended_per_week, "why": c.reason} for c in report.cadences]
    return pd.DataFrame(rows).set_index("platform")


def cadence_figure(report: ContentReport):
    import matplotlib.pyplot as plt

    t = report.cadence_table
    if t.empty:
        return None
    fig, ax = plt.subplots(figsize=(8, 3.2))
    platforms = sorted(t["platform"].unique())
    width = 0.8 / 3
    for i, level in enumerate(["1", "2", "3+"]):
        sub = t[t["per_day"] == level].set_index("platform").reindex(platforms)
        ax.bar(np.arange(len(platforms)) + (i - 1) * width, sub["relative"], width, label=f"{level} post{'s' if level != '1' else ''} that day")
    ax.axhline(1, color="black", lw=0.8)
    ax.set_xticks(np.arange(len(platforms)), [platform_label(p) for p in platforms], fontsize=8)
    ax.set_ylabel("median engagement per post\nvs the platform's median")
    ax.set_title("Posting frequency and engagement per post · 发布频率")
    ax.legend(fontsize=8)
    plt.close(fig)
    return fig


def cadence_text(report: ContentReport) -> str:
    if not report.cadences:
        return ""
    saturated = [c for c in report.cadences if "saturation:" in c.reason]
    plan = ", ".join(f"{platform_label(c.platform)} {c.recommended_per_week}" for c in report.cadences)
    if saturated:
        head = "Extra posts on the same day take engagement from each other on " + ", ".join(platform_label(c.platform) for c in saturated) + "."
    else:
        head = "On no platform did more posts in a day lower the engagement of each post by a clear margin, so the current pace is safe."
    return f"**What this means.** {head} Recommended posts a week (one account): {plan}."


def themes_text(report: ContentReport) -> str:
    k = report.keywords
    if k.empty:
        return "**What this means.** Too few posts share words to judge themes."
    up = k[k["ci_low"].fillna(1) > 1]
    down = k[k["ci_high"].fillna(1) < 1]
    if up.empty and down.empty:
        moved = k.loc[(k["raw_multiplier"] - 1).abs().idxmax()]
        return (f"**What this means.** No keyword stands out once rare words are shrunk toward the average: differences between words are what chance "
                f"alone would give (the largest raw one, {html.escape(str(moved['keyword']))} at ×{moved['raw_multiplier']:.2f} over {moved['posts']} posts, "
                "is noise). Choose themes for the audience and the plan, not from these scores.")
    parts = []
    if not up.empty:
        parts.append("posts with " + ", ".join(html.escape(str(w)) for w in up["keyword"].head(5)) + " do better than their peers")
    if not down.empty:
        parts.append(", ".join(html.escape(str(w)) for w in down["keyword"].tail(5)) + " do worse")
    return "**What this means.** After shrinking rare words toward the average, " + "; ".join(parts) + "."


def keywords_frame(report: ContentReport, n: int = 10):
    k = report.keywords
    if k.empty:
        return pd.DataFrame({"note": ["too few posts share words to judge themes"]})
    picked = pd.concat([k.head(n), k.tail(n)]).drop_duplicates("keyword") if len(k) > 2 * n else k
    shown = pd.DataFrame({"keyword": picked["keyword"].map(html.escape), "posts": picked["posts"],
                          "raw": picked["raw_multiplier"].map(lambda v: f"×{v:.2f}"),
                          "after shrinkage [interval]": [_ratio(m, lo, hi) for m, lo, hi in zip(picked["multiplier"], picked["ci_low"], picked["ci_high"])]})
    return shown.set_index("keyword")


def topics_frame(report: ContentReport):
    t = report.topics
    if t.empty:
        return pd.DataFrame({"note": ["no topics recorded"]})
    cells = t.assign(platform=t["platform"].map(platform_label), topic=t["keyword"].map(html.escape),
                     shown=[f"×{m:.2f} (raw ×{r:.2f}, {n})" for m, r, n in zip(t["multiplier"], t["raw_multiplier"], t["posts"])])
    return cells.pivot(index="topic", columns="platform", values="shown").fillna("–")


def keywords_figure(report: ContentReport, n: int = 12):
    import matplotlib.pyplot as plt

    k = report.keywords
    if k.empty:
        return None
    picked = k.reindex((k["raw_multiplier"] - 1).abs().sort_values(ascending=False).index).head(n).iloc[::-1]
    fig, ax = plt.subplots(figsize=(7.5, 0.32 * len(picked) + 1.2))
    y = np.arange(len(picked))
    ax.scatter(picked["raw_multiplier"], y, facecolors="none", edgecolors="#6F7A86", label="raw (posts with the word vs peers)")
    ax.scatter(picked["multiplier"], y, color="#2F6DB5", label="after shrinkage for rare words", zorder=3)
    for yi, a, b in zip(y, picked["raw_multiplier"], picked["multiplier"]):
        ax.plot([a, b], [yi, yi], color="#9AA0A6", lw=0.8)
    ax.axvline(1, color="black", lw=0.8)
    ax.set_yticks(y, [f"{w} ({p})" for w, p in zip(picked["keyword"], picked["posts"])], fontsize=8)
    ax.set_xlabel("engagement vs platform-and-type peers (× ; posts in brackets)")
    ax.set_title("Keywords with the largest raw differences · 关键词")
    ax.legend(fontsize=7, loc="lower right")
    plt.close(fig)
    return fig


def posts_frame(report: ContentReport, best: bool = True):
    s = report.scores
    if s.empty:
        return pd.DataFrame({"note": ["no posts"]})
    picked = s.nlargest(report.settings.top_n, "percentile") if best else s.nsmallest(report.settings.top_n, "percentile")
    shown = pd.DataFrame({
        "published": picked["published_at"].dt.strftime("%Y-%m-%d %H:%M"),
        "platform": picked["platform"].map(platform_label), "account": picked["account"].map(html.escape), "type": picked["content_type"],
        "topic": picked["topic"].map(html.escape), "title": picked["title"].fillna("").map(html.escape),
        "interactions": picked["interactions"].map("{:,.0f}".format),
        "rate": [f"{1000 * r:,.2f} {EXPOSURE_LABEL.get(p, '')}" for r, p in zip(picked["rate"], picked["per"])],
        "percentile": picked["percentile"].map("{:.1f}".format),
        "peers": picked["peers"],
    })
    shown.index = pd.RangeIndex(1, len(shown) + 1, name="rank")
    return shown


def apart_frame(report: ContentReport, n: int = 6):
    a = report.apart
    if a.empty:
        return pd.DataFrame({"note": ["too few posts to compare the best and the worst"]})
    shown = a.head(n).assign(trait=lambda f: f["trait"].map(html.escape))
    return shown.set_index("trait")[["top", "bottom"]].rename(columns={"top": "share of top 10%", "bottom": "share of bottom 10%"}).style.format("{:.0%}")


def scores_text(report: ContentReport) -> str:
    a = report.apart
    if a.empty:
        return ""
    first = a.iloc[0]
    return (f"**What this means.** Scores rank each post against posts of the same platform and type only, so a video is never judged against an image post. "
            f"What most separates the best tenth from the worst: {html.escape(first['trait'])} ({first['top']:.0%} of the best against {first['bottom']:.0%} of the worst).")


def plan_frame(report: ContentReport, weeks: int = 1):
    c = report.calendar
    if c.empty:
        return pd.DataFrame({"note": ["no plan: no platform could be modelled"]})
    first = c[pd.to_datetime(c["date"]) < pd.Timestamp(report.settings.plan_start) + pd.Timedelta(days=7 * weeks)]
    shown = pd.DataFrame({"date": first["date"], "weekday": pd.to_datetime(first["date"]).dt.day_of_week.map(lambda d: WEEKDAYS[d]), "time": first["time"],
                          "platform": first["platform"].map(platform_label), "type": first["content_type"], "theme": first["theme"].map(html.escape),
                          "slot": ["confident" if s else ("pattern only" if t else "best estimate") for s, t in zip(first["confident"], first["thin"])]})
    return shown.set_index(["date", "weekday", "time"])


def plan_text(report: ContentReport, files: dict[str, Path] | None = None) -> str:
    c = report.calendar
    if c.empty:
        return "**No plan.** No platform had enough posts to model."
    sure = int(c["confident"].sum())
    text = (f"**The plan.** {len(c)} posts over {report.settings.horizon_weeks} weeks from {report.settings.plan_start}, at each platform's recommended "
            f"pace and best slots; content types follow the current mix, shifted toward types shown to do better after Holm's correction; themes rotate through the "
            f"platform's topics, best first. " + (f"{sure} of the slots are confident; the rest are best estimates, worth watching."
                                                  if sure else "None of the slots is confident yet: they are best estimates, worth testing and watching."))
    if files:
        text += f" Files in the report folder: `{files['csv'].name}` (spreadsheet) and `{files['ics'].name}` (import into any calendar)."
    return text
