"""Filling the questionnaire: autosave, conflicts, idempotent repeats, evidence files, spreadsheets, history."""

from __future__ import annotations

import html
import io
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from icc.web.questionnaire.models import Answer, AnswerChange, EvidenceFile

pytestmark = pytest.mark.django_db


def save(client, response, qid, version=0, key=None, **data):
    payload = {"version": version, "edit_key": str(key or uuid.uuid4()), **data}
    return client.post(f"/responses/{response.pk}/answers/{qid}/", payload, HTTP_HX_REQUEST="true")


def test_an_official_sees_their_response_and_its_sections(personas, oslo_draft):
    page = personas["oslo"].get("/responses/").content.decode()
    assert "Oslo" in page and "Bilbao" not in page
    page = personas["oslo"].get(f"/responses/{oslo_draft.pk}/").content.decode()
    assert "0 of" in page and "Commitment" in page and "Public space" in page
    page = personas["oslo"].get(f"/responses/{oslo_draft.pk}/sections/commitment/").content.decode()
    assert 'id="q-commitment-strategy"' in page and 'name="version" value="0"' in page


def test_autosave_stores_the_answer_with_its_history(personas, oslo_draft):
    r = save(personas["oslo"], oslo_draft, "commitment-strategy", value="yes", evidence_text="Adopted in 2024")
    assert r.status_code == 200 and "Saved" in r.content.decode()
    assert 'name="version" value="1"' in r.content.decode()  # the new version, swapped into the form
    a = Answer.objects.get(response=oslo_draft, question_id="commitment-strategy")
    assert (a.value, a.evidence_text, a.version, a.updated_by.username) == ("yes", "Adopted in 2024", 1, "oslo")
    assert sorted(AnswerChange.objects.filter(answer=a).values_list("field", "old", "new")) == [
        ("evidence_text", "", "Adopted in 2024"),
        ("value", "", "yes"),
    ]


def test_each_save_updates_the_section_and_overall_progress(personas, oslo_draft):
    page = personas["oslo"].get(f"/responses/{oslo_draft.pk}/sections/commitment/").content.decode()
    assert "This section: 0 of 5 answered" in page and "Overall: 0 of 82" in page
    r = save(personas["oslo"], oslo_draft, "commitment-strategy", value="yes")
    body = r.content.decode()
    assert '<div id="progress" class="q-progress" hx-swap-oob="true">' in body
    from icc.framework import load_shipped
    from icc.framework.answers import completion

    done, total = completion(load_shipped("icc-2019"), {"commitment-strategy": "yes"})["all"]
    assert (done, total) == (1, 84)  # "yes" opens two follow-up questions in this section (skip logic)
    assert "This section: 1 of 7 answered" in body and "Overall: 1 of 84" in body
    r = save(personas["oslo"], oslo_draft, "commitment-strategy", version=1, value="no")
    assert "This section: 1 of 5 answered" in r.content.decode()  # "no": the follow-ups close again


def test_labels_in_french_are_stored_as_option_ids(personas, oslo_draft):
    personas["oslo"].cookies.load({"django_language": "fr"})
    r = save(personas["oslo"], oslo_draft, "commitment-strategy", value="En partie")
    assert r.status_code == 200
    assert Answer.objects.get(response=oslo_draft, question_id="commitment-strategy").value == "partly"


def test_an_invalid_value_is_refused_with_the_reason(personas, oslo_draft):
    r = save(personas["oslo"], oslo_draft, "public-services-staff", value="140")
    assert r.status_code == 422
    assert "above the maximum 100" in r.content.decode()
    assert not Answer.objects.filter(response=oslo_draft, question_id="public-services-staff").exists()


def test_a_double_submitted_autosave_creates_no_duplicate(personas, oslo_draft):
    key = uuid.uuid4()
    first = save(personas["oslo"], oslo_draft, "commitment-statement", key=key, value="yes")
    again = save(personas["oslo"], oslo_draft, "commitment-statement", key=key, value="yes")
    assert first.status_code == again.status_code == 200
    a = Answer.objects.get(response=oslo_draft, question_id="commitment-statement")
    assert a.version == 1
    assert AnswerChange.objects.filter(answer=a).count() == 1


def test_a_concurrent_edit_is_refused_with_both_values(personas, oslo_draft):
    save(personas["oslo"], oslo_draft, "commitment-statement", value="yes")  # version 1
    theirs = save(personas["oslo-education"], oslo_draft, "commitment-statement", version=1, value="partly")
    assert theirs.status_code == 200  # version 2
    mine = save(personas["oslo"], oslo_draft, "commitment-statement", version=1, value="no")
    assert mine.status_code == 409
    page = mine.content.decode()
    assert "Someone else changed this answer" in page and "oslo-education" in page
    assert "Partly" in page and "No" in page
    assert mine["HX-Retarget"] == "#c-commitment-statement"
    assert Answer.objects.get(response=oslo_draft, question_id="commitment-statement").value == "partly"
    kept = save(personas["oslo"], oslo_draft, "commitment-statement", version=2, value="no")  # "keep mine"
    assert kept.status_code == 200
    assert Answer.objects.get(response=oslo_draft, question_id="commitment-statement").value == "no"


def test_a_conflict_with_ones_own_save_in_another_window_says_so_and_blames_nobody(personas, oslo_draft):
    save(personas["oslo"], oslo_draft, "commitment-statement", value="yes")  # version 1, in both windows
    assert save(personas["oslo"], oslo_draft, "commitment-statement", version=1, value="partly").status_code == 200
    other_window = save(personas["oslo"], oslo_draft, "commitment-statement", version=1, value="no")
    assert other_window.status_code == 409
    page = other_window.content.decode()
    stored = Answer.objects.get(response=oslo_draft, question_id="commitment-statement")
    from django.utils import timezone

    when = timezone.localtime(stored.updated_at).strftime("%H:%M:%S")
    assert f"You changed this answer in another window at {when}, while you were editing it here." in page
    assert "Someone else" not in page and "oslo saved it" not in page
    assert "Keep this window's version" in html.unescape(page) and "Use the saved version" in page


def test_an_evidence_file_is_stored_and_served_only_to_those_allowed(personas, oslo_draft, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    f = SimpleUploadedFile("plan.pdf", b"%PDF-1.4 intercultural plan", content_type="application/pdf")
    r = personas["oslo"].post(f"/responses/{oslo_draft.pk}/answers/commitment-strategy/files/", {"file": f})
    assert r.status_code == 200 and "plan.pdf" in r.content.decode()
    ev = EvidenceFile.objects.get(answer__response=oslo_draft)
    assert str(tmp_path) in ev.file.path and not ev.file.name.endswith(".pdf")  # stored under a random name
    url = f"/responses/{oslo_draft.pk}/files/{ev.pk}/"
    got = personas["expert"].get(url)
    assert got.status_code == 200 and b"".join(got.streaming_content) == b"%PDF-1.4 intercultural plan"
    assert personas["bilbao"].get(url).status_code == 404
    assert personas["anonymous"].get(url).status_code == 302


@pytest.mark.parametrize(
    "name,size,reason",
    [
        ("run.exe", 10, "Files of type .exe are not accepted"),
        ("big.pdf", 11 * 1024 * 1024, "the limit is 10 MB"),
    ],
)
def test_forbidden_or_oversized_uploads_are_refused(personas, oslo_draft, settings, tmp_path, name, size, reason):
    settings.MEDIA_ROOT = tmp_path
    f = SimpleUploadedFile(name, b"x" * size)
    r = personas["oslo"].post(f"/responses/{oslo_draft.pk}/answers/commitment-strategy/files/", {"file": f})
    assert r.status_code == 422 and reason in r.content.decode()
    assert not EvidenceFile.objects.exists()
    assert not any(tmp_path.rglob("*"))


def xlsx_of(client, response):
    r = client.get(f"/responses/{response.pk}/xlsx/")
    assert r.status_code == 200
    return load_workbook(io.BytesIO(r.content))


def upload_xlsx(client, response, wb):
    buf = io.BytesIO()
    wb.save(buf)
    f = SimpleUploadedFile("answers.xlsx", buf.getvalue())
    return client.post(f"/responses/{response.pk}/xlsx/upload/", {"file": f})


def row_of(ws, qid):
    for row in ws.iter_rows(min_row=2):
        if row[0].value == qid:
            return row[0].row
    raise AssertionError(qid)


def test_a_spreadsheet_round_trip_applies_every_answer(personas, oslo_draft):
    save(personas["oslo"], oslo_draft, "commitment-statement", value="yes")
    wb = xlsx_of(personas["oslo"], oslo_draft)
    ws = wb["answers"]
    header = [c.value for c in ws[1]]
    ws.cell(row_of(ws, "commitment-strategy"), header.index("answer") + 1).value = "partly"
    ws.cell(row_of(ws, "fact-population"), header.index("answer") + 1).value = 709037
    r = upload_xlsx(personas["oslo"], oslo_draft, wb)
    assert r.status_code == 302
    values = dict(Answer.objects.filter(response=oslo_draft).values_list("question_id", "value"))
    assert values["commitment-strategy"] == "partly" and values["fact-population"] == "709037"
    assert values["commitment-statement"] == "yes"
    assert AnswerChange.objects.filter(source="xlsx").count() == 2


def test_a_spreadsheet_with_bad_cells_changes_nothing_and_lists_each_problem(personas, oslo_draft):
    save(personas["oslo"], oslo_draft, "commitment-statement", value="yes")
    wb = xlsx_of(personas["oslo"], oslo_draft)
    ws = wb["answers"]
    header = [c.value for c in ws[1]]
    col = header.index("answer") + 1
    ws.cell(row_of(ws, "commitment-statement"), col).value = "no"  # a good change …
    bad_row = row_of(ws, "public-services-staff")
    ws.cell(bad_row, col).value = 250  # … and two bad ones
    ws.cell(row_of(ws, "commitment-coordination"), col).value = "everybody"
    r = upload_xlsx(personas["oslo"], oslo_draft, wb)
    assert r.status_code == 422
    page = r.content.decode()
    assert "2 problems; nothing was changed" in page
    assert f"row {bad_row} · answer: 250 is above the maximum 100" in page
    assert "everybody" in page
    assert Answer.objects.get(response=oslo_draft, question_id="commitment-statement").value == "yes"
    # the rest of the page is the response's page as always (colleagues to share the work with, states by name)
    assert "No colleague of your city has an account yet" not in page and "oslo-education" in page


def _exported_an_hour_after_the_answers(client, response):
    """The response's XLSX, its answers dated an hour before the export (a save in the same second as the export
    would count as made after it)."""
    from datetime import timedelta

    from django.utils import timezone

    Answer.objects.filter(response=response).update(updated_at=timezone.now() - timedelta(hours=1))
    return xlsx_of(client, response)


def _answer_cell(ws, qid):
    header = [c.value for c in ws[1]]
    return ws.cell(row_of(ws, qid), header.index("answer") + 1)


def test_an_outdated_spreadsheet_is_refused_whole_listing_the_answers_it_would_overwrite(personas, oslo_draft):
    save(personas["oslo"], oslo_draft, "commitment-statement", value="yes")
    save(personas["oslo"], oslo_draft, "commitment-strategy", value="no")
    wb = _exported_an_hour_after_the_answers(personas["oslo"], oslo_draft)
    # after the export, a colleague changes an answer on the platform …
    assert (
        save(personas["oslo-education"], oslo_draft, "commitment-statement", version=1, value="partly").status_code
        == 200
    )
    # … while the coordinator changes another one in the file (which still holds the old "yes")
    ws = wb["answers"]
    _answer_cell(ws, "commitment-strategy").value = "partly"
    r = upload_xlsx(personas["oslo"], oslo_draft, wb)
    assert r.status_code == 409
    page = r.content.decode()
    assert "1 answer changed on the platform after this file was exported" in page and "Nothing was changed" in page
    start = page.index('id="outdated"')
    listed = page[start : page.index("</div>", start)]
    assert "commitment-statement" in listed and "commitment-strategy" not in listed.replace('"commitment-strategy', "")
    assert "On the platform: Partly (changed by oslo-education on" in listed and "In the file: Yes" in listed
    assert 'name="overwrite" value="commitment-statement:2"' in listed
    values = dict(Answer.objects.filter(response=oslo_draft).values_list("question_id", "value"))
    assert values["commitment-statement"] == "partly" and values["commitment-strategy"] == "no"  # all or nothing
    assert not AnswerChange.objects.filter(source="xlsx").exists()


def test_an_outdated_spreadsheet_applies_once_the_overwrite_of_those_answers_is_confirmed(personas, oslo_draft):
    save(personas["oslo"], oslo_draft, "commitment-statement", value="yes")
    wb = _exported_an_hour_after_the_answers(personas["oslo"], oslo_draft)
    save(personas["oslo-education"], oslo_draft, "commitment-statement", version=1, value="partly")
    _answer_cell(wb["answers"], "commitment-strategy").value = "partly"
    buf = io.BytesIO()
    wb.save(buf)

    def upload(**confirm):
        f = SimpleUploadedFile("answers.xlsx", buf.getvalue())
        return personas["oslo"].post(f"/responses/{oslo_draft.pk}/xlsx/upload/", {"file": f, **confirm})

    assert upload(overwrite="commitment-statement:2").status_code == 409  # the box "overwrite" was not ticked
    # a change after the confirmation was drawn is caught again: the confirmation names the version it saw
    save(personas["oslo-education"], oslo_draft, "commitment-statement", version=2, value="no")
    assert upload(overwrite="commitment-statement:2", confirm_overwrite="1").status_code == 409
    r = upload(overwrite="commitment-statement:3", confirm_overwrite="1")
    assert r.status_code == 302
    values = dict(Answer.objects.filter(response=oslo_draft).values_list("question_id", "value"))
    assert values["commitment-statement"] == "yes" and values["commitment-strategy"] == "partly"


def test_a_spreadsheet_that_does_not_say_when_it_was_exported_lists_every_answer_it_would_change(personas, oslo_draft):
    save(personas["oslo"], oslo_draft, "commitment-statement", value="yes")
    wb = _exported_an_hour_after_the_answers(personas["oslo"], oslo_draft)
    del wb["instructions"]  # as an old export, or a file rebuilt by hand, would be
    _answer_cell(wb["answers"], "commitment-statement").value = "no"
    _answer_cell(wb["answers"], "commitment-strategy").value = "partly"  # a new answer overwrites nothing
    r = upload_xlsx(personas["oslo"], oslo_draft, wb)
    assert r.status_code == 409
    page = r.content.decode()
    assert "This file does not say when it was exported: 1 answer it would change is listed below" in page
    assert 'name="overwrite" value="commitment-statement:1"' in page and "commitment-strategy:" not in page
    assert not Answer.objects.filter(response=oslo_draft, question_id="commitment-strategy").exists()


def test_an_outdated_spreadsheet_is_explained_in_french(personas, oslo_draft):
    save(personas["oslo"], oslo_draft, "commitment-statement", value="yes")
    wb = _exported_an_hour_after_the_answers(personas["oslo"], oslo_draft)
    save(personas["oslo-education"], oslo_draft, "commitment-statement", version=1, value="partly")
    personas["oslo"].cookies.load({"django_language": "fr"})
    page = upload_xlsx(personas["oslo"], oslo_draft, wb).content.decode()
    assert "1 réponse a été modifiée sur la plateforme après l’export de ce fichier" in page
    assert "Sur la plateforme : En partie" in page and "Dans le fichier : Oui" in page


def test_a_file_that_is_not_a_workbook_is_named_without_a_dangling_colon(personas, oslo_draft):
    from django.core.files.uploadedfile import SimpleUploadedFile

    r = personas["oslo"].post(
        f"/responses/{oslo_draft.pk}/xlsx/upload/", {"file": SimpleUploadedFile("notes.txt", b"just text")}
    )
    assert r.status_code == 422
    assert "<li>: " not in r.content.decode()


def test_the_history_of_an_answer_shows_who_changed_what(personas, oslo_draft):
    save(personas["oslo"], oslo_draft, "commitment-statement", value="yes")
    save(personas["oslo-education"], oslo_draft, "commitment-statement", version=1, value="partly")
    page = personas["expert"].get(f"/responses/{oslo_draft.pk}/answers/commitment-statement/history/").content.decode()
    assert page.count("<tr>") == 3  # header + two changes
    assert "oslo-education" in page and "Partly" in page


def test_the_secretariat_exports_the_audit_log(personas, oslo_draft):
    save(personas["oslo"], oslo_draft, "commitment-statement", value="yes")
    r = personas["secretariat"].get("/responses/audit.csv")
    text = b"".join(r.streaming_content).decode()
    assert text.splitlines()[0] == "at,user,city,edition,question_id,field,old,new,source"
    assert ",oslo,Oslo,2026,commitment-statement,value,,yes,web" in text
    assert personas["oslo"].get("/responses/audit.csv").status_code == 403


def test_the_questionnaire_speaks_french_with_french_question_texts(personas, oslo_draft):
    personas["oslo"].cookies.load({"django_language": "fr"})
    page = personas["oslo"].get(f"/responses/{oslo_draft.pk}/sections/commitment/").content.decode()
    assert "<h1>Engagement</h1>" in page
    assert "Ne sait pas" in page and "Toutes les modifications sont enregistrées" in page
    assert "En partie" in page  # option labels from the framework's French texts


def test_a_number_shows_its_unit_in_french(personas, oslo_draft):
    personas["oslo"].cookies.load({"django_language": "fr"})
    page = personas["oslo"].get(f"/responses/{oslo_draft.pk}/sections/facts/").content.decode()
    assert "habitants" in page and "inhabitants" not in page


def test_an_autosave_reads_the_database_a_bounded_number_of_times(personas, oslo_draft, django_assert_max_num_queries):
    """Autosave latency depends on it: permissions and progress are read once per save, not once per section."""
    save(personas["oslo"], oslo_draft, "commitment-statement", value="yes")  # warm the session and caches
    with django_assert_max_num_queries(25):
        r = save(personas["oslo"], oslo_draft, "commitment-strategy", value="yes")
    assert r.status_code == 200


def test_deleting_a_response_removes_its_evidence_files_from_disk_once_committed(
    personas, oslo_draft, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    f = SimpleUploadedFile("plan.pdf", b"%PDF-1.4 plan", content_type="application/pdf")
    personas["oslo"].post(f"/responses/{oslo_draft.pk}/answers/commitment-strategy/files/", {"file": f})
    [stored] = [p for p in tmp_path.rglob("*") if p.is_file()]
    with django_capture_on_commit_callbacks(execute=True):
        oslo_draft.delete()
    assert not stored.exists()


def test_a_colleague_reading_a_section_of_someone_else_is_told_why_and_not_told_saved(personas, oslo_draft):
    from icc.web.accounts.models import User
    from icc.web.questionnaire.models import AreaAssignment

    save(personas["oslo"], oslo_draft, "commitment-statement", value="yes")
    colleague = User.objects.get(username="oslo-education")
    AreaAssignment.objects.create(response=oslo_draft, area_id="education", user=colleague)
    page = personas["oslo-education"].get(f"/responses/{oslo_draft.pk}/sections/commitment/").content.decode()
    # commitment is assigned to nobody: the coordinator edits it; no colleague is blamed
    assert (
        "This section is not assigned to you: you edit only the sections assigned to you, and the coordinator "
        "edits those assigned to nobody." in page
    )
    assert "assigned to a colleague" not in page and "assigned to your colleague" not in page
    assert ">Saved</span>" not in page  # nothing here was saved by this person
    mine = personas["oslo-education"].get(f"/responses/{oslo_draft.pk}/sections/education/").content.decode()
    assert "not assigned to you" not in mine and "assigned to your colleague" not in mine


def test_a_colleague_reading_a_section_assigned_to_another_colleague_is_told_whose_it_is(personas, oslo_draft):
    from icc.web.accounts.models import CityAssignment, Role, User
    from icc.web.questionnaire.models import AreaAssignment

    other = User.objects.create(username="oslo-culture", first_name="Kari", last_name="Nordmann", role=Role.OFFICIAL)
    CityAssignment.objects.create(user=other, city=oslo_draft.city)
    colleague = User.objects.get(username="oslo-education")
    AreaAssignment.objects.create(response=oslo_draft, area_id="education", user=colleague)
    AreaAssignment.objects.create(response=oslo_draft, area_id="commitment", user=other)
    page = personas["oslo-education"].get(f"/responses/{oslo_draft.pk}/sections/commitment/").content.decode()
    assert (
        "This section is assigned to your colleague Kari Nordmann: only they and the coordinator can edit it." in page
    )
    r = personas["oslo-education"].post(
        f"/responses/{oslo_draft.pk}/answers/commitment-statement/", {"version": 0, "value": "yes"}
    )
    assert r.status_code == 403 and "assigned to your colleague Kari Nordmann" in r.content.decode()


def test_the_response_page_counts_dont_know_per_section_and_states_what_it_earns(personas, oslo_draft):
    save(personas["oslo"], oslo_draft, "commitment-statement", dont_know="1")
    save(personas["oslo"], oslo_draft, "commitment-strategy", value="yes")
    page = personas["oslo"].get(f"/responses/{oslo_draft.pk}/").content.decode()
    assert "1 “don't know”" in page
    assert "A “don't know” answer earns 0 points, as “no” does" in page
    personas["oslo"].cookies.load({"django_language": "fr"})
    assert "1 « ne sait pas »" in personas["oslo"].get(f"/responses/{oslo_draft.pk}/").content.decode()
