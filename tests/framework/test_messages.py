"""The message catalogue: every sentence in English and French, with the same blanks to fill."""

from __future__ import annotations

import string

import pytest

from icc.framework.messages import LANGUAGES, MESSAGES, message


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_every_message_is_in_every_language_with_the_same_params(code):
    assert set(MESSAGES[code]) == set(LANGUAGES)
    assert _fields(MESSAGES[code]["en"]) == _fields(MESSAGES[code]["fr"])
    assert MESSAGES[code]["en"] != MESSAGES[code]["fr"]


def test_a_translated_param_is_written_in_the_language():
    params = {"option": {"en": "None of these", "fr": "Aucune de ces actions"}, "id": "none"}
    assert message("exclusive_combined", "fr", params).startswith("l'option « Aucune de ces actions » ne peut")
    assert message("exclusive_combined", "en", params).startswith("“None of these” cannot")


def test_numbers_are_grouped_the_way_the_language_writes_them():
    assert message("too_many_links", "en", {"count": 12345, "limit": 20}).startswith("12,345 links")
    assert message("too_many_links", "fr", {"count": 12345, "limit": 20}).startswith("12 345 liens")


def test_an_unknown_language_gets_english():
    assert message("sheet_empty", "de") == MESSAGES["sheet_empty"]["en"]
