"""What every page needs around its content: an icon, the API's address, and an admin site in the user's language."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/api/", "/api/v1/"])
def test_the_api_root_leads_to_the_api_docs(client, path):
    r = client.get(path)
    assert r.status_code == 302 and r["Location"] == "/api/v1/docs"
    assert client.get(r["Location"]).status_code == 200


def test_every_page_links_an_icon_that_exists(client, personas):
    from django.contrib.staticfiles import finders

    assert finders.find("icc/favicon.svg")
    link = '<link rel="icon" href="/static/icc/favicon.svg" type="image/svg+xml">'
    assert link in client.get("/").content.decode()
    assert link in personas["secretariat"].get("/admin/").content.decode()


def test_the_admin_names_apps_models_and_columns_in_french(personas):
    from icc.web.accounts.models import User

    User.objects.filter(username="secretariat").update(is_staff=True, is_superuser=True)
    admin = personas["secretariat"]
    admin.cookies.load({"django_language": "fr"})
    index = admin.get("/admin/").content.decode()
    assert ">Réseau<" in index and ">Comptes<" in index and ">Éditions<" in index and ">Villes<" in index
    assert ">Network<" not in index and ">Cities<" not in index and ">Frameworks<" not in index
    editions = admin.get("/admin/network/edition/").content.decode()
    assert "Année" in editions and "Référentiel" in editions and ">Year<" not in editions
