"""Expert visits and the expert roster: who sees a visit and its report, the secretariat's forms and
recommendations, the download, experts' profiles. Each POST is checked by reading the database again."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pytest
from django.core.files.base import ContentFile

from icc.web.accounts.models import User
from icc.web.learning.models import ExpertProfile, ExpertVisit, VisitRecommendation
from icc.web.network.models import City

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def visit(db, settings, tmp_path):
    """A follow-up visit of the demo expert to Oslo, with a report and two recommendations."""
    settings.MEDIA_ROOT = tmp_path
    v = ExpertVisit.objects.create(
        city=City.objects.get(slug="oslo"),
        kind=ExpertVisit.Kind.FOLLOW_UP,
        starts=date(2026, 3, 10),
        ends=date(2026, 3, 11),
        stakeholders="Education department\nA network of parents' associations",
        created=datetime(2026, 2, 1, tzinfo=UTC),
    )
    v.experts.add(User.objects.get(username="expert"))
    v.report.save("oslo-visit-report.pdf", ContentFile(PDF), save=True)
    VisitRecommendation.objects.create(visit=v, area="education", priority=1, text="Plan the reception of pupils.")
    VisitRecommendation.objects.create(visit=v, area="media", priority=3, text="Train local journalists.")
    return v


def _form(**changes):
    values = {
        "city": str(City.objects.get(slug="bilbao").pk),
        "kind": "thematic",
        "starts": "2026-09-14",
        "ends": "2026-09-15",
        "experts": [str(User.objects.get(username="expert").pk)],
        "stakeholders": "Employment agency\nChamber of commerce",
    }
    return values | changes


def _upload(content=PDF, name="report.pdf"):
    f = io.BytesIO(content)
    f.name = name
    return f


# --- who sees what -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "client, status",
    [("secretariat", 200), ("expert", 200), ("oslo", 200), ("oslo-education", 200), ("bilbao", 404),
     ("expert-elsewhere", 404), ("anonymous", 302)],
)  # fmt: skip
def test_a_visit_and_its_report_are_seen_by_its_city_its_experts_and_the_secretariat(personas, visit, client, status):
    r = personas[client].get(f"/expert-visits/{visit.pk}/")
    assert r.status_code == status
    report = personas[client].get(f"/expert-visits/{visit.pk}/report/")
    assert report.status_code == status
    if status == 200:
        page = r.content.decode()
        assert "A network of parents&#x27; associations" in page and "oslo-visit-report.pdf" in page
        assert b"".join(report.streaming_content) == PDF
    if client == "anonymous":
        assert "/login" in r["Location"]


def test_the_list_shows_only_the_visits_a_user_may_see(personas, visit):
    link = f"/expert-visits/{visit.pk}/"
    assert link in personas["oslo"].get("/expert-visits/").content.decode()
    assert link in personas["expert"].get("/expert-visits/").content.decode()
    assert link not in personas["bilbao"].get("/expert-visits/").content.decode()
    assert link not in personas["expert-elsewhere"].get("/expert-visits/").content.decode()
    assert personas["anonymous"].get("/expert-visits/").status_code == 302


def test_the_list_names_a_bad_filter(personas, visit):
    r = personas["secretariat"].get("/expert-visits/?kind=holiday")
    assert r.status_code == 400 and "holiday is not one of the choices" in r.content.decode()
    page = personas["secretariat"].get("/expert-visits/?kind=follow_up&year=2026").content.decode()
    assert f"/expert-visits/{visit.pk}/" in page


def test_recommendations_show_their_area_and_priority(personas, visit):
    page = personas["oslo"].get(f"/expert-visits/{visit.pk}/").content.decode()
    assert "Plan the reception of pupils." in page and "High" in page and "Low" in page
    assert page.index("Plan the reception of pupils.") < page.index("Train local journalists.")  # area order
    assert "Add a recommendation" not in page  # the city reads; the secretariat writes


# --- the secretariat's forms -------------------------------------------------------------------------------------


def test_the_secretariat_records_a_visit_with_its_report(personas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    r = personas["secretariat"].post("/expert-visits/new/", _form(report_file=_upload()))
    assert r.status_code == 302
    v = ExpertVisit.objects.get(city__slug="bilbao", starts=date(2026, 9, 14))
    assert v.kind == "thematic" and [u.username for u in v.experts.all()] == ["expert"]
    assert v.created_by.username == "secretariat" and v.report.name.endswith(".pdf")
    assert personas["bilbao"].get(f"/expert-visits/{v.pk}/report/").status_code == 200
    changed = _form(stakeholders="Mayor's office", remove_report="on")
    assert personas["secretariat"].post(f"/expert-visits/{v.pk}/edit/", changed).status_code == 302
    v.refresh_from_db()
    assert v.stakeholders == "Mayor's office" and not v.report


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"ends": "2026-09-01"}, "The last day (2026-09-01) is before the first day (2026-09-14)."),
        ({"experts": []}, "This field is required."),
        ({"kind": "holiday"}, "Select a valid choice."),
        ({"report_file": "fake"}, "is not a .pdf file"),
        ({"report_file": "exe"}, "Files of type .exe are not accepted"),
    ],
)
def test_a_bad_visit_form_says_what_to_change_and_saves_nothing(personas, settings, tmp_path, changes, message):
    settings.MEDIA_ROOT = tmp_path
    if changes.get("report_file") == "fake":
        changes = {"report_file": _upload(b"MZ not a pdf")}
    elif changes.get("report_file") == "exe":
        changes = {"report_file": _upload(PDF, "report.exe")}
    before = ExpertVisit.objects.count()
    r = personas["secretariat"].post("/expert-visits/new/", _form(**changes))
    assert r.status_code == 400 and message in r.content.decode()
    assert ExpertVisit.objects.count() == before


def test_an_expert_is_chosen_among_experts_only(personas):
    official = str(User.objects.get(username="oslo").pk)
    r = personas["secretariat"].post("/expert-visits/new/", _form(experts=[official]))
    assert r.status_code == 400 and "Select a valid choice" in r.content.decode()


@pytest.mark.parametrize("client, status", [("anonymous", 302), ("oslo", 403), ("expert", 403)])
def test_only_the_secretariat_records_visits_and_recommendations(personas, visit, client, status):
    before = ExpertVisit.objects.count()
    assert personas[client].post("/expert-visits/new/", _form()).status_code == status
    assert personas[client].post(f"/expert-visits/{visit.pk}/edit/", _form()).status_code == status
    new = {"area": "welcoming", "priority": "1", "text": "Open a welcome desk."}
    assert personas[client].post(f"/expert-visits/{visit.pk}/recommendations/", new).status_code == status
    rec = visit.recommendations.first()
    url = f"/expert-visits/{visit.pk}/recommendations/{rec.pk}/"
    assert personas[client].post(url, new).status_code == status
    assert personas[client].post(url + "remove/").status_code == status
    visit.refresh_from_db()
    assert ExpertVisit.objects.count() == before and visit.city.slug == "oslo"
    assert sorted(visit.recommendations.values_list("area", flat=True)) == ["education", "media"]


def test_the_secretariat_adds_edits_and_removes_recommendations(personas, visit):
    base = f"/expert-visits/{visit.pk}/recommendations/"
    new = {"area": "welcoming", "priority": "2", "text": "Open one welcome desk for newcomers."}
    assert personas["secretariat"].post(base, new).status_code == 302
    added = visit.recommendations.get(area="welcoming")
    assert added.priority == 2 and added.text == new["text"]
    changed = {"area": "language", "priority": "1", "text": "Offer language courses at the welcome desk."}
    assert personas["secretariat"].post(f"{base}{added.pk}/", changed).status_code == 302
    added.refresh_from_db()
    assert (added.area, added.priority, added.text) == ("language", 1, changed["text"])
    assert personas["secretariat"].post(f"{base}{added.pk}/remove/").status_code == 302
    assert not VisitRecommendation.objects.filter(pk=added.pk).exists()


@pytest.mark.parametrize(
    "changes, message",
    [({"area": "cooking"}, "Select a valid choice"), ({"text": "   "}, "This field is required."),
     ({"priority": "9"}, "Select a valid choice")],
)  # fmt: skip
def test_a_bad_recommendation_is_refused_with_a_message(personas, visit, changes, message):
    new = {"area": "welcoming", "priority": "2", "text": "Open a welcome desk."} | changes
    r = personas["secretariat"].post(f"/expert-visits/{visit.pk}/recommendations/", new)
    assert r.status_code == 400 and message in r.content.decode()
    assert visit.recommendations.count() == 2


# --- the download ----------------------------------------------------------------------------------------------


def test_the_download_has_a_row_per_recommendation(personas, visit):
    r = personas["secretariat"].get("/expert-visits/download.csv")
    assert r.status_code == 200 and r.content.startswith("\ufeff".encode())
    import csv

    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["visit", "city", "country"] and "recommendation" in rows[0]
    mine = [row for row in rows[1:] if row[0] == str(visit.pk)]
    assert [(row[9], row[10], row[11]) for row in mine] == [
        ("education", "high", "Plan the reception of pupils."),
        ("media", "low", "Train local journalists."),
    ]
    assert mine[0][6] == "expert" and mine[0][8] == "True"
    x = personas["secretariat"].get("/expert-visits/download.xlsx")
    assert x.status_code == 200 and x.content[:2] == b"PK"


@pytest.mark.parametrize("client, status", [("anonymous", 302), ("oslo", 403), ("expert", 403)])
def test_only_the_secretariat_downloads_the_visits(personas, client, status):
    assert personas[client].get("/expert-visits/download.csv").status_code == status


# --- the roster ------------------------------------------------------------------------------------------------


@pytest.fixture
def profile(db):
    expert = User.objects.get(username="expert")
    expert.first_name, expert.last_name = "Demo", "Expert"
    expert.save()
    return ExpertProfile.objects.update_or_create(
        user=expert, defaults={"languages": "en,fr", "areas": ["education", "welcoming"]}
    )[0]


def test_the_roster_lists_experts_with_languages_areas_cities_and_visits(personas, profile, visit):
    assert personas["anonymous"].get("/experts/").status_code == 302
    page = personas["bilbao"].get("/experts/").content.decode()
    row = page[page.index("Demo Expert") :].split("</tr>")[0]
    assert "English" in row and "French" in row and "Welcoming" in row
    assert "Oslo" in row and "Bilbao" in row and "Lublin" in row  # assigned cities
    assert f"/expert-visits/{visit.pk}/" not in row  # Bilbao's official may not open Oslo's visit
    assert f"/expert-visits/{visit.pk}/" in personas["oslo"].get("/experts/").content.decode()
    assert "expert-elsewhere" in page  # an expert without a profile is listed too


def test_the_roster_filters_by_language_and_area(personas, profile):
    assert "Demo Expert" in personas["oslo"].get("/experts/?language=fr&area=education").content.decode()
    assert "Demo Expert" not in personas["oslo"].get("/experts/?area=media").content.decode()
    r = personas["oslo"].get("/experts/?language=xx")
    assert r.status_code == 400 and "xx is not one of the choices" in r.content.decode()


def test_an_expert_edits_their_own_profile(personas, profile):
    form = {"languages": "EN, es fr", "area_list": ["media"], "biography": "Works on local media."}
    assert personas["expert"].post(f"/experts/{profile.user.pk}/edit/", form).status_code == 302
    profile.refresh_from_db()
    assert profile.languages == "en,es,fr" and profile.areas == ["media"] and profile.biography == form["biography"]


def test_the_secretariat_writes_any_experts_profile(personas):
    other = User.objects.get(username="expert-elsewhere")
    form = {"languages": "de", "area_list": ["business"], "biography": ""}
    assert personas["secretariat"].post(f"/experts/{other.pk}/edit/", form).status_code == 302
    assert ExpertProfile.objects.get(user=other).areas == ["business"]


@pytest.mark.parametrize("client", ["expert-elsewhere", "oslo"])
def test_nobody_else_edits_a_profile(personas, profile, client):
    form = {"languages": "de", "area_list": [], "biography": "Changed"}
    assert personas[client].post(f"/experts/{profile.user.pk}/edit/", form).status_code == 403
    profile.refresh_from_db()
    assert profile.languages == "en,fr"


def test_a_bad_language_code_is_named_and_nothing_saved(personas, profile):
    form = {"languages": "en, english", "area_list": ["media"], "biography": ""}
    r = personas["expert"].post(f"/experts/{profile.user.pk}/edit/", form)
    assert r.status_code == 400 and "english is not a two-letter ISO 639-1 language code" in r.content.decode()
    profile.refresh_from_db()
    assert profile.languages == "en,fr" and profile.areas == ["education", "welcoming"]


def test_only_experts_have_profiles(personas):
    official = User.objects.get(username="oslo")
    assert personas["secretariat"].get(f"/experts/{official.pk}/edit/").status_code == 404


# --- French ------------------------------------------------------------------------------------------------------


def test_the_expert_pages_render_in_french(personas, visit, profile):
    client = personas["oslo"]
    client.cookies.load({"django_language": "fr"})
    for url in ("/expert-visits/", f"/expert-visits/{visit.pk}/", "/experts/"):
        r = client.get(url)
        assert r.status_code == 200 and '<html lang="fr">' in r.content.decode()
    assert "Français" in client.get("/experts/").content.decode()
