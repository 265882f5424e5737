"""The words of the default descriptions (text alternatives for screen readers) of every chart, in English and
French, and the helpers for the pieces that change with the language: numbers, percentages, counted nouns, "and N
more", "highest … lowest …" and possessives.

Every sentence template is in :data:`MESSAGES`, one dict per language keyed by message id, with ``str.format``
named placeholders. A builder passes every placeholder that any language needs: a language's template uses those
it needs (English keeps its wording unchanged, e.g. ``{n} cities`` even for one city, where French agrees with the
number: ``{cities}``).

Languages are given as codes: ``"en"`` or ``"fr"``, in any case, with or without a region (``"fr-CA"`` is French).
Any other language falls back to English.

French typography: a no-break space (U+00A0, :data:`NBSP`) before ``:``, ``;`` and ``%`` and between groups of
thousands; a decimal comma.

Examples
--------
>>> pct("fr", 59.94), pct("en", 59.94)
('59,9\\xa0%', '59.9%')
>>> count("fr", 1, "city"), count("fr", 12, "member_city"), count("en", 0, "city")
('1 ville', '12 villes membres', '0 cities')
>>> possessive("fr", "Oslo"), possessive("fr", "Bilbao"), possessive("en", "Oslo")
("d'Oslo", 'de Bilbao', "Oslo's")
>>> message("de", "and_more", others=count("de", 3, "other"))  # unknown language: English
' and 3 more'
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from typing import Any

__all__ = [
    "LANGUAGES",
    "MESSAGES",
    "NBSP",
    "NOUNS",
    "NUMBER_LOCALES",
    "count",
    "de",
    "highest_lowest",
    "language",
    "message",
    "number",
    "number_locale",
    "pct",
    "possessive",
]

#: The no-break space of French typography.
NBSP = "\u00a0"

#: Sentence templates by language, then by message id. Placeholders in braces: counted nouns (``{cities}``,
#: ``{areas}``, ``{member_cities}``, ``{higher_cities}``, ``{above_areas}``: number and noun, see :func:`count`),
#: pieces written by other templates (``{extremes}``, ``{highlight}``, ``{more}``, ``{corr}``, ``{top}``, …) and
#: values (numbers, names, titles).
MESSAGES: dict[str, dict[str, str]] = {
    "en": {
        # pieces
        "pct": "{value}%",
        "key_value": "{key}: {value}",
        "list_separator": "; ",
        "and_more": " and {others}",
        "highest_lowest": "highest {hi} {hi_score}, lowest {lo} {lo_score}",
        # ranking_bars
        "ranking": "Bar chart of {cities} ranked by score ({title}); {extremes}{highlight}.",
        "ranking_highlight": "; {city} highlighted ({rank}{score})",
        "ranking_rank": "rank {rank}, ",
        "ranking_empty": "Bar chart with no cities ({title}).",
        # city_vs_peers
        "peers": (
            "Bar chart of {of_city} scores in {areas} against its peer group's mean and best; "
            "above the peer mean in {above} of {with_mean}, {extremes}."
        ),
        "peers_empty": "Bar chart of {of_city} area scores against its peer group: no scores.",
        # area_averages
        "averages": "Bar chart of the mean score of all cities in {areas}; {extremes}.",
        "averages_empty": "Bar chart of area means: no scores.",
        # progress_lines
        "progress": "Line chart of the scores of {cities} from {first} to {last}: {parts}{more}.",
        "progress_city": "{city} {score} in {year}",
        "progress_city_change": "{city} {first_score} in {first_year} to {last_score} in {last_year}",
        "progress_empty": "Line chart of scores over time: no data.",
        "progress_segment": "{score} in {year} ({framework})",
        "progress_segment_change": "{first_score} in {first_year} to {last_score} in {last_year} ({framework})",
        "progress_city_segments": "{city} {segments}",
        "progress_then": ", then ",
        "progress_and": ", and ",
        "progress_broken": (
            "Each city's line is broken where the framework was revised ({changes}): scores computed with "
            "different frameworks rest on different questions, so they are not joined."
        ),
        "progress_change": "{framework} from {year}",
        "progress_revised": "first edition on {framework}",
        # scatter
        "core_extended_reference": "extended = core",
        "scatter": "Scatter plot of {cities}, {y_title} against {x_title}{corr}.",
        "scatter_corr": " (correlation coefficient: {r})",
        "scatter_corr_log": " (correlation coefficient on a log scale: {r})",
        # core_vs_extended
        "core_vs_extended": (
            "Scatter plot of the core index against the extended index of {cities}; "
            "{higher} score higher on the extended index."
        ),
        # members_by_country
        "members": "Bar chart of {member_cities} in {countries}{top}.",
        "members_top": "; most in {country} ({n})",
        # histogram
        "histogram": "Histogram of {x_title} for {cities}; median {median}, range {min} to {max}.",
        "histogram_empty": "Histogram of {x_title}: no data.",
        # member_map
        "map": "World map of {member_cities}{where}{scored}.",
        "map_where": " in {countries}",
        "map_scored": ", coloured by {score_title}",
    },
    "fr": {
        # pieces
        "pct": "{value}\u00a0%",
        "key_value": "{key}\u00a0: {value}",
        "list_separator": "\u00a0; ",
        "and_more": " et {others}",
        "highest_lowest": "score le plus élevé\u00a0: {hi} ({hi_score}), le plus bas\u00a0: {lo} ({lo_score})",
        # ranking_bars
        "ranking": "Diagramme en barres du classement de {cities} par score ({title})\u00a0; {extremes}{highlight}.",
        "ranking_highlight": "\u00a0; {city} en évidence ({rank}{score})",
        "ranking_rank": "rang {rank}, ",
        "ranking_empty": "Diagramme en barres sans aucune ville ({title}).",
        # city_vs_peers
        "peers": (
            "Diagramme en barres des scores {of_city} dans {areas} comparés à la moyenne et au meilleur score de son "
            "groupe de pairs\u00a0; au-dessus de la moyenne des pairs dans {above_areas} sur {with_mean}, {extremes}."
        ),
        "peers_empty": (
            "Diagramme en barres des scores {of_city} par domaine face à son groupe de pairs\u00a0: aucun score."
        ),
        # area_averages
        "averages": "Diagramme en barres du score moyen de toutes les villes dans {areas}\u00a0; {extremes}.",
        "averages_empty": "Diagramme en barres des moyennes par domaine\u00a0: aucun score.",
        # progress_lines
        "progress": "Graphique en courbes des scores de {cities} entre {first} et {last}\u00a0: {parts}{more}.",
        "progress_city": "{city}, {score} en {year}",
        "progress_city_change": "{city}, de {first_score} en {first_year} à {last_score} en {last_year}",
        "progress_empty": "Graphique en courbes des scores dans le temps\u00a0: aucune donnée.",
        "progress_segment": "{score} en {year} ({framework})",
        "progress_segment_change": "de {first_score} en {first_year} à {last_score} en {last_year} ({framework})",
        "progress_city_segments": "{city}, {segments}",
        "progress_then": ", puis ",
        "progress_and": ", et ",
        "progress_broken": (
            "La courbe de chaque ville est interrompue là où le référentiel a été révisé ({changes})\u00a0: les "
            "scores calculés avec des référentiels différents reposent sur des questions différentes et ne sont "
            "donc pas reliés."
        ),
        "progress_change": "{framework} à partir de {year}",
        "progress_revised": "première édition sur {framework}",
        # scatter
        "core_extended_reference": "étendu = principal",
        "scatter": "Nuage de points de {cities}, {y_title} en fonction {de_x_title}{corr}.",
        "scatter_corr": " (coefficient de corrélation\u00a0: {r})",
        "scatter_corr_log": " (coefficient de corrélation en échelle logarithmique\u00a0: {r})",
        # core_vs_extended
        "core_vs_extended": (
            "Nuage de points de l'indice principal par rapport à l'indice étendu pour {cities}\u00a0; "
            "score plus élevé sur l'indice étendu pour {higher_cities}."
        ),
        # members_by_country
        "members": "Diagramme en barres de {member_cities} dans {n} pays{top}.",
        "members_top": "\u00a0; pays le plus représenté\u00a0: {country} ({n})",
        # histogram
        "histogram": (
            "Histogramme {de_x_title} pour {cities}\u00a0; médiane {median}\u00a0; "
            "valeurs comprises entre {min} et {max}."
        ),
        "histogram_empty": "Histogramme {de_x_title}\u00a0: aucune donnée.",
        # member_map
        "map": "Carte du monde de {member_cities}{where}{scored}.",
        "map_where": " dans {n} pays",
        "map_scored": "\u00a0; couleur\u00a0: {score_title}",
    },
}

#: Counted nouns by language: (singular, plural).
NOUNS: dict[str, dict[str, tuple[str, str]]] = {
    "en": {
        "city": ("city", "cities"),
        "area": ("area", "areas"),
        "member_city": ("member city", "member cities"),
        "other": ("more", "more"),
        "country": ("country", "countries"),
    },
    "fr": {
        "city": ("ville", "villes"),
        "area": ("domaine", "domaines"),
        "member_city": ("ville membre", "villes membres"),
        "other": ("autre", "autres"),
        "country": ("pays", "pays"),
    },
}

#: Decimal mark and thousands separator by language.
_SEPARATORS = {"en": (".", ","), "fr": (",", NBSP)}

LANGUAGES = tuple(MESSAGES)

#: The d3-format number locale of a language other than English (Vega's default), for a spec's
#: ``config.locale.number``: the browser (vega-embed) and vl-convert (PNG/SVG downloads) both read it, so that a
#: French chart writes 98,5 and 1 000 000 like the page around it.
NUMBER_LOCALES: dict[str, dict[str, Any]] = {
    "fr": {"decimal": ",", "thousands": NBSP, "grouping": [3], "currency": ["", NBSP + "€"], "percent": NBSP + "%"},
}


def number_locale(lang: str) -> dict[str, Any] | None:
    """The d3-format number locale of ``lang`` (None for English, Vega's default).

    >>> number_locale("fr-CA")["decimal"], number_locale("en")
    (',', None)
    """
    found = NUMBER_LOCALES.get(language(lang))
    return dict(found, grouping=list(found["grouping"]), currency=list(found["currency"])) if found else None


def language(lang: str) -> str:
    """The supported language of a language code (``"fr"``, ``"FR"``, ``"fr-CA"``, ``"fr_BE"`` → ``"fr"``);
    English for any other.

    >>> language("fr-CA"), language("de"), language("")
    ('fr', 'en', 'en')
    """
    primary = lang.replace("_", "-").split("-")[0].lower()
    return primary if primary in MESSAGES else "en"


def message(lang: str, msg_id: str, **values: Any) -> str:
    """The template ``msg_id`` of ``lang`` filled in with ``values`` (those it does not use are ignored)."""
    return MESSAGES[language(lang)][msg_id].format(**values)


def number(lang: str, value: float, decimals: int = 1, *, grouping: bool = False) -> str:
    """``value`` with ``decimals`` decimals (and thousands separators if ``grouping``) in the language's style.

    >>> number("fr", 1234567.891, 1, grouping=True), number("en", -0.034, 2)
    ('1\\xa0234\\xa0567,9', '-0.03')
    """
    text = f"{value:,.{decimals}f}" if grouping else f"{value:.{decimals}f}"
    decimal_mark, separator = _SEPARATORS[language(lang)]
    return text.translate(str.maketrans(".,", decimal_mark + separator))


def pct(lang: str, value: float) -> str:
    """A score as a percentage with one decimal: ``59.9%`` in English, ``59,9 %`` (no-break space) in French."""
    return message(lang, "pct", value=number(lang, value, 1))


def count(lang: str, n: int, noun: str) -> str:
    """``n`` and the noun (a key of :data:`NOUNS`) in the singular or plural: the plural from 2 in French, for any
    number but 1 in English."""
    singular, plural = NOUNS[language(lang)][noun]
    one = abs(n) < 2 if language(lang) == "fr" else n == 1
    return f"{n} {singular if one else plural}"


def highest_lowest(lang: str, hi: Mapping[str, Any], lo: Mapping[str, Any], name: str, score: str) -> str:
    """The highest and the lowest of two data rows (their ``name`` and ``score`` fields), for a description.

    >>> highest_lowest("fr", {"c": "Oslo", "s": 81.25}, {"c": "Lublin", "s": 62.1}, "c", "s")
    'score le plus élevé\\xa0: Oslo (81,2\\xa0%), le plus bas\\xa0: Lublin (62,1\\xa0%)'
    """
    return message(
        lang, "highest_lowest", hi=hi[name], hi_score=pct(lang, hi[score]), lo=lo[name], lo_score=pct(lang, lo[score])
    )


def de(name: str) -> str:
    """French "de" before ``name``, elided before a vowel (accented or not, y included): ``d'Oslo``,
    ``d'Écully``, ``de Bilbao`` (and ``de Haïfa``: no elision before h)."""
    first = unicodedata.normalize("NFD", name[:1])[:1].lower()
    return f"d'{name}" if first and first in "aeiouyœæ" else f"de {name}"


def possessive(lang: str, name: str) -> str:
    """Whose: ``Oslo's`` (before the noun) in English, ``d'Oslo``/``de Bilbao`` (after it) in French."""
    return de(name) if language(lang) == "fr" else f"{name}'s"
