"""Loading framework YAML: a bad file is rejected with every problem located, and nothing is loaded."""

from __future__ import annotations

from pathlib import Path

import pytest

from icc.framework import FrameworkError, load_file, load_yaml

FIXTURES = Path(__file__).parents[1] / "fixtures"


def problems_of(path: Path) -> list[tuple[int | None, str, str]]:
    with pytest.raises(FrameworkError) as err:
        load_file(path)
    return [(p.row, p.field, p.reason) for p in err.value.problems]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_tiny_framework_loads(tiny):
    assert [a.id for a in tiny.areas] == ["commitment", "lens", "participation"]
    assert tiny.question("e2").maximum() == 2
    assert tiny.question("s1").valid_range() == (0.0, 100.0)


def test_a_yaml_syntax_error_gives_its_line(tmp_path):
    path = write(tmp_path, "id: x\nversion: '1'\ntitle: {en: a, fr: b\nareas: []\n")
    [(line, field, reason)] = problems_of(path)
    assert line == 4 and reason.startswith("not valid YAML")


def test_every_problem_is_listed_with_its_line(tmp_path):
    text = (FIXTURES / "tiny.yaml").read_text(encoding="utf-8")
    text = text.replace("weight: 2", "weight: 0")  # line 23
    text = text.replace("id: c2\n", "id: c1\n")  # line 33: duplicate id
    text = text.replace(
        'applies_if: {question: c1, in: ["yes", partly]}', 'applies_if: {question: c1, in: ["yes", perhaps]}'
    )  # line 35
    text = text.replace("{id: x, label: {en: X, fr: X}, points: 1}", "{id: x, label: {en: X}, points: -1}")  # line 61
    path = write(tmp_path, text)
    found = problems_of(path)
    assert (23, "areas[0].weight", "weight must be greater than 0") in found
    assert (33, "areas[0].questions[1].id", "id 'c1' is used twice (first at areas[0].questions[0].id)") in found
    assert (36, "areas[0].questions[1].applies_if.in", "'perhaps' is not an option of 'c1' (yes, partly, no)") in found
    assert (61, "areas[1].subareas[0].questions[1].options[0].label.fr", "the 'fr' text is missing or empty") in found
    assert (61, "areas[1].subareas[0].questions[1].options[0].points", "points must not be negative") in found
    assert len(found) == 5


def test_schema_errors_name_the_field(tmp_path):
    text = (FIXTURES / "tiny.yaml").read_text(encoding="utf-8")
    text = text.replace("type: multiple", "type: checkboxes").replace("max_points: 2", "max_point: 2")
    found = problems_of(write(tmp_path, text))
    fields = {(line, field) for line, field, _ in found}
    assert (57, "areas[1].subareas[0].questions[1].type") in fields
    assert (59, "areas[1].subareas[0].questions[1].max_point") in fields
    reasons = {field: reason for _, field, reason in found}
    assert reasons["areas[1].subareas[0].questions[1].max_point"].startswith("unknown field")


def test_a_yes_partly_no_question_needs_its_three_options(tmp_path):
    text = (FIXTURES / "tiny.yaml").read_text(encoding="utf-8")
    head, tail = text.rsplit("          - {id: partly, label: {en: Partly, fr: En partie}, points: 1}\n", 1)
    found = problems_of(write(tmp_path, head + tail))
    assert found == [
        (94, "areas[2].questions[0].options", "a yes_partly_no question must have exactly the options yes, partly, no")
    ]


def test_an_unsupported_file_type_is_refused(tmp_path):
    path = tmp_path / "f.json"
    path.write_text("{}")
    [(_, _, reason)] = problems_of(path)
    assert "unsupported file type '.json'" in reason


def test_problems_print_as_file_line_field_reason(tmp_path):
    path = write(tmp_path, "id: Bad Id\nversion: '1'\ntitle: {en: a, fr: b}\nareas: []\n")
    with pytest.raises(FrameworkError) as err:
        load_yaml(path)
    assert f"{path} / line 1 / id: id 'Bad Id' must be a lowercase slug" in str(err.value)
