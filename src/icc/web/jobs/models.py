"""A background job as people see it: what it is, who started it, how far it has got, where its result is.

Whether it waits, runs, finished or failed (and why) is the django-tasks result's, read through
:func:`icc.web.jobs.progress.status`; it is never copied here.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Job(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    task_result_id = models.CharField(
        _("task result id"),
        max_length=64,
        unique=True,
        null=True,  # only inside enqueue()'s transaction, between the row and the task being queued
        editable=False,
        help_text=_("The id of the django-tasks result that runs this job."),
    )
    kind = models.SlugField(_("kind"), max_length=40, help_text=_("What sort of job, e.g. robustness."))
    label = models.CharField(_("label"), max_length=200)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="jobs",
        verbose_name=_("started by"),
    )
    created = models.DateTimeField(_("created"))
    done = models.PositiveIntegerField(_("done"), default=0)
    total = models.PositiveIntegerField(_("total"), default=0)
    stage = models.CharField(_("stage"), max_length=100, blank=True)
    result_url = models.CharField(
        _("result address"), max_length=500, blank=True, help_text=_("The page to open once the job has finished.")
    )

    class Meta:
        ordering = ["-created"]
        indexes = [models.Index(fields=["started_by", "-created"], name="jobs_by_starter_newest")]
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")

    def __str__(self) -> str:
        return self.label
