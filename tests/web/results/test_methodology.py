"""The public methodology page states the rules, weights and points of the framework the scores came from."""

from __future__ import annotations

import html
import re

import pytest

from icc.framework import load_shipped
from icc.framework.xlsx import load_xlsx

pytestmark = pytest.mark.django_db


def test_the_page_states_every_scored_question_with_its_points_and_the_area_totals(client):
    page = html.unescape(client.get("/methodology/").content.decode())
    definition = load_shipped("icc-2019")
    assert "Framework icc-2019, version 2019.1: 87 scored questions." in page
    for loc in definition.scored_questions():
        assert f"[{loc.question.id}]" in page
    commitment = definition.area("commitment")
    total = sum(q.maximum() for q in commitment.questions)
    row = re.search(r'<a href="#area-commitment">Commitment</a></td>(.*?)</tr>', page, re.S).group(1)
    assert re.findall(r'<td class="num">([^<]*)</td>', row) == ["1", str(len(commitment.questions)), f"{total:g}"]
    assert "Yes: 2 points" in page and "“Don't know” earns 0 points of the question's maximum." in page
    assert "The extended index also includes Participation and Interaction." in page


def test_the_2011_framework_shows_its_own_weights_and_indicator_rule(client):
    page = client.get("/methodology/?framework=icc-2011").content.decode()
    assert "the weighted mean of 14 indicators" in page
    row = re.search(r'<a href="#area-commitment">[^<]*</a></td>(.*?)</tr>', page, re.S).group(1)
    assert re.findall(r'<td class="num">([^<]*)</td>', row)[0] == "2"


def test_an_unknown_framework_is_a_400_that_names_the_known_ones_and_shows_the_default(client):
    response = client.get("/methodology/?framework=icc-1999")
    page = html.unescape(response.content.decode())
    assert response.status_code == 400
    assert "framework='icc-1999' is unknown (known: icc-2011, icc-2019); showing icc-2019 2019.1." in page
    assert "Framework icc-2019, version 2019.1" in page


def test_an_unknown_version_of_a_known_framework_is_a_400(client):
    response = client.get("/methodology/?framework=icc-2019&version=1999.1")
    assert response.status_code == 400
    assert "framework='icc-2019 1999.1' is unknown" in html.unescape(response.content.decode())
    assert client.get("/methodology/?framework=icc-2019&version=2019.1").status_code == 200


def test_the_page_speaks_french(french):
    page = html.unescape(french.get("/methodology/").content.decode())
    assert "Comment les scores sont calculés" in page and "Des réponses à l'indice, étape par étape" in page
    assert "Oui : 2 points" in page


def test_the_framework_downloads_as_the_xlsx_the_secretariat_edits(client, tmp_path):
    r = client.get("/methodology/icc-2019/2019.1.xlsx")
    assert r.status_code == 200 and r["Content-Disposition"].endswith('"icc-2019-2019.1.xlsx"')
    path = tmp_path / "fw.xlsx"
    path.write_bytes(r.content)
    assert load_xlsx(path) == load_shipped("icc-2019")
    assert client.get("/methodology/icc-2019/1999.xlsx").status_code == 404


def test_the_question_mapping_across_the_revision_is_shown_on_both_sides(client):
    from icc.framework import shipped_mapping

    mapping = shipped_mapping("icc-2011", "icc-2019")
    for url in ("/methodology/", "/methodology/?framework=icc-2011"):
        page = html.unescape(client.get(url).content.decode())
        assert (
            f"{len(mapping.questions)} questions of icc-2011 measure the same thing as a question of icc-2019" in page
        )
        for q in mapping.questions:
            assert f"[{q.from_}]" in page and f"[{q.to}]" in page


def test_the_methodology_page_states_the_release_rule(client):
    from django.test import Client

    page = html.unescape(client.get("/methodology/").content.decode())
    assert "shows by default the newest released edition" in page and "marked “provisional”" in page
    french = Client()
    french.cookies.load({"django_language": "fr"})
    page = html.unescape(french.get("/methodology/").content.decode())
    assert "la plus récente édition diffusée" in page and "marqués « provisoires »" in page


def test_the_page_shows_per_area_how_many_questions_the_mapping_covers(french):
    from django.test import Client

    from icc.engine.change import mapping_coverage
    from icc.framework import shipped_mapping

    coverage = mapping_coverage(
        load_shipped("icc-2011"), load_shipped("icc-2019"), shipped_mapping("icc-2011", "icc-2019")
    )
    page = html.unescape(Client().get("/methodology/").content.decode())  # English: ``french`` sets ``client``'s cookie
    table = page[page.index('<table class="data mapping-coverage">') :]
    table = table[: table.index("</table>")]
    assert "Questions of icc-2019 that a question of icc-2011 is mapped to, per area" in table
    rows = re.findall(r'<td>(?:&emsp;|\u2003)?([^<]+)</td><td class="num">(\d+)</td><td class="num">(\d+)', table)
    names = load_shipped("icc-2019").item_names("en")
    assert rows == [(names[r.item], str(r.questions), str(r.mapped)) for r in coverage.itertuples()]
    assert '<td class="num">0 (no comparable score)</td>' in table  # anti-discrimination, participation, interaction
    fr = html.unescape(french.get("/methodology/").content.decode())
    assert "Questions du référentiel icc-2019 auxquelles correspond une question du référentiel icc-2011" in fr
    assert "(aucun score comparable)" in fr and "no comparable score" not in fr
