"""Joint campaigns and the multi-level governance group: public pages, the secretariat's campaigns and bodies, a
city's own row of a campaign (never another city's), messages for bad values with nothing saved, the demo data,
the French pages."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from icc.web.learning import demo_competence
from icc.web.learning.models import Campaign, CampaignCity, Event, GovernanceBody
from icc.web.network.models import City

pytestmark = pytest.mark.django_db

AS_OF = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture
def week(db):
    c = Campaign.objects.create(
        title="Test week of welcome", message="Everyone is welcome.", starts=date(2025, 10, 1), ends=date(2025, 10, 7),
        materials="Posters: https://example.org/posters",
    )  # fmt: skip
    city = {s: City.objects.get(slug=s) for s in ("bilbao", "lublin", "barcelona")}
    CampaignCity.objects.create(campaign=c, city=city["bilbao"], actions="Street stands", reach=1200)
    CampaignCity.objects.create(campaign=c, city=city["lublin"], actions="A concert", reach=800)
    CampaignCity.objects.create(campaign=c, city=city["barcelona"], actions="Posters", reach=None)
    return c


def _join(client, campaign, city="oslo", actions="Welcome walks", reach="250", **extra):
    return client.post(
        f"/campaigns/{campaign.pk}/participation/", {"city": city, "actions": actions, "reach": reach, **extra}
    )


# --- campaigns ---------------------------------------------------------------------------------------------


def test_anyone_reads_a_campaign_with_its_cities_and_total_reach(personas, week):
    r = personas["anonymous"].get("/campaigns/")
    assert r.status_code == 200 and "Test week of welcome" in r.content.decode()
    page = personas["anonymous"].get(f"/campaigns/{week.pk}/").content.decode()
    assert "Everyone is welcome." in page and 'href="https://example.org/posters"' in page
    assert "Street stands" in page and "A concert" in page
    assert "2,000" in page and "1 city did not report its reach" in page
    assert "Join the campaign" not in page


def test_the_secretariat_creates_and_edits_a_campaign(personas):
    data = {"title": "Open doors day", "message": "Come in.", "starts": "2026-05-02", "ends": "", "materials": ""}
    r = personas["secretariat"].post("/campaigns/new/", data)
    assert r.status_code == 302
    c = Campaign.objects.get(title="Open doors day")
    assert c.starts == date(2026, 5, 2) and c.ends is None
    r = personas["secretariat"].post(f"/campaigns/{c.pk}/edit/", {**data, "ends": "2026-05-03", "title": "Open doors"})
    assert r.status_code == 302
    c.refresh_from_db()
    assert c.title == "Open doors" and c.ends == date(2026, 5, 3)


def test_a_campaign_that_ends_before_it_starts_is_refused_and_not_saved(personas):
    data = {"title": "Backwards week", "message": "x", "starts": "2026-05-10", "ends": "2026-05-01", "materials": ""}
    r = personas["secretariat"].post("/campaigns/new/", data)
    assert r.status_code == 400 and "ends before it starts" in r.content.decode()
    r = personas["secretariat"].post("/campaigns/new/", {**data, "title": "", "starts": "soon", "ends": ""})
    assert r.status_code == 400 and "2 fields need a change" in r.content.decode()
    assert not Campaign.objects.filter(message="x").exists()


def test_only_the_secretariat_creates_or_edits_a_campaign(personas, week):
    data = {"title": "Mine", "message": "x", "starts": "2026-05-10", "ends": "", "materials": ""}
    assert personas["oslo"].post("/campaigns/new/", data).status_code == 403
    assert personas["oslo"].post(f"/campaigns/{week.pk}/edit/", data).status_code == 403
    assert personas["anonymous"].post("/campaigns/new/", data).status_code == 302
    week.refresh_from_db()
    assert week.title == "Test week of welcome" and not Campaign.objects.filter(title="Mine").exists()


def test_an_official_joins_and_edits_their_citys_row(personas, week):
    page = personas["oslo"].get(f"/campaigns/{week.pk}/").content.decode()
    assert "Join the campaign for Oslo" in page
    assert _join(personas["oslo"], week).status_code == 302
    row = CampaignCity.objects.get(campaign=week, city__slug="oslo")
    assert (row.actions, row.reach) == ("Welcome walks", 250)
    assert _join(personas["oslo-education"], week, actions="Walks and a meal", reach="").status_code == 302
    row.refresh_from_db()
    assert (row.actions, row.reach) == ("Walks and a meal", None)
    assert _join(personas["oslo"], week, reach="0").status_code == 302
    row.refresh_from_db()
    assert row.reach == 0
    assert "2,000" in personas["anonymous"].get(f"/campaigns/{week.pk}/").content.decode()
    assert _join(personas["oslo"], week, action="leave").status_code == 302
    assert not CampaignCity.objects.filter(campaign=week, city__slug="oslo").exists()


def test_nobody_edits_another_citys_row(personas, week):
    assert _join(personas["oslo"], week, city="bilbao", actions="Taken over", reach="1").status_code == 403
    assert _join(personas["oslo"], week, city="bilbao", action="leave").status_code == 403
    assert _join(personas["expert"], week, city="bilbao", actions="Taken over").status_code == 403
    assert _join(personas["anonymous"], week, city="bilbao").status_code == 302
    row = CampaignCity.objects.get(campaign=week, city__slug="bilbao")
    assert (row.actions, row.reach) == ("Street stands", 1200)
    page = personas["oslo"].get(f"/campaigns/{week.pk}/").content.decode()
    assert 'name="city" value="bilbao"' not in page


def test_a_bad_reach_or_no_actions_is_refused_with_a_message_and_nothing_saved(personas, week):
    r = _join(personas["oslo"], week, reach="-5")
    assert r.status_code == 400 and "as a whole number, 0 or more" in r.content.decode()
    r = _join(personas["oslo"], week, reach="many")
    assert r.status_code == 400 and "you gave “many”" in r.content.decode()
    r = _join(personas["oslo"], week, actions="  ", reach="10")
    assert r.status_code == 400 and "Say what Oslo does in the campaign." in r.content.decode()
    r = _join(personas["oslo"], week, reach="1000000000")
    assert r.status_code == 400 and "check the number" in r.content.decode()
    assert not CampaignCity.objects.filter(campaign=week, city__slug="oslo").exists()


def test_the_secretariat_may_correct_any_citys_row(personas, week):
    assert _join(personas["secretariat"], week, city="bilbao", actions="Street stands", reach="1300").status_code == 302
    assert CampaignCity.objects.get(campaign=week, city__slug="bilbao").reach == 1300


# --- multi-level governance --------------------------------------------------------------------------------


@pytest.fixture
def bodies(db):
    GovernanceBody.objects.all().delete()
    national = GovernanceBody.objects.create(name="Test national agency", level="national", country_code="NO")
    national.cities.set([City.objects.get(slug="oslo")])
    regional = GovernanceBody.objects.create(name="Test regional office", level="regional", country_code="ES")
    regional.cities.set([City.objects.get(slug="bilbao")])
    return national, regional


def test_anyone_reads_the_bodies_and_filters_them(personas, bodies):
    page = personas["anonymous"].get("/governance/").content.decode()
    assert "Test national agency" in page and "Test regional office" in page and "/network/cities/oslo/" in page
    page = personas["anonymous"].get("/governance/?level=regional").content.decode()
    assert "Test regional office" in page and "Test national agency" not in page
    page = personas["anonymous"].get("/governance/?country=NO").content.decode()
    assert "Test national agency" in page and "Test regional office" not in page
    r = personas["anonymous"].get("/governance/?level=planetary")
    assert r.status_code == 400 and "planetary is not one of the choices" in r.content.decode()


def test_the_secretariat_creates_a_body_with_its_cities_and_events(personas, bodies):
    event = Event.objects.create(
        kind="governance", title="Test governance meeting", starts=date(2025, 11, 3), ends=date(2025, 11, 3),
        place="Strasbourg",
    )  # fmt: skip
    ids = [City.objects.get(slug=s).pk for s in ("lublin",)]
    data = {"name": "Test ministry", "level": "national", "country_code": "pl", "description": "A ministry.",
            "cities": ids, "events": [event.pk]}  # fmt: skip
    assert personas["secretariat"].post("/governance/new/", data).status_code == 302
    body = GovernanceBody.objects.get(name="Test ministry")
    assert body.country_code == "PL"
    assert list(body.cities.values_list("slug", flat=True)) == ["lublin"]
    assert list(body.events.all()) == [event]
    assert "Test governance meeting" in personas["anonymous"].get("/governance/?country=PL").content.decode()
    r = personas["secretariat"].post(f"/governance/{body.pk}/edit/", {**data, "cities": [], "level": "regional"})
    assert r.status_code == 302
    body.refresh_from_db()
    assert body.level == "regional" and not body.cities.exists()


def test_a_bad_body_is_refused_with_a_message_and_nothing_saved(personas, bodies):
    data = {"name": "Nowhere office", "level": "national", "country_code": "XX", "description": ""}
    r = personas["secretariat"].post("/governance/new/", data)
    assert r.status_code == 400 and "XX is not an ISO country code" in r.content.decode()
    r = personas["secretariat"].post("/governance/new/", {**data, "country_code": "NO", "level": "galactic"})
    assert r.status_code == 400 and "galactic is not one of the available choices" in r.content.decode()
    assert not GovernanceBody.objects.filter(name="Nowhere office").exists()


def test_only_the_secretariat_edits_the_bodies(personas, bodies):
    national, _regional = bodies
    data = {"name": "Renamed", "level": "national", "country_code": "NO", "description": ""}
    assert personas["oslo"].post(f"/governance/{national.pk}/edit/", data).status_code == 403
    assert personas["oslo"].post("/governance/new/", data).status_code == 403
    national.refresh_from_db()
    assert national.name == "Test national agency"


# --- demo data and French pages -----------------------------------------------------------------------------


def test_the_demo_data_is_deterministic_labelled_and_cleared():
    first = demo_competence.load(AS_OF)
    snapshot = sorted(
        CampaignCity.objects.filter(campaign__is_demo=True).values_list("campaign__title", "city__slug", "reach")
    )
    assert demo_competence.load(AS_OF) == first
    again = sorted(
        CampaignCity.objects.filter(campaign__is_demo=True).values_list("campaign__title", "city__slug", "reach")
    )
    assert again == snapshot
    assert first["campaigns"] == 3 and first["governance_bodies"] == 6
    for c in Campaign.objects.filter(is_demo=True):
        assert 8 <= c.cities.count() <= 20
    from icc.web.learning.models import SelfAssessment, TrainingSession

    trained = set(TrainingSession.objects.filter(is_demo=True).values_list("city__slug", flat=True))
    assert {"oslo", "bilbao", "lublin"} <= trained and len(trained) == 10
    assert SelfAssessment.objects.filter(is_demo=True, phase="after").exists()
    assert all(b.cities.exists() for b in GovernanceBody.objects.filter(is_demo=True))
    demo_competence.clear()
    assert (
        not Campaign.objects.filter(is_demo=True).exists() and not TrainingSession.objects.filter(is_demo=True).exists()
    )


def test_the_campaign_and_governance_pages_render_in_french(french, week, bodies):
    for url in ("/campaigns/", f"/campaigns/{week.pk}/", "/governance/"):
        r = french.get(url)
        assert r.status_code == 200, url
        assert '<html lang="fr"' in r.content.decode()
