"""The ranking chart: horizontal bars of the cities' scores, best first, one city highlighted."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from ._common import (
    BASE,
    DARK,
    HIGHLIGHT,
    SCORE_FORMAT,
    base_spec,
    city_tooltip,
    condition,
    highlight_color,
    lit,
    quantitative,
    rows_height,
    score_axis,
    score_scale,
    value_labels,
)
from ._data import highlighted, numeric, records, require, text, unique
from ._text import count, highest_lowest, message, pct

__all__ = ["ranking_bars"]


def _describe(values: list[dict[str, Any]], title: str, lang: str) -> str:
    """The default description: the number of cities, the best and the worst, and the highlighted city."""
    if not values:
        return message(lang, "ranking_empty", title=title)
    highlight = ""
    hl = next((v for v in values if v["highlight"]), None)
    if hl is not None:
        rank = message(lang, "ranking_rank", rank=hl["rank"]) if hl["rank"] is not None else ""
        highlight = message(lang, "ranking_highlight", city=hl["city"], rank=rank, score=pct(lang, hl["score"]))
    n = len(values)
    extremes = highest_lowest(lang, values[0], values[-1], "city", "score")
    return message(
        lang, "ranking", n=n, cities=count(lang, n, "city"), title=title, extremes=extremes, highlight=highlight
    )


def ranking_bars(
    df: pd.DataFrame,
    *,
    highlight: str | None = None,
    title: str,
    x_title: str = "Score (%)",
    y_title: str | None = None,
    city_title: str = "City",
    country_title: str = "Country",
    rank_title: str = "Rank",
    description: str | None = None,
    lang: str = "en",
    usermeta: Mapping[str, Any] | None = None,
    width: int = 640,
    bar_height: int = 14,
    show_values: bool = True,
) -> dict[str, Any]:
    """Horizontal bars of a ranking, best first, one city per bar labelled "rank. city".

    Parameters
    ----------
    df : DataFrame
        Columns ``city`` (name shown), ``score`` (0–100), ``rank``; optional ``country``. Rows without a score are
        left out.
    highlight : str, optional
        The ``city`` value drawn in a contrasting colour (and in bold on the axis).
    title, x_title, y_title, city_title, country_title, rank_title : str
        Chart title, axis titles and tooltip titles (``x_title`` also titles the score in the tooltip).
    description, lang : str, optional
        Text alternative; by default built from the data in the language ``lang``: "en" or "fr" (others: English).
    usermeta : dict, optional
        Copied into the spec unchanged.
    width : int
        Width of the whole image in pixels.
    bar_height : int
        Height of one bar band in pixels (the plot is ``bar_height`` × number of cities high).
    show_values : bool
        Write the score at the end of each bar.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"city": ["Oslo", "Tilburg"], "score": [80.0, 98.5], "rank": [2, 1]})
    >>> spec = ranking_bars(df, title="Core index 2025", highlight="Oslo")
    >>> [v["label"] for v in spec["data"]["values"]]
    ['1. Tilburg', '2. Oslo']
    >>> spec["description"]  # doctest: +ELLIPSIS
    'Bar chart of 2 cities ranked by score (Core index 2025); highest Tilburg 98.5%, ...; Oslo highlighted (rank 2...'
    """
    require(df, ["city", "score", "rank"], "ranking_bars")
    d = numeric(df, "score", "rank").dropna(subset=["score"])
    d["city"] = text(d, "city")
    d["country"] = text(d, "country") if "country" in d.columns else ""
    d = d.sort_values(["score", "rank", "city"], ascending=[False, True, True], kind="stable")
    d["rank"] = d["rank"].round().astype("Int64")
    d["label"] = unique([f"{r}. {c}" if r is not pd.NA else c for r, c in zip(d["rank"], d["city"], strict=True)])
    d["highlight"] = highlighted(d, highlight)
    values = records(d, ["city", "country", "score", "rank", "label", "highlight"])
    n = len(values)
    if description is None:
        description = _describe(values, title, lang)
    height = rows_height(n, bar_height)
    spec = base_spec(title=title, description=description, usermeta=usermeta, width=width, height=height, lang=lang)
    hl_labels = [v["label"] for v in values if v["highlight"]]
    axis_y: dict[str, Any] = {"ticks": False, "domain": False, "labelLimit": 220, "labelFontSize": 11}
    if hl_labels:
        is_highlighted = f"datum.value === {lit(hl_labels[0])}"
        axis_y["labelFontWeight"] = condition(is_highlighted, "bold", "normal")
        axis_y["labelColor"] = condition(is_highlighted, HIGHLIGHT, DARK)
    tooltip = city_tooltip(city_title, country_title, "country" in df.columns)
    tooltip += [quantitative("score", x_title), quantitative("rank", rank_title, "d")]
    spec["data"] = {"values": values}
    spec["encoding"] = {
        "y": {
            "field": "label",
            "type": "nominal",
            "sort": None,
            "title": y_title,
            "axis": axis_y,
            "scale": {"paddingInner": 0.2},
        },
        "x": {
            "field": "score",
            "type": "quantitative",
            "scale": score_scale(),
            "axis": score_axis(x_title, orient="top" if n > 30 else "bottom"),
        },
        "tooltip": tooltip,
    }
    layers: list[dict[str, Any]] = [
        {"mark": {"type": "bar", "cornerRadiusEnd": 1}, "encoding": {"color": highlight_color(BASE)}}
    ]
    if show_values:
        font_size = max(8, min(11, bar_height - 3))
        layers.append(value_labels("score", SCORE_FORMAT, font_size, color=highlight_color(DARK)))
    spec["layer"] = layers
    return spec
