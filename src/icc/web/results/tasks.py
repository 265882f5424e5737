"""Background jobs of the results app (django-tasks tasks: the job's id first, then ids and plain values)."""

from __future__ import annotations

from datetime import UTC, datetime

from django.urls import reverse
from django.utils.translation import gettext_noop
from django_tasks import task

from icc.web.jobs import progress

from . import robustness


@task()
def robustness_study(job_id: str, study_id: int) -> None:
    """Run a stored robustness study, reporting the runs done; the job page then links to the study."""
    report = progress.reporter(job_id)

    def stage(done: int, total: int, what: str) -> None:
        report(done, total, gettext_noop("Sensitivity runs") if what == "sensitivity" else gettext_noop("Runs"))

    robustness.run(study_id, lambda: datetime.now(UTC), stage)
    progress.set_result_url(job_id, reverse("results:study", args=[study_id]))
