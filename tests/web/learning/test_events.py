"""Events: the public programme, registration of officials and experts (refused when full or begun), the
secretariat's forms, attendance, materials and downloads. Each POST is checked by reading the database again."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.utils import timezone

from icc.web.accounts.models import User
from icc.web.learning.models import Event, EventMaterial, Registration
from icc.web.network.models import City

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _today():
    return timezone.localdate()


def _event(days_from_today=30, length=2, **fields):
    starts = _today() + timedelta(days=days_from_today)
    values = {
        "kind": Event.Kind.WORKSHOP,
        "title": "Workshop on welcoming policies",
        "starts": starts,
        "ends": starts + timedelta(days=length - 1),
        "place": "Bilbao, city hall",
        "host": City.objects.get(slug="bilbao"),
        "programme": "Morning: three cities compare their welcome desks.",
        "areas": ["welcoming"],
        "capacity": 20,
    }
    return Event.objects.create(**(values | fields))


def _register(client, event, action="register"):
    return client.post(f"/events/{event.pk}/registration/", {"action": action})


def _registered(event):
    return sorted(Registration.objects.filter(event=event).values_list("user__username", flat=True))


FORM = {
    "kind": "academy",
    "title": "Intercultural Academy on public space",
    "starts": "2031-05-12",
    "ends": "2031-05-14",
    "place": "Mechelen, cultural centre",
    "host": "",
    "programme": "Three days of walks and design sessions.",
    "area_list": ["public-space", "neighbourhoods"],
    "capacity": "40",
}


# --- the programme -----------------------------------------------------------------------------------------------


def test_the_programme_is_public_upcoming_events_first(personas):
    past = _event(-60, title="A meeting that took place")
    soon = _event(10, title="A workshop coming soon")
    later = _event(90, title="An academy later on")
    page = personas["anonymous"].get("/events/").content.decode()
    assert page.index(soon.title) < page.index(later.title) < page.index(past.title)
    assert "Upcoming events" in page and "Past events" in page
    detail = personas["anonymous"].get(f"/events/{soon.pk}/")
    assert detail.status_code == 200
    text = detail.content.decode()
    assert "three cities compare their welcome desks" in text and "Bilbao, city hall" in text
    assert "20 of 20" in text  # places left of the capacity


def test_the_list_filters_by_kind_year_and_area(personas):
    workshop = _event(20, title="Workshop on welcoming policies")
    training = _event(40, title="Training on media work", kind=Event.Kind.TRAINING, areas=["media"])
    page = personas["anonymous"].get("/events/?kind=training").content.decode()
    assert training.title in page and workshop.title not in page
    page = personas["anonymous"].get("/events/?area=welcoming").content.decode()
    assert workshop.title in page and training.title not in page
    year = workshop.starts.year
    page = personas["anonymous"].get(f"/events/?year={year}").content.decode()
    assert workshop.title in page


@pytest.mark.parametrize(
    "query, message",
    [("kind=party", "party is not one of the choices"), ("year=1850", "1850 is not one of the choices"),
     ("area=cooking", "cooking is not one of the choices")],
)  # fmt: skip
def test_a_bad_filter_is_named(personas, query, message):
    _event()
    r = personas["anonymous"].get(f"/events/?{query}")
    assert r.status_code == 400 and message in r.content.decode()


def test_the_participants_are_listed_to_signed_in_members_only(personas):
    event = _event()
    assert _register(personas["oslo-education"], event).status_code == 302
    anonymous = personas["anonymous"].get(f"/events/{event.pk}/").content.decode()
    assert "oslo-education" not in anonymous and "Participants" not in anonymous
    signed_in = personas["bilbao"].get(f"/events/{event.pk}/").content.decode()
    assert "oslo-education" in signed_in and "19 of 20" in signed_in


# --- registration ------------------------------------------------------------------------------------------------


def test_an_official_registers_for_their_city_and_cancels(personas):
    event = _event()
    assert _register(personas["oslo"], event).status_code == 302
    r = Registration.objects.get(event=event)
    assert r.user.username == "oslo" and r.city.slug == "oslo" and r.attended is None
    assert "You are registered" in personas["oslo"].get(f"/events/{event.pk}/?registered=1").content.decode()
    assert _register(personas["oslo"], event).status_code == 302  # twice: still one registration
    assert _registered(event) == ["oslo"]
    assert _register(personas["oslo"], event, "cancel").status_code == 302
    assert _registered(event) == []


def test_an_expert_registers_without_a_city(personas):
    event = _event()
    _register(personas["expert"], event)
    assert Registration.objects.get(event=event).city is None


def test_registration_is_refused_when_the_event_is_full(personas):
    event = _event(capacity=1)
    _register(personas["oslo"], event)
    r = _register(personas["bilbao"], event)
    assert r.status_code == 400 and "The event is full" in r.content.decode()
    assert _registered(event) == ["oslo"]


@pytest.mark.parametrize("days, message", [(-30, "has taken place"), (-1, "has begun")])
def test_registration_is_refused_once_the_event_has_begun(personas, days, message):
    event = _event(days, length=3)
    r = _register(personas["oslo"], event)
    assert r.status_code == 400 and message in r.content.decode()
    assert _registered(event) == []


def test_a_registration_cannot_be_cancelled_after_the_event(personas):
    event = _event(-10)
    Registration.objects.create(event=event, user=User.objects.get(username="oslo"), registered=timezone.now())
    r = _register(personas["oslo"], event, "cancel")
    assert r.status_code == 400 and "can no longer be cancelled" in r.content.decode()
    assert _registered(event) == ["oslo"]


def test_anonymous_visitors_and_the_secretariat_do_not_register(personas):
    event = _event()
    assert _register(personas["anonymous"], event).status_code == 302  # to the login page
    r = _register(personas["secretariat"], event)
    assert r.status_code == 400 and "the secretariat organises them" in r.content.decode()
    assert _registered(event) == []


# --- the secretariat's forms -------------------------------------------------------------------------------------


def test_the_secretariat_creates_and_edits_an_event(personas):
    r = personas["secretariat"].post("/events/new/", FORM)
    assert r.status_code == 302
    event = Event.objects.get(title=FORM["title"])
    assert event.areas == ["public-space", "neighbourhoods"] and event.capacity == 40 and event.host is None
    edited = FORM | {"capacity": "", "host": str(City.objects.get(slug="mechelen").pk)}
    assert personas["secretariat"].post(f"/events/{event.pk}/edit/", edited).status_code == 302
    event.refresh_from_db()
    assert event.capacity is None and event.host.slug == "mechelen"


@pytest.mark.parametrize("client", ["anonymous", "oslo", "expert"])
def test_only_the_secretariat_changes_events(personas, client):
    event = _event()
    for url in ("/events/new/", f"/events/{event.pk}/edit/"):
        r = personas[client].post(url, FORM)
        assert r.status_code == (302 if client == "anonymous" else 403)
        if client == "anonymous":
            assert "/login" in r["Location"]
    assert not Event.objects.filter(title=FORM["title"]).exists()


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"ends": "2031-05-01"}, "The last day (2031-05-01) is before the first day (2031-05-12)."),
        ({"capacity": "0"}, "Give at least one place"),
        ({"starts": "next spring"}, "Enter a valid date."),
        ({"title": ""}, "This field is required."),
        ({"area_list": ["cooking"]}, "Select a valid choice."),
    ],
)
def test_a_bad_event_form_says_what_to_change_and_saves_nothing(personas, changes, message):
    r = personas["secretariat"].post("/events/new/", FORM | changes)
    assert r.status_code == 400 and message in r.content.decode()
    assert not Event.objects.filter(place=FORM["place"]).exists()


def test_the_places_cannot_be_fewer_than_the_registered(personas):
    event = _event(capacity=5)
    _register(personas["oslo"], event)
    _register(personas["bilbao"], event)
    form = FORM | {"capacity": "1", "starts": event.starts.isoformat(), "ends": event.ends.isoformat()}
    r = personas["secretariat"].post(f"/events/{event.pk}/edit/", form)
    assert r.status_code == 400 and "2 people are registered already" in r.content.decode()
    event.refresh_from_db()
    assert event.capacity == 5 and event.title == "Workshop on welcoming policies"


# --- attendance ----------------------------------------------------------------------------------------------


def _two_registrations(event):
    now = timezone.now()
    return [
        Registration.objects.create(event=event, user=User.objects.get(username=name), registered=now)
        for name in ("oslo", "bilbao")
    ]


def test_the_secretariat_marks_attendance_after_the_event(personas):
    event = _event(-20)
    came, absent = _two_registrations(event)
    page = personas["secretariat"].get(f"/events/{event.pk}/").content.decode()
    assert 'name="attended"' in page
    r = personas["secretariat"].post(
        f"/events/{event.pk}/attendance/", {"shown": [came.pk, absent.pk], "attended": [came.pk]}
    )
    assert r.status_code == 302
    came.refresh_from_db()
    absent.refresh_from_db()
    assert came.attended is True and absent.attended is False
    page = personas["secretariat"].get(f"/events/{event.pk}/").content.decode()
    assert "Attended" in page


def test_attendance_waits_for_the_event_and_is_the_secretariats(personas):
    event = _event(15)
    came, _absent = _two_registrations(event)
    r = personas["secretariat"].post(f"/events/{event.pk}/attendance/", {"shown": [came.pk], "attended": [came.pk]})
    assert r.status_code == 400 and "once the event has begun" in r.content.decode()
    past = _event(-5)
    other, _ = _two_registrations(past)
    r = personas["oslo"].post(f"/events/{past.pk}/attendance/", {"shown": [other.pk], "attended": [other.pk]})
    assert r.status_code == 403
    came.refresh_from_db()
    other.refresh_from_db()
    assert came.attended is None and other.attended is None


# --- materials -----------------------------------------------------------------------------------------------


def test_materials_are_checked_uploaded_by_the_secretariat_and_public(personas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    event = _event()
    fake = io.BytesIO(b"MZ this is not a PDF")
    fake.name = "slides.pdf"
    r = personas["secretariat"].post(f"/events/{event.pk}/materials/", {"file": fake})
    assert r.status_code == 400 and "is not a .pdf file" in r.content.decode()
    assert not EventMaterial.objects.filter(event=event).exists()
    real = io.BytesIO(PDF)
    real.name = "../programme.pdf"
    assert personas["secretariat"].post(f"/events/{event.pk}/materials/", {"file": real}).status_code == 302
    material = EventMaterial.objects.get(event=event)
    assert material.name == "programme.pdf" and material.size == len(PDF)
    download = personas["anonymous"].get(f"/events/{event.pk}/materials/{material.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    other = io.BytesIO(PDF)
    other.name = "mine.pdf"
    assert personas["oslo"].post(f"/events/{event.pk}/materials/", {"file": other}).status_code == 403
    assert personas["oslo"].post(f"/events/{event.pk}/materials/{material.pk}/remove/").status_code == 403
    assert personas["secretariat"].post(f"/events/{event.pk}/materials/{material.pk}/remove/").status_code == 302
    assert not EventMaterial.objects.filter(event=event).exists()


# --- downloads -----------------------------------------------------------------------------------------------


def test_the_secretariat_downloads_the_events_with_their_counts(personas):
    event = _event(-3, title="A past workshop to count")
    came, _absent = _two_registrations(event)
    Registration.objects.filter(pk=came.pk).update(attended=True)
    r = personas["secretariat"].get("/events/download.csv")
    assert r.status_code == 200 and r.content.startswith("\ufeff".encode())
    lines = r.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "id,kind,title,starts,ends,place,host,areas,capacity,registered,attended,places_left,demo"
    row = next(line for line in lines if "A past workshop to count" in line)
    assert row.endswith(",welcoming,20,2,1,18,False")
    assert len(lines) - 1 == Event.objects.count()
    x = personas["secretariat"].get("/events/download.xlsx")
    assert x.status_code == 200 and x.content[:2] == b"PK"


def test_the_registrations_download_has_a_row_per_registration(personas):
    event = _event(-3, title="A past workshop to count")
    _two_registrations(event)
    r = personas["secretariat"].get("/events/download.csv?registrations=1&kind=workshop")
    lines = r.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("event,title,starts,ends,user,name,email,role,city,registered,attended")
    mine = [line for line in lines if line.startswith(f"{event.pk},")]
    assert len(mine) == 2 and ",oslo," in mine[0] and ",bilbao," in mine[1]


@pytest.mark.parametrize("client, status", [("anonymous", 302), ("oslo", 403), ("expert", 403)])
def test_only_the_secretariat_downloads(personas, client, status):
    assert personas[client].get("/events/download.csv").status_code == status
    assert personas[client].get("/events/download.csv?registrations=1").status_code == status


def test_an_unknown_format_is_not_found(personas):
    assert personas["secretariat"].get("/events/download.pdf").status_code == 404


# --- French ------------------------------------------------------------------------------------------------------


def test_the_events_pages_render_in_french(french):
    event = _event()
    page = french.get("/events/")
    assert page.status_code == 200
    assert '<html lang="fr">' in page.content.decode() and "Domaine" in page.content.decode()
    assert french.get(f"/events/{event.pk}/").status_code == 200


# --- demo data ---------------------------------------------------------------------------------------------------


def test_the_demo_events_load_the_same_rows_twice_and_clear():
    from datetime import UTC, datetime

    from icc.web.learning import demo_events
    from icc.web.learning.models import ExpertProfile, ExpertVisit

    as_of = datetime(2026, 1, 1, tzinfo=UTC)
    first = demo_events.load(as_of)
    titles = list(Event.objects.filter(is_demo=True).order_by("starts").values_list("title", "starts"))
    assert demo_events.load(as_of) == first
    assert list(Event.objects.filter(is_demo=True).order_by("starts").values_list("title", "starts")) == titles
    assert first["events"] >= 12 and first["expert_visits"] >= 6
    years = {starts.year for _title, starts in titles}
    assert years == {2024, 2025, 2026, 2027}
    assert set(Event.objects.filter(is_demo=True).values_list("kind", flat=True)) == set(Event.Kind.values)
    for v in ExpertVisit.objects.filter(is_demo=True):
        assert 2 <= v.recommendations.count() <= 5 and v.experts.filter(username="expert").exists()
    past = Registration.objects.filter(event__is_demo=True, event__ends__lt=as_of.date())
    assert past.exists() and not past.filter(attended__isnull=True).exists()
    assert not Registration.objects.filter(event__is_demo=True, event__starts__gt=as_of.date(), attended__isnull=False)
    assert ExpertProfile.objects.get(user__username="expert").is_demo
    demo_events.clear()
    assert not Event.objects.filter(is_demo=True).exists() and not ExpertVisit.objects.filter(is_demo=True).exists()
    assert not ExpertProfile.objects.filter(is_demo=True).exists()
