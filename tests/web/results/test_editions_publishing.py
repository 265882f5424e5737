"""Publishing one validated response from the secretariat's pages: the preview names every score, and the message
after publishing says whether the scores are public or provisional until the edition is released."""

from __future__ import annotations

import html
from datetime import UTC, datetime

import pytest

from icc.web.network.models import Edition
from icc.web.questionnaire.models import Answer, Response

pytestmark = pytest.mark.django_db


def page(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def oslo_validated_2026(db):
    """Oslo's 2026 response validated (its 2025 answers copied), ready to publish; the edition is not released."""
    at = datetime(2026, 3, 1, tzinfo=UTC)
    response = Response.objects.get(city__slug="oslo", edition__year=2026)
    before = Response.objects.get(city__slug="oslo", edition__year=2025)
    Answer.objects.bulk_create(
        [
            Answer(response=response, question_id=a.question_id, value=a.value, updated_at=at)
            for a in before.answers.all()
        ]
    )
    Response.objects.filter(pk=response.pk).update(status=Response.Status.VALIDATED)
    return response


def test_the_publish_preview_names_the_index_scores_in_the_page_language(personas, oslo_validated_2026):
    c = personas["secretariat"]
    text = page(c.get(f"/responses/{oslo_validated_2026.pk}/publish/"))
    assert "Core index" in text and "Extended index" in text
    assert "index_core" not in text and "index_extended" not in text
    c.cookies.load({"django_language": "fr"})
    text = page(c.get(f"/responses/{oslo_validated_2026.pk}/publish/"))
    assert "Indice principal" in text and "Indice étendu" in text and "index_core" not in text


def test_publishing_in_an_unreleased_edition_says_the_scores_are_provisional(personas, oslo_validated_2026):
    r = personas["secretariat"].post(f"/responses/{oslo_validated_2026.pk}/publish/", {"confirm": "1"}, follow=True)
    text = page(r)
    assert (
        "Published: the scores of Oslo are provisional until the results of edition 2026 are released "
        "(shown only where edition 2026 is asked for)." in text
    )
    assert "are public." not in text


def test_publishing_in_a_released_edition_says_the_scores_are_public(personas, oslo_validated_2026):
    Edition.objects.filter(year=2026).update(results_released_at=datetime(2026, 3, 2, tzinfo=UTC))
    r = personas["secretariat"].post(f"/responses/{oslo_validated_2026.pk}/publish/", {"confirm": "1"}, follow=True)
    assert "Published: the scores of Oslo are public." in page(r)
