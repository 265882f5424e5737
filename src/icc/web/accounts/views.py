"""Login (limits on failed attempts: ``signin``), password reset (limits on e-mails) and the user's own page."""

from __future__ import annotations

from typing import cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views import i18n

from .models import CityAssignment, User
from .signin import PASSWORD_RESETS_PER_EMAIL_AN_HOUR, password_reset_is_limited


def take_browser_language(sender, request: HttpRequest | None, user: User, **kwargs) -> None:
    """At every log-in (``user_logged_in``): the language chosen in this browser before logging in (the language
    switch's cookie) becomes the account's language, so the pages, messages and e-mails after log-in agree with
    it. Without a choice in this browser, the account keeps its language; an account that never had one takes
    the language of the page signed in on (``request.LANGUAGE_CODE``, set by the locale middleware). A log-in
    that is not a page request (``Client.force_login``, a script) changes nothing: it has no page and no browser to
    take a language from, and the thread's last active language is not the user's choice."""
    page = getattr(request, "LANGUAGE_CODE", None) if request is not None else None
    if request is None or page is None:
        return
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    if chosen in dict(settings.LANGUAGES):
        language = chosen
    elif not user.language:
        language = page[:2] if page[:2] in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    else:
        return
    if language != user.language:
        user.language = language
        User.objects.filter(pk=user.pk).update(language=language)


class LoginView(auth_views.LoginView):
    """Django's login; the account's language then follows :func:`take_browser_language`, and the browser keeps
    it for the next pages (the language the user chose last time, on any device)."""

    template_name = "accounts/login.html"

    def form_valid(self, form) -> HttpResponse:  # type: ignore[no-untyped-def]
        response = super().form_valid(form)
        user = cast(User, form.get_user())  # the instance logged in: its language as the signal left it
        remember_language(response, user.language)
        return response


def page_language() -> str:
    """The language of the page being answered, one of ``LANGUAGES``."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def remember_language(response: HttpResponse, language: str) -> None:
    """Make the next pages of this browser speak ``language`` (the language switch's cookie)."""
    if language in dict(settings.LANGUAGES):
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax")


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's password reset form, writing the e-mail in the language of the account (else of the page)."""

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        language = getattr(context.get("user"), "language", "") or page_language()
        with translation.override(language):
            super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)


class PasswordResetView(auth_views.PasswordResetView):
    """Django's password reset by e-mail, sending no e-mail over the limits (``signin.password_reset_is_limited``)
    and answering the same page either way: the answer tells nothing about an address."""

    template_name = "accounts/password_reset.html"
    form_class = PasswordResetForm
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"

    def form_valid(self, form) -> HttpResponse:  # type: ignore[no-untyped-def]
        if password_reset_is_limited(self.request, form.cleaned_data["email"]):
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"
    extra_context = {"per_hour": PASSWORD_RESETS_PER_EMAIL_AN_HOUR}


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """The page an invitation or a password-reset link opens, in the language of the person it was sent to (their
    account's, else the page's): the page, the password rules and their messages. Once the password is saved, the
    browser keeps that language for the next pages."""

    template_name = "accounts/password_reset_confirm.html"

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponseBase:  # type: ignore[no-untyped-def]
        user = self.get_user(kwargs.get("uidb64", ""))
        language = getattr(user, "language", "") or page_language()
        with translation.override(language):
            request.LANGUAGE_CODE = language
            response = super().dispatch(request, *args, **kwargs)
            if hasattr(response, "render"):
                response.render()  # now, in this language: a template response is rendered after the view
        response.headers["Content-Language"] = language
        return response

    def form_valid(self, form) -> HttpResponse:  # type: ignore[no-untyped-def]
        response = super().form_valid(form)
        remember_language(response, form.user.language)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


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
