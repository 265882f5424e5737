"""``icc worker``: run the background jobs, with django-tasks-db's worker on the platform's database.

``icc serve`` starts one beside the development server; in production, run ``icc worker`` as a service of its own
(as many as the jobs need: each takes one job at a time).
"""

from __future__ import annotations

import os
import subprocess
import sys

import click

from .common import console, setup_django


def database_backend_in_use() -> str | None:
    """``None`` when the jobs are queued in the database (``icc worker`` runs them), else the backend's path."""
    from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
    from django_tasks_db import DatabaseBackend

    backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
    if isinstance(backend, DatabaseBackend):
        return None
    return f"{type(backend).__module__}.{type(backend).__qualname__}"


def run_worker(*, queue_name: str = "default", interval: float = 1.0, batch: bool = False) -> None:
    """Run django-tasks-db's ``db_worker`` (Django set up): until stopped, or with ``batch`` until the queue is
    empty. No code reloading: a job is never cut short by an edit."""
    from django.core.management import call_command

    other = database_backend_in_use()
    if other:
        raise click.ClickException(
            f"ICC_TASKS_BACKEND is {other}: its jobs are run by that backend's own worker, not `icc worker`"
        )
    call_command(
        "db_worker", queue_name=queue_name, interval=interval, batch=batch, reload=False, startup_delay=not batch
    )


@click.command()
@click.option(
    "--queue-name", default="default", show_default=True, help="Queues to take jobs from, comma-separated; * for all."
)
@click.option(
    "--interval",
    default=1.0,
    show_default=True,
    type=click.FloatRange(min=0),
    help="Seconds between two looks at an empty queue.",
)
@click.option("--batch", is_flag=True, help="Run the jobs waiting in the queue, then exit.")
def worker(queue_name: str, interval: float, batch: bool) -> None:
    """Run the background jobs (progress on /jobs/); Ctrl+C lets the running job finish, twice stops it."""
    setup_django()
    if not batch:
        console.print(f"[bold]Worker running[/bold] on the queue {queue_name!r} (Ctrl+C to stop)")
    run_worker(queue_name=queue_name, interval=interval, batch=batch)


def start_beside() -> subprocess.Popen[bytes] | None:
    """Start ``icc worker`` as a child process (same environment), or ``None`` (and say why) when the jobs are
    queued outside the database."""
    other = database_backend_in_use()
    if other:
        console.print(f"Background jobs go to {other}: start its worker yourself.")
        return None
    child = subprocess.Popen([sys.executable, "-m", "icc.cli", "worker"], env=os.environ.copy())
    console.print(f"Background jobs: a worker runs beside the server (process {child.pid}, stopped with it)")
    return child


def stop(child: subprocess.Popen[bytes], wait: float = 5.0) -> None:
    """Stop a worker started by :func:`start_beside`: a first SIGTERM lets an idle worker exit at once (a busy one
    finishes its job), a second stops the job (it fails with ``SystemExit``, never stays "running"), then KILL."""
    for _ in range(2):
        if child.poll() is not None:
            return
        child.terminate()
        try:
            child.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            pass
    child.kill()
    child.wait()
