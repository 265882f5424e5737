"""A city's page: which edition it shows, how its ranks read, and what a city outside the member list gets."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime

import pytest

from icc.engine import INDEX_CORE
from icc.web.network.models import Edition
from icc.web.results.models import PublicDataVersion, Score

pytestmark = pytest.mark.django_db


@pytest.fixture
def released_with_one_city(oslo_published_2026):
    """The demo's open 2026 edition released by the secretariat with one city published (Oslo) of 121."""
    Edition.objects.filter(year=2026).update(results_released_at=datetime(2026, 3, 2, tzinfo=UTC))
    PublicDataVersion.bump()  # .update() sends no signal; the secretariat's action saves the edition
    return Edition.objects.get(year=2026)


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


def test_a_city_page_shows_the_newest_released_edition_with_its_results_and_says_a_newer_one_has_none(
    client, released_with_one_city
):
    r = client.get("/cities/lublin/")
    text = _text(r)
    assert r.status_code == 200
    assert "Lublin has no published results" not in text
    assert "In 2025, " in text and 'option value="2025" selected' in r.content.decode()
    assert (
        "Showing 2025, the newest edition with published results of Lublin. The newer edition 2026 has no "
        "published results of Lublin yet." in text
    )


def test_a_city_page_of_a_city_in_the_newest_edition_shows_it_without_a_note(client, released_with_one_city):
    text = _text(client.get("/cities/oslo/"))
    assert "In 2026, 1st of 1 city" in text and "Showing 2025" not in text


def test_a_city_page_shows_the_edition_asked_for_and_where_the_city_has_results(client, released_with_one_city):
    r = client.get("/cities/lublin/?edition=2026")
    assert r.status_code == 200
    assert "Lublin has no published results for 2026. See its results of 2025, its newest edition with results." in (
        _text(r)
    )
    assert 'href="/cities/lublin/?edition=2025"' in r.content.decode()
    assert "Showing 2025" not in _text(r)


def test_a_city_page_note_speaks_french(french, released_with_one_city):
    text = _text(french.get("/cities/lublin/"))
    assert "Affichage de 2025, la plus récente édition avec des résultats publiés de Lublin." in text


def test_the_home_page_says_when_the_newest_edition_has_fewer_cities_than_the_one_before(
    client, released_with_one_city
):
    r = client.get("/")
    text = _text(r)
    assert "The 1 city with published results, 2026" in text  # the sample of the table, stated
    assert "Only 1 city has published results for 2026, the newest released edition, so far; 2025 has results of " in (
        text
    )
    assert 'href="/cities/?edition=2025"' in r.content.decode()
    assert "Only 1 city" not in _text(client.get("/cities/oslo/"))


def test_the_home_page_says_nothing_of_the_kind_when_the_newest_edition_is_complete(client):
    assert "newest released edition, so far" not in _text(client.get("/"))


def test_the_city_facts_write_a_percentage_as_every_english_page_does(client, french):
    import re

    from django.test import Client

    english = Client().get("/cities/oslo/?edition=2025").content.decode()
    facts = english[english.index('class="facts"') : english.index("</dl>")]
    assert re.search(r"\d\.\d%", facts) and not re.search(r"\d %", facts)
    page = french.get("/cities/oslo/?edition=2025").content.decode()
    facts = page[page.index('class="facts"') : page.index("</dl>")]
    assert re.search(r"\d,\d %", facts)
