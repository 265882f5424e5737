"""What a reader sees in the drawn charts: no legend entry, axis label or area name cut or hidden, every edition
year labelled, and no layer without data (Vega warns about its extent)."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from icc import charts
from icc.charts.render import render
from icc.charts.scatter_plots import REFERENCE_LABEL_BOX, reference_label_position

BANDS = [
    "fewer than 100,000 inhabitants",
    "100,000–200,000 inhabitants",
    "200,000–500,000 inhabitants",
    "500,000 inhabitants or more",
]


def drawn_text(spec: dict) -> list[str]:
    """Every piece of text of the rendered SVG (labels, titles, legend entries), one line each."""
    svg = render(spec, "svg").decode()
    return [t for pair in re.findall(r"<tspan[^>]*>([^<]*)</tspan>|<text[^>]*>([^<]+)</text>", svg) for t in pair if t]


def test_the_scatter_legend_names_every_size_band_in_full_one_a_line():
    df = pd.DataFrame(
        {
            "city": [f"City {i}" for i in range(8)],
            "x": [5.0, 10.0, 15.0, 20.0, 25.0, 30.0, 35.0, 40.0],
            "score": [40.0, 45.0, 50.0, 55.0, 60.0, 65.0, 70.0, 75.0],
            "group": BANDS * 2,
        }
    )
    spec = charts.scatter(df, x_title="Foreign-born (%)", title="t", group_title="Size", group_order=BANDS, width=390)
    legend = spec["layer"][0]["encoding"]["color"]["legend"]
    # on the right: the page's script moves such a legend under the plot, one entry a line, on a narrow screen
    assert legend["orient"] == "right" and legend["direction"] == "vertical" and legend["labelLimit"] == 0
    text = drawn_text(spec)
    assert all(band in text for band in BANDS) and not any(t.endswith("…") for t in text)


def test_the_diagonal_s_key_stands_in_a_corner_where_no_city_is_and_over_the_points():
    rng = np.random.default_rng(7)
    core = rng.uniform(2, 98, 120)
    extended = np.clip(core + rng.normal(0, 3, core.size), 0, 100)  # cities hug the diagonal
    df = pd.DataFrame({"city": [f"C{i}" for i in range(core.size)], "index_core": core, "index_extended": extended})
    layers = charts.core_vs_extended(df, title="t")["layer"]
    dash, label = layers[-2], layers[-1]  # drawn last: over the points
    assert label["mark"]["type"] == "text" and label["encoding"]["text"]["value"] == "extended = core"
    assert "angle" not in label["mark"] and dash["mark"]["strokeDash"] == [5, 4]
    assert label["data"] == dash["data"] == layers[0]["data"] == {"values": [{}]}  # drawn once, not once a city
    svg = render(charts.core_vs_extended(df, title="t"), "svg").decode()
    assert svg.count(">extended = core</text>") == 1
    x, y = dash["encoding"]["x"]["datum"], dash["encoding"]["y"]["datum"]
    assert (x, y) == reference_label_position(core, extended) == (2.0, 96.0)
    across, up = REFERENCE_LABEL_BOX
    assert not ((core <= x + across) & (np.abs(extended - y) <= up)).any()
    # a city in the upper-left corner sends the key to the lower-right one
    assert reference_label_position(np.append(core, 10.0), np.append(extended, 97.0)) == (56.0, 6.0)


def test_the_progress_chart_labels_every_edition_year_even_narrow():
    years = [2011, 2012, 2014, 2015, 2017, 2019, 2022, 2025]
    df = pd.DataFrame({"city": "Oslo", "year": years, "score": np.linspace(50, 80, len(years))})
    spec = charts.progress_lines(df, title="t", width=390)
    axis = spec["encoding"]["x"]["axis"]
    assert axis["values"] == years and axis["labelOverlap"] is False
    text = drawn_text(spec)
    assert all(str(y) in text for y in years)


def test_a_long_area_name_is_written_on_two_lines_not_cut():
    df = pd.DataFrame(
        {
            "item_label": ["Education", "Intercultural intelligence and competence"],
            "level": ["area", "area"],
            "city_score": [50.0, 60.0],
            "peer_mean": [40.0, 50.0],
            "peer_max": [80.0, 90.0],
            "sample_mean": [45.0, 55.0],
        }
    )
    text = drawn_text(charts.city_vs_peers(df, city="Oslo", title="t"))
    assert "Intercultural intelligence" in text and "and competence" in text
    assert not any(t.endswith("…") for t in text)


def test_a_progress_chart_without_published_results_has_no_empty_layer():
    df = pd.DataFrame({"city": "Oslo", "year": [2019, 2025], "score": [60.0, 70.0], "source": "computed"})
    layers = charts.progress_lines(df, title="t")["layer"]
    filters = [t["filter"] for layer in layers for t in layer.get("transform", [])]
    assert "datum.source === 'published'" not in filters and len(layers) == 2
    published = pd.DataFrame({"city": "Oslo", "year": [2014], "score": [55.0], "source": "published"})
    layers = charts.progress_lines(published, title="t")["layer"]
    assert [t["filter"] for layer in layers for t in layer.get("transform", [])] == ["datum.source === 'published'"]
