"""The public site shows the newest *released* edition; the published scores of an edition not yet released are
provisional: shown only where that edition is asked for, marked so, and left out of downloads unless asked for."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime

import pandas as pd
import pytest

from icc.web.network.models import Edition
from icc.web.results.models import Score

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 1, tzinfo=UTC)


def test_the_demo_releases_its_historical_editions_and_not_the_open_one():
    from icc.data.demo import DEMO_EDITIONS

    released = dict(Edition.objects.values_list("year", "results_released_at"))
    assert {year for year, at in released.items() if at is not None} == set(DEMO_EDITIONS)
    assert released[2026] is None


def test_publishing_the_first_city_of_an_open_edition_leaves_the_public_site_on_the_released_edition(
    client, oslo_published_2026
):
    assert "Top 10 of 121 cities, 2025" in client.get("/").content.decode()
    assert client.get("/cities/").context["edition"].year == 2025
    assert client.get("/cities/oslo/").context["edition"].year == 2025
    assert client.get("/explore/").context["edition"].year == 2025
    assert client.get("/facts/").context["edition"].year == 2025
    editions = {e["year"]: e for e in client.get("/api/v1/editions").json()}
    assert editions[2025]["default"] and editions[2025]["released"]
    assert editions[2026]["released_at"] is None
    assert editions[2026]["provisional"] and not editions[2026]["released"] and not editions[2026]["default"]
    assert editions[2026]["cities_scored"] == 1
    rows = client.get("/api/v1/cities/oslo/scores").json()["items"]
    assert rows and 2026 not in {r["edition"] for r in rows}
    released = Score.objects.filter(city__slug="oslo", level="index").exclude(edition__year=2026).count()
    assert client.get("/api/v1/scores?city=oslo&level=index").json()["count"] == released
    csv = pd.read_csv(io.StringIO(client.get("/api/v1/scores.csv?city=oslo").content.decode()), comment="#")
    assert 2026 not in set(csv["edition"])
    archive = zipfile.ZipFile(io.BytesIO(client.get("/api/v1/dataset.zip").content))
    assert 2026 not in set(pd.read_csv(archive.open("scores.csv"), comment="#")["edition"])


def test_a_provisional_edition_is_shown_where_asked_for_and_says_it_is_provisional(client, oslo_published_2026):
    page = client.get("/cities/oslo/?edition=2026")
    assert page.status_code == 200 and page.context["edition"].year == 2026
    assert page.context["edition"].is_provisional
    assert client.get("/cities/oslo/?edition=2025").context["edition"].is_provisional is False
    data = client.get("/api/v1/scores?edition=2026&item=index_core").json()
    assert data["count"] == 1 and data["items"][0]["provisional"] is True
    released = client.get("/api/v1/scores?edition=2025&item=index_core").json()["items"]
    assert {r["provisional"] for r in released} == {False}
    text = client.get("/api/v1/scores.csv?edition=2026").content.decode()
    assert "# Editions: edition 2026 (column provisional: true while its results are not released)" in text
    assert set(pd.read_csv(io.StringIO(text), comment="#")["provisional"]) == {True}
    everything = client.get("/api/v1/scores?city=oslo&level=index&include_provisional=true").json()
    assert everything["count"] == Score.objects.filter(city__slug="oslo", level="index").count()
    assert 2026 in {r["edition"] for r in everything["items"]}
    archive = zipfile.ZipFile(io.BytesIO(client.get("/api/v1/dataset.zip?include_provisional=true").content))
    scores = pd.read_csv(archive.open("scores.csv"), comment="#")
    assert set(scores.loc[scores["edition"] == 2026, "provisional"]) == {True}
    assert "provisional scores of editions not yet released" in archive.read("README.md").decode()


def test_the_chooser_offers_released_editions_and_the_provisional_one_on_screen(oslo_published_2026):
    from icc.web.results import queries

    assert [e.year for e in queries.public_editions()][:2] == [2025, 2022]
    assert 2026 in [e.year for e in queries.public_editions(include_provisional=True)]
    shown = queries.pick_edition("2026")
    assert shown.year == 2026 and shown.is_provisional
    assert [e.year for e in queries.scored_editions(shown)][:2] == [2026, 2025]
    assert 2026 not in [e.year for e in queries.scored_editions()]
    assert queries.default_edition().year == 2025
    assert queries.pick_edition("") == queries.pick_edition(None) == queries.default_edition()
    assert queries.pick_edition("99999999999999999999").year == 2025


def test_releasing_the_edition_makes_it_the_public_default(client, oslo_published_2026):
    Edition.objects.filter(year=2026).update(results_released_at=NOW)
    from icc.web.results.models import PublicDataVersion

    PublicDataVersion.bump()  # .update() sends no signal; the secretariat's action saves the edition (tested there)
    assert "The 1 city with published results, 2026" in client.get("/").content.decode()
    editions = {e["year"]: e for e in client.get("/api/v1/editions").json()}
    assert editions[2026]["default"] and editions[2026]["released"] and not editions[2026]["provisional"]
    assert client.get("/api/v1/scores?edition=2026&item=index_core").json()["items"][0]["provisional"] is False


def test_an_upgrade_releases_the_editions_already_closed():
    import importlib

    from django.apps import apps

    migration = importlib.import_module("icc.web.network.migrations.0002_edition_results_released")
    Edition.objects.filter(year__in=(2022, 2025)).update(results_released_at=None)
    Edition.objects.filter(year=2022).update(status="closed")
    Edition.objects.filter(year=2025).update(status="closed", closes=None)
    migration.release_closed_editions(apps, None)
    released = dict(Edition.objects.values_list("year", "results_released_at"))
    assert released[2022] == datetime(2022, 6, 30, tzinfo=UTC)
    assert released[2025] is not None and released[2025] <= datetime.now(UTC)
    assert released[2026] is None  # still open: not released
