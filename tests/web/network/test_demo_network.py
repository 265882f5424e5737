"""The demo network in the database: cities, editions, scores, published results and demo users."""

from __future__ import annotations

import pytest

from icc.engine import INDEX_CORE
from icc.web.accounts.models import Role, User
from icc.web.network.models import City, CityFact, Edition
from icc.web.questionnaire.models import Answer, Response
from icc.web.results.models import PublishedResult, Score

pytestmark = pytest.mark.django_db


def test_all_121_member_cities_are_loaded_with_facts():
    assert City.objects.filter(is_member=True).count() == 121
    assert CityFact.objects.filter(kind="population", is_demo=False).count() == 121
    assert not CityFact.objects.filter(kind="foreign_born", is_demo=False).exists()  # invented ones are marked


def test_five_editions_are_scored_with_their_frameworks():
    editions = {e.year: e.framework.framework_id for e in Edition.objects.select_related("framework")}
    assert editions == {
        2012: "icc-2011",
        2015: "icc-2011",
        2019: "icc-2019",
        2022: "icc-2019",
        2025: "icc-2019",
        2026: "icc-2019",
    }
    assert Edition.objects.get(year=2026).status == "open"
    assert not Score.objects.filter(edition__year=2026).exists()  # drafts are never scored
    for year in (2012, 2015, 2019, 2022, 2025):
        assert Score.objects.filter(edition__year=year, item=INDEX_CORE, score__isnull=False).count() == 121


def test_stored_scores_match_a_fresh_engine_run():
    from icc.engine import score_answers
    from icc.web.results.rescoring import edition_answers

    edition = Edition.objects.get(year=2025)
    fresh = score_answers(edition_answers(edition), edition.framework.load())
    stored = {
        s.city.slug: s.score for s in Score.objects.filter(edition=edition, item="commitment").select_related("city")
    }
    for (slug, _), value in fresh["commitment"].items():
        assert stored[slug] == pytest.approx(value, abs=1e-9)


def test_ranks_are_consistent_with_scores():
    rows = list(Score.objects.filter(edition__year=2025, item=INDEX_CORE).order_by("-score"))
    assert rows[0].rank == 1 and rows[-1].rank >= 100
    for a, b in zip(rows, rows[1:], strict=False):
        assert a.rank <= b.rank


def test_reloading_the_demo_gives_identical_scores():
    from datetime import UTC, datetime

    from icc.web.demo import load_demo

    before = {(s.city_id, s.item): s.score for s in Score.objects.filter(edition__year=2022)}
    load_demo(datetime(2026, 2, 1, tzinfo=UTC))
    after = {(s.city_id, s.item): s.score for s in Score.objects.filter(edition__year=2022)}
    assert before == after
    assert Response.objects.filter(status="published").count() == 121 * 5
    assert set(Response.objects.filter(status="draft").values_list("city__slug", flat=True)) == {
        "oslo",
        "bilbao",
        "lublin",
    }
    assert Answer.objects.filter(response__edition__year=2022, question_id="commitment-strategy").count() <= 121


def test_published_results_are_linked_to_member_cities():
    bilbao = PublishedResult.objects.get(city__slug="bilbao", year=2013)
    assert bilbao.score == 64 and bilbao.rank == 21 and bilbao.source_url.startswith("http")
    assert PublishedResult.objects.get(city_name="Odesa").city.slug == "odessa"
    assert PublishedResult.objects.count() == 81


def test_there_is_a_demo_user_for_each_role():
    roles = set(User.objects.values_list("role", flat=True))
    assert roles == {Role.SECRETARIAT, Role.EXPERT, Role.OFFICIAL}
    oslo = User.objects.get(username="oslo")
    assert [c.slug for c in oslo.cities.all()] == ["oslo"] and oslo.check_password("icc-oslo")


def test_a_stored_framework_version_is_never_rewritten():
    from datetime import UTC, datetime

    from icc.web.network.loading import sync_frameworks
    from icc.web.network.models import StoredFramework

    stored = StoredFramework.objects.get(framework_id="icc-2019")
    stored.definition["areas"][0]["weight"] = 3
    stored.save()
    with pytest.raises(ValueError, match="differs from the shipped definition"):
        sync_frameworks(datetime(2026, 3, 1, tzinfo=UTC))
