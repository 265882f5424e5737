"""Results (methods.md §8): ranks at every level with ties "min", ranks within groups, strengths and weaknesses."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from icc.engine.composite import SpecError, build, rank_desc

ATOL = 1e-9

# Without normalisation the values are the scores: A = (a + b)/2, B = (c + d)/2, I = (A + B)/2
#        a   b   c   d    A   B   I
# u1    40  60  50  50   50  50  50
# u2    80  60  70  70   70  70  70
# u3    50  50  60  40   50  50  50
# u4    10  30  20  20   20  20  20
DATA = pd.DataFrame(
    {
        "uCode": ["u1", "u2", "u3", "u4"],
        "uName": ["One", "Two", "Three", "Four"],
        "G": ["x", "y", "x", "y"],
        "a": [40.0, 80.0, 50.0, 10.0],
        "b": [60.0, 60.0, 50.0, 30.0],
        "c": [50.0, 70.0, 60.0, 20.0],
        "d": [50.0, 70.0, 40.0, 20.0],
    }
)


@pytest.fixture
def result(meta):
    groups = pd.concat([meta, pd.DataFrame([{"iCode": "G", "Type": "Group"}])], ignore_index=True)
    return build(DATA, groups, {})


def test_rank_desc_gives_the_highest_score_rank_one_and_ties_the_lowest_rank():
    assert_allclose(rank_desc(np.array([70.0, 80.0, 70.0, np.nan, 10.0])), [2, 1, 2, np.nan, 4], atol=ATOL)


def test_ranks_run_along_units_on_every_level(result):
    assert_allclose(result.ranks["I"], [2, 1, 2, 4], atol=ATOL)
    assert_allclose(result.ranks["A"], [2, 1, 2, 4], atol=ATOL)
    assert_allclose(result.ranks["a"], [3, 1, 2, 4], atol=ATOL)
    assert_allclose(result.ranks["b"], [1, 1, 3, 4], atol=ATOL)


def test_the_results_table_has_ucode_uname_indicators_aggregates_and_the_rank_of_the_index(result):
    table = result.table()
    assert list(table.columns) == ["uCode", "uName", "a", "b", "c", "d", "A", "B", "I", "Rank"]
    assert table["uName"].tolist() == ["One", "Two", "Three", "Four"]
    assert_allclose(table["I"], [50, 70, 50, 20], atol=ATOL)
    assert_allclose(table["Rank"], [2, 1, 2, 4], atol=ATOL)


def test_group_ranks_rank_each_unit_among_the_units_of_its_group(result):
    by_group = result.group_ranks("G")
    assert_allclose(by_group.loc[["u1", "u3"]], [1, 1], atol=ATOL)  # tied at 50 in group x
    assert_allclose(by_group.loc[["u2", "u4"]], [1, 2], atol=ATOL)
    assert_allclose(result.group_ranks("G", "a").loc[["u1", "u3", "u2", "u4"]], [2, 1, 1, 2], atol=ATOL)


def test_group_ranks_of_an_unknown_group_column_is_a_spec_error(result):
    with pytest.raises(SpecError, match="unknown group column 'H'; group columns: G"):
        result.group_ranks("H")


def test_strengths_and_weaknesses_are_the_units_best_and_worst_ranked_indicators(result):
    # u1's ranks: a 3, b 1 (tied with u2), c 3, d 2
    strengths, weaknesses = result.strengths_weaknesses("u1", n=2)
    assert list(strengths.columns) == ["iCode", "iName", "Value", "Rank"]
    assert strengths["iCode"].tolist() == ["b", "d"]
    assert_allclose(strengths["Rank"], [1, 2], atol=ATOL)
    assert_allclose(strengths["Value"], [60, 50], atol=ATOL)
    assert sorted(weaknesses["iCode"]) == ["a", "c"]
    assert_allclose(weaknesses["Rank"], [3, 3], atol=ATOL)


def test_a_direction_minus_one_indicator_ranks_its_lowest_value_best(make_meta):
    result = build(DATA, make_meta(directions=(-1, 1, 1, 1)), {"normalise": "minmax"})
    assert_allclose(result.ranks["a"], [2, 4, 3, 1], atol=ATOL)
    strengths, _ = result.strengths_weaknesses("u4", n=1)
    assert strengths["iCode"].tolist() == ["a"]


def test_strengths_of_an_unknown_unit_is_a_spec_error(result):
    with pytest.raises(SpecError, match="unknown unit 'u9'"):
        result.strengths_weaknesses("u9")
