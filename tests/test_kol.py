"""KOL selection (issue 22, part 3): the creators table, its sample with planted truth,
the shrunk estimates, the fraud signals, audience fit and the knapsack shortlist."""

from __future__ import annotations

import dataclasses
import itertools
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from smkit.data.ingest import prepare
from smkit.methods import stats
from smkit.playbooks import kol_selection as kol
from smkit.playbooks.kol_selection import engagement as eng
from smkit.playbooks.kol_selection import shortlist as sl
from smkit.playbooks.kol_selection import signals as sig
from smkit.playbooks.kol_selection.fit import audience_fit, target_from_mapping
from smkit.sample.creators import creators as make_creators
from smkit.sample.creators import target_shares
from smkit.sample.world import DEFAULT_END

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "data" / "examples" / "kol_creators.csv"


def _world(tmp_path: Path, seed: int, bought: bool = True):
    """A creator list and its history from the sample generator, read back as exports."""
    raw, history, truth = make_creators(np.random.default_rng(np.random.SeedSequence([seed, 221])), pd.Timestamp(DEFAULT_END), bought=bought)
    raw.to_csv(tmp_path / "c.csv", index=False)
    history.to_csv(tmp_path / "h.csv", index=False)
    creators = prepare(tmp_path / "c.csv", "creators").frame
    history = prepare(tmp_path / "h.csv", "creator_daily").frame
    inputs = kol.Inputs(creators, history, target_shares(), "audience", pd.DataFrame(), "c.csv")
    result = kol.analyze(inputs, kol.settings(budget=200_000))
    merged = result.creators.merge(pd.DataFrame(truth["creators"]).drop(columns=["price"]), on=["creator", "platform"])
    assert len(merged) == len(result.creators) == truth["n"]
    return result, merged


@pytest.fixture(scope="module", params=[7, 9, 11])
def planted_world(request, tmp_path_factory):
    return _world(tmp_path_factory.mktemp(f"kol{request.param}"), request.param)


@pytest.fixture(scope="module", params=[7, 8])
def null_world(request, tmp_path_factory):
    return _world(tmp_path_factory.mktemp(f"kolnull{request.param}"), request.param, bought=False)


# ---------------------------------------------------------------- the export and its parsing


def test_the_bundled_creator_list_is_the_samples_export_and_reads_cleanly():
    raw, _, _ = make_creators(np.random.default_rng(np.random.SeedSequence([7, 221])), pd.Timestamp(DEFAULT_END))
    assert EXAMPLE.read_text(encoding="utf-8") == raw.to_csv(index=False, lineterminator="\n", float_format="%.6g")
    prepared = prepare(EXAMPLE, "creators")
    assert prepared.quarantine.empty and len(prepared.frame) == 240
    first = prepared.frame.set_index("creator").loc["光影小鹿"]
    assert first["platform"] == "douyin" and first["followers"] == 155_000 and first["price"] == 10_000  # 15.5万, ¥10,000
    assert first["female_share"] == pytest.approx(0.21) and first["age_45_plus"] == pytest.approx(0.705) and first["top_region"] == "华东"


def test_messy_values_and_the_other_platforms_headers(tmp_path):
    path = tmp_path / "xingtu.csv"
    path.write_text(
        "昵称,平台,粉丝量,平均赞藏,平均评论数,平均转发,近30天笔记数,一口价,女粉占比,18-24,25-34岁,粉丝地域,地域占比,领域\n"
        "阿木,小红书,1.2万,3k,35,-,4,￥3千,62%,40%,35%,华东,22%,家居\n"
        "Momo,B站,8500,900,40,12,9,2500元,0.5,0.3,0.4,华南,0.3,数码\n",
        encoding="utf-8",
    )
    frame = prepare(path, "creators").frame.set_index("creator")
    assert frame.loc["阿木", "followers"] == 12_000 and frame.loc["阿木", "avg_likes"] == 3_000 and frame.loc["阿木", "price"] == 3_000
    assert pd.isna(frame.loc["阿木", "avg_shares"]) and frame.loc["阿木", "posts_30d"] == 4 and frame.loc["阿木", "category"] == "家居"
    assert frame.loc["Momo", "platform"] == "bilibili" and frame.loc["Momo", "price"] == 2_500 and frame.loc["Momo", "age_25_34"] == 0.4


def test_a_bad_row_is_refused_naming_file_row_and_column(tmp_path):
    path = tmp_path / "list.csv"
    path.write_text("达人昵称,平台,粉丝数,报价\n甲,抖音,1.2万,¥3000\n乙,抖音,很多,¥2000\n丙,抖音,5万,¥100\n", encoding="utf-8")
    with pytest.raises(kol.CreatorFileError) as err:
        kol.inputs.read_creator_file(path)
    message = str(err.value)
    assert str(path) in message and "row 3" in message and "followers" in message and "很多" in message and "\n" not in message


def test_a_share_above_one_is_refused(tmp_path):
    path = tmp_path / "list.csv"
    path.write_text("达人昵称,平台,粉丝数,女性占比\n甲,抖音,1.2万,62\n", encoding="utf-8")
    with pytest.raises(kol.CreatorFileError, match=r"row 2: female_share is outside 0..1"):
        kol.inputs.read_creator_file(path)


def test_settings_refuse_bad_parameters():
    with pytest.raises(ValueError, match="budget"):
        kol.settings(budget=0)
    with pytest.raises(ValueError, match="objective"):
        kol.settings(objective="followers")
    with pytest.raises(ValueError, match="target_audience"):
        kol.settings(target_audience="female:1.7")
    s = kol.settings(platforms="抖音，小红书", target_audience="female:0.7, 25-34岁:0.5, 华东:0.3")
    assert s.platforms == ("douyin", "xiaohongshu")
    assert s.target_audience == {"female_share": 0.7, "age_25_34": 0.5, "region:华东": 0.3}


# ---------------------------------------------------------------- shrinkage


def test_shrinkage_matches_a_hand_computation():
    y, v, prior = np.array([0.0, 2.0]), np.array([1.0, 0.25]), np.array([1.0, 1.0])
    got = stats.shrink_known_variance(y, v, prior, tau2=0.25)
    # B = v / (v + tau2) = 0.8 and 0.5; estimate = B * prior + (1 - B) * y
    assert got.weight == pytest.approx([0.8, 0.5])
    assert got.estimate == pytest.approx([0.8, 1.5])
    assert got.variance == pytest.approx([0.2, 0.125])
    # the same posterior by precision weighting
    precision = 1 / v + 1 / 0.25
    assert got.estimate == pytest.approx((y / v + prior / 0.25) / precision)
    assert got.variance == pytest.approx(1 / precision)
    # method of moments: mean((y - prior)^2 - v) = ((1 - 1) + (1 - 0.25)) / 2
    assert stats.shrink_known_variance(y, v, prior).tau2 == pytest.approx(0.375)
    assert stats.shrink_known_variance(y, np.array([2.0, 2.0]), prior).weight == pytest.approx([1.0, 1.0])  # noise explains all: full shrinkage


def test_a_creator_with_one_post_moves_toward_the_norm_by_the_stated_weight():
    rng = np.random.default_rng(3)
    n = 60
    followers = np.round(10 ** rng.uniform(4, 6, n))
    creators = pd.DataFrame(
        {
            "platform": "douyin",
            "creator": [f"c{i}" for i in range(n)],
            "category": "家居",
            "followers": followers,
            "avg_likes": followers * 0.02 * np.exp(rng.normal(0, 0.4, n)),
            "avg_comments": 0.0,
            "avg_shares": 0.0,
            "posts_30d": np.where(np.arange(n) == 0, 1, 20),
        }
    )
    norm = eng.fit_norm(creators, pd.Series(True, index=creators.index))
    est = eng.expected_engagements(creators, norm)
    tau2 = float(norm.tau2.iloc[0])
    v1, v20 = np.log1p(eng.POST_CV2 / 1), np.log1p(eng.POST_CV2 / 20)
    assert est.loc[0, "shrink_weight"] == pytest.approx(v1 / (v1 + tau2))
    assert est.loc[1, "shrink_weight"] == pytest.approx(v20 / (v20 + tau2))
    assert est.loc[0, "shrink_weight"] > 0.4 > est.loc[1, "shrink_weight"]
    y0, prior0 = np.log(creators.loc[0, "avg_likes"]), norm.predicted.iloc[0]
    w = est.loc[0, "shrink_weight"]
    assert np.log(est.loc[0, "expected"]) == pytest.approx(w * prior0 + (1 - w) * y0)
    assert est.loc[0, "expected_low"] < est.loc[0, "expected"] < est.loc[0, "expected_high"]


def test_the_norm_regression_agrees_with_statsmodels_rlm():
    import statsmodels.api as sm

    rng = np.random.default_rng(5)
    n = 40
    f = 10 ** rng.uniform(4, 6, n)
    e = 0.03 * f**0.85 * np.exp(rng.normal(0, 0.3, n))
    creators = pd.DataFrame({"platform": "weibo", "creator": [f"c{i}" for i in range(n)], "followers": f, "avg_likes": e, "posts_30d": 10})
    norm = eng.fit_norm(creators, pd.Series(True, index=creators.index))
    fit = sm.RLM(np.log(e), sm.add_constant(np.log(f)), M=sm.robust.norms.HuberT()).fit()
    assert norm.predicted.to_numpy() == pytest.approx(fit.fittedvalues)


# ---------------------------------------------------------------- the knapsack


def test_the_knapsack_finds_the_optimum_a_ranking_misses():
    # value per yuan ranks item 0 first (6/yuan), then 1 (5), then 2 (4): greedy takes 0 and 1 for 160;
    # the optimum is items 1 and 2 for 220, which exactly spends the budget.
    chosen = sl.knapsack(np.array([60.0, 100.0, 120.0]), np.array([10.0, 20.0, 30.0]), 50)
    assert chosen.tolist() == [False, True, True]
    # an item dearer than the budget, or worth nothing, is never chosen
    assert sl.knapsack(np.array([5.0, 0.0, 1.0]), np.array([60.0, 1.0, 1.0]), 50).tolist() == [False, False, True]
    assert sl.by_followers(np.array([9e6, 5e5, 1e5]), np.array([45.0, 20.0, 5.0]), 50).tolist() == [True, False, True]


def test_the_knapsack_is_exact_against_brute_force_and_scipy_milp():
    from scipy.optimize import Bounds, LinearConstraint, milp

    rng = np.random.default_rng(11)
    for _ in range(20):
        n = 10
        values = rng.lognormal(5, 1, n)
        costs = rng.integers(1, 40, n) * 100.0
        budget = float(rng.integers(20, 120) * 100)
        chosen = sl.knapsack(values, costs, budget)
        assert costs[chosen].sum() <= budget
        best = max(
            (values[list(s)].sum() for r in range(n + 1) for s in itertools.combinations(range(n), r) if costs[list(s)].sum() <= budget),
            default=0.0,
        )
        assert values[chosen].sum() == pytest.approx(best)
        ref = milp(-values, constraints=LinearConstraint(costs[None, :], -np.inf, budget), integrality=np.ones(n), bounds=Bounds(0, 1))
        assert values[chosen].sum() == pytest.approx(values[ref.x > 0.5].sum())


def test_prices_that_are_not_whole_hundreds_use_coarser_steps_and_stay_within_budget():
    rng = np.random.default_rng(2)
    costs = rng.uniform(1_000, 90_000, 200)
    values = rng.lognormal(8, 1, 200)
    budget = 1_000_000.37
    assert sl.budget_unit(costs, budget) == pytest.approx(budget / sl.MAX_CELLS)
    chosen = sl.knapsack(values, costs, budget)
    assert chosen.any() and costs[chosen].sum() <= budget
    assert sl.budget_unit(np.array([3_000.0, 12_500.0]), 200_000) == 500


# ---------------------------------------------------------------- audience fit


def test_audience_fit_is_one_minus_total_variation_per_dimension():
    creators = pd.DataFrame(
        {
            "female_share": [0.7, 0.2],
            "age_under_18": [0.0, 0.5],
            "age_18_24": [0.5, 0.5],
            "age_25_34": [0.5, 0.0],
            "age_35_44": [0.0, 0.0],
            "age_45_plus": [0.0, 0.0],
            "top_region": ["华东", "西北"],
            "top_region_share": [0.4, 0.5],
        }
    )
    target = target_from_mapping({"female": 0.6, "18-24": 0.5, "25-34": 0.5, "华东": 0.3})
    fit = audience_fit(creators, target)
    assert fit["fit_gender"].tolist() == pytest.approx([0.9, 0.6])
    assert fit["fit_age"].tolist() == pytest.approx([1.0, 0.5])
    assert fit["fit_region"].tolist() == pytest.approx([0.3 + 0.6, 0.0 + 0.5])  # min(r, b) + min(1 - r, 1 - b)
    assert fit["fit"].tolist() == pytest.approx([(0.9 + 1.0 + 0.9) / 3, (0.6 + 0.5 + 0.5) / 3])
    assert audience_fit(creators, {})["fit"].isna().all()


# ---------------------------------------------------------------- planted truth


def test_planted_bought_followers_and_likes_are_flagged_and_honest_creators_are_not(planted_world):
    _, m = planted_world
    fake = m["kind"] != "honest"
    recall = (m["suspicious"] & fake).sum() / fake.sum()
    false_rate = (m["suspicious"] & ~fake).sum() / (~fake).sum()
    assert recall >= 0.8, recall
    assert false_rate <= 0.10, false_rate
    # each kind is caught by the signal meant for it
    likes = m[m["kind"] == "bought_likes"]
    assert likes["comment_like_ratio"].mean() >= 0.8
    jumped = m[m["jump_in_history"]]
    assert jumped["follower_jump"].all()
    assert not m.loc[m["kind"] == "honest", "follower_jump"].any()


def test_a_null_world_flags_few(null_world):
    result, m = null_world
    assert (m["kind"] == "honest").all()
    assert m["suspicious"].mean() <= 0.10, m["suspicious"].mean()
    assert not m["follower_jump"].any()  # a viral day (up to 4%) is below the 5% threshold


def test_the_shortlist_beats_a_follower_ranking_on_planted_engagements_per_yuan(planted_world):
    result, m = planted_world
    assert m.loc[m["shortlisted"], "price"].sum() <= result.budget
    assert not (m["shortlisted"] & m["suspicious"]).any()
    naive = sl.by_followers(m["followers"].to_numpy(), m["price"].to_numpy(), result.budget)

    def per_yuan(mask) -> float:
        return m.loc[mask, "true_engagements_per_post"].sum() / m.loc[mask, "price"].sum()

    assert per_yuan(m["shortlisted"]) > 1.15 * per_yuan(naive)  # 1.3 to 2.3 times on these worlds; the set maximises fit-weighted engagements


def test_shrunk_estimates_are_closer_to_the_planted_truth_and_their_intervals_cover_it(planted_world):
    _, m = planted_world
    honest = m[m["kind"] == "honest"]
    truth = honest["true_engagements_per_post"]
    own = np.sqrt((np.log(honest["own_average"] / truth) ** 2).mean())
    shrunk = np.sqrt((np.log(honest["expected"] / truth) ** 2).mean())
    assert shrunk < 0.85 * own
    covered = ((honest["expected_low"] <= truth) & (truth <= honest["expected_high"])).mean()
    assert 0.85 <= covered <= 0.99


def test_planted_on_target_audiences_fit_better(planted_world):
    _, m = planted_world
    on, off = m.loc[m["on_target"], "fit"], m.loc[~m["on_target"], "fit"]
    # the chance that a random on-target creator fits better than a random off-target one
    auc = (on.to_numpy()[:, None] > off.to_numpy()[None, :]).mean()
    assert auc > 0.95 and on.mean() - off.mean() > 0.25


def test_the_summary_lists_every_creator(planted_world):
    result, _ = planted_world
    summary = result.to_summary("zh")
    assert len(summary["creators"]) == len(result.creators)
    row = summary["creators"][0]
    assert {"creator", "platform", "suspicious", "signals", "expected_cpe", "shortlisted"} <= set(row)
    assert summary["spent"] <= summary["budget"] == 200_000 and summary["expected_engagements"] > 0
    assert all(set(r["signals"]) <= set(sig.SIGNALS) and r["suspicious"] == bool(r["signals"]) for r in summary["creators"])
    assert summary["thresholds"] == {"low_engagement_z": -2.5, "comment_like_ratio_z": 3.0, "follower_jump_mad": 10.0, "follower_jump_share": 0.05}


def test_report_text_in_both_languages(planted_world):
    result, _ = planted_world
    zh, en = kol.report.brief(result, "zh"), kol.report.brief(result, "en")
    assert "位达人" in zh and "¥200,000" in zh and "creators" in en and "¥200,000" in en
    assert kol.report.shortlist_table(result, "zh").data.shape[0] == int(result.creators["shortlisted"].sum())
    assert kol.report.suspicious_table(result, "en").data.shape[0] == int(result.creators["suspicious"].sum())
    assert kol.report.tiers_table(result, "zh").data.shape[0] == 4


def test_a_list_without_head_kols_says_so_instead_of_a_zero(tmp_path):
    # a hand-written 千瓜-style list whose biggest account has 450,000 followers
    (tmp_path / "q.csv").write_text(
        "达人昵称,平台,粉丝数,平均赞藏,平均评论,平均分享,近30天作品数,图文报价\n"
        '小满的厨房,小红书,12.5万,3200,210,88,12,"¥8,000"\n'
        "阿杰测评,小红书,3.2万,950,60,12,20,2500元\n"
        'Momo穿搭,小红书,45万,1.1万,800,300,8,"￥32,000"\n'
        "糖糖日记,小红书,6.8万,2100,150,40,15,4k\n",
        encoding="utf-8",
    )
    creators = prepare(tmp_path / "q.csv", "creators").frame
    result = kol.analyze(kol.Inputs(creators, pd.DataFrame(), None, "none", pd.DataFrame(), "q.csv"), kol.settings(budget=30_000))
    assert not result.creators["tier"].eq("head").any() and result.creators["shortlisted"].any()
    zh, en = kol.report.brief(result, "zh"), kol.report.brief(result, "en")
    assert "名单上没有合格的头部达人" in zh and "只选头部达人预计只有" not in zh
    assert "no eligible head KOL" in en and "head KOLs alone would bring" not in en
    assert "没有合格的头部达人可以比较" in kol.report.tiers_finding(result, "zh")


def test_an_empty_shortlist_says_why_no_prices_or_a_budget_below_every_price(tmp_path):
    # a list exported without its price column filled, then the same list with prices above the budget
    header = "达人昵称,平台,粉丝数,平均赞藏,平均评论,平均分享,近30天作品数,图文报价\n"
    rows = [
        "小满的厨房,小红书,12.5万,3200,210,88,12,{}",
        "阿杰测评,小红书,3.2万,950,60,12,20,{}",
        "Momo穿搭,小红书,45万,1.1万,800,300,8,{}",
        "糖糖日记,小红书,6.8万,2100,150,40,15,{}",
    ]
    texts = {}
    for name, prices in (("none", [""] * 4), ("dear", ["9000", "5000", "32000", "7000"])):
        path = tmp_path / f"{name}.csv"
        path.write_text(header + "\n".join(r.format(p) for r, p in zip(rows, prices)) + "\n", encoding="utf-8")
        creators = prepare(path, "creators").frame
        result = kol.analyze(kol.Inputs(creators, pd.DataFrame(), None, "none", pd.DataFrame(), path.name), kol.settings(budget=1_000))
        assert not result.creators["shortlisted"].any() and result.creators["expected"].notna().all()
        texts[name] = {
            lang: (kol.report.brief(result, lang), kol.report.shortlist_finding(result, lang), kol.report.tiers_finding(result, lang)) for lang in ("zh", "en")
        }
    brief, finding, tiers = texts["none"]["zh"]
    assert all("没有可用的达人报价" in t for t in (brief, finding, tiers)) and "连一位合格达人的报价都不够" not in brief
    assert "No creator on the list has a price" in texts["none"]["en"][0]
    flagged = dataclasses.replace(result, creators=result.creators.assign(suspicious=True, eligible=False))  # priced, all flagged
    assert "没有合格达人" in kol.report.shortlist_finding(flagged, "zh") and "没有可用的达人报价" not in kol.report.shortlist_finding(flagged, "zh")
    assert all("¥1,000 连一位合格达人的报价都不够" in t for t in texts["dear"]["zh"]) and "没有可用的达人报价" not in texts["dear"]["zh"][0]
