"""The secretariat's edition pages name themselves in the browser's title (not only the bare site title)."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


def title_of(page: str) -> str:
    return re.search(r"<title>(.*?)</title>", page, re.S)[1].strip()


def test_the_editions_and_an_edition_page_have_their_own_title(personas):
    from django.urls import reverse

    page = personas["secretariat"].get(reverse("results:editions")).content.decode()
    assert title_of(page).startswith("Editions · ")
    page = personas["secretariat"].get(reverse("results:edition", args=[2026])).content.decode()
    assert title_of(page).startswith("Edition 2026 · ")


def test_the_titles_are_in_french(personas):
    from django.urls import reverse

    client = personas["secretariat"]
    client.cookies.load({"django_language": "fr"})
    page = client.get(reverse("results:edition", args=[2026])).content.decode()
    assert title_of(page).startswith("Édition 2026 · ")
