"""Scoring: hand-computed area scores, don't-know rules, skip logic, lens, weights and the index."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from icc.engine import AnswerError, answers_from_long, question_points, score_answers
from icc.framework.schema import AppliesIf

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
    # A: c1 2/2 + c2 3/3; B: c1 0/2, c2 not asked: 0/3; C: c1 1/2 + c2 0/3
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
    fw.rules.min_coverage = 0.0
    s = score_answers(pd.DataFrame({"e1": ["yes"]}), fw)
    assert_allclose(s["edu"], [100.0], atol=ATOL)
    assert np.isnan(s["commitment"].iloc[0])  # nothing counted in commitment
    assert_allclose(s["index_core"], [100.0], atol=ATOL)  # missing areas skipped, weights renormalised


def test_a_follow_up_not_asked_after_a_no_counts_with_0_points(tiny):
    # c1 = no, blank or don't know (all worth 0): c2 is not asked, yet its maximum 3 stays in the points possible
    answers = pd.DataFrame({"c1": ["no", None, "dont_know", "partly"], "c2": ["c", "c", "c", "a"]})
    qp = question_points(answers, tiny)
    j = qp.question_ids.index("c2")
    assert qp.asked[:, j].tolist() == [False, False, False, True]
    assert qp.counts[:, j].all() and qp.maximum[:, j].tolist() == [3, 3, 3, 3]
    assert_allclose(score_answers(answers, tiny)["commitment"], [0.0, 0.0, 0.0, 20.0], atol=ATOL)


def test_a_no_never_scores_above_a_partly_with_the_worst_follow_up(tiny):
    fw = tiny.model_copy(deep=True)
    fw.question("e1").applies_if = AppliesIf.model_validate({"question": "c1", "in": ["yes", "partly"]})
    # edu: e1 asked only with a strategy; e2 = x (1 of 2). The old rule gave "no" 1/2 = 50 and "partly" + e1 no 1/4
    s = score_answers(pd.DataFrame({"c1": ["no", "partly"], "e1": [None, "no"], "e2": ["x", "x"]}), fw)["edu"]
    assert_allclose(s, [25.0, 25.0], atol=ATOL)


def test_a_follow_up_not_asked_after_the_best_answer_earns_its_maximum(tiny):
    fw = tiny.model_copy(deep=True)
    fw.question("c2").applies_if.in_ = ["no", "partly"]  # c2 asked unless c1 = yes (worth the most)
    s = score_answers(pd.DataFrame({"c1": ["yes", "partly", "partly"], "c2": [None, "c", "a"]}), fw)["commitment"]
    assert_allclose(s, [100.0, 80.0, 20.0], atol=ATOL)


def test_a_follow_up_of_an_excluded_dont_know_does_not_count_either(tiny):
    fw = tiny.model_copy(deep=True)
    fw.rules.dont_know = "exclude"
    fw.rules.min_coverage = 0.0
    qp = question_points(pd.DataFrame({"c1": ["dont_know"], "c2": [None]}), fw)
    assert not qp.counts[0, qp.question_ids.index("c2")]
    assert np.isnan(score_answers(pd.DataFrame({"c1": ["dont_know"]}), fw)["commitment"].iloc[0])


def test_a_multiple_choice_filter_opens_its_follow_up_when_any_ticked_option_is_listed(tiny):
    fw = tiny.model_copy(deep=True)
    edu = fw.areas[1].subareas[0]
    edu.questions = [edu.questions[1], edu.questions[0]]  # e2 first, so that the filter precedes its follow-up
    fw.question("e1").applies_if = AppliesIf.model_validate({"question": "e2", "in": ["y"]})
    qp = question_points(pd.DataFrame({"e2": ["x;y", "y", "x;z"], "e1": ["yes", "yes", "yes"]}), fw)
    assert qp.asked[:, qp.question_ids.index("e1")].tolist() == [True, True, False]


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


def test_a_skipped_follow_up_is_not_among_the_weakest_questions(tiny):
    ratio = question_points(pd.DataFrame({"c1": ["no"]}), tiny).ratio()
    assert ratio.loc[0, "c1"] == 0.0 and np.isnan(ratio.loc[0, "c2"])
