"""The XLSX import as the coordinator meets it: hidden answers kept, another city's file refused, what changed
listed, the upload limit in the page's language; every outcome re-read from the database or the page."""

from __future__ import annotations

import io
import uuid
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import load_workbook

from icc.web.questionnaire.models import Answer, AnswerChange

pytestmark = pytest.mark.django_db


def save(client, response, qid, version=0, **data):
    payload = {"version": version, "edit_key": str(uuid.uuid4()), **data}
    r = client.post(f"/responses/{response.pk}/answers/{qid}/", payload, HTTP_HX_REQUEST="true")
    assert r.status_code == 200, r.content
    return r


def exported(client, response):
    """The response's XLSX, its answers dated an hour before the export."""
    Answer.objects.filter(response=response).update(updated_at=timezone.now() - timedelta(hours=1))
    r = client.get(f"/responses/{response.pk}/xlsx/")
    assert r.status_code == 200
    return load_workbook(io.BytesIO(r.content))


def upload(client, response, wb, name="answers.xlsx"):
    buf = io.BytesIO()
    wb.save(buf)
    return client.post(f"/responses/{response.pk}/xlsx/upload/", {"file": SimpleUploadedFile(name, buf.getvalue())})


def cell(ws, qid, column="answer"):
    header = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        if row[0].value == qid:
            return ws.cell(row[0].row, header.index(column) + 1)
    raise AssertionError(qid)


def stored(response) -> dict[str, str]:
    return dict(Answer.objects.filter(response=response).values_list("question_id", "value"))


def test_an_import_keeps_the_hidden_answers_of_follow_up_questions_it_leaves_blank(personas, oslo_draft):
    oslo = personas["oslo"]
    save(oslo, oslo_draft, "commitment-strategy", value="yes")
    save(oslo, oslo_draft, "commitment-action-plan", value="no")
    save(oslo, oslo_draft, "commitment-evaluation", value="partly")
    save(oslo, oslo_draft, "commitment-strategy", version=1, value="no")  # the follow-ups are hidden, kept
    wb = exported(oslo, oslo_draft)
    ws = wb["answers"]
    assert cell(ws, "commitment-action-plan").value in (None, "")  # the file does not show hidden answers
    cell(ws, "commitment-statement").value = "yes"
    r = upload(oslo, oslo_draft, wb)
    assert r.status_code == 302
    values = stored(oslo_draft)
    assert values["commitment-action-plan"] == "no" and values["commitment-evaluation"] == "partly"
    assert values["commitment-statement"] == "yes"
    assert not AnswerChange.objects.filter(answer__response=oslo_draft, source="xlsx", new="").exists()


def test_an_import_that_shows_a_follow_up_again_may_clear_its_answer(personas, oslo_draft):
    oslo = personas["oslo"]
    save(oslo, oslo_draft, "commitment-strategy", value="yes")
    save(oslo, oslo_draft, "commitment-action-plan", value="no")
    save(oslo, oslo_draft, "commitment-strategy", version=1, value="no")
    wb = exported(oslo, oslo_draft)
    cell(wb["answers"], "commitment-strategy").value = "partly"  # asked again, and left blank on purpose
    assert upload(oslo, oslo_draft, wb).status_code == 302
    assert stored(oslo_draft)["commitment-action-plan"] == ""


def test_the_success_message_names_each_answer_changed_with_a_link_to_its_history(personas, oslo_draft):
    oslo = personas["oslo"]
    save(oslo, oslo_draft, "commitment-statement", value="yes")
    wb = exported(oslo, oslo_draft)
    cell(wb["answers"], "commitment-statement").value = "no"
    cell(wb["answers"], "commitment-strategy").value = "partly"
    r = upload(oslo, oslo_draft, wb)
    page = oslo.get(r["Location"]).content.decode()
    assert "2 answers changed from answers.xlsx: " in page
    history = f'href="/responses/{oslo_draft.pk}/answers/commitment-statement/history/"'
    assert history in page and "(commitment-strategy)" in page
    assert "&lt;a" not in page  # the links are links, not escaped text


def test_an_import_refuses_the_file_of_another_city_saying_which_it_is(personas, oslo_draft, bilbao_draft):
    wb = exported(personas["oslo"], oslo_draft)
    cell(wb["answers"], "commitment-strategy").value = "partly"
    r = upload(personas["bilbao"], bilbao_draft, wb, name="oslo.xlsx")
    assert r.status_code == 422
    page = r.content.decode()
    assert "this file is the response of Oslo 2026, not of Bilbao 2026" in page
    assert "commitment-strategy" not in stored(bilbao_draft)


def test_an_import_refuses_the_file_of_another_edition(personas, oslo_draft):
    wb = exported(personas["oslo"], oslo_draft)
    ws = wb["instructions"]
    for row in ws.iter_rows():
        if row[0].value == "Edition":
            row[1].value = 2025
    personas["oslo"].cookies.load({"django_language": "fr"})
    r = upload(personas["oslo"], oslo_draft, wb)
    assert r.status_code == 422
    assert "ce fichier est la réponse de Oslo 2025, pas de Oslo 2026" in r.content.decode()


def test_the_file_says_which_answers_are_carried_over_and_not_confirmed(personas, oslo_draft):
    Answer.objects.create(
        response=oslo_draft,
        question_id="commitment-statement",
        value="yes",
        updated_at=timezone.now(),
        carried_over_from=2025,
    )
    wb = exported(personas["oslo"], oslo_draft)
    assert cell(wb["answers"], "commitment-statement", "carried_over").value == 2025
    assert cell(wb["answers"], "commitment-strategy", "carried_over").value is None
    # the column is not read back: writing in it changes nothing
    cell(wb["answers"], "commitment-strategy", "carried_over").value = "2019"
    assert upload(personas["oslo"], oslo_draft, wb).status_code == 302
    assert Answer.objects.get(response=oslo_draft, question_id="commitment-statement").carried_over_from == 2025


def test_a_too_large_file_is_measured_in_the_page_language(personas, oslo_draft, monkeypatch):
    from icc.web.questionnaire import views

    monkeypatch.setattr(views, "UPLOAD_MAX", 1024 * 1024)
    client = personas["oslo"]
    client.cookies.load({"django_language": "fr"})
    f = SimpleUploadedFile("big.xlsx", b"x" * int(1.5 * 1024 * 1024))
    r = client.post(f"/responses/{oslo_draft.pk}/xlsx/upload/", {"file": f}, follow=True)
    assert "big.xlsx pèse 1,5 Mo" in r.content.decode()
