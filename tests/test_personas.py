"""Personas: planted segments recovered, no personas invented, models that reload."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score

import smkit
from smkit.playbooks import personas
from smkit.playbooks.personas import PersonaModel, Preparation, load_model, planted_audience


@pytest.fixture(scope="module")
def audience(sample_store):
    frame = smkit.load("audience", store=sample_store)
    truth = pd.read_csv(sample_store.parent / "sample" / "truth_segments.csv").set_index("user_id").loc[frame["user_id"], "segment"]
    return frame, truth.to_numpy()


@pytest.mark.parametrize("method", ["kmeans", "gmm", "kprototypes"])
def test_the_sample_segments_are_recovered(audience, method):
    frame, truth = audience
    model = PersonaModel(method=method, bootstraps=2).fit(frame)
    assert model.has_structure_
    assert adjusted_rand_score(truth, model.labels_) >= 0.8
    assert abs(model.k_ - 4) <= 1


@pytest.mark.parametrize("seed", [1, 3])
@pytest.mark.parametrize("method", ["kmeans", "gmm"])
def test_other_audiences_with_other_columns(seed, method):
    frame, truth = planted_audience(4000, 3, seed=seed)
    model = PersonaModel(method=method, id_column="member_id", bootstraps=2).fit(frame)
    assert model.k_ == 3 and adjusted_rand_score(truth, model.labels_) >= 0.8


@pytest.mark.parametrize("method", ["kmeans", "gmm", "kprototypes"])
def test_no_personas_are_invented_where_there_is_no_structure(method):
    frame, _ = planted_audience(4000, 3, seed=2, structure=False)
    model = PersonaModel(method=method, id_column="member_id", bootstraps=2).fit(frame)
    assert model.k_ == 1 and not model.has_structure_
    assert personas.selection_text(model).startswith("**No clear personas.**")
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
    frame = pd.DataFrame({
        "user_id": [f"u{i}" for i in range(400)],
        "spend": np.random.default_rng(0).lognormal(3, 1.5, 400),
        "age": np.random.default_rng(1).normal(30, 5, 400),
        "gender": ["f", "m"] * 200,
        "interests": ["a;b", "b", "c;a", None] * 100,
        "nickname": [f"n{i}" for i in range(400)],
        "constant": 1,
    })
    frame.loc[3, "age"] = np.nan
    prep = Preparation.fit(frame)
    assert prep.logged == ["spend"] and "age" in prep.numeric and "age" not in prep.logged
    assert prep.categorical == {"gender": ["f", "m"]} and sorted(prep.multi["interests"]) == ["a", "b", "c"]
    assert "nickname" in prep.left_out and prep.left_out["constant"] == "constant" and "user_id" not in prep.describe().index
    matrix = prep.transform(frame)
    assert matrix.shape == (400, 2 + 2 + 3) and not np.isnan(matrix).any()


def test_traits_are_lifts_with_tests():
    frame = pd.DataFrame({"user_id": range(1000), "x": np.r_[np.full(500, 10.0), np.full(500, 20.0)] + np.random.default_rng(0).normal(0, 1, 1000),
                          "tag": ["a"] * 400 + ["b"] * 100 + ["b"] * 500})
    labels = np.r_[np.zeros(500, int), np.ones(500, int)]
    table = personas.trait_table(frame, labels, Preparation.fit(frame)).set_index(["persona", "trait"])
    assert table.loc[(0, "a"), "lift"] == pytest.approx(0.8 / 0.4)
    assert table.loc[(0, "a"), "significant"] and table.loc[(1, "high x"), "significant"]
    assert table.loc[(1, "high x"), "lift"] == pytest.approx(frame["x"][500:].mean() / frame["x"].mean())


def test_summary_keys_and_method_registry(audience):
    frame, _ = audience
    model = PersonaModel(bootstraps=1, k_range=(2, 5)).fit(frame)
    summary = model.to_summary()
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
    frame = pd.DataFrame({"user_id": range(600), "net_score": np.r_[rng.normal(-3, 0.3, 300), rng.normal(0.8, 0.3, 300)],
                          "device": ["a"] * 300 + ["b"] * 300, "empty_text": [None] * 600})
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
    assert not model.has_structure_ and personas.selection_text(model).startswith("**Weak structure")
