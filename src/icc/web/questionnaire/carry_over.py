"""Starting a response from the city's answers to an earlier edition ("carried over — please confirm").

The rule:

- **From where.** The city's latest response to an earlier edition that is published or validated
  (:func:`source_of`).
- **What.** With the same framework, every answer to a question the new edition's framework asks, under the same
  question id. With another framework, the answers to the questions the shipped question mapping links
  (:func:`icc.framework.shipped_mapping`), re-expressed by :func:`icc.engine.translate_answers` (options renamed as
  the mapping says), and the fact questions both frameworks ask with the same id and type (population, shares of
  residents: the mapping links scored questions only). The evidence text and links come along (under the new question
  id); evidence files do not.
- **Where.** Only into questions the response has no answer for yet, so a second carry-over adds nothing and never
  overwrites an answer the city changed; a value the new question does not accept (:func:`clean_answer`) or a
  question that does not apply given the other answers is left out.
- **How.** All or nothing, in one transaction, through :func:`.editing.save_answer` (history rows with the source
  ``carry_over``, the mark ``Answer.carried_over_from`` = the source edition's year) and one audit event. Any later
  save of the answer by the city, or its "Confirm" button, clears the mark; submission is refused while an answer
  that applies still carries it (:func:`unconfirmed`, checked by :func:`.review.submit`).
- **Invented answers stay invented.** A copy of an answer the demo generator invented (:mod:`.invented`) is stored
  without an author (its history names who carried it over), and confirming it unchanged gives it none: its scores
  stay demo scores until a person changes it.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime

import pandas as pd
from django.db import transaction
from django.utils.translation import gettext as _

from icc.engine import translate_answers
from icc.framework import Framework, shipped_mapping
from icc.framework.answers import InvalidAnswer, applicable, clean_answer
from icc.web.network.definitions import definition_of

from . import audit, workflow
from .editing import save_answer
from .invented import CARRIED, invented
from .models import Answer, AuditEvent, Response

S = Response.Status
SOURCE_STATUSES = (S.PUBLISHED, S.VALIDATED)
"""The responses answers are carried over from: those the expert validated (and published ones)."""


def source_of(response: Response) -> Response | None:
    """The city's latest response to an earlier edition that is published or validated (None: there is none)."""
    return (
        Response.objects.filter(
            city_id=response.city_id, edition__year__lt=response.edition.year, status__in=SOURCE_STATUSES
        )
        .select_related("edition", "edition__framework")
        .defer("edition__framework__definition")
        .order_by("-edition__year")
        .first()
    )


@dataclass(frozen=True)
class Carried:
    """One answer as it would be carried over: the new question's id and the cleaned value and evidence."""

    question_id: str
    value: str
    evidence_text: str
    evidence_links: str
    invented: bool = False
    """The source answer is one the demo generator invented (:mod:`.invented`): the copy stays invented."""


@dataclass
class Plan:
    """What carrying over would do: the answers to copy, and those left out (with why)."""

    source: Response
    answers: list[Carried] = field(default_factory=list)
    already_answered: int = 0
    """Questions the response already answers: left as they are."""
    not_accepted: list[str] = field(default_factory=list)
    """New question ids whose carried value the new question refuses (e.g. a range that changed)."""
    files_left: int = 0
    """Evidence files of the copied answers, which are not carried over."""


def _translated(source_answers: list[Answer], old: Framework, new: Framework) -> dict[str, tuple[str, str, str, str]]:
    """The source answers as (value, evidence text, links, source question id) of the new framework's questions
    (see the module)."""
    if old.id == new.id:
        return {a.question_id: (a.value, a.evidence_text, a.evidence_links, a.question_id) for a in source_answers}
    new_ids = {q.id: q for q in new.questions()}
    out: dict[str, tuple[str, str, str, str]] = {}
    by_id = {a.question_id: a for a in source_answers}
    for q in old.facts:  # same id and type in both frameworks: the same fact
        if q.id in by_id and q.id in new_ids and new_ids[q.id].type == q.type:
            a = by_id[q.id]
            out[q.id] = (a.value, a.evidence_text, a.evidence_links, q.id)
    mapping = shipped_mapping(old.id, new.id)
    if mapping is None:
        return out
    values = pd.DataFrame([{a.question_id: a.value or None for a in source_answers}], index=["source"])
    translated = translate_answers(values, mapping).iloc[0]
    for qm in mapping.questions:
        origin = by_id.get(qm.from_)
        value = translated.get(qm.to)
        if origin is None or not isinstance(value, str):
            continue
        out[qm.to] = (value, origin.evidence_text, origin.evidence_links, qm.from_)
    return out


def plan(response: Response) -> Plan | None:
    """What :func:`carry_over` would copy into ``response`` now (None: the city has no earlier answers to copy)."""
    source = source_of(response)
    if source is None:
        return None
    old, new = definition_of(source.edition), definition_of(response.edition)
    stored = list(source.answers.prefetch_related("files"))
    files = {a.question_id: sum(1 for f in a.files.all() if not f.removed) for a in stored}
    translated = _translated(stored, old, new)
    made_up = set(source.answers.filter(invented()).values_list("question_id", flat=True).distinct())
    existing = set(response.answers.values_list("question_id", flat=True))
    result = Plan(source)
    candidates: dict[str, Carried] = {}
    origin: dict[str, str] = {}
    for question in new.questions():
        if question.deprecated or question.id not in translated:
            continue
        if question.id in existing:
            result.already_answered += 1
            continue
        value, text, links, origin[question.id] = translated[question.id]
        try:
            cleaned = clean_answer(question, value, text, links)
        except InvalidAnswer:
            result.not_accepted.append(question.id)
            continue
        if not (cleaned.value or cleaned.evidence_text or cleaned.evidence_links):
            continue
        candidates[question.id] = Carried(
            question.id,
            cleaned.value,
            cleaned.evidence_text,
            cleaned.evidence_links,
            invented=origin[question.id] in made_up,
        )
    current = dict(response.answers.values_list("question_id", "value"))
    shown = applicable(new, current | {qid: c.value for qid, c in candidates.items()})
    result.answers = [c for qid, c in candidates.items() if shown.get(qid, True)]
    result.files_left = sum(files.get(origin[c.question_id], 0) for c in result.answers)
    return result


DETAIL = "{n} answers from {year} (response {source})"
"""The detail of the audit event ``answers_carried_over`` (read back by :func:`carried_events`)."""
_DETAIL = re.compile(r"(\d+) answers from (\d+) ")


@dataclass(frozen=True)
class CarriedEvent:
    """A carry-over as the response's history shows it: when, who, how many answers, from which year."""

    at: datetime
    user: object
    count: int
    year: int


def carried_events(response: Response) -> list[CarriedEvent]:
    """The carry-overs into ``response``, oldest first (from their audit events)."""
    out = []
    for e in AuditEvent.objects.filter(response=response, action="answers_carried_over").select_related("user"):
        found = _DETAIL.match(e.detail)
        if found:
            out.append(CarriedEvent(e.at, e.user, int(found[1]), int(found[2])))
    return out


@dataclass(frozen=True)
class Outcome:
    source_year: int
    copied: int
    already_answered: int
    not_accepted: list[str]
    files_left: int


def can_carry_over(response: Response) -> bool:
    """The response may start from earlier answers now: a draft of an open edition (before anything is submitted)."""
    return response.status == S.DRAFT and response.is_editable_by_city


def carry_over(response: Response, user, now: datetime) -> Outcome:
    """Copy the city's earlier answers into the questions ``response`` does not answer yet (see the module), all
    or nothing; raises :class:`~.workflow.Refused` when the response is not a draft of an open edition or the city
    has no earlier published or validated response."""
    with transaction.atomic():
        locked = workflow.lock(response)
        if not can_carry_over(locked):
            raise workflow.Refused(
                _("Answers can be carried over only into a draft of an open edition; this response is %(status)s.")
                % {"status": str(locked.get_status_display()).lower()},
                status=409,
            )
        todo = plan(locked)
        if todo is None:
            raise workflow.Refused(
                _("%(city)s has no validated or published response to an earlier edition to start from.")
                % {"city": locked.city.name},
                status=409,
            )
        year = todo.source.edition.year
        copied = 0
        for c in todo.answers:
            result = save_answer(
                locked,
                c.question_id,
                user,
                changes={"value": c.value, "evidence_text": c.evidence_text, "evidence_links": c.evidence_links},
                base_version=0,
                edit_key=uuid.uuid4(),
                now=now,
                source=CARRIED,
                carried_from=year,
                invented=c.invented,
            )
            if result.outcome != "saved":  # under the lock no one else can answer first; refuse rather than mix
                raise RuntimeError(f"concurrent change of {c.question_id} during the carry-over")
            copied += 1
        if copied:
            audit.record(
                "answers_carried_over",
                user,
                now,
                response=locked,
                detail=DETAIL.format(n=copied, year=year, source=todo.source.pk),
            )
    return Outcome(year, copied, todo.already_answered, todo.not_accepted, todo.files_left)


def unconfirmed(response: Response, framework: Framework | None = None) -> list[str]:
    """Ids of the carried-over answers the city has not yet confirmed or changed, among the questions that apply,
    in questionnaire order (a question hidden by skip logic cannot be confirmed and is not scored)."""
    framework = framework or definition_of(response.edition)
    answers = list(response.answers.values_list("question_id", "value", "carried_over_from"))
    marked = {qid for qid, _value, year in answers if year is not None}
    if not marked:
        return []
    shown = applicable(framework, {qid: value for qid, value, _year in answers})
    return [q.id for q in framework.questions() if q.id in marked and shown.get(q.id, True)]


def confirm_section(response: Response, question_ids: list[str], user, now: datetime) -> int:
    """Confirm, as they are, the carried-over answers of a section (its ``question_ids``) that apply and are still
    to be confirmed, in one transaction (each through :func:`.editing.save_answer`, so each gets its history row);
    returns how many were confirmed. Raises :class:`~.workflow.Refused` when an answer cannot be changed now."""
    with transaction.atomic():
        locked = workflow.lock(response)
        todo = set(unconfirmed(locked)) & set(question_ids)
        confirmed = 0
        for answer in locked.answers.filter(question_id__in=todo).order_by("question_id"):
            result = save_answer(
                locked,
                answer.question_id,
                user,
                changes={},
                base_version=answer.version,
                edit_key=None,
                now=now,
            )
            if result.outcome != "saved":  # under the lock no one else changes it; refuse rather than mix
                raise RuntimeError(f"concurrent change of {answer.question_id} while confirming the section")
            confirmed += 1
    return confirmed
