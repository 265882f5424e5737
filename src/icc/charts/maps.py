"""The world map of the member cities, coloured by score when there is one."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from ._common import BORDER, DARK, HIGHLIGHT, LAND, SCORE_DOMAIN, base_spec, city_tooltip, quantitative
from ._data import numeric, optional_text, records, require, text
from ._text import count, message

__all__ = ["member_map"]

#: Filters of the cities with and without a score.
_SCORED = "isValid(datum.score) && isFinite(datum.score)"
_UNSCORED = "!isValid(datum.score) || !isFinite(datum.score)"


def _city_mark(**extra: Any) -> dict[str, Any]:
    """The mark of a member city: a small outlined circle."""
    return {"type": "circle", "size": 30, "opacity": 0.9, "stroke": DARK, "strokeWidth": 0.5, **extra}


def member_map(
    df: pd.DataFrame,
    *,
    world_topojson: Mapping[str, Any],
    title: str,
    score_title: str = "Core index (%)",
    city_title: str = "City",
    country_title: str = "Country",
    projection: str = "equalEarth",
    drop_antarctica: bool = True,
    description: str | None = None,
    lang: str = "en",
    usermeta: Mapping[str, Any] | None = None,
    width: int = 720,
    height: int | None = None,
) -> dict[str, Any]:
    """A world map of the member cities, coloured by score when a ``score`` column is given.

    Parameters
    ----------
    df : DataFrame
        Columns ``city``, ``latitude``, ``longitude``; optional ``score`` (0–100) and ``country``. Rows without
        coordinates are left out; cities without a score are drawn in grey.
    world_topojson : dict
        The world-atlas ``countries-110m`` TopoJSON (object ``countries``), inlined into the spec as is (not
        copied, not changed).
    title, score_title, city_title, country_title : str
        Chart title; legend and tooltip titles.
    projection : str
        Vega projection type (``equalEarth``, ``naturalEarth1``, ``mercator``, …).
    drop_antarctica : bool
        Leave Antarctica out (it has no members and takes a fifth of the height).
    description, lang : str, optional
        Text alternative; by default built from the data in the language ``lang``: "en" or "fr" (others: English).
    usermeta : dict, optional
        Copied into the spec unchanged.
    width : int
        Image width.
    height : int, optional
        Map height; by default the height of the world (without Antarctica) at that width.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"city": ["Oslo"], "latitude": [59.91], "longitude": [10.75], "score": [80.0]})
    >>> spec = member_map(df, world_topojson={"type": "Topology", "objects": {"countries": {}}}, title="Members")
    >>> spec["layer"][0]["data"]["format"]
    {'type': 'topojson', 'feature': 'countries'}
    """
    require(df, ["city", "latitude", "longitude"], "member_map")
    has_score = "score" in df.columns
    d = numeric(df, "latitude", "longitude", *(["score"] if has_score else []))
    d = d.dropna(subset=["latitude", "longitude"])
    d["city"] = text(d, "city")
    cols = ["city", "latitude", "longitude"]
    has_country = optional_text(d, "country", cols)
    if has_score:
        cols.append("score")
        d = d.sort_values("score", na_position="first", kind="stable")  # best drawn last, on top
    values = records(d, cols)
    if description is None:
        n_countries = len({v["country"] for v in values if v.get("country")}) if has_country else 0
        where = (
            message(lang, "map_where", n=n_countries, countries=count(lang, n_countries, "country"))
            if n_countries
            else ""
        )
        scored = message(lang, "map_scored", score_title=score_title) if has_score else ""
        n = len(values)
        description = message(lang, "map", n=n, member_cities=count(lang, n, "member_city"), where=where, scored=scored)
    if height is None:
        height = round((width - 16) * (0.44 if drop_antarctica else 0.5))
    spec = base_spec(title=title, description=description, usermeta=usermeta, width=width, height=height, lang=lang)
    spec["projection"] = {"type": projection}
    spec["data"] = {"values": values}
    land: dict[str, Any] = {
        "data": {"values": world_topojson, "format": {"type": "topojson", "feature": "countries"}},
        "mark": {"type": "geoshape", "fill": LAND, "stroke": BORDER, "strokeWidth": 0.5, "tooltip": False},
    }
    if drop_antarctica:
        land["transform"] = [{"filter": "!datum.properties || datum.properties.name !== 'Antarctica'"}]
    tooltip = city_tooltip(city_title, country_title, has_country)
    points: dict[str, Any] = {
        "mark": _city_mark(),
        "encoding": {
            "longitude": {"field": "longitude", "type": "quantitative"},
            "latitude": {"field": "latitude", "type": "quantitative"},
            "tooltip": tooltip,
            "color": {"value": HIGHLIGHT},
        },
    }
    if not has_score:
        spec["layer"] = [land, points]
        return spec
    tooltip.append(quantitative("score", score_title))
    points["encoding"]["color"] = {
        "field": "score",
        "type": "quantitative",
        "title": score_title,
        "scale": {"domain": list(SCORE_DOMAIN), "scheme": {"name": "viridis", "extent": [0.85, 0.0]}},
        "legend": {
            "orient": "bottom",
            "direction": "horizontal",
            "gradientLength": 160,
            "values": [0, 25, 50, 75, 100],
        },
    }
    points["transform"] = [{"filter": _SCORED}]
    # members without a score are still members: drawn in grey underneath (a null colour would hide them)
    unscored: dict[str, Any] = {
        "transform": [{"filter": _UNSCORED}],
        "mark": _city_mark(color="#9e9e9e"),
        "encoding": {k: v for k, v in points["encoding"].items() if k != "color"},
    }
    spec["layer"] = [land, unscored, points]
    return spec
