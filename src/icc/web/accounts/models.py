"""Users and their roles: secretariat, expert, city official; the public needs no account."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from .usernames import normalise_name


class Role(models.TextChoices):
    SECRETARIAT = "secretariat", _("Secretariat")
    EXPERT = "expert", _("Expert")
    OFFICIAL = "official", _("City official")


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.OFFICIAL)
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("The language of the pages after log-in and of e-mails; set by the language switch."),
    )
    cities: models.ManyToManyField = models.ManyToManyField(
        "network.City", through="CityAssignment", related_name="users", blank=True, verbose_name=_("cities")
    )
    invited_at = models.DateTimeField(
        _("invited at"), null=True, blank=True, help_text=_("When the last invitation link was sent.")
    )

    @classmethod
    def normalize_username(cls, username):  # type: ignore[no-untyped-def]
        """User names are stored in the one form the sign-in looks them up by ("ＯＳＬＯ" is "oslo")."""
        return normalise_name(username) if isinstance(username, str) else username

    @property
    def mail_language(self) -> str:
        """The language e-mails to this user are written in."""
        return self.language or settings.LANGUAGE_CODE

    @property
    def is_secretariat(self) -> bool:
        return self.role == Role.SECRETARIAT or self.is_superuser


class CityAssignment(models.Model):
    """A city official's city (``coordinator`` for the city's ICC coordinator), or an expert's assigned city."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("user"))
    city = models.ForeignKey(
        "network.City", on_delete=models.CASCADE, related_name="assignments", verbose_name=_("city")
    )
    coordinator = models.BooleanField(_("coordinator"), default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "city"], name="one_assignment_per_user_and_city")]
        verbose_name = _("city assignment")
        verbose_name_plural = _("city assignments")
