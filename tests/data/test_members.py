"""The member cities' facts: country codes, populations, coordinates, slugs."""

from __future__ import annotations

import csv
from collections import Counter

import pytest

from icc.data import members
from icc.data.members import (
    COUNTRY_ALIASES,
    CURATED_CSV,
    MEMBERS_CSV,
    MemberCity,
    country_code,
    load_member_cities,
    match_geonames,
    slugify,
)


@pytest.fixture(scope="module")
def cities() -> list[MemberCity]:
    return load_member_cities()


@pytest.fixture(scope="module")
def by_name(cities) -> dict[str, MemberCity]:
    return {c.name_as_listed: c for c in cities}


def test_all_members_loaded_in_order(cities):
    assert len(cities) == 121
    with MEMBERS_CSV.open(encoding="utf-8", newline="") as f:
        listed = [row["name_as_listed"] for row in csv.DictReader(f)]
    assert [c.name_as_listed for c in cities] == listed
    assert all(c.name == c.name_as_listed for c in cities)


def test_cached_but_not_shared(cities):
    again = load_member_cities()
    assert again == cities
    again.pop()
    assert len(load_member_cities()) == 121


def test_every_member_is_complete(cities):
    for c in cities:
        assert len(c.country_code) == 2 and c.country_code.isupper(), c
        assert c.country_name, c
        assert isinstance(c.population, int) and c.population > 0, c
        assert c.latitude is not None and -90 <= c.latitude <= 90, c
        assert c.longitude is not None and -180 <= c.longitude <= 180, c
        assert c.population_source.strip() and c.coordinates_source.strip(), c
        assert c.match in {"geonames:exact", "geonames:ascii", "geonames:alternate", "curated"}, c
        if c.population_year is not None:
            assert 2000 <= c.population_year <= 2030, c


def test_slugs_unique_ascii_and_stable(cities, by_name):
    slugs = [c.slug for c in cities]
    assert len(set(slugs)) == len(slugs)
    for s in slugs:
        assert s.isascii() and s == s.lower() and s.strip("-") == s and "--" not in s, s
    expected = {
        "Berlin-Neukölln": "berlin-neukolln",
        "Donostia / San Sebastian": "donostia-san-sebastian",
        "Un.dei C. Terre dei Castelli": "un-dei-c-terre-dei-castelli",
        "Klaksvík": "klaksvik",
        "Mexico city": "mexico-city",
        "Reggio-Emilia": "reggio-emilia",
        "Västerås": "vasteras",
        "Castellón de la Plana": "castellon-de-la-plana",
        "London Lewisham": "london-lewisham",
    }
    for name, slug in expected.items():
        assert by_name[name].slug == slug
    assert slugify("Straße Łódź Ørsta") == "strasse-lodz-orsta"


def test_cartagena_is_the_spanish_one(by_name):
    c = by_name["Cartagena"]
    assert c.country_code == "ES"
    assert c.latitude == pytest.approx(37.6, abs=0.1)
    assert c.longitude == pytest.approx(-0.98, abs=0.1)


def test_klaksvik_in_the_faroe_islands(by_name):
    c = by_name["Klaksvík"]
    assert c.country_code == "FO"
    assert c.country_name == "Faroe Islands"
    assert c.latitude == pytest.approx(62.23, abs=0.05)


def test_districts_and_unions_are_curated(by_name):
    for name in ("Berlin-Neukölln", "London Lewisham", "Bursa-Osmangazi", "Un.dei C. Terre dei Castelli", "Tenerife"):
        assert by_name[name].match == "curated", name
    neukolln = by_name["Berlin-Neukölln"]
    assert 300_000 < neukolln.population < 360_000
    assert neukolln.population_year is not None
    assert by_name["Tenerife"].population > 800_000  # the island, not Santa Cruz


def test_oslo_from_geonames(by_name):
    oslo = by_name["Oslo"]
    assert oslo.match.startswith("geonames:")
    assert oslo.population > 500_000
    assert oslo.country_code == "NO"
    assert oslo.population_year is None
    assert "GeoNames" in oslo.population_source


def test_matching_rules(by_name):
    assert by_name["Paris"].match == "geonames:exact"
    assert by_name["Zurich"].match == "geonames:ascii"
    assert by_name["Donostia / San Sebastian"].match == "geonames:ascii"
    assert by_name["Milano"].match == "geonames:alternate"
    assert by_name["Reggio-Emilia"].match == "geonames:alternate"
    assert by_name["Odessa"].match == "geonames:alternate"
    assert match_geonames("Nowhere-upon-Nothing", "IT") is None
    rule, city = match_geonames("Cartagena", "CO")
    assert rule == "geonames:exact" and city["countrycode"] == "CO"


def test_country_aliases():
    assert COUNTRY_ALIASES["feroe islands"] == "FO"
    assert country_code("Feroe islands") == "FO"
    assert country_code("Russian Federation") == "RU"
    assert country_code("Turkey") == "TR"
    assert country_code("United Kingdom") == "GB"
    assert country_code("Spain") == "ES"
    with pytest.raises(ValueError):
        country_code("Atlantis")


def test_country_counts(cities):
    counts = Counter(c.country_code for c in cities)
    assert counts["IT"] >= 20 and counts["ES"] >= 15 and counts["PT"] >= 10
    assert set(counts) >= {"FO", "RU", "TR", "GB", "MX", "JP", "AU", "CA"}


def test_curated_file_is_well_formed(by_name):
    with CURATED_CSV.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert rows
    for row in rows:
        assert None not in row, row
        assert row["name_as_listed"] in by_name, row
        assert row["population_source"] and "://" not in row["population_source"], row
        assert row["note"], row
        assert by_name[row["name_as_listed"]].match == "curated"
        assert by_name[row["name_as_listed"]].population == int(row["population"])


def test_packaged_files_only():
    assert MEMBERS_CSV.parent == CURATED_CSV.parent
    assert "shared" not in MEMBERS_CSV.parts
    assert members.FILES.name == "files"
