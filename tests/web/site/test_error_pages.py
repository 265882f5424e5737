"""Error pages (404, 403, 429, 500) are the site's pages, in the visitor's language, with a way back."""

from __future__ import annotations

import html

import pytest
from django.test import Client, RequestFactory
from django.utils import translation
from django.utils.translation import gettext as _

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return html.unescape(response.content.decode())


def french_client() -> Client:
    c = Client()
    c.cookies.load({"django_language": "fr"})
    return c


def test_an_unknown_address_gets_the_sites_404_page_with_a_way_back(client):
    r = client.get("/nowhere/at/all/")
    page = text(r)
    assert r.status_code == 404
    assert "Page not found" in page and "There is no page at /nowhere/at/all/." in page
    assert 'href="/cities/"' in page and 'href="/explore/"' in page
    assert "Intercultural Cities Index" in page and 'lang="en"' in page  # the site's layout


def test_the_404_page_speaks_french(client):
    r = french_client().get("/nowhere/")
    page = text(r)
    assert r.status_code == 404 and 'lang="fr"' in page
    assert "Page introuvable" in page and "Il n'y a pas de page à l'adresse /nowhere/." in page
    assert "Le réseau en un coup d'œil" in page
    page = text(french_client().get("/cities/atlantis/"))
    assert "Page introuvable" in page and "matches the given query" not in page


def test_the_404_page_gives_the_reason_in_the_page_language(rf):
    from django.http import Http404
    from django.views.defaults import page_not_found

    with translation.override("fr"):
        page = text(page_not_found(rf.get("/x/"), Http404(_("No such response"))))
    assert "Aucune réponse de ce numéro" in page


def test_a_refusal_shows_its_reason_in_the_page_language_inside_the_layout(personas):
    r = personas["oslo"].get("/responses/editions/")
    assert r.status_code == 403
    page = text(r)
    assert "Not allowed" in page and "Secretariat only" in page and "You are logged in as oslo." in page
    assert 'href="/responses/"' in page
    personas["oslo"].cookies.load({"django_language": "fr"})
    page = text(personas["oslo"].get("/responses/editions/"))
    assert "Non autorisé" in page and "Réservé au secrétariat" in page and "Secretariat only" not in page
    assert "Retour à vos questionnaires" in page


def test_the_server_error_page_is_the_sites_page_in_both_languages():
    from django.views.defaults import server_error

    request = RequestFactory().get("/")
    with translation.override("en"):
        r = server_error(request)
    assert r.status_code == 500
    page = text(r)
    assert "Something went wrong on our side" in page and 'href="/"' in page and 'href="/methodology/"' in page
    with translation.override("fr"):
        page = text(server_error(request))
    assert "Une erreur s'est produite de notre côté" in page and "Retour à la page d'accueil" in page


urlpatterns: list = []  # a site with no pages: the 500 page must still render


def test_the_server_error_page_needs_nothing_that_could_fail_again(settings):
    from django.views.defaults import server_error

    settings.ROOT_URLCONF = __name__
    with translation.override("en"):
        r = server_error(RequestFactory().get("/"))
    assert r.status_code == 500 and "Something went wrong on our side" in text(r)


def test_the_too_many_requests_page_says_how_long_to_wait_in_french(settings):
    from icc.web.results.caching import too_many_requests

    request = RequestFactory().get("/explore/download.csv")
    with translation.override("fr"):
        r = too_many_requests(request, 30, 60, 42)
    page = text(r)
    assert r.status_code == 429 and r["Retry-After"] == "42"
    assert "Trop de demandes" in page and "au plus 30 de ce type par minute" in page and "42 secondes" in page
    assert 'href="/"' in page
