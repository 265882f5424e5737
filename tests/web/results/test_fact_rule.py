"""One rule for which fact a city has in a year (:mod:`icc.web.results.facts`): the city page, the Facts & Figures
page, the open facts and the scores' peer groups follow it."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from icc.web.network.models import CityFact, FactKind
from icc.web.results.facts import chosen_fact


def fact(value: float, year: int | None, is_demo: bool = False) -> CityFact:
    return CityFact(kind=FactKind.POPULATION, value=value, year=year, source=f"s{value}", is_demo=is_demo)


def test_a_real_fact_wins_over_a_demo_one_of_the_year_itself():
    assert chosen_fact([fact(1, 2025, is_demo=True), fact(2, 2010)], 2025).value == 2


def test_a_fact_not_after_the_year_wins_over_a_nearer_one_after_it():
    assert chosen_fact([fact(1, 2026), fact(2, 2020)], 2025).value == 2


def test_the_fact_nearest_the_year_wins_and_only_facts_after_it_give_the_earliest():
    assert chosen_fact([fact(1, 2015), fact(2, 2022), fact(3, 2024)], 2025).value == 3
    assert chosen_fact([fact(1, 2030), fact(2, 2027)], 2025).value == 2


def test_a_dated_fact_wins_a_tie_over_an_undated_one_which_counts_as_of_the_year():
    assert chosen_fact([fact(1, None), fact(2, 2025)], 2025).value == 2
    assert chosen_fact([fact(2, 2025), fact(1, None)], 2025).value == 2
    assert chosen_fact([fact(1, None), fact(2, 2019)], 2025).value == 1


def test_without_a_year_the_newest_dated_fact_is_chosen_then_an_undated_one():
    assert chosen_fact([fact(1, None), fact(2, 2019), fact(3, 2021)], None).value == 3
    assert chosen_fact([fact(1, None)], None).value == 1
    assert chosen_fact([], None) is None


@pytest.mark.django_db
def test_the_city_page_and_the_open_facts_name_the_same_fact_of_oslo_in_2025(client):
    (row,) = pd.read_csv(
        io.BytesIO(client.get("/api/v1/facts.csv?edition=2025&city=oslo").content), dtype=str, keep_default_na=False
    ).to_dict("records")
    page = client.get("/cities/oslo/?edition=2025").content.decode()
    shown = f"{int(float(row['population'])):,}"
    source = row["population_source"]
    year = row["population_year"]
    said = f"source: {source}, {year}" if year else f"source: {source}; year not stated"
    assert shown in page and said in page, (shown, said)
