"""Cities are listed in one public order, by their names folded (accents removed, case folded), in both languages."""

from __future__ import annotations

import csv
import io
import re
import zipfile

import pytest

from icc.web.results.queries import name_order

pytestmark = pytest.mark.django_db


def _before(names: list[str], *ordered: str) -> bool:
    positions = [names.index(n) for n in ordered]
    return positions == sorted(positions)


def test_the_order_folds_accents_and_case():
    names = ["Munich", "Pécs", "Portimao", "Málaga", "Marrakech", "pizzo"]
    assert sorted(names, key=name_order) == ["Málaga", "Marrakech", "Munich", "Pécs", "pizzo", "Portimao"]


def _unscored(page: str, heading: str = "Members without results in this edition") -> list[str]:
    section = page.split(heading)[1].split("</ul>")[0]
    return re.findall(r'<a href="/cities/[^"]+/">([^<]+)</a>', section)


def test_the_city_list_orders_the_cities_without_results_by_their_folded_names(client, oslo_published_2026):
    names = _unscored(client.get("/cities/?edition=2026").content.decode())
    assert len(names) == 120
    assert _before(names, "Málaga", "Marrakech", "Munich") and _before(names, "Pécs", "Pizzo", "Portimao")
    assert names == sorted(names, key=name_order)


def test_the_french_city_list_orders_the_french_names(french, oslo_published_2026):
    names = _unscored(french.get("/cities/?edition=2026").content.decode(), "Membres sans résultats pour cette édition")
    assert _before(names, "Gênes", "Genève") and names == sorted(names, key=name_order)


def test_the_api_and_the_bulk_zip_list_cities_in_the_same_order(client):
    listed = [c["name"] for c in client.get("/api/v1/cities?page_size=200").json()["items"]]
    assert len(listed) == 121 and listed == sorted(listed, key=name_order)
    assert _before(listed, "Málaga", "Marrakech", "Munich")
    archive = zipfile.ZipFile(io.BytesIO(client.get("/api/v1/dataset.zip").content))
    text = archive.read("cities.csv").decode()
    rows = list(csv.DictReader(line for line in io.StringIO(text) if not line.startswith("#")))
    assert [r["name"] for r in rows] == listed
    page_two = client.get("/api/v1/cities?page=2&page_size=50").json()
    assert [c["name"] for c in page_two["items"]] == listed[50:100] and page_two["count"] == 121


def test_the_country_select_follows_the_same_order(french):
    page = french.get("/cities/?edition=2025").content.decode()
    select = page.split('<select name="country">')[1].split("</select>")[0]
    countries = re.findall(r'<option value="[A-Z]{2}"[^>]*>([^<]+)</option>', select)
    assert len(countries) == 32 and countries == sorted(countries, key=name_order)
