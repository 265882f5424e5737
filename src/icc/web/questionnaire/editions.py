"""Opening an edition, inviting cities to it, and closing it: each locks the edition row, re-checks its state and
records what happened (response events, audit log); invited cities' officials are e-mailed once it commits.

**Closing** locks every response of the edition where it is: a draft or returned response can no longer be changed
or submitted, a submitted one can still be reviewed (returned, validated) and a validated one published. Nothing is
deleted; reopening the edition lets the cities go on. :func:`closing_warning` says so before closing."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from icc.web.accounts.models import Role, User
from icc.web.network.models import City, Edition
from icc.web.network.templatetags.icc import city_name

from . import audit, workflow
from .models import Response, ResponseEvent


def open_edition(year: int, framework, opens, closes, user: User, now: datetime) -> Edition:
    """A new open edition answered with ``framework`` (a stored framework version), recorded in the audit log."""
    with transaction.atomic():
        e = Edition.objects.create(
            year=year, framework=framework, opens=opens, closes=closes, status=Edition.Status.OPEN
        )
        audit.record("edition_opened", user, now, edition=e, detail=str(e.framework))
    return e


class Closed(Exception):
    """The edition is closed: no city can be invited."""


def invite(edition: Edition, cities: list[City], user: User, now: datetime) -> int:
    """Create a response for each city not yet invited (in name order); how many were created."""
    created_n = 0
    with transaction.atomic():
        locked = Edition.objects.select_for_update().get(pk=edition.pk)
        if locked.status != Edition.Status.OPEN:
            raise Closed
        for city in sorted(cities, key=lambda c: c.name):
            r, created = Response.objects.get_or_create(city=city, edition=locked)
            if not created:
                continue
            created_n += 1
            ResponseEvent.objects.create(
                response=r, from_status="", to_status=r.status, user=user, at=now, comment="invited"
            )
            audit.record("city_invited", user, now, edition=locked, city=city, response=r)
            _notify_invited(r)
    return created_n


def set_status(edition: Edition, status: str, user: User, now: datetime) -> Edition:
    """Open or close the edition (nothing happens when it already is)."""
    with transaction.atomic():
        locked = Edition.objects.select_for_update().get(pk=edition.pk)
        if locked.status != status:
            locked.status = status
            locked.save(update_fields=["status"])
            action = "edition_reopened" if status == Edition.Status.OPEN else "edition_closed"
            audit.record(action, user, now, edition=locked)
    return locked


def closing_warning(edition: Edition) -> str:
    """What closing ``edition`` does to its responses still being answered or reviewed, as the question the
    secretariat confirms (page language)."""
    counts = dict(edition.responses.values_list("status").annotate(n=Count("id")))
    answering = counts.get(Response.Status.DRAFT, 0) + counts.get(Response.Status.RETURNED, 0)
    submitted = counts.get(Response.Status.SUBMITTED, 0)
    parts = [_("Close edition %(year)s?") % {"year": edition.year}]
    if answering:
        parts.append(
            ngettext(
                "%(n)d response is still draft or returned: its city can no longer change or submit it.",
                "%(n)d responses are still draft or returned: their cities can no longer change or submit them.",
                answering,
            )
            % {"n": answering}
        )
    if submitted:
        parts.append(
            ngettext(
                "%(n)d response is submitted: its review can go on (return, validate, publish).",
                "%(n)d responses are submitted: their review can go on (return, validate, publish).",
                submitted,
            )
            % {"n": submitted}
        )
    if not answering and not submitted:
        parts.append(_("Every response is validated or published."))
    parts.append(_("Nothing is deleted: reopening the edition lets the cities go on."))
    return " ".join(parts)


def _notify_invited(response: Response) -> None:
    """E-mail the invited city's officials (each in their language, once the invitation has committed)."""
    officials = User.objects.filter(is_active=True, role=Role.OFFICIAL, assignments__city=response.city).distinct()
    link = workflow.absolute(reverse("questionnaire:detail", args=[response.pk]))
    edition, city = response.edition, response.city

    def build() -> tuple[str, str]:  # in the official's language, the city's name too
        name = city_name(city)
        subject = _("ICC Index %(year)s: %(city)s is invited to answer the questionnaire") % {
            "year": edition.year,
            "city": name,
        }
        lines = [
            _("The Intercultural Cities secretariat invites %(city)s to answer the ICC Index questionnaire %(year)s.")
            % {"city": name, "year": edition.year},
        ]
        if edition.closes:
            lines.append(_("Please submit it by %(date)s.") % {"date": edition.closes.isoformat()})
        lines += ["", _("Open the questionnaire:"), link]
        return subject, "\n".join(lines) + "\n"

    workflow.notify(officials, build)
