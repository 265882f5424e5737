"""Scatter plots of cities: a score against another variable (population, foreign-born share), and the core index
against the extended index."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ._common import (
    BASE,
    COUNT_FORMAT,
    HIGHLIGHT,
    base_spec,
    city_points_mark,
    city_tooltip,
    highlight_color,
    highlight_label,
    log_ticks,
    nominal,
    quantitative,
    score_channel,
    score_scale,
)
from ._data import highlighted, numeric, optional_text, records, require, text
from ._text import count, de, message, number

__all__ = ["core_vs_extended", "reference_label_position", "scatter"]

#: How far the key of the y = x line reaches across and up or down from its place (score points).
REFERENCE_LABEL_BOX = (42.0, 5.0)


# ---------------------------------------------------------------------------------------------------------------------
# a score against another variable
# ---------------------------------------------------------------------------------------------------------------------


def scatter(
    df: pd.DataFrame,
    *,
    x_field: str = "x",
    x_title: str,
    y_title: str = "Core index (%)",
    log_x: bool = False,
    title: str,
    highlight: str | None = None,
    group_title: str = "Group",
    city_title: str = "City",
    country_title: str = "Country",
    x_format: str | None = None,
    group_order: Sequence[str] | None = None,
    description: str | None = None,
    lang: str = "en",
    usermeta: Mapping[str, Any] | None = None,
    width: int = 640,
    height: int = 400,
) -> dict[str, Any]:
    """Cities as points: ``x_field`` across, score (0–100) up, coloured by ``group``.

    Parameters
    ----------
    df : DataFrame
        Columns ``city``, ``x_field`` (default ``x``), ``score``; optional ``group`` (colour) and ``country``.
        Rows without x or score are left out, and so are x ≤ 0 on a log scale.
    x_field : str
        The DataFrame column drawn across (stored as ``x`` in the spec's data).
    x_title, y_title, title, group_title, city_title, country_title : str
        Axis, chart, legend and tooltip titles.
    log_x : bool
        Log scale across (for population).
    highlight : str, optional
        The ``city`` value drawn larger, outlined and labelled.
    group_order : sequence of str, optional
        Order of the groups in the legend and colours; by default the categories of a categorical ``group``
        column, else alphabetical.
    x_format : str, optional
        d3-format of x in the axis and tooltip; default ``,.0f`` on a log scale (12,000; 12 000 in French),
        ``.1f`` otherwise.
    description, lang : str, optional
        Text alternative; by default built from the data in the language ``lang``: "en" or "fr" (others: English).
    usermeta : dict, optional
        Copied into the spec unchanged.
    width, height : int
        Image width; plot height.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"city": ["Oslo", "Bilbao"], "x": [700000, 345000], "score": [80.0, 75.5]})
    >>> spec = scatter(df, x_title="Population", log_x=True, title="Core index by population")
    >>> spec["layer"][0]["encoding"]["x"]["scale"]["type"]
    'log'
    """
    require(df, ["city", x_field, "score"], "scatter")
    d = df.copy()
    d["x"] = pd.to_numeric(d[x_field], errors="coerce").astype(float)
    d = numeric(d, "score").dropna(subset=["x", "score"])
    if log_x:
        d = d[d["x"] > 0]
    d["city"] = text(d, "city")
    cols = ["city", "x", "score"]
    has_group = optional_text(d, "group", cols)
    has_country = optional_text(d, "country", cols)
    d["highlight"] = highlighted(d, highlight)
    cols.append("highlight")
    values = records(d, cols)
    fmt = x_format or (COUNT_FORMAT if log_x else ".1f")
    if description is None:
        corr = ""
        if len(values) >= 2:
            with np.errstate(all="ignore"):
                r = float(np.corrcoef(np.log10(d["x"]) if log_x else d["x"], d["score"])[0, 1])
            if math.isfinite(r):
                corr = message(lang, "scatter_corr_log" if log_x else "scatter_corr", r=number(lang, r, 2))
        n = len(values)
        description = message(
            lang,
            "scatter",
            n=n,
            cities=count(lang, n, "city"),
            y_title=y_title,
            x_title=x_title,
            de_x_title=de(x_title),
            corr=corr,
        )
    spec = base_spec(title=title, description=description, usermeta=usermeta, width=width, height=height, lang=lang)
    x_axis: dict[str, Any] = {"format": fmt, "grid": True}
    if log_x:
        x_scale: dict[str, Any] = {"type": "log", "nice": False, "padding": 12}
        ticks = log_ticks(float(d["x"].min()), float(d["x"].max())) if len(d) else []
        if len(ticks) >= 2:
            x_axis["values"] = ticks
    else:
        x_scale = {"zero": False, "nice": True}
    x = {"field": "x", "type": "quantitative", "title": x_title, "scale": x_scale, "axis": x_axis}
    y = score_channel("score", y_title)
    tooltip = city_tooltip(city_title, country_title, has_country)
    tooltip += [quantitative("x", x_title, fmt if not log_x else ",.0f"), quantitative("score", y_title)]
    color: dict[str, Any] = {"value": BASE}
    if has_group:
        present = {v["group"] for v in values if v["group"]}
        if group_order is not None:
            order = [str(g) for g in group_order]
        elif isinstance(df["group"].dtype, pd.CategoricalDtype):
            order = [str(g) for g in df["group"].cat.categories]
        else:
            order = sorted(present)
        groups = [g for g in order if g in present] + sorted(present - set(order))
        tooltip.append(nominal("group", group_title))
        color = {
            "field": "group",
            "type": "nominal",
            "title": group_title,
            "sort": groups,
            "scale": {"scheme": "tableau10"},
            # one entry a line, at the right of the plot: the page draws it under the plot on a narrow screen (a
            # row of long band names would run past the edge), and no band name is cut
            "legend": {"orient": "right", "direction": "vertical", "labelLimit": 0},
        }
    spec["data"] = {"values": values}
    spec["layer"] = [{"mark": city_points_mark(), "encoding": {"x": x, "y": y, "color": color, "tooltip": tooltip}}]
    if any(v["highlight"] for v in values):
        spec["layer"] += [
            {
                "transform": [{"filter": "datum.highlight"}],
                "mark": {"type": "point", "size": 220, "strokeWidth": 2.5, "color": HIGHLIGHT, "opacity": 1},
                "encoding": {"x": x, "y": y, "tooltip": tooltip},
            },
            highlight_label(x, y, right_of=f"scale('x', datum.x) > {0.75 * width}", dx=10),
        ]
    return spec


# ---------------------------------------------------------------------------------------------------------------------
# core against extended index
# ---------------------------------------------------------------------------------------------------------------------


def reference_label_position(core: np.ndarray, extended: np.ndarray) -> tuple[float, float]:
    """Where the key of the y = x line goes (core, extended of its left end): the upper-left corner of the plot, or
    the lower-right one when cities stand in the upper-left one (its box: :data:`REFERENCE_LABEL_BOX` points
    across and up from the corner), the one with fewer cities when both have some. The diagonal itself runs
    through the cities, so no place along it stays clear.

    >>> reference_label_position(np.array([20.0, 60.0]), np.array([25.0, 62.0]))
    (2.0, 96.0)
    >>> reference_label_position(np.array([10.0, 30.0]), np.array([95.0, 97.0]))
    (56.0, 6.0)
    """
    across, up = REFERENCE_LABEL_BOX
    corners = [(2.0, 96.0), (56.0, 6.0)]

    def inside(x: float, y: float) -> int:
        return int(((core >= x - 2) & (core <= x + across) & (extended >= y - up) & (extended <= y + up)).sum())

    return min(corners, key=lambda corner: inside(*corner))


def core_vs_extended(
    df: pd.DataFrame,
    *,
    title: str,
    x_title: str = "Core index (%)",
    y_title: str = "Extended index (%)",
    city_title: str = "City",
    country_title: str = "Country",
    difference_title: str = "Extended − core (points)",
    reference_label: str | None = None,
    highlight: str | None = None,
    description: str | None = None,
    lang: str = "en",
    usermeta: Mapping[str, Any] | None = None,
    width: int = 520,
    height: int = 420,
) -> dict[str, Any]:
    """Cities as points, core index across and extended index up, with the line y = x for reference.

    Parameters
    ----------
    df : DataFrame
        Columns ``city``, ``index_core``, ``index_extended``; optional ``country``.
    title, x_title, y_title, city_title, country_title, difference_title : str
        Chart, axis and tooltip titles.
    reference_label : str, optional
        Label of the y = x line, in a corner where no city is (:func:`reference_label_position`); by default
        "extended = core" in the language ``lang``.
    highlight : str, optional
        The ``city`` value drawn in a contrasting colour and labelled.
    description, lang : str, optional
        Text alternative; by default built from the data in the language ``lang``: "en" or "fr" (others: English).
    usermeta : dict, optional
        Copied into the spec unchanged.
    width, height : int
        Image width; plot height.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"city": ["Oslo", "Lublin"], "index_core": [80.0, 60.0], "index_extended": [82.0, 55.0]})
    >>> core_vs_extended(df, title="Core and extended")["description"]
    'Scatter plot of the core index against the extended index of 2 cities; 1 score higher on the extended index.'
    """
    require(df, ["city", "index_core", "index_extended"], "core_vs_extended")
    d = numeric(df, "index_core", "index_extended").dropna(subset=["index_core", "index_extended"])
    d["city"] = text(d, "city")
    d["difference"] = d["index_extended"] - d["index_core"]
    d["highlight"] = highlighted(d, highlight)
    cols = ["city", "index_core", "index_extended", "difference", "highlight"]
    has_country = optional_text(d, "country", cols, at=1)
    values = records(d, cols)
    if description is None:
        n, higher = len(values), int((d["difference"] > 0).sum())
        counts = {
            "n": n,
            "cities": count(lang, n, "city"),
            "higher": higher,
            "higher_cities": count(lang, higher, "city"),
        }
        description = message(lang, "core_vs_extended", **counts)
    spec = base_spec(title=title, description=description, usermeta=usermeta, width=width, height=height, lang=lang)
    # the key of the y = x line (a short dashed stroke and its label) in a corner where no city is, over the points
    at_x, at_y = reference_label_position(d["index_core"].to_numpy(float), d["index_extended"].to_numpy(float))
    dash = {"type": "rule", "color": "#999999", "strokeDash": [5, 4], "strokeWidth": 1}
    # drawn once, not once per city (the layers would inherit the cities' data)
    one: dict[str, list[dict]] = {"values": [{}]}
    key = [
        {
            "data": one,
            "mark": dash,
            "encoding": {
                "x": {"datum": at_x, "type": "quantitative"},
                "y": {"datum": at_y, "type": "quantitative"},
                "x2": {"datum": at_x + 6},
                "y2": {"datum": at_y},
            },
        },
        {
            "data": one,
            "mark": {"type": "text", "color": "#555555", "align": "left", "baseline": "middle", "dx": 4},
            "encoding": {
                "x": {"datum": at_x + 6, "type": "quantitative"},
                "y": {"datum": at_y, "type": "quantitative"},
                "text": {"value": reference_label or message(lang, "core_extended_reference")},
            },
        },
    ]
    x = score_channel("index_core", x_title)
    y = score_channel("index_extended", y_title)
    tooltip = city_tooltip(city_title, country_title, has_country)
    tooltip += [
        quantitative("index_core", x_title),
        quantitative("index_extended", y_title),
        quantitative("difference", difference_title, "+.1f"),
    ]
    spec["data"] = {"values": values}
    spec["layer"] = [
        {
            "data": one,
            "mark": {"type": "rule", "color": "#999999", "strokeDash": [5, 4], "strokeWidth": 1},
            "encoding": {
                "x": {"datum": 0, "type": "quantitative", "scale": score_scale(), "title": x_title},
                "y": {"datum": 0, "type": "quantitative", "scale": score_scale(), "title": y_title},
                "x2": {"datum": 100},
                "y2": {"datum": 100},
            },
        },
        {
            "mark": city_points_mark(),
            "encoding": {"x": x, "y": y, "tooltip": tooltip, "color": highlight_color(BASE)},
        },
        *key,
    ]
    if any(v["highlight"] for v in values):
        spec["layer"].append(highlight_label(x, y, right_of="datum.index_core > 75", dx=8))
    return spec
