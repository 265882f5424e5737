"""Logging in with the demo accounts, and the limit on failed attempts."""

from __future__ import annotations

import pytest
from django.core.cache import cache

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


def test_a_demo_official_logs_in_and_sees_their_city(client):
    r = client.post("/accounts/login/", {"username": "oslo", "password": "icc-oslo"})
    assert r.status_code == 302
    page = client.get("/accounts/me/").content.decode()
    assert "Oslo" in page and "coordinator" in page


def test_five_failed_attempts_lock_the_account_for_a_while(client):
    for _ in range(5):
        r = client.post("/accounts/login/", {"username": "oslo", "password": "wrong"})
        assert r.status_code == 200
    r = client.post("/accounts/login/", {"username": "oslo", "password": "icc-oslo"})
    assert r.status_code == 429
    assert "Too many failed attempts" in r.content.decode()


def test_the_account_page_needs_a_login(client):
    r = client.get("/accounts/me/")
    assert r.status_code == 302 and r["Location"].startswith("/accounts/login/")
