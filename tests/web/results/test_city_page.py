"""A city's page: which edition it shows, how its ranks read, and what a city outside the member list gets."""

from __future__ import annotations

import html
import re

import pytest

from icc.engine import INDEX_CORE
from icc.web.results.models import Score

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def test_a_group_rank_says_how_many_cities_it_is_out_of(client):
    oslo = Score.objects.get(city__slug="oslo", edition__year=2025, item=INDEX_CORE)
    in_band = Score.objects.filter(
        edition__year=2025, item=INDEX_CORE, score__isnull=False, size_group=oslo.size_group
    ).count()
    same_share = Score.objects.filter(
        edition__year=2025, item=INDEX_CORE, score__isnull=False, diversity_group=oslo.diversity_group
    ).count()
    both = Score.objects.filter(
        edition__year=2025, item=INDEX_CORE, score__isnull=False, combined_group=oslo.combined_group
    ).count()
    from icc.web.network.templatetags.icc import nth

    text = _text(client.get("/cities/oslo/?edition=2025"))
    assert f"{nth(oslo.rank_size)} of {in_band} cities of 500,000 inhabitants or more" in text
    assert f"{nth(oslo.rank_diversity)} of {same_share} cities with 20% or more foreign-born residents" in text
    assert f"{nth(oslo.rank_combined)} of {both} cities of similar size and diversity" in text
    assert 1 < both <= in_band < 121


def test_a_group_rank_says_how_many_cities_it_is_out_of_in_french(french):
    oslo = Score.objects.get(city__slug="oslo", edition__year=2025, item=INDEX_CORE)
    in_band = Score.objects.filter(edition__year=2025, item=INDEX_CORE, size_group=oslo.size_group).count()
    text = _text(french.get("/cities/oslo/?edition=2025"))
    assert f"{oslo.rank_size}e sur {in_band} villes de 500 000 habitants ou plus" in text
