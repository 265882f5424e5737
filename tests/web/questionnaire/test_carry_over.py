"""A new edition's response starts from the city's earlier answers (through the question mapping when the framework
changed), each marked "carried over — please confirm" until the city confirms or changes it; re-read from the
database and from the page."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from icc.framework import load_shipped, shipped_mapping
from icc.framework.answers import applicable
from icc.web.questionnaire import carry_over
from icc.web.questionnaire.editing import import_answers, save_answer
from icc.web.questionnaire.models import Answer, AnswerChange, AuditEvent, EvidenceFile, Response

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 2, 1, tzinfo=UTC)


def answers_of(response) -> dict[str, Answer]:
    return {a.question_id: a for a in Answer.objects.filter(response=response)}


@pytest.fixture
def oslo_2015_is_the_latest(db):
    """Oslo's icc-2019 responses (2019, 2022, 2025) are not validated, so its latest validated or published response
    is the 2015 one (framework icc-2011), with a few answers set to what the test reads."""
    Response.objects.filter(city__slug="oslo", edition__year__in=[2019, 2022, 2025]).update(
        status=Response.Status.SUBMITTED
    )
    r2015 = Response.objects.get(city__slug="oslo", edition__year=2015)
    for qid, value in {
        "q11-education-mixing": "few-or-none",
        "q11-commitment-unit": "cross-cutting",
        "q11-commitment-statement": "yes",
    }.items():
        Answer.objects.update_or_create(response=r2015, question_id=qid, defaults={"value": value, "updated_at": NOW})
    Answer.objects.filter(response=r2015, question_id="q11-commitment-statement").update(
        evidence_text="Council decision 12/2014", evidence_links="https://oslo.example/decision"
    )
    return r2015


def test_it_copies_a_2015_icc_2011_response_through_the_mapping_and_marks_every_copy(
    oslo_2015_is_the_latest, oslo_draft
):
    from icc.web.accounts.models import User

    oslo = User.objects.get(username="oslo")
    outcome = carry_over.carry_over(oslo_draft, oslo, NOW)
    stored = answers_of(oslo_draft)  # re-read from the database
    assert outcome.source_year == 2015 and outcome.copied == len(stored) > 0
    # options renamed as the mapping says; evidence text and links come along under the new id
    mapping = shipped_mapping("icc-2011", "icc-2019")  # read through the loader: the mapping is being revised
    options = {qm.to: qm.options for qm in mapping.questions}
    assert stored["education-mixing"].value == options["education-mixing"].get("few-or-none", "few-or-none")
    assert stored["commitment-coordination"].value == options["commitment-coordination"]["cross-cutting"]
    assert stored["commitment-statement"].value == "yes"
    assert stored["commitment-statement"].evidence_text == "Council decision 12/2014"
    assert stored["commitment-statement"].evidence_links == "https://oslo.example/decision"
    # the facts (same ids in both frameworks) come along as they are
    source = answers_of(oslo_2015_is_the_latest)
    assert stored["fact-population"].value == source["fact-population"].value
    # only mapped questions and facts: nothing else of icc-2019 is answered
    facts = {q.id for q in load_shipped("icc-2019").facts}
    assert set(stored) <= {qm.to for qm in mapping.questions} | facts
    assert all(a.carried_over_from == 2015 for a in stored.values())
    # recorded like any save: one history row per field, source carry_over, and an audit event
    changes = AnswerChange.objects.filter(answer__response=oslo_draft)
    assert set(changes.values_list("source", flat=True)) == {"carry_over"}
    assert changes.filter(field="carried_over", new="2015").count() == len(stored)
    assert AuditEvent.objects.filter(response=oslo_draft, action="answers_carried_over").count() == 1


def test_a_second_carry_over_adds_nothing_and_keeps_what_the_city_changed(personas, oslo_draft):
    from icc.web.accounts.models import User

    oslo = User.objects.get(username="oslo")
    first = carry_over.carry_over(oslo_draft, oslo, NOW)
    assert first.source_year == 2025 and first.copied > 0
    a = Answer.objects.get(response=oslo_draft, question_id="commitment-statement")
    changed = "no" if a.value != "no" else "yes"
    save_answer(
        oslo_draft, a.question_id, oslo, changes={"value": changed}, base_version=a.version, edit_key=None, now=NOW
    )
    Answer.objects.filter(response=oslo_draft, question_id="education-mixing").delete()  # one question blank again
    before = {q: (x.value, x.version, x.carried_over_from) for q, x in answers_of(oslo_draft).items()}

    second = carry_over.carry_over(oslo_draft, oslo, NOW)
    after = answers_of(oslo_draft)
    assert second.copied == 1 and second.already_answered == len(before)
    assert {q: (x.value, x.version, x.carried_over_from) for q, x in after.items() if q in before} == before
    assert after["commitment-statement"].value == changed and after["commitment-statement"].carried_over_from is None
    assert after["education-mixing"].carried_over_from == 2025
    third = carry_over.carry_over(oslo_draft, oslo, NOW)
    assert third.copied == 0 and len(answers_of(oslo_draft)) == len(after)


def test_it_is_all_or_nothing(oslo_draft, monkeypatch):
    from icc.web.accounts.models import User
    from icc.web.questionnaire import editing

    calls = {"n": 0}
    real = editing.save_answer

    def failing(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 5:
            raise RuntimeError("disk full")
        return real(*args, **kwargs)

    monkeypatch.setattr(carry_over, "save_answer", failing)
    with pytest.raises(RuntimeError):
        carry_over.carry_over(oslo_draft, User.objects.get(username="oslo"), NOW)
    assert not Answer.objects.filter(response=oslo_draft).exists()
    assert not AuditEvent.objects.filter(response=oslo_draft, action="answers_carried_over").exists()


def test_the_button_copies_and_the_question_says_carried_over_please_confirm(personas, oslo_draft, french):
    detail = personas["oslo"].get(f"/responses/{oslo_draft.pk}/").content.decode()
    assert "Start from our answers to 2025" in detail and "Evidence files are not copied" in detail
    r = personas["oslo"].post(f"/responses/{oslo_draft.pk}/carry-over/", follow=True)
    page = r.content.decode()
    assert r.status_code == 200 and "answers carried over from 2025: please confirm or change each of them" in page
    assert "carried-over answers to confirm" in page
    section = personas["oslo"].get(f"/responses/{oslo_draft.pk}/sections/commitment/").content.decode()
    start = section.index('id="q-commitment-statement"')
    question = section[start : section.index("</article>", start)]
    assert "Carried over from 2025 — please confirm" in question
    assert f'action="/responses/{oslo_draft.pk}/answers/commitment-statement/confirm/"' in question
    from icc.web.accounts.models import User

    french.force_login(User.objects.get(username="oslo"))
    fr = french.get(f"/responses/{oslo_draft.pk}/sections/commitment/").content.decode()
    assert "Reprise de 2025 — à confirmer" in fr


def test_only_the_coordinator_of_the_city_carries_answers_over(personas, oslo_draft):
    assert personas["bilbao"].post(f"/responses/{oslo_draft.pk}/carry-over/").status_code == 404
    assert personas["oslo-education"].post(f"/responses/{oslo_draft.pk}/carry-over/").status_code == 403
    assert personas["expert"].post(f"/responses/{oslo_draft.pk}/carry-over/").status_code == 403
    assert not Answer.objects.filter(response=oslo_draft).exists()


def test_a_submitted_response_cannot_start_again_from_earlier_answers(personas, oslo_draft):
    Response.objects.filter(pk=oslo_draft.pk).update(status=Response.Status.SUBMITTED)
    r = personas["oslo"].post(f"/responses/{oslo_draft.pk}/carry-over/", follow=True)
    assert "only into a draft of an open edition" in r.content.decode()
    assert not Answer.objects.filter(response=oslo_draft).exists()


def test_evidence_files_are_not_carried_over_and_the_city_is_told(personas, oslo_draft):
    source = Answer.objects.get(
        response__city__slug="oslo", response__edition__year=2025, question_id="commitment-statement"
    )
    EvidenceFile.objects.create(
        answer=source,
        file="evidence/x/abc",
        original_name="decision.pdf",
        content_type="application/pdf",
        size=10,
        uploaded_at=NOW,
    )
    page = personas["oslo"].post(f"/responses/{oslo_draft.pk}/carry-over/", follow=True).content.decode()
    assert "1 evidence file was not carried over" in page
    assert not EvidenceFile.objects.filter(answer__response=oslo_draft).exists()


def test_confirming_or_changing_an_answer_clears_its_mark(personas, oslo_draft):
    personas["oslo"].post(f"/responses/{oslo_draft.pk}/carry-over/")
    a = Answer.objects.get(response=oslo_draft, question_id="commitment-statement")
    value, version = a.value, a.version
    r = personas["oslo"].post(
        f"/responses/{oslo_draft.pk}/answers/commitment-statement/confirm/",
        {"version": version},
        HTTP_HX_REQUEST="true",
    )
    assert r.status_code == 200 and "please confirm" not in r.content.decode()
    a.refresh_from_db()
    assert a.carried_over_from is None and a.value == value and a.version == version + 1
    assert AnswerChange.objects.filter(answer=a, field="carried_over", old="2025", new="").count() == 1

    b = Answer.objects.get(response=oslo_draft, question_id="commitment-evaluation")
    other = "no" if b.value != "no" else "yes"
    saved = personas["oslo"].post(
        f"/responses/{oslo_draft.pk}/answers/commitment-evaluation/",
        {"version": b.version, "value": other, "evidence_text": b.evidence_text, "evidence_links": b.evidence_links},
    )
    assert saved.status_code == 200 and 'id="co-commitment-evaluation" hx-swap-oob="true"' in saved.content.decode()
    b.refresh_from_db()
    assert b.value == other and b.carried_over_from is None


def test_a_spreadsheet_that_leaves_an_answer_as_it_was_does_not_confirm_it(oslo_draft):
    from icc.framework.answers import AnswerValue
    from icc.web.accounts.models import User

    oslo = User.objects.get(username="oslo")
    carry_over.carry_over(oslo_draft, oslo, NOW)
    a = Answer.objects.get(response=oslo_draft, question_id="commitment-statement")
    b = Answer.objects.get(response=oslo_draft, question_id="commitment-evaluation")
    other = "no" if b.value != "no" else "yes"
    import_answers(
        oslo_draft,
        {
            a.question_id: AnswerValue(a.value, a.evidence_text, a.evidence_links),
            b.question_id: AnswerValue(other, b.evidence_text, b.evidence_links),
        },
        oslo,
        NOW,
        exported_at=NOW,  # exported after the carry-over: the file changes b on purpose
    )
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.carried_over_from == 2025 and b.carried_over_from is None


def test_submission_is_refused_while_a_carried_over_answer_is_not_confirmed(personas, oslo_draft, fill):
    from icc.web.accounts.models import User

    oslo = User.objects.get(username="oslo")
    carry_over.carry_over(oslo_draft, oslo, NOW)
    fill(oslo_draft, oslo)  # the questions 2025 left blank (the others are answered: nothing is overwritten)
    r = personas["oslo"].post(f"/responses/{oslo_draft.pk}/submit/")
    page = r.content.decode()
    assert r.status_code == 422 and "carried over from an earlier edition are not confirmed yet" in page
    assert f"/responses/{oslo_draft.pk}/sections/commitment/#q-commitment-statement" in page
    oslo_draft.refresh_from_db()
    assert oslo_draft.status == Response.Status.DRAFT

    fw = load_shipped("icc-2019")
    marked = carry_over.unconfirmed(oslo_draft, fw)
    shown = applicable(fw, {a.question_id: a.value for a in Answer.objects.filter(response=oslo_draft)})
    assert marked and all(shown[q] for q in marked)
    for a in Answer.objects.filter(response=oslo_draft, carried_over_from__isnull=False):
        save_answer(oslo_draft, a.question_id, oslo, changes={}, base_version=a.version, edit_key=uuid.uuid4(), now=NOW)
    assert personas["oslo"].post(f"/responses/{oslo_draft.pk}/submit/").status_code == 302
    oslo_draft.refresh_from_db()
    assert oslo_draft.status == Response.Status.SUBMITTED
