"""Learning clusters: an obvious sample, stability under a seed and under the input's order, and the rules."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from icc.engine.clusters import (
    Cluster,
    ClusterResult,
    ClusterRules,
    learning_clusters,
    needs,
    similarity_space,
    split_group,
)


def _sample() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Five cities weak in "media", four weak in "language", the rest strong in both."""
    scores = {}
    for i in range(5):
        scores[f"m{i}"] = {"media": 10 + i, "language": 70 + i}
    for i in range(4):
        scores[f"l{i}"] = {"media": 70 + i, "language": 10 + i}
    for i in range(6):
        scores[f"s{i}"] = {"media": 80 + i, "language": 80 + i}
    frame = pd.DataFrame(scores).T[["media", "language"]].astype(float)
    profiles = pd.DataFrame(
        {
            "population": [10 ** (4 + (k % 3)) for k in range(len(frame))],
            "diversity": [5.0 * k for k in range(len(frame))],
        },
        index=frame.index,
    )
    return frame, profiles


def test_the_obvious_clusters_are_found():
    scores, profiles = _sample()
    result = learning_clusters(scores, profiles, ClusterRules())
    assert [(c.area, c.members) for c in result.clusters] == [
        ("media", ("m0", "m1", "m2", "m3", "m4")),
        ("language", ("l0", "l1", "l2", "l3")),
    ]
    for c in result.clusters:
        assert len(c.resources) == 2
        assert all(r.startswith("s") for r in c.resources)  # strong cities, never members
    assert result.unclustered == ()


def test_the_same_seed_and_a_shuffled_input_give_the_same_clusters():
    scores, profiles = _sample()
    rules = ClusterRules(max_size=3)  # forces a k-means split of the media group
    first = learning_clusters(scores, profiles, rules, seed=7)
    again = learning_clusters(scores, profiles, rules, seed=7)
    order = np.random.default_rng(3).permutation(len(scores))
    shuffled = learning_clusters(scores.iloc[order], profiles.iloc[order[::-1]], rules, seed=7)
    assert first == again == shuffled


def test_sizes_are_respected_and_no_city_is_in_two_clusters():
    scores, profiles = _sample()
    rules = ClusterRules(max_size=3, min_size=2)
    result = learning_clusters(scores, profiles, rules, seed=1)
    members = [m for c in result.clusters for m in c.members]
    assert len(members) == len(set(members))
    assert all(rules.min_size <= len(c.members) <= rules.max_size for c in result.clusters)
    assert set(members) | set(result.unclustered) == {f"m{i}" for i in range(5)} | {f"l{i}" for i in range(4)}
    for c in result.clusters:
        assert not set(c.resources) & set(c.members)
        threshold = scores[c.area].quantile(rules.strong_quantile)
        assert all(scores.loc[r, c.area] >= threshold for r in c.resources)


def test_too_small_groups_leave_their_cities_unclustered():
    scores, profiles = _sample()
    result = learning_clusters(scores, profiles, ClusterRules(min_size=5))
    assert [c.area for c in result.clusters] == ["media"]
    assert result.unclustered == ("l0", "l1", "l2", "l3")


def test_a_city_weak_nowhere_has_no_need():
    scores, _profiles = _sample()
    found = needs(scores, 1 / 3)
    assert "s0" not in found.index and found["m0"] == "media" and found["l0"] == "language"


# Resources, needs, the balanced split, checks and properties on random networks.


AREAS = ["education", "language", "commitment"]


def sample(rows: dict[str, tuple[float, ...]], areas: list[str] = AREAS) -> tuple[pd.DataFrame, pd.DataFrame]:
    """city → (one score per area…, population, diversity %)."""
    index = pd.Index(list(rows), name="city")
    n = len(areas)
    scores = pd.DataFrame([r[:n] for r in rows.values()], index=index, columns=areas, dtype=float)
    profiles = pd.DataFrame([r[n:] for r in rows.values()], index=index, columns=["population", "diversity"])
    return scores, profiles


def obvious() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Four small cities weak in education, three big diverse ones weak in language, five strong ones."""
    return sample(
        {
            "e1": (10, 70, 70, 100_000, 10.0),
            "e2": (12, 70, 70, 120_000, 12.0),
            "e3": (14, 70, 70, 90_000, 8.0),
            "e4": (16, 70, 70, 110_000, 11.0),
            "l1": (70, 10, 70, 2_000_000, 35.0),
            "l2": (70, 12, 70, 1_800_000, 30.0),
            "l3": (70, 14, 70, 2_200_000, 33.0),
            "s1": (80, 80, 60, 500_000, 20.0),
            "s2": (84, 84, 62, 105_000, 10.0),  # small, like the e cities
            "s3": (88, 88, 64, 2_000_000, 32.0),  # big and diverse, like the l cities
            "s4": (92, 92, 66, 100_000, 9.0),
            "s5": (95, 95, 68, 1_900_000, 34.0),
        }
    )


def test_the_obvious_clusters_are_found_with_the_nearest_strong_cities_as_resources():
    scores, profiles = obvious()
    result = learning_clusters(scores, profiles)
    education, language, commitment = result.clusters
    assert education == Cluster("education", ("e1", "e2", "e3", "e4"), ("s2", "s4"), 13.0)
    assert language == Cluster("language", ("l1", "l2", "l3"), ("s3", "s5"), 12.0)
    # commitment: the 1/3 quantile is 67.33, so s1–s4 share it as their need; s5 (68) is weak nowhere
    assert commitment.members == ("s1", "s2", "s3", "s4")
    assert_allclose(commitment.mean_score, 63.0, atol=1e-12)
    assert set(commitment.resources) <= {"e1", "e2", "e3", "e4", "l1", "l2", "l3"} and len(commitment.resources) == 2
    assert result.unclustered == ()


def test_the_need_is_the_weak_area_with_the_lowest_z_score():
    scores, _profiles = obvious()
    need = needs(scores)
    # the e cities are weak in language too (70 ≤ its 1/3 quantile, 70) but far lower, relatively, in education
    assert need["e1"] == "education" and need["l3"] == "language" and need["s1"] == "commitment"
    assert "s5" not in need.index  # weak nowhere


def test_an_area_where_everyone_scores_the_same_is_nobodys_need():
    scores = pd.DataFrame({"a": [50.0, 50.0, 50.0], "b": [10.0, 50.0, 90.0]}, index=["x", "y", "z"])
    assert needs(scores).to_dict() == {"x": "b"}


def test_a_missing_score_is_never_weak():
    scores = pd.DataFrame({"a": [np.nan, 20.0, 50.0, 90.0]}, index=["w", "x", "y", "z"])
    assert needs(scores).to_dict() == {"x": "a"}


def test_the_output_follows_the_area_order_of_the_columns():
    scores, profiles = obvious()
    result = learning_clusters(scores[["commitment", "language", "education"]], profiles)
    assert [c.area for c in result.clusters] == ["commitment", "language", "education"]


def big_group() -> tuple[pd.DataFrame, pd.DataFrame, ClusterRules]:
    """Twenty cities weak in education: ten small homogeneous ones (10 points), ten big diverse ones (12)."""
    rows: dict[str, tuple[float, ...]] = {}
    for i in range(10):
        rows[f"small{i}"] = (10.0, 40_000 + 1_000 * i, 4.0 + i / 10)
        rows[f"big{i}"] = (12.0, 2_000_000 + 50_000 * i, 35.0 - i / 10)
    for i in range(8):
        rows[f"strong{i}"] = (90.0, 40_000 if i % 2 else 2_000_000, 4.0 if i % 2 else 35.0)
    scores, profiles = sample(rows, ["education"])
    return scores, profiles, ClusterRules(weak_quantile=0.7, strong_quantile=0.8, max_size=10)


def test_a_large_group_is_split_into_clusters_of_similar_cities():
    scores, profiles, rules = big_group()
    result = learning_clusters(scores, profiles, rules)
    assert [c.members for c in result.clusters] == [
        tuple(f"small{i}" for i in range(10)),
        tuple(f"big{i}" for i in range(10)),
    ]  # mean score 10 before 12
    assert set(result.clusters[0].resources) == {"strong1", "strong3"}  # small ones, ties by id
    assert set(result.clusters[1].resources) == {"strong0", "strong2"}


def test_a_split_never_exceeds_the_maximum_size():
    scores, profiles, rules = big_group()
    result = learning_clusters(scores, profiles, ClusterRules(weak_quantile=0.7, strong_quantile=0.8, max_size=8))
    sizes = [len(c.members) for c in result.clusters]
    assert sorted(sizes) == [6, 7, 7]  # ceil(20 / 8) = 3 clusters of at most ceil(20 / 3) = 7
    assert result.unclustered == ()
    kinds = [{m.rstrip("0123456789") for m in c.members} for c in result.clusters]
    assert sum(len(k) == 1 for k in kinds) >= 2  # ten of a kind cannot fit in 7: only one cluster mixes


def test_identical_cities_are_still_split_within_the_maximum():
    labels = split_group(np.zeros((17, 2)), 8)
    assert sorted(np.bincount(labels).tolist()) == [5, 6, 6]


def test_unknown_size_or_diversity_is_the_sample_mean():
    p = pd.DataFrame({"population": [1e4, 1e6, np.nan, -5.0], "diversity": [np.nan, 30.0, 10.0, 20.0]})
    space = similarity_space(p, [0, 1, 2, 3])
    assert_allclose(space.loc[[2, 3], "population"], 0.0, atol=1e-12)
    assert_allclose(space.loc[0, "diversity"], 0.0, atol=1e-12)


def test_rules_are_checked():
    with pytest.raises(ValueError, match="weak_quantile"):
        ClusterRules(weak_quantile=0.7, strong_quantile=0.6)
    with pytest.raises(ValueError, match="min_size"):
        ClusterRules(min_size=0)
    with pytest.raises(ValueError, match="resources"):
        ClusterRules(resources=-1)


def test_a_city_listed_twice_is_an_error():
    scores = pd.DataFrame({"a": [1.0, 2.0]}, index=["x", "x"])
    with pytest.raises(ValueError, match="x"):
        learning_clusters(scores, pd.DataFrame({"population": [1.0], "diversity": [1.0]}, index=["x"]))


def test_no_city_with_a_need_means_no_clusters():
    scores = pd.DataFrame({"a": [50.0, 50.0, 50.0]}, index=["x", "y", "z"])
    profiles = pd.DataFrame({"population": [1e5] * 3, "diversity": [1.0] * 3}, index=scores.index)
    assert learning_clusters(scores, profiles) == ClusterResult([], ())


score = st.one_of(st.none(), st.integers(0, 100))


city_rows = st.lists(
    st.tuples(score, score, score, st.one_of(st.none(), st.floats(1e4, 5e6)), st.one_of(st.none(), st.floats(0, 60))),
    min_size=5,
    max_size=45,
)


rules_drawn = st.builds(
    ClusterRules,
    weak_quantile=st.sampled_from([1 / 3, 0.5]),
    strong_quantile=st.sampled_from([2 / 3, 0.75]),
    min_size=st.integers(1, 3),
    max_size=st.integers(3, 6),
    resources=st.integers(0, 3),
)


def drawn(rows: list[tuple]) -> tuple[pd.DataFrame, pd.DataFrame]:
    nan = float("nan")
    return sample({f"c{i:02d}": tuple(nan if v is None else v for v in r) for i, r in enumerate(rows)})


@settings(max_examples=60, deadline=None)
@given(rows=city_rows, rules=rules_drawn, seed=st.integers(0, 3))
def test_clusters_keep_the_rules(rows, rules, seed):
    scores, profiles = drawn(rows)
    result = learning_clusters(scores, profiles, rules, seed=seed)
    need = needs(scores, rules.weak_quantile)
    members = [m for c in result.clusters for m in c.members]
    assert len(members) == len(set(members)), "a city in two clusters"
    assert not set(members) & set(result.unclustered)
    assert sorted(members + list(result.unclustered)) == sorted(need.index)
    for c in result.clusters:
        assert rules.min_size <= len(c.members) <= rules.max_size
        assert list(c.members) == sorted(c.members)
        assert all(need[m] == c.area for m in c.members)
        column = scores[c.area].dropna()
        strong = column.quantile(rules.strong_quantile)
        assert not set(c.resources) & set(c.members) and len(c.resources) <= rules.resources
        assert all(column[r] >= strong for r in c.resources)
        assert_allclose(c.mean_score, column[list(c.members)].mean(), atol=1e-9)
    order = [(AREAS.index(c.area), c.mean_score) for c in result.clusters]
    assert order == sorted(order)


@settings(max_examples=40, deadline=None)
@given(rows=city_rows, rules=rules_drawn, seed=st.integers(0, 3), data=st.data())
def test_shuffled_rows_give_the_same_clusters(rows, rules, seed, data):
    scores, profiles = drawn(rows)
    order = data.draw(st.permutations(list(scores.index)))
    other = data.draw(st.permutations(list(scores.index)))
    assert learning_clusters(scores, profiles, rules, seed) == learning_clusters(
        scores.loc[order], profiles.loc[other], rules, seed
    )
