"""Every API operation, called with generated inputs (schemathesis): no server error, responses match the schema.

(Schemathesis's own pytest plugin relies on pytest internals that pytest 9 changed, so the operations are
iterated here and each one is driven by hypothesis directly. The examples are derandomized so that CI is
repeatable; to explore further, run with a different `max_examples` locally.)
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

pytestmark = pytest.mark.django_db


@pytest.fixture
def keep_connection():
    """The real WSGI handler closes the database connection after each request; inside a test transaction that
    would end the test's connection (PostgreSQL), so do what Django's test client does and keep it open."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def no_rate_limit(settings):
    """Hundreds of generated calls come from one address; the rate limit has its own tests."""
    settings.RATELIMIT_ENABLE = False


def test_every_operation_conforms_to_the_schema(keep_connection, no_rate_limit):
    from icc.web.wsgi import application

    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    checked = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(
            max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), database=None, derandomize=True
        )
        def check(case):
            case.call_and_validate()

        check()
        checked.append(operation.label)
    assert len(checked) == 14, checked
