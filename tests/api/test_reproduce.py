"""Anyone can recompute every published score from the open data alone: the answers, the facts the scores used
and the framework, downloaded from the API, through ``icc score``; and the open answers hold published responses
of public editions only, never evidence."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import UTC, datetime

import pandas as pd
import pytest
from click.testing import CliRunner
from django.core.cache import caches

from icc.cli import main
from icc.web.network.models import Edition
from icc.web.questionnaire.models import Answer, Response
from icc.web.results import open_answers

pytestmark = pytest.mark.django_db

COMPARED = ["score", "rank", "sample_size", "rank_size", "rank_diversity", "rank_combined", "sample_mean", "sample_max"]
GROUPS = ["size_group", "diversity_group", "combined_group"]


def published_precision(value: float) -> float:
    """A value as ``icc score`` writes it (6 significant digits)."""
    return float(f"{value:.6g}")


def recompute(tmp_path, client, year: int, answers: bytes, facts: bytes) -> pd.DataFrame:
    """``icc score`` on the edition's open answers and facts, with the framework definition the API serves."""
    edition = next(e for e in client.get("/api/v1/editions").json() if e["year"] == year)
    definition = client.get(f"/api/v1/frameworks/{edition['framework']}/{edition['framework_version']}").json()
    folder = tmp_path / str(year)
    folder.mkdir()
    framework = folder / "framework.yaml"  # JSON is YAML
    framework.write_text(json.dumps(definition), encoding="utf-8")
    (folder / "answers.csv").write_bytes(answers)
    (folder / "facts.csv").write_bytes(facts)
    out = folder / "scores.csv"
    args = ["score", "--framework", str(framework), "--answers", str(folder / "answers.csv")]
    result = CliRunner().invoke(main, [*args, "--facts", str(folder / "facts.csv"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return pd.read_csv(out, keep_default_na=False, na_values=[""])


def compare(published: pd.DataFrame, recomputed: pd.DataFrame) -> int:
    """Assert every published row equals its recomputed row to the published precision; return how many scores."""
    recomputed = recomputed.set_index(["city", "item"])
    published = published.set_index(["city", "item"])
    assert set(published.index) == set(recomputed.index)
    for key, row in published.iterrows():
        again = recomputed.loc[key]
        for column in COMPARED:
            want, got = row[column], again[column]
            if pd.isna(want):
                assert pd.isna(got), (key, column, got)
            else:
                assert published_precision(float(want)) == float(got), (key, column, want, got)
        for column in GROUPS:
            assert (row[column] if isinstance(row[column], str) else "") == (
                again[column] if isinstance(again[column], str) else ""
            ), (key, column)
    return len(published)


def test_every_published_score_of_every_released_edition_is_recomputed_from_the_open_data(client, tmp_path):
    released = [e["year"] for e in client.get("/api/v1/editions").json() if e["released"] and e["cities_scored"]]
    assert len(released) >= 2
    archive = zipfile.ZipFile(io.BytesIO(client.get("/api/v1/dataset.zip").content))
    all_answers = pd.read_csv(io.BytesIO(archive.read("answers.csv")), keep_default_na=False, dtype=str)
    all_facts = pd.read_csv(io.BytesIO(archive.read("facts.csv")), keep_default_na=False, dtype=str)
    assert set(all_answers["edition"].astype(int)) == set(released)
    recomputed_scores = 0
    for year in released:
        answers = client.get(f"/api/v1/answers.csv?edition={year}")
        facts = client.get(f"/api/v1/facts.csv?edition={year}")
        assert answers.status_code == facts.status_code == 200
        # the bulk archive holds the same rows as the API
        assert len(all_answers[all_answers["edition"] == str(year)]) == len(answers.content.decode().splitlines()) - 1
        assert len(all_facts[all_facts["edition"] == str(year)]) == len(facts.content.decode().splitlines()) - 1
        facts_read = pd.read_csv(io.BytesIO(facts.content))
        assert facts_read["population_source"].str.len().gt(0).all()  # GeoNames populations carry no year
        published = pd.read_csv(
            io.BytesIO(client.get(f"/api/v1/scores.csv?edition={year}").content),
            comment="#",
            keep_default_na=False,
            na_values=[""],
        )
        recomputed_scores += compare(published, recompute(tmp_path, client, year, answers.content, facts.content))
    assert recomputed_scores == len(pd.read_csv(io.BytesIO(archive.read("scores.csv")), comment="#")), (
        "every score of the bulk download was recomputed"
    )
    print(f"recomputed {recomputed_scores} published scores of editions {released}")


def test_the_points_of_each_answer_add_up_to_what_the_engine_gives(client):
    year = client.get("/api/v1/editions").json()[0]["year"]
    rows = client.get(f"/api/v1/answers?edition={year}&city=oslo&page_size=10000").json()["items"]
    assert rows and {r["city"] for r in rows} == {"oslo"}
    scored = [r for r in rows if r["max_points"] is not None]
    assert scored and all(0 <= r["points"] <= r["max_points"] for r in scored)
    assert set(rows[0]) == set(open_answers.names(open_answers.ANSWER_COLUMNS))


def test_open_answers_hold_no_evidence_and_no_unpublished_response(client, django_user_model):
    draft = Response.objects.get(city__slug="oslo", edition__year=2026)
    assert draft.status != Response.Status.PUBLISHED
    secret = "SECRET-EVIDENCE-42"
    published = Answer.objects.filter(response__status=Response.Status.PUBLISHED, response__city__slug="bergen").first()
    Answer.objects.filter(pk=published.pk).update(evidence_text=secret, evidence_links=f"https://{secret}.example")
    question = draft.edition.framework.load().scored_questions()[0].question
    Answer.objects.update_or_create(
        response=draft,
        question_id=question.id,
        defaults={"value": "dont_know", "evidence_text": secret, "updated_at": datetime(2026, 3, 1, tzinfo=UTC)},
    )
    archive = zipfile.ZipFile(io.BytesIO(client.get("/api/v1/dataset.zip?include_provisional=true").content))
    text = (
        archive.read("answers.csv").decode()
        + client.get("/api/v1/answers.csv?include_provisional=true").content.decode()
    )
    assert secret not in text
    drafts = pd.read_csv(io.StringIO(archive.read("answers.csv").decode()), dtype=str)
    assert drafts[(drafts["city"] == "oslo") & (drafts["edition"] == "2026")].empty
    assert set(drafts["edition"]) <= {
        str(y)
        for y in Response.objects.filter(status=Response.Status.PUBLISHED).values_list("edition__year", flat=True)
    }


def test_a_provisional_edition_is_open_only_with_include_provisional_and_says_so(client):
    provisional = Edition.objects.get(year=2025)
    Edition.objects.filter(pk=provisional.pk).update(results_released_at=None)  # published scores, not released
    default = pd.read_csv(io.BytesIO(client.get("/api/v1/answers.csv").content), dtype=str)
    assert str(provisional.year) not in set(default["edition"])
    assert set(default["provisional"]) == {"false"}
    for path in ("answers.csv", "facts.csv", "answers", "facts"):
        refused = client.get(f"/api/v1/{path}?edition={provisional.year}")
        assert refused.status_code == 404, path
        assert "not released yet" in refused.json()["detail"] and "include_provisional=true" in refused.json()["detail"]
    for path in ("answers.csv", "facts.csv"):
        asked = client.get(f"/api/v1/{path}?edition={provisional.year}&include_provisional=true")
        table = pd.read_csv(io.BytesIO(asked.content), dtype=str)
        assert set(table["edition"]) == {str(provisional.year)} and set(table["provisional"]) == {"true"}, path
    plain = zipfile.ZipFile(io.BytesIO(client.get("/api/v1/dataset.zip").content))
    full = zipfile.ZipFile(io.BytesIO(client.get("/api/v1/dataset.zip?include_provisional=true").content))
    for name in ("answers.csv", "facts.csv"):
        left_out = pd.read_csv(io.BytesIO(plain.read(name)), dtype=str)
        assert str(provisional.year) not in set(left_out["edition"]) and set(left_out["provisional"]) == {"false"}
        table = pd.read_csv(io.BytesIO(full.read(name)), dtype=str)
        rows = table[table["edition"] == str(provisional.year)]
        assert len(rows) and set(rows["provisional"]) == {"true"}, name
        assert set(table[table["edition"] != str(provisional.year)]["provisional"]) == {"false"}


def test_every_open_answer_says_whether_the_demo_generator_invented_it(client, django_user_model):
    answers = pd.read_csv(io.BytesIO(client.get("/api/v1/answers.csv").content), dtype=str)
    scores = pd.read_csv(io.BytesIO(client.get("/api/v1/scores.csv").content), comment="#", dtype=str)
    demo_scores = scores[scores["item"] == "index_core"].set_index(["city", "edition"])["is_demo"]
    flags = answers.groupby(["city", "edition"])["is_demo"].agg(set)
    assert (flags.map(len) == 1).all()  # one flag per response
    assert {k: v.pop() for k, v in flags.items()} == demo_scores.to_dict()
    assert "true" in set(answers["is_demo"])
    response = Response.objects.filter(status=Response.Status.PUBLISHED, is_demo=True, edition__year=2025).first()
    slug = response.city.slug
    one = Answer.objects.filter(response=response).exclude(value="").first()
    Answer.objects.filter(pk=one.pk).update(updated_by=django_user_model.objects.first())  # a person changed it
    rows = pd.read_csv(io.BytesIO(client.get(f"/api/v1/answers.csv?edition=2025&city={slug}").content), dtype=str)
    flags = dict(zip(rows["question"], rows["is_demo"], strict=True))
    assert flags.pop(one.question_id) == "false" and set(flags.values()) == {"true"}  # the others stay invented
    typed = Answer.objects.filter(response=response)
    typed.update(updated_by=django_user_model.objects.first())
    caches["default"].clear()  # an update() of answers changes no public data version (only rescoring does)
    mine = pd.read_csv(io.BytesIO(client.get(f"/api/v1/answers.csv?edition=2025&city={slug}").content), dtype=str)
    assert set(mine["is_demo"]) == {"false"}  # every answer typed by a person: not invented
    json_rows = client.get(f"/api/v1/answers?edition=2025&city={slug}&page_size=10000").json()["items"]
    assert {r["is_demo"] for r in json_rows} == {False}


def test_an_edition_whose_answers_the_secretariat_keeps_closed_is_not_in_the_open_data(client, django_user_model):
    year = client.get("/api/v1/editions").json()[0]["year"]
    admin = django_user_model.objects.filter(is_superuser=True).first() or django_user_model.objects.get(
        username="secretariat"
    )
    client.force_login(admin)
    page = client.get(f"/responses/editions/{year}/")
    assert "Keep the answers out of the open data" in page.content.decode()
    r = client.post(f"/responses/editions/{year}/status/", {"answers": "closed"})
    assert r.status_code == 302 and Edition.objects.get(year=year).answers_public is False
    assert "Publish the answers in the open data" in client.get(f"/responses/editions/{year}/").content.decode()
    assert client.post(f"/responses/editions/{year}/status/", {"answers": "maybe"}).status_code == 400
    client.logout()
    gone = client.get(f"/api/v1/answers.csv?edition={year}")
    assert gone.status_code == 404 and "answers out of the open data" in gone.json()["detail"]
    assert next(e for e in client.get("/api/v1/editions").json() if e["year"] == year)["answers_public"] is False
    archive = zipfile.ZipFile(io.BytesIO(client.get("/api/v1/dataset.zip").content))
    assert str(year) not in set(pd.read_csv(io.BytesIO(archive.read("answers.csv")), dtype=str)["edition"])
    client.force_login(admin)
    client.post(f"/responses/editions/{year}/status/", {"answers": "public"})
    client.logout()
    assert client.get(f"/api/v1/answers.csv?edition={year}").status_code == 200
