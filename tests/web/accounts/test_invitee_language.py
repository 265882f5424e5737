"""The pages an invitation or a password-reset link opens speak the language of the person it was sent to."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client

from icc.web.accounts.models import User
from icc.web.network.models import City

pytestmark = pytest.mark.django_db


def link_in(message) -> str:
    return re.search(r"http://testserver(/accounts/reset/\S+/)", message.body).group(1)


def title_of(page) -> str:
    return re.search(r"<title>(.*?)</title>", page.content.decode(), re.S).group(1).strip()


def test_a_french_invitee_chooses_a_password_on_french_pages_and_keeps_french(personas):
    oslo = City.objects.get(slug="oslo")
    data = {"email": "kari@oslo.example", "role": "official", "cities": [oslo.pk], "language": "fr"}
    assert personas["secretariat"].post("/accounts/invite/", data).status_code == 302  # the secretariat reads English
    [invitation] = mail.outbox
    assert invitation.subject == "Votre compte Indice ICC"

    invitee = Client()  # a browser that never came here: no language cookie, no Accept-Language
    page = invitee.get(link_in(invitation), follow=True)
    form_url = page.redirect_chain[-1][0]
    text = page.content.decode()
    assert '<html lang="fr"' in text and "Choisir un mot de passe" in text and "Le même, à nouveau" in text
    assert title_of(page).startswith("Choisir un mot de passe ·")
    assert "Choose a password" not in text

    short = invitee.post(form_url, {"new_password1": "kq7!", "new_password2": "kq7!"})
    assert short.status_code == 200
    assert "Ce mot de passe est trop court" in short.content.decode()
    assert "too short" not in short.content.decode()

    done = invitee.post(form_url, {"new_password1": "fjord-ferry-7391", "new_password2": "fjord-ferry-7391"})
    assert done.status_code == 302
    assert done.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    saved = invitee.get(done["Location"])
    assert "Mot de passe enregistré" in saved.content.decode() and title_of(saved).startswith("Mot de passe enregistré")
    login = invitee.get("/accounts/login/").content.decode()
    assert '<html lang="fr"' in login
    assert User.objects.get(username="kari@oslo.example").check_password("fjord-ferry-7391")


def test_a_french_user_s_password_reset_e_mail_and_pages_are_french():
    User.objects.filter(username="bilbao").update(language="fr")
    browser = Client(HTTP_ACCEPT_LANGUAGE="en")  # asked from an English page
    assert browser.post("/accounts/password-reset/", {"email": "bilbao@demo.icc.invalid"}).status_code == 302
    [message] = mail.outbox
    assert message.subject == "Indice ICC : choisissez un nouveau mot de passe"
    assert "Quelqu'un a demandé la réinitialisation du mot de passe" in message.body
    page = browser.get(link_in(message), follow=True)
    assert "Choisir un mot de passe" in page.content.decode()
    common = browser.post(page.redirect_chain[-1][0], {"new_password1": "password1", "new_password2": "password1"})
    assert "Ce mot de passe est trop courant" in common.content.decode()


def test_a_reset_link_for_someone_without_a_language_speaks_the_language_of_the_browser():
    User.objects.filter(username="bilbao").update(language="")
    browser = Client(HTTP_ACCEPT_LANGUAGE="en")
    browser.post("/accounts/password-reset/", {"email": "bilbao@demo.icc.invalid"})
    [message] = mail.outbox
    assert message.subject == "ICC Index: choose a new password"
    french_browser = Client(HTTP_ACCEPT_LANGUAGE="fr")
    assert "Choisir un mot de passe" in french_browser.get(link_in(message), follow=True).content.decode()
