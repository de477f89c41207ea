"""Personas: planted segments recovered, no personas invented, models that reload."""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score

import smkit
from smkit.params import Config
from smkit.playbooks import personas as pb
from smkit.playbooks.personas import PersonaModel, Preparation, load_model
from smkit.playbooks.personas.traits import trait_table

CJK = r"[\u4e00-\u9fff]"


def planted_audience(n: int = 6000, segments: int = 3, seed: int = 0, structure: bool = True) -> tuple[pd.DataFrame, np.ndarray]:
    """A generated audience with columns unlike the sample's, and its true
    segments; with ``structure=False`` every segment draws from the same
    distributions, so there are no personas to find."""
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, segments, n)
    seg = truth if structure else np.zeros(n, dtype=int)
    minutes = np.exp(rng.normal(np.log([20, 60, 150, 40, 90])[seg % 5], 0.35))
    devices = np.array(["iphone", "android", "pad", "pc"])
    device_p = np.array([[0.85, 0.1, 0.03, 0.02], [0.05, 0.9, 0.03, 0.02], [0.05, 0.05, 0.2, 0.7], [0.25, 0.25, 0.25, 0.25], [0.4, 0.4, 0.1, 0.1]])
    device = np.array([rng.choice(devices, p=device_p[s % 5]) for s in seg])
    topics = np.array(["news", "music", "sports", "cooking", "cars", "pets"])
    topic_sets = [topics[[0, 2, 4]], topics[[1, 5]], topics[[3]], topics[[0, 1]], topics[[2, 3]]]
    chosen = [";".join(rng.choice(topic_sets[s % 5], size=min(len(topic_sets[s % 5]), rng.integers(1, 3)), replace=False)) for s in seg]
    frame = pd.DataFrame(
        {
            "member_id": [f"m{i}" for i in range(n)],
            "minutes_per_day": np.round(minutes, 1),
            "purchases_per_year": rng.poisson(np.array([2, 8, 20, 5, 12])[seg % 5]),
            "device": device,
            "topics": chosen,
            "tenure_years": np.round(rng.gamma(2.0, np.array([0.5, 2.0, 4.0, 1.0, 3.0])[seg % 5]), 1),
        }
    )
    return frame, truth


@pytest.fixture(scope="session")
def audience(sample_store):
    frame = smkit.load("audience", store=sample_store)
    truth = pd.read_csv(sample_store.parent / "sample" / "truth_segments.csv").set_index("user_id").loc[frame["user_id"], "segment"]
    return frame, truth.to_numpy()


# k-means chooses among the default k = 1..8; the other methods among 1..6, which gives the same rows for
# k <= 6 (each k's fits draw from the generator in order) and so the same choice for any k up to 5.
@pytest.mark.parametrize(("method", "k_max"), [("kmeans", 8), ("gmm", 6), ("kprototypes", 6)])
def test_the_sample_segments_are_recovered(audience, method, k_max):
    frame, truth = audience
    model = PersonaModel(method=method, bootstraps=2, k_range=(2, k_max)).fit(frame)
    assert model.has_structure_
    assert adjusted_rand_score(truth, model.labels_) >= 0.8
    assert abs(model.k_ - 4) <= 1


@pytest.mark.parametrize(("seed", "method"), [(1, "kmeans"), (3, "gmm")])  # each method on an audience of its own
def test_other_audiences_with_other_columns(seed, method):
    frame, truth = planted_audience(4000, 3, seed=seed)
    model = PersonaModel(method=method, id_column="member_id", bootstraps=2, k_range=(2, 5)).fit(frame)  # k = 3 is chosen against 4
    assert model.k_ == 3 and adjusted_rand_score(truth, model.labels_) >= 0.8


@pytest.mark.parametrize("method", ["kmeans", "gmm", "kprototypes"])
def test_no_personas_are_invented_where_there_is_no_structure(method):
    frame, _ = planted_audience(4000, 3, seed=2, structure=False)
    model = PersonaModel(method=method, id_column="member_id", bootstraps=2, k_range=(2, 4)).fit(frame)  # k = 1 is chosen against 2
    assert model.k_ == 1 and not model.has_structure_
    result = pb.Result(model, frame)
    text = pb.report.selection_text(result, "en")
    assert f"gap statistic {model.selection_.loc[1, 'gap']:.3f} at k = 1" in text and "adjusted Rand" not in text
    brief = pb.report.brief(result, "zh")
    assert "没有明显的分群" in brief and "4,000" in brief and "gap" not in brief
    assert "form no clear personas" in pb.report.brief(result, "en")
    assert len(model.personas_) == 1 and model.personas_[0].share == 1.0


def test_a_saved_model_scores_new_users_identically(tmp_path):
    frame, _ = planted_audience(3000, 3, seed=4)
    model = PersonaModel(id_column="member_id", bootstraps=1, k_range=(2, 4)).fit(frame)
    new, _ = planted_audience(500, 3, seed=5)
    before = model.predict(new)
    again = load_model(model.save(tmp_path / "model.joblib"))
    np.testing.assert_array_equal(again.predict(new), before)
    np.testing.assert_array_equal(model.predict(frame), model.labels_)  # fit and predict agree
    with pytest.raises(TypeError, match="does not hold a smkit persona model"):
        import joblib

        joblib.dump({"not": "a model"}, tmp_path / "other.joblib")
        load_model(tmp_path / "other.joblib")


def test_preparation_is_chosen_per_column():
    frame = pd.DataFrame(
        {
            "user_id": [f"u{i}" for i in range(400)],
            "spend": np.random.default_rng(0).lognormal(3, 1.5, 400),
            "age": np.random.default_rng(1).normal(30, 5, 400),
            "gender": ["f", "m"] * 200,
            "interests": ["a;b", "b", "c;a", None] * 100,
            "nickname": [f"n{i}" for i in range(400)],
            "constant": 1,
        }
    )
    frame.loc[3, "age"] = np.nan
    prep = Preparation.fit(frame)
    assert prep.logged == ["spend"] and "age" in prep.numeric and "age" not in prep.logged
    assert prep.categorical == {"gender": ["f", "m"]} and sorted(prep.multi["interests"]) == ["a", "b", "c"]
    assert "nickname" in prep.left_out and prep.left_out["constant"] == "constant" and "user_id" not in prep.describe().index
    matrix = prep.transform(frame)
    assert matrix.shape == (400, 2 + 2 + 3) and not np.isnan(matrix).any()


def test_traits_are_lifts_with_tests():
    frame = pd.DataFrame(
        {
            "user_id": range(1000),
            "x": np.r_[np.full(500, 10.0), np.full(500, 20.0)] + np.random.default_rng(0).normal(0, 1, 1000),
            "tag": ["a"] * 400 + ["b"] * 100 + ["b"] * 500,
        }
    )
    labels = np.r_[np.zeros(500, int), np.ones(500, int)]
    table = trait_table(frame, labels, Preparation.fit(frame)).set_index(["persona", "trait"])
    assert table.loc[(0, "a"), "lift"] == pytest.approx(0.8 / 0.4)
    assert table.loc[(0, "a"), "significant"] and table.loc[(1, "high x"), "significant"]
    assert table.loc[(1, "high x"), "lift"] == pytest.approx(frame["x"][500:].mean() / frame["x"].mean())


def test_summary_keys_and_method_registry(audience):
    frame, _ = audience
    result = pb.analyze(pb.Inputs(frame), pb.settings(bootstraps=1, k_max=5))
    summary = result.to_summary()
    assert {"k", "method", "silhouette", "stability_ari", "personas"} <= set(summary)
    assert set(summary["personas"][0]) == {"name", "name_zh", "size", "share", "top_traits"}
    assert sum(p["size"] for p in summary["personas"]) == len(frame)
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in p["name_zh"]) for p in summary["personas"])
    with pytest.raises(ValueError, match="valid methods: kmeans, gmm, kprototypes"):
        PersonaModel(method="dbscan")


def test_small_and_degenerate_inputs_are_explained():
    frame, _ = planted_audience(3000, 3, seed=1)
    with pytest.raises(ValueError, match="6 users are too few for up to 8 personas; at least 40 are needed"):
        PersonaModel(id_column="member_id").fit(frame.head(6))
    only_device = PersonaModel(id_column="member_id", features=["device"], bootstraps=1).fit(frame)  # 4 distinct points
    assert only_device.k_ == 1 and np.isfinite(only_device.selection_["gap"]).all()
    one_column = PersonaModel(id_column="member_id", features=["minutes_per_day"], bootstraps=1).fit(frame)
    assert one_column.k_ == 1 and len(one_column.personas_) == 1


def test_review_cases_names_follow_the_mean_and_new_users_may_lack_columns():
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(
        {
            "user_id": range(600),
            "net_score": np.r_[rng.normal(-3, 0.3, 300), rng.normal(0.8, 0.3, 300)],
            "device": ["a"] * 300 + ["b"] * 300,
            "empty_text": [None] * 600,
        }
    )
    model = PersonaModel(method="kprototypes", k=2, bootstraps=1).fit(frame)
    assert "empty_text" in model.preparation_.left_out
    for persona in model.personas_:
        row = persona.traits[persona.traits["column"] == "net_score"].iloc[0]
        level = "high" if row["in_persona"] > row["overall"] else "low"
        assert level in persona.name.lower()
    assert len(model.predict(frame.drop(columns=["device"]).head(5))) == 5  # unseen or missing category is unknown, not an error


def test_fixed_k_without_structure_is_flagged():
    frame, _ = planted_audience(3000, 3, seed=2, structure=False)
    model = PersonaModel(id_column="member_id", k=4, bootstraps=1).fit(frame)
    assert not model.has_structure_ and model.k_ == 4
    result = pb.Result(model, frame)
    text = pb.report.selection_text(result, "en")
    chosen = model.selection_.loc[4]
    assert "不够清晰或不够稳定" in pb.report.brief(result, "zh") and "Rand" not in pb.report.brief(result, "zh")
    assert f"{chosen['gap']:.3f}" in text and f"adjusted Rand index {chosen['stability_ari']:.2f}" in text and "4 personas" in text


def test_run_reads_the_store_or_a_file_and_the_report_has_one_type_per_function(sample_store, tmp_path):
    from matplotlib.figure import Figure
    from pandas.io.formats.style import Styler

    from smkit import viz

    viz.set_theme()  # the CJK font, as a notebook run has it
    cfg = Config(sample_store, dt.date(2026, 1, 1), dt.date(2026, 1, 31), {})
    s = pb.settings(k=4, bootstraps=1)
    result = pb.run(cfg, s)
    frame = smkit.load("audience", store=sample_store)
    assert len(result.audience) == len(frame) and result.k == 4 and result.has_traits
    for lang in ("zh", "en"):
        tables = [pb.report.preparation_table(result, lang), pb.report.selection_table(result, lang), pb.report.traits_table(result, lang)]
        assert all(isinstance(t, Styler) for t in tables)
        figures = [pb.report.selection_figure(result, lang), pb.report.heatmap_figure(result, lang), pb.report.projection_figure(result, lang)]
        assert all(isinstance(f, Figure) for f in figures)
    assert pb.report.selection_table(result, "en").data.loc[4, "gap statistic"] == result.selection.loc[4, "gap"]
    cards = pb.report.cards_html(result, "en")
    assert all(f"{p.size:,} users" in cards for p in result.personas)
    assert f"{len(frame):,} users" in pb.report.targeting_text(result, "en")
    # the report in Chinese: the brief names the personas and their shares, without statistics
    brief = pb.report.brief(result, "zh")
    largest = max(result.personas, key=lambda p: p.size)
    assert 3 <= len(brief.split("\n\n")) <= 5 and all(re.search(CJK, line) for line in brief.split("\n\n"))
    assert f"「{largest.name_zh}」" in brief and f"{largest.share:.1%}" in brief and "4 类用户画像" in brief
    assert not any(word in brief for word in ("gap", "Rand", "轮廓", "silhouette", "Holm", "p 值"))
    zh_cards = pb.report.cards_html(result, "zh")
    assert all(p.name_zh in zh_cards for p in result.personas) and "users" not in zh_cards and "overall" not in zh_cards
    # in English, no Chinese outside the data (the audience's own values, such as regions)
    data = sorted(
        {str(v) for c in frame.columns if frame[c].dtype == object or str(frame[c].dtype) == "str" for v in frame[c].dropna().unique()}, key=len, reverse=True
    )
    texts = [pb.report.brief(result, "en"), pb.report.method_text(result, "en"), cards, pb.report.targeting_text(result, "en")]
    texts += [t.to_html() for t in (pb.report.preparation_table(result, "en"), pb.report.selection_table(result, "en"), pb.report.traits_table(result, "en"))]
    texts += [
        " ".join(a.get_text() for a in f.findobj(lambda a: hasattr(a, "get_text")))
        for f in (pb.report.heatmap_figure(result, "en"), pb.report.projection_figure(result, "en"))
    ]
    for text in texts:
        for value in data:
            text = text.replace(value, "")
        assert not re.search(CJK, text), re.findall(CJK, text)
    paths = pb.save_outputs(result, tmp_path)
    saved = pd.read_csv(paths["assignments"], encoding="utf-8-sig")
    assert saved["persona"].tolist() == result.model.labels_.tolist()
    np.testing.assert_array_equal(load_model(paths["model"]).predict(frame.head(50)), result.model.labels_[:50])
    data = tmp_path / "audience.csv"
    frame.to_csv(data, index=False)
    from_file = pb.load(cfg, pb.settings(data=str(data)))
    assert len(from_file.audience) == len(frame) and set(frame.columns) <= set(from_file.audience.columns)


def test_settings_parse_lists_and_refuse_bad_values():
    s = pb.settings(features="age，gender; platform", k=0)
    assert s.features == ("age", "gender", "platform") and s.k is None
    assert pb.analysis.model(s).features == ["age", "gender", "platform"]
    with pytest.raises(ValueError, match="valid methods: kmeans, gmm, kprototypes"):
        pb.settings(method="dbscan")
    with pytest.raises(ValueError, match="data: .* does not exist"):
        pb.settings(data="/no/such/audience.csv")


def test_a_large_audience_is_fitted_on_a_sample_and_every_user_assigned_in_batches(monkeypatch):
    from smkit.playbooks.personas import models

    monkeypatch.setattr(models, "FIT_SAMPLE", 2000)
    monkeypatch.setattr(models, "ASSIGN_BATCH", 700)
    frame, truth = planted_audience(n=6000, segments=3, seed=5)
    model = PersonaModel(method="kmeans", bootstraps=2, k_range=(2, 5)).fit(frame)
    assert model.fitted_on_ == 2000 and len(model.labels_) == len(frame)
    assert (model.labels_ == model.predict(frame)).all()  # the batches assign as the fitted model scores
    assert model.k_ == 3 and adjusted_rand_score(truth, model.labels_) >= 0.8
    sizes = pd.Series(model.labels_).value_counts()
    assert sizes.index[0] == 0 and sizes.sum() == len(frame)  # persona 0 the largest, over every user
    small = PersonaModel(method="kmeans", bootstraps=2).fit(frame.head(1500))
    assert small.fitted_on_ == 1500


def test_cards_leave_out_an_active_hour_or_spend_the_export_carries_no_values_for(sample_store):
    """An audience export with the columns present but empty (pandas' NA) gets cards without those lines,
    and the hour and spend lines stay where the values exist."""
    import dataclasses

    cfg = Config(sample_store, dt.date(2026, 1, 1), dt.date(2026, 1, 31), {})
    result = pb.run(cfg, pb.settings(k=3, bootstraps=1))
    assert "最活跃时段" in pb.report.cards_html(result, "zh") and "消费水平" in pb.report.cards_html(result, "zh")
    empty = result.audience.assign(active_hour=pd.array([pd.NA] * len(result.audience), dtype="Int64"), spend_per_month=np.nan)
    cards = pb.report.cards_html(dataclasses.replace(result, audience=empty), "zh")
    assert cards.count("<strong>") == 3 and "最活跃时段" not in cards and "消费水平" not in cards
