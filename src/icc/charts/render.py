"""Render a Vega-Lite specification to SVG or PNG bytes with vl-convert (no browser, no network)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import vl_convert as vlc

#: The Vega-Lite version vl-convert compiles with (the browser loads vega-lite 6.4.x too).
VL_VERSION = "6.4"
FORMATS = ("svg", "png")


def render(spec: Mapping[str, Any], fmt: str, scale: float = 2.0) -> bytes:
    """The chart of ``spec`` as SVG (UTF-8 text) or PNG bytes.

    Parameters
    ----------
    spec : dict
        A Vega-Lite specification with inline data (as built by the chart builders of :mod:`icc.charts`).
    fmt : {"svg", "png"}
        Output format.
    scale : float
        PNG only: pixels per spec pixel (2.0 gives a sharp image on high-density screens and in print).

    Returns
    -------
    bytes

    Raises
    ------
    ValueError
        For a format other than svg or png.

    Examples
    --------
    >>> spec = {"mark": "point", "data": {"values": [{"a": 1}]},
    ...         "encoding": {"x": {"field": "a", "type": "quantitative"}}}
    >>> render(spec, "svg")[:4]
    b'<svg'
    """
    fmt = fmt.lower()
    if fmt == "svg":
        return vlc.vegalite_to_svg(dict(spec), vl_version=VL_VERSION).encode("utf-8")
    if fmt == "png":
        return bytes(vlc.vegalite_to_png(dict(spec), vl_version=VL_VERSION, scale=scale))
    raise ValueError(f"unknown chart format {fmt!r}: use one of {', '.join(FORMATS)}")
