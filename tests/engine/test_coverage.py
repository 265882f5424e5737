"""Minimum coverage: under an exclude rule a score needs enough known answers; the coverage table says why not."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from icc.engine import COVERAGE_COLUMNS, coverage, score_answers
from icc.framework import load_shipped
from icc.framework.checks import validate


@pytest.fixture
def excluding(tiny):
    fw = tiny.model_copy(deep=True)
    fw.rules.dont_know = "exclude"
    fw.rules.unanswered = "exclude"
    return fw


def test_one_yes_no_longer_gives_a_full_score_and_rank_one():
    fw = load_shipped("icc-2019").model_copy(deep=True)
    fw.rules.dont_know = fw.rules.unanswered = "exclude"
    answers = pd.DataFrame({"commitment-statement": ["yes", "yes"], "commitment-strategy": [None, "no"]})
    s = score_answers(answers, fw)
    assert s.iloc[0].isna().all()  # 1 of 7 commitment questions known: nothing is scored, so nothing is ranked
    lax = fw.model_copy(deep=True)
    lax.rules.min_coverage = 0.0
    assert score_answers(answers, lax).loc[0, "index_core"] == 100.0  # the old behaviour


def test_an_area_needs_the_share_of_known_answers_the_rule_asks(excluding):
    answers = pd.DataFrame({"e1": ["yes", "yes"], "e2": [None, "x"], "s1": [None, 25], "s2": ["dont_know", "no"]})
    s = score_answers(answers, excluding)
    # edu: 1 of 2 known = 0.5 passes the default 0.5; space: 0 of 2 fails
    assert_allclose(s["edu"], [100.0, 75.0])
    assert np.isnan(s["space"].iloc[0]) and s["space"].iloc[1] == 50.0
    stricter = excluding.model_copy(deep=True)
    stricter.rules.min_coverage = 0.75
    assert np.isnan(score_answers(answers, stricter)["edu"].iloc[0])


def test_the_zero_rule_never_loses_a_score_to_coverage(tiny):
    s = score_answers(pd.DataFrame({"c1": [None], "e1": ["dont_know"]}), tiny)
    assert not s.isna().any(axis=None)


def test_the_coverage_table_counts_answers_per_response_and_item(tiny):
    answers = pd.DataFrame(
        {"c1": ["no", "yes"], "c2": [None, "dont_know"], "e1": ["dont_know", "yes"], "e2": [None, "x;y"]},
        index=pd.MultiIndex.from_tuples([("oslo", 2025), ("bilbao", 2025)], names=["city", "edition"]),
    )
    table = coverage(answers, tiny)
    assert list(table.columns) == ["city", "edition", *COVERAGE_COLUMNS]
    row = table.set_index(["city", "item"])
    assert row.loc[
        ("oslo", "commitment"), ["answered", "dont_know", "unanswered", "not_asked", "counting"]
    ].tolist() == [1, 0, 0, 1, 2]
    assert row.loc[("bilbao", "commitment"), ["answered", "dont_know", "unanswered", "not_asked"]].tolist() == [
        1,
        1,
        0,
        0,
    ]
    assert row.loc[("oslo", "edu"), ["answered", "dont_know", "unanswered"]].tolist() == [0, 1, 1]
    assert row.loc[("oslo", "index_core"), "answered"] == 1  # commitment and lens questions summed
    assert table["scored"].all() and table["reason"].isna().all()


def test_the_coverage_table_says_why_a_score_is_missing(excluding):
    table = coverage(pd.DataFrame({"c1": ["yes"], "e1": ["dont_know"], "e2": ["x"]}, index=["oslo"]), excluding)
    row = table.set_index("item")
    assert row.loc["commitment", "reason"] is None
    assert row.loc["edu", "coverage"] == 0.5 and row.loc["edu", "reason"] is None
    assert row.loc["space", "reason"] == "too_few_answers" and row.loc["space", "coverage"] == 0.0
    assert row.loc["lens", "reason"] is None and row.loc["lens", "coverage"] == 0.5
    assert bool(row.loc["index_core", "scored"])
    assert row.loc["participation", "reason"] == "too_few_answers"
    lax = excluding.model_copy(deep=True)
    lax.rules.min_coverage = 0.0
    assert coverage(pd.DataFrame({"e1": ["dont_know"]}), lax).set_index("item").loc["edu", "reason"] == "nothing_counts"


def test_the_table_agrees_with_the_scores(excluding):
    answers = pd.DataFrame({"c1": ["no", None, "yes"], "e1": ["yes", "dont_know", None], "s1": [30, None, 5]})
    scores = score_answers(answers, excluding)
    table = coverage(answers, excluding)
    for _, r in table.iterrows():
        assert r["scored"] == (not np.isnan(scores.loc[r["response"], r["item"]]))


@pytest.mark.parametrize("value", [-0.1, 1.5])
def test_min_coverage_outside_0_to_1_is_refused(value):
    data = load_shipped("icc-2019").model_dump(mode="json", by_alias=True)
    data["rules"]["min_coverage"] = value
    fw, problems = validate(data)
    assert fw is None and any(path[:2] == ("rules", "min_coverage") for path, _ in problems)
