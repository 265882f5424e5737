"""A chart built for a French page writes its numbers as the page does (98,5; 1 000 000), in the browser and in the
PNG/SVG downloads; the large numbers of a log axis are written in full, which reads in every language."""

from __future__ import annotations

import re

import pandas as pd

from icc import charts

NBSP = "\u00a0"


def _texts(svg: bytes) -> list[str]:
    return re.findall(r">([^<>]+)</text>", svg.decode())


def test_a_french_chart_renders_decimal_commas_and_grouped_thousands():
    df = pd.DataFrame({"city": ["Tilburg", "Oslo"], "score": [98.46153846153847, 54.8], "rank": [1, 2]})
    french = _texts(charts.render(charts.ranking_bars(df, title="Indice", lang="fr"), "svg"))
    assert "98,5" in french and "98.5" not in french
    assert "98.5" in _texts(charts.render(charts.ranking_bars(df, title="Index"), "svg"))


def test_a_log_population_axis_writes_whole_numbers_with_the_languages_separators():
    df = pd.DataFrame({"population": [12_000, 35_000, 120_000, 450_000, 1_300_000]})
    english = _texts(
        charts.render(charts.histogram(df, field="population", log=True, title="Size", x_title="Population"), "svg")
    )
    french = _texts(
        charts.render(
            charts.histogram(df, field="population", log=True, title="Taille", x_title="Population", lang="fr"), "svg"
        )
    )
    assert "100,000" in english and "1,000,000" in english and not any(t.endswith(("k", "M")) for t in english)
    assert f"100{NBSP}000" in french and f"1{NBSP}000{NBSP}000" in french


def test_the_diagonal_of_core_against_extended_speaks_the_language():
    df = pd.DataFrame({"city": ["Oslo"], "index_core": [80.0], "index_extended": [82.0]})
    labels = [
        layer["encoding"].get("text", {}).get("value")
        for layer in charts.core_vs_extended(df, title="t", lang="fr")["layer"]
    ]
    assert "étendu = principal" in labels and "extended = core" not in labels
    english = charts.core_vs_extended(df, title="t")["layer"][-1]["encoding"]["text"]["value"]
    assert english == "extended = core"
