"""The public data cache stays bounded whatever visitors send, keeps what makes a response right (the embed's
framing exemption, no visitor's CSRF token), and anonymous requests it cannot answer are rate-limited."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def entries() -> int:
    return len(cache._cache)  # the local-memory backend's store (settings: CACHES["default"])


def test_ten_thousand_junk_query_strings_do_not_grow_the_cache(client):
    assert "X-ICC-Cache" not in client.get("/api/v1/editions")
    stored = entries()
    assert stored >= 1
    for i in range(10_000):
        r = client.get(f"/api/v1/editions?junk{i}={i}&_={i * 7}")
        assert r.status_code == 200 and r["X-ICC-Cache"] == "hit"  # answered by the canonical address's entry
    assert entries() == stored


def test_junk_values_of_known_parameters_are_served_but_never_stored(client, settings):
    settings.RATELIMIT_ENABLE = False
    stored = entries()
    for i in range(300):
        r = client.get(f"/api/v1/scores?city=nowhere-{i}&item=index_core")
        assert r.status_code == 400 and r.json()["problems"][0]["value"] == f"nowhere-{i}"
        client.get(f"/explore/embed/?chart=ranking&edition=2025&pop_min={i}x")
        client.get(f"/api/v1/cities?q=name{i}")  # free text is never a key
    assert entries() == stored


def test_parameter_order_case_and_spelling_share_one_entry(client):
    first = client.get("/api/v1/scores?edition=2025&country=no&item=index_core")
    assert first.status_code == 200 and "X-ICC-Cache" not in first
    again = client.get("/api/v1/scores?item=index_core&country=NO&edition=02025&utm_source=x")
    assert again["X-ICC-Cache"] == "hit" and again.json()["items"] == first.json()["items"]
    assert {r["country_code"] for r in first.json()["items"]} == {"NO"} and first.json()["count"] == 6
    both = client.get("/explore/download.csv?chart=progress&cities=oslo,bilbao")
    assert client.get("/explore/download.csv?cities=oslo&cities=bilbao&chart=progress")["X-ICC-Cache"] == "hit"
    assert both.status_code == 200


def test_an_entry_is_per_language(client):
    client.get("/explore/embed/?chart=ranking&edition=2025")
    french = Client()
    french.cookies.load({"django_language": "fr"})
    r = french.get("/explore/embed/?chart=ranking&edition=2025")
    assert "X-ICC-Cache" not in r and 'lang="fr"' in r.content.decode()


def test_the_embed_stays_frameable_when_served_from_the_cache(client):
    url = "/explore/embed/?chart=ranking&edition=2025"
    first, second = client.get(url), client.get(url)
    assert second["X-ICC-Cache"] == "hit"
    assert "X-Frame-Options" not in first and "X-Frame-Options" not in second
    for other in ("/explore/download.csv?chart=ranking&edition=2025", "/api/v1/editions", "/facts/"):
        assert [client.get(other)["X-Frame-Options"] for _ in range(2)] == ["DENY", "DENY"]


def test_a_page_holding_a_visitors_csrf_token_is_never_served_to_another(db):
    first = Client(enforce_csrf_checks=True)
    first.get("/facts/")  # gets a CSRF cookie
    first.get("/facts/")  # a page rendered with that visitor's token
    other = Client(enforce_csrf_checks=True)
    page = other.get("/facts/")
    assert "X-ICC-Cache" not in page
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
    r = other.post("/i18n/setlang/", {"language": "fr", "next": "/facts/", "csrfmiddlewaretoken": token})
    assert r.status_code == 302  # the language switch works: the token is the visitor's own


def test_anonymous_downloads_over_the_limit_get_a_429_with_a_readable_message(client):
    from icc.web.network.models import City
    from icc.web.results.caching import HEAVY_RATE

    limit = HEAVY_RATE[0]
    slugs = list(City.objects.filter(is_member=True).order_by("slug").values_list("slug", flat=True))
    for slug in slugs[:limit]:
        assert client.get(f"/api/v1/scores.csv?city={slug}").status_code == 200
    r = client.get(f"/api/v1/scores.csv?city={slugs[limit]}")
    assert r.status_code == 429 and 1 <= int(r["Retry-After"]) <= HEAVY_RATE[1]
    assert r.json()["detail"].startswith(f"Too many requests from your address: at most {limit} of these a minute.")
    page = client.get("/explore/download.csv?chart=ranking&edition=2019")
    assert page.status_code == 429 and "Too many requests" in page.content.decode() and page["Retry-After"]
    assert client.get("/api/v1/scores.csv?city=" + slugs[0])["X-ICC-Cache"] == "hit"  # the cache still answers
    assert client.get("/api/v1/scores?page_size=500").status_code == 429  # a big page counts as a download
    assert client.get("/api/v1/scores?page_size=20").status_code == 200  # an ordinary page does not


def test_every_file_the_api_serves_counts_as_a_download():
    """A new CSV or ZIP route is limited like the others without anyone remembering to list it."""
    from django.test import RequestFactory

    from icc.web.results.api import api
    from icc.web.results.caching import _is_heavy

    files = [p for p in api.get_openapi_schema()["paths"] if p.endswith((".csv", ".zip"))]
    assert {"/api/v1/scores.csv", "/api/v1/answers.csv", "/api/v1/facts.csv", "/api/v1/dataset.zip"} <= set(files)
    assert all(_is_heavy(RequestFactory().get(path)) for path in files)
    assert not _is_heavy(RequestFactory().get("/api/v1/scores"))


def test_signed_in_users_are_not_rate_limited(personas):
    from icc.web.results.caching import HEAVY_RATE

    for page in range(1, HEAVY_RATE[0] + 3):
        assert personas["expert"].get(f"/api/v1/scores?page_size=200&page={page}").status_code == 200
