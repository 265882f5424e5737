"""The secretariat invites officials and experts: an account without a password and an e-mail with a link to
choose one (Django's password-reset token, so the link works once and expires)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from icc.web.network.models import City

from .models import CityAssignment, Role, User
from .permissions import AuthedRequest, secretariat_only


class InviteForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("E-mail"))
    first_name = forms.CharField(label=gettext_lazy("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=gettext_lazy("Last name"), max_length=150, required=False)
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=Role.choices)
    cities = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Cities"),
        queryset=City.objects.none(),
        required=False,
        help_text=gettext_lazy("Hold Ctrl (⌘ on a Mac) to choose several."),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    coordinator = forms.BooleanField(
        label=gettext_lazy("City coordinator (may submit and assign sections)"), required=False
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Language of the invitation and of later e-mails"), choices=settings.LANGUAGES
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cities"].queryset = City.objects.filter(is_member=True).order_by("name")  # type: ignore[attr-defined]

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(username=email).exists() or User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("Someone with this e-mail already has an account."))
        return email

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("role") in (Role.OFFICIAL, Role.EXPERT) and not data.get("cities"):
            self.add_error("cities", _("Choose the cities of this official or expert."))
        if data.get("coordinator") and data.get("role") != Role.OFFICIAL:
            self.add_error("coordinator", _("Only a city official can be a coordinator."))
        return data


@secretariat_only
def invite(request: AuthedRequest) -> HttpResponse:
    form = InviteForm(request.POST or None, initial={"language": translation.get_language(), "role": Role.OFFICIAL})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with transaction.atomic():
            user = User(
                username=data["email"],
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
        messages.success(request, _("Invitation sent to %(email)s.") % {"email": user.email})
        return redirect("invite")
    return render(request, "accounts/invite.html", {"form": form})
