"""A score is a demo score when the demo generator wrote its answers, not because the response sits in the demo
network: what a person typed into a demo response is that person's answer (a fresh-eyes walk found Oslo's typed
2026 answers published as "invented by the demo generator")."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from icc.web.questionnaire.models import Answer, Response
from icc.web.results.models import Score
from icc.web.results.rescoring import rescore_edition

pytestmark = pytest.mark.django_db
AS_OF = datetime(2026, 3, 1, tzinfo=UTC)


def _publish_oslo_2026(typed_by: str | None) -> None:
    from icc.web.accounts.models import User

    by = User.objects.get(username=typed_by) if typed_by else None
    response = Response.objects.get(city__slug="oslo", edition__year=2026)
    assert response.is_demo  # the demo's open edition: an empty draft made by the demo loader
    before = Response.objects.get(city__slug="oslo", edition__year=2025)
    Answer.objects.bulk_create(
        [
            Answer(response=response, question_id=a.question_id, value=a.value, updated_at=AS_OF, updated_by=by)
            for a in before.answers.all()
        ]
    )
    Response.objects.filter(pk=response.pk).update(status=Response.Status.PUBLISHED)
    assert rescore_edition(response.edition, AS_OF) > 0


def test_answers_a_person_typed_into_a_demo_response_give_real_scores(client):
    _publish_oslo_2026(typed_by="oslo")
    assert not Score.objects.filter(city__slug="oslo", edition__year=2026, is_demo=True).exists()
    page = client.get("/cities/oslo/?edition=2026").content.decode()
    assert "answers invented by the demo generator" not in page


def test_answers_the_generator_wrote_give_demo_scores(client):
    _publish_oslo_2026(typed_by=None)
    assert not Score.objects.filter(city__slug="oslo", edition__year=2026, is_demo=False).exists()
    page = client.get("/cities/oslo/?edition=2026").content.decode()
    assert "answers invented by the demo generator" in page


def test_the_demo_network_s_historical_scores_stay_demo_scores():
    assert not Score.objects.filter(edition__year__lte=2025, is_demo=False).exists()
    assert Score.objects.filter(edition__year=2025, is_demo=True).count() > 1000


def test_answers_carried_over_from_invented_ones_stay_invented_until_a_person_changes_them(personas):
    """Oslo 2026 (a real response here) starts from the demo generator's 2025 answers; confirming them unchanged
    keeps them invented, so its published scores are demo scores; once each is changed by a person they are not."""
    from icc.web.accounts.models import User
    from icc.web.questionnaire import carry_over
    from icc.web.results.publishing import publish

    oslo = User.objects.get(username="oslo")
    response = Response.objects.get(city__slug="oslo", edition__year=2026)
    Response.objects.filter(pk=response.pk).update(is_demo=False)
    response.refresh_from_db()
    assert carry_over.carry_over(response, oslo, AS_OF).source_year == 2025
    copies = Answer.objects.filter(response=response)
    assert copies.count() > 50 and not copies.exclude(updated_by=None).exists()
    # the history names who carried the answers over
    assert {c.user for a in copies[:3] for c in a.changes.all()} == {oslo}
    # "Confirm" without a change: the mark goes, the answer keeps no author
    first = copies.order_by("question_id").first()
    r = personas["oslo"].post(
        f"/responses/{response.pk}/answers/{first.question_id}/confirm/",
        {"version": first.version},
        HTTP_HX_REQUEST="true",
    )
    assert r.status_code == 200
    first.refresh_from_db()
    assert first.carried_over_from is None and first.updated_by is None
    assert first.changes.filter(field="carried_over", new="", user=oslo).exists()
    Answer.objects.filter(response=response).update(carried_over_from=None)
    Response.objects.filter(pk=response.pk).update(status=Response.Status.VALIDATED)
    secretariat = User.objects.get(username="secretariat")
    publish(response, secretariat, AS_OF)
    assert not Score.objects.filter(city__slug="oslo", edition__year=2026, is_demo=False).exists()
    assert Score.objects.filter(city__slug="oslo", edition__year=2026, is_demo=True).exists()


def test_a_carried_over_copy_of_a_typed_answer_is_not_invented():
    from icc.web.accounts.models import User
    from icc.web.questionnaire import carry_over
    from icc.web.results.rescoring import invented_cities

    oslo = User.objects.get(username="oslo")
    before = Response.objects.get(city__slug="oslo", edition__year=2025)
    before.answers.update(updated_by=oslo)  # every 2025 answer typed by a person
    response = Response.objects.get(city__slug="oslo", edition__year=2026)
    Response.objects.filter(pk=response.pk).update(is_demo=False)
    response.refresh_from_db()
    carry_over.carry_over(response, oslo, AS_OF)
    assert not Answer.objects.filter(response=response, updated_by=None).exists()
    Response.objects.filter(pk=response.pk).update(status=Response.Status.PUBLISHED)
    assert "oslo" not in invented_cities(response.edition)
