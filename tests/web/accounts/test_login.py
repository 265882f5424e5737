"""Logging in, and the limits on failed attempts (django-axes, counted in the database) on every login path."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import authenticate
from django.db.models import F
from django.test import Client, RequestFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
ADMIN_LOGIN = "/admin/login/"


def fail(client, name: str = "oslo", url: str = LOGIN, **extra):
    return client.post(url, {"username": name, "password": "wrong"}, **extra)


def logs_in(client, name: str = "oslo", password: str = "icc-oslo", url: str = LOGIN, **extra) -> int:
    r = client.post(url, {"username": name, "password": password}, **extra)
    return r.status_code


def signed_in_as(client) -> str | None:
    page = client.get("/accounts/me/")
    return page.context["user"].username if page.status_code == 200 else None


def test_a_demo_official_logs_in_and_sees_their_city(client):
    r = client.post(LOGIN, {"username": "oslo", "password": "icc-oslo"})
    assert r.status_code == 302
    page = client.get("/accounts/me/").content.decode()
    assert "Oslo" in page and "coordinator" in page


def test_the_account_page_needs_a_login(client):
    r = client.get("/accounts/me/")
    assert r.status_code == 302 and r["Location"].startswith("/accounts/login/")


def test_a_wrong_password_says_so_and_counts_one_failure_in_the_database(client):
    r = fail(client)
    assert r.status_code == 200 and "correct" in r.content.decode()
    [attempt] = AccessAttempt.objects.all()
    assert (attempt.username, attempt.ip_address, attempt.failures_since_start) == ("oslo", "127.0.0.1", 1)
    assert "wrong" not in attempt.post_data  # the password is never stored


def test_five_wrong_passwords_pause_the_account_even_for_the_right_password(client):
    statuses = [fail(client).status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429]
    r = client.post(LOGIN, {"username": "oslo", "password": "icc-oslo"})
    assert r.status_code == 429 and "Signing in is paused" in r.content.decode()
    assert signed_in_as(client) is None


def test_the_pause_is_kept_in_the_database_for_every_client_and_login_path(client):
    for _ in range(5):
        fail(client)
    assert AccessAttempt.objects.get(username="oslo").failures_since_start == 5
    other = Client()  # another browser (another worker reads the same rows)
    assert logs_in(other) == 429
    assert logs_in(other, url=ADMIN_LOGIN) == 429
    assert signed_in_as(other) is None


def test_five_wrong_passwords_on_the_admin_login_pause_the_superuser(client):
    statuses = [fail(client, "secretariat", ADMIN_LOGIN).status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429]
    assert AccessAttempt.objects.get(username="secretariat").path_info == ADMIN_LOGIN
    assert logs_in(client, "secretariat", "icc-secretariat", ADMIN_LOGIN) == 429
    assert logs_in(Client(), "secretariat", "icc-secretariat", LOGIN) == 429
    assert signed_in_as(client) is None


def test_every_authenticate_call_counts_and_is_refused_when_paused(client):
    factory = RequestFactory()
    for _ in range(5):
        assert authenticate(factory.post("/elsewhere/"), username="oslo", password="wrong") is None
    assert logs_in(client) == 429
    assert authenticate(factory.post("/elsewhere/"), username="oslo", password="icc-oslo") is None


def test_unicode_equivalent_user_names_are_one_user_for_login_and_for_the_limit(client):
    assert logs_in(client, "ＯＳＬＯ") == 302 and signed_in_as(client) == "oslo"
    client.post("/accounts/logout/")
    for name in ("Oslo", "ｏｓｌｏ", "OSLO", "ｏsｌo"):
        fail(client, name)
    assert AccessAttempt.objects.get().username == "oslo"
    assert fail(client, "oslo").status_code == 429
    assert logs_in(client, "ＯＳＬＯ") == 429


def test_user_names_are_stored_in_their_one_form_whoever_makes_the_account(personas):
    from icc.web.accounts.models import User

    assert User.objects.create_user("ＡＮＮＡ", password="Anna-2026-ICC!").username == "anna"
    passwords = {"password1": "Marie-2026-ICC!", "password2": "Marie-2026-ICC!", "usable_password": "true"}
    inline = {"assignments-TOTAL_FORMS": "0", "assignments-INITIAL_FORMS": "0"}
    form = {"username": "Ｍarie", **passwords, **inline}
    assert personas["secretariat"].post("/admin/accounts/user/add/", form).status_code == 302
    assert User.objects.filter(username="marie").exists()
    again = {**form, "username": "MARIE"}
    assert "already exists" in personas["secretariat"].post("/admin/accounts/user/add/", again).content.decode()


def test_the_pause_ends_after_the_cool_off(client):
    for _ in range(5):
        fail(client)
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=14))
    assert logs_in(client) == 429
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=1, seconds=1))
    assert logs_in(client) == 302 and signed_in_as(client) == "oslo"
    assert not AccessAttempt.objects.exists()  # a successful login starts the count afresh


def test_failures_from_elsewhere_do_not_pause_the_user_here(client):
    for _ in range(5):
        fail(client, REMOTE_ADDR="203.0.113.9")
    assert logs_in(client, REMOTE_ADDR="203.0.113.9") == 429
    assert logs_in(client, REMOTE_ADDR="198.51.100.7") == 302


def test_twenty_failures_from_one_address_pause_it_whatever_the_user_names(client):
    statuses = [fail(client, f"guess-{i}", REMOTE_ADDR="203.0.113.20").status_code for i in range(20)]
    assert statuses == [200] * 19 + [429]
    assert logs_in(client, "bilbao", "icc-bilbao", REMOTE_ADDR="203.0.113.20") == 429
    assert logs_in(client, "bilbao", "icc-bilbao", ADMIN_LOGIN, REMOTE_ADDR="203.0.113.20") == 429
    assert logs_in(Client(), "bilbao", "icc-bilbao", REMOTE_ADDR="198.51.100.7") == 302


def test_the_pause_page_says_until_when_in_english_and_in_french(french):
    for _ in range(5):
        r = fail(Client())
    assert r.status_code == 429 and 880 <= int(r["Retry-After"]) <= 900
    page = r.content.decode()
    assert "For your protection, signing in is paused until" in page and "(in 15 minutes)" in page
    assert 'href="/accounts/password-reset/"' in page
    for _ in range(5):
        r = fail(french, "bilbao", REMOTE_ADDR="198.51.100.8")
    page = r.content.decode()
    assert r.status_code == 429
    assert "La connexion est suspendue" in page and "Trop de tentatives" in page and "(dans 15 minutes)" in page
    assert "Signing in" not in page


def test_behind_a_proxy_the_limits_count_the_address_it_saw_not_what_the_client_wrote(client, settings):
    settings.PROXY_COUNT = 1
    for i in range(5):
        fail(client, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=f"192.0.2.{i}, 203.0.113.7")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.7"}
    assert logs_in(client, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.7") == 429
    assert logs_in(client, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.7, 198.51.100.3") == 302


def test_addresses_of_one_ipv6_network_count_as_one(client):
    for i in range(5):
        fail(client, REMOTE_ADDR=f"2001:db8:1:2::{i + 1}")
    assert logs_in(client, REMOTE_ADDR="2001:db8:1:2:ffff::9") == 429
    assert logs_in(client, REMOTE_ADDR="2001:db8:1:3::1") == 302
