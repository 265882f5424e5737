"""Hostile addresses: every explorer, embed, download, city and Facts & Figures URL, with every parameter given
values that are huge, not a number, negative, empty, very long, in other scripts or repeated, answers with a
4xx that says what is wrong (or the page, when the value is harmless) and never with a server error."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

pytestmark = pytest.mark.django_db

EXPLORER_PARAMETERS = [
    "chart",
    "edition",
    "item",
    "size",
    "diversity",
    "country",
    "pop_min",
    "pop_max",
    "peers_of",
    "city",
    "cities",
    "x",
    "basis",
]
HOSTILE = [
    "9" * 400,  # a 400-digit integer
    "1e309",  # a float that overflows to infinity
    "-1e309",
    "nan",
    "inf",
    "-1",
    "",
    " ",
    "x" * 5000,
    "Ωmega-∞",
    "١٢٣",  # Arabic-Indic digits: int() and float() accept them
    "🏙️",
    "oslo,oslo,oslo",
    "<script>alert(1)</script>",
    "1.5",
    "0x10",
]
CHARTS = ["ranking", "city", "progress", "scatter", "core-extended"]
EXPLORER_URLS = ["/explore/", "/explore/embed/", "/explore/download.csv", "/explore/download.xlsx"]


def _query(chart: str, name: str, value: str) -> str:
    params = [("chart", chart)] if name != "chart" else []
    return urlencode([*params, (name, value)])


@pytest.mark.parametrize("url", EXPLORER_URLS)
@pytest.mark.parametrize("name", EXPLORER_PARAMETERS)
def test_no_hostile_value_of_any_explorer_parameter_is_a_server_error(client, url, name):
    for i, value in enumerate(HOSTILE):
        chart = CHARTS[i % len(CHARTS)]
        r = client.get(f"{url}?{_query(chart, name, value)}")
        assert r.status_code < 500, (url, name, value[:20], chart)
        if r.status_code == 400:
            assert name.split("_")[0] in r.content.decode() or name == "cities", (url, name, value[:20])


@pytest.mark.parametrize("fmt", ["svg", "png"])
@pytest.mark.parametrize("name", ["pop_min", "pop_max", "edition", "item", "city", "basis"])
def test_no_hostile_value_breaks_the_chart_images(client, fmt, name):
    for value in ("9" * 400, "1e309", "99999999999999999999999", "nan", "-1", "x" * 5000, "١٢٣"):
        r = client.get(f"/explore/download.{fmt}?{_query('progress', name, value)}")
        assert r.status_code < 500, (fmt, name, value[:20])


@pytest.mark.parametrize("url", EXPLORER_URLS + ["/explore/download.png"])
def test_repeated_parameters_are_no_server_error(client, url):
    r = client.get(f"{url}?chart=ranking&chart=pie&pop_min=1&pop_min=1e309&cities=oslo&cities=atlantis&x=1&x=2")
    assert r.status_code == 400
    assert "pop_min" in r.content.decode() and "atlantis" in r.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        "pop_min=1e309",
        "pop_max=1e309",
        "pop_min=99999999999999999999999",
        "pop_max=nan",
        "pop_min=inf",
        "pop_min=-1",
        "pop_max=ten",
    ],
)
@pytest.mark.parametrize("url", EXPLORER_URLS + ["/explore/download.svg", "/explore/download.png"])
def test_an_impossible_population_bound_is_a_400_that_names_it(client, url, query):
    r = client.get(f"{url}?chart=scatter&x=population&{query}")
    assert r.status_code == 400
    name = query.split("=")[0]
    text = r.content.decode()
    assert name in text and ("whole number" in text or "out of range" in text)
    if url == "/explore/":
        assert 'id="chart"' in text  # the page still draws the view without the bad bound


@pytest.mark.parametrize(
    "query, message",
    [
        ("size=bogus", "size=&#x27;bogus&#x27; is not a band of framework icc-2019"),
        ("diversity=bogus", "diversity=&#x27;bogus&#x27; is not a band"),
        ("city=nowhere", "city=&#x27;nowhere&#x27; is not a member city"),
        ("peers_of=nowhere", "peers_of=&#x27;nowhere&#x27; is not a member city"),
        ("item=bogus", "bogus is not an area of framework icc-2019"),
        ("edition=1900", "Edition 1900 has no published results; showing 2025."),
        ("edition=99999", "edition=99999 is out of range"),
    ],
)
def test_unknown_explorer_values_are_reported_on_the_page_with_a_400(client, query, message):
    r = client.get(f"/explore/?{query}")
    assert r.status_code == 400 and message in r.content.decode()
    assert 'id="chart"' in r.content.decode()  # the view without the unknown value


def test_unknown_explorer_values_are_reported_in_french(french):
    page = french.get("/explore/?size=bogus&city=nowhere&pop_min=1e309").content.decode()
    assert "n&#x27;est pas une tranche du référentiel icc-2019" in page
    assert "city=&#x27;nowhere&#x27; n&#x27;est pas une ville membre" in page
    assert "pop_min=&#x27;1e309&#x27; n&#x27;est pas un nombre entier" in page


UNMAPPED = ["anti-discrimination", "participation", "interaction", "index_extended"]


@pytest.mark.parametrize("item", UNMAPPED)
@pytest.mark.parametrize(
    "url",
    [
        "/explore/",
        "/explore/embed/",
        "/explore/download.csv",
        "/explore/download.xlsx",
        "/explore/download.svg",
        "/explore/download.png",
    ],
)
def test_comparable_progress_of_an_area_without_mapped_questions_is_a_400_that_says_why(client, url, item):
    r = client.get(f"{url}?chart=progress&cities=oslo,bilbao&basis=comparable&item={item}")
    assert r.status_code == 400
    assert "cannot be compared across frameworks" in r.content.decode()
    if url in ("/explore/", "/explore/embed/"):
        assert 'id="chart"' in r.content.decode()  # drawn as each edition was published instead
    else:
        assert "basis=stored" in r.content.decode()  # the address of the view that works


def test_a_city_without_scores_is_a_404_that_names_it(client):
    from icc.web.results.models import Score

    Score.objects.filter(city__slug="lublin", edition__year=2022).delete()
    for url in ("/explore/embed/", "/explore/download.png", "/explore/download.csv"):
        r = client.get(f"{url}?chart=city&city=lublin&edition=2022")
        assert r.status_code == 404, url
        assert "Lublin has no published results for 2022." in r.content.decode()
    page = client.get("/explore/?chart=city&city=lublin&edition=2022")
    assert page.status_code == 200 and "Lublin has no published results for 2022." in page.content.decode()


def test_filters_that_match_no_city_say_so(client):
    r = client.get("/explore/embed/?pop_min=99999999")
    assert r.status_code == 404 and "No city has published results matching these filters." in r.content.decode()
    assert client.get("/explore/download.csv?pop_min=99999999").status_code == 404


@pytest.mark.parametrize("name", ["edition", "country"])
def test_no_hostile_value_of_the_city_pages_is_a_server_error(client, name):
    for value in HOSTILE:
        for url in ("/cities/", "/cities/oslo/", "/"):
            r = client.get(f"{url}?{urlencode({name: value})}")
            assert r.status_code < 500, (url, name, value[:20])


def test_the_city_pages_report_an_unknown_edition_or_country(client):
    r = client.get("/cities/?edition=abc&country=zz")
    assert r.status_code == 400
    assert "Edition abc has no published results; showing 2025." in r.content.decode()
    assert "country=&#x27;ZZ&#x27; has no member city" in r.content.decode()
    r = client.get("/cities/oslo/?edition=1999")
    assert r.status_code == 400 and "Edition 1999 has no published results; showing 2025." in r.content.decode()
    assert "Editions with results: 2025, 2022, 2019, 2015, 2012." in r.content.decode()


@pytest.mark.parametrize(
    "path", ["/facts/download/map.PNG", "/facts/download/map.gif", "/facts/download/" + "x" * 300 + ".csv"]
)
def test_facts_downloads_refuse_unknown_charts_and_formats_with_a_404(client, path):
    r = client.get(path)
    assert r.status_code == 404 and (
        "use csv, xlsx, svg or png" in r.content.decode() or "use one of" in r.content.decode()
    )


def test_facts_pages_ignore_hostile_parameters(client):
    for value in HOSTILE:
        assert client.get(f"/facts/?{urlencode({'edition': value, 'x': value})}").status_code == 200
        assert client.get(f"/facts/download/areas.csv?{urlencode({'edition': value})}").status_code == 200


@pytest.mark.parametrize("fmt", ["gif", "PNG", "x" * 300, "png.png"])
def test_explorer_downloads_refuse_unknown_formats_with_a_404(client, fmt):
    r = client.get(f"/explore/download.{fmt}")
    assert r.status_code == 404 and "use csv, xlsx, svg or png" in r.content.decode()
