"""Shared fixtures: small framework files and the shipped frameworks."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

from icc.framework import load_yaml

# repeatable property tests by default (CI must not pass or fail by chance); HYPOTHESIS_PROFILE=explore searches
# with fresh random examples, e.g. before a release
hypothesis_settings.register_profile("repeatable", derandomize=True)
hypothesis_settings.register_profile("explore", derandomize=False)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def tiny():
    """A three-area framework whose scores are computed by hand in the tests."""
    return load_yaml(FIXTURES / "tiny.yaml")


@pytest.fixture(scope="session")
def tiny_old():
    return load_yaml(FIXTURES / "tiny-old.yaml")


DEMO_AS_OF = datetime(2026, 1, 1, tzinfo=UTC)


def _configured_database_name() -> str:
    from django.conf import settings

    return str(settings.DATABASES["default"]["NAME"])


# read when this file is imported, before any test database exists (creating one renames the connection's NAME)
_CONFIGURED_DATABASE = _configured_database_name()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The demo network, loaded once per run into the test database for every test that uses it (web, API).
    The browser tests, which change the data they serve, run last and load their own copy per module."""
    from django.db import connection

    from icc.web.demo import load_demo

    if connection.settings_dict["NAME"] == _CONFIGURED_DATABASE:  # no test database made (browser tests only):
        return  # never write to the configured database; the browser tests load their own copy
    with django_db_blocker.unblock():
        load_demo(DEMO_AS_OF)


@pytest.fixture(autouse=True)
def _empty_page_cache():
    """Each test starts with an empty page cache: its keys carry the public-data version, which a rolled-back test
    transaction sets back, so a page cached by an earlier test could answer under the same version."""
    from django.core.cache import caches

    caches["default"].clear()


def pytest_collection_modifyitems(items):
    """Browser tests last: they flush and reload the demo network, which the other tests read unchanged."""
    items.sort(key=lambda item: "/tests/browser/" in str(item.path))


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix) -> None:
    """A PostgreSQL test database of this run's own (``test_icc_<pid>``): two runs at once (a person and CI, or
    two people on one server) never drop each other's database. SQLite tests use memory and need nothing."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    if "postgresql" in db["ENGINE"]:
        test = db.setdefault("TEST", {})
        test["NAME"] = f"{test.get('NAME') or 'test_' + db['NAME']}_{os.getpid()}"
