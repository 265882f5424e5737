"""A filter value the data does not hold is a 400 that names the parameter, the value and the accepted values."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

EVERY_FILTER = [
    ("/api/v1/cities", "country", "ZZ"),
    ("/api/v1/scores", "edition", "1999"),
    ("/api/v1/scores", "city", "atlantis"),
    ("/api/v1/scores", "country", "zz"),
    ("/api/v1/scores", "item", "<script>"),
    ("/api/v1/scores", "level", "zzz"),
    ("/api/v1/scores", "size_group", "pop-huge"),
    ("/api/v1/scores", "diversity_group", "fb-all"),
    ("/api/v1/scores.csv", "item", "<script>"),
    ("/api/v1/scores.csv", "edition", "1999"),
    ("/api/v1/cities/oslo/scores", "edition", "1999"),
    ("/api/v1/published-results", "city", "atlantis"),
    ("/api/v1/answers", "edition", "1999"),
    ("/api/v1/answers", "city", "atlantis"),
    ("/api/v1/answers.csv", "city", "atlantis"),
    ("/api/v1/facts", "edition", "1999"),
    ("/api/v1/facts.csv", "city", "atlantis"),
]


@pytest.mark.parametrize(("path", "parameter", "value"), EVERY_FILTER)
def test_it_rejects_a_filter_value_outside_the_data_naming_it_and_the_accepted_values(client, path, parameter, value):
    r = client.get(path, {parameter: value})
    assert r.status_code == 400, r.content
    body = r.json()
    (problem,) = body["problems"]
    assert problem["parameter"] == parameter and problem["value"] == value and problem["accepted"]
    assert body["detail"].startswith(f"{parameter}=") and value in body["detail"] and "accepted: " in body["detail"]


def test_the_messages_list_the_accepted_values(client):
    item = client.get("/api/v1/scores?item=<script>").json()
    assert item["detail"].startswith("item='<script>' is not a score item of a stored framework")
    assert {"index_core", "index_extended", "commitment", "public-space"} <= set(item["problems"][0]["accepted"])
    level = client.get("/api/v1/scores?level=zzz").json()["detail"]
    assert level == "level='zzz' is not a level of the score rows; accepted: subarea, area, index"
    edition = client.get("/api/v1/cities/oslo/scores?edition=1999").json()["detail"]
    assert (
        edition == "edition=1999 is not an edition (see /api/v1/editions); accepted: 2012, 2015, 2019, 2022, 2025, 2026"
    )
    city = client.get("/api/v1/scores?city=atlantis").json()
    assert "oslo" in city["problems"][0]["accepted"] and len(city["problems"][0]["accepted"]) == 121
    assert "(121 in all: see `accepted`)" in city["detail"]


def test_every_bad_filter_of_a_request_is_named(client):
    body = client.get("/api/v1/scores?level=zzz&size_group=x&edition=2025").json()
    assert [p["parameter"] for p in body["problems"]] == ["level", "size_group"]
    assert "level='zzz'" in body["detail"] and "size_group='x'" in body["detail"]


def test_values_the_data_holds_are_accepted_in_any_case_where_documented(client):
    assert client.get("/api/v1/cities?country=no").json()["count"] == 6
    assert client.get("/api/v1/scores?country=no&edition=2025&item=index_core").json()["count"] == 6
    assert client.get("/api/v1/scores?edition=2026").json()["count"] == 0  # an edition without published scores
    assert client.get("/api/v1/published-results?city=Ansan").status_code == 200  # a name, as published
    assert client.get("/api/v1/published-results?city=oslo").status_code == 200  # a member without any
    # an edition that exists but keeps its answers out of the open data stays a 404 saying so
    assert "no public answers" in client.get("/api/v1/answers?edition=2026").json()["detail"]


def test_the_served_schema_lists_the_accepted_values_of_every_filter(client):
    schema = client.get("/api/v1/openapi.json").json()

    def enum(path: str, name: str) -> list:
        (parameter,) = [p for p in schema["paths"][path]["get"]["parameters"] if p["name"] == name]
        (part,) = [p for p in parameter["schema"].get("anyOf", [parameter["schema"]]) if p.get("type") != "null"]
        return part["enum"]

    assert enum("/api/v1/scores", "level") == ["subarea", "area", "index"]
    assert enum("/api/v1/scores", "edition") == [2012, 2015, 2019, 2022, 2025, 2026]
    assert "NO" in enum("/api/v1/cities", "country") and "oslo" in enum("/api/v1/answers", "city")
    assert "ansan" in enum("/api/v1/published-results", "city") and "ansan" not in enum("/api/v1/scores", "city")
    for path in ("/api/v1/scores", "/api/v1/scores.csv", "/api/v1/cities/{slug}/scores", "/api/v1/answers.csv"):
        assert "400" in schema["paths"][path]["get"]["responses"], path
