"""Who may do what with a response. Every view, API call and download asks these functions; templates only
hide buttons. A user who may not *see* a response gets 404 (its existence is not revealed); a user who may see it
but not perform an action gets 403.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from icc.web.accounts.models import CityAssignment, Role
from icc.web.accounts.permissions import AnyUser, city_ids, is_secretariat

from .models import AreaAssignment, Response


def is_official_of(user: AnyUser, response: Response) -> bool:
    return bool(
        user.is_authenticated and getattr(user, "role", "") == Role.OFFICIAL and response.city_id in city_ids(user)
    )


def is_coordinator_of(user: AnyUser, response: Response) -> bool:
    return bool(
        is_official_of(user, response)
        and CityAssignment.objects.filter(user__pk=user.pk or 0, city_id=response.city_id, coordinator=True).exists()
    )


def is_expert_of(user: AnyUser, response: Response) -> bool:
    return bool(
        user.is_authenticated and getattr(user, "role", "") == Role.EXPERT and response.city_id in city_ids(user)
    )


def visible_responses(user: AnyUser) -> QuerySet[Response]:
    """The responses a user may see: all for the secretariat, their cities' for officials and experts."""
    qs = Response.objects.select_related("city", "edition", "edition__framework").defer(
        "edition__framework__definition"
    )
    if is_secretariat(user):
        return qs
    if not user.is_authenticated or getattr(user, "role", "") not in (Role.OFFICIAL, Role.EXPERT):
        return qs.none()
    return qs.filter(city_id__in=city_ids(user))


def can_view(user: AnyUser, response: Response) -> bool:
    return is_secretariat(user) or is_official_of(user, response) or is_expert_of(user, response)


def editable_areas(user: AnyUser, response: Response) -> set[str] | None:
    """Area ids the user may edit in this response: None = every area, empty = none.

    Officials edit while the response is a draft or returned; the coordinator edits every area; a colleague to
    whom areas were assigned edits those areas only; an official without assignments edits every area.
    """
    if not response.is_editable_by_city or not is_official_of(user, response):
        return set()
    if is_coordinator_of(user, response):
        return None
    mine = set(
        AreaAssignment.objects.filter(response=response, user__pk=user.pk or 0).values_list("area_id", flat=True)
    )
    return mine or None


def why_not_area(user: AnyUser, response: Response, area_id: str) -> str | None:
    """Why an official of the city, while the city may edit, may not edit this section (None: they may): it is
    assigned to other colleagues (named), or to nobody — and then only the coordinator edits it."""
    if can_edit_area(user, response, area_id):
        return None
    others = [
        a.user.get_full_name() or a.user.username
        for a in AreaAssignment.objects.filter(response=response, area_id=area_id)
        .exclude(user__pk=user.pk or 0)
        .select_related("user")
        .order_by("user__last_name", "user__username")
    ]
    if others:
        return ngettext(
            "This section is assigned to your colleague %(names)s: only they and the coordinator can edit it.",
            "This section is assigned to your colleagues %(names)s: only they and the coordinator can edit it.",
            len(others),
        ) % {"names": ", ".join(others)}
    return _(
        "This section is not assigned to you: you edit only the sections assigned to you, and the coordinator "
        "edits those assigned to nobody."
    )


def can_edit_area(user: AnyUser, response: Response, area_id: str) -> bool:
    return area_editor(user, response)(area_id)


def area_editor(user: AnyUser, response: Response) -> Callable[[str], bool]:
    """``can_edit_area`` for any number of areas of one response, with the database read once."""
    if not (response.is_editable_by_city and is_official_of(user, response)):
        return lambda area_id: False
    areas = editable_areas(user, response)
    return lambda area_id: areas is None or area_id in areas


def can_submit(user: AnyUser, response: Response) -> bool:
    return response.is_editable_by_city and is_coordinator_of(user, response)


def can_review(user: AnyUser, response: Response) -> bool:
    return response.status == Response.Status.SUBMITTED and is_expert_of(user, response)


def can_publish(user: AnyUser, response: Response) -> bool:
    return response.status == Response.Status.VALIDATED and is_secretariat(user)


def response_view(check: Callable[[AnyUser, Response], bool] | None = None) -> Callable[..., Any]:
    """Decorator for views taking ``response_id``: 404 unless the user may see the response, 403 unless
    ``check`` (when given) allows the action. The view receives the response instead of its id."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, response_id: int, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                from django.contrib.auth.views import redirect_to_login

                return redirect_to_login(request.get_full_path())
            response = get_object_or_404(visible_responses(request.user), pk=response_id)
            if not can_view(request.user, response):
                raise Http404(_("No such response"))
            if check is not None and not check(request.user, response):
                raise PermissionDenied(_("You may not do this with this response"))
            return view(request, response, *args, **kwargs)

        return wrapper

    return decorate
