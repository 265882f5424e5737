"""Invitations by the secretariat and password reset by e-mail."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.utils import timezone

from icc.web.accounts.models import CityAssignment, User
from icc.web.network.models import City

pytestmark = pytest.mark.django_db

RESET = "/accounts/password-reset/"


def link_in(message) -> str:
    return re.search(r"http://testserver(/accounts/reset/\S+/)", message.body).group(1)


def logs_in(client, username: str, password: str) -> bool:
    """Through the login form, as a person does (every login is counted by the sign-in limits)."""
    return client.post("/accounts/login/", {"username": username, "password": password}).status_code == 302


def choose_password(client, link: str, password: str):
    page = client.get(link, follow=True)
    return client.post(page.redirect_chain[-1][0], {"new_password1": password, "new_password2": password})


def test_the_secretariat_invites_an_official_who_chooses_a_password(personas, client):
    lublin = City.objects.get(slug="lublin")
    r = personas["secretariat"].post(
        "/accounts/invite/",
        {
            "email": "Anna.Nowak@lublin.example",
            "first_name": "Anna",
            "last_name": "Nowak",
            "role": "official",
            "cities": [lublin.pk],
            "coordinator": "on",
            "language": "en",
        },
    )
    assert r.status_code == 302
    user = User.objects.get(username="anna.nowak@lublin.example")
    assert not user.has_usable_password()
    assert CityAssignment.objects.get(user=user).coordinator
    [message] = mail.outbox
    assert message.to == ["anna.nowak@lublin.example"] and "City official" in message.body
    page = client.get(link_in(message), follow=True)
    assert "Choose a password" in page.content.decode()
    done = client.post(
        page.redirect_chain[-1][0],
        {"new_password1": "Lublin-2026-intercultural", "new_password2": "Lublin-2026-intercultural"},
    )
    assert done.status_code == 302
    assert logs_in(client, "anna.nowak@lublin.example", "Lublin-2026-intercultural")


def test_an_invitation_form_says_what_is_missing(personas):
    r = personas["secretariat"].post(
        "/accounts/invite/", {"email": "oslo@demo.icc.invalid", "role": "expert", "coordinator": "on"}
    )
    page = r.content.decode()
    assert "Someone with this e-mail already has an account." in page
    assert "Choose the cities of this official or expert." in page
    assert "Only a city official can be a coordinator." in page
    assert not mail.outbox


def test_only_the_secretariat_invites(personas):
    assert personas["oslo"].get("/accounts/invite/").status_code == 403
    assert personas["expert"].post("/accounts/invite/", {"email": "x@y.z", "role": "secretariat"}).status_code == 403
    assert not User.objects.filter(username="x@y.z").exists()


def test_a_forgotten_password_is_reset_by_e_mail(client):
    r = client.post("/accounts/password-reset/", {"email": "bilbao@demo.icc.invalid"})
    assert r.status_code == 302
    [message] = mail.outbox
    page = client.get(link_in(message), follow=True)
    client.post(page.redirect_chain[-1][0], {"new_password1": "Bilbao-new-2026!", "new_password2": "Bilbao-new-2026!"})
    assert logs_in(client, "bilbao", "Bilbao-new-2026!")
    again = client.get(link_in(message), follow=True)  # the link works once
    assert "no longer valid" in again.content.decode()


def test_an_invitation_is_written_in_the_language_chosen_for_the_invitee(personas):
    lublin = City.objects.get(slug="lublin")
    data = {"email": "marie@lublin.example", "role": "expert", "cities": [lublin.pk], "language": "fr"}
    assert personas["secretariat"].post("/accounts/invite/", data).status_code == 302
    [message] = mail.outbox
    assert message.subject == "Votre compte Indice ICC" and "Expert" in message.body
    assert User.objects.get(username="marie@lublin.example").language == "fr"


def test_the_language_switch_is_remembered_for_the_next_log_in_and_for_e_mails(personas, client):
    from django.conf import settings

    personas["bilbao"].post("/i18n/setlang/", {"language": "fr", "next": "/"})
    assert User.objects.get(username="bilbao").language == "fr"
    r = client.post("/accounts/login/", {"username": "bilbao", "password": "icc-bilbao"})
    assert r.status_code == 302 and r.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert User.objects.get(username="bilbao").language == "en"


def test_someone_who_never_chose_a_language_keeps_the_one_they_sign_in_in(french):
    User.objects.filter(username="bilbao").update(language="")
    assert french.post("/accounts/login/", {"username": "bilbao", "password": "icc-bilbao"}).status_code == 302
    assert User.objects.get(username="bilbao").language == "fr"  # so their e-mails are French too


def test_the_language_chosen_before_logging_in_becomes_the_account_s_language(client):
    from django.conf import settings

    User.objects.filter(username="bilbao").update(language="en")
    client.post("/i18n/setlang/", {"language": "fr", "next": "/"})  # chosen on the login page, signed out
    r = client.post("/accounts/login/", {"username": "bilbao", "password": "icc-bilbao"})
    assert r.status_code == 302 and r.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    assert User.objects.get(username="bilbao").language == "fr"  # so e-mails agree with the pages
    assert '<html lang="fr">' in client.get("/accounts/me/").content.decode()


def test_the_admin_login_takes_the_language_chosen_in_the_browser_too(client):
    User.objects.filter(username="secretariat").update(language="fr")
    client.cookies.load({"django_language": "en"})
    client.post("/admin/login/", {"username": "secretariat", "password": "icc-secretariat"})
    assert User.objects.get(username="secretariat").language == "en"


def test_a_user_sees_and_changes_their_language_on_their_page(personas):
    User.objects.filter(username="bilbao").update(language="fr")
    page = personas["bilbao"].get("/accounts/me/").content.decode()
    assert 'action="/i18n/setlang/"' in page and '<option value="fr" lang="fr" selected>Français</option>' in page
    r = personas["bilbao"].post("/i18n/setlang/", {"language": "en", "next": "/accounts/me/"})
    assert r.status_code == 302 and r["Location"] == "/accounts/me/"
    assert User.objects.get(username="bilbao").language == "en"
    page = personas["bilbao"].get("/accounts/me/").content.decode()
    assert '<option value="en" lang="en" selected>English</option>' in page


def test_a_user_changes_their_password_from_their_page(personas):
    page = personas["bilbao"].get("/accounts/me/").content.decode()
    assert 'href="/accounts/password/"' in page and "Manage editions" not in page
    r = personas["bilbao"].post(
        "/accounts/password/",
        {"old_password": "wrong", "new_password1": "Bilbao-2027-ria!", "new_password2": "Bilbao-2027-ria!"},
    )
    assert r.status_code == 200 and "error" in r.content.decode()
    r = personas["bilbao"].post(
        "/accounts/password/",
        {"old_password": "icc-bilbao", "new_password1": "Bilbao-2027-ria!", "new_password2": "Bilbao-2027-ria!"},
        follow=True,
    )
    assert "Your password was changed." in r.content.decode()
    assert User.objects.get(username="bilbao").check_password("Bilbao-2027-ria!")


def test_the_secretariat_finds_its_tools_on_its_page(personas):
    page = personas["secretariat"].get("/accounts/me/").content.decode()
    for url in ("/responses/editions/", "/accounts/invite/", "/responses/audit.csv", "/admin/"):
        assert f'href="{url}"' in page


def invite_lublin(personas, email: str = "anna@lublin.example", cities: list[int] | None = None) -> User:
    lublin = City.objects.get(slug="lublin")
    data = {"email": email, "role": "official", "cities": cities or [lublin.pk], "language": "en"}
    assert personas["secretariat"].post("/accounts/invite/", data).status_code == 302
    return User.objects.get(username=email)


def test_an_invitation_not_yet_accepted_is_listed_with_its_link_s_state(personas):
    user = invite_lublin(personas)
    page = personas["secretariat"].get("/accounts/invite/").content.decode()
    assert "anna@lublin.example" in page and "works until" in page and "Lublin" in page
    User.objects.filter(pk=user.pk).update(invited_at=timezone.now() - timedelta(days=4))
    page = personas["secretariat"].get("/accounts/invite/").content.decode()
    assert "expired" in page and f'action="/accounts/invite/{user.pk}/again/"' in page
    assert "oslo@demo.icc.invalid" not in page  # who has a password is not pending


def test_the_invitation_list_writes_dates_in_the_page_language_with_the_time_zone(personas):
    from datetime import UTC, datetime

    user = invite_lublin(personas)
    User.objects.filter(pk=user.pk).update(invited_at=datetime(2030, 1, 10, 2, 24, tzinfo=UTC))
    c = personas["secretariat"]
    page = html.unescape(c.get("/accounts/invite/").content.decode())
    assert "works until Jan. 13, 2030, 3:24 a.m. CET" in page  # three days later, in Paris time, named
    c.cookies.load({"django_language": "fr"})
    page = html.unescape(c.get("/accounts/invite/").content.decode())
    assert "13 janvier 2030 03:24 CET" in page and "01/13/2030" not in page


def test_the_secretariat_sends_an_expired_invitation_again_and_only_the_new_link_works(personas, client):
    user = invite_lublin(personas)
    old_link = link_in(mail.outbox[0])
    User.objects.filter(pk=user.pk).update(invited_at=timezone.now() - timedelta(days=4))
    r = personas["secretariat"].post(f"/accounts/invite/{user.pk}/again/", follow=True)
    assert "A new invitation link was sent to anna@lublin.example" in r.content.decode()
    assert len(mail.outbox) == 2 and mail.outbox[1].to == ["anna@lublin.example"]
    new_link = link_in(mail.outbox[1])
    assert new_link != old_link
    assert User.objects.get(pk=user.pk).invited_at > timezone.now() - timedelta(minutes=1)
    assert "no longer valid" in client.get(old_link, follow=True).content.decode()
    assert choose_password(client, new_link, "Lublin-2026-again!").status_code == 302
    assert logs_in(Client(), "anna@lublin.example", "Lublin-2026-again!")


def audit_rows(personas) -> list[dict]:
    import csv
    import io

    r = personas["secretariat"].get("/responses/audit.csv")
    return list(csv.DictReader(io.StringIO(b"".join(r.streaming_content).decode())))


def test_inviting_someone_and_sending_it_again_are_in_the_audit_log(personas):
    user = invite_lublin(personas)
    personas["secretariat"].post(f"/accounts/invite/{user.pk}/again/")
    rows = [r for r in audit_rows(personas) if r["field"].startswith("user_invited")]
    assert [(r["user"], r["field"], r["new"]) for r in rows] == [
        ("secretariat", "user_invited", "anna@lublin.example (official; cities: lublin; language: en)"),
        ("secretariat", "user_invited_again", "anna@lublin.example (official; cities: lublin; language: en)"),
    ]


def test_the_invitation_form_ticks_cities_named_in_the_page_language(personas):
    c = personas["secretariat"]
    c.cookies.load({"django_language": "fr"})
    pompei = City.objects.get(slug="pompei")
    invite_lublin(personas, cities=[pompei.pk])
    text = html.unescape(c.get("/accounts/invite/").content.decode())
    form, pending = text.split('id="pending"')
    assert f'type="checkbox" name="cities" value="{pompei.pk}"' in form and "Pompéi</label>" in form
    assert "Mexico</label>" in form and "Mexico city" not in form
    assert "Ctrl" not in form and '<select name="cities"' not in form  # no hold-Ctrl multi-select (phones)
    assert "Pompéi" in pending and "Pompei" not in pending


def test_only_the_secretariat_sends_an_invitation_again_and_only_to_someone_without_a_password(personas):
    user = invite_lublin(personas)
    assert personas["oslo"].post(f"/accounts/invite/{user.pk}/again/").status_code == 403
    assert personas["secretariat"].get(f"/accounts/invite/{user.pk}/again/").status_code == 405
    oslo = User.objects.get(username="oslo")
    assert personas["secretariat"].post(f"/accounts/invite/{oslo.pk}/again/").status_code == 404
    assert User.objects.get(username="oslo").has_usable_password()
    assert len(mail.outbox) == 1


# --- limits on password reset e-mails -------------------------------------------------------------------------------


def reset(email: str, address: str = "127.0.0.1"):
    return Client().post(RESET, {"email": email}, REMOTE_ADDR=address)


def test_password_reset_sends_at_most_three_e_mails_an_hour_to_one_address():
    answers = [reset("bilbao@demo.icc.invalid", f"198.51.100.{i}") for i in range(1, 6)]
    assert len(mail.outbox) == 3 and {m.to[0] for m in mail.outbox} == {"bilbao@demo.icc.invalid"}
    assert {(r.status_code, r["Location"]) for r in answers} == {(302, "/accounts/password-reset/sent/")}
    assert len(reset("BILBAO@demo.icc.invalid", "198.51.100.9").url) and len(mail.outbox) == 3  # the same address
    reset("oslo@demo.icc.invalid", "198.51.100.9")
    assert len(mail.outbox) == 4  # another e-mail address is not held back


def test_password_reset_answers_at_most_five_requests_an_hour_from_one_client_address():
    for i in range(5):
        reset(f"nobody-{i}@nowhere.invalid", "203.0.113.5")  # counted alike for addresses without an account
    r = reset("bilbao@demo.icc.invalid", "203.0.113.5")
    assert r.status_code == 302 and r["Location"] == "/accounts/password-reset/sent/" and not mail.outbox
    reset("bilbao@demo.icc.invalid", "203.0.113.6")
    assert len(mail.outbox) == 1


def test_password_reset_counts_are_kept_in_the_shared_database_cache():
    reset("bilbao@demo.icc.invalid")
    cache = caches["rate-limits"]
    assert cache.__class__.__name__ == "AtomicDatabaseCache"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(cache._table)}")
        assert cursor.fetchone()[0] == 2  # one count per client address, one per e-mail address


def test_the_password_reset_page_says_how_many_links_are_sent(french):
    r = french.post(RESET, {"email": "bilbao@demo.icc.invalid"}, follow=True)
    assert "Au plus 3 liens par heure sont envoyés à une même adresse." in r.content.decode()
