"""A city's history as published and what its scores rest on: the historical results with their sample mean and
best, ambiguous rows tagged and unranked, the editions table, and per area the "don't know" and unanswered
questions, with the areas a framework's minimum-coverage rule leaves unscored."""

from __future__ import annotations

import html
from html.parser import HTMLParser

import pytest
from django.test import Client

from icc.engine import coverage, published
from icc.web.network.models import Edition, StoredFramework
from icc.web.questionnaire.models import Answer, Response
from icc.web.results.models import PublishedResult, Score
from icc.web.results.rescoring import edition_answers, rescore_edition

from ..conftest import AS_OF

pytestmark = pytest.mark.django_db


class _Tables(HTMLParser):
    """Every table of a page as rows of cell texts (header cells included), by the table's class."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._table: list[list[str]] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._table = self.tables.setdefault(dict(attrs).get("class") or "", [])
        elif tag == "tr" and self._table is not None:
            self._table.append([])
        elif tag in ("td", "th") and self._table is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None and self._table is not None:
            self._table[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def tables(page: str) -> dict[str, list[list[str]]]:
    parser = _Tables()
    parser.feed(page)
    return parser.tables


def as_dicts(rows: list[list[str]]) -> list[dict[str, str]]:
    head, *body = rows
    return [dict(zip(head, row, strict=True)) for row in body]


def test_a_city_page_shows_the_sample_mean_and_best_its_historical_results_give(client):
    PublishedResult.objects.create(
        city_id=Score.objects.filter(city__slug="bilbao").values_list("city_id", flat=True).first(),
        city_name="Bilbao",
        country="Spain",
        report_date="2014",
        year=2014,
        area="aggregate",
        score=66,
        sample_mean=58.5,
        sample_max=86,
        rank_text="12th among 60 cities",
        rank=12,
        source_url="https://example.org/bilbao-2014",
    )
    rows = as_dicts(tables(client.get("/cities/bilbao/").content.decode())["data published"])
    row = next(r for r in rows if r["Date"] == "2014")
    assert (row["Score"], row["Sample mean"], row["Sample best"], row["Rank"]) == ("66%", "58.5%", "86%", "12")
    bilbao_2013 = next(r for r in rows if r["Date"] == "2013")
    assert (bilbao_2013["Sample mean"], bilbao_2013["Sample best"], bilbao_2013["Rank"]) == ("–", "–", "21")


def in_french(path: str) -> str:
    french = Client()
    french.cookies.load({"django_language": "fr"})
    return french.get(path).content.decode()


def test_a_row_its_source_marks_ambiguous_is_tagged_and_not_ranked(client):
    rows = as_dicts(tables(client.get("/cities/melitopol/").content.decode())["data published"])
    ambiguous = next(r for r in rows if "AMBIGUOUS" in r["As stated"])
    assert "43rd place" in ambiguous["As stated"]  # the source's words are quoted, their rank is not taken
    assert ambiguous["Rank"] == "ambiguous in its source" and ambiguous["Score"] == "62%"
    assert all(r["Rank"] in ("–", "ambiguous in its source") for r in rows)
    page = in_french("/cities/melitopol/")
    assert "ambigu dans sa source" in page and "43" not in as_dicts(tables(page)["data published"])[0]["Rang"]


def test_the_historical_results_of_cities_outside_the_member_list_are_public_with_their_group_maximum(client):
    page = client.get("/cities/").content.decode()
    assert "Results published by the programme for cities outside the member list" in page
    rows = as_dicts(tables(page)["data published"])
    assert len(rows) == PublishedResult.objects.exclude(city__is_member=True).count() > 0
    ansan = next(r for r in rows if r["City"].startswith("Ansan") and r["Area"] == "Index (all areas together)")
    assert (ansan["Score"], ansan["Sample best"], ansan["Sample mean"]) == ("80%", "85%", "–")  # Oslo's 85
    assert not any(r["City"].startswith("Melitopol") for r in rows)  # a member: on its own page


def test_the_editions_table_shows_each_editions_average_and_best(client):
    page = client.get("/cities/oslo/?edition=2025").content.decode()
    history = {r["Edition"].split()[0]: r for r in as_dicts(tables(page)["data"])}
    released = Score.objects.filter(city__slug="oslo", item="index_core", edition__results_released_at__isnull=False)
    assert set(history) == {str(s.edition.year) for s in released}
    for s in released:
        row = history[str(s.edition.year)]
        assert (row["All cities average"], row["Best city"]) == (pct(s.sample_mean), pct(s.sample_max))


def pct(value: float) -> str:
    return f"{published(value):.1f}%"


def _area_rows(page: str) -> dict[str, dict[str, str]]:
    return {r["Area"]: r for r in as_dicts(tables(page)["data areas"])}


def test_a_city_page_counts_the_dont_know_and_unanswered_questions_of_each_area(client):
    edition = Edition.objects.get(year=2025)
    table = coverage(edition_answers(edition), edition.framework.load()).set_index(["city", "item"])
    city = table[table["dont_know"] > 0].reset_index()["city"].iloc[0]  # a city with some "don't know"
    definition = edition.framework.load()
    page = html.unescape(client.get(f"/cities/{city}/?edition=2025").content.decode())
    rows = _area_rows(page)
    names = definition.item_names("en")
    for area in definition.areas:
        for item in [area.id, *(s.id for s in area.subareas)]:
            want = table.loc[(city, item)]
            asked = want["answered"] + want["dont_know"] + want["unanswered"]
            row = rows[names[item]]
            assert (row["“Don't know”"], row["Unanswered"]) == (
                f"{want['dont_know']}/{asked}",
                f"{want['unanswered']}/{asked}",
            ), item
    assert "a “don't know” or unanswered question earns 0 points, as “no” does" in page


@pytest.fixture
def exclude_rule_2025():
    """Edition 2025 scored under a copy of its framework whose rules leave "don't know" out of the score."""
    edition = Edition.objects.get(year=2025)
    definition = dict(edition.framework.definition)
    definition["version"] = "2019.1-exclude"
    definition["rules"] = {**definition.get("rules", {}), "dont_know": "exclude", "min_coverage": 0.5}
    edition.framework = StoredFramework.objects.create(
        framework_id=edition.framework.framework_id, version="2019.1-exclude", definition=definition, loaded_at=AS_OF
    )
    edition.save()
    return edition


def test_an_area_with_too_few_known_answers_is_not_scored_and_the_page_says_why(client, exclude_rule_2025):
    edition = exclude_rule_2025
    definition = edition.framework.load()
    commitment = next(a for a in definition.areas if a.id == "commitment")
    asked = [q.id for q in commitment.questions if q.applies_if is None]
    oslo = Response.objects.get(city__slug="oslo", edition=edition, status=Response.Status.PUBLISHED)
    Answer.objects.filter(response=oslo, question_id__in=asked[1:]).update(value="dont_know")
    rescore_edition(edition, AS_OF)
    stored = Score.objects.get(city__slug="oslo", edition=edition, item="commitment")
    assert stored.score is None and stored.reason == "too_few_answers" and stored.dont_know >= len(asked) - 1

    page = html.unescape(client.get("/cities/oslo/?edition=2025").content.decode())
    row = _area_rows(page)["Commitment"]
    assert row["Oslo"] == "not scored: too few answers"
    assert row["“Don't know”"].startswith(f"{stored.dont_know}/")
    assert "leaves the question out of its area's score" in page
    assert "scored only when at least 50% of its asked questions count" in page
    french_page = html.unescape(in_french("/cities/oslo/?edition=2025"))
    assert "non noté : trop peu de réponses" in french_page and "au moins 50 %" in french_page
