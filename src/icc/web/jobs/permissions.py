"""Who may see a job: the user who started it, and the secretariat. To anyone else a job does not exist (404)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponseBase

from icc.web.accounts.permissions import AnyUser, is_secretariat

from .models import Job


def may_see(user: AnyUser, job: Job) -> bool:
    return bool(user.is_authenticated and (job.started_by_id == user.pk or is_secretariat(user)))


def job_view(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """``view(request, job)`` for the URL's ``job_id``: anonymous visitors go to the log-in page; a job the user
    may not see answers 404, as a job that does not exist does (ids are not revealed)."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, job_id: Any, *args: Any, **kwargs: Any) -> HttpResponseBase:
        job = Job.objects.filter(pk=job_id).first()
        if job is None or not may_see(request.user, job):
            raise Http404
        return view(request, job, *args, **kwargs)

    return wrapper
