"""Template tags of the learning network: form widgets tied to their help and error texts, and the links from a
city's profile (a results page) to its good practices and to matching — the one place the results pages read the
learning network, through the template engine, so that :mod:`icc.web.results` never imports it."""

from __future__ import annotations

from django import template
from django.db.models import Count
from django.utils.safestring import SafeString

from ..models import GoodPractice, PracticeArea

register = template.Library()


@register.simple_tag
def described_widget(field) -> SafeString:  # type: ignore[no-untyped-def]
    """A form field's widget whose ``aria-describedby`` names its help text and error (ids ``<id>-help`` and
    ``<id>-error`` as ``learning/_fields.html`` writes them), ``aria-invalid`` when it has an error."""
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}-help")
    attrs: dict[str, str] = {}
    if field.errors:
        ids.append(f"{field.auto_id}-error")
        attrs["aria-invalid"] = "true"
    if ids:
        attrs["aria-describedby"] = " ".join(ids)
    return field.as_widget(attrs=attrs)


@register.simple_tag
def published_practice_counts(city=None) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """Published good practices per Index area (of ``city`` when given, else of the network)."""
    rows = PracticeArea.objects.filter(practice__status=GoodPractice.Status.PUBLISHED)
    if city is not None:
        rows = rows.filter(practice__city=city)
    return dict(rows.values_list("area").annotate(n=Count("id")).values_list("area", "n"))


@register.filter
def count_of(counts: dict[str, int] | None, key: str) -> int:
    """``counts[key]``, 0 when absent."""
    return (counts or {}).get(key, 0)
