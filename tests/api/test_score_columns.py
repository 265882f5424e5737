"""One list per score row (:data:`icc.web.results.columns.SCORE_COLUMNS`): the API schema, the JSON rows, the CSV
header (API and bulk ZIP) and the data dictionary name the same columns in the same order, and they follow the
engine's columns, which the stored score copies."""

from __future__ import annotations

import io
import zipfile

import pytest

from icc.engine import COVERAGE_COLUMNS, RESULT_COLUMNS
from icc.web.results import open_answers, rescoring
from icc.web.results.columns import SCORE_COLUMNS
from icc.web.results.models import Score

pytestmark = pytest.mark.django_db

NAMES = open_answers.names(SCORE_COLUMNS)


def csv_header(text: str) -> list[str]:
    return next(line for line in text.splitlines() if not line.startswith("#")).split(",")


def dictionary_columns(dictionary: str, table: str) -> list[str]:
    """The column names of a table's section of the data dictionary (its Markdown table's first cells)."""
    section = dictionary.split(f"## {table}", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ")]
    return [row.split("|")[1].strip() for row in rows[1:]]  # the first row is the table's head


def test_the_api_schema_the_csv_header_and_the_data_dictionary_list_the_same_columns_in_the_same_order(client):
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]["ScoreOut"]
    assert list(schema["properties"]) == NAMES
    assert schema["required"] == NAMES  # every column is in every row (a nullable one may be null)
    assert list(client.get("/api/v1/scores?edition=2025&page_size=1").json()["items"][0]) == NAMES
    assert list(client.get("/api/v1/cities/oslo/scores?edition=2025").json()["items"][0]) == NAMES
    assert csv_header(client.get("/api/v1/scores.csv?edition=2025&item=index_core").content.decode()) == NAMES
    with zipfile.ZipFile(io.BytesIO(client.get("/api/v1/dataset.zip").content)) as z:
        assert csv_header(z.read("scores.csv").decode()) == NAMES
        dictionary = z.read("DATA_DICTIONARY.md").decode()
    assert dictionary_columns(dictionary, "scores.csv") == NAMES
    meanings = {c.name: c.meaning for c in SCORE_COLUMNS}
    assert all(f"| {name} | {meanings[name]} |" in dictionary for name in NAMES)
    assert {name: schema["properties"][name]["description"] for name in NAMES} == meanings


def test_the_score_row_follows_the_engine_columns_and_the_stored_score_copies_them():
    assert [n for n in NAMES if n in RESULT_COLUMNS] == RESULT_COLUMNS
    assert [n for n in NAMES if n in COVERAGE_COLUMNS and n not in RESULT_COLUMNS] == rescoring.STORED_COVERAGE
    fields = {f.name for f in Score._meta.get_fields()}
    assert set(rescoring.STORED) <= fields
    assert rescoring.STORED == [c for c in RESULT_COLUMNS if c not in ("city", "edition")] + rescoring.STORED_COVERAGE


def test_a_served_row_holds_the_stored_score_and_its_coverage(client):
    stored = Score.objects.select_related("city", "edition", "framework").get(
        city__slug="oslo", edition__year=2025, item="commitment"
    )
    row = client.get("/api/v1/scores?edition=2025&city=oslo&item=commitment").json()["items"][0]
    for name in rescoring.STORED:
        assert row[name] == getattr(stored, name), name
    assert (row["city"], row["edition"], row["framework"]) == ("oslo", 2025, stored.framework.framework_id)
    assert row["answered"] + row["dont_know"] + row["unanswered"] > 0 and row["reason"] == ""
