"""The data steps before treatment (methods.md §1–3): denominate, impute, screen units."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from icc.engine.composite import SpecError, build

ATOL = 1e-9


def one_level_meta(codes: list[str], denominators: dict[str, str] | None = None, groups=()) -> pd.DataFrame:
    """Indicators ``codes`` under one index, optional Denominator per indicator, Group and Denominator rows."""
    denominators = denominators or {}
    den_cols = sorted(set(denominators.values()))
    rows = [
        {"iCode": c, "Level": 1, "Parent": "I", "Weight": 1, "Direction": 1, "Denominator": denominators.get(c),
         "Type": "Indicator"}
        for c in codes
    ]  # fmt: skip
    rows.append({"iCode": "I", "Level": 2, "Parent": None, "Weight": 1, "Direction": 1, "Type": "Aggregate"})
    rows += [{"iCode": g, "Type": "Group"} for g in groups]
    rows += [{"iCode": d, "Type": "Denominator"} for d in den_cols]
    return pd.DataFrame(rows)


class TestDenominate:
    def test_each_indicator_is_divided_by_the_column_its_metadata_names(self):
        data = pd.DataFrame(
            {"uCode": ["u1", "u2", "u3", "u4"], "Pop": [10.0, 4.0, 5.0, 8.0], "a": [100.0, 6.0, 5.0, 2.0],
             "b": [1.0, 2.0, 3.0, 4.0]}
        )  # fmt: skip
        result = build(data, one_level_meta(["a", "b"], {"a": "Pop"}), {"denominate": "by_metadata"})
        stage = result.stages["denominate"]
        assert_allclose(stage["a"], [10.0, 1.5, 1.0, 0.25], atol=ATOL)
        assert_allclose(stage["b"], [1.0, 2.0, 3.0, 4.0], atol=ATOL)  # no Denominator: unchanged
        assert result.warnings == []

    def test_a_zero_or_missing_denominator_leaves_the_value_missing_with_a_warning(self):
        data = pd.DataFrame(
            {"uCode": ["u1", "u2", "u3", "u4"], "Pop": [10.0, 0.0, np.nan, 4.0], "a": [100.0, 5.0, 6.0, 8.0]}
        )
        result = build(data, one_level_meta(["a"], {"a": "Pop"}), {"denominate": "by_metadata"})
        assert_allclose(result.stages["denominate"]["a"], [10.0, np.nan, np.nan, 2.0], atol=ATOL)
        assert result.warnings[0] == "a: 2 unit(s) have no usable Pop (missing or 0): left missing"

    def test_a_denominator_column_the_data_lacks_is_a_spec_error(self):
        data = pd.DataFrame({"uCode": ["u1"], "a": [1.0]})
        with pytest.raises(SpecError, match="data lacks the denominator column Pop"):
            build(data, one_level_meta(["a"], {"a": "Pop"}), {"denominate": "by_metadata"})

    def test_the_columns_method_divides_the_indicators_it_names(self):
        data = pd.DataFrame({"uCode": ["u1", "u2"], "P": [2.0, 4.0], "a": [10.0, 10.0], "b": [1.0, 2.0]})
        result = build(
            data, one_level_meta(["a", "b"]), {"denominate": {"method": "columns", "params": {"columns": {"a": "P"}}}}
        )
        assert_allclose(result.stages["denominate"]["a"], [5.0, 2.5], atol=ATOL)
        assert_allclose(result.stages["denominate"]["b"], [1.0, 2.0], atol=ATOL)

    def test_the_columns_method_refuses_an_unknown_indicator(self):
        data = pd.DataFrame({"uCode": ["u1"], "P": [2.0], "a": [10.0]})
        with pytest.raises(SpecError, match="denominate: unknown indicator\\(s\\) z"):
            build(data, one_level_meta(["a"]), {"denominate": {"method": "columns", "params": {"columns": {"z": "P"}}}})


class TestImpute:
    # a: x-group donors 1, 3, 12 (mean 16/3, median 3); y-group donor 8; u5 is alone in z; u7 has no group.
    # over all units the donors are 1, 3, 8, 12: mean 6, median 5.5
    DATA = pd.DataFrame(
        {
            "uCode": ["u1", "u2", "u3", "u4", "u5", "u6", "u7"],
            "G": ["x", "x", "x", "y", "z", "x", None],
            "a": [1.0, np.nan, 3.0, 8.0, np.nan, 12.0, np.nan],
            "b": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0],
        }
    )
    META = one_level_meta(["a", "b"], groups=["G"])

    def imputed(self, spec) -> pd.Series:
        result = build(self.DATA, self.META, {"impute": spec})
        assert_allclose(result.stages["impute"]["b"], self.DATA["b"], atol=ATOL)  # nothing to impute there
        return result.stages["impute"]["a"]

    def test_mean_fills_with_the_mean_of_the_units_that_have_the_value(self):
        assert_allclose(self.imputed("mean"), [1, 6, 3, 8, 6, 12, 6], atol=ATOL)

    def test_median_fills_with_their_median(self):
        assert_allclose(self.imputed("median"), [1, 5.5, 3, 8, 5.5, 12, 5.5], atol=ATOL)

    def test_group_mean_fills_from_the_units_of_the_same_group_and_leaves_a_value_without_donor_missing(self):
        out = self.imputed({"method": "group_mean", "params": {"group": "G"}})
        assert_allclose(out, [1, 16 / 3, 3, 8, np.nan, 12, np.nan], atol=ATOL)

    def test_group_median_fills_with_the_groups_median(self):
        out = self.imputed({"method": "group_median", "params": {"group": "G"}})
        assert_allclose(out, [1, 3, 3, 8, np.nan, 12, np.nan], atol=ATOL)

    def test_an_indicator_missing_everywhere_stays_missing(self):
        data = self.DATA.assign(a=np.nan)
        result = build(data, self.META, {"impute": "mean"})
        assert result.stages["impute"]["a"].isna().all()

    def test_an_unknown_group_column_is_a_spec_error_naming_the_group_columns(self):
        with pytest.raises(SpecError, match="unknown group column 'H'; group columns: G"):
            build(self.DATA, self.META, {"impute": {"method": "group_mean", "params": {"group": "H"}}})


class TestScreen:
    # availability over 4 indicators: u1 4/4, u2 3/4, u3 2/4, u4 1/4
    DATA = pd.DataFrame(
        {
            "uCode": ["u1", "u2", "u3", "u4"],
            "a": [1.0, 2.0, 3.0, 4.0],
            "b": [1.0, 2.0, 3.0, np.nan],
            "c": [1.0, 2.0, np.nan, np.nan],
            "d": [1.0, np.nan, np.nan, np.nan],
        }
    )
    META = one_level_meta(["a", "b", "c", "d"])

    def kept(self, **params) -> list[str]:
        result = build(self.DATA, self.META, {"screen": {"method": "availability", "params": params}})
        assert list(result.scores.index) == list(result.stages["screen"].index)
        return list(result.stages["screen"].index)

    def test_units_below_the_threshold_are_dropped_and_a_unit_at_it_is_kept(self):
        assert self.kept(threshold=0.75) == ["u1", "u2"]
        assert self.kept(threshold=0.76) == ["u1"]
        assert self.kept(threshold=0.5) == ["u1", "u2", "u3"]
        assert self.kept(threshold=0) == ["u1", "u2", "u3", "u4"]

    def test_include_keeps_a_unit_whatever_its_data(self):
        assert self.kept(threshold=0.75, include=["u4"]) == ["u1", "u2", "u4"]

    def test_exclude_drops_a_unit_whatever_its_data(self):
        assert self.kept(threshold=0.5, exclude=["u1"]) == ["u2", "u3"]

    def test_exclude_wins_over_include(self):
        assert self.kept(threshold=0.0, include=["u2"], exclude=["u2"]) == ["u1", "u3", "u4"]

    def test_a_dropped_unit_is_absent_from_every_later_table(self):
        result = build(self.DATA, self.META, {"screen": {"method": "availability", "params": {"threshold": 0.75}}})
        assert list(result.table()["uCode"]) == ["u1", "u2"]
        assert list(result.stages["normalise"].index) == ["u1", "u2"]

    def test_an_unknown_unit_in_include_or_exclude_is_a_spec_error(self):
        with pytest.raises(SpecError, match="unknown unit\\(s\\) in include/exclude: u9"):
            self.kept(threshold=0.5, include=["u9"])

    def test_a_threshold_outside_0_1_is_a_spec_error(self):
        with pytest.raises(SpecError, match="threshold must be between 0 and 1"):
            self.kept(threshold=1.5)
