"""Good practices: which Index areas they are tagged with, who may see and edit them, how they are saved (a
stale form is refused) and moderated (draft → submitted → published, or returned with a comment).

One table of transitions (:data:`TRANSITIONS`) is the moderation rule; views call :func:`transition` and
:func:`save`, never set ``status`` themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from icc.data.members import localized_city_name, localized_country_name
from icc.framework import Framework, load_shipped, shipped_ids
from icc.web.accounts.models import CityAssignment, Role
from icc.web.accounts.permissions import AnyUser, is_secretariat
from icc.web.network.definitions import definition_of
from icc.web.network.models import City, Edition

from . import search
from .models import GoodPractice, PracticeArea, TargetGroup

Status = GoodPractice.Status


def tagging_framework() -> Framework:
    """The framework whose areas practices are tagged with: the newest edition's, else the newest shipped one."""
    edition = Edition.objects.select_related("framework").order_by("-year").first()
    return definition_of(edition) if edition is not None else load_shipped(shipped_ids()[-1])


def area_choices(language: str, framework: Framework | None = None) -> list[tuple[str, str]]:
    """The areas a practice can be tagged with, in framework order: each area, or for an area with sub-areas (the
    intercultural lens) each sub-area."""
    fw = framework or tagging_framework()
    names = fw.item_names(language)
    out: list[tuple[str, str]] = []
    for a in fw.areas:
        out.extend((s.id, names[s.id]) for s in a.subareas) if a.subareas else out.append((a.id, names[a.id]))
    return out


def area_name(area: str, language: str) -> str:
    return dict(area_choices(language)).get(area, area)


# --- who may do what ---------------------------------------------------------------------------------------


def official_city_ids(user: AnyUser) -> set[int]:
    """The cities whose practices, visits and records ``user`` acts for: a city official's own cities."""
    if not user.is_authenticated or getattr(user, "role", "") != Role.OFFICIAL:
        return set()
    return set(CityAssignment.objects.filter(user__pk=user.pk).values_list("city_id", flat=True))


def visible(user: AnyUser) -> QuerySet[GoodPractice]:
    """The practices ``user`` may read: published ones; and any of their own city's; every one for the
    secretariat."""
    qs = GoodPractice.objects.all()
    if is_secretariat(user):
        return qs
    own = official_city_ids(user)
    if own:
        from django.db.models import Q

        return qs.filter(Q(status=Status.PUBLISHED) | Q(city_id__in=own))
    return qs.filter(status=Status.PUBLISHED)


def may_edit(user: AnyUser, practice: GoodPractice) -> bool:
    return is_secretariat(user) or practice.city_id in official_city_ids(user)


def may_moderate(user: AnyUser) -> bool:
    return is_secretariat(user)


# --- moderation ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Transition:
    action: str
    source: tuple[str, ...]
    target: str
    by_moderator: bool
    label: object
    needs_comment: bool = False


TRANSITIONS = (
    Transition(
        "submit", (Status.DRAFT, Status.RETURNED), Status.SUBMITTED, False, gettext_lazy("Submit for moderation")
    ),
    Transition("publish", (Status.SUBMITTED,), Status.PUBLISHED, True, gettext_lazy("Publish")),
    Transition(
        "return",
        (Status.SUBMITTED, Status.PUBLISHED),
        Status.RETURNED,
        True,
        gettext_lazy("Return with a comment"),
        True,
    ),
)
"""Moderation: the city submits a draft (or a returned record); the secretariat publishes it or returns it with a
comment (a published record too, which withdraws it). Editing a published record sends it back to moderation
(:func:`save`): nothing unmoderated is ever public."""


class Refused(Exception):
    """A change that is not allowed now, with the reason for the user."""


class Stale(Refused):
    """The record changed since the form was opened."""


def actions_for(user: AnyUser, practice: GoodPractice) -> list[Transition]:
    return [
        t
        for t in TRANSITIONS
        if practice.status in t.source and (may_moderate(user) if t.by_moderator else may_edit(user, practice))
    ]


@transaction.atomic
def transition(
    practice_id: int, action: str, user: AnyUser, revision: int, comment: str, now: datetime
) -> GoodPractice:
    """Move a practice through moderation after locking it and checking the rule of :data:`TRANSITIONS`."""
    practice = GoodPractice.objects.select_for_update().get(pk=practice_id)
    if practice.revision != revision:
        raise Stale(_("This record was changed by someone else since you opened it. Reload the page to see it."))
    found = [t for t in actions_for(user, practice) if t.action == action]
    if not found:
        raise Refused(
            _("“%(action)s” is not possible for a record that is “%(status)s”.")
            % {"action": action, "status": practice.get_status_display()}
        )
    t = found[0]
    comment = comment.strip()
    if t.needs_comment and not comment:
        raise Refused(_("Write a comment that tells the city what to change."))
    practice.status = t.target
    practice.comment = comment if t.needs_comment else ("" if t.target == Status.PUBLISHED else practice.comment)
    if t.target == Status.SUBMITTED:
        practice.submitted = now
    if t.target == Status.PUBLISHED:
        practice.published = now
    practice.revision += 1
    practice.updated, practice.updated_by = now, user if user.is_authenticated else None  # type: ignore[assignment]
    practice.save()
    return practice


# --- saving ---------------------------------------------------------------------------------------------------


def document_of(practice: GoodPractice) -> str:
    """What the full-text search indexes for ``practice`` (:mod:`.search`)."""
    city = practice.city
    texts = [practice.title, practice.title, practice.purpose, practice.actions, practice.results, practice.evidence]
    texts.append(" ".join(dict.fromkeys(localized_city_name(city.slug, city.name, lang) for lang in ("en", "fr"))))
    texts.append(" ".join(dict.fromkeys(localized_country_name(city.country_code, lang) for lang in ("en", "fr"))))
    for lang in ("en", "fr"):
        texts.extend(area_name(a, lang) for a in practice.areas)
    for group in practice.target_groups:
        if group in TargetGroup.values:
            texts.append(search.labels_in_every_language(lambda g=group: TargetGroup(g).label))
    return search.document(texts)


def _store_areas(practice: GoodPractice) -> None:
    PracticeArea.objects.filter(practice=practice).delete()
    PracticeArea.objects.bulk_create(
        PracticeArea(practice=practice, area=a, is_main=i == 0) for i, a in enumerate(practice.areas)
    )


@transaction.atomic
def save(practice: GoodPractice, user: AnyUser, now: datetime, revision: int | None = None) -> GoodPractice:
    """Store a new or edited practice (its fields already validated): lock, refuse a stale edit, send an edited
    published record back to moderation, keep the area rows and the searched document in step."""
    author = user if user.is_authenticated else None
    if practice.pk is None:
        practice.created, practice.created_by = now, author  # type: ignore[assignment]
    else:
        current = GoodPractice.objects.select_for_update().get(pk=practice.pk)
        if revision is not None and current.revision != revision:
            raise Stale(_("This record was changed by someone else since you opened it. Reload the page to see it."))
        practice.revision = current.revision + 1
        if current.status == Status.PUBLISHED and not may_moderate(user):
            practice.status = Status.SUBMITTED
            practice.submitted = now
    practice.updated, practice.updated_by = now, author  # type: ignore[assignment]
    practice.areas = list(dict.fromkeys(practice.areas))  # the main area first, each once
    practice.document = document_of(practice)
    practice.save()
    _store_areas(practice)
    return practice


def city_practices(city: City, user: AnyUser) -> QuerySet[GoodPractice]:
    return visible(user).filter(city=city)
