"""The provisional result of a response not yet published: its current answers scored against the last published
edition, shown to whoever may see the response while the city fills it and during the review. Nothing is stored.

The rule:

- **Against what.** The *reference edition* is the newest released edition with published scores whose year is
  not after the response's edition (:func:`reference_edition`): its published responses are the other cities. A
  city's own published response to that edition is left out: the response stands in for it.
- **Scored how.** With the engine's one pipeline (:func:`icc.engine.score_network` and
  :func:`icc.engine.coverage`) on the answers as stored now (draft, submitted, returned or validated), the other
  cities' facts as of the reference year (:func:`.rescoring.facts_as_of`) and, for the city itself, the population
  and foreign-born share it answers now when it answers them (publishing stores them as its facts of that year).
  So for a response of the reference edition itself the numbers are those publishing it would store.
- **Across a framework revision.** When the reference edition was answered with another framework, its answers are
  translated through the shipped question mapping (:func:`icc.engine.translate_answers`) and both sides are scored
  with the response's framework restricted to the mapped questions (:func:`icc.engine.restrict`): "on N comparable
  questions". Without a mapping the result says that it cannot be compared.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from icc.engine import INDEX_CORE, INDEX_EXTENDED, coverage, restrict, score_network, translate_answers
from icc.framework import Framework, shipped_mapping
from icc.framework.answer_table import FACT_QUESTIONS
from icc.web.accounts.permissions import AuthedRequest
from icc.web.network.definitions import definition_of
from icc.web.network.models import Edition
from icc.web.questionnaire import permissions as perm
from icc.web.questionnaire.models import Response

from . import queries
from .cities import NOT_SCORED
from .rescoring import edition_answers, facts_as_of

S = Response.Status
PROVISIONAL_STATUSES = (S.DRAFT, S.SUBMITTED, S.RETURNED, S.VALIDATED)
"""The responses that have a provisional result: every one not yet published."""


@dataclass(frozen=True)
class Row:
    """One provisional score: an index, area or sub-area of the response."""

    level: str
    item: str
    name: str
    score: float | None
    rank: int | None
    """The rank the response would have among the reference edition's cities (1 = best; ties share the best)."""
    ranked: int
    """How many cities are ranked on this item, the response included (the "M" of "would be N of M")."""
    others_mean: float | None
    """The mean score of the reference edition's other cities on this item (as scored here)."""
    dont_know: int
    unanswered: int
    reason: str | None
    """Why the item has no score (the page-language text of a code of :data:`icc.engine.REASONS`), else None."""


@dataclass
class Provisional:
    response: Response
    reference: Edition | None = None
    rows: list[Row] = field(default_factory=list)
    others: int = 0
    """How many published cities of the reference edition the response is compared with."""
    comparable_questions: int | None = None
    """Across a framework revision: the number of mapped questions the comparison rests on (None: same framework)."""
    problem: str = ""
    """Why there is no provisional result (no answers yet, nothing to compare with, already published), else ""."""


def reference_edition(response: Response) -> Edition | None:
    """The newest released edition with published scores not after the response's edition (see the module)."""
    year = response.edition.year
    return next((e for e in queries.public_editions() if e.year <= year), None)


def _current_answers(response: Response, year: int) -> pd.DataFrame:
    """The response's stored answers as one row indexed ``(city slug, year)`` (blanks are missing)."""
    values = {q: v for q, v in response.answers.values_list("question_id", "value") if v}
    index = pd.MultiIndex.from_tuples([(response.city.slug, year)], names=["city", "edition"])
    return pd.DataFrame([values], index=index, dtype=object)


def _facts(response: Response, answers: pd.DataFrame, year: int, cities: list[str]) -> pd.DataFrame:
    """The peer-group facts: stored ones as of ``year``, the city's own current answers where it gives them."""
    facts = facts_as_of(year, cities).reindex(columns=["population", "foreign_born"])
    slug = response.city.slug
    for column, question_id in FACT_QUESTIONS.items():
        if question_id not in answers.columns:
            continue
        try:
            facts.loc[slug, column] = float(answers.iloc[0][question_id])
        except (TypeError, ValueError):  # "don't know" or no answer: the stored fact counts
            continue
    return facts


def _order(framework: Framework) -> list[str]:
    items = [INDEX_CORE, INDEX_EXTENDED]
    for area in framework.areas:
        items.append(area.id)
        items += [s.id for s in area.subareas]
    return items


def provisional(response: Response, language: str = "en") -> Provisional:
    """The provisional scores, ranks and coverage of ``response`` (see the module); nothing is stored."""
    result = Provisional(response)
    if response.status not in PROVISIONAL_STATUSES:
        result.problem = _("This response is published: its results are on the city's page.")
        return result
    reference = reference_edition(response)
    result.reference = reference
    if reference is None:
        result.problem = _("No edition has released results yet: there is nothing to compare with.")
        return result
    mine = _current_answers(response, reference.year)
    if mine.columns.empty:
        result.problem = _("No question is answered yet: the provisional result appears with the first answers.")
        return result
    framework = definition_of(response.edition)
    old = definition_of(reference)
    others = edition_answers(reference)
    others = others[others.index.get_level_values("city") != response.city.slug]
    facts = _facts(response, mine, reference.year, [*others.index.get_level_values("city"), response.city.slug])
    if old.id != framework.id:
        mapping = shipped_mapping(old.id, framework.id)
        common = (
            {qm.to for qm in mapping.questions if qm.from_ in {q.id for q in old.questions()}} if mapping else set()
        )
        if mapping is None or not common:
            result.problem = _(
                "The edition %(year)s was answered with the framework %(old)s, which no question mapping links to "
                "%(new)s: the answers cannot be compared."
            ) % {"year": reference.year, "old": old.id, "new": framework.id}
            return result
        framework = restrict(framework, common)
        others = translate_answers(others, mapping)
        mine = mine.reindex(columns=sorted(common & set(mine.columns)))
        result.comparable_questions = len(common)
    answers = pd.concat([others, mine]).astype(object)
    table = score_network(answers, facts, framework)
    counts = coverage(mine, framework).set_index("item")
    is_mine = table["city"] == response.city.slug
    names = framework.item_names(language)
    reasons = {code: str(text) for code, text in NOT_SCORED.items()}  # what the city page says, too
    rows = []
    for item in _order(framework):
        own = table[is_mine & (table["item"] == item)]
        if own.empty:
            continue
        r = own.iloc[0]
        rest = table[~is_mine & (table["item"] == item)]["score"].dropna()
        c = counts.loc[item] if item in counts.index else None
        rows.append(
            Row(
                level=str(r["level"]),
                item=item,
                name=names.get(item, item),
                score=None if pd.isna(r["score"]) else float(r["score"]),
                rank=None if pd.isna(r["rank"]) else int(r["rank"]),
                ranked=0 if pd.isna(r["sample_size"]) else int(r["sample_size"]),
                others_mean=float(rest.mean()) if len(rest) else None,
                dont_know=int(c["dont_know"]) if c is not None else 0,
                unanswered=int(c["unanswered"]) if c is not None else 0,
                reason=None if c is None or not isinstance(c["reason"], str) else reasons.get(c["reason"], c["reason"]),
            )
        )
    result.rows = rows
    result.others = len(others)
    return result


@perm.response_view()
def page(request: AuthedRequest, response: Response) -> HttpResponse:
    """The provisional result of a response, for whoever may see the response (404 for anyone else)."""
    result = provisional(response, (get_language() or "en")[:2])
    # "changes as you answer" only to an official of the city, who can change the answers now
    answering = response.is_editable_by_city and perm.is_official_of(request.user, response)
    return render(request, "results/provisional.html", {"response": response, "result": result, "answering": answering})
