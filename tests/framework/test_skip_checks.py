"""The framework checks refuse skip logic that could reward a weaker answer (docs/methodology.md, section 1)."""

from __future__ import annotations

from icc.framework.checks import check_rules
from icc.framework.schema import AppliesIf


def _skip_problems(fw):
    return [(".".join(map(str, path)), reason) for path, reason in check_rules(fw) if "does not open" in reason]


def test_the_shipped_and_tiny_filters_pass(tiny):
    assert _skip_problems(tiny) == []


def test_it_refuses_a_filter_whose_closing_option_is_worth_some_but_not_all_points(tiny):
    fw = tiny.model_copy(deep=True)
    fw.question("c2").applies_if.in_ = ["yes"]  # "partly" (1 of 2 points) now closes c2
    [(path, reason)] = _skip_problems(fw)
    assert path == "areas.0.questions.1.applies_if.in"
    assert "option 'partly' of 'c1' does not open this question and is worth 1 points" in reason
    assert "must be worth 0 or 2" in reason


def test_a_filter_closed_by_its_best_option_is_accepted(tiny):
    fw = tiny.model_copy(deep=True)
    fw.question("c2").applies_if.in_ = ["no", "partly"]  # "yes" (the most c1 can earn) closes c2
    assert _skip_problems(fw) == []


def test_a_multiple_choice_filter_needs_its_unlisted_options_worth_0(tiny):
    fw = tiny.model_copy(deep=True)
    edu = fw.areas[1].subareas[0]
    edu.questions = [edu.questions[1], edu.questions[0]]
    fw.question("e1").applies_if = AppliesIf.model_validate({"question": "e2", "in": ["y"]})
    problems = _skip_problems(fw)
    assert [r.split(" does not")[0] for _, r in problems] == ["option 'x' of 'e2'", "option 'z' of 'e2'"]
    fw.question("e1").applies_if.in_ = ["x", "y", "z"]
    assert _skip_problems(fw) == []
