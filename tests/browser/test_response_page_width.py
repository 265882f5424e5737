"""On a phone (390 px wide), nothing on a response's pages is wider than the screen, in English and in French.

The widest things are form controls whose natural width is their longest option (the section and colleague
lists of "Share the work", long French section titles): they must shrink to the screen, not push the page
sideways.
"""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser]

WIDTH = 390

OVERFLOWING = """() => {
  const limit = document.documentElement.clientWidth;
  const wide = [];
  for (const el of document.querySelectorAll("body *")) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0 || el.closest(".scroll, .sections-nav, .sr-only")) continue;
    if (box.right > limit + 0.5) wide.push(`${el.tagName.toLowerCase()}${el.name ? "[name=" + el.name + "]" : ""}`
      + `${el.className ? "." + String(el.className).split(" ")[0] : ""} right edge ${Math.round(box.right)} px`);
  }
  return {limit, scroll: document.documentElement.scrollWidth, wide: wide.slice(0, 10)};
}"""


@pytest.fixture
def oslo(demo_site):
    from icc.web.questionnaire.models import Response

    return Response.objects.get(city__slug="oslo", edition__year=2026)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_coordinators_response_page_fits_a_phone(open_as, demo_site, oslo, language):
    page = open_as("oslo", language=language, width=WIDTH)
    page.goto(f"{demo_site.url}/responses/{oslo.pk}/")
    assert page.locator("select[name=section]").count() == 1  # the "Share the work" form is on the page
    found = page.evaluate(OVERFLOWING)
    assert found["wide"] == [] and found["scroll"] <= found["limit"], found


@pytest.mark.parametrize("section", ["commitment", "facts"])
def test_a_section_page_fits_a_phone_in_french(open_as, demo_site, oslo, section):
    page = open_as("oslo", language="fr", width=WIDTH)
    page.goto(f"{demo_site.url}/responses/{oslo.pk}/sections/{section}/")
    found = page.evaluate(OVERFLOWING)
    assert found["wide"] == [] and found["scroll"] <= found["limit"], found
