"""Peer groups, ranks with ties, sample statistics and the network table."""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.testing import assert_allclose

from icc.engine import peer_groups, rank_desc, score_network


def test_peer_bands_include_the_lower_bound(tiny):
    facts = pd.DataFrame({"population": [199_999, 200_000, np.nan], "foreign_born": [14.9, 15.0, 30.0]})
    g = peer_groups(facts, tiny)
    assert g["size_group"].tolist()[:2] == ["small", "large"] and pd.isna(g["size_group"].iloc[2])
    assert g["diversity_group"].tolist() == ["low", "high", "high"]
    assert g["combined_group"].tolist()[:2] == ["small|low", "large|high"] and pd.isna(g["combined_group"].iloc[2])


def test_ties_share_the_best_rank():
    r = rank_desc(pd.DataFrame({"s": [80.0, 90.0, 80.0, 70.0]}))
    assert r["s"].tolist() == [2.0, 1.0, 2.0, 4.0]


def test_float_noise_does_not_split_a_tie():
    r = rank_desc(pd.DataFrame({"s": [0.1 + 0.2, 0.3]}))
    assert r["s"].tolist() == [1.0, 1.0]


def network_answers():
    idx = pd.MultiIndex.from_tuples(
        [("Oslo", 2019), ("Bilbao", 2019), ("Lublin", 2019), ("Erlangen", 2019), ("Oslo", 2022)],
        names=["city", "edition"],
    )
    return pd.DataFrame({"c1": ["yes", "partly", "partly", "no", "no"], "c2": ["c", "c", "c", None, None]}, index=idx)


def network_facts():
    return pd.DataFrame(
        {"population": [700_000, 350_000, 340_000, 110_000], "foreign_born": [28.0, 8.0, 2.0, 18.0]},
        index=pd.Index(["Oslo", "Bilbao", "Lublin", "Erlangen"], name="city"),
    )


def test_the_network_is_ranked_per_edition_and_peer_group(tiny):
    out = score_network(network_answers(), network_facts(), tiny)
    com = out[(out["item"] == "commitment") & (out["edition"] == 2019)].set_index("city")
    # Oslo 5/5, Bilbao and Lublin 4/5 (tie), Erlangen 0/2
    assert_allclose(com["score"].to_numpy(float), [100, 80, 80, 0], atol=1e-9)
    assert com["rank"].tolist() == [1, 2, 2, 4]
    assert com.loc["Bilbao", "rank_size"] == 2 and com.loc["Lublin", "rank_size"] == 2
    assert com.loc["Oslo", "rank_size"] == 1
    assert com.loc["Bilbao", "rank_diversity"] == 1  # Bilbao and Lublin are both low diversity
    assert com.loc["Erlangen", "rank_diversity"] == 2  # Oslo and Erlangen are high diversity
    assert com.loc["Lublin", "rank_combined"] == 1
    assert com.loc["Oslo", "sample_size"] == 4
    assert_allclose(com.loc["Oslo", "sample_mean"], 65.0, atol=1e-9)
    assert_allclose(com.loc["Oslo", "sample_max"], 100.0, atol=1e-9)
    later = out[(out["edition"] == 2022) & (out["item"] == "commitment")]
    assert later["rank"].tolist() == [1] and later["sample_size"].tolist() == [1]


def test_levels_name_subareas_areas_and_indexes(tiny):
    out = score_network(network_answers(), network_facts(), tiny)
    levels = out.drop_duplicates("item").set_index("item")["level"].to_dict()
    assert levels == {
        "commitment": "area",
        "edu": "subarea",
        "space": "subarea",
        "lens": "area",
        "participation": "area",
        "index_core": "index",
        "index_extended": "index",
    }


def test_a_city_without_facts_is_ranked_in_the_whole_sample_only(tiny):
    out = score_network(network_answers(), network_facts().drop("Erlangen"), tiny)
    row = out[(out["city"] == "Erlangen") & (out["item"] == "commitment")].iloc[0]
    assert row["rank"] == 4 and pd.isna(row["rank_size"]) and pd.isna(row["size_group"])
