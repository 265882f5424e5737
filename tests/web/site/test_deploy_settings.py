"""A production configuration passes Django's deployment checks; a bad value stops the start with its name."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = str(Path(__file__).resolve().parents[3])


def check(tmp_path, **env: str) -> subprocess.CompletedProcess:
    full = {**os.environ, "DJANGO_SETTINGS_MODULE": "icc.web.settings", "ICC_DATA_DIR": str(tmp_path), **env}
    full.pop("DATABASE_URL", None)
    full.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests for their own process only
    command = [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"]
    return subprocess.run(command, env=full, cwd=ROOT, capture_output=True, text=True)


def test_the_documented_production_settings_pass_the_deployment_checks(tmp_path):
    result = check(
        tmp_path,
        ICC_DEBUG="0",
        ICC_HTTPS="1",
        ICC_SECRET_KEY=secrets.token_urlsafe(50),
        ICC_ALLOWED_HOSTS="icc.example",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_without_https_the_checks_say_what_is_missing(tmp_path):
    result = check(tmp_path, ICC_DEBUG="0", ICC_SECRET_KEY=secrets.token_urlsafe(50), ICC_ALLOWED_HOSTS="icc.example")
    assert result.returncode != 0 and "SECURE_SSL_REDIRECT" in result.stdout + result.stderr


def test_a_bad_hsts_value_is_named(tmp_path):
    result = check(tmp_path, ICC_DEBUG="0", ICC_HTTPS="1", ICC_SECRET_KEY="x" * 60, ICC_HSTS_SECONDS="a year")
    assert result.returncode != 0 and "ICC_HSTS_SECONDS" in result.stderr


def test_bad_sign_in_limits_are_named(tmp_path):
    base = {"ICC_DEBUG": "0", "ICC_HTTPS": "1", "ICC_SECRET_KEY": "x" * 60, "ICC_ALLOWED_HOSTS": "icc.example"}
    for name, value in [
        ("ICC_LOGIN_FAILURE_LIMIT", "five"),
        ("ICC_LOGIN_FAILURE_LIMIT", "0"),
        ("ICC_LOGIN_ADDRESS_FAILURE_LIMIT", "-3"),
        ("ICC_LOGIN_COOLOFF_MINUTES", "15m"),
        ("ICC_PROXY_COUNT", "one"),
    ]:
        result = check(tmp_path, **base, **{name: value})
        assert result.returncode != 0 and f"{name}={value!r}: expected a whole number" in result.stderr, name


def test_the_sign_in_limits_come_from_the_environment(tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "icc.web.settings", "ICC_DATA_DIR": str(tmp_path)}
    env.update(ICC_LOGIN_FAILURE_LIMIT="3", ICC_LOGIN_ADDRESS_FAILURE_LIMIT="50", ICC_LOGIN_COOLOFF_MINUTES="30")
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.AXES_FAILURE_LIMIT, s.LOGIN_ADDRESS_FAILURE_LIMIT, s.AXES_COOLOFF_TIME.total_seconds())"
    )
    result = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True)
    assert result.stdout.split() == ["3", "50", "1800.0"], result.stderr


def test_every_numeric_or_address_setting_with_a_bad_value_is_named_without_a_traceback(tmp_path):
    for name, value in [
        ("ICC_UPLOAD_MAX_MB", "abc"),
        ("ICC_UPLOAD_MAX_MB", "nan"),
        ("ICC_UPLOAD_MAX_MB", "-1"),
        ("ICC_BASE_URL", "icc.example"),
        ("ICC_LOG_LEVEL", "LOUD"),
        ("ICC_DEBUG", "maybe"),
    ]:
        result = check(tmp_path, **{name: value})
        assert result.returncode != 0, (name, value)
        assert f"{name}={value!r}" in result.stderr, (name, value, result.stderr[-500:])
        assert "ValueError" not in result.stderr, (name, value)
