"""`icc worker` runs the queued jobs; `icc serve` (what `make run` starts) runs one beside the server, so a job
started on the site runs and its page follows it to the end by itself; the worker stops with the server."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request

import pytest
from click.testing import CliRunner
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from icc.cli import main
from icc.web.jobs import progress
from support.servers import ROOT, free_port, production_env
from web.jobs.tasks_for_tests import count_to

CHROMIUM = "/usr/bin/chromium"


def test_icc_worker_batch_runs_the_waiting_jobs_and_exits(oslo, run_worker):
    jobs = [progress.enqueue(count_to, kind="count", label=f"Count {n}", user=oslo, args=(n,)) for n in (2, 3)]
    result = CliRunner().invoke(main, ["worker", "--batch", "--interval", "0"])
    assert result.exit_code == 0, result.output
    assert [progress.status(j)["state"] for j in jobs] == ["finished", "finished"]


@override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}})
def test_icc_worker_sends_another_backends_jobs_to_that_backends_worker(db):
    result = CliRunner().invoke(main, ["worker", "--batch"])
    assert result.exit_code == 1
    assert "ICC_TASKS_BACKEND is django_tasks.backends.dummy.DummyBackend" in result.output


@pytest.mark.parametrize("value", ["redis", "not a.path", "tasks.", ".Backend"])
def test_a_backend_that_is_no_dotted_path_stops_the_start(monkeypatch, value):
    from icc.web.settings import env_import_path

    monkeypatch.setenv("ICC_TASKS_BACKEND", value)
    with pytest.raises(ImproperlyConfigured, match="ICC_TASKS_BACKEND"):
        env_import_path("ICC_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")


SETUP = """
import django
django.setup()
from django.core.management import call_command
from icc.web.accounts.models import User
from icc.web.network.models import City
call_command("migrate", verbosity=0)
City.objects.create(slug="oslo", name="Oslo", country_code="NO", is_member=True)
User.objects.create_user("oslo", password="icc-oslo-jobs")
"""

ENQUEUE = """
import django
django.setup()
from icc.web.accounts.models import User
from icc.web.jobs import progress
from web.jobs.tasks_for_tests import count_to
job = progress.enqueue(count_to, kind="count", label="Count slowly", user=User.objects.get(username="oslo"),
                       args=(20, "/cities/"), kwargs={"pause": 0.15})
print(job.pk)
"""


@pytest.mark.browser
def test_serve_runs_a_worker_whose_job_page_follows_the_job_and_stops_it_with_the_server(tmp_path):
    if not shutil.which(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is not installed")
    from playwright.sync_api import sync_playwright

    env = production_env(tmp_path, PYTHONPATH=str(ROOT / "tests"))  # the worker imports the tests' tasks
    made = subprocess.run([sys.executable, "-c", SETUP], env=env, cwd=ROOT, capture_output=True, text=True)
    assert made.returncode == 0, made.stderr[-2000:]
    base = f"http://127.0.0.1:{free_port()}"
    log = tmp_path / "serve.log"
    icc = os.path.join(os.path.dirname(sys.executable), "icc")
    with log.open("w") as out:
        server = subprocess.Popen([icc, "serve", "--port", base.rpartition(":")[2]], env=env, cwd=ROOT, stdout=out,
                                  stderr=subprocess.STDOUT, start_new_session=True)  # fmt: skip
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(base + "/accounts/login/", timeout=5).read()
                break
            except OSError:
                assert server.poll() is None, log.read_text()[-3000:]
                time.sleep(0.2)
        found = re.search(r"a worker runs beside the server \(process (\d+)", log.read_text())
        assert found, log.read_text()[-3000:]
        worker_pid = int(found.group(1))

        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=CHROMIUM,
                args=["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
            )
            page = browser.new_page()
            page.goto(base + "/accounts/login/")
            page.fill("input[name=username]", "oslo")
            page.fill("input[name=password]", "icc-oslo-jobs")
            page.click("main form button")
            page.wait_for_load_state()
            assert "/accounts/login/" not in page.url

            queued = subprocess.run([sys.executable, "-c", ENQUEUE], env=env, cwd=ROOT, capture_output=True, text=True)
            assert queued.returncode == 0, queued.stderr[-2000:]
            job_id = queued.stdout.strip()
            page.goto(f"{base}/jobs/{job_id}/")
            page.evaluate("window.notReloaded = true")
            page.wait_for_selector("#job-status .status.running", timeout=20_000)
            page.wait_for_selector("#job-status .status.finished", timeout=20_000)
            status = page.inner_text("#job-status")
            assert "20 of 20 runs" in status and "Counting" in status
            assert page.get_attribute("#job-status progress", "value") == "100"
            assert page.evaluate("window.notReloaded") is True  # htmx swapped the status in, no reload
            page.click("text=Open the result")
            page.wait_for_load_state()
            assert page.url == base + "/cities/"
            browser.close()
    finally:
        if server.poll() is None:
            server.send_signal(signal.SIGTERM)  # the server alone (as `kill` would): it stops its worker
        server.wait(timeout=30)
    for _ in range(50):
        try:
            os.kill(worker_pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.2)
    else:
        os.killpg(server.pid, signal.SIGKILL)
        raise AssertionError("the worker outlived the server")
