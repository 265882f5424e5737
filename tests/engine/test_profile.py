"""Strengths, weaknesses and the peers that do best where a city is weak."""

from __future__ import annotations

import pandas as pd

from icc.engine import best_peers, strengths_weaknesses, weakest_questions


def test_strongest_and_weakest_areas_are_ordered():
    strong, weak = strengths_weaknesses(pd.Series({"a": 40.0, "b": 90.0, "c": 10.0, "d": 90.0}), n=2)
    assert strong == ["b", "d"]
    assert weak == ["c", "a"]


def test_weakest_questions_only_lists_low_shares():
    assert weakest_questions(pd.Series({"q1": 1.0, "q2": 0.0, "q3": 0.25, "q4": None}), n=5) == ["q2", "q3"]


def test_best_peers_prefer_the_most_similar_cities():
    scores = pd.Series({"Me": 20.0, "Twin": 60.0, "SizeMate": 90.0, "Far": 95.0, "Worse": 10.0})
    groups = pd.DataFrame(
        {
            "size_group": ["s", "s", "s", "l", "s"],
            "diversity_group": ["d", "d", "x", "x", "d"],
            "combined_group": ["s|d", "s|d", "s|x", "l|x", "s|d"],
        },
        index=scores.index,
    )
    peers = best_peers(scores, groups, "Me", n=3)
    assert [(p.city, p.group) for p in peers] == [("Twin", "combined"), ("SizeMate", "size"), ("Far", "all")]
