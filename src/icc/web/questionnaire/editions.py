"""Opening an edition, inviting cities to it, and closing it: each locks the edition row, re-checks its state and
records what happened (response events, audit log); invited cities' officials are e-mailed once it commits."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from icc.web.accounts.models import Role, User
from icc.web.network.models import City, Edition

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


def _notify_invited(response: Response) -> None:
    """E-mail the invited city's officials (each in their language, once the invitation has committed)."""
    officials = User.objects.filter(is_active=True, role=Role.OFFICIAL, assignments__city=response.city).distinct()
    link = workflow.absolute(reverse("questionnaire:detail", args=[response.pk]))
    edition, city = response.edition, response.city

    def build() -> tuple[str, str]:
        subject = _("ICC Index %(year)s: %(city)s is invited to answer the questionnaire") % {
            "year": edition.year,
            "city": city.name,
        }
        lines = [
            _("The Intercultural Cities secretariat invites %(city)s to answer the ICC Index questionnaire %(year)s.")
            % {"city": city.name, "year": edition.year},
        ]
        if edition.closes:
            lines.append(_("Please submit it by %(date)s.") % {"date": edition.closes.isoformat()})
        lines += ["", _("Open the questionnaire:"), link]
        return subject, "\n".join(lines) + "\n"

    workflow.notify(officials, build)
