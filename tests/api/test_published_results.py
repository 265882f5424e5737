"""Historical published results in the API as published: sample mean and maximum, and ambiguous rows unranked."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def rows(client, city: str) -> list[dict]:
    return client.get(f"/api/v1/published-results?city={city}&page_size=1000").json()["items"]


def test_the_published_group_maximum_is_in_the_api(client):
    assert any(r["sample_max"] is not None for r in rows(client, "ansan"))


def test_an_ambiguous_row_is_shown_with_the_source_words_but_not_ranked(client):
    marked = [r for r in rows(client, "melitopol") if r["ambiguous"]]
    assert marked and all(r["rank"] is None and "AMBIGUOUS" in r["rank_text"] for r in marked)
