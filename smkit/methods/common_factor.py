"""A latent common factor behind a treated series and its controls: the
counterfactual model of :func:`smkit.methods.causal.estimate_impact` when
control series are given.

The controls are noisy measurements of the market the treated series lives
in, not the market itself. Regressing on them attenuates the coefficients
and leaves the counterfactual's errors correlated across the post-period,
which a regression's interval does not know. Here the market is a latent
state, a random walk ``f`` and a weekly cycle ``s``, that every series
observes with its own loadings, its own slowly drifting level and its own
noise::

    control_1 = f_t + s_t + e_1
    control_j = lambda_j * f_t + kappa_j * s_t + c_j,t + e_j
    treated   = lambda_y * f_t + kappa_y * s_t + u_t + e_y

``u`` is the treated series' own local level, as in CausalImpact; ``c_j``
lets a control drift away from the market (the first control, the one most
correlated with the treated series, anchors the market's scale). In the
post-period the treated series is missing, so its counterfactual is what the
controls say about the market, with the uncertainty of that reading: paths
are drawn jointly over the post-period from the states given all the data.

Parameter uncertainty: all parameters are drawn from a normal approximation
to their posterior on the unconstrained scale (log variances, loadings), at
its mode. The variances of the own levels, the drifts and the cycle get
CausalImpact's prior guess (a standard deviation of 0.01 pre-period standard
deviations) with a weak weight, which keeps them identified when the data
say little; the other parameters get flat priors.
"""

from __future__ import annotations

import warnings

import numpy as np
from statsmodels.tsa.statespace.mlemodel import MLEModel

PRIOR_SD = 0.01  # prior guess of the level, drift and cycle shocks' sd, in pre-period sds (CausalImpact's)
PRIOR_WEIGHT = 2.0  # the guess's weight in observations: weak, the data dominate when they speak
HARMONICS = 2


class CommonFactor(MLEModel):
    """The state-space form. Columns of ``endog``: the treated series, then the controls (standardised)."""

    def __init__(self, endog, period: int | None):
        endog = np.asarray(endog, dtype=float)
        self.m = endog.shape[1] - 1
        self.nh = HARMONICS if period else 0
        self.ns = 2 * self.nh
        self.i_u = 1 + self.ns  # the own level; the levels of controls 2..m follow it
        k_states = self.i_u + self.m  # factor, cycle, own level, levels of controls 2..m: every state has a shock
        super().__init__(endog, k_states=k_states, k_posdef=k_states, initialization="diffuse")
        transition = np.eye(k_states)
        for h in range(1, self.nh + 1):
            c, s = np.cos(2 * np.pi * h / period), np.sin(2 * np.pi * h / period)
            transition[2 * h - 1 : 2 * h + 1, 2 * h - 1 : 2 * h + 1] = [[c, s], [-s, c]]
        self.ssm["transition"] = transition
        self.ssm["selection"] = np.eye(k_states)
        self.n_var = 1 + (1 if self.nh else 0) + self.m  # state variances: factor, (cycle), own level, drifts

    @property
    def param_names(self) -> list[str]:
        states = ["sigma2.factor"] + (["sigma2.cycle"] if self.nh else []) + ["sigma2.level"]
        states += [f"sigma2.drift{j}" for j in range(2, self.m + 1)]
        loadings = ["loading.treated"] + [f"loading.control{j}" for j in range(2, self.m + 1)]
        if self.nh:
            loadings += ["cycle.treated"] + [f"cycle.control{j}" for j in range(2, self.m + 1)]
        return states + loadings + ["sigma2.treated"] + [f"sigma2.control{j}" for j in range(1, self.m + 1)]

    @property
    def start_params(self) -> np.ndarray:
        v = max(float(np.nanvar(np.diff(self.endog[:, 1]))) / 4, 1e-4)
        small = [PRIOR_SD**2] * (self.n_var - 1)
        cycle = np.ones(self.m) if self.nh else []
        return np.r_[[v], small, np.ones(self.m), cycle, np.full(self.m + 1, 0.1)]

    def _variances(self) -> np.ndarray:
        mask = np.zeros(len(self.param_names), dtype=bool)
        mask[: self.n_var] = True
        mask[-(self.m + 1) :] = True
        return mask

    def transform_params(self, unconstrained):
        p = np.array(unconstrained, copy=True)
        mask = self._variances()
        p[mask] = np.exp(p[mask])
        return p

    def untransform_params(self, constrained):
        u = np.array(constrained, copy=True)
        mask = self._variances()
        u[mask] = np.log(u[mask])
        return u

    def design(self, params) -> np.ndarray:
        n = self.n_var
        trend = np.r_[params[n], 1.0, params[n + 1 : n + self.m]]
        cycle = np.r_[params[n + self.m], 1.0, params[n + self.m + 1 : n + 2 * self.m]] if self.nh else trend
        z = np.zeros((self.m + 1, self.k_states), dtype=np.result_type(params, float))
        harmonics = [1 + 2 * h for h in range(self.nh)]
        for i in range(self.m + 1):
            z[i, 0] = trend[i]
            z[i, harmonics] = cycle[i]
        z[0, self.i_u] = 1.0
        for j in range(1, self.m):
            z[1 + j, self.i_u + j] = 1.0
        return z

    def update(self, params, **kwargs):
        params = super().update(params, **kwargs)
        states = params[: self.n_var]
        cycle = states[1] if self.nh else 0.0
        self.ssm["design"] = self.design(params)
        self.ssm["obs_cov"] = np.diag(params[-(self.m + 1) :])
        self.ssm["state_cov"] = np.diag(np.r_[[states[0]], np.full(self.ns, cycle), states[1 + (1 if self.nh else 0) :]])

    def log_posterior(self, unconstrained) -> float:
        """Log likelihood plus the weak inverse-gamma priors on the cycle's, the own
        level's and the drifts' variances (a density on the log scale, where the draws are made)."""
        ll = self.loglike(unconstrained, transformed=False)
        a = PRIOR_WEIGHT / 2
        b = a * PRIOR_SD**2
        log_v = np.asarray(unconstrained[1 : self.n_var])
        return ll - float(np.sum(a * log_v + b * np.exp(-log_v)))


def counterfactual_paths(data: np.ndarray, n_pre: int, period: int | None, draws: int, groups: int, seed: int):
    """Fit on the first ``n_pre`` rows of ``data`` (treated series first, all
    standardised) and simulate the treated series over the rest given the
    controls there. Returns the paths (post-period days x draws), the
    counterfactual mean over the post-period and the one-step predictions over
    the pre-period, all in standardised units."""
    import scipy.optimize
    from statsmodels.tools.numdiff import approx_hess1

    model = CommonFactor(data[:n_pre], period)
    with warnings.catch_warnings():  # overflow and convergence chatter at wild trial points
        warnings.simplefilter("ignore")
        # a gradient of 1e-3 in log-posterior units is far inside the posterior's spread: stop there
        start = model.untransform_params(model.start_params)
        found = scipy.optimize.minimize(lambda u: -model.log_posterior(u), start, method="BFGS", options={"gtol": 1e-3})
        mode = found.x
        cov = _posterior_cov(model, mode, approx_hess1)
    full = data.copy()
    full[n_pre:, 0] = np.nan
    post = CommonFactor(full, period)
    rng = np.random.default_rng(seed)
    per = max(draws // groups, 1)
    out = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _ in range(groups):
            params = post.transform_params(rng.multivariate_normal(mode, cov))
            out.append(_draw_treated(post, params, n_pre, per, rng))
        params = post.transform_params(mode)
        post.update(params)
        predicted = post.ssm.smooth().smoothed_state[:, n_pre:].T @ post.design(params)[0]
        model.update(params)
        fitted = model.ssm.filter().forecasts[0]
    return np.concatenate(out, axis=1), predicted, fitted


def _posterior_cov(model: CommonFactor, mode: np.ndarray, hessian) -> np.ndarray:
    """Inverse of the negative Hessian of the log posterior at its mode. A
    variance estimated at zero is held there (its direction is flat); a
    direction the Hessian cannot resolve is not drawn."""
    params = model.transform_params(mode)
    free = np.flatnonzero(~(model._variances() & (params < 1e-6)))

    def at(v):
        u = mode.copy()
        u[free] = v
        return model.log_posterior(u)

    cov = np.zeros((len(mode), len(mode)))
    try:
        inv = np.linalg.inv(-hessian(mode[free], at))
    except (np.linalg.LinAlgError, ValueError):
        return cov
    if not np.isfinite(inv).all():
        return cov
    w, v = np.linalg.eigh((inv + inv.T) / 2)
    cov[np.ix_(free, free)] = (v * np.clip(w, 0, None)) @ v.T
    return cov


def _draw_treated(model: CommonFactor, params, n_pre: int, n: int, rng) -> np.ndarray:
    """Forward filtering, backward sampling over the post-period: ``n`` joint
    draws of the states given all data, mapped to the treated series with its noise."""
    model.update(params)
    kf = model.ssm.filter()
    a, p = kf.filtered_state, kf.filtered_state_cov
    a_next, p_next = kf.predicted_state, kf.predicted_state_cov
    transition = model.ssm["transition"]
    last = a.shape[1] - 1
    # The gains and conditional covariances do not depend on the draws: one stacked
    # pinv and one stacked eigh for the whole post-period instead of one per day.
    days = np.arange(n_pre, last)
    p_t = np.moveaxis(p[:, :, days], 2, 0)
    p_ahead = np.moveaxis(p_next[:, :, days + 1], 2, 0)
    gains = p_t @ transition.T @ np.linalg.pinv(p_ahead)
    roots = _roots(np.concatenate([p_t - gains @ p_ahead @ np.swapaxes(gains, 1, 2), p[None, :, :, last]]))
    state = a[:, last][:, None] + roots[-1] @ rng.standard_normal((model.k_states, n))
    z = model.design(params)[0]
    out = np.empty((last + 1 - n_pre, n))
    out[-1] = z @ state
    for i in range(len(days) - 1, -1, -1):
        t = days[i]
        mean = a[:, t][:, None] + gains[i] @ (state - a_next[:, t + 1][:, None])
        state = mean + roots[i] @ rng.standard_normal((model.k_states, n))
        out[t - n_pre] = z @ state
    return out + rng.normal(0.0, np.sqrt(params[-(model.m + 1)]), out.shape)


def _roots(cov: np.ndarray) -> np.ndarray:
    """A square root ``r`` of each covariance in the stack (``r @ r.T == cov``), with negative rounding clipped."""
    w, v = np.linalg.eigh((cov + np.swapaxes(cov, 1, 2)) / 2)
    return v * np.sqrt(np.clip(w, 0, None))[:, None, :]
