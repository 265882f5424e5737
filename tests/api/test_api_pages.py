"""Paginated answers say where the next page is and read only one page from the database; a city's scores come
whole; country codes are accepted in any case."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from icc.web.results.models import Score

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_cache():
    from django.core.cache import cache

    cache.clear()


def test_a_page_says_how_many_rows_there_are_and_where_the_next_page_is(client):
    released = Score.objects.filter(edition__results_released_at__isnull=False, level="index").count()
    first = client.get("/api/v1/scores?level=index&page_size=100").json()
    assert first["count"] == released and len(first["items"]) == 100 and first["page_size"] == 100
    assert first["previous"] is None
    assert first["next"] == "http://testserver/api/v1/scores?level=index&page_size=100&page=2"
    last_page = -(-released // 100)
    last = client.get(f"/api/v1/scores?level=index&page_size=100&page={last_page}").json()
    assert last["next"] is None and len(last["items"]) == released - 100 * (last_page - 1)
    assert last["previous"].endswith(f"page={last_page - 1}")
    seen, url = [], "/api/v1/scores?level=index&page_size=100"
    while url:
        page = client.get(url).json()
        seen += [(r["city"], r["edition"], r["item"]) for r in page["items"]]
        url = page["next"]
    assert len(seen) == len(set(seen)) == released


def test_a_page_larger_than_the_maximum_says_the_size_it_used(client):
    data = client.get("/api/v1/cities?page_size=5000").json()
    assert data["page_size"] == 200 and data["count"] == 121 and len(data["items"]) == 121 and data["next"] is None


def test_a_page_of_scores_is_read_from_the_database_one_page_at_a_time(client, django_assert_max_num_queries):
    for size in (10, 1000):
        with CaptureQueriesContext(connection) as queries, django_assert_max_num_queries(20):
            data = client.get(f"/api/v1/scores?page_size={size}&page=2").json()
        assert len(data["items"]) == size
        reads = [q["sql"] for q in queries.captured_queries if 'FROM "results_score" INNER JOIN' in q["sql"]]
        page_read = [sql for sql in reads if "COUNT(" not in sql]
        assert len(page_read) == 1 and f"LIMIT {size} OFFSET {size}" in page_read[0]


def test_a_city_page_s_json_link_returns_every_row_of_the_city(client):
    rows = Score.objects.filter(city__slug="bilbao", edition__results_released_at__isnull=False).count()
    data = client.get("/api/v1/cities/bilbao/scores").json()
    assert data["city"] == "bilbao" and data["count"] == rows == len(data["items"])
    assert {r["city"] for r in data["items"]} == {"bilbao"}
    one = client.get("/api/v1/cities/bilbao/scores?edition=2022").json()
    assert {r["edition"] for r in one["items"]} == {2022} and one["count"] == len(one["items"])
    assert client.get("/api/v1/cities/atlantis/scores").status_code == 404


def test_country_codes_are_accepted_in_any_case(client):
    upper = client.get("/api/v1/cities?country=NO").json()
    lower = client.get("/api/v1/cities?country=no").json()
    assert upper["count"] == lower["count"] == 6 and upper["items"] == lower["items"]
    assert client.get("/api/v1/scores?country=nO&edition=2025&item=index_core").json()["count"] == 6
    assert client.get("/api/v1/cities?country=").json()["count"] == 121


def test_a_country_that_is_not_a_code_is_refused_saying_where(client):
    r = client.get("/api/v1/scores?country=Norway")
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"][-1] == "country"


def test_a_page_number_beyond_any_data_is_refused_not_a_server_error(client):
    assert client.get("/api/v1/scores?page=99999999999").status_code == 422
    assert client.get("/api/v1/scores?page=50000").json()["items"] == []
