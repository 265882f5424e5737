"""Ranks follow what is published: one rounding (``published``) for the pages and the ranks."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from icc.engine import published, rank_desc, ranks
from icc.engine.profile import best_peers, strengths_weaknesses


def test_a_half_is_rounded_away_from_zero_not_to_even():
    assert published(76.25) == 76.3  # Python's round gives 76.2
    assert published(0.05) == 0.1 and published(-0.05) == -0.1  # progress can be negative
    assert published(100 * 1059 / 2000) == 53.0  # 52.95 computed with float noise


def test_it_rounds_arrays_series_and_frames_and_keeps_missing_values():
    assert np.array_equal(published(np.array([1.25, np.nan])), np.array([1.3, np.nan]), equal_nan=True)
    s = published(pd.Series([12.34, 56.78], index=["a", "b"], name="x"))
    assert s.tolist() == [12.3, 56.8] and list(s.index) == ["a", "b"] and s.name == "x"
    assert published(pd.DataFrame({"x": [99.95]}))["x"].tolist() == [100.0]


def test_two_scores_shown_equal_share_a_rank():
    r = rank_desc(pd.DataFrame({"s": [76.26, 76.3, 76.24, 76.34]}))
    assert r["s"].tolist() == [1.0, 1.0, 4.0, 1.0]


SCORES = st.lists(
    st.one_of(st.floats(0, 100, allow_nan=False), st.sampled_from([76.25, 76.3, 52.95, 100 * 9 / 17, np.nan])),
    min_size=1,
    max_size=40,
)


@given(SCORES)
@settings(max_examples=200, deadline=None)
def test_equal_published_scores_share_a_rank_and_a_higher_one_is_never_ranked_worse(values):
    scores = pd.DataFrame({"s": values})
    r = rank_desc(scores)["s"].to_numpy()
    shown = published(scores["s"]).to_numpy()
    for i in range(len(values)):
        for j in range(len(values)):
            if np.isnan(shown[i]) or np.isnan(shown[j]):
                continue
            if shown[i] == shown[j]:
                assert r[i] == r[j]
            elif shown[i] > shown[j]:
                assert r[i] < r[j]


def test_peer_group_ranks_use_the_published_score_too():
    scores = pd.DataFrame({"s": [76.25, 76.34, 70.0]})
    groups = pd.DataFrame({f"{g}_group": ["a", "a", "a"] for g in ("size", "diversity", "combined")})
    out = ranks(scores, groups, pd.Series([2025, 2025, 2025]))
    assert out["combined"]["s"].tolist() == [1.0, 1.0, 3.0]


def test_a_peer_shown_with_the_same_score_is_not_suggested_as_better():
    scores = pd.Series({"oslo": 60.04, "bilbao": 60.01, "lublin": 71.0})
    groups = pd.DataFrame({f"{g}_group": ["x"] * 3 for g in ("size", "diversity", "combined")}, index=scores.index)
    assert [p.city for p in best_peers(scores, groups, "bilbao")] == ["lublin"]


def test_strengths_break_published_ties_by_framework_order():
    high, _ = strengths_weaknesses(pd.Series({"a": 80.01, "b": 80.04, "c": 10.0}), n=1)
    assert high == ["a"]
