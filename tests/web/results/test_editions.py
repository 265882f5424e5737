"""The secretariat's edition pages: opening, inviting (with e-mails), closing, releasing the results and undoing it."""

from __future__ import annotations

import html
from datetime import date

import pytest
from django.conf import settings as django_settings
from django.core import mail

from icc.web.network.models import City, Edition
from icc.web.questionnaire.models import AuditEvent, Response

pytestmark = pytest.mark.django_db


def page(response) -> str:
    return html.unescape(response.content.decode())


def test_releasing_asks_for_confirmation_saying_what_is_published_and_what_becomes_public(
    personas, oslo_published_2026
):
    r = personas["secretariat"].post("/responses/editions/2026/status/", {"results": "release"})
    assert r.status_code == 302 and r["Location"].endswith("/responses/editions/2026/?confirm=release#release")
    assert Edition.objects.get(year=2026).results_released_at is None  # nothing happens without the confirmation
    text = page(personas["secretariat"].get(r["Location"]))
    assert "Release the results of edition 2026?" in text
    assert "1 of the 3 invited cities is published: its scores will be public." in text
    assert "2 responses are not published yet (Draft: 2); each will be public as soon as it is published." in text
    assert "Edition 2026 becomes the public default edition" in text
    assert "The edition is still open: cities can still answer it." in text
    assert "Rule: releasing an edition in which fewer than half of the invited cities are published" in text
    assert 'name="acknowledge" value="yes" required' in text
    assert "Only 1 of 3 invited cities is published: release edition 2026 anyway." in text


def test_releasing_with_fewer_than_half_published_needs_the_tick(personas, oslo_published_2026):
    c = personas["secretariat"]
    r = c.post("/responses/editions/2026/status/", {"results": "release", "confirm": "yes"})
    assert r.status_code == 400
    text = page(r)
    assert (
        "Only 1 of the 3 invited cities of edition 2026 is published, fewer than half: tick the box to release it "
        "anyway." in text
    )
    assert 'name="acknowledge"' in text  # the confirmation is shown again, with the box to tick
    assert Edition.objects.get(year=2026).results_released_at is None
    r = c.post("/responses/editions/2026/status/", {"results": "release", "confirm": "yes", "acknowledge": "yes"})
    assert r.status_code == 302 and Edition.objects.get(year=2026).results_released_at is not None
    event = AuditEvent.objects.get(edition__year=2026, action="results_released")
    assert event.detail == "1 of 3 invited published, 2 not yet published (released anyway: fewer than half published)"


def test_releasing_with_half_published_needs_no_tick(personas, oslo_published_2026):
    Response.objects.filter(edition__year=2026, city__slug="bilbao").update(status=Response.Status.PUBLISHED)
    Response.objects.filter(edition__year=2026).exclude(city__slug__in=["oslo", "bilbao"]).update(
        status=Response.Status.SUBMITTED
    )
    text = page(personas["secretariat"].get("/responses/editions/2026/?confirm=release"))
    assert "2 of the 3 invited cities are published: their scores will be public." in text
    assert "1 response is not published yet (Submitted: 1); it will be public as soon as it is published." in text
    assert 'name="acknowledge"' not in text
    r = personas["secretariat"].post("/responses/editions/2026/status/", {"results": "release", "confirm": "yes"})
    assert r.status_code == 302 and Edition.objects.get(year=2026).results_released_at is not None


def test_the_release_confirmation_follows_french_typography(personas, oslo_published_2026):
    c = personas["secretariat"]
    c.cookies.load({"django_language": "fr"})
    text = page(c.get("/responses/editions/2026/?confirm=release"))
    assert "(Brouillon\u00a0: 2)" in text
    assert "chacun sera public dès sa publication." in text


def test_the_secretariat_releases_an_edition_and_can_undo_it_with_a_record(personas, oslo_published_2026):
    from icc.web.accounts.models import User

    secretariat = User.objects.get(username="secretariat")
    c = personas["secretariat"]

    def default() -> int:
        return next(e["year"] for e in personas["anonymous"].get("/api/v1/editions").json() if e["default"])

    assert default() == default() == 2025  # now in the public cache
    r = c.post(
        "/responses/editions/2026/status/",
        {"results": "release", "confirm": "yes", "acknowledge": "yes"},
        follow=True,
    )
    assert "The results of edition 2026 are released: they are public now." in page(r)
    e = Edition.objects.get(year=2026)
    assert e.results_released_at is not None and e.results_released_by == secretariat
    assert "The 1 city with published results, 2026" in personas["anonymous"].get("/").content.decode()
    assert default() == 2026  # the cached answer did not outlive the release
    again = c.post("/responses/editions/2026/status/", {"results": "release", "confirm": "yes", "acknowledge": "yes"})
    assert again.status_code == 409 and "already released" in page(again)

    text = page(c.get("/responses/editions/2026/?confirm=unrelease"))
    assert "Withdraw the release of edition 2026?" in text and "The public default edition will be 2025." in text
    r = c.post("/responses/editions/2026/status/", {"results": "unrelease", "confirm": "yes"}, follow=True)
    assert "its published scores are provisional again" in page(r)
    e.refresh_from_db()
    assert e.results_released_at is None and e.results_released_by is None
    assert "Top 10 of 121 cities, 2025" in personas["anonymous"].get("/").content.decode()
    assert default() == 2025
    events = list(AuditEvent.objects.filter(edition=e, action__startswith="results_").values_list("action", "user"))
    assert events == [("results_released", secretariat.pk), ("results_unreleased", secretariat.pk)]
    history = page(c.get("/responses/editions/2026/"))
    assert "Release history" in history and "release withdrawn · secretariat" in history


def test_an_edition_with_nothing_published_cannot_be_released(personas):
    r = personas["secretariat"].post("/responses/editions/2026/status/", {"results": "release", "confirm": "yes"})
    assert r.status_code == 409
    assert "Nothing to release: no response of edition 2026 is published yet." in page(r)
    assert Edition.objects.get(year=2026).results_released_at is None
    assert not AuditEvent.objects.filter(action="results_released").exists()


def test_only_the_secretariat_releases(personas, oslo_published_2026):
    for who in ("oslo", "expert"):
        r = personas[who].post("/responses/editions/2026/status/", {"results": "release", "confirm": "yes"})
        assert r.status_code == 403
    assert Edition.objects.get(year=2026).results_released_at is None


def test_a_bad_results_or_status_value_is_refused_with_a_message(personas):
    r = personas["secretariat"].post("/responses/editions/2026/status/", {"results": "publish"})
    assert r.status_code == 400 and "results must be release or unrelease." in page(r)
    r = personas["secretariat"].post("/responses/editions/2026/status/", {"status": "gone"})
    assert r.status_code == 400 and "status must be open or closed" in page(r)


def test_opening_and_closing_the_answers_in_the_open_data_is_recorded(personas):
    c = personas["secretariat"]
    start = Edition.objects.get(year=2026).answers_public
    first, second = ("closed", "public") if start else ("public", "closed")
    c.post("/responses/editions/2026/status/", {"answers": first})
    c.post("/responses/editions/2026/status/", {"answers": first})  # no change: nothing to record
    c.post("/responses/editions/2026/status/", {"answers": second})
    assert Edition.objects.get(year=2026).answers_public == start
    events = list(
        AuditEvent.objects.filter(edition__year=2026, action__startswith="answers_").values_list(
            "action", "user__username"
        )
    )
    assert events == [(f"answers_{first}", "secretariat"), (f"answers_{second}", "secretariat")]


def test_closing_an_edition_asks_first_saying_what_it_does_to_the_responses_still_answered(personas):
    Response.objects.filter(edition__year=2026, city__slug="bilbao").update(status=Response.Status.SUBMITTED)
    text = page(personas["secretariat"].get("/responses/editions/2026/"))
    warning = (
        "Close edition 2026? 2 responses are still draft or returned: their cities can no longer change or submit "
        "them. 1 response is submitted: its review can go on (return, validate, publish). Nothing is deleted: "
        "reopening the edition lets the cities go on."
    )
    assert f'data-confirm="{warning}"' in text  # asked by confirm.js before the form is sent
    assert "icc/confirm.js" in text
    assert text.count(warning) == 2  # and said on the page, for a browser without JavaScript


def test_closing_and_reopening_are_recorded(personas):
    c = personas["secretariat"]
    c.post("/responses/editions/2026/status/", {"status": "closed"})
    c.post("/responses/editions/2026/status/", {"status": "open"})
    assert Edition.objects.get(year=2026).status == "open"
    actions = list(AuditEvent.objects.filter(edition__year=2026).values_list("action", flat=True))
    assert actions[-2:] == ["edition_closed", "edition_reopened"]


@pytest.mark.parametrize(
    "value, message",
    [
        ("oslo", "city='oslo' is not a city id"),
        ("1e3", "city='1e3' is not a city id"),
        ("-4", "city='-4' is not a city id"),
        ("99999999999999999999999999", "is not a city id"),
        ("9223372036854775807", "No member city has the id 9223372036854775807"),
    ],
)
def test_inviting_with_a_bad_city_id_is_a_client_error_with_a_message(personas, value, message):
    before = Response.objects.count()
    r = personas["secretariat"].post("/responses/editions/2026/invite/", {"city": [value]})
    assert r.status_code == 400 and message in page(r)
    assert Response.objects.count() == before


def test_inviting_nobody_says_so(personas):
    r = personas["secretariat"].post("/responses/editions/2026/invite/", {})
    assert r.status_code == 400 and "Tick at least one city to invite." in page(r)


def test_invited_cities_officials_get_an_email_in_their_language_with_a_link(
    personas, django_capture_on_commit_callbacks
):
    from icc.web.accounts.models import CityAssignment, Role, User

    bergen, drammen = City.objects.get(slug="bergen"), City.objects.get(slug="drammen")
    for name, city, language in (("bergen-en", bergen, "en"), ("bergen-fr", bergen, "fr"), ("drammen", drammen, "")):
        user = User.objects.create(username=name, email=f"{name}@example.org", role=Role.OFFICIAL, language=language)
        CityAssignment.objects.create(user=user, city=city, coordinator=name != "bergen-fr")
    User.objects.create(username="bergen-gone", email="gone@example.org", role=Role.OFFICIAL, is_active=False)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        r = personas["secretariat"].post("/responses/editions/2026/invite/", {"city": [bergen.pk, drammen.pk]})
    assert r.status_code == 302
    assert "2 cities invited." in page(personas["secretariat"].get(r["Location"]))
    response = Response.objects.get(city=bergen, edition__year=2026)
    by_address = {tuple(m.to): m for m in mail.outbox}
    assert set(by_address) == {("bergen-en@example.org",), ("bergen-fr@example.org",), ("drammen@example.org",)}
    english, french = by_address["bergen-en@example.org",], by_address["bergen-fr@example.org",]
    assert english.subject == "ICC Index 2026: Bergen is invited to answer the questionnaire"
    assert f"{django_settings.BASE_URL}/responses/{response.pk}/" in english.body
    assert "Please submit it by 2026-06-30." in english.body
    assert french.subject == "Indice ICC 2026 : Bergen est invitée à répondre au questionnaire"
    assert f"{django_settings.BASE_URL}/responses/{response.pk}/" in french.body
    assert "Drammen" in by_address["drammen@example.org",].subject
    assert set(AuditEvent.objects.filter(action="city_invited").values_list("city__slug", flat=True)) == {
        "bergen",
        "drammen",
    }


def test_the_invitation_link_uses_the_configured_base_address(personas, settings, django_capture_on_commit_callbacks):
    from icc.web.accounts.models import CityAssignment, Role, User

    settings.BASE_URL = "https://icc.example.org/"
    city = City.objects.get(slug="bergen")
    user = User.objects.create(username="bergen-en", email="b@example.org", role=Role.OFFICIAL)
    CityAssignment.objects.create(user=user, city=city, coordinator=True)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        personas["secretariat"].post("/responses/editions/2026/invite/", {"city": [city.pk]})
    response = Response.objects.get(city=city, edition__year=2026)
    assert f"https://icc.example.org/responses/{response.pk}/" in mail.outbox[0].body


def test_a_failed_invitation_sends_no_email(personas, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        personas["secretariat"].post("/responses/editions/2026/invite/", {"city": ["oslo"]})
    assert mail.outbox == []


def test_the_new_edition_form_shows_its_dates_in_french(personas):
    c = personas["secretariat"]
    c.cookies.load({"django_language": "fr"})
    text = page(c.get("/responses/editions/"))
    assert "Date d'ouverture" in text
    assert f'type="date" name="opens" value="{date.today().isoformat()}"' in text
    from icc.web.network.models import StoredFramework

    fw = StoredFramework.objects.get(framework_id="icc-2019")
    r = c.post(
        "/responses/editions/", {"year": 2031, "framework": fw.pk, "opens": "2031-01-15", "closes": "2030-06-30"}
    )
    text = page(r)
    assert 'name="opens" value="2031-01-15"' in text and 'name="closes" value="2030-06-30"' in text
    r = c.post(
        "/responses/editions/", {"year": 2031, "framework": fw.pk, "opens": "2031-01-15", "closes": "2031-06-30"}
    )
    e = Edition.objects.get(year=2031)
    assert (e.opens, e.closes, e.results_released_at) == (date(2031, 1, 15), date(2031, 6, 30), None)
    assert AuditEvent.objects.filter(action="edition_opened", edition=e).exists()


def test_the_edition_page_names_cities_in_the_page_language(personas):
    c = personas["secretariat"]
    c.cookies.load({"django_language": "fr"})
    text = page(c.get("/responses/editions/2026/"))
    assert "> Pompéi</label>" in text and "> Genève</label>" in text and "> Venise</label>" in text
    assert "> Pompei</label>" not in text and "> Geneva</label>" not in text
    assert text.index("> La Valette</label>") < text.index("> Larache</label>")  # in the French names' order
