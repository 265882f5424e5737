"""The charts explorer: every view is a URL, and every download carries its edition, framework, filters,
licence and citation inside the file."""

from __future__ import annotations

import io
import struct

import pandas as pd
import pytest
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db


def test_the_view_is_rebuilt_from_its_url(client):
    url = "/explore/?chart=ranking&edition=2019&item=language&size=pop-200k-500k&country=ES"
    page = client.get(url).content.decode()
    assert '<option value="2019" selected>' in page
    assert '<option value="language" selected>' in page and '<option value="pop-200k-500k" selected>' in page
    assert '<option value="ES" selected>Spain</option>' in page
    assert "chart=ranking&amp;edition=2019&amp;item=language&amp;size=pop-200k-500k&amp;country=ES" in page


def test_bad_values_are_reported_not_guessed(client):
    page = client.get("/explore/?chart=pie&edition=abc&x=gdp&pop_min=9&pop_max=1").content.decode()
    assert "chart=&#x27;pie&#x27; is unknown" in page
    assert "edition=&#x27;abc&#x27; is not a whole number" in page
    assert "pop_min is larger than pop_max" in page


def test_the_csv_download_is_the_charts_data_with_its_metadata(client):
    r = client.get("/explore/download.csv?chart=ranking&edition=2022&item=media&country=IT")
    text = r.content.decode()
    assert "# Edition: 2022" in text and "# Framework: icc-2019 2019.1" in text
    assert "# Filters: country=IT (Italy)" in text and "# Licence: CC BY 4.0" in text and "# Cite as:" in text
    df = pd.read_csv(io.StringIO(text), comment="#")
    assert set(df["country"]) == {"IT"} and len(df) == 26
    assert df["score"].between(0, 100).all()


def test_the_xlsx_download_has_the_data_and_an_about_sheet(client):
    r = client.get("/explore/download.xlsx?chart=core-extended&edition=2025")
    wb = load_workbook(io.BytesIO(r.content))
    data = wb["data"]
    assert [c.value for c in data[1]][:3] == ["city", "name", "country"] and data.max_row == 122
    about = {row[0].value: row[1].value for row in wb["about"].iter_rows()}
    assert about["Edition"] == "2025" and about["Licence"].startswith("CC BY 4.0")


def test_the_chart_downloads_as_png_and_svg_with_metadata(client):
    png = client.get("/explore/download.png?chart=city&city=oslo&edition=2025").content
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    assert width == 1280 and height > 400  # 640 px at scale 2
    svg = client.get("/explore/download.svg?chart=city&city=oslo&edition=2025").content.decode()
    assert svg.startswith("<svg") and "<metadata>" in svg and "Licence: CC BY 4.0" in svg and "Oslo" in svg


def test_a_chart_can_be_embedded_on_another_site(client):
    r = client.get("/explore/embed/?chart=progress&cities=oslo,bilbao")
    assert r.status_code == 200 and "X-Frame-Options" not in r
    page = r.content.decode()
    assert 'id="chart-spec"' in page and "Bilbao" in page and "<nav" not in page


def test_progress_marks_the_historical_published_results(client):
    r = client.get("/explore/download.csv?chart=progress&cities=bilbao,odessa")
    df = pd.read_csv(io.StringIO(r.content.decode()), comment="#")
    published = df[df["source"] == "published"]
    assert {(row.name, row.year, row.score) for row in published.itertuples()} >= {
        ("Bilbao", 2013, 64.0),
        ("Odessa", 2017, 70.0),
    }
    assert set(df[df["source"] == "computed"]["year"]) == {2012, 2015, 2019, 2022, 2025}


def test_unknown_download_formats_are_refused(client):
    assert client.get("/explore/download.gif").status_code == 404


def test_facts_and_figures_shows_the_network_in_charts_with_text_alternatives(client):
    page = client.get("/facts/").content.decode()
    for key in ("countries", "population", "map", "diversity", "areas"):
        assert f'id="chart-{key}"' in page and f'id="{key}" type="application/json"' in page
    assert "Bar chart of 121 member cities in 32 countries; most in Italy (26)." in page
    assert '<td>2025</td><td class="num">121</td>' in page


def test_facts_and_figures_in_french(french):
    page = french.get("/facts/").content.decode()
    assert "Villes membres par pays" in page and "Italie" in page


def test_public_data_is_cached_until_new_results_are_published(client):
    from datetime import UTC, datetime

    from icc.web.network.models import Edition
    from icc.web.results.rescoring import rescore_edition

    url = "/explore/download.csv?chart=ranking&edition=2019"
    first = client.get(url)
    again = client.get(url)
    assert "X-ICC-Cache" not in first and again["X-ICC-Cache"] == "hit"
    assert again.content == first.content
    rescore_edition(Edition.objects.get(year=2019), datetime(2026, 4, 1, tzinfo=UTC))
    assert "X-ICC-Cache" not in client.get(url)  # new results version: computed afresh


def test_the_explorer_speaks_french_including_the_charts_text_alternative(french):
    page = french.get("/explore/?chart=ranking&edition=2025").content.decode()
    assert "Explorateur de graphiques" in page
    assert "Diagramme en barres du classement de 121 villes par score" in page
    assert "le plus élevé" in page and "\u00a0%" in page  # French numbers: 98,5 %


def test_facts_and_figures_describe_their_charts_in_french(french):
    import html

    page = html.unescape(french.get("/facts/").content.decode())
    assert "Carte du monde de 121 villes membres" in page
    assert "Diagramme en barres de 121 villes membres dans 32 pays" in page


def test_facts_and_figures_charts_have_their_data_as_tables(client):
    page = client.get("/facts/").content.decode()
    assert page.count("<summary>The data of this chart</summary>") >= 4
    assert "<td>Italy</td><td>26</td>" in page


def test_progress_can_be_compared_across_the_2019_revision(client):
    r = client.get("/explore/download.csv?chart=progress&cities=oslo,bilbao&basis=comparable&item=commitment")
    df = pd.read_csv(io.StringIO(r.content.decode()), comment="#")
    assert set(df["year"]) == {2012, 2015, 2019, 2022, 2025}
    assert set(df["city"]) == {"oslo", "bilbao"} and set(df["name"]) == {"Oslo", "Bilbao"}
    assert df["score"].between(0, 100).all()
    assert set(df["framework"]) == {"icc-2019"} and df["framework_label"].str.contains("mapped questions").all()
    stored = pd.read_csv(
        io.StringIO(client.get("/explore/download.csv?chart=progress&cities=oslo&item=commitment").content.decode()),
        comment="#",
    )
    assert set(stored["framework"]) == {"icc-2011", "icc-2019"}


def test_closing_an_edition_or_changing_a_fact_is_seen_at_once_despite_the_cache(client):
    from icc.web.network.models import CityFact, Edition

    editions = "/api/v1/editions"
    assert {e["year"]: e["status"] for e in client.get(editions).json()}[2026] == "open"
    assert client.get(editions)["X-ICC-Cache"] == "hit"
    edition = Edition.objects.get(year=2026)
    edition.status = Edition.Status.CLOSED
    edition.save()
    assert {e["year"]: e["status"] for e in client.get(editions).json()}[2026] == "closed"

    city = "/api/v1/cities/oslo"
    client.get(city)
    from icc.web.results.facts import chosen_fact

    fact = chosen_fact(CityFact.objects.filter(city__slug="oslo", kind="population"), None)  # the one shown
    fact.value = 123456
    fact.save()
    assert client.get(city).json()["population"]["value"] == 123456


def test_data_tables_have_readable_headers_in_the_page_language(french):
    from django.test import Client

    english = Client().get("/explore/?chart=city&city=oslo").content.decode()
    assert '<th scope="col">Peer group average (%)</th>' in english
    page = french.get("/explore/?chart=city&city=oslo").content.decode()
    assert '<th scope="col">Moyenne du groupe de pairs (%)</th>' in page and ">peer_mean<" not in page
    facts = french.get("/facts/").content.decode()
    assert '<th scope="col">Pays</th>' in facts and '<th scope="col">Latitude</th>' in facts


def test_chart_legends_and_tooltips_speak_the_page_language(french):
    from django.test import Client

    assert "Mean of all cities" in Client().get("/facts/").content.decode()
    facts = french.get("/facts/").content.decode()
    assert "Moyenne de toutes les villes" in facts and "Mean of all cities" not in facts
    city = french.get("/explore/?chart=city&city=oslo").content.decode()
    assert "Moyenne du groupe de pairs" in city and "Peer-group mean" not in city
    progress = french.get("/explore/?chart=progress&cities=oslo&basis=comparable").content.decode()
    assert "questions mises en correspondance" in progress and "mapped questions" not in progress


def test_the_progress_download_keeps_machine_values_in_machine_columns(french):
    from django.test import Client

    csv = Client().get("/explore/download.csv?chart=progress&cities=oslo").content.decode()
    df = pd.read_csv(io.StringIO(csv), comment="#", keep_default_na=False, dtype=str)
    assert list(df.columns[:2]) == ["city", "name"] and set(df["city"]) == {"oslo"} and set(df["name"]) == {"Oslo"}
    published = df[df["source"] == "published"]
    assert len(published) and set(published["framework"]) == {""}
    assert set(published["source_label"]) == {"published historical result"}
    computed = df[df["source"] == "computed"]
    assert set(computed["is_demo"]) == {"yes"} and set(computed["source_label"]) == {"demo score (invented)"}
    fr = french.get("/explore/download.csv?chart=progress&cities=oslo&basis=comparable").content.decode()
    comparable = pd.read_csv(io.StringIO(fr), comment="#", dtype=str)
    assert set(comparable["framework"]) == {"icc-2019"}
    assert comparable["framework_label"].str.contains("questions mises en correspondance").all()
    assert set(comparable["source_label"]) == {"score de démonstration (inventé)"}


def test_codes_in_data_tables_read_as_words_but_downloads_keep_them(french):
    page = french.get("/explore/?chart=progress&cities=oslo").content.decode()
    assert "<td>calculé par la plateforme</td>" in page and "<td>computed</td>" not in page
    csv = french.get("/explore/download.csv?chart=progress&cities=oslo").content.decode()
    assert ",computed" in csv


def test_every_facts_and_figures_chart_downloads_with_its_metadata(client):
    import io

    import pandas as pd
    from openpyxl import load_workbook

    page = client.get("/facts/").content.decode()
    keys = ["countries", "population", "map", "diversity", "areas"]
    for key in keys:
        assert f'href="/facts/download/{key}.csv"' in page
    text = client.get("/facts/download/countries.csv").content.decode()
    assert "# Chart: Member cities by country" in text and "# Licence: CC BY 4.0" in text
    df = pd.read_csv(io.StringIO(text), comment="#")
    assert df["n"].sum() == 121
    wb = load_workbook(io.BytesIO(client.get("/facts/download/areas.xlsx").content))
    assert wb.sheetnames == ["data", "about"]
    about = {row[0]: row[1] for row in wb["about"].iter_rows(values_only=True)}
    assert about["Edition"] == "2025" and about["Framework"] == "icc-2019 2019.1"
    assert client.get("/facts/download/map.png").content[:4] == b"\x89PNG"
    svg = client.get("/facts/download/population.svg").content.decode()
    assert "<metadata>" in svg and "Cite as" in svg
    missing = client.get("/facts/download/pie.csv")
    assert missing.status_code == 404 and "countries" in missing.content.decode()


def test_cities_to_compare_are_chosen_by_name_and_bad_ones_reported(client):
    page = client.get("/explore/?chart=progress&cities=oslo&cities=bilbao").content.decode()
    assert 'value="oslo" checked' in page and 'value="bilbao" checked' in page and 'value="lublin" checked' not in page
    assert "Cities compared (progress): Bilbao, Oslo</summary>" in page
    assert "cities=oslo%2Cbilbao" in page  # the link to this view keeps the short comma form
    page = client.get("/explore/?chart=progress&cities=oslo,atlantis").content.decode()
    assert "cities: atlantis is not a member city" in page
    french = client.get("/explore/?chart=pie", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "chart=&#x27;pie&#x27; est inconnu" in french


def test_the_country_filter_lists_member_countries_by_name_and_reports_others(client, french):
    from django.test import Client

    page = Client().get("/explore/?country=zz").content.decode()
    assert "country=&#x27;ZZ&#x27; has no member city; showing every country" in page
    assert '<option value="NO">Norway</option>' in page
    assert '<option value="NO">Norvège</option>' in french.get("/explore/").content.decode()


def _table_headers(page: str) -> list[str]:
    import re

    table = page[page.index('<table class="data">') :]
    return re.findall(r'<th scope="col">([^<]*)</th>', table[: table.index("</thead>")])


def test_the_data_table_has_one_city_column_and_no_raw_ids(client):
    page = client.get("/explore/?chart=ranking&edition=2025").content.decode()
    headers = _table_headers(page)
    assert headers.count("City") == 1 and "Id" not in headers and "Size group" in headers
    assert "<td>oslo</td>" not in page and "<td>Oslo</td>" in page
    assert "<td>pop-gte-500k</td>" not in page and "<td>500,000 inhabitants or more</td>" in page
    assert "<td>NO</td>" not in page and "<td>Norway</td>" in page
    city = _table_headers(client.get("/explore/?chart=city&city=oslo").content.decode())
    assert city[0] == "Area" and "Id" not in city


def test_the_data_table_speaks_french(french):
    page = french.get("/explore/?chart=ranking&edition=2025").content.decode()
    assert _table_headers(page).count("Ville") == 1
    assert "inhabitants" not in page and "<td>500 000 habitants ou plus</td>" in page and "<td>Norvège</td>" in page


def test_the_filters_fold_behind_a_line_that_counts_the_active_ones(french):
    from django.test import Client

    page = Client().get("/explore/?chart=ranking&size=pop-200k-500k&country=ES").content.decode()
    assert '<details class="explorer-filters" open>' in page and "<summary>Filters (2 active)</summary>" in page
    assert page.index("explorer-filters") < page.index('id="chart"')
    assert "<summary>Filtres (1 actif)</summary>" in french.get("/explore/?country=ES").content.decode()


def test_the_charts_are_drawn_by_one_script_at_the_width_of_their_box(client):
    for url in ("/explore/", "/explore/embed/", "/facts/"):
        page = client.get(url).content.decode()
        assert '<script src="/static/icc/charts.js"></script>' in page and 'data-chart-for="chart' in page, url


def _spec(page: str) -> dict:
    import json
    import re

    return json.loads(re.search(r'<script id="chart-spec"[^>]*>(.*?)</script>', page, re.S).group(1))


def test_the_progress_chart_breaks_each_line_at_the_2019_revision_and_says_so(french):
    import html
    import re

    from django.test import Client

    client = Client()  # English (``french`` sets the language cookie of the shared ``client``)

    page = html.unescape(client.get("/explore/?chart=progress&cities=oslo,bilbao").content.decode())
    spec = _spec(page)
    assert spec["layer"][2]["encoding"]["detail"]["field"] == "framework"
    assert {v["framework"] for v in spec["data"]["values"] if v["source"] == "computed"} == {"icc-2011", "icc-2019"}
    assert spec["layer"][0]["mark"]["type"] == "rule" and spec["layer"][0]["data"]["values"][0]["year"] == 2019
    assert spec["layer"][1]["data"]["values"][0]["label"] == "first edition on icc-2019"
    assert "Each city's line is broken where the framework was revised (icc-2019 from 2019)" in spec["description"]
    assert (
        "Each city's line is broken where the framework changes (icc-2011 → icc-2019): editions answered with "
        "different frameworks are scored on different questions, so their scores are not joined." in page
    )
    assert "every edition computed on the 49 questions both frameworks share." in page
    link = re.search(r'<a href="(/explore/\?[^"]*)">Show the comparable scores</a>', page).group(1)
    assert "cities=oslo%2Cbilbao" in link and link.endswith("&basis=comparable")
    fr = html.unescape(french.get("/explore/?chart=progress&cities=oslo").content.decode())
    assert _spec(fr)["layer"][1]["data"]["values"][0]["label"] == "première édition sur icc-2019"
    assert "La courbe de chaque ville est interrompue" in _spec(fr)["description"] and "is broken" not in fr
    csv = client.get("/explore/download.csv?chart=progress&cities=oslo").content.decode()
    df = pd.read_csv(io.StringIO(csv), comment="#")
    by_year = dict(
        zip(df[df["source"] == "computed"]["year"], df[df["source"] == "computed"]["framework"], strict=True)
    )
    assert by_year == {2012: "icc-2011", 2015: "icc-2011", 2019: "icc-2019", 2022: "icc-2019", 2025: "icc-2019"}


def test_the_comparable_progress_chart_says_how_many_questions_its_scores_rest_on(french):
    import html

    from django.test import Client

    client = Client()  # English (``french`` sets the language cookie of the shared ``client``)

    from icc.engine.change import mapping_coverage
    from icc.framework import load_shipped, shipped_mapping

    coverage = mapping_coverage(
        load_shipped("icc-2011"), load_shipped("icc-2019"), shipped_mapping("icc-2011", "icc-2019")
    ).set_index("item")
    assert coverage.loc["commitment", ["mapped", "questions"]].tolist() == [4, 7]
    page = html.unescape(client.get("/explore/?chart=progress&cities=oslo&basis=comparable").content.decode())
    note = (
        "Comparable scores: every edition computed on 49 of the 77 questions of Core index, those both frameworks share"
    )
    spec = _spec(page)
    assert note in spec["title"]["subtitle"] and spec["title"]["subtitle"][0].startswith("Demo data")
    # one basis: no break; no published results on this basis, so no empty layer of them (Vega would warn about
    # the infinite extent of its years)
    assert note in spec["description"] and "layer" in spec and len(spec["layer"]) == 2
    assert "Comparable scores leave out the questions that only one framework asks" in page
    area = html.unescape(
        client.get("/explore/?chart=progress&cities=oslo&basis=comparable&item=commitment").content.decode()
    )
    assert "computed on 4 of the 7 questions of Commitment, those both frameworks share" in area
    csv = client.get("/explore/download.csv?chart=progress&cities=oslo&basis=comparable&item=commitment")
    assert set(pd.read_csv(io.StringIO(csv.content.decode()), comment="#")["framework_label"]) == {
        "icc-2019 (4 mapped questions)"
    }
    fr = html.unescape(french.get("/explore/?chart=progress&cities=oslo&basis=comparable").content.decode())
    assert "Scores comparables" in " ".join(_spec(fr)["title"]["subtitle"]) and "Comparable scores" not in fr


def test_a_published_result_its_source_marks_ambiguous_is_not_plotted(client):
    import html

    from icc.data.published import read_published

    ambiguous = [r for r in read_published() if r.city == "Melitopol" and "AMBIGUOUS" in r.rank_text]
    assert [(r.year, r.score) for r in ambiguous] == [(2011, 62.0)]
    page = html.unescape(client.get("/explore/?chart=progress&cities=melitopol").content.decode())
    assert not [v for v in _spec(page)["data"]["values"] if v["source"] == "published"]
    assert "Not plotted: Melitopol 2011, a historical published result that its source marks ambiguous" in page
    csv = client.get("/explore/download.csv?chart=progress&cities=melitopol").content.decode()
    assert "published" not in set(pd.read_csv(io.StringIO(csv), comment="#")["source"])


def test_the_data_table_is_closed_and_counts_its_rows(client):
    page = client.get("/explore/?chart=ranking&edition=2022&country=IT").content.decode()
    assert '<details class="chart-data"><summary>The data of this chart (26 rows)</summary>' in page


def test_filters_a_chart_does_not_use_are_dropped_with_a_note(client):
    page = client.get("/explore/?chart=progress&cities=oslo&size=pop-lt-100k&country=NO").content.decode()
    assert "This chart does not use the filters size=pop-lt-100k, country=NO" in page
    assert "size=pop-lt-100k" not in page.split("left out of this view and its downloads.")[1]  # nor in its links
    text = client.get("/explore/download.csv?chart=progress&cities=oslo&size=pop-lt-100k").content.decode()
    assert "# Filters: none" in text and "pop-lt-100k" not in text
    assert client.get("/explore/?chart=progress&cities=oslo&size=pop-lt-100k").status_code == 200  # a note


def test_a_city_chart_without_a_city_says_which_city_it_shows(client):
    page = client.get("/explore/?chart=city&edition=2025").content.decode()
    assert "No city chosen: showing Oslo, the example city." in page
    assert '<option value="oslo" selected>' in page
    page = client.get("/explore/?chart=city&edition=2025&peers_of=bilbao").content.decode()
    assert "No city chosen" not in page and "Bilbao against its peer group" in page
