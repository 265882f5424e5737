"""Invariants of the scoring engine, checked on random answers (hypothesis)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from icc.engine import score_answers
from icc.framework import load_yaml

FIXTURES = Path(__file__).parents[1] / "fixtures"

TINY = load_yaml(FIXTURES / "tiny.yaml")
YPN = st.sampled_from(["yes", "partly", "no", "dont_know", None])
ROW = st.fixed_dictionaries(
    {
        "c1": YPN,
        "c2": st.sampled_from(["a", "b", "c", "dont_know", None]),
        "e1": YPN,
        "e2": st.sampled_from(["x", "y", "z", "x;y", "x;y;z", "y;z", "dont_know", None]),
        "s1": st.one_of(st.floats(0, 100, allow_nan=False), st.just("dont_know"), st.none()),
        "s2": YPN,
        "p1": YPN,
    }
)
ROWS = st.lists(ROW, min_size=1, max_size=12)
ORDER = {"no": 0, "partly": 1, "yes": 2}


@given(ROWS)
@settings(max_examples=150, deadline=None)
def test_scores_stay_between_0_and_100(rows):
    s = score_answers(pd.DataFrame(rows), TINY).to_numpy(float)
    finite = s[~np.isnan(s)]
    assert ((finite >= 0) & (finite <= 100 + 1e-9)).all()


@given(ROWS, st.randoms())
@settings(max_examples=100, deadline=None)
def test_city_order_does_not_change_results(rows, rnd):
    df = pd.DataFrame(rows, index=[f"city{i}" for i in range(len(rows))])
    order = list(df.index)
    rnd.shuffle(order)
    a = score_answers(df, TINY)
    b = score_answers(df.loc[order], TINY).loc[df.index]
    pd.testing.assert_frame_equal(a, b)


@given(ROW, st.sampled_from(["e1", "s2", "p1"]))
@settings(max_examples=150, deadline=None)
def test_raising_one_answer_never_lowers_its_area(row, question):
    current = row[question]
    assume(current in ORDER)
    better = dict(row)
    better[question] = "yes"
    area = {"e1": "edu", "s2": "space", "p1": "participation"}[question]
    before = score_answers(pd.DataFrame([row]), TINY)[area].iloc[0]
    after = score_answers(pd.DataFrame([better]), TINY)[area].iloc[0]
    assert after >= before - 1e-9


@given(ROW, st.floats(0, 100, allow_nan=False), st.floats(0, 100, allow_nan=False))
@settings(max_examples=100, deadline=None)
def test_a_higher_share_never_lowers_public_space(row, a, b):
    low, high = sorted([a, b])
    r1, r2 = dict(row, s1=low), dict(row, s1=high)
    s1 = score_answers(pd.DataFrame([r1]), TINY)["space"].iloc[0]
    s2 = score_answers(pd.DataFrame([r2]), TINY)["space"].iloc[0]
    assert s2 >= s1 - 1e-9
