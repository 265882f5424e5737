"""The progress chart: a line per city through its scores by year, published historical results as open
diamonds."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from ._common import base_spec, lit, nominal, quantitative, score_channel
from ._data import numeric, records, require, text
from ._text import count, message, pct

__all__ = ["progress_lines"]


def _source_filter(op: str) -> list[dict[str, str]]:
    """A transform keeping the published historical results (``op`` ``===``) or the computed scores (``!==``)."""
    return [{"filter": f"datum.source {op} 'published'"}]


def _describe(values: list[dict[str, Any]], cities: list[str], lang: str) -> str:
    """The default description: the first and last score of (at most six) cities."""
    if not values:
        return message(lang, "progress_empty")
    parts = []
    for c in cities[:6]:
        pts = [v for v in values if v["city"] == c]
        first, last = pts[0], pts[-1]
        parts.append(
            message(
                lang,
                "progress_city_change",
                city=c,
                first_score=pct(lang, first["score"]),
                first_year=first["year"],
                last_score=pct(lang, last["score"]),
                last_year=last["year"],
            )
            if len(pts) > 1
            else message(lang, "progress_city", city=c, score=pct(lang, first["score"]), year=first["year"])
        )
    more = message(lang, "and_more", others=count(lang, len(cities) - 6, "other")) if len(cities) > 6 else ""
    years = [v["year"] for v in values]
    return message(
        lang,
        "progress",
        cities=count(lang, len(cities), "city"),
        first=min(years),
        last=max(years),
        parts=message(lang, "list_separator").join(parts),
        more=more,
    )


def progress_lines(
    df: pd.DataFrame,
    *,
    title: str,
    y_title: str = "Score (%)",
    x_title: str = "Year",
    city_title: str = "City",
    source_title: str = "Source",
    source_url_title: str = "Source address",
    computed_label: str = "computed (current framework)",
    demo_label: str = "demo score (invented)",
    published_label: str = "published result (as in its source)",
    description: str | None = None,
    lang: str = "en",
    usermeta: Mapping[str, Any] | None = None,
    width: int = 640,
    height: int = 320,
) -> dict[str, Any]:
    """A line per city through its scores by year; published historical results are open diamonds, apart from the
    lines, so that a real published result never looks like a computed (or invented demo) score.

    Parameters
    ----------
    df : DataFrame
        Columns ``city``, ``year`` (int), ``score`` (0–100), ``source`` (``'computed'`` or ``'published'``;
        missing means computed); optional ``is_demo`` (true for scores invented by the demo generator: their
        legend entry is ``demo_label``) and ``source_url`` (the address of a published result, in its tooltip).
        The line of a city joins its computed points in year order.
    title, y_title, x_title, city_title, source_title, source_url_title : str
        Chart title, axis titles, legend/tooltip titles.
    computed_label, demo_label, published_label : str
        Legend labels of the point shapes (only those present in the data are listed).
    description, lang : str, optional
        Text alternative; by default built from the data in the language ``lang``: "en" or "fr" (others: English).
    usermeta : dict, optional
        Copied into the spec unchanged.
    width, height : int
        Image width; plot height.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"city": ["Oslo", "Oslo"], "year": [2014, 2025], "score": [70.0, 78.5],
    ...                    "source": ["published", "computed"]})
    >>> progress_lines(df, title="Core index")["description"]
    'Line chart of the scores of 1 city from 2014 to 2025: Oslo 70.0% in 2014 to 78.5% in 2025.'
    """
    require(df, ["city", "year", "score"], "progress_lines")
    d = numeric(df, "score", "year").dropna(subset=["score", "year"])
    d["year"] = d["year"].round().astype(int)
    d["city"] = text(d, "city")
    src = text(d, "source") if "source" in d.columns else pd.Series("computed", index=d.index)
    d["source"] = src.where(src.eq("published"), "computed")
    demo = (
        d["is_demo"].map(lambda v: v is True or (v is not None and v == v and bool(v)))
        if "is_demo" in d.columns
        else pd.Series(False, index=d.index)
    )
    d["source_label"] = d["source"].map({"published": published_label, "computed": computed_label})
    d.loc[demo & d["source"].eq("computed"), "source_label"] = demo_label
    d["source_url"] = text(d, "source_url") if "source_url" in d.columns else ""
    d = d.sort_values(["city", "year", "source"], kind="stable")
    values = records(d, ["city", "year", "score", "source", "source_label", "source_url"])
    cities = list(dict.fromkeys(v["city"] for v in values))
    if description is None:
        description = _describe(values, cities, lang)
    spec = base_spec(title=title, description=description, usermeta=usermeta, width=width, height=height, lang=lang)
    years = sorted({v["year"] for v in values})
    x: dict[str, Any] = {
        "field": "year",
        "type": "quantitative",
        "title": x_title,
        "scale": {"zero": False, "nice": False, "padding": 16},
        "axis": {"format": "d", "tickMinStep": 1, "grid": False, "labelFlush": False},
    }
    if years and len(years) <= 12:
        x["axis"]["values"] = years
    color = {"field": "city", "type": "nominal", "title": city_title, "sort": cities, "legend": {"orient": "right"}}
    present = {v["source_label"] for v in values}
    shapes = [(computed_label, "circle"), (demo_label, "circle"), (published_label, "diamond")]
    shapes = [(label, shape) for label, shape in shapes if label in present] or shapes[:1]
    shape_scale = {"domain": [label for label, _ in shapes], "range": [shape for _, shape in shapes]}
    shape_legend = {
        "title": source_title,
        "orient": "right",
        "symbolStrokeColor": "#777",
        "symbolStrokeWidth": 1.5,
        "symbolFillColor": {"expr": f"datum.value === {lit(published_label)} ? 'white' : '#777'"},
        "labelLimit": 260,
    }
    tooltip = [
        nominal("city", city_title),
        quantitative("year", x_title, "d"),
        quantitative("score", y_title),
        nominal("source_label", source_title),
    ]
    shape = {"field": "source_label", "type": "nominal", "scale": shape_scale, "legend": shape_legend}
    spec["data"] = {"values": values}
    spec["encoding"] = {"x": x, "y": score_channel("score", y_title), "color": color}
    spec["layer"] = [
        {
            # lines join only the scores computed by the platform; published historical results stand alone
            "transform": _source_filter("!=="),
            "mark": {"type": "line", "strokeWidth": 2, "opacity": 0.8},
            "encoding": {"order": {"field": "year"}},
        },
        {
            "transform": _source_filter("!=="),
            "mark": {"type": "point", "filled": True, "size": 50, "opacity": 1},
            "encoding": {"shape": shape, "tooltip": tooltip},
        },
        {
            "transform": _source_filter("==="),
            "mark": {"type": "point", "filled": False, "size": 90, "strokeWidth": 2, "opacity": 1, "fill": "white"},
            "encoding": {"shape": shape, "tooltip": [*tooltip, nominal("source_url", source_url_title)]},
        },
    ]
    return spec
