"""The skip-logic implementations agree: the validator (``applicable``), the engine and the demo generator."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from icc.data import demo
from icc.engine import question_points
from icc.framework import load_shipped
from icc.framework.answers import applicable
from support.answer_sets import answer_set

FRAMEWORKS = {fid: load_shipped(fid) for fid in ("icc-2011", "icc-2019")}


@pytest.mark.parametrize("fid", sorted(FRAMEWORKS))
@given(rows=st.data())
@settings(max_examples=60, deadline=None)
def test_the_engine_asks_exactly_what_the_validator_shows(fid, rows):
    fw = FRAMEWORKS[fid]
    answers = [rows.draw(answer_set(fw, blank_skipped=False)) for _ in range(5)]
    qp = question_points(pd.DataFrame(answers), fw)
    for i, values in enumerate(answers):
        shown = applicable(fw, values)
        asked = {q: bool(qp.asked[i, j]) for j, q in enumerate(qp.question_ids)}
        assert asked == {q: shown[q] for q in qp.question_ids}


@pytest.mark.parametrize("year", sorted(demo.DEMO_EDITIONS))
@given(
    cities=st.lists(st.text(alphabet="abcdefghijklmnopqrstuvwxyz-", min_size=1, max_size=12), max_size=8, unique=True)
)
@settings(max_examples=10, deadline=None)
def test_the_demo_leaves_blank_exactly_the_follow_ups_the_validator_hides(year, cities):
    fw = load_shipped(demo.DEMO_EDITIONS[year])
    follow_ups = [loc.question.id for loc in fw.scored_questions() if loc.question.applies_if is not None]
    wide = demo.generate_answers(fw, cities, year)
    for _, row in wide.iterrows():
        values = {k: v for k, v in row.items() if isinstance(v, str)}
        shown = applicable(fw, values)
        # a follow-up is never left blank by chance in the demo, only when it is not asked
        assert {q: row[q] is not None and row[q] == row[q] for q in follow_ups} == {q: shown[q] for q in follow_ups}
        assert not [q for q, v in values.items() if not shown[q]]
