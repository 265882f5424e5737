"""Which answers the demo generator invented: one rule for the demo mark of scores (:func:`icc.web.results.
rescoring.invented_cities`) and for carrying answers over (:mod:`.carry_over`).

An answer is invented while no person has written its content: it has no author (``Answer.updated_by`` is None)
and it is either an answer of a demo response (the demo generator writes them without an author) or a carried-over
copy of an invented answer (:func:`.carry_over.carry_over` stores such a copy without an author, its history
naming who carried it over). A person's change of a field gives the answer an author; confirming a carried-over
answer without a change does not (:func:`.editing.save_answer`).
"""

from __future__ import annotations

from django.db.models import Q

CARRIED = "carry_over"
"""The history source of a carried-over copy (:class:`~.models.AnswerChange`)."""


def invented(prefix: str = "") -> Q:
    """The condition "the answer is invented" on :class:`~.models.Answer` (``prefix``: the path to the answer
    from another model, e.g. ``"answers__"``). Query with ``.distinct()``: it joins the answer's history."""
    return Q(**{f"{prefix}updated_by__isnull": True}) & (
        Q(**{f"{prefix}response__is_demo": True}) | Q(**{f"{prefix}changes__source": CARRIED})
    )
