"""XLSX export and import: an identical round trip, and every bad cell reported by sheet, row and column."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from icc.framework import FrameworkError, load_shipped, shipped_ids
from icc.framework.xlsx import export_xlsx, load_xlsx


def test_the_tiny_framework_round_trips(tiny, tmp_path):
    path = tmp_path / "tiny.xlsx"
    export_xlsx(tiny, path)
    assert load_xlsx(path) == tiny


@pytest.mark.parametrize("framework_id", shipped_ids())
def test_every_shipped_framework_round_trips(framework_id, tmp_path):
    fw = load_shipped(framework_id)
    path = tmp_path / f"{framework_id}.xlsx"
    export_xlsx(fw, path)
    assert load_xlsx(path) == fw


def edit(path, sheet, row, column, value):
    wb = load_workbook(path)
    ws = wb[sheet]
    header = [c.value for c in ws[1]]
    ws.cell(row=row, column=header.index(column) + 1).value = value
    wb.save(path)


def problems(path):
    with pytest.raises(FrameworkError) as err:
        load_xlsx(path)
    return [(p.sheet, p.row, p.field, p.reason) for p in err.value.problems]


@pytest.fixture
def workbook(tiny, tmp_path):
    path = tmp_path / "tiny.xlsx"
    export_xlsx(tiny, path)
    return path


def test_cells_that_are_not_numbers_are_reported(workbook):
    edit(workbook, "options", 3, "points", "lots")
    edit(workbook, "areas", 2, "weight", "heavy")
    assert problems(workbook) == [
        ("areas", 2, "weight", "expected a number, found 'heavy'"),
        ("options", 3, "points", "expected a number, found 'lots'"),
    ]


def test_rule_violations_point_at_the_cell(workbook):
    # questions sheet: row 2 is the fact, row 3 is c1, row 4 is c2
    edit(workbook, "questions", 4, "applies_if_question", "c9")
    edit(workbook, "questions", 3, "text_fr", None)
    edit(workbook, "options", 2, "points", -2)
    found = problems(workbook)
    assert ("questions", 4, "applies_if_question", "question 'c9' does not exist before this question") in found
    assert ("questions", 3, "text_fr", "the 'fr' text is missing or empty") in found
    assert ("options", 2, "points", "points must not be negative") in found
    assert len(found) == 3


def test_rows_that_reference_nothing_are_reported(workbook):
    edit(workbook, "options", 5, "question", "nope")
    edit(workbook, "questions", 5, "area", "garden")
    found = problems(workbook)
    assert ("options", 5, "question", "question 'nope' is not on the questions sheet") in found
    assert ("questions", 5, "area", "'garden' is not an area or sub-area of the areas sheet, nor 'facts'") in found


def test_a_missing_sheet_is_reported(workbook):
    wb = load_workbook(workbook)
    del wb["bands"]
    wb.save(workbook)
    assert problems(workbook) == [
        (
            "bands",
            None,
            "",
            "sheet 'bands' is missing (expected sheets: framework, peer_groups, areas, questions, options, bands)",
        )
    ]


def test_a_file_that_is_not_a_workbook_is_refused(tmp_path):
    path = tmp_path / "x.xlsx"
    path.write_text("hello")
    [(sheet, row, field, reason)] = problems(path)
    assert reason.startswith("not an XLSX workbook (an .xlsx file is a zip archive")


def test_an_exclusive_option_is_a_column_of_the_options_sheet_and_round_trips(tmp_path):
    fw = load_shipped("icc-2019")
    path = tmp_path / "fw.xlsx"
    export_xlsx(fw, path)
    rows = list(load_workbook(path)["options"].iter_rows(values_only=True))
    header = list(rows[0])
    assert header[:4] == ["question", "id", "points", "exclusive"]
    marked = [(r[0], r[1]) for r in rows[1:] if r[3] == "yes"]
    assert marked == [
        ("commitment-visibility", "none"),
        ("education-intercultural-activities", "none"),
        ("public-services-tailored", "none"),
    ]
    assert load_xlsx(path).question("commitment-visibility").options[-1].exclusive


def test_a_workbook_without_the_exclusive_column_still_loads(tiny, tmp_path):
    path = tmp_path / "old.xlsx"
    export_xlsx(tiny, path)
    wb = load_workbook(path)
    wb["options"].delete_cols(4)
    wb.save(path)
    assert load_xlsx(path) == tiny


def test_a_unit_has_one_column_per_language_and_round_trips(tmp_path):
    fw = load_shipped("icc-2019")
    path = tmp_path / "fw.xlsx"
    export_xlsx(fw, path)
    rows = list(load_workbook(path)["questions"].iter_rows(values_only=True))
    header = list(rows[0])
    population = next(r for r in rows if r[0] == "fact-population")
    assert population[header.index("unit_fr")] == "habitants" and "unit" not in header
    assert load_xlsx(path).question("fact-population").unit == {"en": "inhabitants", "fr": "habitants"}


def test_a_workbook_with_one_unit_column_still_loads(tmp_path):
    fw = load_shipped("icc-2019")
    path = tmp_path / "old.xlsx"
    export_xlsx(fw, path)
    wb = load_workbook(path)
    ws = wb["questions"]
    header = [c.value for c in ws[1]]
    for lang in ("fr", "en"):
        ws.delete_cols(header.index(f"unit_{lang}") + 1)
        header = [c.value for c in ws[1]]
    ws.cell(row=1, column=len(header) + 1, value="unit")
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(row=r, column=1).value == "fact-population")
    ws.cell(row=row, column=len(header) + 1, value="inhabitants")
    wb.save(path)
    assert load_xlsx(path).question("fact-population").unit == {"en": "inhabitants"}


def test_a_bad_exclusive_flag_is_reported_at_its_cell(workbook):
    edit(workbook, "options", 2, "exclusive", "perhaps")
    assert problems(workbook) == [("options", 2, "exclusive", "expected yes or no, found 'perhaps'")]


def test_non_finite_weights_in_a_workbook_are_refused(workbook):
    edit(workbook, "areas", 2, "weight", "inf")
    assert problems(workbook) == [("areas", 2, "weight", "Input should be a finite number (got inf)")]


def test_texts_that_look_like_formulas_round_trip_as_text(tiny, tmp_path):
    fw = tiny.model_copy(deep=True)
    fw.areas[0].questions[0].help = {"en": "=not a formula", "fr": "-5 points si non"}
    path = tmp_path / "fw.xlsx"
    export_xlsx(fw, path)
    assert load_xlsx(path) == fw
