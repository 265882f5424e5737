"""The job pages: one job with its progress (refreshing itself while it waits or runs), and the user's own jobs."""

from __future__ import annotations

from typing import Any, cast

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from icc.web.accounts.models import User

from . import progress
from .models import Job
from .permissions import job_view

# htmx stops polling an element when its response has this status (https://htmx.org/docs/#polling)
STOP_POLLING = 286
PER_PAGE = 25


def _context(job: Job) -> dict[str, Any]:
    status = progress.status(job)
    return {
        "job": job,
        "status": status,
        "state_label": progress.State(status["state"]).label,
        "stage": _(status["stage"]) if status["stage"] else "",
        "live": status["state"] in (progress.State.WAITING, progress.State.RUNNING),
    }


@job_view
def job_detail(request: HttpRequest, job: Job) -> HttpResponse:
    return render(request, "jobs/detail.html", _context(job))


@job_view
def job_status(request: HttpRequest, job: Job) -> HttpResponse:
    """The status fragment the detail page polls; ``?format=json`` gives :func:`progress.status` as JSON."""
    context = _context(job)
    if request.GET.get("format") == "json":
        return JsonResponse({"id": str(job.pk), "kind": job.kind, "label": job.label, **context["status"]})
    response = render(request, "jobs/_status.html", context)
    if getattr(request, "htmx", False) and not context["live"]:
        response.status_code = STOP_POLLING
    return response


@login_required
def job_list(request: HttpRequest) -> HttpResponse:
    jobs = Job.objects.filter(started_by=cast(User, request.user)).order_by("-created")
    page = Paginator(jobs, PER_PAGE).get_page(request.GET.get("page"))
    rows = [_context(job) for job in page]
    return render(request, "jobs/list.html", {"page": page, "rows": rows})
