"""Fixtures of the job tests (``run_worker`` is in tests/web/conftest.py: the results tests use it too)."""

from __future__ import annotations

import pytest


@pytest.fixture
def oslo(db):
    from icc.web.accounts.models import User

    return User.objects.get(username="oslo")
