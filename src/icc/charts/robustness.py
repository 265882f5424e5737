"""Charts of a robustness study: each city's nominal rank with its 5–95 % interval, what drives the uncertainty
(sensitivity indices with their bootstrap intervals), and how ranks would move under other area weights.

The caller passes every text (title, axis titles, the one-sentence ``description``) in the page's language: these
charts state study results (options, runs, the widest interval) that only the caller knows, so an empty
description is refused rather than guessed.
Rank axes run from 1 (best) at the top or left; colours are not the only carrier of meaning (shapes and
positions say the same).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from ._common import ACCENT, BASE, DARK, HIGHLIGHT, base_spec, rows_height
from ._data import records, require

__all__ = ["rank_changes", "rank_intervals", "sensitivity_bars"]


def _described(description: str, chart: str) -> None:
    if not str(description).strip():
        raise ValueError(f"{chart}: give the chart's text alternative (description)")


def rank_intervals(
    df: pd.DataFrame,
    *,
    title: str,
    description: str,
    city_title: str = "City",
    rank_title: str = "Rank (1 = best)",
    nominal_title: str = "Published rank",
    interval_title: str = "5–95 % of runs",
    median_title: str = "Median rank",
    highlight: str | None = None,
    width: int = 720,
    usermeta: Mapping[str, Any] | None = None,
    lang: str = "en",
) -> dict[str, Any]:
    """One row per city (best nominal rank first): a rule from Q5 to Q95, a tick at the median and a point at the
    nominal rank. Columns: ``city``, ``nominal``, ``median``, ``q5``, ``q95``.

    >>> spec = rank_intervals(pd.DataFrame({"city": ["Oslo"], "nominal": [1], "median": [1], "q5": [1],
    ...                                     "q95": [3]}), title="T", description="D")
    >>> [layer["mark"]["type"] for layer in spec["layer"]]
    ['rule', 'tick', 'point']
    """
    _described(description, "rank_intervals")
    require(df, ["city", "nominal", "median", "q5", "q95"], "rank_intervals")
    data = df.sort_values(["nominal", "city"]).copy()
    data["highlight"] = data["city"] == highlight if highlight else False
    values = records(data, ["city", "nominal", "median", "q5", "q95", "highlight"])
    order = [v["city"] for v in values]
    spec = base_spec(
        title=title,
        description=description,
        usermeta=usermeta,
        width=width,
        height=rows_height(len(values), 14),
        lang=lang,
    )
    y = {"field": "city", "type": "nominal", "sort": order, "title": city_title, "axis": {"labelLimit": 160}}
    x = {"type": "quantitative", "title": rank_title, "scale": {"zero": False, "nice": False}}
    tooltip = [
        {"field": "city", "type": "nominal", "title": city_title},
        {"field": "nominal", "type": "quantitative", "title": nominal_title},
        {"field": "median", "type": "quantitative", "title": median_title},
        {"field": "q5", "type": "quantitative", "title": "Q5", "format": ".1f"},
        {"field": "q95", "type": "quantitative", "title": "Q95", "format": ".1f"},
    ]
    color = {"condition": {"test": "datum.highlight", "value": HIGHLIGHT}, "value": BASE}
    spec["data"] = {"values": values}
    spec["layer"] = [
        {
            "mark": {"type": "rule", "strokeWidth": 3, "opacity": 0.6},
            "encoding": {"y": y, "x": {**x, "field": "q5"}, "x2": {"field": "q95"}, "color": color, "tooltip": tooltip},
        },
        {
            "mark": {"type": "tick", "thickness": 2, "size": 10, "color": DARK},
            "encoding": {"y": y, "x": {**x, "field": "median"}, "tooltip": tooltip},
        },
        {
            "mark": {"type": "point", "filled": True, "size": 40, "shape": "diamond"},
            "encoding": {"y": y, "x": {**x, "field": "nominal"}, "color": color, "tooltip": tooltip},
        },
    ]
    spec["encoding"] = {}
    return spec


def sensitivity_bars(
    df: pd.DataFrame,
    *,
    title: str,
    description: str,
    assumption_title: str = "Assumption",
    index_title: str = "Share of the rank variance",
    first_label: str = "First order (alone)",
    total_label: str = "Total (with interactions)",
    kind_title: str = "Index",
    width: int = 640,
    usermeta: Mapping[str, Any] | None = None,
    lang: str = "en",
) -> dict[str, Any]:
    """Bars of the first-order and total index of each assumption with their bootstrap 5–95 % intervals.
    Columns: ``assumption``, ``si``, ``sti``, ``si_q5``, ``si_q95``, ``sti_q5``, ``sti_q95``."""
    _described(description, "sensitivity_bars")
    require(df, ["assumption", "si", "sti", "si_q5", "si_q95", "sti_q5", "sti_q95"], "sensitivity_bars")
    rows = []
    for r in df.to_dict("records"):
        rows.append(
            {"assumption": r["assumption"], "kind": first_label, "value": r["si"], "lo": r["si_q5"], "hi": r["si_q95"]}
        )
        rows.append(
            {
                "assumption": r["assumption"],
                "kind": total_label,
                "value": r["sti"],
                "lo": r["sti_q5"],
                "hi": r["sti_q95"],
            }
        )
    values = records(pd.DataFrame(rows), ["assumption", "kind", "value", "lo", "hi"])
    spec = base_spec(
        title=title, description=description, usermeta=usermeta, width=width, height=rows_height(len(df), 44), lang=lang
    )
    y = {"field": "assumption", "type": "nominal", "title": assumption_title, "sort": list(df["assumption"])}
    offset = {"field": "kind", "type": "nominal", "sort": [first_label, total_label]}
    color = {
        "field": "kind",
        "type": "nominal",
        "title": kind_title,
        "sort": [first_label, total_label],
        "scale": {"domain": [first_label, total_label], "range": [ACCENT, BASE]},
    }
    tooltip = [
        {"field": "assumption", "type": "nominal", "title": assumption_title},
        {"field": "kind", "type": "nominal", "title": kind_title},
        {"field": "value", "type": "quantitative", "format": ".2f", "title": index_title},
        {"field": "lo", "type": "quantitative", "format": ".2f", "title": "Q5"},
        {"field": "hi", "type": "quantitative", "format": ".2f", "title": "Q95"},
    ]
    spec["data"] = {"values": values}
    spec["encoding"] = {"y": y, "yOffset": offset}
    spec["layer"] = [
        {
            "mark": {"type": "bar"},
            "encoding": {
                "x": {
                    "field": "value",
                    "type": "quantitative",
                    "title": index_title,
                    "scale": {"domain": [0, 1], "clamp": True},
                },
                "color": color,
                "tooltip": tooltip,
            },
        },
        {
            "mark": {"type": "rule", "color": DARK},
            "encoding": {"x": {"field": "lo", "type": "quantitative"}, "x2": {"field": "hi"}, "tooltip": tooltip},
        },
    ]
    return spec


def rank_changes(
    df: pd.DataFrame,
    *,
    title: str,
    description: str,
    city_title: str = "City",
    rank_title: str = "Rank (1 = best)",
    now_label: str = "Published weights",
    new_label: str = "New weights",
    kind_title: str = "Weights",
    width: int = 720,
    usermeta: Mapping[str, Any] | None = None,
    lang: str = "en",
) -> dict[str, Any]:
    """A dumbbell per city: its rank with the published weights (circle) and with the new ones (square), joined
    by a line. Columns: ``city``, ``rank``, ``new_rank``."""
    _described(description, "rank_changes")
    require(df, ["city", "rank", "new_rank"], "rank_changes")
    data = df.dropna(subset=["rank", "new_rank"]).sort_values(["new_rank", "city"])
    order = list(data["city"])
    long = pd.concat(
        [
            pd.DataFrame({"city": data["city"], "kind": now_label, "rank": data["rank"], "other": data["new_rank"]}),
            pd.DataFrame({"city": data["city"], "kind": new_label, "rank": data["new_rank"], "other": data["rank"]}),
        ]
    )
    values = records(long, ["city", "kind", "rank", "other"])
    spec = base_spec(
        title=title,
        description=description,
        usermeta=usermeta,
        width=width,
        height=rows_height(len(data), 14),
        lang=lang,
    )
    y = {"field": "city", "type": "nominal", "sort": order, "title": city_title, "axis": {"labelLimit": 160}}
    x = {"field": "rank", "type": "quantitative", "title": rank_title, "scale": {"zero": False, "nice": False}}
    tooltip = [
        {"field": "city", "type": "nominal", "title": city_title},
        {"field": "kind", "type": "nominal", "title": kind_title},
        {"field": "rank", "type": "quantitative", "title": rank_title},
    ]
    spec["data"] = {"values": values}
    spec["layer"] = [
        {"mark": {"type": "line", "color": "#999999"}, "encoding": {"y": y, "x": x, "detail": {"field": "city"}}},
        {
            "mark": {"type": "point", "filled": True, "size": 40},
            "encoding": {
                "y": y,
                "x": x,
                "tooltip": tooltip,
                "color": {
                    "field": "kind",
                    "type": "nominal",
                    "title": kind_title,
                    "scale": {"domain": [now_label, new_label], "range": [BASE, ACCENT]},
                },
                "shape": {
                    "field": "kind",
                    "type": "nominal",
                    "title": kind_title,
                    "scale": {"domain": [now_label, new_label], "range": ["circle", "square"]},
                },
            },
        },
    ]
    return spec
