"""Study visits: a city asks a mentor city from its match list, the host's coordinator answers, both record the
visit, the visitor writes what it will transfer. Each side may do only its part."""

from __future__ import annotations

import pytest

from icc.web.learning.models import StudyVisit

pytestmark = pytest.mark.django_db


@pytest.fixture
def area():
    """An area in which Bilbao (whose coordinator is a persona) is among Oslo's matches."""
    from icc.web.learning import matching, practices
    from icc.web.network.models import City

    oslo = City.objects.get(slug="oslo")
    for item, _name in practices.area_choices("en"):
        if "bilbao" in matching.matches(oslo, item, limit=None).table.index:
            return item
    pytest.fail("Bilbao is a match of Oslo in no area of the demo network")


def _request(client, area, host="bilbao", message="We would like to visit in May."):
    return client.post("/visits/request/", {"city": "oslo", "host": host, "area": area, "message": message})


def _act(client, visit, action, **values):
    visit.refresh_from_db()
    return client.post(f"/visits/{visit.pk}/", {"action": action, "revision": visit.revision, **values})


def test_the_match_page_lists_stronger_cities_with_the_parts_of_their_score(personas):
    r = personas["oslo"].get("/visits/match/?area=education")
    assert r.status_code == 200
    page = r.content.decode()
    assert "Score gap" in page and "Shared language" in page
    assert "Ask " in page  # an official of the city may ask


def test_a_bad_area_is_named(personas):
    r = personas["oslo"].get("/visits/match/?city=oslo&area=cooking")
    assert r.status_code == 400 and "cooking is not one of the choices" in r.content.decode()


def test_a_request_is_answered_by_the_hosts_coordinator_only(personas, area):
    assert _request(personas["oslo"], area).status_code == 302
    visit = StudyVisit.objects.get(visitor__slug="oslo", host__slug="bilbao", area=area)
    assert visit.status == "requested" and visit.match  # the match at the time of asking is kept
    assert _act(personas["oslo"], visit, "accept").status_code == 400  # the visitor cannot accept
    assert personas["expert"].get(f"/visits/{visit.pk}/").status_code == 404  # not a side of the visit
    assert _act(personas["bilbao"], visit, "accept", reply="Welcome!").status_code == 302
    visit.refresh_from_db()
    assert visit.status == "accepted" and visit.reply == "Welcome!"
    for client in ("oslo", "bilbao"):  # the visit appears for both cities
        assert f'href="/visits/{visit.pk}/"' in personas[client].get("/visits/").content.decode()


def test_declining_needs_a_message(personas, area):
    _request(personas["oslo"], area)
    visit = StudyVisit.objects.get(visitor__slug="oslo", host__slug="bilbao", area=area)
    r = _act(personas["bilbao"], visit, "decline")
    assert r.status_code == 400 and "why you decline" in r.content.decode()
    _act(personas["bilbao"], visit, "decline", reply="Not this year.")
    visit.refresh_from_db()
    assert visit.status == "declined"


def test_a_second_open_request_is_refused(personas, area):
    _request(personas["oslo"], area)
    r = _request(personas["oslo"], area)
    assert r.status_code == 302
    assert StudyVisit.objects.filter(visitor__slug="oslo", host__slug="bilbao", area=area).count() == 1


def test_a_city_cannot_ask_on_behalf_of_another(personas):
    r = personas["bilbao"].post(
        "/visits/request/", {"city": "oslo", "host": "lublin", "area": "education", "message": "Hello"}
    )
    assert r.status_code == 302
    assert not StudyVisit.objects.filter(visitor__slug="oslo", host__slug="lublin").exists()


def test_the_visit_is_recorded_then_followed_up(personas, area):
    _request(personas["oslo"], area)
    visit = StudyVisit.objects.get(visitor__slug="oslo", host__slug="bilbao", area=area)
    _act(personas["bilbao"], visit, "accept", reply="")
    r = _act(personas["oslo"], visit, "done")
    assert r.status_code == 400 and "first and last day" in r.content.decode()
    r = _act(personas["bilbao"], visit, "done", starts="2026-05-04", ends="2026-05-03")
    assert r.status_code == 400 and "before the first" in r.content.decode()
    r = _act(
        personas["bilbao"],
        visit,
        "done",
        starts="2026-05-04",
        ends="2026-05-05",
        participants="Three",
        programme="Schools",
    )
    assert r.status_code == 302
    assert _act(personas["bilbao"], visit, "transfer", transfer="x").status_code == 400  # the visitor's to write
    assert _act(personas["oslo"], visit, "transfer", transfer="Mixed parents' groups").status_code == 302
    visit.refresh_from_db()
    assert visit.status == "done" and visit.transfer == "Mixed parents' groups"
    assert str(visit.starts) == "2026-05-04" and visit.participants == "Three"


def test_the_visits_download_is_the_secretariats(personas):
    assert personas["secretariat"].get("/visits/download.csv").status_code == 200
    assert personas["oslo"].get("/visits/download.csv").status_code == 403
