"""Intercultural-competence training: the share of staff trained and the before/after change on hand-built numbers,
who sees and keeps a city's training records, the self-assessment (complete or refused with a message per missing
answer, never by the anonymous), the secretariat's download, the French pages."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pandas as pd
import pytest
from numpy.testing import assert_allclose

from icc.engine.competence import before_after, respondent_scores, share_trained
from icc.web.learning import competence
from icc.web.learning.models import DepartmentStaff, SelfAssessment, TrainingSession
from icc.web.network.models import City

pytestmark = pytest.mark.django_db

TAKEN = datetime(2025, 6, 1, tzinfo=UTC)
IDS = [s.id for s in competence.STATEMENTS]


@pytest.fixture
def oslo(db):
    """Oslo with no training record but the test's own (demo records of other cities stay)."""
    for model in (TrainingSession, DepartmentStaff, SelfAssessment):
        model.objects.filter(city__slug__in=["oslo", "bilbao"]).delete()
    return City.objects.get(slug="oslo")


def _session(city, held, department, participants, title="Intercultural communication", hours="3.5"):
    return TrainingSession.objects.create(
        city=city, held=held, title=title, department=department, participants=participants, hours=Decimal(hours)
    )


def _assessment(city, department, phase, by_dimension):
    """A self-assessment answering each statement with its dimension's value (or a list of four values)."""
    answers = {}
    for d, value in by_dimension.items():
        values = value if isinstance(value, list) else [value] * 4
        for s, v in zip([s for s in competence.STATEMENTS if s.dimension == d], values, strict=True):
            answers[s.id] = v
    return SelfAssessment.objects.create(
        city=city, department=department, phase=phase, taken=TAKEN, answers=answers, user=None
    )


# --- the numbers ---------------------------------------------------------------------------------------------


def test_the_share_trained_divides_participants_by_staff_and_stops_at_one():
    t = share_trained(
        pd.Series({"Education": 16, "Housing": 15, "Culture": 3}),
        pd.Series({"Education": 40, "Housing": 10, "Police": 200}),
    )
    assert list(t.index) == ["Culture", "Education", "Housing", "Police"]
    assert_allclose(t.loc["Education", "share"], 0.4, atol=1e-12)
    assert t.loc["Housing", "share"] == 1.0 and bool(t.loc["Housing", "capped"])
    assert pd.isna(t.loc["Culture", "share"])  # no staff count: no share
    assert t.loc["Police", "participants"] == 0 and t.loc["Police", "share"] == 0.0


def test_a_staff_count_of_zero_gives_no_share():
    t = share_trained(pd.Series({"A": 5}), pd.Series({"A": 0}))
    assert pd.isna(t.loc["A", "share"]) and not bool(t.loc["A", "capped"])


def test_before_after_compares_the_mean_scores_of_each_dimension():
    answers = pd.DataFrame(
        {
            "department": ["Education", "Education", "Education", "Housing"],
            "phase": ["before", "before", "after", "after"],
            "a1": [1, 2, 4, 5],
            "a2": [3, 2, 4, 5],
            "k1": [2, 2, 5, None],
        }
    )
    scores = respondent_scores(answers, {"a1": "attitudes", "a2": "attitudes", "k1": "knowledge"})
    assert_allclose(scores["attitudes"], [2.0, 2.0, 4.0, 5.0], atol=1e-12)
    t = before_after(scores, ["department"], ["attitudes", "knowledge"]).set_index(["department", "dimension"])
    assert_allclose(t.loc[("Education", "attitudes"), ["mean_before", "mean_after", "change"]], [2.0, 4.0, 2.0])
    assert_allclose(t.loc[("Education", "knowledge"), ["mean_before", "mean_after", "change"]], [2.0, 5.0, 3.0])
    assert t.loc[("Education", "attitudes"), "n_before"] == 2 and t.loc[("Education", "attitudes"), "n_after"] == 1
    housing = t.loc[("Housing", "knowledge")]  # nobody answered: no mean, no change, n = 0
    assert pd.isna(housing["mean_after"]) and pd.isna(housing["change"]) and housing["n_after"] == 0
    assert pd.isna(t.loc[("Housing", "attitudes"), "change"])  # no "before": no change


def test_an_unknown_phase_is_refused():
    with pytest.raises(ValueError, match="unknown phase"):
        before_after(pd.DataFrame({"phase": ["during"], "skills": [3.0]}), [], ["skills"])


def test_the_city_page_counts_the_years_sessions_against_that_years_staff(oslo):
    DepartmentStaff.objects.create(city=oslo, department="Education", staff=40, year=2025)
    DepartmentStaff.objects.create(city=oslo, department="Education", staff=80, year=2024)
    DepartmentStaff.objects.create(city=oslo, department="Housing", staff=10, year=2025)
    _session(oslo, date(2025, 3, 1), "Education", 10)
    _session(oslo, date(2025, 9, 1), "  education ", 6)  # the same department, written differently
    _session(oslo, date(2024, 9, 1), "Education", 30)  # another year
    _session(oslo, date(2025, 4, 1), "Housing", 15)  # more participants than staff
    _session(oslo, date(2025, 5, 1), "Culture", 7)  # no staff count
    rows = {r.department: r for r in competence.share_rows(oslo, 2025)}
    assert set(rows) == {"Education", "Housing", "Culture"}
    assert rows["Education"].participants == 16 and rows["Education"].staff == 40 and rows["Education"].sessions == 2
    assert_allclose(rows["Education"].percent, 40.0, atol=1e-9)
    assert rows["Housing"].percent == 100.0 and rows["Housing"].capped
    assert rows["Culture"].share is None and rows["Culture"].staff is None
    assert_allclose(competence.share_rows(oslo, 2024)[0].percent, 37.5, atol=1e-9)
    page = _get_page("oslo", "/competence/?city=oslo&year=2025")
    assert "40.0%" in page and "100.0%" in page and "no staff count for 2025" in page
    assert "at most 100" in page  # the rule is stated on the page


def test_the_self_assessment_results_per_department_and_for_the_city(oslo):
    _assessment(oslo, "Education", "before", {"attitudes": 2, "knowledge": 2, "skills": [1, 2, 3, 4]})
    _assessment(oslo, "Education", "before", {"attitudes": 3, "knowledge": 3, "skills": 3})
    _assessment(oslo, "Education", "after", {"attitudes": 4, "knowledge": 5, "skills": 3})
    _assessment(oslo, "Housing", "before", {"attitudes": 1, "knowledge": 1, "skills": 1})
    summary = dict(competence.assessment_summary(oslo))
    assert list(summary) == ["", "Education", "Housing"]
    education = {r.dimension: r for r in summary["Education"]}
    assert_allclose([education["attitudes"].before, education["attitudes"].after], [2.5, 4.0], atol=1e-12)
    assert_allclose(education["attitudes"].change, 1.5, atol=1e-12)
    assert_allclose(education["knowledge"].change, 2.5, atol=1e-12)
    assert_allclose(education["skills"].before, 2.75, atol=1e-12)  # (2.5 + 3) / 2
    assert_allclose(education["skills"].change, 0.25, atol=1e-12)
    assert (education["skills"].n_before, education["skills"].n_after) == (2, 1)
    city = {r.dimension: r for r in summary[""]}
    assert_allclose(city["attitudes"].before, 2.0, atol=1e-12)  # (2 + 3 + 1) / 3
    assert_allclose(city["attitudes"].change, 2.0, atol=1e-12)
    assert city["attitudes"].n_before == 3
    housing = {r.dimension: r for r in summary["Housing"]}
    assert housing["skills"].after is None and housing["skills"].change is None
    page = _get_page("oslo", "/competence/")
    assert "+1.50" in page and "2.75" in page and "All departments" in page


def _get_page(persona_name, url):
    from django.test import Client

    from icc.web.accounts.models import User

    c = Client()
    c.force_login(User.objects.get(username=persona_name))
    r = c.get(url)
    assert r.status_code == 200, r.content.decode()[:500]
    return r.content.decode()


# --- who sees and keeps the records ------------------------------------------------------------------------


def test_an_official_of_another_city_cannot_see_the_page_of_a_city(personas, oslo):
    assert personas["bilbao"].get("/competence/?city=oslo").status_code == 403
    assert personas["oslo"].get("/competence/?city=oslo").status_code == 200
    assert personas["oslo"].get("/competence/").status_code == 200  # their own city by default
    assert personas["expert"].get("/competence/?city=oslo").status_code == 200  # an assigned city
    assert personas["expert-elsewhere"].get("/competence/").status_code == 403
    assert personas["anonymous"].get("/competence/").status_code == 302
    r = personas["oslo"].get("/competence/?city=atlantis")
    assert r.status_code == 400 and "atlantis is not one of the choices" in r.content.decode()


def test_the_secretariat_sees_any_city_and_the_network(personas, oslo):
    _session(oslo, date(2025, 3, 1), "Education", 10)
    assert personas["secretariat"].get("/competence/?city=bilbao").status_code == 200
    page = personas["secretariat"].get("/competence/").content.decode()
    assert "Intercultural competence in the network" in page and "Oslo" in page


def test_only_the_citys_officials_and_the_secretariat_keep_its_log(personas, oslo):
    session = _session(oslo, date(2025, 3, 1), "Education", 10, title="Front desk")
    data = {"held": "2025-03-02", "title": "Changed", "department": "Education", "participants": "12", "hours": "3"}
    assert personas["bilbao"].post(f"/competence/sessions/{session.pk}/edit/", data).status_code == 403
    assert personas["expert"].post(f"/competence/sessions/{session.pk}/edit/", data).status_code == 403
    assert personas["bilbao"].post(f"/competence/sessions/{session.pk}/delete/").status_code == 403
    assert personas["bilbao"].post("/competence/cities/oslo/sessions/new/", data).status_code == 403
    session.refresh_from_db()
    assert session.title == "Front desk" and TrainingSession.objects.filter(city=oslo).count() == 1
    assert "Record a training session" not in personas["expert"].get("/competence/?city=oslo").content.decode()
    r = personas["oslo-education"].post(f"/competence/sessions/{session.pk}/edit/", data)
    assert r.status_code == 302
    session.refresh_from_db()
    assert (session.title, session.participants, session.held) == ("Changed", 12, date(2025, 3, 2))
    assert personas["oslo"].post(f"/competence/sessions/{session.pk}/delete/").status_code == 302
    assert not TrainingSession.objects.filter(pk=session.pk).exists()


def test_an_official_records_a_session_and_a_staff_count(personas, oslo):
    r = personas["oslo"].post(
        "/competence/cities/oslo/sessions/new/",
        {"held": "2025-02-10", "title": "Working with interpreters", "department": " Social  services ",
         "participants": "14", "hours": "6.5"},
    )  # fmt: skip
    assert r.status_code == 302 and "done=session" in r["Location"]
    s = TrainingSession.objects.get(city=oslo)
    assert (s.department, s.participants, s.hours) == ("Social services", 14, Decimal("6.5"))
    r = personas["oslo"].post(
        "/competence/cities/oslo/staff/new/", {"department": "Social services", "year": "2025", "staff": "56"}
    )
    assert r.status_code == 302
    row = DepartmentStaff.objects.get(city=oslo)
    assert (row.department, row.year, row.staff) == ("Social services", 2025, 56)
    r = personas["oslo"].post(
        f"/competence/staff/{row.pk}/edit/", {"department": "Social services", "year": "2025", "staff": "70"}
    )
    assert r.status_code == 302
    row.refresh_from_db()
    assert row.staff == 70
    assert_allclose(competence.share_rows(oslo, 2025)[0].percent, 20.0, atol=1e-9)


def test_a_bad_session_or_staff_count_is_refused_with_a_message_and_nothing_saved(personas, oslo):
    r = personas["oslo"].post(
        "/competence/cities/oslo/sessions/new/",
        {"held": "2999-01-01", "title": "Later", "department": "Education", "participants": "0", "hours": "0"},
    )
    page = r.content.decode()
    assert r.status_code == 400
    assert "record a session once it has taken place" in page
    assert "at least one participant" in page and "more than 0" in page
    assert not TrainingSession.objects.filter(city=oslo).exists()
    DepartmentStaff.objects.create(city=oslo, department="Education", staff=40, year=2025)
    r = personas["oslo"].post(
        "/competence/cities/oslo/staff/new/", {"department": "education", "year": "2025", "staff": "41"}
    )
    assert r.status_code == 400 and "already has a staff count for 2025" in r.content.decode()
    r = personas["oslo"].post(
        "/competence/cities/oslo/staff/new/", {"department": "Housing", "year": "1800", "staff": "0"}
    )
    assert r.status_code == 400 and "Give a year between" in r.content.decode()
    assert "at least one member of staff" in r.content.decode()
    assert list(DepartmentStaff.objects.filter(city=oslo).values_list("staff", flat=True)) == [40]


# --- the self-assessment -----------------------------------------------------------------------------------


def _answers(value="4", **changes):
    data = {"city": "oslo", "department": "Education", "phase": "before", **{i: value for i in IDS}}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_an_official_takes_the_self_assessment_for_their_city(personas, oslo):
    page = personas["oslo"].get("/competence/self-assessment/").content.decode()
    assert page.count("<fieldset") == len(IDS) + 1 and page.count("<legend>") == len(IDS) + 1
    assert "Strongly agree" in page
    r = personas["oslo"].post("/competence/self-assessment/", _answers("4", **{IDS[0]: "5"}))
    assert r.status_code == 302 and "done=assessment" in r["Location"]
    a = SelfAssessment.objects.get(city=oslo)
    assert a.phase == "before" and a.department == "Education" and a.user.username == "oslo"
    assert a.answers == {i: (5 if i == IDS[0] else 4) for i in IDS}


def test_each_missing_answer_is_named_and_nothing_is_saved(personas, oslo):
    data = _answers("3", **{IDS[1]: None, IDS[7]: None, "phase": None, "department": ""})
    data[IDS[2]] = "9"  # off the scale
    r = personas["oslo"].post("/competence/self-assessment/", data)
    page = r.content.decode()
    assert r.status_code == 400
    for i in (1, 7, 2):
        text = str(competence.STATEMENTS[i].text).replace("'", "&#x27;")
        assert f"Choose an answer from 1 to 5 for: {text}" in page
    assert "Name your department." in page and "before or after the training" in page
    assert "5 answers are missing or need a change" in page
    assert not SelfAssessment.objects.filter(city=oslo).exists()


def test_only_a_citys_officials_take_the_self_assessment(personas, oslo):
    r = personas["anonymous"].post("/competence/self-assessment/", _answers())
    assert r.status_code == 302 and "next=" in r["Location"]
    assert personas["anonymous"].get("/competence/self-assessment/").status_code == 302
    assert personas["expert"].post("/competence/self-assessment/", _answers()).status_code == 403
    assert personas["secretariat"].get("/competence/self-assessment/").status_code == 403
    r = personas["bilbao"].post("/competence/self-assessment/", _answers())  # Oslo is not one of its cities
    assert r.status_code == 400
    assert not SelfAssessment.objects.filter(city=oslo).exists()


# --- the download and the French pages -----------------------------------------------------------------------


def test_the_sessions_download_is_the_secretariats(personas, oslo):
    _session(oslo, date(2025, 3, 1), "Education", 10, title="Front desk, Oslo")
    r = personas["secretariat"].get("/competence/sessions/download.csv")
    assert r.status_code == 200
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    mine = [row for row in rows if row["city"] == "oslo"]
    assert mine == [
        {"id": str(mine[0]["id"]), "city": "oslo", "country": "NO", "date": "2025-03-01", "title": "Front desk, Oslo",
         "department": "Education", "participants": "10", "hours": "3.5", "demo": "False"}
    ]  # fmt: skip
    assert personas["secretariat"].get("/competence/sessions/download.xlsx").status_code == 200
    assert personas["oslo"].get("/competence/sessions/download.csv").status_code == 403


def test_the_competence_pages_render_in_french(personas, oslo):
    _session(oslo, date(2025, 3, 1), "Education", 10)
    _assessment(oslo, "Education", "before", {"attitudes": 2, "knowledge": 2, "skills": 2})
    client = personas["oslo"]
    client.cookies.load({"django_language": "fr"})
    for url in ("/competence/", "/competence/self-assessment/", "/competence/cities/oslo/sessions/new/"):
        r = client.get(url)
        assert r.status_code == 200, url
        assert '<html lang="fr"' in r.content.decode()
    secretariat = personas["secretariat"]
    secretariat.cookies.load({"django_language": "fr"})
    assert secretariat.get("/competence/").status_code == 200
