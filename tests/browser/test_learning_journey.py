"""The learning journey in a real browser: a city official goes from the weakest area on the city's profile to
the good practices of that area, asks the top match for a study visit, the host city's coordinator accepts, and
the visit shows for both; in English at desktop width and in French at 390 px."""

from __future__ import annotations

import re

import pytest

pytestmark = [pytest.mark.browser]


def _host_coordinator(django_db_blocker, slug: str) -> tuple[str, str]:
    """A coordinator account for the host city (the demo has coordinators for Oslo and Bilbao only)."""
    from icc.web.accounts.models import CityAssignment, Role, User
    from icc.web.network.models import City

    username, password = f"coordinator-{slug}", "a-long-test-password-1"
    with django_db_blocker.unblock():
        user, _ = User.objects.get_or_create(username=username, defaults={"role": Role.OFFICIAL})
        user.set_password(password)
        user.save()
        CityAssignment.objects.get_or_create(
            user=user, city=City.objects.get(slug=slug), defaults={"coordinator": True}
        )
    return username, password


def _fits(page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth")


@pytest.mark.parametrize(
    "language, width, weak, sent, accepted",
    [("en", 1280, 0, "Requested", "Accepted"), ("fr", 390, 1, "Demandée", "Acceptée")],
)
def test_an_official_finds_practices_and_a_host_accepts_a_visit(
    open_as, browser, demo_site, django_db_blocker, language, width, weak, sent, accepted
):
    page = open_as("oslo", language=language, width=width)
    page.goto(f"{demo_site.url}/cities/oslo/")
    weak_links = page.locator("a[href^='/practices/?area=']")
    assert weak_links.count() >= 2
    link = weak_links.nth(weak)
    area = re.search(r"area=([\w-]+)", link.get_attribute("href")).group(1)
    link.click()
    page.wait_for_url(re.compile(rf"/practices/\?area={area}$"))
    cards = page.locator("ul.practice-list li.card")
    assert cards.count() >= 1  # every area has published demo practices
    cards.first.locator("h2 a").click()
    page.wait_for_url(re.compile(r"/practices/\d+/$"))
    assert page.locator("article.practice h1").is_visible()
    if width == 390:
        assert _fits(page)
    page.goto(f"{demo_site.url}/cities/oslo/")
    page.locator(f"a[href='/visits/match/?city=oslo&area={area}']").first.click()
    page.wait_for_url(re.compile(r"/visits/match/\?city=oslo&area="))
    top = page.locator("li.card[id^=host-]").first
    host = top.get_attribute("id").removeprefix("host-")
    assert top.locator("table.match-parts tbody tr").count() == 6  # every part of the score is shown
    top.locator("summary").click()
    top.locator("textarea[name=message]").fill("Four of us would like to visit in May.")
    top.locator("form button").click()
    page.wait_for_url(re.compile(r"/visits/\d+/\?sent=1$"))
    visit_url = page.url.split("?")[0]
    assert page.locator("[role=status]").first.is_visible()  # what happens next is said
    assert sent in page.locator("dl.facts").inner_text()
    if width == 390:
        assert _fits(page)

    username, password = _host_coordinator(django_db_blocker, host)
    context = browser.new_context(viewport={"width": width, "height": 900})
    context.add_cookies([{"name": "django_language", "value": language, "url": demo_site.url}])
    host_page = context.new_page()
    host_page.goto(demo_site.url + "/accounts/login/")
    host_page.fill("input[name=username]", username)
    host_page.fill("input[name=password]", password)
    host_page.click("main form button")
    host_page.wait_for_load_state()
    host_page.goto(demo_site.url + "/visits/")
    host_page.locator(f"a[href='{visit_url.removeprefix(demo_site.url)}']").click()
    host_page.fill("textarea[name=reply]", "Welcome: we propose the 12th and 13th.")
    host_page.locator("button[name=action][value=accept]").click()
    host_page.wait_for_url(re.compile(r"\?done=accept$"))
    assert accepted in host_page.locator("dl.facts").inner_text()
    context.close()

    page.goto(f"{demo_site.url}/visits/")
    row = page.locator(f"tr:has(a[href='{visit_url.removeprefix(demo_site.url)}'])")
    assert accepted in row.inner_text()
    if width == 390:
        assert _fits(page)
