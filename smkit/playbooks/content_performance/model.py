"""The negative binomial GLM of a platform's interactions, with the log exposure as offset.

``interactions ~ type + hour + weekday + topic + campaign (+ account)``: hour
enters as three daily harmonics, so a thin hour borrows strength from its
neighbours instead of getting its own noise. Type effects, posting time and
cadence all read this model (or a fit of the same kind).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats as sps

HARMONICS = 3  # daily harmonics for the hour pattern: peaks a few hours wide, no single-hour noise
MIN_POSTS_PER_TYPE = 8
MIN_POSTS_TO_MODEL = 30
POOLED = "all platforms"


def hour_terms(hours: np.ndarray) -> pd.DataFrame:
    """The hour's design columns: ``sin1, cos1, ... sin3, cos3`` of the time of day."""
    angle = 2 * np.pi * np.asarray(hours, dtype=float) / 24
    return pd.DataFrame({f"{f}{k}": getattr(np, f)(k * angle) for k in range(1, HARMONICS + 1) for f in ("sin", "cos")})


HOUR_TERMS = tuple(hour_terms(np.array([0])).columns)


def has_times(d: pd.DataFrame) -> bool:
    """Whether every post of ``d`` was exported with its time (see ``prepare``'s ``timed``): only then is the hour modelled."""
    return bool(d["timed"].all()) if "timed" in d else True


def wald_pvalue(estimate: float | np.ndarray, se: float | np.ndarray) -> float | np.ndarray:
    """Two-sided p-value of a Wald z statistic ``estimate / se``."""
    return 2 * sps.norm.sf(np.abs(estimate / se))


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

    @property
    def has_hours(self) -> bool:
        """Whether the fit has an hour pattern: False where the export gave dates without times."""
        return HOUR_TERMS[0] in self.params.index

    def timing_vector(self, hour: float, weekday: int) -> pd.Series:
        """Design coefficients of the timing terms for one slot."""
        vec = pd.Series(0.0, index=self.params.index)
        for name, value in hour_terms(np.array([hour])).iloc[0].items():
            if name in vec.index:  # a fit without posting times has no hour terms
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


def fit_platform(data: pd.DataFrame, platform: str = POOLED, min_type_posts: int = MIN_POSTS_PER_TYPE) -> PlatformModel:
    """Fit the platform's model. Raises ``ValueError`` with the reason when the
    data cannot support it (too few posts, no interactions).

    ``platform`` :data:`POOLED` fits every platform together, with a level
    for each platform's type (so each platform keeps its own scale and type
    effects) and one timing pattern shared by all: the audience's daily
    rhythm, estimated from every post it is given (the caller passes the
    posts exported with times).
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
    d = pd.concat([d.reset_index(drop=True), hour_terms(d["hour"].to_numpy())], axis=1)
    terms = [f"C(content_type, Treatment({reference!r}))"] if len(counts) > 1 else []
    timed = has_times(d)
    terms += [" + ".join(HOUR_TERMS)] * timed + ["C(weekday)"]  # dates without times: the weekday alone
    adjusted = ["hour"] * timed + ["weekday"]
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
    model = PlatformModel(
        platform,
        str(d["per"].iloc[0]),
        reference,
        tuple(counts.index.astype(str)),
        params,
        result.cov_params(),
        alpha_nb,
        len(d),
        tuple(adjusted),
        0.0,
        resid - resid.mean(),
        d,
    )
    # The post mix's rate with its timing replaced by the average slot's.
    avg = average_timing(model)
    base = float(np.mean(np.exp(eta - timing + avg)))
    return PlatformModel(**{**model.__dict__, "base_rate": base})


def _timing_part(params: pd.Series, d: pd.DataFrame) -> np.ndarray:
    t = np.zeros(len(d))
    for name in HOUR_TERMS:
        t += params.get(name, 0.0) * d[name].to_numpy()
    for day in range(1, 7):
        t += params.get(f"C(weekday)[T.{day}]", 0.0) * (d["weekday"].to_numpy() == day)
    return t


def slot_matrix(model: PlatformModel) -> np.ndarray:
    """168 x p: each slot's timing design row (hour + 0.5: a post lands within its hour)."""
    return np.vstack([model.timing_vector(h + 0.5, w).to_numpy() for w in range(7) for h in range(24)])


def slot_weights(frame: pd.DataFrame) -> np.ndarray:
    """Each slot's share of the posts: the platform's average slot is the average
    post's timing, not an average over hours nobody posts at."""
    n = np.bincount(frame["weekday"].to_numpy() * 24 + frame["hour"].to_numpy(), minlength=168).astype(float)
    return n / n.sum()


def average_timing(model: PlatformModel) -> float:
    """The timing terms' contribution at the platform's average slot."""
    return float(slot_weights(model.frame) @ (slot_matrix(model) @ model.params.to_numpy()))
