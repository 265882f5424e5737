"""The life of a response as one table of transitions, and the one rule that says which answers may change.

Every state change goes through :func:`perform`: it locks the response row, re-checks the state inside the
transaction (so two racing submits, reviews or publications record one event and send one e-mail), runs the
transition's effects under the same lock and in the same transaction (a failed rescore leaves nothing published),
records a :class:`ResponseEvent` and e-mails the people concerned once the transaction has committed.

::

    draft ─submit─▶ submitted ─return─▶ returned ─submit─▶ submitted ─validate─▶ validated ─publish─▶ published
      ▲                 │
      └───withdraw──────┘ (before the expert has reviewed any answer; back to draft or returned)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.urls import reverse
from django.utils import dateformat, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from icc.framework.schema import text_in
from icc.web.accounts.models import Role, User
from icc.web.network.definitions import definition_of
from icc.web.network.models import Edition

from .models import Answer, AnswerChange, Response, ResponseEvent
from .sections import section_of

S = Response.Status
R = Answer.Review


class Refused(Exception):
    """A change the current state does not allow; ``message`` is meant for the person who asked (translated)."""

    def __init__(self, message: str, status: int = 409):
        self.message = message
        self.status = status
        super().__init__(message)


class StateConflict(Refused):
    """A transition asked of a response that is no longer in a state it starts from — most often a repeat (a
    replayed or double-clicked submit): 409, saying what the response is now, since when and by whom."""

    def __init__(self, response: Response, transition: Transition):
        status = str(response.get_status_display()).lower()
        last = response.events.filter(to_status=response.status).select_related("user").order_by("-at", "-pk").first()
        if last is None:
            text = _("This response is now %(status)s: it cannot %(action)s.") % {
                "status": status,
                "action": transition.label,
            }
        else:
            values = {
                "status": status,
                "action": transition.label,
                "date": dateformat.format(timezone.localtime(last.at), "Y-m-d H:i"),
                "name": last.user.username if last.user else _("the platform"),
            }
            if response.status == transition.target:
                text = _("This response is already %(status)s (on %(date)s by %(name)s).") % values
            else:
                text = _("This response is %(status)s (since %(date)s, by %(name)s): it cannot %(action)s.") % values
        super().__init__(text, status=409)


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[str]
    target: str | None
    """``None``: back to the status the response had before it was submitted (withdrawal)."""
    needs_open_edition: bool
    label: object
    announced: object = None
    """What the e-mail's subject says happened; ``None``: the name of the new status."""


TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in (
        Transition("submit", frozenset({S.DRAFT, S.RETURNED}), S.SUBMITTED, True, gettext_lazy("be submitted")),
        Transition(
            "withdraw",
            frozenset({S.SUBMITTED}),
            None,
            True,
            gettext_lazy("have its submission withdrawn"),
            gettext_lazy("Submission withdrawn"),
        ),
        Transition("return", frozenset({S.SUBMITTED}), S.RETURNED, False, gettext_lazy("be returned to the city")),
        Transition("validate", frozenset({S.SUBMITTED}), S.VALIDATED, False, gettext_lazy("be validated")),
        Transition("publish", frozenset({S.VALIDATED}), S.PUBLISHED, False, gettext_lazy("be published")),
    )
}


def answer_is_editable(response: Response, answer: Answer | None) -> bool:
    """Whether the city may change this answer now (permissions per section aside): the edition is open, and the
    response is a draft, or it is returned and this answer is one the expert returned (and may be corrected as
    often as needed until the city resubmits)."""
    if response.edition.status != Edition.Status.OPEN:
        return False
    if response.status == S.DRAFT:
        return True
    return response.status == S.RETURNED and answer is not None and answer.review in (R.RETURNED, R.CORRECTED)


def why_not_editable(response: Response, answer: Answer | None) -> str:
    """The reason :func:`answer_is_editable` is false, in the page language."""
    if response.edition.status != Edition.Status.OPEN:
        return _("The edition %(year)s is closed: answers can no longer be changed.") % {"year": response.edition.year}
    if response.status == S.RETURNED:
        return _("Only the answers returned by the expert can be changed now.")
    return _("The response is %(status)s: answers can no longer be changed.") % {
        "status": str(response.get_status_display()).lower()
    }


def lock(response: Response) -> Response:
    """The response row, locked until the end of the current transaction, as stored now."""
    return Response.objects.select_for_update().select_related("edition", "city").get(pk=response.pk)


def status_before_submission(response: Response) -> str:
    last = response.events.filter(to_status=S.SUBMITTED).order_by("-at", "-pk").first()
    return last.from_status if last and last.from_status in (S.DRAFT, S.RETURNED) else S.DRAFT


def review_started(response: Response) -> bool:
    """Whether the expert has decided on any answer since the last submission."""
    last = response.events.filter(to_status=S.SUBMITTED).order_by("-at", "-pk").first()
    changes = AnswerChange.objects.filter(answer__response=response, source="review")
    if last is not None:
        changes = changes.filter(at__gte=last.at)
    return changes.exists()


def perform(
    response: Response,
    name: str,
    user,
    now: datetime,
    comment: str = "",
    *,
    check: Callable[[Response], None] | None = None,
    effects: Callable[[Response], None] | None = None,
) -> ResponseEvent:
    """Run the transition ``name`` on ``response``; raises :class:`Refused` when its state does not allow it.

    ``check(locked)`` may raise :class:`Refused` (e.g. required answers missing); ``effects(locked)`` runs under the
    lock, in the same transaction, once the new status is stored (e.g. rescoring on publication).
    """
    transition = TRANSITIONS[name]
    with transaction.atomic():
        locked = lock(response)
        if locked.status not in transition.sources:
            raise StateConflict(locked, transition)
        if transition.needs_open_edition and locked.edition.status != Edition.Status.OPEN:
            raise Refused(_("The edition %(year)s is closed.") % {"year": locked.edition.year})
        if check is not None:
            check(locked)
        target = transition.target or status_before_submission(locked)
        source = locked.status
        locked.status = target
        locked.save(update_fields=["status"])
        if effects is not None:
            effects(locked)
        event = ResponseEvent.objects.create(
            response=locked, from_status=source, to_status=target, user=user, at=now, comment=comment
        )
        response.status = target
        _announce(locked, transition, target, user, now, comment)
    return event


def _announce(response: Response, transition: Transition, to: str, user, now: datetime, comment: str) -> None:
    """E-mail the city's officials and experts and the secretariat what ``transition`` did (see :func:`notify`)."""
    who = getattr(user, "username", None)
    city, year = response.city.name, response.edition.year
    link = absolute(reverse("questionnaire:detail", args=[response.pk]))
    returned = _returned_answers(response) if to == S.RETURNED else []
    automatic = (
        ngettext("%(n)d answer returned for correction", "%(n)d answers returned for correction", len(returned))
        % {"n": len(returned)}
        if returned
        else None
    )  # the comment the review writes when the expert wrote none, in the expert's language: not repeated

    def build() -> tuple[str, str]:
        language = (translation.get_language() or settings.LANGUAGE_CODE)[:2]
        status = str(dict(Response.Status.choices)[to])
        values = {"city": city, "year": year, "status": status}
        subject = _("[ICC Index] %(city)s %(year)s: %(status)s") % {**values, "status": transition.announced or status}
        if transition.name == "withdraw":
            body = (
                _(
                    "The submission of the ICC Index response of %(city)s for %(year)s was withdrawn: "
                    "it is %(status)s again."
                )
                % values
            )
        else:
            body = _("The ICC Index response of %(city)s for %(year)s is now: %(status)s.") % values
        body += "\n" + _("Changed by %(who)s on %(when)s UTC.") % {
            "who": who or _("the platform"),
            "when": f"{now:%Y-%m-%d %H:%M}",
        }
        if comment and comment != automatic:
            body += "\n\n" + _("Comment:") + "\n" + comment
        if returned:
            body += "\n\n" + ngettext(
                "The expert returned %(n)d answer for correction:",
                "The expert returned %(n)d answers for correction:",
                len(returned),
            ) % {"n": len(returned)}
            for answer in returned:
                body += "\n\n- " + text_in(answer.text, language)
                body += "\n  " + _("Expert's comment: %(comment)s") % {"comment": answer.comment}
                body += "\n  " + answer.link
        body += "\n\n" + _("Open the response: %(link)s") % {"link": link}
        return subject, body

    notify(people(response, Role.OFFICIAL, Role.EXPERT, Role.SECRETARIAT), build)


@dataclass(frozen=True)
class _Returned:
    text: dict
    comment: str
    link: str


def _returned_answers(response: Response) -> list[_Returned]:
    """The answers the expert returned, in questionnaire order: each question's text (every language), the expert's
    comment and the address of the question on its section page."""
    comments = dict(
        Answer.objects.filter(response=response, review=R.RETURNED).values_list("question_id", "review_comment")
    )
    if not comments:
        return []
    fw = definition_of(response.edition)
    where = section_of(fw)
    out = []
    for question in fw.questions():
        if question.id not in comments:
            continue
        if question.id in where:
            path = reverse("questionnaire:section", args=[response.pk, where[question.id].id]) + f"#q-{question.id}"
        else:
            path = reverse("questionnaire:detail", args=[response.pk])
        out.append(_Returned(dict(question.text or {}), comments[question.id], absolute(path)))
    return out


def absolute(path: str) -> str:
    """An absolute address of a page of the platform for e-mails (``ICC_BASE_URL``, default the local server)."""
    return settings.BASE_URL.rstrip("/") + path


def notify(users: Iterable, build: Callable[[], tuple[str, str]]) -> None:
    """E-mail each of ``users`` the (subject, body) that ``build`` writes in that user's language, once the current
    transaction has committed (a change that is rolled back announces nothing). One message per person: nobody sees
    who else was told."""
    written: dict[str, tuple[str, str]] = {}
    mails = []
    seen: set[str] = set()
    for user in users:
        address = (user.email or "").strip()
        if not address or address.lower() in seen:
            continue
        seen.add(address.lower())
        language = user.mail_language
        if language not in written:
            with translation.override(language):
                written[language] = build()
        subject, body = written[language]
        mails.append((subject, body, settings.DEFAULT_FROM_EMAIL, [address]))
    if mails:
        transaction.on_commit(lambda: send_mass_mail(mails, fail_silently=True))


def people(response: Response, *roles: str) -> list:
    """The active users of a response's city with the given roles (and the secretariat, when asked)."""
    users = User.objects.filter(is_active=True)
    wanted = [r for r in roles if r != Role.SECRETARIAT]
    found = list(users.filter(role__in=wanted, assignments__city=response.city).distinct())
    if Role.SECRETARIAT in roles:
        found += list(users.filter(role=Role.SECRETARIAT))
    return found
