"""Changing a response: saving answers (autosave and spreadsheet import) and moving it through review.

Two callers save answers (the autosave endpoint and the XLSX import), so the rules live here once:
optimistic concurrency on ``Answer.version``, idempotent repeats through ``Answer.last_edit``, a history row per
changed field, and one transaction per save or import.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from icc.framework.answers import AnswerValue

from .models import Answer, AnswerChange, Response, ResponseEvent

FIELDS = ("value", "evidence_text", "evidence_links")


@dataclass
class SaveResult:
    outcome: Literal["saved", "unchanged", "conflict"]
    answer: Answer | None
    """The answer as stored after the save (for a conflict: the other person's version)."""


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
) -> SaveResult:
    """Save some fields of one answer if ``base_version`` is the stored version (0 = no answer yet).

    A repeat of an edit already applied (same ``edit_key``) changes nothing and reports ``unchanged``; a save
    based on an older version is refused as a ``conflict`` and returns the stored answer to show both values.
    """
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise ValueError(f"unknown answer fields {sorted(unknown)}")
    try:
        with transaction.atomic():
            answer = Answer.objects.select_for_update().filter(response=response, question_id=question_id).first()
            if answer is not None and edit_key is not None and answer.last_edit == edit_key:
                return SaveResult("unchanged", answer)
            current = answer.version if answer is not None else 0
            if current != base_version:
                return SaveResult("conflict", answer)
            if answer is None:
                answer = Answer(response=response, question_id=question_id, version=0, updated_at=now)
            changed = {f: v for f, v in changes.items() if getattr(answer, f) != v}
            if not changed and answer.pk is not None:
                return SaveResult("unchanged", answer)
            olds = {f: getattr(answer, f) for f in changed}
            for f, v in changed.items():
                setattr(answer, f, v)
            answer.version += 1
            answer.updated_at = now
            answer.updated_by = user
            answer.last_edit = edit_key
            if response.status == Response.Status.RETURNED and answer.review == Answer.Review.RETURNED:
                answer.review = Answer.Review.PENDING
            answer.save()
            AnswerChange.objects.bulk_create(
                [
                    AnswerChange(answer=answer, field=f, old=olds[f], new=v, user=user, at=now, source=source)
                    for f, v in changed.items()
                ]
            )
            return SaveResult("saved", answer)
    except IntegrityError:  # another first save of the same answer won the race
        return SaveResult("conflict", Answer.objects.filter(response=response, question_id=question_id).first())


@transaction.atomic
def import_answers(response: Response, values: dict[str, AnswerValue], user, now: datetime) -> int:
    """Apply a validated spreadsheet to a response in one transaction; returns the number of answers changed."""
    existing = {a.question_id: a for a in Answer.objects.select_for_update().filter(response=response)}
    changed_count = 0
    for qid, av in values.items():
        fields = {"value": av.value, "evidence_text": av.evidence_text, "evidence_links": av.evidence_links}
        answer = existing.get(qid)
        base = answer.version if answer is not None else 0
        if answer is None and not any(fields.values()):
            continue
        result = save_answer(
            response, qid, user, changes=fields, base_version=base, edit_key=uuid.uuid4(), now=now, source="xlsx"
        )
        if result.outcome == "conflict":  # cannot happen under the row locks; refuse rather than overwrite
            raise RuntimeError(f"concurrent change of {qid} during import")
        changed_count += result.outcome == "saved"
    return changed_count


def _notify(users: Iterable, build: Callable[[], tuple[str, str]]) -> None:
    """E-mail ``users`` the (subject, body) that ``build`` writes, in each user's language, once the current
    transaction has committed (a change that is rolled back announces nothing)."""
    by_language: dict[str, set[str]] = {}
    for user in users:
        if user.email:
            by_language.setdefault(user.mail_language, set()).add(user.email)
    mails = []
    for language, addresses in sorted(by_language.items()):
        with translation.override(language):
            subject, body = build()
        mails.append((subject, body, settings.DEFAULT_FROM_EMAIL, sorted(addresses)))
    if mails:
        transaction.on_commit(lambda: send_mass_mail(mails, fail_silently=True))


def people(response: Response, *roles: str) -> list:
    """The active users of a response's city with the given roles (and the secretariat, when asked)."""
    from icc.web.accounts.models import Role, User

    users = User.objects.filter(is_active=True)
    wanted = [r for r in roles if r != Role.SECRETARIAT]
    found = list(users.filter(role__in=wanted, assignments__city=response.city).distinct())
    if Role.SECRETARIAT in roles:
        found += list(users.filter(role=Role.SECRETARIAT))
    return found


@transaction.atomic
def change_status(response: Response, to: str, user, now: datetime, comment: str = "") -> ResponseEvent:
    """Move a response to a new status, record who, when and why, and notify the people concerned."""
    from icc.web.accounts.models import Role

    locked = Response.objects.select_for_update().get(pk=response.pk)
    event = ResponseEvent.objects.create(
        response=locked, from_status=locked.status, to_status=to, user=user, at=now, comment=comment
    )
    locked.status = to
    locked.save(update_fields=["status"])
    response.status = to
    who = getattr(user, "username", None)
    city, year = response.city.name, response.edition.year

    def build() -> tuple[str, str]:
        values = {"city": city, "year": year, "status": str(dict(Response.Status.choices)[to])}
        subject = _("[ICC Index] %(city)s %(year)s: %(status)s") % values
        body = _("The ICC Index response of %(city)s for %(year)s is now: %(status)s.") % values
        body += "\n" + _("Changed by %(who)s on %(when)s UTC.") % {
            "who": who or _("the platform"),
            "when": f"{now:%Y-%m-%d %H:%M}",
        }
        if comment:
            body += "\n\n" + _("Comment:") + "\n" + comment
        return subject, body

    _notify(people(response, Role.OFFICIAL, Role.EXPERT, Role.SECRETARIAT), build)
    return event
