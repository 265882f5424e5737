"""Building blocks shared by the chart modules of :mod:`icc.charts`: the spec's frame (schema, title, description,
usermeta, size, config), colours, score scales and axes, tooltips, highlight conditions, area-label rows and the
layers that several charts draw alike (value labels at the end of bars, city points, the highlighted city's name).

Every function returns a new dict, so that no two specs share a mutable part by accident.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from ._data import text, unique
from ._text import number_locale

SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"

#: Colours (colour-blind-safe Tableau 10 tones plus greys).
BASE = "#4c78a8"
HIGHLIGHT = "#e45756"
ACCENT = "#f58518"
DARK = "#333333"
LAND = "#e6e6e6"
BORDER = "#ffffff"

#: Prefix of sub-area labels: a zero-width space (so that the text is not trimmed), two em spaces and a middle dot.
SUBAREA_PREFIX = "\u200b\u2003\u2003· "

SCORE_FORMAT = ".1f"
#: Large counts (population) in full with thousands separators: "10,000" and "1,000,000" in English, "10 000" in
#: French (an abbreviation such as "10k" or "1M" does not read in every language).
COUNT_FORMAT = ",.0f"
SCORE_DOMAIN = [0, 100]


# ---------------------------------------------------------------------------------------------------------------------
# text
# ---------------------------------------------------------------------------------------------------------------------


def lit(value: Any) -> str:
    """A Vega expression literal (JSON is valid expression syntax)."""
    return json.dumps(value, ensure_ascii=False)


# ---------------------------------------------------------------------------------------------------------------------
# the spec
# ---------------------------------------------------------------------------------------------------------------------


def base_spec(
    *,
    title: str,
    description: str,
    usermeta: Mapping[str, Any] | None,
    width: int,
    height: int | None = None,
    lang: str = "en",
) -> dict[str, Any]:
    """The top level of every chart: schema, title, description, usermeta, size (autosize ``fit-x``) and config,
    with the number format of ``lang`` (``config.locale``: 98,5 and 1 000 000 in French) where it is not English.

    >>> spec = base_spec(title="T", description="", usermeta=None, width=640, lang="fr")
    >>> spec["config"]["locale"]["number"]["decimal"]
    ','
    """
    spec: dict[str, Any] = {
        "$schema": SCHEMA,
        "title": {"text": title, "anchor": "start", "fontSize": 15, "offset": 10},
        "description": description,
        "usermeta": dict(usermeta) if usermeta is not None else {},
        "width": int(width),
        "autosize": {"type": "fit-x", "contains": "padding"},
        "padding": 8,
        "background": "white",
        "config": {
            "view": {"stroke": None},
            "axis": {"labelFontSize": 11, "titleFontSize": 12},
            "legend": {"labelFontSize": 11, "titleFontSize": 12},
        },
    }
    locale = number_locale(lang)
    if locale is not None:
        spec["config"]["locale"] = {"number": locale}
    if height is not None:
        spec["height"] = int(height)
    return spec


#: The colour of the demo-data note under a chart's title (dark amber, readable on white).
DEMO_NOTE_COLOR = "#8a5a00"


def mark_demo(spec: dict[str, Any], note: str) -> dict[str, Any]:
    """``spec`` marked as drawn from demo data: ``note`` as the title's subtitle (so every rendering — page, embed,
    PNG, SVG — shows it) and at the start of the text alternative.

    >>> spec = mark_demo(base_spec(title="Ranking", description="Bar chart.", usermeta=None, width=640), "Demo")
    >>> spec["title"]["subtitle"], spec["description"]
    ('Demo', 'Demo. Bar chart.')
    """
    title = spec.get("title")
    spec["title"] = {**(title if isinstance(title, dict) else {"text": title or ""}), "subtitle": note}
    spec["title"].update({"subtitleColor": DEMO_NOTE_COLOR, "subtitleFontSize": 12, "subtitleFontWeight": "bold"})
    description = spec.get("description") or ""
    if not description.startswith(note):
        stop = "" if note.rstrip().endswith((".", "!", "?", "…")) else "."  # two sentences, not one run-on
        spec["description"] = f"{note}{stop} {description}".strip() if description else note
    spec.setdefault("usermeta", {})["is_demo"] = True
    return spec


def rows_height(n_rows: int, row_height: int) -> int:
    """The plot height of a chart with one band per row (one band at least, so that an empty chart still shows)."""
    return max(1, n_rows) * row_height


# ---------------------------------------------------------------------------------------------------------------------
# scales, axes, encodings
# ---------------------------------------------------------------------------------------------------------------------


def log_ticks(lo: float, hi: float, *, max_ticks: int = 10) -> list[float]:
    """Round values (1, 2, 5 × 10^k, or only 10^k when that would be too many) from ``lo`` to ``hi``.

    >>> log_ticks(30000, 2500000)
    [50000.0, 100000.0, 200000.0, 500000.0, 1000000.0, 2000000.0]
    """
    if not (lo > 0 and hi >= lo):
        return []
    for mantissas in ((1, 2, 5), (1, 3), (1,)):
        ticks = [
            float(m * 10.0**k)
            for k in range(math.floor(math.log10(lo)), math.ceil(math.log10(hi)) + 1)
            for m in mantissas
        ]
        ticks = [t for t in ticks if lo * (1 - 1e-9) <= t <= hi * (1 + 1e-9)]
        if len(ticks) <= max_ticks:
            break
    return ticks


def score_axis(title: str, **extra: Any) -> dict[str, Any]:
    return {"title": title, "values": [0, 20, 40, 60, 80, 100], "grid": True, **extra}


def score_scale() -> dict[str, Any]:
    return {"domain": list(SCORE_DOMAIN), "nice": False, "clamp": True}


def score_channel(field: str, title: str) -> dict[str, Any]:
    """A positional encoding of a score (0–100) with a titled score axis."""
    return {"field": field, "type": "quantitative", "title": title, "scale": score_scale(), "axis": score_axis(title)}


def condition(test: str, then: Any, otherwise: Any) -> dict[str, Any]:
    """A conditional value: ``then`` where the Vega expression ``test`` holds, else ``otherwise``."""
    return {"condition": {"test": test, "value": then}, "value": otherwise}


def highlight_color(otherwise: str) -> dict[str, Any]:
    """The highlight colour for rows with ``datum.highlight``, ``otherwise`` for the others."""
    return condition("datum.highlight", HIGHLIGHT, otherwise)


# ---------------------------------------------------------------------------------------------------------------------
# tooltips
# ---------------------------------------------------------------------------------------------------------------------


def nominal(field: str, title: str | None) -> dict[str, Any]:
    """A nominal tooltip entry."""
    return {"field": field, "type": "nominal", "title": title}


def quantitative(field: str, title: str | None, fmt: str = SCORE_FORMAT) -> dict[str, Any]:
    """A quantitative tooltip entry, formatted as a score (one decimal) unless ``fmt`` says otherwise."""
    return {"field": field, "type": "quantitative", "title": title, "format": fmt}


def city_tooltip(city_title: str, country_title: str, with_country: bool) -> list[dict[str, Any]]:
    """The first tooltip entries of a chart of cities: the city, then its country if the data has one."""
    tooltip = [nominal("city", city_title)]
    if with_country:
        tooltip.append(nominal("country", country_title))
    return tooltip


# ---------------------------------------------------------------------------------------------------------------------
# layers drawn alike by several charts
# ---------------------------------------------------------------------------------------------------------------------


def value_labels(
    field: str, fmt: str, font_size: int, *, mark_color: str | None = None, color: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """A layer writing ``field`` just past the end of each horizontal bar, in the fixed ``mark_color`` or with the
    ``color`` encoding."""
    mark: dict[str, Any] = {"type": "text", "align": "left", "baseline": "middle", "dx": 3}
    if mark_color is not None:
        mark["color"] = mark_color
    mark["fontSize"] = font_size
    encoding: dict[str, Any] = {"text": {"field": field, "type": "quantitative", "format": fmt}}
    if color is not None:
        encoding["color"] = dict(color)
    return {"mark": mark, "encoding": encoding}


def city_points_mark() -> dict[str, Any]:
    """The mark of the cities of a scatter plot: translucent circles with a white outline."""
    return {"type": "circle", "size": 60, "opacity": 0.8, "stroke": "white", "strokeWidth": 0.5}


def highlight_label(x: Mapping[str, Any], y: Mapping[str, Any], *, right_of: str, dx: int) -> dict[str, Any]:
    """A layer writing the highlighted city's name in bold next to its point: on the left where the Vega expression
    ``right_of`` holds (near the right edge), else on the right, ``dx`` pixels away."""
    return {
        "transform": [{"filter": "datum.highlight"}],
        "mark": {
            "type": "text",
            "align": {"expr": f"{right_of} ? 'right' : 'left'"},
            "dx": {"expr": f"{right_of} ? -{dx} : {dx}"},
            "dy": -8,
            "fontWeight": "bold",
            "color": HIGHLIGHT,
        },
        "encoding": {"x": x, "y": y, "text": {"field": "city", "type": "nominal"}},
    }


# ---------------------------------------------------------------------------------------------------------------------
# rows of areas and sub-areas
# ---------------------------------------------------------------------------------------------------------------------


def item_labels(df: pd.DataFrame) -> list[str]:
    """Area labels in the DataFrame's order; sub-areas (``level == 'subarea'``) are indented with
    :data:`SUBAREA_PREFIX`."""
    labels = text(df, "item_label").str.strip()
    if "level" in df.columns:
        sub = df["level"].astype(str).eq("subarea").to_numpy()
        labels = pd.Series(
            [SUBAREA_PREFIX + lab if s else lab for lab, s in zip(labels, sub, strict=True)], index=df.index
        )
    return unique(list(labels))


#: An area label longer than this many characters is written on two lines (:func:`two_lines`).
WRAP_CHARS = 30


def two_lines(label: str, chars: int = WRAP_CHARS) -> list[str]:
    """``label`` on two lines cut at the space nearest its middle when it is longer than ``chars`` characters
    (a sub-area's indent, :data:`SUBAREA_PREFIX`, starts both lines), else on one.

    >>> two_lines("Intercultural intelligence and competence")
    ['Intercultural intelligence', 'and competence']
    >>> two_lines("Education")
    ['Education']
    """
    indent = SUBAREA_PREFIX if label.startswith(SUBAREA_PREFIX) else ""
    body = label[len(indent) :]
    if len(body) <= chars or " " not in body:
        return [label]
    spaces = [i for i, c in enumerate(body) if c == " "]
    cut = min(spaces, key=lambda i: abs(i - len(body) / 2))
    # a sub-area's second line starts under its first word (the indent without the middle dot)
    return [indent + body[:cut], ("\u200b\u2003\u2003\u2003" if indent else "") + body[cut + 1 :]]


def area_y(labels: Sequence[str], label_width: int, title: str | None) -> dict[str, Any]:
    """A y encoding of area labels in the given order, left-aligned in a column ``label_width`` px wide
    (so the sub-area indent is visible), areas in bold; a long label on two lines (:func:`two_lines`), so that
    it is not cut where the column is narrow (a phone)."""
    wrapped = {label: lines for label in labels if len(lines := two_lines(label)) > 1}
    label_expr = f"{lit(wrapped)}[datum.value] || datum.value" if wrapped else None
    return {
        "field": "label",
        "type": "nominal",
        "sort": list(labels),
        "title": title,
        "axis": {
            "labelAlign": "left",
            "labelPadding": label_width,
            "labelLimit": label_width - 6,
            "ticks": False,
            "domain": False,
            "labelFontSize": 11,
            "labelFontWeight": condition(f"indexof(datum.value, {lit(SUBAREA_PREFIX)}) !== 0", "bold", "normal"),
            **({"labelExpr": label_expr, "labelLineHeight": 11} if label_expr else {}),
        },
    }
