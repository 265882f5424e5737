"""Charts with one row per area (sub-areas indented under their area): a city against its peer group, and the
average and best score of all cities.

Both draw a bar and one or more markers per row, each mark named in a legend at the top; their frame is built by
:func:`_area_rows`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

import pandas as pd

from ._common import (
    ACCENT,
    BASE,
    DARK,
    area_y,
    base_spec,
    item_labels,
    nominal,
    quantitative,
    rows_height,
    score_axis,
    score_scale,
)
from ._data import numeric, optional_text, records, require, text
from ._text import count, highest_lowest, message, possessive

__all__ = ["area_averages", "city_vs_peers"]


class _Mark(NamedTuple):
    """One mark drawn in every row: its legend label, data field, Vega-Lite mark, colour and legend symbol."""

    label: str
    field: str
    mark: dict[str, Any]
    colour: str
    symbol: str


def _bar(label: str, field: str) -> _Mark:
    return _Mark(label, field, {"type": "bar", "height": {"band": 0.65}}, BASE, "square")


def _diamond(label: str, field: str) -> _Mark:
    mark = {"type": "point", "filled": True, "size": 70, "opacity": 1, "stroke": "white", "strokeWidth": 0.8}
    return _Mark(label, field, mark, ACCENT, "diamond")


def _legend(title: str | None, **extra: Any) -> dict[str, Any]:
    return {"title": title, "orient": "top", "direction": "horizontal", **extra}


def _area_frame(df: pd.DataFrame, scores: Sequence[str], chart: str) -> pd.DataFrame:
    """A copy of ``df`` with the ``scores`` as float, ``item_label`` as text and the axis ``label`` (sub-areas
    indented, duplicates made distinct)."""
    require(df, ["item_label", *scores], chart)
    d = numeric(df, *scores)
    d["label"] = item_labels(d)
    d["item_label"] = text(d, "item_label")
    return d


def _area_rows(
    spec: dict[str, Any],
    values: list[dict[str, Any]],
    marks: Sequence[_Mark],
    *,
    legends: tuple[dict[str, Any], dict[str, Any]],
    tooltip: list[dict[str, Any]],
    x_title: str,
    y_title: str | None,
    label_width: int,
) -> dict[str, Any]:
    """``spec`` (from :func:`base_spec`) with one row per value (labelled by its ``label``) and one layer per mark,
    on a score axis. The colour and shape scales only serve the legend (``legends``: of the colour, of the shape),
    which names every mark with its symbol. Only the point marks carry the shape channel (bars and ticks have no
    shape: Vega-Lite would drop it with a console warning); the shape scale's domain still lists every mark, so the
    legend shows them all."""
    color_legend, shape_legend = legends
    domain = [m.label for m in marks]
    color = {"scale": {"domain": domain, "range": [m.colour for m in marks]}, "legend": color_legend}
    shape = {"scale": {"domain": domain, "range": [m.symbol for m in marks]}, "legend": shape_legend}
    x = {"type": "quantitative", "scale": score_scale(), "axis": score_axis(x_title), "title": x_title}
    spec["data"] = {"values": values}
    spec["encoding"] = {"y": area_y([v["label"] for v in values], label_width, y_title), "tooltip": tooltip}
    spec["layer"] = [
        {
            "mark": m.mark,
            "encoding": {
                "x": {"field": m.field, **x},
                "color": {"datum": m.label, **color},
                **({"shape": {"datum": m.label, **shape}} if m.mark["type"] == "point" else {}),
            },
        }
        for m in marks
    ]
    return spec


def _extremes(values: list[dict[str, Any]], score: str, lang: str) -> str:
    """The areas with the highest and the lowest ``score`` (all rows must have one), for a description."""
    hi = max(values, key=lambda v: v[score])
    lo = min(values, key=lambda v: v[score])
    return highest_lowest(lang, hi, lo, "item_label", score)


# ---------------------------------------------------------------------------------------------------------------------
# a city against its peer group
# ---------------------------------------------------------------------------------------------------------------------


def _describe_peers(values: list[dict[str, Any]], city: str, lang: str) -> str:
    """The default description of :func:`city_vs_peers`: in how many areas the city beats its peers' mean, and its
    best and worst area (sub-areas left out)."""
    of_city = possessive(lang, city)
    areas = [v for v in values if v["level"] != "subarea" and v["city_score"] is not None]
    if not areas:
        return message(lang, "peers_empty", of_city=of_city)
    above = sum(1 for v in areas if v["peer_mean"] is not None and v["city_score"] > v["peer_mean"])
    with_mean = sum(1 for v in areas if v["peer_mean"] is not None)
    return message(
        lang,
        "peers",
        of_city=of_city,
        n=len(areas),
        areas=count(lang, len(areas), "area"),
        above=above,
        above_areas=count(lang, above, "area"),
        with_mean=with_mean,
        extremes=_extremes(areas, "city_score", lang),
    )


def city_vs_peers(
    df: pd.DataFrame,
    *,
    city: str,
    title: str,
    x_title: str = "Score (%)",
    city_label: str | None = None,
    peer_mean_label: str = "Peer-group mean",
    peer_max_label: str = "Peer-group best",
    sample_mean_label: str = "Mean of all cities",
    area_title: str = "Area",
    legend_title: str | None = None,
    y_title: str | None = None,
    description: str | None = None,
    lang: str = "en",
    usermeta: Mapping[str, Any] | None = None,
    width: int = 640,
    bar_height: int = 20,
    label_width: int = 250,
) -> dict[str, Any]:
    """One row per area: a bar for the city's score, a tick for its peer group's mean, a diamond for the best
    peer.

    Parameters
    ----------
    df : DataFrame
        Columns ``item_label``, ``level`` (``'area'`` or ``'subarea'``), ``city_score``, ``peer_mean``,
        ``peer_max``, ``sample_mean``. Rows are drawn in the DataFrame's order; sub-areas are indented with
        :data:`SUBAREA_PREFIX` and areas are in bold.
    city : str
        The city's name (legend label of the bars unless ``city_label`` is given).
    title, x_title, y_title : str
        Chart and axis titles.
    city_label, peer_mean_label, peer_max_label : str
        Legend labels of the three marks (also tooltip titles).
    sample_mean_label, area_title : str
        Tooltip titles of the all-city mean and of the area label.
    legend_title : str, optional
        Title over the legend (none by default).
    description, lang : str, optional
        Text alternative; by default built from the data in the language ``lang``: "en" or "fr" (others: English).
    usermeta : dict, optional
        Copied into the spec unchanged.
    width, bar_height, label_width : int
        Image width, height of one row, width of the area label column (labels are left-aligned in it).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"item_label": ["Education", "School"], "level": ["area", "subarea"],
    ...                    "city_score": [80.0, 75.0], "peer_mean": [60.0, 55.0], "peer_max": [95.0, 90.0],
    ...                    "sample_mean": [58.0, 50.0]})
    >>> spec = city_vs_peers(df, city="Oslo", title="Oslo against its peers")
    >>> [v["label"].endswith("· School") for v in spec["data"]["values"]]
    [False, True]
    """
    d = _area_frame(df, ["city_score", "peer_mean", "peer_max", "sample_mean"], "city_vs_peers")
    d["level"] = text(d, "level") if "level" in d.columns else "area"
    values = records(d, ["label", "item_label", "level", "city_score", "peer_mean", "peer_max", "sample_mean"])
    city_label = city_label or city
    if description is None:
        description = _describe_peers(values, city, lang)
    # the shape scale only serves the legend: a square for the bar, a thin vertical bar for the tick, a diamond
    tick = {"type": "tick", "thickness": 3, "bandSize": bar_height * 0.9, "opacity": 1}
    marks = [
        _bar(city_label, "city_score"),
        _Mark(peer_mean_label, "peer_mean", tick, DARK, "M-0.2,-1H0.2V1H-0.2Z"),
        _diamond(peer_max_label, "peer_max"),
    ]
    height = rows_height(len(values), bar_height)
    spec = base_spec(title=title, description=description, usermeta=usermeta, width=width, height=height, lang=lang)
    legends = _legend(legend_title, symbolSize=120, symbolOpacity=1, symbolStrokeWidth=0), _legend(legend_title)
    tooltip = [
        nominal("item_label", area_title),
        *(quantitative(m.field, m.label) for m in marks),
        quantitative("sample_mean", sample_mean_label),
    ]
    return _area_rows(
        spec, values, marks, legends=legends, tooltip=tooltip, x_title=x_title, y_title=y_title, label_width=label_width
    )


# ---------------------------------------------------------------------------------------------------------------------
# the average and best score of every area
# ---------------------------------------------------------------------------------------------------------------------


def _describe_averages(scored: list[dict[str, Any]], lang: str) -> str:
    """The default description of :func:`area_averages`: the areas with the highest and lowest mean."""
    if not scored:
        return message(lang, "averages_empty")
    n = len(scored)
    return message(lang, "averages", n=n, areas=count(lang, n, "area"), extremes=_extremes(scored, "mean", lang))


def area_averages(
    df: pd.DataFrame,
    *,
    title: str,
    x_title: str = "Score (%)",
    mean_label: str = "Mean of all cities",
    best_label: str = "Best city",
    area_title: str = "Area",
    best_city_title: str = "Best city",
    legend_title: str | None = None,
    y_title: str | None = None,
    description: str | None = None,
    lang: str = "en",
    usermeta: Mapping[str, Any] | None = None,
    width: int = 640,
    bar_height: int = 20,
    label_width: int = 250,
) -> dict[str, Any]:
    """One row per area: a bar for the mean score of all cities and a diamond for the best city's score.

    Parameters
    ----------
    df : DataFrame
        Columns ``item_label``, ``mean``, ``best``; optional ``level`` (sub-areas are indented) and ``best_city``
        (shown in the tooltip). Rows are drawn in the DataFrame's order.
    title, x_title, y_title, area_title, best_city_title : str
        Chart, axis and tooltip titles.
    mean_label, best_label : str
        Legend labels of the bar and the diamond (also tooltip titles).
    legend_title : str, optional
        Title over the legend (none by default).
    description, lang : str, optional
        Text alternative; by default built from the data in the language ``lang``: "en" or "fr" (others: English).
    usermeta : dict, optional
        Copied into the spec unchanged.
    width, bar_height, label_width : int
        Image width, height of one row, width of the label column.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"item_label": ["Education", "Housing"], "mean": [62.0, 48.0], "best": [100.0, 95.0]})
    >>> area_averages(df, title="Averages")["description"]
    'Bar chart of the mean score of all cities in 2 areas; highest Education 62.0%, lowest Housing 48.0%.'
    """
    d = _area_frame(df, ["mean", "best"], "area_averages")
    cols = ["label", "item_label", "mean", "best"]
    has_best_city = optional_text(d, "best_city", cols)
    values = records(d, cols)
    if description is None:
        description = _describe_averages([v for v in values if v["mean"] is not None], lang)
    marks = [_bar(mean_label, "mean"), _diamond(best_label, "best")]
    legend = _legend(legend_title, symbolOpacity=1, symbolStrokeWidth=0)
    legends = legend, legend  # the colour and the shape share one legend
    tooltip = [nominal("item_label", area_title), *(quantitative(m.field, m.label) for m in marks)]
    if has_best_city:
        tooltip.append(nominal("best_city", best_city_title))
    height = rows_height(len(values), bar_height)
    spec = base_spec(title=title, description=description, usermeta=usermeta, width=width, height=height, lang=lang)
    return _area_rows(
        spec, values, marks, legends=legends, tooltip=tooltip, x_title=x_title, y_title=y_title, label_width=label_width
    )
