"""Status e-mails: one message per person concerned, in that person's language, saying what happened, with the link."""

from __future__ import annotations

import pytest
from django.core import mail

from icc.framework import load_shipped

pytestmark = pytest.mark.django_db

OSLO_PEOPLE = {
    "oslo@demo.icc.invalid",
    "oslo-education@demo.icc.invalid",
    "expert@demo.icc.invalid",
    "secretariat@demo.icc.invalid",
}
FRENCH = {"oslo-education@demo.icc.invalid", "expert@demo.icc.invalid"}


@pytest.fixture
def oslo_submitted(personas, oslo_draft, fill, django_capture_on_commit_callbacks):
    """Oslo's draft filled and submitted; its colleague and the expert read French; the outbox is empty."""
    from icc.web.accounts.models import User

    fill(oslo_draft, User.objects.get(username="oslo"))
    User.objects.filter(username__in=["oslo-education", "expert"]).update(language="fr")
    with django_capture_on_commit_callbacks(execute=True):
        assert personas["oslo"].post(f"/responses/{oslo_draft.pk}/submit/").status_code == 302
    mail.outbox.clear()
    return oslo_draft


def base() -> str:
    from django.conf import settings

    return settings.BASE_URL.rstrip("/")


def by_address(outbox) -> dict:
    """Each message by its one recipient; fails when a message has several (or a person gets two)."""
    out = {}
    for message in outbox:
        assert len(message.to) == 1 and not message.cc and not message.bcc, message.to
        assert message.to[0] not in out, f"{message.to[0]} got two messages"
        out[message.to[0]] = message
    return out


def check_each_alone_in_their_language(outbox, response, english: str, french: str) -> dict:
    mails = by_address(outbox)
    assert OSLO_PEOPLE <= set(mails)
    for address in OSLO_PEOPLE:
        assert mails[address].subject == (french if address in FRENCH else english), address
        assert f"{base()}/responses/{response.pk}/" in mails[address].body
    return mails


def test_a_submission_is_e_mailed_to_each_person_alone_in_their_language(
    personas, oslo_draft, fill, django_capture_on_commit_callbacks
):
    from icc.web.accounts.models import User

    fill(oslo_draft, User.objects.get(username="oslo"))
    User.objects.filter(username__in=["oslo-education", "expert"]).update(language="fr")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        personas["oslo"].post(f"/responses/{oslo_draft.pk}/submit/", {"comment": "Ready"})
    mails = check_each_alone_in_their_language(
        mail.outbox, oslo_draft, "[ICC Index] Oslo 2026: Submitted", "[Indice ICC] Oslo 2026 : Soumise"
    )
    assert "is now: Submitted." in mails["oslo@demo.icc.invalid"].body
    assert "est maintenant : Soumise." in mails["expert@demo.icc.invalid"].body
    assert "Commentaire :\nReady" in mails["expert@demo.icc.invalid"].body


def test_a_withdrawal_says_the_submission_was_withdrawn(personas, oslo_submitted, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert personas["oslo"].post(f"/responses/{oslo_submitted.pk}/withdraw/").status_code == 302
    mails = check_each_alone_in_their_language(
        mail.outbox,
        oslo_submitted,
        "[ICC Index] Oslo 2026: Submission withdrawn",
        "[Indice ICC] Oslo 2026 : Soumission retirée",
    )
    assert "was withdrawn: it is Draft again." in mails["secretariat@demo.icc.invalid"].body
    assert "a été retirée : elle est de nouveau Brouillon." in mails["expert@demo.icc.invalid"].body


def test_a_returned_response_lists_each_returned_question_with_the_expert_s_comment(
    personas, oslo_submitted, django_capture_on_commit_callbacks
):
    pk = oslo_submitted.pk
    expert = personas["expert"]
    expert.post(f"/responses/{pk}/review/commitment-statement/", {"decision": "returned", "comment": "Link the vote"})
    expert.post(f"/responses/{pk}/review/commitment-strategy/", {"decision": "returned", "comment": "Which plan?"})
    with django_capture_on_commit_callbacks(execute=True):
        assert expert.post(f"/responses/{pk}/review-done/").status_code == 302
    mails = check_each_alone_in_their_language(
        mail.outbox,
        oslo_submitted,
        "[ICC Index] Oslo 2026: Returned to the city",
        "[Indice ICC] Oslo 2026 : Renvoyée à la ville",
    )
    fw = load_shipped("icc-2019")
    statement, strategy = fw.question("commitment-statement").text, fw.question("commitment-strategy").text
    english, french = mails["oslo@demo.icc.invalid"].body, mails["oslo-education@demo.icc.invalid"].body
    assert "The expert returned 2 answers for correction:" in english
    assert f"- {statement['en']}\n  Expert's comment: Link the vote\n" in english
    assert f"- {strategy['en']}\n  Expert's comment: Which plan?\n" in english
    assert f"{base()}/responses/{pk}/sections/commitment/#q-commitment-statement" in english
    assert "L'expert a renvoyé 2 réponses pour correction :" in french
    assert f"- {statement['fr']}\n  Commentaire de l'expert : Link the vote\n" in french
    assert "answers returned for correction" not in french  # the review's automatic comment, in English, is left out


def test_validation_and_publication_are_e_mailed_to_each_person_alone_in_their_language(
    personas, oslo_submitted, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert personas["expert"].post(f"/responses/{oslo_submitted.pk}/review-done/").status_code == 302
    check_each_alone_in_their_language(
        mail.outbox, oslo_submitted, "[ICC Index] Oslo 2026: Validated", "[Indice ICC] Oslo 2026 : Validée"
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        r = personas["secretariat"].post(f"/responses/{oslo_submitted.pk}/publish/", {"confirm": "1"})
    assert r.status_code == 302
    check_each_alone_in_their_language(
        mail.outbox, oslo_submitted, "[ICC Index] Oslo 2026: Published", "[Indice ICC] Oslo 2026 : Publiée"
    )


def test_a_section_given_and_taken_back_is_e_mailed_to_the_colleague_in_their_language(
    personas, oslo_draft, django_capture_on_commit_callbacks
):
    from icc.web.accounts.models import User

    colleague = User.objects.get(username="oslo-education")
    User.objects.filter(pk=colleague.pk).update(language="fr")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        personas["oslo"].post(f"/responses/{oslo_draft.pk}/assign/", {"section": "education", "user": colleague.pk})
    [given] = mail.outbox
    assert given.to == ["oslo-education@demo.icc.invalid"]
    assert given.subject == "[Indice ICC] Oslo 2026 : la section Éducation vous est confiée"
    assert f"{base()}/responses/{oslo_draft.pk}/sections/education/" in given.body
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        personas["oslo"].post(
            f"/responses/{oslo_draft.pk}/assign/", {"section": "education", "user": colleague.pk, "remove": "1"}
        )
    [taken] = mail.outbox
    assert taken.to == ["oslo-education@demo.icc.invalid"]
    assert taken.subject == "[Indice ICC] Oslo 2026 : Éducation ne vous est plus confiée"
    assert "a repris la section « Éducation »" in taken.body
