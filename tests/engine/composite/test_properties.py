"""Invariants of the pipeline and of the studies, on random small unit tables (hypothesis)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal

from icc.engine.composite import Spec, aggregate_all, build, read_meta
from icc.engine.sensitivity import saltelli_design, sensitivity
from icc.engine.uncertainty import CompositeModel, draw_design, parse_assumptions, read_design, uncertainty

ATOL = 1e-9
FULL_SPEC = Spec.parse(
    {
        "impute": {"method": "group_mean", "params": {"group": "G"}},
        "screen": {"method": "availability", "params": {"threshold": 0.5}},
        "treat": {"method": "winsorise", "params": {"winmax": 2}},
        "normalise": {"method": "minmax", "params": {"lower": 1, "upper": 100}},
    }
)
STUDY = {
    "assumptions": [
        {"name": "Winmax", "step": "treat",
         "alternatives": [{"name": str(k), "params": {"winmax": k}} for k in (0, 1)]},
        {"name": "Weights", "type": "weights", "noise": {1: 0.3, 2: 0.2}},
        {"name": "Aggregation", "step": "aggregate",
         "alternatives": [{"name": "amean", "method": "arithmetic"}, {"name": "gmean", "method": "geometric"}]},
    ]
}  # fmt: skip


@st.composite
def unit_tables(draw, min_units: int = 3, max_units: int = 8, missing: bool = True) -> pd.DataFrame:
    """uCode, a group column G and indicators a–d: small whole numbers (ties are common), some missing."""
    n = draw(st.integers(min_units, max_units))
    low = -2 if missing else 0
    cell = st.integers(low, 20).map(lambda v: np.nan if v < 0 else float(v))
    columns = {c: draw(st.lists(cell, min_size=n, max_size=n)) for c in "abcd"}
    groups = draw(st.lists(st.sampled_from(["x", "y"]), min_size=n, max_size=n))
    return pd.DataFrame({"uCode": [f"u{i}" for i in range(n)], "G": groups, **columns})


@settings(max_examples=30, deadline=None)
@given(table=unit_tables(), runs=st.integers(1, 6), seed=st.integers(0, 2**32 - 1))
def test_zero_weight_noise_reproduces_the_nominal_ranks_exactly(make_meta, table, runs, seed):
    meta = make_meta()
    spec = Spec.parse({"normalise": "minmax"})
    model = CompositeModel.from_inputs(table, meta, spec)
    zero = {"assumptions": [{"name": "W", "type": "weights", "noise": {1: 0.0, 2: 0.0}}]}
    assumptions = parse_assumptions(zero, model.hierarchy, spec)
    study = uncertainty(
        model, assumptions, draw_design(assumptions, runs, np.random.default_rng(seed), model.hierarchy)
    )
    assert_array_equal(study.ranks, np.broadcast_to(study.nominal_ranks, study.ranks.shape))
    assert_array_equal(study.nominal_ranks, build(table, meta, spec).ranks["I"].to_numpy())


@settings(max_examples=30, deadline=None)
@given(table=unit_tables(), order=st.randoms(use_true_random=False))
def test_unit_order_does_not_change_results(make_meta, table, order):
    meta = make_meta()
    shuffled = table.sample(frac=1.0, random_state=order.randint(0, 2**31)).reset_index(drop=True)
    first = build(table, meta, FULL_SPEC)
    second = build(shuffled, meta, FULL_SPEC)
    assert sorted(first.scores.index) == sorted(second.scores.index)
    assert_allclose(second.scores.loc[first.scores.index], first.scores, atol=ATOL, rtol=0)
    assert_allclose(second.ranks.loc[first.ranks.index], first.ranks, atol=ATOL, rtol=0)


def run_study(table: pd.DataFrame, meta: pd.DataFrame, seed: int):
    model = CompositeModel.from_inputs(table, meta, FULL_SPEC)
    assumptions = parse_assumptions(STUDY, model.hierarchy, model.spec)
    rng = np.random.default_rng(seed)
    return uncertainty(model, assumptions, draw_design(assumptions, 12, rng, model.hierarchy))


def run_sensitivity(table: pd.DataFrame, meta: pd.DataFrame, seed: int):
    model = CompositeModel.from_inputs(table, meta, FULL_SPEC)
    assumptions = parse_assumptions(STUDY, model.hierarchy, model.spec)
    rng = np.random.default_rng(seed)
    design = saltelli_design(assumptions, 6, rng, model.hierarchy)
    return sensitivity(model, assumptions, design, 6, bootstrap=20, rng=rng)


@settings(max_examples=30, deadline=None)
@given(table=unit_tables(min_units=4, missing=False), seed=st.integers(0, 2**32 - 1))
def test_the_same_seed_gives_the_same_uncertainty_study(make_meta, table, seed):
    one, two = run_study(table, make_meta(), seed), run_study(table, make_meta(), seed)
    assert_array_equal(one.design.choices, two.design.choices)
    assert_array_equal(one.scores, two.scores)
    pd.testing.assert_frame_equal(one.stats, two.stats, check_exact=True)


@pytest.mark.filterwarnings("ignore:Mean of empty slice", "ignore:Constant values encountered")  # all-constant tables
@settings(max_examples=30, deadline=None)
@given(table=unit_tables(min_units=4, missing=False), seed=st.integers(0, 2**32 - 1))
def test_the_same_seed_gives_the_same_sensitivity_study(make_meta, table, seed):
    one, two = run_sensitivity(table, make_meta(), seed), run_sensitivity(table, make_meta(), seed)
    assert_array_equal(one.output, two.output)
    pd.testing.assert_frame_equal(one.indices, two.indices, check_exact=True)
    pd.testing.assert_frame_equal(one.stats, two.stats, check_exact=True)


weights = st.floats(0.1, 10.0, allow_nan=False)


@settings(max_examples=30, deadline=None)
@given(
    table=unit_tables(),
    base=st.tuples(weights, weights, weights, weights, weights, weights),
    parent=st.sampled_from(["A", "B", "I"]),
    factor=st.floats(0.01, 100.0),
)
def test_scaling_all_sibling_weights_by_a_constant_changes_nothing(make_meta, table, base, parent, factor):
    h = read_meta(make_meta(base))
    scaled = h.with_weights({c: h.weight[c] * factor for c in h.children(parent)})
    first, second = build(table, h, FULL_SPEC), build(table, scaled, FULL_SPEC)
    assert_allclose(second.scores, first.scores, atol=ATOL, rtol=0)


@settings(max_examples=30, deadline=None)
@given(table=unit_tables(min_units=4, missing=False), runs=st.integers(1, 10), seed=st.integers(0, 2**32 - 1))
def test_replaying_a_drawn_design_from_its_csv_files_gives_identical_rank_stats(make_meta, table, runs, seed):
    model = CompositeModel.from_inputs(table, make_meta(), FULL_SPEC)
    assumptions = parse_assumptions(STUDY, model.hierarchy, model.spec)
    design = draw_design(assumptions, runs, np.random.default_rng(seed), model.hierarchy)
    drawn = uncertainty(model, assumptions, design)
    with tempfile.TemporaryDirectory() as folder:
        design_csv, sets_csv = Path(folder) / "design.csv", Path(folder) / "weight-sets.csv"
        design.table(assumptions).to_csv(design_csv, index=False)
        design.weight_table(model.hierarchy).to_csv(sets_csv, index=False)
        replayed_design = read_design(str(design_csv), assumptions, model.hierarchy, str(sets_csv))
    assert_array_equal(replayed_design.choices, design.choices)
    replayed = uncertainty(model, assumptions, replayed_design)
    assert_array_equal(replayed.ranks, drawn.ranks)
    pd.testing.assert_frame_equal(replayed.stats, drawn.stats, check_exact=True)


positive = st.floats(1.0, 100.0, allow_nan=False)


@pytest.mark.parametrize("method", ["arithmetic", "geometric", "harmonic"])
@settings(max_examples=30, deadline=None)
@given(
    x=st.integers(1, 6).flatmap(
        lambda u: st.lists(
            st.lists(st.one_of(positive, st.just(np.nan)), min_size=4, max_size=4), min_size=u, max_size=u
        )
    ),
    w=st.integers(1, 5).flatmap(lambda r: st.lists(st.lists(weights, min_size=6, max_size=6), min_size=r, max_size=r)),
)
def test_batched_aggregation_equals_separate_nominal_runs_with_each_weight_set(make_meta, method, x, w):
    h = read_meta(make_meta())
    values, sets = np.array(x, dtype=float), np.array(w, dtype=float)
    batched = aggregate_all(values, h, method, weights=sets)
    for r, row in enumerate(sets):
        alone = aggregate_all(values, h.with_weights(dict(zip(h.weight_keys, row, strict=True))), method)
        for code in h.codes:
            assert_allclose(np.broadcast_to(batched[code], (len(sets), len(values)))[r], alone[code], atol=ATOL, rtol=0)


def test_batched_median_aggregation_equals_separate_nominal_runs(make_meta):
    h = read_meta(make_meta())
    values = np.array([[10.0, 20.0, 30.0, 40.0], [5.0, 1.0, 2.0, np.nan], [7.0, 8.0, 9.0, 10.0]])
    sets = np.array([[1, 1, 1, 1, 1, 1], [1, 3, 1, 2, 2, 1], [5, 1, 1, 1, 1, 4]], dtype=float)
    batched = aggregate_all(values, h, "median", weights=sets)
    for r, row in enumerate(sets):
        alone = aggregate_all(values, h.with_weights(dict(zip(h.weight_keys, row, strict=True))), "median")
        assert_allclose(batched["I"][r], alone["I"], atol=ATOL)
