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


# --- hostile or absurd files --------------------------------------------------------------------------------------


def tiny_with(old: str, new: str) -> str:
    text = (FIXTURES / "tiny.yaml").read_text(encoding="utf-8")
    assert old in text
    return text.replace(old, new, 1)


@pytest.mark.parametrize("value", [".nan", ".NaN", ".inf", "-.inf", "1e400"])
def test_a_weight_that_is_not_a_finite_number_is_refused(tmp_path, value):
    [(line, field, reason)] = problems_of(write(tmp_path, tiny_with("weight: 2", f"weight: {value}")))
    assert (line, field) == (23, "areas[0].weight")
    assert reason.startswith("Input should be a finite number")


@pytest.mark.parametrize("value", [".nan", ".inf"])
def test_points_that_are_not_a_finite_number_are_refused(tmp_path, value):
    [(line, field, reason)] = problems_of(write(tmp_path, tiny_with("points: 2", f"points: {value}")))
    assert field == "areas[0].questions[0].options[0].points"
    assert reason.startswith("Input should be a finite number")


def test_a_negative_weight_and_absurd_points_are_refused(tmp_path):
    text = tiny_with("weight: 2", "weight: -1").replace("points: 2", "points: 1e300", 1)
    assert [(f, r) for _line, f, r in problems_of(write(tmp_path, text))] == [
        ("areas[0].weight", "weight must be greater than 0"),
        ("areas[0].questions[0].options[0].points", "points must be at most 1,000,000"),
    ]


def test_very_deep_nesting_is_refused_on_one_line_without_a_recursion_error(tmp_path):
    path = write(tmp_path, "id: x\nareas: " + "[" * 10_000 + "]" * 10_000 + "\n")
    assert problems_of(path) == [(2, "", "nested more than 50 levels deep: a framework file is far flatter")]


def test_a_five_thousand_digit_integer_is_refused_with_its_line(tmp_path):
    path = write(tmp_path, tiny_with("weight: 2", "weight: " + "9" * 5000))
    assert problems_of(path) == [(23, "", "a number of 5,000 characters: at most 100 are accepted")]


def test_anchors_and_aliases_are_refused(tmp_path):
    laughs = "a: &a [lol, lol]\nb: &b [*a, *a]\nc: [*b, *b]\n"
    [(line, _field, reason)] = problems_of(write(tmp_path, laughs))
    assert line == 1 and reason.startswith("anchors and aliases (&name, *name) are not supported")


def test_a_file_that_is_too_large_is_refused_before_it_is_parsed(tmp_path):
    from icc.framework.loader import YAML_MAX

    path = write(tmp_path, "# " + "x" * YAML_MAX)
    assert problems_of(path) == [(None, "", "the file is larger than 2 MB: a framework file is far smaller")]


def test_a_file_that_is_not_utf8_is_refused(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("id: caf\xe9\n".encode("latin-1"))
    [(_line, _field, reason)] = problems_of(path)
    assert reason.startswith("cannot read the file")


def test_an_exclusive_option_on_a_question_that_is_not_multiple_choice_is_refused(tmp_path):
    text = tiny_with("points: 2}", "points: 2, exclusive: true}")  # c1 is a yes_partly_no question
    reasons = [r for _line, _f, r in problems_of(write(tmp_path, text))]
    assert reasons == ["exclusive applies to options of multiple-choice questions"]


def test_the_shipped_none_of_these_options_are_exclusive():
    from icc.framework import load_shipped

    fw = load_shipped("icc-2019")
    marked = {(q.id, o.id) for q in fw.questions() for o in q.options if o.exclusive}
    assert marked == {
        ("commitment-visibility", "none"),
        ("education-intercultural-activities", "none"),
        ("public-services-tailored", "none"),
    }
    assert all(o.points == 0 for q in fw.questions() for o in q.options if o.exclusive)
