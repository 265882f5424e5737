"""Signing in and its limits, on every ``authenticate()`` call (the site's login, ``/admin/login/``, any other).

django-axes counts failed sign-ins in the database (its ``AccessAttempt`` rows), so every worker and machine sees
the same counts. Sign-in pauses for ``AXES_COOLOFF_TIME`` after ``AXES_FAILURE_LIMIT`` failures with one user name
from one address, or ``LOGIN_ADDRESS_FAILURE_LIMIT`` failures from one address whatever the user names; a paused
sign-in is refused before any password is checked, and gets a page saying until when.

Password reset e-mails are limited per client address and per e-mail address (django-ratelimit, counts in the
shared ``rate-limits`` cache).
"""

from __future__ import annotations

import ipaddress
import math
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_ratelimit.core import is_ratelimited

from .usernames import normalise_name

PASSWORD_RESETS_PER_ADDRESS_AN_HOUR = 5
PASSWORD_RESETS_PER_EMAIL_AN_HOUR = 3


class UserNameBackend(ModelBackend):
    """Django's user name and password check, finding the user by the normalised name ("ＯＳＬＯ" is "oslo")."""

    def authenticate(self, request, username=None, password=None, **kwargs):  # type: ignore[no-untyped-def]
        if isinstance(username, str):
            username = normalise_name(username)
        return super().authenticate(request, username=username, password=password, **kwargs)


def user_name_for_limits(request: HttpRequest, credentials: dict | None = None) -> str | None:
    """The user name the limits count failures for: the same form as the user lookup's."""
    field = get_user_model().USERNAME_FIELD
    name = credentials.get(field) if credentials else getattr(request, "POST", {}).get(field)
    return normalise_name(name) if isinstance(name, str) else None


def client_address(request: HttpRequest) -> str:
    """The client's address for every per-address limit (sign-in, password reset).

    The connection's address; behind ``PROXY_COUNT`` reverse proxies, the one the outermost proxy saw: the
    ``PROXY_COUNT``-th entry of ``X-Forwarded-For`` from the right (what the client put before it is not trusted).
    An IPv6 address stands for its /64 network (one household or server holds them all); ``0.0.0.0`` when there is
    no usable address.
    """
    count = settings.PROXY_COUNT
    text = request.META.get("REMOTE_ADDR", "")
    if count:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
        if len(hops) >= count:
            text = hops[-count]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return "0.0.0.0"
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False).network_address)
    return str(address)


def _lifted_at(attempts: Iterable[tuple[datetime, int]], limit: int, cool_off: timedelta) -> datetime | None:
    """When a pause ends: failures count until ``cool_off`` after their attempt's last time, and the pause lasts
    while the counted failures reach ``limit``. None when they do not."""
    rows = sorted(attempts)
    counted = sum(failures for _, failures in rows)
    if counted < limit:
        return None
    for time, failures in rows:
        counted -= failures
        if counted < limit:
            return time + cool_off
    return None  # pragma: no cover - the loop always ends the pause


class SignInLimits(AxesDatabaseHandler):
    """Axes' database handler (per user name and address) with a second limit per address, whatever the names."""

    def recent_attempts(self, request: HttpRequest) -> list[tuple[datetime, int, str | None]]:
        rows = AccessAttempt.objects.filter(
            ip_address=request.axes_ip_address,  # type: ignore[attr-defined]
            attempt_time__gte=get_cool_off_threshold(request),
        )
        return list(rows.values_list("attempt_time", "failures_since_start", "username"))

    def address_is_locked(self, request: HttpRequest) -> bool:
        failures = sum(failures for _, failures, _ in self.recent_attempts(request))
        return failures >= settings.LOGIN_ADDRESS_FAILURE_LIMIT

    def is_locked(self, request, credentials=None) -> bool:  # type: ignore[no-untyped-def]
        return super().is_locked(request, credentials) or self.address_is_locked(request)

    def user_login_failed(self, sender, credentials, request=None, **kwargs):  # type: ignore[no-untyped-def]
        refused_before = request is not None and request.axes_locked_out  # refused by the backend: not counted
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is None or refused_before or request.axes_locked_out or self.is_whitelisted(request, credentials):
            return
        if self.address_is_locked(request):
            request.axes_locked_out = True
            request.axes_credentials = credentials
            user_locked_out.send(
                "axes",
                request=request,
                username=get_client_username(request, credentials),
                ip_address=request.axes_ip_address,
            )

    def paused_until(self, request: HttpRequest, credentials: dict | None = None) -> datetime | None:
        """When signing in with these credentials from this address works again (None: it works now)."""
        cool_off = get_cool_off(request)
        assert cool_off is not None, "AXES_COOLOFF_TIME is set in the settings"
        attempts = self.recent_attempts(request)
        username = get_client_username(request, credentials)
        ends = [
            _lifted_at(((t, n) for t, n, name in attempts if name == username), settings.AXES_FAILURE_LIMIT, cool_off),
            _lifted_at(((t, n) for t, n, _ in attempts), settings.LOGIN_ADDRESS_FAILURE_LIMIT, cool_off),
        ]
        return max((end for end in ends if end is not None), default=None)


def locked_out(request: HttpRequest, original_response: Any = None, credentials: dict | None = None) -> HttpResponse:
    """The page of a paused sign-in (``AXES_LOCKOUT_CALLABLE``): 429, until when, what else to do."""
    handler = AxesProxyHandler.get_implementation()
    until = handler.paused_until(request, credentials) if isinstance(handler, SignInLimits) else None
    if until is None:  # another handler (or a limit this module does not know): a whole cool-off from now
        until = request.axes_attempt_time + get_cool_off(request)  # type: ignore[attr-defined, operator]
    seconds = max(1, math.ceil((until - request.axes_attempt_time).total_seconds()))  # type: ignore[attr-defined]
    context = {"until": until, "minutes": math.ceil(seconds / 60)}
    response = render(request, "accounts/locked_out.html", context, status=429)
    response["Retry-After"] = str(seconds)
    return response


def password_reset_is_limited(request: HttpRequest, email: str) -> bool:
    """Count one password reset request from this client for this e-mail address; True when it is over a limit
    (then no e-mail is sent). Counted alike whether an account has the address or not."""
    if is_ratelimited(
        request,
        group="password-reset:address",
        key="ip",
        rate=f"{PASSWORD_RESETS_PER_ADDRESS_AN_HOUR}/h",
        increment=True,
    ):
        return True
    return is_ratelimited(
        request,
        group="password-reset:email",
        key=lambda group, request: normalise_name(email),
        rate=f"{PASSWORD_RESETS_PER_EMAIL_AN_HOUR}/h",
        increment=True,
    )
