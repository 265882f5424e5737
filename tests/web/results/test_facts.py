"""Facts & Figures: every figure states the sample it uses, and its data downloads with ids and one label each."""

from __future__ import annotations

import html
import io
import re
from datetime import UTC, datetime

import pandas as pd
import pytest

from icc.web.network.models import City, Edition
from icc.web.results.models import PublicDataVersion

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


@pytest.fixture
def released_with_one_city(oslo_published_2026):
    Edition.objects.filter(year=2026).update(results_released_at=datetime(2026, 3, 2, tzinfo=UTC))
    PublicDataVersion.bump()
    return Edition.objects.get(year=2026)


def _captions(client) -> dict[str, str]:
    page = html.unescape(client.get("/facts/").content.decode())
    return dict(re.findall(r'<div class="chart-box" id="chart-([a-z]+)" role="img" aria-label="([^"]*)"', page))


def test_every_figure_states_its_sample(client):
    captions = _captions(client)
    assert set(captions) == {"countries", "population", "map", "diversity", "areas"}
    assert "Sample: all 121 member cities." in captions["countries"]
    assert (
        "Sample: the 121 member cities with a known population, each with the figure its page shows."
        in (captions["population"])
    )
    assert (
        "Sample: the 121 member cities with a known foreign-born share, each with the figure its page shows."
        in (captions["diversity"])
    )
    assert (
        "Sample: all 121 member cities; coloured: the 121 cities with published results in 2025." in (captions["map"])
    )
    assert "Sample: the 121 cities with published results in 2025." in captions["areas"]


def test_the_population_histogram_counts_each_member_city_once(client):
    # every city has a fact per edition (and a reference figure): the histogram counts cities, not facts
    data = pd.read_csv(io.StringIO(client.get("/facts/download/population.csv").content.decode()), comment="#")
    members = City.objects.filter(is_member=True).count()
    assert len(data) == members == data["city"].nunique() == 121
    assert "Histogram of Population for 121 cities" in _captions(client)["population"]


def test_after_a_thin_release_the_member_figures_keep_every_city_and_the_results_say_how_few(
    client, released_with_one_city
):
    captions = _captions(client)
    assert "Histogram of Population for 121 cities" in captions["population"]
    assert "Histogram of Foreign-born residents (%) for 121 cities" in captions["diversity"]
    assert "Sample: the 1 city with published results in 2026." in captions["areas"]
    text = _text(client.get("/facts/"))
    assert "Average and best score per area, 2026 (1 city)" in client.get("/facts/").content.decode()
    assert "average core index of the 1 city with published results in 2026" in text
    assert "Only 1 city has published results for 2026, the newest released edition, so far; 2025 has results of " in (
        text
    )


def test_the_samples_are_stated_in_french(french):
    page = html.unescape(french.get("/facts/").content.decode())
    assert "Échantillon : les 121 villes membres." in page or "Échantillon : toutes les 121 villes membres." in page
    assert "Échantillon : les 121 villes ayant des résultats publiés en 2025." in page


def test_the_areas_data_has_the_area_id_and_one_label(client):
    text = client.get("/facts/download/areas.csv").content.decode()
    data = pd.read_csv(io.StringIO(text), comment="#")
    assert list(data.columns) == ["item", "item_label", "mean", "best"]
    assert data.loc[data["item"] == "commitment", "item_label"].item() == "Commitment"
    assert data["item"].is_unique and len(data) == 12
    page = client.get("/facts/").content.decode()
    table = re.search(r'id="chart-areas".*?<table class="data"><thead><tr>(.*?)</tr>', page, re.S).group(1)
    assert len(re.findall(r"<th ", table)) == 4
