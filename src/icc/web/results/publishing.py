"""Publishing a validated response: first a preview of the scores and ranks it will make public, then the state
change, the city's answered facts and the rescoring of its edition in one transaction (a failed rescore publishes
nothing).

**Answered facts.** The answers of a published response to the fact questions
(:data:`icc.framework.answer_table.FACT_QUESTIONS`: population, foreign-born share) become the city's facts
(:class:`~icc.web.network.models.CityFact`) of the edition's year, with the source ``questionnaire <year>`` and
``is_demo`` when the demo generator wrote the answer (a demo response's answer nobody has changed since). A fact
of the same city, kind and year that came from a questionnaire is replaced; one from any other source (a curated,
dated figure such as a census) is kept, never overwritten. A "don't know", a blank or a population that is not
positive stores nothing. The facts are stored before the edition is rescored, so the peer groups of the new
scores use them (:func:`.rescoring.facts_as_of`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import pandas as pd

from icc.framework.answer_table import FACT_QUESTIONS
from icc.web.network.models import CityFact, FactKind
from icc.web.questionnaire import workflow
from icc.web.questionnaire.models import Answer, Response, ResponseEvent

from .models import PublicDataVersion
from .rescoring import rescore_edition, score_table

QUESTIONNAIRE_SOURCE = "questionnaire {year}"
"""The stored source of a fact answered in a published questionnaire (pages show it translated)."""
_QUESTIONNAIRE = re.compile(r"questionnaire (\d{4})")


def questionnaire_year(source: str) -> int | None:
    """The edition year when ``source`` says the fact was answered in a published questionnaire, else None."""
    found = _QUESTIONNAIRE.fullmatch(source)
    return int(found.group(1)) if found else None


def _fact_value(kind: str, value: str) -> float | None:
    try:  # stored answers are normalised numbers ("21.5"); "dont_know" or a blank says nothing
        number = float(value)
    except ValueError:
        return None
    return number if number > 0 or kind != FactKind.POPULATION else None


def store_answered_facts(responses: Iterable[Response]) -> int:
    """Store the published ``responses``' answers to the fact questions as their cities' facts (see the module);
    how many facts were created or replaced. Call it inside the transaction that publishes them."""
    by_pk = {r.pk: r for r in responses}
    kinds = {question: kind for kind, question in FACT_QUESTIONS.items()}
    answered: dict[tuple[int, str, int], tuple[float, bool]] = {}
    rows = Answer.objects.filter(response_id__in=list(by_pk), question_id__in=list(kinds)).values_list(
        "response_id", "question_id", "value", "updated_by"
    )
    for response_id, question_id, text, by in rows:
        response = by_pk[response_id]
        number = _fact_value(kinds[question_id], text)
        if number is not None:
            key = (response.city_id, kinds[question_id], response.edition.year)
            answered[key] = (number, response.is_demo and by is None)
    if not answered:
        return 0
    existing = {
        (f.city_id, f.kind, f.year): f
        for f in CityFact.objects.filter(
            city_id__in={k[0] for k in answered}, kind__in=list(FACT_QUESTIONS), year__in={k[2] for k in answered}
        )
    }
    created, replaced = [], []
    for (city_id, kind, year), (value, is_demo) in answered.items():
        source = QUESTIONNAIRE_SOURCE.format(year=year)
        fact = existing.get((city_id, kind, year))
        if fact is None:
            created.append(CityFact(city_id=city_id, kind=kind, year=year, value=value, source=source, is_demo=is_demo))
        elif questionnaire_year(fact.source) is not None:
            fact.value, fact.source, fact.is_demo = value, source, is_demo
            replaced.append(fact)
    CityFact.objects.bulk_create(created)
    CityFact.objects.bulk_update(replaced, ["value", "source", "is_demo"])
    if created or replaced:
        PublicDataVersion.bump()  # bulk writes send no signals
    return len(created) + len(replaced)


@dataclass(frozen=True)
class PreviewRow:
    level: str
    item: str
    name: str
    score: float | None
    rank: int | None
    sample_size: int | None


def preview(response: Response, language: str = "en") -> list[PreviewRow]:
    """The scores and ranks of ``response`` as they will be once it is published (the edition's published
    responses and this one), index first, then the areas in the framework's order. (The scores and whole-sample
    ranks shown do not depend on the facts that publishing stores, only the peer groups do.)"""
    table = score_table(response.edition, also=response.pk)
    if table.empty:
        return []
    mine = table[table["city"] == response.city.slug]
    names = response.edition.framework.load().item_names(language)  # the index levels, areas and sub-areas
    order = {"index": 0, "area": 1, "subarea": 2}
    rows = []
    for r in mine.itertuples(index=False):
        rows.append(
            PreviewRow(
                level=r.level,
                item=r.item,
                name=names.get(r.item, str(r.item)),
                score=None if pd.isna(r.score) else float(r.score),
                rank=None if pd.isna(r.rank) else int(r.rank),
                sample_size=None if pd.isna(r.sample_size) else int(r.sample_size),
            )
        )
    return sorted(rows, key=lambda row: order.get(row.level, 3))


def publish(response: Response, user, now: datetime, comment: str = "") -> ResponseEvent:
    """Publish a validated response, store its answered facts and rescore its edition, in one transaction under the
    response's lock."""

    def rescore(locked: Response) -> None:
        store_answered_facts([locked])
        rescore_edition(locked.edition, now)

    return workflow.perform(response, "publish", user, now, comment, effects=rescore)
