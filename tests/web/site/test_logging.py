"""Server errors and the platform's warnings reach stderr in every mode, with their traceback."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = str(Path(__file__).resolve().parents[3])

# A production process (ICC_DEBUG=0) whose URLconf holds one view that fails, and an icc.* warning.
SCRIPT = textwrap.dedent(
    """
    import logging
    import django
    from django.http import HttpResponse
    from django.test import Client, override_settings
    from django.urls import path

    django.setup()


    def broken(request):
        raise RuntimeError("the view broke: disk on fire")


    urlpatterns = [path("broken/", broken)]

    with override_settings(ROOT_URLCONF=__name__):
        status = Client(raise_request_exception=False).get("/broken/").status_code
    logging.getLogger("icc.web.questionnaire").warning("a platform warning")
    logging.getLogger("icc.web.questionnaire").info("a platform note")
    print("status", status)
    """
)


def run(tmp_path, **env: str) -> subprocess.CompletedProcess:
    full = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "icc.web.settings",
        "ICC_DATA_DIR": str(tmp_path),
        "ICC_DEBUG": "0",
        "ICC_SECRET_KEY": secrets.token_urlsafe(50),
        "ICC_ALLOWED_HOSTS": "testserver",
        **env,
    }
    full.pop("DATABASE_URL", None)
    full.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    script = tmp_path / "broken_site.py"
    script.write_text(SCRIPT)
    return subprocess.run([sys.executable, str(script)], env=full, cwd=tmp_path, capture_output=True, text=True)


def test_with_debug_off_a_server_error_is_logged_to_stderr_with_its_traceback(tmp_path):
    result = run(tmp_path)
    assert "status 500" in result.stdout, result.stderr
    lines = result.stderr.splitlines()
    [header] = [line for line in lines if "ERROR django.request" in line]
    assert "Internal Server Error: /broken/" in header
    assert "Traceback (most recent call last):" in result.stderr
    assert "RuntimeError: the view broke: disk on fire" in result.stderr
    assert any("WARNING icc.web.questionnaire" in line and "a platform warning" in line for line in lines)
    assert any("INFO icc.web.questionnaire" in line for line in lines)  # ICC_LOG_LEVEL defaults to INFO


def test_the_log_level_comes_from_the_environment(tmp_path):
    result = run(tmp_path, ICC_LOG_LEVEL="warning")
    assert "a platform warning" in result.stderr and "a platform note" not in result.stderr
    assert "RuntimeError: the view broke" in result.stderr
    result = run(tmp_path, ICC_LOG_LEVEL="critical")
    assert "a platform warning" not in result.stderr and "Internal Server Error" not in result.stderr


def test_a_bad_log_level_stops_the_start_with_its_name(tmp_path):
    result = run(tmp_path, ICC_LOG_LEVEL="loud")
    assert result.returncode != 0 and "ICC_LOG_LEVEL='loud'" in result.stderr and "WARNING" in result.stderr
