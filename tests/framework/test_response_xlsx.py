"""Spreadsheet round trip of a response: export then read gives back the answers; every bad cell is reported."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from icc.framework import DONT_KNOW, load_shipped
from icc.framework.answers import AnswerValue
from icc.framework.response_xlsx import COLUMNS, export_response, read_response


@pytest.fixture(scope="module")
def fw():
    return load_shipped("icc-2019")


@pytest.fixture(scope="module")
def answers():
    return {
        "fact-population": AnswerValue("254300", "Statistics office, 2023", "https://stats.example.org/pop"),
        "fact-foreign-born": AnswerValue("17.5"),
        "fact-largest-groups": AnswerValue("Polish (3.1%), Somali (2.4%)"),
        "commitment-statement": AnswerValue(
            "yes", "Council resolution 2019/45", "https://city.example/a\nhttp://b.example/c"
        ),
        "commitment-strategy": AnswerValue("partly"),
        "commitment-action-plan": AnswerValue(DONT_KNOW, "Being drafted"),
        "commitment-coordination": AnswerValue("cross-department"),
        "commitment-visibility": AnswerValue("website;events"),
        "neighbourhoods-concentration": AnswerValue("0"),
        "leadership-councillors": AnswerValue("8.25"),
        "education-teachers": AnswerValue("", "Evidence kept although there is no answer yet"),
    }


def export(fw, answers, tmp_path, language="en", locked=False):
    path = tmp_path / f"response-{language}.xlsx"
    export_response(fw, path, city="Lisbon", edition=2024, language=language, answers=answers, locked=locked)
    return path


def full(fw, answers):
    """What reading back gives: every question of the file, unanswered ones blank."""
    return {q.id: answers.get(q.id, AnswerValue("")) for q in fw.questions()}


def rows_by_id(path):
    ws = load_workbook(path)["answers"]
    return {row[0].value: row[0].row for row in ws.iter_rows(min_row=2)}


def edit(path, row, column, value):
    wb = load_workbook(path)
    ws = wb["answers"]
    ws.cell(row, COLUMNS.index(column) + 1).value = value
    wb.save(path)


def found(result):
    _values, problems = result
    return [(p.sheet, p.row, p.field, p.reason) for p in problems]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_an_exported_response_reads_back_to_the_same_answers(fw, answers, tmp_path, language):
    path = export(fw, answers, tmp_path, language)
    values, problems = read_response(fw, path, language=language)
    assert problems == []
    assert values == full(fw, answers)


def test_a_response_round_trips_through_a_buffer(fw, answers):
    buffer = io.BytesIO()
    export_response(fw, buffer, city="Lisbon", edition=2024, language="en", answers=answers)
    buffer.seek(0)
    assert read_response(fw, buffer) == (full(fw, answers), [])


def test_the_answers_sheet_has_one_row_per_question_facts_first(fw, answers, tmp_path):
    ws = load_workbook(export(fw, answers, tmp_path))["answers"]
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0]) == list(COLUMNS)
    assert [r[0] for r in rows[1:]] == [q.id for q in fw.questions()]
    assert rows[1][1] == "facts"
    by_id = {r[0]: r for r in rows[1:]}
    assert by_id["education-teachers"][1] == "education"
    assert by_id["commitment-strategy"][1] == "commitment"
    assert by_id["commitment-strategy"][4] == "yes = Yes; partly = Partly; no = No"
    assert by_id["fact-population"][5] == 254300  # a number cell, not text
    assert by_id["fact-population"][4].endswith("from 0 to 50,000,000")  # grouped for a person to read
    assert ws.freeze_panes == "B2"
    assert ws["A1"].font.bold


def test_the_french_export_writes_questions_options_and_instructions_in_french(fw, answers, tmp_path):
    wb = load_workbook(export(fw, answers, tmp_path, "fr"))
    by_id = {r[0]: r for r in wb["answers"].iter_rows(min_row=2, values_only=True)}
    assert by_id["commitment-strategy"][2] == fw.question("commitment-strategy").text["fr"]
    assert by_id["commitment-strategy"][4] == "yes = Oui; partly = En partie; no = Non"
    assert by_id["fact-foreign-born"][4] == "unité : %; de 0 à 100"
    assert by_id["fact-population"][4].endswith("de 0 à 50\u00a0000\u00a0000")
    instructions = [c for row in wb["instructions"].iter_rows(values_only=True) for c in row if c]
    assert "Ville" in instructions and "Lisbon" in instructions and "2019.1" in instructions
    assert any("icc-2019" in str(c) for c in instructions)
    assert any("ne sait pas" in str(c) for c in instructions)


def test_single_choice_answer_cells_offer_a_drop_down(fw, answers, tmp_path):
    path = export(fw, answers, tmp_path)
    ws = load_workbook(path)["answers"]
    row = rows_by_id(path)["commitment-strategy"]
    lists = [dv for dv in ws.data_validations.dataValidation if f"F{row}" in dv.sqref]
    assert [dv.formula1 for dv in lists] == ['"yes,partly,no,dont_know"']


def test_a_locked_export_protects_the_sheet_and_says_so(fw, answers, tmp_path):
    wb = load_workbook(export(fw, answers, tmp_path, locked=True))
    assert wb["answers"].protection.sheet
    texts = " ".join(str(c) for row in wb["instructions"].iter_rows(values_only=True) for c in row if c)
    assert "for reading only" in texts


def test_labels_and_other_forms_typed_in_the_sheet_are_normalised(fw, answers, tmp_path):
    path = export(fw, answers, tmp_path, "fr")
    rows = rows_by_id(path)
    edit(path, rows["commitment-statement"], "answer", "En partie")
    edit(path, rows["commitment-visibility"], "answer", "events, speeches")
    edit(path, rows["fact-foreign-born"], "answer", "12,50")
    edit(path, rows["commitment-consultation"], "answer", "Je ne sais pas")
    values, problems = read_response(fw, path, language="fr")
    assert problems == []
    assert values["commitment-statement"].value == "partly"
    assert values["commitment-visibility"].value == "speeches;events"
    assert values["fact-foreign-born"].value == "12.5"
    assert values["commitment-consultation"].value == DONT_KNOW


def test_every_bad_cell_is_reported_with_its_row_and_column(fw, answers, tmp_path):
    path = export(fw, answers, tmp_path)
    rows = rows_by_id(path)
    edit(path, rows["commitment-statement"], "answer", "maybe")
    edit(path, rows["fact-foreign-born"], "answer", 120)
    edit(path, rows["fact-population"], "answer", "abc")
    edit(path, rows["commitment-coordination"], "evidence_links", "https://ok.example/x www.city.example ftp://f")
    values, problems = read_response(fw, path, file_name="lisbon.xlsx")
    assert found((values, problems)) == [
        ("answers", rows["fact-population"], "answer", "'abc' is not a number"),
        ("answers", rows["fact-foreign-born"], "answer", "120 is above the maximum 100 (%)"),
        (
            "answers",
            rows["commitment-statement"],
            "answer",
            "'maybe' is not an option; choose one of: yes, partly, no, or dont_know",
        ),
        (
            "answers",
            rows["commitment-coordination"],
            "evidence_links",
            "'ftp://f' is not a web address: a link starts with http:// or https://",
        ),
    ]
    assert {p.file for p in problems} == {"lisbon.xlsx"}
    assert "fact-population" not in values  # a row with a bad answer is left out
    assert values["commitment-strategy"].value == "partly"


def test_a_cleared_answer_cell_reads_as_unanswered(fw, answers, tmp_path):
    path = export(fw, answers, tmp_path)
    edit(path, rows_by_id(path)["commitment-coordination"], "answer", None)
    values, problems = read_response(fw, path)
    assert problems == []
    assert values["commitment-coordination"] == AnswerValue("")


def test_a_duplicate_question_id_is_reported_on_its_second_row(fw, answers, tmp_path):
    path = export(fw, answers, tmp_path)
    rows = rows_by_id(path)
    edit(path, rows["commitment-consultation"], "question_id", "commitment-statement")
    values, problems = read_response(fw, path)
    assert found((values, problems)) == [
        (
            "answers",
            rows["commitment-consultation"],
            "question_id",
            f"question 'commitment-statement' appears twice (first in row {rows['commitment-statement']})",
        )
    ]
    assert values["commitment-statement"] == answers["commitment-statement"]


def test_an_unknown_question_id_is_reported(fw, answers, tmp_path):
    path = export(fw, answers, tmp_path)
    row = rows_by_id(path)["commitment-consultation"]
    edit(path, row, "question_id", "commitment-mystery")
    assert found(read_response(fw, path)) == [
        ("answers", row, "question_id", "unknown question 'commitment-mystery' (not in framework icc-2019 2019.1)")
    ]


def test_an_answer_to_a_question_that_does_not_apply_names_the_controlling_question(fw, answers, tmp_path):
    path = export(fw, answers, tmp_path)
    rows = rows_by_id(path)
    edit(path, rows["commitment-strategy"], "answer", "no")
    assert found(read_response(fw, path)) == [
        (
            "answers",
            rows["commitment-action-plan"],
            "answer",
            "question 'commitment-action-plan' does not apply: it applies only when 'commitment-strategy' is "
            "yes or partly (here: no); leave the answer empty",
        )
    ]


def test_an_invalid_controlling_answer_is_reported_once(fw, answers, tmp_path):
    path = export(fw, answers, tmp_path)
    rows = rows_by_id(path)
    edit(path, rows["commitment-strategy"], "answer", "sometimes")
    problems = read_response(fw, path)[1]
    assert [(p.row, p.field) for p in problems] == [(rows["commitment-strategy"], "answer")]


def test_rows_may_come_in_any_order_and_blank_rows_are_ignored(fw, answers, tmp_path):
    path = export(fw, answers, tmp_path)
    wb = load_workbook(path)
    ws = wb["answers"]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    ws.delete_rows(2, ws.max_row)
    for row in reversed(rows):
        ws.append(row)
        ws.append([None] * len(COLUMNS))
    wb.save(path)
    assert read_response(fw, path) == (full(fw, answers), [])


def test_a_row_missing_from_the_file_is_simply_absent(fw, answers, tmp_path):
    path = export(fw, answers, tmp_path)
    wb = load_workbook(path)
    wb["answers"].delete_rows(rows_by_id(path)["commitment-consultation"])
    wb.save(path)
    values, problems = read_response(fw, path)
    assert problems == []
    assert "commitment-consultation" not in values


def test_informational_columns_are_ignored(fw, answers, tmp_path):
    path = export(fw, answers, tmp_path)
    row = rows_by_id(path)["commitment-strategy"]
    for column in ("area", "question", "type", "options"):
        edit(path, row, column, "scribbled over")
    assert read_response(fw, path) == (full(fw, answers), [])


def test_a_missing_column_is_reported_on_the_header_row(fw, answers, tmp_path):
    path = export(fw, answers, tmp_path)
    edit(path, 1, "evidence_links", "links")
    assert found(read_response(fw, path)) == [
        ("answers", 1, "evidence_links", f"column 'evidence_links' is missing (expected columns: {', '.join(COLUMNS)})")
    ]


def test_a_workbook_without_the_answers_sheet_is_refused(fw, answers, tmp_path):
    path = export(fw, answers, tmp_path)
    wb = load_workbook(path)
    wb["answers"].title = "my answers"
    wb.save(path)
    values, problems = read_response(fw, path)
    assert values == {}
    assert [(p.sheet, p.row) for p in problems] == [("answers", None)]
    assert problems[0].reason.startswith("sheet 'answers' is missing")


def test_a_file_that_is_not_a_workbook_gives_one_problem(fw, tmp_path):
    path = tmp_path / "answers.xlsx"
    path.write_text("question_id,answer\ncommitment-strategy,yes\n")
    values, problems = read_response(fw, path, file_name="answers.xlsx")
    assert values == {}
    assert len(problems) == 1
    assert problems[0].file == "answers.xlsx"
    assert problems[0].reason.startswith("not an XLSX workbook (an .xlsx file is a zip archive")


# --- one validator, formulas, control characters --------------------------------------------------------------


FORMULA_LIKE = [
    '=HYPERLINK("http://evil.example","click")',
    "+33 1 23 45 67 89",
    "-12% since 2019",
    "@mayor's office",
    "=1+1",
]


@pytest.mark.parametrize("text", FORMULA_LIKE)
def test_text_that_looks_like_a_formula_is_exported_as_text_and_reads_back_unchanged(fw, tmp_path, text):
    answers = {
        "fact-largest-groups": AnswerValue(text, text),
        "commitment-strategy": AnswerValue("yes", text),
    }
    path = export(fw, answers, tmp_path)
    ws = load_workbook(path)["answers"]
    row = rows_by_id(path)["commitment-strategy"]
    cell = ws.cell(row, COLUMNS.index("evidence_text") + 1)
    assert cell.data_type == "s" and cell.value == text  # a text cell, not a formula
    assert read_response(fw, path) == (full(fw, answers), [])


def test_a_formula_left_in_an_older_export_is_read_as_its_text_not_erased(fw, answers, tmp_path):
    path = export(fw, answers, tmp_path)
    row = rows_by_id(path)["commitment-strategy"]
    wb = load_workbook(path)
    wb["answers"].cell(row, COLUMNS.index("evidence_text") + 1).value = "=see council decision"  # a live formula
    wb.save(path)
    assert load_workbook(path)["answers"].cell(row, COLUMNS.index("evidence_text") + 1).data_type == "f"
    values, problems = read_response(fw, path)
    assert problems == []
    assert values["commitment-strategy"].evidence_text == "=see council decision"


def test_a_formula_in_an_answer_cell_is_refused_with_how_to_answer(fw, answers, tmp_path):
    path = export(fw, answers, tmp_path)
    edit(path, rows_by_id(path)["fact-population"], "answer", "=1200+300")
    assert [p.reason for p in read_response(fw, path)[1]] == ["'=1200+300' is a formula: type the value itself"]


def test_stored_text_with_control_characters_exports_without_them(fw, tmp_path):
    answers = {"commitment-strategy": AnswerValue("yes", "Decision\x0b2019\x00/45", "https://city.example/\x07a")}
    path = export(fw, answers, tmp_path)  # openpyxl refuses \x0b: this raised IllegalCharacterError before
    values, problems = read_response(fw, path)
    assert problems == []
    assert values["commitment-strategy"] == AnswerValue("yes", "Decision\n2019/45", "https://city.example/a")


def test_a_city_name_with_a_control_character_does_not_break_the_export(fw, tmp_path):
    path = tmp_path / "r.xlsx"
    export_response(fw, path, city="Lisbon\x0b", edition=2024, language="en", answers={})
    assert "Lisbon" in [c for row in load_workbook(path)["instructions"].iter_rows(values_only=True) for c in row]


def test_the_import_cleans_evidence_the_way_the_web_does(fw, answers, tmp_path):
    path = export(fw, answers, tmp_path)
    row = rows_by_id(path)["commitment-strategy"]
    edit(path, row, "evidence_text", "  Council\r\ndecision  ")
    edit(path, row, "evidence_links", "www.city.example/a  HTTPS://B.example/x\n\nhttps://b.example/x")
    values, problems = read_response(fw, path)
    assert problems == []
    assert values["commitment-strategy"] == AnswerValue(
        "partly", "Council\ndecision", "https://www.city.example/a\nhttps://b.example/x"
    )


def test_evidence_over_the_limit_is_reported_at_its_column(fw, answers, tmp_path):
    path = export(fw, answers, tmp_path)
    row = rows_by_id(path)["commitment-strategy"]
    edit(path, row, "evidence_text", "x" * 10_001)
    edit(path, row, "evidence_links", "javascript:alert(1)")
    assert [(p.row, p.field, p.reason) for p in read_response(fw, path)[1]] == [
        (row, "evidence_text", "this text is 10,001 characters long; the limit is 10,000"),
        (
            row,
            "evidence_links",
            "'javascript:alert(1)' is not a web address: a link starts with http:// or https://",
        ),
    ]


def test_none_of_these_ticked_with_another_option_is_refused(fw, answers, tmp_path):
    path = export(fw, answers, tmp_path)
    edit(path, rows_by_id(path)["commitment-visibility"], "answer", "website; none")
    assert [p.reason for p in read_response(fw, path)[1]] == [
        "“None of these” cannot be combined with other options: choose it alone, or untick it"
    ]


@pytest.mark.parametrize(
    ("language", "question", "typed", "stored"),
    [
        ("fr", "leadership-councillors", "5,5", "5.5"),
        ("fr", "leadership-councillors", "13,5", "13.5"),
        ("en", "leadership-councillors", "5.5", "5.5"),
        ("fr", "fact-population", "1 234,5", "1234.5"),
        ("fr", "fact-population", "254 300", "254300"),
    ],
)
def test_decimal_commas_in_the_sheet_follow_the_language(fw, answers, tmp_path, language, question, typed, stored):
    path = export(fw, answers, tmp_path, language)
    edit(path, rows_by_id(path)[question], "answer", typed)
    values, problems = read_response(fw, path, language=language)
    assert problems == []
    assert values[question].value == stored


def test_an_ambiguous_number_is_refused_in_the_language_of_the_file(fw, answers, tmp_path):
    path = export(fw, answers, tmp_path, "fr")
    edit(path, rows_by_id(path)["fact-population"], "answer", "254.300")
    assert [p.reason for p in read_response(fw, path, language="fr")[1]] == [
        "'254.300' est ambigu : écrivez 254300 (ou 254 300) pour un nombre entier, ou 254,300 pour un nombre décimal"
    ]


def test_every_problem_is_given_in_french_for_a_french_file(fw, answers, tmp_path):
    path = export(fw, answers, tmp_path, "fr")
    rows = rows_by_id(path)
    edit(path, rows["commitment-strategy"], "answer", "no")
    edit(path, rows["commitment-consultation"], "question_id", "commitment-mystery")
    edit(path, rows["fact-foreign-born"], "answer", 120)
    assert [p.reason for p in read_response(fw, path, language="fr")[1]] == [
        "120 est supérieur au maximum 100 (%)",
        "la question 'commitment-action-plan' ne s'applique pas : elle ne s'applique que si 'commitment-strategy' "
        "vaut yes ou partly (ici : no) ; laissez la réponse vide",
        "question inconnue 'commitment-mystery' (absente du référentiel icc-2019 2019.1)",
    ]


def test_the_import_refuses_exactly_the_answers_to_inapplicable_questions(fw, answers, tmp_path):
    from icc.framework.answers import answers_to_inapplicable

    path = export(fw, answers, tmp_path)
    edit(path, rows_by_id(path)["commitment-strategy"], "answer", "no")
    values = {q: a.value for q, a in answers.items()} | {"commitment-strategy": "no"}
    refused = {p.row for p in read_response(fw, path)[1]}
    assert refused == {rows_by_id(path)[q] for q in answers_to_inapplicable(fw, values)}


# --- the export time (an outdated file must not overwrite newer answers unseen) --------------------------------


def _instructions_cell(path, label):
    """The value cell of the instructions row ``label`` (the sheet and the cell, to change it)."""
    wb = load_workbook(path)
    ws = wb["instructions"]
    for row in ws.iter_rows():
        if row[0].value == label:
            return wb, row[1]
    raise AssertionError(label)


@pytest.mark.parametrize("exported_in, read_in", [("en", "en"), ("fr", "en"), ("en", "fr")])
def test_the_file_gives_back_the_time_it_was_exported_to_the_second(fw, answers, tmp_path, exported_in, read_in):
    from datetime import UTC, datetime, timedelta, timezone

    from icc.framework.response_xlsx import read_response_file

    at = datetime(2026, 3, 1, 11, 25, 58, 700_000, tzinfo=timezone(timedelta(hours=1)))  # 10:25:58.7 UTC
    path = tmp_path / "r.xlsx"
    export_response(fw, path, city="Oslo", edition=2026, language=exported_in, answers=answers, exported_at=at)
    read = read_response_file(fw, path, language=read_in)
    assert read.exported_at == datetime(2026, 3, 1, 10, 25, 58, tzinfo=UTC)
    assert (read.values, read.problems) == (full(fw, answers), [])


def test_an_older_export_given_to_the_minute_reads_as_the_start_of_that_minute(fw, answers, tmp_path):
    from datetime import UTC, datetime

    from icc.framework.response_xlsx import read_response_file

    path = export(fw, answers, tmp_path)
    wb, cell = _instructions_cell(path, "Exported")
    cell.value = "2025-11-30 09:41 UTC"
    wb.save(path)
    assert read_response_file(fw, path).exported_at == datetime(2025, 11, 30, 9, 41, tzinfo=UTC)


@pytest.mark.parametrize("value", ["", "yesterday", None])
def test_a_file_without_a_readable_export_time_says_so_with_none(fw, answers, tmp_path, value):
    from icc.framework.response_xlsx import read_response_file

    path = export(fw, answers, tmp_path)
    wb, cell = _instructions_cell(path, "Exported")
    cell.value = value
    wb.save(path)
    read = read_response_file(fw, path)
    assert read.exported_at is None and read.problems == []


def test_a_file_without_instructions_sheet_has_no_export_time_but_its_answers(fw, answers, tmp_path):
    from icc.framework.response_xlsx import read_response_file

    path = export(fw, answers, tmp_path)
    wb = load_workbook(path)
    del wb["instructions"]
    wb.save(path)
    read = read_response_file(fw, path)
    assert read.exported_at is None and read.values == full(fw, answers)


def test_a_file_of_another_city_or_edition_is_refused_naming_both(fw, answers, tmp_path):
    from icc.framework.response_xlsx import read_response_file

    path = export(fw, answers, tmp_path, language="fr")  # Lisbon 2024, its labels in French
    same = read_response_file(fw, path, city="lisbon", edition=2024)
    assert same.problems == [] and same.values
    other_city = read_response_file(fw, path, city="Oslo", edition=2024)
    assert other_city.values == {}
    assert [p.reason for p in other_city.problems] == [
        "this file is the response of Lisbon 2024, not of Oslo 2024: export the file of Oslo 2024 from its response "
        "page (nothing was changed)"
    ]
    other_year = read_response_file(fw, path, city="Lisbon", edition=2025, language="fr")
    assert "ce fichier est la réponse de Lisbon 2024, pas de Lisbon 2025" in other_year.problems[0].reason


def test_the_carried_over_column_is_written_and_not_read_back(fw, answers, tmp_path):
    path = tmp_path / "carried.xlsx"
    qid = next(iter(answers))
    export_response(fw, path, city="Lisbon", edition=2024, language="en", answers=answers, carried={qid: 2021})
    ws = load_workbook(path)["answers"]
    header = [c.value for c in ws[1]]
    assert "carried_over" in header
    marks = {row[0]: row[header.index("carried_over")] for row in ws.iter_rows(min_row=2, values_only=True)}
    assert marks[qid] == 2021 and sum(v is not None for v in marks.values()) == 1
    assert read_response(fw, path) == (full(fw, answers), [])
