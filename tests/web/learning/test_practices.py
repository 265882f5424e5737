"""Good practices: the city's form, moderation (nothing unmoderated is public), who may edit, stale edits,
uploads, contact details and the secretariat's export."""

from __future__ import annotations

import io

import pytest

from icc.web.learning.models import GoodPractice

pytestmark = pytest.mark.django_db

FORM = {
    "city": "",
    "title": "Welcome walks for newcomers",
    "language": "en",
    "start": "2021",
    "end": "",
    "main_area": "welcoming",
    "other_areas": ["interaction"],
    "target_groups": ["newcomers"],
    "purpose": "Newcomers know few people and few places.",
    "actions": "Volunteers walk with newcomers through their district once a month.",
    "results": "300 walks in two years.",
    "evidence": "Counts kept by the volunteer office.",
    "cost": "under-10k",
    "contact": "Welcome office, Department of Social Affairs",
    "contact_email": "welcome@oslo.example.org",
    "links_text": "https://example.org/walks",
    "host_visits": "on",
    "revision": "0",
}


def _city_pk(slug):
    from icc.web.network.models import City

    return City.objects.get(slug=slug).pk


def _create(client, **changes):
    data = {**FORM, "city": _city_pk("oslo"), **changes}
    return client.post("/practices/new/", data)


def _practice(title=FORM["title"]):
    return GoodPractice.objects.get(title=title)


def _act(client, p, action, comment=""):
    p.refresh_from_db()
    return client.post(f"/practices/{p.pk}/action/", {"action": action, "revision": p.revision, "comment": comment})


def test_an_official_records_a_draft_that_is_not_public(personas):
    r = _create(personas["oslo"])
    assert r.status_code == 302
    p = _practice()
    assert p.status == "draft" and p.city.slug == "oslo"
    assert p.areas == ["welcoming", "interaction"]
    assert sorted(p.area_rows.values_list("area", flat=True)) == ["interaction", "welcoming"]
    assert p.links == ["https://example.org/walks"]
    assert personas["anonymous"].get(f"/practices/{p.pk}/").status_code == 404
    assert personas["bilbao"].get(f"/practices/{p.pk}/").status_code == 404
    assert FORM["title"] not in personas["anonymous"].get("/practices/?q=welcome+walks").content.decode()
    assert personas["oslo-education"].get(f"/practices/{p.pk}/").status_code == 200  # a colleague of the city


def test_moderation_publishes_only_what_the_secretariat_published(personas):
    _create(personas["oslo"])
    p = _practice()
    assert _act(personas["oslo"], p, "publish").status_code == 400  # a city cannot publish its own
    assert _act(personas["oslo"], p, "submit").status_code == 302
    p.refresh_from_db()
    assert p.status == "submitted" and p.submitted is not None
    assert personas["anonymous"].get(f"/practices/{p.pk}/").status_code == 404
    assert FORM["title"] in personas["secretariat"].get("/practices/mine/").content.decode()  # the queue
    assert _act(personas["secretariat"], p, "publish").status_code == 302
    page = personas["anonymous"].get("/practices/?q=welcome+walks").content.decode()
    assert FORM["title"] in page
    assert personas["anonymous"].get(f"/practices/{p.pk}/").status_code == 200


def test_returning_needs_a_comment_the_city_then_reads(personas):
    _create(personas["oslo"])
    p = _practice()
    _act(personas["oslo"], p, "submit")
    r = _act(personas["secretariat"], p, "return")
    assert r.status_code == 400 and "Write a comment" in r.content.decode()
    p.refresh_from_db()
    assert p.status == "submitted"
    _act(personas["secretariat"], p, "return", comment="Add the number of participants.")
    p.refresh_from_db()
    assert p.status == "returned"
    assert "Add the number of participants." in personas["oslo"].get(f"/practices/{p.pk}/").content.decode()
    assert _act(personas["oslo"], p, "submit").status_code == 302  # a returned record can be submitted again


def test_another_city_cannot_edit_or_move_a_record(personas):
    _create(personas["oslo"])
    p = _practice()
    _act(personas["oslo"], p, "submit")
    _act(personas["secretariat"], p, "publish")
    bilbao = personas["bilbao"]
    assert bilbao.get(f"/practices/{p.pk}/edit/").status_code == 403
    assert bilbao.post(f"/practices/{p.pk}/edit/", {**FORM, "city": _city_pk("bilbao")}).status_code == 403
    assert _act(bilbao, p, "return", comment="no").status_code == 400
    assert personas["expert"].get(f"/practices/{p.pk}/edit/").status_code == 403
    p.refresh_from_db()
    assert p.status == "published" and p.city.slug == "oslo"


def test_an_official_cannot_record_a_practice_for_another_city(personas):
    r = _create(personas["oslo"], city=_city_pk("bilbao"))
    assert r.status_code == 400
    assert not GoodPractice.objects.filter(title=FORM["title"]).exists()


def test_editing_a_published_record_sends_it_back_to_moderation(personas):
    _create(personas["oslo"])
    p = _practice()
    _act(personas["oslo"], p, "submit")
    _act(personas["secretariat"], p, "publish")
    p.refresh_from_db()
    r = personas["oslo"].post(
        f"/practices/{p.pk}/edit/", {**FORM, "city": _city_pk("oslo"), "title": "Welcome walks, second year",
                                     "revision": p.revision}
    )  # fmt: skip
    assert r.status_code == 302
    p.refresh_from_db()
    assert p.status == "submitted" and p.title == "Welcome walks, second year"
    assert personas["anonymous"].get(f"/practices/{p.pk}/").status_code == 404


def test_a_stale_form_is_refused_and_changes_nothing(personas):
    _create(personas["oslo"])
    p = _practice()
    first = p.revision
    personas["oslo"].post(
        f"/practices/{p.pk}/edit/", {**FORM, "city": _city_pk("oslo"), "results": "New", "revision": first}
    )
    r = personas["oslo-education"].post(
        f"/practices/{p.pk}/edit/", {**FORM, "city": _city_pk("oslo"), "results": "Older", "revision": first}
    )
    assert r.status_code == 400 and "changed by someone else" in r.content.decode()
    p.refresh_from_db()
    assert p.results == "New"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"end": "2019"}, "is before the first"),
        ({"links_text": "not a link"}, "is not a web address"),
        ({"start": "1200"}, "Give a year between"),
        ({"main_area": "nowhere"}, "Select a valid choice"),
        ({"other_areas": ["education", "language", "media"]}, "at most two other areas"),
        ({"target_groups": []}, "This field is required"),
    ],
)
def test_a_bad_form_says_what_to_change_and_saves_nothing(personas, changes, message):
    r = _create(personas["oslo"], **changes)
    assert r.status_code == 400
    assert message in r.content.decode()
    assert not GoodPractice.objects.filter(title=FORM["title"]).exists()


PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00"
    b"\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82"
)


def test_uploads_are_checked_by_content(personas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    _create(personas["oslo"])
    p = _practice()
    fake = io.BytesIO(b"MZ not an image at all")
    fake.name = "photo.png"
    r = personas["oslo"].post(f"/practices/{p.pk}/files/", {"file": fake})
    assert r.status_code == 400 and "is not a .png file" in r.content.decode()
    real = io.BytesIO(PNG)
    real.name = "../../walk.png"
    assert personas["oslo"].post(f"/practices/{p.pk}/files/", {"file": real}).status_code == 302
    stored = p.files.get()
    assert stored.name == "walk.png" and stored.is_image
    assert personas["oslo"].get(f"/practices/{p.pk}/files/{stored.pk}/").status_code == 200
    assert personas["anonymous"].get(f"/practices/{p.pk}/files/{stored.pk}/").status_code == 404  # not published
    other = io.BytesIO(PNG)
    other.name = "x.png"
    assert personas["bilbao"].post(f"/practices/{p.pk}/files/", {"file": other}).status_code == 403


def test_contact_details_are_for_signed_in_members_only(personas):
    p = GoodPractice.objects.filter(status="published").exclude(contact="").first()
    p.contact_email = "unit@city.example.org"
    p.save()
    anonymous = personas["anonymous"].get(f"/practices/{p.pk}/").content.decode()
    assert p.contact not in anonymous and "unit@city.example.org" not in anonymous
    signed_in = personas["expert"].get(f"/practices/{p.pk}/").content.decode()
    assert "unit@city.example.org" in signed_in


def test_the_secretariat_downloads_every_record(personas):
    r = personas["secretariat"].get("/practices/download.csv")
    assert r.status_code == 200 and r.content.startswith("\ufeff".encode())
    lines = r.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("id,city,country,title")
    assert len(lines) - 1 >= GoodPractice.objects.count()
    x = personas["secretariat"].get("/practices/download.xlsx")
    assert x.status_code == 200 and x.content[:2] == b"PK"
    assert personas["oslo"].get("/practices/download.csv").status_code == 403
    assert personas["anonymous"].get("/practices/download.csv").status_code == 302


def test_the_list_filters_and_names_a_bad_filter(personas):
    r = personas["anonymous"].get("/practices/?area=education&language=fr")
    assert r.status_code == 200
    expected = GoodPractice.objects.filter(status="published", language="fr", area_rows__area="education").count()
    assert expected > 0
    assert f"{expected} good practice" in r.content.decode()
    bad = personas["anonymous"].get("/practices/?area=nowhere")
    assert bad.status_code == 400 and "nowhere is not one of the choices" in bad.content.decode()


def test_the_french_list_is_in_french(french):
    page = french.get("/practices/").content.decode()
    assert "Bonnes pratiques" in page
