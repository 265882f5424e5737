"""Full-text search of good practices with the database's own engine (FTS5 on SQLite, text search on
PostgreSQL): accents, both languages, ranking, updates and hostile queries."""

from __future__ import annotations

import pytest
from django.db import connection

from icc.web.learning import practices, search
from icc.web.learning.models import GoodPractice

pytestmark = pytest.mark.django_db

PUBLISHED = GoodPractice.Status.PUBLISHED


def _found(query, qs=None):
    return list(search.matching(qs if qs is not None else GoodPractice.objects.filter(status=PUBLISHED), query))


def test_the_folding_drops_accents_and_case():
    assert search.fold("Éducation À l'École") == "education a l'ecole"
    assert search.words("  Éducation, école! ") == ["education", "ecole"]


def test_education_with_an_accent_finds_the_records_tagged_education_in_both_languages():
    found = _found("éducation")
    tagged = set(
        GoodPractice.objects.filter(status=PUBLISHED, area_rows__area="education").values_list("pk", flat=True)
    )
    assert tagged <= {p.pk for p in found}
    languages = {p.language for p in found if p.pk in tagged}
    assert languages == {"en", "fr"}


def test_a_french_word_finds_french_records_and_an_english_word_english_ones():
    french = _found("école")
    assert french and any(p.language == "fr" for p in french)
    english = _found("school")
    assert english and any(p.language == "en" for p in english)


def test_every_word_must_match_and_the_best_match_comes_first(personas):
    from icc.web.network.models import City

    oslo = City.objects.get(slug="oslo")
    from datetime import UTC, datetime

    now = datetime(2026, 2, 1, tzinfo=UTC)
    strong = GoodPractice(
        city=oslo, title="Zebrafinch zebrafinch mentoring", language="en", start=2020, areas=["interaction"],
        target_groups=["youth"], purpose="Zebrafinch mentoring for zebrafinch clubs.", actions="Zebrafinch.",
        status=PUBLISHED,
    )  # fmt: skip
    weak = GoodPractice(
        city=oslo, title="Mentoring in sports clubs", language="en", start=2020, areas=["interaction"],
        target_groups=["youth"], purpose="A zebrafinch once.", actions="Mentoring.", status=PUBLISHED,
    )  # fmt: skip
    other = GoodPractice(
        city=oslo, title="Zebrafinch festival", language="en", start=2020, areas=["cultural-life"],
        target_groups=["youth"], purpose="A festival.", actions="Music.", status=PUBLISHED,
    )  # fmt: skip
    for p in (strong, weak, other):
        practices.save(p, personas_user(), now)
    found = _found("zebrafinch mentoring")
    assert [p.pk for p in found] == [strong.pk, weak.pk]
    assert found[0].relevance > found[1].relevance


def personas_user():
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


def test_an_edit_is_searchable_at_once_and_a_deleted_record_is_gone():
    from datetime import UTC, datetime

    p = GoodPractice.objects.filter(status=PUBLISHED).first()
    p.actions += " Quokkaworkshop in every district."
    practices.save(p, personas_user(), datetime(2026, 2, 1, tzinfo=UTC))
    p.refresh_from_db()
    assert p.status == "submitted"  # an edit by someone other than the secretariat goes back to moderation
    assert [x.pk for x in _found("quokkaworkshop", GoodPractice.objects.all())] == [p.pk]
    assert _found("quokkaworkshop") == []  # and is not found among the published ones meanwhile
    p.delete()
    assert _found("quokkaworkshop", GoodPractice.objects.all()) == []


def test_unpublished_records_are_never_found_in_the_public_list(personas):
    p = GoodPractice.objects.filter(status=PUBLISHED).first()
    p.status = GoodPractice.Status.SUBMITTED
    p.save()
    page = personas["anonymous"].get("/practices/", {"q": p.title}).content.decode()
    assert f'href="/practices/{p.pk}/"' not in page


@pytest.mark.parametrize(
    "query", ['"', "*", "education*", "NEAR(a b)", "a OR", "-school", "école'); DROP TABLE x;--", "^", "a:b", "x" * 500]
)
def test_hostile_queries_answer_a_page_never_an_error(personas, query):
    r = personas["anonymous"].get("/practices/", {"q": query})
    assert r.status_code == 200


def test_search_and_filters_combine(personas):
    r = personas["anonymous"].get("/practices/", {"q": "éducation", "language": "fr"})
    page = r.content.decode()
    expected = len([p for p in _found("éducation") if p.language == "fr"])
    assert f"{expected} good practice" in page


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the GIN index exists on PostgreSQL only")
def test_postgresql_serves_the_search_from_its_gin_index():
    qs = search.matching(GoodPractice.objects.all(), "school")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE learning_goodpractice")
        cursor.execute("SET enable_seqscan = off")
        sql, params = qs.query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("SET enable_seqscan = on")
    assert "learning_practice_document_fts" in plan, plan
