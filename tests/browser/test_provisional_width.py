"""On a phone (390 px wide), the provisional result of a response fits the screen: every column of its table
(score, rank, the other cities' mean, "don't know" and unanswered counts) is visible without scrolling sideways."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser]

WIDTH = 390


@pytest.fixture
def oslo(demo_site):
    from icc.web.questionnaire.models import Answer, Response

    response = Response.objects.get(city__slug="oslo", edition__year=2026)
    if not response.answers.exists():
        before = Response.objects.get(city__slug="oslo", edition__year=2025)
        Answer.objects.bulk_create(
            [
                Answer(response=response, question_id=a.question_id, value=a.value, updated_at=a.updated_at)
                for a in before.answers.all()
            ]
        )
    return response


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_provisional_result_fits_a_phone(open_as, demo_site, oslo, language):
    page = open_as("oslo", language=language, width=WIDTH)
    page.goto(f"{demo_site.url}/responses/{oslo.pk}/provisional/")
    found = page.evaluate(
        """() => {
          const limit = document.documentElement.clientWidth;
          const table = document.querySelector("table.data");
          const cells = [...table.querySelectorAll("th, td")].map(c => c.getBoundingClientRect().right);
          return {limit, scroll: document.documentElement.scrollWidth, table: table.getBoundingClientRect().width,
                  right: Math.max(...cells), rows: table.querySelectorAll("tbody tr").length};
        }"""
    )
    assert found["rows"] > 5, found
    assert found["table"] <= found["limit"] and found["right"] <= found["limit"] + 0.5, found
    assert found["scroll"] <= found["limit"], found
