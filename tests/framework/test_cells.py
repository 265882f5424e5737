"""Text in spreadsheet cells and CSV fields: never a live formula, never a character a workbook refuses."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import Workbook, load_workbook

from icc.framework.cells import append_row, csv_safe, plain_text, starts_like_formula, write_text

FORMULAS = [
    "=1+1",
    "+1+1",
    "-1+1",
    "@SUM(A1:A9)",
    '  =HYPERLINK("http://evil.example")',
    "\t=1",
    "\r=1",
    "=cmd|' /C calc'!A0",
    "\uff1d1+1",
]


@pytest.mark.parametrize("text", FORMULAS)
def test_csv_safe_prefixes_a_text_that_could_start_a_formula(text):
    assert csv_safe(text) == "'" + text


@pytest.mark.parametrize("value", ["Lisbon", "a=b", "", "-2.5", "+3", "-7", "12", "'=already quoted"])
def test_csv_safe_leaves_plain_text_and_plain_numbers_alone(value):
    assert csv_safe(value) == value


@pytest.mark.parametrize("value", [-3, 2.5, None, True])
def test_csv_safe_leaves_values_that_are_not_text_alone(value):
    assert csv_safe(value) is value


def test_a_csv_written_with_csv_safe_reads_back_with_the_marker_only_on_risky_fields():
    buffer = io.StringIO()
    csv.writer(buffer).writerows([[csv_safe(v) for v in ("=1+1", "fine", "-5")]])
    assert next(csv.reader(io.StringIO(buffer.getvalue()))) == ["'=1+1", "fine", "-5"]


def test_starts_like_formula_looks_past_leading_spaces():
    assert starts_like_formula("   -x")
    assert not starts_like_formula("x-1") and not starts_like_formula("")


def test_plain_text_removes_what_openpyxl_refuses():
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    text = plain_text("".join(chr(c) for c in range(32)) + "ok\ufffe\uffff\ud83d")
    assert not ILLEGAL_CHARACTERS_RE.search(text)
    assert text == "ok"


@pytest.mark.parametrize("text", [*FORMULAS, "plain", "- a bullet point\n- another"])
def test_write_text_stores_a_string_cell_that_reads_back_as_the_same_text(text, tmp_path):
    wb = Workbook()
    write_text(wb.active["A1"], text)
    path = tmp_path / "t.xlsx"
    wb.save(path)
    cell = load_workbook(path)["Sheet"]["A1"]
    assert cell.data_type == "s"
    assert cell.value == (plain_text(text) if "\r" in text else text)  # a line break is written as \n
    assert load_workbook(path, data_only=True)["Sheet"]["A1"].value == cell.value


def test_write_text_marks_a_formula_like_text_with_the_quote_prefix(tmp_path):
    wb = Workbook()
    write_text(wb.active["A1"], "=1+1")
    write_text(wb.active["A2"], "fine")
    assert wb.active["A1"].quotePrefix and not wb.active["A2"].quotePrefix


def test_append_row_keeps_numbers_and_cleans_texts():
    wb = Workbook()
    ws = wb.active
    append_row(ws, ["=x", 12.5, None, "a\x0bb"])
    assert [c.value for c in ws[1]] == ["=x", 12.5, None, "a\nb"]
    assert [c.data_type for c in ws[1]][:2] == ["s", "n"]
