"""Small display helpers: percentages, accessible score bars, ordinals in the page language."""

from __future__ import annotations

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from icc.engine import published

register = template.Library()


@register.filter
def pct(value: float | None) -> str:
    """``72.456`` → ``"72.5%"`` (``"72,5 %"`` in French); ``–`` when missing. Rounded as published and ranked
    (:func:`icc.engine.published`: half away from zero, so 76.25 → 76.3)."""
    if value is None:
        return "–"
    text = number_format(published(float(value)), 1)
    return f"{text} %" if (get_language() or "en").startswith("fr") else f"{text}%"


@register.filter
def grouped(value: object) -> str:
    """A number to read (not to type back) in the page language, thousands grouped: ``50000000`` →
    ``50,000,000`` (``50 000 000`` in French), ``12.5`` → ``12,5`` in French; non-numbers unchanged."""
    from decimal import Decimal, InvalidOperation

    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    if not number.is_finite():
        return str(value)
    if number == number.to_integral_value():
        number = number.quantize(Decimal(1))
    return number_format(number, force_grouping=True)


@register.filter
def nth(value: int | None) -> str:
    """Rank as an ordinal in the page language: 1st/2nd/3rd/4th, 1er/2e."""
    if value is None:
        return "–"
    n = int(value)
    if (get_language() or "en").startswith("fr"):
        return "1er" if n == 1 else f"{n}e"
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


@register.filter
def get(mapping: dict, key: str) -> str:
    return mapping.get(key, key) if mapping else key


@register.simple_tag
def bar(value: float | None, mark: float | None = None) -> str:
    """A horizontal bar for a 0–100 score with its number as text (and an optional reference mark)."""
    if value is None:
        return format_html('<span class="muted">–</span>')
    width = max(0.0, min(100.0, float(value)))
    marker = ""
    if mark is not None:
        marker = format_html('<span class="mark" style="left:{}%"></span>', f"{max(0.0, min(100.0, float(mark))):.1f}")
    return format_html(
        '<span class="score"><span class="bar" aria-hidden="true"><span class="fill" style="width:{}%">'
        '</span>{}</span><span class="num">{}</span></span>',
        f"{width:.1f}",
        marker,
        pct(value),
    )


@register.filter
def country(code: str) -> str:
    """A country's name from its ISO code, in the page language."""
    from icc.data.members import localized_country_name

    return localized_country_name(code, (get_language() or "en")[:2])


@register.filter
def city_name(city) -> str:
    """A member city's name in the page language ("Genève" on a French page, "Geneva" in English)."""
    from icc.data.members import localized_city_name

    return localized_city_name(city.slug, city.name, (get_language() or "en")[:2])


@register.filter
def to_json(value: object) -> str:
    """A value as JSON for a data attribute (escaped by the template engine)."""
    import json

    return json.dumps(value)


@register.filter
def unlocalize_num(value: float | None) -> str:
    """A number for an HTML attribute or a range: ``100.0`` → ``100``, never localised."""
    if value is None:
        return ""
    return f"{float(value):g}"


@register.filter
def cell(value: object) -> str:
    """A table cell: numbers with at most one decimal (localised), nothing for a missing value."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return number_format(round(float(value), 1), 1 if not float(value).is_integer() else 0)
    return str(value)


# The column names of chart data (as in the CSV/XLSX downloads), as table headers in the page language.
COLUMN_LABELS = {
    "city": _("City"),
    "name": _("City"),
    "city_name": _("City"),
    "country": _("Country"),
    "n": _("Cities"),
    "value": _("Value"),
    "latitude": _("Latitude"),
    "longitude": _("Longitude"),
    "score": _("Score (%)"),
    "label": _("Label"),
    "item": _("Id"),
    "item_label": _("Area"),
    "level": _("Level"),
    "mean": _("Average (%)"),
    "best": _("Best (%)"),
    "city_score": _("City score (%)"),
    "peer_mean": _("Peer group average (%)"),
    "peer_max": _("Peer group best (%)"),
    "sample_mean": _("All cities average (%)"),
    "rank": _("Rank"),
    "sample_size": _("Cities ranked"),
    "size_group": _("Size group"),
    "diversity_group": _("Diversity group"),
    "population": _("Population"),
    "foreign_born": _("Foreign-born residents (%)"),
    "year": _("Edition"),
    "framework": _("Framework"),
    "framework_version": _("Framework version"),
    "source": _("Source"),
    "source_url": _("Source address"),
    "x": _("Horizontal axis value"),
    "group": _("Group"),
    "index_core": _("Core index (%)"),
    "index_extended": _("Extended index (%)"),
}


@register.filter
def column_label(name: str) -> str:
    """The header of a chart data column (its machine name when there is no label: the downloads use those)."""
    return str(COLUMN_LABELS.get(name, name))


# Codes in chart data that a reader of the page should see as words (downloads keep the codes).
CODE_LABELS = {
    ("source", "computed"): _("computed by the platform"),
    ("source", "published"): _("published historical result"),
    ("framework", "published"): _("published result (before the platform)"),
    ("level", "area"): _("area"),
    ("level", "subarea"): _("sub-area"),
    ("level", "index"): _("index"),
}


@register.filter
def code_label(value: object, column: str) -> str:
    """A table cell of column ``column``: known codes as words in the page language, other values as ``cell``."""
    label = CODE_LABELS.get((column, value)) if isinstance(value, str) else None
    return str(label) if label is not None else cell(value)


_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag
def chart_spec(spec: dict, element_id: str, target: str, failed: str = "") -> str:
    """A chart's spec as ``<script type="application/json">`` for ``static/icc/charts.js``, which draws it into the
    element ``#target`` at that element's width (``failed``: the text shown if it cannot be drawn)."""
    import json

    from django.core.serializers.json import DjangoJSONEncoder
    from django.utils.safestring import mark_safe

    data = json.dumps(spec, cls=DjangoJSONEncoder).translate(_JSON_SCRIPT_ESCAPES)
    return format_html(
        '<script id="{}" type="application/json" data-chart-for="{}" data-failed="{}">{}</script>',
        element_id,
        target,
        failed,
        mark_safe(data),  # noqa: S308 - escaped above as Django's json_script does
    )
