"""Users and their roles: secretariat, expert, city official; the public needs no account."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SECRETARIAT = "secretariat", _("Secretariat")
    EXPERT = "expert", _("Expert")
    OFFICIAL = "official", _("City official")


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.OFFICIAL)
    cities: models.ManyToManyField = models.ManyToManyField(
        "network.City", through="CityAssignment", related_name="users", blank=True
    )

    @property
    def is_secretariat(self) -> bool:
        return self.role == Role.SECRETARIAT or self.is_superuser


class CityAssignment(models.Model):
    """A city official's city (``coordinator`` for the city's ICC coordinator), or an expert's assigned city."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="assignments")
    city = models.ForeignKey("network.City", on_delete=models.CASCADE, related_name="assignments")
    coordinator = models.BooleanField(_("coordinator"), default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "city"], name="one_assignment_per_user_and_city")]
