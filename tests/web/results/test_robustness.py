"""Robustness of the ranks in the platform: the study stored with a release, the rank interval on the city page,
the secretariat's studies as background jobs, and the weight-change preview."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from icc.engine import INDEX_CORE
from icc.web.jobs import progress
from icc.web.jobs.models import Job
from icc.web.network.models import City, Edition
from icc.web.results import robustness
from icc.web.results.models import RobustnessStudy, Score

NOW = datetime(2026, 6, 1, tzinfo=UTC)


def _latest_released() -> Edition:
    return Edition.objects.filter(results_released_at__isnull=False).order_by("-year").first()


def test_every_released_demo_edition_carries_its_published_study(db):
    for edition in Edition.objects.filter(results_released_at__isnull=False):
        study = robustness.published_study(edition)
        assert study is not None, edition.year
        assert study.options["seed"] == edition.year and study.cities == len(study.ranks) > 100


def test_the_published_study_ranks_are_the_stored_ranks(db):
    edition = _latest_released()
    study = robustness.published_study(edition)
    stored = dict(Score.objects.filter(edition=edition, item=INDEX_CORE).values_list("city__slug", "rank"))
    assert {r["city"]: int(r["nominal"]) for r in study.ranks} == stored
    for r in study.ranks:
        assert r["q5"] <= r["median"] <= r["q95"]


def test_the_city_page_states_the_rank_interval_with_a_link_to_the_method(client, db):
    edition = _latest_released()
    study = robustness.published_study(edition)
    row = study.rank_of("oslo")
    html = client.get("/cities/oslo/").content.decode()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    interval = robustness.published_interval(City.objects.get(slug="oslo"), edition)
    assert interval["low"] <= row["q5"] and interval["high"] >= row["q95"]
    assert f"between {interval['low']}" in text and "in 90 % of plausible weightings" in text
    assert 'href="/methodology/#robustness"' in html


def test_the_methodology_page_explains_the_study(client, db):
    html = client.get("/methodology/").content.decode()
    assert 'id="robustness"' in html and "between −25 % and +25 %" in html


def test_releasing_an_edition_stores_a_new_published_study(oslo_published_2026):
    from icc.web.accounts.models import User
    from icc.web.results.releasing import release

    edition = oslo_published_2026
    assert robustness.published_study(edition) is None
    release(edition, User.objects.get(username="secretariat"), NOW, acknowledged=True)
    study = robustness.published_study(edition)
    assert study is not None and [r["city"] for r in study.ranks] == ["oslo"]


def test_the_secretariat_starts_a_study_and_reads_it_when_the_job_has_run(personas, run_worker):
    edition = _latest_released()
    form = {
        "weight_noise": 20,
        "dont_know": "on",
        "aggregation": "on",
        "runs": 200,
        "n": 20,
        "bootstrap": 50,
        "seed": 7,
    }
    answer = personas["secretariat"].post(f"/responses/editions/{edition.year}/robustness/", form)
    assert answer.status_code == 302
    job = Job.objects.get(pk=answer.url.rstrip("/").split("/")[-1])
    study = RobustnessStudy.objects.get(job=job)
    assert study.options["weight_noise"] == 0.2 and study.options["lens"] is False and not study.finished
    run_worker()
    job.refresh_from_db()
    status = progress.status(job)
    assert status["state"] == "finished" and status["percent"] == 100, status
    study.refresh_from_db()
    assert study.finished and len(study.ranks) > 100
    assert [i["variable"] for i in study.indices] == ["Weights", "DontKnow", "Aggregation"]
    page = personas["secretariat"].get(status["result_url"])
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="rank-spec"' in html and 'id="sens-spec"' in html and "Area weights" in html
    # the tables, the charts' text alternative, hold every city and every assumption (reloaded from the page)
    tables = re.findall(r"<tbody>(.*?)</tbody>", html, flags=re.S)
    assert tables[0].count("<tr>") == len(study.ranks) and tables[1].count("<tr>") == len(study.indices)
    first = min(study.ranks, key=lambda r: (r["nominal"], r["city"]))
    assert f'<td class="num">{int(first["nominal"])}</td>' in tables[0]
    csv = personas["secretariat"].get(status["result_url"] + "?format=csv").content.decode()
    assert csv.splitlines()[0] == "city,name,nominal_rank,mean_rank,median_rank,q5_rank,q95_rank"
    assert len(csv.splitlines()) == len(study.ranks) + 1


def test_the_same_seed_gives_the_same_study(db):
    edition = _latest_released()
    options = robustness.options_with_defaults({"runs": 200, "n": 20, "bootstrap": 20}, seed=3)
    assert robustness.compute(edition, options) == robustness.compute(edition, options)


@pytest.mark.parametrize(
    "form, message",
    [
        ({"weight_noise": 0, "runs": 200, "n": 20, "bootstrap": 0, "seed": 1}, "Choose at least one assumption"),
        (
            {"weight_noise": 95, "runs": 200, "n": 20, "bootstrap": 0, "seed": 1, "lens": "on"},
            "less than or equal to 90",
        ),
        ({"weight_noise": 25, "runs": 5, "n": 20, "bootstrap": 0, "seed": 1}, "greater than or equal to 100"),
    ],
)
def test_a_bad_study_form_is_a_400_that_says_what_to_fix_and_starts_nothing(personas, form, message):
    edition = _latest_released()
    before = Job.objects.count()
    answer = personas["secretariat"].post(f"/responses/editions/{edition.year}/robustness/", form)
    assert answer.status_code == 400 and message in answer.content.decode()
    assert Job.objects.count() == before


@pytest.mark.parametrize("who, status", [("oslo", 403), ("expert", 403), ("anonymous", 302)])
def test_only_the_secretariat_reaches_the_robustness_pages(personas, who, status):
    edition = _latest_released()
    for url in (f"/responses/editions/{edition.year}/robustness/", f"/responses/editions/{edition.year}/weights/"):
        assert personas[who].get(url).status_code == status
    study = robustness.published_study(edition)
    assert personas[who].get(f"/responses/robustness/{study.pk}/").status_code == status


def test_the_weight_preview_with_the_published_weights_moves_nobody(personas):
    edition = _latest_released()
    fw = edition.framework.load()
    weights = {a.id: a.weight for a in fw.areas if a.core}
    table = robustness.preview_weights(edition, weights)
    stored = dict(Score.objects.filter(edition=edition, item=INDEX_CORE).values_list("city__slug", "score"))
    assert (table["change"] == 0).all()
    for slug, score in stored.items():
        assert table.loc[slug, "index"] == pytest.approx(score, abs=1e-9)
    page = personas["secretariat"].get(f"/responses/editions/{edition.year}/weights/", weights)
    assert page.status_code == 200 and "0 cities change rank" in page.content.decode()


def test_the_weight_preview_shows_how_ranks_move_and_stores_nothing(personas):
    edition = _latest_released()
    area = next(a.id for a in edition.framework.load().areas if a.core)
    before = list(Score.objects.filter(edition=edition).values_list("pk", "score", "rank"))
    page = personas["secretariat"].get(f"/responses/editions/{edition.year}/weights/", {area: "10"})
    html = page.content.decode()
    assert page.status_code == 200 and 'id="chart-spec"' in html
    table = robustness.preview_weights(edition, {area: 10.0})
    moved = int((table["change"] != 0).sum())
    assert moved > 0 and f"{moved} cities change rank" in html
    assert list(Score.objects.filter(edition=edition).values_list("pk", "score", "rank")) == before


@pytest.mark.parametrize("value", ["-1", "heavy", "1e9"])
def test_a_bad_weight_is_a_400_naming_the_area(personas, value):
    edition = _latest_released()
    area = next(a for a in edition.framework.load().areas if a.core)
    page = personas["secretariat"].get(f"/responses/editions/{edition.year}/weights/", {area.id: value})
    assert page.status_code == 400
    assert f"“{value}” is not a weight" in page.content.decode()


def test_the_french_pages_are_in_french(personas):
    edition = _latest_released()
    client = personas["secretariat"]
    client.cookies.load({"django_language": "fr"})
    html = client.get(f"/responses/editions/{edition.year}/robustness/").content.decode()
    assert "Lancer l’étude" in html or "Lancer l'étude" in html


def test_an_edition_without_published_responses_is_refused_up_front_and_says_why(personas):
    before = Job.objects.count()
    form = {"weight_noise": 25, "runs": 200, "n": 20, "bootstrap": 0, "seed": 1}
    answer = personas["secretariat"].post("/responses/editions/2026/robustness/", form)
    assert answer.status_code == 400 and "no published response yet" in answer.content.decode()
    assert Job.objects.count() == before
    page = personas["secretariat"].get("/responses/editions/2026/weights/", {"commitment": "2"})
    assert page.status_code == 400 and "no published response yet" in page.content.decode()
