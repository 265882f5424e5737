"""Scoring: hand-computed area scores, don't-know rules, skip logic, lens, weights and the index."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from icc.engine import AnswerError, answers_from_long, question_points, score_answers

ATOL = 1e-9


@pytest.fixture
def answers():
    return pd.DataFrame(
        {
            "c1": ["yes", "no", "partly"],
            "c2": ["c", None, "a"],
            "e1": ["partly", "dont_know", "yes"],
            "e2": ["x;y;z", "x", None],
            "s1": [25, 10, "dont_know"],
            "s2": ["dont_know", "no", "yes"],
            "p1": ["no", "yes", "partly"],
        },
        index=pd.Index(["A", "B", "C"], name="city"),
    )


def test_it_scores_areas_as_points_obtained_over_points_possible(tiny, answers):
    s = score_answers(answers, tiny)
    # A: c1 2/2 + c2 3/3; B: c1 0/2, c2 not applicable; C: c1 1/2 + c2 0/3
    assert_allclose(s["commitment"], [100.0, 0.0, 20.0], atol=ATOL)
    # A: e1 1/2 + e2 min(3, 2)/2; B: e1 don't know = 0/2 + e2 1/2; C: e1 2/2 + e2 unanswered 0/2
    assert_allclose(s["edu"], [75.0, 25.0, 50.0], atol=ATOL)
    # A: s1 2/2, s2 don't know excluded; B: s1 1/2 + s2 0/2; C: s1 don't know 0/2 + s2 2/2
    assert_allclose(s["space"], [100.0, 25.0, 50.0], atol=ATOL)


def test_the_lens_is_the_mean_of_its_subareas(tiny, answers):
    s = score_answers(answers, tiny)
    assert_allclose(s["lens"], [87.5, 25.0, 50.0], atol=ATOL)


def test_the_core_index_is_the_weighted_mean_of_core_areas(tiny, answers):
    s = score_answers(answers, tiny)
    # commitment weight 2, lens weight 1; participation is extended only
    assert_allclose(s["index_core"], [(2 * 100 + 87.5) / 3, (0 + 25) / 3, (2 * 20 + 50) / 3], atol=ATOL)


def test_the_extended_index_adds_the_extended_areas(tiny, answers):
    s = score_answers(answers, tiny)
    assert_allclose(s["index_extended"], [(200 + 87.5 + 0) / 4, (0 + 25 + 100) / 4, (40 + 50 + 50) / 4], atol=ATOL)


def test_dont_know_excluded_leaves_the_denominator(tiny):
    qp = question_points(pd.DataFrame({"s2": ["dont_know"]}), tiny)
    j = qp.question_ids.index("s2")
    assert not qp.counts[0, j] and qp.points[0, j] == 0 and qp.maximum[0, j] == 0
    assert np.isnan(qp.ratio().loc[0, "s2"])


def test_the_framework_can_exclude_every_dont_know(tiny):
    fw = tiny.model_copy(deep=True)
    fw.rules.dont_know = "exclude"
    s = score_answers(pd.DataFrame({"e1": ["dont_know"], "e2": ["x"]}), fw)
    assert_allclose(s["edu"], [50.0], atol=ATOL)  # only e2 counts: 1/2


def test_unanswered_can_be_excluded_too(tiny):
    fw = tiny.model_copy(deep=True)
    fw.rules.unanswered = "exclude"
    s = score_answers(pd.DataFrame({"e1": ["yes"]}), fw)
    assert_allclose(s["edu"], [100.0], atol=ATOL)
    assert np.isnan(s["commitment"].iloc[0])  # nothing counted in commitment
    assert_allclose(s["index_core"], [100.0], atol=ATOL)  # missing areas skipped, weights renormalised


def test_a_question_whose_condition_fails_does_not_count(tiny):
    s = score_answers(pd.DataFrame({"c1": ["no", None, "dont_know"], "c2": ["c", "c", "c"]}), tiny)
    assert_allclose(s["commitment"], [0.0, 0.0, 0.0], atol=ATOL)


def test_weights_change_the_index_as_stated(tiny, answers):
    fw = tiny.model_copy(deep=True)
    fw.areas[0].weight = 1
    s = score_answers(answers, fw)
    assert_allclose(s["index_core"], [(100 + 87.5) / 2, 12.5, 35.0], atol=ATOL)


def test_it_lists_every_invalid_answer(tiny):
    bad = pd.DataFrame({"c1": ["maybe"], "s1": [130], "e2": ["x;w"]}, index=["Oslo"])
    with pytest.raises(AnswerError) as err:
        score_answers(bad, tiny)
    text = str(err.value)
    assert "c1: unknown option(s) ['maybe'] in rows Oslo" in text
    assert "s1: value outside the valid range [0.0, 100.0]" in text
    assert "e2: unknown option(s) ['w']" in text
    assert len(err.value.problems) == 3


def test_long_answers_become_wide(tiny):
    long = pd.DataFrame(
        {
            "city": ["A", "A", "B"],
            "edition": [2019, 2019, 2019],
            "question": ["c1", "e1", "c1"],
            "answer": ["yes", "no", "partly"],
        }
    )
    wide = answers_from_long(long)
    assert wide.loc[("A", 2019), "e1"] == "no"
    assert pd.isna(wide.loc[("B", 2019), "e1"])


def test_duplicated_long_answers_are_refused():
    long = pd.DataFrame({"city": ["A", "A"], "edition": [1, 1], "question": ["c1", "c1"], "answer": ["yes", "no"]})
    with pytest.raises(ValueError, match="2 duplicated answers"):
        answers_from_long(long)


def test_the_lens_can_enter_the_index_sub_area_by_sub_area(tiny, answers):
    fw = tiny.model_copy(deep=True)
    fw.rules.lens_in_index = "per_subarea"
    s = score_answers(answers, fw)
    # commitment (weight 2) and the two sub-areas edu and space (each with the lens weight 1)
    assert_allclose(s["index_core"], [(200 + 75 + 100) / 4, (0 + 25 + 25) / 4, (40 + 50 + 50) / 4], atol=ATOL)
    assert_allclose(s["lens"], [87.5, 25.0, 50.0], atol=ATOL)  # the composite is still reported
