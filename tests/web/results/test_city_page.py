"""A city's page: which edition it shows, how its ranks read, and what a city outside the member list gets."""

from __future__ import annotations

import html
import re

import pytest

from icc.engine import INDEX_CORE
from icc.web.results.models import Score

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def test_a_group_rank_says_how_many_cities_it_is_out_of(client):
    oslo = Score.objects.get(city__slug="oslo", edition__year=2025, item=INDEX_CORE)
    in_band = Score.objects.filter(
        edition__year=2025, item=INDEX_CORE, score__isnull=False, size_group=oslo.size_group
    ).count()
    same_share = Score.objects.filter(
        edition__year=2025, item=INDEX_CORE, score__isnull=False, diversity_group=oslo.diversity_group
    ).count()
    both = Score.objects.filter(
        edition__year=2025, item=INDEX_CORE, score__isnull=False, combined_group=oslo.combined_group
    ).count()
    from icc.web.network.templatetags.icc import nth

    text = _text(client.get("/cities/oslo/?edition=2025"))
    assert f"{nth(oslo.rank_size)} of {in_band} cities of 500,000 inhabitants or more" in text
    assert f"{nth(oslo.rank_diversity)} of {same_share} cities with 20% or more foreign-born residents" in text
    assert f"{nth(oslo.rank_combined)} of {both} cities of similar size and diversity" in text
    assert 1 < both <= in_band < 121


def test_a_group_rank_says_how_many_cities_it_is_out_of_in_french(french):
    oslo = Score.objects.get(city__slug="oslo", edition__year=2025, item=INDEX_CORE)
    in_band = Score.objects.filter(edition__year=2025, item=INDEX_CORE, size_group=oslo.size_group).count()
    text = _text(french.get("/cities/oslo/?edition=2025"))
    assert f"{oslo.rank_size}e sur {in_band} villes de 500 000 habitants ou plus" in text


def test_a_city_outside_the_member_list_gets_a_404_that_says_so_and_links_to_its_published_results(client):
    r = client.get("/cities/ansan/")
    page = html.unescape(r.content.decode())
    assert r.status_code == 404
    assert "Ansan is not a member of the Intercultural Cities network, so it has no city page." in _text(r)
    assert 'href="/cities/#published-elsewhere"' in page
    link = re.search(r'href="(/api/v1/published-results\?city=ansan)"', page).group(1)
    rows = client.get(link).json()["items"]
    assert rows and {row["city_name"] for row in rows} == {"Ansan"}
    assert 'id="published-elsewhere"' in client.get("/cities/").content.decode()


def test_the_open_data_finds_a_city_outside_the_members_by_the_slug_of_its_name(client):
    r = client.get("/cities/guro-gu-seoul/")
    assert r.status_code == 404 and "Guro-gu (Seoul) is not a member" in _text(r)
    rows = client.get("/api/v1/published-results?city=guro-gu-seoul").json()["items"]
    assert rows and {row["city_name"] for row in rows} == {"Guro-gu (Seoul)"}


def test_an_address_of_no_city_at_all_is_a_plain_404_that_says_so(client):
    r = client.get("/cities/atlantis/")
    assert r.status_code == 404 and "No member city has this address." in _text(r)
    assert "is not a member" not in _text(r)


def test_the_404_of_a_city_outside_the_member_list_speaks_french(french):
    r = french.get("/cities/ansan/")
    assert r.status_code == 404 and "Ansan n'est pas membre du réseau des cités interculturelles" in _text(r)
