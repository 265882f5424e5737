"""The progress chart: a line per city through its scores by year, broken where the framework changes (a dashed
rule marks the first edition of a revised framework), published historical results as open diamonds."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from ._common import base_spec, lit, nominal, quantitative, score_channel
from ._data import numeric, records, require, text
from ._text import count, message, pct

__all__ = ["framework_changes", "progress_lines", "with_note"]


def _source_filter(op: str) -> list[dict[str, str]]:
    """A transform keeping the published historical results (``op`` ``===``) or the computed scores (``!==``)."""
    return [{"filter": f"datum.source {op} 'published'"}]


def framework_changes(values: list[dict[str, Any]]) -> list[tuple[int, str]]:
    """(year, framework) of every framework change among the computed points: the first year of each framework
    but the first, frameworks in the order of their first year.

    >>> framework_changes([{"year": 2015, "framework": "icc-2011", "source": "computed"},
    ...                    {"year": 2019, "framework": "icc-2019", "source": "computed"}])
    [(2019, 'icc-2019')]
    """
    first: dict[str, int] = {}
    for v in values:
        if v["source"] == "computed" and v.get("framework"):
            first[v["framework"]] = min(first.get(v["framework"], v["year"]), v["year"])
    ordered = sorted(first.items(), key=lambda item: (item[1], item[0]))
    return [(year, fw) for fw, year in ordered[1:]]


def _segments(pts: list[dict[str, Any]], lang: str) -> str:
    """A city's computed scores as one part per framework in the order of their years, then its published
    historical results one by one."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for v in pts:
        if v["source"] == "computed":
            groups.setdefault(v["framework"], []).append(v)
    parts = []
    for fw, seg in groups.items():
        first, last = seg[0], seg[-1]
        parts.append(
            message(
                lang,
                "progress_segment_change",
                first_score=pct(lang, first["score"]),
                first_year=first["year"],
                last_score=pct(lang, last["score"]),
                last_year=last["year"],
                framework=fw,
            )
            if len(seg) > 1
            else message(lang, "progress_segment", score=pct(lang, first["score"]), year=first["year"], framework=fw)
        )
    text = message(lang, "progress_then").join(parts)
    published = [
        message(lang, "progress_segment", score=pct(lang, v["score"]), year=v["year"], framework=v["source_label"])
        for v in pts
        if v["source"] == "published"
    ]
    return message(lang, "progress_and").join(part for part in (text, ", ".join(published)) if part)


def _describe(values: list[dict[str, Any]], cities: list[str], lang: str, changes: list[tuple[int, str]]) -> str:
    """The default description: the first and last score of (at most six) cities — per framework, and saying why
    the lines are broken, when the framework changes."""
    if not values:
        return message(lang, "progress_empty")
    parts = []
    for c in cities[:6]:
        pts = [v for v in values if v["city"] == c]
        first, last = pts[0], pts[-1]
        if changes:
            parts.append(message(lang, "progress_city_segments", city=c, segments=_segments(pts, lang)))
        elif len(pts) > 1:
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
            )
        else:
            parts.append(message(lang, "progress_city", city=c, score=pct(lang, first["score"]), year=first["year"]))
    more = message(lang, "and_more", others=count(lang, len(cities) - 6, "other")) if len(cities) > 6 else ""
    years = [v["year"] for v in values]
    text = message(
        lang,
        "progress",
        cities=count(lang, len(cities), "city"),
        first=min(years),
        last=max(years),
        parts=message(lang, "list_separator").join(parts),
        more=more,
    )
    if changes:
        listed = [message(lang, "progress_change", framework=fw, year=year) for year, fw in changes]
        text += " " + message(lang, "progress_broken", changes=message(lang, "list_separator").join(listed))
    return text


def with_note(spec: dict[str, Any], note: str) -> dict[str, Any]:
    """``spec`` with ``note`` as a line under its title (after any line already there, such as the demo-data note)
    and at the end of its text alternative; adding the same note twice changes nothing.

    >>> spec = with_note({"title": {"text": "T", "subtitle": "Demo"}, "description": "Chart."}, "On 49 questions")
    >>> spec["title"]["subtitle"], spec["description"]
    (['Demo', 'On 49 questions'], 'Chart. On 49 questions.')
    """
    title = spec.get("title")
    title = dict(title) if isinstance(title, dict) else {"text": title or ""}
    lines = title.get("subtitle") or []
    lines = [lines] if isinstance(lines, str) else list(lines)
    if note not in lines:
        lines.append(note)
    title["subtitle"] = lines
    spec["title"] = title
    sentence = note if note.rstrip().endswith((".", "!", "?", "…")) else note + "."
    description = spec.get("description") or ""
    if sentence not in description:
        spec["description"] = f"{description} {sentence}".strip()
    return spec


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
    note: str | None = None,
    lang: str = "en",
    usermeta: Mapping[str, Any] | None = None,
    width: int = 640,
    height: int = 320,
) -> dict[str, Any]:
    """A line per city through its scores by year; published historical results are open diamonds, apart from the
    lines, so that a real published result never looks like a computed (or invented demo) score.

    A city's line is broken where the framework changes: scores computed with different frameworks rest on
    different questions, so one line per city and framework is drawn, a dashed rule labelled "first edition on
    <id>" stands on the first edition of each later framework, and the description says so.

    Parameters
    ----------
    df : DataFrame
        Columns ``city``, ``year`` (int), ``score`` (0–100), ``source`` (``'computed'`` or ``'published'``;
        missing means computed); optional ``framework`` (the framework a computed score was computed with:
        the line of a city is broken where it changes), ``is_demo`` (true for scores invented by the demo generator:
        their legend entry is ``demo_label``) and ``source_url`` (the address of a published result, in its
        tooltip). The line of a city joins its computed points of one framework in year order.
    title, y_title, x_title, city_title, source_title, source_url_title : str
        Chart title, axis titles, legend/tooltip titles.
    computed_label, demo_label, published_label : str
        Legend labels of the point shapes (only those present in the data are listed).
    description, lang : str, optional
        Text alternative; by default built from the data in the language ``lang``: "en" or "fr" (others: English).
        The framework-change labels are in ``lang`` too.
    note : str, optional
        What the scores rest on (e.g. "on the 49 questions both frameworks share"): a line under the title and a
        sentence at the end of the description (:func:`with_note`).
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
    >>> revised = pd.DataFrame({"city": ["Oslo", "Oslo"], "year": [2015, 2019], "score": [40.0, 50.0],
    ...                         "framework": ["icc-2011", "icc-2019"]})
    >>> spec = progress_lines(revised, title="Core index")
    >>> spec["description"]  # doctest: +NORMALIZE_WHITESPACE
    "Line chart of the scores of 1 city from 2015 to 2019: Oslo 40.0% in 2015 (icc-2011), then 50.0% in 2019
    (icc-2019). Each city's line is broken where the framework was revised (icc-2019 from 2019): scores computed
    with different frameworks rest on different questions, so they are not joined."
    >>> spec["layer"][0]["data"]["values"]
    [{'year': 2019, 'first_year': 2019, 'label': 'first edition on icc-2019'}]
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
    d["framework"] = text(d, "framework") if "framework" in d.columns else ""
    d.loc[d["source"].eq("published"), "framework"] = ""
    d = d.sort_values(["city", "year", "source"], kind="stable")
    values = records(d, ["city", "year", "score", "source", "source_label", "source_url", "framework"])
    cities = list(dict.fromkeys(v["city"] for v in values))
    changes = framework_changes(values)
    if description is None:
        description = _describe(values, cities, lang, changes)
    spec = base_spec(title=title, description=description, usermeta=usermeta, width=width, height=height, lang=lang)
    years = sorted({v["year"] for v in values})
    x: dict[str, Any] = {
        "field": "year",
        "type": "quantitative",
        "title": x_title,
        "scale": {"zero": False, "nice": False, "padding": 16},
        "axis": {"format": "d", "tickMinStep": 1, "grid": False, "labelFlush": False},
    }
    if years:
        # every year with a score is labelled (none dropped for overlapping: slanted where the plot is narrow); with
        # more than 12, the editions computed by the platform and the first and last year (never a tick between
        # them alone: the newest year is always labelled)
        if len(years) > 12:
            years = sorted({years[0], years[-1], *(v["year"] for v in values if v["source"] == "computed")})
        narrow = f"width < {len(years) * 44}"
        x["axis"].update(
            {
                "values": years,
                "labelOverlap": False,
                "labelAngle": {"expr": f"{narrow} ? -45 : 0"},
                "labelAlign": {"expr": f"{narrow} ? 'right' : 'center'"},
            }
        )
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
    # x is shared by every layer; y and colour belong to the layers of points and lines (the framework-change
    # layers have data of their own, with no score or city)
    spec["encoding"] = {"x": x}
    y = score_channel("score", y_title)
    computed_layers = [
        {
            # lines join only the scores computed by the platform, one line per city and framework; published
            # historical results stand alone
            "transform": _source_filter("!=="),
            "mark": {"type": "line", "strokeWidth": 2, "opacity": 0.8},
            "encoding": {
                "y": y,
                "color": color,
                "detail": {"field": "framework", "type": "nominal"},
                "order": {"field": "year"},
            },
        },
        {
            "transform": _source_filter("!=="),
            "mark": {"type": "point", "filled": True, "size": 50, "opacity": 1},
            "encoding": {"y": y, "color": color, "shape": shape, "tooltip": tooltip},
        },
    ]
    published_layers = [
        {
            "transform": _source_filter("==="),
            "mark": {"type": "point", "filled": False, "size": 90, "strokeWidth": 2, "opacity": 1, "fill": "white"},
            "encoding": {
                "y": y,
                "color": color,
                "shape": shape,
                "tooltip": [*tooltip, nominal("source_url", source_url_title)],
            },
        },
    ]
    # only the layers with points: a layer whose filter leaves no row makes Vega warn "Infinite extent for field
    # year" (e.g. no published result on the comparable basis); an empty chart keeps the computed layers
    sources = {v["source"] for v in values}
    spec["layer"] = (computed_layers if "computed" in sources or not values else []) + (
        published_layers if "published" in sources else []
    )
    if changes:
        # the rule stands on the first edition of the revised framework (on its tick, under its points: drawn
        # first), labelled so: it cannot be read as a revision in the year of a point before it
        marks = [
            {"year": year, "first_year": year, "label": message(lang, "progress_revised", framework=fw)}
            for year, fw in changes
        ]
        spec["layer"] = [
            {
                "data": {"values": marks},
                "mark": {"type": "rule", "color": "#777", "strokeDash": [4, 3], "strokeWidth": 1},
            },
            {
                "data": {"values": marks},
                "mark": {"type": "text", "align": "left", "baseline": "top", "dx": 4, "dy": 2, "color": "#555"},
                "encoding": {"y": {"value": 0}, "text": {"field": "label", "type": "nominal"}},
            },
            *spec["layer"],
        ]
    if note:
        with_note(spec, note)
    return spec
