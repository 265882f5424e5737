"""What an official saves is what is stored: every question type and action, re-read from the database and from
the reloaded page; refusals say why and change nothing."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime

import pytest

from icc.web.questionnaire.models import Answer, AnswerChange, Response

pytestmark = pytest.mark.django_db

# one question of each type in icc-2019, with its section
QUESTIONS = {
    "yes_partly_no": ("commitment-statement", "commitment", "yes"),
    "single": ("commitment-coordination", "commitment", "officer"),
    "multiple": ("commitment-visibility", "commitment", ["speeches", "website"]),
    "number": ("fact-population", "facts", "650000"),
    "percentage": ("fact-foreign-born", "facts", "27.5"),
    "text": ("fact-largest-groups", "facts", "Polish, Somali"),
}


def url(response, qid):
    return f"/responses/{response.pk}/answers/{qid}/"


def stored(response, qid) -> Answer | None:
    return Answer.objects.filter(response=response, question_id=qid).first()


def post(client, response, qid, **fields):
    """What the page's form sends: the whole answer, its version and an edit key."""
    a = stored(response, qid)
    data = {"version": a.version if a else 0, "edit_key": str(uuid.uuid4()), "evidence_text": "", "evidence_links": ""}
    data.update(fields)
    return client.post(url(response, qid), data)


def section_page(client, response, section):
    return client.get(f"/responses/{response.pk}/sections/{section}/").content.decode()


def block(page: str, qid: str) -> str:
    start = page.index(f'id="q-{qid}"')
    return page[start : page.index("</article>", start)]


@pytest.mark.parametrize("kind", sorted(QUESTIONS))
def test_an_answer_of_each_type_is_stored_and_shown_after_reload(personas, oslo_draft, kind):
    qid, section, value = QUESTIONS[kind]
    r = post(personas["oslo"], oslo_draft, qid, value=value)
    assert r.status_code == 200, r.content
    expected = ";".join(value) if isinstance(value, list) else value
    assert stored(oslo_draft, qid).value == expected
    html = block(section_page(personas["oslo"], oslo_draft, section), qid)
    for v in value if isinstance(value, list) else [value]:
        assert (
            re.search(rf'value="{re.escape(v)}"[^>]*checked', html)
            or f">{v}</textarea>" in html
            or (f'value="{v}"' in html)
        )


@pytest.mark.parametrize("kind", sorted(set(QUESTIONS) - {"text"}))
def test_dont_know_is_stored_for_every_question_type_and_ticked_after_reload(personas, oslo_draft, kind):
    qid, section, value = QUESTIONS[kind]
    assert post(personas["oslo"], oslo_draft, qid, value=value).status_code == 200
    # ticking "don't know" clears the choices in the page: the form sends no value at all, only dont_know=1
    r = post(personas["oslo"], oslo_draft, qid, dont_know="1")
    assert r.status_code == 200, r.content
    assert stored(oslo_draft, qid).value == "dont_know"
    html = block(section_page(personas["oslo"], oslo_draft, section), qid)
    assert re.search(r'name="dont_know" value="1" checked', html)
    assert " checked" not in html.replace('name="dont_know" value="1" checked', "")


def test_unticking_every_choice_leaves_the_answer_blank(personas, oslo_draft):
    post(personas["oslo"], oslo_draft, "commitment-visibility", value=["speeches"])
    assert post(personas["oslo"], oslo_draft, "commitment-visibility").status_code == 200
    assert stored(oslo_draft, "commitment-visibility").value == ""


def test_evidence_text_and_links_are_stored_with_the_answer(personas, oslo_draft):
    r = post(
        personas["oslo"],
        oslo_draft,
        "commitment-statement",
        value="yes",
        evidence_text="Council decision 12/2025",
        evidence_links="https://example.org/a\n\nhttps://example.org/b ",
    )
    assert r.status_code == 200
    a = stored(oslo_draft, "commitment-statement")
    assert a.evidence_text == "Council decision 12/2025"
    assert a.evidence_links == "https://example.org/a\nhttps://example.org/b"
    html = block(section_page(personas["oslo"], oslo_draft, "commitment"), "commitment-statement")
    assert "Council decision 12/2025</textarea>" in html and "https://example.org/b</textarea>" in html


def test_a_bare_www_link_is_stored_as_https_and_the_saved_state_says_so(personas, oslo_draft):
    r = post(personas["oslo"], oslo_draft, "commitment-statement", value="yes", evidence_links="www.oslo.example/plan")
    assert r.status_code == 200
    assert stored(oslo_draft, "commitment-statement").evidence_links == "https://www.oslo.example/plan"
    state = r.content.decode()
    assert 'data-links="https://www.oslo.example/plan"' in state and "links stored as:" in state


def test_links_sent_as_stored_get_no_note(personas, oslo_draft):
    r = post(personas["oslo"], oslo_draft, "commitment-statement", value="yes", evidence_links="https://a.example/x")
    assert r.status_code == 200 and "data-links" not in r.content.decode()


@pytest.mark.parametrize("link", ["javascript:alert(1)", "data:text/html,x", "not a link", "ftp://example.org/x"])
def test_links_that_are_not_web_addresses_are_refused_at_the_field(personas, oslo_draft, link):
    r = post(personas["oslo"], oslo_draft, "commitment-statement", value="yes", evidence_links=link)
    assert r.status_code == 422
    assert "Not saved:" in r.content.decode() and 'data-field="evidence_links"' in r.content.decode()
    assert stored(oslo_draft, "commitment-statement") is None


def test_an_out_of_range_number_is_refused_with_its_reason_and_nothing_changes(personas, oslo_draft):
    post(personas["oslo"], oslo_draft, "fact-foreign-born", value="27.5")
    r = post(personas["oslo"], oslo_draft, "fact-foreign-born", value="150")
    assert r.status_code == 422 and r["X-Answer-State"] == "invalid"
    assert "150" in r.content.decode() and "100" in r.content.decode()
    assert stored(oslo_draft, "fact-foreign-born").value == "27.5"


def test_a_decimal_comma_on_a_french_page_keeps_its_magnitude(personas, oslo_draft):
    personas["oslo"].cookies.load({"django_language": "fr"})
    for typed, kept in (("5,5", "5.5"), ("13,5", "13.5")):
        r = post(personas["oslo"], oslo_draft, "fact-foreign-born", value=typed)
        assert r.status_code == 200, r.content
        assert stored(oslo_draft, "fact-foreign-born").value == kept
    html = block(section_page(personas["oslo"], oslo_draft, "facts"), "fact-foreign-born")
    assert 'value="13,5"' in html  # shown back as the page's language writes it


def test_control_characters_are_removed_and_an_overlong_text_is_refused(personas, oslo_draft):
    from icc.framework.answers import TEXT_MAX

    r = post(personas["oslo"], oslo_draft, "commitment-statement", value="yes", evidence_text="a\x0bb\x00c")
    assert r.status_code == 200
    assert stored(oslo_draft, "commitment-statement").evidence_text == "a\nbc"  # a vertical tab is a line break
    r = post(personas["oslo"], oslo_draft, "commitment-statement", value="yes", evidence_text="x" * (TEXT_MAX + 1))
    assert r.status_code == 422
    assert stored(oslo_draft, "commitment-statement").evidence_text == "a\nbc"


def test_an_edit_key_reused_with_other_content_is_refused_not_reported_saved(personas, oslo_draft):
    key = str(uuid.uuid4())
    assert post(personas["oslo"], oslo_draft, "commitment-statement", value="yes", edit_key=key).status_code == 200
    a = stored(oslo_draft, "commitment-statement")
    again = personas["oslo"].post(
        url(oslo_draft, "commitment-statement"), {"version": a.version - 1, "edit_key": key, "value": "yes"}
    )
    assert again.status_code == 200  # a retry of the same edit: acknowledged, applied once
    other = personas["oslo"].post(
        url(oslo_draft, "commitment-statement"), {"version": a.version - 1, "edit_key": key, "value": "no"}
    )
    assert other.status_code == 422
    assert stored(oslo_draft, "commitment-statement").value == "yes"
    assert AnswerChange.objects.filter(answer=a, field="value").count() == 1


def test_a_follow_up_question_that_does_not_apply_cannot_be_answered(personas, oslo_draft):
    post(personas["oslo"], oslo_draft, "commitment-strategy", value="no")
    r = post(personas["oslo"], oslo_draft, "commitment-action-plan", value="yes")
    assert r.status_code == 422 and "does not apply" in r.content.decode()


def _return(personas, response, qid, comment="Add the council decision"):
    """Submit Oslo's response as it is, and have the expert return one answer."""
    Response.objects.filter(pk=response.pk).update(status=Response.Status.SUBMITTED)
    r = personas["expert"].post(f"/responses/{response.pk}/review/{qid}/", {"decision": "returned", "comment": comment})
    assert r.status_code == 200
    assert personas["expert"].post(f"/responses/{response.pk}/review-done/").status_code == 302
    response.refresh_from_db()
    assert response.status == Response.Status.RETURNED


def test_a_returned_answer_can_be_corrected_again_and_again_until_resubmission(personas, oslo_draft):
    post(personas["oslo"], oslo_draft, "commitment-statement", value="partly")
    _return(personas, oslo_draft, "commitment-statement")
    for n, text in enumerate(["Decision 12/2025", "Decision 12/2025, page 3", "Decision 12/2025, pages 3-4"]):
        r = post(personas["oslo"], oslo_draft, "commitment-statement", value="yes", evidence_text=text)
        assert r.status_code == 200, (n, r.content)
        assert stored(oslo_draft, "commitment-statement").evidence_text == text
        assert stored(oslo_draft, "commitment-statement").review == Answer.Review.CORRECTED
    html = block(section_page(personas["oslo"], oslo_draft, "commitment"), "commitment-statement")
    assert "<fieldset>" in html  # still editable after reload
    # an answer that was not returned stays locked, and says why
    r = post(personas["oslo"], oslo_draft, "commitment-coordination", value="officer")
    assert r.status_code == 403 and "Only the answers returned by the expert" in r.content.decode()


def test_a_save_after_submission_is_refused_with_the_reason(personas, oslo_draft):
    post(personas["oslo"], oslo_draft, "commitment-statement", value="yes")
    Response.objects.filter(pk=oslo_draft.pk).update(status=Response.Status.SUBMITTED)
    r = post(personas["oslo"], oslo_draft, "commitment-statement", value="no")
    assert r.status_code == 403 and r["X-Answer-State"] == "refused"
    assert "can no longer be changed" in r.content.decode()
    assert stored(oslo_draft, "commitment-statement").value == "yes"


def test_closing_an_edition_locks_saves_uploads_and_imports(personas, oslo_draft):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from icc.web.network.models import Edition

    Edition.objects.filter(pk=oslo_draft.edition_id).update(status=Edition.Status.CLOSED)
    r = post(personas["oslo"], oslo_draft, "commitment-statement", value="yes")
    assert r.status_code == 403 and "closed" in r.content.decode()
    pdf = SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n%test\n", content_type="application/pdf")
    up = personas["oslo"].post(f"/responses/{oslo_draft.pk}/answers/commitment-statement/files/", {"file": pdf})
    assert up.status_code == 403
    xlsx = personas["oslo"].get(f"/responses/{oslo_draft.pk}/xlsx/").content
    imp = personas["oslo"].post(
        f"/responses/{oslo_draft.pk}/xlsx/upload/", {"file": SimpleUploadedFile("r.xlsx", xlsx)}
    )
    assert imp.status_code in (302, 403)
    assert not Answer.objects.filter(response=oslo_draft).exists()


# --- evidence files ------------------------------------------------------------------------------------------


def upload(client, response, qid, name, content, kind="application/octet-stream"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        f"/responses/{response.pk}/answers/{qid}/files/", {"file": SimpleUploadedFile(name, content, kind)}
    )


def test_an_uploaded_file_can_be_removed_and_the_history_keeps_it(personas, oslo_draft, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    r = upload(personas["oslo"], oslo_draft, "commitment-statement", "plan.pdf", b"%PDF-1.4\nplan\n")
    assert r.status_code == 200 and "plan.pdf" in r.content.decode()
    ev = stored(oslo_draft, "commitment-statement").files.get()
    removed = personas["oslo"].post(f"/responses/{oslo_draft.pk}/answers/commitment-statement/files/{ev.pk}/remove/")
    assert removed.status_code == 200 and "plan.pdf removed" in removed.content.decode()
    html = block(section_page(personas["oslo"], oslo_draft, "commitment"), "commitment-statement")
    assert f"/files/{ev.pk}/" not in html
    assert personas["oslo"].get(f"/responses/{oslo_draft.pk}/files/{ev.pk}/").status_code == 404
    history = personas["oslo"].get(f"/responses/{oslo_draft.pk}/answers/commitment-statement/history/")
    text = history.content.decode()
    assert "plan.pdf" in text and "(removed)" in text
    # a colleague of another city cannot remove it (and does not learn it exists)
    again = personas["bilbao"].post(f"/responses/{oslo_draft.pk}/answers/commitment-statement/files/{ev.pk}/remove/")
    assert again.status_code == 404


@pytest.mark.parametrize(
    "name, content, reason",
    [
        ("plan.pdf", b"<html><script>alert(1)</script></html>", "is not a .pdf file"),
        ("empty.pdf", b"", "is empty"),
        ("photo.png", b"%PDF-1.4\n", "is not a .png file"),
        ("notes.txt", b"\x00\x01\x02binary", "is not a .txt file"),
    ],
)
def test_a_file_whose_content_does_not_match_its_type_is_refused(personas, oslo_draft, name, content, reason):
    r = upload(personas["oslo"], oslo_draft, "commitment-statement", name, content)
    assert r.status_code == 422 and reason in r.content.decode()
    assert stored(oslo_draft, "commitment-statement") is None


def test_a_long_file_name_keeps_its_extension(personas, oslo_draft, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    r = upload(personas["oslo"], oslo_draft, "commitment-statement", "a" * 300 + ".pdf", b"%PDF-1.4\n")
    assert r.status_code == 200
    ev = stored(oslo_draft, "commitment-statement").files.get()
    assert ev.original_name.endswith(".pdf") and len(ev.original_name) <= 255


# --- review exchange, resubmission, withdrawal -------------------------------------------------------------


def test_the_city_replies_to_the_expert_and_the_expert_sees_before_and_after(personas, oslo_draft):
    post(personas["oslo"], oslo_draft, "commitment-statement", value="partly")
    _return(personas, oslo_draft, "commitment-statement", "Which council decision?")
    r = personas["oslo"].post(
        f"/responses/{oslo_draft.pk}/answers/commitment-statement/reply/", {"text": "Decision 12/2025, see link"}
    )
    assert r.status_code == 200 and "Decision 12/2025, see link" in r.content.decode()
    post(personas["oslo"], oslo_draft, "commitment-statement", value="yes")
    assert personas["oslo"].post(f"/responses/{oslo_draft.pk}/submit/", {}).status_code in (302, 422)
    oslo_draft.refresh_from_db()
    if oslo_draft.status != Response.Status.SUBMITTED:  # other required answers are missing in the demo draft
        Response.objects.filter(pk=oslo_draft.pk).update(status=Response.Status.SUBMITTED)
    page = personas["expert"].get(f"/responses/{oslo_draft.pk}/review/").content.decode()
    start = page.index('id="r-commitment-statement"')
    html = page[start : page.index("</article>", start)]
    assert "changed since you returned it" in html and "<del>Partly</del>" in html
    assert "Which council decision?" in html and "Decision 12/2025, see link" in html
    history = personas["oslo"].get(f"/responses/{oslo_draft.pk}/answers/commitment-statement/history/")
    assert "Decision 12/2025, see link" in history.content.decode()


def test_returning_answers_accepts_the_others_so_the_second_review_shows_only_what_can_change(
    personas, oslo_draft, fill
):
    from icc.web.accounts.models import User

    fill(oslo_draft, User.objects.get(username="oslo"))
    _return(personas, oslo_draft, "commitment-statement", "Which council decision?")
    reviews = set(oslo_draft.answers.exclude(question_id="commitment-statement").values_list("review", flat=True))
    assert reviews == {Answer.Review.ACCEPTED}
    post(personas["oslo"], oslo_draft, "commitment-statement", value="yes")
    Response.objects.filter(pk=oslo_draft.pk).update(status=Response.Status.SUBMITTED)
    page = personas["expert"].get(f"/responses/{oslo_draft.pk}/review/").content.decode()
    assert "· 0 returned · 1 corrected by the city · 0 not reviewed yet" in page  # only what could change waits
    start = page.index('id="r-commitment-statement"')
    form = page[start : page.index("</article>", start)]
    assert 'name="comment" placeholder="Comment for the city" value=""' in form  # the old comment is in the thread


def test_a_resubmission_that_left_a_returned_answer_untouched_asks_first(personas, oslo_draft, fill):
    from icc.web.accounts.models import User

    fill(oslo_draft, User.objects.get(username="oslo"))
    _return(personas, oslo_draft, "commitment-statement")
    r = personas["oslo"].post(f"/responses/{oslo_draft.pk}/submit/", {})
    assert r.status_code == 422
    assert "1 returned answer was neither corrected nor answered" in r.content.decode()
    oslo_draft.refresh_from_db()
    assert oslo_draft.status == Response.Status.RETURNED
    ok = personas["oslo"].post(
        f"/responses/{oslo_draft.pk}/submit/", {"confirm_untouched": "1", "comment": "The answer is right as it is"}
    )
    assert ok.status_code == 302
    oslo_draft.refresh_from_db()
    assert oslo_draft.status == Response.Status.SUBMITTED
    assert stored(oslo_draft, "commitment-statement").review == Answer.Review.PENDING


def test_the_coordinator_withdraws_a_submission_until_the_review_starts(personas, oslo_draft, fill):
    from icc.web.accounts.models import User

    fill(oslo_draft, User.objects.get(username="oslo"))
    assert personas["oslo"].post(f"/responses/{oslo_draft.pk}/submit/").status_code == 302
    assert "Withdraw the submission" in personas["oslo"].get(f"/responses/{oslo_draft.pk}/").content.decode()
    assert personas["oslo-education"].post(f"/responses/{oslo_draft.pk}/withdraw/").status_code == 403
    assert personas["oslo"].post(f"/responses/{oslo_draft.pk}/withdraw/").status_code == 302
    oslo_draft.refresh_from_db()
    assert oslo_draft.status == Response.Status.DRAFT
    assert personas["oslo"].post(f"/responses/{oslo_draft.pk}/submit/").status_code == 302
    personas["expert"].post(
        f"/responses/{oslo_draft.pk}/review/commitment-statement/", {"decision": "accepted", "comment": ""}
    )
    r = personas["oslo"].post(f"/responses/{oslo_draft.pk}/withdraw/", follow=True)
    assert "has started the review" in r.content.decode()
    oslo_draft.refresh_from_db()
    assert oslo_draft.status == Response.Status.SUBMITTED


def test_returning_an_answer_without_a_comment_says_so(personas, oslo_draft):
    post(personas["oslo"], oslo_draft, "commitment-statement", value="yes")
    Response.objects.filter(pk=oslo_draft.pk).update(status=Response.Status.SUBMITTED)
    r = personas["expert"].post(
        f"/responses/{oslo_draft.pk}/review/commitment-statement/", {"decision": "returned", "comment": "  "}
    )
    assert r.status_code == 422 and "a comment is needed" in r.content.decode()
    page = personas["expert"].get(f"/responses/{oslo_draft.pk}/review/").content.decode()
    assert "icc/questionnaire.js" in page  # the page's script shows 4xx answers instead of dropping them


# --- publishing -----------------------------------------------------------------------------------------------


def test_a_failed_rescore_publishes_nothing(personas, oslo_draft, monkeypatch, django_capture_on_commit_callbacks):
    from django.core import mail

    from icc.web.results import rescoring

    post(personas["oslo"], oslo_draft, "commitment-statement", value="yes")
    Response.objects.filter(pk=oslo_draft.pk).update(status=Response.Status.VALIDATED)

    def broken(*args, **kwargs):
        raise RuntimeError("engine failure")

    monkeypatch.setattr(rescoring, "score_network", broken)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        personas["secretariat"].post(f"/responses/{oslo_draft.pk}/publish/", {"confirm": "1"})
    oslo_draft.refresh_from_db()
    assert oslo_draft.status == Response.Status.VALIDATED
    assert not oslo_draft.events.filter(to_status="published").exists() and not mail.outbox


# --- assignments, audit, history, list ---------------------------------------------------------------------


@pytest.mark.parametrize("user", ["abc", "", "99999999999999999999", "-1"])
def test_assigning_to_a_bad_colleague_id_is_a_message_not_a_server_error(personas, oslo_draft, user):
    r = personas["oslo"].post(f"/responses/{oslo_draft.pk}/assign/", {"section": "education", "user": user})
    assert r.status_code == 302
    assert "Choose a section and a colleague" in personas["oslo"].get(f"/responses/{oslo_draft.pk}/").content.decode()


def test_an_assigned_colleague_is_told_and_the_audit_log_keeps_it(
    personas, oslo_draft, django_capture_on_commit_callbacks
):
    from django.core import mail

    from icc.web.accounts.models import User

    colleague = User.objects.get(username="oslo-education")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        personas["oslo"].post(f"/responses/{oslo_draft.pk}/assign/", {"section": "education", "user": colleague.pk})
    [message] = mail.outbox
    assert message.to == [colleague.email] and f"/responses/{oslo_draft.pk}/sections/education/" in message.body
    log = b"".join(personas["secretariat"].get("/responses/audit.csv").streaming_content).decode()
    assert "section-assigned" in log and "education → oslo-education" in log


def test_the_audit_log_and_history_do_not_run_formulas_and_read_as_words(personas, oslo_draft):
    post(personas["oslo"], oslo_draft, "commitment-statement", value="yes", evidence_text='=HYPERLINK("x")')
    log = b"".join(personas["secretariat"].get("/responses/audit.csv").streaming_content).decode()
    assert "'=HYPERLINK" in log and ",=HYPERLINK" not in log
    page = personas["oslo"].get(f"/responses/{oslo_draft.pk}/answers/commitment-statement/history/").content.decode()
    assert "<td>evidence example</td>" in page and "<td>answer</td>" in page and "<td>Yes</td>" in page
    assert "<td>on the page</td>" in page and "evidence_text" not in page


def test_the_secretariat_filters_the_list_of_questionnaires(personas):
    page = personas["secretariat"].get("/responses/?edition=2026&status=draft").content.decode()
    assert "Oslo" in page and "Bilbao" in page and "3 questionnaires" in page
    assert "page 1 of" not in page
    everything = personas["secretariat"].get("/responses/").content.decode()
    assert "page 1 of" in everything and everything.count("<tr>") <= 51
    bad = personas["secretariat"].get("/responses/?edition=abc&status=bogus").content.decode()
    assert "There is no edition abc" in bad and "bogus is not a status" in bad


def test_a_save_checks_the_stored_state_not_the_state_the_request_started_with(oslo_draft):
    """The old race: a save that read the response as a draft, then committed after the submission."""
    from icc.web.accounts.models import User
    from icc.web.questionnaire.editing import save_answer
    from icc.web.questionnaire.workflow import Refused

    stale = Response.objects.get(pk=oslo_draft.pk)  # read while still a draft
    Response.objects.filter(pk=oslo_draft.pk).update(status=Response.Status.SUBMITTED)
    with pytest.raises(Refused):
        save_answer(
            stale, "commitment-statement", User.objects.get(username="oslo"), changes={"value": "yes"},
            base_version=0, edit_key=None, now=datetime(2026, 3, 1, tzinfo=UTC),
        )  # fmt: skip
    assert stored(oslo_draft, "commitment-statement") is None


def _second_review(personas, response, fill):
    """Oslo's answers returned three at a time; the city corrects two of them, keeps the third as it is and
    resubmits saying why; the expert opens the second review."""
    from icc.web.accounts.models import User

    fill(response, User.objects.get(username="oslo"))
    Response.objects.filter(pk=response.pk).update(status=Response.Status.SUBMITTED)
    for qid in ("commitment-statement", "commitment-coordination", "education-teachers"):
        r = personas["expert"].post(
            f"/responses/{response.pk}/review/{qid}/", {"decision": "returned", "comment": f"Check {qid}"}
        )
        assert r.status_code == 200
    assert personas["expert"].post(f"/responses/{response.pk}/review-done/").status_code == 302
    for qid in ("commitment-statement", "commitment-coordination"):
        a = stored(response, qid)
        r = post(personas["oslo"], response, qid, version=a.version, value=a.value, evidence_text="See decision 12")
        assert r.status_code == 200
    r = personas["oslo"].post(
        f"/responses/{response.pk}/submit/",
        {"confirm_untouched": "1", "comment": "The teachers' figure is the 2025 census"},
    )
    assert r.status_code == 302
    return personas["expert"].get(f"/responses/{response.pk}/review/").content.decode()


def article(page: str, qid: str) -> str:
    start = page.index(f'id="r-{qid}"')
    return page[start : page.index("</article>", start)]


def test_the_second_review_counts_the_answers_the_city_corrected_as_it_marks_them(personas, oslo_draft, fill):
    page = _second_review(personas, oslo_draft, fill)
    accepted = Answer.objects.filter(response=oslo_draft, review=Answer.Review.ACCEPTED).count()
    assert f"{accepted} accepted · 0 returned · 2 corrected by the city · 1 not reviewed yet" in page
    for qid in ("commitment-statement", "commitment-coordination"):
        html = article(page, qid)
        assert "changed since you returned it" in html and ">Corrected by the city</span>" in html
    kept = article(page, "education-teachers")
    assert "changed since you returned it" not in kept and ">Not reviewed</span>" in kept


def test_the_expert_reads_the_citys_comments_on_the_review_page(personas, oslo_draft, fill):
    page = _second_review(personas, oslo_draft, fill)
    start = page.index('<section class="from-city"')
    block = page[start : page.index("</section>", start)]
    assert "From the city" in block and "when submitting on" in block and "oslo" in block
    assert "The teachers&#x27; figure is the 2025 census" in block
    # the reason for keeping a returned answer as it is stands next to that answer, after the expert's comment
    kept = article(page, "education-teachers")
    assert kept.index("Check education-teachers") < kept.index("The teachers&#x27; figure is the 2025 census")
    assert "The teachers&#x27; figure" not in article(page, "commitment-statement")


def test_keeping_returned_answers_as_they_are_needs_a_reason(personas, oslo_draft, fill):
    from icc.web.accounts.models import User

    fill(oslo_draft, User.objects.get(username="oslo"))
    _return(personas, oslo_draft, "commitment-statement")
    r = personas["oslo"].post(f"/responses/{oslo_draft.pk}/submit/", {"confirm_untouched": "1", "comment": " "})
    assert r.status_code == 422 and "Say why the returned answers stay as they are" in r.content.decode()
    oslo_draft.refresh_from_db()
    assert oslo_draft.status == Response.Status.RETURNED


def test_a_returned_responses_page_says_saved_nowhere_until_something_is_saved(personas, oslo_draft, fill):
    from icc.web.accounts.models import User

    fill(oslo_draft, User.objects.get(username="oslo"))
    _return(personas, oslo_draft, "commitment-statement")
    page = section_page(personas["oslo"], oslo_draft, "commitment")
    assert page.count('class="state idle"') >= 5
    assert "Saved" not in page.replace("All changes saved", "")
    a = stored(oslo_draft, "commitment-statement")
    r = post(personas["oslo"], oslo_draft, "commitment-statement", version=a.version, value=a.value, evidence_text="x")
    assert r.status_code == 200 and ">Saved " in r.content.decode()  # a save in this page view says so, with its time


def test_the_reason_for_keeping_one_returned_answer_is_asked_in_the_singular_in_french(personas, oslo_draft, fill):
    from icc.web.accounts.models import User

    fill(oslo_draft, User.objects.get(username="oslo"))
    _return(personas, oslo_draft, "commitment-statement")
    personas["oslo"].cookies.load({"django_language": "fr"})
    page = personas["oslo"].post(f"/responses/{oslo_draft.pk}/submit/", {}).content.decode()
    assert "Commentaire pour l’expert (pourquoi cette réponse reste telle quelle)" in page
    assert "ces réponses restent" not in page


def test_a_refused_number_is_written_with_a_decimal_comma_on_a_french_page(personas, oslo_draft):
    personas["oslo"].cookies.load({"django_language": "fr"})
    r = post(personas["oslo"], oslo_draft, "fact-foreign-born", value="1000,5")
    assert r.status_code == 422
    assert "1\u00a0000,5 est supérieur au maximum 100 (%)" in r.content.decode()
