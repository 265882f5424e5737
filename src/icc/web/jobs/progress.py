"""Start a background job, report its progress, read its status: the three things a job's task and pages need.

A job is a django-tasks task plus one :class:`~icc.web.jobs.models.Job` row (who started it, how far it has got,
where its result is). The pattern, for a task that takes long enough to need a progress bar::

    from django_tasks import task
    from django.utils.translation import gettext_noop

    @task()
    def robustness_study(job_id: str, study_id: int) -> None:   # the job's id first, then ids and plain values
        report = progress.reporter(job_id)
        run_the_study(study_id, progress=lambda done, total: report(done, total, gettext_noop("Sensitivity runs")))
        progress.set_result_url(job_id, reverse("results:study", args=[study_id]))

    # in a view, after the permission check:
    job = progress.enqueue(robustness_study, kind="robustness", label=_("Robustness of the 2025 index"),
                           user=request.user, args=(study.pk,))
    return redirect("jobs:detail", job.pk)

:func:`enqueue` makes the Job row first (its id a fresh uuid), then queues the task with that id as its first
argument, then keeps the task result's id on the row, all in one transaction: the task can always find its row,
since the task cannot know its own result id (only a ``takes_context`` task can, and the row would not exist
yet under a backend that runs tasks at once, such as django-tasks' ImmediateBackend). With the database backend
(the default) the queued task and the row commit together, so a worker never sees one without the other. A
backend outside the database (e.g. Redis) may hand the task to a worker a moment before the row commits; the
first progress reports of such a task may then be lost (they update no row), nothing else.

Whether a job waits, runs, finished or failed comes from the django-tasks result (:func:`status`), never from our
table: a worker that dies, a result pruned by ``prune_db_task_results``, a backend that records errors — all are
shown as the backend knows them.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, TypedDict

from django.core.exceptions import SuspiciousOperation
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks.base import Task, TaskError, TaskResult
from django_tasks.exceptions import TaskResultDoesNotExist

from icc.web.accounts.models import User

from .models import Job

REPORT_EVERY = 0.5  # seconds between two progress writes of one task (the last report is always written)
FAILURE_MAX = 1000  # characters of a failure reason shown


class State(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    RUNNING = "running", _("Running")
    FINISHED = "finished", _("Finished")
    FAILED = "failed", _("Failed")
    UNKNOWN = "unknown", _("Unknown")  # the backend no longer holds the task's result (pruned, or another backend)


# django-tasks' result status → our state (by value: the same under Django 6's django.tasks)
STATES = {"READY": State.WAITING, "RUNNING": State.RUNNING, "SUCCESSFUL": State.FINISHED, "FAILED": State.FAILED}


class JobStatus(TypedDict):
    state: str
    done: int
    total: int
    percent: int
    stage: str
    failure: str
    result_url: str


def enqueue(
    task: Task[..., Any],
    *,
    kind: str,
    label: str,
    user: User | None,
    args: Sequence[Any] = (),
    kwargs: Mapping[str, Any] | None = None,
    now: datetime | None = None,
) -> Job:
    """Queue ``task(job_id, *args, **kwargs)`` and return its new :class:`Job`.

    Parameters
    ----------
    task
        A django-tasks task (``@task()``) whose first parameter is the job's id (a string).
    kind
        A short slug naming the sort of job (``"robustness"``).
    label
        What the job pages call it, in the starter's language ("Robustness of the 2025 index").
    user
        Who started it (may see it, with the secretariat); ``None`` for a script.
    args, kwargs
        The task's other arguments: ids and plain values only (django-tasks stores them as JSON; anything else
        raises ``TypeError`` and nothing is queued).
    now
        When it was started (default: the clock).
    """
    with transaction.atomic():
        job = Job.objects.create(kind=kind, label=label, started_by=user, created=now or datetime.now(UTC))
        result = task.enqueue(str(job.pk), *args, **dict(kwargs or {}))
        job.task_result_id = str(result.id)
        Job.objects.filter(pk=job.pk).update(task_result_id=job.task_result_id)
    return job


def reporter(
    job_id: str, *, clock: Callable[[], float] = time.monotonic, every: float = REPORT_EVERY
) -> Callable[[int, int, str], None]:
    """A progress callback ``report(done, total, stage)`` for the task of job ``job_id`` to pass to engine code.

    It writes the job's ``done``, ``total`` and ``stage`` at most once every ``every`` seconds of ``clock`` (the
    first report and any report with ``done >= total`` are always written, so the last one is never lost), with
    one UPDATE and no read. ``stage`` is short English text marked with ``gettext_noop`` ("Sensitivity runs"):
    the job pages translate it.
    """
    written_at: float | None = None

    def report(done: int, total: int, stage: str = "") -> None:
        nonlocal written_at
        total = max(0, int(total))
        done = min(max(0, int(done)), total)
        at = clock()
        if written_at is not None and at - written_at < every and done < total:
            return
        written_at = at
        Job.objects.filter(pk=job_id).update(done=done, total=total, stage=stage[:100])

    return report


def set_result_url(job_id: str, url: str) -> None:
    """Record the page the job's result is on; the job page links to it once the task has finished."""
    Job.objects.filter(pk=job_id).update(result_url=url)


def task_result(job: Job) -> TaskResult[Any] | None:
    """The django-tasks result of ``job``, or ``None`` when the backend no longer has it."""
    if not job.task_result_id:
        return None
    try:
        return task_backends[DEFAULT_TASK_BACKEND_ALIAS].get_result(job.task_result_id)
    except TaskResultDoesNotExist:  # pruned, or queued under another backend
        return None
    except NotImplementedError:  # a backend that cannot fetch results (django-tasks' ImmediateBackend)
        return None
    except (ImportError, SuspiciousOperation):  # the task's function is gone from the code
        return None


def failure_reason(error: TaskError) -> str:
    """``"ValueError: the message"``: the exception's class and message, from the traceback the backend kept
    (django-tasks stores no message of its own); never the traceback's frames.

    >>> failure_reason(TaskError(exception_class_path="builtins.ValueError",
    ...     traceback='Traceback (most recent call last):\\n  File "x.py", line 1, in f\\nValueError: bad value\\n'))
    'ValueError: bad value'
    """
    name = error.exception_class_path.rpartition(".")[2]
    last = error.traceback.rpartition("Traceback (most recent call last):\n")[2]
    lines = last.splitlines()
    start = next((i for i, line in enumerate(lines) if line and not line[0].isspace()), len(lines))
    text = "\n".join(lines[start:]).strip()
    head, colon, message = text.partition(":")
    if head.rpartition(".")[2] != name:  # not the exception's own line: show the class alone
        message = ""
    message = message.strip() if colon else ""
    if len(message) > FAILURE_MAX:
        message = message[: FAILURE_MAX - 1] + "…"
    return f"{name}: {message}" if message else name


def status(job: Job) -> JobStatus:
    """What the job pages and ``/jobs/<id>/status/?format=json`` show.

    ``state`` is ``waiting``, ``running``, ``finished`` or ``failed`` (``unknown`` when the backend no longer holds
    the result); ``percent`` is ``done / total`` rounded down (100 once finished); ``failure`` is the exception's
    class and message when failed (else empty); ``result_url`` is set once finished.
    """
    result = task_result(job)
    state = State.UNKNOWN if result is None else STATES.get(str(result.status), State.UNKNOWN)
    failure = ""
    if state == State.FAILED and result is not None and result.errors:
        failure = failure_reason(result.errors[-1])
    if state == State.FINISHED:
        percent = 100
    else:
        percent = 100 * job.done // job.total if job.total else 0
    return {
        "state": str(state),
        "done": job.done,
        "total": job.total,
        "percent": percent,
        "stage": job.stage,
        "failure": failure,
        "result_url": job.result_url if state == State.FINISHED else "",
    }
