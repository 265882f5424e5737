"""A better answer never lowers a score: every area, sub-area, the lens and both indexes, on the shipped frameworks.

"Better" is an answer worth more points ("don't know" and blank are worth 0 under the shipped ``zero`` rules), or
a filter answered so that its follow-ups are asked (with at least the points it had) and the follow-ups answered
at their maximum. This is what skip logic must respect (docs/methodology.md, section 1).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from icc.engine import score_answers
from icc.framework import load_shipped
from icc.framework.answers import applicable, opens
from support.answer_sets import answer_set, best_answer, better_answers, points_of

FRAMEWORKS = {fid: load_shipped(fid) for fid in ("icc-2011", "icc-2019")}
TOLERANCE = 1e-9


def _scores(framework, *rows: dict) -> pd.DataFrame:
    return score_answers(pd.DataFrame(list(rows)), framework)


def _never_lower(before: pd.Series, after: pd.Series) -> None:
    assert not before.isna().any() and not after.isna().any()  # the zero rules always give every score
    lowered = after[after < before - TOLERANCE]
    assert lowered.empty, f"lowered (before, after): {pd.concat([before[lowered.index], lowered], axis=1)}"


@pytest.mark.parametrize("fid", sorted(FRAMEWORKS))
@given(data=st.data())
@settings(max_examples=100, deadline=None)
def test_an_answer_worth_more_points_never_lowers_a_score(fid, data):
    fw = FRAMEWORKS[fid]
    row = data.draw(answer_set(fw, blank_skipped=data.draw(st.booleans())))
    movable = [loc.question for loc in fw.scored_questions() if better_answers(loc.question, row[loc.question.id])]
    assume(movable)
    q = data.draw(st.sampled_from(movable))
    better = dict(row, **{q.id: data.draw(st.sampled_from(better_answers(q, row[q.id])))})
    scores = _scores(fw, row, better)
    _never_lower(scores.iloc[0], scores.iloc[1])


def _follow_ups(fw) -> dict[str, list]:
    """Filter question id → its scored follow-up questions."""
    out: dict[str, list] = {}
    for loc in fw.scored_questions():
        rule = loc.question.applies_if
        if rule is not None:
            out.setdefault(rule.question, []).append(loc.question)
    return out


@pytest.mark.parametrize("fid", sorted(FRAMEWORKS))
@given(data=st.data())
@settings(max_examples=100, deadline=None)
def test_opening_the_follow_ups_and_answering_them_best_never_lowers_a_score(fid, data):
    fw = FRAMEWORKS[fid]
    row = data.draw(answer_set(fw))
    follow_ups = _follow_ups(fw)
    asked = applicable(fw, {k: v for k, v in row.items() if isinstance(v, str)})
    closed = [f for f, kids in follow_ups.items() if asked[f] and not asked[kids[0].id]]
    assume(closed)
    parent = fw.question(data.draw(st.sampled_from(closed)))
    listed = follow_ups[parent.id][0].applies_if.in_
    now = points_of(parent, row[parent.id])
    openers = [o.id for o in parent.options if opens(parent, o.id, listed) and o.points >= now]
    assume(openers)
    better = dict(row, **{parent.id: data.draw(st.sampled_from(openers))})
    for follow_up in follow_ups[parent.id]:
        better[follow_up.id] = best_answer(follow_up)
    scores = _scores(fw, row, better)
    _never_lower(scores.iloc[0], scores.iloc[1])


def test_no_strategy_no_longer_raises_the_commitment_score():
    """The case that started it: Oslo's 2025 demo commitment rose from 52.9 to 61.5 with "no strategy"."""
    fw = FRAMEWORKS["icc-2019"]
    oslo = {
        "commitment-statement": "yes",
        "commitment-strategy": "partly",
        "commitment-action-plan": "no",
        "commitment-evaluation": "no",
        "commitment-coordination": "central",
        "commitment-consultation": "yes",
        "commitment-visibility": "website",
    }
    no_strategy = dict(
        oslo, **{"commitment-strategy": "no", "commitment-action-plan": None, "commitment-evaluation": None}
    )
    s = _scores(fw, oslo, no_strategy)["commitment"].to_numpy()
    assert np.round(s, 1).tolist() == [52.9, 47.1]
