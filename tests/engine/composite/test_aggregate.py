"""Aggregation and weights (methods.md §6–7): each aggregator by hand, missing children, min_share, weights
renormalised within their parent."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from icc.engine.composite import AGGREGATORS, SpecError, aggregate_all, build, read_meta

ATOL = 1e-9


def agg(method: str, values, weights, **params) -> np.ndarray:
    return AGGREGATORS[method](np.array([values], dtype=float), np.array(weights, dtype=float), **params)


class TestArithmetic:
    def test_is_the_weighted_mean(self):
        # (1·50 + 3·100)/(1 + 3)
        assert_allclose(agg("arithmetic", [50, 100], [1, 3]), [87.5], atol=ATOL)

    def test_skips_a_missing_child_and_renormalises_the_rest(self):
        assert_allclose(agg("arithmetic", [50, np.nan, 100], [1, 1, 3]), [87.5], atol=ATOL)

    def test_is_missing_when_every_child_is(self):
        assert np.isnan(agg("arithmetic", [np.nan, np.nan], [1, 1])).all()


class TestGeometric:
    def test_is_the_weighted_geometric_mean(self):
        # exp((ln 4 + ln 16)/2) = 8; exp((ln 4 + 3 ln 16)/4) = 2^(14/4)
        assert_allclose(agg("geometric", [4, 16], [1, 1]), [8.0], atol=ATOL)
        assert_allclose(agg("geometric", [4, 16], [1, 3]), [2**3.5], atol=ATOL)

    def test_skips_a_missing_child(self):
        assert_allclose(agg("geometric", [4, np.nan, 16], [1, 5, 3]), [2**3.5], atol=ATOL)

    def test_is_missing_when_every_child_is(self):
        assert np.isnan(agg("geometric", [np.nan, np.nan], [1, 1])).all()

    @pytest.mark.parametrize("bad", [0.0, -1.0])
    def test_refuses_values_that_are_not_positive_with_a_clear_error(self, bad):
        with pytest.raises(SpecError, match=r"geometric: every value must be > 0.*lower 1"):
            agg("geometric", [4, bad], [1, 1])

    def test_a_zero_index_through_the_pipeline_is_a_spec_error(self, meta):
        data = pd.DataFrame({"uCode": ["u1", "u2"], "a": [0, 1], "b": [1, 2], "c": [1, 2], "d": [3, 4]})
        with pytest.raises(SpecError, match="every value must be > 0"):
            build(data, meta, {"normalise": "minmax", "aggregate": "geometric"})


class TestHarmonic:
    def test_is_the_weighted_harmonic_mean(self):
        # 2/(1/1 + 1/4) = 1.6; (1 + 1 + 2)/(1/2 + 1/4 + 2/8) = 4
        assert_allclose(agg("harmonic", [1, 4], [1, 1]), [1.6], atol=ATOL)
        assert_allclose(agg("harmonic", [2, 4, 8], [1, 1, 2]), [4.0], atol=ATOL)

    def test_skips_a_missing_child(self):
        # (1 + 2)/(1/2 + 2/8) = 4
        assert_allclose(agg("harmonic", [2, np.nan, 8], [1, 1, 2]), [4.0], atol=ATOL)

    def test_is_missing_when_every_child_is(self):
        assert np.isnan(agg("harmonic", [np.nan, np.nan], [1, 1])).all()

    def test_refuses_values_that_are_not_positive(self):
        with pytest.raises(SpecError, match="harmonic: every value must be > 0"):
            agg("harmonic", [0, 1], [1, 1])


class TestMedian:
    def test_with_equal_weights_is_the_ordinary_median(self):
        assert_allclose(agg("median", [1, 3, 2, 10], [1, 1, 1, 1]), [2.5], atol=ATOL)
        assert_allclose(agg("median", [1, 3, 2], [1, 1, 1]), [2.0], atol=ATOL)

    def test_skips_a_missing_child(self):
        # median of 1 and 3
        assert_allclose(agg("median", [1, 3, np.nan], [1, 1, 1]), [2.0], atol=ATOL)

    def test_is_missing_when_every_child_is(self):
        assert np.isnan(agg("median", [np.nan, np.nan], [1, 1])).all()


def test_several_units_are_aggregated_at_once():
    values = np.array([[50.0, 100.0], [np.nan, 20.0], [np.nan, np.nan]])
    assert_allclose(AGGREGATORS["arithmetic"](values, np.array([1.0, 3.0])), [87.5, 20.0, np.nan], atol=ATOL)


def test_weights_are_renormalised_within_each_parent_so_only_their_ratios_matter(make_meta):
    # A = (1·a + 3·b)/4 whether the weights are 1:3, 0.25:0.75 or 2:6; the index = (A + B)/2 throughout
    x = np.array([[40.0, 80.0, 10.0, 30.0]])
    expected_a = (40 + 3 * 80) / 4
    expected_b = (10 + 30) / 2
    for weights in [(1, 3, 1, 1, 1, 1), (0.25, 0.75, 5, 5, 2, 2), (2, 6, 0.1, 0.1, 0.5, 0.5)]:
        scores = aggregate_all(x, read_meta(make_meta(weights)))
        assert_allclose(scores["A"], [expected_a], atol=ATOL)
        assert_allclose(scores["B"], [expected_b], atol=ATOL)
        assert_allclose(scores["I"], [(expected_a + expected_b) / 2], atol=ATOL)


def test_a_zero_weight_child_does_not_count(make_meta):
    scores = aggregate_all(np.array([[40.0, 80.0, 10.0, 30.0]]), read_meta(make_meta((0, 1, 1, 1, 1, 1))))
    assert_allclose(scores["A"], [80.0], atol=ATOL)


def test_aggregation_goes_level_by_level_through_missing_children(meta):
    # unit 2 lacks a: A = b alone; unit 3 lacks c and d: B missing, the index = A alone
    x = np.array([[40.0, 80.0, 10.0, 30.0], [np.nan, 80.0, 10.0, 30.0], [40.0, 80.0, np.nan, np.nan]])
    scores = aggregate_all(x, read_meta(meta))
    assert_allclose(scores["A"], [60.0, 80.0, 60.0], atol=ATOL)
    assert_allclose(scores["B"], [20.0, 20.0, np.nan], atol=ATOL)
    assert_allclose(scores["I"], [40.0, 50.0, 60.0], atol=ATOL)


def test_min_share_leaves_an_aggregate_missing_when_too_few_children_are_present(meta):
    x = np.array([[40.0, np.nan, 10.0, 30.0]])
    h = read_meta(meta)
    # A has 1 of 2 children: share 0.5
    assert_allclose(aggregate_all(x, h, min_share=0.5)["A"], [40.0], atol=ATOL)
    strict = aggregate_all(x, h, min_share=0.6)
    assert np.isnan(strict["A"]).all()
    assert_allclose(strict["B"], [20.0], atol=ATOL)
    # the rule holds at every level: the index has 1 of its 2 children, share 0.5 < 0.6
    assert np.isnan(strict["I"]).all()
    assert_allclose(aggregate_all(x, h, min_share=0.5)["I"], [30.0], atol=ATOL)


def test_min_share_is_read_from_the_spec(meta):
    data = pd.DataFrame({"uCode": ["u1"], "a": [40.0], "b": [np.nan], "c": [10.0], "d": [30.0]})
    result = build(data, meta, {"aggregate": {"method": "arithmetic", "min_share": 0.75}})
    assert np.isnan(result.scores.loc["u1", "A"])
    assert_allclose(result.scores.loc["u1", "B"], 20.0, atol=ATOL)
    assert np.isnan(result.scores.loc["u1", "I"])
    assert any("no I score" in w for w in result.warnings)


def test_custom_weights_for_an_unknown_code_are_a_spec_error(meta):
    data = pd.DataFrame({"uCode": ["u1"], "a": [40.0], "b": [80.0], "c": [10.0], "d": [30.0]})
    with pytest.raises(SpecError, match="weights for unknown code\\(s\\) zz"):
        build(data, meta, {"weights": {"method": "custom", "params": {"weights": {"zz": 1}}}})


def test_equal_weights_ignore_the_metadata_weights(make_meta):
    data = pd.DataFrame({"uCode": ["u1"], "a": [40.0], "b": [80.0], "c": [10.0], "d": [30.0]})
    result = build(data, make_meta((1, 3, 1, 9, 5, 1)), {"weights": "equal"})
    assert_allclose(result.scores.loc["u1", ["A", "B", "I"]].to_numpy(dtype=float), [60.0, 20.0, 40.0], atol=ATOL)


def test_custom_weights_from_the_spec_replace_the_metadata_weights(meta):
    data = pd.DataFrame({"uCode": ["u1"], "a": [40.0], "b": [80.0], "c": [10.0], "d": [30.0]})
    result = build(data, meta, {"weights": {"method": "custom", "params": {"weights": {"a": 3, "B": 3}}}})
    # A = (3·40 + 80)/4 = 50, B = 20, I = (50 + 3·20)/4 = 27.5
    assert_allclose(result.scores.loc["u1", ["A", "B", "I"]].to_numpy(dtype=float), [50.0, 20.0, 27.5], atol=ATOL)


def test_a_geometric_mean_of_equal_values_is_that_value():
    assert_allclose(agg("geometric", [7, 7, 7], [1, 2, 3]), [7.0], atol=ATOL)
    assert_allclose(agg("harmonic", [7, 7, 7], [1, 2, 3]), [7.0], atol=ATOL)
    assert math.isclose(float(agg("median", [7, 7, 7], [1, 2, 3])[0]), 7.0)


@pytest.mark.parametrize(
    ("method", "b_score"),
    [("arithmetic", 2.5), ("geometric", 2.0), ("harmonic", 1.6), ("median", 2.5)],  # of c = 1 and d = 4
)
def test_every_aggregator_skips_missing_children_and_honours_min_share(meta, method, b_score):
    x = np.array([[4.0, np.nan, 1.0, 4.0], [np.nan, np.nan, 1.0, 4.0]])
    h = read_meta(meta)
    lenient = aggregate_all(x, h, method)
    assert_allclose(lenient["A"], [4.0, np.nan], atol=ATOL)  # a alone; nothing for unit 2
    assert_allclose(lenient["B"], [b_score, b_score], atol=ATOL)
    assert_allclose(lenient["I"][1], b_score, atol=ATOL)  # unit 2's index: B alone
    strict = aggregate_all(x, h, method, min_share=0.6)
    assert np.isnan(strict["A"]).all()
    assert_allclose(strict["B"], [b_score, b_score], atol=ATOL)
    assert np.isnan(strict["I"]).all()  # 1 of 2 children present: share 0.5 < 0.6
