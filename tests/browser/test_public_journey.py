"""A visitor's and an official's first journey through the platform, in a real browser."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_network(transactional_db):
    from datetime import UTC, datetime

    from icc.web.demo import load_demo

    load_demo(datetime(2026, 1, 1, tzinfo=UTC))


def test_a_visitor_browses_the_network_in_both_languages_and_an_official_logs_in(
    live_server, page, demo_network, tmp_path
):
    page.goto(live_server.url + "/")
    assert page.locator("h1").inner_text() == "The Intercultural Cities network at a glance"
    assert "121" in page.locator(".cards").inner_text()
    assert page.locator("table.data").first.locator("tbody tr").count() == 10

    # switch to French: the same page, translated, with French area names from the framework
    page.get_by_role("button", name="FR").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Le réseau des cités interculturelles en un coup d'œil"
    assert "Engagement" in page.content()

    # the member list, filtered by country, then a city page
    page.goto(live_server.url + "/cities/?edition=2025&country=NO")
    members = page.locator("table.data").first.locator("tbody tr")
    assert members.count() == 6  # Bergen, Drammen, Kristiansand, Oslo, Stavanger, Trondheim
    page.get_by_role("link", name="Oslo").click()
    page.wait_for_url("**/cities/oslo/**")
    assert "Scores par domaine comparés au groupe de pairs" in page.content()
    page.screenshot(path=str(tmp_path / "oslo-fr.png"), full_page=True)

    # a city official logs in (still in French) and sees their city
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Nom d'utilisateur").fill("oslo")
    page.get_by_label("Mot de passe").fill("icc-oslo")
    page.get_by_role("button", name="Se connecter").click()
    page.goto(live_server.url + "/accounts/me/")
    assert "Oslo" in page.locator("main").inner_text()

    # phone-sized screen: the page still shows the scores table without horizontal overflow of the body
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(live_server.url + "/cities/oslo/?edition=2025")
    assert page.evaluate("document.documentElement.scrollWidth") <= 400
