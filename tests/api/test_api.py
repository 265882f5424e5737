"""The open data API: published data only, filters, pagination, CSV with its metadata."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pandas as pd
import pytest

from icc.web.network.models import CityFact
from icc.web.questionnaire.editing import save_answer
from icc.web.questionnaire.models import Response

pytestmark = pytest.mark.django_db


def test_the_openapi_schema_is_served(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["info"]["title"].startswith("Intercultural Cities Index")
    assert {"/api/v1/cities", "/api/v1/scores", "/api/v1/scores.csv", "/api/v1/editions"} <= set(schema["paths"])
    assert client.get("/api/v1/docs").status_code == 200


def test_cities_are_paginated_and_filtered(client):
    page = client.get("/api/v1/cities").json()
    assert page["count"] == 121 and len(page["items"]) == 50
    norway = client.get("/api/v1/cities?country=NO").json()
    assert {c["slug"] for c in norway["items"]} == {
        "oslo",
        "bergen",
        "drammen",
        "kristiansand",
        "stavanger",
        "trondheim",
    }
    oslo = client.get("/api/v1/cities/oslo").json()
    from icc.web.results.facts import chosen_fact

    shown = chosen_fact(CityFact.objects.filter(city__slug="oslo", kind="population"), None)  # the city page's
    assert oslo["population"]["source"] == shown.source and oslo["foreign_born"]["is_demo"] is True
    assert shown.source.startswith("GeoNames")  # the real figure, not the demo questionnaire's copy of it


def test_scores_carry_ranks_groups_and_framework_version(client):
    data = client.get("/api/v1/scores?edition=2025&item=index_core&page_size=200").json()
    assert data["count"] == 121
    top = data["items"][0]
    assert top["rank"] == 1 and top["framework"] == "icc-2019" and top["framework_version"] == "2019.1"
    assert top["size_group"].startswith("pop-") and top["is_demo"] is True


def test_scores_download_as_csv_with_metadata(client):
    r = client.get("/api/v1/scores.csv?edition=2019&level=area")
    text = r.content.decode()
    assert text.startswith("# Intercultural Cities Index — published scores")
    assert "# Filters: edition=2019, level=area" in text and "# Licence: CC BY 4.0" in text
    df = pd.read_csv(io.StringIO(text), comment="#")
    assert len(df) == 121 * 12 and set(df["edition"]) == {2019}
    assert {"score", "rank", "rank_size", "rank_diversity", "rank_combined", "framework_version"} <= set(df.columns)


def test_unpublished_responses_never_appear(client, django_user_model):
    draft = Response.objects.get(city__slug="oslo", edition__year=2026)
    user = django_user_model.objects.get(username="oslo")
    save_answer(
        draft,
        "commitment-statement",
        user,
        changes={"value": "yes"},
        base_version=0,
        edit_key=None,
        now=datetime(2026, 2, 1, tzinfo=UTC),
    )
    Response.objects.filter(pk=draft.pk).update(status=Response.Status.VALIDATED)
    assert client.get("/api/v1/scores?edition=2026").json()["count"] == 0
    assert "commitment-statement" not in client.get("/api/v1/scores.csv?edition=2026").content.decode()
    editions = {e["year"]: e for e in client.get("/api/v1/editions").json()}
    assert editions[2026]["cities_scored"] == 0 and editions[2025]["cities_scored"] == 121


def test_historical_results_keep_their_sources(client):
    rows = client.get("/api/v1/published-results?city=bilbao").json()["items"]
    assert any(r["score"] == 64 and r["rank"] == 21 and r["source_url"].startswith("http") for r in rows)


def test_unknown_things_are_not_found(client):
    assert client.get("/api/v1/cities/atlantis").status_code == 404
    assert client.get("/api/v1/frameworks/icc-2019/9.9").status_code == 404
    assert client.get("/api/v1/scores?edition=notayear").status_code == 422


def test_the_whole_dataset_downloads_with_a_readme_and_data_dictionary(client):
    import zipfile

    r = client.get("/api/v1/dataset.zip")
    assert r.status_code == 200 and r["Content-Type"] == "application/zip"
    z = zipfile.ZipFile(io.BytesIO(r.content))
    names = set(z.namelist())
    assert {
        "README.md",
        "DATA_DICTIONARY.md",
        "scores.csv",
        "cities.csv",
        "published_results.csv",
        "frameworks/icc-2019-2019.1.json",
        "frameworks/icc-2011-2011.1.json",
    } <= names
    scores = pd.read_csv(z.open("scores.csv"), comment="#")
    assert len(scores) > 121 * 5 * 10 and not (scores["edition"] == 2026).any()
    cities = pd.read_csv(z.open("cities.csv"), comment="#")
    assert len(cities) == 121 and cities["population"].notna().all()
    history = pd.read_csv(z.open("published_results.csv"), comment="#")
    assert len(history) == 81
    assert "Licence: CC BY 4.0" in z.read("README.md").decode()


def test_a_nul_byte_in_a_query_is_refused_not_a_server_error(client):
    assert client.get("/api/v1/cities?q=a%00b").status_code == 422
    assert client.get("/explore/?country=N%00").status_code == 400
