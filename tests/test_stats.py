"""Shared statistics for rates over posts: checked against statsmodels and planted truths."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from smkit.methods import stats


def test_rate_ratio_interval_covers_a_planted_ratio_at_its_nominal_rate():
    rng = np.random.default_rng(1)
    covered, planted_ratio = 0, 0.7
    for _ in range(400):
        views_a, views_b = np.exp(rng.normal(8, 1, 80)), np.exp(rng.normal(8, 1, 120))
        inter_a = rng.poisson(views_a * 0.03 * planted_ratio * np.exp(rng.normal(0, 0.35, 80)))
        inter_b = rng.poisson(views_b * 0.03 * np.exp(rng.normal(0, 0.35, 120)))
        r = stats.rate_ratio(inter_a, views_a, inter_b, views_b)
        covered += r["ci_low"] < planted_ratio < r["ci_high"]
    assert 0.92 <= covered / 400 <= 0.975


def test_weekly_growth_matches_a_quasi_poisson_fit_and_finds_planted_growth():
    rng = np.random.default_rng(3)
    counts = pd.Series(rng.poisson(200 * 1.05 ** np.arange(12)))
    g = stats.weekly_growth(counts)
    ref = sm.GLM(counts.to_numpy(), sm.add_constant(np.arange(12.0)), family=sm.families.Poisson()).fit(scale="X2")
    assert g["growth"] == pytest.approx(np.expm1(ref.params[1]))
    assert g["ci_low"] < 0.05 < g["ci_high"] and g["ci_low"] > 0
    assert np.isnan(stats.weekly_growth(pd.Series([3, 4, 5]))["growth"])  # three weeks are too few


def test_degenerate_rates_give_nan_not_warnings():
    with np.errstate(all="raise"):
        r = stats.rate_ratio(np.array([1.0]), np.array([10.0]), np.array([]), np.array([]))
        assert np.isnan(r["ratio"]) and r["ours"] == 0.1 and np.isnan(r["theirs"])
        assert all(np.isnan(stats.rate_interval(stats.ratio_stat(np.zeros(5), np.ones(5)))))
