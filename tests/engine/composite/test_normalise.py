"""Normalisation (methods.md §5): direction first, then each method, on x = 2, 4, 4, 10 worked by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from icc.engine.composite import NORMALISERS, SpecError, build, read_meta
from icc.engine.composite.steps import Context

ATOL = 1e-9
X = [2.0, 4.0, 4.0, 10.0]
UNITS = ["u1", "u2", "u3", "u4"]


def normalise(method: str, values: list[float], direction: int = 1, params=None, target=None):
    """Run one normaliser on one indicator ``x`` (of the given direction and Target) of units u1…"""
    meta = pd.DataFrame(
        {
            "iCode": ["x", "I"],
            "Level": [1, 2],
            "Parent": ["I", None],
            "Weight": [1, 1],
            "Direction": [direction, 1],
            "Target": [target, None],
            "Type": ["Indicator", "Aggregate"],
        }
    )
    h = read_meta(meta)
    index = pd.Index(UNITS[: len(values)], name="uCode")
    frame = pd.DataFrame({"x": values}, index=index)
    ctx = Context(h, pd.DataFrame({"uName": list(index)}, index=index))
    return NORMALISERS.call(method, params or {}, frame, ctx)


def column(method: str, values=X, **kwargs) -> np.ndarray:
    return normalise(method, list(values), **kwargs).data["x"].to_numpy()


def test_minmax_maps_the_range_onto_0_100_by_default():
    # (x − 2)/(10 − 2)·100
    assert_allclose(column("minmax"), [0.0, 25.0, 25.0, 100.0], atol=ATOL)


def test_minmax_maps_onto_the_given_bounds():
    # (x − 2)/8·(100 − 1) + 1
    assert_allclose(column("minmax", params={"lower": 1, "upper": 100}), [1.0, 25.75, 25.75, 100.0], atol=ATOL)


def test_zscore_uses_the_sample_standard_deviation():
    # mean 5, deviations −3, −1, −1, 5, Σd² = 36, sample variance 36/3 = 12
    sd = math.sqrt(12)
    assert_allclose(column("zscore"), [-3 / sd, -1 / sd, -1 / sd, 5 / sd], atol=ATOL)
    assert_allclose(
        column("zscore", params={"mean": 10, "sd": 2}), [10 - 6 / sd, 10 - 2 / sd, 10 - 2 / sd, 10 + 10 / sd], atol=ATOL
    )


def test_rank_gives_tied_values_the_lowest_rank():
    assert_allclose(column("rank"), [1.0, 2.0, 2.0, 4.0], atol=ATOL)


def test_percentile_rank_is_rank_minus_one_over_n_minus_one():
    assert_allclose(column("percentile_rank"), [0.0, 1 / 3, 1 / 3, 1.0], atol=ATOL)


def test_distance_to_best_is_one_for_the_best_unit_and_zero_for_the_worst():
    # 1 − (10 − x)/(10 − 2)
    assert_allclose(column("distance_to_best"), [0.0, 0.25, 0.25, 1.0], atol=ATOL)


def test_distance_to_target_is_uncapped_by_default_as_coinr_and_capped_at_one_on_request():
    # target 8: 1 − (8 − x)/(8 − 2) → 0, 1/3, 1/3, 4/3 (COINr's n_dist2targ: cap_max = FALSE), capped: 1
    assert_allclose(column("distance_to_target", target=8), [0.0, 1 / 3, 1 / 3, 4 / 3], atol=ATOL)
    assert_allclose(column("distance_to_target", target=8, params={"cap": True}), [0.0, 1 / 3, 1 / 3, 1.0], atol=ATOL)


def test_distance_to_target_needs_a_target_for_every_indicator():
    with pytest.raises(SpecError, match="no Target in the metadata for x"):
        column("distance_to_target")


def test_goalposts_scale_between_fixed_bounds_and_clip():
    # (x − 0)/(8 − 0), clipped to [0, 1], × 100: 10 is beyond the upper goalpost
    assert_allclose(column("goalposts", params={"lower": 0, "upper": 8}), [25.0, 50.0, 50.0, 100.0], atol=ATOL)
    assert_allclose(column("goalposts", params={"lower": 3, "upper": 8, "scale": 1}), [0.0, 0.2, 0.2, 1.0], atol=ATOL)


class TestDirectionMinusOne:
    """A direction −1 indicator is multiplied by −1 first: its lowest raw value becomes the best."""

    def test_minmax(self):
        assert_allclose(column("minmax", direction=-1), [100.0, 75.0, 75.0, 0.0], atol=ATOL)

    def test_zscore(self):
        sd = math.sqrt(12)
        assert_allclose(column("zscore", direction=-1), [3 / sd, 1 / sd, 1 / sd, -5 / sd], atol=ATOL)

    def test_rank(self):
        # −x = −2, −4, −4, −10: ranks 4, 2, 2, 1
        assert_allclose(column("rank", direction=-1), [4.0, 2.0, 2.0, 1.0], atol=ATOL)

    def test_percentile_rank(self):
        assert_allclose(column("percentile_rank", direction=-1), [1.0, 1 / 3, 1 / 3, 0.0], atol=ATOL)

    def test_distance_to_best(self):
        assert_allclose(column("distance_to_best", direction=-1), [1.0, 0.75, 0.75, 0.0], atol=ATOL)

    def test_distance_to_target(self):
        # lower is better, target 4: 1 − (x − 4)/(10 − 4) → 4/3 (capped 1), 1, 1, 0
        assert_allclose(
            column("distance_to_target", direction=-1, target=4, params={"cap": True}), [1.0, 1.0, 1.0, 0.0], atol=ATOL
        )

    def test_goalposts_in_the_indicators_own_units(self):
        # bounds 0 (best) … 8 (worst): (8 − x)/8, clipped, × 100
        assert_allclose(
            column("goalposts", direction=-1, params={"lower": 0, "upper": 8}), [75.0, 50.0, 50.0, 0.0], atol=ATOL
        )


def test_missing_values_stay_missing_and_do_not_count():
    values = [2.0, np.nan, 4.0, 10.0]
    assert_allclose(column("minmax", values), [0.0, np.nan, 25.0, 100.0], atol=ATOL)
    # n = 3 present values: ranks 1, 2, 3 → (rank − 1)/2
    assert_allclose(column("percentile_rank", values), [0.0, np.nan, 0.5, 1.0], atol=ATOL)
    assert_allclose(column("rank", values), [1.0, np.nan, 2.0, 3.0], atol=ATOL)


@pytest.mark.parametrize("method", ["minmax", "zscore", "percentile_rank", "distance_to_best"])
def test_a_constant_indicator_is_left_missing_with_a_warning(method):
    out = normalise(method, [5.0, 5.0, 5.0, 5.0])
    assert out.data["x"].isna().all()
    assert len(out.warnings) == 1 and out.warnings[0].startswith("x: constant")


def test_a_constant_indicator_does_not_stop_the_pipeline():
    meta = pd.DataFrame(
        {
            "iCode": ["flat", "live", "I"],
            "Level": [1, 1, 2],
            "Parent": ["I", "I", None],
            "Weight": [1, 1, 1],
            "Direction": [1, 1, 1],
            "Type": ["Indicator", "Indicator", "Aggregate"],
        }
    )
    data = pd.DataFrame({"uCode": UNITS, "flat": [3.0] * 4, "live": X})
    result = build(data, meta, {"normalise": "minmax"})
    assert result.normalised["flat"].isna().all()
    assert any(w.startswith("flat: constant") for w in result.warnings)
    # the index is the mean of the children present: the live indicator alone
    assert_allclose(result.scores["I"], [0.0, 25.0, 25.0, 100.0], atol=ATOL)


@pytest.mark.parametrize(
    ("method", "params", "message"),
    [
        ("minmax", {"lower": 5, "upper": 5}, "upper .* must be above lower"),
        ("zscore", {"sd": 0}, "sd must be positive"),
        ("goalposts", {"lower": 3, "upper": 3}, "lower and upper must differ"),
    ],
)
def test_degenerate_parameters_are_refused(method, params, message):
    with pytest.raises(SpecError, match=message):
        normalise(method, X, params=params)


@pytest.mark.parametrize(
    ("method", "params", "target"),
    [("rank", {}, None), ("distance_to_target", {}, 8.0), ("goalposts", {"lower": 0, "upper": 10}, None)],
)
def test_every_normaliser_leaves_a_constant_indicator_missing_with_a_warning(method, params, target):
    out = normalise(method, [5.0, 5.0, 5.0, 5.0], params=params, target=target)
    assert out.data["x"].isna().all()
    assert len(out.warnings) == 1
