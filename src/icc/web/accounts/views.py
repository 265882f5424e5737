"""Login (with a limit on failed attempts) and the signed-in user's page."""

from __future__ import annotations

from typing import cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import i18n

from .models import CityAssignment, User

MAX_FAILURES = 5
LOCKOUT_SECONDS = 15 * 60


def _key(request: HttpRequest) -> str:
    username = (request.POST.get("username") or "").strip().lower()
    return f"login-failures:{request.META.get('REMOTE_ADDR', '')}:{username}"


class RateLimitedLoginView(auth_views.LoginView):
    """Django's login view, refusing a user name and address pair after 5 failures for 15 minutes."""

    template_name = "accounts/login.html"

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        key = _key(request)
        if cache.get(key, 0) >= MAX_FAILURES:
            form = self.get_form()
            form.errors.clear()
            form.add_error(None, _("Too many failed attempts. Wait 15 minutes and try again."))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        response = super().post(request, *args, **kwargs)
        if request.user.is_authenticated:
            cache.delete(key)
            language = cast(User, request.user).language
            if language:  # the language the user chose last time, on any device
                response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax")
        else:
            cache.set(key, cache.get(key, 0) + 1, LOCKOUT_SECONDS)
        return response


@login_required
def me(request: HttpRequest) -> HttpResponse:
    assignments = (
        CityAssignment.objects.filter(user=cast(User, request.user)).select_related("city").order_by("city__name")
    )
    if request.GET.get("password") == "changed":
        messages.success(request, _("Your password was changed."))
    return render(request, "accounts/me.html", {"assignments": assignments})


def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch, which also remembers a signed-in user's choice (pages after log-in, e-mails)."""
    response = i18n.set_language(request)
    language = request.POST.get("language", "")
    if request.method == "POST" and request.user.is_authenticated and language in dict(settings.LANGUAGES):
        User.objects.filter(pk=request.user.pk).update(language=language)
    return response
