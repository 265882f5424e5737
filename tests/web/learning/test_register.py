"""The member register, a city's register page, national networks and the board of candidates."""

from __future__ import annotations

import pytest

from icc.web.learning.models import Accession
from icc.web.network.models import City, NationalNetwork

pytestmark = pytest.mark.django_db


def test_the_register_lists_every_member_with_its_network(personas):
    r = personas["anonymous"].get("/network/")
    assert r.status_code == 200
    page = r.content.decode()
    assert f"{City.objects.filter(is_member=True).count()} member cities" in page
    assert "Tampere" not in page  # a candidate is not a member


def test_the_register_filters_by_network_and_names_a_bad_filter(personas):
    reci = NationalNetwork.objects.get(slug="reci")
    expected = City.objects.filter(is_member=True, national_network=reci).count()
    assert expected > 0
    page = personas["anonymous"].get("/network/?network=reci").content.decode()
    assert f"{expected} member cit" in page
    bad = personas["anonymous"].get("/network/?membership=gold")
    assert bad.status_code == 400 and "gold is not one of the choices" in bad.content.decode()


def test_coordinator_contacts_are_shown_to_signed_in_members_only(personas):
    from icc.web.accounts.models import User

    coordinator = User.objects.get(username="oslo")
    coordinator.email = "coordinator@oslo.example.org"
    coordinator.save()
    assert "coordinator@oslo.example.org" not in personas["anonymous"].get("/network/cities/oslo/").content.decode()
    assert "coordinator@oslo.example.org" in personas["bilbao"].get("/network/cities/oslo/").content.decode()
    network = NationalNetwork.objects.get(slug="reci")
    assert network.coordinator_email not in personas["anonymous"].get("/network/national/reci/").content.decode()
    assert network.coordinator_email in personas["oslo"].get("/network/national/reci/").content.decode()


def test_a_city_page_shows_its_facts_with_year_and_source(personas):
    page = personas["anonymous"].get("/network/cities/oslo/").content.decode()
    fact = City.objects.get(slug="oslo").facts.first()
    assert fact.source in page


def test_the_register_downloads_are_the_secretariats(personas):
    r = personas["secretariat"].get("/network/download.csv?network=reci")
    assert r.status_code == 200
    rows = r.content.decode("utf-8-sig").splitlines()
    assert rows[0].startswith("city,name,country,membership,national_network")
    assert len(rows) - 1 == City.objects.filter(is_member=True, national_network__slug="reci").count()
    assert personas["oslo"].get("/network/download.csv").status_code == 403


def test_the_board_of_candidates_is_the_secretariats(personas):
    assert personas["oslo"].get("/network/candidates/").status_code == 403
    page = personas["secretariat"].get("/network/candidates/").content.decode()
    assert "Tampere" in page and "Letter of intent" in page


def test_a_new_candidate_is_recorded_off_the_member_list(personas):
    r = personas["secretariat"].post(
        "/network/candidates/", {"name": "Tartu", "country_code": "ee", "requested": "2026-03-01"}
    )
    assert r.status_code == 302
    a = Accession.objects.get(city__slug="tartu")
    assert a.stage == "request" and not a.city.is_member and a.city.country_code == "EE"
    bad = personas["secretariat"].post("/network/candidates/", {"name": "Oslo", "country_code": "XX", "requested": ""})
    assert bad.status_code == 400
    text = bad.content.decode()
    assert "already in the register" in text and "not an ISO country code" in text


def _post(client, a, **values):
    a.refresh_from_db()
    data = {
        "stage": a.stage, "owner": "", "next_step": a.next_step, "next_step_due": "", "notes": "",
        "requested": a.requested.isoformat() if a.requested else "", "letter": a.letter.isoformat() if a.letter else "",
        "questionnaire": a.questionnaire.isoformat() if a.questionnaire else "",
        "expert_visit": a.expert_visit.isoformat() if a.expert_visit else "",
        "member_since": a.member_since.isoformat() if a.member_since else "", "revision": a.revision,
    }  # fmt: skip
    return client.post(f"/network/candidates/{a.pk}/", {**data, **values})


def test_reaching_member_puts_the_city_on_the_member_list(personas):
    a = Accession.objects.get(city__slug="kaunas")
    r = _post(personas["secretariat"], a, stage="member", member_since="2026-04-01")
    assert r.status_code == 302
    a.city.refresh_from_db()
    assert a.city.is_member and a.city.joined.isoformat() == "2026-04-01"
    assert "Kaunas" in personas["anonymous"].get("/network/").content.decode()


def test_a_stage_needs_its_date_and_dates_go_forward(personas):
    a = Accession.objects.get(city__slug="leuven")
    r = _post(personas["secretariat"], a, stage="letter")
    assert r.status_code == 400 and "Give the date the stage" in r.content.decode()
    r = _post(personas["secretariat"], a, stage="letter", letter="2000-01-01")
    assert r.status_code == 400 and "is before" in r.content.decode()
    a.refresh_from_db()
    assert a.stage == "request"


def test_a_stale_candidate_form_is_refused(personas):
    a = Accession.objects.get(city__slug="graz")
    old = a.revision
    _post(personas["secretariat"], a, next_step="Call the mayor")
    r = personas["secretariat"].post(
        f"/network/candidates/{a.pk}/",
        {"stage": a.stage, "requested": a.requested.isoformat(), "letter": a.letter.isoformat(),
         "questionnaire": a.questionnaire.isoformat(), "next_step": "Older", "revision": old},
    )  # fmt: skip
    assert r.status_code == 400 and "changed by someone else" in r.content.decode()
    a.refresh_from_db()
    assert a.next_step == "Call the mayor"


def test_the_coordinator_sets_the_hosting_details_and_the_secretariat_the_membership(personas):
    r = personas["oslo"].post("/network/cities/oslo/membership/", {"languages": "no, EN", "hosts_visits": ""})
    assert r.status_code == 302
    oslo = City.objects.get(slug="oslo")
    assert oslo.languages == "no,en" and not oslo.hosts_visits
    assert personas["oslo"].post("/network/cities/bilbao/membership/", {"languages": "es"}).status_code == 403
    assert personas["oslo-education"].get("/network/cities/oslo/membership/").status_code == 403  # not coordinator
    assert personas["anonymous"].get("/network/cities/oslo/membership/").status_code == 302
    bad = personas["oslo"].post("/network/cities/oslo/membership/", {"languages": "norsk", "hosts_visits": "on"})
    assert bad.status_code == 400 and "not a two-letter ISO 639-1 language code" in bad.content.decode()
    r = personas["secretariat"].post(
        "/network/cities/oslo/membership/",
        {"membership": "national", "national_network": NationalNetwork.objects.get(slug="reci").pk,
         "joined": "2010-05-01", "languages": "no", "hosts_visits": "on"},
    )  # fmt: skip
    assert r.status_code == 302
    oslo.refresh_from_db()
    assert oslo.membership == "national" and oslo.joined.isoformat() == "2010-05-01" and oslo.hosts_visits
