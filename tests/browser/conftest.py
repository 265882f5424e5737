"""Browser tests: Playwright driving Debian's Chromium against the live test server."""

from __future__ import annotations

import os
import shutil

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# Playwright's sync API runs an event loop in this thread; the Django test server runs in another one.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium; .ci/run does it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    yield pg
    context.close()


# --- one demo network and live server per module (helper browser-autosave) -------------------------------------
# Loading the demo network takes seconds; the autosave and returned-answer matrices run dozens of short tests on
# it, each of which resets the few answers it touches. The data is committed (the server runs in its own thread,
# with its own connection on PostgreSQL) and flushed when the module ends.

PASSWORDS = {
    "oslo": "icc-oslo",
    "oslo-education": "icc-oslo-edu",
    "bilbao": "icc-bilbao",
    "expert": "icc-expert",
    "secretariat": "icc-secretariat",
}


def _configured_database_name():
    from django.conf import settings

    return settings.DATABASES["default"]["NAME"]


# read when this file is imported, before any test database exists (creating one renames the connection's NAME)
CONFIGURED_DATABASE = _configured_database_name()


@pytest.fixture(scope="session")
def _test_database(request, django_db_setup, django_db_blocker):
    """The test database, also when no test of the session carries the ``django_db`` mark (pytest-django creates
    it only for marked tests). Never the configured database: the module's data is flushed."""
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    with django_db_blocker.unblock():
        if connection.settings_dict["NAME"] != CONFIGURED_DATABASE:  # pytest-django has made the test database
            yield
            return
        config = setup_databases(verbosity=0, interactive=False, aliases={"default"})
        assert connection.settings_dict["NAME"] != CONFIGURED_DATABASE
    yield
    with django_db_blocker.unblock():
        teardown_databases(config, verbosity=0)


@pytest.fixture(scope="module")
def demo_site(_test_database, django_db_blocker, tmp_path_factory):
    """A live server over the demo network (as of 1 January 2026), shared by the tests of one module."""
    import threading
    from datetime import UTC, datetime

    from django.core.management import call_command
    from django.db import connections
    from django.test.utils import override_settings
    from pytest_django.live_server_helper import LiveServer

    from icc.web.demo import load_demo

    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("uploads")):
        call_command("flush", interactive=False, verbosity=0)
        load_demo(datetime(2026, 1, 1, tzinfo=UTC))
        server = LiveServer("localhost")
        server._live_server_modified_settings.enable()
        try:
            yield server
        finally:
            # the browser contexts are closed by now: let the server's request threads see their connections end
            # (on SQLite they share the test's connection, which must stay shared until they are done)
            for thread in threading.enumerate():
                if getattr(thread, "_target", None) and thread._target.__name__ == "process_request_thread":
                    thread.join(timeout=5)
            server._live_server_modified_settings.disable()
            server.stop()
            call_command("flush", interactive=False, verbosity=0)
            connections.close_all()  # the connection opened in this context (the test database is dropped later)


@pytest.fixture(scope="module")
def _signed_in_states(browser, demo_site):
    """Each person signs in once per module through the sign-in form; later pages reuse the session cookie."""
    states = {}

    def state_of(username):
        if username not in states:
            context = browser.new_context()
            page = context.new_page()
            page.goto(demo_site.url + "/accounts/login/")
            page.fill("input[name=username]", username)
            page.fill("input[name=password]", PASSWORDS[username])
            page.click("main form button")
            page.wait_for_load_state()
            assert "/accounts/login/" not in page.url, f"{username} could not sign in"
            states[username] = context.storage_state()
            context.close()
        return states[username]

    return state_of


@pytest.fixture
def open_as(browser, demo_site, _signed_in_states):
    """``open_as("oslo", language="fr", width=390)``: a new signed-in page (own browser context), closed after the
    test."""
    contexts = []

    def open_page(username, *, language="en", width=1280, height=900):
        context = browser.new_context(
            viewport={"width": width, "height": height}, storage_state=_signed_in_states(username)
        )
        context.add_cookies([{"name": "django_language", "value": language, "url": demo_site.url}])
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()
