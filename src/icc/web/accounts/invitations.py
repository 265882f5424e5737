"""The secretariat invites officials and experts: an account without a password and an e-mail with a link to
choose one (Django's password-reset token, so the link works once and expires after PASSWORD_RESET_TIMEOUT).
An invitation not yet accepted can be sent again: a new link, and the earlier one no longer works.

Each invitation sent sends :data:`invitation_sent` (``user``: the invitee, ``by``: the secretariat member,
``again``: a new link for an invitation not yet accepted), which the audit log records
(:mod:`icc.web.questionnaire.audit`, an app above this one)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.dispatch import Signal
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from icc.data.members import name_key
from icc.web.network.models import City
from icc.web.network.templatetags.icc import city_name

from .models import CityAssignment, Role, User
from .permissions import AuthedRequest, secretariat_only

invitation_sent = Signal()
"""Sent once an invitation e-mail is sent, with ``user`` (the invitee), ``by`` (who invited), ``at`` and ``again``."""


class InviteForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("E-mail"))
    first_name = forms.CharField(label=gettext_lazy("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=gettext_lazy("Last name"), max_length=150, required=False)
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=Role.choices)
    cities = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Cities"),
        queryset=City.objects.none(),
        required=False,
        help_text=gettext_lazy("Tick every city of this official or expert."),
        widget=forms.CheckboxSelectMultiple,
    )
    coordinator = forms.BooleanField(
        label=gettext_lazy("City coordinator (may submit and assign sections)"), required=False
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Language of the invitation and of later e-mails"), choices=settings.LANGUAGES
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        members = City.objects.filter(is_member=True)
        cities = self.fields["cities"]
        cities.queryset = members  # type: ignore[attr-defined]
        # the names in the page language (as on the public pages), in that language's alphabetical order
        named = sorted((name_key(city_name(c)), c.pk, city_name(c)) for c in members)
        cities.choices = [(pk, name) for _key, pk, name in named]  # type: ignore[attr-defined]

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        username = User.normalize_username(email)
        if User.objects.filter(username=username).exists() or User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("Someone with this e-mail already has an account."))
        return email

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("role") in (Role.OFFICIAL, Role.EXPERT) and not data.get("cities"):
            self.add_error("cities", _("Choose the cities of this official or expert."))
        if data.get("coordinator") and data.get("role") != Role.OFFICIAL:
            self.add_error("coordinator", _("Only a city official can be a coordinator."))
        return data


def pending_invitations() -> QuerySet[User]:
    """Invited people who have not chosen a password yet (so never signed in)."""
    return User.objects.filter(is_active=True, last_login__isnull=True, password__startswith=UNUSABLE_PASSWORD_PREFIX)


def link_expires(user: User) -> datetime | None:
    """When the last invitation link of ``user`` stops working (None: not known)."""
    if user.invited_at is None:
        return None
    return user.invited_at + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT)


def send_invitation(request: HttpRequest, user: User, *, again: bool = False) -> None:
    """E-mail ``user`` a new link to choose a password. A new unusable password first: the token of every earlier
    link was made from the old one, so those links no longer work. Sends :data:`invitation_sent`."""
    user.set_unusable_password()
    user.invited_at = timezone.now()
    user.save(update_fields=["password", "invited_at"])
    link = request.build_absolute_uri(
        reverse(
            "password_reset_confirm",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            },
        )
    )
    with translation.override(user.mail_language):
        body = _(
            "You have been invited to the Intercultural Cities Index platform as %(role)s.\n\n"
            "Choose your password here (the link works once): %(link)s\n\nYour user name is %(username)s."
        ) % {"role": user.get_role_display(), "link": link, "username": user.username}
        subject = _("Your ICC Index account")
    send_mail(subject, body, None, [user.email])
    invitation_sent.send(User, user=user, by=request.user, at=user.invited_at, again=again)


@secretariat_only
def invite(request: AuthedRequest) -> HttpResponse:
    form = InviteForm(request.POST or None, initial={"language": translation.get_language(), "role": Role.OFFICIAL})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with transaction.atomic():
            user = User(
                username=User.normalize_username(data["email"]),
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                role=data["role"],
                language=data["language"],
            )
            user.set_unusable_password()
            user.save()
            for city in data["cities"]:
                CityAssignment.objects.create(user=user, city=city, coordinator=data["coordinator"])
        send_invitation(request, user)
        messages.success(request, _("Invitation sent to %(email)s.") % {"email": user.email})
        return redirect("invite")
    now = timezone.now()
    pending = [
        {"user": user, "expires": link_expires(user), "expired": (link_expires(user) or now) <= now}
        for user in pending_invitations().prefetch_related("cities").order_by("-invited_at", "username")
    ]
    return render(request, "accounts/invite.html", {"form": form, "pending": pending})


@require_POST
@secretariat_only
def invite_again(request: AuthedRequest, user_id: int) -> HttpResponse:
    """Send an invitation not yet accepted again (its link expired, or the e-mail was lost)."""
    user = get_object_or_404(pending_invitations(), pk=user_id)
    send_invitation(request, user, again=True)
    messages.success(
        request,
        _("A new invitation link was sent to %(email)s; the earlier link no longer works.") % {"email": user.email},
    )
    return redirect("invite")
