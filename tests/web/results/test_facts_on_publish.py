"""Facts answered in a published questionnaire become the city's facts of the edition's year (never replacing a
fact of another source), feed its peer groups, and the city page shows every fact's year."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from icc.web.network.models import CityFact
from icc.web.questionnaire.models import Answer, Response
from icc.web.results import publishing

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 1, tzinfo=UTC)


@pytest.fixture
def oslo_validated_2026(db):
    """Oslo's 2026 response with its 2025 answers, a foreign-born share of 21.5 % and a population of 720,000,
    validated (ready to publish), not a demo one."""
    response = Response.objects.get(city__slug="oslo", edition__year=2026)
    before = Response.objects.get(city__slug="oslo", edition__year=2025)
    Answer.objects.bulk_create(
        [
            Answer(response=response, question_id=a.question_id, value=a.value, updated_at=NOW)
            for a in before.answers.all()
        ]
    )
    Answer.objects.filter(response=response, question_id="fact-foreign-born").update(value="21.5")
    Answer.objects.filter(response=response, question_id="fact-population").update(value="720000")
    Response.objects.filter(pk=response.pk).update(status=Response.Status.VALIDATED, is_demo=False)
    response.refresh_from_db()
    return response


def secretariat():
    from icc.web.accounts.models import User

    return User.objects.get(username="secretariat")


def facts_of(slug: str, year: int) -> dict[str, CityFact]:
    return {f.kind: f for f in CityFact.objects.filter(city__slug=slug, year=year)}


def test_publishing_stores_the_answered_facts_with_the_edition_as_source(oslo_validated_2026):
    assert facts_of("oslo", 2026) == {}
    publishing.publish(oslo_validated_2026, secretariat(), NOW)
    stored = facts_of("oslo", 2026)  # re-read from the database
    assert stored["foreign_born"].value == 21.5 and stored["population"].value == 720000
    assert {f.source for f in stored.values()} == {"questionnaire 2026"}
    assert not any(f.is_demo for f in stored.values())


def test_the_new_scores_use_the_answered_facts_in_the_peer_groups(oslo_validated_2026):
    from icc.engine import INDEX_CORE
    from icc.web.results.models import Score

    Answer.objects.filter(response=oslo_validated_2026, question_id="fact-population").update(value="40000")
    publishing.publish(oslo_validated_2026, secretariat(), NOW)
    index = Score.objects.get(city__slug="oslo", edition__year=2026, item=INDEX_CORE)
    assert index.size_group == "pop-lt-100k"  # 40,000 inhabitants answered, not the million of GeoNames


def test_a_fact_of_another_source_for_the_same_year_is_never_replaced(oslo_validated_2026):
    CityFact.objects.create(city=oslo_validated_2026.city, kind="population", year=2026, value=709000, source="SSB")
    publishing.publish(oslo_validated_2026, secretariat(), NOW)
    stored = facts_of("oslo", 2026)
    assert (stored["population"].value, stored["population"].source) == (709000, "SSB")
    assert stored["foreign_born"].source == "questionnaire 2026"


def test_a_questionnaire_fact_of_the_same_year_is_replaced(oslo_validated_2026):
    CityFact.objects.create(
        city=oslo_validated_2026.city, kind="foreign_born", year=2026, value=3.0, source="questionnaire 2026"
    )
    publishing.publish(oslo_validated_2026, secretariat(), NOW)
    assert CityFact.objects.get(city__slug="oslo", kind="foreign_born", year=2026).value == 21.5


def test_dont_know_stores_no_fact(oslo_validated_2026):
    Answer.objects.filter(response=oslo_validated_2026, question_id="fact-foreign-born").update(value="dont_know")
    publishing.publish(oslo_validated_2026, secretariat(), NOW)
    assert set(facts_of("oslo", 2026)) == {"population"}


def test_a_demo_response_gives_demo_facts(oslo_validated_2026):
    Response.objects.filter(pk=oslo_validated_2026.pk).update(is_demo=True)
    oslo_validated_2026.refresh_from_db()
    publishing.publish(oslo_validated_2026, secretariat(), NOW)
    assert all(f.is_demo for f in facts_of("oslo", 2026).values())


def test_the_demo_responses_facts_are_stored_the_same_way():
    oslo = facts_of("oslo", 2025)
    answers = dict(
        Answer.objects.filter(response__city__slug="oslo", response__edition__year=2025).values_list(
            "question_id", "value"
        )
    )
    assert oslo["foreign_born"].source == "questionnaire 2025" and oslo["foreign_born"].is_demo
    assert oslo["foreign_born"].value == float(answers["fact-foreign-born"])
    assert oslo["population"].value == float(answers["fact-population"])  # written exactly, not as 1.08258e+06
    real = CityFact.objects.get(city__slug="oslo", kind="population", is_demo=False)
    assert oslo["population"].value == real.value


def test_the_city_page_shows_each_facts_year_or_says_the_source_gives_none(oslo_validated_2026, french):
    from django.test import Client

    publishing.publish(oslo_validated_2026, secretariat(), NOW)
    page = Client().get("/cities/oslo/?edition=2026").content.decode()
    facts = page[page.index('<section class="facts"') : page.index("</section>")]
    assert "21.5%" in facts and "720,000" in facts
    assert "(source: the city&#x27;s questionnaire, 2026)" in facts
    page = Client().get("/cities/oslo/?edition=2025").content.decode()
    facts = page[page.index('<section class="facts"') : page.index("</section>")]
    assert "(source: GeoNames" in facts and "; year not stated by the source)" in facts
    fr = french.get("/cities/oslo/?edition=2025").content.decode()
    facts = fr[fr.index('<section class="facts"') : fr.index("</section>")]
    assert "année non indiquée par la source" in facts


@pytest.mark.parametrize("dated_first", [True, False])
def test_a_dated_fact_wins_a_tie_with_an_undated_one_whatever_the_order_they_were_stored_in(dated_first):
    """PostgreSQL and SQLite return tied rows in different orders: the rule, not the row order, decides."""
    from icc.web.network.models import City, Edition, FactKind
    from icc.web.results.open_answers import fact_rows
    from icc.web.results.rescoring import facts_as_of

    city = City.objects.get(slug="oslo")
    CityFact.objects.filter(city=city, kind=FactKind.POPULATION).delete()
    dated = dict(kind=FactKind.POPULATION, value=720000, year=2025, source="questionnaire 2025")
    undated = dict(kind=FactKind.POPULATION, value=690000, year=None, source="GeoNames")
    for fields in (dated, undated) if dated_first else (undated, dated):
        CityFact.objects.create(city=city, **fields)
    assert facts_as_of(2025, ["oslo"]).loc["oslo", "population"] == 720000
    row = next(r for r in fact_rows(Edition.objects.get(year=2025)) if r["city"] == "oslo")
    assert row["population"] == 720000 and row["population_year"] == 2025
