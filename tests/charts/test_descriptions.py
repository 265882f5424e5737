"""The default descriptions (text alternatives) of the charts in English and French, and the language helpers.

The expected French texts show the no-break space (U+00A0) of French typography as ``~``: :func:`_shown` turns every
no-break space of a description into ``~`` (and checks that the description has no ``~`` of its own), so the
comparison stays exact.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pytest

from icc import charts
from icc.charts import _text

NBSP = "\u00a0"
WORLD = {"type": "Topology", "objects": {"countries": {}}}

Builder = Callable[..., dict[str, Any]]


def _shown(text: str) -> str:
    """``text`` with its no-break spaces shown as ``~``."""
    assert "~" not in text
    return text.replace(NBSP, "~")


# ---------------------------------------------------------------------------------------------------------------------
# one small chart per builder: how to build it, its English and its French description
# ---------------------------------------------------------------------------------------------------------------------


def _ranking(**kw: Any) -> dict[str, Any]:
    df = pd.DataFrame({"city": ["Oslo", "Tilburg", "Bilbao"], "score": [81.25, 98.5, 74.0], "rank": [2, 1, 3]})
    return charts.ranking_bars(df, highlight="Oslo", title="Indice principal — 2025", **kw)


def _peers(**kw: Any) -> dict[str, Any]:
    df = pd.DataFrame(
        {
            "item_label": ["Engagement", "Éducation", "École", "Quartiers"],
            "level": ["area", "area", "subarea", "area"],
            "city_score": [80.0, 55.5, 40.0, 90.0],
            "peer_mean": [60.0, 58.2, 45.0, np.nan],
            "peer_max": [95.0, 88.0, 70.0, 100.0],
            "sample_mean": [57.1, 50.0, 44.4, 61.0],
        }
    )
    return charts.city_vs_peers(df, city="Amadora", title="Amadora face à son groupe de pairs", **kw)


def _averages(**kw: Any) -> dict[str, Any]:
    df = pd.DataFrame(
        {"item_label": ["Engagement", "Éducation", "Accueil"], "mean": [61.2, 48.0, 52.25], "best": [100.0, 95, 98]}
    )
    return charts.area_averages(df, title="Moyennes par domaine", **kw)


def _progress(**kw: Any) -> dict[str, Any]:
    df = pd.DataFrame(
        {
            "city": ["Oslo", "Oslo", "Lublin"],
            "year": [2014, 2025, 2025],
            "score": [66.0, 78.5, 62.1],
            "source": ["published", "computed", "computed"],
        }
    )
    return charts.progress_lines(df, title="Progrès", **kw)


def _scatter(**kw: Any) -> dict[str, Any]:
    df = pd.DataFrame({"city": ["A", "B", "C"], "x": [1.0, 2.0, 3.0], "score": [30.0, 10.0, 20.0]})
    return charts.scatter(df, x_title="Immigrés (%)", y_title="Indice principal (%)", title="Nuage", **kw)


def _core_vs_extended(**kw: Any) -> dict[str, Any]:
    df = pd.DataFrame({"city": ["Oslo", "Lublin"], "index_core": [80.0, 60.0], "index_extended": [82.0, 55.0]})
    return charts.core_vs_extended(df, title="Indice principal et indice étendu", **kw)


def _members(**kw: Any) -> dict[str, Any]:
    df = pd.DataFrame({"country": ["Espagne", "Italie"], "n": [12, 20]})
    return charts.members_by_country(df, title="Villes membres par pays", **kw)


def _histogram(**kw: Any) -> dict[str, Any]:
    df = pd.DataFrame({"city": ["A", "B", "C"], "population": [50_000, 120_000, 2_000_000]})
    return charts.histogram(df, field="population", title="Taille", x_title="Population", log=True, **kw)


def _map(**kw: Any) -> dict[str, Any]:
    df = pd.DataFrame(
        {
            "city": ["Oslo", "Bilbao", "Lublin"],
            "country": ["NO", "ES", "PL"],
            "latitude": [59.91, 43.26, 51.25],
            "longitude": [10.75, -2.93, 22.57],
            "score": [81.25, 74.0, None],
        }
    )
    return charts.member_map(df, world_topojson=WORLD, title="Villes membres", score_title="Indice principal (%)", **kw)


CASES: dict[str, tuple[Builder, str, str]] = {
    "ranking_bars": (
        _ranking,
        "Bar chart of 3 cities ranked by score (Indice principal — 2025); highest Tilburg 98.5%, lowest Bilbao 74.0%; "
        "Oslo highlighted (rank 2, 81.2%).",
        "Diagramme en barres du classement de 3 villes par score (Indice principal — 2025)~; score le plus élevé~: "
        "Tilburg (98,5~%), le plus bas~: Bilbao (74,0~%)~; Oslo en évidence (rang 2, 81,2~%).",
    ),
    "city_vs_peers": (
        _peers,
        "Bar chart of Amadora's scores in 3 areas against its peer group's mean and best; above the peer mean in 1 of "
        "2, highest Quartiers 90.0%, lowest Éducation 55.5%.",
        "Diagramme en barres des scores d'Amadora dans 3 domaines comparés à la moyenne et au meilleur score de son "
        "groupe de pairs~; au-dessus de la moyenne des pairs dans 1 domaine sur 2, score le plus élevé~: Quartiers "
        "(90,0~%), le plus bas~: Éducation (55,5~%).",
    ),
    "area_averages": (
        _averages,
        "Bar chart of the mean score of all cities in 3 areas; highest Engagement 61.2%, lowest Éducation 48.0%.",
        "Diagramme en barres du score moyen de toutes les villes dans 3 domaines~; score le plus élevé~: Engagement "
        "(61,2~%), le plus bas~: Éducation (48,0~%).",
    ),
    "progress_lines": (
        _progress,
        "Line chart of the scores of 2 cities from 2014 to 2025: Lublin 62.1% in 2025; Oslo 66.0% in 2014 to 78.5% "
        "in 2025.",
        "Graphique en courbes des scores de 2 villes entre 2014 et 2025~: Lublin, 62,1~% en 2025~; Oslo, de 66,0~% "
        "en 2014 à 78,5~% en 2025.",
    ),
    "scatter": (
        _scatter,
        "Scatter plot of 3 cities, Indice principal (%) against Immigrés (%) (correlation coefficient: -0.50).",
        "Nuage de points de 3 villes, Indice principal (%) en fonction d'Immigrés (%) (coefficient de "
        "corrélation~: -0,50).",
    ),
    "core_vs_extended": (
        _core_vs_extended,
        "Scatter plot of the core index against the extended index of 2 cities; 1 score higher on the extended index.",
        "Nuage de points de l'indice principal par rapport à l'indice étendu pour 2 villes~; score plus élevé sur "
        "l'indice étendu pour 1 ville.",
    ),
    "members_by_country": (
        _members,
        "Bar chart of 32 member cities in 2 countries; most in Italie (20).",
        "Diagramme en barres de 32 villes membres dans 2 pays~; pays le plus représenté~: Italie (20).",
    ),
    "histogram": (
        _histogram,
        "Histogram of Population for 3 cities; median 120,000, range 50,000 to 2,000,000.",
        "Histogramme de Population pour 3 villes~; médiane 120~000~; valeurs comprises entre 50~000 et 2~000~000.",
    ),
    "member_map": (
        _map,
        "World map of 3 member cities in 3 countries, coloured by Indice principal (%).",
        "Carte du monde de 3 villes membres dans 3 pays~; couleur~: Indice principal (%).",
    ),
}

NAMES = list(CASES)
CALLER_DESCRIBED = {"rank_intervals", "rank_changes", "sensitivity_bars"}
"""Robustness charts: their text alternative states the study's results, which only the caller knows."""


def test_every_describing_builder_has_a_case():
    not_builders = {
        "FORMATS",
        "SCHEMA",
        "SUBAREA_PREFIX",
        "VL_VERSION",
        "mark_demo",
        "png_with_text",
        "render",
        "svg_with_metadata",
        "to_json_value",
    }
    assert set(NAMES) == set(charts.__all__) - not_builders - CALLER_DESCRIBED


@pytest.mark.parametrize("name", sorted(CALLER_DESCRIBED))
def test_a_robustness_chart_refuses_to_go_without_a_text_alternative(name):
    with pytest.raises(ValueError, match="text alternative"):
        getattr(charts, name)(pd.DataFrame(), title="T", description=" ")


# ---------------------------------------------------------------------------------------------------------------------
# every builder
# ---------------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_french_description(name):
    build, _, french = CASES[name]
    assert _shown(build(lang="fr")["description"]) == french


@pytest.mark.parametrize("name", NAMES)
def test_english_is_the_default_and_unchanged(name):
    build, english, _ = CASES[name]
    spec = build()
    assert spec["description"] == english
    assert build(lang="en") == spec


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("lang", ["de", "", "english", "xx-YY"])
def test_unknown_language_falls_back_to_english(name, lang):
    build = CASES[name][0]
    assert build(lang=lang) == build()


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("lang", ["FR", "fr-CA", "fr_BE"])
def test_language_code_with_region_or_capitals(name, lang):
    build = CASES[name][0]
    assert build(lang=lang)["description"] == build(lang="fr")["description"]


@pytest.mark.parametrize("name", NAMES)
def test_only_the_description_and_number_format_change_with_the_language(name):
    build = CASES[name][0]
    french, english = build(lang="fr"), build()
    assert french.pop("description") != english.pop("description")
    assert french["config"].pop("locale")["number"]["decimal"] == "," and "locale" not in english["config"]
    if name == "core_vs_extended":  # the only default word drawn in a chart: the label of its diagonal
        assert french["layer"][-1]["encoding"].pop("text") != english["layer"][-1]["encoding"].pop("text")
    assert french == english  # titles and labels come from the caller, untranslated here


@pytest.mark.parametrize("name", NAMES)
def test_a_given_description_wins(name):
    build = CASES[name][0]
    assert build(lang="fr", description="Texte donné.")["description"] == "Texte donné."


@pytest.mark.parametrize("name", NAMES)
def test_french_numbers_have_a_decimal_comma(name):
    build, english, _ = CASES[name]
    description = build(lang="fr")["description"]
    assert re.search(r"\d\.\d", description) is None  # no decimal point
    assert re.search(r"\d ?%", description) is None  # a no-break space between a number and %
    assert len(re.findall(r"\d,\d", description)) == len(re.findall(r"\d\.\d", english))


def test_french_percentages_in_a_description():
    description = _ranking(lang="fr")["description"]
    assert "Tilburg (98,5\u00a0%)" in description and "98.5" not in description


# ---------------------------------------------------------------------------------------------------------------------
# other branches, in French
# ---------------------------------------------------------------------------------------------------------------------


def test_french_empty_charts():
    empty = {
        "ranking": charts.ranking_bars(pd.DataFrame(columns=["city", "score", "rank"]), title="t", lang="fr"),
        "averages": charts.area_averages(
            pd.DataFrame({"item_label": ["A"], "mean": [None], "best": [None]}), title="t", lang="fr"
        ),
        "progress": charts.progress_lines(pd.DataFrame(columns=["city", "year", "score"]), title="t", lang="fr"),
        "histogram": charts.histogram(pd.DataFrame({"v": [np.nan]}), field="v", title="t", x_title="Élèves", lang="fr"),
    }
    assert {k: _shown(v["description"]) for k, v in empty.items()} == {
        "ranking": "Diagramme en barres sans aucune ville (t).",
        "averages": "Diagramme en barres des moyennes par domaine~: aucun score.",
        "progress": "Graphique en courbes des scores dans le temps~: aucune donnée.",
        "histogram": "Histogramme d'Élèves~: aucune donnée.",
    }


def test_french_peers_without_scores_and_consonant():
    df = pd.DataFrame(
        {
            "item_label": ["École"],
            "level": ["subarea"],
            "city_score": [40.0],
            "peer_mean": [45.0],
            "peer_max": [70.0],
            "sample_mean": [44.4],
        }
    )
    spec = charts.city_vs_peers(df, city="Bilbao", title="t", lang="fr")
    assert (
        _shown(spec["description"])
        == "Diagramme en barres des scores de Bilbao par domaine face à son groupe de pairs~: aucun score."
    )


@pytest.mark.parametrize(("n_cities", "ending"), [(7, " et 1 autre."), (8, " et 2 autres.")])
def test_french_progress_and_n_more(n_cities, ending):
    cities = [chr(ord("A") + i) for i in range(n_cities)]
    df = pd.DataFrame({"city": cities, "year": 2025, "score": 50.0})
    description = _shown(charts.progress_lines(df, title="t", lang="fr")["description"])
    assert description.startswith(
        f"Graphique en courbes des scores de {n_cities} villes entre 2025 et 2025~: A, 50,0~%"
    )
    assert description.endswith("F, 50,0~% en 2025" + ending)


def test_french_scatter_on_a_log_scale_and_one_city():
    df = pd.DataFrame({"city": ["A", "B", "C"], "x": [10.0, 100.0, 1000.0], "score": [30.0, 10.0, 20.0]})
    spec = charts.scatter(df, x_title="Population", y_title="Indice principal (%)", log_x=True, title="t", lang="fr")
    assert _shown(spec["description"]) == (
        "Nuage de points de 3 villes, Indice principal (%) en fonction de Population (coefficient de corrélation en "
        "échelle logarithmique~: -0,50)."
    )
    one = charts.scatter(df.iloc[:1], x_title="Population", y_title="Indice (%)", title="t", lang="fr")
    assert one["description"] == "Nuage de points de 1 ville, Indice (%) en fonction de Population."


def test_french_histogram_with_decimals():
    df = pd.DataFrame({"foreign_born": [12.5, 30.25, 7.0]})
    spec = charts.histogram(df, field="foreign_born", title="t", x_title="Immigrés (%)", lang="fr")
    assert _shown(spec["description"]) == (
        "Histogramme d'Immigrés (%) pour 3 villes~; médiane 12,5~; valeurs comprises entre 7,0 et 30,2."
    )


def test_french_singulars():
    members = charts.members_by_country(pd.DataFrame({"country": ["Norvège"], "n": [1]}), title="t", lang="fr")
    assert _shown(members["description"]) == (
        "Diagramme en barres de 1 ville membre dans 1 pays~; pays le plus représenté~: Norvège (1)."
    )
    df = pd.DataFrame({"city": ["Oslo"], "latitude": [59.91], "longitude": [10.75]})
    assert charts.member_map(df, world_topojson=WORLD, title="t", lang="fr")["description"] == (
        "Carte du monde de 1 ville membre."
    )


def test_french_ranking_without_rank_or_highlight():
    df = pd.DataFrame({"city": ["Oslo", "Tilburg"], "score": [81.25, 98.5], "rank": [None, 1]})
    spec = charts.ranking_bars(df, highlight="Oslo", title="{t}", lang="fr")  # braces in a value are kept as they are
    assert _shown(spec["description"]) == (
        "Diagramme en barres du classement de 2 villes par score ({t})~; score le plus élevé~: Tilburg (98,5~%), le "
        "plus bas~: Oslo (81,2~%)~; Oslo en évidence (81,2~%)."
    )


# ---------------------------------------------------------------------------------------------------------------------
# the helpers of _text
# ---------------------------------------------------------------------------------------------------------------------


def test_every_message_and_noun_in_every_language():
    assert set(_text.MESSAGES) == set(_text.NOUNS) == {"en", "fr"}
    assert set(_text.MESSAGES["fr"]) == set(_text.MESSAGES["en"])
    assert set(_text.NOUNS["fr"]) == set(_text.NOUNS["en"])


def test_no_ordinary_space_before_french_punctuation():
    for template in _text.MESSAGES["fr"].values():
        assert " :" not in template and " ;" not in template and " %" not in template


@pytest.mark.parametrize(
    ("lang", "value", "expected"),
    [("fr", 59.94, "59,9\u00a0%"), ("en", 59.94, "59.9%"), ("fr", 100.0, "100,0\u00a0%"), ("xx", 0.05, "0.1%")],
)
def test_pct(lang, value, expected):
    assert _text.pct(lang, value) == expected


def test_number():
    assert _text.number("fr", 2_000_000, 0, grouping=True) == "2\u00a0000\u00a0000"
    assert _text.number("en", 2_000_000, 0, grouping=True) == "2,000,000"
    assert _text.number("fr", -1500.55, 1, grouping=True) == "-1\u00a0500,5"
    assert _text.number("fr", 0.123, 2) == "0,12"


@pytest.mark.parametrize(
    ("lang", "n", "expected"),
    [
        ("fr", 0, "0 ville"),
        ("fr", 1, "1 ville"),
        ("fr", 2, "2 villes"),
        ("en", 0, "0 cities"),
        ("en", 1, "1 city"),
        ("en", 2, "2 cities"),
    ],
)
def test_count(lang, n, expected):
    assert _text.count(lang, n, "city") == expected


def test_and_more():
    assert _text.message("fr", "and_more", others=_text.count("fr", 3, "other")) == " et 3 autres"
    assert _text.message("en", "and_more", others=_text.count("en", 3, "other")) == " and 3 more"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Oslo", "d'Oslo"),
        ("Amadora", "d'Amadora"),
        ("Écully", "d'Écully"),
        ("Ypres", "d'Ypres"),
        ("Uppsala", "d'Uppsala"),
        ("Œiras", "d'Œiras"),
        ("Bilbao", "de Bilbao"),
        ("Haïfa", "de Haïfa"),
        ("", "de "),
    ],
)
def test_french_possessive(name, expected):
    assert _text.possessive("fr", name) == expected


def test_english_possessive():
    assert _text.possessive("en", "Oslo") == "Oslo's"


def test_english_counts_one_thing_in_the_singular():
    one_city = pd.DataFrame({"city": ["Oslo"], "score": [81.25], "rank": [1]})
    assert charts.ranking_bars(one_city, title="t")["description"].startswith("Bar chart of 1 city ranked by score")
    one_country = pd.DataFrame({"country": ["Norway"], "n": [1]})
    assert charts.members_by_country(one_country, title="t")["description"] == (
        "Bar chart of 1 member city in 1 country; most in Norway (1)."
    )
    two = pd.DataFrame({"country": ["Norway", "Italy"], "n": [1, 3]})
    assert "4 member cities in 2 countries" in charts.members_by_country(two, title="t")["description"]


def _revised(lang: str) -> str:
    df = pd.DataFrame(
        {
            "city": ["Oslo"] * 4 + ["Odessa"],
            "year": [2012, 2015, 2019, 2025, 2017],
            "score": [29.6, 35.0, 45.0, 54.8, 70.0],
            "framework": ["icc-2011", "icc-2011", "icc-2019", "icc-2019", "published"],
            "source": ["computed"] * 4 + ["published"],
        }
    )
    words = {"published_label": "résultat publié (tel que dans sa source)"} if lang == "fr" else {}
    return _shown(charts.progress_lines(df, title="t", lang=lang, **words)["description"])


def test_the_progress_description_gives_each_framework_its_part_and_says_why_the_line_is_broken():
    assert _revised("en") == (
        "Line chart of the scores of 2 cities from 2012 to 2025: Odessa 70.0% in 2017 (published result (as in its "
        "source)); Oslo 29.6% in 2012 to 35.0% in 2015 (icc-2011), then 45.0% in 2019 to 54.8% in 2025 (icc-2019). "
        "Each city's line is broken where the framework was revised (icc-2019 from 2019): scores computed with "
        "different frameworks rest on different questions, so they are not joined."
    )
    assert _revised("fr") == (
        "Graphique en courbes des scores de 2 villes entre 2012 et 2025~: Odessa, 70,0~% en 2017 (résultat publié "
        "(tel que dans sa source))~; Oslo, de 29,6~% en 2012 à 35,0~% en 2015 (icc-2011), puis de 45,0~% en 2019 à "
        "54,8~% en 2025 (icc-2019). La courbe de chaque ville est interrompue là où le référentiel a été révisé "
        "(icc-2019 à partir de 2019)~: les scores calculés avec des référentiels différents reposent sur des "
        "questions différentes et ne sont donc pas reliés."
    )
