"""Login (limits on failed attempts: ``signin``), password reset (limits on e-mails) and the user's own page."""

from __future__ import annotations

from typing import cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import i18n

from .models import CityAssignment, User
from .signin import PASSWORD_RESETS_PER_EMAIL_AN_HOUR, password_reset_is_limited


class LoginView(auth_views.LoginView):
    """Django's login, which also sets the language the user chose last time, on any device."""

    template_name = "accounts/login.html"

    def form_valid(self, form) -> HttpResponse:  # type: ignore[no-untyped-def]
        response = super().form_valid(form)
        language = cast(User, form.get_user()).language
        if language:
            response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax")
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """Django's password reset by e-mail, sending no e-mail over the limits (``signin.password_reset_is_limited``)
    and answering the same page either way: the answer tells nothing about an address."""

    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"

    def form_valid(self, form) -> HttpResponse:  # type: ignore[no-untyped-def]
        if password_reset_is_limited(self.request, form.cleaned_data["email"]):
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"
    extra_context = {"per_hour": PASSWORD_RESETS_PER_EMAIL_AN_HOUR}


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
