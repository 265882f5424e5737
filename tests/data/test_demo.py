"""The demo generator: deterministic, plausible, and stable when the network grows."""

from __future__ import annotations

import numpy as np
import pandas as pd

from icc.data import demo
from icc.engine import score_answers
from icc.framework import load_shipped

CITIES = ["oslo", "bilbao", "lublin", "erlangen", "ballarat", "zurich", "agadir", "lisbon"]


def test_the_same_seed_gives_the_same_answers():
    fw = load_shipped("icc-2019")
    a = demo.generate_answers(fw, CITIES, 2022)
    b = demo.generate_answers(fw, CITIES, 2022)
    pd.testing.assert_frame_equal(a, b)


def test_adding_a_city_does_not_change_the_others():
    fw = load_shipped("icc-2019")
    a = demo.generate_answers(fw, CITIES, 2019)
    b = demo.generate_answers(fw, ["zagreb"] + CITIES, 2019).loc[a.index]
    pd.testing.assert_frame_equal(a, b)


def test_demo_answers_are_valid_and_score_plausibly():
    fw = load_shipped("icc-2019")
    cities = [f"city-{i}" for i in range(120)]
    scores = score_answers(demo.generate_answers(fw, cities, 2025), fw)
    index = scores["index_core"]
    assert 25 < index.mean() < 80
    assert index.std() > 8  # cities differ
    assert index.min() >= 0 and index.max() <= 100


def test_areas_are_correlated_and_cities_progress():
    fw = load_shipped("icc-2019")
    cities = [f"city-{i}" for i in range(120)]
    s19 = score_answers(demo.generate_answers(fw, cities, 2019), fw)
    s25 = score_answers(demo.generate_answers(fw, cities, 2025), fw)
    corr = s19[["commitment", "language", "media", "welcoming"]].corr().to_numpy()
    assert corr[np.triu_indices(4, 1)].mean() > 0.3
    change = s25["index_core"].droplevel("edition") - s19["index_core"].droplevel("edition")
    assert 2 < change.mean() < 25


def test_some_answers_are_dont_know_and_skip_logic_is_respected():
    fw = load_shipped("icc-2019")
    answers = demo.generate_answers(fw, [f"c{i}" for i in range(100)], 2019)
    share = (answers == "dont_know").to_numpy().mean()
    assert 0.01 < share < 0.06
    for q in fw.questions():
        if q.applies_if is not None and q.id in answers.columns:
            parent = answers[q.applies_if.question]
            assert answers.loc[~parent.isin(q.applies_if.in_), q.id].isna().all(), q.id


def test_foreign_born_shares_are_plausible_and_deterministic():
    a = demo.foreign_born_share("zurich", "CH", 420_000, 2019)
    assert a == demo.foreign_born_share("zurich", "CH", 420_000, 2019)
    assert 10 < a < 60
    assert demo.foreign_born_share("agadir", "MA", 420_000, 2019) < 5
