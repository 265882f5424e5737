"""Progress between editions, within a framework and across a revision through the question mapping."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from numpy.testing import assert_allclose

from icc.engine import progress, progress_across, score_answers, translate_answers
from icc.framework import load_mapping

FIXTURES = Path(__file__).parents[1] / "fixtures"


def test_progress_is_the_difference_of_scores(tiny):
    before = score_answers(pd.DataFrame({"c1": ["no"]}, index=["Oslo"]), tiny)
    after = score_answers(pd.DataFrame({"c1": ["yes"], "c2": ["b"]}, index=["Oslo"]), tiny)
    assert_allclose(progress(before, after)["commitment"], [60.0], atol=1e-9)  # 0 → 3/5


def test_answers_are_translated_with_option_renames(tiny, tiny_old):
    mapping = load_mapping(FIXTURES / "tiny-old__tiny.yaml", tiny_old, tiny)
    t = translate_answers(pd.DataFrame({"o1": ["sometimes"], "o2": ["dont_know"]}), mapping)
    assert t.to_dict("records") == [{"c1": "partly", "e1": "dont_know"}]


def test_progress_crosses_the_revision_on_mapped_questions_only(tiny, tiny_old):
    mapping = load_mapping(FIXTURES / "tiny-old__tiny.yaml", tiny_old, tiny)
    old = pd.DataFrame({"o1": ["sometimes"], "o2": ["no"]}, index=["A"])
    new = pd.DataFrame({"c1": ["yes"], "c2": ["a"], "e1": ["partly"], "s1": [50], "p1": ["yes"]}, index=["A"])
    p = progress_across(old, tiny_old, new, tiny, mapping)
    # comparable scores use c1 (commitment) and e1 (edu) only: commitment 50 → 100, edu 0 → 50
    assert_allclose(p.loc["A", ["commitment", "edu", "lens"]].to_numpy(float), [50.0, 50.0, 50.0], atol=1e-9)
    # index_core on common questions: (2·50 + 0)/3 → (2·100 + 50)/3
    assert_allclose(p.loc["A", "index_core"], 250 / 3 - 100 / 3, atol=1e-9)
    assert "space" not in p.columns and "participation" not in p.columns


def test_progress_crosses_the_shipped_2011_to_2019_revision():
    from icc.data import demo
    from icc.framework import load_shipped, shipped_mapping

    old_fw, new_fw = load_shipped("icc-2011"), load_shipped("icc-2019")
    cities = [f"city-{i}" for i in range(40)]
    old = demo.generate_answers(old_fw, cities, 2015).droplevel("edition")
    new = demo.generate_answers(new_fw, cities, 2019).droplevel("edition")
    p = progress_across(old, old_fw, new, new_fw, shipped_mapping("icc-2011", "icc-2019"))
    assert list(p.index) == cities
    assert {"commitment", "education", "leadership", "index_core"} <= set(p.columns)
    assert p["index_core"].notna().all()
    assert p.abs().max().max() <= 100
    assert p["index_core"].mean() > 0  # the demo network progresses between 2015 and 2019
