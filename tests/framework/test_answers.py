"""Answer validation (every question type, both languages), skip logic, required answers and completion."""

from __future__ import annotations

import math

import pytest

from icc.framework import DONT_KNOW, load_shipped
from icc.framework.answers import (
    AnswerValue,
    InvalidAnswer,
    applicable,
    completion,
    missing_required,
    normalise_value,
    opens,
)
from icc.framework.schema import AppliesIf, Question


@pytest.fixture(scope="module")
def fw():
    return load_shipped("icc-2019")


def norm(fw, question_id, raw, language="en"):
    return normalise_value(fw.question(question_id), raw, language)


def reason(fw, question_id, raw, language="en"):
    with pytest.raises(InvalidAnswer) as err:
        norm(fw, question_id, raw, language)
    return err.value.reason


# --- choice questions ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["partly", "PARTLY", "  partly ", "Partly", "en partie", "En Partie"])
def test_it_accepts_a_yes_partly_no_answer_as_id_or_label(fw, raw):
    assert norm(fw, "commitment-strategy", raw) == "partly"


def test_it_accepts_an_option_label_in_french(fw):
    assert norm(fw, "commitment-strategy", "Oui", "fr") == "yes"
    assert norm(fw, "education-mixing", "oui, plusieurs écoles", "fr") == "several"


def test_it_accepts_a_label_in_the_other_language_too(fw):
    assert norm(fw, "commitment-strategy", "Non", "en") == "no"
    assert norm(fw, "commitment-coordination", "An officer or unit within a single department", "fr") == "officer"


def test_it_refuses_an_unknown_option_and_lists_the_valid_ones(fw):
    assert reason(fw, "commitment-strategy", "maybe") == (
        "'maybe' is not an option; choose one of: yes, partly, no, or dont_know"
    )


def test_an_invalid_answer_is_a_value_error(fw):
    with pytest.raises(ValueError):
        norm(fw, "commitment-coordination", "mayor")


def test_it_reads_a_single_choice_answer_by_id(fw):
    assert norm(fw, "commitment-coordination", "Cross-Department") == "cross-department"


# --- don't know and blanks ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw", ["dont_know", "don't know", "Don't know", "DON'T KNOW", "Don\u2019t know", "ne sait pas", "Je ne sais pas"]
)
@pytest.mark.parametrize(
    "question_id", ["commitment-strategy", "commitment-coordination", "commitment-visibility", "fact-population"]
)
def test_every_spelling_of_dont_know_is_stored_as_dont_know(fw, question_id, raw):
    assert norm(fw, question_id, raw) == DONT_KNOW


def test_a_text_question_keeps_dont_know_and_other_text_as_written(fw):
    assert norm(fw, "fact-largest-groups", "dont_know") == DONT_KNOW
    assert norm(fw, "fact-largest-groups", "  Polish (3.1%), Somali  ") == "Polish (3.1%), Somali"


@pytest.mark.parametrize("raw", [None, "", "   ", math.nan])
@pytest.mark.parametrize(
    "question_id", ["commitment-strategy", "commitment-visibility", "fact-population", "fact-largest-groups"]
)
def test_a_blank_answer_is_unanswered(fw, question_id, raw):
    assert norm(fw, question_id, raw) == ""


# --- multiple choice ----------------------------------------------------------------------------------------------


def test_multiple_choice_is_stored_in_framework_order(fw):
    assert norm(fw, "commitment-visibility", "events; website") == "website;events"


def test_an_option_chosen_twice_is_refused_so_that_it_never_earns_more(fw):
    assert "is chosen twice" in reason(fw, "commitment-visibility", "events; website; events")
    assert "is chosen twice" in reason(
        fw,
        "commitment-visibility",
        "events, Yearly public events that celebrate the city's diversity, such as a diversity week",
    )


def test_multiple_choice_accepts_commas_labels_and_lists(fw):
    assert norm(fw, "commitment-visibility", "events, Website") == "website;events"
    assert norm(fw, "commitment-visibility", ["award", "speeches"]) == "speeches;award"
    assert norm(fw, "commitment-visibility", "Aucune de ces actions", "fr") == "none"


def test_multiple_choice_matches_a_label_that_holds_a_comma(fw):
    events = fw.question("commitment-visibility").options[3].label["en"]
    assert "," in events
    assert norm(fw, "commitment-visibility", f"speeches, {events}") == "speeches;events"


def test_an_empty_multiple_choice_answer_is_unanswered(fw):
    assert norm(fw, "commitment-visibility", " ; ,") == ""


def test_multiple_choice_refuses_an_unknown_option(fw):
    assert reason(fw, "commitment-visibility", "website; radio").startswith("'radio' is not an option")


def test_dont_know_cannot_be_combined_with_options(fw):
    assert (
        reason(fw, "commitment-visibility", "website; dont_know") == "dont_know cannot be combined with other options"
    )


# --- numbers ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        (250000, "250000"),
        (250000.0, "250000"),
        (12.5, "12.5"),
        ("12.50", "12.5"),
        ("12,5", "12.5"),
        ("1 234 567", "1234567"),
        ("1\u00a0234,5", "1234.5"),
        ("1,234.5", "1234.5"),
        ("0", "0"),
        ("0.000", "0"),
    ],
)
def test_a_number_is_stored_without_trailing_zeros(fw, raw, stored):
    assert norm(fw, "fact-population", raw) == stored


def test_a_percentage_may_carry_a_percent_sign(fw):
    assert norm(fw, "fact-foreign-born", "17,5 %") == "17.5"


def test_a_percentage_above_100_is_refused(fw):
    assert reason(fw, "fact-foreign-born", 120) == "120 is above the maximum 100 (%)"


def test_a_number_below_its_minimum_is_refused_with_its_unit(fw):
    assert reason(fw, "fact-population", "-5") == "-5 is below the minimum 0 (inhabitants)"


def test_a_range_refusal_names_the_unit_in_the_page_language(fw):
    with pytest.raises(InvalidAnswer) as err:
        norm(fw, "fact-population", "-5", "fr")
    assert err.value.reason_in("fr") == "-5 est inférieur au minimum 0 (habitants)"


@pytest.mark.parametrize(
    "raw, typed_in, english, french",
    [
        ("1000.5", "en", "1,000.5 is above the maximum 100 (%)", "1\u00a0000,5 est supérieur au maximum 100 (%)"),
        ("1000,5", "fr", "1,000.5 is above the maximum 100 (%)", "1\u00a0000,5 est supérieur au maximum 100 (%)"),
        ("-0.25", "en", "-0.25 is below the minimum 0 (%)", "-0,25 est inférieur au minimum 0 (%)"),
    ],
)
def test_numbers_in_a_range_refusal_are_written_the_way_its_language_writes_them(fw, raw, typed_in, english, french):
    with pytest.raises(InvalidAnswer) as err:
        norm(fw, "fact-foreign-born", raw, typed_in)
    assert (err.value.reason, err.value.reason_in("en"), err.value.reason_in("fr")) == (english, english, french)


def test_a_decimal_limit_is_written_in_the_language_too():
    q = Question(id="n", type="number", text={"en": "N"}, min=0.5, max=12500.75)
    with pytest.raises(InvalidAnswer) as err:
        normalise_value(q, "20000", "fr")
    assert err.value.reason_in("fr") == "20\u00a0000 est supérieur au maximum 12\u00a0500,75"
    assert err.value.reason == "20,000 is above the maximum 12,500.75"


def test_a_unit_given_as_one_string_is_the_same_in_every_language():
    q = Question(id="n", type="number", text={"en": "N"}, unit="km")
    assert q.unit == {"en": "km"} and q.unit_in("fr") == "km" and q.unit_in("en") == "km"
    assert Question(id="p", type="percentage", text={"en": "P"}).unit_in("fr") == "%"


def test_the_range_bounds_are_allowed(fw):
    assert norm(fw, "fact-foreign-born", 100) == "100"
    assert norm(fw, "fact-foreign-born", 0) == "0"


@pytest.mark.parametrize("raw", ["abc", "12 abc", "inf", "--3", "1.2.3", "1,23,456"])
def test_text_is_not_a_number(fw, raw):
    assert reason(fw, "fact-population", raw) == f"{raw!r} is not a number"


def test_a_boolean_is_not_a_number(fw):
    assert reason(fw, "fact-population", True) == "True is not a number"


def test_an_infinite_number_is_refused(fw):
    assert "not a finite number" in reason(fw, "fact-population", math.inf)


def test_a_number_without_range_accepts_any_value():
    q = Question.model_validate({"id": "n", "type": "number", "text": {"en": "N"}})
    assert normalise_value(q, "-1234,25") == "-1234.25"


# --- applicability, required answers, progress --------------------------------------------------------------------


def test_the_action_plan_applies_only_when_there_is_a_strategy(fw):
    assert applicable(fw, {"commitment-strategy": "yes"})["commitment-action-plan"] is True
    assert applicable(fw, {"commitment-strategy": "partly"})["commitment-action-plan"] is True
    for value in ("no", DONT_KNOW, ""):
        assert applicable(fw, {"commitment-strategy": value})["commitment-action-plan"] is False
    assert applicable(fw, {})["commitment-action-plan"] is False


def test_applicability_covers_every_question_facts_included(fw):
    applies = applicable(fw, {})
    assert list(applies) == [q.id for q in fw.questions()]
    assert applies["fact-population"] is True
    assert applies["commitment-strategy"] is True


@pytest.fixture
def chained(tiny):
    """tiny with c3, which applies when c2 (itself depending on c1) is b or c."""
    fw = tiny.model_copy(deep=True)
    fw.area("commitment").questions.append(
        Question.model_validate(
            {
                "id": "c3",
                "type": "yes_partly_no",
                "text": {"en": "More?", "fr": "Plus ?"},
                "applies_if": {"question": "c2", "in": ["b", "c"]},
                "options": [
                    {"id": "yes", "label": {"en": "Yes", "fr": "Oui"}, "points": 1},
                    {"id": "partly", "label": {"en": "Partly", "fr": "En partie"}, "points": 0},
                    {"id": "no", "label": {"en": "No", "fr": "Non"}, "points": 0},
                ],
            }
        )
    )
    return fw


def test_a_question_does_not_apply_when_its_parent_does_not_apply(chained):
    assert applicable(chained, {"c1": "yes", "c2": "b"})["c3"] is True
    # c2 still holds "b", but c1 = no makes c2 not applicable, so c3 does not apply either
    assert applicable(chained, {"c1": "no", "c2": "b"})["c3"] is False
    assert applicable(chained, {"c1": "yes", "c2": "a"})["c3"] is False


def test_a_multiple_choice_parent_counts_when_one_chosen_option_is_listed(tiny):
    fw = tiny.model_copy(deep=True)
    fw.question("e1").applies_if = AppliesIf.model_validate({"question": "e2", "in": ["y"]})
    assert applicable(fw, {"e2": "x;y"})["e1"] is True
    assert applicable(fw, {"e2": "x;z"})["e1"] is False


def test_one_rule_opens_a_follow_up_for_every_caller(tiny):
    e2 = tiny.question("e2")  # multiple choice
    assert opens(e2, "x;y", ["y"]) and opens(e2, "y", ["y"]) and not opens(e2, "x;z", ["y"])
    assert not opens(e2, "dont_know", ["y"]) and not opens(e2, None, ["y"]) and not opens(e2, float("nan"), ["y"])
    c1 = tiny.question("c1")  # single choice: "a;b" is not an option id, so it opens nothing
    assert opens(c1, "yes", ["yes"]) and not opens(c1, "yes;partly", ["yes"]) and not opens(c1, "", ["yes"])


def test_missing_required_lists_applicable_unanswered_questions_in_order(fw):
    values = {q.id: "yes" for q in fw.questions() if q.type == "yes_partly_no"}
    values["commitment-strategy"] = "no"
    missing = missing_required(fw, values)
    assert "commitment-action-plan" not in missing  # does not apply
    assert "commitment-coordination" in missing
    assert "fact-population" not in missing  # facts are not required
    order = [q.id for q in fw.questions()]
    assert missing == sorted(missing, key=order.index)


def test_dont_know_counts_as_answered_for_required_questions(fw):
    values = {q.id: DONT_KNOW for q in fw.questions()}
    assert missing_required(fw, values) == []


def test_a_required_question_that_applies_is_missing_until_answered(fw):
    values = {q.id: DONT_KNOW for q in fw.questions()}
    values.update({"commitment-strategy": "yes", "commitment-action-plan": ""})
    assert missing_required(fw, values) == ["commitment-action-plan"]


def test_deprecated_questions_are_never_missing_nor_counted(tiny):
    fw = tiny.model_copy(deep=True)
    fw.question("p1").deprecated = True
    assert "p1" not in missing_required(fw, {})
    assert completion(fw, {})["participation"] == (0, 0)


def test_progress_counts_answered_and_applicable_questions_per_area_and_sub_area(tiny):
    values = {"fact-population": "120000", "c1": "no", "c2": "b", "e1": DONT_KNOW, "s1": "12"}
    assert completion(tiny, values) == {
        "all": (4, 7),
        "facts": (1, 1),
        "commitment": (1, 1),  # c2 does not apply: c1 is no
        "lens": (2, 4),
        "edu": (1, 2),
        "space": (1, 2),
        "participation": (0, 1),
    }


def test_progress_grows_when_the_strategy_opens_its_follow_up_questions(fw):
    before = completion(fw, {"commitment-strategy": "no"})["commitment"]
    after = completion(fw, {"commitment-strategy": "yes"})["commitment"]
    assert before == (1, 5)
    assert after == (1, 7)
    assert completion(fw, {})["all"][0] == 0
    assert completion(fw, {})["lens"][1] == sum(completion(fw, {})[s.id][1] for s in fw.area("lens").subareas)


def test_an_answer_value_defaults_to_no_evidence():
    assert AnswerValue("yes") == AnswerValue("yes", "", "")


def test_it_refuses_to_guess_whether_a_comma_separates_thousands():
    from icc.framework import load_shipped
    from icc.framework.answers import InvalidAnswer, normalise_value

    q = load_shipped("icc-2019").question("fact-population")
    with pytest.raises(InvalidAnswer, match="ambiguous: write 1234 "):
        normalise_value(q, "1,234")
    assert normalise_value(q, "1,5") == "1.5"
    assert normalise_value(q, "1 234 567") == "1234567"


# --- the one validator ----------------------------------------------------------------------------------------


def test_an_invalid_answer_keeps_its_old_form_and_names_its_field():
    error = InvalidAnswer("plain reason")
    assert (error.reason, error.field, error.code, str(error)) == ("plain reason", "value", "", "plain reason")
    assert error.reason_in("fr") == "plain reason"  # a reason without a code has no translation
    assert InvalidAnswer("x", field="evidence_links").field == "evidence_links"


def test_a_refusal_can_be_read_in_french(fw):
    with pytest.raises(InvalidAnswer) as err:
        norm(fw, "commitment-strategy", "peut-être", "fr")
    assert err.value.reason == "'peut-être' is not an option; choose one of: yes, partly, no, or dont_know"
    assert err.value.reason_in("fr") == (
        "'peut-être' n'est pas une option ; choisissez parmi : yes, partly, no, ou dont_know"
    )


def test_clean_answer_cleans_every_field(fw):
    from icc.framework.answers import clean_answer

    answer = clean_answer(
        fw.question("commitment-visibility"),
        ["Website", "events"],
        "  Annual report\x0b2023 ",
        "www.city.example/report\nHTTPS://City.example/a",
        "en",
    )
    assert answer == AnswerValue(
        "website;events", "Annual report\n2023", "https://www.city.example/report\nhttps://city.example/a"
    )


@pytest.mark.parametrize(
    ("value", "text", "links", "field"),
    [
        ("maybe", "", "", "value"),
        ("yes", "x" * 10_001, "", "evidence_text"),
        ("yes", "", "javascript:x", "evidence_links"),
    ],
)
def test_clean_answer_refuses_the_first_bad_field_and_names_it(fw, value, text, links, field):
    from icc.framework.answers import clean_answer

    with pytest.raises(InvalidAnswer) as err:
        clean_answer(fw.question("commitment-strategy"), value, text, links)
    assert err.value.field == field


def test_check_answer_lists_one_refusal_per_bad_field(fw):
    from icc.framework.answers import check_answer

    answer, refusals = check_answer(fw.question("commitment-strategy"), "maybe", "x" * 10_001, "nope")
    assert answer is None
    assert [r.field for r in refusals] == ["value", "evidence_text", "evidence_links"]


def test_a_text_answer_is_cleaned_and_limited_like_evidence(fw):
    assert norm(fw, "fact-largest-groups", " Polish\x00 (3%)\r\nSomali ") == "Polish (3%)\nSomali"
    with pytest.raises(InvalidAnswer) as err:
        norm(fw, "fact-largest-groups", "x" * 10_001)
    assert err.value.field == "value"


def test_a_text_answer_may_start_like_a_formula(fw):
    assert norm(fw, "fact-largest-groups", "=Polish, Somali") == "=Polish, Somali"


@pytest.mark.parametrize("raw", ["none; website", "Aucune de ces actions; events", ["none", "award", "website"]])
def test_none_of_these_cannot_be_combined_with_other_options(fw, raw):
    with pytest.raises(InvalidAnswer) as err:
        norm(fw, "commitment-visibility", raw, "fr")
    assert err.value.reason == ("“None of these” cannot be combined with other options: choose it alone, or untick it")
    assert err.value.code == "exclusive_combined"


def test_none_of_these_alone_is_an_answer(fw):
    assert norm(fw, "commitment-visibility", "None of these") == "none"


def test_the_exclusive_refusal_names_the_option_in_the_persons_language(fw):
    with pytest.raises(InvalidAnswer) as err:
        norm(fw, "education-intercultural-activities", "none;curriculum", "fr")
    assert err.value.reason_in("fr") == (
        "l'option « Aucune de ces activités » ne peut pas être combinée avec d'autres options : "
        "choisissez-la seule, ou décochez-la"
    )


def test_answers_to_inapplicable_lists_answered_questions_that_do_not_apply(fw):
    from icc.framework.answers import answers_to_inapplicable

    values = {"commitment-strategy": "no", "commitment-action-plan": "yes", "commitment-statement": "yes"}
    assert answers_to_inapplicable(fw, values) == ["commitment-action-plan"]
    assert answers_to_inapplicable(fw, values | {"commitment-strategy": "yes"}) == []
    assert answers_to_inapplicable(fw, {"commitment-action-plan": " "}) == []  # blank is no answer
    assert answers_to_inapplicable(fw, {"commitment-action-plan": DONT_KNOW}) == ["commitment-action-plan"]
