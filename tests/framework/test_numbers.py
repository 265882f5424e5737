"""Numbers as people type them: the decimal separator follows the person's language, a magnitude never changes."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from icc.framework import DONT_KNOW, load_shipped
from icc.framework.answers import (
    NUMBER_ABS_MAX,
    NUMBER_TEXT_MAX,
    InvalidAnswer,
    clean_answer,
    format_number,
    normalise_value,
)
from icc.framework.schema import Question

FREE = Question.model_validate({"id": "n", "type": "number", "text": {"en": "N"}})
"""A number question without a range."""


@pytest.fixture(scope="module")
def fw():
    return load_shipped("icc-2019")


def refused(raw, language="en", question=FREE):
    with pytest.raises(InvalidAnswer) as err:
        normalise_value(question, raw, language)
    assert err.value.field == "value"
    return err.value


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("5,5", "5.5"),
        ("13,5", "13.5"),
        ("1 234,5", "1234.5"),
        ("1\u202f234,5", "1234.5"),
        ("1,234", "1.234"),  # the French decimal comma
        ("5.5", "5.5"),  # a point is decimal too where it cannot group thousands
        ("0.123", "0.123"),
        ("1.234.567", "1234567"),
        ("1 234 567", "1234567"),
        ("1.234,5", "1234.5"),
        ("\u22125,5", "-5.5"),  # the typographic minus sign
    ],
)
def test_in_french_the_comma_is_the_decimal_separator(raw, stored):
    assert normalise_value(FREE, raw, "fr") == stored


def test_five_and_a_half_percent_in_french_is_stored_as_five_and_a_half(fw):
    assert normalise_value(fw.question("fact-foreign-born"), "5,5", "fr") == "5.5"
    assert normalise_value(fw.question("fact-foreign-born"), "13,5 %", "fr") == "13.5"


def test_in_french_a_point_before_three_digits_is_ambiguous_and_says_how_to_write_it():
    error = refused("1.234", "fr")
    assert error.reason_in("fr") == (
        "'1.234' est ambigu : écrivez 1234 (ou 1 234) pour un nombre entier, ou 1,234 pour un nombre décimal"
    )
    assert error.code == "ambiguous_number"


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("5.5", "5.5"),
        ("1.234", "1.234"),
        ("1,234,567", "1234567"),
        ("1,234.5", "1234.5"),
        ("1 234.5", "1234.5"),
        ("5,5", "5.5"),  # a comma that cannot group thousands is a decimal comma
        ("12,50", "12.5"),
        ("0,123", "0.123"),  # a group never starts with 0
    ],
)
def test_in_english_the_point_is_the_decimal_separator(raw, stored):
    assert normalise_value(FREE, raw, "en") == stored


def test_in_english_a_comma_before_three_digits_is_ambiguous_and_says_how_to_write_it():
    error = refused("1,234", "en")
    assert error.reason == "'1,234' is ambiguous: write 1234 (or 1 234) for a whole number, or 1.234 for a decimal one"
    assert refused("-12,345").reason.startswith("'-12,345' is ambiguous: write -12345 (or -12 345)")


@pytest.mark.parametrize("raw", ["12 5", "1 23", "1  234", "1 234 56"])
def test_a_space_groups_only_three_digits(raw):
    assert refused(raw).code == "not_a_number_spaces"


@pytest.mark.parametrize("raw", ["1,23,456", "1.2.3", "1,234.5.6", "1.23,5", "--3", "1..2", ",", "."])
def test_badly_grouped_numbers_are_refused(raw):
    assert refused(raw).reason == f"{raw!r} is not a number"


@pytest.mark.parametrize("raw", ["1e309", "1.5e6", "2E3"])
def test_an_exponent_is_refused_with_how_to_write_the_number(raw):
    assert "without an exponent" in refused(raw).reason


def test_a_five_thousand_digit_number_is_refused_with_its_length():
    error = refused("9" * 5000)
    assert error.reason == f"this number is 5,000 characters long; a number has at most {NUMBER_TEXT_MAX}"


def test_a_number_beyond_the_largest_magnitude_is_refused():
    assert "is too large" in refused("9" * 20).reason
    assert "is too large" in refused(10**400).reason
    assert "is too large" in refused(1e300).reason
    assert normalise_value(FREE, str(int(NUMBER_ABS_MAX))) == str(int(NUMBER_ABS_MAX))


@pytest.mark.parametrize("raw", [math.inf, -math.inf, float("inf")])
def test_a_non_finite_cell_is_refused(raw):
    assert refused(raw).code == "not_finite"


def test_a_formula_is_refused_with_how_to_answer():
    assert refused("=A1*2").reason == "'=A1*2' is a formula: type the value itself"


def test_a_number_cell_is_read_the_same_in_every_language():
    assert normalise_value(FREE, 1234.5, "fr") == normalise_value(FREE, 1234.5, "en") == "1234.5"


def test_clean_answer_applies_the_language_to_numbers(fw):
    assert clean_answer(fw.question("fact-foreign-born"), "5,5", language="fr").value == "5.5"


@settings(deadline=None)  # a busy machine must not make a correct test fail
@given(st.decimals(min_value=-(10**12), max_value=10**12, places=4, allow_nan=False, allow_infinity=False))
def test_a_number_written_the_french_way_reads_back_to_itself(number):
    whole, _, fraction = format_number(number).lstrip("-").partition(".")
    groups = []
    while len(whole) > 3:
        whole, groups = whole[:-3], [whole[-3:], *groups]
    typed = ("-" if number < 0 else "") + " ".join([whole, *groups]) + (f",{fraction}" if fraction else "")
    assert Decimal(normalise_value(FREE, typed, "fr")) == number


@settings(deadline=None)  # a busy machine must not make a correct test fail
@given(st.decimals(min_value=-(10**12), max_value=10**12, places=4, allow_nan=False, allow_infinity=False))
def test_a_number_written_the_english_way_reads_back_to_itself(number):
    typed = f"{number:,f}"
    assert Decimal(normalise_value(FREE, typed, "en")) == number


@settings(deadline=None)  # a busy machine must not make a correct test fail
@given(st.text(max_size=40), st.sampled_from(["en", "fr"]))
def test_any_text_is_a_number_or_a_refusal_never_another_error(raw, language):
    try:
        stored = normalise_value(FREE, raw, language)
    except InvalidAnswer:
        return
    assert stored in ("", DONT_KNOW) or Decimal(stored).is_finite()  # "don't know" typed in words is an answer
