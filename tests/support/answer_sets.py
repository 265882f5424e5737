"""Hypothesis strategies for whole answer sets of a framework, and answers ordered by points.

An answer set is a dict question id → stored value, as the engine reads it (option id, ``"a;b"``, a number,
``"dont_know"`` or None). Every scored question gets a value (answers to follow-ups that are not asked are ignored
by the scoring; the validator refuses them, so :func:`answer_set` can also blank them).
"""

from __future__ import annotations

from hypothesis import strategies as st

from icc.framework.answers import applicable
from icc.framework.schema import DONT_KNOW, NUMERIC_TYPES, Framework, Question


def value_of(question: Question) -> st.SearchStrategy[object]:
    """Any stored answer to ``question``: an option (or a set of them), a number in its range, "don't know", blank."""
    unknown = st.sampled_from([DONT_KNOW, None])
    if question.type == "multiple":
        ids = [o.id for o in question.options]
        chosen = st.sets(st.sampled_from(ids), min_size=1).map(lambda s: ";".join(i for i in ids if i in s))
        return st.one_of(chosen, unknown)
    if question.type in NUMERIC_TYPES:
        lo, hi = question.valid_range()
        lo = 0.0 if lo is None else lo
        hi = lo + 10_000 if hi is None else hi
        return st.one_of(st.floats(lo, hi, allow_nan=False), unknown)
    return st.one_of(st.sampled_from([o.id for o in question.options]), unknown)


@st.composite
def answer_set(draw: st.DrawFn, framework: Framework, blank_skipped: bool = True) -> dict[str, object]:
    """Random answers to every scored question; with ``blank_skipped``, follow-ups that are not asked are blank."""
    values = {loc.question.id: draw(value_of(loc.question)) for loc in framework.scored_questions()}
    if blank_skipped:
        asked = applicable(framework, {k: v for k, v in values.items() if isinstance(v, str)})
        values = {k: (v if asked[k] else None) for k, v in values.items()}
    return values


def points_of(question: Question, value: object) -> float:
    """Points an answer earns (0 for "don't know" and blank, as under the ``zero`` rule)."""
    if not isinstance(value, str) or value == DONT_KNOW:
        if question.type in NUMERIC_TYPES and isinstance(value, float):
            return next(b.points for b in question.bands if (b.max is None or value < b.max))
        return 0.0
    by_id = {o.id: o.points for o in question.options}
    total = sum(by_id[part] for part in value.split(";"))
    return min(total, question.max_points) if question.max_points is not None else total


def best_answer(question: Question) -> object:
    """An answer earning the question's maximum."""
    if question.type == "multiple":
        return ";".join(o.id for o in question.options if o.points > 0)
    if question.type in NUMERIC_TYPES:
        band = max(question.bands, key=lambda b: b.points)
        return band.min if band.min is not None else (band.max - 1 if band.max is not None else 0.0)
    return max(question.options, key=lambda o: o.points).id


def better_answers(question: Question, value: object) -> list[object]:
    """Answers to ``question`` earning strictly more points than ``value`` (options for a choice question; for a
    multiple choice, ``value`` with one more option ticked; for a number, the lowest value of each better band)."""
    now = points_of(question, value)
    if question.type == "multiple":
        ticked = set(value.split(";")) if isinstance(value, str) and value != DONT_KNOW else set()
        out = []
        for o in question.options:
            if o.id not in ticked:
                more = ";".join(p.id for p in question.options if p.id in ticked | {o.id})
                if points_of(question, more) > now:
                    out.append(more)
        return out
    if question.type in NUMERIC_TYPES:
        lo, _ = question.valid_range()
        return [
            float(b.min if b.min is not None else (lo if lo is not None else 0.0))
            for b in question.bands
            if b.points > now
        ]
    return [o.id for o in question.options if o.points > now]
