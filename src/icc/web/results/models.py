"""Stored scores (computed by the engine) and historical published results."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from icc.data.published import is_ambiguous


class Score(models.Model):
    """One score of one city in one edition at one level (sub-area, area or index), with its ranks."""

    city = models.ForeignKey("network.City", on_delete=models.CASCADE, related_name="scores")
    edition = models.ForeignKey("network.Edition", on_delete=models.CASCADE, related_name="scores")
    framework = models.ForeignKey("network.StoredFramework", on_delete=models.PROTECT, related_name="scores")
    level = models.CharField(max_length=10)  # subarea | area | index
    item = models.CharField(max_length=80)
    score = models.FloatField(null=True)
    rank = models.PositiveIntegerField(null=True)
    sample_size = models.PositiveIntegerField(null=True)
    rank_size = models.PositiveIntegerField(null=True)
    size_group = models.CharField(max_length=40, blank=True)
    rank_diversity = models.PositiveIntegerField(null=True)
    diversity_group = models.CharField(max_length=40, blank=True)
    rank_combined = models.PositiveIntegerField(null=True)
    combined_group = models.CharField(max_length=80, blank=True)
    sample_mean = models.FloatField(null=True)
    sample_max = models.FloatField(null=True)
    # how much of the score rests on known answers (icc.engine.coverage, stored by rescoring; null: scored before
    # coverage was stored, until the edition is rescored)
    answered = models.PositiveIntegerField(null=True)
    dont_know = models.PositiveIntegerField(null=True)
    unanswered = models.PositiveIntegerField(null=True)
    not_asked = models.PositiveIntegerField(null=True)
    counting = models.PositiveIntegerField(null=True)
    coverage = models.FloatField(null=True)
    reason = models.CharField(max_length=40, blank=True)  # why there is no score: a code of icc.engine.REASONS
    computed_at = models.DateTimeField()
    is_demo = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["city", "edition", "item"], name="one_score_per_item")]
        indexes = [models.Index(fields=["edition", "item"])]
        verbose_name = _("score")
        verbose_name_plural = _("scores")


class PublishedResult(models.Model):
    """A result published by the programme before this platform, exactly as found, with its source."""

    city = models.ForeignKey(
        "network.City", null=True, blank=True, on_delete=models.SET_NULL, related_name="published_results"
    )
    city_name = models.CharField(max_length=120)
    country = models.CharField(max_length=80)
    report_date = models.CharField(max_length=120)
    year = models.PositiveIntegerField(null=True)
    sample_size = models.PositiveIntegerField(null=True, help_text="The sample size when published as a plain number")
    sample_size_text = models.CharField(max_length=120, blank=True, help_text="The sample size as published")
    area = models.CharField(max_length=120)
    score = models.FloatField(null=True)
    sample_mean = models.FloatField(null=True)
    sample_max = models.FloatField(null=True)
    rank = models.PositiveIntegerField(null=True, help_text="Rank in the whole sample, when the source states it")
    rank_text = models.TextField(blank=True)
    source_url = models.URLField(max_length=500)

    class Meta:
        ordering = ["year", "city_name"]
        verbose_name = _("published result")
        verbose_name_plural = _("published results")

    @property
    def ambiguous(self) -> bool:
        """The source marks the row ambiguous (its words are in ``rank_text``): shown, never ranked or plotted."""
        return is_ambiguous(self.rank_text)

    @property
    def public_rank(self) -> int | None:
        """The rank shown and served: the rank the source states plainly, never that of an ambiguous row."""
        return None if self.ambiguous else self.rank


class PublicDataVersion(models.Model):
    """A counter that every change of public data other than scores raises (cities, facts, editions, frameworks,
    historical results): part of the public-data cache key, so that no cached page outlives such a change."""

    value = models.BigIntegerField(default=0)

    @classmethod
    def bump(cls) -> None:
        if not cls.objects.filter(pk=1).update(value=models.F("value") + 1):
            cls.objects.get_or_create(pk=1, defaults={"value": 1})

    @classmethod
    def current(cls) -> int:
        return cls.objects.filter(pk=1).values_list("value", flat=True).first() or 0


class RobustnessStudy(models.Model):
    """An uncertainty and sensitivity study of an edition's ranks (:mod:`icc.engine.robustness`), as computed:
    the options it ran with, each city's rank statistics and each assumption's indices. One study per edition is
    the *published* one, computed with the default options when the edition's results are released; the others
    are the secretariat's own explorations, never public."""

    edition = models.ForeignKey("network.Edition", on_delete=models.CASCADE, related_name="robustness_studies")
    created = models.DateTimeField(_("created"))
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("by")
    )
    job = models.ForeignKey("jobs.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    options = models.JSONField(_("options"), default=dict)  # weight_noise, runs, n, bootstrap, seed, switches
    finished = models.DateTimeField(_("finished"), null=True, blank=True)
    ranks = models.JSONField(default=list)  # [{city, nominal, mean, median, q5, q95}] by city slug
    indices = models.JSONField(default=list)  # [{variable, si, sti, si_q5, si_q95, sti_q5, sti_q95}]
    cities = models.PositiveIntegerField(default=0)
    is_published = models.BooleanField(_("published with the edition"), default=False)
    is_demo = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("robustness study")
        verbose_name_plural = _("robustness studies")
        constraints = [
            models.UniqueConstraint(
                fields=["edition"], condition=models.Q(is_published=True), name="one_published_study_per_edition"
            )
        ]

    def rank_of(self, slug: str) -> dict | None:
        return next((r for r in self.ranks if r["city"] == slug), None)
