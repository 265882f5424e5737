"""Events recorded outside one answer (editions, invitations, section assignments) for the audit log."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext as _

from icc.web.accounts.invitations import invitation_sent

from . import workflow
from .models import AreaAssignment, AuditEvent, Response


def record(action: str, user, now: datetime, *, edition=None, city=None, response=None, detail: str = "") -> AuditEvent:
    """Keep one event: ``action`` is a short machine name (``edition-opened``, ``city-invited``, ...)."""
    if response is not None:
        city = city or response.city
        edition = edition or response.edition
    return AuditEvent.objects.create(
        at=now, user=user, action=action, edition=edition, city=city, response=response, detail=detail
    )


@receiver(invitation_sent, dispatch_uid="audit-invitation-sent")
def record_invitation(sender, user, by, at: datetime, again: bool = False, **kwargs) -> None:
    """An invitation to the platform sent (or sent again) by the secretariat: who, as what, for which cities."""
    cities = ", ".join(sorted(user.cities.values_list("slug", flat=True))) or "-"
    detail = f"{user.username} ({user.role}; cities: {cities}; language: {user.language or '-'})"
    record("user_invited_again" if again else "user_invited", by, at, detail=detail)


@transaction.atomic
def assign_section(response: Response, section, colleague, user, now: datetime, *, removing: bool = False) -> None:
    """Give a section of a response to a colleague (or take it back), record it and e-mail the colleague."""
    if removing:
        deleted, _rows = AreaAssignment.objects.filter(response=response, area_id=section.id, user=colleague).delete()
        if not deleted:
            return
    else:
        _obj, created = AreaAssignment.objects.get_or_create(response=response, area_id=section.id, user=colleague)
        if not created:
            return
    record(
        "section-unassigned" if removing else "section-assigned",
        user,
        now,
        response=response,
        detail=f"{section.id} → {colleague.username}",
    )
    link = workflow.absolute(reverse("questionnaire:section", args=[response.pk, section.id]))
    who = user.get_full_name() or user.username
    city, year = response.city.name, response.edition.year

    def build() -> tuple[str, str]:
        from django.utils.translation import get_language

        title = section.title((get_language() or "en")[:2])
        values = {"city": city, "year": year, "section": title, "who": who, "link": link}
        if removing:
            subject = _("[ICC Index] %(city)s %(year)s: %(section)s is no longer yours") % values
            body = (
                _("%(who)s took back the section “%(section)s” of the ICC Index %(year)s questionnaire of %(city)s.")
                % values
            )
        else:
            subject = _("[ICC Index] %(city)s %(year)s: %(section)s is yours to fill") % values
            body = (
                _("%(who)s gave you the section “%(section)s” of the ICC Index %(year)s questionnaire of %(city)s.")
                % values
            )
            body += "\n\n" + _("Fill it here: %(link)s") % values
        return subject, body

    workflow.notify([colleague], build)
