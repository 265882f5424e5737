"""The ICC robustness model against the scoring engine: two code paths for one rule must agree."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from icc.data.demo import generate_answers
from icc.engine import published, score_answers
from icc.engine.composite import rank_desc
from icc.engine.robustness import IccModel, icc_assumptions, reweighted, study
from icc.engine.uncertainty import Alternative, Assumptions, WeightNoise, draw_design, uncertainty
from icc.framework import load_shipped

CITIES = [
    "oslo",
    "bilbao",
    "bergen",
    "lublin",
    "tilburg",
    "haifa",
    "botkyrka",
    "amadora",
    "genova",
    "paris",
    "munich",
    "limassol",
    "novellara",
    "arezzo",
    "coimbra",
]


@pytest.fixture(scope="module")
def fw():
    return load_shipped("icc-2019")


@pytest.fixture(scope="module")
def answers(fw):
    return generate_answers(fw, CITIES, 2025).droplevel("edition")


def _with_rules(fw, **rules):
    copy = fw.model_copy(deep=True)
    for k, v in rules.items():
        setattr(copy.rules, k, v)
    return copy


def test_the_nominal_run_is_the_published_core_index(fw, answers):
    model = IccModel(answers, fw)
    assert_allclose(
        model.scores({}, None)[0], published(score_answers(answers, fw)["index_core"].to_numpy()), atol=1e-9
    )


def test_the_lens_per_sub_area_alternative_is_the_engines_per_subarea_rule(fw, answers):
    model = IccModel(answers, fw)
    per_sub = score_answers(answers, _with_rules(fw, lens_in_index="per_subarea"))["index_core"].to_numpy()
    got = model.scores({"Lens": Alternative("per_subarea", "aggregate")}, None)[0]
    assert_allclose(got, published(per_sub), atol=1e-9)


@pytest.mark.parametrize("rule", ["zero", "exclude"])
def test_the_dont_know_alternatives_are_the_engines_rules(fw, answers, rule):
    model = IccModel(answers, fw)
    expected = score_answers(answers, _with_rules(fw, dont_know=rule))["index_core"].to_numpy()
    got = model.scores({"DontKnow": Alternative(rule, "scoring")}, None)[0]
    assert_allclose(got, published(expected), atol=1e-9)


def test_the_geometric_alternative_is_the_weighted_geometric_mean_with_a_floor_of_one_point(fw, answers):
    model = IccModel(answers, fw)
    scores = score_answers(answers, fw)
    core = [a for a in fw.areas if a.core]
    x = np.column_stack([np.maximum(scores[a.id].to_numpy(), 1.0) for a in core])
    w = np.array([a.weight for a in core])
    expected = np.exp((np.log(x) * w).sum(axis=1) / w.sum())
    got = model.scores({"Aggregation": Alternative("geometric", "aggregate")}, None)[0]
    assert_allclose(got, published(expected), atol=1e-9)


def test_zero_weight_noise_reproduces_the_published_ranks_exactly(fw, answers):
    model = IccModel(answers, fw)
    none = Assumptions((WeightNoise("Weights", tuple((a, 0.0) for a in model.areas)),))
    s = uncertainty(model, none, draw_design(none, 50, np.random.default_rng(0), model.hierarchy))
    nominal = rank_desc(published(score_answers(answers, fw)["index_core"].to_numpy()))
    assert (s.ranks == nominal[None, :]).all()
    assert (s.stats["Q5"].to_numpy() == nominal).all() and (s.stats["Q95"].to_numpy() == nominal).all()


def test_the_same_seed_gives_the_same_study_and_city_order_does_not_matter(fw, answers):
    a = study(answers, fw, runs=200, n=20, bootstrap=20, seed=5)
    b = study(answers, fw, runs=200, n=20, bootstrap=20, seed=5)
    pd.testing.assert_frame_equal(a.ranks, b.ranks)
    pd.testing.assert_frame_equal(a.indices, b.indices)
    shuffled = study(answers.iloc[::-1], fw, runs=200, n=20, bootstrap=20, seed=5, weight_noise=0.0)
    ordered = study(answers, fw, runs=200, n=20, bootstrap=20, seed=5, weight_noise=0.0)
    # without weights noise every run is one of 8 discrete combinations: the ranks per city do not depend on order
    assert (
        shuffled.ranks.set_index("city")["Nominal"].sort_index()
        == ordered.ranks.set_index("city")["Nominal"].sort_index()
    ).all()


def test_the_assumptions_follow_the_switches(fw, answers):
    model = IccModel(answers, fw)
    assert icc_assumptions(model).names == ["Weights", "DontKnow", "Aggregation", "Lens"]
    assert icc_assumptions(model, weight_noise=0, lens=False).names == ["DontKnow", "Aggregation"]
    with pytest.raises(ValueError, match="at least one"):
        icc_assumptions(model, weight_noise=0, dont_know=False, aggregation=False, lens=False)


def test_reweighting_with_the_framework_weights_moves_nothing_and_doubling_an_area_moves_its_leaders_up(fw, answers):
    scores = score_answers(answers, fw)
    same = reweighted(scores, fw, {})
    assert_allclose(same["index"], scores["index_core"], atol=1e-9)
    assert (same["change"] == 0).all()
    area = next(a for a in fw.areas if a.core and not a.subareas)
    heavy = reweighted(scores, fw, {area.id: 50 * area.weight})
    best = scores[area.id].idxmax()
    assert heavy.loc[best, "new_rank"] <= same.loc[best, "rank"]
    with pytest.raises(ValueError, match="unknown core area"):
        reweighted(scores, fw, {"nowhere": 1.0})
    with pytest.raises(ValueError, match="≥ 0"):
        reweighted(scores, fw, {area.id: -1.0})
