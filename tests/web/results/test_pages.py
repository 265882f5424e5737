"""The first public pages, in English and French."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


def test_the_home_page_shows_the_network_at_a_glance(client):
    page = client.get("/").content.decode()
    assert "121" in page and "member cities" in page
    assert "Top 10 of 121 cities, 2025" in page
    assert "Demo data" in page
    assert "Commitment" in page and "Anti-discrimination" in page


def test_the_home_page_speaks_french(french):
    page = french.get("/").content.decode()
    assert "villes membres" in page
    assert "Engagement" in page  # area names come from the framework's French texts
    assert 'lang="fr"' in page


def test_switching_language_keeps_the_page(client):
    r = client.post("/i18n/setlang/", {"language": "fr", "next": "/cities/?edition=2019"})
    assert r.status_code == 302 and r["Location"] == "/cities/?edition=2019"
    assert "Villes membres" in client.get("/cities/?edition=2019").content.decode()


def test_the_city_list_ranks_every_city(client):
    r = client.get("/cities/?edition=2025")
    page = r.content.decode()
    assert page.count('href="/cities/') >= 121
    assert "/121" in page


def test_the_city_list_filters_by_country(client):
    page = client.get("/cities/?edition=2025&country=NO").content.decode()
    assert "Oslo" in page and "Bergen" in page and "Bilbao" not in page


def test_a_city_page_compares_areas_with_the_peer_group(client):
    page = client.get("/cities/oslo/?edition=2025").content.decode()
    assert "Area scores against the peer group" in page
    assert "Public space" in page  # a lens sub-area
    assert "Peer group average" in page
    assert "of 121 cities" in page
    assert "icc-2019" in page


def test_a_city_page_shows_published_results_with_their_source(client):
    page = client.get("/cities/bilbao/").content.decode()
    assert "21st among the 56 cities" in page
    assert "http://www.coe.int/t/dg4/cultureheritage/culture/Cities/Newsletter/newsletter30/bilbao_en.asp" in page


def test_an_unknown_city_is_not_found_and_an_edition_without_results_is_a_bad_request(client):
    assert client.get("/cities/atlantis/").status_code == 404
    r = client.get("/cities/oslo/?edition=1800")
    assert r.status_code == 400  # as the explorer and the city list answer the same address
    assert '<div class="error" role="alert">' in r.content.decode() and "Edition 1800" in r.content.decode()


def test_a_city_page_in_french_uses_french_ordinals(french):
    page = french.get("/cities/oslo/?edition=2025").content.decode()
    assert "Scores par domaine" in page
    assert " sur 121 villes" in page


def test_country_names_follow_the_page_language(french):
    page = french.get("/cities/?edition=2025&country=NO").content.decode()
    assert "Norvège" in page and ">Norway<" not in page


def test_a_city_page_names_its_weak_areas_and_the_peers_to_learn_from(client):
    from icc.web.results.models import Score

    page = client.get("/cities/bilbao/?edition=2025").content.decode()
    assert "Strongest areas" in page and "Weakest areas, and who to learn from" in page
    weakest = (
        Score.objects.filter(city__slug="bilbao", edition__year=2025, level__in=["area", "subarea"])
        .exclude(item="lens")
        .order_by("score")
        .first()
    )
    better = (
        Score.objects.filter(edition__year=2025, item=weakest.item, score__gt=weakest.score)
        .order_by("-score")
        .values_list("city__slug", flat=True)
    )
    assert any(f'href="/cities/{slug}/?edition=2025"' in page for slug in better)


def test_a_city_page_links_its_scores_as_csv_and_its_method(client):
    import io

    import pandas as pd

    page = client.get("/cities/bilbao/?edition=2022").content.decode()
    assert 'href="/methodology/"' in page
    link = "/api/v1/scores.csv?city=bilbao&amp;edition=2022"
    assert link in page
    df = pd.read_csv(io.StringIO(client.get(link.replace("&amp;", "&")).content.decode()), comment="#")
    assert set(df["city"]) == {"bilbao"} and set(df["edition"]) == {2022}


def test_a_city_page_in_french_names_the_published_index_in_french(french):
    page = french.get("/cities/bilbao/").content.decode()
    assert ">aggregate<" not in page and "<td>Indice (tous domaines confondus)</td>" in page
    assert '<td lang="en">21st among the 56 cities' in page  # quoted as published, marked as English
    assert "tels que leurs sources les donnent, en anglais" in page


def test_a_city_page_links_json_that_holds_every_row_of_its_edition(client):
    import re

    page = client.get("/cities/oslo/?edition=2025").content.decode()
    link = re.search(r'href="(/api/v1/scores\?[^"]+)">2025 \(JSON\)', page).group(1).replace("&amp;", "&")
    data = client.get(link).json()
    from icc.web.results.models import Score

    assert data["count"] == len(data["items"]) == Score.objects.filter(city__slug="oslo", edition__year=2025).count()


def test_every_page_footer_names_the_package_version(client):
    import icc

    assert f"version {icc.__version__}" in client.get("/").content.decode()


def test_percentages_are_shown_rounded_as_they_are_ranked():
    """Display and ranks use one rounding (icc.engine.published): half away from zero, so 76.25 shows 76.3."""
    from icc.engine import published
    from icc.web.network.templatetags.icc import pct

    for score in (76.25, 52.95, 0.05, 99.95, 12.3449):
        assert pct(score) == f"{published(score):.1f}%"
    assert pct(76.25) == "76.3%"


def test_the_home_page_counts_only_the_historical_results_on_city_pages_and_says_where_the_others_are(client):
    from icc.web.results.models import PublishedResult

    on_pages = PublishedResult.objects.filter(city__is_member=True).count()
    elsewhere = PublishedResult.objects.exclude(city__is_member=True).count()
    assert on_pages and elsewhere  # the shipped file holds both kinds
    page = client.get("/").content.decode()
    assert f"{on_pages} historical published results are kept" in page
    assert f"{elsewhere} more, of cities outside the member list" in page and "/api/v1/published-results" in page


def test_the_home_page_separates_its_sentences_on_historical_results(client):
    text = " ".join(re.sub(r"<[^>]+>", " ", client.get("/").content.decode()).split())
    assert re.search(r"kept with their sources on the city pages\. \d+ more, of cities outside the member list", text)
