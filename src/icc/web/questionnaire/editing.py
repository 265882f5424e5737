"""Changing a response's answers: autosave and spreadsheet import (state changes: :mod:`.workflow`).

Three callers save answers (the autosave endpoint, the XLSX import and the carry-over of an earlier edition's
answers, :mod:`.carry_over`), so the rules live here once: optimistic concurrency on ``Answer.version``, idempotent
repeats through ``Answer.last_edit``, a history row per changed field, one transaction per save or import, and the
"carried over — please confirm" mark (``Answer.carried_over_from``), which any save by the city clears.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from django.db import IntegrityError, transaction
from django.utils.translation import ngettext

from icc.framework import Framework
from icc.framework.answers import AnswerValue, applicable
from icc.web.network.definitions import definition_of

from . import workflow
from .models import Answer, AnswerChange, Response

FIELDS = ("value", "evidence_text", "evidence_links")
MARK = "carried_over"
"""The history field of the "carried over — please confirm" mark (old → new: the edition year or blank)."""


@dataclass
class SaveResult:
    outcome: Literal["saved", "unchanged", "conflict"]
    answer: Answer | None
    """The answer as stored after the save (for a conflict: the other person's version)."""
    confirmed: bool = False
    """The save cleared the answer's "carried over — please confirm" mark."""


class KeyReused(Exception):
    """An edit key already applied came back with different content: a client error, never a silent "saved"."""


def save_answer(
    response: Response,
    question_id: str,
    user,
    *,
    changes: dict[str, str],
    base_version: int,
    edit_key: uuid.UUID | None,
    now: datetime,
    source: str = "web",
    carried_from: int | None = None,
    invented: bool = False,
) -> SaveResult:
    """Save some fields of one answer if ``base_version`` is the stored version (0 = no answer yet).

    The response row is locked and its state re-checked inside the transaction: a save that arrives after the
    response was submitted (or its edition closed) raises :class:`~.workflow.Refused`, it is never acknowledged.
    A repeat of an edit already applied (same ``edit_key``, same content) changes nothing and reports
    ``unchanged``; the same key with other content raises :class:`KeyReused`; a save based on an older version is
    refused as a ``conflict`` and returns the stored answer to show both values. Saving a returned answer marks
    it corrected; it stays editable until the city resubmits.

    ``carried_from`` is the mark the answer keeps after the save: the year of the edition it is copied from (only
    :func:`.carry_over.carry_over` passes one), else None. So every other save — a change, or the same content
    saved again, e.g. with the "Confirm" button — confirms a carried-over answer: the mark is cleared (a history
    row ``carried_over``, old = the year) and the outcome is ``saved`` even when no field changed.

    ``updated_by`` is the author of the answer's content: a save that changes a field sets it to ``user``, a save
    that changes none (a confirmation) leaves it. ``invented`` (only :func:`.carry_over.carry_over` passes it)
    saves a copy of an answer the demo generator invented without an author, so that it stays invented
    (:mod:`.invented`); its history rows still name ``user``.
    """
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise ValueError(f"unknown answer fields {sorted(unknown)}")
    try:
        with transaction.atomic():
            locked = workflow.lock(response)
            answer = Answer.objects.select_for_update().filter(response=response, question_id=question_id).first()
            if not workflow.answer_is_editable(locked, answer):
                raise workflow.Refused(workflow.why_not_editable(locked, answer), status=403)
            if answer is not None and edit_key is not None and answer.last_edit == edit_key:
                if any(getattr(answer, f) != v for f, v in changes.items()):
                    raise KeyReused(str(edit_key))
                return SaveResult("unchanged", answer)
            current = answer.version if answer is not None else 0
            if current != base_version:
                return SaveResult("conflict", answer)
            if answer is None:
                answer = Answer(response=response, question_id=question_id, version=0, updated_at=now)
            changed = {f: v for f, v in changes.items() if getattr(answer, f) != v}
            mark_before = answer.carried_over_from
            if not changed and answer.pk is not None and mark_before == carried_from:
                return SaveResult("unchanged", answer)
            olds = {f: getattr(answer, f) for f in changed}
            for f, v in changed.items():
                setattr(answer, f, v)
            answer.version += 1
            answer.updated_at = now
            if changed or answer.pk is None:
                answer.updated_by = None if invented else user
            answer.last_edit = edit_key
            answer.carried_over_from = carried_from
            if locked.status == Response.Status.RETURNED and answer.review == Answer.Review.RETURNED:
                answer.review = Answer.Review.CORRECTED
            answer.save()
            rows = [
                AnswerChange(answer=answer, field=f, old=olds[f], new=v, user=user, at=now, source=source)
                for f, v in changed.items()
            ]
            if mark_before != carried_from:
                old, new = ("" if m is None else str(m) for m in (mark_before, carried_from))
                rows.append(AnswerChange(answer=answer, field=MARK, old=old, new=new, user=user, at=now, source=source))
            AnswerChange.objects.bulk_create(rows)
            return SaveResult("saved", answer, confirmed=mark_before is not None and carried_from is None)
    except IntegrityError:  # another first save of the same answer won the race
        return SaveResult("conflict", Answer.objects.filter(response=response, question_id=question_id).first())


@dataclass(frozen=True)
class Overwritten:
    """An answer a spreadsheet would overwrite although it changed on the platform after the file was exported."""

    question_id: str
    stored: AnswerValue
    version: int
    """The stored version: confirming the overwrite names it, so that a later change is caught again."""
    updated_at: datetime
    updated_by: object
    in_file: AnswerValue


class OutdatedFile(workflow.Refused):
    """A spreadsheet that would overwrite answers changed on the platform after its export: nothing is imported.

    ``exported_at`` is None for a file that does not say when it was exported: then every answer it would change
    is listed (the platform cannot tell a change made in the file from one made on the platform since)."""

    def __init__(self, answers: list[Overwritten], exported_at: datetime | None):
        self.answers = answers
        self.exported_at = exported_at
        if exported_at is None:
            text = ngettext(
                "This file does not say when it was exported: %(n)d answer it would change is listed below. "
                "Nothing was changed.",
                "This file does not say when it was exported: the %(n)d answers it would change are listed below. "
                "Nothing was changed.",
                len(answers),
            )
        else:
            text = ngettext(
                "%(n)d answer changed on the platform after this file was exported: importing the file would "
                "overwrite it. Nothing was changed.",
                "%(n)d answers changed on the platform after this file was exported: importing the file would "
                "overwrite them. Nothing was changed.",
                len(answers),
            )
        super().__init__(text % {"n": len(answers)}, status=409)


def outdated(
    stored: dict[str, Answer],
    values: dict[str, AnswerValue],
    exported_at: datetime | None,
    confirmed: Mapping[str, int],
) -> list[Overwritten]:
    """The answers a spreadsheet would overwrite unseen: those where the file differs from the stored answer and
    the stored answer changed after the file's export (every difference, when the file gives no export time),
    except those whose overwrite the person confirmed for the version stored now (``confirmed``: question id →
    version)."""
    out = []
    for qid, in_file in values.items():
        answer = stored.get(qid)
        if answer is None or _stored_value(answer) == in_file:
            continue
        if exported_at is not None and answer.updated_at <= exported_at:
            continue  # the file's difference was made in the file, on purpose
        if confirmed.get(qid) == answer.version:
            continue
        out.append(
            Overwritten(qid, _stored_value(answer), answer.version, answer.updated_at, answer.updated_by, in_file)
        )
    return out


def _stored_value(answer: Answer) -> AnswerValue:
    return AnswerValue(answer.value, answer.evidence_text, answer.evidence_links)


def kept_hidden(framework: Framework, stored: dict[str, Answer], values: dict[str, AnswerValue]) -> set[str]:
    """The questions whose blank row of a spreadsheet leaves the stored answer as it is: those not asked given the
    answers after the import (the stored ones, with the file's on top). The export leaves the answers of questions
    that are not asked out of the file (the page keeps them, hidden), so a blank cell there says nothing."""
    after = {qid: a.value for qid, a in stored.items()} | {qid: av.value for qid, av in values.items()}
    shown = applicable(framework, after)
    return {
        qid
        for qid, av in values.items()
        if qid in stored and not shown.get(qid, True) and not (av.value or av.evidence_text or av.evidence_links)
    }


@transaction.atomic
def import_answers(
    response: Response,
    values: dict[str, AnswerValue],
    user,
    now: datetime,
    *,
    exported_at: datetime | None,
    confirmed: Mapping[str, int] | None = None,
) -> list[str]:
    """Apply a validated spreadsheet to a response in one transaction; returns the ids of the answers changed, in
    the file's order.

    Only a draft can be imported (the whole questionnaire at once); the state is re-checked under the lock. An
    answer whose cells are unchanged is not saved again, so a carried-over answer stays to be confirmed unless the
    spreadsheet changes it. A blank row of a question that is not asked given the answers after the import never
    changes its stored answer (:func:`kept_hidden`). The same spirit as the autosave's version check: when the
    file would overwrite an answer changed on the platform after ``exported_at`` (the export time the file gives;
    None: unknown), nothing is imported and :class:`OutdatedFile` lists those answers, unless each overwrite is
    ``confirmed`` for the version stored now (see :func:`outdated`).
    """
    locked = workflow.lock(response)
    if locked.status != Response.Status.DRAFT or not locked.is_editable_by_city:
        raise workflow.Refused(workflow.why_not_editable(locked, None), status=403)
    existing = {
        a.question_id: a
        for a in Answer.objects.select_for_update(of=("self",)).select_related("updated_by").filter(response=response)
    }
    kept = kept_hidden(definition_of(locked.edition), existing, values)
    values = {qid: av for qid, av in values.items() if qid not in kept}
    unseen = outdated(existing, values, exported_at, confirmed or {})
    if unseen:
        raise OutdatedFile(unseen, exported_at)
    changed: list[str] = []
    for qid, av in values.items():
        fields = {"value": av.value, "evidence_text": av.evidence_text, "evidence_links": av.evidence_links}
        answer = existing.get(qid)
        base = answer.version if answer is not None else 0
        if answer is None and not any(fields.values()):
            continue
        if answer is not None and all(getattr(answer, f) == v for f, v in fields.items()):
            continue  # a cell left as it was confirms nothing: a carried-over answer keeps its mark
        result = save_answer(
            response, qid, user, changes=fields, base_version=base, edit_key=uuid.uuid4(), now=now, source="xlsx"
        )
        if result.outcome == "conflict":  # cannot happen under the row locks; refuse rather than overwrite
            raise RuntimeError(f"concurrent change of {qid} during import")
        if result.outcome == "saved":
            changed.append(qid)
    return changed
