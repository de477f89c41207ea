"""A/B statistics against independent references and planted truths.

Reference vectors are copied from the public test suites of GrowthBook's stats
engine (github.com/growthbook/growthbook, packages/stats, MIT licence) and
spotify/confidence (Apache-2.0), and from Evan Miller's sample size
calculator (evanmiller.org); the file and test each comes from is named
beside it. scipy and statsmodels serve as second references.
"""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure
from pandas.io.formats.style import Styler
from scipy import stats as sps
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.power import NormalIndPower
from statsmodels.stats.proportion import proportion_effectsize

from smkit.methods import stats
from smkit.methods.stats import CupedStat, MeanStat, ProportionStat, RatioStat
from smkit.params import Config
from smkit.playbooks import ab_test as pb
from smkit.playbooks.ab_test import codes, design
from smkit.playbooks.ab_test.analysis import Metric, compare

MEAN = Metric("m", "mean", "m")
PROP = Metric("p", "proportion", "p")


def analyze(data: pd.DataFrame, experiment_id: str = "", **params) -> pb.Result:
    """The playbook's analysis of ``data``, with parameters as the notebook passes them."""
    return pb.analyze(pb.Inputs(data, experiment_id), pb.settings(**params))


# --- GrowthBook packages/stats/tests/frequentist/test_tests.py::TestTwoSidedTTest
def test_gb1_welch_mean_metric_relative_and_absolute():
    c = compare(MeanStat(3407, 1396.87, 52377.9767), MeanStat(3461, 2422.7, 134698.29), metric=MEAN)
    assert (round(c.rel_lift, 5), round(c.rel_ci_low, 5), round(c.rel_ci_high, 5), round(c.p_value, 5)) == (0.70732, -0.03526, 1.44989, 0.06191)
    assert (round(c.abs_lift, 5), round(c.abs_ci_low, 5), round(c.abs_ci_high, 5)) == (0.29, 0.04538, 0.53462)
    welch = sps.ttest_ind_from_stats(
        1396.87 / 3407,
        np.sqrt(MeanStat(3407, 1396.87, 52377.9767).variance),
        3407,
        2422.7 / 3461,
        np.sqrt(MeanStat(3461, 2422.7, 134698.29).variance),
        3461,
        equal_var=False,
    )
    assert round(welch.pvalue, 5) == 0.02016  # the absolute test, by scipy


def test_gb2_proportion_relative():
    c = compare(ProportionStat(28, 14), ProportionStat(30, 16), metric=PROP)
    assert (round(c.rel_lift, 5), round(c.rel_ci_low, 5), round(c.rel_ci_high, 5), round(c.p_value, 5)) == (0.06667, -0.47767, 0.61101, 0.80707)


# --- GrowthBook TestSequentialTTest and test_gbstats.py::TestAnalyzeMetricDfSequential
def test_gb3_gb4_always_valid_intervals_and_pvalue():
    c = compare(ProportionStat(3000, 1396), ProportionStat(3461, 2422), metric=PROP, sequential_tuning=5000)
    assert (round(c.seq_rel_ci_low, 5), round(c.seq_rel_ci_high, 5)) == (0.40098, 0.60675)
    c = compare(MeanStat(3000, 1396.87, 52377.9767), MeanStat(3461, 2422.7, 134698.29), metric=MEAN, sequential_tuning=1000)
    assert (round(c.seq_rel_ci_low, 5), round(c.seq_rel_ci_high, 5), c.seq_p_value) == (-0.55844, 1.56516, 1.0)
    c = compare(MeanStat(100, 270, 848.79), MeanStat(120, 300, 869), metric=MEAN, sequential_tuning=600)
    assert c.seq_rel_ci_low == pytest.approx(-0.233322085, abs=1e-9)
    assert c.seq_p_value == pytest.approx(0.892332229, abs=1e-9)
    assert c.p_value == pytest.approx(0.145219005, abs=1e-9)  # fixed horizon
    assert c.prob_beat_control == pytest.approx(0.071834168, abs=1e-6)  # Bayesian
    assert c.expected_loss == pytest.approx(0.075691131, abs=1e-6)


# --- GrowthBook packages/stats/tests/bayesian/test_tests.py
def test_gb5_gb6_bayesian_chance_to_win_and_risk():
    c = compare(ProportionStat(100, 49), ProportionStat(100, 51), metric=PROP)
    assert (round(c.rel_lift, 5), round(c.prob_beat_control, 5), round(c.expected_loss, 5)) == (0.04082, 0.60918, 0.04058)
    c = compare(MeanStat(10, 100, 1002.25), MeanStat(10, 105, 1111.5), metric=MEAN)
    assert (round(c.prob_beat_control, 5), round(c.expected_loss, 5)) == (0.91923, 0.00131)
    assert stats.normal_risk(0.1, 0.05) == pytest.approx((0.1004245351308, 0.0004245351308414), abs=1e-12)
    assert stats.normal_risk(0.01, 4.5e-9) == pytest.approx((0.01, 0.0), abs=1e-12)


def test_chance_to_win_is_not_one_minus_p():
    c = compare(ProportionStat(100, 49), ProportionStat(100, 51), metric=PROP)
    assert abs(c.prob_beat_control - (1 - c.p_value)) > 0.2


# --- GrowthBook test_gbstats.py::TestAnalyzeMetricDfRegressionAdjustment (CUPED)
def test_gb7_cuped():
    control = CupedStat(3001, 300, 600, 210, 415, -20)
    treated = CupedStat(3000, 222, 555, 120, 405, -10)
    c = compare(control, treated, metric=Metric("m", "mean", "m", covariate="pre_m"))
    assert c.mean_control == pytest.approx(0.099966678, abs=1e-9) and c.mean_variant == pytest.approx(0.074)
    assert c.rel_lift == pytest.approx(-0.281707154, abs=1e-9)
    # gbstats' variance for the regression-adjusted relative lift differs from
    # the delta method used here in the fifth digit.
    assert c.p_value == pytest.approx(0.003732549, rel=0.01)
    # pooled slope and the variance it removes, by ordinary least squares on the same sums
    joint = CupedStat(6001, 522, 1155, 330, 820, -30)
    assert joint.covariance / joint.x_variance == pytest.approx(-0.0732119, abs=1e-7)


# --- GrowthBook test_gbstats.py RATIO_STATISTICS_DF (delta method)
def test_gb8_ratio_metric():
    c = compare(RatioStat(100, 270, 848.79, 510, 810, -900), RatioStat(120, 300, 869, 500, 800, -905), metric=Metric("r", "ratio", "m", "d"))
    assert (c.mean_control, c.mean_variant) == (pytest.approx(0.529411765), pytest.approx(0.6))
    assert c.rel_lift == pytest.approx(0.133333333, abs=1e-9)
    assert c.p_value == pytest.approx(0.610663339, abs=1e-9)
    assert c.prob_beat_control == pytest.approx(0.694926359, abs=1e-6)
    assert c.expected_loss == pytest.approx(0.050934045, abs=1e-6)


# --- GrowthBook packages/shared/test/experiments.test.ts; tea-tasting tests/test_multiplicity.py
@pytest.mark.slow
def test_gb9_multiple_testing():
    holm = stats.adjust_pvalues([0.01, 0.04, 0.03, 0.005, 0.55, 0.6], "holm")
    np.testing.assert_allclose(holm, [0.05, 0.12, 0.12, 0.03, 1, 1])
    bh = stats.adjust_pvalues([0.898, 0.138, 0.007, 0.964, 0.538, 0.006, 0.138], "bh")
    np.testing.assert_allclose(bh, [0.964, 0.2415, 0.0245, 0.964, 0.7532, 0.0245, 0.2415], atol=1e-4)
    np.testing.assert_allclose(stats.adjust_pvalues([0.005, 0.06, 0.007, 0.04, 0.01, 0.03], "bh"), [0.02, 0.06, 0.02, 0.048, 0.02, 0.045])
    rng = np.random.default_rng(4)
    for _ in range(20):  # the same numbers as statsmodels
        p = rng.uniform(0, 0.2, rng.integers(1, 30))
        for ours, theirs in (("holm", "holm"), ("bh", "fdr_bh"), ("bonferroni", "bonferroni")):
            np.testing.assert_allclose(stats.adjust_pvalues(p, ours), multipletests(p, method=theirs)[1])
    with pytest.raises(ValueError, match="valid: holm, bh"):
        stats.adjust_pvalues([0.1], "sidak-ish")


# --- spotify/confidence tests/frequentist/test_ttest.py (Welch on sums)
def test_sc2_welch_on_sums():
    c = compare(MeanStat(104, 312, 984), MeanStat(1009, 1969, 5767), metric=MEAN)
    assert c.abs_lift == pytest.approx(-1.0485629, abs=1e-6)
    assert (c.abs_ci_low, c.abs_ci_high) == (pytest.approx(-1.205963, abs=1e-5), pytest.approx(-0.891163, abs=1e-5))
    c = compare(MeanStat(10, 24, 80), MeanStat(150, 330, 1010), metric=MEAN)
    assert c.abs_lift == pytest.approx(-0.2)
    assert (c.abs_ci_low, c.abs_ci_high) == (pytest.approx(-1.340533, abs=1e-5), pytest.approx(0.940533, abs=1e-5))


def test_internal_consistency_at_the_confidence_limit():
    """Shifting the variant by the interval's lower limit puts the p-value at alpha."""
    a, b = MeanStat(500, 1000, 2600), MeanStat(520, 1150, 3100)
    c = compare(a, b, metric=MEAN, alpha=0.1)
    shift = c.abs_ci_low
    moved = MeanStat(b.n, b.total - shift * b.n, b.sum_squares - 2 * shift * b.total + shift**2 * b.n)
    m = compare(a, moved, metric=MEAN, alpha=0.1)
    t_abs = abs(m.abs_lift) / np.sqrt(a.variance / a.n + moved.variance / moved.n)
    dof = stats.welch_dof(a.variance, a.n, moved.variance, moved.n)
    assert 2 * sps.t.sf(t_abs, dof) == pytest.approx(0.1, abs=1e-9)


# --- SRM (section 7.4 of the reference cases: scipy.stats.chisquare against the plan)
@pytest.mark.parametrize(
    "counts, split, p",
    [
        ((1000, 1100), (1, 1), 0.029096),
        ((5000, 5200), (1, 1), 0.047670),
        ((50000, 50600), (1, 1), 0.058531),
        ((3000, 3000, 3200), (1, 1, 1), 0.012935),
        ((9000, 1000), (0.9, 0.1), 1.0),
    ],
)
def test_srm(counts, split, p):
    assert stats.srm_pvalue(counts, split) == pytest.approx(p, abs=1e-6)


# --- design: Evan Miller's calculator and statsmodels
def test_evan_miller_published_example_and_table():
    assert design.design_proportion(0.20, 0.05, relative=False).n_per_variant == 1030
    for p, delta, alpha, power, n in [
        (0.10, 0.01, 0.05, 0.8, 14313),
        (0.05, 0.005, 0.05, 0.8, 30244),
        (0.02, 0.002, 0.05, 0.8, 78039),
        (0.30, 0.03, 0.05, 0.8, 3692),
        (0.10, 0.02, 0.05, 0.9, 4888),
        (0.10, 0.02, 0.01, 0.8, 5366),
    ]:
        assert design.design_proportion(p, delta, relative=False, alpha=alpha, power=power).n_per_variant == n


def test_design_for_means_matches_statsmodels_and_the_reverse_holds():
    d = design.design_mean(30.0, 12.0, 0.05, alpha=0.05, power=0.8, daily_traffic=1000)
    expected = NormalIndPower().solve_power(effect_size=1.5 / 12.0, alpha=0.05, power=0.8, ratio=1.0)
    assert d.n_per_variant == round(expected)
    assert d.days == int(np.ceil(d.n_per_variant * 2 / 1000))
    back = design.detectable_effect(d.n_per_variant, baseline=30.0, sd=12.0)
    assert back.mde_absolute == pytest.approx(1.5, rel=1e-3)
    back = design.detectable_effect(1030, baseline=0.2)
    assert back.mde_absolute == pytest.approx(0.05, abs=1e-4)
    # statsmodels' Cohen's h answer for the same proportions is the documented 3-7% away
    h = NormalIndPower().solve_power(proportion_effectsize(0.25, 0.20), alpha=0.05, power=0.8)
    assert 1.03 < h / 1030 < 1.07


def test_more_variants_split_alpha():
    two, three = design.design_proportion(0.1, 0.1), design.design_proportion(0.1, 0.1, variants=3)
    assert three.n_per_variant > two.n_per_variant and "Bonferroni" in three.method


def test_design_refuses_impossible_inputs():
    with pytest.raises(ValueError, match="between 0 and 1"):
        design.design_proportion(1.2, 0.1)
    with pytest.raises(ValueError, match="positive"):
        design.design_mean(10, 0, 0.1)


# --- calibration by simulation: A/A false positives and interval coverage
def test_false_positive_rate_and_coverage_over_2000_simulated_experiments():
    rng = np.random.default_rng(2026)
    sims, n, p = 2000, 4000, 0.08
    conv_a, conv_b = rng.binomial(n, p, sims), rng.binomial(n, p, sims)
    false_pos = sum(compare(ProportionStat(n, a), ProportionStat(n, b), metric=PROP).p_value < 0.05 for a, b in zip(conv_a, conv_b))
    assert 0.035 <= false_pos / sims <= 0.065
    lift = 0.1
    conv_b = rng.binomial(n, p * (1 + lift), sims)
    covered = 0
    for a, b in zip(conv_a, conv_b):
        c = compare(ProportionStat(n, a), ProportionStat(n, b), metric=PROP)
        covered += c.rel_ci_low <= lift <= c.rel_ci_high
    assert 0.93 <= covered / sims <= 0.97


# --- analysis of data: planted truths, degenerate input, decisions
@pytest.fixture(scope="session")
def experiments(sample_store):
    import smkit

    return smkit.load("experiments", store=sample_store)


def test_the_planted_lift_is_found_and_the_null_is_not_a_win(experiments):
    win = analyze(experiments, "EXP-COVER-01", metrics=["clicks/impressions", "watch_seconds"], guardrails=["hides"], lower_is_better=["hides"])
    ctr = next(c for c in win.comparisons if c.metric == "clicks/impressions")
    assert ctr.rel_ci_low < 0.15 < ctr.rel_ci_high and ctr.p_value_adjusted < 0.05
    watch = next(c for c in win.comparisons if c.metric == "watch_seconds")
    assert watch.rel_ci_low < 0.05 < watch.rel_ci_high and watch.cuped_variance_reduction > 0.5
    assert win.decisions[0].decision == "ship" and win.decisions[0].rule == codes.BETTER and win.decisions[0].metric == "clicks/impressions"
    null = analyze(experiments, "EXP-TITLE-02", metrics=["clicks/impressions", "watch_seconds"])
    assert null.decisions[0].decision != "ship"
    assert all(c.p_value_adjusted > 0.05 for c in null.comparisons)
    summary = win.to_summary()
    assert set(summary) == {"experiment_id", "control", "srm_p_value", "decision", "results"}
    assert set(summary["results"][0]) == {
        "metric",
        "variant",
        "n_control",
        "n_variant",
        "mean_control",
        "mean_variant",
        "abs_lift",
        "abs_ci_low",
        "abs_ci_high",
        "rel_lift",
        "rel_ci_low",
        "rel_ci_high",
        "p_value",
        "p_value_adjusted",
        "prob_beat_control",
        "expected_loss",
    }
    assert f"{ctr.rel_lift:+.1%}" in summary["decision"]["treatment"]["reason"]
    # every report function returns its one type
    for styled in (pb.report.decisions_table(win), pb.report.srm_table(win), pb.report.results_table(win)):
        assert isinstance(styled, Styler)
    assert pb.report.results_table(win, "en").data.loc[("click-through rate", "treatment"), "relative lift"] == pytest.approx(ctr.rel_lift)
    assert pb.report.results_table(win, "zh").data.loc[("点击率", "实验组"), "相对提升"] == pytest.approx(ctr.rel_lift)
    assert isinstance(pb.report.lifts_figure(win), Figure) and isinstance(pb.report.cumulative_lift_figure(win, "treatment"), Figure)
    for text in (pb.report.status_text(win), pb.report.design_text(win), pb.report.brief(win), pb.report.effect_over_time_text(win)):
        assert isinstance(text, str)


def _units(n_control, n_variant, p_control=0.1, p_variant=0.1, seed=1):
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "experiment_id": "E",
            "unit_id": [str(i) for i in range(n_control + n_variant)],
            "variant": ["control"] * n_control + ["b"] * n_variant,
            "converted": np.r_[rng.binomial(1, p_control, n_control), rng.binomial(1, p_variant, n_variant)],
        }
    )


def test_sample_ratio_mismatch_is_shown_and_blocks_shipping():
    data = _units(10000, 10600, 0.10, 0.13)
    result = analyze(data, metrics=["converted"])
    assert result.srm_mismatch and result.comparisons[0].p_value < 1e-4
    d = result.decisions[0]
    assert d.decision == "do not ship" and d.rule == codes.SAMPLE_RATIO
    assert "分组可能出了问题" in pb.report.reason_text(result, d) and "assignment is broken" in pb.report.reason_text(result, d, "en")
    assert stats.format_p(result.srm_p_value) in pb.report.decision_method_text(result)  # the test's p-value: in the method note


def test_a_harmed_guardrail_blocks_shipping():
    data = _units(20000, 20000, 0.10, 0.12)
    rng = np.random.default_rng(3)
    data["hides"] = np.r_[rng.binomial(1, 0.01, 20000), rng.binomial(1, 0.02, 20000)]
    result = analyze(data, metrics=["converted"], guardrails=["hides"], lower_is_better=["hides"])
    d = result.decisions[0]
    assert d.decision == "do not ship" and d.rule == codes.GUARDRAIL and d.metric == "hides"
    hides = result.comparison("hides", "b")
    assert hides.rel_lift > 0 and f"{hides.rel_lift:+.1%}" in pb.report.reason_text(result, d)


def test_peeking_uses_the_always_valid_interval():
    data = _units(3000, 3000, 0.10, 0.115, seed=5)
    early = analyze(data, metrics=["converted"], planned_units=60000)
    c = early.comparisons[0]
    assert early.early and (c.seq_rel_ci_high - c.seq_rel_ci_low) > (c.rel_ci_high - c.rel_ci_low)
    assert early.decisions[0].decision == "keep running" and early.decisions[0].rule == codes.EARLY_INCLUDES_ZERO
    assert f"{c.seq_rel_ci_low:+.1%}" in pb.report.reason_text(early, early.decisions[0])


@pytest.mark.parametrize(
    "data, issue, means",
    [
        (_units(1000, 0).assign(variant=lambda d: np.where(d.index < 999, "control", "b")), codes.FEW_UNITS, None),
        (_units(500, 500).assign(converted=0), codes.NO_VARIANCE, 0.0),
        (_units(500, 500).assign(converted=1), codes.NO_VARIANCE, 1.0),
    ],
)
def test_degenerate_input_is_explained_not_nan(data, issue, means):
    split = (data["variant"].value_counts(normalize=True)).to_dict()  # as planned, so the sample ratio check passes
    result = analyze(data, metrics=["converted"], planned_split=", ".join(f"{k}:{float(v)!r}" for k, v in split.items()))
    c = result.comparisons[0]
    assert c.issue == issue and c.p_value is None
    if issue == codes.FEW_UNITS:
        assert c.n_variant == 1 and "1 unit(s)" in pb.report.note_text(c, "en") and "只有1个样本" in pb.report.note_text(c)
    else:
        assert c.mean_control == c.mean_variant == means
    d = result.decisions[0]
    assert d.decision == "keep running" and d.rule == codes.UNTESTABLE
    assert pb.report.reason_text(result, d) == pb.report.note_text(c) != ""


def test_aggregated_rows_give_the_same_answer_as_units():
    data = _units(4000, 4100, 0.1, 0.12)
    data["watch"] = np.random.default_rng(9).gamma(2.0, 10.0, len(data))
    per_unit = analyze(data, metrics=["converted", "watch"])
    g = data.groupby("variant")
    agg = pd.DataFrame(
        {
            "experiment_id": "E",
            "variant": g.size().index,
            "units": g.size().values,
            "converted": g["converted"].sum().values,
            "watch": g["watch"].sum().values,
            "watch_sq": g["watch"].apply(lambda s: (s**2).sum()).values,
        }
    )
    agg["unit_id"] = None
    by_sums = analyze(agg, metrics=["converted", "watch"])
    for a, b in zip(per_unit.comparisons, by_sums.comparisons):
        assert a.rel_lift == pytest.approx(b.rel_lift) and a.p_value == pytest.approx(b.p_value)


def test_errors_name_the_choices():
    data = _units(100, 100)
    with pytest.raises(ValueError, match="experiment 'X' is not in the data; experiments: E"):
        analyze(data, "X")
    with pytest.raises(ValueError, match="control 'ctl' is not a variant; variants: control, b"):
        analyze(data, control="ctl")
    # a metric the data lacks is skipped with a note, and the data's own metric columns are analysed instead
    r = analyze(data, metrics=["nope"])
    assert [c.metric for c in r.comparisons] == ["converted"]
    assert r.metric_notes == ("nope: skipped (no nope column)", "analysed the metric columns the data has: converted")


def test_a_file_of_experiment_rows_is_read_like_an_export(tmp_path):
    path = tmp_path / "exp.csv"
    path.write_text("实验ID,分组,unit_id,converted\nE9,control,1,0\nE9,control,2,1\nE9,b,3,1\nE9,b,4,1\nE9,b,5,-\n", encoding="utf-8")
    s = pb.settings(data=str(path), metrics="converted")
    inputs = pb.load(Config(tmp_path / "no-store.duckdb", None, None, {}), s)  # a file needs no store
    assert len(inputs.rows) == 5 and set(inputs.rows["variant"]) == {"control", "b"} and inputs.experiment_id == "E9"
    result = pb.analyze(inputs, s)
    assert result.units == {"control": 2, "b": 3} and result.experiment_id == "E9"


def test_settings_split_lists_as_users_type_them():
    s = pb.settings(metrics="clicks/impressions，watch_seconds; converted", guardrails="", planned_units=0, design_sd=0.0)
    assert s.metrics == ("clicks/impressions", "watch_seconds", "converted") and s.guardrails == ()
    assert s.planned_units is None and s.design_sd is None
    with pytest.raises(ValueError, match="unknown correction 'sidak-ish'"):
        pb.settings(correction="sidak-ish")


# --- edge cases a real export brings
def test_a_metric_without_variance_after_cuped_or_in_a_ratio_is_explained():
    rng = np.random.default_rng(0)
    n = 400
    data = pd.DataFrame(
        {
            "experiment_id": "E",
            "unit_id": [str(i) for i in range(n)],
            "variant": ["control", "b"] * (n // 2),
            "m": 3.7,
            "pre_m": rng.normal(10, 2, n),
            "orders": rng.integers(1, 5, n),
        }
    )
    data["revenue"] = 9.99 * data["orders"]
    result = analyze(data, metrics=["m", "revenue/orders"])
    for c in result.comparisons:
        assert c.p_value is None and c.issue == codes.NO_VARIANCE, c


def test_missing_values_are_left_out_not_counted_as_zero():
    rng = np.random.default_rng(6)
    n = 4000
    data = pd.DataFrame({"experiment_id": "E", "unit_id": [str(i) for i in range(n)], "variant": ["control", "b"] * (n // 2), "watch": rng.gamma(4, 25, n)})
    data.loc[(data["variant"] == "b") & (rng.random(n) < 0.3), "watch"] = np.nan
    c = analyze(data, metrics=["watch"]).comparisons[0]
    assert c.n_variant < 1500 and abs(c.rel_lift) < 0.1 and c.p_value > 0.01


def test_a_negative_control_mean_has_no_relative_lift():
    data = pd.DataFrame({"experiment_id": "E", "unit_id": list("abcdef"), "variant": ["control"] * 3 + ["b"] * 3, "delta": [-10, -11, -9, -5, -6, -4]})
    c = analyze(data, metrics=["delta"]).comparisons[0]
    assert c.p_value is None and c.issue == codes.NONPOSITIVE_CONTROL and c.abs_lift == pytest.approx(5.0)
    assert "-10" in pb.report.note_text(c)


def test_aggregated_sums_that_are_not_proportions_need_squares():
    agg = pd.DataFrame({"experiment_id": "E", "variant": ["control", "b"], "units": [1000, 1000], "impressions": [20000, 21000]})
    with pytest.raises(ValueError, match=r"no metric column to analyse \(impressions: skipped \(sums above the units and no impressions_sq column\)\)"):
        analyze(agg, metrics=["impressions"])


def test_an_undetectable_design_is_said_in_words():
    with pytest.raises(ValueError, match="no increase of a 0.9 rate is detectable"):
        design.detectable_effect(100, baseline=0.9)
    data = _units(50, 50)
    result = analyze(data, metrics=["converted"], design_baseline=0.995, design_mde=-0.005)
    assert result.reach is None and result.plan.n_per_variant > 0
    text = pb.report.design_text(result, "en")
    assert "is detectable" in text and "nan" not in text.lower()
    assert "检测不到" in pb.report.design_text(result) and "nan" not in pb.report.design_text(result).lower()


def test_effect_over_time_survives_missing_times_and_empty_days():
    data = _units(300, 300, 0.2, 0.25)
    data["assigned_at"] = pd.date_range("2026-10-01", periods=600, freq="h", tz="Asia/Shanghai")
    data.loc[5, "assigned_at"] = pd.NaT
    result = analyze(data, metrics=["converted"])
    assert result.has_unit_times and len(result.trends) == 1 and result.trends[0].has_days
    assert isinstance(pb.report.cumulative_lift_figure(result, "b"), Figure) and pb.report.effect_over_time_text(result) == ""
    none = data.assign(converted=0)
    flat = analyze(none, metrics=["converted"])
    assert not flat.trends[0].has_days and pb.report.effect_over_time_text(flat, "b") != ""
    aggregated = analyze(pd.DataFrame({"experiment_id": "E", "variant": ["control", "b"], "units": [100, 100], "converted": [10, 12]}))
    assert not aggregated.has_unit_times and pb.report.effect_over_time_text(aggregated) != ""


def test_user_text_in_result_tables_is_escaped():
    data = _units(500, 500).replace({"b": "<img src=x onerror=alert(1)>"})
    result = analyze(data, metrics=["converted"])
    for styled in (pb.report.results_table(result), pb.report.srm_table(result), pb.report.decisions_table(result)):
        page = styled.to_html()
        assert "<img src=x" not in page and "&lt;img src=x" in page


def test_design_dispatches_on_sd():
    assert design.plan(0.2, 0.05, relative=False) == design.design_proportion(0.2, 0.05, relative=False)
    assert design.plan(30.0, 0.05, sd=12.0) == design.design_mean(30.0, 12.0, 0.05)


# --- the report's language (issue 18)
CJK = re.compile(r"[\u4e00-\u9fff]")


def _all_text(result: pb.Result, lang: str) -> str:
    r = pb.report
    texts = [r.brief(result, lang), r.status_text(result, lang), r.results_finding(result, lang), r.design_text(result, lang), r.metrics_text(result, lang)]
    texts += [r.decision_method_text(result, lang), r.effect_over_time_text(result, lang=lang)]
    texts += [t.to_html() for t in (r.decisions_table(result, lang), r.srm_table(result, lang), r.results_table(result, lang))]
    texts += [f"{d['decision_name']} {d['reason']}" for d in result.to_summary(lang)["decision"].values()]  # the words; keys and codes are data
    figures = [r.lifts_figure(result, lang)] + [r.cumulative_lift_figure(result, t.variant, lang) for t in result.trends if t.has_days]
    texts += [t.get_text() for fig in figures for ax in fig.axes for t in (ax.title, ax.xaxis.label, ax.yaxis.label, *ax.get_yticklabels())]
    return "\n".join(texts)


def test_the_decision_in_chinese_and_english_with_a_stable_code(experiments):
    win = analyze(experiments, "EXP-COVER-01", metrics=["clicks/impressions", "watch_seconds"], guardrails=["hides"], lower_is_better=["hides"])
    ctr = win.comparison("clicks/impressions", "treatment")
    brief = pb.report.brief(win)
    assert "实验组**上线**" in brief and f"点击率提升了{ctr.rel_lift:+.1%}（在{ctr.rel_ci_low:+.1%}到{ctr.rel_ci_high:+.1%}之间）" in brief
    assert 3 <= brief.count("。") <= 5
    for word in ("p 值", "p-value", "Holm", "always-valid", "随时可看", "贝叶斯"):
        assert word not in brief, word
    zh, en = win.to_summary("zh"), win.to_summary("en")
    assert zh["decision"]["treatment"]["decision"] == en["decision"]["treatment"]["decision"] == "ship"  # the machine code stays
    assert zh["decision"]["treatment"]["decision_name"] == "上线" and en["decision"]["treatment"]["decision_name"] == "Ship"
    assert CJK.search(zh["decision"]["treatment"]["reason"]) and "click-through rate rose" in en["decision"]["treatment"]["reason"]
    assert json.dumps(zh["results"]) == json.dumps(en["results"]) and zh["srm_p_value"] == en["srm_p_value"]
    null = analyze(experiments, "EXP-TITLE-02", metrics=["clicks/impressions", "watch_seconds"])
    assert "实验组**不上线**" in pb.report.brief(null) and "**Do not ship**" in pb.report.brief(null, "en")
    early = analyze(_units(3000, 3000, 0.10, 0.115, seed=5), metrics=["converted"], planned_units=60000)
    assert "**继续观察**" in pb.report.brief(early) and "计划样本的10%" in pb.report.brief(early)


def test_no_chinese_in_english_and_no_code_in_chinese(experiments):
    for experiment in ("EXP-COVER-01", "EXP-TITLE-02"):
        result = analyze(experiments, experiment, metrics=["clicks/impressions", "watch_seconds", "converted"], guardrails=["hides"], lower_is_better=["hides"])
        assert not CJK.search(_all_text(result, "en"))
        zh = _all_text(result, "zh")
        for code in ("do not ship", "keep running", "treatment", "clicks/impressions", "watch_seconds", "no_effect", "better"):
            assert code not in zh, code
    r = analyze(_units(100, 100), metrics=["nope"])
    assert pb.report.metrics_text(r) == "- nope：未分析（没有 nope 列）\n- 改为分析数据中已有的指标列：converted"
    # a column of the experiments table analysed in place of a missing metric is named, not shown as its code
    assert pb.report.metric_name("impressions", "zh") == "曝光量" and "impressions" not in _all_text(
        analyze(experiments, "EXP-TITLE-02", metrics=["impressions"]), "zh"
    )
    with pytest.raises(ValueError, match="valid: zh, en"):
        pb.settings(lang="fr")


def test_the_notebook_takes_lang_last_and_has_each_prose_cell_in_both_languages():
    from pathlib import Path

    cells = json.loads((Path(__file__).parents[1] / "notebooks" / "ab_test.ipynb").read_text(encoding="utf-8"))["cells"]
    parameters = next(c for c in cells if "parameters" in c["metadata"].get("tags", []))
    assert "".join(parameters["source"]).splitlines()[-1].startswith('lang: str = "zh"')
    tags = [c["metadata"].get("tags", []) for c in cells if c["cell_type"] == "markdown"]
    assert tags.count(["lang-zh"]) == tags.count(["lang-en"]) == len(tags) // 2
