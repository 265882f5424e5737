"""Charts of the ICC Index as Vega-Lite v6 specifications (plain dicts), and their rendering to SVG/PNG.

Pure Python (pandas, vl-convert): no Django. The web pages embed the specs with vega-embed; the downloads
render them with :func:`render`.

Examples
--------
>>> import pandas as pd
>>> from icc import charts
>>> spec = charts.ranking_bars(pd.DataFrame({"city": ["Tilburg"], "score": [98.5], "rank": [1]}), title="Core index")
>>> spec["$schema"]
'https://vega.github.io/schema/vega-lite/v6.json'
"""

from .render import FORMATS, VL_VERSION, render
from .specs import (
    SCHEMA,
    SUBAREA_PREFIX,
    area_averages,
    city_vs_peers,
    core_vs_extended,
    histogram,
    member_map,
    members_by_country,
    progress_lines,
    ranking_bars,
    scatter,
    to_json_value,
)

__all__ = [
    "FORMATS",
    "SCHEMA",
    "SUBAREA_PREFIX",
    "VL_VERSION",
    "area_averages",
    "city_vs_peers",
    "core_vs_extended",
    "histogram",
    "member_map",
    "members_by_country",
    "progress_lines",
    "ranking_bars",
    "render",
    "scatter",
    "to_json_value",
]
