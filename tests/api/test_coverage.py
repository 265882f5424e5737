"""Coverage in the open data: every published score says how many of its asked questions were answered, answered
"don't know" or left blank (``icc.engine.coverage``), in JSON, CSV and the bulk ZIP; anyone can check the counts
from the open answers; a response that is not published never shows."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime

import pandas as pd
import pytest

from icc.engine import answers_from_long, coverage
from icc.framework import Framework
from icc.web.network.models import Edition
from icc.web.questionnaire.models import Answer, Response
from icc.web.results.rescoring import rescore_edition

pytestmark = pytest.mark.django_db

COUNTS = ["answered", "dont_know", "unanswered", "not_asked", "counting", "coverage", "reason"]
AS_OF = datetime(2026, 1, 1, tzinfo=UTC)


def read(text: str) -> pd.DataFrame:
    """A CSV of the API; an empty ``reason`` (the item is scored) read as the empty text it is."""
    table = pd.read_csv(io.StringIO(text), comment="#", keep_default_na=False, na_values=[""])
    if "reason" in table.columns:
        table["reason"] = table["reason"].astype(object).where(table["reason"].notna(), "")
    return table


def coverage_from_the_open_data(client, year: int) -> pd.DataFrame:
    """The engine's coverage of an edition, from what anyone can download: its open answers and its framework."""
    edition = next(e for e in client.get("/api/v1/editions").json() if e["year"] == year)
    definition = client.get(f"/api/v1/frameworks/{edition['framework']}/{edition['framework_version']}").json()
    long = read(client.get(f"/api/v1/answers.csv?edition={year}").content.decode())
    long["answer"] = long["answer"].astype(object).where(long["answer"].notna(), None)  # empty: unanswered
    table = coverage(answers_from_long(long), Framework.model_validate(definition))
    table["reason"] = table["reason"].fillna("")
    return table.set_index(["city", "item"])[COUNTS]


@pytest.mark.parametrize("year", [2025, 2015])
def test_every_published_score_carries_the_coverage_its_open_answers_give(client, year):
    published = read(client.get(f"/api/v1/scores.csv?edition={year}").content.decode())
    published = published.set_index(["city", "item"])[COUNTS]
    want = coverage_from_the_open_data(client, year)
    assert len(published) == len(want) > 0
    pd.testing.assert_frame_equal(published.sort_index(), want.sort_index(), check_dtype=False, atol=1e-6)
    assert published["dont_know"].sum() > 0  # the demo has "don't know" answers: the counts are not all zero


def test_the_coverage_is_the_same_in_json_csv_and_the_bulk_zip(client):
    rows = client.get("/api/v1/scores?edition=2025&city=bergen&page_size=1000").json()["items"]
    as_json = pd.DataFrame(rows).set_index("item")[COUNTS]
    as_csv = read(client.get("/api/v1/scores.csv?edition=2025&city=bergen").content.decode()).set_index("item")
    with zipfile.ZipFile(io.BytesIO(client.get("/api/v1/dataset.zip").content)) as z:
        bulk = read(z.read("scores.csv").decode())
        dictionary = z.read("DATA_DICTIONARY.md").decode()
    bulk = bulk[(bulk["city"] == "bergen") & (bulk["edition"] == 2025)].set_index("item")
    for other in (as_csv, bulk):
        pd.testing.assert_frame_equal(as_json.sort_index(), other[COUNTS].sort_index(), check_dtype=False)
    assert "| dont_know | the item's asked questions answered \"don't know\" |" in dictionary
    assert "too_few_answers" in dictionary  # the reasons an item is not scored are explained


def test_a_response_that_is_not_published_never_shows_its_coverage(client):
    edition = Edition.objects.get(year=2025)
    bergen = Response.objects.get(city__slug="bergen", edition=edition)
    Answer.objects.filter(response=bergen).update(value="dont_know")
    Response.objects.filter(pk=bergen.pk).update(status=Response.Status.VALIDATED)  # taken back from publication
    draft = Response.objects.get(city__slug="oslo", edition__year=2026)
    Answer.objects.update_or_create(
        response=draft, question_id="commitment-statement", defaults={"value": "dont_know", "updated_at": AS_OF}
    )
    Response.objects.filter(pk=draft.pk).update(status=Response.Status.VALIDATED)
    rescore_edition(edition, AS_OF)
    rescore_edition(draft.edition, AS_OF)

    assert client.get("/api/v1/scores?edition=2025&city=bergen").json()["count"] == 0
    assert client.get("/api/v1/scores?edition=2026&include_provisional=true").json()["count"] == 0
    assert "bergen" not in set(read(client.get("/api/v1/scores.csv?edition=2025").content.decode())["city"])
    with zipfile.ZipFile(io.BytesIO(client.get("/api/v1/dataset.zip?include_provisional=true").content)) as z:
        bulk = read(z.read("scores.csv").decode())
    assert "bergen" not in set(bulk.loc[bulk["edition"] == 2025, "city"]) and 2026 not in set(bulk["edition"])
    others = client.get("/api/v1/scores?edition=2025&item=index_core&page_size=200").json()["items"]
    assert len(others) == 120 and all(r["dont_know"] is not None for r in others)
