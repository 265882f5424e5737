"""The provisional result of a response not yet published: its current answers scored against the last released
edition, with the numbers publishing would store, shown only to those who may see the response; nothing stored."""

from __future__ import annotations

import pytest
from numpy.testing import assert_allclose

from icc.engine import INDEX_CORE
from icc.framework import load_shipped, shipped_mapping
from icc.web.questionnaire.models import Answer, Response
from icc.web.results import rescoring
from icc.web.results.models import Score
from icc.web.results.provisional import provisional

pytestmark = pytest.mark.django_db


def copy_answers(source: Response, target: Response) -> None:
    Answer.objects.bulk_create(
        [
            Answer(response=target, question_id=a.question_id, value=a.value, updated_at=a.updated_at)
            for a in source.answers.all()
        ]
    )


def by_item(result) -> dict:
    return {r.item: r for r in result.rows}


def test_a_response_of_the_reference_edition_gets_what_publishing_it_would_store(db):
    oslo = Response.objects.get(city__slug="oslo", edition__year=2025)
    Response.objects.filter(pk=oslo.pk).update(status=Response.Status.VALIDATED)
    oslo.refresh_from_db()
    Answer.objects.filter(response=oslo, question_id="commitment-statement").update(value="no")  # not as published
    result = provisional(oslo)
    assert result.reference.year == 2025 and result.comparable_questions is None and result.others == 120
    table = rescoring.score_table(oslo.edition, also=oslo.pk)
    mine = table[table["city"] == "oslo"].set_index("item")
    rows = by_item(result)
    assert set(rows) == set(mine.index)
    for item, r in rows.items():
        expected = mine.loc[item]
        assert (r.score is None) == (expected["score"] != expected["score"])
        if r.score is not None:
            assert_allclose(r.score, expected["score"], atol=1e-9)
            assert r.rank == expected["rank"] and r.ranked == expected["sample_size"]
    others = table[(table["city"] != "oslo") & (table["item"] == INDEX_CORE)]["score"].mean()
    assert_allclose(rows[INDEX_CORE].others_mean, others, atol=1e-9)


def test_a_draft_with_last_years_answers_gets_last_years_published_scores_and_ranks(oslo_draft):
    copy_answers(Response.objects.get(city__slug="oslo", edition__year=2025), oslo_draft)
    result = provisional(oslo_draft)
    assert result.reference.year == 2025 and result.others == 120
    published = {s.item: s for s in Score.objects.filter(city__slug="oslo", edition__year=2025)}
    rows = by_item(result)
    assert set(rows) == set(published)
    for item, r in rows.items():
        assert_allclose(r.score, published[item].score, atol=1e-9)
        assert r.rank == published[item].rank and r.ranked == published[item].sample_size
    before = Score.objects.count()
    provisional(oslo_draft)
    assert Score.objects.count() == before  # nothing stored


def test_the_coverage_counts_dont_know_and_unanswered_per_area(oslo_draft):
    copy_answers(Response.objects.get(city__slug="oslo", edition__year=2025), oslo_draft)
    commitment = load_shipped("icc-2019").area("commitment").questions
    Answer.objects.filter(response=oslo_draft, question_id__in=[q.id for q in commitment]).delete()
    Answer.objects.create(
        response=oslo_draft, question_id="commitment-statement", value="dont_know", updated_at=oslo_draft_time()
    )
    rows = by_item(provisional(oslo_draft))
    # the strategy is unanswered, so its follow-ups are not asked: the other top-level questions are unanswered
    top_level = [q for q in commitment if q.applies_if is None]
    assert rows["commitment"].dont_know == 1 and rows["commitment"].unanswered == len(top_level) - 1
    assert rows["commitment"].score == 0


def oslo_draft_time():
    from datetime import UTC, datetime

    return datetime(2026, 2, 1, tzinfo=UTC)


def test_across_the_framework_revision_it_compares_on_the_mapped_questions(oslo_draft):
    from icc.web.network.models import Edition

    Edition.objects.filter(year__in=[2019, 2022, 2025]).update(results_released_at=None)
    copy_answers(Response.objects.get(city__slug="oslo", edition__year=2025), oslo_draft)
    result = provisional(oslo_draft)
    mapping = shipped_mapping("icc-2011", "icc-2019")
    assert result.reference.year == 2015 and result.comparable_questions == len({qm.to for qm in mapping.questions})
    assert result.rows and result.others == 120


def test_the_page_is_marked_provisional_in_both_languages(personas, oslo_draft, french):
    from icc.web.accounts.models import User

    copy_answers(Response.objects.get(city__slug="oslo", edition__year=2025), oslo_draft)
    r = personas["oslo"].get(f"/responses/{oslo_draft.pk}/provisional/")
    page = r.content.decode()
    assert r.status_code == 200
    assert "Provisional — not published; changes as you answer." in page
    index = Score.objects.get(city__slug="oslo", edition__year=2025, item=INDEX_CORE)
    assert f"would be {index.rank} of {index.sample_size}" in page
    french.force_login(User.objects.get(username="oslo"))
    fr = french.get(f"/responses/{oslo_draft.pk}/provisional/").content.decode()
    assert "Provisoire — non publié ; change à mesure que vous répondez." in fr
    assert f"serait {index.rank} sur {index.sample_size}" in fr


def test_a_response_without_answers_says_so(personas, oslo_draft):
    r = personas["oslo"].get(f"/responses/{oslo_draft.pk}/provisional/")
    assert r.status_code == 200 and "No question is answered yet" in r.content.decode()


def test_only_those_who_may_see_the_response_see_its_provisional_result(personas, oslo_draft):
    url = f"/responses/{oslo_draft.pk}/provisional/"
    assert personas["bilbao"].get(url).status_code == 404
    assert personas["expert-elsewhere"].get(url).status_code == 404
    assert personas["anonymous"].get(url).status_code == 302
    for who in ("oslo", "oslo-education", "expert", "secretariat"):
        assert personas[who].get(url).status_code == 200, who


def test_the_response_and_review_pages_link_to_it(personas, oslo_draft):
    link = f'href="/responses/{oslo_draft.pk}/provisional/"'
    assert link in personas["oslo"].get(f"/responses/{oslo_draft.pk}/").content.decode()
    Response.objects.filter(pk=oslo_draft.pk).update(status=Response.Status.SUBMITTED)
    assert link in personas["expert"].get(f"/responses/{oslo_draft.pk}/review/").content.decode()


def test_the_note_says_who_changes_the_answers_and_when_they_are_locked(personas, oslo_draft):
    copy_answers(Response.objects.get(city__slug="oslo", edition__year=2025), oslo_draft)
    url = f"/responses/{oslo_draft.pk}/provisional/"
    expert = personas["expert"].get(url).content.decode()
    assert "changes as the city answers." in expert and "changes as you answer" not in expert
    Response.objects.filter(pk=oslo_draft.pk).update(status=Response.Status.SUBMITTED)
    for who in ("oslo", "expert"):
        page = personas[who].get(url).content.decode()
        assert "the answers are locked while the response is submitted." in page
        assert "changes as" not in page


def test_the_table_keeps_every_figure_in_three_columns(personas, oslo_draft):
    copy_answers(Response.objects.get(city__slug="oslo", edition__year=2025), oslo_draft)
    Answer.objects.filter(response=oslo_draft, question_id="commitment-statement").update(value="dont_know")
    page = personas["oslo"].get(f"/responses/{oslo_draft.pk}/provisional/").content.decode()
    table = page[page.index("<table") : page.index("</table>")]
    assert table.count('<th scope="col">') == 3
    assert "1 “don't know”" in table.replace("&#x27;", "'").replace("&#39;", "'")
    assert "Mean of the other cities (2025)" in table
