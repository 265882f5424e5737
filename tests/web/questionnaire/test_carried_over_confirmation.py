"""Carried-over answers as the city confirms them: every reason a submission is refused at once, the section's
"confirm all" button, and what the histories say; each read back from the database or the rendered page."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from icc.web.questionnaire import carry_over
from icc.web.questionnaire.models import Answer

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 2, 1, tzinfo=UTC)


@pytest.fixture
def carried(oslo_draft):
    """Oslo's 2026 draft started from its 2025 answers by its coordinator."""
    from icc.web.accounts.models import User

    outcome = carry_over.carry_over(oslo_draft, User.objects.get(username="oslo"), NOW)
    assert outcome.copied > 10
    return outcome


def test_a_refused_submission_lists_every_reason_at_once_with_sections(personas, oslo_draft, carried):
    Answer.objects.filter(response=oslo_draft, question_id="commitment-statement").delete()  # a required one
    r = personas["oslo"].post(f"/responses/{oslo_draft.pk}/submit/")
    assert r.status_code == 422
    page = r.content.decode()
    assert "not answered yet:" in page  # the required questions …
    assert "answers carried over from an earlier edition are not confirmed yet" in page  # … and the carried ones
    assert f'href="/responses/{oslo_draft.pk}/sections/commitment/#q-commitment-statement"' in page
    assert "· Commitment</span>" in page


def test_confirm_all_confirms_the_section_s_carried_over_answers_and_records_each(personas, oslo_draft, carried):
    page = personas["oslo"].get(f"/responses/{oslo_draft.pk}/sections/commitment/").content.decode()
    assert "Confirm all carried-over answers of this section" in page
    marked = set(carry_over.unconfirmed(oslo_draft))
    in_section = {qid for qid in marked if qid.startswith("commitment-")}
    assert in_section
    before = dict(Answer.objects.filter(response=oslo_draft).values_list("question_id", "value"))
    r = personas["oslo"].post(f"/responses/{oslo_draft.pk}/sections/commitment/confirm-carried/", follow=True)
    assert f"{len(in_section)} carried-over answers of this section confirmed." in r.content.decode()
    assert set(carry_over.unconfirmed(oslo_draft)) == marked - in_section
    assert dict(Answer.objects.filter(response=oslo_draft).values_list("question_id", "value")) == before
    for qid in in_section:
        answer = Answer.objects.get(response=oslo_draft, question_id=qid)
        assert answer.changes.filter(field="carried_over", old="2025", new="", user__username="oslo").count() == 1
    assert "Confirm all carried-over answers" not in r.content.decode()


def test_only_those_who_may_edit_the_section_confirm_all(personas, oslo_draft, carried):
    url = f"/responses/{oslo_draft.pk}/sections/commitment/confirm-carried/"
    assert personas["expert"].post(url).status_code == 403
    assert personas["bilbao"].post(url).status_code == 404
    assert personas["oslo"].get(url).status_code == 405
    assert len(carry_over.unconfirmed(oslo_draft)) == carried.copied


def test_the_histories_say_carried_over_and_confirmed_in_words(personas, oslo_draft, carried):
    client = personas["oslo"]
    answer = Answer.objects.get(response=oslo_draft, question_id="commitment-statement")
    client.post(f"/responses/{oslo_draft.pk}/answers/commitment-statement/confirm/", {"version": answer.version})
    page = client.get(f"/responses/{oslo_draft.pk}/answers/commitment-statement/history/").content.decode()
    assert "carried over from 2025, to confirm" in page and "confirmed (carried over from 2025)" in page
    assert "(to confirm)" not in page
    detail = client.get(f"/responses/{oslo_draft.pk}/").content.decode()
    assert f"{carried.copied} answers carried over from 2025 by " in detail


def test_the_histories_are_in_french(french, personas, oslo_draft, carried):
    client = personas["oslo"]
    client.cookies.load({"django_language": "fr"})
    answer = Answer.objects.get(response=oslo_draft, question_id="commitment-statement")
    client.post(f"/responses/{oslo_draft.pk}/answers/commitment-statement/confirm/", {"version": answer.version})
    page = client.get(f"/responses/{oslo_draft.pk}/answers/commitment-statement/history/").content.decode()
    assert "confirmée (reprise de 2025)" in page
    detail = client.get(f"/responses/{oslo_draft.pk}/").content.decode()
    assert f"{carried.copied} réponses reprises de 2025 par " in detail
