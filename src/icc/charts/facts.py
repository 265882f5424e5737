"""Charts of the member network (the Facts & Figures page): member cities per country, and the distribution of a
city fact (population, foreign-born share, a score) as a histogram."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import pandas as pd

from ._common import (
    BASE,
    COUNT_FORMAT,
    DARK,
    base_spec,
    lit,
    log_ticks,
    nominal,
    quantitative,
    rows_height,
    value_labels,
)
from ._data import numeric, optional_text, records, require, text
from ._text import count, de, message, number

__all__ = ["histogram", "members_by_country"]


# ---------------------------------------------------------------------------------------------------------------------
# members by country
# ---------------------------------------------------------------------------------------------------------------------


def members_by_country(
    df: pd.DataFrame,
    *,
    title: str,
    x_title: str = "Member cities",
    y_title: str = "Country",
    description: str | None = None,
    lang: str = "en",
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
    description, lang : str, optional
        Text alternative; by default built from the data in the language ``lang``: "en" or "fr" (others: English).
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
    require(df, ["country", "n"], "members_by_country")
    d = numeric(df, "n").dropna(subset=["n"])
    d["n"] = d["n"].round().astype(int)
    d["country"] = text(d, "country")
    d = d.sort_values(["n", "country"], ascending=[False, True], kind="stable")
    values = records(d, ["country", "n"])
    if description is None:
        total = sum(v["n"] for v in values)
        top = message(lang, "members_top", country=values[0]["country"], n=values[0]["n"]) if values else ""
        description = message(
            lang,
            "members",
            total=total,
            member_cities=count(lang, total, "member_city"),
            n=len(values),
            countries=count(lang, len(values), "country"),
            top=top,
        )
    height = rows_height(len(values), bar_height)
    spec = base_spec(title=title, description=description, usermeta=usermeta, width=width, height=height, lang=lang)
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
        "tooltip": [nominal("country", y_title), quantitative("n", x_title, "d")],
    }
    spec["layer"] = [
        {"mark": {"type": "bar", "color": BASE, "cornerRadiusEnd": 1}},
        value_labels("n", "d", max(8, min(11, bar_height - 4)), mark_color=DARK),
    ]
    return spec


# ---------------------------------------------------------------------------------------------------------------------
# histogram
# ---------------------------------------------------------------------------------------------------------------------


def _describe(d: pd.DataFrame, x_title: str, lang: str) -> str:
    """The default description of a histogram of ``d["value"]``: count, median and range."""
    if d.empty:
        return message(lang, "histogram_empty", x_title=x_title, de_x_title=de(x_title))
    s = d["value"]
    integral = bool((s == s.round()).all())

    def num(v: float) -> str:
        return number(lang, v, 0 if integral and abs(v) >= 1000 else 1, grouping=True)

    return message(
        lang,
        "histogram",
        x_title=x_title,
        de_x_title=de(x_title),
        n=len(d),
        cities=count(lang, len(d), "city"),
        median=num(float(s.median())),
        min=num(float(s.min())),
        max=num(float(s.max())),
    )


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
    lang: str = "en",
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
        d3-format of the bin edges; default ``,.0f`` (10,000; 10 000 in French) on a log scale, ``~r`` otherwise.
    description, lang : str, optional
        Text alternative; by default built from the data in the language ``lang``: "en" or "fr" (others: English).
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
    require(df, [field], "histogram")
    d = df.copy()
    d["value"] = pd.to_numeric(d[field], errors="coerce").astype(float)
    d = d.dropna(subset=["value"])
    if log:
        d = d[d["value"] > 0]
    cols = ["value"]
    if field != "city":
        optional_text(d, "city", cols, at=0)
    values = records(d, cols)
    if description is None:
        description = _describe(d, x_title, lang)
    spec = base_spec(title=title, description=description, usermeta=usermeta, width=width, height=height, lang=lang)
    bin_: dict[str, Any] = {"step": bin_step} if bin_step else {"maxbins": maxbins}
    binned = {"binned": True, **({"step": bin_step} if bin_step else {})}
    fmt = x_format or (COUNT_FORMAT if log else "~r")
    spec["data"] = {"values": values}
    if log:
        spec["transform"] = [
            {"calculate": "log(datum.value) / LN10", "as": "log_value"},
            {"bin": bin_, "field": "log_value", "as": ["bin_start", "bin_end"]},
            {"calculate": "pow(10, datum.bin_start)", "as": "from"},
            {"calculate": "pow(10, datum.bin_end)", "as": "to"},
        ]
        log_axis: dict[str, Any] = {
            "labelExpr": f"format(round(pow(10, datum.value)), {lit(fmt)})",
            "labelFlush": False,
        }
        ticks = log_ticks(float(d["value"].min()), float(d["value"].max())) if len(d) else []
        if len(ticks) >= 2:
            log_axis["values"] = [math.log10(t) for t in ticks]
        x: dict[str, Any] = {
            "field": "bin_start",
            "type": "quantitative",
            "title": x_title,
            "axis": log_axis,
            "bin": binned,
        }
        x2: dict[str, Any] = {"field": "bin_end"}
    else:
        spec["transform"] = [{"bin": bin_, "field": "value", "as": ["from", "to"]}]
        x = {"field": "from", "type": "quantitative", "title": x_title, "bin": binned, "axis": {"format": fmt}}
        x2 = {"field": "to"}
    spec["mark"] = {"type": "bar", "color": BASE, "stroke": "white", "strokeWidth": 0.5, "tooltip": True}
    spec["encoding"] = {
        "x": x,
        "x2": x2,
        "y": {"aggregate": "count", "type": "quantitative", "title": y_title, "axis": {"tickMinStep": 1}},
        "tooltip": [
            quantitative("from", f"{x_title} ≥", fmt),
            quantitative("to", f"{x_title} <", fmt),
            {"aggregate": "count", "type": "quantitative", "title": y_title},
        ],
    }
    if log:  # the tooltip's bin edges must survive the count aggregate: group by them too
        spec["encoding"]["detail"] = [
            {"field": "from", "type": "quantitative"},
            {"field": "to", "type": "quantitative"},
        ]
    return spec
