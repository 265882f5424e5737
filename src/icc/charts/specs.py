"""Vega-Lite v6 specifications of the ICC Index charts, built as plain, JSON-serialisable dicts.

Every function takes a pandas DataFrame and returns a dict that can be

* embedded in a web page (``vegaEmbed("#chart", spec)``), or
* rendered to SVG/PNG with :func:`icc.charts.render` (vl-convert).

Conventions shared by all charts:

* ``$schema`` is Vega-Lite v6; the data is inline (``data.values``), never a URL, so the spec is self-contained.
* ``title`` is required; ``description`` is a one-sentence text alternative for screen readers (built from the data
  in English when the caller does not pass one, e.g. a translated one).
* ``usermeta`` (edition, framework, filters, licence, citation, …) is copied in unchanged.
* ``width`` is the width of the whole image in pixels (axes, labels, legend and padding included: autosize
  ``fit-x``); ``height`` is the height of the plot area. ``"container"`` is not used because vl-convert cannot
  size to a container.
* Every human-readable text (titles, axis, legend and tooltip titles, legend labels) is a keyword parameter with
  an English default, so the caller can pass translations.
* Scores are percentages (0–100): score axes span 0–100 and tooltips show one decimal.
* NaN and missing values become ``None`` (JSON ``null``); numpy and pandas scalars become Python scalars.
"""

from __future__ import annotations

import datetime as _dt
import decimal
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

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

_SCORE_FORMAT = ".1f"
_SCORE_DOMAIN = [0, 100]

__all__ = [
    "SCHEMA",
    "SUBAREA_PREFIX",
    "area_averages",
    "city_vs_peers",
    "core_vs_extended",
    "histogram",
    "member_map",
    "members_by_country",
    "progress_lines",
    "ranking_bars",
    "scatter",
    "to_json_value",
]


# ---------------------------------------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------------------------------------


def to_json_value(value: Any) -> Any:
    """A JSON-safe Python value: numpy/pandas scalars → Python scalars, NaN/NA/inf → ``None``.

    Examples
    --------
    >>> import numpy as np
    >>> to_json_value(np.float64("nan")) is None, to_json_value(np.int64(3)), to_json_value(np.float32(0.5))
    (True, 3, 0.5)
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating | decimal.Decimal):
        f = float(value)
        return f if math.isfinite(f) else None
    if isinstance(value, str):
        return value
    if isinstance(value, pd.Timestamp | _dt.datetime | _dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): to_json_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple | np.ndarray):
        return [to_json_value(v) for v in value]
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return str(value)


def _records(df: pd.DataFrame, columns: Sequence[str]) -> list[dict[str, Any]]:
    """The rows of ``df[columns]`` as JSON-safe dicts."""
    return [
        {c: to_json_value(v) for c, v in zip(columns, row, strict=True)}
        for row in df[list(columns)].itertuples(index=False, name=None)
    ]


def _require(df: pd.DataFrame, columns: Iterable[str], chart: str) -> None:
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(
            f"{chart}: the DataFrame lacks column(s) {', '.join(missing)} "
            f"(it has {', '.join(map(str, df.columns)) or 'none'})"
        )


def _numeric(df: pd.DataFrame, *columns: str) -> pd.DataFrame:
    """A copy of ``df`` with ``columns`` as float (Decimal, object, None → float/NaN)."""
    df = df.copy()
    for c in columns:
        df[c] = pd.to_numeric(df[c], errors="coerce").astype(float)
    return df


def _text(df: pd.DataFrame, column: str) -> pd.Series:
    """A column as Python strings ('' for missing)."""
    return df[column].map(lambda v: "" if to_json_value(v) is None else str(v))


def _lit(value: Any) -> str:
    """A Vega expression literal (JSON is valid expression syntax)."""
    return json.dumps(value, ensure_ascii=False)


def _pct(value: float) -> str:
    return f"{value:.1f}%"


def _base(
    *, title: str, description: str, usermeta: Mapping[str, Any] | None, width: int, height: int | None = None
) -> dict[str, Any]:
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
    if height is not None:
        spec["height"] = int(height)
    return spec


def _unique(labels: Sequence[str]) -> list[str]:
    """The labels with duplicates made distinct (a y axis merges equal labels into one band)."""
    seen: dict[str, int] = {}
    out = []
    for label in labels:
        n = seen.get(label, 0) + 1
        seen[label] = n
        out.append(label if n == 1 else f"{label} ({n})")
    return out


def _log_ticks(lo: float, hi: float, *, max_ticks: int = 10) -> list[float]:
    """Round values (1, 2, 5 × 10^k, or only 10^k when that would be too many) from ``lo`` to ``hi``.

    >>> _log_ticks(30000, 2500000)
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


def _score_axis(title: str, **extra: Any) -> dict[str, Any]:
    return {"title": title, "values": [0, 20, 40, 60, 80, 100], "grid": True, **extra}


def _score_scale() -> dict[str, Any]:
    return {"domain": list(_SCORE_DOMAIN), "nice": False, "clamp": True}


def _item_labels(df: pd.DataFrame) -> list[str]:
    """Area labels in the DataFrame's order; sub-areas (``level == 'subarea'``) are indented with
    :data:`SUBAREA_PREFIX`."""
    labels = _text(df, "item_label").str.strip()
    if "level" in df.columns:
        sub = df["level"].astype(str).eq("subarea").to_numpy()
        labels = pd.Series(
            [SUBAREA_PREFIX + lab if s else lab for lab, s in zip(labels, sub, strict=True)], index=df.index
        )
    return _unique(list(labels))


def _area_y(labels: list[str], label_width: int, title: str | None) -> dict[str, Any]:
    """A y encoding of area labels in the given order, left-aligned in a column ``label_width`` px wide
    (so the sub-area indent is visible), areas in bold."""
    return {
        "field": "label",
        "type": "nominal",
        "sort": labels,
        "title": title,
        "axis": {
            "labelAlign": "left",
            "labelPadding": label_width,
            "labelLimit": label_width - 6,
            "ticks": False,
            "domain": False,
            "labelFontSize": 11,
            "labelFontWeight": {
                "condition": {"test": f"indexof(datum.value, {_lit(SUBAREA_PREFIX)}) !== 0", "value": "bold"},
                "value": "normal",
            },
        },
    }


# ---------------------------------------------------------------------------------------------------------------------
# 1. ranking
# ---------------------------------------------------------------------------------------------------------------------


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
    description : str, optional
        Text alternative; by default built from the data.
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
    _require(df, ["city", "score", "rank"], "ranking_bars")
    d = _numeric(df, "score", "rank").dropna(subset=["score"])
    d["city"] = _text(d, "city")
    d["country"] = _text(d, "country") if "country" in d.columns else ""
    d = d.sort_values(["score", "rank", "city"], ascending=[False, True, True], kind="stable")
    d["rank"] = d["rank"].round().astype("Int64")
    d["label"] = _unique([f"{r}. {c}" if r is not pd.NA else c for r, c in zip(d["rank"], d["city"], strict=True)])
    d["highlight"] = d["city"].eq(highlight) if highlight else False
    values = _records(d, ["city", "country", "score", "rank", "label", "highlight"])
    n = len(values)
    if description is None:
        if n:
            top, bottom = values[0], values[-1]
            description = (
                f"Bar chart of {n} cities ranked by score ({title}); highest {top['city']} "
                f"{_pct(top['score'])}, lowest {bottom['city']} {_pct(bottom['score'])}."
            )
            hl = next((v for v in values if v["highlight"]), None)
            if hl is not None:
                rank = f"rank {hl['rank']}, " if hl["rank"] is not None else ""
                description = description[:-1] + f"; {hl['city']} highlighted ({rank}{_pct(hl['score'])})."
        else:
            description = f"Bar chart with no cities ({title})."
    spec = _base(title=title, description=description, usermeta=usermeta, width=width, height=max(1, n) * bar_height)
    hl_labels = [v["label"] for v in values if v["highlight"]]
    axis_y: dict[str, Any] = {"ticks": False, "domain": False, "labelLimit": 220, "labelFontSize": 11}
    if hl_labels:
        axis_y["labelFontWeight"] = {
            "condition": {"test": f"datum.value === {_lit(hl_labels[0])}", "value": "bold"},
            "value": "normal",
        }
        axis_y["labelColor"] = {
            "condition": {"test": f"datum.value === {_lit(hl_labels[0])}", "value": HIGHLIGHT},
            "value": DARK,
        }
    tooltip = [{"field": "city", "type": "nominal", "title": city_title}]
    if "country" in df.columns:
        tooltip.append({"field": "country", "type": "nominal", "title": country_title})
    tooltip += [
        {"field": "score", "type": "quantitative", "title": x_title, "format": _SCORE_FORMAT},
        {"field": "rank", "type": "quantitative", "title": rank_title, "format": "d"},
    ]
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
            "scale": _score_scale(),
            "axis": _score_axis(x_title, orient="top" if n > 30 else "bottom"),
        },
        "tooltip": tooltip,
    }
    layers: list[dict[str, Any]] = [
        {
            "mark": {"type": "bar", "cornerRadiusEnd": 1},
            "encoding": {"color": {"condition": {"test": "datum.highlight", "value": HIGHLIGHT}, "value": BASE}},
        }
    ]
    if show_values:
        layers.append(
            {
                "mark": {
                    "type": "text",
                    "align": "left",
                    "baseline": "middle",
                    "dx": 3,
                    "fontSize": max(8, min(11, bar_height - 3)),
                },
                "encoding": {
                    "text": {"field": "score", "type": "quantitative", "format": _SCORE_FORMAT},
                    "color": {"condition": {"test": "datum.highlight", "value": HIGHLIGHT}, "value": DARK},
                },
            }
        )
    spec["layer"] = layers
    return spec


# ---------------------------------------------------------------------------------------------------------------------
# 2. a city against its peer group
# ---------------------------------------------------------------------------------------------------------------------


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
    description : str, optional
        Text alternative; by default built from the data.
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
    cols = ["item_label", "city_score", "peer_mean", "peer_max", "sample_mean"]
    _require(df, cols, "city_vs_peers")
    d = _numeric(df, "city_score", "peer_mean", "peer_max", "sample_mean")
    d["label"] = _item_labels(d)
    d["item_label"] = _text(d, "item_label")
    d["level"] = _text(d, "level") if "level" in d.columns else "area"
    labels = list(d["label"])
    values = _records(d, ["label", "item_label", "level", "city_score", "peer_mean", "peer_max", "sample_mean"])
    city_label = city_label or city
    if description is None:
        areas = [v for v in values if v["level"] != "subarea" and v["city_score"] is not None]
        if areas:
            above = sum(1 for v in areas if v["peer_mean"] is not None and v["city_score"] > v["peer_mean"])
            with_mean = sum(1 for v in areas if v["peer_mean"] is not None)
            best = max(areas, key=lambda v: v["city_score"])
            worst = min(areas, key=lambda v: v["city_score"])
            description = (
                f"Bar chart of {city}'s scores in {len(areas)} areas against its peer group's mean and "
                f"best; above the peer mean in {above} of {with_mean}, highest {best['item_label']} "
                f"{_pct(best['city_score'])}, lowest {worst['item_label']} {_pct(worst['city_score'])}."
            )
        else:
            description = f"Bar chart of {city}'s area scores against its peer group: no scores."
    spec = _base(
        title=title, description=description, usermeta=usermeta, width=width, height=max(1, len(values)) * bar_height
    )
    domain = [city_label, peer_mean_label, peer_max_label]
    color = {
        "scale": {"domain": domain, "range": [BASE, DARK, ACCENT]},
        "legend": {
            "title": legend_title,
            "orient": "top",
            "direction": "horizontal",
            "symbolSize": 120,
            "symbolOpacity": 1,
            "symbolStrokeWidth": 0,
        },
    }
    # the shape scale only serves the legend: a square for the bar, a thin vertical bar for the tick, a diamond
    shape = {
        "scale": {"domain": domain, "range": ["square", "M-0.2,-1H0.2V1H-0.2Z", "diamond"]},
        "legend": {"title": legend_title, "orient": "top", "direction": "horizontal"},
    }
    x = {"type": "quantitative", "scale": _score_scale(), "axis": _score_axis(x_title), "title": x_title}
    spec["data"] = {"values": values}
    spec["encoding"] = {
        "y": _area_y(labels, label_width, y_title),
        "tooltip": [
            {"field": "item_label", "type": "nominal", "title": area_title},
            {"field": "city_score", "type": "quantitative", "title": city_label, "format": _SCORE_FORMAT},
            {"field": "peer_mean", "type": "quantitative", "title": peer_mean_label, "format": _SCORE_FORMAT},
            {"field": "peer_max", "type": "quantitative", "title": peer_max_label, "format": _SCORE_FORMAT},
            {"field": "sample_mean", "type": "quantitative", "title": sample_mean_label, "format": _SCORE_FORMAT},
        ],
    }
    spec["layer"] = [
        {
            "mark": {"type": "bar", "height": {"band": 0.65}},
            "encoding": {
                "x": {"field": "city_score", **x},
                "color": {"datum": city_label, **color},
                "shape": {"datum": city_label, **shape},
            },
        },
        {
            "mark": {"type": "tick", "thickness": 3, "bandSize": bar_height * 0.9, "opacity": 1},
            "encoding": {
                "x": {"field": "peer_mean", **x},
                "color": {"datum": peer_mean_label, **color},
                "shape": {"datum": peer_mean_label, **shape},
            },
        },
        {
            "mark": {"type": "point", "filled": True, "size": 70, "opacity": 1, "stroke": "white", "strokeWidth": 0.8},
            "encoding": {
                "x": {"field": "peer_max", **x},
                "color": {"datum": peer_max_label, **color},
                "shape": {"datum": peer_max_label, **shape},
            },
        },
    ]
    return spec


# ---------------------------------------------------------------------------------------------------------------------
# 3. progress over time
# ---------------------------------------------------------------------------------------------------------------------


def progress_lines(
    df: pd.DataFrame,
    *,
    title: str,
    y_title: str = "Score (%)",
    x_title: str = "Year",
    city_title: str = "City",
    source_title: str = "Source",
    computed_label: str = "computed (current framework)",
    published_label: str = "published historical result",
    description: str | None = None,
    usermeta: Mapping[str, Any] | None = None,
    width: int = 640,
    height: int = 320,
) -> dict[str, Any]:
    """A line per city through its scores by year; published historical results are open diamonds.

    Parameters
    ----------
    df : DataFrame
        Columns ``city``, ``year`` (int), ``score`` (0–100), ``source`` (``'computed'`` or ``'published'``;
        missing means computed). The line of a city joins all its points in year order.
    title, y_title, x_title, city_title, source_title : str
        Chart title, axis titles, legend/tooltip titles.
    computed_label, published_label : str
        Legend labels of the two point shapes.
    description : str, optional
        Text alternative; by default built from the data.
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
    _require(df, ["city", "year", "score"], "progress_lines")
    d = _numeric(df, "score", "year").dropna(subset=["score", "year"])
    d["year"] = d["year"].round().astype(int)
    d["city"] = _text(d, "city")
    src = _text(d, "source") if "source" in d.columns else pd.Series("computed", index=d.index)
    d["source"] = src.where(src.eq("published"), "computed")
    d["source_label"] = d["source"].map({"published": published_label, "computed": computed_label})
    d = d.sort_values(["city", "year", "source"], kind="stable")
    values = _records(d, ["city", "year", "score", "source", "source_label"])
    cities = list(dict.fromkeys(v["city"] for v in values))
    if description is None:
        if values:
            parts = []
            for c in cities[:6]:
                pts = [v for v in values if v["city"] == c]
                first, last = pts[0], pts[-1]
                parts.append(
                    f"{c} {_pct(first['score'])} in {first['year']} to {_pct(last['score'])} in {last['year']}"
                    if len(pts) > 1
                    else f"{c} {_pct(first['score'])} in {first['year']}"
                )
            more = f" and {len(cities) - 6} more" if len(cities) > 6 else ""
            years = [v["year"] for v in values]
            noun = "city" if len(cities) == 1 else "cities"
            description = (
                f"Line chart of the scores of {len(cities)} {noun} from {min(years)} to {max(years)}: "
                f"{'; '.join(parts)}{more}."
            )
        else:
            description = "Line chart of scores over time: no data."
    spec = _base(title=title, description=description, usermeta=usermeta, width=width, height=height)
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
    shape_scale = {"domain": [computed_label, published_label], "range": ["circle", "diamond"]}
    tooltip = [
        {"field": "city", "type": "nominal", "title": city_title},
        {"field": "year", "type": "quantitative", "title": x_title, "format": "d"},
        {"field": "score", "type": "quantitative", "title": y_title, "format": _SCORE_FORMAT},
        {"field": "source_label", "type": "nominal", "title": source_title},
    ]
    spec["data"] = {"values": values}
    spec["encoding"] = {
        "x": x,
        "y": {
            "field": "score",
            "type": "quantitative",
            "title": y_title,
            "scale": _score_scale(),
            "axis": _score_axis(y_title),
        },
        "color": color,
    }
    spec["layer"] = [
        {
            # lines join only the scores computed by the platform; published historical results stand alone
            "transform": [{"filter": "datum.source !== 'published'"}],
            "mark": {"type": "line", "strokeWidth": 2, "opacity": 0.8},
            "encoding": {"order": {"field": "year"}},
        },
        {
            "transform": [{"filter": "datum.source !== 'published'"}],
            "mark": {"type": "point", "filled": True, "size": 50, "opacity": 1},
            "encoding": {
                "shape": {
                    "datum": computed_label,
                    "scale": shape_scale,
                    "legend": {
                        "title": source_title,
                        "orient": "right",
                        "symbolStrokeColor": "#777",
                        "symbolStrokeWidth": 1.5,
                        "symbolFillColor": {"expr": f"datum.value === {_lit(published_label)} ? 'white' : '#777'"},
                    },
                },
                "tooltip": tooltip,
            },
        },
        {
            "transform": [{"filter": "datum.source === 'published'"}],
            "mark": {"type": "point", "filled": False, "size": 90, "strokeWidth": 2, "opacity": 1, "fill": "white"},
            "encoding": {"shape": {"datum": published_label, "scale": shape_scale}, "tooltip": tooltip},
        },
    ]
    return spec


# ---------------------------------------------------------------------------------------------------------------------
# 4. scatter plot
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
        d3-format of x in the axis and tooltip; default ``~s`` (12k, 1.2M) on a log scale, ``.1f`` otherwise.
    description : str, optional
        Text alternative; by default built from the data.
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
    _require(df, ["city", x_field, "score"], "scatter")
    d = df.copy()
    d["x"] = pd.to_numeric(d[x_field], errors="coerce").astype(float)
    d = _numeric(d, "score").dropna(subset=["x", "score"])
    if log_x:
        d = d[d["x"] > 0]
    d["city"] = _text(d, "city")
    has_group = "group" in d.columns
    has_country = "country" in d.columns
    cols = ["city", "x", "score"]
    if has_group:
        d["group"] = _text(d, "group")
        cols.append("group")
    if has_country:
        d["country"] = _text(d, "country")
        cols.append("country")
    d["highlight"] = d["city"].eq(highlight) if highlight else False
    cols.append("highlight")
    values = _records(d, cols)
    fmt = x_format or ("~s" if log_x else ".1f")
    if description is None:
        if len(values) >= 2:
            with np.errstate(all="ignore"):
                r = float(np.corrcoef(np.log10(d["x"]) if log_x else d["x"], d["score"])[0, 1])
            corr = (
                f" (correlation coefficient{' on a log scale' if log_x else ''}: {r:.2f})" if math.isfinite(r) else ""
            )
            description = f"Scatter plot of {len(values)} cities, {y_title} against {x_title}{corr}."
        else:
            description = f"Scatter plot of {len(values)} cities, {y_title} against {x_title}."
    spec = _base(title=title, description=description, usermeta=usermeta, width=width, height=height)
    x_axis: dict[str, Any] = {"format": fmt, "grid": True}
    if log_x:
        x_scale: dict[str, Any] = {"type": "log", "nice": False, "padding": 12}
        ticks = _log_ticks(float(d["x"].min()), float(d["x"].max())) if len(d) else []
        if len(ticks) >= 2:
            x_axis["values"] = ticks
    else:
        x_scale = {"zero": False, "nice": True}
    x = {"field": "x", "type": "quantitative", "title": x_title, "scale": x_scale, "axis": x_axis}
    y = {
        "field": "score",
        "type": "quantitative",
        "title": y_title,
        "scale": _score_scale(),
        "axis": _score_axis(y_title),
    }
    tooltip = [{"field": "city", "type": "nominal", "title": city_title}]
    if has_country:
        tooltip.append({"field": "country", "type": "nominal", "title": country_title})
    tooltip += [
        {"field": "x", "type": "quantitative", "title": x_title, "format": fmt if not log_x else ",.0f"},
        {"field": "score", "type": "quantitative", "title": y_title, "format": _SCORE_FORMAT},
    ]
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
        tooltip.append({"field": "group", "type": "nominal", "title": group_title})
        color = {
            "field": "group",
            "type": "nominal",
            "title": group_title,
            "sort": groups,
            "scale": {"scheme": "tableau10"},
            "legend": {"orient": "bottom", "direction": "horizontal"},
        }
    spec["data"] = {"values": values}
    spec["layer"] = [
        {
            "mark": {"type": "circle", "size": 60, "opacity": 0.8, "stroke": "white", "strokeWidth": 0.5},
            "encoding": {"x": x, "y": y, "color": color, "tooltip": tooltip},
        },
    ]
    if highlight and any(v["highlight"] for v in values):
        spec["layer"] += [
            {
                "transform": [{"filter": "datum.highlight"}],
                "mark": {"type": "point", "size": 220, "strokeWidth": 2.5, "color": HIGHLIGHT, "opacity": 1},
                "encoding": {"x": x, "y": y, "tooltip": tooltip},
            },
            {
                "transform": [{"filter": "datum.highlight"}],
                "mark": {
                    "type": "text",
                    "align": {"expr": f"scale('x', datum.x) > {0.75 * width} ? 'right' : 'left'"},
                    "dx": {"expr": f"scale('x', datum.x) > {0.75 * width} ? -10 : 10"},
                    "dy": -8,
                    "fontWeight": "bold",
                    "color": HIGHLIGHT,
                },
                "encoding": {"x": x, "y": y, "text": {"field": "city", "type": "nominal"}},
            },
        ]
    return spec


# ---------------------------------------------------------------------------------------------------------------------
# 5. core against extended index
# ---------------------------------------------------------------------------------------------------------------------


def core_vs_extended(
    df: pd.DataFrame,
    *,
    title: str,
    x_title: str = "Core index (%)",
    y_title: str = "Extended index (%)",
    city_title: str = "City",
    country_title: str = "Country",
    difference_title: str = "Extended − core (points)",
    reference_label: str = "extended = core",
    highlight: str | None = None,
    description: str | None = None,
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
    reference_label : str
        Label written along the y = x line.
    highlight : str, optional
        The ``city`` value drawn in a contrasting colour and labelled.
    description : str, optional
        Text alternative; by default built from the data.
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
    _require(df, ["city", "index_core", "index_extended"], "core_vs_extended")
    d = _numeric(df, "index_core", "index_extended").dropna(subset=["index_core", "index_extended"])
    d["city"] = _text(d, "city")
    d["difference"] = d["index_extended"] - d["index_core"]
    d["highlight"] = d["city"].eq(highlight) if highlight else False
    cols = ["city", "index_core", "index_extended", "difference", "highlight"]
    has_country = "country" in d.columns
    if has_country:
        d["country"] = _text(d, "country")
        cols.insert(1, "country")
    values = _records(d, cols)
    if description is None:
        higher = int((d["difference"] > 0).sum())
        description = (
            f"Scatter plot of the core index against the extended index of {len(values)} cities; "
            f"{higher} score higher on the extended index."
        )
    spec = _base(title=title, description=description, usermeta=usermeta, width=width, height=height)
    # the y = x line's slope on screen (the plot is about 70 px narrower than the image)
    angle = round(-math.degrees(math.atan2(height, max(1, width - 70))), 1)
    x = {
        "field": "index_core",
        "type": "quantitative",
        "title": x_title,
        "scale": _score_scale(),
        "axis": _score_axis(x_title),
    }
    y = {
        "field": "index_extended",
        "type": "quantitative",
        "title": y_title,
        "scale": _score_scale(),
        "axis": _score_axis(y_title),
    }
    tooltip = [{"field": "city", "type": "nominal", "title": city_title}]
    if has_country:
        tooltip.append({"field": "country", "type": "nominal", "title": country_title})
    tooltip += [
        {"field": "index_core", "type": "quantitative", "title": x_title, "format": _SCORE_FORMAT},
        {"field": "index_extended", "type": "quantitative", "title": y_title, "format": _SCORE_FORMAT},
        {"field": "difference", "type": "quantitative", "title": difference_title, "format": "+.1f"},
    ]
    spec["data"] = {"values": values}
    spec["layer"] = [
        {
            "mark": {"type": "rule", "color": "#999999", "strokeDash": [5, 4], "strokeWidth": 1},
            "encoding": {
                "x": {"datum": 0, "type": "quantitative", "scale": _score_scale(), "title": x_title},
                "y": {"datum": 0, "type": "quantitative", "scale": _score_scale(), "title": y_title},
                "x2": {"datum": 100},
                "y2": {"datum": 100},
            },
        },
        {
            "mark": {
                "type": "text",
                "color": "#777777",
                "angle": angle,
                "align": "left",
                "baseline": "bottom",
                "dy": -3,
                "fontStyle": "italic",
            },
            "encoding": {
                "x": {"datum": 4, "type": "quantitative"},
                "y": {"datum": 4, "type": "quantitative"},
                "text": {"value": reference_label},
            },
        },
        {
            "mark": {"type": "circle", "size": 60, "opacity": 0.8, "stroke": "white", "strokeWidth": 0.5},
            "encoding": {
                "x": x,
                "y": y,
                "tooltip": tooltip,
                "color": {"condition": {"test": "datum.highlight", "value": HIGHLIGHT}, "value": BASE},
            },
        },
    ]
    if highlight and any(v["highlight"] for v in values):
        spec["layer"].append(
            {
                "transform": [{"filter": "datum.highlight"}],
                "mark": {
                    "type": "text",
                    "align": {"expr": "datum.index_core > 75 ? 'right' : 'left'"},
                    "dx": {"expr": "datum.index_core > 75 ? -8 : 8"},
                    "dy": -8,
                    "fontWeight": "bold",
                    "color": HIGHLIGHT,
                },
                "encoding": {"x": x, "y": y, "text": {"field": "city", "type": "nominal"}},
            }
        )
    return spec


# ---------------------------------------------------------------------------------------------------------------------
# 6. members by country
# ---------------------------------------------------------------------------------------------------------------------


def members_by_country(
    df: pd.DataFrame,
    *,
    title: str,
    x_title: str = "Member cities",
    y_title: str = "Country",
    description: str | None = None,
    usermeta: Mapping[str, Any] | None = None,
    width: int = 640,
    bar_height: int = 16,
) -> dict[str, Any]:
    """Horizontal bars of the number of member cities per country, most first.

    Parameters
    ----------
    df : DataFrame
        Columns ``country`` (the name shown) and ``n``.
    title, x_title, y_title : str
        Chart and axis titles (also the tooltip titles).
    description : str, optional
        Text alternative; by default built from the data.
    usermeta : dict, optional
        Copied into the spec unchanged.
    width, bar_height : int
        Image width; height of one bar band.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"country": ["Spain", "Italy"], "n": [12, 20]})
    >>> members_by_country(df, title="Members")["description"]
    'Bar chart of 32 member cities in 2 countries; most in Italy (20).'
    """
    _require(df, ["country", "n"], "members_by_country")
    d = _numeric(df, "n").dropna(subset=["n"])
    d["n"] = d["n"].round().astype(int)
    d["country"] = _text(d, "country")
    d = d.sort_values(["n", "country"], ascending=[False, True], kind="stable")
    values = _records(d, ["country", "n"])
    if description is None:
        total = sum(v["n"] for v in values)
        top = f"; most in {values[0]['country']} ({values[0]['n']})" if values else ""
        description = f"Bar chart of {total} member cities in {len(values)} countries{top}."
    spec = _base(
        title=title, description=description, usermeta=usermeta, width=width, height=max(1, len(values)) * bar_height
    )
    spec["data"] = {"values": values}
    spec["encoding"] = {
        "y": {
            "field": "country",
            "type": "nominal",
            "sort": None,
            "title": y_title,
            "axis": {"ticks": False, "domain": False, "labelLimit": 200},
        },
        "x": {"field": "n", "type": "quantitative", "title": x_title, "axis": {"tickMinStep": 1, "format": "d"}},
        "tooltip": [
            {"field": "country", "type": "nominal", "title": y_title},
            {"field": "n", "type": "quantitative", "title": x_title, "format": "d"},
        ],
    }
    spec["layer"] = [
        {"mark": {"type": "bar", "color": BASE, "cornerRadiusEnd": 1}},
        {
            "mark": {
                "type": "text",
                "align": "left",
                "baseline": "middle",
                "dx": 3,
                "color": DARK,
                "fontSize": max(8, min(11, bar_height - 4)),
            },
            "encoding": {"text": {"field": "n", "type": "quantitative", "format": "d"}},
        },
    ]
    return spec


# ---------------------------------------------------------------------------------------------------------------------
# 7. histogram
# ---------------------------------------------------------------------------------------------------------------------


def histogram(
    df: pd.DataFrame,
    *,
    field: str,
    title: str,
    x_title: str,
    y_title: str = "Number of cities",
    bin_step: float | None = None,
    log: bool = False,
    maxbins: int = 20,
    x_format: str | None = None,
    description: str | None = None,
    usermeta: Mapping[str, Any] | None = None,
    width: int = 640,
    height: int = 300,
) -> dict[str, Any]:
    """The distribution of a numeric column (population, foreign-born share, a score) as a histogram.

    Parameters
    ----------
    df : DataFrame
        Must hold ``field``; missing values are left out (and values ≤ 0 when ``log``). A ``city`` column, if
        present, is kept in the data (not drawn).
    field : str
        The column to bin (stored as ``value`` in the spec's data).
    title, x_title, y_title : str
        Chart and axis titles (also the tooltip titles).
    bin_step : float, optional
        Width of a bin (in powers of ten when ``log``: 0.25 means four bins per decade); by default at most
        ``maxbins`` "nice" bins.
    log : bool
        Bin the base-10 logarithm (for population); the axis shows the original values.
    maxbins : int
        Upper bound on the number of bins when ``bin_step`` is not given.
    x_format : str, optional
        d3-format of the bin edges; default ``~s`` on a log scale, ``~r`` otherwise.
    description : str, optional
        Text alternative; by default built from the data.
    usermeta : dict, optional
        Copied into the spec unchanged.
    width, height : int
        Image width; plot height.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"city": ["A", "B", "C"], "population": [50000, 120000, 2000000]})
    >>> spec = histogram(df, field="population", title="City size", x_title="Population", log=True)
    >>> spec["description"]
    'Histogram of Population for 3 cities; median 120,000, range 50,000 to 2,000,000.'
    """
    _require(df, [field], "histogram")
    d = df.copy()
    d["value"] = pd.to_numeric(d[field], errors="coerce").astype(float)
    d = d.dropna(subset=["value"])
    if log:
        d = d[d["value"] > 0]
    cols = ["value"]
    if "city" in d.columns and field != "city":
        d["city"] = _text(d, "city")
        cols.insert(0, "city")
    values = _records(d, cols)
    if description is None:
        if values:
            s = d["value"]
            integral = bool((s == s.round()).all())

            def num(v: float) -> str:
                return f"{v:,.0f}" if integral and abs(v) >= 1000 else f"{v:,.1f}"

            description = (
                f"Histogram of {x_title} for {len(values)} cities; median {num(float(s.median()))}, "
                f"range {num(float(s.min()))} to {num(float(s.max()))}."
            )
        else:
            description = f"Histogram of {x_title}: no data."
    spec = _base(title=title, description=description, usermeta=usermeta, width=width, height=height)
    bin_: dict[str, Any] = {"step": bin_step} if bin_step else {"maxbins": maxbins}
    fmt = x_format or ("~s" if log else "~r")
    spec["data"] = {"values": values}
    if log:
        spec["transform"] = [
            {"calculate": "log(datum.value) / LN10", "as": "log_value"},
            {"bin": bin_, "field": "log_value", "as": ["bin_start", "bin_end"]},
            {"calculate": "pow(10, datum.bin_start)", "as": "from"},
            {"calculate": "pow(10, datum.bin_end)", "as": "to"},
        ]
        log_axis: dict[str, Any] = {
            "labelExpr": f"format(round(pow(10, datum.value)), {_lit(fmt)})",
            "labelFlush": False,
        }
        ticks = _log_ticks(float(d["value"].min()), float(d["value"].max())) if len(d) else []
        if len(ticks) >= 2:
            log_axis["values"] = [math.log10(t) for t in ticks]
        x: dict[str, Any] = {
            "field": "bin_start",
            "type": "quantitative",
            "title": x_title,
            "axis": log_axis,
            "bin": {"binned": True, **({"step": bin_step} if bin_step else {})},
        }
        x2: dict[str, Any] = {"field": "bin_end"}
    else:
        spec["transform"] = [{"bin": bin_, "field": "value", "as": ["from", "to"]}]
        x = {
            "field": "from",
            "type": "quantitative",
            "title": x_title,
            "bin": {"binned": True, **({"step": bin_step} if bin_step else {})},
            "axis": {"format": fmt},
        }
        x2 = {"field": "to"}
    spec["mark"] = {"type": "bar", "color": BASE, "stroke": "white", "strokeWidth": 0.5, "tooltip": True}
    spec["encoding"] = {
        "x": x,
        "x2": x2,
        "y": {"aggregate": "count", "type": "quantitative", "title": y_title, "axis": {"tickMinStep": 1}},
        "tooltip": [
            {"field": "from", "type": "quantitative", "title": f"{x_title} ≥", "format": fmt},
            {"field": "to", "type": "quantitative", "title": f"{x_title} <", "format": fmt},
            {"aggregate": "count", "type": "quantitative", "title": y_title},
        ],
    }
    if log:  # the tooltip's bin edges must survive the count aggregate: group by them too
        spec["encoding"]["detail"] = [
            {"field": "from", "type": "quantitative"},
            {"field": "to", "type": "quantitative"},
        ]
    return spec


# ---------------------------------------------------------------------------------------------------------------------
# 8. area averages
# ---------------------------------------------------------------------------------------------------------------------


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
    description : str, optional
        Text alternative; by default built from the data.
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
    _require(df, ["item_label", "mean", "best"], "area_averages")
    d = _numeric(df, "mean", "best")
    d["label"] = _item_labels(d)
    d["item_label"] = _text(d, "item_label")
    cols = ["label", "item_label", "mean", "best"]
    has_best_city = "best_city" in d.columns
    if has_best_city:
        d["best_city"] = _text(d, "best_city")
        cols.append("best_city")
    labels = list(d["label"])
    values = _records(d, cols)
    if description is None:
        scored = [v for v in values if v["mean"] is not None]
        if scored:
            hi = max(scored, key=lambda v: v["mean"])
            lo = min(scored, key=lambda v: v["mean"])
            description = (
                f"Bar chart of the mean score of all cities in {len(scored)} areas; highest "
                f"{hi['item_label']} {_pct(hi['mean'])}, lowest {lo['item_label']} {_pct(lo['mean'])}."
            )
        else:
            description = "Bar chart of area means: no scores."
    spec = _base(
        title=title, description=description, usermeta=usermeta, width=width, height=max(1, len(values)) * bar_height
    )
    domain = [mean_label, best_label]
    legend = {
        "title": legend_title,
        "orient": "top",
        "direction": "horizontal",
        "symbolOpacity": 1,
        "symbolStrokeWidth": 0,
    }
    color = {"scale": {"domain": domain, "range": [BASE, ACCENT]}, "legend": legend}
    shape = {"scale": {"domain": domain, "range": ["square", "diamond"]}, "legend": legend}
    x = {"type": "quantitative", "scale": _score_scale(), "axis": _score_axis(x_title), "title": x_title}
    tooltip = [
        {"field": "item_label", "type": "nominal", "title": area_title},
        {"field": "mean", "type": "quantitative", "title": mean_label, "format": _SCORE_FORMAT},
        {"field": "best", "type": "quantitative", "title": best_label, "format": _SCORE_FORMAT},
    ]
    if has_best_city:
        tooltip.append({"field": "best_city", "type": "nominal", "title": best_city_title})
    spec["data"] = {"values": values}
    spec["encoding"] = {"y": _area_y(labels, label_width, y_title), "tooltip": tooltip}
    spec["layer"] = [
        {
            "mark": {"type": "bar", "height": {"band": 0.65}},
            "encoding": {
                "x": {"field": "mean", **x},
                "color": {"datum": mean_label, **color},
                "shape": {"datum": mean_label, **shape},
            },
        },
        {
            "mark": {"type": "point", "filled": True, "size": 70, "opacity": 1, "stroke": "white", "strokeWidth": 0.8},
            "encoding": {
                "x": {"field": "best", **x},
                "color": {"datum": best_label, **color},
                "shape": {"datum": best_label, **shape},
            },
        },
    ]
    return spec


# ---------------------------------------------------------------------------------------------------------------------
# 9. map
# ---------------------------------------------------------------------------------------------------------------------


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
    description : str, optional
        Text alternative; by default built from the data.
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
    _require(df, ["city", "latitude", "longitude"], "member_map")
    has_score = "score" in df.columns
    has_country = "country" in df.columns
    d = _numeric(df, "latitude", "longitude", *(["score"] if has_score else []))
    d = d.dropna(subset=["latitude", "longitude"])
    d["city"] = _text(d, "city")
    cols = ["city", "latitude", "longitude"]
    if has_country:
        d["country"] = _text(d, "country")
        cols.append("country")
    if has_score:
        cols.append("score")
        d = d.sort_values("score", na_position="first", kind="stable")  # best drawn last, on top
    values = _records(d, cols)
    if description is None:
        n_countries = len({v["country"] for v in values if v.get("country")}) if has_country else 0
        where = f" in {n_countries} countries" if n_countries else ""
        scored = f", coloured by {score_title}" if has_score else ""
        description = f"World map of {len(values)} member cities{where}{scored}."
    if height is None:
        height = round((width - 16) * (0.44 if drop_antarctica else 0.5))
    spec = _base(title=title, description=description, usermeta=usermeta, width=width, height=height)
    spec["projection"] = {"type": projection}
    spec["data"] = {"values": values}
    land: dict[str, Any] = {
        "data": {"values": world_topojson, "format": {"type": "topojson", "feature": "countries"}},
        "mark": {"type": "geoshape", "fill": LAND, "stroke": BORDER, "strokeWidth": 0.5, "tooltip": False},
    }
    if drop_antarctica:
        land["transform"] = [{"filter": "!datum.properties || datum.properties.name !== 'Antarctica'"}]
    tooltip = [{"field": "city", "type": "nominal", "title": city_title}]
    if has_country:
        tooltip.append({"field": "country", "type": "nominal", "title": country_title})
    points: dict[str, Any] = {
        "mark": {"type": "circle", "size": 30, "opacity": 0.9, "stroke": "#333333", "strokeWidth": 0.5},
        "encoding": {
            "longitude": {"field": "longitude", "type": "quantitative"},
            "latitude": {"field": "latitude", "type": "quantitative"},
            "tooltip": tooltip,
            "color": {"value": HIGHLIGHT},
        },
    }
    if has_score:
        tooltip.append({"field": "score", "type": "quantitative", "title": score_title, "format": _SCORE_FORMAT})
        points["encoding"]["color"] = {
            "field": "score",
            "type": "quantitative",
            "title": score_title,
            "scale": {"domain": list(_SCORE_DOMAIN), "scheme": {"name": "viridis", "extent": [0.85, 0.0]}},
            "legend": {
                "orient": "bottom",
                "direction": "horizontal",
                "gradientLength": 160,
                "values": [0, 25, 50, 75, 100],
            },
        }
        points["transform"] = [{"filter": "isValid(datum.score) && isFinite(datum.score)"}]
        # members without a score are still members: drawn in grey underneath (a null colour would hide them)
        unscored: dict[str, Any] = {
            "transform": [{"filter": "!isValid(datum.score) || !isFinite(datum.score)"}],
            "mark": {
                "type": "circle",
                "size": 30,
                "opacity": 0.9,
                "stroke": "#333333",
                "strokeWidth": 0.5,
                "color": "#9e9e9e",
            },
            "encoding": {k: v for k, v in points["encoding"].items() if k != "color"},
        }
        spec["layer"] = [land, unscored, points]
    else:
        spec["layer"] = [land, points]
    return spec
