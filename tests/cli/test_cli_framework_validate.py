"""``icc framework validate`` on hostile or absurd files: one clear line per problem and exit code 1 (2 when the
file could not be checked at all), never a traceback, never a hang."""

from __future__ import annotations

import io
import re
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from icc.cli import main
from icc.framework import load_shipped
from icc.framework.xlsx import export_xlsx

FIXTURES = Path(__file__).parents[1] / "fixtures"
SECONDS = 5.0


@pytest.fixture
def validate():
    runner = CliRunner()

    def invoke(path: Path):
        start = time.process_time()
        result = runner.invoke(main, ["framework", "validate", str(path)], catch_exceptions=False)
        assert time.process_time() - start < SECONDS
        assert "Traceback" not in result.output
        return result

    return invoke


def tiny_with(tmp_path: Path, old: str, new: str) -> Path:
    text = (FIXTURES / "tiny.yaml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "tiny.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def problem_lines(output: str) -> list[str]:
    return [line.strip() for line in output.splitlines() if line.strip().startswith("•")]


@pytest.mark.parametrize("value", [".nan", ".inf", "-1"])
def test_it_refuses_a_weight_that_is_not_a_positive_finite_number(validate, tmp_path, value):
    result = validate(tiny_with(tmp_path, "weight: 2", f"weight: {value}"))
    assert result.exit_code == 1
    [line] = problem_lines(result.output)
    assert re.search(
        r"tiny\.yaml / line 23 / areas\[0\]\.weight: (Input should be a finite number|weight must be)", line
    )


@pytest.mark.parametrize("value", [".nan", ".inf"])
def test_it_refuses_points_that_are_not_finite(validate, tmp_path, value):
    result = validate(tiny_with(tmp_path, "points: 2", f"points: {value}"))
    assert result.exit_code == 1
    [line] = problem_lines(result.output)
    assert "areas[0].questions[0].options[0].points: Input should be a finite number" in line


def test_it_refuses_very_deep_yaml_in_one_line(validate, tmp_path):
    path = tmp_path / "deep.yaml"
    path.write_text("id: x\nareas: " + "[" * 10_000 + "]" * 10_000 + "\n")
    result = validate(path)
    assert result.exit_code == 1
    assert problem_lines(result.output) == [
        f"• {path} / line 2 / (file): nested more than 50 levels deep: a framework file is far flatter"
    ]


def test_it_refuses_a_five_thousand_digit_integer_in_one_line(validate, tmp_path):
    result = validate(tiny_with(tmp_path, "weight: 2", "weight: " + "9" * 5000))
    assert result.exit_code == 1
    [line] = problem_lines(result.output)
    assert line.endswith("line 23 / (file): a number of 5,000 characters: at most 100 are accepted")


def _framework_xlsx(tmp_path: Path, replace: dict[str, bytes]) -> Path:
    """The tiny framework as XLSX with some parts replaced."""
    from icc.framework import load_yaml

    source = tmp_path / "source.xlsx"
    export_xlsx(load_yaml(FIXTURES / "tiny.yaml"), source)
    out = io.BytesIO()
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in original.infolist():
            archive.writestr(info.filename, replace.get(info.filename, original.read(info.filename)))
    path = tmp_path / "framework.xlsx"
    path.write_bytes(out.getvalue())
    return path


def test_it_refuses_malformed_workbook_xml_in_one_line(validate, tmp_path):
    path = _framework_xlsx(tmp_path, {"xl/worksheets/sheet1.xml": b"<?xml version='1.0'?><worksheet><sheetData><row"})
    result = validate(path)
    assert result.exit_code == 1
    [line] = problem_lines(result.output)
    assert "the workbook is damaged: its XML is not well formed" in line


def test_it_refuses_a_nul_character_reference_in_one_line(validate, tmp_path):
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    sheet = f'<worksheet xmlns="{ns}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&#0;</t></is></c></row>'
    result = validate(
        _framework_xlsx(tmp_path, {"xl/worksheets/sheet1.xml": (sheet + "</sheetData></worksheet>").encode()})
    )
    assert result.exit_code == 1
    assert "reference to invalid character number" in problem_lines(result.output)[0]


def test_it_refuses_a_dimension_bomb_quickly(validate, tmp_path):
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    sheet = (
        f'<worksheet xmlns="{ns}"><dimension ref="A1:XFD1048576"/><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>field</t></is></c></row>'
        '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData></worksheet>'
    )
    result = validate(_framework_xlsx(tmp_path, {"xl/worksheets/sheet1.xml": sheet.encode()}))
    assert result.exit_code == 1
    assert "the sheet has more than 10,000 rows" in problem_lines(result.output)[0]


def test_it_refuses_entity_expansion_in_one_line(validate, tmp_path):
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    sheet = (
        '<!DOCTYPE worksheet [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        f'<worksheet xmlns="{ns}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&b;</t></is></c></row>'
        "</sheetData></worksheet>"
    )
    result = validate(_framework_xlsx(tmp_path, {"xl/worksheets/sheet1.xml": sheet.encode()}))
    assert result.exit_code == 1
    assert "XML entities or external references, which are not allowed" in problem_lines(result.output)[0]


def test_the_shipped_frameworks_still_validate(validate):
    for framework_id in ("icc-2019", "icc-2011"):
        result = CliRunner().invoke(main, ["framework", "validate", framework_id], catch_exceptions=False)
        assert result.exit_code == 0, result.output
    assert load_shipped("icc-2019").question("commitment-visibility").options[-1].exclusive


def test_an_unexpected_failure_is_one_line_and_exit_code_2(validate, tmp_path, monkeypatch):
    import icc.framework

    def broken(path):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(icc.framework, "load_file", broken)
    path = tmp_path / "any.yaml"
    path.write_text("id: x\n")
    result = validate(path)
    assert result.exit_code == 2
    assert result.output.strip() == f"cannot check {path}: RuntimeError: disk on fire"
