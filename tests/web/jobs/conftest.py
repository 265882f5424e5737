"""Fixtures of the job tests: a worker that runs what is queued and returns, inside the test's transaction."""

from __future__ import annotations

import signal

import pytest


@pytest.fixture
def run_worker(monkeypatch):
    """``run_worker()`` runs every queued task (``icc worker --batch``) in this process and returns."""
    from django_tasks_db.management.commands import db_worker

    from icc.cli.worker import run_worker as run

    # the worker drops a connection whose transaction is open, as the test's is: keep it (it is the test's)
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    signals = [signal.SIGINT, signal.SIGTERM, signal.SIGQUIT]
    saved = {s: signal.getsignal(s) for s in signals}  # the worker installs its own
    yield lambda: run(batch=True, interval=0)
    for s, handler in saved.items():
        signal.signal(s, handler)


@pytest.fixture
def oslo(db):
    from icc.web.accounts.models import User

    return User.objects.get(username="oslo")
