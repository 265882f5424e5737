"""Variance-based sensitivity (methods.md, SA): the estimators on functions with known indices, against SALib,
COINr's bootstrap, and the Saltelli design of a composite study."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from SALib.analyze.sobol import first_order, total_order
from SALib.test_functions import Ishigami

from icc.engine.composite import Spec, SpecError, build, rank_desc
from icc.engine.sensitivity import INDEX_COLUMNS, rank_shift, saltelli_design, sensitivity, sobol_indices
from icc.engine.uncertainty import CompositeModel, parse_assumptions, rank_stats

ATOL = 1e-9


def design_outputs(f, n: int, d: int, low: float, high: float, seed: int) -> np.ndarray:
    """f on A, B, AB_1 … AB_d (AB_i = A with column i from B), concatenated in that order."""
    rng = np.random.default_rng(seed)
    a, b = rng.uniform(low, high, size=(n, d)), rng.uniform(low, high, size=(n, d))
    blocks = [f(a), f(b)]
    for i in range(d):
        ab = a.copy()
        ab[:, i] = b[:, i]
        blocks.append(f(ab))
    return np.concatenate(blocks)


def standard_errors(y: np.ndarray, n: int, d: int) -> tuple[np.ndarray, np.ndarray]:
    """Monte Carlo standard errors of the S_i and ST_i estimators (the sd of their N terms / √N, over V)."""
    ya, yb = y[:n], y[n : 2 * n]
    v = np.var(np.r_[ya, yb], ddof=1)
    yab = [y[(2 + i) * n : (3 + i) * n] for i in range(d)]
    s = np.array([np.std(yb * (t - ya), ddof=1) for t in yab]) / math.sqrt(n) / v
    st = np.array([np.std((ya - t) ** 2, ddof=1) for t in yab]) / math.sqrt(n) / (2 * v)
    return s, st


def ishigami_indices(a: float = 7.0, b: float = 0.1) -> tuple[np.ndarray, np.ndarray]:
    """Analytic first- and total-order indices of the Ishigami function on [−π, π]³."""
    v1 = 0.5 * (1 + b * math.pi**4 / 5) ** 2
    v2 = a**2 / 8
    v13 = b**2 * math.pi**8 * (1 / 18 - 1 / 50)
    v = v1 + v2 + v13
    return np.array([v1, v2, 0.0]) / v, np.array([v1 + v13, v2, v13]) / v


def test_the_analytic_ishigami_indices_are_the_published_ones():
    s, st = ishigami_indices()
    assert_allclose(s, [0.3139, 0.4424, 0.0], atol=5e-5)
    assert_allclose(st, [0.5576, 0.4424, 0.2437], atol=5e-5)


def test_the_ishigami_indices_are_found_within_the_monte_carlo_error():
    n = 2**15
    y = design_outputs(Ishigami.evaluate, n, 3, -math.pi, math.pi, seed=7)
    out = sobol_indices(y, n, ["x1", "x2", "x3"])
    assert list(out.columns) == list(INDEX_COLUMNS)
    assert out["Variable"].tolist() == ["x1", "x2", "x3"]
    s, st = ishigami_indices()
    se_s, se_st = standard_errors(y, n, 3)
    assert (np.abs(out["Si"] - s) < 4 * se_s).all(), (out["Si"].tolist(), se_s)
    assert (np.abs(out["STi"] - st) < 4 * se_st).all(), (out["STi"].tolist(), se_st)


def test_a_linear_models_indices_are_its_coefficients_shares_of_variance():
    # y = x1 + 0.5·x2 + 0·x3 on U(0, 1)³: V_i = c_i²/12, so S = ST = (1, 0.25, 0)/1.25
    n = 2**14
    y = design_outputs(lambda x: x[:, 0] + 0.5 * x[:, 1] + 0 * x[:, 2], n, 3, 0.0, 1.0, seed=3)
    out = sobol_indices(y, n, ["x1", "x2", "x3"])
    se_s, se_st = standard_errors(y, n, 3)
    expected = np.array([0.8, 0.2, 0.0])
    assert (np.abs(out["Si"] - expected) < 4 * se_s + 1e-12).all()
    assert (np.abs(out["STi"] - expected) < 4 * se_st + 1e-12).all()
    assert_allclose(out.loc[2, ["Si", "STi"]].to_numpy(dtype=float), [0.0, 0.0], atol=ATOL)  # x3 never matters


def test_the_estimators_are_those_of_methods_md_and_salibs_rescaled_to_the_sample_variance():
    n, d = 500, 3
    y = design_outputs(Ishigami.evaluate, n, d, -math.pi, math.pi, seed=11)
    out = sobol_indices(y, n, ["x1", "x2", "x3"])
    ya, yb = y[:n], y[n : 2 * n]
    v = np.var(np.r_[ya, yb], ddof=1)  # the sample variance of the 2N pooled values
    for i in range(d):
        yab = y[(2 + i) * n : (3 + i) * n]
        by_hand_s = np.mean(yb * (yab - ya)) / v
        by_hand_st = np.sum((ya - yab) ** 2) / (2 * n * v)
        salib_s = first_order(ya[:, None], yab[:, None], yb[:, None])[0] * (2 * n - 1) / (2 * n)
        salib_st = total_order(ya[:, None], yab[:, None], yb[:, None])[0] * (2 * n - 1) / (2 * n)
        assert_allclose([out.loc[i, "Si"], out.loc[i, "STi"]], [by_hand_s, by_hand_st], atol=ATOL)
        assert_allclose([out.loc[i, "Si"], out.loc[i, "STi"]], [salib_s, salib_st], atol=ATOL)


def test_the_bootstrap_quantiles_bracket_the_estimates_of_a_well_behaved_function():
    n = 1000
    y = design_outputs(lambda x: x[:, 0] + 0.5 * x[:, 1] + 0.25 * x[:, 2], n, 3, 0.0, 1.0, seed=5)
    out = sobol_indices(y, n, ["x1", "x2", "x3"], bootstrap=500, rng=np.random.default_rng(1))
    assert (out["Si_q5"] <= out["Si"]).all() and (out["Si"] <= out["Si_q95"]).all()
    assert (out["STi_q5"] <= out["STi"]).all() and (out["STi"] <= out["STi_q95"]).all()
    assert (out["Si_q95"] - out["Si_q5"] > 0).all()


def test_the_bootstrap_holds_the_variance_fixed():
    # yAB_1 = yA + c/yB makes every first-order term yB·(yAB_1 − yA) equal to c, and yAB_2 = yA + k every
    # total-order term (yA − yAB_2)² equal to k²: with V fixed every resample gives the estimate itself
    n = 200
    rng = np.random.default_rng(2)
    ya, yb = rng.uniform(1, 2, n), rng.uniform(1, 2, n)
    c, k = 0.3, 0.4
    y = np.concatenate([ya, yb, ya + c / yb, ya + k])
    out = sobol_indices(y, n, ["one", "two"], bootstrap=50, rng=np.random.default_rng(0))
    v = np.var(np.r_[ya, yb], ddof=1)
    assert_allclose(out.loc[0, ["Si", "Si_q5", "Si_q95"]].to_numpy(dtype=float), [c / v] * 3, atol=ATOL)
    assert_allclose(out.loc[1, ["STi", "STi_q5", "STi_q95"]].to_numpy(dtype=float), [k**2 / (2 * v)] * 3, atol=ATOL)


def test_outputs_of_the_wrong_length_are_refused():
    with pytest.raises(SpecError, match="expected N\\(d \\+ 2\\) = 25 outputs, got 24"):
        sobol_indices(np.zeros(24), 5, ["a", "b", "c"])


def test_a_constant_output_gives_missing_indices_not_a_crash():
    out = sobol_indices(np.ones(25), 5, ["a", "b", "c"])
    assert out[["Si", "STi"]].isna().all().all()


# A composite study: the design and what it reports
DATA = pd.DataFrame(
    {
        "uCode": [f"u{i}" for i in range(6)],
        "a": [1.0, 5.0, 3.0, 9.0, 2.0, 40.0],
        "b": [3.0, 1.0, 2.0, 8.0, 6.0, 5.0],
        "c": [5.0, 4.0, 6.0, 1.0, 2.0, 3.0],
        "d": [1.0, 7.0, 2.0, 3.0, 9.0, 4.0],
    }
)
SPEC = Spec.parse({"treat": "winsorise", "normalise": {"method": "minmax", "params": {"lower": 1, "upper": 100}}})
RAW = {
    "assumptions": [
        {"name": "Winmax", "step": "treat",
         "alternatives": [{"name": str(k), "params": {"winmax": k}} for k in (0, 1, 2)]},
        {"name": "Weights", "type": "weights", "noise": {1: 0.4, 2: 0.4}},
        {"name": "Aggregation", "step": "aggregate",
         "alternatives": [{"name": "amean", "method": "arithmetic"}, {"name": "gmean", "method": "geometric"}]},
    ]
}  # fmt: skip


@pytest.fixture
def composite_study(meta):
    model = CompositeModel.from_inputs(DATA, meta, SPEC)
    assumptions = parse_assumptions(RAW, model.hierarchy, model.spec)
    return model, assumptions


def test_the_design_runs_a_then_b_then_each_ab_i_in_assumption_order(composite_study):
    model, assumptions = composite_study
    n = 7
    design = saltelli_design(assumptions, n, np.random.default_rng(4), model.hierarchy)
    assert design.runs == n * (3 + 2)
    assert design.weight_set is not None and design.weight_sets is not None
    choices, sets = design.choices, design.weight_set
    a, b = slice(0, n), slice(n, 2 * n)
    assert_array_equal(sets[a], np.arange(n))  # A and B each draw their own weight sets
    assert_array_equal(sets[b], np.arange(n, 2 * n))
    winmax, aggregation = design.names.index("Winmax"), design.names.index("Aggregation")
    ab_1, ab_2, ab_3 = (slice((2 + i) * n, (3 + i) * n) for i in range(3))
    # AB_1 (Winmax): A with Winmax from B
    assert_array_equal(choices[ab_1][:, winmax], choices[b][:, winmax])
    assert_array_equal(choices[ab_1][:, aggregation], choices[a][:, aggregation])
    assert_array_equal(sets[ab_1], sets[a])
    # AB_2 (Weights): A with the weight sets of B
    assert_array_equal(choices[ab_2], choices[a])
    assert_array_equal(sets[ab_2], sets[b])
    # AB_3 (Aggregation): A with Aggregation from B
    assert_array_equal(choices[ab_3][:, aggregation], choices[b][:, aggregation])
    assert_array_equal(choices[ab_3][:, winmax], choices[a][:, winmax])
    assert_array_equal(sets[ab_3], sets[a])
    # every weight is w·(1 + ε), |ε| ≤ 0.4
    nominal = model.hierarchy.nominal_weights()
    ratio = design.weight_sets / nominal
    assert ((ratio >= 0.6) & (ratio <= 1.4)).all()


def test_the_output_is_the_mean_absolute_rank_shift_and_the_rank_stats_use_only_a_and_b(composite_study, meta):
    model, assumptions = composite_study
    n = 5
    design = saltelli_design(assumptions, n, np.random.default_rng(9), model.hierarchy)
    study = sensitivity(model, assumptions, design, n)
    nominal = rank_desc(build(DATA, meta, SPEC).scores["I"].to_numpy())
    assert_array_equal(study.nominal_ranks, nominal)
    assert_allclose(study.output, np.abs(study.ranks - nominal).mean(axis=1), atol=ATOL)
    assert_allclose(rank_shift(np.array([[1.0, 2.0, 3.0], [3.0, 2.0, 1.0]]), np.array([1.0, 2.0, 3.0])), [0, 4 / 3])
    expected = rank_stats(study.ranks[: 2 * n], nominal, list(DATA["uCode"]))
    pd.testing.assert_frame_equal(study.stats, expected)
    assert_allclose(study.stats["Mean"], study.ranks[: 2 * n].mean(axis=0), atol=ATOL)
    assert study.indices["Variable"].tolist() == ["Winmax", "Weights", "Aggregation"]


def test_a_design_of_the_wrong_size_is_refused(composite_study):
    model, assumptions = composite_study
    design = saltelli_design(assumptions, 4, np.random.default_rng(0), model.hierarchy)
    with pytest.raises(SpecError, match="has 25 runs \\(A, B, then each AB_i\\), not 20"):
        sensitivity(model, assumptions, design, 5)


def test_a_sensitivity_study_needs_n_of_at_least_2(composite_study):
    model, assumptions = composite_study
    with pytest.raises(SpecError, match="needs N ≥ 2"):
        saltelli_design(assumptions, 1, np.random.default_rng(0), model.hierarchy)
