"""The job pages: one job with its progress bar (polling its status fragment while it waits or runs), the JSON
status, the user's own jobs; only the starter and the secretariat see a job, anyone else gets 404."""

from __future__ import annotations

import re

import pytest

from icc.web.jobs import progress
from icc.web.jobs.models import Job
from web.jobs.tasks_for_tests import count_to, fail_after_one


@pytest.fixture
def oslo_job(oslo):
    return progress.enqueue(count_to, kind="count", label="Count to 600", user=oslo, args=(600,))


def test_a_waiting_job_polls_its_status_every_second(personas, oslo_job):
    page = personas["oslo"].get(f"/jobs/{oslo_job.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Count to 600" in html and "Waiting" in html
    assert f'hx-get="/jobs/{oslo_job.pk}/status/"' in html and 'hx-trigger="every 1s"' in html
    assert 'aria-live="polite"' in html and "htmx-2.0.11.min.js" in html


def test_the_progress_bar_counts_the_runs(personas, oslo_job):
    progress.reporter(str(oslo_job.pk))(12, 600, "Sensitivity runs")
    fragment = personas["oslo"].get(f"/jobs/{oslo_job.pk}/status/", headers={"HX-Request": "true"})
    assert fragment.status_code == 200  # still waiting: polling goes on
    html = fragment.content.decode()
    assert "12 of 600 runs" in html and "Sensitivity runs" in html
    assert re.search(r'<progress max="100" value="2"', html)
    assert "<html" not in html  # a fragment


def test_a_finished_job_shows_100_percent_and_its_result_and_stops_polling(personas, oslo, run_worker):
    job = progress.enqueue(count_to, kind="count", label="Count to 5", user=oslo, args=(5, "/cities/oslo/"))
    run_worker()
    html = personas["oslo"].get(f"/jobs/{job.pk}/").content.decode()
    assert "Finished" in html and "5 of 5 runs" in html and 'value="100"' in html
    assert '<a href="/cities/oslo/">Open the result</a>' in html
    assert "hx-get" not in html and "htmx" not in html
    fragment = personas["oslo"].get(f"/jobs/{job.pk}/status/", headers={"HX-Request": "true"})
    assert fragment.status_code == 286  # htmx stops polling
    assert personas["oslo"].get(f"/jobs/{job.pk}/status/").status_code == 200  # not htmx: a plain page


def test_a_failed_job_shows_its_reason_without_the_traceback(personas, oslo, run_worker):
    job = progress.enqueue(fail_after_one, kind="count", label="Fail", user=oslo, args=("the <count> went wrong",))
    run_worker()
    html = personas["oslo"].get(f"/jobs/{job.pk}/").content.decode()
    assert "Failed" in html and "The job failed: ValueError: the &lt;count&gt; went wrong" in html
    assert "Traceback" not in html and "tasks_for_tests.py" not in html
    assert "Open the result" not in html


def test_the_status_is_json_on_request(personas, oslo_job):
    progress.reporter(str(oslo_job.pk))(150, 600, "Sensitivity runs")
    answer = personas["oslo"].get(f"/jobs/{oslo_job.pk}/status/?format=json")
    assert answer["Content-Type"] == "application/json"
    assert answer.json() == {
        "id": str(oslo_job.pk),
        "kind": "count",
        "label": "Count to 600",
        "state": "waiting",
        "done": 150,
        "total": 600,
        "percent": 25,
        "stage": "Sensitivity runs",
        "failure": "",
        "result_url": "",
    }


@pytest.mark.parametrize("who", ["bilbao", "expert", "oslo-education"])
@pytest.mark.parametrize("url", ["/jobs/{id}/", "/jobs/{id}/status/", "/jobs/{id}/status/?format=json"])
def test_another_user_gets_404(personas, oslo_job, who, url):
    assert personas[who].get(url.format(id=oslo_job.pk)).status_code == 404


def test_a_job_that_does_not_exist_is_404_too(personas):
    assert personas["secretariat"].get("/jobs/00000000-0000-4000-8000-000000000000/").status_code == 404
    assert personas["secretariat"].get("/jobs/12/").status_code == 404


def test_the_secretariat_sees_every_job(personas, oslo_job):
    page = personas["secretariat"].get(f"/jobs/{oslo_job.pk}/")
    assert page.status_code == 200 and "Count to 600" in page.content.decode()
    assert personas["secretariat"].get(f"/jobs/{oslo_job.pk}/status/?format=json").json()["state"] == "waiting"


@pytest.mark.parametrize("url", ["/jobs/", "/jobs/{id}/", "/jobs/{id}/status/?format=json"])
def test_an_anonymous_visitor_is_sent_to_log_in(personas, oslo_job, url):
    answer = personas["anonymous"].get(url.format(id=oslo_job.pk))
    assert answer.status_code == 302 and answer["Location"].startswith("/accounts/login/?next=")


def test_the_job_list_holds_the_users_own_jobs_newest_first(personas, oslo, oslo_job):
    from icc.web.accounts.models import User

    later = progress.enqueue(count_to, kind="count", label="Count again", user=oslo, args=(3,))
    Job.objects.filter(pk=later.pk).update(created=oslo_job.created.replace(year=oslo_job.created.year + 1))
    progress.enqueue(
        count_to, kind="count", label="Bilbao's count", user=User.objects.get(username="bilbao"), args=(3,)
    )
    html = personas["oslo"].get("/jobs/").content.decode()
    assert html.index("Count again") < html.index("Count to 600")
    assert "Bilbao&#x27;s count" not in html and "Bilbao's count" not in html
    assert f"/jobs/{oslo_job.pk}/" in html
    assert "You have started no background job." in personas["expert"].get("/jobs/").content.decode()
