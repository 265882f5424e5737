"""Study-visit matching: hand-built networks where the right order is obvious, the parts add up, and the input's
order does not matter."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from icc.engine.matching import PARTS, MatchWeights, diversity_similarity, size_similarity, study_visit_matches

NAN = float("nan")


def _network(rows: dict[str, tuple[float, float, float, set[str], bool]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """{city: (score in "edu", population, diversity, languages, hosts)}."""
    scores = pd.DataFrame({"edu": {c: r[0] for c, r in rows.items()}, "other": 50.0})
    profiles = pd.DataFrame(
        {
            "population": {c: r[1] for c, r in rows.items()},
            "diversity": {c: r[2] for c, r in rows.items()},
            "languages": {c: frozenset(r[3]) for c, r in rows.items()},
            "mentor": {c: r[4] for c, r in rows.items()},
        }
    )
    return scores, profiles


BASE = {
    "me": (20.0, 100_000, 10.0, {"fr"}, True),
    "filler1": (10.0, 100_000, 10.0, {"fr"}, True),
    "filler2": (15.0, 100_000, 10.0, {"fr"}, True),
    "filler3": (25.0, 100_000, 10.0, {"fr"}, True),
}


def test_a_similar_strong_city_with_practices_beats_a_dissimilar_slightly_stronger_one():
    scores, profiles = _network(
        {**BASE, "twin": (80.0, 110_000, 12.0, {"fr"}, True), "giant": (85.0, 9_000_000, 45.0, {"ja"}, False)}
    )
    table = study_visit_matches(scores, profiles, pd.Series({"twin": 3}), "me", "edu")
    assert list(table.index) == ["twin", "giant"]


def test_language_and_hosting_break_an_otherwise_equal_pair():
    scores, profiles = _network(
        {**BASE, "a": (80.0, 100_000, 10.0, {"de"}, True), "b": (80.0, 100_000, 10.0, {"fr"}, True),
         "c": (80.0, 100_000, 10.0, {"fr"}, False)}
    )  # fmt: skip
    table = study_visit_matches(scores, profiles, pd.Series(dtype=float), "me", "edu")
    assert list(table.index) == ["b", "a", "c"] or list(table.index) == ["b", "c", "a"]
    assert table.loc["b", "total"] > table.loc["a", "total"] and table.loc["b", "total"] > table.loc["c", "total"]
    assert table.loc["a", "total"] == pytest.approx(table.loc["c", "total"])  # both weights are 0.1


def test_weaker_and_middling_cities_are_never_listed():
    extra = {"hi1": (60.0, 1e5, 10.0, set(), True), "hi2": (65.0, 1e5, 10.0, set(), True)}
    scores, profiles = _network({**BASE, **extra, "strong": (90.0, 100_000, 10.0, set(), True)})
    table = study_visit_matches(scores, profiles, pd.Series(dtype=float), "me", "edu", limit=None)
    # scores 10, 15, 20 (me), 25, 60, 65, 90: the 2/3 quantile is 60, so filler3 (25 > 20) is not strong
    assert set(table.index) == {"strong", "hi1", "hi2"}


def test_the_total_is_the_sum_of_the_weighted_parts():
    scores, profiles = _network(
        {**BASE, "x": (70.0, 1_000_000, 25.0, {"fr"}, True), "y": (95.0, NAN, NAN, set(), False)}
    )
    w = MatchWeights()
    table = study_visit_matches(scores, profiles, pd.Series({"x": 1, "y": 7}), "me", "edu")
    for _host, row in table.iterrows():
        assert_allclose(row["total"], sum(getattr(w, p) * row[p] for p in PARTS), atol=1e-12)
        assert all(0 <= row[p] <= 1 for p in PARTS)
    assert_allclose(table.loc["x", ["gap", "size", "diversity", "practices", "language", "mentor"]].to_numpy(),
                    [0.5, 0.5, 0.5, 1 / 3, 1.0, 1.0], atol=1e-12)  # fmt: skip
    assert table.loc["y", "size"] == 0.5 and table.loc["y", "diversity"] == 0.5  # unknown: neither
    assert table.loc["y", "practices"] == 1.0  # capped at 3


def test_a_city_without_a_score_gets_an_empty_table_and_unknown_names_are_errors():
    scores, profiles = _network({**BASE, "x": (70.0, 1e5, 10.0, set(), True)})
    scores.loc["me", "edu"] = NAN
    assert study_visit_matches(scores, profiles, pd.Series(dtype=float), "me", "edu").empty
    with pytest.raises(ValueError, match="unknown city 'nobody'"):
        study_visit_matches(scores, profiles, pd.Series(dtype=float), "nobody", "edu")
    with pytest.raises(ValueError, match="unknown area 'cooking'"):
        study_visit_matches(scores, profiles, pd.Series(dtype=float), "me", "cooking")


def test_weights_must_sum_to_one():
    with pytest.raises(ValueError, match="sum to 1"):
        MatchWeights(gap=0.5)
    with pytest.raises(ValueError):
        MatchWeights(gap=-0.1, size=0.575)


def test_the_similarities():
    assert size_similarity(1e5, 1e5) == 1.0 and size_similarity(1e4, 1e6) == 0.0 and size_similarity(1e3, 1e7) == 0
    assert math.isclose(size_similarity(1e5, 1e6), 0.5)
    assert size_similarity(NAN, 1e5) == 0.5 and size_similarity(0, 1e5) == 0.5
    assert diversity_similarity(10, 40) == 0.0 and diversity_similarity(10, 10) == 1.0
    assert diversity_similarity(NAN, 10) == 0.5


@given(st.permutations(list(range(9))), st.lists(st.floats(0, 100), min_size=9, max_size=9))
def test_the_order_of_the_input_does_not_change_the_result(order, values):
    names = [f"c{i}" for i in range(9)]
    rows = {n: (v, 10 ** (4 + i % 3), 5.0 * i, {"en"} if i % 2 else {"fr"}, i % 3 != 0) for i, (n, v) in
            enumerate(zip(names, values, strict=True))}  # fmt: skip
    scores, profiles = _network(rows)
    practices = pd.Series({n: i % 4 for i, n in enumerate(names)})
    expected = study_visit_matches(scores, profiles, practices, "c0", "edu", limit=None)
    shuffled = [names[i] for i in order]
    got = study_visit_matches(
        scores.loc[shuffled], profiles.loc[list(reversed(shuffled))], practices.sample(frac=1, random_state=1),
        "c0", "edu", limit=None,
    )  # fmt: skip
    pd.testing.assert_frame_equal(got, expected)
    assert np.all(np.diff(got["total"].to_numpy()) <= 1e-12)
