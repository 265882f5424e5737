"""Member cities with their facts, frameworks and editions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NationalNetwork(models.Model):
    """A national network of intercultural cities (e.g. RECI in Spain) whose members join the programme through it."""

    slug = models.SlugField(_("short name"), unique=True, max_length=40)
    name = models.CharField(_("name"), max_length=160)
    country_code = models.CharField(_("country"), max_length=2)
    description = models.TextField(_("description"), blank=True)
    coordinator = models.CharField(
        _("coordinator"), max_length=160, blank=True, help_text=_("Shown to signed-in members only")
    )
    coordinator_email = models.EmailField(_("coordinator's e-mail"), blank=True)
    is_demo = models.BooleanField(_("demo"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("national network")
        verbose_name_plural = _("national networks")

    def __str__(self) -> str:
        return self.name


class Membership(models.TextChoices):
    INTERNATIONAL = "international", _("International network")
    NATIONAL = "national", _("National network")


class City(models.Model):
    slug = models.SlugField(_("short name"), unique=True, max_length=80)
    name = models.CharField(_("name"), max_length=120)
    name_as_listed = models.CharField(
        _("name as listed"), max_length=120, help_text=_("The name as written in the member list")
    )
    country_code = models.CharField(_("country"), max_length=2)
    country_name = models.CharField(_("country name"), max_length=80)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    coordinates_source = models.CharField(_("source of the coordinates"), max_length=200, blank=True)
    is_member = models.BooleanField(_("member"), default=True)
    membership = models.CharField(
        _("membership type"), max_length=20, choices=Membership.choices, default=Membership.INTERNATIONAL
    )
    national_network = models.ForeignKey(
        NationalNetwork,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cities",
        verbose_name=_("national network"),
    )
    joined = models.DateField(_("joined"), null=True, blank=True)
    languages = models.CharField(
        _("working languages"),
        max_length=60,
        blank=True,
        help_text=_("ISO 639-1 codes separated by commas, e.g. fr,en"),
    )
    hosts_visits = models.BooleanField(
        _("hosts study visits"), default=True, help_text=_("Willing to host other cities as a mentor city")
    )
    membership_is_demo = models.BooleanField(
        _("membership details are demo data"), default=False, help_text=_("Join date and network invented")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("city")
        verbose_name_plural = _("cities")

    def __str__(self) -> str:
        return self.name

    @property
    def language_codes(self) -> frozenset[str]:
        return frozenset(code.strip() for code in self.languages.split(",") if code.strip())


class FactKind(models.TextChoices):
    POPULATION = "population", _("Population")
    FOREIGN_BORN = "foreign_born", _("Foreign-born residents (%)")
    EU_NATIONALS = "eu_nationals", _("Nationals of other EU countries (%)")
    NON_EU_NATIONALS = "non_eu_nationals", _("Nationals of non-EU countries (%)")


class CityFact(models.Model):
    """One fact about a city, with the year it describes and its source."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="facts", verbose_name=_("city"))
    kind = models.CharField(_("kind"), max_length=30, choices=FactKind.choices)
    value = models.FloatField(_("value"))
    year = models.PositiveIntegerField(_("year"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=300)
    is_demo = models.BooleanField(
        _("demo"), default=False, help_text=_("Invented by the demo generator, not a real figure")
    )

    class Meta:
        ordering = ["city", "kind", "-year"]
        verbose_name = _("city fact")
        verbose_name_plural = _("city facts")
        constraints = [models.UniqueConstraint(fields=["city", "kind", "year"], name="one_fact_per_kind_and_year")]


class StoredFramework(models.Model):
    """A stored copy of a framework definition; every score records the version that produced it."""

    framework_id = models.SlugField(_("framework"), max_length=40)
    version = models.CharField(_("version"), max_length=40)
    definition = models.JSONField(_("definition"))
    loaded_at = models.DateTimeField(_("loaded at"))

    class Meta:
        verbose_name = _("framework")
        verbose_name_plural = _("frameworks")
        constraints = [models.UniqueConstraint(fields=["framework_id", "version"], name="one_framework_version")]

    def __str__(self) -> str:
        return f"{self.framework_id} {self.version}"

    def load(self):
        """The definition as a validated :class:`icc.framework.Framework`."""
        from icc.framework import Framework as Definition

        return Definition.model_validate(self.definition)


class Edition(models.Model):
    """One round of the index, e.g. 2025, answered with one framework version.

    Its results are *released* as a whole by the secretariat (``results_released_at``): the public site's default
    edition is the newest released one, and the published scores of an edition not yet released are provisional,
    shown only where that edition is asked for (``icc.web.results.queries`` holds the rule).
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")
        PUBLISHED = "published", _("Published")

    year = models.PositiveIntegerField(_("year"), unique=True)
    framework = models.ForeignKey(
        StoredFramework, on_delete=models.PROTECT, related_name="editions", verbose_name=_("framework")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    opens = models.DateField(_("opens"), null=True, blank=True)
    closes = models.DateField(_("closes"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo"), default=False)
    results_released_at = models.DateTimeField(
        _("results released"),
        null=True,
        blank=True,
        help_text=_("When the secretariat released the edition's results as a whole; empty: not released"),
    )
    results_released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answers_public = models.BooleanField(
        _("answers public"),
        default=True,
        help_text=_(
            "The question-level answers and points of the edition's published responses are in the open data "
            "(never evidence, never unpublished responses)"
        ),
    )

    class Meta:
        ordering = ["-year"]
        verbose_name = _("edition")
        verbose_name_plural = _("editions")

    def __str__(self) -> str:
        return str(self.year)

    @property
    def is_released(self) -> bool:
        """The secretariat released the edition's results as a whole: they are public, not provisional."""
        return self.results_released_at is not None

    @property
    def is_provisional(self) -> bool:
        """Published scores of this edition are provisional (shown only where asked for, labelled so)."""
        return self.results_released_at is None
