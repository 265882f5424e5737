"""Study-visit matching: hand-built networks where the right order is obvious, the parts add up, and the input's
order does not matter."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose
from pandas.testing import assert_frame_equal

from icc.engine.matching import (
    COLUMNS,
    PARTS,
    MatchWeights,
    diversity_similarity,
    size_similarity,
    study_visit_matches,
)

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


# Exact parts, tie-breaks, limits and missing values.


def sample(rows: dict[str, tuple[float, float, float, tuple[str, ...], bool]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """city → (education score, population, diversity %, languages, hosts visits)."""
    index = pd.Index(list(rows), name="city")
    scores = pd.DataFrame({"education": [r[0] for r in rows.values()]}, index=index)
    profiles = pd.DataFrame(
        {
            "population": [r[1] for r in rows.values()],
            "diversity": [r[2] for r in rows.values()],
            "languages": [frozenset(r[3]) for r in rows.values()],
            "mentor": [r[4] for r in rows.values()],
        },
        index=index,
    )
    return scores, profiles


def filler(n: int) -> dict[str, tuple[float, float, float, tuple[str, ...], bool]]:
    """Weak cities that lower the 2/3 quantile so that the interesting ones are all strong."""
    return {f"weak{i}": (10.0 + i, 50_000.0, 5.0, ("xx",), False) for i in range(n)}


def test_the_parts_and_total_are_exact():
    scores, profiles = sample(
        {
            "oslo": (30.0, 700_000, 28.0, ("no", "en"), False),
            "bilbao": (80.0, 350_000, 8.0, ("es", "en"), True),
            "lublin": (90.0, 340_000, 2.0, ("pl",), False),
            "turin": (60.0, 870_000, 15.0, ("it",), True),
        }
    )
    m = study_visit_matches(scores, profiles, pd.Series({"bilbao": 2, "lublin": 7}), "oslo", "education")
    # 2/3 quantile of 30, 60, 80, 90 = 80: Turin (60) is stronger than Oslo but not strong
    assert list(m.index) == ["bilbao", "lublin"] and list(m.columns) == list(COLUMNS)
    bilbao = m.loc["bilbao"]
    assert_allclose(
        bilbao[list(PARTS)].to_numpy(float),
        [0.5, 1 - math.log10(2) / 2, 1 - 20 / 30, 2 / 3, 1.0, 1.0],
        atol=1e-12,
    )
    assert_allclose(bilbao["score"], 80.0, atol=1e-12)
    assert_allclose(m.loc["lublin", "practices"], 1.0, atol=1e-12)  # capped at three
    assert_allclose(m.loc["lublin", "language"], 0.0, atol=1e-12)


def test_the_contributions_follow_custom_weights():
    scores, profiles = sample(
        {
            "oslo": (20.0, 700_000, 28.0, ("no",), False),
            "a": (90.0, 100_000, 10.0, ("no",), True),
            "b": (85.0, 1_000_000, 40.0, ("fr",), False),
            **filler(5),
        }
    )
    weights = MatchWeights(gap=0.5, size=0.1, diversity=0.1, practices=0.1, language=0.1, mentor=0.1)
    m = study_visit_matches(scores, profiles, pd.Series({"a": 1}), "oslo", "education", weights)
    for part in PARTS:
        assert_allclose(m[f"contrib_{part}"], getattr(weights, part) * m[part], atol=1e-12)
    assert_allclose(m["total"], m[[f"contrib_{p}" for p in PARTS]].sum(axis=1), atol=1e-12)
    assert ((m["total"] >= 0) & (m["total"] <= 1)).all()


def test_equal_totals_go_by_gap_then_id():
    scores, profiles = sample(
        {
            "oslo": (30.0, 500_000, 20.0, (), False),
            "b": (80.0, 500_000, 20.0, (), False),
            "a": (80.0, 500_000, 20.0, (), False),
            **filler(4),
        }
    )
    no_gap = MatchWeights(gap=0.0, size=0.5, diversity=0.5, practices=0.0, language=0.0, mentor=0.0)
    m = study_visit_matches(scores, profiles, pd.Series(dtype=float), "oslo", "education", no_gap)
    assert list(m.index) == ["a", "b"]
    scores.loc["b", "education"] = 85.0  # same total (gap weighs 0), bigger gap first
    m = study_visit_matches(scores, profiles, pd.Series(dtype=float), "oslo", "education", no_gap)
    assert list(m.index) == ["b", "a"]


def test_an_equal_city_the_city_itself_and_the_top_city_get_nothing():
    scores, profiles = sample(
        {
            "oslo": (50.0, 500_000, 20.0, ("no",), True),
            "weaker": (40.0, 500_000, 20.0, ("no",), True),
            "equal": (50.0, 500_000, 20.0, ("no",), True),
            "above_but_not_strong": (55.0, 500_000, 20.0, ("no",), True),
            "strong": (90.0, 500_000, 20.0, ("no",), True),
            "stronger": (95.0, 500_000, 20.0, ("no",), True),
        }
    )
    # 2/3 quantile of 40, 50, 50, 55, 90, 95 = 72.5
    m = study_visit_matches(scores, profiles, pd.Series({"weaker": 3, "equal": 3}), "oslo", "education")
    assert list(m.index) == ["stronger", "strong"]
    assert study_visit_matches(scores, profiles, pd.Series(dtype=float), "stronger", "education").empty


def test_limit_keeps_the_best_rows():
    scores, profiles = sample({f"c{i}": (float(i * 10), 100_000, 10.0, (), False) for i in range(10)})
    every = study_visit_matches(scores, profiles, pd.Series(dtype=float), "c0", "education", limit=None)
    assert list(every.index) == ["c9", "c8", "c7", "c6"]  # 2/3 quantile of 0, 10, …, 90 = 60
    assert list(study_visit_matches(scores, profiles, pd.Series(dtype=float), "c0", "education", limit=2).index) == [
        "c9",
        "c8",
    ]


def test_the_default_weights_sum_to_one_and_nan_is_refused():
    assert_allclose(sum(vars(MatchWeights()).values()), 1.0, atol=1e-12)
    with pytest.raises(ValueError, match="sum to 1"):
        MatchWeights(gap=0.4)
    with pytest.raises(ValueError, match="≥ 0"):
        MatchWeights(gap=0.55, size=-0.075)
    with pytest.raises(ValueError):
        MatchWeights(gap=float("nan"))


def test_missing_profile_facts_and_practices_are_handled():
    scores, profiles = sample(
        {
            "oslo": (30.0, np.nan, np.nan, (), False),
            "nofacts": (90.0, 500_000, 20.0, ("no",), True),
            "noscore": (np.nan, 500_000, 20.0, ("no",), True),
            "unprofiled": (85.0, 0, 0, (), False),
            **filler(4),
        }
    )
    profiles = profiles.drop(index="unprofiled")
    profiles["mentor"] = profiles["mentor"].astype(object)
    profiles.loc["nofacts", "mentor"] = np.nan  # unknown willingness is not a yes
    m = study_visit_matches(scores, profiles, pd.Series({"nofacts": np.nan}), "oslo", "education")
    assert list(m.index) == ["nofacts", "unprofiled"]  # a city without a score is never a candidate
    assert m.loc["nofacts", ["size", "diversity"]].tolist() == [0.5, 0.5]
    assert m.loc["nofacts", ["practices", "language", "mentor"]].tolist() == [0.0, 0.0, 0.0]
    assert m.loc["unprofiled", ["size", "diversity", "language", "mentor"]].tolist() == [0.5, 0.5, 0.0, 0.0]


def test_the_empty_table_keeps_the_columns():
    scores, profiles = sample({"oslo": (np.nan, 1e5, 10.0, (), False), "b": (90.0, 1e5, 10.0, (), True)})
    m = study_visit_matches(scores, profiles, pd.Series(dtype=float), "oslo", "education")
    assert m.empty and list(m.columns) == list(COLUMNS)


maybe_nan = st.one_of(st.none(), st.floats(0, 100, allow_nan=False))


city_rows = st.lists(
    st.tuples(
        maybe_nan,
        st.one_of(st.none(), st.floats(1e3, 1e7)),
        maybe_nan,
        st.frozensets(st.sampled_from(["en", "fr", "de"]), max_size=2),
        st.booleans(),
        st.integers(0, 5),
    ),
    min_size=2,
    max_size=12,
)


@settings(max_examples=60, deadline=None)
@given(rows=city_rows, data=st.data())
def test_city_order_does_not_change_the_result_with_missing_values(rows, data):
    ids = [f"city{i:02d}" for i in range(len(rows))]
    nan = float("nan")
    scores, profiles = sample(
        {
            c: (nan if r[0] is None else r[0], nan if r[1] is None else r[1], nan if r[2] is None else r[2], r[3], r[4])
            for c, r in zip(ids, rows, strict=True)
        }
    )
    practices = pd.Series({c: r[5] for c, r in zip(ids, rows, strict=True)}, dtype=float)
    city = data.draw(st.sampled_from(ids))
    order = data.draw(st.permutations(ids))
    before = study_visit_matches(scores, profiles, practices, city, "education", limit=None)
    after = study_visit_matches(
        scores.loc[order], profiles.loc[data.draw(st.permutations(ids))], practices.sample(frac=1.0, random_state=1),
        city, "education", limit=None,
    )  # fmt: skip
    assert_frame_equal(before, after)
    own = scores.at[city, "education"]
    assert (before["score"] > own).all() and city not in before.index
    assert ((before["total"] >= 0) & (before["total"] <= 1 + 1e-12)).all()
    assert_allclose(before["total"], before[[f"contrib_{p}" for p in PARTS]].sum(axis=1), atol=1e-12)
