"""Learning clusters: an obvious sample, stability under a seed and under the input's order, and the rules."""

from __future__ import annotations

import numpy as np
import pandas as pd

from icc.engine.clusters import ClusterRules, learning_clusters, needs


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
