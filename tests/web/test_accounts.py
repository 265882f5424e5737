"""Invitations by the secretariat and password reset by e-mail."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from icc.web.accounts.models import CityAssignment, User
from icc.web.network.models import City

pytestmark = pytest.mark.django_db


def link_in(message) -> str:
    return re.search(r"http://testserver(/accounts/reset/\S+/)", message.body).group(1)


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
    assert client.login(username="anna.nowak@lublin.example", password="Lublin-2026-intercultural")


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
    assert client.login(username="bilbao", password="Bilbao-new-2026!")
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
