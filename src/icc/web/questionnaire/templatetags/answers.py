"""Template filters of the questionnaire pages."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language

register = template.Library()

DECIMAL_COMMA = frozenset({"fr"})
"""Languages whose pages write (and whose readers type) a decimal comma."""


@register.filter
def localize_answer(value) -> str:
    """A stored number as the page's language writes it, without grouping (so it reads back the same):
    ``12.5`` → ``12,5`` in French."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        text = value
    else:
        from icc.framework.answers import format_number

        text = format_number(value)  # plain digits: 50000000, never 5e+07
    return text.replace(".", ",") if (get_language() or "en")[:2] in DECIMAL_COMMA else text
