"""The expert's review and the exchange about returned answers: decisions, the end of a review, submission checks,
withdrawal and replies. Views only parse the request and call these; every function re-checks the state under
the response's lock (see :mod:`.workflow`)."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from icc.framework import Framework
from icc.framework.answers import applicable, clean_text, missing_required

from . import carry_over, workflow
from .models import Answer, AnswerChange, Response, ResponseEvent, ReviewMessage
from .workflow import Refused

S = Response.Status
R = Answer.Review
REPLY_MAX = 2_000
"""Longest comment or reply in the exchange about a returned answer, in characters."""


def _comment(text: str, what: str) -> str:
    """A comment or reply as stored: control characters removed, at most REPLY_MAX characters."""
    cleaned = clean_text(text[: REPLY_MAX * 4], field="comment") if text else ""
    if len(cleaned) > REPLY_MAX:
        raise Refused(_("The %(what)s is longer than %(n)d characters.") % {"what": what, "n": REPLY_MAX}, status=422)
    return cleaned


def decide(response: Response, question_id: str, user, decision: str, comment: str, now: datetime) -> Answer:
    """The expert accepts an answer, or returns it with a comment saying what to correct."""
    if decision not in (R.ACCEPTED, R.RETURNED):
        raise Refused(_("Choose to accept or to return the answer."), status=422)
    comment = _comment(comment, _("comment"))
    if decision == R.RETURNED and not comment:
        raise Refused(_("Say what the city should correct: a comment is needed to return an answer."), status=422)
    with transaction.atomic():
        locked = workflow.lock(response)
        if locked.status != S.SUBMITTED:
            raise Refused(
                _("The review is over: the response is %(status)s.") % {"status": locked.get_status_display()}
            )
        answer = Answer.objects.select_for_update().filter(response=locked, question_id=question_id).first()
        if answer is None:
            raise Refused(_("This question has no answer to review."), status=404)
        old = f"{answer.review}: {answer.review_comment}".strip(": ")
        answer.review = decision
        answer.review_comment = comment if decision == R.RETURNED else ""
        answer.save(update_fields=["review", "review_comment"])
        AnswerChange.objects.create(
            answer=answer,
            field="review",
            old=old,
            new=f"{decision}: {comment}".strip(": "),
            user=user,
            at=now,
            source="review",
        )
        if decision == R.RETURNED:
            ReviewMessage.objects.create(answer=answer, user=user, at=now, text=comment)
    return answer


def changed_since_returned(answer: Answer) -> bool:
    """Whether the city changed the answer (value, evidence text or links) since the expert last returned it."""
    before = answer.returned_snapshot
    return before is not None and before != answer.snapshot()


def state_of(answer: Answer) -> str:
    """The review state the expert sees, one rule for the summary and for each answer's mark.

    An answer returned at the last review and changed by the city since, on which the expert has not decided
    again, is "corrected by the city" (the resubmission stores it as not reviewed yet, with what it looked like
    when it was returned: :func:`finish`, :func:`submit`)."""
    if answer.review == R.PENDING and changed_since_returned(answer):
        return R.CORRECTED
    return answer.review


def counts(framework: Framework, answers: list[Answer]) -> dict[str, int]:
    """How many of the answers the expert sees (those that apply) are in each review state (:func:`state_of`)."""
    applies = applicable(framework, {a.question_id: a.value for a in answers})
    seen = [state_of(a) for a in answers if applies.get(a.question_id, True)]
    return {state: seen.count(state) for state in R.values}


def last_submission(response: Response) -> ResponseEvent | None:
    """The latest submission of the response (its comment is what the city says to the expert), if any."""
    return response.events.filter(to_status=S.SUBMITTED).select_related("user").order_by("-at", "-pk").first()


def finish(response: Response, user, now: datetime, comment: str = "") -> ResponseEvent:
    """End the review: back to the city when an answer is returned (each keeps what it looked like, for the
    before/after of the next review), otherwise every answer is accepted and the response validated."""
    comment = _comment(comment, _("comment"))
    with transaction.atomic():
        locked = workflow.lock(response)
        returned = list(Answer.objects.select_for_update().filter(response=locked, review=R.RETURNED))
        if returned:

            def keep_before(locked_response: Response) -> None:
                for a in returned:
                    a.returned_snapshot = a.snapshot()
                Answer.objects.bulk_update(returned, ["returned_snapshot"])
                # what was not returned is accepted: the city cannot change it, so the next review need not see it
                Answer.objects.filter(response=locked_response, review__in=[R.PENDING, R.CORRECTED]).update(
                    review=R.ACCEPTED, returned_snapshot=None
                )

            text = comment or ngettext(
                "%(n)d answer returned for correction", "%(n)d answers returned for correction", len(returned)
            ) % {"n": len(returned)}
            return workflow.perform(locked, "return", user, now, text, effects=keep_before)

        def accept_rest(locked_response: Response) -> None:
            Answer.objects.filter(response=locked_response, review__in=[R.PENDING, R.CORRECTED]).update(
                review=R.ACCEPTED, returned_snapshot=None
            )

        return workflow.perform(locked, "validate", user, now, comment, effects=accept_rest)


def untouched_returned(response: Response) -> list[Answer]:
    """Returned answers the city has not corrected (nor replied to) since they were returned."""
    answers = response.answers.filter(review=R.RETURNED)
    out = []
    for a in answers:
        last_return = a.changes.filter(field="review").order_by("-at", "-pk").first()
        since = last_return.at if last_return else None
        replied = a.messages.filter(at__gte=since).exclude(user=last_return.user if last_return else None).exists()
        if not replied:
            out.append(a)
    return out


def submit(
    response: Response, framework: Framework, user, now: datetime, comment: str = "", confirm_untouched: bool = False
) -> ResponseEvent:
    """Submit a draft, or resubmit a returned response. Refused while required answers are missing, while an answer
    carried over from an earlier edition is neither confirmed nor changed (:func:`.carry_over.unconfirmed`), and, on
    a resubmission, while returned answers were neither corrected nor answered unless ``confirm_untouched`` and a
    ``comment`` says why; that comment is then also a message of the exchange about each of those answers. The
    first three reasons are given together (:class:`NotReady`), so that the city fixes them in one go."""
    comment = _comment(comment, _("comment"))
    kept: list[Answer] = []

    def check(locked: Response) -> None:
        values = dict(locked.answers.values_list("question_id", "value"))
        missing = missing_required(framework, values)
        to_confirm = carry_over.unconfirmed(locked, framework)
        untouched = untouched_returned(locked) if locked.status == S.RETURNED else []
        if missing or to_confirm or (untouched and not confirm_untouched):
            raise NotReady(missing, to_confirm, [] if confirm_untouched else [a.question_id for a in untouched])
        if untouched and not comment:
            raise Refused(
                _("Say why the returned answers stay as they are: the expert reads it next to each of them."),
                status=422,
            )
        kept.extend(untouched)

    def reopen_review(locked: Response) -> None:
        Answer.objects.filter(response=locked, review__in=[R.RETURNED, R.CORRECTED]).update(review=R.PENDING)
        # the reason the city gives for answers it keeps joins the exchange about each of them
        ReviewMessage.objects.bulk_create(ReviewMessage(answer=a, user=user, at=now, text=comment) for a in kept)

    return workflow.perform(response, "submit", user, now, comment, check=check, effects=reopen_review)


class NotReady(Refused):
    """Every reason a response cannot be submitted yet, at once: required questions not answered (``missing``),
    carried-over answers neither confirmed nor changed (``unconfirmed``), returned answers neither corrected nor
    answered (``untouched``, on a resubmission); each a list of question ids in questionnaire order."""

    def __init__(self, missing: list[str], unconfirmed: list[str], untouched: list[str]):
        self.missing, self.unconfirmed, self.untouched = missing, unconfirmed, untouched
        super().__init__(_("The response cannot be submitted yet: see each reason below."), status=422)


def withdraw(response: Response, user, now: datetime, comment: str = "") -> ResponseEvent:
    """The coordinator takes a submission back, as long as the expert has not reviewed any answer yet."""
    comment = _comment(comment, _("comment"))

    def check(locked: Response) -> None:
        if workflow.review_started(locked):
            raise Refused(_("The expert has started the review: the submission can no longer be withdrawn."))

    return workflow.perform(response, "withdraw", user, now, comment, check=check)


def reply(response: Response, question_id: str, user, text: str, now: datetime) -> ReviewMessage:
    """A message in the exchange about a returned answer: the city answers the expert's comment (kept in the
    answer's history). Allowed while the answer can be corrected."""
    text = _comment(text, _("reply"))
    if not text:
        raise Refused(_("Write your reply first."), status=422)
    with transaction.atomic():
        locked = workflow.lock(response)
        answer = Answer.objects.filter(response=locked, question_id=question_id).first()
        if locked.status != S.RETURNED or answer is None or answer.review not in (R.RETURNED, R.CORRECTED):
            raise Refused(_("Only an answer returned by the expert can be discussed, until the city resubmits."))
        return ReviewMessage.objects.create(answer=answer, user=user, at=now, text=text)


__all__ = [
    "decide",
    "finish",
    "submit",
    "withdraw",
    "reply",
    "counts",
    "last_submission",
    "state_of",
    "changed_since_returned",
    "untouched_returned",
]
