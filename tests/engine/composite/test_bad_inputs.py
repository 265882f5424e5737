"""Bad inputs are a SpecError that says what is wrong and what is valid: specs, metadata, data, assumptions,
replayed designs and weight sets."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from icc.engine.composite import Spec, SpecError, build, read_data, read_meta
from icc.engine.uncertainty import (
    CompositeModel,
    draw_design,
    parse_assumptions,
    read_assumptions,
    read_design,
    read_weight_sets,
)

DATA = pd.DataFrame(
    {
        "uCode": ["u1", "u2", "u3"],
        "a": [1.0, 2.0, 3.0],
        "b": [3.0, 1.0, 2.0],
        "c": [5.0, 4.0, 6.0],
        "d": [1.0, 0.0, 2.0],
    }
)


class TestSpec:
    def test_an_unknown_step_lists_the_steps_in_order(self):
        with pytest.raises(SpecError) as e:
            Spec.parse({"normalize": "minmax"})
        assert str(e.value) == (
            "spec: unknown step(s) normalize; valid steps, in order: "
            "denominate, impute, screen, treat, normalise, weights, aggregate"
        )

    def test_an_unknown_method_lists_the_methods_of_that_step(self):
        with pytest.raises(SpecError) as e:
            Spec.parse({"normalise": "minmix"})
        assert str(e.value) == (
            "normalise: unknown method 'minmix'; valid methods: distance_to_best, distance_to_target, goalposts, "
            "minmax, percentile_rank, rank, zscore"
        )

    def test_an_unknown_parameter_lists_the_methods_parameters(self):
        with pytest.raises(SpecError) as e:
            Spec.parse({"normalise": {"method": "minmax", "params": {"low": 1}}})
        assert str(e.value) == "normalise method 'minmax': unknown parameter(s) low; valid parameters: lower, upper"

    def test_a_missing_required_parameter_is_named(self):
        with pytest.raises(SpecError) as e:
            Spec.parse({"impute": "group_mean"})
        assert str(e.value) == "impute method 'group_mean': missing required parameter(s) group"

    def test_an_unknown_key_of_a_step_lists_the_valid_keys(self):
        with pytest.raises(SpecError, match="normalise: unknown key\\(s\\) min_share; valid keys: method, params"):
            Spec.parse({"normalise": {"method": "minmax", "min_share": 0.5}})

    def test_a_step_that_is_neither_a_name_nor_a_mapping_is_refused(self):
        with pytest.raises(SpecError, match="normalise: give a method name or"):
            Spec.parse({"normalise": 3})

    def test_min_share_outside_0_1_is_refused(self):
        with pytest.raises(SpecError, match="min_share must be between 0 and 1"):
            Spec.parse({"aggregate": {"method": "arithmetic", "min_share": 2}})

    def test_a_min_share_that_is_no_number_is_a_spec_error(self):
        with pytest.raises(SpecError, match="min_share"):
            Spec.parse({"aggregate": {"method": "arithmetic", "min_share": "x"}})

    def test_a_parameter_of_the_wrong_type_is_a_spec_error(self, meta):
        with pytest.raises(SpecError, match="lower"):
            build(DATA, meta, {"normalise": {"method": "minmax", "params": {"lower": "zero"}}})

    def test_a_spec_file_that_is_not_yaml_or_not_a_mapping_is_refused(self, tmp_path):
        bad = tmp_path / "bad.yaml"
        bad.write_text("normalise: [minmax\n", encoding="utf-8")
        with pytest.raises(SpecError, match="not valid YAML"):
            Spec.read(str(bad))
        bad.write_text("- minmax\n", encoding="utf-8")
        with pytest.raises(SpecError, match="a spec is a mapping of step: method"):
            Spec.read(str(bad))


class TestMetadata:
    def problems(self, meta: pd.DataFrame) -> str:
        with pytest.raises(SpecError) as e:
            read_meta(meta)
        return str(e.value)

    def test_a_hierarchy_without_a_top_says_so(self, meta):
        meta.loc[meta["iCode"] == "I", "Parent"] = "Top"
        message = self.problems(meta)
        assert "the hierarchy needs exactly one top code without Parent; found 0: -" in message
        assert "I: Parent 'Top' is not an Aggregate of the metadata" in message

    def test_a_hierarchy_with_two_tops_names_them(self, meta):
        meta.loc[meta["iCode"] == "B", "Parent"] = None
        assert "exactly one top code without Parent; found 2: B, I" in self.problems(meta)

    def test_an_unknown_parent_is_named(self, meta):
        meta.loc[meta["iCode"] == "a", "Parent"] = "Q"
        assert "a: Parent 'Q' is not an Aggregate of the metadata" in self.problems(meta)

    def test_a_direction_other_than_plus_or_minus_one_is_refused(self, meta):
        meta.loc[meta["iCode"] == "a", "Direction"] = 2
        assert "metadata row 2 (a): Direction must be 1 or -1, not 2" in self.problems(meta)

    def test_a_direction_that_is_no_number_is_refused(self, meta):
        meta["Direction"] = meta["Direction"].astype(object)
        meta.loc[meta["iCode"] == "a", "Direction"] = "up"
        assert "Direction must be 1 or -1, not 'up'" in self.problems(meta)

    def test_siblings_whose_weights_are_all_zero_are_refused(self, meta):
        meta.loc[meta["iCode"].isin(["a", "b"]), "Weight"] = 0
        assert "the children of A (a, b) all have weight 0" in self.problems(meta)

    def test_a_negative_or_missing_weight_is_refused(self, meta):
        meta["Weight"] = meta["Weight"].astype(float)
        meta.loc[meta["iCode"] == "a", "Weight"] = -1.0
        assert "metadata row 2 (a): Weight must be a number ≥ 0, not -1.0" in self.problems(meta)

    def test_a_missing_column_is_named_with_the_columns_there_are(self, meta):
        message = self.problems(meta.drop(columns=["Weight"]))
        assert message.startswith("metadata lacks column(s) Weight; it has iCode, Level, Parent")

    def test_every_problem_is_listed_at_once(self, meta):
        meta.loc[meta["iCode"] == "a", "Parent"] = "Q"
        meta.loc[meta["iCode"] == "c", "Direction"] = 0
        message = self.problems(meta)
        assert "a: Parent 'Q'" in message and "(c): Direction must be 1 or -1" in message


class TestData:
    def problems(self, data: pd.DataFrame, meta: pd.DataFrame) -> str:
        with pytest.raises(SpecError) as e:
            read_data(data, read_meta(meta))
        return str(e.value)

    def test_data_without_ucode_is_refused(self, meta):
        assert self.problems(DATA.drop(columns=["uCode"]), meta).startswith("data lacks the column uCode; it has a, b")

    def test_a_duplicated_ucode_is_named(self, meta):
        data = DATA.assign(uCode=["u1", "u2", "u1"])
        assert "uCode listed twice: u1" in self.problems(data, meta)

    def test_an_empty_ucode_is_located(self, meta):
        data = DATA.assign(uCode=["u1", None, "u3"])
        assert "uCode is empty on data row(s) 3" in self.problems(data, meta)

    def test_a_non_numeric_cell_is_named(self, meta):
        data = DATA.assign(b=["3", "abc", "2"])
        assert "indicator b: not a number in 1 cell(s), e.g. u2='abc'" in self.problems(data, meta)

    def test_a_missing_indicator_column_is_named(self, meta):
        assert "data lacks indicator column(s) d" in self.problems(DATA.drop(columns=["d"]), meta)

    def test_blank_and_na_cells_are_missing_values_not_errors(self, meta, tmp_path):
        path = tmp_path / "data.csv"
        path.write_text("uCode,a,b,c,d\nu1,1,,3,NA\nu2,2,2,3,4\n", encoding="utf-8")
        values, _ = read_data(str(path), read_meta(meta))
        assert values.loc["u1"].isna().tolist() == [False, True, False, True]


ASSUMPTION_SPEC = Spec.parse({"treat": {"method": "winsorise", "params": {"winmax": 5}}, "normalise": "minmax"})


class TestAssumptions:
    def problem(self, raw, meta) -> str:
        with pytest.raises(SpecError) as e:
            parse_assumptions(raw, read_meta(meta), ASSUMPTION_SPEC)
        return str(e.value)

    def test_the_assumptions_must_be_a_list(self, meta):
        assert self.problem({"assumption": []}, meta) == "assumptions: give a list under the key 'assumptions'"

    def test_an_unknown_step_of_an_alternative_lists_the_steps(self, meta):
        raw = {"assumptions": [{"name": "N", "step": "normalize", "alternatives": [{"name": "z", "method": "zscore"}]}]}
        assert self.problem(raw, meta).startswith(
            "assumption 'N', alternative 'z': unknown step 'normalize'; valid steps: denominate"
        )

    def test_an_unknown_method_of_an_alternative_lists_the_methods(self, meta):
        raw = {"assumptions": [{"name": "N", "step": "normalise", "alternatives": [{"name": "z", "method": "z"}]}]}
        message = self.problem(raw, meta)
        assert message.startswith("assumption 'N', alternative 'z': normalise: unknown method 'z'; valid methods:")
        assert "zscore" in message

    def test_an_unknown_parameter_of_an_alternative_lists_the_parameters(self, meta):
        raw = {"assumptions": [{"name": "W", "step": "treat", "alternatives": [{"name": "1", "params": {"wm": 1}}]}]}
        assert "unknown parameter(s) wm; valid parameters: winmax" in self.problem(raw, meta)

    def test_an_alternative_for_a_step_the_spec_skips_needs_a_method(self, meta):
        raw = {"assumptions": [{"name": "I", "step": "impute", "alternatives": [{"name": "m", "params": {}}]}]}
        assert "the spec has no impute step to change; give a method" in self.problem(raw, meta)

    def test_each_assumption_needs_a_name_and_alternatives(self, meta):
        assert self.problem({"assumptions": [{"step": "treat"}]}, meta) == "assumption 1: each assumption needs a name"
        assert "give a step and a list of alternatives" in self.problem({"assumptions": [{"name": "W"}]}, meta)

    def test_alternative_names_must_differ(self, meta):
        alts = [{"name": "x", "params": {"winmax": 1}}, {"name": "x", "params": {"winmax": 2}}]
        raw = {"assumptions": [{"name": "W", "step": "treat", "alternatives": alts}]}
        assert "alternative names must differ" in self.problem(raw, meta)

    def test_assumption_names_must_differ(self, meta):
        one = {"name": "W", "step": "treat", "alternatives": [{"name": "1", "params": {"winmax": 1}}]}
        assert "the name is used twice or reserved" in self.problem({"assumptions": [one, one]}, meta)

    def test_weights_noise_on_a_level_without_weights_lists_the_levels(self, meta):
        raw = {"assumptions": [{"name": "W", "type": "weights", "noise": {3: 0.2}}]}
        assert self.problem(raw, meta) == "assumption 'W': level 3 has no weights to vary; levels: 1, 2"

    @pytest.mark.parametrize("factor", [1.0, -0.1])
    def test_a_noise_factor_outside_0_1_is_refused(self, meta, factor):
        raw = {"assumptions": [{"name": "W", "type": "weights", "noise": {2: factor}}]}
        assert "noise factor must be in [0, 1)" in self.problem(raw, meta)

    def test_an_unknown_assumption_type_lists_the_types(self, meta):
        raw = {"assumptions": [{"name": "W", "type": "weight", "noise": {2: 0.1}}]}
        assert self.problem(raw, meta) == "assumption 'W': type must be discrete or weights, not 'weight'"

    def test_two_weights_assumptions_are_refused(self, meta):
        raw = {"assumptions": [{"name": n, "type": "weights", "noise": {2: 0.1}} for n in ("W1", "W2")]}
        assert self.problem(raw, meta) == "assumptions: at most one weights assumption"

    def test_alternative_params_that_are_not_a_mapping_are_a_spec_error(self, meta):
        raw = {"assumptions": [{"name": "W", "step": "treat", "alternatives": [{"name": "1", "params": [1]}]}]}
        assert "params" in self.problem(raw, meta)

    def test_an_assumptions_file_that_is_not_yaml_is_refused(self, meta, tmp_path):
        path = tmp_path / "a.yaml"
        path.write_text("assumptions: [{name: W\n", encoding="utf-8")
        with pytest.raises(SpecError, match="not valid YAML"):
            read_assumptions(str(path), read_meta(meta), ASSUMPTION_SPEC)


class TestReplayFiles:
    RAW = {
        "assumptions": [
            {"name": "Winmax", "step": "treat",
             "alternatives": [{"name": str(k), "params": {"winmax": k}} for k in (1, 2)]},
            {"name": "Weights", "type": "weights", "noise": {2: 0.25}},
        ]
    }  # fmt: skip

    @pytest.fixture
    def study(self, meta):
        model = CompositeModel.from_inputs(DATA, meta, ASSUMPTION_SPEC)
        assumptions = parse_assumptions(self.RAW, model.hierarchy, model.spec)
        design = draw_design(assumptions, 4, np.random.default_rng(0), model.hierarchy)
        return model, assumptions, design

    def test_a_design_with_an_unknown_alternative_lists_the_alternatives(self, study):
        model, assumptions, design = study
        table = design.table(assumptions)
        table.loc[2, "Winmax"] = "7"
        with pytest.raises(SpecError) as e:
            read_design(table, assumptions, model.hierarchy, design.weight_table(model.hierarchy))
        assert "column Winmax, row 4: '7' is not an alternative (1, 2); 1 such row(s)" in str(e.value)

    def test_a_design_without_an_assumptions_column_names_it(self, study):
        model, assumptions, design = study
        table = design.table(assumptions).drop(columns=["Winmax"])
        with pytest.raises(SpecError, match="design lacks column\\(s\\) Winmax; it has run, WeightSet"):
            read_design(table, assumptions, model.hierarchy, design.weight_table(model.hierarchy))

    def test_a_design_with_weights_needs_the_weight_sets(self, study):
        model, assumptions, design = study
        with pytest.raises(SpecError, match="give the weight sets"):
            read_design(design.table(assumptions), assumptions, model.hierarchy)

    def test_a_design_naming_a_set_the_weight_sets_lack_is_refused(self, study):
        model, assumptions, design = study
        table = design.table(assumptions)
        table.loc[0, "WeightSet"] = 99
        with pytest.raises(SpecError, match="column WeightSet, row 2: set '99' is not in the weight sets"):
            read_design(table, assumptions, model.hierarchy, design.weight_table(model.hierarchy))

    def test_weight_sets_with_an_unknown_icode_are_refused(self, study):
        model, _, design = study
        sets = design.weight_table(model.hierarchy)
        sets.loc[1, "iCode"] = "Zzz"
        with pytest.raises(SpecError) as e:
            read_weight_sets(sets, model.hierarchy)
        assert "row 3: iCode 'Zzz' has no weight to set (valid: a, b, c, d, A, B" in str(e.value)

    def test_weight_sets_with_a_bad_weight_or_level_are_refused(self, study):
        model, _, design = study
        sets = design.weight_table(model.hierarchy).astype({"Weight": object, "Level": object})
        sets.loc[0, "Weight"] = "heavy"
        sets.loc[1, "Level"] = 2
        with pytest.raises(SpecError) as e:
            read_weight_sets(sets, model.hierarchy)
        assert "row 2: Weight 'heavy' is not a number ≥ 0" in str(e.value)
        assert "row 3: b is on level 1, not 2" in str(e.value)
