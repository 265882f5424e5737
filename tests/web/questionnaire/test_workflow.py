"""Submit → review → return → fix → resubmit → validate → publish, each step recorded and notified."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.core import mail

from icc.engine import INDEX_CORE
from icc.web.questionnaire.editing import save_answer
from icc.web.questionnaire.models import Answer, Response, ResponseEvent
from icc.web.results.models import Score

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 1, tzinfo=UTC)


def test_submitting_lists_the_required_questions_still_missing(personas, oslo_draft):
    r = personas["oslo"].post(f"/responses/{oslo_draft.pk}/submit/")
    assert r.status_code == 422
    page = r.content.decode()
    assert "required questions are not answered yet" in page
    assert f"/responses/{oslo_draft.pk}/sections/commitment/#q-commitment-statement" in page
    oslo_draft.refresh_from_db()
    assert oslo_draft.status == "draft"


def test_only_the_coordinator_submits(personas, oslo_draft):
    assert personas["oslo-education"].post(f"/responses/{oslo_draft.pk}/submit/").status_code == 403


def test_the_whole_review_journey(personas, oslo_draft, django_capture_on_commit_callbacks, fill):
    from icc.web.accounts.models import User

    fill(oslo_draft, User.objects.get(username="oslo"))
    User.objects.filter(username="oslo-education").update(language="fr")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        r = personas["oslo"].post(f"/responses/{oslo_draft.pk}/submit/", {"comment": "Ready"})
    assert r.status_code == 302
    oslo_draft.refresh_from_db()
    assert oslo_draft.status == "submitted"
    mails = {m.to[0]: m for m in mail.outbox if len(m.to) == 1}  # one message per person, in their language
    assert len(mails) == len(mail.outbox)
    english = mails["oslo@demo.icc.invalid"]
    assert english.subject == "[ICC Index] Oslo 2026: Submitted" and "Comment:\nReady" in english.body
    assert mails["expert@demo.icc.invalid"].subject == "[ICC Index] Oslo 2026: Submitted"
    assert mails["oslo-education@demo.icc.invalid"].subject == "[Indice ICC] Oslo 2026 : Soumise"

    # locked: the city can no longer change answers
    a = Answer.objects.get(response=oslo_draft, question_id="commitment-statement")
    locked = personas["oslo"].post(
        f"/responses/{oslo_draft.pk}/answers/commitment-statement/", {"version": a.version, "value": "no"}
    )
    assert locked.status_code == 403

    # the expert returns one answer with a comment, accepts another, and finishes the review
    assert personas["expert"].get(f"/responses/{oslo_draft.pk}/review/").status_code == 200
    no_comment = personas["expert"].post(
        f"/responses/{oslo_draft.pk}/review/commitment-statement/", {"decision": "returned"}
    )
    assert no_comment.status_code == 422
    personas["expert"].post(
        f"/responses/{oslo_draft.pk}/review/commitment-statement/",
        {"decision": "returned", "comment": "Link the council decision"},
    )
    personas["expert"].post(f"/responses/{oslo_draft.pk}/review/commitment-strategy/", {"decision": "accepted"})
    personas["expert"].post(f"/responses/{oslo_draft.pk}/review-done/")
    oslo_draft.refresh_from_db()
    assert oslo_draft.status == "returned"

    # the city sees the returned answer, may change only that one, and resubmits
    page = personas["oslo"].get(f"/responses/{oslo_draft.pk}/sections/commitment/").content.decode()
    assert "Link the council decision" in page
    other = Answer.objects.get(response=oslo_draft, question_id="commitment-strategy")
    assert (
        personas["oslo"]
        .post(f"/responses/{oslo_draft.pk}/answers/commitment-strategy/", {"version": other.version, "value": "no"})
        .status_code
        == 403
    )
    a.refresh_from_db()
    fixed = personas["oslo"].post(
        f"/responses/{oslo_draft.pk}/answers/commitment-statement/",
        {"version": a.version, "value": a.value, "evidence_links": "https://example.org/council/2025-12"},
    )
    assert fixed.status_code == 200
    assert personas["oslo"].post(f"/responses/{oslo_draft.pk}/submit/").status_code == 302

    # the expert validates, the secretariat publishes, and the scores appear on the public page
    personas["expert"].post(f"/responses/{oslo_draft.pk}/review-done/")
    oslo_draft.refresh_from_db()
    assert oslo_draft.status == "validated"
    assert not Score.objects.filter(edition=oslo_draft.edition).exists()  # validated is not yet public
    assert personas["expert"].post(f"/responses/{oslo_draft.pk}/publish/").status_code == 403
    preview = personas["secretariat"].get(f"/responses/{oslo_draft.pk}/publish/").content.decode()
    assert "What will be published" in preview and "1 of 1" in preview
    assert personas["secretariat"].post(f"/responses/{oslo_draft.pk}/publish/").status_code == 422  # not confirmed
    oslo_draft.refresh_from_db()
    assert oslo_draft.status == "validated"
    r = personas["secretariat"].post(f"/responses/{oslo_draft.pk}/publish/", {"confirm": "1"})
    assert r.status_code == 302
    oslo_draft.refresh_from_db()
    assert oslo_draft.status == "published"
    score = Score.objects.get(edition=oslo_draft.edition, city=oslo_draft.city, item=INDEX_CORE)
    assert score.rank == 1 and score.sample_size == 1
    page = personas["anonymous"].get("/cities/oslo/?edition=2026").content.decode()
    assert "In 2026, 1st of 1 city," in page

    steps = list(ResponseEvent.objects.filter(response=oslo_draft).values_list("to_status", flat=True))
    assert steps == ["draft", "submitted", "returned", "submitted", "validated", "published"]
    assert all(e.user_id for e in ResponseEvent.objects.filter(response=oslo_draft).exclude(to_status="draft"))


def test_drafts_never_appear_on_public_pages(personas, oslo_draft, fill):
    from icc.web.accounts.models import User

    fill(oslo_draft, User.objects.get(username="oslo"))
    assert personas["anonymous"].get("/cities/oslo/?edition=2026").status_code == 400
    assert (
        "2026" not in personas["anonymous"].get("/cities/").content.decode().split('<select name="edition">')[1][:400]
    )


def test_the_secretariat_opens_an_edition_and_invites_cities(personas):
    from icc.web.network.models import City, Edition, StoredFramework

    fw = StoredFramework.objects.get(framework_id="icc-2019")
    r = personas["secretariat"].post(
        "/responses/editions/", {"year": 2028, "framework": fw.pk, "opens": "2028-01-10", "closes": "2028-05-31"}
    )
    assert r.status_code == 302
    oslo, bergen = City.objects.get(slug="oslo"), City.objects.get(slug="bergen")
    personas["secretariat"].post("/responses/editions/2028/invite/", {"city": [oslo.pk, bergen.pk]})
    assert set(Response.objects.filter(edition__year=2028).values_list("city__slug", "status")) == {
        ("oslo", "draft"),
        ("bergen", "draft"),
    }
    personas["secretariat"].post("/responses/editions/2028/status/", {"status": "closed"})
    assert Edition.objects.get(year=2028).status == "closed"


def test_a_bad_edition_form_says_what_is_wrong(personas):
    from icc.web.network.models import StoredFramework

    fw = StoredFramework.objects.get(framework_id="icc-2019")
    r = personas["secretariat"].post(
        "/responses/editions/", {"year": 2025, "framework": fw.pk, "opens": "2028-05-10", "closes": "2028-01-31"}
    )
    page = r.content.decode()
    assert r.status_code == 200 and "An edition 2025 already exists." in page
    assert "The closing date is before the opening date." in page


def test_the_coordinator_assigns_a_section_to_a_colleague(personas, oslo_draft):
    from icc.web.accounts.models import User

    colleague = User.objects.get(username="oslo-education")
    personas["oslo"].post(f"/responses/{oslo_draft.pk}/assign/", {"section": "education", "user": colleague.pk})
    ok = personas["oslo-education"].post(
        f"/responses/{oslo_draft.pk}/answers/education-teachers/", {"version": 0, "value": "yes"}
    )
    assert ok.status_code == 200
    refused = personas["oslo-education"].post(
        f"/responses/{oslo_draft.pk}/answers/commitment-statement/", {"version": 0, "value": "yes"}
    )
    assert refused.status_code == 403
    page = personas["oslo"].get(f"/responses/{oslo_draft.pk}/").content.decode()
    assert "Education → oslo-education" in page and "remove" in page
    personas["oslo"].post(
        f"/responses/{oslo_draft.pk}/assign/", {"section": "education", "user": colleague.pk, "remove": "1"}
    )
    assert "Education → oslo-education" not in personas["oslo"].get(f"/responses/{oslo_draft.pk}/").content.decode()


def test_a_coordinator_without_colleagues_is_told_how_to_get_some(personas, bilbao_draft):
    page = personas["bilbao"].get(f"/responses/{bilbao_draft.pk}/").content.decode()
    assert "No colleague of your city has an account yet" in page and 'name="user"' not in page


def test_the_history_shows_status_names_and_who(personas, oslo_draft):
    page = personas["oslo"].get(f"/responses/{oslo_draft.pk}/").content.decode()
    assert "the platform · <strong>Draft</strong>" in page


def test_a_status_change_that_is_rolled_back_announces_nothing(oslo_draft, django_capture_on_commit_callbacks):
    from datetime import UTC, datetime

    from django.db import transaction

    from icc.web.accounts.models import User
    from icc.web.questionnaire.workflow import perform

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        with transaction.atomic():
            perform(oslo_draft, "submit", User.objects.get(username="oslo"), datetime(2026, 3, 1, tzinfo=UTC))
            raise RuntimeError("the request failed after the change")
    assert not mail.outbox
    oslo_draft.refresh_from_db()
    assert oslo_draft.status == "draft"


def test_the_review_page_shows_answers_as_people_read_them_and_keeps_count(personas, oslo_draft, fill):
    from icc.web.accounts.models import User

    oslo = User.objects.get(username="oslo")
    fill(oslo_draft, oslo)
    save_answer(
        oslo_draft, "fact-foreign-born", oslo, changes={"value": "27.5"}, base_version=0, edit_key=None, now=NOW
    )
    oslo_draft.status = "submitted"
    oslo_draft.save()
    page = personas["expert"].get(f"/responses/{oslo_draft.pk}/review/").content.decode()
    assert '<span class="value">27.5 %</span>' in page
    statement = Answer.objects.get(response=oslo_draft, question_id="commitment-statement").value
    label = {"yes": "Yes", "partly": "Partly", "no": "No", "dont_know": "Don't know"}[statement]
    assert f'<span class="value">{label}</span>' in page.replace("Don&#x27;t", "Don't")
    n = page.count('name="decision" value="accepted"')  # one per answer to review
    assert f"0 accepted · 0 returned · 0 corrected by the city · {n} not reviewed yet" in page
    r = personas["expert"].post(
        f"/responses/{oslo_draft.pk}/review/commitment-statement/", {"decision": "returned", "comment": "Which vote?"}
    )
    assert f"0 accepted · 1 returned · 0 corrected by the city · {n - 1} not reviewed yet" in r.content.decode()
    assert 'id="review-summary" role="status" hx-swap-oob="true"' in r.content.decode()


def test_an_expert_opening_the_review_of_a_draft_is_told_why_it_cannot_be_reviewed_yet(personas, oslo_draft):
    r = personas["expert"].get(f"/responses/{oslo_draft.pk}/review/", follow=True)
    assert r.redirect_chain == [(f"/responses/{oslo_draft.pk}/", 302)]
    assert "This response is draft: you can review it when the city submits it." in r.content.decode()
    personas["expert"].cookies.load({"django_language": "fr"})
    page = personas["expert"].get(f"/responses/{oslo_draft.pk}/review/", follow=True).content.decode()
    assert "vous pourrez l’examiner quand la ville la soumettra" in page


def test_a_city_official_may_not_open_the_review(personas, oslo_draft):
    assert personas["oslo"].get(f"/responses/{oslo_draft.pk}/review/").status_code == 403


def test_a_repeated_submission_is_a_conflict_saying_when_and_by_whom_it_was_submitted(personas, oslo_draft, fill):
    from icc.web.accounts.models import User

    fill(oslo_draft, User.objects.get(username="oslo"))
    assert personas["oslo"].post(f"/responses/{oslo_draft.pk}/submit/", {"comment": "Ready"}).status_code == 302
    again = personas["oslo"].post(f"/responses/{oslo_draft.pk}/submit/", {"comment": "Ready"})  # a replayed POST
    assert again.status_code == 409
    page = again.content.decode()
    submitted = ResponseEvent.objects.get(response=oslo_draft, to_status="submitted")
    from django.utils import timezone

    when = timezone.localtime(submitted.at).strftime("%Y-%m-%d %H:%M")
    assert f"This response is already submitted (on {when} by oslo)." in page
    assert "Not allowed" not in page and "ask the secretariat" not in page
    assert "<h1>Oslo · ICC Index 2026</h1>" in page  # the response's page, not an error page
    assert ResponseEvent.objects.filter(response=oslo_draft, to_status="submitted").count() == 1


def test_a_repeated_end_of_review_is_a_conflict_saying_what_happened(personas, oslo_draft, fill):
    from icc.web.accounts.models import User

    fill(oslo_draft, User.objects.get(username="oslo"))
    Response.objects.filter(pk=oslo_draft.pk).update(status=Response.Status.SUBMITTED)
    assert personas["expert"].post(f"/responses/{oslo_draft.pk}/review-done/").status_code == 302
    again = personas["expert"].post(f"/responses/{oslo_draft.pk}/review-done/")
    assert again.status_code == 409
    assert (
        "This response is already validated (on " in again.content.decode() and " by expert)." in again.content.decode()
    )
    late = personas["expert"].post(f"/responses/{oslo_draft.pk}/review/commitment-statement/", {"decision": "accepted"})
    assert late.status_code == 409 and "The review is over" in late.content.decode()


def test_each_questionnaire_page_has_a_title_naming_the_page_and_the_response(personas, oslo_draft, fill):
    import re

    from icc.web.accounts.models import User

    def title(client, url):
        r = client.get(url)
        assert r.status_code == 200, url
        return re.search(r"<title>(.*?)</title>", r.content.decode(), re.S).group(1)

    fill(oslo_draft, User.objects.get(username="oslo"))
    base = f"/responses/{oslo_draft.pk}"
    assert title(personas["oslo"], f"{base}/") == "Oslo 2026 · Intercultural Cities Index"
    assert (
        title(personas["oslo"], f"{base}/sections/commitment/") == "Commitment · Oslo 2026 · Intercultural Cities Index"
    )
    history = title(personas["oslo"], f"{base}/answers/commitment-statement/history/")
    assert history == "History of an answer · commitment-statement · Oslo 2026 · Intercultural Cities Index"
    Response.objects.filter(pk=oslo_draft.pk).update(status=Response.Status.SUBMITTED)
    assert title(personas["expert"], f"{base}/review/") == "Review of Oslo 2026 · Intercultural Cities Index"
    personas["expert"].cookies.load({"django_language": "fr"})
    assert title(personas["expert"], f"{base}/review/").startswith("Examen des réponses : Oslo 2026 · ")
