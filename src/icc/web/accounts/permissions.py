"""Who a user is: signed in, secretariat, linked to which cities. Checks about one response (may see it, edit this
area, submit, review, publish) are :mod:`icc.web.questionnaire.permissions`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase
from django.utils.translation import gettext as _

from .models import CityAssignment, Role, User

AnyUser = User | AnonymousUser


class AuthedRequest(HttpRequest):
    """A request of a signed-in user (what views behind ``response_view`` and ``secretariat_only`` receive)."""

    user: User  # type: ignore[assignment]


def is_secretariat(user: AnyUser) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or getattr(user, "role", "") == Role.SECRETARIAT))


def city_ids(user: AnyUser) -> set[int]:
    """Cities the user is linked to (an official's own cities, an expert's assigned cities)."""
    if not user.is_authenticated:
        return set()
    return set(CityAssignment.objects.filter(user__pk=user.pk or 0).values_list("city_id", flat=True))


def secretariat_only(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            from django.contrib.auth.views import redirect_to_login

            return redirect_to_login(request.get_full_path())
        if not is_secretariat(request.user):
            raise PermissionDenied(_("Secretariat only"))
        return view(request, *args, **kwargs)

    return wrapper
