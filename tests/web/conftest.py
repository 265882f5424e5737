"""Fixtures of the web tests (the demo network in the test database is loaded once by tests/conftest.py)."""

from __future__ import annotations

import signal
from datetime import UTC, datetime

import pytest

AS_OF = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture
def french(client):
    client.cookies.load({"django_language": "fr"})
    return client


@pytest.fixture
def personas(db):
    """Logged-in clients: Oslo's coordinator and colleague, Bilbao's coordinator, the expert, the secretariat,
    an expert assigned to no city, and an anonymous visitor."""
    from django.test import Client

    from icc.web.accounts.models import Role, User

    outsider, _ = User.objects.get_or_create(username="expert-elsewhere", defaults={"role": Role.EXPERT})
    clients = {"anonymous": Client()}
    for name in ("oslo", "oslo-education", "bilbao", "expert", "secretariat"):
        c = Client()
        c.force_login(User.objects.get(username=name))
        clients[name] = c
    c = Client()
    c.force_login(outsider)
    clients["expert-elsewhere"] = c
    return clients


@pytest.fixture
def oslo_draft(db):
    from icc.web.questionnaire.models import Response

    return Response.objects.get(city__slug="oslo", edition__year=2026)


@pytest.fixture
def bilbao_draft(db):
    from icc.web.questionnaire.models import Response

    return Response.objects.get(city__slug="bilbao", edition__year=2026)


@pytest.fixture
def fill():
    """A function that answers every applicable question of a response (demo answers; blanks become "don't
    know"), as ``fill(response, user)``."""
    import uuid

    from icc.data import demo
    from icc.framework import load_shipped
    from icc.framework.answers import applicable
    from icc.web.questionnaire.editing import save_answer

    def fill_response(response, user):
        fw = load_shipped("icc-2019")
        row = demo.generate_answers(fw, [response.city.slug], 2026).iloc[0]
        values = {
            q: ("dont_know" if v is None or v != v else (v if isinstance(v, str) else f"{v:g}")) for q, v in row.items()
        }
        shown = applicable(fw, values)
        for qid, value in values.items():
            if shown[qid]:
                save_answer(
                    response, qid, user, changes={"value": value}, base_version=0, edit_key=uuid.uuid4(), now=AS_OF
                )

    return fill_response


@pytest.fixture
def oslo_published_2026(db):
    """Oslo's 2026 response published (its 2025 answers copied) and scored; the edition is still open."""
    from icc.web.network.models import Edition
    from icc.web.questionnaire.models import Answer, Response
    from icc.web.results.rescoring import rescore_edition

    published = datetime(2026, 3, 1, tzinfo=UTC)
    edition = Edition.objects.get(year=2026)
    response = Response.objects.get(city__slug="oslo", edition=edition)
    before = Response.objects.get(city__slug="oslo", edition__year=2025)
    Answer.objects.bulk_create(
        [
            Answer(response=response, question_id=a.question_id, value=a.value, updated_at=published)
            for a in before.answers.all()
        ]
    )
    Response.objects.filter(pk=response.pk).update(status=Response.Status.PUBLISHED)
    assert rescore_edition(edition, published) > 0
    return edition


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
