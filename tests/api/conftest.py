"""The API is tested on the demo network (published scores only), loaded once into the test database."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from icc.web.demo import load_demo

    with django_db_blocker.unblock():
        load_demo(datetime(2026, 1, 1, tzinfo=UTC))
