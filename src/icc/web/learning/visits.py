"""Study visits: a city asks a mentor city for a visit on an Index area; the host city's coordinator accepts or
declines with a message; either side records the dates, participants and programme; after the visit the visiting
city writes what it will transfer. Every change locks the visit and re-checks who may make it (:data:`RULES`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.utils.translation import gettext as _

from icc.web.accounts.models import CityAssignment
from icc.web.accounts.permissions import AnyUser, is_secretariat
from icc.web.network.models import City, Edition

from .models import StudyVisit
from .practices import official_city_ids

Status = StudyVisit.Status


class Refused(Exception):
    pass


def coordinates(user: AnyUser, city_id: int) -> bool:
    """Whether ``user`` is a coordinator of the city (or the secretariat)."""
    if is_secretariat(user):
        return True
    return bool(
        user.is_authenticated
        and CityAssignment.objects.filter(user__pk=user.pk, city_id=city_id, coordinator=True).exists()
    )


def side(user: AnyUser, visit: StudyVisit) -> set[str]:
    """Which sides of the visit ``user`` acts for: ``visitor``, ``host`` (officials of those cities),
    ``host_coordinator``, ``secretariat``."""
    sides = set()
    own = official_city_ids(user)
    if visit.visitor_id in own:
        sides.add("visitor")
    if visit.host_id in own:
        sides.add("host")
    if coordinates(user, visit.host_id):
        sides.add("host_coordinator")
    if is_secretariat(user):
        sides.add("secretariat")
    return sides


def may_see(user: AnyUser, visit: StudyVisit) -> bool:
    return bool(side(user, visit))


@dataclass(frozen=True)
class Rule:
    action: str
    source: tuple[str, ...]
    target: str | None  # None: the status stays
    sides: frozenset[str]


RULES = (
    Rule("accept", (Status.REQUESTED,), Status.ACCEPTED, frozenset({"host_coordinator"})),
    Rule("decline", (Status.REQUESTED,), Status.DECLINED, frozenset({"host_coordinator"})),
    Rule("withdraw", (Status.REQUESTED, Status.ACCEPTED), Status.WITHDRAWN, frozenset({"visitor", "secretariat"})),
    Rule("details", (Status.ACCEPTED, Status.DONE), None, frozenset({"visitor", "host", "secretariat"})),
    Rule("done", (Status.ACCEPTED,), Status.DONE, frozenset({"visitor", "host", "secretariat"})),
    Rule("transfer", (Status.DONE,), None, frozenset({"visitor", "secretariat"})),
)
"""Who may do what in which state (the host's *coordinator* answers a request; officials of either city keep the
visit's record)."""


def allowed(user: AnyUser, visit: StudyVisit) -> set[str]:
    sides = side(user, visit)
    return {r.action for r in RULES if visit.status in r.source and sides & r.sides}


@transaction.atomic
def request_visit(
    visitor: City, host: City, area: str, message: str, user: AnyUser, now: datetime, edition: Edition | None,
    match: dict,
) -> StudyVisit:  # fmt: skip
    """A visit request from ``visitor`` (the user is one of its officials) to ``host``."""
    if visitor.pk not in official_city_ids(user) and not is_secretariat(user):
        raise Refused(_("Only an official of %(city)s may ask for a visit on its behalf.") % {"city": visitor.name})
    if visitor.pk == host.pk:
        raise Refused(_("A city cannot visit itself."))
    if not host.is_member:
        raise Refused(_("%(city)s is not a member city.") % {"city": host.name})
    if not message.strip():
        raise Refused(_("Write a message to the host: what you would like to learn, when, how many people."))
    open_ = StudyVisit.objects.select_for_update().filter(
        visitor=visitor, host=host, area=area, status__in=[Status.REQUESTED, Status.ACCEPTED]
    )
    if open_.exists():
        raise Refused(_("Your city already has an open request to this city on this area."))
    return StudyVisit.objects.create(
        visitor=visitor, host=host, area=area, edition=edition, match=match, message=message.strip(), requested=now,
        requested_by=user if user.is_authenticated else None,
    )  # fmt: skip


@transaction.atomic
def act(visit_id: int, action: str, user: AnyUser, revision: int, now: datetime, values: dict) -> StudyVisit:
    """Apply ``action`` (see :data:`RULES`) with its ``values`` (a reply message; dates, participants, programme;
    the transfer text)."""
    visit = StudyVisit.objects.select_for_update().get(pk=visit_id)
    if visit.revision != revision:
        raise Refused(_("This visit was changed by someone else since you opened it. Reload the page to see it."))
    if action not in allowed(user, visit):
        raise Refused(_("You cannot do this now: the visit is “%(status)s”.") % {"status": visit.get_status_display()})
    rule = next(r for r in RULES if r.action == action)
    if action in ("accept", "decline"):
        reply = (values.get("reply") or "").strip()
        if action == "decline" and not reply:
            raise Refused(_("Tell the visiting city why you decline (and perhaps when would suit you)."))
        visit.reply, visit.replied, visit.replied_by = reply, now, user  # type: ignore[assignment]
    if action in ("details", "done"):
        starts, ends = values.get("starts") or visit.starts, values.get("ends") or visit.ends
        if isinstance(starts, date) and isinstance(ends, date) and ends < starts:
            raise Refused(_("The last day is before the first."))
        visit.starts, visit.ends = starts, ends
        for name in ("participants", "programme"):
            if values.get(name) is not None:
                setattr(visit, name, values[name].strip())
        if action == "done" and (visit.starts is None or visit.ends is None):
            raise Refused(_("Give the first and last day of the visit before marking it as done."))
    if action == "transfer":
        text = (values.get("transfer") or "").strip()
        if not text:
            raise Refused(_("Write what your city will transfer from the visit."))
        visit.transfer = text
    if rule.target is not None:
        visit.status = rule.target
    visit.revision += 1
    visit.save()
    return visit
