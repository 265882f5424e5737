"""Uncertainty analysis (methods.md, UA): weights noise, rank statistics by hand, and on ASEM with the four
assumptions: runs grouped so that each distinct treatment is computed once, never once per run."""

from __future__ import annotations

import functools
from collections import Counter

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from icc.engine.composite import TREATMENTS, Spec, build
from icc.engine.sensitivity import saltelli_design, sensitivity
from icc.engine.uncertainty import (
    RANK_STATS_COLUMNS,
    CompositeModel,
    WeightNoise,
    draw_design,
    noisy_weights,
    parse_assumptions,
    rank_stats,
    read_assumptions,
    uncertainty,
)

ATOL = 1e-9


def test_rank_stats_are_the_mean_median_and_linear_5_and_95_percentiles_of_each_units_ranks():
    # unit 1: 1..5 → mean 3, median 3, Q5 at position 0.05·4 = 0.2 → 1.2, Q95 at 3.8 → 4.8
    # unit 2: 4, –, 1, 2, 8 → sorted 1, 2, 4, 8 (the missing run ignored): mean 3.75, median 3,
    #         Q5 at 0.05·3 = 0.15 → 1 + 0.15·(2 − 1) = 1.15, Q95 at 2.85 → 4 + 0.85·(8 − 4) = 7.4
    ranks = np.array([[1, 4], [2, np.nan], [3, 1], [4, 2], [5, 8]], dtype=float)
    stats = rank_stats(ranks, np.array([2.0, 3.0]), ["u1", "u2"])
    assert list(stats.columns) == list(RANK_STATS_COLUMNS) == ["uCode", "Nominal", "Mean", "Median", "Q5", "Q95"]
    assert stats["uCode"].tolist() == ["u1", "u2"]
    assert_allclose(
        stats[["Nominal", "Mean", "Median", "Q5", "Q95"]].to_numpy(),
        [[2, 3, 3, 1.2, 4.8], [3, 3.75, 3, 1.15, 7.4]],
        atol=ATOL,
    )


def test_weights_noise_multiplies_each_weight_by_one_plus_a_uniform_epsilon_within_the_factor():
    nominal = np.array([1.0, 2.0, 4.0])
    noise = WeightNoise("W", (("a", 0.25), ("c", 0.5)))
    sets = noisy_weights(nominal, ["a", "b", "c"], noise, 20_000, np.random.default_rng(0))
    ratio = sets / nominal
    assert_array_equal(sets[:, 1], 2.0)  # no factor: nominal
    for j, f in ((0, 0.25), (2, 0.5)):
        assert ratio[:, j].min() >= 1 - f and ratio[:, j].max() <= 1 + f
        assert ratio[:, j].min() < 1 - 0.99 * f and ratio[:, j].max() > 1 + 0.99 * f  # the whole range is used
        assert abs(ratio[:, j].mean() - 1) < 0.01
        # uniform: a quarter of the draws in each quarter of [1 − f, 1 + f]
        counts = np.histogram(ratio[:, j], bins=4, range=(1 - f, 1 + f))[0] / len(ratio)
        assert_allclose(counts, 0.25, atol=0.015)
    assert abs(np.corrcoef(ratio[:, 0], ratio[:, 2])[0, 1]) < 0.03  # independent per weight


def test_weights_noise_is_drawn_for_the_weights_of_the_chosen_levels(meta):
    model = CompositeModel.from_inputs(
        pd.DataFrame({"uCode": ["u1", "u2"], "a": [1.0, 2], "b": [2.0, 1], "c": [1.0, 3], "d": [3.0, 1]}),
        meta,
        Spec.parse({}),
    )
    raw = {"assumptions": [{"name": "W", "type": "weights", "noise": {2: 0.25}}]}
    assumptions = parse_assumptions(raw, model.hierarchy, model.spec)
    assert dict(assumptions.items[0].factors) == {"A": 0.25, "B": 0.25}
    design = draw_design(assumptions, 50, np.random.default_rng(1), model.hierarchy)
    sets = pd.DataFrame(design.weight_sets, columns=list(design.keys))
    assert (sets[["a", "b", "c", "d"]] == 1.0).all().all()
    assert sets["A"].between(0.75, 1.25).all() and sets["A"].nunique() == 50


@pytest.fixture
def treatment_calls():
    """Every call of the winsorise treatment, while the test runs (a counting wrapper registered in its place)."""
    original = TREATMENTS["winsorise"]
    calls: list[dict[str, object]] = []

    @functools.wraps(original)
    def counting(values, ctx, **params):
        calls.append(dict(params))
        return original(values, ctx, **params)

    TREATMENTS.register("winsorise")(counting)
    yield calls
    TREATMENTS.register("winsorise")(original)


@pytest.fixture
def four(asem_paths, asem_spec, examples):
    model = CompositeModel.from_inputs(asem_paths[0], asem_paths[1], asem_spec)
    assumptions = read_assumptions(str(examples / "four-assumptions.yaml"), model.hierarchy, model.spec)
    return model, assumptions


def test_four_assumptions_are_read_in_their_order(four):
    _, assumptions = four
    assert assumptions.names == ["Winmax", "Normalisation", "Weights", "Aggregation"]
    assert [len(a.alternatives) for a in assumptions.discrete] == [5, 2, 2]


def test_the_uncertainty_study_treats_the_data_once_per_distinct_winmax_never_once_per_run(four, treatment_calls):
    model, assumptions = four
    design = draw_design(assumptions, 300, np.random.default_rng(0), model.hierarchy, model.nominal_weights())
    study = uncertainty(model, assumptions, design)
    table = design.table(assumptions)
    winmax = {int(v) for v in table["Winmax"]} | {5}  # the nominal spec's winmax is 5
    assert winmax == {1, 2, 3, 4, 5}
    assert Counter(int(c["winmax"]) for c in treatment_calls) == Counter(winmax)  # each exactly once
    treat_keys = [k for k in model.cache if k[-1][0] == "treat"]
    normalise_keys = [k for k in model.cache if k[-1][0] == "normalise"]
    assert len(treat_keys) == 5
    pairs = set(zip(table["Winmax"], table["Normalisation"], strict=True))
    assert len(normalise_keys) == len(pairs) + 1  # + the nominal spec's minmax to [0, 100], no alternative's
    assert study.ranks.shape == (300, 51)
    assert np.isfinite(study.ranks).all()
    assert list(study.stats.columns) == list(RANK_STATS_COLUMNS)
    assert ((study.stats["Q5"] <= study.stats["Median"]) & (study.stats["Median"] <= study.stats["Q95"])).all()


def test_the_sensitivity_study_also_treats_once_per_distinct_winmax(four, treatment_calls):
    model, assumptions = four
    design = saltelli_design(assumptions, 8, np.random.default_rng(3), model.hierarchy, model.nominal_weights())
    study = sensitivity(model, assumptions, design, 8, bootstrap=20, rng=np.random.default_rng(4))
    winmax = {int(v) for v in design.table(assumptions)["Winmax"]} | {5}
    assert Counter(int(c["winmax"]) for c in treatment_calls) == Counter(winmax)
    assert study.output.shape == (8 * 6,)
    assert study.indices["Variable"].tolist() == ["Winmax", "Normalisation", "Weights", "Aggregation"]


def test_the_nominal_ranks_of_a_study_are_those_of_the_pipeline_as_specified(four, asem_result):
    model, assumptions = four
    study = uncertainty(model, assumptions, draw_design(assumptions, 5, np.random.default_rng(2), model.hierarchy))
    assert_array_equal(study.nominal_ranks, asem_result.ranks["Index"].to_numpy())
    assert_allclose(study.nominal_scores, asem_result.scores["Index"].to_numpy(), atol=ATOL)


def test_weights_only_noise_on_asem_moves_ranks_around_the_nominal_ones(asem_paths, asem_spec, examples):
    model = CompositeModel.from_inputs(asem_paths[0], asem_paths[1], asem_spec)
    assumptions = read_assumptions(str(examples / "weights-noise.yaml"), model.hierarchy, model.spec)
    study = uncertainty(model, assumptions, draw_design(assumptions, 400, np.random.default_rng(5), model.hierarchy))
    stats = study.stats.set_index("uCode")
    assert ((stats["Q5"] <= stats["Nominal"]) & (stats["Nominal"] <= stats["Q95"])).mean() > 0.9
    assert len(model.cache) == 5  # one pass of the data steps for all 400 runs


def test_an_alternative_can_leave_an_indicator_out_with_a_custom_weight_of_zero(meta):
    data = pd.DataFrame(
        {"uCode": ["u1", "u2", "u3"], "a": [1.0, 9, 5], "b": [9.0, 1, 5], "c": [1.0, 2, 3], "d": [3.0, 2, 1]}
    )
    spec = Spec.parse({"normalise": "minmax"})
    model = CompositeModel.from_inputs(data, meta, spec)
    raw = {
        "assumptions": [
            {"name": "Include a", "step": "weights",
             "alternatives": [{"name": "with", "method": "nominal"},
                              {"name": "without", "method": "custom", "params": {"weights": {"a": 0}}}]}
        ]
    }  # fmt: skip
    assumptions = parse_assumptions(raw, model.hierarchy, spec)
    design = draw_design(assumptions, 10, np.random.default_rng(0), model.hierarchy)
    study = uncertainty(model, assumptions, design)
    without = build(data, model.hierarchy.with_weights({"a": 0}), spec).scores["I"].to_numpy()
    runs = design.choices[:, 0] == 1
    assert_allclose(study.scores[runs], np.broadcast_to(without, (int(runs.sum()), 3)), atol=ATOL)


def test_a_median_aggregation_alternative_runs_with_weights_noise(meta):
    data = pd.DataFrame(
        {"uCode": ["u1", "u2", "u3"], "a": [1.0, 9, 5], "b": [9.0, 1, 5], "c": [1.0, 2, 3], "d": [3.0, 2, 1]}
    )
    spec = Spec.parse({"normalise": "minmax"})
    model = CompositeModel.from_inputs(data, meta, spec)
    raw = {
        "assumptions": [
            {"name": "Weights", "type": "weights", "noise": {1: 0.25}},
            {"name": "Aggregation", "step": "aggregate",
             "alternatives": [{"name": "mean", "method": "arithmetic"}, {"name": "median", "method": "median"}]},
        ]
    }  # fmt: skip
    assumptions = parse_assumptions(raw, model.hierarchy, spec)
    study = uncertainty(model, assumptions, draw_design(assumptions, 20, np.random.default_rng(0), model.hierarchy))
    assert np.isfinite(study.ranks).all()
