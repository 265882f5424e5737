"""Charts of the ICC Index as Vega-Lite v6 specifications (plain, JSON-serialisable dicts), and their rendering to
SVG/PNG.

Pure Python (pandas, vl-convert): no Django. The web pages embed the specs with vega-embed
(``vegaEmbed("#chart", spec)``); the downloads render them with :func:`render`.

Every chart builder takes a pandas DataFrame and returns a spec; import them from this package:

* :mod:`~icc.charts.ranking`: :func:`ranking_bars`;
* :mod:`~icc.charts.robustness`: :func:`rank_intervals`, :func:`sensitivity_bars`, :func:`rank_changes`;
* :mod:`~icc.charts.areas`: :func:`city_vs_peers`, :func:`area_averages` (one row per area);
* :mod:`~icc.charts.trends`: :func:`progress_lines`;
* :mod:`~icc.charts.scatter_plots`: :func:`scatter`, :func:`core_vs_extended`;
* :mod:`~icc.charts.facts`: :func:`members_by_country`, :func:`histogram` (the member network);
* :mod:`~icc.charts.maps`: :func:`member_map`;
* :mod:`~icc.charts.render`: :func:`render` (with the metadata inside the file: :func:`png_with_text`,
  :func:`svg_with_metadata`);
* :func:`mark_demo` marks a chart drawn from demo data (a subtitle and the start of its text alternative).

The private modules ``_common`` (Vega-Lite building blocks), ``_data`` (DataFrame → JSON values) and ``_text`` (the
words of the default descriptions, in English and French) serve them all.

Conventions shared by all charts:

* ``$schema`` is Vega-Lite v6; the data is inline (``data.values``), never a URL, so the spec is self-contained.
* ``title`` is required; ``description`` is a one-sentence text alternative for screen readers. When the caller
  does not pass one, it is built from the data in the language ``lang``: ``"en"`` (the default) or ``"fr"``; any
  other language gets English.
* ``usermeta`` (edition, framework, filters, licence, citation, …) is copied in unchanged.
* ``width`` is the width of the whole image in pixels (axes, labels, legend and padding included: autosize
  ``fit-x``); ``height`` is the height of the plot area. ``"container"`` is not used because vl-convert cannot
  size to a container.
* Every human-readable text (titles, axis, legend and tooltip titles, legend labels) is a keyword parameter with
  an English default, so the caller can pass translations.
* Scores are percentages (0–100): score axes span 0–100 and tooltips show one decimal.
* NaN and missing values become ``None`` (JSON ``null``); numpy and pandas scalars become Python scalars.

Examples
--------
>>> import pandas as pd
>>> from icc import charts
>>> spec = charts.ranking_bars(pd.DataFrame({"city": ["Tilburg"], "score": [98.5], "rank": [1]}), title="Core index")
>>> spec["$schema"]
'https://vega.github.io/schema/vega-lite/v6.json'
"""

from ._common import SCHEMA, SUBAREA_PREFIX, mark_demo
from ._data import to_json_value
from .areas import area_averages, city_vs_peers
from .facts import histogram, members_by_country
from .maps import member_map
from .ranking import ranking_bars
from .render import FORMATS, VL_VERSION, png_with_text, render, svg_with_metadata
from .robustness import rank_changes, rank_intervals, sensitivity_bars
from .scatter_plots import core_vs_extended, scatter
from .trends import progress_lines

__all__ = [
    "rank_changes",
    "rank_intervals",
    "sensitivity_bars",
    "FORMATS",
    "SCHEMA",
    "SUBAREA_PREFIX",
    "VL_VERSION",
    "area_averages",
    "city_vs_peers",
    "core_vs_extended",
    "histogram",
    "mark_demo",
    "member_map",
    "members_by_country",
    "png_with_text",
    "progress_lines",
    "ranking_bars",
    "render",
    "scatter",
    "svg_with_metadata",
    "to_json_value",
]
