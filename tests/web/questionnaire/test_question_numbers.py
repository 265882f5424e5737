"""The limits a question states are numbers to read: thousands grouped in the page's language."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db
NBSP = "\u00a0"


def test_the_valid_range_and_the_text_limit_are_written_with_thousands_separators(personas, oslo_draft):
    client = personas["oslo"]
    page = client.get(f"/responses/{oslo_draft.pk}/sections/facts/").content.decode()
    assert "valid range 0–50,000,000" in page and "50000000<" not in page
    assert "at most 10,000 characters" in page
    client.cookies.load({"django_language": "fr"})
    page = client.get(f"/responses/{oslo_draft.pk}/sections/facts/").content.decode()
    assert f"0–50{NBSP}000{NBSP}000" in page and f"10{NBSP}000 caractères" in page
